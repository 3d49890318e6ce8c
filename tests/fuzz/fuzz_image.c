/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the image reader through the framework (type by first bytes,
 * header size checks, leptonica/libheif decoding, zbar, the MRZ band search),
 * without OCR so that a run stays short; inputs that are no image get a PNG
 * signature in front.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_no_ocr = true;
	fuzz_extract_run(data, size, "\x89PNG\r\n\x1a\n", 8);
	return 0;
}
