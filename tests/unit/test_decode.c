/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of decode.c: charset detection on the fixtures of
 * tests/data/encodings, exact decoding of each, whatever the chunking of input
 * and output, and the handling of invalid, truncated and random bytes. Fixtures
 * are read from $PIIGUARD_TESTDATA/encodings, by default
 * tests/data/encodings under the current directory (the repository root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "error.h"

/* The texts make-fixtures.sh encodes; keep both in step. */
#define VI_NFC                                                                                                         \
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"                                                              \
	"Độc lập - Tự do - Hạnh phúc\n"                                                                      \
	"TỜ KHAI THÔNG TIN CƯ TRÚ (dữ liệu thử nghiệm, không phải người thật)\n"                  \
	"Họ, chữ đệm và tên: Nguyễn Văn Mẫu\n"                                                           \
	"Số CCCD: 052090001234\n"                                                                                    \
	"Ngày, tháng, năm sinh: 15/06/1990\n"                                                                       \
	"Giới tính: Nam\n"                                                                                          \
	"Quê quán: xã Phước Thuận, huyện Tuy Phước, tỉnh Bình Định\n"                               \
	"Nơi thường trú: số 12 đường Trần Hưng Đạo, thành phố Quy Nhơn\n"                         \
	"Tôi xin cam đoan những lời khai trên là đúng sự thật.\n"

/* "Số" decomposed: o, U+0302 COMBINING CIRCUMFLEX, U+0301 COMBINING ACUTE. */
#define VI_NFD_LINE "So\xcc\x82\xcc\x81 CCCD: 052090001234\n"
#define VI_FULL     VI_NFC VI_NFD_LINE

#define ZH_GBK                                                                                                         \
	"居民身份证信息登记表（测试数据，非真实个人）\n"                                         \
	"姓名：李样例\n"                                                                                         \
	"性别：女\n"                                                                                               \
	"民族：汉\n"                                                                                               \
	"出生日期：1949年12月31日\n"                                                                           \
	"住址：北京市朝阳区示例路1号\n"                                                                   \
	"身份证号：11010519491231002X\n"                                                                          \
	"签发机关：北京市公安局朝阳分局\n"                                                              \
	"有效期限：2010.01.01-长期\n"

/* U+20BB7: four bytes in GB18030, a surrogate pair in UTF-16. */
#define ZH_FULL ZH_GBK "备注：生僻字𠮷（四字节编码）\n"

#define FA_FULL                                                                                                        \
	"فرم ثبت اطلاعات فردی (داده آزمایشی، شخص واقعی نیست)\n"               \
	"نام و نام خانوادگی: علی نمونه\n"                                                       \
	"نام پدر: محمد\n"                                                                                    \
	"کد ملی: ۰۰۱۲۳۴۵۶۷۹\n"                                                                          \
	"شماره ملی: ٠٠١٢٣٤٥٦٧٩\n"                                                                    \
	"تاریخ تولد: ۱۳۶۹/۰۶/۲۵\n"                                                                    \
	"محل صدور: تهران\n"                                                                                \
	"نشانی: تهران، خیابان آزادی، کوچه نمونه، پلاک ۱۲\n"                     \
	"اینجانب صحت اطلاعات بالا را تأیید می‌کنم.\n"

/* The WINDOWS-1256 file: Arabic yeh and ASCII digits. */
#define FA_CP1256                                                                                                      \
	"فرم ثبت اطلاعات فردي (داده آزمايشي، شخص واقعي نيست)\n"               \
	"نام و نام خانوادگي: علي نمونه\n"                                                       \
	"نام پدر: محمد\n"                                                                                    \
	"کد ملي: 0012345679\n"                                                                                    \
	"شماره ملي: 0012345679\n"                                                                              \
	"تاريخ تولد: 1369/06/25\n"                                                                            \
	"محل صدور: تهران\n"                                                                                \
	"نشاني: تهران، خيابان آزادي، کوچه نمونه، پلاک 12\n"                       \
	"اينجانب صحت اطلاعات بالا را تأييد مي‌کنم.\n"

#define FFFD "\xef\xbf\xbd"

/* Feed everything at once. */
#define ALL SIZE_MAX

struct fixture {
	const char *file;
	const char *charset; /* what decode_detect() answers */
	size_t bom;
	const char *text; /* the exact decoding */
};

/*
 * The charsets are what uchardet 0.0.7 (Debian 12) gives for the files that
 * reach it: WINDOWS-1258, WINDOWS-1256 and GB18030 (for GBK too). The others
 * are decided before uchardet is asked.
 */
static const struct fixture fixtures[] = {
        {"vi-utf8.txt", "UTF-8", 0, VI_FULL},
        {"vi-utf8-bom.txt", "UTF-8", 3, VI_FULL},
        {"vi-utf16le-bom.txt", "UTF-16LE", 2, VI_FULL},
        {"vi-utf16be-bom.txt", "UTF-16BE", 2, VI_FULL},
        {"vi-utf16le-nobom.txt", "UTF-16LE", 0, VI_FULL},
        {"vi-cp1258.txt", "WINDOWS-1258", 0, VI_NFC},
        {"zh-utf8.txt", "UTF-8", 0, ZH_FULL},
        {"zh-gb18030.txt", "GB18030", 0, ZH_FULL},
        {"zh-gbk.txt", "GB18030", 0, ZH_GBK},
        {"zh-utf16le.txt", "UTF-16LE", 0, ZH_FULL},
        {"fa-utf8.txt", "UTF-8", 0, FA_FULL},
        {"fa-utf16le-bom.txt", "UTF-16LE", 2, FA_FULL},
        {"fa-cp1256.txt", "WINDOWS-1256", 0, FA_CP1256},
        {"mixed.txt", "UTF-8", 0, VI_FULL ZH_FULL FA_FULL},
};

#define N_FIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

static unsigned char *read_fixture(const char *name, size_t *ret_len)
{
	const char *dir = getenv("PIIGUARD_TESTDATA");
	unsigned char *data;
	char path[4096];
	long size;
	FILE *f;

	if (!dir || !*dir)
		dir = "tests/data";
	snprintf(path, sizeof(path), "%s/encodings/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the repository root or set PIIGUARD_TESTDATA)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	data = malloc((size_t)size + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*ret_len = (size_t)size;
	return data;
}

/*
 * Run in[0..len) through d as the engine would: at most chunk new bytes per
 * round appended to the unconsumed rest, output collected through a buffer of
 * out_cap bytes. Returns the output, NUL-terminated, to free.
 */
static char *decode_with(struct decoder *d, const unsigned char *in, size_t len, size_t chunk, size_t out_cap,
                         size_t *ret_len)
{
	/* No charset gives more than 3 bytes of UTF-8 per input byte; the
	 * slack is for what a final flush adds. A runaway decoder hits it. */
	size_t res_cap = 4 * len + 64;
	unsigned char *pend = malloc(len + 1);
	char *res = malloc(res_cap);
	char *out = malloc(out_cap);
	size_t pend_len = 0, fed = 0, res_len = 0;

	assert_non_null(pend);
	assert_non_null(res);
	assert_non_null(out);
	for (;;) {
		size_t take = len - fed < chunk ? len - fed : chunk;
		bool final;

		memcpy(pend + pend_len, in + fed, take);
		pend_len += take;
		fed += take;
		final = fed == len;
		for (;;) {
			size_t used = SIZE_MAX, out_len = SIZE_MAX;

			assert_int_equal(decode_run(d, pend, pend_len, &used, out, out_cap, &out_len, final), 0);
			assert_true(used <= pend_len);
			assert_true(out_len <= out_cap);
			assert_true(res_len + out_len < res_cap);
			memcpy(res + res_len, out, out_len);
			res_len += out_len;
			memmove(pend, pend + used, pend_len - used);
			pend_len -= used;
			if (used == 0 && out_len == 0)
				break;
		}
		/* Without progress only an incomplete sequence may be left. */
		if (final) {
			assert_int_equal(pend_len, 0);
			break;
		}
		assert_true(pend_len < 8);
	}
	res[res_len] = '\0';
	*ret_len = res_len;
	free(out);
	free(pend);
	return res;
}

static char *decode_all(const char *charset, const void *in, size_t len, size_t chunk, size_t out_cap, size_t *ret_len)
{
	struct decoder *d = NULL;
	char *res;

	assert_int_equal(decode_new(charset, &d), 0);
	assert_non_null(d);
	res = decode_with(d, in, len, chunk, out_cap, ret_len);
	decode_free(d);
	return res;
}

/* Decode one-shot, byte by byte and through an 8-byte buffer; all must give want. */
static void check_decode_n(const char *charset, const void *in, size_t len, const char *want, size_t want_len)
{
	static const struct {
		size_t chunk, out_cap;
	} ways[] = {{ALL, 65536}, {1, 65536}, {ALL, 8}, {1, 8}, {3, 13}};
	size_t i, got_len;

	for (i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		char *got = decode_all(charset, in, len, ways[i].chunk, ways[i].out_cap, &got_len);
		if (got_len != want_len || memcmp(got, want, got_len) != 0)
			fail_msg("%s, chunk %zu, out_cap %zu:\n got: %s\nwant: %s", charset, ways[i].chunk,
			         ways[i].out_cap, got, want);
		free(got);
	}
}

static void check_decode(const char *charset, const void *in, size_t len, const char *want)
{
	check_decode_n(charset, in, len, want, strlen(want));
}

#define CHECK_DECODE(charset, lit, want) check_decode(charset, lit, sizeof(lit) - 1, want)

/* Strict UTF-8, as the engine expects from every decoding. */
static bool valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;

	while (i < len) {
		unsigned char c = s[i], lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		else
			return false;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if (s[i + k] < lo || s[i + k] > hi)
				return false;
			lo = 0x80;
			hi = 0xbf;
		}
		i += n + 1;
	}
	return true;
}

