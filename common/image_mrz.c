/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine-readable zone of an ID card's back (ICAO 9303 TD1, Vietnamese
 * layout in identifiers.md 6.3): the band of three long, even text lines is
 * found with leptonica, read by a tesseract restricted to A-Z, 0-9 and '<',
 * and repaired where OCR habitually errs (a filler run one '<' short, O for
 * 0 in a date) only as far as every check digit then holds. A zone that holds
 * goes to the rules as a text run of source "mrz", where mrz.td1 (and the
 * vn.cccd inside it) are found. Called by extract_image.c; the parser is pure.
 */
#include <stdlib.h>
#include <string.h>

#include <allheaders.h>
#include <tesseract/capi.h>

#include "detect.h"
#include "image.h"

#define MRZ_LINE 30
/* A cleaned OCR line this far from 30 characters is not repaired. */
#define MRZ_SLACK 6
/* The shortest name line kept (its fillers are put back). */
#define MRZ_NAME_MIN 8
/* Candidate bands read per rotation: the lowest ones first (the zone is at
 * the bottom of the card). */
#define MRZ_BANDS 2

char image_mrz_check(const char *s, size_t n)
{
	static const int weights[3] = {7, 3, 1};
	int sum = 0;

	for (size_t i = 0; i < n; i++) {
		int v;
		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'A' && s[i] <= 'Z')
			v = s[i] - 'A' + 10;
		else if (s[i] == '<')
			v = 0;
		else
			return '?';
		sum += v * weights[i % 3];
	}
	return (char)('0' + sum % 10);
}

/* One OCR line cleaned into out (room for MRZ_LINE + MRZ_SLACK): white space
 * dropped, lower case raised, '«' as "<<". Returns its length, or 0 when it
 * holds other characters or does not fit. */
static size_t mrz_clean(const char *s, size_t len, char *out)
{
	size_t n = 0, other = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *add = NULL;
		char one[2] = {0, 0};
		if (c == ' ' || c == '\t' || c == '\r')
			continue;
		if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xab) {
			add = "<<";
			i++;
		} else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<') {
			one[0] = (char)c;
			add = one;
		} else if (c >= 'a' && c <= 'z') {
			one[0] = (char)(c - 'a' + 'A');
			add = one;
		} else if (++other > 2) {
			return 0;
		}
		for (; add && *add; add++) {
			if (n >= MRZ_LINE + MRZ_SLACK)
				return 0;
			out[n++] = *add;
		}
	}
	return n >= MRZ_NAME_MIN ? n : 0;
}

/* Make line (n characters) 30 long by stretching or shrinking its longest
 * run of fillers (the last of equals), keeping at least one '<'. */
static bool mrz_fit(char *line, size_t n)
{
	size_t best = 0, best_len = 0;

	if (n == MRZ_LINE)
		return true;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && line[j] == '<')
			j++;
		if (j > i && j - i >= best_len) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	if (best_len == 0 || (n > MRZ_LINE && best_len - 1 < n - MRZ_LINE))
		return false;
	if (n > MRZ_LINE) {
		memmove(line + best, line + best + (n - MRZ_LINE), n - best - (n - MRZ_LINE));
	} else {
		size_t add = MRZ_LINE - n;
		memmove(line + best + add, line + best, n - best);
		memset(line + best, '<', add);
	}
	return true;
}

/* Map each character of s[0..n) found in from to the one at the same place
 * in to: OCR's usual confusions, read the way the layout wants them. */
static void mrz_map(char *s, size_t n, const char *from, const char *to)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = s[i] ? strchr(from, s[i]) : NULL;
		if (p)
			s[i] = to[p - from];
	}
}

static void mrz_as_digits(char *s, size_t n)
{
	mrz_map(s, n, "OQDIJLZSBGT", "00011125867");
}

static void mrz_as_letters(char *s, size_t n)
{
	mrz_map(s, n, "0125863", "OIZSBGE");
}

/* Repair three fitted lines (90 characters) by the TD1 layout. */
static void mrz_repair(char *z)
{
	char *l1 = z, *l2 = z + MRZ_LINE, *l3 = z + 2 * MRZ_LINE;

	mrz_as_letters(l1, 5);
	if (memcmp(l1 + 2, "VNM", 3) == 0) {
		mrz_as_digits(l1 + 5, 10);  /* the ID's last 9 digits, check */
		mrz_as_digits(l1 + 15, 12); /* the 12-digit ID */
		mrz_as_digits(l1 + 29, 1);
	} else {
		mrz_as_digits(l1 + 14, 1);
	}
	mrz_as_digits(l2, 7); /* birth date, check */
	mrz_as_letters(l2 + 7, 1);
	mrz_as_digits(l2 + 8, 7); /* expiry, check */
	mrz_as_letters(l2 + 15, 3);
	mrz_as_digits(l2 + 29, 1);
	mrz_as_letters(l3, MRZ_LINE);
}

