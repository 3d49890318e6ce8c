/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the browser cache extractors (extract_chrome_cache.c,
 * extract_firefox_cache.c) and of content_decode.c, through the real
 * framework: Chromium Simple entries and Firefox cache2 entries are laid out
 * byte by byte here, with bodies encoded here (zlib, zstd) or pre-encoded
 * (brotli), and each must give its text under the URL of its key. Hostile
 * entries (lying lengths, cut files, a compression bomb, an encrypted
 * entry) must end with their coverage outcome and what can still be read.
 * Every identifier is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "extract.h"
#include "extract_record.h"

#define URL_PAGE       "http://localhost:8080/ho-so.html"
#define URL_JSON       "http://localhost:8080/data.json"
#define KEY_PAGE       "1/0/_dk_http://localhost http://localhost " URL_PAGE
#define KEY_JSON       "1/0/_dk_http://localhost http://localhost " URL_JSON
#define CCCD_A         "052090001234"
#define CCCD_B         "079203000777"
#define TEXT_A         "<html><body><p>Họ và tên: Nguyễn Văn An</p><p>Số CCCD: " CCCD_A "</p></body></html>\n"
#define TEXT_B         "{\"ho_ten\": \"Trần Thị Bình\", \"so_cccd\": \"" CCCD_B "\"}\n"
#define HEADERS(extra) "HTTP/1.1 200 OK\0Content-Type: application/json\0" extra "Cache-Control: max-age=3600\0"

/* "Hồ sơ công dân, bản sao lưu. " six times, then "Số CCCD: 079203000777\n",
 * brotli-encoded (quality 11) by libbrotlienc, which the tests do not link. */
static const unsigned char brotli_b[] =
        "\x1b\xf5\x00\xf8\x8d\xd4\x5a\x2d\x36\xef\xf2\xe9\x6f\x92\xbe\xf3\x3f\xe2\x74\x7b\x40\x7b\x12\x74\x01\x0d"
        "\x90\x49\x85\x4b\xfc\xf7\x8d\x02\x4c\x4e\x70\xc8\xe9\x81\xf1\x80\x2d\xc1\x10\xb1\x76\xe0\x02\x1a\xac\xf1"
        "\x99\x4d\x71\x8f\x68\xff\x09\xee\x73\x16\x21\xbc\x67\x2e\x08\x1c\x71\x2d\x05\x5a\xbb\x44\xf6\xaf\x3d\x43"
        "\x58\x19\xa0\x30\xaa\x0c\xc9\xbf\xce\x12";

static struct extract *ctx;

/* --- laying out bytes ------------------------------------------------------- */

struct out {
	unsigned char *d;
	size_t len;
};

static void put(struct out *o, const void *p, size_t n)
{
	unsigned char *d = realloc(o->d, o->len + n + 1);

	assert_non_null(d);
	if (n)
		memcpy(d + o->len, p, n);
	o->d = d;
	o->len += n;
}

static void put_le32(struct out *o, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	put(o, b, 4);
}

static void put_le64(struct out *o, uint64_t v)
{
	put_le32(o, (uint32_t)v);
	put_le32(o, (uint32_t)(v >> 32));
}

static void put_be32(struct out *o, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	                      (unsigned char)v};
	put(o, b, 4);
}

static void put_zeros(struct out *o, size_t n)
{
	static const unsigned char z[64];

	while (n) {
		size_t k = n < sizeof(z) ? n : sizeof(z);
		put(o, z, k);
		n -= k;
	}
}

/* A Simple cache header record (24 bytes, or 20 as 32-bit builds wrote it). */
static void chrome_header(struct out *o, size_t rec, const char *key)
{
	put(o, "\x30\x5c\x72\xa7\x1b\x6d\xfb\xfc", 8);
	put_le32(o, 5);
	put_le32(o, (uint32_t)strlen(key));
	put_le32(o, 0x12345678); /* the key hash: not checked */
	put_zeros(o, rec - 20);
	put(o, key, strlen(key));
}

