/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SQLite databases (Viber's viber.db, browsers' History, Web Data, Login
 * Data): every ordinary table is read row by row and given as one text run
 * per table, CSV-style, whose first line is the column names, so that a
 * column named "so_cccd" gives context to its cells; blobs that hold a file
 * are handed back to the framework as nested objects. The bytes are opened
 * in memory, read-only, with the schema untrusted: no disk, no views, no
 * virtual tables, no triggers, and a budget on every query.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "extract.h"
#include "limits.h"

#define SQLITE_OUT_BUF      (64u * 1024u) /* text is given to the framework in pieces this large */
#define SQLITE_MAX_ROWS     1000000       /* rows read from one table */
#define SQLITE_MAX_TABLES   4096          /* tables read from one database */
#define SQLITE_MAX_CELL     (16u << 20)   /* a longer cell is refused by SQLite (SQLITE_TOOBIG) */
#define SQLITE_MAX_SQL      (64u * 1024u) /* our queries are short; a table name is not a novel */
#define SQLITE_MAX_COLUMNS  2000          /* SQLite's own default */
#define SQLITE_PROGRESS_OPS 1000          /* VM instructions between two progress callbacks */
#define SQLITE_STEP_BUDGET  500000L       /* progress callbacks per database: about 5e8 instructions */
#define SQLITE_NESTED_MIN   64u           /* a blob smaller than this is no file worth opening */

struct sqlite_out {
	struct extract *x;
	char buf[SQLITE_OUT_BUF];
	size_t len;
	int rc;         /* ERR_LIMIT / ERR_TIMEOUT from extract_check: stop */
	long steps;     /* progress callbacks left */
	bool exhausted; /* the step budget ran out */
};

/* The budgets of a query: the framework's (bytes, time) and our own steps. */
static int sqlite_progress(void *ctx)
{
	struct sqlite_out *o = ctx;
	int rc = extract_check(o->x, 0);

	if (rc < 0) {
		o->rc = rc;
		return 1;
	}
	if (--o->steps <= 0) {
		o->exhausted = true;
		return 1;
	}
	return 0;
}

static void out_flush(struct sqlite_out *o)
{
	if (o->len == 0 || o->rc < 0)
		return;
	o->rc = extract_check(o->x, o->len);
	if (o->rc == 0)
		extract_text(o->x, o->buf, o->len);
	explicit_bzero(o->buf, o->len);
	o->len = 0;
}

static void out_byte(struct sqlite_out *o, char c)
{
	if (o->len == sizeof(o->buf))
		out_flush(o);
	o->buf[o->len++] = c;
}

/* Length of the valid UTF-8 sequence at p[0..n), 0 if it is not one. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t k;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2, c = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3, c = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4, c = p[0] & 0x07u;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
	}
	if ((k == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (k == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return k;
}

/* One cell as a CSV field: quoted when it holds a comma or a quote (quotes
 * doubled), line breaks and other control bytes as spaces, bytes that are
 * not UTF-8 as '?'. */
static void out_cell(struct sqlite_out *o, const unsigned char *p, size_t n)
{
	bool quote = memchr(p, ',', n) || memchr(p, '"', n);

	if (quote)
		out_byte(o, '"');
	for (size_t i = 0; i < n && o->rc == 0;) {
		size_t k = utf8_seq(p + i, n - i);
		if (k == 0) {
			out_byte(o, '?');
			i++;
			continue;
		}
		if (k == 1) {
			char c = (char)p[i];
			if (p[i] < 0x20 || p[i] == 0x7f)
				c = ' ';
			if (c == '"')
				out_byte(o, '"');
			out_byte(o, c);
		} else {
			for (size_t j = 0; j < k; j++)
				out_byte(o, (char)p[i + j]);
		}
		i += k;
	}
	if (quote)
		out_byte(o, '"');
}

/* Whether a blob reads as text: valid UTF-8 without control bytes, or at least
 * nine bytes in ten printable ASCII or white space. */
static bool blob_is_text(const unsigned char *p, size_t n)
{
	size_t printable = 0, i = 0;
	bool utf8 = true;

	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);
		if (k == 0 || (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r'))
			utf8 = false;
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')
			printable++;
		i += k ? k : 1;
	}
	return utf8 || printable >= n - n / 10;
}

/* Whether a blob starts like a file an extractor may read. */
static bool blob_is_file(const unsigned char *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} heads[] = {
	        {"PK\x03\x04", 4}, {"%PDF", 4}, {"\x1f\x8b", 2}, {"\xff\xd8\xff", 3}, {"\x89PNG", 4},
	};

	if (n < SQLITE_NESTED_MIN)
		return false;
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (memcmp(p, heads[i].magic, heads[i].len) == 0)
			return true;
	return false;
}

