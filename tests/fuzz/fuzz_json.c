/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the JSON extractor (string escapes decoded), through the
 * framework; inputs get an array with a \\u escape in front.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "[\"\\u0041\", ";
	fuzz_extract_run(data, size, head, sizeof(head) - 1);
	return 0;
}
