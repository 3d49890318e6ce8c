/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the HTML and XML extractor (tags dropped, entities
 * decoded), through the framework; inputs get a start tag in front.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "<html><p>";
	fuzz_extract_run(data, size, head, sizeof(head) - 1);
	return 0;
}