/* A table name as an SQL identifier: in double quotes, quotes doubled. */
static char *quote_ident(const char *name)
{
	size_t n = strlen(name), k = 0;
	char *q = malloc(2 * n + 3);

	if (!q)
		return NULL;
	q[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '"')
			q[k++] = '"';
		q[k++] = name[i];
	}
	q[k++] = '"';
	q[k] = '\0';
	return q;
}

/* The header line of table's run: its column names (after the rowid, when
 * first is 1). */
static void out_header(struct sqlite_out *o, sqlite3_stmt *q, int first)
{
	int ncol = sqlite3_column_count(q);

	for (int c = first; c < ncol && o->rc == 0; c++) {
		const char *name = sqlite3_column_name(q, c);
		if (c > first)
			out_byte(o, ',');
		if (name)
			out_cell(o, (const unsigned char *)name, strlen(name));
	}
	out_byte(o, '\n');
}

/* Every row of table as one text run of member table. Returns 0 (a table
 * that cannot be read is reported as corrupt or too large), or ERR_LIMIT /
 * ERR_TIMEOUT / ERR_NOMEM: stop the database. */
static int read_table(struct sqlite_out *o, sqlite3 *db, const char *table)
{
	struct extract *x = o->x;
	sqlite3_stmt *q = NULL;
	char *ident = quote_ident(table), *sql = NULL;
	int first = 1, rc = 0, r = SQLITE_DONE;
	long rows = 0;

	if (!ident)
		return ERR_NOMEM;
	sql = sqlite3_mprintf("SELECT rowid, * FROM %s", ident);
	if (!sql) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
		/* A WITHOUT ROWID table: rows are numbered as read. */
		sqlite3_free(sql);
		first = 0;
		sql = sqlite3_mprintf("SELECT * FROM %s", ident);
		if (!sql) {
			rc = ERR_NOMEM;
			goto out;
		}
		if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
			if (o->rc < 0) {
				rc = o->rc;
				goto out;
			}
			extract_coverage(x, table, EXTRACT_COVERAGE_CORRUPT, "table cannot be read");
			goto out;
		}
	}
	extract_text_begin(x, table);
	out_header(o, q, first);
	while (o->rc == 0 && (r = sqlite3_step(q)) == SQLITE_ROW) {
		int ncol = sqlite3_column_count(q);
		long long rowid = first ? sqlite3_column_int64(q, 0) : rows + 1;
		if (++rows > SQLITE_MAX_ROWS) {
			out_flush(o);
			extract_text_end(x);
			extract_coverage(x, table, EXTRACT_COVERAGE_LIMIT,
			                 "more than 1000000 rows; the rest is not read");
			goto out;
		}
		for (int c = first; c < ncol && o->rc == 0; c++) {
			const unsigned char *p;
			size_t n;
			if (c > first)
				out_byte(o, ',');
			switch (sqlite3_column_type(q, c)) {
			case SQLITE_INTEGER:
			case SQLITE_FLOAT:
			case SQLITE_TEXT:
				p = sqlite3_column_text(q, c);
				n = (size_t)sqlite3_column_bytes(q, c);
				if (p)
					out_cell(o, p, n);
				break;
			case SQLITE_BLOB:
				p = sqlite3_column_blob(q, c);
				n = (size_t)sqlite3_column_bytes(q, c);
				if (!p || n == 0)
					break;
				if (blob_is_file(p, n)) {
					/* Runs do not nest: this one ends for the blob's and
					 * resumes after it, header first. */
					char member[LIMIT_MEMBER_NAME];
					const char *col = sqlite3_column_name(q, c);
					snprintf(member, sizeof(member), "%s!rowid %lld!%s", table, rowid,
					         col ? col : "?");
					out_flush(o);
					extract_text_end(x);
					if (o->rc == 0) {
						int n_rc = extract_nested(x, member, p, n);
						if (n_rc == ERR_LIMIT || n_rc == ERR_TIMEOUT || n_rc == ERR_NOMEM)
							o->rc = n_rc;
					}
					if (o->rc == 0) {
						extract_text_begin(x, table);
						out_header(o, q, first);
					}
				} else if (blob_is_text(p, n)) {
					out_cell(o, p, n);
				}
				break;
			case SQLITE_NULL:
			default: break;
			}
		}
		out_byte(o, '\n');
	}
	out_flush(o);
	extract_text_end(x);
	if (o->rc < 0) {
		rc = o->rc;
	} else if (r == SQLITE_INTERRUPT && o->exhausted) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT, "database queries exceeded their step budget");
		rc = ERR_LIMIT;
	} else if (r == SQLITE_NOMEM) {
		rc = ERR_NOMEM;
	} else if (r == SQLITE_TOOBIG) {
		extract_coverage(x, table, EXTRACT_COVERAGE_LIMIT, "a cell larger than 16 MiB; the rest is not read");
	} else if (r != SQLITE_DONE && r != SQLITE_ROW) {
		extract_coverage(x, table, EXTRACT_COVERAGE_CORRUPT, "table is damaged; the rest is not read");
	}
