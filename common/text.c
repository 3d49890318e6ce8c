/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Normalisation, keyword folding, line counting and escaping for the engine.
 * The hot paths (normalise, count lines, high-byte test) are called on every
 * byte scanned, so they skip ASCII sixteen bytes at a time; everything else
 * runs only around candidate matches. Never reads outside the given ranges.
 */
#include "text.h"

#include <stdio.h>
#include <string.h>

#include "text_fold.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

bool text_has_high_bytes(const char *in, size_t len)
{
	size_t i = 0;
#if defined(__SSE2__)
	for (; i + 64 <= len; i += 64) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 16));
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 32));
		__m128i d = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 48));
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))))
			return true;
	}
#endif
	for (; i < len; i++)
		if ((unsigned char)in[i] >= 0x80)
			return true;
	return false;
}

size_t text_count_lines(const char *in, size_t len)
{
	size_t n = 0, i = 0;
#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (i + 16 <= len) {
		/* Per-byte counters (0 - -1 per match) for up to 255 blocks, then
		 * summed with one SAD: no popcount instruction needed. */
		__m128i acc = zero;
		size_t blocks = (len - i) / 16;
		if (blocks > 255)
			blocks = 255;
		for (size_t b = 0; b < blocks; b++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
		}
		__m128i sum = _mm_sad_epu8(acc, zero);
		n += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
	}
#endif
	for (; i < len; i++)
		n += in[i] == '\n';
	return n;
}

int32_t text_utf8_next(const unsigned char *p, const unsigned char *end, size_t *ret_len)
{
	unsigned char c = p[0];
	size_t need;
	int32_t cp, min;

	*ret_len = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)(end - p) <= need)
		return -1;
	for (size_t k = 1; k <= need; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*ret_len = need + 1;
	return cp;
}

/* What normalisation does with one code point: -1 keep its bytes, 0 drop it,
 * otherwise the ASCII byte that replaces it. */
static int normalise_code_point(int32_t cp)
{
	if (cp >= 0x0660 && cp <= 0x0669)
		return '0' + (cp - 0x0660);
	if (cp >= 0x06F0 && cp <= 0x06F9)
		return '0' + (cp - 0x06F0);
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return (int)(cp - 0xFEE0);
	if (cp == 0x00A0 || cp == 0x202F || cp == 0x2007 || cp == 0x3000)
		return ' ';
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
		return '-';
	if ((cp >= 0x200B && cp <= 0x200F) || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
		return 0;
	return -1;
}

/* Whether the sequence at p (bounded by end) is one normalise_code_point()
 * changes, judged from its first two or three bytes: C2 A0 (NBSP), D8 9C
 * (U+061C), D9 A0-A9 (Arabic-Indic digits), DB B0-B9 (Persian digits),
 * E2 80-81 / E2 88 92 (U+2000 block, minus), E3 80 80 (U+3000), EF BB BF
 * (U+FEFF) and EF BC-BD (full-width forms). Most letters are ruled out by
 * their lead byte alone. */
static bool normalise_candidate(const unsigned char *p, const unsigned char *end)
{
	if (end - p < 2)
		return false;
	switch (p[0]) {
	case 0xC2: return p[1] == 0xA0;
	case 0xD8: return p[1] == 0x9C;
	case 0xD9: return p[1] >= 0xA0 && p[1] <= 0xA9;
	case 0xDB: return p[1] >= 0xB0 && p[1] <= 0xB9;
	case 0xE2: return p[1] == 0x80 || p[1] == 0x81 || (p[1] == 0x88 && end - p >= 3 && p[2] == 0x92);
	case 0xE3: return p[1] == 0x80;
	case 0xEF: return p[1] == 0xBB || p[1] == 0xBC || p[1] == 0xBD;
	default: return false;
	}
}

static void map_add(struct text_map *map, size_t norm, size_t orig)
{
	if (!map || map->count >= map->cap)
		return;
	map->norm[map->count] = (uint32_t)norm;
	map->delta[map->count] = (uint32_t)(orig - norm);
	map->count++;
}

/* The next byte that may start a sequence normalise_candidate() accepts:
 * C2, D8-DB, E2-E3 or EF. */
static size_t next_candidate_lead(const char *in, size_t i, size_t len)
{
#if defined(__SSE2__)
	const __m128i c2 = _mm_set1_epi8((char)0xC2), ef = _mm_set1_epi8((char)0xEF);
	const __m128i d8 = _mm_set1_epi8((char)0xD8), e2 = _mm_set1_epi8((char)0xE2);
	const __m128i three = _mm_set1_epi8(3), one = _mm_set1_epi8(1);
	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
		/* x - lo <= span, unsigned: min(x - lo, span) == x - lo */
		__m128i a = _mm_sub_epi8(v, d8), b = _mm_sub_epi8(v, e2);
		__m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, ef));
		hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(a, three), a));
		hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(b, one), b));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	for (; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == 0xC2 || (c >= 0xD8 && c <= 0xDB) || c == 0xE2 || c == 0xE3 || c == 0xEF)
			return i;
	}
	return len;
}

