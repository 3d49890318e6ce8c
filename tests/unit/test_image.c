/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the image reader: the chip CCCD QR payload parser on the
 * vectors of identifiers.md 5.3 and their near misses; the MRZ repair on
 * OCR-like text (spaces, '«', a filler run too short or too long, O for 0 in a
 * date) and the check digits that must still hold; image types by their first
 * bytes; and the mock cards of tests/data/cards read without OCR (QR code and
 * zone), twice, the second time from the cache. Hostile headers end with a
 * coverage outcome.
 */
#include <fcntl.h>
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
#include <zlib.h>

#include "extract.h"
#include "image.h"

static const char ZONE[] = "IDVNM0900012345052090001234<<2"
                           "9001011M3001019VNM<<<<<<<<<<<2"
                           "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";

static enum image_level qr(const char *payload, char id[13])
{
	return image_qr_cccd(payload, strlen(payload), 2026, id);
}

static void test_qr_payload(void **state)
{
	char id[13];

	(void)state;
	assert_int_equal(qr("052090001234|215123456|Nguyễn Văn An|01011990|Nam|Thôn 1, xã A, huyện B, tỉnh Bình "
	                    "Định|15082021",
	                    id),
	                 IMAGE_CERTAIN);
	assert_string_equal(id, "052090001234");
	assert_int_equal(
	        qr("079203000777||Trần Văn Bình|05062003|Nam|Số 1 đường C, phường D, TP Hồ Chí Minh|20102022", id),
	        IMAGE_CERTAIN);
	assert_string_equal(id, "079203000777");
	assert_int_equal(qr("064185012345||Lê Thị Cúc|20071985|Nữ|Tổ 3, phường E, tỉnh Gia Lai|10092024||||", id),
	                 IMAGE_CERTAIN);
	/* Birth year 1991 against 1990 in the number: syntax only. */
	assert_int_equal(qr("052090001234|215123456|Nguyễn Văn An|01011991|Nam|Thôn 1, xã A|15082021", id), IMAGE_HIGH);
	/* "Nữ" with a male century digit: a failed cross-check. */
	assert_int_equal(qr("052090001234||Nguyễn Văn An|01011990|Nữ|Thôn 1|15082021", id), IMAGE_HIGH);
	/* Latin-1 mojibake of "Nữ" is not held against the payload. */
	assert_int_equal(qr("064185012345||Le Thi Cuc|20071985|N\xc3\xa1\xc2\xbb\xc2\xaf|Gia Lai|10092024", id),
	                 IMAGE_CERTAIN);
	/* Leading text (a scanner app's export) before the payload. */
	assert_int_equal(qr("QR: 052090001234|215123456|An|01011990|Nam|A|15082021\nnext", id), IMAGE_CERTAIN);
}

static void test_qr_payload_rejects(void **state)
{
	char id[13];

	(void)state;
	assert_int_equal(qr("052090001234|215123456|Nguyễn Văn An|32131990|Nam|Thôn 1, xã A|15082021", id),
	                 IMAGE_NONE); /* impossible date */
	assert_int_equal(qr("05209000123|215123456|Nguyễn Văn An|01011990|Nam|Thôn 1, xã A|15082021", id),
	                 IMAGE_NONE); /* 11 digits */
	assert_int_equal(qr("052090001234|215123456|Nguyễn Văn An|01011990|Nam|Thôn 1", id), IMAGE_NONE);
	assert_int_equal(qr("052090001234|21512345|An|01011990|Nam|A|15082021", id), IMAGE_NONE); /* CMND 8 digits */
	assert_int_equal(qr("052090001234||An|01011990|Nam|A|15082031", id), IMAGE_NONE);         /* issued in future */
	assert_int_equal(qr("052090001234||An|01011990|Nam|A|15081989", id), IMAGE_NONE);  /* issued before birth */
	assert_int_equal(qr("053090001234||An|01011990|Nam|A|15082021", id), IMAGE_NONE);  /* no province 053 */
	assert_int_equal(qr("1052090001234||An|01011990|Nam|A|15082021", id), IMAGE_NONE); /* glued to a digit */
	assert_int_equal(qr("052090001234||An|29021990|Nam|A|15082021", id), IMAGE_NONE);  /* not a leap year */
	assert_int_equal(qr("https://example.com/052090001234", id), IMAGE_NONE);
	assert_int_equal(qr("", id), IMAGE_NONE);
}

