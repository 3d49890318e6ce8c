/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recursive inotify watching (see watch.h). A table maps watch descriptors to
 * folder paths; a folder is opened without following links (openat2 with
 * RESOLVE_NO_SYMLINKS where the kernel has it) and its watch is added through
 * /proc/self/fd, so the watch is on the folder that was opened, not on what
 * its path names a moment later. Events name files by the folder's path and
 * the entry's name; nothing here reads a file.
 */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "limits.h"
#include "text.h"

#define WATCH_MASK                                                                                                     \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF |        \
	 IN_ONLYDIR | IN_EXCL_UNLINK)

struct node {
	struct node *hnext;
	int wd;
	int root;            /* index of the root it belongs to; -1: only a waiting root's parent */
	bool waiting_parent; /* a root below it is missing: its new folders are looked at */
	char path[];
};

struct root {
	char *path;
	enum watch_root_state state;
};

struct watch {
	int fd;
	struct node **table;
	size_t buckets, n;
	struct root *roots;
	size_t n_roots;
	char (*excludes)[CONFIG_PATTERN_MAX];
	unsigned n_excludes;
	struct watch_callbacks cb;
	void *ctx;
	bool enospc_logged;
	size_t max_watches; /* tests: fail with ENOSPC past this many (0: the kernel decides) */
};

/* Open a folder by an absolute path with no link anywhere in it. */
int watch_open_dir(const char *path)
{
	struct open_how how = {
	        .flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
	        .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS)
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return (int)fd;
}

static void log_path(struct watch *w, const char *before, const char *path, const char *after)
{
	char esc[4096], msg[4400];

	if (!w->cb.log)
		return;
	text_escape(path, strlen(path), esc, sizeof(esc));
	snprintf(msg, sizeof(msg), "%s%s%s", before, esc, after);
	w->cb.log(w->ctx, msg);
}

/* --- the table of watched folders -------------------------------------------- */

static struct node **slot_of(const struct watch *w, int wd)
{
	struct node **pn = &w->table[(unsigned)wd & (w->buckets - 1)];

	while (*pn && (*pn)->wd != wd)
		pn = &(*pn)->hnext;
	return pn;
}

static int grow(struct watch *w)
{
	size_t buckets = w->buckets ? w->buckets * 2 : 256;
	struct node **table = calloc(buckets, sizeof(*table));

	if (!table)
		return ERR_NOMEM;
	for (size_t i = 0; i < w->buckets; i++) {
		struct node *n = w->table[i];
		while (n) {
			struct node *next = n->hnext;
			n->hnext = table[(unsigned)n->wd & (buckets - 1)];
			table[(unsigned)n->wd & (buckets - 1)] = n;
			n = next;
		}
	}
	free(w->table);
	w->table = table;
	w->buckets = buckets;
	return 0;
}

/* Record wd as path (root -1 keeps a tree node's root). */
static struct node *node_set(struct watch *w, int wd, const char *path, int root)
{
	struct node **pn = slot_of(w, wd), *old = *pn, *n;
	size_t len = strlen(path);

	if (old && strcmp(old->path, path) == 0) {
		if (root >= 0)
			old->root = root;
		return old;
	}
	if (!old && w->n + 1 > 2 * w->buckets) {
		if (grow(w) < 0)
			return NULL;
		pn = slot_of(w, wd);
	}
	n = malloc(sizeof(*n) + len + 1);
	if (!n)
		return NULL;
	memcpy(n->path, path, len + 1);
	n->wd = wd;
	n->root = root >= 0 ? root : old ? old->root : -1;
	n->waiting_parent = old && old->waiting_parent;
	n->hnext = old ? old->hnext : NULL;
	*pn = n;
	if (old)
		free(old); /* the folder was renamed: the same watch, a new path */
	else
		w->n++;
	return n;
}

static void node_drop(struct watch *w, struct node **pn, bool rm)
{
	struct node *n = *pn;

	if (rm)
		inotify_rm_watch(w->fd, n->wd);
	*pn = n->hnext;
	free(n);
	w->n--;
}

static bool below(const char *path, const char *prefix, size_t plen)
{
	return strncmp(path, prefix, plen) == 0 && (path[plen] == '\0' || path[plen] == '/');
}

/* Drop the watches of folder and every folder below it. */
static void drop_subtree(struct watch *w, const char *folder)
{
	char *prefix = strdup(folder);

	if (!prefix)
		return;
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < w->buckets; i++) {
		struct node **pn = &w->table[i];
		while (*pn) {
			if (below((*pn)->path, prefix, plen))
				node_drop(w, pn, true);
			else
				pn = &(*pn)->hnext;
		}
	}
	for (size_t r = 0; r < w->n_roots; r++)
		if (below(w->roots[r].path, prefix, plen))
			w->roots[r].state = WATCH_ROOT_WAITING;
	free(prefix);
}