static void test_fixture(void **state)
{
	const struct fixture *fx = *state;
	size_t len, bom = 99;
	unsigned char *data = read_fixture(fx->file, &len);
	const char *charset = decode_detect(data, len, &bom);

	assert_string_equal(charset, fx->charset);
	assert_int_equal(bom, fx->bom);
	check_decode(charset, data + bom, len - bom, fx->text);
	free(data);
}

static void test_detect_bom(void **state)
{
	size_t bom = 99;

	(void)state;
	assert_string_equal(decode_detect((const unsigned char *)"\xef\xbb\xbf"
	                                                         "abc",
	                                  6, &bom),
	                    "UTF-8");
	assert_int_equal(bom, 3);
	assert_string_equal(decode_detect((const unsigned char *)"\xef\xbb\xbf", 3, &bom), "UTF-8");
	assert_int_equal(bom, 3);
	assert_string_equal(decode_detect((const unsigned char *)"\xff\xfe"
	                                                         "1\0",
	                                  4, &bom),
	                    "UTF-16LE");
	assert_int_equal(bom, 2);
	assert_string_equal(decode_detect((const unsigned char *)"\xfe\xff", 2, &bom), "UTF-16BE");
	assert_int_equal(bom, 2);
	/* Two bytes of a UTF-8 BOM are only a cut-off UTF-8 sequence. */
	assert_string_equal(decode_detect((const unsigned char *)"\xef\xbb", 2, &bom), "UTF-8");
	assert_int_equal(bom, 0);
}