static void test_mrz_check_digit(void **state)
{
	(void)state;
	assert_int_equal(image_mrz_check("123456BB", 8), '5'); /* planetcalc's worked example */
	assert_int_equal(image_mrz_check("D23145890", 9), '7');
	assert_int_equal(image_mrz_check("740812", 6), '2');
	assert_int_equal(image_mrz_check("052090001234", 12), '2');
	assert_int_equal(image_mrz_check("12a", 3), '?');
}

static bool mrz(const char *text, char out[91])
{
	return image_mrz_td1(text, strlen(text), out);
}

static void test_mrz_ocr_text(void **state)
{
	char out[91];

	(void)state;
	assert_true(
	        mrz("IDVNM0900012345052090001234<<2\n9001011M3001019VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<\n",
	            out));
	assert_string_equal(out, ZONE);
	/* Spaces, a blank line, '«', the name's fillers cut short. */
	memset(out, 0, sizeof(out));
	assert_true(mrz("Đặc điểm nhân dạng\n IDVNM 0900012345 052090001234 <<2 \n\n9001011M3001019VNM<<<<<<«««««2\n"
	                "NGUYEN<<VAN<AN<<<<<<<<<\n",
	                out));
	assert_string_equal(out, ZONE);
	/* O for 0 and I for 1 in the dates, a filler run one too long. */
	memset(out, 0, sizeof(out));
	assert_true(mrz("IDVNM0900012345052090001234<<<2\n9OO1O11M3OO1O19VNM<<<<<<<<<<<<2\nNGUYEN<<VAN<AN\n", out));
	assert_string_equal(out, ZONE);
	/* Lower case from a full-page OCR. */
	assert_true(mrz(
	        "idvnm0900012345052090001234<<2\n9001011m3001019vnm<<<<<<<<<<<2\nnguyen<<van<an<<<<<<<<<<<<<<<<", out));
	/* The ICAO specimen: any issuing state. */
	assert_true(mrz(
	        "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", out));
}

static void test_mrz_rejects(void **state)
{
	char out[91];

	(void)state;
	/* Each near miss of identifiers.md 6.5: a check digit that fails stays failed. */
	assert_false(mrz(
	        "IDVNM0900012346052090001234<<2\n9001011M3001019VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<", out));
	assert_false(mrz(
	        "IDVNM0900012345052090001234<<2\n9001021M3001019VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<", out));
	assert_false(mrz(
	        "IDVNM0900012345052090001234<<7\n9001011M3001019VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<", out));
	/* Two lines, or a line of prose between them. */
	assert_false(mrz("IDVNM0900012345052090001234<<2\n9001011M3001019VNM<<<<<<<<<<<2\n", out));
	assert_false(
	        mrz("IDVNM0900012345052090001234<<2\nNgày, tháng, năm: 15/08/2021\n9001011M3001019VNM<<<<<<<<<<<2\n"
	            "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<",
	            out));
	/* A line with no filler run cannot be stretched. */
	assert_false(mrz("IDVNM09000123450520900012342\n9001011M3001019VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<",
	                 out));
	assert_false(mrz("", out));
	assert_false(mrz(
	        "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", out));
}

