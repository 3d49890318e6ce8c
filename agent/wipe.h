/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The wipe engine: deletes trees that a kiosk user controls, as root or as
 * that user, without ever following a symbolic link, crossing a mount,
 * opening a FIFO, socket or device, or writing through a hard link. Every
 * directory is reached from a descriptor already checked (openat2 with
 * RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV, else O_NOFOLLOW and a
 * device and mount id check), the walk is iterative and holds at most
 * LIMIT_WIPE_OPEN_DIRS descriptors whatever the depth. Above it: the
 * quarantine of a home by rename into a root-only folder, its rebuild from a
 * skeleton, deletion in a child that dropped to the kiosk uid, and the media
 * policy (overwrite once, or unlink and FITRIM) with its reason. It reports
 * counts by category only, never a file name. cmd_wipe.c drives it.
 */
#ifndef PIIGUARD_WIPE_H
#define PIIGUARD_WIPE_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* What the removed things were, from the target catalogue (wipe_targets.c). */
enum wipe_category {
	WIPE_CAT_OTHER,
	WIPE_CAT_USER_FILES, /* Downloads, Documents, Desktop, Pictures, Videos (user-dirs.dirs) */
	WIPE_CAT_BROWSER,
	WIPE_CAT_MESSAGING,
	WIPE_CAT_KEYRING,
	WIPE_CAT_THUMBNAILS,
	WIPE_CAT_RECENT,
	WIPE_CAT_TRASH,
	WIPE_CAT_CACHE,
	WIPE_CAT_SEARCH,
	WIPE_CAT_CLIPBOARD,
	WIPE_CAT_OFFICE,
	WIPE_CAT_HISTORY,
	WIPE_CAT_ACCOUNTS,
	WIPE_CAT_AUTOSTART,
	WIPE_CAT_APP_DATA,
	WIPE_CAT_TEMP,  /* the account's files in /tmp, /var/tmp, /dev/shm */
	WIPE_CAT_PRINT, /* documents of the account's finished print jobs (CUPS spool) */
	WIPE_CAT_COUNT,
};

/* The category's name in reports and the store ("browser", "messaging", ...). */
const char *wipe_category_name(enum wipe_category c);

struct wipe_counts {
	uint64_t files, dirs, links, special, bytes;
};

/* What one or more walks did (or, in a dry run, would do). Plain data: a
 * child hands it to its parent through a pipe. */
struct wipe_stats {
	struct wipe_counts cat[WIPE_CAT_COUNT];  /* removed (or to be removed) */
	uint64_t overwritten, overwritten_bytes; /* files overwritten once before their unlink */
	uint64_t not_overwritten;                /* the policy said overwrite, but the file was shared (hard link),
	                             not the account's, not writable or changed: only unlinked */
	uint64_t mounts;                         /* mount points met and not crossed */
	uint64_t foreign;                        /* entries of another account, left in place */
	uint64_t immutable;                      /* entries the kernel refused to remove (immutable, append-only) */
	uint64_t too_deep;                       /* dry run: folders deeper than it counts */
	uint64_t errors;                         /* anything else that failed */
	uint64_t flattened;                      /* deep subtrees moved up to keep descriptors bounded */
	uint64_t changed;                        /* entries that changed under the walk and were looked at again */
	uint64_t kept;                           /* keep-list entries spared (targets) or carried over (reset-home) */
	bool stopped;                            /* LIMIT_WIPE_ENTRIES was reached */
};

/* Sum src into dst. */
void wipe_stats_add(struct wipe_stats *dst, const struct wipe_stats *src);

/* Count one entry (as lstat saw it) in c: a file with its size, a folder,
 * a link or a special file. */
struct stat;
void wipe_count(struct wipe_counts *c, const struct stat *sb);

/* Removed entries of every category together. */
struct wipe_counts wipe_stats_total(const struct wipe_stats *s);

