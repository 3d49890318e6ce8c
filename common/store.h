/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The findings store: one SQLite file (WAL, mode 0600, folder 0700) holding
 * the scanned files with their last outcome, the findings with their review
 * status, the scans and wipes, and an audit trail of status changes. It never
 * holds a raw identifier: a finding is its masked form, keyed fingerprint and
 * place. Prepared statements only. One store per process, safe to call from
 * several threads (calls are serialised).
 */
#ifndef PIIGUARD_STORE_H
#define PIIGUARD_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

struct store;

/* The schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 3

/* How close to its last scan a file's mtime may be before its metadata no
 * longer proves it unchanged (file systems with coarse timestamps). */
#define STORE_RACY_NS 2000000000LL

/* Open (creating it, its folder 0700 and the file 0600, when missing) and
 * migrate the store at path. Returns 0, ERR_IO (cannot open or create, or
 * not a regular file), ERR_FORMAT (not a piiguard store, or from a newer
 * version) or ERR_NOMEM. */
int store_open(const char *path, struct store **ret);

/* Close; NULL is a no-op. */
void store_close(struct store *s);

/* --- scanning ------------------------------------------------------------- */

/* Start a scan of the given kind ("scan", "watch", "rescan"); *ret_id names it. */
int store_scan_begin(struct store *s, const char *kind, int64_t *ret_id);

struct store_scan_counts {
	uint64_t files, skipped, findings, errors;
};

/* Close a scan with its counts. */
int store_scan_end(struct store *s, int64_t scan_id, const struct store_scan_counts *counts);

/*
 * Whether path, with the metadata in st, was scanned before (to a final
 * outcome) and has not changed since: same device, inode, size, mtime and
 * ctime, and its mtime at least STORE_RACY_NS before the time it was opened
 * for that scan (a write in the same timestamp tick as the scan could leave
 * the times equal, so such a file counts as changed). Sets *ret_unchanged.
 */
int store_file_unchanged(struct store *s, const char *path, const struct stat *st, bool *ret_unchanged);

/* A finding as the store records it: never the raw value. */
struct store_finding {
	const char *member; /* NULL for none */
	const char *rule;
	const char *label;
	const char *masked;
	const char *fingerprint;
	double confidence;
	const char *source;
	uint64_t line; /* 0: unknown */
};

/* One file's scan, recorded in one transaction once the file is read: begin,
 * a finding at a time, then end with its outcome. Between begin and end the
 * store is held by the calling thread (other threads wait), so the three are
 * called in quick succession, never around the reading of the file. */
struct store_file;

/* Begin recording the scan of path: st is its metadata and opened_ns the
 * wall-clock time (ns) when it was opened, before it was read. */
int store_file_begin(struct store *s, int64_t scan_id, const char *path, const struct stat *st, int64_t opened_ns,
                     struct store_file **ret);

/* What recording a finding did. */
struct store_recorded {
	int64_t id;      /* the finding's id */
	bool is_new;     /* it was not in the store before */
	bool suppressed; /* the same fingerprint in the same file is a false positive */
};

/*
 * Record one finding of the file. A finding is the same one when its file,
 * member, rule and fingerprint are: its last-seen time, line and confidence
 * are updated. A finding whose fingerprint was marked a false positive in the
 * same file is kept as a false positive and should not be reported again.
 */
int store_file_finding(struct store_file *f, const struct store_finding *finding, struct store_recorded *ret);

/* End the file's scan with its outcome ("clean", "findings", "unreadable",
 * "too_large", "encrypted", "unsupported", "timed_out", "worker_crashed"):
 * findings of the file not seen this time are marked no longer present. */
int store_file_end(struct store_file *f, const char *outcome);

/*
 * Record a finding about path that is not the result of reading it (a
 * posture check: a remote-access tool's unit file, a browser's saved logins),
 * in scan scan_id, in a transaction of its own; the file's own scan record is
 * left as it is. Same identity and suppression as store_file_finding().
 */
