/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Safe opening and walking of files that users control, for a scanner that
 * may run as root: symbolic links are never followed (not even a root given
 * on the command line), FIFOs, devices and sockets are never opened, every
 * file is opened O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC and checked with
 * fstat to be a regular file. Directories are walked with openat() from
 * descriptors, so renaming a folder mid-walk cannot redirect it.
 */
#ifndef PIIGUARD_FSAFE_H
#define PIIGUARD_FSAFE_H

#include <stdbool.h>
#include <sys/stat.h>

/* A regular file was opened: the callback owns fd (and closes it). path is
 * the root joined with the names below it. Return non-zero to stop the walk. */
typedef int fsafe_file_fn(int fd, const char *path, const struct stat *st, void *ctx);

/* A path could not be scanned: err is an ERR_* code, what a short reason. */
typedef void fsafe_error_fn(const char *path, int err, const char *what, void *ctx);

/* Open one regular file in dirfd (AT_FDCWD for a path) as above, fstat'ed into
 * *ret_st. Returns the descriptor, or ERR_IO (errno set) or ERR_UNSUPPORTED
 * (not a regular file: a link, FIFO, device, socket or folder). */
int fsafe_open(int dirfd, const char *name, struct stat *ret_st);

/*
 * Walk root: a regular file is given to on_file; a folder is walked
 * recursively (at most LIMIT_WALK_DEPTH deep). Links and special files below
 * the root are passed over in silence: they are not content of the target. A
 * root that is a link or a special file, an unreadable folder or file, and a
 * folder past the depth limit are reported to on_error and the walk goes on.
 * Returns 0, the callback's non-zero value, or ERR_IO when root itself could
 * not be looked at (it does not exist).
 */
int fsafe_walk(const char *root, fsafe_file_fn *on_file, fsafe_error_fn *on_error, void *ctx);

/* Whether the regular file at path must not even be opened (a program's own
 * SQLite store: closing any descriptor of it drops the process's locks on
 * it, and another process may then take its journal for abandoned). */
typedef bool fsafe_skip_fn(const char *path, void *ctx);

/* fsafe_walk(), passing over the files skip (may be NULL) names without
 * opening them. */
int fsafe_walk_skipping(const char *root, fsafe_skip_fn *skip, fsafe_file_fn *on_file, fsafe_error_fn *on_error,
                        void *ctx);

/* Make the missing folders above path (not path itself), mode 0700, for the
 * store and the key: what only root or their owner may read. Returns 0 or
 * ERR_IO (errno set). */
int fsafe_make_parents(const char *path);

#endif
