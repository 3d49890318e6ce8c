/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the LevelDB extractor (logs and tables), through the
 * framework. The first byte chooses the shape: even, the rest is a log whose
 * record checksums are set right before it is read (so that mutations reach
 * reassembly, WriteBatches and the value decoders instead of dying at the
 * first checksum); odd, the rest is a table, given the footer magic when it
 * lacks it.
 */
#include "crc32c.h"
#include "fuzz_extract.h"

#define FUZZ_LOG_BLOCK 32768u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set the checksum of every record header that fits in its block. */
static void fuzz_fix_log(unsigned char *d, size_t len)
{
	for (size_t block = 0; block < len; block += FUZZ_LOG_BLOCK) {
		size_t end = len - block > FUZZ_LOG_BLOCK ? block + FUZZ_LOG_BLOCK : len, p = block;
		while (end - p >= 7) {
			size_t n = (size_t)d[p + 4] | (size_t)d[p + 5] << 8;
			uint32_t crc;
			if (n > end - p - 7)
				break;
			crc = crc32c_mask(crc32c(d + p + 6, 1 + n));
			for (int i = 0; i < 4; i++)
				d[p + (size_t)i] = (unsigned char)(crc >> (8 * i));
			p += 7 + n;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char magic[8] = {0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb};
	unsigned char *copy;
	size_t len;

	if (size < 1 || size > (8u << 20))
		return 0;
	len = size - 1;
	copy = malloc(len + sizeof(magic) + 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, len);
	if (data[0] % 2 == 0) {
		fuzz_fix_log(copy, len);
	} else if (len < 48 || memcmp(copy + len - 8, magic, 8) != 0) {
		memcpy(copy + len, magic, sizeof(magic));
		len += sizeof(magic);
	}
	fuzz_extract_run(copy, len, NULL, 0);
	free(copy);
	return 0;
}
