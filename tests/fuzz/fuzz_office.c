/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the OOXML and ODF extractors (zip parts, streamed XML,
 * spreadsheet cells), through the framework, seeded with real documents.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "PK\x03\x04";
	fuzz_extract_run(data, size, head, sizeof(head) - 1);
	return 0;
}
