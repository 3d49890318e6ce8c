/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the RTF extractor through the real extraction path: text as
 * LibreOffice writes it (\uN with a fallback, \upr metadata, tables), \'xx
 * bytes in the code pages of Vietnamese, Chinese and Persian documents, a
 * font's own character set, destinations that must give no text, and
 * hostile files: groups nested 100,000 deep, \bin past the end, a file cut
 * short, each ending with its coverage outcome and the text still read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_record.h"

static struct extract *ctx;

static const char *body_of(const struct rec *r)
{
	const char *found = rec_text_of(r, "");

	assert_non_null(found);
	return found;
}

static void extract_str(const char *s, struct rec *r)
{
	rec_extract_bytes(ctx, s, strlen(s), r);
	assert_string_equal(r->result.type, "rtf");
}

#define assert_has(text, needle)                                                                                       \
	do {                                                                                                           \
		if (!strstr((text), (needle)))                                                                         \
			print_message("missing [%s] in [%s]\n", (needle), (text));                                     \
		assert_non_null(strstr((text), (needle)));                                                             \
	} while (0)

/* LibreOffice's way: \uN with a '?' fallback, the title twice under \upr,
 * a table whose rows become tab-separated lines under their header. */
static void test_libreoffice(void **state)
{
	const char *doc =
	        "{\\rtf1\\ansi\\deff3\\adeflang1025\n"
	        "{\\fonttbl{\\f0\\froman\\fprq2\\fcharset0 Times New Roman;}{\\f3\\froman\\fcharset0 Liberation "
	        "Serif{\\*\\falt Times New Roman};}}\n"
	        "{\\colortbl;\\red0\\green0\\blue0;}\n"
	        "{\\stylesheet{\\s0\\snext0 Normal;}{\\s1\\sbasedon0 Heading 052090001234;}}"
	        "{\\*\\generator LibreOffice/7.4.7.2$Linux_X86_64}"
	        "{\\info{\\upr{\\title \\'3f\\'3fn}{\\*\\ud{\\title \\u272\\'3f\\u417\\'3fn}}}{\\author "
	        "Tr\\u7847\\'3fn "
	        "An}{\\creatim\\yr2026\\mo1\\dy2}}"
	        "{\\*\\userprops{\\propname M\\u227\\'3f h\\u7891\\'3f s\\u417\\'3f}\\proptype30{\\staticval HS-0042}}"
	        "\\pard\\plain \\s1{\\loch\n\\u272\\'3f\\u416\\'3fN \\u272\\'3f\\u7872\\'3f NGH\\u7882\\'3f}\n"
	        "\\par \\pard\\plain {\\loch\nS\\u7889\\'3f CCCD: 052090001234}\n"
	        "\\par \\trowd\\cellx586\\cellx2057\\cellx3648\\pard\\plain \\intbl{\\loch\nSTT}\\cell\\pard\\plain "
	        "\\intbl{\\loch\nH\\u7885\\'3f v\\u224\\'e0 t\\u234\\'ean}\\cell\\pard\\plain \\intbl{\\loch\n"
	        "S\\u7889\\'3f CCCD}\\cell\\row\\pard\\trowd\\cellx586\\cellx2057\\cellx3648\\pard\\plain "
	        "\\intbl{\\loch\n1}\\cell\\pard\\plain \\intbl{\\loch\nTr\\u7847\\'3fn Th\\u7883\\'3f B\\u236\\'ecnh}"
	        "\\cell\\pard\\plain \\intbl{\\loch\n052195004321}\\cell\\row\\pard\\pard\\plain \\par }";
	struct rec r;

	(void)state;
	extract_str(doc, &r);
	assert_int_equal(r.ncovs, 0);
	assert_string_equal(body_of(&r), "ĐƠN ĐỀ NGHỊ\nSố CCCD: 052090001234\nSTT\tHọ và tên\tSố CCCD\n"
	                                 "1\tTrần Thị Bình\t052195004321\n\n");
	/* The metadata: once (the ANSI half of \upr skipped), a field a line. */
	assert_string_equal(rec_text_of(&r, "info"), "Đơn\nTrần An\nMã hồ sơ\nHS-0042\n");
	rec_free(&r);
}

/* \'xx in the document's code page: Vietnamese (a letter and its combining
 * accent, composed), Chinese GBK (a trail byte that is ASCII), Persian. */
static void test_code_pages(void **state)
{
	struct rec r;

	(void)state;
	extract_str("{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0\\fnil Times;}}"
	            "\\pard Ho\\'f2 va\\'cc t\\'ean: Nguy\\'ea\\'den\\par S\\'f4\\'ec CCCD: 052090001234\\par}",
	            &r);
	/* glibc composes most letters with their accent, but not o with a dot
	 * below: the matcher folds both forms alike. */
	assert_string_equal(body_of(&r), "Ho\xcc\xa3 và tên: Nguyễn\nSố CCCD: 052090001234\n");
	rec_free(&r);

	extract_str("{\\rtf1\\ansi\\ansicpg936\\deff0\\pard \\'c9\\'ed\\'b7\\'dd\\'d6\\'a4\\'ba\\'c5\\'a3\\'ba"
	            "440305199003071236 \\'81@\\par}",
	            &r);
	assert_string_equal(body_of(&r), "身份证号：440305199003071236 丂\n");
	rec_free(&r);

	/* Arabic yeh as cp1256 has it, and Persian digits as \uN. */
	extract_str("{\\rtf1\\ansi\\ansicpg1256\\deff0\\pard \\'98\\'cf \\'e3\\'e1\\'ed: "
	            "\\u1776?\\u1776?\\u1777?\\u1778?\\u1779?\\u1780?\\u1781?\\u1782?\\u1783?\\u1785?\\par}",
	            &r);
	assert_string_equal(body_of(&r), "کد ملي: ۰۰۱۲۳۴۵۶۷۹\n");
	rec_free(&r);
}

