/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checked raw snappy decompression over libsnappy (see snappy_raw.h). The
 * library validates every element as it decodes; the checks here are about
 * memory: no allocation from a length the input cannot back.
 */
#include "snappy_raw.h"

#include <snappy-c.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* The most a snappy stream expands: a 3-byte copy element gives 64 bytes. */
#define SNAPPY_RAW_MAX_RATIO 22u

int snappy_raw_length(const unsigned char *in, size_t len, size_t *ret_len)
{
	size_t n = 0;

	*ret_len = 0;
	if (len == 0 || snappy_uncompressed_length((const char *)in, len, &n) != SNAPPY_OK)
		return ERR_FORMAT;
	if (n / SNAPPY_RAW_MAX_RATIO > len)
		return ERR_FORMAT;
	*ret_len = n;
	return 0;
}

int snappy_raw_decompress(const unsigned char *in, size_t len, size_t cap, unsigned char **ret, size_t *ret_len)
{
	unsigned char *out;
	size_t n, got;
	int rc = snappy_raw_length(in, len, &n);

	*ret = NULL;
	*ret_len = 0;
	if (rc < 0)
		return rc;
	if (n > cap)
		return ERR_LIMIT;
	out = malloc(n ? n : 1);
	if (!out)
		return ERR_NOMEM;
	got = n;
	if (snappy_uncompress((const char *)in, len, (char *)out, &got) != SNAPPY_OK || got != n) {
		explicit_bzero(out, n);
		free(out);
		return ERR_FORMAT;
	}
	*ret = out;
	*ret_len = n;
	return 0;
}
