/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the browser, messaging and system posture checks on fake
 * roots in a temporary folder: Login Data files made with SQLite (counted,
 * "never" entries left out, links, corrupt files and empty tables passed
 * over, nothing written), Firefox's logins.json, managed browser policies
 * (the shipped files among them), messaging folders with ID findings in a
 * real store, swap in fstab, /proc/swaps and /sys, CUPS job files, and a
 * clean root that gives no result at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "error.h"
#include "posture.h"
#include "store.h"

static char dir[] = "/tmp/piiguard-test-posture-XXXXXX";

/* --- results ----------------------------------------------------------------- */

#define MAX_RESULTS 64

struct result {
	char *rule, *label, *subject, *path, *evidence, *remedy, *user;
	double confidence;
};

struct results {
	struct result r[MAX_RESULTS];
	size_t n;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void collect(const struct posture_result *r, void *ctx)
{
	struct results *rs = ctx;

	assert_true(rs->n < MAX_RESULTS);
	assert_non_null(r->rule);
	assert_non_null(r->label);
	assert_non_null(r->subject);
	assert_non_null(r->path);
	assert_non_null(r->evidence);
	assert_non_null(r->remedy);
	struct result *x = &rs->r[rs->n++];
	x->rule = strdup(r->rule);
	x->label = strdup(r->label);
	x->subject = strdup(r->subject);
	x->path = strdup(r->path);
	x->evidence = strdup(r->evidence);
	x->remedy = strdup(r->remedy);
	x->user = dup_or_null(r->user);
	x->confidence = r->confidence;
}

static void results_free(struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct result *x = &rs->r[i];
		free(x->rule);
		free(x->label);
		free(x->subject);
		free(x->path);
		free(x->evidence);
		free(x->remedy);
		free(x->user);
	}
	rs->n = 0;
}

/* The result of rule with this path, or NULL. */
static const struct result *find(const struct results *rs, const char *rule, const char *path)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].rule, rule) == 0 && strcmp(rs->r[i].path, path) == 0)
			return &rs->r[i];
	return NULL;
}

static size_t count_rule(const struct results *rs, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n; i++)
		n += strcmp(rs->r[i].rule, rule) == 0;
	return n;
}

static void print_results(const struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		fprintf(stderr, "  %s | %s | %s | %s | %s | %.1f\n", rs->r[i].rule, rs->r[i].subject, rs->r[i].path,
		        rs->r[i].user ? rs->r[i].user : "-", rs->r[i].evidence, rs->r[i].confidence);
}

/* No field of any result holds s. */
static void assert_nowhere(const struct results *rs, const char *s)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *x = &rs->r[i];
		const char *fields[] = {x->rule, x->label, x->subject, x->path, x->evidence, x->remedy, x->user};
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
			if (fields[f] && strstr(fields[f], s)) {
				fprintf(stderr, "'%s' leaked into a result: %s\n", s, fields[f]);
				fail();
			}
	}
}

/* --- fake roots ---------------------------------------------------------------- */

static void mkdirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

/* root joined with a path of the fake tree (static buffer, rotating). */
static const char *at(const char *root, const char *path)
{
	static char bufs[8][4096];
	static int next;
	char *b = bufs[next++ % 8];
	snprintf(b, sizeof(bufs[0]), "%s%s", root, path);
	return b;
}

static void put(const char *root, const char *path, const char *content)
{
	char parent[4096];
	const char *full = at(root, path);
	snprintf(parent, sizeof(parent), "%s", full);
	*strrchr(parent, '/') = '\0';
	mkdirs(parent);
	FILE *f = fopen(full, "w");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
}

