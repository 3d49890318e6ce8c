/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The findings store (see store.h) over SQLite. The schema is migrated step
 * by step from whatever version a file has (PRAGMA user_version); a file of
 * another application (PRAGMA application_id) or a newer version is refused,
 * never rewritten. Every statement is prepared once with bound parameters.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fsafe.h"

#define STORE_APPLICATION_ID 0x50494947 /* "PIIG" */

/* Migrations: entry i takes a store from version i to version i + 1. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
        /* 0 -> 1 */
        "CREATE TABLE files ("
        " id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, device INTEGER, inode INTEGER,"
        " size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, outcome TEXT, last_scanned INTEGER);"
        "CREATE TABLE findings ("
        " id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,"
        " member TEXT NOT NULL DEFAULT '', rule TEXT NOT NULL, label TEXT NOT NULL, masked TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL, confidence REAL NOT NULL, source TEXT NOT NULL, line INTEGER,"
        " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
        " status TEXT NOT NULL DEFAULT 'open'"
        "  CHECK (status IN ('open', 'acknowledged', 'false_positive', 'wiped')),"
        " UNIQUE (file_id, member, rule, fingerprint));"
        "CREATE TABLE scans (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started INTEGER NOT NULL,"
        " finished INTEGER, files INTEGER, skipped INTEGER, findings INTEGER, errors INTEGER);"
        "CREATE TABLE wipes (id INTEGER PRIMARY KEY, started INTEGER NOT NULL, finished INTEGER,"
        " users TEXT, files INTEGER, bytes INTEGER, outcome TEXT);"
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL,"
        " finding_id INTEGER NOT NULL, action TEXT NOT NULL, old_status TEXT, new_status TEXT);",
        /* 1 -> 2: whether a finding is still in its file, and the times a file
	 * was opened in ns (for the racy-clean check) */
        "ALTER TABLE findings ADD COLUMN present INTEGER NOT NULL DEFAULT 1;"
        "ALTER TABLE findings ADD COLUMN seen_scan INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE files ADD COLUMN opened_ns INTEGER NOT NULL DEFAULT 0;"
        "CREATE INDEX findings_last_seen ON findings(last_seen);"
        "CREATE INDEX findings_file ON findings(file_id, fingerprint);",
        /* 2 -> 3: what a wipe did, in counts and categories */
        "ALTER TABLE wipes ADD COLUMN mode TEXT;"
        "ALTER TABLE wipes ADD COLUMN dirs INTEGER;"
        "ALTER TABLE wipes ADD COLUMN links INTEGER;"
        "ALTER TABLE wipes ADD COLUMN special INTEGER;"
        "ALTER TABLE wipes ADD COLUMN overwritten INTEGER;"
        "ALTER TABLE wipes ADD COLUMN left_behind INTEGER;"
        "ALTER TABLE wipes ADD COLUMN errors INTEGER;"
        "ALTER TABLE wipes ADD COLUMN findings_after INTEGER;"
        "ALTER TABLE wipes ADD COLUMN media TEXT;"
        "ALTER TABLE wipes ADD COLUMN categories TEXT;",
};

enum statement {
	ST_FILE_GET,
	ST_FILE_UPSERT,
	ST_FINDING_SUPPRESSED,
	ST_FINDING_INSERT,
	ST_FINDING_UPDATE,
	ST_FINDINGS_GONE,
	ST_FILE_OUTCOME,
	ST_FILE_ENSURE,
	ST_SWEEP,
	ST_SCAN_BEGIN,
	ST_SCAN_END,
	ST_QUERY,
	ST_STATUS_GET,
	ST_STATUS_SET,
	ST_AUDIT_ADD,
	ST_AUDIT_GET,
	ST_PER_DAY,
	ST_WIPE_BEGIN,
	ST_WIPE_END,
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_COUNT,
};

