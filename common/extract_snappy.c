/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Snappy framing-format streams, as Firefox stores Cache API bodies
 * (storage/default/<origin>/cache/morgue/<n>/<uuid>.final): chunks of a type
 * byte and a 24-bit length; compressed (0x00) and uncompressed (0x01) chunks
 * carry a masked CRC-32C of their data and at most 64 KiB of it. The decoded
 * body is handed back to the framework as the object itself, so that its
 * own type (a JPEG, a JSON answer, HTML) is detected again. A chunk whose
 * checksum does not hold is still used (its data decoded cleanly; the file
 * gets one coverage.corrupt); a chunk that does not decode is left out and
 * the stream read on; a reserved chunk type or a chunk past the end stops
 * the stream there. The body stops at LIMIT_MEMBER_BYTES (coverage.limit).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "error.h"
#include "extract.h"
#include "grow.h"
#include "limits.h"
#include "snappy_raw.h"

#define SNAPPY_CHUNK_MAX 65536u /* uncompressed data of one chunk, per the format */

int extract_snappy_framed(struct extract *x, const unsigned char *data, size_t len)
{
	struct grow body = {0};
	bool corrupt = false;
	const char *why = NULL;
	size_t p = 0;
	int rc = 0;

	while (p < len && rc == 0) {
		unsigned type;
		size_t n;
		const unsigned char *c;
		if (len - p < 4) {
			why = "a snappy stream cut inside a chunk header";
			break;
		}
		type = data[p];
		n = (size_t)data[p + 1] | (size_t)data[p + 2] << 8 | (size_t)data[p + 3] << 16;
		if (n > len - p - 4) {
			why = "a snappy chunk longer than the rest of the stream";
			break;
		}
		c = data + p + 4;
		p += 4 + n;
		if (type == 0xff) {
			if (n != 6 || memcmp(c, "sNaPpY", 6) != 0) {
				why = "a snappy stream identifier that is not one";
				break;
			}
			continue;
		}
		if (type >= 0x80)
			continue; /* padding and skippable chunks */
		if (type > 0x01) {
			why = "a reserved snappy chunk type";
			break;
		}
		if (n < 4) {
			why = "a snappy data chunk without its checksum";
			break;
		}
		uint32_t want = crc32c_unmask((uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 |
		                              (uint32_t)c[3] << 24);
		unsigned char *plain = NULL;
		const unsigned char *d = c + 4;
		size_t dlen = n - 4, plain_len = 0;
		if (type == 0x00) {
			int r = snappy_raw_decompress(c + 4, n - 4, SNAPPY_CHUNK_MAX, &plain, &plain_len);
			if (r == ERR_NOMEM) {
				rc = r;
				break;
			}
			if (r < 0) {
				corrupt = true; /* the chunk is lost; the next ones are whole */
				continue;
			}
			d = plain;
			dlen = plain_len;
		} else if (dlen > SNAPPY_CHUNK_MAX) {
			corrupt = true;
		}
		if (crc32c(d, dlen) != want)
			corrupt = true;
		if (body.len + dlen > LIMIT_MEMBER_BYTES) {
			extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT,
			                 "a snappy body larger than 64 MiB, cut there");
			p = len;
			dlen = LIMIT_MEMBER_BYTES - body.len;
		}
		rc = extract_check(x, dlen);
		if (rc == 0)
			rc = grow_append(&body, d, dlen, LIMIT_MEMBER_BYTES);
		if (plain) {
			explicit_bzero(plain, plain_len);
			free(plain);
		}
	}
	if (why)
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, why);
	else if (corrupt)
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT,
		                 "a snappy stream with a chunk that does not decode or whose checksum does not hold");
	if (rc == 0 && body.len)
		rc = extract_nested(x, NULL, body.data, body.len);
	grow_free(&body);
	return rc;
}
