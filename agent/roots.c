/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Watch roots from patterns (see roots.h). Called by the agent at start, on
 * reload and at each periodic rescan, so that a user created later, or a
 * browser profile made later, is picked up.
 */
#include "roots.h"

#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "error.h"
#include "xdg.h"

static const struct {
	const char *token, *key, *fallback;
} xdg_names[] = {
        {"{DESKTOP}", "DESKTOP", "Desktop"},
        {"{DOWNLOAD}", "DOWNLOAD", "Downloads"},
        {"{DOCUMENTS}", "DOCUMENTS", "Documents"},
        {"{PICTURES}", "PICTURES", "Pictures"},
};

/* The user's XDG folder for key, or its English default. */
static void xdg_folder(const char *home, const char *key, const char *fallback, char *out, size_t size)
{
	char path[4200], buf[XDG_USER_DIRS_MAX];
	int fd;
	struct stat st;
	ssize_t n = -1;

	snprintf(out, size, "%s", fallback);
	snprintf(path, sizeof(path), "%s/.config/user-dirs.dirs", home);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (off_t)sizeof(buf))
		n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0) {
		char name[1024];
		xdg_user_dir(buf, (size_t)n, key, name, sizeof(name));
		if (name[0])
			snprintf(out, size, "%s", name);
	}
}

/* A concrete pattern (no "~"): given as is, or matched when it has '*'. */
static void emit(const char *path, roots_fn *fn, void *ctx)
{
	glob_t g;

	if (!strpbrk(path, "*?[")) {
		fn(path, ctx);
		return;
	}
	if (glob(path, GLOB_NOSORT | GLOB_ONLYDIR | GLOB_NOESCAPE, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			fn(g.gl_pathv[i], ctx);
	}
	globfree(&g);
}

static void expand_home(const char *pattern, const char *home, roots_fn *fn, void *ctx)
{
	const char *rest = pattern + 2; /* after "~/" */
	char folder[1024], path[8192];

	for (size_t i = 0; i < sizeof(xdg_names) / sizeof(xdg_names[0]); i++) {
		size_t tn = strlen(xdg_names[i].token);
		if (strncmp(rest, xdg_names[i].token, tn) == 0) {
			xdg_folder(home, xdg_names[i].key, xdg_names[i].fallback, folder, sizeof(folder));
			snprintf(path, sizeof(path), "%s/%s%s", home, folder, rest + tn);
			emit(path, fn, ctx);
			return;
		}
	}
	snprintf(path, sizeof(path), "%s/%s", home, rest);
	emit(path, fn, ctx);
}

int roots_expand_home(const char (*patterns)[CONFIG_PATTERN_MAX], unsigned n, const char *home, roots_fn *fn, void *ctx)
{
	for (unsigned i = 0; i < n; i++) {
		if (strncmp(patterns[i], "~/", 2) == 0)
			expand_home(patterns[i], home, fn, ctx);
		else
			emit(patterns[i], fn, ctx);
	}
	return 0;
}

int roots_expand(const char (*patterns)[CONFIG_PATTERN_MAX], unsigned n, roots_fn *fn, void *ctx)
{
	for (unsigned i = 0; i < n; i++) {
		const char *pat = patterns[i];
		if (strncmp(pat, "~/", 2) != 0) {
			emit(pat, fn, ctx);
			continue;
		}
		if (geteuid() != 0) {
			const char *home = getenv("HOME");
			const struct passwd *pw = getpwuid(getuid());
			if ((!home || home[0] != '/') && pw)
				home = pw->pw_dir;
			if (home && home[0] == '/')
				expand_home(pat, home, fn, ctx);
			continue;
		}
		setpwent();
		for (const struct passwd *pw; (pw = getpwent()) != NULL;) {
			/* accounts of people: from 1000, not nobody */
			if (pw->pw_uid < 1000 || pw->pw_uid >= 65534 || !pw->pw_dir || pw->pw_dir[0] != '/' ||
			    strcmp(pw->pw_dir, "/") == 0)
				continue;
			expand_home(pat, pw->pw_dir, fn, ctx);
		}
		endpwent();
	}
	return 0;
}
