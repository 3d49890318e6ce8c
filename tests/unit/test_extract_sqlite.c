/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of extract_sqlite.c through the real framework (extract_new,
 * then extract_file on a database built here with SQLite in a temporary
 * directory): one run per table with the column names first, numbers as
 * text, a zip kept in a blob opened as a nested member, views and virtual
 * tables left alone, a WAL-mode file without its -wal, and damaged files
 * ending as coverage.corrupt. Every identifier is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "extract_record.h"

/* --- recording what the framework tells ------------------------------------ */

static struct extract *ctx;
static char dir[4096];

static bool has_run(const struct rec *r, const char *member)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (strcmp(r->runs[i].member, member) == 0)
			return true;
	return false;
}

/* --- building databases ---------------------------------------------------- */

/* A fresh database at dir/name built by sql; its path in path. */
static sqlite3 *db_create(const char *name, const char *sql, char *path, size_t size)
{
	sqlite3 *db = NULL;
	char *err = NULL;

	snprintf(path, size, "%s/%s", dir, name);
	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		print_message("sqlite: %s\n", err ? err : "?");
	assert_null(err);
	return db;
}

static void db_build(const char *name, const char *sql, char *path, size_t size)
{
	assert_int_equal(sqlite3_close(db_create(name, sql, path, size)), SQLITE_OK);
}

static unsigned char *read_whole(const char *path, size_t *ret_len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), (ssize_t)st.st_size);
	close(fd);
	*ret_len = (size_t)st.st_size;
	return buf;
}

#define ZIP_MAX (64u * 1024u)

/* --- tests ----------------------------------------------------------------- */