static void chrome_eof(struct out *o, size_t rec, uint32_t flags, uint32_t stream_size)
{
	put(o, "\xd8\x41\x0d\x97\x45\x6f\xfa\xf4", 8);
	put_le32(o, flags);
	put_le32(o, 0);
	put_le32(o, stream_size);
	put_zeros(o, rec - 20);
}

/*
 * A Chromium `_0` entry as Chromium 156 writes it: header, key, body, end
 * record of stream 1, stream 0 (an HttpResponseInfo pickle holding the raw
 * headers, NUL-separated, hl bytes), SHA-256 of the key, end record of
 * stream 0. hl 0 and headers given: stream 0 is those bytes as they are.
 */
static struct out chrome_entry(size_t rec, const char *key, const void *body, size_t body_len, const char *headers,
                               size_t hl, bool pickle)
{
	struct out o = {0}, s0 = {0};

	chrome_header(&o, rec, key);
	put(&o, body, body_len);
	chrome_eof(&o, rec, 1, 0);
	if (pickle) {
		size_t padded = (hl + 3) & ~(size_t)3;
		put_le32(&s0, (uint32_t)(4 + 4 + 16 + 4 + padded));
		put_le32(&s0, 0x80040003u); /* version 3, connection info, extra flags */
		put_le32(&s0, 0);
		put_le64(&s0, 13370000000000000ull); /* request and response times */
		put_le64(&s0, 13370000000100000ull);
		put_le32(&s0, (uint32_t)hl);
		put(&s0, headers, hl);
		put_zeros(&s0, padded - hl);
		put_le32(&s0, 0);           /* the rest of the pickle, which is not read */
		for (int i = 0; i < 4; i++) /* the payload size, now known */
			s0.d[i] = (unsigned char)((s0.len - 4) >> (8 * i));
	} else {
		put(&s0, headers, hl);
	}
	put(&o, s0.d, s0.len);
	put_zeros(&o, 32); /* SHA-256 of the key */
	chrome_eof(&o, rec, 3, (uint32_t)s0.len);
	free(s0.d);
	return o;
}

/* gzip (wbits 31), zlib (15) or raw deflate (-15) of in. */
static struct out deflated(int wbits, const void *in, size_t len)
{
	struct out o = {0};
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
	o.d = malloc(deflateBound(&z, (uLong)len));
	assert_non_null(o.d);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = o.d;
	z.avail_out = (uInt)deflateBound(&z, (uLong)len);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	o.len = z.total_out;
	deflateEnd(&z);
	return o;
}

/*
 * A Firefox cache2 entry: body, metadata hash, chunk hashes, header (version
 * 4 with the two-word trailer, 3 with the one-word one), key, NUL, elements
 * (el_len bytes of name\0value\0 pairs), trailer.
 */
static struct out firefox_entry(unsigned version, const char *key, const void *body, size_t body_len, const char *el,
                                size_t el_len, bool encrypted)
{
	struct out o = {0};
	size_t chunks = (body_len + 262143) / 262144;

	put(&o, body, body_len);
	put_be32(&o, 0xdeadbeef); /* metadata hash: not checked */
	for (size_t i = 0; i < chunks; i++)
		put(&o, "\x12\x34", 2);
	put_be32(&o, version);
	put_be32(&o, 1);          /* fetch count */
	put_be32(&o, 1700000000); /* last fetched, last modified */
	put_be32(&o, 1700000000);
	put_be32(&o, 0);          /* frecency */
	put_be32(&o, 1700003600); /* expiration */
	put_be32(&o, (uint32_t)strlen(key));
	put_be32(&o, 0); /* flags */
	put(&o, key, strlen(key) + 1);
	put(&o, el, el_len);
	if (version == 4) {
		put_be32(&o, 4);
		put_be32(&o, (uint32_t)body_len | (encrypted ? 0x80000000u : 0));
	} else {
		put_be32(&o, (uint32_t)body_len);
	}
	return o;
}

/* --- what came out -------------------------------------------------------------- */

static bool has_text(const struct rec *r, const char *member, const char *needle)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (strcmp(r->runs[i].member, member) == 0 && strstr(r->runs[i].text, needle))
			return true;
	return false;
}

