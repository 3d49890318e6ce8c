/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the extractor unit tests share: a handler that records every text run
 * (member and text) and coverage outcome the framework reports, checking that
 * runs never nest, and a way to extract bytes through a temporary file, the
 * real extract_file() path. Included by the test_extract_*.c files only; the
 * functions are static inline so a test that leaves one unused still builds.
 */
#ifndef PIIGUARD_EXTRACT_RECORD_H
#define PIIGUARD_EXTRACT_RECORD_H

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"

struct run {
	char *member;
	char *text;
	size_t len;
};

struct cov {
	char *member;
	enum extract_coverage what;
	char *detail;
};

struct rec {
	struct run *runs;
	size_t nruns;
	struct cov *covs;
	size_t ncovs;
	bool open;
	struct extract_result result;
};

static inline char *rec_dup(const char *s)
{
	char *d = strdup(s ? s : "");
	assert_non_null(d);
	return d;
}

static inline void rec_begin(void *c, const char *member)
{
	struct rec *r = c;
	struct run *runs = realloc(r->runs, (r->nruns + 1) * sizeof(*runs));

	assert_false(r->open);
	assert_non_null(runs);
	r->runs = runs;
	r->runs[r->nruns++] = (struct run){.member = rec_dup(member), .text = rec_dup("")};
	r->open = true;
}

static inline void rec_text(void *c, const char *utf8, size_t len)
{
	struct rec *r = c;
	struct run *run = &r->runs[r->nruns - 1];
	char *text;

	assert_true(r->open);
	text = realloc(run->text, run->len + len + 1);
	assert_non_null(text);
	memcpy(text + run->len, utf8, len);
	run->len += len;
	text[run->len] = '\0';
	run->text = text;
}

static inline void rec_end(void *c)
{
	struct rec *r = c;

	assert_true(r->open);
	r->open = false;
}

static inline void rec_coverage(void *c, const char *member, enum extract_coverage what, const char *detail)
{
	struct rec *r = c;
	struct cov *covs = realloc(r->covs, (r->ncovs + 1) * sizeof(*covs));

	assert_non_null(covs);
	r->covs = covs;
	r->covs[r->ncovs++] = (struct cov){.member = rec_dup(member), .what = what, .detail = rec_dup(detail)};
}

static inline void rec_free(struct rec *r)
{
	for (size_t i = 0; i < r->nruns; i++) {
		free(r->runs[i].member);
		free(r->runs[i].text);
	}
	for (size_t i = 0; i < r->ncovs; i++) {
		free(r->covs[i].member);
		free(r->covs[i].detail);
	}
	free(r->runs);
	free(r->covs);
	memset(r, 0, sizeof(*r));
}

/* The text of the only run of member (NULL when none; fails when several). */
static inline const char *rec_text_of(const struct rec *r, const char *member)
{
	const char *found = NULL;

	for (size_t i = 0; i < r->nruns; i++)
		if (strcmp(r->runs[i].member, member) == 0) {
			assert_null(found);
			found = r->runs[i].text;
		}
	return found;
}

static inline bool rec_has_coverage(const struct rec *r, const char *member, enum extract_coverage what)
{
	for (size_t i = 0; i < r->ncovs; i++)
		if (strcmp(r->covs[i].member, member) == 0 && r->covs[i].what == what)
			return true;
	return false;
}

static inline void rec_dump(const struct rec *r)
{
	for (size_t i = 0; i < r->nruns; i++)
		print_message("run %s: [%s]\n", r->runs[i].member, r->runs[i].text);
	for (size_t i = 0; i < r->ncovs; i++)
		print_message("coverage %s: %d %s\n", r->covs[i].member, (int)r->covs[i].what, r->covs[i].detail);
}

/* Extract the file at path with x into a fresh *r (PIIGUARD_TEST_VERBOSE=1
 * prints what was recorded). */
static inline void rec_extract_path(struct extract *x, const char *path, struct rec *r)
{
	static const struct extract_handler h = {
	        .text_begin = rec_begin, .text = rec_text, .text_end = rec_end, .coverage = rec_coverage};
	struct stat st;
	int fd;

	memset(r, 0, sizeof(*r));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(extract_file(x, fd, &st, &h, r, &r->result), 0);
	close(fd);
	assert_false(r->open);
	if (getenv("PIIGUARD_TEST_VERBOSE"))
		rec_dump(r);
}

/* Extract bytes written to a temporary file. */
static inline void rec_extract_bytes(struct extract *x, const void *data, size_t len, struct rec *r)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/piiguard-extract-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	rec_extract_path(x, path, r);
	unlink(path);
}

/* A one-member zip of text, deflated by libarchive's writer into out (cap
 * bytes); returns its length. */
static inline size_t rec_zip_one(const char *name, const char *text, unsigned char *out, size_t cap)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	size_t used = 0, len = strlen(text);

	assert_non_null(a);
	assert_non_null(e);
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, out, cap, &used), ARCHIVE_OK);
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, text, len), (la_ssize_t)len);
	archive_entry_free(e);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return used;
}

#endif
