/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the findings store on real SQLite files: creation (modes,
 * WAL), migration from an empty file and from a version-1 file with its data
 * kept, refusal of foreign and newer files, recording and re-recording of
 * findings, status changes with their audit trail, suppression of a false
 * positive in later scans, unchanged-file detection, counts and filters.
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
#include "store.h"

static char dir[] = "/tmp/piiguard-test-store-XXXXXX";
static char db_path[256];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *fresh_path(const char *name)
{
	snprintf(db_path, sizeof(db_path), "%s/%s/findings.db", dir, name);
	return db_path;
}

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static const struct store_finding cccd = {
        .rule = "vn.cccd",
        .label = "Vietnamese personal ID number (CCCD)",
        .masked = "052******234",
        .fingerprint = "976affdb00de730d",
        .confidence = 0.9,
        .source = "text",
        .line = 2,
};

/* Record one file's scan with the given findings; returns the new count. */
static int record(struct store *s, int64_t scan, const char *path, const struct stat *st,
                  const struct store_finding *const *findings, size_t n, int *ret_suppressed)
{
	struct store_file *f = NULL;
	int fresh = 0;

	*ret_suppressed = 0;
	assert_int_equal(store_file_begin(s, scan, path, st, now_ns() + 3000000000LL, &f), 0);
	for (size_t i = 0; i < n; i++) {
		struct store_recorded r;
		assert_int_equal(store_file_finding(f, findings[i], &r), 0);
		assert_true(r.id > 0);
		fresh += r.is_new;
		*ret_suppressed += r.suppressed;
	}
	assert_int_equal(store_file_end(f, n ? "findings" : "clean"), 0);
	return fresh;
}

static int count_rows(const struct store_row *row, void *ctx)
{
	(void)row;
	(*(int *)ctx)++;
	return 0;
}

static int count_findings(struct store *s, const struct store_filter *flt)
{
	int n = 0;
	assert_int_equal(store_findings(s, flt, count_rows, &n), 0);
	return n;
}