static void test_image_types(void **state)
{
	static const unsigned char bmp[26] = {'B', 'M', 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40};

	(void)state;
	assert_string_equal(image_type((const unsigned char *)"\xff\xd8\xff\xe0", 4), "jpeg");
	assert_string_equal(image_type((const unsigned char *)"\x89PNG\r\n\x1a\n", 8), "png");
	assert_string_equal(image_type((const unsigned char *)"GIF89a", 6), "gif");
	assert_string_equal(image_type((const unsigned char *)"RIFF\x10\0\0\0WEBPVP8 ", 16), "webp");
	assert_string_equal(image_type((const unsigned char *)"II*\0\x08\0\0\0", 8), "tiff");
	assert_string_equal(image_type((const unsigned char *)"\0\0\0\x18"
	                                                      "ftypheic\0\0\0\0",
	                               16),
	                    "heif");
	assert_string_equal(image_type(bmp, sizeof(bmp)), "bmp");
	assert_null(image_type((const unsigned char *)"BMW 320i, biển số 77A-123.45 ......", 34));
	assert_null(image_type((const unsigned char *)"\x89PN", 3));
	assert_null(image_type((const unsigned char *)"\0\0\0\x18"
	                                              "ftypisom\0\0\0\0",
	                       16)); /* an MP4 */
}

/* --- through the framework ------------------------------------------------ */

struct got {
	char runs[8][256];
	enum extract_source run_source[8];
	size_t nruns;
	char rules[8][32];
	enum extract_source source[8];
	double confidence[8];
	size_t nfind;
	enum extract_coverage cov[8];
	size_t ncov;
	enum extract_source current;
};

static void got_begin(void *ctx, const char *member)
{
	struct got *g = ctx;
	(void)member;
	g->current = EXTRACT_SOURCE_TEXT;
	if (g->nruns < 8)
		g->runs[g->nruns][0] = '\0';
}

static void got_source(void *ctx, enum extract_source source)
{
	struct got *g = ctx;
	g->current = source;
}

static void got_text(void *ctx, const char *utf8, size_t len)
{
	struct got *g = ctx;
	if (g->nruns < 8) {
		size_t have = strlen(g->runs[g->nruns]), n = len < 255 - have ? len : 255 - have;
		memcpy(g->runs[g->nruns] + have, utf8, n);
		g->runs[g->nruns][have + n] = '\0';
	}
}

static void got_end(void *ctx)
{
	struct got *g = ctx;
	if (g->nruns < 8)
		g->run_source[g->nruns++] = g->current;
}

static void got_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	struct got *g = ctx;
	(void)member;
	if (getenv("PIIGUARD_TEST_VERBOSE"))
		print_message("coverage %d: %s\n", (int)what, detail);
	if (g->ncov < 8)
		g->cov[g->ncov++] = what;
}

static void got_finding(void *ctx, const char *member, const struct extract_finding *f)
{
	struct got *g = ctx;
	(void)member;
	if (g->nfind < 8) {
		snprintf(g->rules[g->nfind], sizeof(g->rules[0]), "%s", f->rule);
		g->source[g->nfind] = f->source;
		g->confidence[g->nfind++] = f->confidence;
	}
}

static const struct extract_handler got_handler = {
        .text_begin = got_begin,
        .text = got_text,
        .text_end = got_end,
        .coverage = got_coverage,
        .text_source = got_source,
        .finding = got_finding,
};

static void extract_fd(struct extract *x, int fd, struct got *g)
{
	struct extract_result res;
	struct stat st;

	memset(g, 0, sizeof(*g));
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(extract_file(x, fd, &st, &got_handler, g, &res), 0);
	close(fd);
}

static void extract_card(struct extract *x, const char *name, struct got *g)
{
	const char *dir = getenv("PIIGUARD_TESTDATA");
	char path[4096];

	snprintf(path, sizeof(path), "%s/cards/%s", dir && *dir ? dir : "tests/data", name);
	extract_fd(x, open(path, O_RDONLY | O_CLOEXEC), g);
}

static void extract_mem(struct extract *x, const void *data, size_t len, struct got *g)
{
	char path[] = "/tmp/piiguard-image-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	unlink(path);
	extract_fd(x, fd, g);
}