static void test_detect_utf8(void **state)
{
	size_t bom = 99;

	(void)state;
	assert_string_equal(decode_detect(NULL, 0, &bom), "UTF-8");
	assert_int_equal(bom, 0);
	assert_string_equal(decode_detect((const unsigned char *)"plain ASCII", 11, NULL), "UTF-8");
	/* "Số" with its last character cut off by the end of the head. */
	assert_string_equal(decode_detect((const unsigned char *)"S\xe1\xbb", 3, &bom), "UTF-8");
	/* Overlong forms and surrogates are not UTF-8 (uchardet, asked next,
	 * calls U+110000 UTF-8 all the same). */
	assert_string_not_equal(decode_detect((const unsigned char *)"\xc0\xb1\xc0\xb2 text", 9, &bom), "UTF-8");
	assert_string_not_equal(decode_detect((const unsigned char *)"\xed\xa0\x80 text", 8, &bom), "UTF-8");
}

static void test_detect_utf16_without_bom(void **state)
{
	static const char le[] = "0\0"
	                         "5\0"
	                         "2\0"
	                         "0\0"
	                         "9\0"
	                         "0\0"
	                         "0\0"
	                         "0\0"
	                         "1\0"
	                         "2\0"
	                         "3\0"
	                         "4\0"
	                         "\r\0"
	                         "\n\0";
	static const char be[] = "\0"
	                         "0\0"
	                         "5\0"
	                         "2\0"
	                         "0\0"
	                         "9\0"
	                         "0\0"
	                         "0\0"
	                         "0\0"
	                         "1\0"
	                         "2\0"
	                         "3\0"
	                         "4\0"
	                         "\r\0"
	                         "\n";
	size_t bom = 99;

	(void)state;
	assert_string_equal(decode_detect((const unsigned char *)le, sizeof(le) - 1, &bom), "UTF-16LE");
	assert_int_equal(bom, 0);
	assert_string_equal(decode_detect((const unsigned char *)be, sizeof(be) - 1, &bom), "UTF-16BE");
	assert_int_equal(bom, 0);
	/* Two stray NULs in text do not make it UTF-16. */
	assert_string_equal(decode_detect((const unsigned char *)"hello\0world\0", 12, &bom), "UTF-8");
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* xorshift64*: fixed seed, so a failure replays. */
static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 32);
}

