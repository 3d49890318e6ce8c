/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The wipe engine (see wipe.h). wipe_tree() is the only code that deletes
 * under a kiosk home: an explicit stack of directory streams, each opened
 * from the one above with wipe_open_beneath() and checked with fstat (same
 * inode as looked at, same device and mount, the account's) before anything
 * in it is touched; entries are removed with unlinkat() on that descriptor.
 * A subtree deeper than the stack is renamed up to the walk's root and taken
 * from there, so depth costs no descriptors and no recursion. Overwriting
 * happens only under the media policy, only through a descriptor checked to
 * be a regular file of the account with one link. It never logs and never
 * names a file: callers get counts.
 */
#include "wipe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "limits.h"

#define QUARANTINE_NAME ".piiguard-wipe"
#define DEEP_PREFIX     ".piiguard-deep."
#define SKEL_DEPTH      16u    /* the skeleton is root's and small: deeper is a mistake */
#define SKEL_ENTRIES    10000u /* entries copied from the skeleton at most */
#define SKEL_FILE_BYTES (64u << 20)

static const char *const category_names[WIPE_CAT_COUNT] = {
        [WIPE_CAT_OTHER] = "other",         [WIPE_CAT_USER_FILES] = "user-files",
        [WIPE_CAT_BROWSER] = "browser",     [WIPE_CAT_MESSAGING] = "messaging",
        [WIPE_CAT_KEYRING] = "keyring",     [WIPE_CAT_THUMBNAILS] = "thumbnails",
        [WIPE_CAT_RECENT] = "recent-files", [WIPE_CAT_TRASH] = "trash",
        [WIPE_CAT_CACHE] = "cache",         [WIPE_CAT_SEARCH] = "search-index",
        [WIPE_CAT_CLIPBOARD] = "clipboard", [WIPE_CAT_OFFICE] = "office",
        [WIPE_CAT_HISTORY] = "history",     [WIPE_CAT_ACCOUNTS] = "online-accounts",
        [WIPE_CAT_AUTOSTART] = "autostart", [WIPE_CAT_APP_DATA] = "app-data",
        [WIPE_CAT_TEMP] = "temp",           [WIPE_CAT_PRINT] = "print-jobs",
};

const char *wipe_category_name(enum wipe_category c)
{
	return (unsigned)c < WIPE_CAT_COUNT ? category_names[c] : "other";
}

void wipe_stats_add(struct wipe_stats *dst, const struct wipe_stats *src)
{
	for (int i = 0; i < WIPE_CAT_COUNT; i++) {
		dst->cat[i].files += src->cat[i].files;
		dst->cat[i].dirs += src->cat[i].dirs;
		dst->cat[i].links += src->cat[i].links;
		dst->cat[i].special += src->cat[i].special;
		dst->cat[i].bytes += src->cat[i].bytes;
	}
	dst->overwritten += src->overwritten;
	dst->overwritten_bytes += src->overwritten_bytes;
	dst->not_overwritten += src->not_overwritten;
	dst->mounts += src->mounts;
	dst->foreign += src->foreign;
	dst->immutable += src->immutable;
	dst->too_deep += src->too_deep;
	dst->errors += src->errors;
	dst->flattened += src->flattened;
	dst->changed += src->changed;
	dst->kept += src->kept;
	dst->stopped = dst->stopped || src->stopped;
}

struct wipe_counts wipe_stats_total(const struct wipe_stats *s)
{
	struct wipe_counts t = {0};

	for (int i = 0; i < WIPE_CAT_COUNT; i++) {
		t.files += s->cat[i].files;
		t.dirs += s->cat[i].dirs;
		t.links += s->cat[i].links;
		t.special += s->cat[i].special;
		t.bytes += s->cat[i].bytes;
	}
	return t;
}

/* --- opening without following or crossing --------------------------------------- */

static bool no_openat2; /* the kernel has no openat2 (older than 5.6, or filtered) */

DIR *wipe_opendir(int fd)
{
	int d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	DIR *dir = d >= 0 ? fdopendir(d) : NULL;

	if (!dir && d >= 0) {
		int e = errno;
		close(d);
		errno = e;
	}
	return dir;
}

uint64_t wipe_mount_id(int fd)
{
	struct statx sx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) == 0 && (sx.stx_mask & STATX_MNT_ID))
		return sx.stx_mnt_id;
	return 0;
}

/* One component at a time, for kernels without openat2. */
static int open_by_components(int dirfd, const char *path, int flags)
{
	struct stat top, st;
	uint64_t mnt = wipe_mount_id(dirfd);
	int cur = dirfd, fd = -1;

	if (fstat(dirfd, &top) < 0)
		return -1;
	while (*path) {
		size_t len = strcspn(path, "/");
		char part[NAME_MAX + 1];
		bool last = path[len] == '\0';

		if (len > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(part, path, len);
		part[len] = '\0';
		fd = openat(cur, part, last ? flags : O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0) {
			/* A link where a folder was asked for: say so as openat2 does. */
			if (errno == ENOTDIR && fstatat(cur, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode))
				errno = ELOOP;
			goto fail;
		}
		if (fstat(fd, &st) < 0)
			goto fail_fd;
		if (st.st_dev != top.st_dev || (mnt && wipe_mount_id(fd) != mnt)) {
			errno = EXDEV;
			goto fail_fd;
		}
		if (cur != dirfd)
			close(cur);
		cur = fd;
		fd = -1;
		path += len;
		while (*path == '/')
			path++;
	}
	return cur == dirfd ? -1 : cur;
fail_fd : {
	int e = errno;
	close(fd);
	errno = e;
}
fail:
	if (cur != dirfd) {
		int e = errno;
		close(cur);
		errno = e;
	}
	return -1;
}

int wipe_open_beneath(int dirfd, const char *path, int flags)
{
	int base = (flags & O_PATH) ? O_CLOEXEC | O_NOFOLLOW : O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;

	/* ".." never leads anywhere we wipe; an absolute path is not beneath. */
	if (!path[0] || path[0] == '/') {
		errno = EINVAL;
		return -1;
	}
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			errno = EXDEV;
			return -1;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	if (!no_openat2) {
		struct open_how how = {
		        .flags = (uint64_t)(unsigned)(flags | base),
		        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
		};
		long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno != ENOSYS)
			return -1;
		no_openat2 = true;
	}
	return open_by_components(dirfd, path, flags | base);
}

