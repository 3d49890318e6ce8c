/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC-32C (Castagnoli), the checksum of LevelDB logs and tables and of snappy
 * framing chunks, and the "masked" form both store (a rotation plus a
 * constant, so that a CRC over data holding CRCs stays meaningful). Pure
 * functions over caller bytes; the lookup table is built once, thread-safely.
 */
#ifndef PIIGUARD_CRC32C_H
#define PIIGUARD_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* The CRC-32C of data[0..len) continued from crc (0 to start). */
uint32_t crc32c_extend(uint32_t crc, const void *data, size_t len);

/* The CRC-32C of data[0..len): crc32c("123456789") is 0xe3069283. */
uint32_t crc32c(const void *data, size_t len);

/* The masked form LevelDB and snappy framing store, and back. */
uint32_t crc32c_mask(uint32_t crc);
uint32_t crc32c_unmask(uint32_t masked);

#endif