static bool has_detail(const struct rec *r, enum extract_coverage what, const char *needle)
{
	for (size_t i = 0; i < r->ncovs; i++)
		if (r->covs[i].what == what && strstr(r->covs[i].detail, needle))
			return true;
	return false;
}

/* With PIIGUARD_CACHE_SEEDS=DIR, every entry built here is also written to
 * DIR/chrome_cache/ or DIR/firefox_cache/: the seeds of the fuzz corpora. */
static void seed(const struct out *o)
{
	static unsigned n;
	const char *dir = getenv("PIIGUARD_CACHE_SEEDS");
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s/unit-%02u", dir,
	         o->len >= 8 && memcmp(o->d, "\x30\x5c\x72\xa7", 4) == 0 ? "chrome_cache" : "firefox_cache", n++);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(o->d, 1, o->len, f), o->len);
	fclose(f);
}

static void extract_out(struct out *o, struct rec *r)
{
	seed(o);
	rec_extract_bytes(ctx, o->d, o->len, r);
	free(o->d);
	*o = (struct out){0};
}

/* --- Chromium ------------------------------------------------------------------- */

static void test_chrome_page(void **state)
{
	struct out o = chrome_entry(24, KEY_PAGE, TEXT_A, strlen(TEXT_A), HEADERS(""), sizeof(HEADERS("")), true);
	struct rec r;

	(void)state;
	extract_out(&o, &r);
	assert_string_equal(r.result.type, "chrome-cache");
	assert_true(has_text(&r, URL_PAGE, CCCD_A));
	assert_true(has_text(&r, URL_PAGE, "Nguyễn Văn An"));
	assert_true(has_text(&r, URL_PAGE, "Content-Type: application/json")); /* the headers' run */
	assert_false(has_text(&r, URL_PAGE, "<p>"));                           /* the HTML read as HTML */
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

static void test_chrome_gzip_zlib_deflate(void **state)
{
	static const struct {
		int wbits;
		const char *headers;
		size_t hl;
	} cases[] = {
	        {31, HEADERS("Content-Encoding: gzip\0"), sizeof(HEADERS("Content-Encoding: gzip\0"))},
	        {15, HEADERS("content-encoding: deflate\0"), sizeof(HEADERS("content-encoding: deflate\0"))},
	        {-15, HEADERS("Content-Encoding: deflate\0"), sizeof(HEADERS("Content-Encoding: deflate\0"))},
	        {31, HEADERS(""), sizeof(HEADERS(""))}, /* undeclared: the gzip magic is enough */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct out body = deflated(cases[i].wbits, TEXT_B, strlen(TEXT_B));
		struct out o = chrome_entry(24, KEY_JSON, body.d, body.len, cases[i].headers, cases[i].hl, true);
		struct rec r;
		assert_null(memmem(o.d, o.len, CCCD_B, 12));
		extract_out(&o, &r);
		assert_true(has_text(&r, URL_JSON, CCCD_B));
		assert_true(has_text(&r, URL_JSON, "Trần Thị Bình"));
		assert_int_equal(r.ncovs, 0);
		rec_free(&r);
		free(body.d);
	}
}

static void test_chrome_brotli_zstd(void **state)
{
	struct out o = chrome_entry(24, KEY_JSON, brotli_b, sizeof(brotli_b) - 1, HEADERS("Content-Encoding: br\0"),
	                            sizeof(HEADERS("Content-Encoding: br\0")), true);
	size_t cap = ZSTD_compressBound(strlen(TEXT_B));
	unsigned char *z = malloc(cap);
	size_t zl;
	struct rec r;

	(void)state;
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_JSON, "Số CCCD: " CCCD_B));
	assert_true(has_text(&r, URL_JSON, "bản sao lưu"));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);

	assert_non_null(z);
	zl = ZSTD_compress(z, cap, TEXT_B, strlen(TEXT_B), 3);
	assert_false(ZSTD_isError(zl));
	o = chrome_entry(24, KEY_JSON, z, zl, HEADERS("Content-Encoding: zstd\0"),
	                 sizeof(HEADERS("Content-Encoding: zstd\0")), true);
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_JSON, CCCD_B));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
	o = chrome_entry(24, KEY_JSON, z, zl, HEADERS(""), sizeof(HEADERS("")), true); /* sniffed */
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_JSON, CCCD_B));
	rec_free(&r);
	free(z);
}

