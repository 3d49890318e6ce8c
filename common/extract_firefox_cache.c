/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Firefox cache2 entries (not yet read: its bytes are scanned as text runs).
 */
#include "extract.h"

int extract_firefox_cache(struct extract *x, const unsigned char *data, size_t len)
{
	return extract_runs(x, NULL, data, len);
}

bool extract_firefox_cache_tail(const unsigned char *tail, size_t tail_len, uint64_t size)
{
	(void)tail;
	(void)tail_len;
	(void)size;
	return false;
}