static void put_bytes(const char *root, const char *path, const void *data, size_t len)
{
	char parent[4096];
	const char *full = at(root, path);
	snprintf(parent, sizeof(parent), "%s", full);
	*strrchr(parent, '/') = '\0';
	mkdirs(parent);
	FILE *f = fopen(full, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void copy_file(const char *from, const char *root, const char *path)
{
	char buf[4096];
	FILE *f = fopen(from, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the source tree)\n", from);
		fail();
	}
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	put(root, path, buf);
}

/* A shipped file of packaging/browser-policies. */
static const char *shipped(const char *name)
{
	static char path[4096];
	const char *data = getenv("PIIGUARD_TESTDATA"); /* tests/data, relative to the source tree */
	if (data && *data)
		snprintf(path, sizeof(path), "%s/../../packaging/browser-policies/%s", data, name);
	else
		snprintf(path, sizeof(path), "packaging/browser-policies/%s", name);
	return path;
}

/* A fresh root with the kiosk (1001) and staff (1002) accounts and their
 * homes, plus accounts that are not people's. */
static const char *new_root(const char *name)
{
	static char roots[16][512];
	static int next;
	char *root = roots[next++ % 16];

	snprintf(root, sizeof(roots[0]), "%s/%s", dir, name);
	mkdirs(root);
	put(root, "/etc/passwd",
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	    "kiosk:x:1001:1001:Kiosk,,,:/home/kiosk:/bin/bash\n"
	    "staff:x:1002:1002:Staff,,,:/home/staff:/bin/bash\n"
	    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
	mkdirs(at(root, "/home/kiosk"));
	mkdirs(at(root, "/home/staff"));
	return root;
}

static void run_browsers(const char *root, struct results *rs)
{
	struct posture_options o = {.root = root};
	posture_browsers(&o, collect, rs);
}

/* --- Login Data ---------------------------------------------------------------- */

static void sql(sqlite3 *db, const char *s)
{
	char *err = NULL;
	if (sqlite3_exec(db, s, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", s, err);
		fail();
	}
}

/* A Login Data file with saved logins and "never" entries; with_column
 * false makes an old schema without blacklisted_by_user. */
static void login_data(const char *root, const char *path, int saved, int never, bool with_column)
{
	char parent[4096];
	sqlite3 *db = NULL;
	const char *full = at(root, path);

	snprintf(parent, sizeof(parent), "%s", full);
	*strrchr(parent, '/') = '\0';
	mkdirs(parent);
	assert_int_equal(sqlite3_open_v2(full, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	sql(db, with_column ? "CREATE TABLE logins (origin_url VARCHAR NOT NULL, username_value VARCHAR,"
	                      " password_value BLOB, blacklisted_by_user INTEGER NOT NULL)"
	                    : "CREATE TABLE logins (origin_url VARCHAR NOT NULL, username_value VARCHAR,"
	                      " password_value BLOB)");
	sql(db, "CREATE TABLE meta (key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR)");
	for (int i = 0; i < saved; i++) {
		char q[512];
		snprintf(q, sizeof(q),
		         with_column ? "INSERT INTO logins VALUES ('https://dichvucong.gov.vn/login%d',"
		                       " 'nguyenvana%d', x'763130AABBCC', 0)"
		                     : "INSERT INTO logins VALUES ('https://dichvucong.gov.vn/login%d',"
		                       " 'nguyenvana%d', x'763130AABBCC')",
		         i, i);
		sql(db, q);
	}
	for (int i = 0; i < never; i++) {
		char q[256];
		snprintf(q, sizeof(q), "INSERT INTO logins VALUES ('https://mail.example.vn/%d', 'tranthib', x'', 1)",
		         i);
		sql(db, q);
	}
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_chromium_logins(void **state)
{
	struct results rs = {0};
	struct stat before, after;
	const char *root = new_root("browsers");
	(void)state;

	/* kiosk: Chromium with two saved logins and one "never" entry */
	login_data(root, "/home/kiosk/.config/chromium/Default/Login Data", 2, 1, true);
	/* kiosk: the same in a second profile, old schema without the column */
	login_data(root, "/home/kiosk/.config/chromium/Profile 2/Login Data For Account", 1, 0, false);
	/* kiosk: the snap's folder */
	login_data(root, "/home/kiosk/snap/chromium/common/chromium/Default/Login Data", 3, 0, true);
	/* staff: Cốc Cốc with an empty logins table */
	login_data(root, "/home/staff/.config/coccoc-browser/Default/Login Data", 0, 0, true);
	/* staff: Cốc Cốc profile with only "never" entries */
	login_data(root, "/home/staff/.config/coccoc-browser/Profile 1/Login Data", 0, 2, true);
	/* kiosk: Chrome's Login Data is a link to Chromium's: never opened */
	mkdirs(at(root, "/home/kiosk/.config/google-chrome/Profile 1"));
	assert_int_equal(symlink(at(root, "/home/kiosk/.config/chromium/Default/Login Data"),
	                         at(root, "/home/kiosk/.config/google-chrome/Profile 1/Login Data")),
	                 0);
	/* kiosk: a Chrome profile folder that is a link: not followed */
	assert_int_equal(symlink(at(root, "/home/kiosk/.config/chromium/Default"),
	                         at(root, "/home/kiosk/.config/google-chrome/Profile 3")),
	                 0);
	/* kiosk: a Chrome Login Data of random bytes, and one with a valid
	 * SQLite header followed by garbage */
	unsigned char junk[8192];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (unsigned char)(x >> 16);
	}
	put_bytes(root, "/home/kiosk/.config/google-chrome/Default/Login Data", junk, sizeof(junk));
	memcpy(junk, "SQLite format 3", 16);
	junk[16] = 0x10;
	junk[17] = 0x00;
	put_bytes(root, "/home/kiosk/.config/google-chrome/Profile 2/Login Data", junk, sizeof(junk));
	/* a folder that is no profile */
	login_data(root, "/home/kiosk/.config/chromium/Crashpad/Login Data", 5, 0, true);

	assert_int_equal(stat(at(root, "/home/kiosk/.config/chromium/Default/Login Data"), &before), 0);
	run_browsers(root, &rs);
	print_results(&rs);

	const struct result *r =
	        find(&rs, POSTURE_BROWSER_PASSWORDS, "/home/kiosk/.config/chromium/Default/Login Data");
	assert_non_null(r);
	assert_string_equal(r->subject, "Chromium: 2 saved logins");
	assert_string_equal(r->label, "Passwords saved in a browser");
	assert_string_equal(r->evidence, "Login Data of profile Default");
	assert_string_equal(r->user, "kiosk");
	assert_true(r->confidence == 1.0);
	assert_non_null(strstr(r->remedy, "packaging/browser-policies"));

	r = find(&rs, POSTURE_BROWSER_PASSWORDS, "/home/kiosk/.config/chromium/Profile 2/Login Data For Account");
	assert_non_null(r);
	assert_string_equal(r->subject, "Chromium: 1 saved login");
	assert_string_equal(r->evidence, "Login Data For Account of profile Profile 2");

	r = find(&rs, POSTURE_BROWSER_PASSWORDS, "/home/kiosk/snap/chromium/common/chromium/Default/Login Data");
	assert_non_null(r);
	assert_string_equal(r->subject, "Chromium: 3 saved logins");

	/* nothing else: not the empty or "never"-only Cốc Cốc files, not the
	 * links, not the corrupt files, not the non-profile folder */
	assert_int_equal(rs.n, 3);
	assert_int_equal(count_rule(&rs, POSTURE_PASSWORD_POLICY), 0);
	for (size_t i = 0; i < rs.n; i++)
		assert_null(strstr(rs.r[i].path, dir));
	assert_nowhere(&rs, "nguyenvana");
	assert_nowhere(&rs, "tranthib");
	assert_nowhere(&rs, "dichvucong");
	assert_nowhere(&rs, "example.vn");

	/* read-only and immutable: the file is untouched and no journal made */
	assert_int_equal(stat(at(root, "/home/kiosk/.config/chromium/Default/Login Data"), &after), 0);
	assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	assert_int_equal(before.st_size, after.st_size);
	assert_int_equal(access(at(root, "/home/kiosk/.config/chromium/Default/Login Data-journal"), F_OK), -1);
	assert_int_equal(access(at(root, "/home/kiosk/.config/chromium/Default/Login Data-wal"), F_OK), -1);
	results_free(&rs);
}

static void test_firefox_logins(void **state)
{
	struct results rs = {0};
	const char *root = new_root("firefox");
	(void)state;

	static const char logins[] =
	        "{\"nextId\":4,\"logins\":["
	        "{\"id\":1,\"hostname\":\"https://dichvucong.gov.vn\",\"httpRealm\":null,"
	        "\"formSubmitURL\":\"https://dichvucong.gov.vn\",\"usernameField\":\"u\",\"passwordField\":\"p\","
	        "\"encryptedUsername\":\"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECA==\","
	        "\"encryptedPassword\":\"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECB==\","
	        "\"guid\":\"{a}\",\"encType\":1,\"timesUsed\":1},"
	        "{\"id\":2,\"hostname\":\"https://mail.example.vn\",\"encryptedUsername\":\"x\","
	        "\"encryptedPassword\":\"y\",\"guid\":\"{b}\",\"encType\":1},"
	        "{\"id\":3,\"hostname\":\"https://bhxh.example.vn\",\"encryptedUsername\":\"x\","
	        "\"encryptedPassword\":\"y\",\"guid\":\"{c}\",\"encType\":1}],"
	        "\"potentiallyVulnerablePasswords\":[],\"dismissedBreachAlertsByLoginGUID\":{},\"version\":3}";
	put(root, "/home/staff/.mozilla/firefox/k1x2y3z4.default-release/logins.json", logins);
	put(root, "/home/staff/.mozilla/firefox/k1x2y3z4.default-release/key4.db", "not really NSS");
	put(root, "/home/staff/.mozilla/firefox/profiles.ini", "[Profile0]\nPath=k1x2y3z4.default-release\n");
	/* the snap's profile with an empty list, and one cut short */
	put(root, "/home/kiosk/snap/firefox/common/.mozilla/firefox/a.default/logins.json",
	    "{\"nextId\":1,\"logins\":[],\"version\":3}");
	put(root, "/home/kiosk/.var/app/org.mozilla.firefox/.mozilla/firefox/b.default/logins.json",
	    "{\"nextId\":3,\"logins\":[{\"hostname\":\"https://a.example.vn\",\"encryptedPassword\":\"y\"},"
	    "{\"hostname\":\"https://b.example.vn\",\"encryptedPass");

	run_browsers(root, &rs);
	print_results(&rs);
	const struct result *r = find(&rs, POSTURE_BROWSER_PASSWORDS,
	                              "/home/staff/.mozilla/firefox/k1x2y3z4.default-release/logins.json");
	assert_non_null(r);
	assert_string_equal(r->subject, "Firefox: 3 saved logins");
	assert_string_equal(r->user, "staff");
	assert_non_null(strstr(r->evidence, "key4.db present"));
	assert_true(r->confidence == 1.0);

	r = find(&rs, POSTURE_BROWSER_PASSWORDS,
	         "/home/kiosk/.var/app/org.mozilla.firefox/.mozilla/firefox/b.default/logins.json");
	assert_non_null(r);
	assert_string_equal(r->subject, "Firefox: 1 saved login");
	assert_non_null(strstr(r->evidence, "no key4.db"));

	assert_int_equal(rs.n, 2);
	assert_nowhere(&rs, "dichvucong");
	assert_nowhere(&rs, "example.vn");
	results_free(&rs);
}

/* --- policies ------------------------------------------------------------------- */

static void test_chromium_policy(void **state)
{
	struct results rs = {0};
	const char *root = new_root("policy-chromium");
	(void)state;

	put(root, "/usr/bin/chromium", "#!/bin/sh\n");
	run_browsers(root, &rs);
	print_results(&rs);
	assert_int_equal(rs.n, 1);
	const struct result *r = find(&rs, POSTURE_PASSWORD_POLICY, "/etc/chromium/policies/managed");
	assert_non_null(r);
	assert_string_equal(r->subject, "Chromium");
	assert_string_equal(r->label, "No policy against saved passwords");
	assert_string_equal(r->evidence, "browser installed, no managed policy sets PasswordManagerEnabled to false");
	assert_non_null(strstr(r->remedy, "packaging/browser-policies/chromium.json"));
	assert_null(r->user);
	assert_true(r->confidence == 0.5);
	results_free(&rs);

	/* the policy set to true, or only recommended, does not count */
	put(root, "/etc/chromium/policies/managed/other.json", "{\"PasswordManagerEnabled\": true}");
	put(root, "/etc/chromium/policies/recommended/piiguard.json", "{\"PasswordManagerEnabled\": false}");
	put(root, "/etc/chromium/policies/managed/nested.json", "{\"x\": {\"PasswordManagerEnabled\": false}}");
	put(root, "/etc/chromium/policies/managed/broken.json", "{\"PasswordManagerEnabled\": false");
	run_browsers(root, &rs);
	assert_int_equal(count_rule(&rs, POSTURE_PASSWORD_POLICY), 1);
	results_free(&rs);

	/* the shipped file, installed as the README says */
	copy_file(shipped("chromium.json"), root, "/etc/chromium/policies/managed/piiguard.json");
	run_browsers(root, &rs);
	print_results(&rs);
	assert_int_equal(rs.n, 0);

	/* a hand-written one with comments and odd spacing */
	unlink(at(root, "/etc/chromium/policies/managed/piiguard.json"));
	put(root, "/etc/chromium/policies/managed/local.json",
	    "// kiosk\n{\n  \"HomepageLocation\" : \"https://dichvucong.gov.vn\",\n"
	    "  /* no saved passwords */ \"PasswordManagerEnabled\"\t:\n  false ,\n}\n");
	run_browsers(root, &rs);
	assert_int_equal(rs.n, 0);
}

static void test_other_policies(void **state)
{
	struct results rs = {0};
	const char *root = new_root("policy-others");
	(void)state;

	put(root, "/usr/bin/google-chrome-stable", "#!/bin/sh\n");
	mkdirs(at(root, "/opt/coccoc/browser"));
	mkdirs(at(root, "/usr/lib/firefox"));
	run_browsers(root, &rs);
	print_results(&rs);
	assert_int_equal(rs.n, 3);
	const struct result *r = find(&rs, POSTURE_PASSWORD_POLICY, "/etc/opt/chrome/policies/managed");
	assert_non_null(r);
	assert_string_equal(r->subject, "Google Chrome");
	r = find(&rs, POSTURE_PASSWORD_POLICY, "/etc/opt/coccoc/policies/managed");
	assert_non_null(r);
	assert_string_equal(r->subject, "Cốc Cốc");
	r = find(&rs, POSTURE_PASSWORD_POLICY, "/etc/firefox/policies");
	assert_non_null(r);
	assert_string_equal(r->subject, "Firefox");
	assert_non_null(strstr(r->remedy, "firefox-policies.json"));
	assert_null(r->user);
	assert_true(r->confidence == 0.5);
	results_free(&rs);

	/* Firefox: the key must sit inside "policies" */
	put(root, "/etc/firefox/policies/policies.json", "{\"PasswordManagerEnabled\": false}");
	run_browsers(root, &rs);
	assert_non_null(find(&rs, POSTURE_PASSWORD_POLICY, "/etc/firefox/policies"));
	results_free(&rs);
	/* OfferToSaveLogins is accepted too, in the distribution folder */
	unlink(at(root, "/etc/firefox/policies/policies.json"));
	put(root, "/usr/lib/firefox/distribution/policies.json",
	    "{ \"policies\" : { \"OfferToSaveLogins\" : false } }");
	run_browsers(root, &rs);
	assert_null(find(&rs, POSTURE_PASSWORD_POLICY, "/etc/firefox/policies"));
	results_free(&rs);

	/* the shipped files quiet the rest */
	unlink(at(root, "/usr/lib/firefox/distribution/policies.json"));
	copy_file(shipped("firefox-policies.json"), root, "/etc/firefox/policies/policies.json");
	copy_file(shipped("chrome.json"), root, "/etc/opt/chrome/policies/managed/piiguard.json");
	copy_file(shipped("coccoc.json"), root, "/etc/opt/coccoc/policies/managed/piiguard.json");
	run_browsers(root, &rs);
	print_results(&rs);
	assert_int_equal(rs.n, 0);
}

/* --- messaging ------------------------------------------------------------------ */

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Record findings of one file as a scan would, under its machine path. */
static void record(struct store *s, int64_t scan, const char *path, const char *rule, int n, int64_t *ret_last_id)
{
	struct store_file *f = NULL;
	struct stat st = {.st_mode = S_IFREG | 0644, .st_size = 100, .st_ino = 1};

	assert_int_equal(store_file_begin(s, scan, path, &st, now_ns() + 3000000000LL, &f), 0);
	for (int i = 0; i < n; i++) {
		char fp[32], masked[32];
		snprintf(fp, sizeof(fp), "%016x", (unsigned)(i + 1) * 2654435761u);
		snprintf(masked, sizeof(masked), "052******23%d", i);
		struct store_finding x = {
		        .rule = rule,
		        .label = "Vietnamese personal ID number (CCCD)",
		        .masked = masked,
		        .fingerprint = fp,
		        .confidence = 0.9,
		        .source = "text",
		        .line = (uint64_t)i + 1,
		};
		struct store_recorded rec;
		assert_int_equal(store_file_finding(f, &x, &rec), 0);
		if (ret_last_id)
			*ret_last_id = rec.id;
	}
	assert_int_equal(store_file_end(f, n ? "findings" : "clean"), 0);
}

static void test_messaging(void **state)
{
	struct results rs = {0};
	struct store *s = NULL;
	int64_t scan = 0, fp_id = 0;
	char store_path[600];
	const char *root = new_root("messaging");
	(void)state;

	/* kiosk: Telegram (data and downloads) */
	mkdirs(at(root, "/home/kiosk/.local/share/TelegramDesktop/tdata"));
	put(root, "/home/kiosk/Downloads/Telegram Desktop/cccd.txt", "synthetic\n");
	/* staff: Viber, nothing found; Zalo with a translated Documents folder */
	mkdirs(at(root, "/home/staff/.ViberPC"));
	mkdirs(at(root, "/home/staff/Documents/ViberDownloads"));
	put(root, "/home/staff/.config/user-dirs.dirs",
	    "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Màn hình nền\"\n"
	    "XDG_DOCUMENTS_DIR=\"$HOME/Tài liệu\"\nXDG_DOWNLOAD_DIR=\"$HOME/Tải xuống\"\n");
	mkdirs(at(root, "/home/staff/.config/ZaloData"));
	mkdirs(at(root, "/home/staff/Tài liệu/Zalo Received Files"));
	/* kiosk: WeChat for Windows under Wine */
	mkdirs(at(root, "/home/kiosk/.wine/drive_c/users/kiosk/Documents/WeChat Files"));
	mkdirs(at(root, "/home/kiosk/.wine/drive_c/users/Public/Documents"));
	/* staff: a Signal folder that is a link is not an app on the machine */
	assert_int_equal(symlink(at(root, "/home/staff/.ViberPC"), at(root, "/home/staff/.config/Signal")), 0);

	snprintf(store_path, sizeof(store_path), "%s/store/findings.db", dir);
	assert_int_equal(store_open(store_path, &s), 0);
	assert_int_equal(store_scan_begin(s, "scan", &scan), 0);
	record(s, scan, "/home/kiosk/Downloads/Telegram Desktop/cccd.txt", "vn.cccd", 2, NULL);
	/* not counted: posture's own result, a false positive, a finding beside
	 * the folder and one in a folder whose name only starts the same */
	record(s, scan, "/home/kiosk/.local/share/TelegramDesktop", "posture.messaging_app", 1, NULL);
	record(s, scan, "/home/kiosk/Downloads/Telegram Desktop/not-an-id.txt", "vn.cccd", 1, &fp_id);
	assert_int_equal(store_set_status(s, fp_id, STORE_STATUS_FALSE_POSITIVE, "test"), 0);
	record(s, scan, "/home/kiosk/Downloads/notes.txt", "vn.cccd", 1, NULL);
	record(s, scan, "/home/kiosk/Downloads/Telegram Desktop2/x.txt", "vn.cccd", 1, NULL);
	record(s, scan, "/home/staff/Tài liệu/Zalo Received Files/cmnd.jpg", "vn.cmnd", 1, NULL);
	/* a file of the tree scanned with its root prefix counts too */
	record(s, scan, at(root, "/home/staff/Documents/ViberDownloads/elsewhere/x.txt"), "posture.x", 1, NULL);
	record(s, scan, at(root, "/home/staff/.config/ZaloData/cache/cccd.png"), "vn.cccd", 2, NULL);

	struct posture_options o = {.root = root, .store = s};
	posture_messaging(&o, collect, &rs);
	print_results(&rs);

	const struct result *r = find(&rs, POSTURE_MESSAGING_APP, "/home/kiosk/.local/share/TelegramDesktop");
	assert_non_null(r);
	assert_string_equal(r->subject, "Telegram: 2 ID findings");
	assert_string_equal(r->label, "Messaging app on the machine");
	assert_string_equal(r->user, "kiosk");
	assert_true(r->confidence == 1.0);
	assert_non_null(strstr(r->remedy, "delete them from /home/kiosk/Downloads/Telegram Desktop and sign"));

	r = find(&rs, POSTURE_MESSAGING_APP, "/home/staff/.ViberPC");
	assert_non_null(r);
	assert_string_equal(r->subject, "Viber: 0 ID findings");
	assert_string_equal(r->user, "staff");
	assert_true(r->confidence == 0.5);

	r = find(&rs, POSTURE_MESSAGING_APP, "/home/staff/.config/ZaloData");
	assert_non_null(r);
	assert_string_equal(r->subject, "Zalo: 3 ID findings");
	assert_true(r->confidence == 1.0);
	assert_non_null(strstr(r->remedy, "/home/staff/Tài liệu/Zalo Received Files"));

	r = find(&rs, POSTURE_MESSAGING_APP, "/home/kiosk/.wine/drive_c/users/kiosk/Documents/WeChat Files");
	assert_non_null(r);
	assert_string_equal(r->subject, "WeChat: 0 ID findings");
	assert_string_equal(r->user, "kiosk");

	assert_int_equal(rs.n, 4);
	for (size_t i = 0; i < rs.n; i++)
		assert_null(strstr(rs.r[i].path, dir));
	results_free(&rs);

	/* without a store the apps are still reported, uncounted */
	o.store = NULL;
	posture_messaging(&o, collect, &rs);
	r = find(&rs, POSTURE_MESSAGING_APP, "/home/kiosk/.local/share/TelegramDesktop");
	assert_non_null(r);
	assert_string_equal(r->subject, "Telegram");
	assert_non_null(strstr(r->evidence, "not counted"));
	assert_true(r->confidence == 0.5);
	assert_int_equal(rs.n, 4);
	results_free(&rs);
	store_close(s);
}

/* --- system ----------------------------------------------------------------------- */

static void run_system(const char *root, bool processes, struct results *rs)
{
	struct posture_options o = {.root = root, .processes = processes};
	posture_system(&o, collect, rs);
}

static void test_swap_fstab(void **state)
{
	struct results rs = {0};
	const char *root = new_root("swap-fstab");
	(void)state;

	put(root, "/etc/fstab",
	    "# /etc/fstab: static file system information.\n"
	    "UUID=0a1b2c3d-root / ext4 errors=remount-ro 0 1\n"
	    "/dev/sda3 none swap sw 0 0\n"
	    "/dev/mapper/cryptswap none swap sw 0 0\n"
	    "#/dev/sdb1 none swap sw 0 0\n"
	    "/swapfile none swap sw 0 0\n"
	    "/dev/mapper/vg-swap none swap sw 0 0\n");
	put(root, "/etc/crypttab",
	    "# <target> <source> <key> <options>\n"
	    "cryptswap /dev/sda4 /dev/urandom swap,cipher=aes-xts-plain64,size=256\n");
	run_system(root, false, &rs);
	print_results(&rs);

	const struct result *r = find(&rs, POSTURE_SWAP, "/dev/sda3");
	assert_non_null(r);
	assert_string_equal(r->subject, "/dev/sda3");
	assert_non_null(strstr(r->evidence, "/etc/fstab"));
	assert_non_null(strstr(r->remedy, "Encrypt swap"));
	assert_null(r->user);
	assert_true(r->confidence == 0.5);
	r = find(&rs, POSTURE_SWAP, "/swapfile");
	assert_non_null(r);
	assert_non_null(strstr(r->evidence, "/dev/disk/by-uuid/0a1b2c3d-root"));
	r = find(&rs, POSTURE_SWAP, "/dev/mapper/vg-swap");
	assert_non_null(r);
	assert_non_null(strstr(r->evidence, "not checked"));
	assert_null(find(&rs, POSTURE_SWAP, "/dev/mapper/cryptswap"));
	assert_null(find(&rs, POSTURE_SWAP, "/dev/sdb1"));
	assert_int_equal(rs.n, 3);
	results_free(&rs);

	/* swap on the encrypted volume only */
	put(root, "/etc/fstab", "/dev/mapper/cryptswap none swap sw 0 0\n");
	run_system(root, false, &rs);
	assert_int_equal(rs.n, 0);
}

static void test_swap_running(void **state)
{
	struct results rs = {0};
	const char *root = new_root("swap-proc");
	(void)state;

	put(root, "/proc/swaps",
	    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
	    "/dev/zram0                              partition\t4009980\t\t0\t\t100\n"
	    "/dev/dm-1                               partition\t999420\t\t0\t\t-2\n"
	    "/dev/dm-2                               partition\t999420\t\t0\t\t-3\n"
	    "/dev/dm-3                               partition\t999420\t\t0\t\t-4\n"
	    "/dev/sdb2                               partition\t999420\t\t0\t\t-5\n"
	    "/var/swap\\040file                      file\t\t999420\t\t0\t\t-6\n");
	/* dm-1: a plain crypt target; dm-2: LVM on LUKS (dm-0); dm-3: LVM on a
	 * disk partition */
	put(root, "/sys/block/dm-0/dm/uuid", "CRYPT-LUKS2-0123456789abcdef-sda5_crypt\n");
	put(root, "/sys/block/dm-1/dm/uuid", "CRYPT-PLAIN-cryptswap\n");
	put(root, "/sys/block/dm-2/dm/uuid", "LVM-abcdefabcdef\n");
	put(root, "/sys/block/dm-2/slaves/dm-0", "");
	put(root, "/sys/block/dm-3/dm/uuid", "LVM-fedcbafedcba\n");
	put(root, "/sys/block/dm-3/slaves/sda6", "");
	put(root, "/proc/self/mounts",
	    "/dev/mapper/vg-root / ext4 rw,relatime 0 0\n"
	    "/dev/sdc1 /var ext4 rw,relatime 0 0\n"
	    "proc /proc proc rw 0 0\n");
	put(root, "/etc/fstab", "/dev/sda9 none swap sw 0 0\n"); /* not read: /proc/swaps says what is used */
	run_system(root, true, &rs);
	print_results(&rs);

	assert_non_null(find(&rs, POSTURE_SWAP, "/dev/sdb2"));
	assert_non_null(strstr(find(&rs, POSTURE_SWAP, "/dev/sdb2")->evidence, "/proc/swaps"));
	assert_non_null(find(&rs, POSTURE_SWAP, "/dev/dm-3"));
	const struct result *r = find(&rs, POSTURE_SWAP, "/var/swap file");
	assert_non_null(r);
	assert_non_null(strstr(r->evidence, "/dev/sdc1"));
	assert_int_equal(rs.n, 3);
	results_free(&rs);
}

static void test_cups(void **state)
{
	struct results rs = {0};
	const char *root = new_root("cups");
	(void)state;

	put(root, "/etc/cups/cupsd.conf",
	    "LogLevel warn\n# PreserveJobFiles No\nMaxLogSize 0\n"
	    "<Location />\n  Order allow,deny\n</Location>\n");
	put(root, "/var/spool/cups/d00001-001", "%!PS synthetic\n");
	put(root, "/var/spool/cups/d00002-001", "%!PS synthetic\n");
	put(root, "/var/spool/cups/c00001", "control\n");
	mkdirs(at(root, "/var/spool/cups/tmp"));
	assert_int_equal(symlink(at(root, "/etc/passwd"), at(root, "/var/spool/cups/d00003-001")), 0);
	run_system(root, false, &rs);
	print_results(&rs);
	assert_int_equal(rs.n, 1);
	const struct result *r = find(&rs, POSTURE_PRINT_JOBS, "/etc/cups/cupsd.conf");
	assert_non_null(r);
	assert_string_equal(r->subject, "CUPS keeps print job files");
	assert_non_null(strstr(r->evidence, "PreserveJobFiles not set"));
	assert_non_null(strstr(r->evidence, "2 document files"));
	assert_non_null(strstr(r->remedy, "PreserveJobFiles No"));
	assert_null(r->user);
	assert_true(r->confidence == 0.5);
	results_free(&rs);

	/* turned off, but files are left */
	put(root, "/etc/cups/cupsd.conf", "LogLevel warn\npreservejobfiles Off\n");
	run_system(root, false, &rs);
	assert_int_equal(rs.n, 1);
	assert_non_null(strstr(rs.r[0].evidence, "but"));
	results_free(&rs);

	/* turned off, spool empty */
	put(root, "/etc/cups/cupsd.conf", "LogLevel warn\nPreserveJobFiles No\nPreserveJobHistory No\n");
	unlink(at(root, "/var/spool/cups/d00001-001"));
	unlink(at(root, "/var/spool/cups/d00002-001"));
	run_system(root, false, &rs);
	assert_int_equal(rs.n, 0);

	/* a number of seconds keeps them */
	put(root, "/etc/cups/cupsd.conf", "PreserveJobFiles 86400\n");
	run_system(root, false, &rs);
	assert_int_equal(rs.n, 1);
	assert_non_null(strstr(rs.r[0].evidence, "PreserveJobFiles 86400; /var/spool/cups holds 0 document files"));
	results_free(&rs);
}

/* --- a clean machine --------------------------------------------------------------- */

static void test_clean_root(void **state)
{
	struct results rs = {0};
	struct store *s = NULL;
	char store_path[600];
	const char *root = new_root("clean");
	(void)state;

	put(root, "/etc/fstab", "UUID=0a1b2c3d-root / ext4 errors=remount-ro 0 1\n");
	mkdirs(at(root, "/home/kiosk/Downloads"));
	mkdirs(at(root, "/home/kiosk/.config"));
	mkdirs(at(root, "/home/staff/Documents"));
	mkdirs(at(root, "/usr/bin"));
	snprintf(store_path, sizeof(store_path), "%s/store-clean/findings.db", dir);
	assert_int_equal(store_open(store_path, &s), 0);

	for (int processes = 0; processes < 2; processes++) {
		struct posture_options o = {.root = root, .store = processes ? NULL : s, .processes = processes};
		posture_browsers(&o, collect, &rs);
		posture_messaging(&o, collect, &rs);
		posture_system(&o, collect, &rs);
		print_results(&rs);
		assert_int_equal(rs.n, 0);
	}
	store_close(s);

	/* a root without even a passwd file */
	struct posture_options o = {.root = at(dir, "/nothing-here")};
	posture_browsers(&o, collect, &rs);
	posture_messaging(&o, collect, &rs);
	posture_system(&o, collect, &rs);
	assert_int_equal(rs.n, 0);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[512];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_chromium_logins), cmocka_unit_test(test_firefox_logins),
	        cmocka_unit_test(test_chromium_policy), cmocka_unit_test(test_other_policies),
	        cmocka_unit_test(test_messaging),       cmocka_unit_test(test_swap_fstab),
	        cmocka_unit_test(test_swap_running),    cmocka_unit_test(test_cups),
	        cmocka_unit_test(test_clean_root),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