/* Cache Storage: a bare URL key, protobuf metadata that still says gzip, and
 * the body stored decoded. */
static void test_chrome_cache_storage(void **state)
{
	static const char meta[] = "\x0a\x10\x0a\x0e\x63ontent-encoding\x12\x04gzip\x18\xc8\x01";
	struct out o = chrome_entry(24, URL_JSON, TEXT_B, strlen(TEXT_B), meta, sizeof(meta) - 1, false);
	struct rec r;

	(void)state;
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_JSON, CCCD_B));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

/* The 20-byte records of 32-bit builds, and a `_1` file (one stream). */
static void test_chrome_layouts(void **state)
{
	struct out body = deflated(31, TEXT_B, strlen(TEXT_B));
	struct out o = chrome_entry(20, KEY_JSON, body.d, body.len, HEADERS("Content-Encoding: gzip\0"),
	                            sizeof(HEADERS("Content-Encoding: gzip\0")), true);
	struct rec r;

	(void)state;
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_JSON, CCCD_B));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);

	chrome_header(&o, 24, KEY_PAGE);
	put(&o, TEXT_A, strlen(TEXT_A));
	chrome_eof(&o, 24, 1, (uint32_t)strlen(TEXT_A));
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_PAGE, CCCD_A));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
	free(body.d);
}

/* A `_s` file: ranges written out of order are joined by their offsets. */
static void test_chrome_sparse(void **state)
{
	static const char *const parts[] = {"Số CCCD: 0520", "90001234 của Nguyễn Văn An\n"};
	struct out o = {0};
	struct rec r;

	(void)state;
	chrome_header(&o, 24, KEY_PAGE);
	for (int i = 1; i >= 0; i--) {
		put(&o, "\x6b\x67\x53\x65\x01\xbf\x97\xeb", 8);
		put_le64(&o, i == 0 ? 0 : strlen(parts[0]));
		put_le64(&o, strlen(parts[i]));
		put_le32(&o, 0);
		put_le32(&o, 0);
		put(&o, parts[i], strlen(parts[i]));
	}
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_PAGE, "Số CCCD: " CCCD_A " của"));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);

	/* A range longer than the file: the ranges before it, then the rest as runs. */
	chrome_header(&o, 24, KEY_PAGE);
	put(&o, "\x6b\x67\x53\x65\x01\xbf\x97\xeb", 8);
	put_le64(&o, 0);
	put_le64(&o, 1ull << 40);
	put_le64(&o, 0);
	put(&o, TEXT_B, strlen(TEXT_B));
	extract_out(&o, &r);
	assert_true(rec_has_coverage(&r, URL_PAGE, EXTRACT_COVERAGE_CORRUPT));
	assert_true(has_text(&r, URL_PAGE, CCCD_B));
	rec_free(&r);
}

/* An entry without its end records (being written, or cut): its body is read,
 * unverified, and the outcome says so. */
static void test_chrome_cut(void **state)
{
	struct out o = chrome_entry(24, KEY_PAGE, TEXT_A, strlen(TEXT_A), HEADERS(""), sizeof(HEADERS("")), true);
	struct out body = deflated(31, TEXT_B, strlen(TEXT_B));
	struct rec r;

	(void)state;
	o.len = 24 + strlen(KEY_PAGE) + strlen(TEXT_A) - 4;
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_PAGE, CCCD_A));
	assert_true(rec_has_coverage(&r, URL_PAGE, EXTRACT_COVERAGE_CORRUPT));
	rec_free(&r);

	/* Header and key only. */
	chrome_header(&o, 24, KEY_PAGE);
	extract_out(&o, &r);
	assert_true(rec_has_coverage(&r, URL_PAGE, EXTRACT_COVERAGE_CORRUPT));
	rec_free(&r);

	/* A gzip body cut in the middle, in an entry with its records: the
	 * decoded start is read and the break reported. */
	struct out big = {0};
	put(&big, "Số CCCD: " CCCD_A "\n", strlen("Số CCCD: " CCCD_A "\n"));
	for (unsigned i = 0, v = 12345; i < 4000; i++) {
		char w[16];
		v = v * 1103515245u + 12345u;
		snprintf(w, sizeof(w), "%c%c%c ", (int)('a' + (v >> 16) % 26), (int)('a' + (v >> 8) % 26),
		         (int)('a' + v % 26));
		put(&big, w, strlen(w));
	}
	free(body.d);
	body = deflated(31, big.d, big.len);
	o = chrome_entry(24, KEY_PAGE, body.d, body.len / 2, HEADERS("Content-Encoding: gzip\0"),
	                 sizeof(HEADERS("Content-Encoding: gzip\0")), true);
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_PAGE, CCCD_A));
	assert_true(has_detail(&r, EXTRACT_COVERAGE_CORRUPT, "gzip stream ends early"));
	rec_free(&r);
	free(body.d);
	free(big.d);
}