/* Tests run the fallback too (declared here, not in the header: tests only). */
void wipe_test_without_openat2(bool off);
void wipe_test_without_openat2(bool off)
{
	no_openat2 = off;
}

/* --- the walk ------------------------------------------------------------------- */

enum { DONE, AGAIN };

struct frame {
	DIR *dir;
	int fd;
	enum wipe_category cat;
	bool cat_final; /* nothing below can change the category */
	bool first;     /* the first reading: what is left is counted once */
	bool pending;   /* files overwritten here wait for one syncfs, then their unlink */
	bool pass2;     /* reading again to unlink what was overwritten */
	size_t rel_len; /* its path's length in walker.rel, or SIZE_MAX: not tracked */
	char name[NAME_MAX + 1];
};

struct walker {
	const struct wipe_walk *w;
	struct wipe_stats *st;
	dev_t dev;
	uint64_t mnt;
	uid_t euid;
	struct frame *f;
	size_t depth, max;
	bool rescan; /* the root gained a subtree moved up from deep below */
	uint64_t entries, deep_seq;
	char rel[1024];
};

static const char zeros[1 << 20];

void wipe_count(struct wipe_counts *c, const struct stat *sb)
{
	if (S_ISREG(sb->st_mode)) {
		c->files++;
		c->bytes += (uint64_t)sb->st_size;
	} else if (S_ISLNK(sb->st_mode)) {
		c->links++;
	} else if (S_ISDIR(sb->st_mode)) {
		c->dirs++;
	} else {
		c->special++;
	}
}

/* The directory behind name has no rwx for its owner, who is us: give it
 * back through an O_PATH descriptor of the inode we checked. */
static int fix_access(const struct walker *k, int dirfd, const char *name, const struct stat *sb)
{
	char proc[64];
	struct stat ps;
	int fd, rc = -1;

	if (k->euid == 0 || sb->st_uid != k->euid)
		return -1;
	fd = wipe_open_beneath(dirfd, name, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &ps) == 0 && ps.st_ino == sb->st_ino && ps.st_dev == sb->st_dev && ps.st_uid == k->euid) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		rc = chmod(proc, (ps.st_mode & 07777) | 0700);
	}
	close(fd);
	return rc;
}

/* Move a subtree too deep for the stack up to the root, under a name that
 * keeps its category. */
static int flatten(struct walker *k, struct frame *f, const char *name, const struct stat *sb, enum wipe_category cat)
{
	char moved[96];

	snprintf(moved, sizeof(moved), DEEP_PREFIX "%d.%ld.%llu", (int)cat, (long)getpid(),
	         (unsigned long long)++k->deep_seq);
	for (int tries = 0; tries < 2; tries++) {
		if (renameat2(f->fd, name, k->f[0].fd, moved, RENAME_NOREPLACE) == 0) {
			k->st->flattened++;
			k->rescan = true;
			return DONE;
		}
		if (errno == ENOENT)
			return DONE;
		if (errno == EEXIST)
			return AGAIN;
		/* Moving a folder rewrites its "..": it must be writable. */
		if (errno != EACCES || fix_access(k, f->fd, name, sb) < 0)
			break;
	}
	if (errno == EXDEV || errno == EBUSY)
		k->st->mounts++;
	else
		k->st->errors++;
	return DONE;
}

/* The entry's category, and its path below the home in k->rel when that is
 * tracked (for the catalogue or the keep list). */
static void categorize(struct walker *k, const struct frame *f, const char *name, enum wipe_category *cat, bool *final,
                       size_t *rel_len)
{
	const struct wipe_walk *w = k->w;
	size_t nlen = strlen(name);

	*cat = f->cat;
	*final = f->cat_final;
	*rel_len = SIZE_MAX;
	if (k->depth == 1 && strncmp(name, DEEP_PREFIX, strlen(DEEP_PREFIX)) == 0) {
		long c = strtol(name + strlen(DEEP_PREFIX), NULL, 10);
		*cat = c > 0 && c < WIPE_CAT_COUNT ? (enum wipe_category)c : f->cat;
		*final = true;
		return;
	}
	bool want = (!f->cat_final && w->categorize) || w->n_keep > 0;
	if (!want || f->rel_len == SIZE_MAX || f->rel_len + 1 + nlen >= sizeof(k->rel))
		return;
	size_t at = f->rel_len;
	if (at > 0)
		k->rel[at++] = '/';
	memcpy(k->rel + at, name, nlen + 1);
	*rel_len = at + nlen;
	if (f->cat_final || !w->categorize)
		return;
	enum wipe_category c = w->categorize(k->rel, final, w->categorize_ctx);
	if (c != WIPE_CAT_OTHER)
		*cat = c;
}

/* Whether the entry just categorized (its path in k->rel) is on the keep list. */
static bool is_kept(const struct walker *k, size_t rel_len)
{
	if (rel_len == SIZE_MAX)
		return false;
	for (unsigned i = 0; i < k->w->n_keep; i++)
		if (strcmp(k->w->keep[i], k->rel) == 0)
			return true;
	return false;
}

static int enter(struct walker *k, struct frame *f, const char *name, const struct stat *sb, enum wipe_category cat,
                 bool final, size_t rel_len)
{
	const struct wipe_walk *w = k->w;
	struct wipe_stats *st = k->st;
	struct stat ds;
	int fd;

	if (sb->st_dev != k->dev) {
		st->mounts += f->first;
		return DONE;
	}
	if (!w->any_owner && sb->st_uid != w->uid) {
		st->foreign += f->first;
		return DONE;
	}
	if (k->depth >= k->max) {
		if (w->dry_run) {
			st->too_deep += f->first;
			return DONE;
		}
		return flatten(k, f, name, sb, cat);
	}
	fd = wipe_open_beneath(f->fd, name, O_RDONLY | O_DIRECTORY);
	if (fd < 0 && errno == EACCES && !w->dry_run && fix_access(k, f->fd, name, sb) == 0)
		fd = wipe_open_beneath(f->fd, name, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			return AGAIN; /* swapped for a link or a file since we looked */
		if (errno == EXDEV)
			st->mounts += f->first;
		else if (errno != ENOENT)
			st->errors += f->first;
		return DONE;
	}
	if (fstat(fd, &ds) < 0 || !S_ISDIR(ds.st_mode) || ds.st_ino != sb->st_ino || ds.st_dev != sb->st_dev ||
	    (!w->any_owner && ds.st_uid != w->uid)) {
		close(fd);
		return AGAIN;
	}
	if (k->mnt && wipe_mount_id(fd) != k->mnt) {
		close(fd);
		st->mounts += f->first;
		return DONE;
	}
	if (!w->dry_run && k->euid != 0 && ds.st_uid == k->euid && (ds.st_mode & 0700) != 0700)
		fchmod(fd, (ds.st_mode & 07777) | 0700);
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		st->errors += f->first;
		return DONE;
	}
	struct frame *c = &k->f[k->depth++];
	*c = (struct frame){.dir = d, .fd = fd, .cat = cat, .cat_final = final, .first = true, .rel_len = rel_len};
	memcpy(c->name, name, strlen(name) + 1);
	return DONE;
}