static void test_detect_binary(void **state)
{
	unsigned char buf[4096];
	size_t i, bom = 99;

	(void)state;
	/* High bytes (not UTF-8) with NULs on both parities. */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i % 7 == 0 ? 0 : (unsigned char)(0x80 | rng());
	assert_string_equal(decode_detect(buf, sizeof(buf), &bom), "UTF-8");
	assert_int_equal(bom, 0);
}

/*
 * One line of WINDOWS-1258 is too little for uchardet 0.0.7, which answers
 * WINDOWS-1255 for it, so the decoding is tested with the charset given. The
 * ASCII digits of the CCCD survive the wrong guess all the same.
 */
static void test_short_cp1258(void **state)
{
	static const char line[] = "S\xf4\xec CCCD: 052090001234\n";
	const char *guess;
	size_t got_len;
	char *got;

	(void)state;
	CHECK_DECODE("WINDOWS-1258", line, "Số CCCD: 052090001234\n");
	guess = decode_detect((const unsigned char *)line, sizeof(line) - 1, NULL);
	got = decode_all(guess, line, sizeof(line) - 1, ALL, 256, &got_len);
	assert_non_null(strstr(got, "052090001234"));
	free(got);
}

static void test_gbk_as_gbk(void **state)
{
	size_t len;
	unsigned char *data = read_fixture("zh-gbk.txt", &len);

	(void)state;
	check_decode("GBK", data, len, ZH_GBK);
	free(data);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	CHECK_DECODE("UTF-8",
	             "1\xff"
	             "2",
	             "1" FFFD "2");
	CHECK_DECODE("UTF-8",
	             "\xc0\x80"
	             "A",
	             FFFD FFFD "A");
	CHECK_DECODE("UTF-8",
	             "\xed\xa0\x80"
	             "A",
	             FFFD FFFD FFFD "A");
	CHECK_DECODE("UTF-8", "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	CHECK_DECODE("UTF-8",
	             "\xe4\xb8"
	             "A\xe4\xb8\xad",
	             FFFD FFFD "A中");
	CHECK_DECODE("UTF-8", "\x80\xbf", FFFD FFFD);
	/* NUL is a character like any other. */
	check_decode_n("UTF-8", "a\0b", 3, "a\0b", 3);
	check_decode_n("GB18030", "a\0b", 3, "a\0b", 3);
}

static void test_invalid_utf16(void **state)
{
	(void)state;
	/* A high surrogate not followed by a low one, then a lone low one. */
	CHECK_DECODE("UTF-16LE",
	             "A\0"
	             "\x00\xd8"
	             "B\0"
	             "\x00\xdc"
	             "C\0",
	             "A" FFFD "B" FFFD "C");
	CHECK_DECODE("UTF-16BE",
	             "\0A"
	             "\xd8\x00"
	             "\0B",
	             "A" FFFD "B");
	/* U+20BB7 as a surrogate pair. */
	CHECK_DECODE("UTF-16LE",
	             "\x42\xd8\xb7\xdf"
	             "1\0",
	             "𠮷1");
}

static void test_invalid_gb18030(void **state)
{
	(void)state;
	CHECK_DECODE("GB18030",
	             "1\xff"
	             "2\x80"
	             "3",
	             "1" FFFD "2" FFFD "3");
	CHECK_DECODE("GB18030",
	             "\x81\x30\x81\x30"
	             "\xd6\xd0",
	             "\xc2\x80"
	             "中");
	/* Broken four-byte sequences: the bytes after the lead are read anew. */
	CHECK_DECODE("GB18030",
	             "\x81\x30\x20"
	             "9",
	             FFFD "0 9");
}

/*
 * WINDOWS-1258 holds back a letter until it knows no combining accent follows;
 * the U+FFFD for a bad byte must still come after that letter.
 */
