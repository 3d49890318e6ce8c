/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of text.c: digit folding (Persian, Arabic-Indic, full-width),
 * separator unification, removal of invisible marks, the offset map back to
 * the original text, keyword folding (Vietnamese NFC and NFD, Persian
 * variants), line counting and escaping of hostile names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

/* Normalise s and compare with want; also check every map entry. */
static void check_normalise(const char *s, const char *want)
{
	size_t len = strlen(s);
	char *out = malloc(len + 16);
	uint32_t norm[256], delta[256];
	struct text_map map = {norm, delta, 0, 256};

	assert_non_null(out);
	size_t n = text_normalise(s, len, out, &map);
	out[n] = '\0';
	assert_string_equal(out, want);
	/* Without a map the result is the same. */
	size_t n2 = text_normalise(s, len, out, NULL);
	assert_int_equal(n2, n);
	free(out);
}

static void test_digits_folded(void **state)
{
	(void)state;
	check_normalise("۰۱۲۳۴۵۶۷۸۹", "0123456789");           /* Persian */
	check_normalise("٠١٢٣٤٥٦٧٨٩", "0123456789");           /* Arabic-Indic */
	check_normalise("０１２３４５６７８９", "0123456789"); /* full-width */
	check_normalise("کد ملی: ۰۰۱۲۳۴۵۶۷۹", "کد ملی: 0012345679");
	check_normalise("４４０３０５１９９００３０７１２３Ｘ", "44030519900307123X");
	check_normalise("IR۰۵۰۱۷", "IR05017");
}

static void test_separators_and_invisibles(void **state)
{
	(void)state;
	check_normalise("052\u00a0090\u202f001\u3000234", "052 090 001 234");
	check_normalise("052\u2013090\u2212001\uff0d234", "052-090-001-234");
	check_normalise("\u200e0012345679\u200f", "0012345679");
	check_normalise("\ufeff052\u200b090001234", "052090001234");
	check_normalise("\u202b۰۹۱۲\u202c", "0912");
	/* Letters of any script are kept as they are. */
	check_normalise("Căn cước 身份证 شناسنامه", "Căn cước 身份证 شناسنامه");
	/* Invalid and truncated UTF-8 is copied unchanged. */
	check_normalise("\xff\xfe 12 \xdb", "\xff\xfe 12 \xdb");
	check_normalise("\xdb\xb0\xdb", "0\xdb");
}

static void test_map_back(void **state)
{
	const char *s = "A ۰۱۲ B \u200b 34 ＸＹ end";
	size_t len = strlen(s);
	char out[64];
	uint32_t norm[64], delta[64];
	struct text_map map = {norm, delta, 0, 64};

	(void)state;
	size_t n = text_normalise(s, len, out, &map);
	out[n] = '\0';
	assert_string_equal(out, "A 012 B  34 XY end");
	/* Every normalised ASCII byte maps back to the same byte, or for a
	 * folded digit to the start of its original sequence. */
	for (size_t i = 0; i < n; i++) {
		size_t o = text_map_original(&map, i);
		assert_true(o < len);
		if (out[i] == ' ' || (out[i] >= 'a' && out[i] <= 'z') || out[i] == 'A' || out[i] == 'B')
			assert_int_equal(s[o], out[i]);
	}
	assert_int_equal(text_map_original(&map, 2), 2);                         /* ۰ */
	assert_int_equal(text_map_original(&map, 3), 4);                         /* ۱ */
	assert_int_equal(text_map_original(&map, 4), 6);                         /* ۲ */
	assert_memory_equal(s + text_map_original(&map, 9), "34", 2);            /* after a ZWSP */
	assert_memory_equal(s + text_map_original(&map, 12), "\xef\xbc\xb8", 3); /* Ｘ */
	assert_memory_equal(s + text_map_original(&map, 14), " end", 4);
	assert_int_equal(text_map_original(NULL, 7), 7);
}

static void check_fold(const char *s, const char *want)
{
	char out[512];
	size_t n = text_fold(s, strlen(s), out);
	assert_int_equal(n, strlen(out));
	assert_true(n <= strlen(s));
	assert_string_equal(out, want);
}

static void test_fold_vietnamese(void **state)
{
	(void)state;
	check_fold("Số CCCD", "so cccd");
	check_fold("CĂN CƯỚC CÔNG DÂN", "can cuoc cong dan");
	check_fold("Số định danh cá nhân", "so dinh danh ca nhan");
	check_fold("ĐDCN Điện thoại", "ddcn dien thoai");
	/* NFD: base letters followed by combining marks. */
	check_fold("Ca\xcc\x86n cu\xcc\x9bo\xcc\x9b\xcc\x81\x63", "can cuoc");
	check_fold("  Họ\t\tvà \n tên  ", "ho va ten "); /* leading space dropped, runs to one */
}

static void test_fold_persian_and_chinese(void **state)
{
	(void)state;
	check_fold("كد ملي", "کد ملی");       /* Arabic kaf and yeh */
	check_fold("کد ملّی", "کد ملی");       /* shadda dropped */
	check_fold("کد\u200cملی", "کد ملی");  /* ZWNJ as a space */
	check_fold("شمارهٔ ملی", "شماره ملی"); /* hamza above dropped */
	check_fold("身份证号码 身份證", "身份证号码 身份證");
}

static void test_count_lines(void **state)
{
	char buf[5000];

	(void)state;
	assert_int_equal(text_count_lines("", 0), 0);
	assert_int_equal(text_count_lines("a\nb\n", 4), 2);
	memset(buf, 'x', sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i += 7)
		buf[i] = '\n';
	assert_int_equal(text_count_lines(buf, sizeof(buf)), (sizeof(buf) + 6) / 7);
	assert_int_equal(text_count_lines(buf + 1, 4095), 585);
}

static void test_escape(void **state)
{
	char out[64];

	(void)state;
	text_escape("a\nb\tc\x1b[31m\xff\\d", 13, out, sizeof(out));
	assert_string_equal(out, "a\\nb\\tc\\x1B[31m\\xFF\\\\d");
	text_escape("Hồ sơ.txt", strlen("Hồ sơ.txt"), out, sizeof(out));
	assert_string_equal(out, "Hồ sơ.txt");
	text_escape("\u202eevil", strlen("\u202eevil"), out, sizeof(out));
	assert_string_equal(out, "\\xE2\\x80\\xAEevil");
	text_escape("0123456789abcdef", 16, out, 10);
	assert_string_equal(out, "012345..."); /* 9 bytes and the NUL */
	assert_true(strlen(out) < 10);
}

static void test_has_high_bytes(void **state)
{
	char buf[200];

	(void)state;
	memset(buf, 'a', sizeof(buf));
	assert_false(text_has_high_bytes(buf, sizeof(buf)));
	buf[199] = (char)0x80;
	assert_true(text_has_high_bytes(buf, sizeof(buf)));
	assert_false(text_has_high_bytes(buf, 199));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_digits_folded),
	        cmocka_unit_test(test_separators_and_invisibles),
	        cmocka_unit_test(test_map_back),
	        cmocka_unit_test(test_fold_vietnamese),
	        cmocka_unit_test(test_fold_persian_and_chinese),
	        cmocka_unit_test(test_count_lines),
	        cmocka_unit_test(test_escape),
	        cmocka_unit_test(test_has_high_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
