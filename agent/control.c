/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket (see control.h), on both ends: the agent listens and
 * checks peers; `piiguard status` connects and reads. A client is answered
 * at once and disconnected, so a slow or hostile one cannot hold the agent.
 */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "error.h"
#include "sandbox.h"

#define CONTROL_ENV    "PIIGUARD_CONTROL_SOCKET"
#define CONTROL_SYSTEM "/run/piiguard/control.sock"

int control_path(char *out, size_t size)
{
	const char *env = secure_getenv(CONTROL_ENV), *run = getenv("XDG_RUNTIME_DIR");
	int n;

	if (env && env[0])
		n = snprintf(out, size, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(out, size, "%s", CONTROL_SYSTEM);
	else if (run && run[0] == '/')
		n = snprintf(out, size, "%s/piiguard/control.sock", run);
	else
		return ERR_INVAL;
	return n > 0 && (size_t)n < size && (size_t)n < sizeof(((struct sockaddr_un *)NULL)->sun_path) ? 0 : ERR_INVAL;
}

static int make_address(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return ERR_INVAL;
	}
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

int control_listen(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	char dir[sizeof(sa.sun_path)];
	const struct group *gr = geteuid() == 0 ? getgrnam(SANDBOX_USER) : NULL;
	int fd;

	if (make_address(path, &sa) < 0)
		return ERR_INVAL;
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, gr ? 0750 : 0700) == 0 && gr && chown(dir, 0, gr->gr_gid) < 0)
			return ERR_IO;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			errno = EEXIST;
			return ERR_IO;
		}
		/* An agent answering there is running: do not take its place. */
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(fd);
			errno = EADDRINUSE;
			return ERR_IO;
		}
		if (fd >= 0)
			close(fd);
		unlink(path); /* left by an agent that did not stop cleanly */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return ERR_IO;
	mode_t old = umask(0117);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || (gr && chown(path, 0, gr->gr_gid) < 0) || chmod(path, gr ? 0660 : 0600) < 0 ||
	    listen(fd, 8) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return ERR_IO;
	}
	return fd;
}

/* Whether the peer may read the agent's state. */
static bool allowed(int fd, const struct ucred *cred)
{
	const struct group *gr;
	gid_t groups[256];
	socklen_t len = sizeof(groups);

	if (cred->uid == 0 || cred->uid == geteuid())
		return true;
	gr = getgrnam(SANDBOX_USER);
	if (!gr)
		return false;
	if (cred->gid == gr->gr_gid)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) == 0)
		for (size_t i = 0; i < len / sizeof(gid_t); i++)
			if (groups[i] == gr->gr_gid)
				return true;
	return false;
}

int control_accept(int listen_fd, long *ret_refused_uid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct timeval tv = {.tv_sec = 1};
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	*ret_refused_uid = -1;
	if (fd < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || !allowed(fd, &cred)) {
		*ret_refused_uid = len == sizeof(cred) ? (long)cred.uid : -2;
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

int control_query(const char *path, char *out, size_t size)
{
	struct sockaddr_un sa;
	size_t used = 0;
	int fd, rc = ERR_IO;

	out[0] = '\0';
	if (make_address(path, &sa) < 0)
		return ERR_IO;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ERR_IO;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = errno == ENOENT || errno == ECONNREFUSED ? ERR_NOTFOUND : ERR_IO;
		goto out;
	}
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 3000) <= 0) {
			errno = ETIMEDOUT;
			goto out;
		}
		ssize_t n = read(fd, out + used, size - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0 || (used += (size_t)n) >= size - 1)
			break;
	}
	out[used] = '\0';
	rc = used ? 0 : ERR_IO;
	if (!used)
		errno = ECONNRESET; /* refused: the agent closed without a word */
out:
	close(fd);
	return rc;
}