static void test_held_back_order(void **state)
{
	struct decoder *d = NULL;
	size_t used, out_len;
	char out[16];

	(void)state;
	CHECK_DECODE("WINDOWS-1258",
	             "a\x81"
	             "b",
	             "a" FFFD "b");
	CHECK_DECODE("WINDOWS-1258", "Ph\xf4\xec\x81", "Phố" FFFD);
	CHECK_DECODE("WINDOWS-1255",
	             "a\xff"
	             "b",
	             "a" FFFD "b");

	assert_int_equal(decode_new("WINDOWS-1258", &d), 0);
	assert_int_equal(decode_run(d, (const unsigned char *)"o", 1, &used, out, sizeof(out), &out_len, false), 0);
	assert_int_equal(used, 1);
	assert_int_equal(out_len, 0);
	/* final with no input only flushes. */
	assert_int_equal(decode_run(d, NULL, 0, &used, out, sizeof(out), &out_len, true), 0);
	assert_int_equal(used, 0);
	assert_int_equal(out_len, 1);
	assert_memory_equal(out, "o", 1);
	decode_free(d);
}

static void test_final_truncated(void **state)
{
	struct decoder *d = NULL;
	size_t used, out_len;
	char out[16];

	(void)state;
	CHECK_DECODE("UTF-8", "AB\xe4\xb8", "AB" FFFD);
	CHECK_DECODE("UTF-16LE",
	             "A\0"
	             "B",
	             "A" FFFD);
	CHECK_DECODE("UTF-16LE",
	             "A\0"
	             "\x00\xd8",
	             "A" FFFD);
	CHECK_DECODE("GB18030", "A\x81", "A" FFFD);
	/* iconv cannot say where a broken sequence ends, so each byte is one
	 * unit: 0x30 after a lone lead byte is the digit zero. */
	CHECK_DECODE("GB18030", "A\x81\x30", "A" FFFD "0");

	/* Without final the cut-off sequence waits for its last byte. */
	assert_int_equal(decode_new("UTF-8", &d), 0);
	assert_int_equal(
	        decode_run(d, (const unsigned char *)"AB\xe4\xb8", 4, &used, out, sizeof(out), &out_len, false), 0);
	assert_int_equal(used, 2);
	assert_int_equal(out_len, 2);
	assert_int_equal(
	        decode_run(d, (const unsigned char *)"\xe4\xb8\xad", 3, &used, out, sizeof(out), &out_len, true), 0);
	assert_int_equal(used, 3);
	assert_int_equal(out_len, 3);
	assert_memory_equal(out, "中", 3);
	decode_free(d);
}

static void test_iso2022(void **state)
{
	(void)state;
	CHECK_DECODE("ISO-2022-JP",
	             "\x1b$B"
	             "F|"
	             "\x1b(B"
	             "1",
	             "日1");
	/* A bad byte inside a two-byte run keeps the shift state. */
	CHECK_DECODE("ISO-2022-JP",
	             "\x1b$B"
	             "\x80"
	             "F|"
	             "\x1b(B",
	             FFFD "日");
}

static void test_bad_arguments(void **state)
{
	struct decoder *d = NULL;
	size_t used = 99, out_len = 99;
	char out[8];

	(void)state;
	assert_int_equal(decode_new("NO-SUCH-CHARSET", &d), ERR_UNSUPPORTED);
	assert_null(d);
	assert_int_equal(decode_new(NULL, &d), ERR_INVAL);
	assert_int_equal(decode_new("UTF-8", NULL), ERR_INVAL);
	decode_free(NULL);

	assert_int_equal(decode_new("GB18030", &d), 0);
	assert_int_equal(decode_run(d, (const unsigned char *)"a", 1, &used, out, 7, &out_len, true), ERR_INVAL);
	assert_int_equal(used, 0);
	assert_int_equal(out_len, 0);
	assert_int_equal(decode_run(d, NULL, 1, &used, out, 8, &out_len, true), ERR_INVAL);
	assert_int_equal(decode_run(d, (const unsigned char *)"a", 1, &used, NULL, 8, &out_len, true), ERR_INVAL);
	decode_free(d);
}

