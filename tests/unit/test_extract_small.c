/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the small extractors through the real extraction path: a
 * legacy Office compound document's UTF-16LE text (Vietnamese, as Word 97+
 * stores it) and 8-bit text come out as lines, random bytes behind the OLE2
 * magic give no crash and little text; JSON strings have their escapes
 * decoded (surrogate pairs too), broken escapes are kept as written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "extract.h"

struct seen {
	char text[65536];
	size_t len;   /* kept in text */
	size_t total; /* given, all of it */
	int runs;
};

static void on_begin(void *ctx, const char *member)
{
	struct seen *s = ctx;
	assert_string_equal(member, "");
	s->runs++;
}

static void on_text(void *ctx, const char *utf8, size_t len)
{
	struct seen *s = ctx;
	s->total += len;
	size_t n = len < sizeof(s->text) - 1 - s->len ? len : sizeof(s->text) - 1 - s->len;
	memcpy(s->text + s->len, utf8, n);
	s->len += n;
	s->text[s->len] = '\0';
}

static void on_end(void *ctx)
{
	(void)ctx;
}

static void on_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	(void)ctx;
	(void)member;
	(void)what;
	(void)detail;
}

/* Extract data written to a temporary file; returns the type it was read as. */
static const char *extract_bytes(const unsigned char *data, size_t len, struct seen *s)
{
	static const struct extract_handler h = {
	        .text_begin = on_begin, .text = on_text, .text_end = on_end, .coverage = on_coverage};
	char path[] = "/tmp/test_extract_small.XXXXXX";
	struct extract *x = NULL;
	struct extract_result res;
	struct stat st;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(extract_new(&x), 0);
	memset(s, 0, sizeof(*s));
	assert_int_equal(extract_file(x, fd, &st, &h, s, &res), 0);
	extract_free(x);
	close(fd);
	return res.type;
}

/* Append text as UTF-16LE (BMP only). */
static size_t put_utf16(unsigned char *out, const char *utf8)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
		uint32_t c;
		if (p[0] < 0x80) {
			c = p[0];
			p += 1;
		} else if (p[0] < 0xE0) {
			c = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else {
			c = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			p += 3;
		}
		out[o++] = (unsigned char)(c & 0xFF);
		out[o++] = (unsigned char)(c >> 8);
	}
	return o;
}

static void test_text_runs(void **state)
{
	unsigned char doc[4096];
	size_t n = 0;
	struct seen s;

	(void)state;
	memcpy(doc, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	n = 512;
	memset(doc + 8, 0, n - 8);
	memset(doc + n, 0xff, 64);
	n += 64;
	n += put_utf16(doc + n, "Họ và tên: Nguyễn Văn An\rSố CCCD: 052090001234\r");
	memset(doc + n, 0, 32);
	n += 32;
	memcpy(doc + n, "So CMND: 215123456", 18);
	n += 18;
	memset(doc + n, 0xfe, 64);
	n += 64;

	assert_string_equal(extract_bytes(doc, n, &s), "ole2");
	assert_int_equal(s.runs, 1);
	assert_non_null(strstr(s.text, "Họ và tên: Nguyễn Văn An\n"));
	assert_non_null(strstr(s.text, "Số CCCD: 052090001234\n"));
	assert_non_null(strstr(s.text, "So CMND: 215123456\n"));
}

/* A Word table: each cell ends with U+0007, a row with one more. */
static void test_word_table(void **state)
{
	unsigned char doc[4096];
	size_t n = 0;
	struct seen s;

	(void)state;
	memcpy(doc, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	memset(doc + 8, 0, 504);
	n = 512;
	n += put_utf16(doc + n, "STT\aHọ và tên\aSố CCCD\a\a1\aTrần Thị Bình\a052195004321\a\a");
	memset(doc + n, 0, 32);
	n += 32;

	assert_string_equal(extract_bytes(doc, n, &s), "ole2");
	assert_non_null(strstr(s.text, "STT\tHọ và tên\tSố CCCD\t\n1\tTrần Thị Bình\t052195004321\t\n"));
}

static void test_random_bytes(void **state)
{
	static unsigned char doc[1 << 20];
	struct seen s;
	uint32_t r = 12345;

	(void)state;
	memcpy(doc, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	for (size_t i = 8; i < sizeof(doc); i++) {
		r = r * 1103515245u + 12345u;
		doc[i] = (unsigned char)(r >> 16);
	}
	assert_string_equal(extract_bytes(doc, sizeof(doc), &s), "ole2");
	assert_int_equal(s.runs, 1);
	/* Random data holds few runs long enough to count as text. */
	assert_true(s.total > 0 && s.total < sizeof(doc) / 8);
}

static void test_json(void **state)
{
	const char *doc = "{\"data\":[{\"ho_ten\":\"Nguy\\u1ec5n V\\u0103n An\",\"ghi_chu\":"
	                  "\"S\\u1ed1 CCCD: \\u0030\\u0035\\u0032090001234\\nxong\",\"e\":\"\\ud83d\\ude00\","
	                  "\"lone\":\"\\ud800x\",\"bad\":\"\\u12\",\"q\":\"a\\\"b\\\\c\\/d\"}]}";
	struct seen s;

	(void)state;
	assert_string_equal(extract_bytes((const unsigned char *)doc, strlen(doc), &s), "json");
	assert_int_equal(s.runs, 1);
	assert_non_null(strstr(s.text, "\"Nguyễn Văn An\""));
	assert_non_null(strstr(s.text, "\"Số CCCD: 052090001234\nxong\""));
	assert_non_null(strstr(s.text, "\"\xf0\x9f\x98\x80\"")); /* a surrogate pair, joined */
	assert_non_null(strstr(s.text, "\"\xef\xbf\xbdx\""));    /* a lone surrogate */
	assert_non_null(strstr(s.text, "\"\\u12\""));            /* a broken escape, kept */
	assert_non_null(strstr(s.text, "\"a\"b\\c/d\""));
	/* JSON without escapes is plain text, read as it is. */
	const char *plain = "{\"so_cccd\":\"052090001234\"}";
	assert_string_equal(extract_bytes((const unsigned char *)plain, strlen(plain), &s), "text");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_text_runs),
	        cmocka_unit_test(test_word_table),
	        cmocka_unit_test(test_random_bytes),
	        cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