/* Overwrite a regular file once with zeros, through a descriptor checked to
 * be the file we looked at, the account's, with no other link. Returns 1
 * (overwritten: unlink it after the folder's sync), 0 (not overwritten:
 * just unlink it) or AGAIN's negative twin -1 (it changed). */
static int overwrite(struct walker *k, struct frame *f, const char *name, const struct stat *sb)
{
	struct stat fs;
	int fd;

	if (sb->st_nlink != 1 || sb->st_uid != k->w->uid || sb->st_dev != k->dev)
		return 0;
	fd = wipe_open_beneath(f->fd, name, O_WRONLY);
	if (fd < 0)
		return errno == ELOOP ? -1 : 0;
	if (fstat(fd, &fs) < 0 || !S_ISREG(fs.st_mode) || fs.st_ino != sb->st_ino || fs.st_dev != k->dev ||
	    fs.st_nlink != 1 || fs.st_uid != k->w->uid || (k->mnt && wipe_mount_id(fd) != k->mnt)) {
		bool changed = fs.st_ino != sb->st_ino;
		close(fd);
		return changed ? -1 : 0;
	}
	off_t at = 0;
	while (at < fs.st_size) {
		size_t n = (uint64_t)(fs.st_size - at) < sizeof(zeros) ? (size_t)(fs.st_size - at) : sizeof(zeros);
		ssize_t w = pwrite(fd, zeros, n, at);
		if (w <= 0) {
			close(fd);
			return 0;
		}
		at += w;
	}
	close(fd);
	k->st->overwritten++;
	k->st->overwritten_bytes += (uint64_t)fs.st_size;
	return 1;
}

/* Rename an overwritten file to random letters of the same length before its
 * unlink, so that its name (often a citizen's name or number) is written
 * over in the folder too. Returns whether it was renamed (to out). */
static bool scramble(int dirfd, const char *name, char *out)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[NAME_MAX];
	size_t len = strlen(name);

	if (len == 0 || len > NAME_MAX || getrandom(rnd, len, 0) != (ssize_t)len)
		return false;
	for (size_t i = 0; i < len; i++)
		out[i] = letters[rnd[i] % (sizeof(letters) - 1)];
	out[len] = '\0';
	return renameat2(dirfd, name, dirfd, out, RENAME_NOREPLACE) == 0;
}

static int remove_entry(struct walker *k, struct frame *f, const char *name, const struct stat *sb,
                        enum wipe_category cat)
{
	struct wipe_stats *st = k->st;

	if (k->w->dry_run) {
		wipe_count(&st->cat[cat], sb);
		return DONE;
	}
	if (S_ISREG(sb->st_mode) && k->w->media == WIPE_MEDIA_OVERWRITE && !f->pass2) {
		int r = overwrite(k, f, name, sb);
		if (r < 0)
			return AGAIN;
		if (r > 0) {
			f->pending = true;
			return DONE;
		}
		st->not_overwritten++;
	}
	char scrambled[NAME_MAX + 1];
	if (S_ISREG(sb->st_mode) && f->pass2 && scramble(f->fd, name, scrambled))
		name = scrambled;
	for (int tries = 0; tries < 2; tries++) {
		if (unlinkat(f->fd, name, 0) == 0) {
			wipe_count(&st->cat[cat], sb);
			return DONE;
		}
		if (errno != EACCES || k->euid == 0 || tries > 0)
			break;
		/* Our own folder without write permission: give it back and retry. */
		struct stat ds;
		if (fstat(f->fd, &ds) < 0 || ds.st_uid != k->euid || fchmod(f->fd, (ds.st_mode & 07777) | 0700) < 0)
			break;
	}
	switch (errno) {
	case ENOENT: return DONE;
	case EISDIR: return AGAIN; /* a folder now */
	case EBUSY: st->mounts += f->first; return DONE;
	case EPERM:
		if (sb->st_uid != k->euid && k->euid != 0)
			st->foreign += f->first; /* a sticky folder, someone else's entry */
		else
			st->immutable += f->first;
		return DONE;
	case EACCES: st->foreign += f->first; return DONE;
	default: st->errors += f->first; return DONE;
	}
}

