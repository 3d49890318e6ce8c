/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Legacy Office files (.doc, .xls, .ppt: OLE2 compound documents) read the
 * simple way: their runs of UTF-16LE text (how Word 97 and later store text
 * outside Latin-1, so all Vietnamese text) and of 8-bit printable text. The
 * compound file's structure is not parsed, so no length in it is trusted;
 * Word's table marks keep a table row on one line.
 */
#include "extract.h"

int extract_ole2(struct extract *x, const unsigned char *data, size_t len)
{
	return extract_runs_word(x, NULL, data, len);
}
