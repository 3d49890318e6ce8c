/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Charset detection and conversion to UTF-8 for the scanning engine, which
 * calls decode_detect() on the head of each text file and then streams the
 * file through decode_run(). Detection is ordered from certain to guessed: a
 * byte-order mark, UTF-16 by its NUL bytes, strict UTF-8, then uchardet.
 * Conversion must never fail, never stall and never touch memory outside the
 * buffers it is given, whatever bytes a hostile file holds.
 */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uchardet.h>

#include "error.h"

/*
 * The smallest output room decode_run() works with: the longest UTF-8
 * character (4 bytes) or a character a converter held back (at most 4) plus a
 * U+FFFD (3 bytes) always fit, so every call with room makes progress.
 */
#define DECODE_MIN_OUT 8

/*
 * Output room kept free while iconv converts, so that what a converter holds
 * back (WINDOWS-1258 keeps the last letter in case a combining accent
 * follows, EUC-JISX0213 the second character of a pair) can still be flushed.
 */
#define DECODE_FLUSH_ROOM 4

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
static const char decode_replacement[3] = {'\xef', '\xbf', '\xbd'};

/*
 * The UTF-16 test looks at no more than this many bytes: enough code units to
 * see a pattern, and it stays cheap on a 64 KiB head.
 */
#define DECODE_NUL_SAMPLE 4096

/*
 * Thresholds of the UTF-16 test. Text in a legacy or UTF-8 encoding has no
 * NUL bytes, while UTF-16 text has one in every ASCII character (space,
 * digits, line ends), always at the same parity. So we require at least
 * DECODE_NUL_MIN NULs on one parity, at least one code unit in
 * DECODE_NUL_RATIO with a NUL there (CJK or Persian text with few ASCII
 * characters still passes), and at most one NUL on the other parity for
 * DECODE_NUL_SKEW on the first. Binary data has NULs on both parities and
 * fails the last test.
 */
#define DECODE_NUL_MIN   4
#define DECODE_NUL_RATIO 64
#define DECODE_NUL_SKEW  10

/*
 * A head that is not UTF-16 and has at least one NUL byte in this many is
 * taken for binary data; it is passed through as UTF-8 so that the ASCII
 * runs in it reach the engine unchanged. Random bytes have one NUL in 256.
 */
#define DECODE_BINARY_NUL_RATIO 512

/*
 * glibc declares iconv_open() an allocator, so gcc's -fanalyzer takes its
 * failure value (iconv_t)-1 for memory that leaks. These bracket the two
 * functions that test for it.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define ICONV_LEAK_CHECK_OFF _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wanalyzer-malloc-leak\"")
#define ICONV_LEAK_CHECK_ON  _Pragma("GCC diagnostic pop")
#else
#define ICONV_LEAK_CHECK_OFF
#define ICONV_LEAK_CHECK_ON
#endif

/* What we answer when nothing better is known: every byte decodes. */
#define DECODE_FALLBACK "WINDOWS-1252"

struct decoder {
	iconv_t cd;       /* (iconv_t)-1 for the built-in UTF-8 path */
	size_t unit;      /* bytes skipped for one invalid input unit */
	bool shift_state; /* the state is a shift mode, which a flush resets */
	bool flush_full;  /* flush held-back output when out is full */
};

/*
 * uchardet's answers (as of 0.0.7) and the iconv name we decode them with.
 * The table also gives us static strings, since uchardet's own answer dies
 * with the detector. An answer missing here falls back to DECODE_FALLBACK.
 */