static const char *const statements[ST_COUNT] = {
        [ST_FILE_GET] = "SELECT device, inode, size, mtime_ns, ctime_ns, opened_ns, outcome FROM files WHERE path = ?1",
        [ST_FILE_UPSERT] = "INSERT INTO files (path, device, inode, size, mtime_ns, ctime_ns, opened_ns, last_scanned)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (path) DO UPDATE SET"
                           " device = ?2, inode = ?3, size = ?4, mtime_ns = ?5, ctime_ns = ?6, opened_ns = ?7,"
                           " last_scanned = ?8, outcome = NULL RETURNING id",
        [ST_FINDING_SUPPRESSED] = "SELECT 1 FROM findings WHERE file_id = ?1 AND fingerprint = ?2"
                                  " AND status = 'false_positive' LIMIT 1",
        [ST_FINDING_INSERT] = "INSERT INTO findings (file_id, member, rule, label, masked, fingerprint, confidence,"
                              " source, line, first_seen, last_seen, status, present, seen_scan)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, 1, ?12)"
                              " ON CONFLICT (file_id, member, rule, fingerprint) DO NOTHING",
        [ST_FINDING_UPDATE] =
                "UPDATE findings SET last_seen = ?5, line = ?6, confidence = ?7, masked = ?9, present = 1,"
                " seen_scan = ?8 WHERE file_id = ?1 AND member = ?2 AND rule = ?3 AND fingerprint = ?4 RETURNING id",
        [ST_FINDINGS_GONE] = "UPDATE findings SET present = 0 WHERE file_id = ?1 AND seen_scan != ?2 AND present = 1",
        [ST_FILE_OUTCOME] = "UPDATE files SET outcome = ?2 WHERE id = ?1",
        [ST_FILE_ENSURE] = "INSERT INTO files (path) VALUES (?1) ON CONFLICT (path) DO UPDATE SET path = excluded.path"
                           " RETURNING id",
        [ST_SWEEP] = "UPDATE findings SET present = 0 WHERE substr(rule, 1, length(?2)) = ?2 AND seen_scan != ?1"
                     " AND present = 1",
        [ST_SCAN_BEGIN] = "INSERT INTO scans (kind, started) VALUES (?1, ?2) RETURNING id",
        [ST_SCAN_END] = "UPDATE scans SET finished = ?2, files = ?3, skipped = ?4, findings = ?5, errors = ?6"
                        " WHERE id = ?1",
        [ST_QUERY] = "SELECT f.id, files.path, f.member, f.rule, f.label, f.masked, f.fingerprint, f.confidence,"
                     " f.source, f.line, f.status, f.present, f.first_seen, f.last_seen"
                     " FROM findings f JOIN files ON files.id = f.file_id"
                     " WHERE (?1 = 0 OR f.last_seen >= ?1) AND (?2 IS NULL OR f.rule = ?2)"
                     " AND (?3 IS NULL OR files.path = ?3 OR substr(files.path, 1, length(?3) + 1) = ?3 || '/')"
                     " AND (?4 IS NULL OR f.status = ?4) AND (?5 OR f.present = 1) AND (?6 = 0 OR f.id = ?6)"
                     " AND (?8 IS NULL OR substr(f.rule, 1, length(?8)) = ?8)"
                     " AND (?9 IS NULL OR substr(f.rule, 1, length(?9)) != ?9)"
                     " ORDER BY f.last_seen DESC, f.id DESC",
        [ST_STATUS_GET] = "SELECT status FROM findings WHERE id = ?1",
        [ST_STATUS_SET] = "UPDATE findings SET status = ?2 WHERE id = ?1",
        [ST_AUDIT_ADD] = "INSERT INTO audit (at, who, finding_id, action, old_status, new_status)"
                         " VALUES (?1, ?2, ?3, 'status', ?4, ?5)",
        [ST_AUDIT_GET] = "SELECT at, who, action, old_status, new_status FROM audit WHERE finding_id = ?1 ORDER BY id",
        [ST_PER_DAY] = "SELECT date(f.first_seen, 'unixepoch') AS day, count(*) FROM findings f"
                       " JOIN files ON files.id = f.file_id WHERE f.first_seen >= ?7"
                       " AND (?1 = 0 OR f.last_seen >= ?1) AND (?2 IS NULL OR f.rule = ?2)"
                       " AND (?3 IS NULL OR files.path = ?3 OR substr(files.path, 1, length(?3) + 1) = ?3 || '/')"
                       " AND (?4 IS NULL OR f.status = ?4) AND (?5 OR f.present = 1) AND (?6 = 0 OR f.id = ?6)"
                       " AND (?8 IS NULL OR substr(f.rule, 1, length(?8)) = ?8)"
                       " AND (?9 IS NULL OR substr(f.rule, 1, length(?9)) != ?9)"
                       " GROUP BY day ORDER BY day",
        [ST_WIPE_BEGIN] = "INSERT INTO wipes (started, users) VALUES (?1, ?2) RETURNING id",
        [ST_WIPE_END] = "UPDATE wipes SET finished = ?2, mode = ?3, outcome = ?4, media = ?5, categories = ?6,"
                        " files = ?7, dirs = ?8, links = ?9, special = ?10, bytes = ?11, overwritten = ?12,"
                        " left_behind = ?13, errors = ?14, findings_after = ?15 WHERE id = ?1",
        [ST_BEGIN] = "BEGIN IMMEDIATE",
        [ST_COMMIT] = "COMMIT",
        [ST_ROLLBACK] = "ROLLBACK",
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	pthread_mutex_t lock;
};

