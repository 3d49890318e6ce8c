/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of config.c: the defaults, a full valid file, every kind of
 * error reported with its file and line (all of them, not only the first),
 * the syntax of syslog addresses, the files it refuses to read, and drop-ins
 * applied in name order. Files are written to a fresh temporary folder, and
 * the default folder is pointed there with PIIGUARD_CONFIG_DIR, so no test
 * reads /etc/piiguard.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "error.h"

#define MAX_PROBLEMS 32

struct problems {
	int n;
	char file[MAX_PROBLEMS][512];
	int line[MAX_PROBLEMS];
	char msg[MAX_PROBLEMS][512];
};

static void on_error(const char *file, int line, const char *msg, void *ctx)
{
	struct problems *p = ctx;

	if (p->n == MAX_PROBLEMS)
		return;
	snprintf(p->file[p->n], sizeof(p->file[0]), "%s", file);
	p->line[p->n] = line;
	snprintf(p->msg[p->n], sizeof(p->msg[0]), "%s", msg);
	p->n++;
}

static char tmp_dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/piiguard-test-config.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp_dir))
		return -1;
	return setenv("PIIGUARD_CONFIG_DIR", tmp_dir, 1);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("PIIGUARD_CONFIG_DIR");
	return nftw(tmp_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write text to tmp_dir/name and return its path (in a static buffer). */
static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void make_dir(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	assert_int_equal(mkdir(path, 0700), 0);
}

/* Load text as one explicitly named file. */
static int load_text(const char *text, struct config *c, struct problems *p, char *ret_path, size_t size)
{
	const char *path = write_file("one.conf", text);

	snprintf(ret_path, size, "%s", path);
	memset(p, 0, sizeof(*p));
	return config_load(ret_path, c, on_error, p);
}

static void test_defaults(void **state)
{
	struct config c;
	struct problems p = {0};

	(void)state;
	config_defaults(&c);
	assert_string_equal(c.store_path, "");
	assert_string_equal(c.key_file, "");
	assert_true(c.min_confidence == 0.5);
	assert_true(c.journald);
	assert_string_equal(c.syslog, "");
	assert_int_equal(c.syslog_facility, 16);

	/* No piiguard.conf and no conf.d in the default folder: the defaults. */
	memset(&c, 0x55, sizeof(c));
	assert_int_equal(config_load(NULL, &c, on_error, &p), 0);
	assert_int_equal(p.n, 0);
	assert_true(c.journald);
	assert_true(c.min_confidence == 0.5);
	assert_string_equal(c.syslog, "");
	assert_string_equal(c.store_path, "");
}

static void test_full_file(void **state)
{
	struct config c;
	struct problems p;
	char path[512];

	(void)state;
	assert_int_equal(load_text("\xEF\xBB\xBF# piiguard configuration\n"
	                           "; a comment too\n"
	                           "\n"
	                           "[store]\n"
	                           "path = /var/lib/piiguard/other.db\n"
	                           "key=/etc/piiguard/key\r\n"
	                           "\n"
	                           "[scan]\n"
	                           "min_confidence = 0.75\n"
	                           "[forward]\n"
	                           "journald = No\n"
	                           "syslog = tcp://[2001:db8::1]:6514 ; the collector\n"
	                           "facility = local3\n",
	                           &c, &p, path, sizeof(path)),
	                 0);
	assert_int_equal(p.n, 0);
	assert_string_equal(c.store_path, "/var/lib/piiguard/other.db");
	assert_string_equal(c.key_file, "/etc/piiguard/key");
	assert_true(c.min_confidence == 0.75);
	assert_false(c.journald);
	assert_string_equal(c.syslog, "tcp://[2001:db8::1]:6514");
	assert_int_equal(c.syslog_facility, 19);

	/* Every spelling of a boolean, and the other forms of a syslog address. */
	static const struct {
		const char *text;
		bool journald;
	} bools[] = {{"yes", true}, {"true", true}, {"1", true}, {"no", false}, {"false", false}, {"0", false}};
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "[forward]\njournald = %s\n", bools[i].text);
		assert_int_equal(load_text(text, &c, &p, path, sizeof(path)), 0);
		assert_true(c.journald == bools[i].journald);
	}
	assert_int_equal(
	        load_text("[forward]\nsyslog = udp://127.0.0.1:514\nfacility = daemon\n", &c, &p, path, sizeof(path)),
	        0);
	assert_string_equal(c.syslog, "udp://127.0.0.1:514");
	assert_int_equal(c.syslog_facility, 3);
	assert_int_equal(load_text("[forward]\nsyslog = unix:/run/piiguard-syslog.sock\n[scan]\nmin_confidence = 1\n",
	                           &c, &p, path, sizeof(path)),
	                 0);
	assert_string_equal(c.syslog, "unix:/run/piiguard-syslog.sock");
	assert_true(c.min_confidence == 1.0);
	assert_true(c.ocr);
	assert_string_equal(c.ocr_languages, "vie+eng");
	assert_int_equal(
	        load_text("[scan]\nocr = no\nocr_languages = vie+eng+chi_sim+fas\n", &c, &p, path, sizeof(path)), 0);
	assert_false(c.ocr);
	assert_string_equal(c.ocr_languages, "vie+eng+chi_sim+fas");
	/* An empty value brings back the default. */
	assert_int_equal(load_text("[forward]\nsyslog =\n[store]\npath =\n", &c, &p, path, sizeof(path)), 0);
	assert_string_equal(c.syslog, "");
	assert_string_equal(c.store_path, "");
}

