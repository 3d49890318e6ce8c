/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the matching engine with the built-in rules: findings and
 * their lines and offsets, identifiers across the boundary of appended pieces
 * and of internal rounds, context scoring (window, CSV header, negative words
 * on the line), locale gates, overlap resolution, and flat memory use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "limits.h"
#include "match.h"
#include "rules.h"

#define MAX_FOUND 4096

struct found {
	char rule[DETECT_RULE_MAX];
	char value[DETECT_VALUE_MAX + 1];
	double confidence;
	uint64_t line, offset;
};

struct collect {
	struct found v[MAX_FOUND];
	size_t n;
};

static struct rules *rules;
static struct matcher *matcher;
static struct collect *got;

static void on_finding(const struct match_finding *f, void *ctx)
{
	struct collect *c = ctx;
	if (c->n >= MAX_FOUND)
		return;
	struct found *x = &c->v[c->n++];
	snprintf(x->rule, sizeof(x->rule), "%s", f->rule_id);
	snprintf(x->value, sizeof(x->value), "%s", f->value);
	x->confidence = f->confidence;
	x->line = f->line;
	x->offset = f->offset;
}

static int setup(void **state)
{
	(void)state;
	detect_set_year(2026);
	if (rules_load(NULL, &rules, NULL, NULL) < 0 || match_new(rules, &matcher) < 0)
		return -1;
	got = calloc(1, sizeof(*got));
	return got ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	match_free(matcher);
	rules_free(rules);
	free(got);
	return 0;
}

/* Scan text given in pieces of at most piece bytes (0: all at once). */
static void scan_pieces(const char *text, size_t len, size_t piece, double min)
{
	got->n = 0;
	match_begin(matcher, min, on_finding, got);
	if (piece == 0)
		piece = len ? len : 1;
	for (size_t i = 0; i < len; i += piece)
		match_feed(matcher, text + i, len - i < piece ? len - i : piece);
	match_end(matcher);
}

static void scan(const char *text)
{
	scan_pieces(text, strlen(text), 0, MATCH_DEFAULT_MIN_CONFIDENCE);
}

static const struct found *find(const char *rule)
{
	for (size_t i = 0; i < got->n; i++)
		if (strcmp(got->v[i].rule, rule) == 0)
			return &got->v[i];
	return NULL;
}

static void test_basic_findings(void **state)
{
	const char *text = "Họ tên: Nguyễn Văn An\nSố CCCD: 052090001234\n"
	                   "身份证号：11010519491231002X\nکد ملی: ۰۰۱۲۳۴۵۶۷۹\n";
	(void)state;
	scan(text);
	assert_int_equal(got->n, 3);
	assert_string_equal(got->v[0].rule, "vn.cccd");
	assert_string_equal(got->v[0].value, "052090001234");
	assert_int_equal(got->v[0].line, 2);
	assert_memory_equal(text + got->v[0].offset, "052090001234", 12);
	assert_true(got->v[0].confidence >= 0.85); /* two context words: CCCD and the name label */
	assert_string_equal(got->v[1].rule, "cn.ric");
	assert_int_equal(got->v[1].line, 3);
	assert_memory_equal(text + got->v[1].offset, "11010519491231002X", 18);
	assert_string_equal(got->v[2].rule, "ir.national_id");
	assert_string_equal(got->v[2].value, "0012345679");
	assert_int_equal(got->v[2].line, 4);
	/* The offset is in the original text: the Persian digits, 2 bytes each. */
	assert_memory_equal(text + got->v[2].offset, "۰۰۱", strlen("۰۰۱"));
}

static void test_no_context_no_finding(void **state)
{
	(void)state;
	scan("052090001234\n");
	assert_int_equal(got->n, 0);
	scan_pieces("052090001234\n", 13, 0, 0.0);
	assert_int_equal(got->n, 1); /* found, but below the default minimum */
	assert_true(got->v[0].confidence < MATCH_DEFAULT_MIN_CONFIDENCE);
}

/* An identifier straddling every position of the internal round boundary,
 * and of the pieces it is fed in, is found exactly once with its line. */