bool watch_excluded(const struct watch *w, const char *path)
{
	for (unsigned i = 0; i < w->n_excludes; i++)
		if (fnmatch(w->excludes[i], path, 0) == 0)
			return true;
	return false;
}

/* --- adding folders ------------------------------------------------------------- */

/* Watch the open folder dfd, known as path. Returns its node, or NULL. */
static struct node *add_one(struct watch *w, int dfd, const char *path, int root)
{
	char proc[64];
	int wd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dfd);
	if (w->max_watches && w->n >= w->max_watches) {
		wd = -1;
		errno = ENOSPC; /* as the kernel says it past fs.inotify.max_user_watches */
	} else {
		wd = inotify_add_watch(w->fd, proc, WATCH_MASK);
		if (wd < 0 && errno == ENOENT) /* no /proc: the path, without following a last link */
			wd = inotify_add_watch(w->fd, path, WATCH_MASK | IN_DONT_FOLLOW);
	}
	if (wd < 0) {
		if (errno == ENOSPC && root >= 0) {
			w->roots[root].state = WATCH_ROOT_LIMITED;
			if (!w->enospc_logged)
				log_path(w, "out of inotify watches at ", path,
				         " (raise fs.inotify.max_user_watches): its root is rescanned periodically "
				         "instead");
			w->enospc_logged = true;
		}
		return NULL;
	}
	return node_set(w, wd, path, root);
}

/* Watch path and the folders below it; with report, its files are given to
 * the caller (a folder new since the last look). */
static void add_tree(struct watch *w, const char *path, int root, bool report, unsigned depth)
{
	int dfd;
	DIR *d;
	struct dirent *e;
	size_t plen = strlen(path);

	if (depth > LIMIT_WALK_DEPTH || watch_excluded(w, path))
		return;
	dfd = watch_open_dir(path);
	if (dfd < 0)
		return;
	add_one(w, dfd, path, root);
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t nlen = strlen(e->d_name);
		char *child = malloc(plen + nlen + 2);
		if (!child)
			break;
		memcpy(child, path, plen);
		child[plen] = '/';
		memcpy(child + plen + 1, e->d_name, nlen + 1);
		unsigned char type = e->d_type;
		struct stat st;
		if (type == DT_UNKNOWN && fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		if (type == DT_DIR)
			add_tree(w, child, root, report, depth + 1);
		else if (type == DT_REG && report && !watch_excluded(w, child))
			w->cb.file(w->ctx, child, false);
		free(child);
	}
	closedir(d);
}

/* Watch the nearest existing folder above path for new folders. Returns the
 * length of its path, or 0 when none could be watched. */
static size_t watch_parent(struct watch *w, const char *path)
{
	char *parent = strdup(path);
	size_t len = 0;

	if (!parent)
		return 0;
	for (char *slash; (slash = strrchr(parent, '/')) != NULL;) {
		if (slash == parent)
			slash[1] = '\0';
		else
			*slash = '\0';
		int dfd = watch_open_dir(parent);
		if (dfd >= 0) {
			struct node *n = add_one(w, dfd, parent, -1);
			if (n) {
				n->waiting_parent = true;
				len = strlen(parent);
			}
			close(dfd);
			break;
		}
		if (strcmp(parent, "/") == 0)
			break;
	}
	free(parent);
	return len;
}

/* Roots that are missing: watched now if they appeared, else their nearest
 * existing parent is watched for new folders. */
static void try_waiting(struct watch *w, bool report)
{
	for (size_t r = 0; r < w->n_roots; r++) {
		struct root *rt = &w->roots[r];
		struct stat st;
		if (rt->state != WATCH_ROOT_WAITING)
			continue;
		for (unsigned tries = 0; tries < LIMIT_WALK_DEPTH; tries++) {
			if (lstat(rt->path, &st) == 0 && S_ISDIR(st.st_mode)) {
				rt->state = WATCH_ROOT_WATCHED;
				add_tree(w, rt->path, (int)r, report,
				         0); /* with report: what was there before the watch */
				break;
			}
			size_t len = watch_parent(w, rt->path);
			/* A folder made below that parent between the look and the
			 * watch gave no event: look again when it is there. */
			const char *next = len ? strchr(rt->path + len + (len > 1), '/') : NULL;
			char *child =
			        len ? strndup(rt->path, next ? (size_t)(next - rt->path) : strlen(rt->path)) : NULL;
			bool appeared = child && lstat(child, &st) == 0 && S_ISDIR(st.st_mode);
			free(child);
			if (!appeared)
				break;
		}
	}
}

/* --- the public side --------------------------------------------------------------- */

