/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RTF documents (not yet read: its bytes are scanned as text runs).
 */
#include "extract.h"

int extract_rtf(struct extract *x, const unsigned char *data, size_t len)
{
	return extract_runs(x, NULL, data, len);
}