static void entry(struct walker *k, struct frame *f, const char *name, unsigned char type)
{
	if (f->pass2 && type == DT_DIR)
		return;
	for (int tries = 0; tries < 4; tries++) {
		struct stat sb;
		enum wipe_category cat;
		bool final;
		size_t rel_len;
		int r;

		if (fstatat(f->fd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				k->st->errors += f->first;
			return;
		}
		categorize(k, f, name, &cat, &final, &rel_len);
		if (is_kept(k, rel_len)) {
			k->st->kept += f->first;
			return;
		}
		if (S_ISDIR(sb.st_mode)) {
			if (f->pass2)
				return;
			r = enter(k, f, name, &sb, cat, final, rel_len);
		} else {
			r = remove_entry(k, f, name, &sb, cat);
		}
		if (r == DONE)
			return;
		k->st->changed++;
	}
	k->st->errors++; /* it kept changing under us */
}

static void end_of_dir(struct walker *k)
{
	struct frame *f = &k->f[k->depth - 1];
	struct wipe_stats *st = k->st;

	if (f->pending) {
		/* The overwrites must reach the disk before the unlinks free their
		 * blocks, or the dirty pages are dropped unwritten. */
		if (syncfs(f->fd) < 0)
			st->errors++;
		f->pending = false;
		f->pass2 = true;
		f->first = false;
		rewinddir(f->dir);
		return;
	}
	if (k->depth == 1 && k->rescan) {
		k->rescan = false;
		f->pass2 = false;
		f->first = false;
		rewinddir(f->dir);
		return;
	}
	closedir(f->dir);
	k->depth--;
	if (k->depth == 0)
		return;
	struct frame *parent = &k->f[k->depth - 1];
	if (k->w->dry_run) {
		st->cat[f->cat].dirs++;
		return;
	}
	if (unlinkat(parent->fd, f->name, AT_REMOVEDIR) == 0) {
		st->cat[f->cat].dirs++;
		return;
	}
	switch (errno) {
	case ENOENT:
	case ENOTEMPTY:
	case EEXIST: break; /* what is left inside was counted with its reason */
	case EBUSY: st->mounts++; break;
	case EPERM: st->immutable++; break;
	default: st->errors++; break;
	}
}

/* Directories the walk may hold open: LIMIT_WIPE_OPEN_DIRS, or fewer when
 * the descriptor limit is low (a quarter of it stays for the rest). */
static size_t window(void)
{
	struct rlimit rl;
	size_t max = LIMIT_WIPE_OPEN_DIRS;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 4 * 3 < max)
		max = (size_t)(rl.rlim_cur / 4 * 3);
	return max < 8 ? 8 : max;
}

int wipe_tree(int dirfd, const struct wipe_walk *w, struct wipe_stats *st)
{
	struct walker k = {.w = w, .st = st, .euid = geteuid(), .max = window()};
	struct wipe_stats before = *st;
	struct stat rs;
	int rc = 0, fd;
	DIR *d;

	if (fstat(dirfd, &rs) < 0 || !S_ISDIR(rs.st_mode))
		return ERR_IO;
	k.dev = rs.st_dev;
	k.mnt = wipe_mount_id(dirfd);
	k.f = calloc(k.max, sizeof(*k.f));
	/* A descriptor of our own, so that rewinding does not move the caller's. */
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (!k.f || fd < 0) {
		if (fd >= 0)
			close(fd);
		free(k.f);
		return k.f ? ERR_IO : ERR_NOMEM;
	}
	if (!w->dry_run && k.euid != 0 && rs.st_uid == k.euid && (rs.st_mode & 0700) != 0700)
		fchmod(fd, (rs.st_mode & 07777) | 0700);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		free(k.f);
		return ERR_IO;
	}
	k.f[0] = (struct frame){.dir = d, .fd = fd, .cat = w->category, .cat_final = !w->categorize, .first = true};
	snprintf(k.rel, sizeof(k.rel), "%s", w->relpath ? w->relpath : "");
	k.f[0].rel_len = strlen(k.rel) + 1 < sizeof(k.rel) ? strlen(k.rel) : SIZE_MAX;
	k.depth = 1;
	while (k.depth > 0) {
		struct frame *f = &k.f[k.depth - 1];
		struct dirent *e;

		if (++k.entries > LIMIT_WIPE_ENTRIES) {
			st->stopped = true;
			rc = ERR_LIMIT;
			break;
		}
		errno = 0;
		e = readdir(f->dir);
		if (!e) {
			if (errno)
				st->errors += f->first;
			end_of_dir(&k);
			continue;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		entry(&k, f, e->d_name, e->d_type);
	}
	while (k.depth > 0)
		closedir(k.f[--k.depth].dir);
	free(k.f);
	if (rc == 0 &&
	    (st->mounts != before.mounts || st->foreign != before.foreign || st->immutable != before.immutable ||
	     st->errors != before.errors || st->too_deep != before.too_deep))
		rc = ERR_IO;
	return rc;
}

/* --- media policy ------------------------------------------------------------ */

/* Call fn for each line of /proc/self/mountinfo until it returns non-zero. */
static int each_mount(int (*fn)(char *line, void *ctx), void *ctx)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	if (!f)
		return -1;
	while (rc == 0 && getline(&line, &cap, f) > 0)
		rc = fn(line, ctx);
	free(line);
	fclose(f);
	return rc;
}

/* Field i (0-based, space-separated) of a mountinfo line, unescaped (\040
 * and friends) into out. Returns false when missing or too long. */
