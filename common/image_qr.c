/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QR codes and barcodes of an image (zbar), and the parser of the chip CCCD's
 * QR payload (identifiers.md 5.2). A payload that is a CCCD's gives a vn.cccd
 * finding (source "qr") and makes the image an ID card; any other payload is
 * text for the rules (a URL gives nothing). Called by extract_image.c; the
 * parser is pure and fuzzed (it sees decoded bytes an attacker chose).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <allheaders.h>
#include <zbar.h>

#include "detect.h"
#include "image.h"

/* Fields of a payload looked at: the chip card has 7, the 2024 card 11. */
#define QR_FIELDS 32

static const char CCCD_RULE[] = "vn.cccd";
static const char CCCD_LABEL[] = "Vietnamese personal ID number (CCCD)";

struct field {
	const char *s;
	size_t len;
};

static bool digits(const struct field *f, size_t n)
{
	if (f->len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (f->s[i] < '0' || f->s[i] > '9')
			return false;
	return true;
}

static int number(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* A ddmmyyyy field that is a real date, as yyyymmdd; -1 otherwise. */
static long date_of(const struct field *f)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int d, m, y;

	if (!digits(f, 8))
		return -1;
	d = number(f->s, 2);
	m = number(f->s + 2, 2);
	y = number(f->s + 4, 4);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	return (long)y * 10000 + m * 100 + d;
}

static int this_year(void)
{
	time_t t = time(NULL);
	struct tm tm;
	return gmtime_r(&t, &tm) ? tm.tm_year + 1900 : 2026;
}

/* Where 12 digits and '|' start a line of payload (not glued to a digit
 * before), or len. */
static size_t cccd_start(const char *p, size_t len)
{
	for (size_t i = 0; i + 13 <= len; i++) {
		if (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
			continue;
		struct field f = {p + i, 12};
		if (p[i + 12] == '|' && digits(&f, 12))
			return i;
	}
	return len;
}

enum image_level image_qr_cccd(const char *payload, size_t len, int year, char ret_id[13])
{
	struct field f[QR_FIELDS];
	struct detect_result dr;
	size_t n = 0, start = cccd_start(payload, len), end, id_len = 12;
	char id[DETECT_VALUE_MAX + 1];
	long born, issued;
	bool cross = true;

	if (start == len)
		return IMAGE_NONE;
	for (end = start; end < len && payload[end] != '\n' && payload[end] != '\r'; end++)
		;
	for (size_t i = start; n < QR_FIELDS;) {
		size_t j = i;
		while (j < end && payload[j] != '|')
			j++;
		f[n++] = (struct field){payload + i, j - i};
		if (j >= end)
			break;
		i = j + 1;
	}
	if (n < 7)
		return IMAGE_NONE;
	memcpy(id, f[0].s, 12);
	id[12] = '\0';
	if (detect_vn_cccd(id, &id_len, &dr) == DETECT_REJECT || (f[1].len && !digits(&f[1], 9)))
		return IMAGE_NONE;
	born = date_of(&f[3]);
	issued = date_of(&f[6]);
	if (born < 0 || issued < 0 || issued < born || issued / 10000 > (year ? year : this_year()))
		return IMAGE_NONE;
	/* Cross-checks: the birth year and sex the number encodes (century digit
	 * even for men). A sex field in another spelling (Latin-1 mojibake of
	 * "Nữ") is not held against it. */
	int century = id[3] - '0';
	if ((century / 2 == 0 ? 1900 : 2000) + number(id + 4, 2) != born / 10000)
		cross = false;
	if ((f[4].len == 3 && memcmp(f[4].s, "Nam", 3) == 0 && century % 2 != 0) ||
	    (f[4].len == 4 && memcmp(f[4].s, "N\xe1\xbb\xaf", 4) == 0 && century % 2 == 0))
		cross = false;
	memcpy(ret_id, id, 13);
	explicit_bzero(id, sizeof(id));
	return cross ? IMAGE_CERTAIN : IMAGE_HIGH;
}

/* Blank a decoded symbol's place (with a margin) for OCR. */
static void qr_blank(struct image_run *run, const zbar_symbol_t *s, int w, int h)
{
	unsigned n = zbar_symbol_get_loc_size(s);
	int x0 = w, y0 = h, x1 = 0, y1 = 0, m;

	for (unsigned i = 0; i < n; i++) {
		int x = zbar_symbol_get_loc_x(s, i), y = zbar_symbol_get_loc_y(s, i);
		x0 = x < x0 ? x : x0;
		y0 = y < y0 ? y : y0;
		x1 = x > x1 ? x : x1;
		y1 = y > y1 ? y : y1;
	}
	if (n == 0 || x1 <= x0 || y1 <= y0)
		return;
	m = (x1 - x0) / 10 + 2;
	x0 = x0 - m < 0 ? 0 : x0 - m;
	y0 = y0 - m < 0 ? 0 : y0 - m;
	x1 = x1 + m > w ? w : x1 + m;
	y1 = y1 + m > h ? h : y1 + m;
	image_run_blank(run, (float)x0 / (float)w, (float)y0 / (float)h, (float)x1 / (float)w, (float)y1 / (float)h);
}

/* One decoded symbol's payload. */
static void qr_payload(struct image_run *run, const char *data, size_t len)
{
	char id[13];
	enum image_level level = image_qr_cccd(data, len, 0, id);

	if (level == IMAGE_NONE) {
		image_run_text(run, EXTRACT_SOURCE_QR, data, len);
		return;
	}
	image_run_finding(run, CCCD_RULE, CCCD_LABEL, id, 12, level == IMAGE_CERTAIN ? 1.0 : 0.8, EXTRACT_SOURCE_QR);
	image_run_card(run, level == IMAGE_CERTAIN ? 0.99 : 0.9, EXTRACT_SOURCE_QR, "QR code of a chip CCCD");
	explicit_bzero(id, sizeof(id));
}

void image_qr_read(struct image *im, struct image_run *run, struct Pix *gray)
{
	zbar_image_scanner_t *scanner = image_zbar(im);
	int w = pixGetWidth(gray), h = pixGetHeight(gray), wpl = pixGetWpl(gray);
	size_t size = (size_t)w * (size_t)h;
	unsigned char *buf;
	zbar_image_t *img;

	if (!scanner || pixGetDepth(gray) != 8)
		return;
	buf = malloc(size);
	img = zbar_image_create();
	if (!buf || !img) {
		free(buf);
		if (img)
			zbar_image_destroy(img);
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, "not enough memory to look for QR codes");
		return;
	}
	for (int y = 0; y < h; y++) {
		const l_uint32 *line = pixGetData(gray) + (size_t)y * (size_t)wpl;
		for (int i = 0; i < w; i++)
			buf[(size_t)y * (size_t)w + (size_t)i] = (unsigned char)GET_DATA_BYTE(line, i);
	}
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, buf, size, NULL);
	if (zbar_scan_image(scanner, img) > 0)
		for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s)) {
			qr_payload(run, zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
			qr_blank(run, s, w, h);
		}
	zbar_image_destroy(img);
	explicit_bzero(buf, size);
	free(buf);
}