/* The name line: fillers added or taken at its end (a name has no check
 * digit, so a run inside it must not move). */
static bool mrz_fit_name(char *line, size_t n)
{
	while (n > MRZ_LINE && line[n - 1] == '<')
		n--;
	if (n < MRZ_LINE)
		memset(line + n, '<', MRZ_LINE - n);
	return true;
}

/* Whether three cleaned lines make a zone whose check digits hold: into ret. */
static bool mrz_try(char lines[3][MRZ_LINE + MRZ_SLACK], const size_t lens[3], char ret[91])
{
	char zone[DETECT_VALUE_MAX + 1];
	size_t zlen = 3 * MRZ_LINE;
	struct detect_result dr;
	bool ok = true;

	for (int i = 0; i < 3 && ok; i++) {
		char tmp[MRZ_LINE + MRZ_SLACK];
		memcpy(tmp, lines[i], lens[i]);
		ok = i == 2 ? mrz_fit_name(tmp, lens[i]) : lens[i] >= MRZ_LINE - MRZ_SLACK && mrz_fit(tmp, lens[i]);
		memcpy(zone + i * MRZ_LINE, tmp, MRZ_LINE);
		explicit_bzero(tmp, sizeof(tmp));
	}
	if (ok && (zone[0] == 'I' || zone[0] == 'A' || zone[0] == 'C')) {
		mrz_repair(zone);
		zone[3 * MRZ_LINE] = '\0';
		ok = detect_mrz_td1(zone, &zlen, &dr) == DETECT_VALID && zlen == 3 * MRZ_LINE;
		if (ok)
			memcpy(ret, zone, 3 * MRZ_LINE + 1);
	} else {
		ok = false;
	}
	explicit_bzero(zone, sizeof(zone));
	return ok;
}

bool image_mrz_td1(const char *text, size_t len, char ret[91])
{
	char lines[3][MRZ_LINE + MRZ_SLACK], line[MRZ_LINE + MRZ_SLACK];
	size_t lens[3] = {0, 0, 0}, have = 0, pos = 0;
	bool found = false;

	while (pos < len && !found) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n = mrz_clean(text + pos, end - pos, line);
		bool blank = true;
		for (size_t i = pos; i < end && blank; i++)
			blank = text[i] == ' ' || text[i] == '\t' || text[i] == '\r';
		pos = end + 1;
		if (n == 0) {
			if (!blank)
				have = 0; /* a line that is no MRZ line breaks the zone */
			continue;
		}
		if (have == 3) {
			memmove(lines[0], lines[1], sizeof(lines[0]) * 2);
			memmove(lens, lens + 1, sizeof(lens[0]) * 2);
			have = 2;
		}
		memcpy(lines[have], line, n);
		lens[have++] = n;
		if (have == 3)
			found = mrz_try(lines, lens, ret);
	}
	explicit_bzero(lines, sizeof(lines));
	explicit_bzero(line, sizeof(line));
	return found;
}

/* --- finding and reading the zone ----------------------------------------- */

struct band {
	int x, y, w, h;
};

/* The text lines of gray long and flat enough to be MRZ lines, top to bottom:
 * characters merged by a horizontal closing, then connected components. */
static size_t mrz_lines(struct Pix *gray, struct band *out, size_t max)
{
	int w = pixGetWidth(gray), x, y, bw, bh;
	struct Pix *bin = NULL, *closed = NULL;
	struct Boxa *boxes = NULL, *sorted = NULL;
	size_t n = 0;

	if (pixOtsuAdaptiveThreshold(gray, 4000, 4000, 0, 0, 0.0f, NULL, &bin) != 0 || !bin)
		goto out;
	closed = pixCloseBrick(NULL, bin, w / 50 > 3 ? w / 50 : 3, 1);
	boxes = closed ? pixConnCompBB(closed, 8) : NULL;
	sorted = boxes ? boxaSort(boxes, L_SORT_BY_Y, L_SORT_INCREASING, NULL) : NULL;
	for (int i = 0; sorted && i < boxaGetCount(sorted) && n < max; i++) {
		if (boxaGetBoxGeometry(sorted, i, &x, &y, &bw, &bh) != 0)
			continue;
		if (bw * 10 >= w * 4 && bh * 100 >= w && bh * 12 <= w && bw >= 8 * bh)
			out[n++] = (struct band){x, y, bw, bh};
	}
out:
	boxaDestroy(&sorted);
	boxaDestroy(&boxes);
	pixDestroy(&closed);
	pixDestroy(&bin);
	return n;
}