static void test_create(void **state)
{
	struct store *s = NULL;
	struct stat st;
	const char *path = fresh_path("create");

	(void)state;
	assert_int_equal(store_open(path, &s), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char folder[256];
	snprintf(folder, sizeof(folder), "%s/create", dir);
	assert_int_equal(stat(folder, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	store_close(s);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(sql_int(path, "PRAGMA journal_mode") == -1, 0);
	/* Opening again changes nothing. */
	assert_int_equal(store_open(path, &s), 0);
	store_close(s);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
}

static void test_refuse_foreign_and_newer(void **state)
{
	struct store *s = NULL;
	char path[300], link[300];

	(void)state;
	snprintf(path, sizeof(path), "%s/foreign.db", dir);
	sql_exec(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
	assert_int_equal(store_open(path, &s), ERR_FORMAT);
	assert_int_equal(sql_int(path, "SELECT x FROM t"), 1); /* left as it was */

	snprintf(path, sizeof(path), "%s/newer.db", dir);
	sql_exec(path, "PRAGMA application_id = 1346980167; PRAGMA user_version = 99; CREATE TABLE t (x);");
	assert_int_equal(store_open(path, &s), ERR_FORMAT);

	snprintf(path, sizeof(path), "%s/text.db", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a database, only text that is long enough to have a header", f);
	fclose(f);
	assert_int_not_equal(store_open(path, &s), 0);

	snprintf(link, sizeof(link), "%s/link.db", dir);
	assert_int_equal(symlink(fresh_path("create"), link), 0);
	assert_int_equal(store_open(link, &s), ERR_IO);
}

/* A version-1 store, as the first release wrote it, with one finding. */
static void test_migrate_from_v1(void **state)
{
	struct store *s = NULL;
	char path[300];

	(void)state;
	snprintf(path, sizeof(path), "%s/v1.db", dir);
	sql_exec(path,
	         "PRAGMA application_id = 1346980167; PRAGMA user_version = 1;"
	         "CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, device INTEGER,"
	         " inode INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, outcome TEXT,"
	         " last_scanned INTEGER);"
	         "CREATE TABLE findings (id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id)"
	         " ON DELETE CASCADE, member TEXT NOT NULL DEFAULT '', rule TEXT NOT NULL, label TEXT NOT NULL,"
	         " masked TEXT NOT NULL, fingerprint TEXT NOT NULL, confidence REAL NOT NULL, source TEXT NOT NULL,"
	         " line INTEGER, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, status TEXT NOT NULL"
	         " DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'false_positive', 'wiped')),"
	         " UNIQUE (file_id, member, rule, fingerprint));"
	         "CREATE TABLE scans (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started INTEGER NOT NULL,"
	         " finished INTEGER, files INTEGER, skipped INTEGER, findings INTEGER, errors INTEGER);"
	         "CREATE TABLE wipes (id INTEGER PRIMARY KEY, started INTEGER NOT NULL, finished INTEGER,"
	         " users TEXT, files INTEGER, bytes INTEGER, outcome TEXT);"
	         "CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL,"
	         " finding_id INTEGER NOT NULL, action TEXT NOT NULL, old_status TEXT, new_status TEXT);"
	         "INSERT INTO files VALUES (1, '/home/k/Desktop/a.txt', 1, 2, 3, 4, 5, 'findings', 1700000000);"
	         "INSERT INTO findings VALUES (1, 1, '', 'vn.cccd', 'CCCD', '052******234', '976affdb00de730d',"
	         " 0.9, 'text', 2, 1700000000, 1700000000, 'acknowledged');");
	chmod(path, 0600);
	assert_int_equal(store_open(path, &s), 0);
	struct store_filter all = {.status = -1};
	assert_int_equal(count_findings(s, &all), 1); /* kept, and present by default */
	struct store_filter ack = {.status = STORE_STATUS_ACKNOWLEDGED};
	assert_int_equal(count_findings(s, &ack), 1);
	store_close(s);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(sql_int(path, "SELECT present FROM findings WHERE id = 1"), 1);
}

static void test_record_review_suppress(void **state)
{
	struct store *s = NULL;
	struct stat st = {.st_dev = 1, .st_ino = 42, .st_size = 100};
	const struct store_finding *one[] = {&cccd};
	int64_t scan;
	int suppressed;

	(void)state;
	assert_int_equal(store_open(fresh_path("review"), &s), 0);
	assert_int_equal(store_scan_begin(s, "scan", &scan), 0);
	assert_int_equal(record(s, scan, "/home/k/Desktop/a.txt", &st, one, 1, &suppressed), 1);
	assert_int_equal(suppressed, 0);
	/* The same finding again is not new. */
	assert_int_equal(record(s, scan + 1, "/home/k/Desktop/a.txt", &st, one, 1, &suppressed), 0);
	struct store_scan_counts counts = {.files = 1, .findings = 1};
	assert_int_equal(store_scan_end(s, scan, &counts), 0);

	struct store_filter all = {.status = -1};
	int64_t id = 0;
	int n = 0;
	assert_int_equal(count_findings(s, &all), 1);
	/* Its id, through a filter on the folder. */
	struct store_filter by_path = {.status = -1, .path = "/home/k/Desktop/"};
	assert_int_equal(count_findings(s, &by_path), 1);
	struct store_filter other_path = {.status = -1, .path = "/home/k/Desk"};
	assert_int_equal(count_findings(s, &other_path), 0);
	struct store_filter by_rule = {.status = -1, .rule = "cn.ric"};
	assert_int_equal(count_findings(s, &by_rule), 0);
	(void)n;
	id = 1;

	assert_int_equal(store_set_status(s, id, STORE_STATUS_FALSE_POSITIVE, "it-staff"), 0);
	assert_int_equal(store_set_status(s, 999, STORE_STATUS_ACKNOWLEDGED, "it-staff"), ERR_NOTFOUND);
	struct store_filter fp = {.status = STORE_STATUS_FALSE_POSITIVE};
	assert_int_equal(count_findings(s, &fp), 1);

	/* Later, the same fingerprint in the same file on another line: kept as a
	 * false positive; in another file it is a new open finding. */
	struct store_finding moved = cccd;
	moved.line = 30;
	moved.rule = "vn.cccd";
	const struct store_finding *again[] = {&moved};
	record(s, scan + 2, "/home/k/Desktop/a.txt", &st, again, 1, &suppressed);
	assert_int_equal(suppressed, 1);
	struct stat st2 = {.st_dev = 1, .st_ino = 43, .st_size = 10};
	assert_int_equal(record(s, scan + 2, "/home/k/Downloads/b.txt", &st2, again, 1, &suppressed), 1);
	assert_int_equal(suppressed, 0);
	struct store_filter open = {.status = STORE_STATUS_OPEN};
	assert_int_equal(count_findings(s, &open), 1);

	/* A rescan without the finding: no longer present, hidden by default. */
	record(s, scan + 3, "/home/k/Downloads/b.txt", &st2, NULL, 0, &suppressed);
	assert_int_equal(count_findings(s, &open), 0);
	struct store_filter gone = {.status = STORE_STATUS_OPEN, .include_gone = true};
	assert_int_equal(count_findings(s, &gone), 1);
	store_close(s);
	assert_int_equal(sql_int(db_path, "SELECT count(*) FROM audit WHERE finding_id = 1 AND who = 'it-staff'"
	                                  " AND old_status = 'open' AND new_status = 'false_positive'"),
	                 1);
}

static void test_unchanged(void **state)
{
	struct store *s = NULL;
	struct stat st = {.st_dev = 7, .st_ino = 8, .st_size = 9};
	bool unchanged;
	int64_t scan;
	int suppressed;

	(void)state;
	st.st_mtim.tv_sec = time(NULL) - 100;
	st.st_ctim = st.st_mtim;
	assert_int_equal(store_open(fresh_path("unchanged"), &s), 0);
	assert_int_equal(store_file_unchanged(s, "/x/a", &st, &unchanged), 0);
	assert_false(unchanged); /* never scanned */
	assert_int_equal(store_scan_begin(s, "scan", &scan), 0);
	record(s, scan, "/x/a", &st, NULL, 0, &suppressed);
	assert_int_equal(store_file_unchanged(s, "/x/a", &st, &unchanged), 0);
	assert_true(unchanged);
	struct stat other = st;
	other.st_size++;
	assert_int_equal(store_file_unchanged(s, "/x/a", &other, &unchanged), 0);
	assert_false(unchanged);
	other = st;
	other.st_ino++;
	assert_int_equal(store_file_unchanged(s, "/x/a", &other, &unchanged), 0);
	assert_false(unchanged);
	other = st;
	other.st_ctim.tv_nsec++;
	assert_int_equal(store_file_unchanged(s, "/x/a", &other, &unchanged), 0);
	assert_false(unchanged);

	/* Modified in the same tick as its scan: not proven unchanged. */
	struct stat racy = st;
	struct store_file *f = NULL;
	racy.st_mtim.tv_sec = time(NULL);
	assert_int_equal(store_file_begin(s, scan, "/x/racy", &racy, now_ns(), &f), 0);
	assert_int_equal(store_file_end(f, "clean"), 0);
	assert_int_equal(store_file_unchanged(s, "/x/racy", &racy, &unchanged), 0);
	assert_false(unchanged);

	/* A scan that did not end with an outcome proves nothing. */
	assert_int_equal(store_file_begin(s, scan, "/x/bad", &st, now_ns() + 3000000000LL, &f), 0);
	assert_int_equal(store_file_end(f, "unreadable"), 0);
	assert_int_equal(store_file_unchanged(s, "/x/bad", &st, &unchanged), 0);
	assert_false(unchanged);
	store_close(s);
}

struct counted {
	char keys[8][64];
	uint64_t counts[8];
	int n;
};

static int on_count(const char *key, uint64_t count, void *ctx)
{
	struct counted *c = ctx;
	if (c->n < 8) {
		snprintf(c->keys[c->n], sizeof(c->keys[0]), "%s", key);
		c->counts[c->n++] = count;
	}
	return 0;
}

static void test_counts(void **state)
{
	struct store *s = NULL;
	struct stat st = {.st_dev = 1, .st_ino = 1, .st_size = 1};
	struct store_finding ric = cccd;
	const struct store_finding *both[] = {&cccd, &ric};
	int64_t scan;
	int suppressed;

	(void)state;
	ric.rule = "cn.ric";
	ric.fingerprint = "0123456789abcdef";
	assert_int_equal(store_open(fresh_path("counts"), &s), 0);
	assert_int_equal(store_scan_begin(s, "scan", &scan), 0);
	record(s, scan, "/home/k/Downloads/Telegram Desktop/a.txt", &st, both, 2, &suppressed);
	st.st_ino = 2;
	record(s, scan, "/home/k/Downloads/b.txt", &st, both, 1, &suppressed);

	struct store_filter all = {.status = -1};
	struct counted c = {0};
	assert_int_equal(store_count(s, &all, "rule", on_count, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.keys[0], "vn.cccd");
	assert_int_equal(c.counts[0], 2);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_count(s, &all, "application", on_count, &c), 0);
	assert_string_equal(c.keys[0], "Telegram");
	assert_int_equal(c.counts[0], 2);
	assert_string_equal(c.keys[1], "Downloads");
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_count(s, &all, "folder", on_count, &c), 0);
	assert_string_equal(c.keys[0], "/home/k/Downloads/Telegram Desktop");
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_count_per_day(s, &all, 30, on_count, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.counts[0], 3);
	assert_int_equal(store_count(s, &all, "bogus", on_count, &c), ERR_INVAL);
	store_close(s);
}

struct tallied {
	uint64_t keys, other, total;
};

static int on_tally(const char *key, uint64_t count, void *ctx)
{
	struct tallied *t = ctx;
	t->keys++;
	t->total += count;
	if (strcmp(key, "other") == 0)
		t->other += count;
	return 0;
}

/* Counts per folder stop at 4096 keys; the rest go to one "other". */
static void test_counts_other(void **state)
{
	struct store *s = NULL;
	struct stat st = {.st_dev = 1, .st_size = 1};
	const struct store_finding *one[] = {&cccd};
	struct store_filter all = {.status = -1};
	struct tallied t = {0};
	int64_t scan;
	int suppressed;

	(void)state;
	assert_int_equal(store_open(fresh_path("other"), &s), 0);
	assert_int_equal(store_scan_begin(s, "scan", &scan), 0);
	for (int i = 0; i < 4100; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/home/k/Downloads/d%d/a.txt", i);
		st.st_ino = (ino_t)i + 1;
		record(s, scan, path, &st, one, 1, &suppressed);
	}
	assert_int_equal(store_count(s, &all, "folder", on_tally, &t), 0);
	assert_int_equal(t.total, 4100);
	assert_int_equal(t.keys, 4097); /* 4096 folders and "other" once */
	assert_int_equal(t.other, 4);
	store_close(s);
}

/* Posture findings: recorded about a path without a file scan, swept when a
 * later run no longer sees them, and selectable by rule prefix. */
static void test_record_and_sweep(void **state)
{
	struct store *s = NULL;
	struct store_finding tv = {.rule = "posture.remote_access",
	                           .label = "Remote-access tool",
	                           .masked = "TeamViewer",
	                           .fingerprint = "aaaaaaaaaaaaaaaa",
	                           .confidence = 1.0,
	                           .source = "metadata"};
	struct store_recorded r;
	struct stat st = {.st_dev = 1, .st_ino = 9, .st_size = 1};
	const struct store_finding *one[] = {&cccd};
	int64_t run1, run2, scan;
	int suppressed;

	(void)state;
	assert_int_equal(store_open(fresh_path("posture"), &s), 0);
	/* A scan finding in the same file must survive posture runs. */
	assert_int_equal(store_scan_begin(s, "scan", &scan), 0);
	record(s, scan, "/var/lib/dpkg/status", &st, one, 1, &suppressed);
	assert_int_equal(store_scan_begin(s, "posture", &run1), 0);
	assert_int_equal(store_record(s, run1, "/var/lib/dpkg/status", &tv, &r), 0);
	assert_true(r.is_new);
	assert_int_equal(store_sweep(s, run1, "posture."), 0);
	struct store_filter posture = {.status = -1, .rule_prefix = "posture."};
	assert_int_equal(count_findings(s, &posture), 1);
	struct store_filter all = {.status = -1};
	assert_int_equal(count_findings(s, &all), 2);

	assert_int_equal(store_scan_begin(s, "posture", &run2), 0);
	assert_int_equal(store_record(s, run2, "/var/lib/dpkg/status", &tv, &r), 0);
	assert_false(r.is_new); /* the same finding, seen again */
	assert_int_equal(store_sweep(s, run2, "posture."), 0);
	assert_int_equal(count_findings(s, &posture), 1);

	int64_t run3;
	assert_int_equal(store_scan_begin(s, "posture", &run3), 0);
	assert_int_equal(store_sweep(s, run3, "posture."), 0); /* uninstalled since */
	assert_int_equal(count_findings(s, &posture), 0);
	assert_int_equal(count_findings(s, &all), 1); /* the scan's finding stays */
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_create),           cmocka_unit_test(test_refuse_foreign_and_newer),
	        cmocka_unit_test(test_migrate_from_v1),  cmocka_unit_test(test_record_review_suppress),
	        cmocka_unit_test(test_unchanged),        cmocka_unit_test(test_counts),
	        cmocka_unit_test(test_record_and_sweep), cmocka_unit_test(test_counts_other),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
