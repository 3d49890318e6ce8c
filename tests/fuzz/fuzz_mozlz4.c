/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the mozLz4 extractor, through the framework; inputs without
 * the "mozLz40\0" magic get it in front (the size field and block follow
 * from the input).
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_extract_run(data, size, "mozLz40\0", 8);
	return 0;
}
