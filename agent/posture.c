/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the posture checks share (see posture.h): the root prefix, the list of
 * accounts and their homes from the root's passwd file, and the order of the
 * checks. passwd is read as data from the tree, never through NSS, so a test
 * tree and the real machine are read the same way.
 */
#include "posture.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "inifile.h"

#define POSTURE_PASSWD_MAX (4u << 20) /* a passwd file past 4 MiB is not one */

int posture_path(const struct posture_options *o, const char *path, char *out, size_t size)
{
	const char *root = o->root && o->root[0] ? o->root : "/";
	size_t rlen = strlen(root);
	int n;

	while (rlen > 0 && root[rlen - 1] == '/')
		rlen--;
	n = snprintf(out, size, "%.*s%s%s", (int)rlen, root, path[0] == '/' ? "" : "/", path);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

void posture_homes(const struct posture_options *o, posture_home_fn *fn, void *ctx)
{
	char path[4096], *data = NULL, *save = NULL;
	size_t len;

	if (posture_path(o, "/etc/passwd", path, sizeof(path)) < 0 ||
	    inifile_read(AT_FDCWD, path, POSTURE_PASSWD_MAX, &data, &len) < 0)
		return;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* name:password:uid:gid:gecos:home:shell */
		char *field[7] = {0}, *p = line;
		int n = 0;
		for (; n < 7 && p; n++) {
			field[n] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		if (n < 6 || !field[0][0] || field[5][0] != '/')
			continue;
		char *end;
		unsigned long uid = strtoul(field[2], &end, 10);
		if (*end || (uid != 0 && (uid < 1000 || uid >= 65534)))
			continue;
		char home[4096];
		struct stat st;
		if (posture_path(o, field[5], home, sizeof(home)) < 0 || lstat(home, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		struct posture_home h = {.user = field[0], .uid = (unsigned)uid, .home = field[5]};
		fn(&h, ctx);
	}
	free(data);
}

#define POSTURE_DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)

int posture_open_dir(int dirfd, const char *rel)
{
	char buf[4096], *save = NULL;
	size_t n = strlen(rel);
	int fd;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, rel, n + 1);
	fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	for (char *c = strtok_r(buf, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		int next = strcmp(c, "..") != 0 ? openat(fd, c, POSTURE_DIR_FLAGS) : -1;
		close(fd);
		fd = next;
	}
	return fd;
}

int posture_open_below(const char *dir, const char *rel)
{
	int top = open(dir, POSTURE_DIR_FLAGS);

	if (top < 0)
		return -1;
	int fd = posture_open_dir(top, rel);
	close(top);
	return fd;
}

void posture_run(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	posture_remote_access(o, emit, ctx);
	posture_browsers(o, emit, ctx);
	posture_messaging(o, emit, ctx);
	posture_system(o, emit, ctx);
}
