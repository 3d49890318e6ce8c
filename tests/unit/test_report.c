/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the HTML report on a real store in a temporary folder: the
 * counts of each status and group carry the right values, a hostile file
 * name (markup, quotes, an invalid byte, a newline) comes out escaped and the
 * page stays valid UTF-8, both languages, no external reference or script,
 * the filters, and the note past the row cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "store.h"
#include "text.h"

#include "report_html.h"

#define HOSTILE_PATH "/home/u/Desktop/<script>alert(1)</script>\"'&\xff\nx.txt"
#define HOSTILE_HTML                                                                                                   \
	"/<wbr>home/<wbr>u/<wbr>Desktop/<wbr>&lt;script&gt;alert(1)&lt;/"                                              \
	"<wbr>script&gt;&quot;&#39;&amp;\xEF\xBF\xBD&#x240A;"                                                          \
	"x.txt"

static char dir[] = "/tmp/piiguard-test-report-XXXXXX";
static struct store *store;

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Record one file with findings of the given rules; their ids go to ids. */
static void record(int64_t scan, const char *path, ino_t ino, const char *const *rules, size_t n, int64_t *ids)
{
	struct stat st = {.st_dev = 1, .st_ino = ino, .st_size = 100};
	struct store_file *f = NULL;

	assert_int_equal(store_file_begin(store, scan, path, &st, now_ns(), &f), 0);
	for (size_t i = 0; i < n; i++) {
		char fp[17];
		struct store_recorded r;
		snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)(ino * 100 + i));
		struct store_finding finding = {
		        .rule = rules[i],
		        .label = strcmp(rules[i], "vn.cccd") == 0 ? "Vietnamese personal ID number (CCCD)" : rules[i],
		        .masked = "052******234",
		        .fingerprint = fp,
		        .confidence = 0.9,
		        .source = "text",
		        .line = i + 1,
		};
		assert_int_equal(store_file_finding(f, &finding, &r), 0);
		ids[i] = r.id;
	}
	assert_int_equal(store_file_end(f, "findings"), 0);
}

/*
 * The store of every test: 3 open findings in 2 files (2 vn.cccd in a
 * Downloads file, 1 vn.cmnd in the hostile file on the Desktop), then one
 * acknowledged, one false positive and one wiped.
 */
