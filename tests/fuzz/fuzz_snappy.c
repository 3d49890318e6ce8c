/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the snappy framing extractor, through the framework; inputs
 * without the stream identifier get it in front, and the decoded body goes
 * through type detection again.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_extract_run(data, size, "\xff\x06\x00\x00sNaPpY", 10);
	return 0;
}
