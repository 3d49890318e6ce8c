/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the PDF extractor, through the framework; inputs without a PDF
 * head get "%PDF-" in front so that mutations keep reaching poppler.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_extract_run(data, size, "%PDF-", 5);
	return 0;
}