static void test_limits(void **state)
{
	struct config c;
	struct problems p;
	char path[512];

	(void)state;
	config_defaults(&c);
	assert_int_equal(c.limits.file_bytes, 100u << 20);
	assert_int_equal(c.limits.expanded_bytes, 400u << 20);
	assert_int_equal(c.limits.nesting, 17);
	assert_int_equal(c.limits.members, 10000);
	assert_int_equal(load_text("[limits]\nmax_file_size = 20M\nmax_scan_size = 1G\nmax_ratio = 50\n"
	                           "max_recursion = 4\nmax_files = 500\nmax_seconds = 5\n",
	                           &c, &p, path, sizeof(path)),
	                 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(c.limits.file_bytes, 20u << 20);
	assert_int_equal(c.limits.expanded_bytes, 1ull << 30);
	assert_int_equal(c.limits.ratio, 50);
	assert_int_equal(c.limits.nesting, 4);
	assert_int_equal(c.limits.members, 500);
	assert_int_equal(c.limits.seconds, 5);
	assert_int_equal(
	        load_text("[limits]\nmax_file_size = 4096\nmax_scan_size = 512k\n", &c, &p, path, sizeof(path)), 0);
	assert_int_equal(c.limits.file_bytes, 4096);
	assert_int_equal(c.limits.expanded_bytes, 512u << 10);
	assert_int_equal(c.limits.nesting, 17); /* the others keep their defaults */
}

/* Load text and expect exactly one problem, at line, whose message holds word. */
static void expect_one(const char *text, int line, const char *word)
{
	struct config c;
	struct problems p;
	char path[512];

	assert_int_equal(load_text(text, &c, &p, path, sizeof(path)), ERR_FORMAT);
	if (p.n != 1) {
		for (int i = 0; i < p.n; i++)
			print_error("problem %d: %s:%d: %s\n", i, p.file[i], p.line[i], p.msg[i]);
		fail_msg("expected one problem for:\n%s", text);
	}
	assert_string_equal(p.file[0], path);
	assert_int_equal(p.line[0], line);
	if (!strstr(p.msg[0], word))
		fail_msg("message \"%s\" does not mention \"%s\"", p.msg[0], word);
}

static void test_errors(void **state)
{
	char long_line[400];

	(void)state;
	expect_one("[scan]\n\nmin_confidence = 1.5\n", 3, "from 0 to 1");
	expect_one("[limits]\nmax_file_size = 2G\n", 2, "max_file_size must be a size from 1 to 1024M");
	expect_one("[limits]\nmax_recursion = 0\n", 2, "from 1 to 64");
	expect_one("[limits]\nmax_files = 99999999999999999999999\n", 2, "max_files must be");
	expect_one("[limits]\nmax_scan_size = 10 M\n", 2, "max_scan_size must be");
	expect_one("[limits]\nmax_seconds = -1\n", 2, "max_seconds must be");
	expect_one("[limits]\nmax_depth = 3\n", 2, "unknown key \"max_depth\" in [limits]");
	expect_one("[scan]\nmin_confidence = high\n", 2, "from 0 to 1");
	expect_one("[scan]\nmin_confidence = 0,5\n", 2, "from 0 to 1");
	expect_one("[scan]\nmin_confidence = -0.1\n", 2, "from 0 to 1");
	expect_one("[scan]\nocr_languages = ../../etc/x\n", 2, "language names joined by '+'");
	expect_one("[scan]\nocr_languages = vie++eng\n", 2, "language names joined by '+'");
	expect_one("[scan]\nocr = sometimes\n", 2, "yes, no");
	expect_one("[forward]\njournald = maybe\n", 2, "yes, no");
	expect_one("[forward]\n# c\nsyslog = http://collector:514\n", 3, "udp://HOST:PORT");
	expect_one("[forward]\nsyslog = tcp://collector\n", 2, "port");
	expect_one("[forward]\nsyslog = tcp://collector:0\n", 2, "port");
	expect_one("[forward]\nsyslog = tcp://collector:65536\n", 2, "port");
	expect_one("[forward]\nsyslog = udp://2001:db8::1:514\n", 2, "brackets");
	expect_one("[forward]\nsyslog = udp://300.1.2.3:514\n", 2, "IPv4");
	expect_one("[forward]\nsyslog = udp://bad_name.example:514\n", 2, "host name");
	expect_one("[forward]\nsyslog = unix:run/log.sock\n", 2, "absolute");
	expect_one("[forward]\nfacility = kern\n", 2, "local0");
	expect_one("[store]\npath = findings.db\n", 2, "absolute");
	expect_one("[forward]\njournald = yes\nsylsog = udp://127.0.0.1:514\n", 3, "unknown key \"sylsog\"");
	expect_one("[store]\n[wiper]\nusers = kiosk\nmore = keys\n[scan]\nmin_confidence = 0.5\n", 2,
	           "unknown section [wiper]");
	expect_one("journald = yes\n", 1, "outside a section");
	expect_one("[forward]\njournald = yes\nthis is not ini\n", 3, "KEY = VALUE");
	expect_one("[forward\njournald = yes\n", 1, "closing ]");
	/* inih would read an indented line after a key as more of its value. */
	expect_one("[forward]\nsyslog = udp://127.0.0.1:514\n  journald = no\n", 3, "indented");

	/* A line longer than inih's buffer, not cut into two lines. */
	memset(long_line, 'a', sizeof(long_line));
	memcpy(long_line, "[store]\npath = /", 16);
	memcpy(long_line + 16 + 200, "\nkey = /k\n", 11);
	expect_one(long_line, 2, "longer than 199 bytes");

	/* The longest line that fits is fine. */
	struct config c;
	struct problems p;
	char path[512], text[300];
	snprintf(text, sizeof(text), "[store]\npath = /%0*d\n", 199 - 8, 0);
	assert_int_equal(strlen(strchr(text, '\n') + 1), 200);
	assert_int_equal(load_text(text, &c, &p, path, sizeof(path)), 0);
	assert_int_equal(strlen(c.store_path), 199 - 7);
}

static void test_every_error_reported(void **state)
{
	struct config c;
	struct problems p;
	char path[512];

	(void)state;
	assert_int_equal(load_text("[scan]\n"                         /* 1 */
	                           "min_confidence = 2\n"             /* 2 */
	                           "[forward]\n"                      /* 3 */
	                           "journald = si\n"                  /* 4 */
	                           "syslog = tcp://127.0.0.1:99999\n" /* 5 */
	                           "colour = blue\n"                  /* 6 */
	                           "facility = local0\n"              /* 7 */
	                           "[later]\n",                       /* 8 */
	                           &c, &p, path, sizeof(path)),
	                 ERR_FORMAT);
	assert_int_equal(p.n, 5);
	const int lines[] = {2, 4, 5, 6, 8};
	for (int i = 0; i < 5; i++) {
		assert_string_equal(p.file[i], path);
		assert_int_equal(p.line[i], lines[i]);
	}
	/* Valid values around the errors were still read. */
	assert_int_equal(c.syslog_facility, 16);
}

static void test_syslog_addresses(void **state)
{
	static const char *const good[] = {
	        "udp://127.0.0.1:514",
	        "tcp://10.0.0.5:6514",
	        "tcp://[::1]:514",
	        "udp://[2001:db8::1]:1",
	        "tcp://siem.example.gov.vn:6514",
	        "udp://localhost:65535",
	        "unix:/dev/log",
	        "unix:/run/x.sock",
	        "tcp://a-b.c:10",
	};
	static const char *const bad[] = {
	        "udp://127.0.0.1", "udp://:514",          "tcp://[::1:514",         "tcp://[::1]514",  "tcp://[zz]:514",
	        "udp://host:51a",  "udp://host:+51",      "udp://-host:514",        "udp://host-:514", "udp://a..b:514",
	        "udp://1.2.3:514", "tcp://host:514/path", "unix:relative",          "unix:",           "UDP://host:514",
	        "tls://host:6514", "udp://host name:514", "udp://host:00000000514",
	};
	struct config_syslog_address a;
	const char *why;
	char long_path[200];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (config_parse_syslog(good[i], &a, &why) != 0)
			fail_msg("%s refused: %s", good[i], why);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (config_parse_syslog(bad[i], &a, &why) != ERR_INVAL)
			fail_msg("%s accepted", bad[i]);
		assert_non_null(why);
	}
	assert_int_equal(config_parse_syslog("tcp://[::1]:514", &a, NULL), 0);
	assert_int_equal(a.transport, CONFIG_SYSLOG_TCP);
	assert_string_equal(a.host, "::1");
	assert_string_equal(a.port, "514");
	assert_int_equal(config_parse_syslog("udp://siem.example:10514", &a, NULL), 0);
	assert_int_equal(a.transport, CONFIG_SYSLOG_UDP);
	assert_string_equal(a.host, "siem.example");
	assert_string_equal(a.port, "10514");
	assert_int_equal(config_parse_syslog("unix:/run/piiguard-syslog.sock", &a, NULL), 0);
	assert_int_equal(a.transport, CONFIG_SYSLOG_UNIX);
	assert_string_equal(a.path, "/run/piiguard-syslog.sock");
	assert_int_equal(config_parse_syslog("", &a, NULL), 0);
	assert_int_equal(a.transport, CONFIG_SYSLOG_NONE);
	/* sockaddr_un holds 107 bytes and a NUL. */
	memset(long_path, 'x', sizeof(long_path));
	memcpy(long_path, "unix:/", 6);
	long_path[5 + 107] = '\0';
	assert_int_equal(config_parse_syslog(long_path, &a, NULL), 0);
	long_path[5 + 107] = 'x';
	long_path[5 + 108] = '\0';
	assert_int_equal(config_parse_syslog(long_path, &a, NULL), ERR_INVAL);
}