static const struct detector_answer {
	const char *answer;
	const char *charset;
} decode_answers[] = {
        {"ASCII", "UTF-8"},
        {"UTF-8", "UTF-8"},
        /* GB18030 is a superset of GB2312 and GBK. glibc has no HZ decoder;
	 * as GB18030 its ASCII, digits included, still comes through. */
        {"GB18030", "GB18030"},
        {"GB2312", "GB18030"},
        {"GBK", "GB18030"},
        {"HZ-GB-2312", "GB18030"},
        /* Files labelled Latin-1 are nearly always WINDOWS-1252, which also
	 * gives its 0x80-0x9F bytes a meaning. */
        {"ISO-8859-1", "WINDOWS-1252"},
        {"BIG5", "BIG5"},
        {"EUC-JP", "EUC-JP"},
        {"EUC-KR", "EUC-KR"},
        {"EUC-TW", "EUC-TW"},
        {"IBM852", "IBM852"},
        {"IBM855", "IBM855"},
        {"IBM866", "IBM866"},
        {"ISO-2022-CN", "ISO-2022-CN"},
        {"ISO-2022-JP", "ISO-2022-JP"},
        {"ISO-2022-KR", "ISO-2022-KR"},
        {"ISO-8859-2", "ISO-8859-2"},
        {"ISO-8859-3", "ISO-8859-3"},
        {"ISO-8859-4", "ISO-8859-4"},
        {"ISO-8859-5", "ISO-8859-5"},
        {"ISO-8859-6", "ISO-8859-6"},
        {"ISO-8859-7", "ISO-8859-7"},
        {"ISO-8859-8", "ISO-8859-8"},
        {"ISO-8859-9", "ISO-8859-9"},
        {"ISO-8859-10", "ISO-8859-10"},
        {"ISO-8859-11", "ISO-8859-11"},
        {"ISO-8859-13", "ISO-8859-13"},
        {"ISO-8859-15", "ISO-8859-15"},
        {"ISO-8859-16", "ISO-8859-16"},
        {"KOI8-R", "KOI8-R"},
        {"MAC-CENTRALEUROPE", "MAC-CENTRALEUROPE"},
        {"MAC-CYRILLIC", "MAC-CYRILLIC"},
        {"SHIFT_JIS", "SHIFT_JIS"},
        {"TIS-620", "TIS-620"},
        {"UHC", "UHC"},
        {"VISCII", "VISCII"},
        {"WINDOWS-1250", "WINDOWS-1250"},
        {"WINDOWS-1251", "WINDOWS-1251"},
        {"WINDOWS-1252", "WINDOWS-1252"},
        {"WINDOWS-1253", "WINDOWS-1253"},
        {"WINDOWS-1254", "WINDOWS-1254"},
        {"WINDOWS-1255", "WINDOWS-1255"},
        {"WINDOWS-1256", "WINDOWS-1256"},
        {"WINDOWS-1257", "WINDOWS-1257"},
        {"WINDOWS-1258", "WINDOWS-1258"},
};

enum utf8_scan {
	UTF8_VALID,
	UTF8_INVALID,
	UTF8_INCOMPLETE,
};

/*
 * Check the UTF-8 sequence at s[0..avail): valid (its length in *ret_len),
 * invalid at s[0], or a valid start cut off by the end of the buffer.
 * Strict: no overlong forms, no surrogates, nothing above U+10FFFF.
 */
static enum utf8_scan utf8_scan(const unsigned char *s, size_t avail, size_t *ret_len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (s[0] < 0x80) {
		*ret_len = 1;
		return UTF8_VALID;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		return UTF8_INVALID;
	}
	for (i = 1; i < need; i++) {
		if (i >= avail)
			return UTF8_INCOMPLETE;
		if (s[i] < lo || s[i] > hi)
			return UTF8_INVALID;
		lo = 0x80;
		hi = 0xbf;
	}
	*ret_len = need;
	return UTF8_VALID;
}

/* A sequence cut off at the end is accepted: the head ends mid-file. */
static bool utf8_valid(const unsigned char *s, size_t len)
{
	size_t pos = 0, n = 0;

	while (pos < len) {
		switch (utf8_scan(s + pos, len - pos, &n)) {
		case UTF8_VALID: pos += n; break;
		case UTF8_INCOMPLETE: return true;
		case UTF8_INVALID: return false;
		}
	}
	return true;
}

static bool nul_skewed(size_t major, size_t minor, size_t units)
{
	return major >= DECODE_NUL_MIN && major * DECODE_NUL_RATIO >= units && minor * DECODE_NUL_SKEW <= major;
}

/* "UTF-16LE", "UTF-16BE" or NULL, from where the NUL bytes sit. */
static const char *utf16_by_nuls(const unsigned char *head, size_t len)
{
	size_t n = len < DECODE_NUL_SAMPLE ? len : DECODE_NUL_SAMPLE;
	size_t even = 0, odd = 0, i;

	n &= ~(size_t)1;
	for (i = 0; i < n; i += 2) {
		even += head[i] == 0;
		odd += head[i + 1] == 0;
	}
	/* ASCII in UTF-16LE is "c 00": the NUL is the odd byte. */
	if (nul_skewed(odd, even, n / 2))
		return "UTF-16LE";
	if (nul_skewed(even, odd, n / 2))
		return "UTF-16BE";
	return NULL;
}

static bool looks_binary(const unsigned char *head, size_t len)
{
	size_t nul = 0, i;

	for (i = 0; i < len; i++)
		nul += head[i] == 0;
	return nul > 0 && nul * DECODE_BINARY_NUL_RATIO >= len;
}