enum wipe_media {
	WIPE_MEDIA_UNLINK,    /* unlink only (then FITRIM the file system) */
	WIPE_MEDIA_OVERWRITE, /* overwrite once with zeros, sync, then unlink */
};

/* Gives the category of a path relative to the walk's root ("" never
 * asked); *ret_final is set when no catalogue entry can match below it, so
 * that everything below inherits the answer without asking again. */
typedef enum wipe_category wipe_categorize_fn(const char *relpath, bool *ret_final, void *ctx);

/* One walk's settings. */
struct wipe_walk {
	uid_t uid;      /* entries of this owner are removed, folders of it entered */
	bool any_owner; /* enter folders of any owner (our own partial rebuild) */
	enum wipe_media media;
	bool dry_run;                   /* count, change nothing */
	enum wipe_category category;    /* of the root */
	wipe_categorize_fn *categorize; /* NULL: everything is category */
	void *categorize_ctx;
	const char *relpath;     /* the root's path relative to the home ("" for the home), for categorize */
	const char *const *keep; /* paths relative to the home left in place (their folders stay too) */
	unsigned n_keep;
};

/*
 * Delete everything below the directory dirfd (not dirfd itself), adding to
 * *st. dirfd must be an open directory (O_RDONLY); the walk never leaves its
 * device and mount. Returns 0 when the tree is gone (or, dry run, counted),
 * ERR_IO when something was left (counted in *st by reason) or ERR_LIMIT.
 */
int wipe_tree(int dirfd, const struct wipe_walk *w, struct wipe_stats *st);

/*
 * Open path (relative to dirfd, no ".." part) without following a symbolic
 * link in any component and without crossing a mount: openat2 with
 * RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS|RESOLVE_NO_XDEV,
 * or on kernels without it component by component with O_NOFOLLOW and a
 * device check. flags are added to O_CLOEXEC|O_NOFOLLOW|O_NOCTTY|O_NONBLOCK.
 * Returns the descriptor, or -1 with errno (ELOOP for a link, EXDEV for a
 * mount).
 */
int wipe_open_beneath(int dirfd, const char *path, int flags);

/* A directory stream over a duplicate of fd (fd stays the caller's), or
 * NULL with errno set. */
DIR *wipe_opendir(int fd);

/* The mount id of an open file (statx STATX_MNT_ID), 0 when unknown. */
uint64_t wipe_mount_id(int fd);

/* The media policy for the file system of fd, and why, in English. */
struct wipe_media_info {
	enum wipe_media media;
	char fs[16];    /* "ext4", "btrfs", "tmpfs", ... or "0x..." */
	int rotational; /* 1, 0, or -1 unknown */
	char why[200];
};

void wipe_media_detect(int fd, bool allow_overwrite, struct wipe_media_info *ret);

/* FITRIM the file system of fd (as root). Returns 0, or ERR_UNSUPPORTED (no
 * discard there) or ERR_IO. */
int wipe_fstrim(int fd);

/*
 * Run fn in a child that dropped to uid and gid for good (setgroups,
 * setresgid, setresuid, PR_SET_NO_NEW_PRIVS), so the kernel itself refuses
 * whatever that account could not do; the child's wipe_stats are added to
 * *st. Descriptors open in the caller are inherited. Returns fn's result
 * (0 or an ERR_*) or ERR_IO when the child could not run or died (then
 * counted in st->errors).
 */
typedef int wipe_child_fn(void *ctx, struct wipe_stats *st);
int wipe_as_user(uid_t uid, gid_t gid, wipe_child_fn *fn, void *ctx, struct wipe_stats *st);

/* --- an account ----------------------------------------------------------------- */

struct wipe_account {
	const char *name;
	uid_t uid;
	gid_t gid;
	const char *home; /* absolute, from the account database */
};

struct wipe_plan {
	bool targets; /* the catalogue's entries instead of the whole home */
	bool dry_run;
	bool allow_overwrite;    /* [wipe] media = auto */
	const char *skeleton;    /* reset-home: copied into the new home */
	const char *const *keep; /* paths below the home that survive */
	unsigned n_keep;
	const char *spool; /* the CUPS spool folder, or NULL/"" to leave print jobs alone */
};