struct store_file {
	struct store *s;
	int64_t file_id, scan_id, now;
	bool failed;
};

static int64_t now_seconds(void)
{
	return (int64_t)time(NULL);
}

static int64_t timespec_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* Reset a statement for its next use and return it. */
static sqlite3_stmt *stmt(struct store *s, enum statement which)
{
	sqlite3_stmt *q = s->st[which];
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return q;
}

static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : ERR_IO;
}

static int exec(struct store *s, enum statement which)
{
	return step_done(stmt(s, which));
}

static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

/* Make sure path is a regular file of ours, created 0600 when missing: SQLite
 * would follow a link and create the file with the umask's mode. */
static int prepare_file(const char *path)
{
	struct stat st;

	if (fsafe_make_parents(path) < 0)
		return ERR_IO;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (fd < 0)
		return ERR_IO;
	int rc = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? 0 : ERR_IO;
	close(fd);
	return rc;
}

static int pragma_int(sqlite3 *db, const char *sql, int64_t *ret)
{
	sqlite3_stmt *q = NULL;
	int rc = ERR_IO;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
		*ret = sqlite3_column_int64(q, 0);
		rc = 0;
	}
	sqlite3_finalize(q);
	return rc;
}

static int migrate(sqlite3 *db)
{
	int64_t version = 0, app = 0, tables = 0;
	char sql[128];

	if (pragma_int(db, "PRAGMA user_version", &version) < 0 || pragma_int(db, "PRAGMA application_id", &app) < 0 ||
	    pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables) < 0)
		return ERR_IO;
	if ((app != 0 && app != STORE_APPLICATION_ID) || (version == 0 && tables > 0) || version > STORE_SCHEMA_VERSION)
		return ERR_FORMAT;
	for (int64_t v = version; v < STORE_SCHEMA_VERSION; v++) {
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return ERR_IO;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; PRAGMA application_id = %d;", (int)(v + 1),
		         STORE_APPLICATION_ID);
		if (sqlite3_exec(db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return ERR_IO;
		}
	}
	return 0;
}

