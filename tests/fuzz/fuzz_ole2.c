/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the legacy Office extractor (text runs of OLE2 files),
 * through the framework; inputs get the compound file signature in front.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
	fuzz_extract_run(data, size, head, sizeof(head) - 1);
	return 0;
}