static void test_files_refused(void **state)
{
	struct config c;
	struct problems p = {0};
	char path[512], link[512], *big;

	(void)state;
	/* A named file that is missing is an error; the default file is not. */
	snprintf(path, sizeof(path), "%s/missing.conf", tmp_dir);
	assert_int_equal(config_load(path, &c, on_error, &p), ERR_IO);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.file[0], path);
	assert_int_equal(p.line[0], 0);

	/* A symbolic link is not followed. */
	snprintf(path, sizeof(path), "%s", write_file("target.conf", "[forward]\njournald = no\n"));
	snprintf(link, sizeof(link), "%s/link.conf", tmp_dir);
	assert_int_equal(symlink(path, link), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(config_load(link, &c, on_error, &p), ERR_IO);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.msg[0], "symbolic link"));
	assert_true(c.journald);

	/* Nor is a folder read as a file. */
	make_dir("folder.conf");
	snprintf(path, sizeof(path), "%s/folder.conf", tmp_dir);
	memset(&p, 0, sizeof(p));
	assert_int_equal(config_load(path, &c, on_error, &p), ERR_IO);
	assert_non_null(strstr(p.msg[0], "regular file"));

	/* A file over the size limit is refused whole. */
	big = malloc(70000);
	assert_non_null(big);
	memset(big, '#', 69999);
	big[69999] = '\0';
	for (size_t i = 100; i < 69999; i += 100)
		big[i] = '\n';
	snprintf(path, sizeof(path), "%s", write_file("big.conf", big));
	free(big);
	memset(&p, 0, sizeof(p));
	assert_int_equal(config_load(path, &c, on_error, &p), ERR_LIMIT);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.msg[0], "64 KiB"));

	/* A default file that is a symbolic link is an error too, not the defaults. */
	snprintf(path, sizeof(path), "%s/piiguard.conf", tmp_dir);
	assert_int_equal(symlink(link, path), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(config_load(NULL, &c, on_error, &p), ERR_IO);
	assert_string_equal(p.file[0], path);
	assert_int_equal(unlink(path), 0);
}