struct wipe_report {
	struct wipe_stats stats;
	struct wipe_media_info media;
	const char *trim;    /* "done", "not supported", "failed", or NULL (not tried) */
	bool rebuilt;        /* reset-home: the new home is in place */
	const char *refused; /* a static reason the account was not wiped, or NULL */
};

/*
 * Wipe one account: check the anchor (the home's parent: root's, not
 * writable by others) and the home (a folder of the account, no mount below
 * it); reset-home quarantines the home by rename into PARENT/.piiguard-wipe
 * (root, 0700, same file system), rebuilds it from the skeleton there,
 * carries the keep list over and renames it into place, then deletes the
 * quarantined tree in a child running as the account. A home that is a
 * mount of its own is emptied in place by such a child instead, then filled
 * from the skeleton. targets mode deletes the catalogue's entries, in such a
 * child. All remove the account's entries of /tmp, /var/tmp and /dev/shm.
 * Idempotent: a run killed at any point is completed by the next (leftovers
 * of earlier runs in the quarantine are deleted first). Returns 0, or an
 * ERR_* with r->refused or the counts saying why.
 */
int wipe_account_run(const struct wipe_account *a, const struct wipe_plan *p, struct wipe_report *r);

/* Mount points at or below path (from /proc/self/mountinfo). Returns the
 * count, or -1 when mountinfo cannot be read. */
int wipe_mounts_below(const char *path);

/* --- the catalogue (wipe_targets.c) ------------------------------------------- */

/* The XDG user dirs of a home, relative to it, from .config/user-dirs.dirs
 * ("$HOME/..." values only; the English defaults for those not set). */
enum { WIPE_XDG_DESKTOP, WIPE_XDG_DOWNLOAD, WIPE_XDG_DOCUMENTS, WIPE_XDG_PICTURES, WIPE_XDG_VIDEOS, WIPE_XDG_COUNT };
struct wipe_xdg {
	char dir[WIPE_XDG_COUNT][256];
};

/* Read them from the home homefd (a file of the account, at most 16 KiB,
 * opened beneath without links); defaults where unreadable. */
void wipe_targets_xdg(int homefd, uid_t uid, struct wipe_xdg *ret);

/* The category of a path relative to a home, from the catalogue (a
 * wipe_categorize_fn; ctx is a struct wipe_xdg, or NULL for the defaults). */
enum wipe_category wipe_targets_category(const char *relpath, bool *ret_final, void *ctx);

/* Delete the catalogue's entries below the home homefd, but not the plan's
 * keep list, as the account (call it in wipe_as_user's child) or, dry run,
 * count them. Returns 0, or ERR_IO when something was left. */
int wipe_targets_run(int homefd, const struct wipe_account *a, const struct wipe_plan *p, enum wipe_media media,
                     struct wipe_stats *st);

/* Delete (dry run: count) the account's entries of /tmp, /var/tmp and
 * /dev/shm, each file system with its own media policy. */
int wipe_targets_temp(uid_t uid, bool dry_run, bool allow_overwrite, struct wipe_stats *st);

/* --- print jobs (wipe_targets.c) ---------------------------------------------- */

/* From a CUPS job control file (an IPP message, as cupsd writes c00042):
 * the job's job-originating-user-name into user (at most size - 1 bytes) and
 * its job-state (3 pending .. 9 completed) into *ret_state. Returns 0, or
 * ERR_FORMAT when the bytes are not such a message or lack either. */
int wipe_ipp_job(const unsigned char *data, size_t len, char *user, size_t size, int *ret_state);

/* Delete (dry run: count) the document files (dNNNNN-NNN) of the account's
 * finished jobs (canceled, aborted, completed) in the CUPS spool folder;
 * their control files stay for cupsd. As root. */
int wipe_targets_print(const char *spool, const char *user, bool dry_run, struct wipe_stats *st);

#endif
