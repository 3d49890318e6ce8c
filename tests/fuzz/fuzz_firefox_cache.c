/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the Firefox cache2 trailer test and extractor, through the
 * framework. An entry is known by its last bytes, so inputs are fed whole:
 * the corpus holds entries whose trailers pass, and mutations of their
 * bodies, metadata and trailers.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_extract_run(data, size, NULL, 0);
	return 0;
}
