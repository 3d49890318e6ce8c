/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the SQLite extractor, through the framework; inputs without
 * the 16-byte database header get it in front so that mutations keep
 * reaching SQLite's parser.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[16] = "SQLite format 3"; /* and its NUL */
	fuzz_extract_run(data, size, head, sizeof(head));
	return 0;
}