/* Lengths that lie end with coverage.corrupt and the text runs of the bytes. */
static void test_chrome_lying(void **state)
{
	struct out o = chrome_entry(24, KEY_PAGE, TEXT_B, strlen(TEXT_B), HEADERS(""), sizeof(HEADERS("")), true);
	struct rec r;

	(void)state;
	o.d[12] = 0x00, o.d[13] = 0xff, o.d[14] = 0xff, o.d[15] = 0xff; /* key length past the end */
	extract_out(&o, &r);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_true(has_text(&r, "", CCCD_B));
	rec_free(&r);

	o = chrome_entry(24, KEY_PAGE, TEXT_B, strlen(TEXT_B), HEADERS(""), sizeof(HEADERS("")), true);
	memcpy(o.d + o.len - 8, "\xcd\xff\xff\xff", 4); /* stream 0 "clearly invalidly large", as Chromium marks it */
	extract_out(&o, &r);
	assert_true(rec_has_coverage(&r, URL_PAGE, EXTRACT_COVERAGE_CORRUPT));
	assert_true(has_text(&r, URL_PAGE, CCCD_B));
	rec_free(&r);

	o = chrome_entry(24, KEY_PAGE, TEXT_B, strlen(TEXT_B), HEADERS(""), sizeof(HEADERS("")), true);
	size_t s0 = o.d[o.len - 8] | (size_t)o.d[o.len - 7] << 8;
	memset(o.d + o.len - 24 - 32 - s0 + 28, 0xff, 4); /* the pickle's header string length */
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_PAGE, CCCD_B));
	assert_true(has_text(&r, URL_PAGE, "Content-Type: application/json")); /* found by the status line */
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

/* A body that inflates past 200 times the file: coverage.limit, no more. */
static void test_chrome_bomb(void **state)
{
	size_t n = 24u << 20;
	unsigned char *zeros = calloc(1, n);
	struct out body, o;
	struct rec r;

	(void)state;
	assert_non_null(zeros);
	body = deflated(31, zeros, n);
	free(zeros);
	o = chrome_entry(24, KEY_PAGE, body.d, body.len, HEADERS("Content-Encoding: gzip\0"),
	                 sizeof(HEADERS("Content-Encoding: gzip\0")), true);
	assert_true(o.len < 100000);
	extract_out(&o, &r);
	assert_true(has_detail(&r, EXTRACT_COVERAGE_LIMIT, "200 times"));
	rec_free(&r);
	free(body.d);
}

/* Dictionary-compressed bodies cannot be decoded: coverage.unsupported. */
static void test_chrome_dictionary(void **state)
{
	struct out body = {0}, o;
	struct rec r;

	(void)state;
	put(&body, "\x5e\x2a\x4d\x18\x20\x00\x00\x00", 8);
	put_zeros(&body, 32);
	put(&body, "\x28\xb5\x2f\xfd\x00\x00\x00", 7);
	o = chrome_entry(24, KEY_JSON, body.d, body.len, HEADERS("Content-Encoding: dcz\0"),
	                 sizeof(HEADERS("Content-Encoding: dcz\0")), true);
	extract_out(&o, &r);
	assert_true(has_detail(&r, EXTRACT_COVERAGE_UNSUPPORTED, "dcz"));
	rec_free(&r);
	free(body.d);
}