static int64_t ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void test_cards_without_ocr(void **state)
{
	struct extract *x;
	struct got g;
	int64_t t0, first, second;

	(void)state;
	assert_int_equal(extract_new(&x), 0);
	extract_set_ocr(x, false, NULL);
	assert_false(extract_ocr_enabled(x));
	assert_int_equal(extract_image_prepare(x), 0);

	extract_card(x, "front.png", &g);
	assert_int_equal(g.nfind, 2);
	assert_string_equal(g.rules[0], "vn.cccd");
	assert_int_equal(g.source[0], EXTRACT_SOURCE_QR);
	assert_true(g.confidence[0] == 1.0);
	assert_string_equal(g.rules[1], "idcard.image");
	assert_int_equal(g.source[1], EXTRACT_SOURCE_QR);
	assert_int_equal(g.ncov, 0);

	t0 = ms_now();
	extract_card(x, "back.png", &g);
	first = ms_now() - t0;
	assert_int_equal(g.nruns, 1);
	assert_int_equal(g.run_source[0], EXTRACT_SOURCE_MRZ);
	assert_string_equal(g.runs[0], "IDVNM0900012345052090001234<<2\n9001011M3001019VNM<<<<<<<<<<<2\n"
	                               "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<\n");
	assert_int_equal(g.nfind, 1);
	assert_string_equal(g.rules[0], "idcard.image");
	assert_int_equal(g.source[0], EXTRACT_SOURCE_MRZ);

	/* The same bytes again: the same answer, from the cache. */
	t0 = ms_now();
	extract_card(x, "back.png", &g);
	second = ms_now() - t0;
	assert_int_equal(g.nruns, 1);
	assert_int_equal(g.run_source[0], EXTRACT_SOURCE_MRZ);
	assert_int_equal(g.nfind, 1);
	assert_true(second <= first);

	extract_card(x, "neg-qr-url.png", &g);
	assert_int_equal(g.nfind, 0);
	assert_int_equal(g.nruns, 1); /* the URL, as text for the rules */
	assert_int_equal(g.run_source[0], EXTRACT_SOURCE_QR);
	assert_string_equal(g.runs[0], "https://example.com/thu-tuc/dang-ky");
	extract_free(x);
}

/* A PNG signature and IHDR chunk of w x h, nothing after it. */
static size_t png_head(unsigned char *out, uint32_t w, uint32_t h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	unsigned char *p = out;

	memcpy(p, sig, 8);
	p += 8;
	memcpy(p, "\0\0\0\x0dIHDR", 8);
	p += 8;
	for (int i = 3; i >= 0; i--)
		*p++ = (unsigned char)(w >> (8 * i));
	for (int i = 3; i >= 0; i--)
		*p++ = (unsigned char)(h >> (8 * i));
	memcpy(p, "\x08\x00\x00\x00\x00", 5);
	p += 5;
	uint32_t crc = (uint32_t)crc32(0, out + 12, 17);
	for (int i = 3; i >= 0; i--)
		*p++ = (unsigned char)(crc >> (8 * i));
	return (size_t)(p - out);
}