static void test_dropins(void **state)
{
	struct config c;
	struct problems p = {0};
	char expect[512];

	(void)state;
	write_file("piiguard.conf", "[forward]\n"
	                            "syslog = udp://127.0.0.1:514\n"
	                            "facility = local1\n"
	                            "[scan]\n"
	                            "min_confidence = 0.6\n");
	/* Only the main file: its values. */
	assert_int_equal(config_load(NULL, &c, on_error, &p), 0);
	assert_int_equal(p.n, 0);
	assert_string_equal(c.syslog, "udp://127.0.0.1:514");
	assert_int_equal(c.syslog_facility, 17);

	make_dir("conf.d");
	/* Written out of order; read as 10-, 20-, 30- (name order). */
	write_file("conf.d/30-last.conf", "[forward]\nsyslog = tcp://127.0.0.1:30\n");
	write_file("conf.d/10-first.conf",
	           "[forward]\nsyslog = tcp://127.0.0.1:10\nfacility = local2\njournald = no\n");
	write_file("conf.d/20-middle.conf", "[forward]\nsyslog = tcp://127.0.0.1:20\nfacility = local4\n");
	/* Not drop-ins: another suffix, a hidden file. */
	write_file("conf.d/99-notes.txt", "this is not ini\n");
	write_file("conf.d/.99-hidden.conf", "[forward]\nsyslog = tcp://127.0.0.1:99\n");
	write_file("conf.d/90-disabled.conf.bak", "[forward]\nsyslog = tcp://127.0.0.1:90\n");
	memset(&p, 0, sizeof(p));
	assert_int_equal(config_load(NULL, &c, on_error, &p), 0);
	assert_int_equal(p.n, 0);
	assert_string_equal(c.syslog, "tcp://127.0.0.1:30"); /* the last drop-in wins */
	assert_int_equal(c.syslog_facility, 20);             /* 20- over 10- */
	assert_false(c.journald);                            /* 10- only */
	assert_true(c.min_confidence == 0.6);                /* the main file only */

	/* An error in a drop-in names the drop-in and its line; the others
	 * are still read. */
	write_file("conf.d/25-broken.conf", "# a comment\n[forward]\nfacility = local9\n");
	memset(&p, 0, sizeof(p));
	assert_int_equal(config_load(NULL, &c, on_error, &p), ERR_FORMAT);
	assert_int_equal(p.n, 1);
	snprintf(expect, sizeof(expect), "%s/conf.d/25-broken.conf", tmp_dir);
	assert_string_equal(p.file[0], expect);
	assert_int_equal(p.line[0], 3);
	assert_string_equal(c.syslog, "tcp://127.0.0.1:30");

	/* An explicitly named file is read alone, without the drop-ins. */
	memset(&p, 0, sizeof(p));
	snprintf(expect, sizeof(expect), "%s/piiguard.conf", tmp_dir);
	assert_int_equal(config_load(expect, &c, on_error, &p), 0);
	assert_string_equal(c.syslog, "udp://127.0.0.1:514");
	assert_true(c.journald);
}