static bool mount_field(const char *line, int i, char *out, size_t size)
{
	const char *p = line;

	for (; i > 0 && p; i--) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return false;
	size_t n = 0;
	while (*p && *p != ' ' && *p != '\n') {
		char ch = *p++;
		if (ch == '\\' && p[0] >= '0' && p[0] <= '3' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' &&
		    p[2] <= '7') {
			ch = (char)((p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
			p += 3;
		}
		if (n + 1 >= size)
			return false;
		out[n++] = ch;
	}
	out[n] = '\0';
	return true;
}

struct below {
	const char *path;
	size_t len;
	int count;
};

static int count_below(char *line, void *ctx)
{
	struct below *b = ctx;
	char mp[4096];

	if (mount_field(line, 4, mp, sizeof(mp)) && strncmp(mp, b->path, b->len) == 0 &&
	    (mp[b->len] == '\0' || mp[b->len] == '/'))
		b->count++;
	return 0;
}

int wipe_mounts_below(const char *path)
{
	struct below b = {.path = path, .len = strlen(path)};

	while (b.len > 1 && path[b.len - 1] == '/')
		b.len--;
	if (each_mount(count_below, &b) < 0)
		return -1;
	return b.count;
}

struct super {
	unsigned major, minor;
	bool data_journal, found;
};

static int find_super(char *line, void *ctx)
{
	struct super *s = ctx;
	char dev[32];
	unsigned ma, mi;

	if (!mount_field(line, 2, dev, sizeof(dev)) || sscanf(dev, "%u:%u", &ma, &mi) != 2 || ma != s->major ||
	    mi != s->minor)
		return 0;
	const char *sep = strstr(line, " - ");
	s->found = true;
	s->data_journal = sep && strstr(sep, "data=journal") != NULL;
	return 1;
}

/* "1" or "0" from a sysfs file; -1 when absent. */
static int read_flag(const char *path)
{
	char buf[8] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC), n;

	if (fd < 0)
		return -1;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && (buf[0] == '0' || buf[0] == '1') ? buf[0] - '0' : -1;
}

void wipe_media_detect(int fd, bool allow_overwrite, struct wipe_media_info *r)
{
	static const struct {
		unsigned long magic;
		const char *name;
		bool in_place; /* blocks are rewritten where they are */
		bool memory;   /* nothing reaches a disk */
	} fss[] = {
	        {0xEF53, "ext4", true, false},         {0x4d44, "vfat", true, false},
	        {0x58465342, "xfs", false, false},     {0x9123683E, "btrfs", false, false},
	        {0x2FC12FC1, "zfs", false, false},     {0xF2F52010, "f2fs", false, false},
	        {0x794C7630, "overlay", false, false}, {0x01021994, "tmpfs", false, true},
	        {0x858458f6, "ramfs", false, true},    {0x2011BAB0, "exfat", false, false},
	        {0x7366746e, "ntfs3", false, false},   {0x65735546, "fuse", false, false},
	        {0x6969, "nfs", false, false},
	};
	struct statfs sf;
	struct stat st;
	bool in_place = false, memory = false, layered = false;
	char path[128];

	memset(r, 0, sizeof(*r));
	r->media = WIPE_MEDIA_UNLINK;
	r->rotational = -1;
	snprintf(r->fs, sizeof(r->fs), "unknown");
	if (fstatfs(fd, &sf) < 0 || fstat(fd, &st) < 0) {
		snprintf(r->why, sizeof(r->why), "the file system cannot be identified: unlink, then FITRIM");
		return;
	}
	snprintf(r->fs, sizeof(r->fs), "0x%lx", (unsigned long)sf.f_type);
	for (size_t i = 0; i < sizeof(fss) / sizeof(fss[0]); i++)
		if ((unsigned long)sf.f_type == fss[i].magic) {
			snprintf(r->fs, sizeof(r->fs), "%s", fss[i].name);
			in_place = fss[i].in_place;
			memory = fss[i].memory;
		}
	unsigned ma = major(st.st_dev), mi = minor(st.st_dev);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/rotational", ma, mi);
	r->rotational = read_flag(path);
	if (r->rotational < 0) { /* a partition: its disk holds the queue */
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../queue/rotational", ma, mi);
		r->rotational = read_flag(path);
	}
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/dm", ma, mi);
	layered = access(path, F_OK) == 0;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/md", ma, mi);
	layered = layered || access(path, F_OK) == 0;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/loop", ma, mi);
	layered = layered || access(path, F_OK) == 0;
	if (strcmp(r->fs, "ext4") == 0) {
		struct super s = {.major = ma, .minor = mi};
		each_mount(find_super, &s);
		if (s.data_journal) {
			snprintf(r->why, sizeof(r->why),
			         "ext4 with data=journal writes data twice, the journal copy is not overwritten: "
			         "unlink, "
			         "then FITRIM");
			return;
		}
	}
	if (memory)
		snprintf(r->why, sizeof(r->why), "%s holds files in memory only: unlink", r->fs);
	else if (!in_place)
		snprintf(r->why, sizeof(r->why),
		         "%s does not rewrite blocks in place (copy-on-write, log-structured or remote): an overwrite "
		         "would land elsewhere; unlink, then FITRIM",
		         r->fs);
	else if (layered)
		snprintf(r->why, sizeof(r->why),
		         "%s on a mapped, RAID or loop device whose layout is unknown: unlink, then FITRIM", r->fs);
	else if (r->rotational == 0)
		snprintf(r->why, sizeof(r->why),
		         "%s on a non-rotational disk (SSD or flash remaps every write): unlink, then FITRIM", r->fs);
	else if (r->rotational < 0)
		snprintf(r->why, sizeof(r->why), "%s on a disk of unknown kind: unlink, then FITRIM", r->fs);
	else if (!allow_overwrite)
		snprintf(r->why, sizeof(r->why),
		         "%s on a rotational disk, but [wipe] media = unlink: unlink, then FITRIM", r->fs);
	else {
		r->media = WIPE_MEDIA_OVERWRITE;
		snprintf(r->why, sizeof(r->why),
		         "%s on a rotational disk rewrites blocks in place: each file overwritten once with zeros, "
		         "synced, renamed, then unlinked",
		         r->fs);
	}
}

int wipe_fstrim(int fd)
{
	struct fstrim_range range = {.start = 0, .len = UINT64_MAX, .minlen = 0};

	if (ioctl(fd, FITRIM, &range) == 0)
		return 0;
	return errno == EOPNOTSUPP || errno == ENOTTY || errno == EINVAL ? ERR_UNSUPPORTED : ERR_IO;
}

/* --- a child as the account ------------------------------------------------------ */

/* All n bytes through fd: written when out, else read. */
static bool transfer(int fd, void *p, size_t n, bool out)
{
	char *c = p;
	while (n > 0) {
		ssize_t r = out ? write(fd, c, n) : read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		c += r;
		n -= (size_t)r;
	}
	return true;
}

int wipe_as_user(uid_t uid, gid_t gid, wipe_child_fn *fn, void *ctx, struct wipe_stats *st)
{
	struct wipe_stats cs = {0};
	int p[2], status;
	pid_t pid;

	if (uid == 0)
		return ERR_IO;
	if (pipe2(p, O_CLOEXEC) < 0) {
		st->errors++;
		return ERR_IO;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		st->errors++;
		return ERR_IO;
	}
	if (pid == 0) {
		int rc = ERR_IO;
		close(p[0]);
		if (setgroups(0, NULL) == 0 && setresgid(gid, gid, gid) == 0 && setresuid(uid, uid, uid) == 0 &&
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && setuid(0) < 0 && geteuid() == uid)
			rc = fn(ctx, &cs);
		_exit(transfer(p[1], &cs, sizeof(cs), true) ? -rc : 100);
	}
	close(p[1]);
	bool got = transfer(p[0], &cs, sizeof(cs), false);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			st->errors++;
			return ERR_IO;
		}
	if (!got || !WIFEXITED(status) || WEXITSTATUS(status) >= 100) {
		st->errors++; /* it could not drop privileges, or died: nothing is known */
		return ERR_IO;
	}
	wipe_stats_add(st, &cs);
	return -WEXITSTATUS(status);
}