ICONV_LEAK_CHECK_OFF
static bool iconv_can_decode(const char *charset)
{
	iconv_t cd = iconv_open("UTF-8", charset);

	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}
ICONV_LEAK_CHECK_ON

static const char *ask_uchardet(const unsigned char *head, size_t len)
{
	const char *charset = DECODE_FALLBACK;
	const char *answer;
	uchardet_t ud;
	size_t i;

	ud = uchardet_new();
	if (!ud)
		return DECODE_FALLBACK;
	if (uchardet_handle_data(ud, (const char *)head, len) != 0)
		goto out;
	uchardet_data_end(ud);
	answer = uchardet_get_charset(ud);
	for (i = 0; answer && i < sizeof(decode_answers) / sizeof(decode_answers[0]); i++) {
		if (strcasecmp(answer, decode_answers[i].answer) == 0) {
			charset = decode_answers[i].charset;
			break;
		}
	}
out:
	uchardet_delete(ud);
	/* A glibc built without some gconv modules must not leave us with a
	 * name decode_new() then refuses. */
	if (!iconv_can_decode(charset))
		charset = DECODE_FALLBACK;
	return charset;
}

const char *decode_detect(const unsigned char *head, size_t len, size_t *ret_bom_len)
{
	const char *charset;
	size_t bom = 0;

	if (len >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf) {
		charset = "UTF-8";
		bom = 3;
	} else if (len >= 2 && head[0] == 0xff && head[1] == 0xfe) {
		charset = "UTF-16LE";
		bom = 2;
	} else if (len >= 2 && head[0] == 0xfe && head[1] == 0xff) {
		charset = "UTF-16BE";
		bom = 2;
	} else if (len == 0) {
		charset = "UTF-8";
	} else if ((charset = utf16_by_nuls(head, len))) {
		/* found */
	} else if (utf8_valid(head, len) || looks_binary(head, len)) {
		charset = "UTF-8";
	} else {
		charset = ask_uchardet(head, len);
	}
	if (ret_bom_len)
		*ret_bom_len = bom;
	return charset;
}

static bool charset_is(const char *charset, const char *prefix)
{
	return strncasecmp(charset, prefix, strlen(prefix)) == 0;
}

ICONV_LEAK_CHECK_OFF
int decode_new(const char *charset, struct decoder **ret)
{
	struct decoder *d = NULL;
	int err;

	if (!charset || !ret)
		return ERR_INVAL;
	d = calloc(1, sizeof(*d));
	if (!d) {
		err = ERR_NOMEM;
		goto out;
	}
	d->cd = (iconv_t)-1;
	d->unit = 1;
	if (strcasecmp(charset, "UTF-8") != 0 && strcasecmp(charset, "UTF8") != 0) {
		d->cd = iconv_open("UTF-8", charset);
		if (d->cd == (iconv_t)-1) {
			err = errno == ENOMEM ? ERR_NOMEM : ERR_UNSUPPORTED;
			goto out;
		}
	}
	if (charset_is(charset, "UTF-16") || charset_is(charset, "UCS-2") || charset_is(charset, "UNICODE"))
		d->unit = 2;
	else if (charset_is(charset, "UTF-32") || charset_is(charset, "UCS-4") || charset_is(charset, "WCHAR_T"))
		d->unit = 4;
	d->shift_state = strstr(charset, "2022") != NULL || charset_is(charset, "UTF-7");
	d->flush_full = strcasestr(charset, "JISX0213") != NULL && !d->shift_state;
	*ret = d;
	d = NULL;
	err = 0;
out:
	free(d);
	return err;
}
ICONV_LEAK_CHECK_ON

void decode_free(struct decoder *d)
{
	if (!d)
		return;
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	free(d);
}

static void put_replacement(char *out, size_t *olen)
{
	memcpy(out + *olen, decode_replacement, sizeof(decode_replacement));
	*olen += sizeof(decode_replacement);
}

static void run_utf8(const unsigned char *in, size_t in_len, size_t *pos, char *out, size_t out_cap, size_t *olen,
                     bool final)
{
	size_t n = 0;

	while (*pos < in_len && out_cap - *olen >= DECODE_MIN_OUT) {
		switch (utf8_scan(in + *pos, in_len - *pos, &n)) {
		case UTF8_VALID:
			memcpy(out + *olen, in + *pos, n);
			*olen += n;
			*pos += n;
			break;
		case UTF8_INCOMPLETE:
			if (!final)
				return;
			/* The bytes left are a lead byte and its continuation
			 * bytes, so one U+FFFD loses no character. */
			put_replacement(out, olen);
			*pos = in_len;
			break;
		case UTF8_INVALID:
			put_replacement(out, olen);
			*pos += 1;
			break;
		}
	}
}