/* A font's character set decides its bytes (Word on an English system with
 * a Vietnamese font); \ucN sets the fallback length, \uc0 none; a surrogate
 * pair is one character. */
static void test_fonts_and_unicode(void **state)
{
	struct rec r;

	(void)state;
	extract_str("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman\\fcharset0 Arial;}"
	            "{\\f1\\froman\\fcharset163 Times New Roman;}{\\f2\\fnil\\fcharset134 SimSun;}}"
	            "\\pard caf\\'e9 {\\f1 S\\'f4\\'ec} {\\f2 \\'c9\\'ed\\'b7\\'dd} caf\\'e9\\par"
	            "{\\uc2 \\u36523\\'c9\\'ed\\u20221\\'b7\\'dd}{\\uc0 \\u35777\\u21495}\\u-10179?\\u-8704?\\par}",
	            &r);
	assert_string_equal(body_of(&r), "café Số 身份 café\n身份证号\xf0\x9f\x98\x80\n");
	rec_free(&r);

	/* WordPad's way: no \f before the text, the default font's set applies. */
	extract_str("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset163 Calibri;}}"
	            "\\viewkind4\\uc1 \\pard S\\'f4\\'ec CCCD\\par}",
	            &r);
	assert_string_equal(body_of(&r), "Số CCCD\n");
	rec_free(&r);
}

/* What is not body text gives nothing: pictures, objects, field codes,
 * unknown optional destinations, \bin data; a field's result and control
 * symbols do give text. */
static void test_skipped(void **state)
{
	struct rec r;
	char doc[1024];
	size_t n;

	(void)state;
	n = (size_t)snprintf(doc, sizeof(doc),
	                     "{\\rtf1\\ansi{\\*\\shppict{\\pict\\pngblip 052090001234ab}}{\\object{\\*\\objdata "
	                     "0105000002000000 052195004321}{\\result seen1}}{\\*\\x-unknown 079203000777}"
	                     "{\\field{\\*\\fldinst HYPERLINK \"064185012345\"}{\\fldrslt seen2}}"
	                     "{\\shp{\\*\\shpinst{\\sp{\\sn fillColor}{\\sv 001318000042}}{\\shptxt box}}"
	                     "{\\shprslt dup}}{\\*\\atnauthor An}\\chatn{\\*\\annotation note}{\\footnote fn}"
	                     "{\\pict\\bin12 001318000042}seen3\\~a\\_b\\{c\\}\\\\\\emdash\\-d\\tab e\\par}");
	assert_true(n < sizeof(doc));
	rec_extract_bytes(ctx, doc, n, &r);
	assert_int_equal(r.ncovs, 0);
	/* A text box, a comment and a footnote are text; a shape's properties
	 * and its drawn copy are not. */
	assert_string_equal(body_of(&r), "seen1seen2boxnotefnseen3\xc2\xa0"
	                                 "a-b{c}\\\xe2\x80\x94"
	                                 "d\te\n");
	rec_free(&r);
}

/* Hostile files: 100,000 groups deep (coverage.limit, the text after still
 * read), \bin longer than the file (coverage.corrupt), a file cut short
 * (coverage.corrupt, its text kept), \u and \uc with absurd parameters. */
static void test_hostile(void **state)
{
	const size_t deep = 100000;
	size_t cap = deep * 2 + 256, n = 0;
	char *doc = malloc(cap);
	struct rec r;

	(void)state;
	assert_non_null(doc);
	n += (size_t)snprintf(doc + n, cap - n, "{\\rtf1\\ansi ");
	memset(doc + n, '{', deep);
	n += deep;
	n += (size_t)snprintf(doc + n, cap - n, "S\\u7889? CCCD: 052090001234\\par ");
	memset(doc + n, '}', deep);
	n += deep;
	n += (size_t)snprintf(doc + n, cap - n, "after}");
	rec_extract_bytes(ctx, doc, n, &r);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_LIMIT));
	assert_false(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_string_equal(body_of(&r), "Số CCCD: 052090001234\nafter");
	rec_free(&r);
	free(doc);

	extract_str("{\\rtf1 before\\par {\\pict\\bin999999 0123}}", &r);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_string_equal(body_of(&r), "before\n");
	rec_free(&r);

	extract_str("{\\rtf1\\ansi{\\b S\\u7889? CCCD: 052090001234", &r);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_string_equal(body_of(&r), "Số CCCD: 052090001234");
	rec_free(&r);

	extract_str("{\\rtf1\\uc99999999999 \\u99999999999 a\\u-99999 b\\uc1\\u65 xy\\bin-5 z\\'4\\'zz"
	            "\\abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz1 q}}}}",
	            &r);
	assert_string_equal(body_of(&r), "\xef\xbf\xbd\xef\xbf\xbd"
	                                 "Ayz4zzq");
	rec_free(&r);

	/* Control bytes as \'xx separate text, NUL among them. */
	extract_str("{\\rtf1 a\\'00b\\'0dc\\'01d}", &r);
	assert_string_equal(body_of(&r), "a b\nc d");
	rec_free(&r);
}

static int setup(void **state)
{
	(void)state;
	return extract_new(&ctx) < 0 ? -1 : 0;
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
	        cmocka_unit_test(test_libreoffice),       cmocka_unit_test(test_code_pages),
	        cmocka_unit_test(test_fonts_and_unicode), cmocka_unit_test(test_skipped),
	        cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