/* [watch]: the defaults, a root line replacing them, the other keys, and
 * errors at their lines. */
static void test_watch(void **state)
{
	struct config c;
	struct problems p;
	char path[512];

	(void)state;
	config_defaults(&c);
	assert_true(c.n_watch_roots >= 2);
	assert_string_equal(c.watch_roots[0], "~/{DESKTOP}");
	assert_string_equal(c.watch_roots[1], "~/{DOWNLOAD}");
	assert_int_equal(c.watch_rescan_seconds, 3600);
	assert_int_equal(c.watch_queue_limit, 4096);
	assert_true(c.watch_notify);

	assert_int_equal(load_text("[watch]\nroot = /srv/share\nroot = ~/{DOWNLOAD}/Telegram Desktop\n"
	                           "exclude = */.thumbnails/*\njobs = 3\nrescan_interval = 0\nqueue_limit = 64\n"
	                           "file_timeout = 5\nnotify = no\n",
	                           &c, &p, path, sizeof(path)),
	                 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(c.n_watch_roots, 2);
	assert_string_equal(c.watch_roots[0], "/srv/share");
	assert_string_equal(c.watch_roots[1], "~/{DOWNLOAD}/Telegram Desktop");
	assert_int_equal(c.n_watch_excludes, 1);
	assert_int_equal(c.watch_jobs, 3);
	assert_int_equal(c.watch_rescan_seconds, 0);
	assert_int_equal(c.watch_queue_limit, 64);
	assert_int_equal(c.watch_file_seconds, 5);
	assert_false(c.watch_notify);

	expect_one("[watch]\nroot = Desktop\n", 2, "absolute");
	expect_one("[watch]\n\njobs = 65\n", 3, "from 0 to 64");
	expect_one("[watch]\nqueue_limit = 8\n", 2, "from 16");
	expect_one("[watch]\nfile_timeout = 1s\n", 2, "whole number");
	expect_one("[watch]\nroots = /srv\n", 2, "unknown key \"roots\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_full_file, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_every_error_reported, setup, teardown),
	        cmocka_unit_test(test_syslog_addresses),
	        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_files_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_dropins, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_watch, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
