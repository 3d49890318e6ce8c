/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Firefox mozLz40 files (the .jsonlz4 files of sessionstore-backups, the session store
 * that keeps what was typed into pages; also search.json.mozlz4): the magic
 * "mozLz40\0", the decompressed size as u32 LE, then one LZ4 block. The
 * decompressed JSON goes back to the framework as the object itself. The
 * size field is not trusted: it is bounded by what LZ4 can expand to (255
 * times) and by LIMIT_MEMBER_BYTES before anything is allocated, and a size
 * that does not match what the block holds is reported as coverage.corrupt
 * with the bytes that did decode still read. A block that does not decode
 * at all is read as text runs (its literals).
 */
#include <lz4.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "extract.h"
#include "limits.h"

#define MOZLZ4_HEAD      12u  /* magic and size */
#define MOZLZ4_MAX_RATIO 255u /* an LZ4 sequence of n bytes gives at most 255 n + a few */

int extract_mozlz4(struct extract *x, const unsigned char *data, size_t len)
{
	const char *src = (const char *)data + MOZLZ4_HEAD;
	uint64_t declared, cap;
	size_t clen;
	char *out;
	int got, rc;
	bool partial;

	if (len < MOZLZ4_HEAD || len - MOZLZ4_HEAD > INT32_MAX) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "a mozLz4 file cut in its header, or too large");
		return 0;
	}
	clen = len - MOZLZ4_HEAD;
	declared = (uint64_t)data[8] | (uint64_t)data[9] << 8 | (uint64_t)data[10] << 16 | (uint64_t)data[11] << 24;
	cap = declared;
	if (cap > (uint64_t)MOZLZ4_MAX_RATIO * clen + 16) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "a mozLz4 size larger than its data can expand to");
		cap = (uint64_t)MOZLZ4_MAX_RATIO * clen + 16;
	}
	if (cap > LIMIT_MEMBER_BYTES) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT,
		                 "a mozLz4 file larger than 64 MiB decompressed, cut there");
		cap = LIMIT_MEMBER_BYTES;
	}
	if (cap == 0)
		return 0;
	rc = extract_check(x, (size_t)cap);
	if (rc < 0)
		return rc;
	out = malloc((size_t)cap);
	if (!out)
		return ERR_NOMEM;
	got = LZ4_decompress_safe(src, out, (int)clen, (int)cap);
	partial = got < 0;
	if (partial) /* the size field is too small, or the block is broken: what fits */
		got = LZ4_decompress_safe_partial(src, out, (int)clen, (int)cap, (int)cap);
	if (got < 0) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "a mozLz4 block that does not decode");
		rc = extract_runs(x, NULL, data + MOZLZ4_HEAD, clen);
	} else {
		if ((partial || (uint64_t)got != declared) && declared == cap)
			extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT,
			                 "a mozLz4 size that does not match its data");
		rc = extract_nested(x, NULL, out, (size_t)got);
	}
	explicit_bzero(out, (size_t)cap);
	free(out);
	return rc;
}
