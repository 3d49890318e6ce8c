/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes as a file for the extraction framework: type
 * detection, text streaming and every extractor (archives, Office, PDF,
 * e-mail, markup, SQLite). Its corpus holds seeds of each format.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_extract_run(data, size, NULL, 0);
	return 0;
}