static void test_across_boundaries(void **state)
{
	const char *id = "Số CCCD: 052090001234\n";
	size_t idlen = strlen(id), size = 3 * LIMIT_SCAN_CHUNK;
	char *text = malloc(size + 1);

	(void)state;
	assert_non_null(text);
	for (size_t shift = 0; shift < 40; shift += 3) {
		memset(text, 'x', size);
		for (size_t i = 79; i < size; i += 80)
			text[i] = '\n';
		/* Near the end of the first round's decided region and of the buffer. */
		size_t at = LIMIT_SCAN_CHUNK - LIMIT_SCAN_MARGIN - 20 + shift;
		memcpy(text + at, id, idlen);
		size_t at2 = 2 * LIMIT_SCAN_CHUNK - 15 + shift;
		memcpy(text + at2, id, idlen);
		text[size] = '\0';
		size_t pieces[] = {0, 4096, 65521, 1};
		for (size_t p = 0; p < 4; p++) {
			if (pieces[p] == 1 && shift > 0)
				continue; /* byte by byte once is enough */
			scan_pieces(text, size, pieces[p], MATCH_DEFAULT_MIN_CONFIDENCE);
			assert_int_equal(got->n, 2);
			assert_int_equal(got->v[0].offset, at + strlen("Số CCCD: "));
			assert_int_equal(got->v[1].offset, at2 + strlen("Số CCCD: "));
			size_t lines = 1;
			for (size_t i = 0; i < at; i++)
				lines += text[i] == '\n';
			assert_int_equal(got->v[0].line, lines);
		}
	}
	free(text);
}

static void test_many_findings_in_long_stream(void **state)
{
	const char *line = "Số CCCD: 052090001234 ......................................\n";
	size_t llen = strlen(line), count = 3000;
	char *text = malloc(llen * count + 1);

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < count; i++)
		memcpy(text + i * llen, line, llen);
	text[llen * count] = '\0';
	scan_pieces(text, llen * count, 1000, MATCH_DEFAULT_MIN_CONFIDENCE);
	assert_int_equal(got->n, count);
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(got->v[i].line, i + 1);
		assert_int_equal(got->v[i].offset, i * llen + strlen("Số CCCD: "));
	}
	free(text);
}

/* A dense CSV is one window for the prefilter: every row must still come out. */
static void test_dense_rows(void **state)
{
	size_t rows = 3000, len = 0;
	char *text = malloc(64 * rows + 64);

	(void)state;
	assert_non_null(text);
	len += (size_t)sprintf(text, "STT,Số CCCD\n");
	for (size_t i = 0; i < rows; i++)
		len += (size_t)sprintf(text + len, "%zu,052090001234\n", i);
	scan_pieces(text, len, 0, MATCH_DEFAULT_MIN_CONFIDENCE);
	assert_int_equal(got->n, rows);
	for (size_t i = 0; i < rows; i++)
		assert_int_equal(got->v[i].line, i + 2);
	free(text);
}

static void test_csv_header_context(void **state)
{
	(void)state;
	scan("STT,Họ tên,Số CCCD,Ghi chú\n1,Nguyễn Văn An,052090001234,\n2,Trần Văn Bình,079203000777,x\n");
	assert_int_equal(got->n, 2);
	assert_string_equal(got->v[0].rule, "vn.cccd");
	assert_int_equal(got->v[0].line, 2);
	assert_int_equal(got->v[1].line, 3);
	/* A number in another column gets nothing from the header (rows away
	 * from it, out of reach of the window's line before). */
	scan("STT,Họ tên,Số CCCD,Ghi chú\n1,x,,\n2,y,,\n3,z,,052090001234\n");
	assert_int_equal(got->n, 0);
	/* Quoted delimiters do not shift columns. */
	scan("\"a,b\";\"Số CCCD\"\n\"x;y\";052090001234\n");
	assert_int_equal(got->n, 1);
	scan("Ten,Ghi chu\nAn,052090001234\n");
	assert_int_equal(got->n, 0);
	/* A title row (padded with delimiters by the spreadsheet) before the
	 * header, and a number that lost its leading zero under it. */
	scan("DANH SÁCH CÔNG DÂN NỘP HỒ SƠ,,\n,,\nSTT,Họ tên,Số CCCD\n1,Nguyễn Văn An,52090001234\n");
	assert_int_equal(got->n, 1);
	assert_string_equal(got->v[0].value, "052090001234");
	assert_int_equal(got->v[0].line, 4);
	/* A header of two rows: the words in the upper one count. */
	scan("STT;Căn cước công dân\n;Số\n1;x\n2;y\n3;z\n4;052090001234\n");
	assert_int_equal(got->n, 1);
}

static void test_negative_words_same_line(void **state)
{
	(void)state;
	scan("Số CCCD của khách: 052090001234 (STK ngân hàng)\n");
	assert_int_equal(got->n, 0);
	scan("Lệ phí 700.000 đồng, STK 123\nSố CCCD: 052090001234\n");
	assert_int_equal(got->n, 1);
}

