/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of extract_mail.c and extract_markup.c through the real
 * framework (extract_new, then extract_file on a temporary file, so type
 * detection routes the bytes): an e-mail with plain, quoted-printable, HTML,
 * attached text, attached zip and forwarded parts, an mbox, broken MIME, and
 * HTML and XML documents. Each run's member and text are checked. Every
 * identifier is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "extract_record.h"

static struct extract *ctx;

/* The text of the only run of member (fails when there is none or several). */
static const char *text_of(const struct rec *r, const char *member)
{
	const char *found = rec_text_of(r, member);

	if (!found)
		print_message("no run %s\n", member);
	assert_non_null(found);
	return found;
}

static void extract_str(const char *s, struct rec *r)
{
	rec_extract_bytes(ctx, s, strlen(s), r);
}

/* --- building messages ---------------------------------------------------- */

/* Base64 of in[0..len), lines of 76, appended to out. */
static void b64(const void *in, size_t len, char *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = in;
	char *o = out + strlen(out);
	size_t col = 0;

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0) |
		             (i + 2 < len ? p[i + 2] : 0);
		*o++ = abc[v >> 18];
		*o++ = abc[(v >> 12) & 63];
		*o++ = i + 1 < len ? abc[(v >> 6) & 63] : '=';
		*o++ = i + 2 < len ? abc[v & 63] : '=';
		if ((col += 4) == 76) {
			*o++ = '\n';
			col = 0;
		}
	}
	*o = '\0';
}

#define MSG_MAX 65536

static void cat(char *m, const char *s)
{
	assert_true(strlen(m) + strlen(s) < MSG_MAX);
	strcat(m, s);
}

/* --- e-mail ---------------------------------------------------------------- */

