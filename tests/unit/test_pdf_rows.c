/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of pdf_rows(): a table's cells, given by poppler one per line,
 * come back as one line per row with tabs between the cells; words keep
 * their spaces; boxes that do not fit the text, or hold NaN, give no layout
 * or a harmless one.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdf_rows.h"

#define MAX_CHARS 256

/* A page being written: text and a box per character, placed like glyphs
 * 6 units wide and 10 high. */
struct page {
	char text[1024];
	size_t len;
	struct pdf_box boxes[MAX_CHARS];
	size_t n;
};

/* Put the (ASCII) word at x, y; a '\n' follows it in the text, as poppler
 * ends each block it finds. */
static void put(struct page *p, const char *word, double x, double y)
{
	for (const char *c = word; *c; c++, x += 6) {
		p->text[p->len++] = *c;
		p->boxes[p->n++] = (struct pdf_box){x, y, x + 6, y + 10};
	}
	p->text[p->len++] = '\n';
	p->boxes[p->n++] = (struct pdf_box){x, y, x, y + 10};
}

static char *layout(const struct page *p)
{
	size_t len;
	char *out = pdf_rows(p->text, p->len, p->boxes, p->n, &len);
	if (out) {
		char *s = realloc(out, len + 1);
		assert_non_null(s);
		s[len] = '\0';
		out = s;
	}
	return out;
}

static void test_table_rows(void **state)
{
	struct page p = {0};
	char *out;

	(void)state;
	/* Cells in column order, as poppler reads a table: header cells, then
	 * the data under them. */
	put(&p, "STT", 10, 100);
	put(&p, "1", 10, 120);
	put(&p, "Ten", 60, 100);
	put(&p, "Binh", 60, 120);
	put(&p, "CCCD", 140, 100);
	put(&p, "052195004321", 140, 120);
	put(&p, "Title", 10, 50);
	out = layout(&p);
	assert_non_null(out);
	assert_string_equal(out, "Title\nSTT\tTen\tCCCD\n1\tBinh\t052195004321\n");
	free(out);
}

static void test_words_and_baselines(void **state)
{
	struct page p = {0};
	char *out;

	(void)state;
	/* Two words 3 units apart (a space), one slightly lower on the same
	 * baseline (a subscript-like shift of 3 units stays on the line). */
	put(&p, "So", 10, 100);
	put(&p, "CCCD:", 25, 100);
	put(&p, "052090001234", 58, 103);
	out = layout(&p);
	assert_non_null(out);
	assert_string_equal(out, "So CCCD: 052090001234\n");
	free(out);
}

static void test_boxes_not_the_text(void **state)
{
	struct page p = {0};
	size_t len = 99;

	(void)state;
	put(&p, "abc", 0, 0);
	assert_null(pdf_rows(p.text, p.len, p.boxes, p.n - 1, &len)); /* a box short */
	assert_int_equal(len, 0);
	assert_null(pdf_rows(p.text, p.len, p.boxes, p.n + 1, &len)); /* a box too many */
	assert_null(pdf_rows(p.text, p.len, p.boxes, 0, &len));
	assert_null(pdf_rows(p.text, p.len, p.boxes, PDF_ROWS_MAX_CHARS + 1, &len));
}

static void test_hostile_boxes(void **state)
{
	struct page p = {0};
	char *out;

	(void)state;
	put(&p, "052090001234", 0, 0);
	put(&p, "xyz", 1e300, -1e300);
	p.boxes[3] = (struct pdf_box){NAN, NAN, INFINITY, -INFINITY};
	out = layout(&p);
	assert_non_null(out);
	/* Every character is kept, whatever the order. */
	assert_int_equal(strlen(out), strlen("052090001234") + strlen("xyz") + 2 + 2);
	assert_non_null(strchr(out, 'x'));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_table_rows),
	        cmocka_unit_test(test_words_and_baselines),
	        cmocka_unit_test(test_boxes_not_the_text),
	        cmocka_unit_test(test_hostile_boxes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
