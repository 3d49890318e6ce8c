/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Raw snappy (LevelDB table blocks, Chromium's IndexedDB value wrapper, snappy
 * framing chunks) decoded with libsnappy behind checks of our own: the
 * declared length is read first, refused when the input could not possibly
 * expand to it (a snappy element of 3 bytes gives at most 64), and bounded by
 * the caller's cap before anything is allocated. Called by the LevelDB and
 * snappy extractors; it never trusts the stream and never allocates more than
 * the cap.
 */
#ifndef PIIGUARD_SNAPPY_RAW_H
#define PIIGUARD_SNAPPY_RAW_H

#include <stddef.h>

/* The uncompressed length that in[0..len) declares. Returns 0, or ERR_FORMAT
 * when the length is unreadable or more than the input can expand to. */
int snappy_raw_length(const unsigned char *in, size_t len, size_t *ret_len);

/*
 * Decompress in[0..len) into a new buffer *ret of *ret_len bytes (the caller
 * wipes and frees it). Returns 0, ERR_LIMIT when the declared length is over
 * cap, ERR_FORMAT for a broken stream (its output never surfaces), or
 * ERR_NOMEM.
 */
int snappy_raw_decompress(const unsigned char *in, size_t len, size_t cap, unsigned char **ret, size_t *ret_len);

#endif