/* --- an account --------------------------------------------------------------------- */

/* Open the folder holding a home, from "/", one component at a time without
 * following links: each must be root's and not writable by others (a sticky
 * folder is allowed above the last). */
static int open_anchor(const char *dir)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *p = dir;
	struct stat st;

	while (fd >= 0) {
		while (*p == '/')
			p++;
		bool last = !*p;
		if (fstat(fd, &st) < 0 || st.st_uid != 0 || ((st.st_mode & 022) && (last || !(st.st_mode & S_ISVTX)))) {
			close(fd);
			return -1;
		}
		if (last)
			return fd;
		size_t len = strcspn(p, "/");
		char part[NAME_MAX + 1];
		if (len > NAME_MAX) {
			close(fd);
			return -1;
		}
		memcpy(part, p, len);
		part[len] = '\0';
		int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p += len;
	}
	return -1;
}

/* A home path we are willing to act on: absolute, two components at least,
 * no "." or ".." or empty component, no trailing slash. */
static bool sane_home(const char *home, size_t *ret_slash)
{
	size_t len = strlen(home), parts = 0;

	if (len < 3 || home[0] != '/' || home[len - 1] == '/' || len >= 4096)
		return false;
	for (const char *p = home + 1; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		parts++;
		p += n;
		if (*p)
			p++;
	}
	*ret_slash = (size_t)(strrchr(home, '/') - home);
	return parts >= 2;
}

/* The root-only quarantine beside the homes. */
static int open_quarantine(int parentfd, const struct stat *ps)
{
	struct stat st;
	int fd;

	if (mkdirat(parentfd, QUARANTINE_NAME, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = wipe_open_beneath(parentfd, QUARANTINE_NAME, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != 0 || st.st_dev != ps->st_dev ||
	    ((st.st_mode & 077) && fchmod(fd, 0700) < 0)) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/* Remove name in dirfd, a folder of ours or of the account, with everything
 * below, as the caller is (root). */
static int remove_as_root(int dirfd, const char *name, uid_t uid, struct wipe_stats *st)
{
	struct wipe_walk w = {.uid = uid, .any_owner = true, .media = WIPE_MEDIA_UNLINK};
	int fd = wipe_open_beneath(dirfd, name, O_RDONLY | O_DIRECTORY), rc;

	if (fd < 0)
		return errno == ENOENT ? 0 : ERR_IO;
	rc = wipe_tree(fd, &w, st);
	close(fd);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = ERR_IO;
	return rc;
}

struct copy {
	uid_t uid;
	gid_t gid;
	unsigned entries;
};

static int copy_file(int sfd, int dfd, const char *name, const struct stat *ss, const struct copy *c)
{
	char buf[65536];
	struct stat fs;
	int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), out = -1, rc = ERR_IO;
	uint64_t total = 0;

	if (in < 0 || fstat(in, &fs) < 0 || !S_ISREG(fs.st_mode) || fs.st_ino != ss->st_ino)
		goto out;
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0 && errno == EEXIST) {
		rc = 0; /* a kept entry, or one the kernel refused to remove: it stays */
		goto out;
	}
	if (out < 0 || fchown(out, c->uid, c->gid) < 0)
		goto out;
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > SKEL_FILE_BYTES || !transfer(out, buf, (size_t)n, true))
			goto out;
	}
	rc = fchmod(out, fs.st_mode & 0777) < 0 ? ERR_IO : 0;
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/* Copy the skeleton folder sfd into dfd (created by us in the root-only
 * quarantine, so nobody else can touch it meanwhile), owned by the account.
 * The skeleton is root's and shallow: recursion to SKEL_DEPTH. */
static int copy_tree(int sfd, int dfd, struct copy *c, unsigned depth)
{
	int rc = 0;
	DIR *d = wipe_opendir(sfd);
	struct dirent *e;

	if (!d)
		return ERR_IO;
	while (rc == 0 && (e = readdir(d))) {
		struct stat ss;
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (++c->entries > SKEL_ENTRIES || fstatat(sfd, name, &ss, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = c->entries > SKEL_ENTRIES ? ERR_LIMIT : ERR_IO;
			break;
		}
		if (S_ISREG(ss.st_mode)) {
			rc = copy_file(sfd, dfd, name, &ss, c);
		} else if (S_ISDIR(ss.st_mode) && depth < SKEL_DEPTH) {
			int s2 = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), d2 = -1;
			if (s2 >= 0 && mkdirat(dfd, name, 0700) == 0)
				d2 = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			else if (s2 >= 0 && errno == EEXIST) {
				close(s2); /* already there: not ours to fill */
				continue;
			}
			if (d2 < 0 || fchown(d2, c->uid, c->gid) < 0)
				rc = ERR_IO;
			else
				rc = copy_tree(s2, d2, c, depth + 1);
			if (rc == 0 && fchmod(d2, ss.st_mode & 0777) < 0)
				rc = ERR_IO;
			if (s2 >= 0)
				close(s2);
			if (d2 >= 0)
				close(d2);
		} else if (S_ISLNK(ss.st_mode)) {
			char target[4096];
			ssize_t n = readlinkat(sfd, name, target, sizeof(target) - 1);
			if (n < 0)
				rc = ERR_IO;
			else {
				target[n] = '\0';
				if (symlinkat(target, dfd, name) < 0)
					rc = errno == EEXIST ? 0 : ERR_IO;
				else if (fchownat(dfd, name, c->uid, c->gid, AT_SYMLINK_NOFOLLOW) < 0)
					rc = ERR_IO;
			}
		}
		/* FIFOs, sockets and devices in a skeleton are not copied. */
	}
	closedir(d);
	return rc;
}

/* Copy the skeleton into the folder dfd, for the account (a missing skeleton
 * gives an empty home). Returns 0 or an ERR_*, with r->refused for a
 * skeleton we do not trust. */
