/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text helpers of the detection engine: normalisation of decoded UTF-8 before
 * matching (Persian, Arabic-Indic and full-width digits folded to ASCII,
 * full-width ASCII folded, separators unified, invisible format characters
 * removed) with a map back to the original offsets; folding of context words
 * (Vietnamese diacritics, case, Persian letter variants); and escaping of
 * untrusted bytes for terminals and logs. Pure functions over caller buffers.
 */
#ifndef PIIGUARD_TEXT_H
#define PIIGUARD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where normalisation changed lengths: from normalised offset norm[i] on, the
 * original offset is norm + delta[i]. A map needs room for one point per two
 * input bytes (every fold shortens by at least one byte).
 */
struct text_map {
	uint32_t *norm;
	uint32_t *delta;
	size_t count;
	size_t cap;
};

/* True when in[0..len) holds a byte >= 0x80. */
bool text_has_high_bytes(const char *in, size_t len);

/*
 * Normalise UTF-8 in[0..len) into out (room for len bytes: the result is never
 * longer). Returns the output length. When map is non-NULL it is reset and
 * filled (map->cap must be >= len / 2 + 1). Invalid or truncated UTF-8 is
 * copied unchanged.
 */
size_t text_normalise(const char *in, size_t len, char *out, struct text_map *map);

/* The original offset of normalised offset pos (identity for a NULL map). */
size_t text_map_original(const struct text_map *map, size_t pos);

/*
 * Fold in[0..len) for keyword search into out (room for len + 1 bytes; the
 * result is NUL-terminated and never longer): lower-case, Latin diacritics and
 * combining marks dropped, đ to d, Persian yeh/kaf variants unified, tatweel
 * and harakat dropped, every run of white space, ZWNJ or NBSP to one space.
 * Returns the output length.
 */
size_t text_fold(const char *in, size_t len, char *out);

/* Count '\n' bytes in in[0..len). */
size_t text_count_lines(const char *in, size_t len);

/*
 * Escape untrusted bytes (a file name) for a terminal or a log line: printable
 * ASCII and valid UTF-8 of printable characters kept, '\\' doubled, control
 * bytes as \n \t \r or \xHH, invalid UTF-8 bytes as \xHH. Writes at most
 * out_size bytes including the NUL; a longer result is cut with "...".
 */
void text_escape(const char *in, size_t len, char *out, size_t out_size);

/* Decode one UTF-8 code point at p (bounded by end); *ret_len gets its length.
 * Returns -1 (length 1) for an invalid or truncated sequence. */
int32_t text_utf8_next(const unsigned char *p, const unsigned char *end, size_t *ret_len);

/* Encode the code point c (below 0x110000; surrogates are the caller's to
 * avoid) as UTF-8 into out; returns its length, 1 to 4. */
size_t text_utf8_put(uint32_t c, char out[4]);

#endif
