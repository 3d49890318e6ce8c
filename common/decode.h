/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decoding of file bytes to UTF-8 before detection: charset detection from the
 * head of a file (BOM, UTF-16 by the pattern of NUL bytes, strict UTF-8, then
 * uchardet) and streaming conversion with iconv. Conversion never fails on bad
 * bytes: an invalid sequence becomes U+FFFD and decoding goes on, so a damaged
 * file still has its readable part scanned.
 */
#ifndef PIIGUARD_DECODE_H
#define PIIGUARD_DECODE_H

#include <stdbool.h>
#include <stddef.h>

struct decoder;

/*
 * Guess the charset of a file from its first len bytes (the caller passes up to
 * 64 KiB). Returns a static iconv name: "UTF-8" (also for pure ASCII and for
 * binary data that no detector claims), "UTF-16LE", "UTF-16BE", "GB18030",
 * "WINDOWS-1252", ... *ret_bom_len is the length of a byte-order mark to skip
 * (ret_bom_len may be NULL). The order is: a UTF-8 or UTF-16 byte-order mark;
 * UTF-16 without one, recognised only by NUL bytes on one parity (so UTF-16
 * text with almost no ASCII in it is missed); strict UTF-8; a head with many
 * NUL bytes, taken for binary and answered "UTF-8"; then uchardet, whose
 * GB2312/GBK/HZ answers become "GB18030" and ISO-8859-1 "WINDOWS-1252", and
 * whose silence becomes "WINDOWS-1252". uchardet needs a few dozen letters
 * with diacritics: on one short line it can name the wrong legacy charset.
 * UTF-32 byte-order marks are not recognised.
 */
const char *decode_detect(const unsigned char *head, size_t len, size_t *ret_bom_len);

/*
 * A decoder from charset (any name iconv_open() knows; "UTF-8" is checked and
 * passed through) to UTF-8. The caller frees it with decode_free(). Returns 0,
 * ERR_UNSUPPORTED, ERR_NOMEM or ERR_INVAL (NULL argument).
 */
int decode_new(const char *charset, struct decoder **ret);

/*
 * Convert in[0..in_len) to UTF-8 into out[0..out_cap). *ret_used gets the input
 * bytes consumed and *ret_out_len the output bytes written. Stops when the input
 * is used up, when out has fewer than 8 bytes left, or (unless final) at an
 * incomplete trailing sequence, which the caller passes again with more bytes.
 * Never fails on bad input: each invalid byte (each 2-byte unit for UTF-16)
 * becomes U+FFFD and decoding goes on. With final, an incomplete trailing
 * sequence becomes U+FFFD too (for UTF-8 one in all, for other charsets one per
 * byte or unit, since iconv cannot tell where the broken sequence ends), held-
 * back output is flushed and the decoder is reset for a new stream; final with
 * in_len 0 only flushes. Characters a converter holds back (WINDOWS-1258 keeps
 * a letter until it knows no accent follows) may be counted in *ret_used before
 * they appear in out. A call with out_cap >= 8 and input left always consumes
 * or writes something, except at an incomplete trailing sequence without
 * final. Returns 0 or ERR_INVAL (out_cap < 8 or a NULL argument).
 */
int decode_run(struct decoder *d, const unsigned char *in, size_t in_len, size_t *ret_used, char *out, size_t out_cap,
               size_t *ret_out_len, bool final);

/* Free a decoder; NULL is a no-op. */
void decode_free(struct decoder *d);

#endif