static int fill(int dfd, const struct wipe_account *a, const struct wipe_plan *p, struct wipe_report *r)
{
	struct copy c = {.uid = a->uid, .gid = a->gid};
	int sfd = open(p->skeleton ? p->skeleton : "/etc/skel", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc;
	struct stat ss;

	if (sfd < 0)
		return errno == ENOENT ? 0 : ERR_IO;
	/* A skeleton others may change is not a skeleton. */
	if (fstat(sfd, &ss) < 0 || ss.st_uid != 0 || (ss.st_mode & 022)) {
		r->refused = "the skeleton folder is not root's, or others may write to it";
		rc = ERR_INVAL;
	} else {
		rc = copy_tree(sfd, dfd, &c, 0);
	}
	close(sfd);
	return rc;
}

/* Build the new home as NEW in the quarantine from the skeleton, carry the
 * keep list over from the quarantined OLD home (NULL: none), and rename it
 * into place. */
static int rebuild(int qfd, int parentfd, const char *name, const char *old, const struct wipe_account *a,
                   const struct wipe_plan *p, struct wipe_report *r)
{
	char fresh[64];
	int nfd = -1, rc = ERR_IO;

	snprintf(fresh, sizeof(fresh), "u%lu.new", (unsigned long)a->uid);
	if (remove_as_root(qfd, fresh, a->uid, &r->stats) < 0)
		return ERR_IO;
	if (mkdirat(qfd, fresh, 0700) < 0)
		return ERR_IO;
	nfd = wipe_open_beneath(qfd, fresh, O_RDONLY | O_DIRECTORY);
	if (nfd < 0 || fchown(nfd, a->uid, a->gid) < 0)
		goto out;
	if (fill(nfd, a, p, r) < 0)
		goto out;
	if (old) {
		int ofd = wipe_open_beneath(qfd, old, O_RDONLY | O_DIRECTORY);
		for (unsigned i = 0; ofd >= 0 && i < p->n_keep; i++) {
			const char *k = p->keep[i], *slash = strrchr(k, '/');
			char dir[256];
			struct stat ks;
			int from = ofd, to = nfd;
			if (slash) {
				snprintf(dir, sizeof(dir), "%.*s", (int)(slash - k), k);
				from = wipe_open_beneath(ofd, dir, O_RDONLY | O_DIRECTORY);
				to = wipe_open_beneath(nfd, dir, O_RDONLY | O_DIRECTORY);
			}
			const char *base = slash ? slash + 1 : k;
			if (from >= 0 && to >= 0 && fstatat(from, base, &ks, AT_SYMLINK_NOFOLLOW) == 0 &&
			    ks.st_uid == a->uid) {
				/* The skeleton's copy gives way to the account's own. */
				if (!S_ISDIR(ks.st_mode))
					unlinkat(to, base, 0);
				if (renameat2(from, base, to, base, RENAME_NOREPLACE) == 0)
					r->stats.kept++;
			}
			if (slash && from >= 0)
				close(from);
			if (slash && to >= 0)
				close(to);
		}
		if (ofd >= 0)
			close(ofd);
	}
	if (fchmod(nfd, 0700) < 0 || fsync(nfd) < 0)
		goto out;
	if (renameat2(qfd, fresh, parentfd, name, RENAME_NOREPLACE) < 0)
		goto out;
	r->rebuilt = true;
	rc = 0;
out:
	if (nfd >= 0)
		close(nfd);
	return rc;
}

struct tree_job {
	int fd;
	struct wipe_walk walk;
};

static int tree_child(void *ctx, struct wipe_stats *st)
{
	struct tree_job *j = ctx;
	return wipe_tree(j->fd, &j->walk, st);
}

struct targets_job {
	int homefd;
	const struct wipe_account *a;
	const struct wipe_plan *p;
	enum wipe_media media;
};

static int targets_child(void *ctx, struct wipe_stats *st)
{
	struct targets_job *j = ctx;
	return wipe_targets_run(j->homefd, j->a, j->p, j->media, st);
}

static int temp_child(void *ctx, struct wipe_stats *st)
{
	struct targets_job *j = ctx;
	return wipe_targets_temp(j->a->uid, j->p->dry_run, j->p->allow_overwrite, st);
}

/* Delete the account's quarantined homes (this run's and any a killed run
 * left), each in a child running as the account, then their empty top
 * folders as root. Returns 0, or ERR_IO when something is left. */
static int purge(int qfd, const struct wipe_account *a, enum wipe_media media, struct wipe_report *r)
{
	char prefix[32], names[16][NAME_MAX + 1];
	size_t n = 0, plen;
	int rc = 0;
	DIR *d = wipe_opendir(qfd);
	struct dirent *e;

	if (!d)
		return ERR_IO;
	plen = (size_t)snprintf(prefix, sizeof(prefix), "u%lu.", (unsigned long)a->uid);
	while ((e = readdir(d)) && n < sizeof(names) / sizeof(names[0])) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, plen) == 0 && len > 4 &&
		    (strcmp(e->d_name + len - 4, ".old") == 0 || strcmp(e->d_name + plen, "new") == 0))
			memcpy(names[n++], e->d_name, len + 1);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		struct wipe_xdg xdg;
		struct tree_job j = {
		        .walk = {.uid = a->uid,
		                 .media = media,
		                 .categorize = wipe_targets_category,
		                 .categorize_ctx = &xdg,
		                 .relpath = ""},
		};
		if (strcmp(names[i] + plen, "new") == 0) {
			/* A rebuild a killed run left: ours, removed as root. */
			if (remove_as_root(qfd, names[i], a->uid, &r->stats) < 0)
				rc = ERR_IO;
			continue;
		}
		j.fd = wipe_open_beneath(qfd, names[i], O_RDONLY | O_DIRECTORY);
		if (j.fd < 0) {
			rc = ERR_IO;
			continue;
		}
		struct stat st;
		wipe_targets_xdg(j.fd, a->uid, &xdg);
		if (fstat(j.fd, &st) == 0 && st.st_uid == a->uid) {
			if (wipe_as_user(a->uid, a->gid, tree_child, &j, &r->stats) < 0)
				rc = ERR_IO;
		} else if (wipe_tree(j.fd, &j.walk, &r->stats) < 0) {
			rc = ERR_IO; /* not the account's: only what it owns below goes */
		}
		close(j.fd);
		if (unlinkat(qfd, names[i], AT_REMOVEDIR) < 0)
			rc = ERR_IO;
	}
	return rc;
}