/* A URL with an identifier in its query: found in the key's run, masked in
 * the member name. */
static void test_chrome_member_masked(void **state)
{
	struct out o = chrome_entry(24, "1/0/http://localhost/tra-cuu?so_cccd=" CCCD_A, "{}", 2, HEADERS(""),
	                            sizeof(HEADERS("")), true);
	struct rec r;

	(void)state;
	extract_out(&o, &r);
	assert_true(has_text(&r, "http://localhost/tra-cuu?so_cccd=052******234", CCCD_A));
	for (size_t i = 0; i < r.nruns; i++)
		assert_null(strstr(r.runs[i].member, CCCD_A));
	rec_free(&r);
}

/* --- Firefox -------------------------------------------------------------------- */

#define FF_KEY ":" URL_JSON
#define FF_ELEMENTS(enc)                                                                                               \
	"request-method\0GET\0response-head\0HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" enc                \
	"\r\n\0security-info\0FnhllAKWRHGAlo+ESXykKAAAAAAAAAAAwAAAAAAAAEaphjojH6pBabDSgSnsfLHeAAAAAgAAAAAAAAAAAAAA\0"  \
	"net-response-time-onstop\0"                                                                                   \
	"117\0"

static void test_firefox_gzip(void **state)
{
	struct out body = deflated(31, TEXT_B, strlen(TEXT_B));
	struct out o = firefox_entry(4, "a,O^partitionKey=%28http%2Clocalhost%29,:" URL_JSON, body.d, body.len,
	                             FF_ELEMENTS("Content-Encoding: gzip\r\n"),
	                             sizeof(FF_ELEMENTS("Content-Encoding: gzip\r\n")) - 1, false);
	struct rec r;

	(void)state;
	assert_true(extract_firefox_cache_tail(o.d + o.len - 64, 64, o.len));
	extract_out(&o, &r);
	assert_string_equal(r.result.type, "firefox-cache");
	assert_true(has_text(&r, URL_JSON, CCCD_B));
	assert_true(has_text(&r, URL_JSON, "response-head: HTTP/1.1 200 OK"));
	assert_false(has_text(&r, URL_JSON, "FnhllAKW")); /* security-info left out */
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
	free(body.d);
}

/* The one-word trailer of versions 1-3, and alternative data after the body. */
static void test_firefox_v3_alt_data(void **state)
{
	static const char alt[] = "\x01\x02\x03\x04 compiled: " CCCD_B " \x05\x06";
	static const char head[] = "response-head\0HTTP/1.1 200 OK\r\n\r\n\0alt-data";
	struct out body = {0}, el = {0}, o;
	struct rec r;
	char v[64];

	(void)state;
	put(&body, TEXT_A, strlen(TEXT_A));
	put(&body, alt, sizeof(alt) - 1);
	put(&el, head, sizeof(head));
	snprintf(v, sizeof(v), "1;%zu,javascript/moz-script", strlen(TEXT_A));
	put(&el, v, strlen(v) + 1);
	o = firefox_entry(3, FF_KEY, body.d, body.len, (const char *)el.d, el.len, false);
	assert_true(extract_firefox_cache_tail(o.d + o.len - 64, 64, o.len));
	extract_out(&o, &r);
	assert_true(has_text(&r, URL_JSON, CCCD_A));
	assert_true(has_text(&r, URL_JSON, "compiled: " CCCD_B)); /* the alt data's text run */
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
	free(body.d);
	free(el.d);
}

static void test_firefox_encrypted(void **state)
{
	struct out o = {0};
	struct rec r;

	(void)state;
	put(&o, "\x8f\x31\xa2\x07\xde\x44\x19\x6b", 8);
	for (unsigned i = 0, v = 7; i < 200; i++) {
		unsigned char b;
		v = v * 1103515245u + 12345u;
		b = (unsigned char)(v >> 16);
		put(&o, &b, 1);
	}
	put_be32(&o, 4);
	put_be32(&o, 8u | 0x80000000u);
	extract_out(&o, &r);
	assert_string_equal(r.result.type, "firefox-cache");
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_ENCRYPTED));
	rec_free(&r);
}