static void test_eml(void **state)
{
	char *m = calloc(1, MSG_MAX);
	unsigned char zip[4096];
	struct rec r;
	size_t zl;

	(void)state;
	assert_non_null(m);
	cat(m, "Received: from kiosk by mail.example; Mon, 2 Mar 2026 08:00:00 +0700\r\n"
	       "From: =?UTF-8?B?");
	b64("Nguyễn Văn A", strlen("Nguyễn Văn A"), m);
	cat(m, "?= <a@example.vn>\r\nTo: b@example.vn\r\nSubject: =?UTF-8?B?");
	b64("Hồ sơ CCCD", strlen("Hồ sơ CCCD"), m);
	cat(m, "?=\r\n =?UTF-8?Q?_c=E1=BB=A7a_anh?=\r\nMIME-Version: 1.0\r\n"
	       "Content-Type: multipart/mixed; boundary=\"==outer==\"\r\n\r\n"
	       "This is a multi-part message in MIME format.\r\n"
	       "--==outer==\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
	       "Chào anh, số CCCD 001099012345 ạ.\r\n"
	       "--==outer==\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n"
	       "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	       "S=E1=BB=91 CCCD: 0360950=\r\n00111 h=E1=BA=BFt h=E1=BA=A1n\r\n"
	       "--==outer==\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
	       "--inner\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	const char *html = "<html><body><table><tr><td>Số CCCD</td><td>052090001234</td></tr></table></body></html>";
	b64(html, strlen(html), m);
	cat(m, "\r\n--inner--\r\n"
	       "--==outer==\r\nContent-Type: text/plain; name=\"cccd.txt\"\r\n"
	       "Content-Disposition: attachment; filename=\"cccd.txt\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	b64("Số CCCD: 079203000777\n", strlen("Số CCCD: 079203000777\n"), m);
	cat(m, "\r\n--==outer==\r\nContent-Type: application/zip\r\n"
	       "Content-Disposition: attachment; filename=hoso.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	zl = rec_zip_one("ds.txt", "Danh sách: 079203000888\n", zip, sizeof(zip));
	b64(zip, zl, m);
	cat(m, "\r\n--==outer==\r\nContent-Type: message/rfc822\r\n\r\n"
	       "From: c@example.vn\r\nSubject: Fwd: CCCD\r\n\r\nCCCD chuyển tiếp 045199000321\r\n"
	       "--==outer==--\r\nepilogue 999999999999\r\n");

	extract_str(m, &r);
	assert_string_equal(r.result.type, "mail");
	const char *h = text_of(&r, "headers");
	assert_non_null(strstr(h, "From: Nguyễn Văn A <a@example.vn>\n"));
	assert_non_null(strstr(h, "Subject: Hồ sơ CCCD của anh\n"));
	assert_non_null(strstr(h, "To: b@example.vn\n"));
	assert_null(strstr(h, "Received"));
	assert_non_null(strstr(text_of(&r, "part 1"), "Chào anh, số CCCD 001099012345 ạ."));
	assert_non_null(strstr(text_of(&r, "part 2"), "Số CCCD: 036095000111 hết hạn"));
	assert_non_null(strstr(text_of(&r, "part 3"), "Số CCCD\t052090001234"));
	assert_null(strstr(text_of(&r, "part 3"), "<td>"));
	assert_non_null(strstr(text_of(&r, "cccd.txt"), "Số CCCD: 079203000777"));
	assert_non_null(strstr(text_of(&r, "hoso.zip!ds.txt"), "079203000888"));
	assert_non_null(strstr(text_of(&r, "part 6!headers"), "Subject: Fwd: CCCD"));
	assert_non_null(strstr(text_of(&r, "part 6!part 1"), "045199000321"));
	for (size_t i = 0; i < r.nruns; i++) {
		assert_null(strstr(r.runs[i].text, "999999999999"));       /* the epilogue */
		assert_null(strstr(r.runs[i].text, "multi-part message")); /* the preamble */
	}
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
	free(m);
}

static void test_plain_message(void **state)
{
	struct rec r;

	(void)state;
	/* no MIME: the body is one text part; a legacy charset is decoded */
	extract_str("From: a@example.vn\nSubject: =?ISO-8859-1?Q?caf=E9?=\nContent-Type: text/plain; "
	            "charset=ISO-8859-1\n\nCaf\xe9 001099012345\n",
	            &r);
	assert_string_equal(r.result.type, "mail");
	assert_non_null(strstr(text_of(&r, "headers"), "Subject: café\n"));
	assert_non_null(strstr(text_of(&r, "part 1"), "Café 001099012345"));
	rec_free(&r);
}

static void test_mbox(void **state)
{
	struct rec r;

	(void)state;
	extract_str("From a@example.vn Mon Mar  2 08:00:00 2026\n"
	            "From: a@example.vn\nSubject: one\n\nCCCD 001099000001\n"
	            "From here on it is still the body.\n\n"
	            "From b@example.vn Mon Mar  2 09:00:00 2026\n"
	            "From: b@example.vn\nSubject: two\n\nCCCD 001099000002\n",
	            &r);
	assert_string_equal(r.result.type, "mail");
	assert_non_null(strstr(text_of(&r, "message 1!headers"), "Subject: one"));
	assert_non_null(strstr(text_of(&r, "message 1!part 1"), "001099000001"));
	assert_non_null(strstr(text_of(&r, "message 1!part 1"), "From here on"));
	assert_null(strstr(text_of(&r, "message 1!part 1"), "001099000002"));
	assert_non_null(strstr(text_of(&r, "message 2!headers"), "Subject: two"));
	assert_non_null(strstr(text_of(&r, "message 2!part 1"), "001099000002"));
	rec_free(&r);
}

static void test_malformed(void **state)
{
	struct rec r;
	char *m = calloc(1, MSG_MAX);

	(void)state;
	assert_non_null(m);
	/* base64 with bytes outside its alphabet, then no closing boundary */
	cat(m, "From: a@example.vn\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n"
	       "--b1\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n");
	b64("CCCD 001099000003 ", 18, m);
	cat(m, "!!**");
	b64("tiep", 4, m);
	cat(m, "\n--b1\nContent-Type: text/plain\n\nCCCD 001099000004 no end\n");
	extract_str(m, &r);
	/* best effort: the part is read as far as it decodes, and marked corrupt */
	assert_true(rec_has_coverage(&r, "part 1", EXTRACT_COVERAGE_CORRUPT));
	assert_non_null(strstr(text_of(&r, "part 1"), "CCCD 001099000003"));
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_non_null(strstr(text_of(&r, "part 2"), "001099000004 no end"));
	rec_free(&r);

	/* a multipart without a boundary parameter: its body is text */
	extract_str("From: a@example.vn\nContent-Type: multipart/mixed\n\nCCCD 001099000005\n", &r);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_non_null(strstr(text_of(&r, "part 1"), "001099000005"));
	rec_free(&r);

	/* boundaries that are prefixes of each other: "--b10" is no delimiter
	 * of "b1", and the message is whole (no coverage outcome) */
	extract_str("From: a@example.vn\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\n"
	            "Content-Type: multipart/alternative; boundary=b10\n\n--b10\nContent-Type: text/plain\n\n"
	            "CCCD 001099000008\n--b10--\n--b1 \nContent-Type: text/plain\n\nsecond\n--b1--\n",
	            &r);
	assert_int_equal(r.ncovs, 0);
	assert_string_equal(text_of(&r, "part 1"), "CCCD 001099000008");
	assert_string_equal(text_of(&r, "part 2"), "second");
	rec_free(&r);

	/* a nest of multiparts none of which is closed: one outcome for it */
	m[0] = '\0';
	cat(m, "From: a@example.vn\nContent-Type: multipart/mixed; boundary=c0\n\n");
	for (int i = 0; i < 8; i++) {
		char part[128];
		snprintf(part, sizeof(part), "--c%d\nContent-Type: multipart/mixed; boundary=c%d\n\n", i, i + 1);
		cat(m, part);
	}
	cat(m, "--c8\nContent-Type: text/plain\n\nCCCD 001099000009\n");
	extract_str(m, &r);
	assert_int_equal(r.ncovs, 1);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_non_null(strstr(text_of(&r, "part 1"), "001099000009"));
	rec_free(&r);

	/* headers only, and a truncated encoded-word */
	extract_str("From: a@example.vn\nSubject: =?UTF-8?B?QUJD\n", &r);
	assert_non_null(strstr(text_of(&r, "headers"), "Subject: =?UTF-8?B?QUJD"));
	rec_free(&r);
	free(m);
}

/* --- markup ---------------------------------------------------------------- */

static void test_html(void **state)
{
	struct rec r;

	(void)state;
	extract_str("\xef\xbb\xbf<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	            "<meta name=\"description\" content=\"Tờ khai 001099000006\">"
	            "<style>p { color: red } .x001099999990 {}</style>"
	            "<script>var id = '001099999999'; if (a < b) {}</script><title>Hồ sơ</title></head>\n"
	            "<body><!-- 001099999998 --><p>S&#7889; CCCD: "
	            "&#48;&#53;&#50;&#x30;&#x39;&#48;&#48;&#48;&#49;&#50;&#51;&#52;</p>"
	            "<form><input name=cccd value=\"079203000555\"><img alt='ảnh CCCD' src=x.png></form>"
	            "<p>A &amp; B &lt;x&gt; &Agrave; &unknown; a<b>b</b>c<br>next</p>"
	            "<table><tr><th>Họ tên</th><th>CCCD</th></tr><tr><td>An</td><td>001099000007</td></tr></table>"
	            "</body></html>",
	            &r);
	assert_string_equal(r.result.type, "markup");
	const char *t = text_of(&r, "");
	assert_non_null(strstr(t, "Số CCCD: 052090001234"));
	assert_non_null(strstr(t, "079203000555"));
	assert_non_null(strstr(t, "ảnh CCCD"));
	assert_non_null(strstr(t, "Tờ khai 001099000006"));
	assert_non_null(strstr(t, "A & B <x> À &unknown; abc\nnext"));
	assert_non_null(strstr(t, "Họ tên\tCCCD\nAn\t001099000007"));
	assert_non_null(strstr(t, "Hồ sơ"));
	assert_null(strstr(t, "001099999999"));
	assert_null(strstr(t, "001099999998"));
	assert_null(strstr(t, "color"));
	assert_null(strstr(t, "<p"));
	assert_null(strstr(t, "<td"));
	assert_null(strstr(t, "DOCTYPE"));
	rec_free(&r);
}

static void test_html_charset(void **state)
{
	struct rec r;

	(void)state;
	extract_str("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
	            "</head><body>\xc0 001099000008</body></html>",
	            &r);
	assert_non_null(strstr(text_of(&r, ""), "À 001099000008"));
	rec_free(&r);
}

static void test_xml(void **state)
{
	struct rec r;

	(void)state;
	extract_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hoso xmlns:v=\"urn:x\"><v:ten>Nguyễn Văn A</v:ten>"
	            "<cccd>001099012345</cccd><ghichu><![CDATA[so <moi> 036095000222]]></ghichu></hoso>\n",
	            &r);
	assert_string_equal(r.result.type, "markup");
	const char *t = text_of(&r, "");
	assert_non_null(strstr(t, "Nguyễn Văn A 001099012345"));
	assert_non_null(strstr(t, "so <moi> 036095000222"));
	assert_null(strstr(t, "xmlns"));
	rec_free(&r);
}

static void test_not_routed(void **state)
{
	struct rec r;

	(void)state;
	/* plain text stays text: a colon line without a mail field, a lone '<' */
	extract_str("Note: CCCD 001099012345\nsee below\n", &r);
	assert_string_equal(r.result.type, "text");
	rec_free(&r);
	extract_str("<3 001099012345 </3\n", &r);
	assert_string_equal(r.result.type, "text");
	rec_free(&r);
	extract_str("<b>001099012345\n", &r);
	assert_string_equal(r.result.type, "text");
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
	        cmocka_unit_test(test_eml),  cmocka_unit_test(test_plain_message),
	        cmocka_unit_test(test_mbox), cmocka_unit_test(test_malformed),
	        cmocka_unit_test(test_html), cmocka_unit_test(test_html_charset),
	        cmocka_unit_test(test_xml),  cmocka_unit_test(test_not_routed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