/* reset-home for a home that is a mount: its content deleted as the account
 * (the keep list stays), then the skeleton copied in as root. */
static int reset_in_place(int hfd, const struct wipe_account *a, const struct wipe_plan *p, struct wipe_report *r)
{
	struct wipe_xdg xdg;
	struct tree_job j = {
	        .fd = hfd,
	        .walk = {.uid = a->uid,
	                 .media = r->media.media,
	                 .categorize = wipe_targets_category,
	                 .categorize_ctx = &xdg,
	                 .relpath = "",
	                 .keep = p->keep,
	                 .n_keep = p->n_keep},
	};
	int rc;

	wipe_targets_xdg(hfd, a->uid, &xdg);
	rc = wipe_as_user(a->uid, a->gid, tree_child, &j, &r->stats);
	if (fill(hfd, a, p, r) < 0 || fchown(hfd, a->uid, a->gid) < 0 || fchmod(hfd, 0700) < 0) {
		if (!r->refused)
			r->refused = "cannot fill the home from the skeleton";
		return ERR_IO;
	}
	r->rebuilt = true;
	return rc;
}

int wipe_account_run(const struct wipe_account *a, const struct wipe_plan *p, struct wipe_report *r)
{
	char parent[4096], old[96];
	const char *name;
	size_t slash;
	struct stat ps, hs;
	int pfd = -1, qfd = -1, hfd = -1, rc = ERR_IO, mounts;
	bool have_home, mounted = false;
	struct targets_job tj = {.a = a, .p = p};

	memset(r, 0, sizeof(*r));
	if (a->uid < 1000 || !sane_home(a->home, &slash)) {
		r->refused = "not a kiosk account (uid below 1000, or a home that is not /SOMETHING/NAME)";
		return ERR_INVAL;
	}
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash ? slash : 1), a->home);
	name = a->home + slash + 1;
	pfd = open_anchor(parent);
	if (pfd < 0 || fstat(pfd, &ps) < 0) {
		r->refused = "the folder holding the home is not root's, or others may write to it";
		goto out;
	}
	have_home = fstatat(pfd, name, &hs, AT_SYMLINK_NOFOLLOW) == 0;
	if (!have_home && errno != ENOENT)
		goto out;
	if (have_home) {
		struct stat os;
		/* Not beneath: a home may be a mount of its own (tmpfs, the
		 * recommended kind); it is checked to be what we looked at. */
		hfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (!S_ISDIR(hs.st_mode) || hs.st_uid != a->uid || hfd < 0 || fstat(hfd, &os) < 0 ||
		    os.st_ino != hs.st_ino || os.st_dev != hs.st_dev) {
			r->refused = "the home is not a folder of the account";
			goto out;
		}
		mounted = hs.st_dev != ps.st_dev || wipe_mount_id(hfd) != wipe_mount_id(pfd);
	}
	mounts = wipe_mounts_below(a->home);
	if (mounts != (int)mounted) {
		r->refused = mounts < 0 ? "cannot read the mount table"
		                        : "a file system is mounted in the home: unmount it (the next run retries)";
		goto out;
	}
	wipe_media_detect(hfd >= 0 ? hfd : pfd, p->allow_overwrite, &r->media);
	tj.homefd = hfd;
	tj.media = r->media.media;
	if (p->dry_run) {
		rc = 0;
		if (hfd >= 0 && p->targets) {
			rc = wipe_targets_run(hfd, a, p, r->media.media, &r->stats);
		} else if (hfd >= 0) {
			struct wipe_xdg xdg;
			wipe_targets_xdg(hfd, a->uid, &xdg);
			struct wipe_walk w = {.uid = a->uid,
			                      .dry_run = true,
			                      .categorize = wipe_targets_category,
			                      .categorize_ctx = &xdg,
			                      .relpath = ""};
			rc = wipe_tree(hfd, &w, &r->stats);
		}
		if (temp_child(&tj, &r->stats) < 0 || wipe_targets_print(p->spool, a->name, true, &r->stats) < 0)
			rc = ERR_IO;
		goto out;
	}
	qfd = open_quarantine(pfd, &ps);
	if (qfd < 0) {
		r->refused = "cannot make the root-only quarantine folder beside the home";
		goto out;
	}
	rc = 0;
	if (p->targets) {
		if (hfd >= 0 && wipe_as_user(a->uid, a->gid, targets_child, &tj, &r->stats) < 0)
			rc = ERR_IO;
	} else if (mounted) {
		/* A mount cannot be renamed: emptied in place, then filled. */
		rc = reset_in_place(hfd, a, p, r);
	} else {
		old[0] = '\0';
		if (have_home) {
			snprintf(old, sizeof(old), "u%lu.%lld.%ld.old", (unsigned long)a->uid, (long long)time(NULL),
			         (long)getpid());
			close(hfd);
			hfd = -1;
			if (renameat2(pfd, name, qfd, old, RENAME_NOREPLACE) < 0) {
				r->refused = "cannot move the home into the quarantine";
				rc = ERR_IO;
				goto out;
			}
		}
		if (fstatat(pfd, name, &hs, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT &&
		    rebuild(qfd, pfd, name, old[0] ? old : NULL, a, p, r) < 0) {
			if (!r->refused)
				r->refused = "cannot rebuild the home from the skeleton";
			rc = ERR_IO;
		}
		if (purge(qfd, a, r->media.media, r) < 0)
			rc = ERR_IO;
	}
	if (wipe_as_user(a->uid, a->gid, temp_child, &tj, &r->stats) < 0)
		rc = ERR_IO;
	if (wipe_targets_print(p->spool, a->name, false, &r->stats) < 0)
		rc = ERR_IO;
	if (r->media.media == WIPE_MEDIA_UNLINK && strcmp(r->media.fs, "tmpfs") != 0 &&
	    strcmp(r->media.fs, "ramfs") != 0) {
		int t = wipe_fstrim(hfd >= 0 ? hfd : pfd);
		r->trim = t == 0 ? "done" : t == ERR_UNSUPPORTED ? "not supported by the device" : "failed";
	}
out:
	if (hfd >= 0)
		close(hfd);
	if (qfd >= 0)
		close(qfd);
	if (pfd >= 0)
		close(pfd);
	if (r->refused && rc == 0)
		rc = ERR_IO;
	return rc;
}