int watch_new(const char (*excludes)[CONFIG_PATTERN_MAX], unsigned n_excludes, const struct watch_callbacks *cb,
              void *ctx, struct watch **ret)
{
	struct watch *w = calloc(1, sizeof(*w));

	*ret = NULL;
	if (!w || grow(w) < 0)
		goto nomem;
	if (n_excludes) {
		w->excludes = calloc(n_excludes, sizeof(*w->excludes));
		if (!w->excludes)
			goto nomem;
		memcpy(w->excludes, excludes, n_excludes * sizeof(*w->excludes));
		w->n_excludes = n_excludes;
	}
	w->cb = *cb;
	w->ctx = ctx;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		int e = errno;
		watch_free(w);
		errno = e;
		return ERR_IO;
	}
	*ret = w;
	return 0;
nomem:
	if (w) {
		w->fd = -1;
		watch_free(w);
	}
	return ERR_NOMEM;
}

static void clear(struct watch *w)
{
	for (size_t i = 0; i < w->buckets; i++)
		while (w->table[i])
			node_drop(w, &w->table[i], w->fd >= 0);
	for (size_t r = 0; r < w->n_roots; r++)
		free(w->roots[r].path);
	free(w->roots);
	w->roots = NULL;
	w->n_roots = 0;
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	if (w->table)
		clear(w);
	if (w->fd >= 0)
		close(w->fd);
	free(w->table);
	free(w->excludes);
	free(w);
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

int watch_set_roots(struct watch *w, char *const *paths, size_t n)
{
	clear(w);
	w->roots = calloc(n ? n : 1, sizeof(*w->roots));
	if (!w->roots)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		w->roots[i].path = strdup(paths[i]);
		if (!w->roots[i].path)
			return ERR_NOMEM;
		w->roots[i].state = WATCH_ROOT_WAITING;
		w->n_roots++;
	}
	try_waiting(w, false);
	return 0;
}

void watch_refresh(struct watch *w)
{
	for (size_t r = 0; r < w->n_roots; r++)
		if (w->roots[r].state != WATCH_ROOT_WAITING)
			add_tree(w, w->roots[r].path, (int)r, false, 0);
	try_waiting(w, true);
}

void watch_handle(struct watch *w)
{
	char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool overflow = false, retry = false;

	/* A bounded number of reads, so that a flood cannot keep the loop from
	 * the workers; what is left is read at the next turn. */
	for (int reads = 0; reads < 16; reads++) {
		ssize_t len = read(w->fd, buf, sizeof(buf));
		if (len <= 0)
			break;
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				overflow = true;
				continue;
			}
			struct node **pn = slot_of(w, ev->wd), *n = *pn;
			if (!n)
				continue;
			if (ev->mask & IN_IGNORED) { /* the folder is gone (or unmounted) */
				for (size_t r = 0; r < w->n_roots; r++)
					if (strcmp(w->roots[r].path, n->path) == 0) {
						w->roots[r].state = WATCH_ROOT_WAITING;
						retry = true;
					}
				node_drop(w, pn, false);
				continue;
			}
			bool is_dir = ev->mask & IN_ISDIR;
			if (n->waiting_parent && is_dir && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
				retry = true;
			if (n->root < 0)
				continue;
			if (!ev->len) {
				/* A root moved away: its watches would name the wrong paths. */
				if (ev->mask & IN_MOVE_SELF)
					for (size_t r = 0; r < w->n_roots; r++)
						if (strcmp(w->roots[r].path, n->path) == 0) {
							drop_subtree(w, w->roots[r].path);
							retry = true;
							break;
						}
				continue;
			}
			size_t plen = strlen(n->path), nlen = strnlen(ev->name, ev->len);
			char *child = malloc(plen + nlen + 2);
			if (!child)
				continue;
			memcpy(child, n->path, plen);
			child[plen] = '/';
			memcpy(child + plen + 1, ev->name, nlen);
			child[plen + 1 + nlen] = '\0';
			if (is_dir) {
				if (ev->mask & (IN_CREATE | IN_MOVED_TO))
					add_tree(w, child, n->root, true, 0);
				else if (ev->mask & IN_MOVED_FROM)
					drop_subtree(w, child);
			} else if (!watch_excluded(w, child)) {
				if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
					w->cb.file(w->ctx, child, false);
				else if (ev->mask & (IN_MODIFY | IN_CREATE))
					w->cb.file(w->ctx, child, true);
			}
			free(child);
		}
	}
	if (overflow) {
		if (w->cb.log)
			w->cb.log(w->ctx, "the kernel's event queue overflowed: rescanning");
		watch_refresh(w);
		if (w->cb.rescan)
			w->cb.rescan(w->ctx, NULL);
	} else if (retry) {
		try_waiting(w, true);
	}
}

void watch_roots(const struct watch *w, watch_root_fn *fn, void *ctx)
{
	for (size_t r = 0; r < w->n_roots; r++)
		fn(ctx, w->roots[r].path, w->roots[r].state);
}

size_t watch_count(const struct watch *w)
{
	return w->n;
}

void watch_limit(struct watch *w, size_t max)
{
	w->max_watches = max;
}
