/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Archives with libarchive (zip, tar, gzip, bzip2, xz, zstd, 7z, rar, cpio,
 * iso, and a single compressed file): every regular member is expanded into
 * memory within LIMIT_MEMBER_BYTES and handed back to the framework, which
 * detects what it is. Nothing is written to disk; a member's length field is
 * never trusted: the bytes are counted as they come.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "extract.h"
#include "limits.h"

#define ARCHIVE_READ_CHUNK (64u * 1024u)

/* Read the current member whole, within the limits. Returns 0 with the bytes
 * in *ret (the caller frees), 1 when it is too large (reported), or an error
 * (ERR_LIMIT/ERR_TIMEOUT: stop; ERR_FORMAT: the member is corrupt). */
static int read_member(struct extract *x, struct archive *a, const char *name, unsigned char **ret, size_t *ret_len)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;

	for (;;) {
		if (len + ARCHIVE_READ_CHUNK > cap) {
			size_t ncap = cap ? 2 * cap : ARCHIVE_READ_CHUNK * 4;
			if (ncap > LIMIT_MEMBER_BYTES + ARCHIVE_READ_CHUNK)
				ncap = LIMIT_MEMBER_BYTES + ARCHIVE_READ_CHUNK;
			if (ncap <= cap) {
				extract_coverage(x, name, EXTRACT_COVERAGE_LIMIT,
				                 "member larger than 64 MiB, not expanded");
				rc = 1;
				break;
			}
			unsigned char *n = realloc(buf, ncap);
			if (!n) {
				rc = ERR_NOMEM;
				break;
			}
			buf = n;
			cap = ncap;
		}
		la_ssize_t r = archive_read_data(a, buf + len, ARCHIVE_READ_CHUNK);
		if (r == 0)
			break;
		if (r < 0) {
			rc = ERR_FORMAT;
			break;
		}
		len += (size_t)r;
		rc = extract_check(x, (size_t)r);
		if (rc < 0)
			break;
	}
	if (rc != 0) {
		if (buf)
			explicit_bzero(buf, len);
		free(buf);
		return rc;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

int extract_archive(struct extract *x, const unsigned char *data, size_t len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int rc = 0, r;

	if (!a)
		return ERR_NOMEM;
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	archive_read_support_format_raw(a); /* a single gzip/xz/... compressed file */
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		/* libarchive undoes stacked compression (gzip in gzip ...) itself,
		 * up to its own limit of layers: past it the file is a bomb. */
		const char *why = archive_error_string(a);
		if (why && strstr(why, "too many filters"))
			extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT,
			                 "compressed in more layers than can be undone");
		else
			extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "archive cannot be opened");
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (r == ARCHIVE_FATAL) {
			extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "archive is damaged; the rest is not read");
			break;
		}
		const char *name = archive_entry_pathname(e);
		if (!name || !name[0])
			name = archive_format(a) == ARCHIVE_FORMAT_RAW ? "data" : "?";
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (archive_entry_is_encrypted(e)) {
			extract_coverage(x, name, EXTRACT_COVERAGE_ENCRYPTED, "encrypted archive member");
			continue;
		}
		unsigned char *member = NULL;
		size_t member_len = 0;
		int m = read_member(x, a, name, &member, &member_len);
		if (m == ERR_LIMIT || m == ERR_TIMEOUT || m == ERR_NOMEM) {
			rc = m;
			break;
		}
		if (m == ERR_FORMAT) {
			/* libarchive reports encryption it only meets while reading. */
			const char *why = archive_error_string(a);
			bool encrypted = why && (strstr(why, "ncrypt") || strstr(why, "assword"));
			extract_coverage(x, name, encrypted ? EXTRACT_COVERAGE_ENCRYPTED : EXTRACT_COVERAGE_CORRUPT,
			                 encrypted ? "encrypted archive member" : "archive member is damaged");
			continue;
		}
		if (m == 1)
			continue;
		rc = extract_nested(x, name, member, member_len);
		if (member)
			explicit_bzero(member, member_len);
		free(member);
		if (rc < 0)
			break;
	}
out:
	archive_read_free(a);
	return rc;
}
