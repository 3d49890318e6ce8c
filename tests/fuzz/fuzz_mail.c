/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the e-mail extractor (headers, RFC 2047 words, MIME
 * parts, base64 and quoted-printable), through the framework; inputs that do
 * not look like mail get header lines in front.
 */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "From: a@example.vn\nSubject: x\n";
	fuzz_extract_run(data, size, head, sizeof(head) - 1);
	return 0;
}