/*
 * Write out what the converter holds back and return it to its initial
 * state; false if out has no room for it, in which case nothing changes.
 */
static bool flush_held(struct decoder *d, char *out, size_t out_cap, size_t *olen)
{
	char *op = out + *olen;
	size_t left = out_cap - *olen;

	if (iconv(d->cd, NULL, NULL, &op, &left) == (size_t)-1)
		return false;
	*olen = out_cap - left;
	return true;
}

/*
 * One iconv() call on in[*pos..in_len), keeping DECODE_FLUSH_ROOM free when it
 * can. Should a converter need more room than that leaves for one step (two
 * characters written at once), we retry with all of it rather than stall.
 * Returns iconv()'s result with errno in *ret_errno.
 */
static size_t convert(struct decoder *d, const unsigned char *in, size_t in_len, size_t *pos, char *out, size_t out_cap,
                      size_t *olen, int *ret_errno)
{
	size_t reserve = DECODE_FLUSH_ROOM;

	for (;;) {
		/* iconv() takes char ** for its input but never writes it. */
		char *ip = (char *)(uintptr_t)(in + *pos);
		size_t il = in_len - *pos;
		char *op = out + *olen;
		size_t ol = out_cap - *olen - reserve;
		size_t r = iconv(d->cd, &ip, &il, &op, &ol);

		*ret_errno = errno;
		if (r == (size_t)-1 && *ret_errno == E2BIG && reserve > 0 && il == in_len - *pos && op == out + *olen) {
			reserve = 0;
			continue;
		}
		*pos = in_len - il;
		*olen = (size_t)(op - out);
		return r;
	}
}

static void run_iconv(struct decoder *d, const unsigned char *in, size_t in_len, size_t *pos, char *out, size_t out_cap,
                      size_t *olen, bool final)
{
	size_t skip;
	int e;

	while (*pos < in_len && out_cap - *olen >= DECODE_MIN_OUT) {
		if (convert(d, in, in_len, pos, out, out_cap, olen, &e) != (size_t)-1)
			continue;
		if (e == E2BIG) {
			/* glibc 2.36's EUC-JISX0213 and SHIFT_JISX0213 hold the
			 * second character of a pair that did not fit and, on
			 * the next call, write it again and again until out is
			 * full. Hand it out now, into DECODE_FLUSH_ROOM. */
			if (d->flush_full)
				flush_held(d, out, out_cap, olen);
			return;
		}
		if (e == EINVAL && !final)
			return; /* the caller passes the rest again with more */
		/*
		 * EILSEQ, or EINVAL at the end of the input: skip one unit and
		 * go on. For EINVAL we cannot drop the whole tail, because
		 * some converters (GB18030) answer EINVAL before they have
		 * seen enough bytes to know the sequence is invalid, and the
		 * tail may hold a good character. Let the next call handle it
		 * if the room left cannot take the held-back output and U+FFFD.
		 */
		if (out_cap - *olen < DECODE_MIN_OUT)
			return;
		/* Keep the output in input order: a held-back letter precedes
		 * the bad byte. */
		if (!d->shift_state && !flush_held(d, out, out_cap, olen))
			return;
		put_replacement(out, olen);
		skip = in_len - *pos < d->unit ? in_len - *pos : d->unit;
		*pos += skip;
	}
	/* At the end of the stream: emit what is held back and leave the
	 * converter ready for a new one. DECODE_FLUSH_ROOM or an earlier flush
	 * leaves room for it; if not, drop it rather than keep stale state. */
	if (final && *pos == in_len && !flush_held(d, out, out_cap, olen))
		iconv(d->cd, NULL, NULL, NULL, NULL);
}

int decode_run(struct decoder *d, const unsigned char *in, size_t in_len, size_t *ret_used, char *out, size_t out_cap,
               size_t *ret_out_len, bool final)
{
	size_t pos = 0, olen = 0;

	if (ret_used)
		*ret_used = 0;
	if (ret_out_len)
		*ret_out_len = 0;
	if (!d || !ret_used || !ret_out_len || !out || out_cap < DECODE_MIN_OUT || (!in && in_len > 0))
		return ERR_INVAL;
	if (d->cd == (iconv_t)-1)
		run_utf8(in, in_len, &pos, out, out_cap, &olen, final);
	else
		run_iconv(d, in, in_len, &pos, out, out_cap, &olen, final);
	*ret_used = pos;
	*ret_out_len = olen;
	return 0;
}