static void test_gate(void **state)
{
	(void)state;
	scan("Mã hồ sơ 0012345679\n"); /* a checksum-valid code melli in Vietnamese text */
	assert_null(find("ir.national_id"));
	scan("شماره پرونده 0012345679\n"); /* Persian script nearby */
	assert_non_null(find("ir.national_id"));
	scan("۰۰۱۲۳۴۵۶۷۹\n"); /* Persian digits in the number itself */
	assert_non_null(find("ir.national_id"));
	scan("national code 0012345679\n"); /* an English keyword */
	assert_non_null(find("ir.national_id"));
	scan("liên hệ 13123456789\n");
	assert_null(find("cn.mobile"));
	scan("联系电话 13123456789\n");
	assert_non_null(find("cn.mobile"));
}

static void test_overlap_resolution(void **state)
{
	(void)state;
	/* 0905123451: a VN mobile and a checksum-valid code melli; in Persian
	 * text with a phone keyword the mobile wins, once. */
	scan("SĐT: 0905123451\n");
	assert_int_equal(got->n, 1);
	assert_string_equal(got->v[0].rule, "vn.mobile");
	/* An MRZ reports itself and the CCCD number it carries. */
	scan("IDVNM0900012345052090001234<<2\n9001011M3001019VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<\n");
	assert_int_equal(got->n, 2);
	assert_string_equal(got->v[0].rule, "mrz.td1");
	assert_int_equal(strlen(got->v[0].value), 90);
	assert_string_equal(got->v[1].rule, "vn.cccd");
	assert_string_equal(got->v[1].value, "052090001234");
}

static void test_hostile_text(void **state)
{
	size_t size = 2 * LIMIT_SCAN_CHUNK + 777;
	char *text = malloc(size);

	(void)state;
	assert_non_null(text);
	/* All digits, all separators between digits, all '@', all '<': the
	 * worst cases of the prefilter end, with nothing reported. */
	const char fills[][4] = {"9", "1 ", "@", "<", "1.", "\xdb\xb1"};
	for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++) {
		size_t fl = strlen(fills[f]);
		for (size_t i = 0; i < size; i++)
			text[i] = fills[f][i % fl];
		scan_pieces(text, size, 0, MATCH_DEFAULT_MIN_CONFIDENCE);
		assert_int_equal(got->n, 0);
	}
	free(text);
}

/* A local rule whose pattern can match more than LIMIT_MATCH_BYTES must not
 * overrun the context buffers: such a match is dropped. Windows around '@'
 * merge, so a run of " @" is one long window the pattern can cover. */
static void test_overlong_match_dropped(void **state)
{
	const char *rule = "[wide]\nlabel = wide\ntrigger = at\nvalidator = vn_cccd\n"
	                   "confidence = 0.9\npattern = 052090001234[ @]*\nmatch = x\n";
	struct rules *wide = NULL;
	struct matcher *m = NULL;
	char text[12 + 2 * 1000];

	(void)state;
	assert_int_equal(rules_load_text("wide.rules", rule, strlen(rule), &wide, NULL, NULL), 0);
	assert_int_equal(match_new(wide, &m), 0);
	memcpy(text, "052090001234", 12);
	for (size_t i = 12; i < sizeof(text); i += 2)
		memcpy(text + i, " @", 2);
	got->n = 0;
	match_begin(m, 0.0, on_finding, got);
	match_feed(m, text, sizeof(text));
	match_end(m);
	assert_int_equal(got->n, 0);
	/* The same rule with a short match is reported. */
	match_begin(m, 0.0, on_finding, got);
	match_feed(m, "052090001234 @ @", 16);
	match_end(m);
	assert_int_equal(got->n, 1);
	match_free(m);
	rules_free(wide);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_basic_findings),
	        cmocka_unit_test(test_no_context_no_finding),
	        cmocka_unit_test(test_across_boundaries),
	        cmocka_unit_test(test_many_findings_in_long_stream),
	        cmocka_unit_test(test_dense_rows),
	        cmocka_unit_test(test_csv_header_context),
	        cmocka_unit_test(test_negative_words_same_line),
	        cmocka_unit_test(test_gate),
	        cmocka_unit_test(test_overlap_resolution),
	        cmocka_unit_test(test_hostile_text),
	        cmocka_unit_test(test_overlong_match_dropped),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
