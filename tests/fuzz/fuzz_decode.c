/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: charset detection of arbitrary bytes, then decoding them with
 * the detected charset and with a charset the first byte chooses, in pieces,
 * into a small output buffer. Decoding must always progress and end.
 */
#include <stdint.h>
#include <stdlib.h>

#include "decode.h"

static const char *const charsets[] = {"UTF-8",        "UTF-16LE",     "UTF-16BE", "GB18030",   "WINDOWS-1258",
                                       "WINDOWS-1256", "WINDOWS-1252", "BIG5",     "SHIFT_JIS", "EUC-KR"};

static void decode_all(const char *charset, const uint8_t *data, size_t size)
{
	struct decoder *d = NULL;
	char out[64];
	size_t pos = 0, rounds = 0;

	if (decode_new(charset, &d) < 0)
		return;
	while (pos < size || rounds == 0) {
		size_t used = 0, n = 0, take = size - pos < 13 ? size - pos : 13;
		bool final = pos + take == size;
		decode_run(d, data + pos, take, &used, out, sizeof(out), &n, final);
		pos += used;
		if (used == 0 && n == 0 && final)
			break;
		if (++rounds > 8 * size + 16)
			abort(); /* no progress */
	}
	decode_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t bom = 0;
	const char *cs = decode_detect(data, size, &bom);

	if (bom > size)
		abort();
	decode_all(cs, data + bom, size - bom);
	if (size)
		decode_all(charsets[data[0] % (sizeof(charsets) / sizeof(charsets[0]))], data, size);
	return 0;
}
