/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One way to turn what was found in a file into store rows and forwarded
 * events, for `piiguard scan` (findings from its own threads) and the agent
 * (findings a worker sent): each identifier is masked and fingerprinted the
 * moment it is added, so the raw value never outlives the call; the file's
 * findings are kept (at most LIMIT_FILE_FINDINGS) until the file is done,
 * then recorded in one store transaction with the file's outcome, and the
 * new ones forwarded. The fingerprint key is the caller's and is only read.
 */
#ifndef PIIGUARD_RECORD_H
#define PIIGUARD_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "extract.h"
#include "forward.h"
#include "ipc.h"
#include "mask.h"
#include "store.h"

struct record_finding {
	char rule[IPC_RULE_MAX + 1];
	char label[IPC_LABEL_MAX + 1];
	const char *member; /* owned by the record_file, NULL for the file itself */
	const char *source; /* "text", "ocr", "qr", "mrz", or "metadata" for a coverage outcome (static) */
	char masked[DETECT_VALUE_MAX + 1];
	char fingerprint[MASK_FINGERPRINT_HEX + 1];
	double confidence;
	uint64_t line, offset;
};

/* The findings of one file while it is read. */
struct record_file {
	const unsigned char *key; /* MASK_KEY_BYTES, the caller's */
	char **members;           /* the member names of findings, owned */
	size_t n_members;
	const char *member;  /* of the current text run, NULL for the file itself */
	const char *source;  /* of the current text run (static): "text", "ocr", "qr", "mrz" */
	const char *outcome; /* the last coverage outcome, else NULL */
	struct record_finding *v;
	size_t n, cap;
	uint64_t dropped; /* past LIMIT_FILE_FINDINGS */
};

/* Start an empty record for a file, fingerprinting with key. */
void record_begin(struct record_file *r, const unsigned char *key);

/* The member the next values belong to ("" or NULL: the file itself); their
 * source is "text" until record_source() says otherwise. */
void record_member(struct record_file *r, const char *member);

/* Where the next values were read: source is a static string
 * (extract_source_name()). */
void record_source(struct record_file *r, const char *source);

/* Add an identifier of the current member: value[0..len) is masked (or shown
 * as shown, a static text that is never an identifier, when not NULL) and
 * fingerprinted here, and not kept. */
void record_value(struct record_file *r, const char *rule, const char *label, const char *value, size_t len,
                  const char *shown, double confidence, uint64_t line, uint64_t offset);

/* Add a finding an extractor made itself (an ID card image) about member,
 * leaving the current member and source as they were. */
void record_extract_finding(struct record_file *r, const char *member, const struct extract_finding *f);

/* Add a coverage outcome: a part of the file (member, NULL for the file) that
 * could not be read is a finding of its own, so nothing unread passes for clean. */
void record_coverage(struct record_file *r, const char *member, enum extract_coverage what, const char *detail);

/* The file's outcome for the store, from extract_file()'s return value and
 * what was added: "unreadable", "unsupported", a coverage outcome,
 * "findings" or "clean". */
const char *record_outcome(const struct record_file *r, int rc);

struct record_counts {
	uint64_t reported;     /* findings reported (new or seen before, not suppressed) */
	uint64_t suppressed;   /* marked false positives before */
	uint64_t store_errors; /* store writes that failed */
	uint64_t fresh;        /* identifiers not recorded before (coverage outcomes not counted) */
};

/* Called for each finding to report (not a known false positive). */
typedef void record_print_fn(const struct record_finding *f, void *ctx);

/*
 * Record the file's findings and outcome in store (NULL: not stored) under
 * scan_id and path stored (absolute), st and opened_ns as for
 * store_file_begin(); forward the new ones to fw (may be NULL); call print
 * (may be NULL) for each finding to report. Adds to *counts.
 */
void record_commit(struct record_file *r, struct store *store, struct forward *fw, int64_t scan_id, const char *stored,
                   const struct stat *st, int64_t opened_ns, const char *outcome, record_print_fn *print, void *ctx,
                   struct record_counts *counts);

/* Wipe and free what the record holds; it may be begun again. */
void record_end(struct record_file *r);

#endif