/* After final, a decoder starts afresh: the same input gives the same output. */
static void test_reuse(void **state)
{
	static const char *const charsets[] = {"WINDOWS-1258", "ISO-2022-JP", "UTF-8"};
	static const char in[] = "o\x1b$B"
	                         "F|";
	struct decoder *d = NULL;
	size_t i, len1, len2;

	(void)state;
	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++) {
		char *a, *b;

		assert_int_equal(decode_new(charsets[i], &d), 0);
		a = decode_with(d, (const unsigned char *)in, sizeof(in) - 1, ALL, 64, &len1);
		b = decode_with(d, (const unsigned char *)in, sizeof(in) - 1, ALL, 64, &len2);
		assert_int_equal(len1, len2);
		assert_memory_equal(a, b, len1);
		free(a);
		free(b);
		decode_free(d);
	}
}

/*
 * 10,000 buffers of random bytes or mutated fixture text, through detection
 * and through decoders of many kinds, in one shot and in small pieces. Every
 * run must end, give valid UTF-8, and give the same output however the input
 * and output are cut.
 */
static void test_fuzz(void **state)
{
	static const char *const charsets[] = {
	        "UTF-8",        "UTF-16LE",     "UTF-16BE",     "GB18030",    "GBK",          "BIG5",
	        "BIG5-HKSCS",   "SHIFT_JIS",    "EUC-JP",       "EUC-KR",     "ISO-2022-JP",  "WINDOWS-1252",
	        "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1258", "TCVN5712-1", "EUC-JISX0213", "UTF-32LE",
	};
	static const char *const files[] = {"vi-cp1258.txt", "zh-gb18030.txt", "vi-utf16le-bom.txt", "mixed.txt",
	                                    "fa-cp1256.txt"};
	unsigned char *texts[sizeof(files) / sizeof(files[0])];
	size_t text_lens[sizeof(files) / sizeof(files[0])];
	unsigned char buf[600];
	size_t i, k;

	(void)state;
	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++)
		texts[k] = read_fixture(files[k], &text_lens[k]);
	for (i = 0; i < 10000; i++) {
		size_t len = rng() % sizeof(buf), len1, len2;
		const char *charset;
		char *a, *b;

		if (i % 2 == 0) {
			for (k = 0; k < len; k++)
				buf[k] = (unsigned char)rng();
		} else {
			k = rng() % (sizeof(files) / sizeof(files[0]));
			if (len > text_lens[k])
				len = text_lens[k];
			memcpy(buf, texts[k] + rng() % (text_lens[k] - len + 1), len);
			for (k = rng() % 4; k > 0 && len > 0; k--)
				buf[rng() % len] = (unsigned char)rng();
		}
		if (i % 3 == 0)
			charset = decode_detect(buf, len, NULL);
		else
			charset = charsets[rng() % (sizeof(charsets) / sizeof(charsets[0]))];
		a = decode_all(charset, buf, len, ALL, 4096, &len1);
		b = decode_all(charset, buf, len, 1 + rng() % 7, 8 + rng() % 32, &len2);
		if (!valid_utf8((unsigned char *)a, len1))
			fail_msg("buffer %zu, %s: output is not UTF-8", i, charset);
		if (len1 != len2 || memcmp(a, b, len1) != 0)
			fail_msg("buffer %zu, %s: output depends on chunking", i, charset);
		free(a);
		free(b);
	}
	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++)
		free(texts[k]);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
	        cmocka_unit_test(test_detect_bom),
	        cmocka_unit_test(test_detect_utf8),
	        cmocka_unit_test(test_detect_utf16_without_bom),
	        cmocka_unit_test(test_detect_binary),
	        cmocka_unit_test(test_short_cp1258),
	        cmocka_unit_test(test_gbk_as_gbk),
	        cmocka_unit_test(test_invalid_utf8),
	        cmocka_unit_test(test_invalid_utf16),
	        cmocka_unit_test(test_invalid_gb18030),
	        cmocka_unit_test(test_held_back_order),
	        cmocka_unit_test(test_final_truncated),
	        cmocka_unit_test(test_iso2022),
	        cmocka_unit_test(test_bad_arguments),
	        cmocka_unit_test(test_reuse),
	        cmocka_unit_test(test_fuzz),
	};
	/* One test per fixture, named after its file. */
	struct CMUnitTest tests[sizeof(fixed) / sizeof(fixed[0]) + N_FIXTURES];
	size_t i;

	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < N_FIXTURES; i++) {
		tests[sizeof(fixed) / sizeof(fixed[0]) + i] = (struct CMUnitTest){
		        .name = fixtures[i].file,
		        .test_func = test_fixture,
		        .initial_state = (void *)(uintptr_t)&fixtures[i],
		};
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