/* Whether lines a, b, c are three lines of one zone: like heights, close
 * below each other, overlapping across. */
static bool mrz_stacked(const struct band *a, const struct band *b, const struct band *c)
{
	const struct band *v[3] = {a, b, c};
	int lo = a->h;
	int hi = lo;

	for (int i = 1; i < 3; i++) {
		lo = v[i]->h < lo ? v[i]->h : lo;
		hi = v[i]->h > hi ? v[i]->h : hi;
		int gap = v[i]->y - (v[i - 1]->y + v[i - 1]->h);
		if (gap < -lo / 3 || gap > 2 * hi)
			return false;
		if (v[i]->x > v[i - 1]->x + v[i - 1]->w || v[i - 1]->x > v[i]->x + v[i]->w)
			return false;
	}
	return hi * 10 <= lo * 16;
}

/* OCR of one band (x, y, w, h of gray, line height lh) with the MRZ engine. */
static bool mrz_read_band(struct TessBaseAPI *api, struct image_run *run, struct Pix *gray, const struct band *b,
                          int lh)
{
	int gw = pixGetWidth(gray), gh = pixGetHeight(gray), pad = lh * 2 / 3 + 2, padx = gw / 60 + 2;
	int x0 = b->x - padx < 0 ? 0 : b->x - padx, y0 = b->y - pad < 0 ? 0 : b->y - pad;
	int x1 = b->x + b->w + padx > gw ? gw : b->x + b->w + padx,
	    y1 = b->y + b->h + pad > gh ? gh : b->y + b->h + pad;
	struct Box *box = boxCreate(x0, y0, x1 - x0, y1 - y0);
	struct Pix *crop = box ? pixClipRectangle(gray, box, NULL) : NULL, *big = NULL;
	char *text = NULL, zone[91], lines[93];
	float f = 34.0f / (float)(lh > 0 ? lh : 1);
	bool found = false;

	boxDestroy(&box);
	if (!crop)
		goto out;
	f = f < 0.5f ? 0.5f : f > 3.0f ? 3.0f : f;
	big = f > 0.95f && f < 1.05f ? pixClone(crop)
	      : f < 1.0f             ? pixScaleAreaMap(crop, f, f)
	                             : pixScaleGrayLI(crop, f, f);
	if (!big)
		goto out;
	text = image_recognize(api, run, big, NULL);
	if (text && image_mrz_td1(text, strlen(text), zone)) {
		/* Three lines, as the mrz.td1 rule reads a zone. */
		memcpy(lines, zone, 30);
		lines[30] = '\n';
		memcpy(lines + 31, zone + 30, 30);
		lines[61] = '\n';
		memcpy(lines + 62, zone + 60, 30);
		lines[92] = '\n';
		image_run_text(run, EXTRACT_SOURCE_MRZ, lines, sizeof(lines));
		image_run_card(run, 0.95, EXTRACT_SOURCE_MRZ, "machine-readable zone of an ID card");
		explicit_bzero(zone, sizeof(zone));
		explicit_bzero(lines, sizeof(lines));
		found = true;
	}
	image_text_free(text);
out:
	pixDestroy(&big);
	pixDestroy(&crop);
	return found;
}

bool image_mrz_read(struct image *im, struct image_run *run, struct Pix *gray)
{
	struct band lines[64];
	size_t n = mrz_lines(gray, lines, sizeof(lines) / sizeof(lines[0]));
	struct TessBaseAPI *api;
	int tried = 0;

	if (n < 3 || image_run_has(run, "idcard.image", EXTRACT_SOURCE_MRZ))
		return false;
	api = image_tesseract(im, true);
	if (!api) {
		image_run_coverage(run, EXTRACT_COVERAGE_UNSUPPORTED, "no OCR engine for the machine-readable zone");
		return false;
	}
	for (size_t i = n - 2; i-- > 0 && tried < MRZ_BANDS;) {
		const struct band *a = &lines[i], *b = &lines[i + 1], *c = &lines[i + 2];
		if (!mrz_stacked(a, b, c))
			continue;
		int x0 = a->x < b->x ? (a->x < c->x ? a->x : c->x) : (b->x < c->x ? b->x : c->x);
		int x1 = a->x + a->w, y1 = c->y + c->h;
		x1 = b->x + b->w > x1 ? b->x + b->w : x1;
		x1 = c->x + c->w > x1 ? c->x + c->w : x1;
		struct band zone = {x0, a->y, x1 - x0, y1 - a->y};
		tried++;
		if (mrz_read_band(api, run, gray, &zone, (a->h + b->h + c->h) / 3))
			return true;
	}
	return false;
}