int store_record(struct store *s, int64_t scan_id, const char *path, const struct store_finding *finding,
                 struct store_recorded *ret);

/* Mark findings of rules starting with rule_prefix that scan scan_id did not
 * see as no longer present (a posture run reports all it finds each time). */
int store_sweep(struct store *s, int64_t scan_id, const char *rule_prefix);

/* --- wipes ----------------------------------------------------------------- */

/* A wipe as the store records it: counts and categories, never a file name. */
struct store_wipe {
	const char *mode;       /* "reset-home" or "targets" */
	const char *outcome;    /* "done", "partial", "refused", "unverified" */
	const char *media;      /* the media policy and its file system, e.g. "unlink (btrfs)" */
	const char *categories; /* "browser:12:3400 messaging:3:120 ..." (files:bytes per category) */
	uint64_t files, dirs, links, special, bytes, overwritten, left, errors;
	uint64_t findings_after; /* of the verification scan of the new home */
};

/* Start recording a wipe of users (account names, comma-separated). */
int store_wipe_begin(struct store *s, const char *users, int64_t *ret_id);

/* Close the wipe with what it did. */
int store_wipe_end(struct store *s, int64_t wipe_id, const struct store_wipe *w);

/* --- review --------------------------------------------------------------- */

enum store_status {
	STORE_STATUS_OPEN,
	STORE_STATUS_ACKNOWLEDGED,
	STORE_STATUS_FALSE_POSITIVE,
	STORE_STATUS_WIPED,
};

/* The contract's name of a status ("open", "acknowledged", "false_positive",
 * "wiped"), and back (ERR_INVAL for another name). */
const char *store_status_name(enum store_status status);
int store_status_parse(const char *name, enum store_status *ret);

struct store_filter {
	int64_t since;               /* last seen at or after (unix seconds); 0 for any */
	const char *rule;            /* NULL for any */
	const char *path;            /* a path prefix (a folder) or a file; NULL for any */
	int status;                  /* an enum store_status, or -1 for any */
	bool include_gone;           /* also findings no longer present in their file */
	int64_t id;                  /* one finding; 0 for any */
	const char *rule_prefix;     /* rule ids starting so ("posture."); NULL for any */
	const char *rule_not_prefix; /* rule ids not starting so; NULL for any */
};

struct store_row {
	int64_t id;
	const char *path;
	struct store_finding finding;
	enum store_status status;
	bool present;
	int64_t first_seen, last_seen;
};

typedef int store_row_fn(const struct store_row *row, void *ctx);

/* Call fn for each finding matching filter, newest first; a non-zero return
 * from fn stops and is returned. */
int store_findings(struct store *s, const struct store_filter *filter, store_row_fn *fn, void *ctx);

/* Change a finding's status, recording who did it in the audit trail.
 * Returns 0, ERR_NOTFOUND or an error. */
int store_set_status(struct store *s, int64_t id, enum store_status status, const char *who);

struct store_audit {
	int64_t at;
	const char *who, *action, *old_status, *new_status;
};

typedef int store_audit_fn(const struct store_audit *a, void *ctx);

/* The audit trail of one finding, oldest first. */
int store_audit(struct store *s, int64_t id, store_audit_fn *fn, void *ctx);

/* Counts of findings (matching filter) grouped by "rule", "folder" (the file's
 * folder) or "application" (Downloads, Desktop, a browser's cache, Telegram,
 * Viber, Zalo, ... from the path), largest first. */
typedef int store_count_fn(const char *key, uint64_t count, void *ctx);
int store_count(struct store *s, const struct store_filter *filter, const char *by, store_count_fn *fn, void *ctx);

/* Findings per day (UTC, "YYYY-MM-DD" of first seen) over the last days days. */
int store_count_per_day(struct store *s, const struct store_filter *filter, int days, store_count_fn *fn, void *ctx);

/* The application a path belongs to, as store_count() groups it. */
const char *store_application(const char *path);

#endif
