/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of roots.c: XDG folder names read from user-dirs.dirs text
 * (Vietnamese names, the last line winning, names that leave the home
 * refused), and patterns expanded for one home folder: "~/", "{DOWNLOAD}"
 * from a user-dirs.dirs file, '*' matched against folders that exist, and a
 * missing root given as it is so it can be waited for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "roots.h"
#include "xdg.h"

static void xdg(const char *text, const char *key, const char *want)
{
	char out[256];

	xdg_user_dir(text, strlen(text), key, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_xdg_names(void **state)
{
	const char *dirs = "# written by xdg-user-dirs-update\n"
	                   "XDG_DESKTOP_DIR=\"$HOME/Màn hình nền\"\n"
	                   "XDG_DOWNLOAD_DIR=\"$HOME/Tải xuống\"\n"
	                   "XDG_DOCUMENTS_DIR=\"$HOME/Tài liệu/\"\n"
	                   "XDG_PICTURES_DIR=\"/etc\"\n"
	                   "XDG_MUSIC_DIR=\"$HOME/../root\"\n"
	                   "XDG_VIDEOS_DIR=\"$HOME/a/../../root\"\n"
	                   "XDG_TEMPLATES_DIR=\"$HOME/\"\n";

	(void)state;
	xdg(dirs, "DESKTOP", "Màn hình nền");
	xdg(dirs, "DOWNLOAD", "Tải xuống");
	xdg(dirs, "DOCUMENTS", "Tài liệu");
	xdg(dirs, "PICTURES", ""); /* outside the home */
	xdg(dirs, "MUSIC", "");
	xdg(dirs, "VIDEOS", "");
	xdg(dirs, "TEMPLATES", "");
	xdg(dirs, "PUBLICSHARE", "");
	xdg("XDG_DOWNLOAD_DIR=\"$HOME/A\"\nXDG_DOWNLOAD_DIR=\"$HOME/B\"", "DOWNLOAD", "B");
	xdg("XDG_DOWNLOAD_DIR=\"$HOME/unterminated\n", "DOWNLOAD", "");
	/* the same rules for the wipe's targets: blanks before, no "." part */
	xdg("  XDG_DOWNLOAD_DIR=\"$HOME/Tải xuống\"\n", "DOWNLOAD", "Tải xuống");
	xdg("XDG_DOWNLOAD_DIR=\"$HOME/./x\"\n", "DOWNLOAD", "");
	xdg("XDG_DOWNLOAD_DIR=\"$HOME/a\\b\"\n", "DOWNLOAD", "");
}

struct found {
	int n;
	char v[8][512];
};

static void collect(const char *path, void *ctx)
{
	struct found *f = ctx;

	if (f->n < 8)
		snprintf(f->v[f->n++], sizeof(f->v[0]), "%s", path);
}

static void test_expand(void **state)
{
	char home[256], path[1024];
	char patterns[4][CONFIG_PATTERN_MAX] = {"~/{DOWNLOAD}", "~/.cache/chromium/*/Cache", "~/Desktop", "/srv/x"};
	struct found f = {0};
	FILE *fp;

	(void)state;
	snprintf(home, sizeof(home), "%s/piiguard-test-roots.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(home));
	snprintf(path, sizeof(path), "%s/.config", home);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.config/user-dirs.dirs", home);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("XDG_DOWNLOAD_DIR=\"$HOME/Tải xuống\"\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "mkdir -p '%s/.cache/chromium/Default/Cache' '%s/.cache/chromium/Profile 1'", home,
	         home);
	assert_int_equal(system(path), 0);
	assert_int_equal(roots_expand_home((const char(*)[CONFIG_PATTERN_MAX])patterns, 4, home, collect, &f), 0);
	assert_int_equal(f.n, 4);
	snprintf(path, sizeof(path), "%s/Tải xuống", home);
	assert_string_equal(f.v[0], path);
	snprintf(path, sizeof(path), "%s/.cache/chromium/Default/Cache", home);
	assert_string_equal(f.v[1], path); /* Profile 1 has no Cache */
	snprintf(path, sizeof(path), "%s/Desktop", home);
	assert_string_equal(f.v[2], path); /* missing: given, to be waited for */
	assert_string_equal(f.v[3], "/srv/x");
	snprintf(path, sizeof(path), "rm -rf '%s'", home);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_xdg_names),
	        cmocka_unit_test(test_expand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
