/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Posture checks of a workstation against the directive: remote-access tools,
 * passwords saved in browsers (and the policy that forbids them), messaging
 * apps holding citizens' documents, and advice-level settings (swap, print
 * job files). Every check reads below a root folder ("/" on a real machine, a
 * fake tree in tests), never follows a link, never writes, and reports each
 * result through a callback; piiguard posture turns them into findings.
 */
#ifndef PIIGUARD_POSTURE_H
#define PIIGUARD_POSTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Rule ids of posture findings. */
#define POSTURE_REMOTE_ACCESS     "posture.remote_access"
#define POSTURE_BROWSER_PASSWORDS "posture.browser_passwords"
#define POSTURE_PASSWORD_POLICY   "posture.password_policy"
#define POSTURE_MESSAGING_APP     "posture.messaging_app"
#define POSTURE_SWAP              "posture.swap_unencrypted"
#define POSTURE_PRINT_JOBS        "posture.print_job_files"

struct posture_result {
	const char *rule;     /* one of the POSTURE_* ids */
	const char *label;    /* what the rule is about, for people */
	const char *subject;  /* what was found: "TeamViewer", "2 saved logins", "Telegram: 3 ID findings" */
	const char *path;     /* the evidence, as a path on the machine (without the root prefix) */
	const char *evidence; /* how it was seen: "package teamviewer installed", "unit enabled", ... */
	const char *remedy;   /* one line: what IT staff should do */
	const char *user;     /* the account concerned, or NULL for the machine */
	double confidence;    /* 1.0 for a fact, 0.5 for advice */
};

typedef void posture_emit_fn(const struct posture_result *r, void *ctx);

struct posture_options {
	const char *root;    /* the file system root to check: "/" or a test tree (no trailing slash needed) */
	struct store *store; /* for the ID findings inside messaging apps' folders; NULL: not counted */
	bool processes;      /* also look at running processes (root's /proc); off for test trees */
};

/* An account with a home folder, from <root>/etc/passwd: uid >= 1000 (and
 * below 65534) or root. */
struct posture_home {
	const char *user;
	unsigned uid;
	const char *home; /* as in passwd, e.g. "/home/kiosk" */
};

typedef void posture_home_fn(const struct posture_home *h, void *ctx);

/* Call fn for each account of <root>/etc/passwd with a home folder that exists
 * under root. */
void posture_homes(const struct posture_options *o, posture_home_fn *fn, void *ctx);

/* path joined below root ("/" root: path itself) into out. Returns 0 or -1
 * (too long). */
int posture_path(const struct posture_options *o, const char *path, char *out, size_t size);

/* Open the folder rel below dirfd one name at a time, none of them followed
 * if it is a link ("" gives a new descriptor of dirfd itself; ".." is
 * refused). Returns a descriptor or -1. */
int posture_open_dir(int dirfd, const char *rel);

/* The same below the folder dir (itself not a link). */
int posture_open_below(const char *dir, const char *rel);

/* The checks, one file each; each reports what it finds and never fails the
 * others (an unreadable file is passed over). */
void posture_remote_access(const struct posture_options *o, posture_emit_fn *emit, void *ctx);
void posture_browsers(const struct posture_options *o, posture_emit_fn *emit, void *ctx);
void posture_messaging(const struct posture_options *o, posture_emit_fn *emit, void *ctx);
void posture_system(const struct posture_options *o, posture_emit_fn *emit, void *ctx);

/* All of them, in that order. */
void posture_run(const struct posture_options *o, posture_emit_fn *emit, void *ctx);

#endif