/* Metadata that does not read: coverage.corrupt, the body region still read. */
static void test_firefox_broken(void **state)
{
	struct out o =
	        firefox_entry(4, FF_KEY, TEXT_A, strlen(TEXT_A), FF_ELEMENTS(""), sizeof(FF_ELEMENTS("")) - 1, false);
	struct rec r;
	size_t key_size_at = strlen(TEXT_A) + 4 + 2 + 24;

	(void)state;
	o.d[key_size_at] = 0x7f; /* the key size */
	extract_out(&o, &r);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_true(has_text(&r, "", CCCD_A));
	assert_true(has_text(&r, "", URL_JSON)); /* the metadata's text runs */
	rec_free(&r);
}

/* The trailer test sees only the tail: it must not take other files. */
static void test_firefox_tail(void **state)
{
	unsigned char tail[64];
	static const char text[] = "Số CCCD: 052090001234\nmore text that ends a plain text file,\nwith a last line "
	                           "long enough for a tail\n";

	(void)state;
	memset(tail, 0, sizeof(tail));
	assert_false(extract_firefox_cache_tail(tail, 64, 4096)); /* zeros, as ELF files end */
	assert_false(extract_firefox_cache_tail(tail, 64, 64));
	memcpy(tail, text + sizeof(text) - 1 - 64, 64);
	assert_false(extract_firefox_cache_tail(tail, 64, 100000));
	memcpy(tail + 64 - 4 - 8,
	       "\0ctid\0"
	       "2",
	       8);
	memcpy(tail + 64 - 4, "\x00\x00\x01\x00", 4); /* the body: 256 bytes */
	assert_true(extract_firefox_cache_tail(tail, 64, 256 + 256));
	assert_false(extract_firefox_cache_tail(tail, 64, 256));          /* the metadata past the start */
	assert_false(extract_firefox_cache_tail(tail, 64, 256 + 300000)); /* larger than Firefox allows */
	tail[64 - 4 - 8 + 2] = ' ';
	assert_false(extract_firefox_cache_tail(tail, 64, 512)); /* a name with a space */
	memcpy(tail + 64 - 4 - 8, "\0\0\0\0x", 6);
	assert_false(extract_firefox_cache_tail(tail, 64, 512)); /* a one-byte "name" */

	/* A small zip ends with its central directory's offset and an empty
	 * comment: "...\x2e\0\0\0 \x7a\0\0\0 \0\0". It stays a zip. */
	unsigned char zip[1024];
	size_t zl = rec_zip_one("a.txt", text, zip, sizeof(zip));
	struct rec r;
	assert_true(zl > 64);
	assert_false(extract_firefox_cache_tail(zip + zl - 64, 64, zl));
	rec_extract_bytes(ctx, zip, zl, &r);
	assert_string_equal(r.result.type, "archive");
	assert_true(has_text(&r, "a.txt", CCCD_A));
	rec_free(&r);
}

static int setup(void **state)
{
	(void)state;
	return extract_new(&ctx);
}

static int teardown(void **state)
{
	(void)state;
	extract_free(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_chrome_page),          cmocka_unit_test(test_chrome_gzip_zlib_deflate),
	        cmocka_unit_test(test_chrome_brotli_zstd),   cmocka_unit_test(test_chrome_cache_storage),
	        cmocka_unit_test(test_chrome_layouts),       cmocka_unit_test(test_chrome_sparse),
	        cmocka_unit_test(test_chrome_cut),           cmocka_unit_test(test_chrome_lying),
	        cmocka_unit_test(test_chrome_bomb),          cmocka_unit_test(test_chrome_dictionary),
	        cmocka_unit_test(test_chrome_member_masked), cmocka_unit_test(test_firefox_gzip),
	        cmocka_unit_test(test_firefox_v3_alt_data),  cmocka_unit_test(test_firefox_encrypted),
	        cmocka_unit_test(test_firefox_broken),       cmocka_unit_test(test_firefox_tail),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
