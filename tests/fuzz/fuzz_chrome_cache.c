/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the Chromium Simple cache extractor and the content decoders
 * behind it, through the framework; inputs without the entry magic get it in
 * front so that mutations keep reaching the extractor.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_extract_run(data, size, "\x30\x5c\x72\xa7\x1b\x6d\xfb\xfc", 8);
	return 0;
}
