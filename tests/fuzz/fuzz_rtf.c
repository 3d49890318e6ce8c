/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the RTF extractor, through the framework; inputs without an
 * RTF head get "{\rtf" in front so that mutations keep reaching it.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_extract_run(data, size, "{\\rtf", 5);
	return 0;
}