size_t text_normalise(const char *in, size_t len, char *out, struct text_map *map)
{
	const unsigned char *u = (const unsigned char *)in, *end = u + len;
	size_t i = 0, o = 0;

	if (map)
		map->count = 0;
	while (i < len) {
		size_t j = next_candidate_lead(in, i, len);
		memmove(out + o, in + i, j - i);
		o += j - i;
		i = j;
		if (i == len)
			break;
		size_t n;
		int32_t cp = normalise_candidate(u + i, end) ? text_utf8_next(u + i, end, &n) : -1;
		int r = cp < 0 ? -1 : normalise_code_point(cp);
		if (r < 0) {
			/* Not changed: copy its lead byte; its continuation bytes
			 * are never candidates and go with the next run. */
			out[o++] = in[i++];
			continue;
		}
		if (r > 0)
			out[o++] = (char)r;
		i += n;
		map_add(map, o, i);
	}
	return o;
}

size_t text_map_original(const struct text_map *map, size_t pos)
{
	if (!map || map->count == 0 || pos < map->norm[0])
		return pos;
	size_t lo = 0, hi = map->count;
	/* The last point at or before pos. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (map->norm[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return pos + map->delta[lo];
}

/* The folded form of one code point: an ASCII letter, ' ' for white space,
 * 0 to drop it, or -1 to keep it as it is (possibly with another code point
 * written to *ret_cp). */
static int fold_code_point(int32_t cp, int32_t *ret_cp)
{
	*ret_cp = cp;
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return cp + 32;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
			return ' ';
		return (int)cp;
	}
	if (cp >= TEXT_FOLD_LATIN1_FIRST && cp <= TEXT_FOLD_LATIN1_LAST) {
		char b = text_fold_latin1[cp - TEXT_FOLD_LATIN1_FIRST];
		return b == '.' ? -1 : b;
	}
	if (cp >= TEXT_FOLD_EXTENDED_FIRST && cp <= TEXT_FOLD_EXTENDED_LAST) {
		char b = text_fold_extended[cp - TEXT_FOLD_EXTENDED_FIRST];
		return b == '.' ? -1 : b;
	}
	if (cp >= 0x0300 && cp <= 0x036F) /* combining marks of NFD text */
		return 0;
	if (cp == 0x00A0 || cp == 0x200C || cp == 0x202F || cp == 0x3000)
		return ' ';
	if (cp == 0x0640 || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670)
		return 0; /* tatweel and harakat: "ملّی" matches "ملی" */
	if (cp == 0x064A || cp == 0x0649)
		*ret_cp = 0x06CC; /* Arabic yeh and alef maksura to Farsi yeh */
	else if (cp == 0x0643)
		*ret_cp = 0x06A9; /* Arabic kaf to keheh */
	else if (cp == 0x06C0)
		*ret_cp = 0x0647; /* heh with yeh above ("شمارهٔ") to heh */
	else if (cp == 0x06D4 || cp == 0x0654)
		return 0;
	return -1;
}

size_t text_utf8_put(uint32_t c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

size_t text_fold(const char *in, size_t len, char *out)
{
	const unsigned char *u = (const unsigned char *)in;
	size_t i = 0, o = 0;

	while (i < len) {
		size_t n;
		int32_t cp = text_utf8_next(u + i, u + len, &n), mapped;
		int r = cp < 0 ? -1 : fold_code_point(cp, &mapped);
		if (r == ' ') {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
		} else if (r > 0) {
			out[o++] = (char)r;
		} else if (r < 0) {
			/* Kept or remapped; a remapped Arabic letter has the same
			 * two-byte length, so the output never grows. */
			if (cp >= 0 && mapped != cp && n == 2)
				o += text_utf8_put((uint32_t)mapped, out + o);
			else {
				memmove(out + o, in + i, n);
				o += n;
			}
		}
		i += n;
	}
	out[o] = '\0';
	return o;
}

void text_escape(const char *in, size_t len, char *out, size_t out_size)
{
	const unsigned char *u = (const unsigned char *)in;
	size_t o = 0, i = 0;

	if (out_size == 0)
		return;
	while (i < len) {
		char tmp[20]; /* four \xHH escapes and a NUL */
		size_t tn, n = 1;
		int32_t cp = text_utf8_next(u + i, u + len, &n);

		if (cp < 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
		    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
			/* Control bytes, invalid UTF-8 and bidi overrides could
			 * rewrite what a terminal shows: escape them. */
			if (cp == '\n')
				tn = (size_t)snprintf(tmp, sizeof(tmp), "\\n");
			else if (cp == '\t')
				tn = (size_t)snprintf(tmp, sizeof(tmp), "\\t");
			else if (cp == '\r')
				tn = (size_t)snprintf(tmp, sizeof(tmp), "\\r");
			else {
				tn = 0;
				for (size_t k = 0; k < n && tn + 5 <= sizeof(tmp); k++)
					tn += (size_t)snprintf(tmp + tn, sizeof(tmp) - tn, "\\x%02X", u[i + k]);
			}
		} else if (cp == '\\') {
			tn = 2;
			memcpy(tmp, "\\\\", 2);
		} else {
			tn = n;
			memcpy(tmp, in + i, n);
		}
		/* Keep room for "..." and the NUL: o + 4 <= out_size throughout. */
		if (o + tn + 4 > out_size) {
			if (o + 4 <= out_size) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, tmp, tn);
		o += tn;
		i += n;
	}
	out[o < out_size ? o : out_size - 1] = '\0';
}
