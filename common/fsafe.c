/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Safe open and walk (see fsafe.h). The walk is iterative, one open directory
 * stream per level, so its depth is bounded by LIMIT_WALK_DEPTH and not by
 * the stack. Paths are built only for reporting; every open is relative to a
 * descriptor already checked.
 */
#include "fsafe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "limits.h"

#define FSAFE_PATH_MAX 16384

int fsafe_open(int dirfd, const char *name, struct stat *ret_st)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno == ELOOP ? ERR_UNSUPPORTED : ERR_IO;
	if (fstat(fd, ret_st) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return ERR_IO;
	}
	if (!S_ISREG(ret_st->st_mode)) {
		close(fd);
		return ERR_UNSUPPORTED;
	}
	return fd;
}

struct level {
	DIR *dir;
	size_t path_len; /* length of the path of this folder */
};

static int open_dir(int dirfd, const char *name)
{
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
}

static int walk_dir(int rootfd, char *path, fsafe_skip_fn *skip, fsafe_file_fn *on_file, fsafe_error_fn *on_error,
                    void *ctx)
{
	struct level stack[LIMIT_WALK_DEPTH];
	size_t depth = 0;
	int rc = 0;

	stack[0].dir = fdopendir(rootfd);
	if (!stack[0].dir) {
		close(rootfd);
		on_error(path, ERR_IO, strerror(errno), ctx);
		return 0;
	}
	stack[0].path_len = strlen(path);
	depth = 1;
	while (depth > 0 && rc == 0) {
		struct level *lv = &stack[depth - 1];
		struct dirent *e;
		struct stat st;

		errno = 0;
		e = readdir(lv->dir);
		if (!e) {
			if (errno) {
				path[lv->path_len] = '\0';
				on_error(path, ERR_IO, strerror(errno), ctx);
			}
			closedir(lv->dir);
			depth--;
			continue;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t nlen = strlen(e->d_name);
		if (lv->path_len + 1 + nlen + 1 > FSAFE_PATH_MAX) {
			path[lv->path_len] = '\0';
			on_error(path, ERR_LIMIT, "path too long below this folder", ctx);
			continue;
		}
		path[lv->path_len] = '/';
		memcpy(path + lv->path_len + 1, e->d_name, nlen + 1);

		unsigned char type = e->d_type;
		if (type == DT_UNKNOWN) {
			if (fstatat(dirfd(lv->dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				on_error(path, ERR_IO, strerror(errno), ctx);
				continue;
			}
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
		}
		if (type == DT_DIR) {
			if (depth >= LIMIT_WALK_DEPTH) {
				on_error(path, ERR_LIMIT, "folder nested too deep, not scanned", ctx);
				continue;
			}
			int fd = open_dir(dirfd(lv->dir), e->d_name);
			DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
			if (!d) {
				if (fd >= 0)
					close(fd);
				/* Swapped for a link since readdir: not followed, not reported. */
				if (errno != ELOOP && errno != ENOTDIR)
					on_error(path, ERR_IO, strerror(errno), ctx);
				continue;
			}
			stack[depth].dir = d;
			stack[depth].path_len = lv->path_len + 1 + nlen;
			depth++;
		} else if (type == DT_REG) {
			if (skip && skip(path, ctx))
				continue;
			int fd = fsafe_open(dirfd(lv->dir), e->d_name, &st);
			if (fd == ERR_IO)
				on_error(path, ERR_IO, strerror(errno), ctx);
			else if (fd >= 0)
				rc = on_file(fd, path, &st, ctx);
		}
		/* Links, FIFOs, devices and sockets are not opened. */
	}
	while (depth > 0)
		closedir(stack[--depth].dir);
	return rc;
}

int fsafe_walk(const char *root, fsafe_file_fn *on_file, fsafe_error_fn *on_error, void *ctx)
{
	return fsafe_walk_skipping(root, NULL, on_file, on_error, ctx);
}

int fsafe_walk_skipping(const char *root, fsafe_skip_fn *skip, fsafe_file_fn *on_file, fsafe_error_fn *on_error,
                        void *ctx)
{
	struct stat st;
	char *path = NULL;
	int rc = 0, fd;

	if (lstat(root, &st) < 0)
		return ERR_IO;
	if (S_ISLNK(st.st_mode)) {
		on_error(root, ERR_UNSUPPORTED, "is a symbolic link, not followed", ctx);
		return 0;
	}
	if (S_ISREG(st.st_mode)) {
		if (skip && skip(root, ctx))
			return 0;
		fd = fsafe_open(AT_FDCWD, root, &st);
		if (fd < 0)
			on_error(root, fd, fd == ERR_IO ? strerror(errno) : "not a regular file", ctx);
		else
			rc = on_file(fd, root, &st, ctx);
		return rc;
	}
	if (!S_ISDIR(st.st_mode)) {
		on_error(root, ERR_UNSUPPORTED, "not a regular file or folder, not opened", ctx);
		return 0;
	}
	fd = open_dir(AT_FDCWD, root);
	if (fd < 0) {
		on_error(root, ERR_IO, strerror(errno), ctx);
		return 0;
	}
	path = malloc(FSAFE_PATH_MAX);
	if (!path) {
		close(fd);
		return ERR_NOMEM;
	}
	snprintf(path, FSAFE_PATH_MAX, "%s", root);
	/* "dir/" and "dir" give the same paths below. */
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	rc = walk_dir(fd, path, skip, on_file, on_error, ctx);
	free(path);
	return rc;
}

int fsafe_make_parents(const char *path)
{
	char dir[FSAFE_PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return ERR_IO;
	}
	memcpy(dir, path, len + 1);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return ERR_IO;
		*p = '/';
	}
	return 0;
}
