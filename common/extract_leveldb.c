/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LevelDB logs and tables (not yet read: its bytes are scanned as text runs).
 */
#include "extract.h"

int extract_leveldb(struct extract *x, const unsigned char *data, size_t len)
{
	return extract_runs(x, NULL, data, len);
}

bool extract_leveldb_log_head(const unsigned char *head, size_t len)
{
	(void)head;
	(void)len;
	return false;
}