static void test_messages(void **state)
{
	char path[4200];
	struct rec r;
	const char *t;

	(void)state;
	db_build("viber.db",
	         "CREATE TABLE messages(msg_id INTEGER, body TEXT, sender TEXT);"
	         "INSERT INTO messages VALUES(1, 'Số CCCD: 052090001234', 'Nguyen, An');"
	         "INSERT INTO messages VALUES(2, 'dòng một' || char(10) || 'nói \"chào\"', NULL);"
	         "INSERT INTO messages VALUES(3, NULL, 'Le Binh');",
	         path, sizeof(path));
	rec_extract_path(ctx, path, &r);
	assert_string_equal(r.result.type, "sqlite");
	t = rec_text_of(&r, "messages");
	assert_non_null(t);
	assert_string_equal(t, "msg_id,body,sender\n"
	                       "1,Số CCCD: 052090001234,\"Nguyen, An\"\n"
	                       "2,\"dòng một nói \"\"chào\"\"\",\n"
	                       "3,,Le Binh\n");
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

static void test_integer_column(void **state)
{
	char path[4200];
	struct rec r;
	const char *t, *nl;

	(void)state;
	db_build("khach.db",
	         "CREATE TABLE khach_hang(ho_ten TEXT, so_cccd INTEGER);"
	         "INSERT INTO khach_hang VALUES('Tran Van B', 52090001234);",
	         path, sizeof(path));
	rec_extract_path(ctx, path, &r);
	t = rec_text_of(&r, "khach_hang");
	assert_non_null(t);
	nl = strchr(t, '\n');
	assert_non_null(nl);
	assert_int_equal(nl - t, strlen("ho_ten,so_cccd"));
	assert_memory_equal(t, "ho_ten,so_cccd", nl - t);
	assert_non_null(strstr(nl + 1, "52090001234"));
	assert_non_null(strstr(nl + 1, "\n"));
	assert_ptr_equal(strstr(nl + 1, "52090001234") < strchr(nl + 1, '\n'), true);
	rec_free(&r);
}

static void test_blob_zip(void **state)
{
	static unsigned char zip[ZIP_MAX];
	static const unsigned char binary[] = {0x00, 0x01, 0xfe, 0xff, 0x80, 0x00, 0x02, 0x03};
	char path[4200];
	sqlite3 *db;
	sqlite3_stmt *q;
	struct rec r;
	const char *t;
	size_t n = rec_zip_one("cmnd.txt", "Số CMND: 215123456\n", zip, ZIP_MAX);

	(void)state;
	assert_true(n >= 64);
	db = db_create("blob.db", "CREATE TABLE attachments(id INTEGER PRIMARY KEY, name TEXT, data BLOB);", path,
	               sizeof(path));
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO attachments VALUES(?, ?, ?)", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_int(q, 1, 7);
	sqlite3_bind_text(q, 2, "scan.zip", -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, zip, (int)n, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_reset(q);
	sqlite3_bind_int(q, 1, 8);
	sqlite3_bind_text(q, 2, "raw", -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, binary, sizeof(binary), SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_reset(q);
	sqlite3_bind_int(q, 1, 9);
	sqlite3_bind_text(q, 2, "note", -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, "ghi chú", (int)strlen("ghi chú"), SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);

	rec_extract_path(ctx, path, &r);
	t = rec_text_of(&r, "attachments!rowid 7!data!cmnd.txt");
	assert_non_null(t);
	assert_non_null(strstr(t, "Số CMND: 215123456"));
	assert_int_equal(r.result.members, 2);
	/* The table's run ends for the blob and resumes, header first. */
	assert_int_equal(r.nruns, 3);
	assert_string_equal(r.runs[0].member, "attachments");
	assert_string_equal(r.runs[0].text, "id,name,data\n7,scan.zip,");
	assert_string_equal(r.runs[2].member, "attachments");
	assert_string_equal(r.runs[2].text, "id,name,data\n\n8,raw,\n9,note,ghi chú\n");
	rec_free(&r);
}

static void test_view_and_virtual(void **state)
{
	char path[4200];
	struct rec r;
	sqlite3 *db;
	bool fts5;

	(void)state;
	db = db_create("view.db",
	               "CREATE TABLE t(a TEXT);"
	               "INSERT INTO t VALUES('hello');"
	               "CREATE VIEW v AS SELECT a || ' view' AS b FROM t;",
	               path, sizeof(path));
	fts5 = sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(c); INSERT INTO f VALUES('fts row');", NULL, NULL,
	                    NULL) == SQLITE_OK;
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	rec_extract_path(ctx, path, &r);
	assert_string_equal(rec_text_of(&r, "t"), "a\nhello\n");
	assert_false(has_run(&r, "v"));
	assert_false(has_run(&r, "f"));
	if (fts5)
		assert_true(has_run(&r, "f_content")); /* its ordinary shadow table is data */
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

static void test_without_rowid(void **state)
{
	char path[4200];
	struct rec r;

	(void)state;
	db_build("norowid.db",
	         "CREATE TABLE \"odd \"\"name\"\"\"(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;"
	         "INSERT INTO \"odd \"\"name\"\"\" VALUES('cccd', '052090001234');",
	         path, sizeof(path));
	rec_extract_path(ctx, path, &r);
	assert_string_equal(rec_text_of(&r, "odd \"name\""), "k,v\ncccd,052090001234\n");
	rec_free(&r);
}

static void test_wal(void **state)
{
	char path[4200];
	unsigned char *data;
	size_t len;
	struct rec r;

	(void)state;
	db_build("wal.db",
	         "PRAGMA journal_mode=WAL;"
	         "CREATE TABLE logins(origin_url TEXT, username_value TEXT);"
	         "INSERT INTO logins VALUES('https://dichvucong.gov.vn', '052090001234');"
	         "PRAGMA wal_checkpoint(TRUNCATE);",
	         path, sizeof(path));
	data = read_whole(path, &len);
	assert_true(len > 100);
	assert_int_equal(data[18], 2); /* still a WAL-mode file */
	rec_extract_bytes(ctx, data, len, &r);
	assert_string_equal(rec_text_of(&r, "logins"),
	                    "origin_url,username_value\nhttps://dichvucong.gov.vn,052090001234\n");
	assert_int_equal(r.ncovs, 0);
	free(data);
	rec_free(&r);
}

static void test_corrupt(void **state)
{
	char path[4200];
	unsigned char *data;
	size_t len;
	uint32_t seed = 12345;
	struct rec r;

	(void)state;
	db_build("bad.db",
	         "CREATE TABLE a(x TEXT); INSERT INTO a VALUES('052090001234');"
	         "CREATE TABLE b(y TEXT); INSERT INTO b VALUES('x');",
	         path, sizeof(path));
	data = read_whole(path, &len);
	for (size_t i = 100; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (unsigned char)(seed >> 16);
	}
	rec_extract_bytes(ctx, data, len, &r);
	assert_string_equal(r.result.type, "sqlite");
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	free(data);
	rec_free(&r);
}

static void test_header_only(void **state)
{
	static const char head[] = "SQLite format 3\0this is not a database at all, only its first bytes\n";
	struct rec r;

	(void)state;
	rec_extract_bytes(ctx, head, sizeof(head) - 1, &r);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_int_equal(r.nruns, 0);
	rec_free(&r);
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/piiguard-sqlite-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	return extract_new(&ctx);
}

static int teardown(void **state)
{
	static const char *const names[] = {"viber.db",   "khach.db", "blob.db", "view.db",
	                                    "norowid.db", "wal.db",   "bad.db"};
	char path[4200];

	(void)state;
	extract_free(ctx);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_messages),      cmocka_unit_test(test_integer_column),
	        cmocka_unit_test(test_blob_zip),      cmocka_unit_test(test_view_and_virtual),
	        cmocka_unit_test(test_without_rowid), cmocka_unit_test(test_wal),
	        cmocka_unit_test(test_corrupt),       cmocka_unit_test(test_header_only),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
