/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC-32C over the reflected polynomial 0x82f63b78, one table lookup per byte
 * (fast enough: type detection checks at most one 32 KiB log record per file).
 * The masking constant is LevelDB's and snappy framing's.
 */
#include "crc32c.h"

#include <pthread.h>

#define CRC32C_POLY       0x82f63b78u
#define CRC32C_MASK_DELTA 0xa282ead8u

static uint32_t crc32c_table[256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;

static void crc32c_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc32c_table[i] = c;
	}
}

uint32_t crc32c_extend(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;

	pthread_once(&crc32c_once, crc32c_init);
	crc = ~crc;
	for (size_t i = 0; i < len; i++)
		crc = crc32c_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t crc32c(const void *data, size_t len)
{
	return crc32c_extend(0, data, len);
}

uint32_t crc32c_mask(uint32_t crc)
{
	return ((crc >> 15) | (crc << 17)) + CRC32C_MASK_DELTA;
}

uint32_t crc32c_unmask(uint32_t masked)
{
	uint32_t rot = masked - CRC32C_MASK_DELTA;
	return (rot >> 17) | (rot << 15);
}
