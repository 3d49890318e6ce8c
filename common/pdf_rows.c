/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PDF text laid out by position (see pdf_rows.h): characters sorted into
 * baselines, each baseline left to right, gaps turned into tabs or spaces.
 * Pure computation over the arrays given; nothing here trusts the boxes to
 * be sane (NaN, negative or huge values only give a worse layout).
 */
#include "pdf_rows.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A gap wider than this many character heights separates table cells; one
 * wider than the second fraction separates words. */
#define PDF_ROWS_TAB_GAP   1.5
#define PDF_ROWS_SPACE_GAP 0.15

struct glyph {
	double x1, x2, yc, h;
	uint32_t off, len; /* the character's bytes in the text */
};

static int by_line(const void *a, const void *b)
{
	const struct glyph *g = a, *k = b;
	if (g->yc != k->yc)
		return g->yc < k->yc ? -1 : 1;
	return g->x1 < k->x1 ? -1 : g->x1 > k->x1;
}

static int by_x(const void *a, const void *b)
{
	const struct glyph *g = a, *k = b;
	if (g->x1 != k->x1)
		return g->x1 < k->x1 ? -1 : 1;
	return g->off < k->off ? -1 : g->off > k->off;
}

/* The byte length of the UTF-8 character at s (at least 1, within len). */
static size_t char_len(const unsigned char *s, size_t len)
{
	size_t n = s[0] < 0xC0 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	return n > len ? len : n;
}

static double finite_or_zero(double v)
{
	return isfinite(v) ? v : 0;
}

char *pdf_rows(const char *text, size_t len, const struct pdf_box *boxes, size_t n_boxes, size_t *ret_len)
{
	struct glyph *g = NULL;
	char *out = NULL;
	size_t n = 0, chars = 0, o = 0;

	*ret_len = 0;
	if (n_boxes == 0 || n_boxes > PDF_ROWS_MAX_CHARS || len > SIZE_MAX / 2 - n_boxes)
		return NULL;
	g = malloc(n_boxes * sizeof(*g));
	if (!g)
		return NULL;
	for (size_t i = 0; i < len; chars++) {
		size_t cl = char_len((const unsigned char *)text + i, len - i);
		if (chars >= n_boxes)
			goto fail; /* more characters than boxes: not this text's layout */
		if (text[i] != '\n' && text[i] != '\r' && text[i] != ' ' && text[i] != '\t') {
			const struct pdf_box *b = &boxes[chars];
			double y1 = finite_or_zero(b->y1), y2 = finite_or_zero(b->y2);
			g[n] = (struct glyph){
			        .x1 = finite_or_zero(b->x1),
			        .x2 = finite_or_zero(b->x2),
			        .yc = (y1 + y2) / 2,
			        .h = fabs(y2 - y1),
			        .off = (uint32_t)i,
			        .len = (uint32_t)cl,
			};
			n++;
		}
		i += cl;
	}
	if (chars != n_boxes)
		goto fail;
	qsort(g, n, sizeof(*g), by_line);
	/* Each character's bytes, plus a separator before it and a line end. */
	out = malloc(len + 2 * n + 2);
	if (!out)
		goto fail;
	for (size_t start = 0; start < n;) {
		size_t end = start + 1;
		double row_y = g[start].yc, row_h = g[start].h;

		/* A character whose middle is within half a height of the row's
		 * first is on the same baseline. */
		while (end < n && g[end].yc - row_y <= 0.5 * fmax(row_h, g[end].h)) {
			row_h = fmax(row_h, g[end].h);
			end++;
		}
		qsort(g + start, end - start, sizeof(*g), by_x);
		for (size_t k = start; k < end; k++) {
			if (k > start) {
				double gap = g[k].x1 - g[k - 1].x2, unit = row_h > 0 ? row_h : 1;
				if (gap > PDF_ROWS_TAB_GAP * unit)
					out[o++] = '\t';
				else if (gap > PDF_ROWS_SPACE_GAP * unit)
					out[o++] = ' ';
			}
			memcpy(out + o, text + g[k].off, g[k].len);
			o += g[k].len;
		}
		out[o++] = '\n';
		start = end;
	}
	explicit_bzero(g, n_boxes * sizeof(*g));
	free(g);
	*ret_len = o;
	return out;
fail:
	explicit_bzero(g, n_boxes * sizeof(*g));
	free(g);
	return NULL;
}