static void test_hostile_headers(void **state)
{
	unsigned char buf[64];
	struct extract *x;
	struct got g;

	(void)state;
	assert_int_equal(extract_new(&x), 0);
	extract_set_ocr(x, false, NULL);
	extract_mem(x, buf, png_head(buf, 30000, 30000), &g);
	assert_int_equal(g.ncov, 1);
	assert_int_equal(g.cov[0], EXTRACT_COVERAGE_LIMIT);
	assert_int_equal(g.nfind, 0);
	/* A header of a sane size and no image data. */
	extract_mem(x, buf, png_head(buf, 800, 600), &g);
	assert_int_equal(g.ncov, 1);
	assert_int_equal(g.cov[0], EXTRACT_COVERAGE_CORRUPT);
	/* An icon is not read and not reported. */
	extract_mem(x, buf, png_head(buf, 16, 16), &g);
	assert_int_equal(g.ncov, 0);
	/* An IHDR whose CRC does not hold. */
	png_head(buf, 800, 600);
	buf[32] ^= 1;
	extract_mem(x, buf, 33, &g);
	assert_int_equal(g.ncov, 1);
	assert_int_equal(g.cov[0], EXTRACT_COVERAGE_CORRUPT);
	/* A JPEG that is only its first marker. */
	extract_mem(x, "\xff\xd8\xff\xe0\0\x10JFIF\0", 11, &g);
	assert_int_equal(g.ncov, 1);
	assert_int_equal(g.cov[0], EXTRACT_COVERAGE_CORRUPT);
	/* A GIF whose frames add up past the budget. */
	{
		unsigned char gif[64] = "GIF89a\x10\x00\x10\x00\x00\x00\x00";
		size_t n = 13;
		for (int i = 0; i < 3; i++) {
			memcpy(gif + n, "\x2c\0\0\0\0\x40\x1f\x40\x1f\x00\x02\x01\x00", 13); /* 8000 x 8000 */
			n += 13;
		}
		gif[n++] = 0x3b;
		extract_mem(x, gif, n, &g);
		assert_int_equal(g.ncov, 1);
		assert_int_equal(g.cov[0], EXTRACT_COVERAGE_LIMIT);
	}
	extract_free(x);
}

/* A PNG cut in half (a download that stopped): the rows it has are read,
 * the QR code at the top among them, and the damage is told. */
static void test_truncated_png(void **state)
{
	const char *dir = getenv("PIIGUARD_TESTDATA");
	char path[4096];
	unsigned char *data;
	struct extract *x;
	struct got g;
	struct stat st;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/cards/front.png", dir && *dir ? dir : "tests/data");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	data = malloc((size_t)st.st_size);
	assert_non_null(data);
	assert_int_equal(read(fd, data, (size_t)st.st_size), st.st_size);
	close(fd);
	assert_int_equal(extract_new(&x), 0);
	extract_set_ocr(x, false, NULL);
	extract_mem(x, data, (size_t)st.st_size / 2, &g);
	assert_int_equal(g.ncov, 1);
	assert_int_equal(g.cov[0], EXTRACT_COVERAGE_CORRUPT);
	assert_int_equal(g.nfind, 2);
	assert_string_equal(g.rules[0], "vn.cccd");
	assert_int_equal(g.source[0], EXTRACT_SOURCE_QR);
	free(data);
	extract_free(x);
}

/* A file with no time left: the image ends with coverage.limit, and the
 * cut result is not cached for the next file with time to read it. */
static void test_time_budget(void **state)
{
	struct extract_limits limits;
	struct extract *x;
	struct got g;

	(void)state;
	assert_int_equal(extract_new(&x), 0);
	extract_set_ocr(x, false, NULL);
	extract_limits_default(&limits);
	limits.seconds = 0;
	extract_set_limits(x, &limits);
	extract_card(x, "back.png", &g);
	assert_int_equal(g.ncov, 1);
	assert_int_equal(g.cov[0], EXTRACT_COVERAGE_LIMIT);
	assert_int_equal(g.nfind, 0);
	extract_limits_default(&limits);
	extract_set_limits(x, &limits);
	extract_card(x, "back.png", &g);
	assert_int_equal(g.ncov, 0);
	assert_int_equal(g.nfind, 1);
	assert_int_equal(g.nruns, 1);
	extract_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_qr_payload),        cmocka_unit_test(test_qr_payload_rejects),
	        cmocka_unit_test(test_mrz_check_digit),   cmocka_unit_test(test_mrz_ocr_text),
	        cmocka_unit_test(test_mrz_rejects),       cmocka_unit_test(test_image_types),
	        cmocka_unit_test(test_cards_without_ocr), cmocka_unit_test(test_hostile_headers),
	        cmocka_unit_test(test_time_budget),       cmocka_unit_test(test_truncated_png),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
