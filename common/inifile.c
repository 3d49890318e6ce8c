/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Safe reading and listing of configuration files (see inifile.h). These are
 * files root reads at start-up, possibly in folders others can write to, so
 * a link or a FIFO planted there is refused rather than followed or opened.
 */
#include "inifile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

int inifile_read(int dirfd, const char *name, size_t limit, char **ret, size_t *ret_len)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	int fd, rc = ERR_IO, e = 0;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT ? ERR_NOTFOUND : errno == ELOOP ? ERR_UNSUPPORTED : ERR_IO;
	if (fstat(fd, &st) < 0) {
		e = errno;
		goto out;
	}
	rc = ERR_UNSUPPORTED;
	if (!S_ISREG(st.st_mode))
		goto out;
	rc = ERR_LIMIT;
	if ((unsigned long long)st.st_size > limit)
		goto out;
	rc = ERR_NOMEM;
	data = malloc((size_t)st.st_size + 1);
	if (!data)
		goto out;
	rc = ERR_IO;
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, data + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	data[len] = '\0';
	*ret = data;
	*ret_len = len;
	data = NULL;
	rc = 0;
out:
	free(data);
	close(fd);
	if (e)
		errno = e;
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

int inifile_list(const char *dir, const char *suffix, char (*names)[INIFILE_NAME_MAX], size_t max, size_t *ret_n,
                 int *ret_dirfd)
{
	size_t n = 0, slen = strlen(suffix);
	int dirfd, listfd, rc = 0;
	DIR *d;
	struct dirent *e;

	*ret_n = 0;
	*ret_dirfd = -1;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	listfd = dup(dirfd);
	d = listfd >= 0 ? fdopendir(listfd) : NULL;
	if (!d) {
		int err = errno;
		if (listfd >= 0)
			close(listfd);
		close(dirfd);
		errno = err;
		return ERR_IO;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len <= slen || len >= INIFILE_NAME_MAX || e->d_name[0] == '.' ||
		    strcmp(e->d_name + len - slen, suffix) != 0)
			continue;
		if (n == max) {
			rc = ERR_LIMIT;
			break;
		}
		memcpy(names[n++], e->d_name, len + 1);
	}
	closedir(d);
	if (rc < 0) {
		close(dirfd);
		return rc;
	}
	qsort(names, n, INIFILE_NAME_MAX, compare_names);
	*ret_n = n;
	*ret_dirfd = dirfd;
	return 0;
}