out:
	sqlite3_finalize(q);
	sqlite3_free(sql);
	free(ident);
	return rc;
}

/* Whether the 100-byte header is SQLite's with a page size it can have. */
static bool header_ok(const unsigned char *d, size_t len)
{
	unsigned page;

	if (len < 100 || memcmp(d, "SQLite format 3", 16) != 0)
		return false;
	page = (unsigned)d[16] << 8 | d[17];
	if (page == 1)
		page = 65536;
	return page >= 512 && page <= 65536 && (page & (page - 1)) == 0;
}

/* Ordinary tables only: views and virtual tables run code, internal tables
 * hold nothing of the user's. pragma_table_list tells virtual tables apart
 * whatever their SQL text says; SQLite before 3.37 lacks it. */
static const char *const schema_queries[] = {
        "SELECT m.name FROM sqlite_schema m JOIN pragma_table_list t ON t.schema = 'main' AND t.name = m.name"
        " WHERE m.type = 'table' AND t.type IN ('table', 'shadow') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0"
        " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND upper(sql) NOT LIKE 'CREATE%VIRTUAL%'",
};

int extract_sqlite(struct extract *x, const unsigned char *data, size_t len)
{
	struct sqlite_out *o = NULL;
	unsigned char *copy = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL;
	long ntables = 0;
	int rc = 0, r = SQLITE_OK;

	if (!header_ok(data, len)) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "not a SQLite database (bad header)");
		return 0;
	}
	o = calloc(1, sizeof(*o));
	/* A WAL-mode file (format bytes 2) read without its -wal sibling: the
	 * main file holds everything checkpointed, and reads as a rollback
	 * database once those bytes say 1; the in-memory VFS has no WAL. */
	copy = malloc(len);
	if (!o || !copy) {
		rc = ERR_NOMEM;
		goto out;
	}
	memcpy(copy, data, len);
	if (copy[18] == 2)
		copy[18] = 1;
	if (copy[19] == 2)
		copy[19] = 1;
	o->x = x;
	o->steps = SQLITE_STEP_BUDGET;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY, NULL) !=
	    SQLITE_OK) {
		rc = ERR_NOMEM;
		goto out;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)SQLITE_MAX_CELL);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, (int)SQLITE_MAX_SQL);
	sqlite3_limit(db, SQLITE_LIMIT_COLUMN, SQLITE_MAX_COLUMNS);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_progress_handler(db, SQLITE_PROGRESS_OPS, sqlite_progress, o);
	if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
	                        SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "SQLite database cannot be opened");
		goto out;
	}
	for (size_t i = 0; i < sizeof(schema_queries) / sizeof(schema_queries[0]) && !tables; i++)
		r = sqlite3_prepare_v2(db, schema_queries[i], -1, &tables, NULL);
	if (!tables) {
		if (o->rc < 0)
			rc = o->rc;
		else if (r == SQLITE_NOMEM)
			rc = ERR_NOMEM;
		else
			extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "SQLite database schema cannot be read");
		goto out;
	}
	while ((r = sqlite3_step(tables)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		if (!name)
			continue;
		if (++ntables > SQLITE_MAX_TABLES) {
			extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT,
			                 "more than 4096 tables; the rest is not read");
			break;
		}
		rc = read_table(o, db, name);
		if (rc < 0)
			goto out;
	}
	if (o->rc < 0)
		rc = o->rc;
	else if (r == SQLITE_INTERRUPT && o->exhausted) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT, "database queries exceeded their step budget");
		rc = ERR_LIMIT;
	} else if (r == SQLITE_NOMEM)
		rc = ERR_NOMEM;
	else if (r != SQLITE_DONE && r != SQLITE_ROW)
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "SQLite database schema is damaged");
out:
	sqlite3_finalize(tables);
	sqlite3_close(db);
	if (copy) {
		explicit_bzero(copy, len);
		free(copy);
	}
	if (o) {
		explicit_bzero(o, sizeof(*o));
		free(o);
	}
	return rc;
}