int store_open(const char *path, struct store **ret)
{
	struct store *s = NULL;
	int rc;

	*ret = NULL;
	rc = prepare_file(path);
	if (rc < 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ERR_NOMEM;
	pthread_mutex_init(&s->lock, NULL);
	rc = ERR_IO;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(s->db, 5000);
	/* A file that is not a database fails here, at its first read. */
	if (sqlite3_exec(s->db,
	                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
	                 " PRAGMA secure_delete = ON;",
	                 NULL, NULL, NULL) != SQLITE_OK) {
		rc = ERR_FORMAT;
		goto out;
	}
	rc = migrate(s->db);
	if (rc < 0)
		goto out;
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(s->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) !=
		    SQLITE_OK) {
			rc = ERR_IO;
			goto out;
		}
	*ret = s;
	s = NULL;
	rc = 0;
out:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* --- scanning ------------------------------------------------------------- */

int store_scan_begin(struct store *s, const char *kind, int64_t *ret_id)
{
	int rc = ERR_IO;

	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_SCAN_BEGIN);
	sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now_seconds());
	if (sqlite3_step(q) == SQLITE_ROW) {
		*ret_id = sqlite3_column_int64(q, 0);
		rc = 0;
	}
	sqlite3_reset(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_scan_end(struct store *s, int64_t scan_id, const struct store_scan_counts *c)
{
	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_SCAN_END);
	sqlite3_bind_int64(q, 1, scan_id);
	sqlite3_bind_int64(q, 2, now_seconds());
	sqlite3_bind_int64(q, 3, (int64_t)c->files);
	sqlite3_bind_int64(q, 4, (int64_t)c->skipped);
	sqlite3_bind_int64(q, 5, (int64_t)c->findings);
	sqlite3_bind_int64(q, 6, (int64_t)c->errors);
	int rc = step_done(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_wipe_begin(struct store *s, const char *users, int64_t *ret_id)
{
	int rc = 0;

	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_WIPE_BEGIN);
	sqlite3_bind_int64(q, 1, now_seconds());
	bind_text(q, 2, users);
	if (sqlite3_step(q) == SQLITE_ROW)
		*ret_id = sqlite3_column_int64(q, 0);
	else
		rc = ERR_IO;
	sqlite3_reset(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_wipe_end(struct store *s, int64_t wipe_id, const struct store_wipe *w)
{
	const uint64_t counts[] = {w->files,       w->dirs, w->links,  w->special,       w->bytes,
	                           w->overwritten, w->left, w->errors, w->findings_after};

	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_WIPE_END);
	sqlite3_bind_int64(q, 1, wipe_id);
	sqlite3_bind_int64(q, 2, now_seconds());
	bind_text(q, 3, w->mode);
	bind_text(q, 4, w->outcome);
	bind_text(q, 5, w->media);
	bind_text(q, 6, w->categories);
	for (int i = 0; i < (int)(sizeof(counts) / sizeof(counts[0])); i++)
		sqlite3_bind_int64(q, 7 + i, (int64_t)counts[i]);
	int rc = step_done(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_file_unchanged(struct store *s, const char *path, const struct stat *st, bool *ret_unchanged)
{
	int rc = 0;

	*ret_unchanged = false;
	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_FILE_GET);
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		int64_t mtime = timespec_ns(&st->st_mtim);
		const unsigned char *outcome = sqlite3_column_text(q, 6);
		/* Only a scan that ended with an outcome proves anything. */
		bool final = outcome && (strcmp((const char *)outcome, "clean") == 0 ||
		                         strcmp((const char *)outcome, "findings") == 0);
		*ret_unchanged = final && sqlite3_column_int64(q, 0) == (int64_t)st->st_dev &&
		                 sqlite3_column_int64(q, 1) == (int64_t)st->st_ino &&
		                 sqlite3_column_int64(q, 2) == (int64_t)st->st_size &&
		                 sqlite3_column_int64(q, 3) == mtime &&
		                 sqlite3_column_int64(q, 4) == timespec_ns(&st->st_ctim) &&
		                 mtime + STORE_RACY_NS <= sqlite3_column_int64(q, 5);
	} else if (r != SQLITE_DONE) {
		rc = ERR_IO;
	}
	sqlite3_reset(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_file_begin(struct store *s, int64_t scan_id, const char *path, const struct stat *st, int64_t opened_ns,
                     struct store_file **ret)
{
	struct store_file *f = calloc(1, sizeof(*f));
	sqlite3_stmt *q;

	*ret = NULL;
	if (!f)
		return ERR_NOMEM;
	pthread_mutex_lock(&s->lock);
	f->s = s;
	f->scan_id = scan_id;
	f->now = now_seconds();
	if (exec(s, ST_BEGIN) < 0)
		goto fail;
	q = stmt(s, ST_FILE_UPSERT);
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)st->st_dev);
	sqlite3_bind_int64(q, 3, (int64_t)st->st_ino);
	sqlite3_bind_int64(q, 4, (int64_t)st->st_size);
	sqlite3_bind_int64(q, 5, timespec_ns(&st->st_mtim));
	sqlite3_bind_int64(q, 6, timespec_ns(&st->st_ctim));
	sqlite3_bind_int64(q, 7, opened_ns);
	sqlite3_bind_int64(q, 8, f->now);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		exec(s, ST_ROLLBACK);
		goto fail;
	}
	f->file_id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	*ret = f;
	return 0;
fail:
	pthread_mutex_unlock(&s->lock);
	free(f);
	return ERR_IO;
}

/* Insert or refresh one finding of file_id, seen in scan scan_id at now. */
static int record_finding(struct store *s, int64_t file_id, int64_t scan_id, int64_t now, const struct store_finding *x,
                          struct store_recorded *ret)
{
	const char *member = x->member ? x->member : "";

	*ret = (struct store_recorded){0};
	sqlite3_stmt *q = stmt(s, ST_FINDING_SUPPRESSED);
	sqlite3_bind_int64(q, 1, file_id);
	bind_text(q, 2, x->fingerprint);
	ret->suppressed = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_reset(q);

	q = stmt(s, ST_FINDING_INSERT);
	sqlite3_bind_int64(q, 1, file_id);
	bind_text(q, 2, member);
	bind_text(q, 3, x->rule);
	bind_text(q, 4, x->label);
	bind_text(q, 5, x->masked);
	bind_text(q, 6, x->fingerprint);
	sqlite3_bind_double(q, 7, x->confidence);
	bind_text(q, 8, x->source);
	if (x->line)
		sqlite3_bind_int64(q, 9, (int64_t)x->line);
	sqlite3_bind_int64(q, 10, now);
	sqlite3_bind_text(q, 11, ret->suppressed ? "false_positive" : "open", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 12, scan_id);
	if (step_done(q) < 0)
		return ERR_IO;
	if (sqlite3_changes(s->db) == 1) {
		ret->is_new = true;
		ret->id = sqlite3_last_insert_rowid(s->db);
		return 0;
	}
	q = stmt(s, ST_FINDING_UPDATE);
	sqlite3_bind_int64(q, 1, file_id);
	bind_text(q, 2, member);
	bind_text(q, 3, x->rule);
	bind_text(q, 4, x->fingerprint);
	sqlite3_bind_int64(q, 5, now);
	if (x->line)
		sqlite3_bind_int64(q, 6, (int64_t)x->line);
	sqlite3_bind_double(q, 7, x->confidence);
	sqlite3_bind_int64(q, 8, scan_id);
	bind_text(q, 9, x->masked); /* a posture finding's subject carries a count that changes */
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		return ERR_IO;
	}
	ret->id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_file_finding(struct store_file *f, const struct store_finding *x, struct store_recorded *ret)
{
	if (f->failed) {
		*ret = (struct store_recorded){0};
		return ERR_IO;
	}
	int rc = record_finding(f->s, f->file_id, f->scan_id, f->now, x, ret);
	if (rc < 0)
		f->failed = true;
	return rc;
}

int store_record(struct store *s, int64_t scan_id, const char *path, const struct store_finding *x,
                 struct store_recorded *ret)
{
	sqlite3_stmt *q;
	int rc;

	*ret = (struct store_recorded){0};
	pthread_mutex_lock(&s->lock);
	rc = exec(s, ST_BEGIN);
	if (rc < 0)
		goto out;
	q = stmt(s, ST_FILE_ENSURE);
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		rc = ERR_IO;
	} else {
		int64_t file_id = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		rc = record_finding(s, file_id, scan_id, now_seconds(), x, ret);
	}
	rc = rc == 0 ? exec(s, ST_COMMIT) : rc;
	if (rc < 0)
		exec(s, ST_ROLLBACK);
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_sweep(struct store *s, int64_t scan_id, const char *rule_prefix)
{
	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_SWEEP);
	sqlite3_bind_int64(q, 1, scan_id);
	sqlite3_bind_text(q, 2, rule_prefix, -1, SQLITE_STATIC);
	int rc = step_done(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_file_end(struct store_file *f, const char *outcome)
{
	struct store *s = f->s;
	int rc = f->failed ? ERR_IO : 0;

	if (rc == 0) {
		sqlite3_stmt *q = stmt(s, ST_FINDINGS_GONE);
		sqlite3_bind_int64(q, 1, f->file_id);
		sqlite3_bind_int64(q, 2, f->scan_id);
		rc = step_done(q);
	}
	if (rc == 0) {
		/* The outcome is set last: a file whose recording failed half-way
		 * is never taken for a finished scan. */
		sqlite3_stmt *q = stmt(s, ST_FILE_OUTCOME);
		sqlite3_bind_int64(q, 1, f->file_id);
		sqlite3_bind_text(q, 2, outcome, -1, SQLITE_STATIC);
		rc = step_done(q);
	}
	if (rc == 0)
		rc = exec(s, ST_COMMIT);
	if (rc < 0)
		exec(s, ST_ROLLBACK);
	pthread_mutex_unlock(&s->lock);
	free(f);
	return rc;
}

/* --- review --------------------------------------------------------------- */

static const char *const status_names[] = {
        [STORE_STATUS_OPEN] = "open",
        [STORE_STATUS_ACKNOWLEDGED] = "acknowledged",
        [STORE_STATUS_FALSE_POSITIVE] = "false_positive",
        [STORE_STATUS_WIPED] = "wiped",
};

const char *store_status_name(enum store_status status)
{
	return (unsigned)status < sizeof(status_names) / sizeof(status_names[0]) ? status_names[status] : "open";
}

int store_status_parse(const char *name, enum store_status *ret)
{
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(name, status_names[i]) == 0) {
			*ret = (enum store_status)i;
			return 0;
		}
	return ERR_INVAL;
}

/* Bind a filter to parameters 1 to 6 of ST_QUERY or ST_PER_DAY. */
static void bind_filter(sqlite3_stmt *q, const struct store_filter *flt, char *path_buf, size_t path_size)
{
	sqlite3_bind_int64(q, 1, flt->since);
	bind_text(q, 2, flt->rule);
	if (flt->path) {
		/* "/home/a/" and "/home/a" name the same folder. */
		snprintf(path_buf, path_size, "%s", flt->path);
		size_t len = strlen(path_buf);
		while (len > 1 && path_buf[len - 1] == '/')
			path_buf[--len] = '\0';
		sqlite3_bind_text(q, 3, path_buf, -1, SQLITE_STATIC);
	}
	if (flt->status >= 0)
		sqlite3_bind_text(q, 4, store_status_name((enum store_status)flt->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, flt->include_gone);
	sqlite3_bind_int64(q, 6, flt->id);
	bind_text(q, 8, flt->rule_prefix);
	bind_text(q, 9, flt->rule_not_prefix);
}

static const char *column_text(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? (const char *)t : "";
}

int store_findings(struct store *s, const struct store_filter *flt, store_row_fn *fn, void *ctx)
{
	char path[4096];
	int rc = 0, r;

	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_QUERY);
	bind_filter(q, flt, path, sizeof(path));
	while (rc == 0 && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_row row = {
		        .id = sqlite3_column_int64(q, 0),
		        .path = column_text(q, 1),
		        .finding =
		                {
		                        .member = sqlite3_column_bytes(q, 2) ? column_text(q, 2) : NULL,
		                        .rule = column_text(q, 3),
		                        .label = column_text(q, 4),
		                        .masked = column_text(q, 5),
		                        .fingerprint = column_text(q, 6),
		                        .confidence = sqlite3_column_double(q, 7),
		                        .source = column_text(q, 8),
		                        .line = (uint64_t)sqlite3_column_int64(q, 9),
		                },
		        .present = sqlite3_column_int(q, 11) != 0,
		        .first_seen = sqlite3_column_int64(q, 12),
		        .last_seen = sqlite3_column_int64(q, 13),
		};
		store_status_parse(column_text(q, 10), &row.status);
		rc = fn(&row, ctx);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = ERR_IO;
	sqlite3_reset(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_set_status(struct store *s, int64_t id, enum store_status status, const char *who)
{
	char old[32] = "";
	sqlite3_stmt *q;
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = exec(s, ST_BEGIN);
	if (rc < 0)
		goto out;
	q = stmt(s, ST_STATUS_GET);
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		exec(s, ST_ROLLBACK);
		rc = ERR_NOTFOUND;
		goto out;
	}
	snprintf(old, sizeof(old), "%s", column_text(q, 0));
	sqlite3_reset(q);
	q = stmt(s, ST_STATUS_SET);
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, store_status_name(status), -1, SQLITE_STATIC);
	rc = step_done(q);
	if (rc == 0) {
		q = stmt(s, ST_AUDIT_ADD);
		sqlite3_bind_int64(q, 1, now_seconds());
		bind_text(q, 2, who);
		sqlite3_bind_int64(q, 3, id);
		bind_text(q, 4, old);
		sqlite3_bind_text(q, 5, store_status_name(status), -1, SQLITE_STATIC);
		rc = step_done(q);
	}
	rc = rc == 0 ? exec(s, ST_COMMIT) : rc;
	if (rc < 0)
		exec(s, ST_ROLLBACK);
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_audit(struct store *s, int64_t id, store_audit_fn *fn, void *ctx)
{
	int rc = 0, r;

	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_AUDIT_GET);
	sqlite3_bind_int64(q, 1, id);
	while (rc == 0 && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_audit a = {
		        .at = sqlite3_column_int64(q, 0),
		        .who = column_text(q, 1),
		        .action = column_text(q, 2),
		        .old_status = column_text(q, 3),
		        .new_status = column_text(q, 4),
		};
		rc = fn(&a, ctx);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = ERR_IO;
	sqlite3_reset(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

const char *store_application(const char *path)
{
	/* Most specific first: a Telegram download folder sits in Downloads. */
	static const struct {
		const char *needle, *name;
	} apps[] = {
	        {"TelegramDesktop", "Telegram"},
	        {"/Telegram Desktop/", "Telegram"},
	        {"/.ViberPC/", "Viber"},
	        {"/ViberDownloads/", "Viber"},
	        {"/ZaloData/", "Zalo"},
	        {"/Zalo", "Zalo"},
	        {"/google-chrome/", "Chrome"},
	        {"/chromium/", "Chromium"},
	        {"/microsoft-edge/", "Edge"},
	        {"/coccoc/", "Cốc Cốc"},
	        {"/.mozilla/firefox/", "Firefox"},
	        {"/Downloads/", "Downloads"},
	        {"/Tải xuống/", "Downloads"},
	        {"/Desktop/", "Desktop"},
	        {"/Màn hình nền/", "Desktop"},
	        {"/Documents/", "Documents"},
	        {"/Tài liệu/", "Documents"},
	        {"/Pictures/", "Pictures"},
	        {"/Ảnh/", "Pictures"},
	};
	for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++)
		if (strstr(path, apps[i].needle))
			return apps[i].name;
	return "other";
}

struct tally {
	struct tally_entry {
		char *key;
		uint64_t count;
	} * v;
	size_t n, cap;
	const char *by;
	bool nomem;
};

#define TALLY_KEYS_MAX 4096 /* past this, new keys count as "other" */

static int tally_add(const struct store_row *row, void *ctx)
{
	struct tally *t = ctx;
	char folder[4096];
	const char *key;

	if (strcmp(t->by, "rule") == 0) {
		key = row->finding.rule;
	} else if (strcmp(t->by, "folder") == 0) {
		const char *slash = strrchr(row->path, '/');
		size_t len = slash ? (size_t)(slash - row->path) : 0;
		if (!slash)
			key = ".";
		else if (len == 0)
			key = "/";
		else if (len >= sizeof(folder))
			key = "other";
		else {
			memcpy(folder, row->path, len);
			folder[len] = '\0';
			key = folder;
		}
	} else {
		key = store_application(row->path);
	}
	/* Past TALLY_KEYS_MAX keys, the rest count under one "other". */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < t->n; i++)
			if (strcmp(t->v[i].key, key) == 0) {
				t->v[i].count++;
				return 0;
			}
		if (t->n < TALLY_KEYS_MAX)
			break;
		key = "other";
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct tally_entry *v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return ERR_NOMEM;
		t->v = v;
		t->cap = cap;
	}
	char *copy = strdup(key);
	if (!copy)
		return ERR_NOMEM;
	t->v[t->n].key = copy;
	t->v[t->n++].count = 1;
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct tally_entry *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

int store_count(struct store *s, const struct store_filter *flt, const char *by, store_count_fn *fn, void *ctx)
{
	struct tally t = {.by = by};
	int rc;

	if (strcmp(by, "rule") != 0 && strcmp(by, "folder") != 0 && strcmp(by, "application") != 0)
		return ERR_INVAL;
	rc = store_findings(s, flt, tally_add, &t);
	if (rc == 0 && t.n > 1)
		qsort(t.v, t.n, sizeof(t.v[0]), by_count);
	for (size_t i = 0; i < t.n && rc == 0; i++)
		rc = fn(t.v[i].key, t.v[i].count, ctx);
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i].key);
	free(t.v);
	return rc;
}

int store_count_per_day(struct store *s, const struct store_filter *flt, int days, store_count_fn *fn, void *ctx)
{
	char path[4096];
	int rc = 0, r;

	pthread_mutex_lock(&s->lock);
	sqlite3_stmt *q = stmt(s, ST_PER_DAY);
	bind_filter(q, flt, path, sizeof(path));
	sqlite3_bind_int64(q, 7, now_seconds() - (int64_t)days * 86400);
	while (rc == 0 && (r = sqlite3_step(q)) == SQLITE_ROW)
		rc = fn(column_text(q, 0), (uint64_t)sqlite3_column_int64(q, 1), ctx);
	if (rc == 0 && r != SQLITE_DONE)
		rc = ERR_IO;
	sqlite3_reset(q);
	pthread_mutex_unlock(&s->lock);
	return rc;
}
