/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Watching the roots with inotify, recursively, with the known holes closed:
 * a new folder's files are reported right after its watch is added (files
 * written before the watch existed are not lost); a folder moved or deleted
 * drops its watches; a root that does not exist yet is waited for by
 * watching its nearest existing parent; a queue overflow asks for a rescan;
 * running out of watches (ENOSPC) is reported once and the root is rescanned
 * periodically instead. Links are never followed. Single-threaded: the
 * agent's event loop reads watch_fd() and calls watch_handle().
 */
#ifndef PIIGUARD_WATCH_H
#define PIIGUARD_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

struct watch;

struct watch_callbacks {
	/* A file to scan: writing is set while it may still be written (modified,
	 * created, not yet closed), so the caller waits for it to settle. */
	void (*file)(void *ctx, const char *path, bool writing);
	/* Files may have been missed below root (NULL: every root): rescan. */
	void (*rescan)(void *ctx, const char *root);
	/* Something to log once (a path in it already escaped). */
	void (*log)(void *ctx, const char *msg);
};

/* A watcher with exclusion patterns (fnmatch over the whole path; copied).
 * Returns 0, ERR_IO (no inotify: errno) or ERR_NOMEM. */
int watch_new(const char (*excludes)[CONFIG_PATTERN_MAX], unsigned n_excludes, const struct watch_callbacks *cb,
              void *ctx, struct watch **ret);

/* Remove every watch and free; NULL is a no-op. */
void watch_free(struct watch *w);

/* The descriptor to poll for input. */
int watch_fd(const struct watch *w);

/* Replace the roots with paths[0..n) (absolute). Folders are watched; files
 * already there are not reported (the caller's rescan reads them); missing
 * roots are waited for. Returns 0 or ERR_NOMEM. */
int watch_set_roots(struct watch *w, char *const *paths, size_t n);

/* Read and act on the pending events. */
void watch_handle(struct watch *w);

/* Retry roots still missing and add watches a lost event may have left out
 * (after an overflow, at a periodic rescan). */
void watch_refresh(struct watch *w);

/* Open a folder by its absolute path, following no link in it (openat2
 * RESOLVE_NO_SYMLINKS; O_NOFOLLOW on old kernels). Returns a descriptor
 * (O_CLOEXEC) or -1 (errno). */
int watch_open_dir(const char *path);

/* Whether path is excluded by a pattern. */
bool watch_excluded(const struct watch *w, const char *path);

enum watch_root_state {
	WATCH_ROOT_WATCHED, /* every folder below has a watch */
	WATCH_ROOT_WAITING, /* missing: its nearest parent is watched until it appears */
	WATCH_ROOT_LIMITED, /* out of inotify watches: rescanned periodically */
};

/* The roots and their states, for the status: fn for each. */
typedef void watch_root_fn(void *ctx, const char *path, enum watch_root_state state);
void watch_roots(const struct watch *w, watch_root_fn *fn, void *ctx);

/* Folders watched now. */
size_t watch_count(const struct watch *w);

/* Tests only: behave as if the kernel allowed max watches (0: no such limit). */
void watch_limit(struct watch *w, size_t max);

#endif