static int setup(void **state)
{
	char path[256];
	int64_t scan, ids[3];
	static const char *const dl[] = {"vn.cccd", "vn.cccd", "email"};
	static const char *const hostile[] = {"vn.cmnd"};
	static const char *const docs[] = {"cn.ric", "vn.cccd"};

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/findings.db", dir);
	if (store_open(path, &store) < 0)
		return -1;
	if (store_scan_begin(store, "scan", &scan) < 0)
		return -1;
	record(scan, "/home/u/Downloads/a.txt", 10, dl, 3, ids);
	if (store_set_status(store, ids[2], STORE_STATUS_ACKNOWLEDGED, "tester") < 0)
		return -1;
	record(scan, HOSTILE_PATH, 11, hostile, 1, ids);
	record(scan, "/home/u/Documents/c.txt", 12, docs, 2, ids);
	if (store_set_status(store, ids[0], STORE_STATUS_FALSE_POSITIVE, "tester") < 0 ||
	    store_set_status(store, ids[1], STORE_STATUS_WIPED, "tester") < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	store_close(store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The report as a string (caller frees). */
static char *render(enum report_html_lang lang, const char *hostname, const struct store_filter *flt, size_t max_rows)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct store_filter any = {.status = -1};
	struct report_html_options opt = {
	        .lang = lang,
	        .hostname = hostname,
	        .now = (int64_t)time(NULL),
	        .max_rows = max_rows,
	        .filter = flt ? flt : &any,
	};

	assert_non_null(f);
	assert_int_equal(report_html_write(store, &opt, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(strlen(buf), len);
	return buf;
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("the report lacks: %s", needle);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("the report holds: %s", needle);
}

static void assert_valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);

	while (p < end) {
		size_t n;
		if (text_utf8_next(p, end, &n) < 0)
			fail_msg("invalid UTF-8 at offset %zu", (size_t)(p - (const unsigned char *)s));
		p += n;
	}
}

/* Every element opened is closed, as many times. */
static void assert_balanced(const char *html)
{
	static const char *const tags[] = {"section", "table", "tbody", "thead", "tr", "td", "th",  "svg",
	                                   "g",       "text",  "title", "div",   "p",  "b",  "time"};
	char open[32], close[32];

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		snprintf(open, sizeof(open), "<%s>", tags[i]);
		size_t opened = occurrences(html, open);
		snprintf(open, sizeof(open), "<%s ", tags[i]);
		opened += occurrences(html, open);
		snprintf(close, sizeof(close), "</%s>", tags[i]);
		if (opened != occurrences(html, close))
			fail_msg("<%s> opened %zu times, closed %zu", tags[i], opened, occurrences(html, close));
	}
}

static void test_counts(void **state)
{
	(void)state;
	char *html = render(REPORT_HTML_VI, "office-pc-01", NULL, 0);

	assert_contains(html, "<span class=\"n\" id=\"count-open\" data-count=\"3\">3</span>");
	assert_contains(html, "id=\"count-files\" data-count=\"2\">2<");
	assert_contains(html, "id=\"count-acknowledged\" data-count=\"1\">1<");
	assert_contains(html, "id=\"count-false-positive\" data-count=\"1\">1<");
	assert_contains(html, "id=\"count-wiped\" data-count=\"1\">1<");
	/* Every finding was first seen today. */
	assert_contains(html, "id=\"count-days-total\">6<");
	assert_int_equal(occurrences(html, "<rect class=\"bar\" data-day="), REPORT_HTML_DAYS);
	assert_int_equal(occurrences(html, "data-count=\"6\" x="), 1);
	/* Per rule, application and folder: the open ones only. */
	assert_contains(html, "<g data-rule=\"vn.cccd\" data-count=\"2\">");
	assert_contains(html, "<g data-rule=\"vn.cmnd\" data-count=\"1\">");
	assert_lacks(html, "data-rule=\"email\" data-count");
	assert_lacks(html, "data-rule=\"cn.ric\"");
	assert_contains(html, ">Vietnamese personal ID number (CCCD) <tspan class=\"s\">vn.cccd</tspan></text>");
	assert_contains(html, "<g data-application=\"Downloads\" data-count=\"2\">");
	assert_contains(html, "<g data-application=\"Desktop\" data-count=\"1\">");
	assert_contains(html, "<tr data-folder=\"/home/u/Downloads\" data-count=\"2\">");
	/* The hostile name's "</script>" holds a slash: its folder ends before. */
	assert_contains(html, "<tr data-folder=\"/home/u/Desktop/&lt;script&gt;alert(1)&lt;\" data-count=\"1\">");
	/* The table of open findings: newest first, masked values, lines. */
	assert_int_equal(occurrences(html, "<tr data-id="), 3);
	assert_int_equal(occurrences(html, "data-rule=\"vn.cccd\"><td"), 2);
	assert_contains(html, "<td class=\"masked\">052******234</td>");
	assert_contains(html, "<td class=\"num\">90%</td>");
	assert_contains(html, "<td class=\"path\">/<wbr>home/<wbr>u/<wbr>Downloads/<wbr>a.txt:2</td>");
	assert_true(strstr(html, "data-rule=\"vn.cmnd\"><td") < strstr(html, "data-rule=\"vn.cccd\"><td"));
	assert_lacks(html, "id=\"more-rows\"");
	assert_lacks(html, "id=\"no-open\"");
	assert_contains(html, "<b id=\"hostname\">office-pc-01</b>");
	assert_balanced(html);
	free(html);
}

static void test_escaping(void **state)
{
	(void)state;
	char *html = render(REPORT_HTML_VI, "<b>host\"", NULL, 0);

	assert_contains(html, "<td class=\"path\">" HOSTILE_HTML ":1</td>");
	assert_contains(html, "<td class=\"path\">/<wbr>home/<wbr>u/<wbr>Desktop/<wbr>&lt;script&gt;alert(1)&lt;</td>");
	assert_contains(html, "&lt;b&gt;host&quot;");
	assert_lacks(html, "<script");
	assert_lacks(html, "alert(1)</script>");
	assert_lacks(html, "<b>host");
	assert_null(strchr(html, '\xff'));
	assert_valid_utf8(html);
	assert_balanced(html);
	free(html);
}

static void test_self_contained(void **state)
{
	static const char *const banned[] = {"http://", "https://", "<script", "src=",    "href=",   "<link",
	                                     "<img",    "url(",     "@import", "<iframe", "<object", "//cdn"};
	(void)state;

	for (int lang = REPORT_HTML_VI; lang <= REPORT_HTML_EN; lang++) {
		char *html = render((enum report_html_lang)lang, "pc", NULL, 0);
		for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
			assert_lacks(html, banned[i]);
		assert_contains(html, "<meta charset=\"utf-8\">");
		assert_contains(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
		assert_contains(html, "default-src 'none'");
		assert_contains(html, "<style>");
		assert_contains(html, "<svg viewBox=");
		assert_contains(html, "overflow-x:auto");
		assert_true(strncmp(html, "<!DOCTYPE html>\n", 16) == 0);
		assert_valid_utf8(html);
		free(html);
	}
}

static void test_languages(void **state)
{
	static const char *const vi[] = {"<html lang=\"vi\">",
	                                 "Báo cáo dữ liệu cá nhân",
	                                 "Phát hiện đang mở",
	                                 "Theo loại",
	                                 "Theo ứng dụng",
	                                 "Theo thư mục",
	                                 "Theo ngày",
	                                 "Đã xác nhận",
	                                 "Đã xóa"};
	static const char *const en[] = {"<html lang=\"en\">",
	                                 "Personal data report",
	                                 "Open findings",
	                                 "By type",
	                                 "By application",
	                                 "By folder",
	                                 "By day",
	                                 "Acknowledged",
	                                 "False positives",
	                                 "Wiped"};
	(void)state;
	char *html = render(REPORT_HTML_VI, "pc", NULL, 0);

	for (size_t i = 0; i < sizeof(vi) / sizeof(vi[0]); i++)
		assert_contains(html, vi[i]);
	assert_lacks(html, "Open findings");
	free(html);

	html = render(REPORT_HTML_EN, "pc", NULL, 0);
	for (size_t i = 0; i < sizeof(en) / sizeof(en[0]); i++)
		assert_contains(html, en[i]);
	assert_lacks(html, "Báo cáo");
	assert_contains(html, "id=\"count-open\" data-count=\"3\">3<");
	free(html);

	enum report_html_lang lang;
	assert_int_equal(report_html_parse_lang("vi", &lang), 0);
	assert_int_equal(lang, REPORT_HTML_VI);
	assert_int_equal(report_html_parse_lang("en", &lang), 0);
	assert_int_equal(lang, REPORT_HTML_EN);
	assert_int_equal(report_html_parse_lang("fr", &lang), ERR_INVAL);
}

static void test_row_cap(void **state)
{
	(void)state;
	char *html = render(REPORT_HTML_EN, "pc", NULL, 2);

	assert_int_equal(occurrences(html, "<tr data-id="), 2);
	assert_contains(html, "id=\"more-rows\" data-count=\"1\">1 more open findings are not listed");
	/* The cap limits the table, never the counts. */
	assert_contains(html, "id=\"count-open\" data-count=\"3\">3<");
	free(html);

	html = render(REPORT_HTML_VI, "pc", NULL, 1);
	assert_int_equal(occurrences(html, "<tr data-id="), 1);
	assert_contains(html, "id=\"more-rows\" data-count=\"2\">Còn 2 phát hiện");
	free(html);
}

static void test_filters(void **state)
{
	(void)state;
	struct store_filter flt = {.status = STORE_STATUS_WIPED, .rule = "vn.cccd"};
	char *html = render(REPORT_HTML_VI, "pc", &flt, 0);

	/* A status in the filter is ignored: each section picks its own. */
	assert_contains(html, "id=\"count-open\" data-count=\"2\">2<");
	assert_contains(html, "id=\"count-files\" data-count=\"1\">1<");
	assert_contains(html, "id=\"count-acknowledged\" data-count=\"0\">0<");
	assert_contains(html, "id=\"count-wiped\" data-count=\"1\">1<");
	assert_contains(html, "<p id=\"filters\">");
	assert_lacks(html, "vn.cmnd");
	free(html);

	flt = (struct store_filter){.status = -1, .path = "/home/u/Documents"};
	html = render(REPORT_HTML_EN, "pc", &flt, 0);
	assert_contains(html, "id=\"count-open\" data-count=\"0\">0<");
	assert_contains(html, "id=\"count-false-positive\" data-count=\"1\">1<");
	assert_contains(html, "id=\"no-open\"");
	assert_lacks(html, "<tr data-id=");
	assert_balanced(html);
	free(html);
}

static char *escaped(const char *in, size_t len, size_t max_chars)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	report_html_escape(f, in, len, max_chars);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_escape(void **state)
{
	static const struct {
		const char *in, *out;
		size_t max;
	} cases[] = {
	        {"plain/ascii.txt", "plain/ascii.txt", 0},
	        {"<a href='x'>&amp;</a>", "&lt;a href=&#39;x&#39;&gt;&amp;amp;&lt;/a&gt;", 0},
	        {"Tài liệu/Ảnh", "Tài liệu/Ảnh", 0},
	        {"tab\there\r\x1b[31m\x7f", "tab&#x2409;here&#x240D;&#x241B;[31m&#x2421;", 0},
	        {"bad \xff\xfe end", "bad \xEF\xBF\xBD\xEF\xBF\xBD end", 0},
	        {"cut \xE1\xBA", "cut \xEF\xBF\xBD\xEF\xBF\xBD", 0},         /* truncated sequence */
	        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", 0},                 /* overlong '/' */
	        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 0}, /* a surrogate */
	        {"\xC2\x85next", "\xEF\xBF\xBDnext", 0},                     /* C1 NEL */
	        {"evil\xE2\x80\xAEtxt.exe", "evil\xEF\xBF\xBDtxt.exe", 0},   /* RIGHT-TO-LEFT OVERRIDE */
	        {"abcdef", "abc…", 3},
	        {"ảnhđẹp", "ảnh…", 3},
	        {"abc", "abc", 3},
	        {"<<<<", "&lt;&lt;…", 2},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = escaped(cases[i].in, strlen(cases[i].in), cases[i].max);
		if (strcmp(got, cases[i].out) != 0)
			fail_msg("case %zu: got '%s', expected '%s'", i, got, cases[i].out);
		free(got);
	}
	/* A length, not a NUL, ends the input. */
	char *got = escaped("a\0b", 3, 0);
	assert_string_equal(got, "a&#x2400;b");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_counts),         cmocka_unit_test(test_escaping),
	        cmocka_unit_test(test_self_contained), cmocka_unit_test(test_languages),
	        cmocka_unit_test(test_row_cap),        cmocka_unit_test(test_filters),
	        cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
