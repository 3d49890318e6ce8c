/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text hidden in binary data (legacy Office files, database values, cache
 * records): runs of UTF-16LE text, in both byte alignments, and runs of 8-bit
 * text (ASCII and UTF-8), each run a line of one text run. Nothing of the
 * data's structure is parsed, so no length in it is trusted; a fragmented
 * record may cut a number in two, which is the price of reading it at all.
 * For Word files, the cell marks of a table (U+0007) are read as tabs and a
 * row's end mark as a line end, so that a table row stays one line.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "extract.h"
#include "text.h"

#define RUNS_RUN_MIN_UTF16 4 /* code units: shorter runs are noise in binary data */
#define RUNS_RUN_MIN_8BIT  6
#define RUNS_OUT           65536

/* Word's table marks in UTF-16 text: each cell ends with one, a row with one
 * more. */
#define RUNS_CELL_MARK 0x0007u

struct runs_out {
	struct extract *x;
	bool cells; /* U+0007 are Word's cell and row marks */
	char buf[RUNS_OUT];
	size_t len;
	int rc;
};

static void runs_flush(struct runs_out *o)
{
	if (o->len && o->rc == 0) {
		extract_text(o->x, o->buf, o->len);
		o->rc = extract_check(o->x, o->len);
	}
	o->len = 0;
}

static void runs_put(struct runs_out *o, const char *p, size_t n)
{
	if (o->len + n + 1 > sizeof(o->buf))
		runs_flush(o);
	if (n > sizeof(o->buf) - 1)
		n = sizeof(o->buf) - 1;
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

/* A code unit that can be part of text: printable, not a surrogate, not a
 * private-use or non-character (the filler of binary structures). */
static int runs_text_unit(uint32_t c)
{
	return (c >= 0x20 && c < 0x7F) || c == '\t' || (c >= 0xA0 && c < 0xD800) || (c >= 0xF900 && c < 0xFFF0);
}

/* Runs of UTF-16LE text starting at byte alignment align (0 or 1). */
static void runs_utf16(struct runs_out *o, const unsigned char *d, size_t len, size_t align)
{
	size_t i = align;

	while (i + 1 < len && o->rc == 0) {
		size_t start = i, units = 0, ascii = 0;
		for (; i + 1 < len; i += 2) {
			uint32_t c = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8;
			if (!runs_text_unit(c) && !(o->cells && c == RUNS_CELL_MARK))
				break;
			ascii += d[i + 1] == 0;
			units++;
		}
		/* Most random 16-bit units fall in a text range, so a run counts
		 * only when at least a quarter of it is ASCII, as in Vietnamese text
		 * and in any line with a number; long CJK-only runs are lost. */
		if (units >= RUNS_RUN_MIN_UTF16 && ascii * 4 >= units) {
			for (size_t k = start; k < i; k += 2) {
				uint32_t c = (uint32_t)d[k] | (uint32_t)d[k + 1] << 8;
				char u8[4];
				if (c == RUNS_CELL_MARK) /* a cell's end; a second one ends the row */
					runs_put(o,
					         k > start && d[k - 2] == RUNS_CELL_MARK && d[k - 1] == 0 ? "\n" : "\t",
					         1);
				else
					runs_put(o, u8, text_utf8_put(c, u8));
			}
			runs_put(o, "\n", 1);
		}
		i += 2;
	}
}

/* The length of the character at d[i] (before d[len]) if it can be part of an
 * 8-bit run: printable ASCII, or a whole UTF-8 sequence of a text character
 * (so that Vietnamese context words survive); 0 when it ends the run. */
static size_t runs_8bit_char(const unsigned char *d, size_t i, size_t len)
{
	size_t n;
	int32_t c;

	if ((d[i] >= 0x20 && d[i] < 0x7F) || d[i] == '\t')
		return 1;
	if (d[i] < 0xC2)
		return 0;
	c = text_utf8_next(d + i, d + len, &n);
	return c >= 0 && runs_text_unit((uint32_t)c) ? n : 0;
}

/* Runs of printable 8-bit text: ASCII and UTF-8 (Latin-1 documents, the .xls
 * string table, UTF-8 strings in database values). */
static void runs_8bit(struct runs_out *o, const unsigned char *d, size_t len)
{
	size_t i = 0;

	while (i < len && o->rc == 0) {
		size_t start = i, n;
		while (i < len && (n = runs_8bit_char(d, i, len)) > 0)
			i += n;
		if (i - start >= RUNS_RUN_MIN_8BIT) {
			runs_put(o, (const char *)d + start, i - start);
			runs_put(o, "\n", 1);
		}
		i++;
	}
}

static int runs(struct extract *x, const char *member, const unsigned char *data, size_t len, bool cells)
{
	struct runs_out *o = calloc(1, sizeof(*o)); /* 64 KiB: off the thread's stack */
	int rc;

	if (!o)
		return ERR_NOMEM;
	o->x = x;
	o->cells = cells;
	extract_text_begin(x, member);
	runs_utf16(o, data, len, 0);
	runs_utf16(o, data, len, 1);
	runs_8bit(o, data, len);
	runs_flush(o);
	extract_text_end(x);
	rc = o->rc;
	explicit_bzero(o, sizeof(*o));
	free(o);
	return rc;
}

int extract_runs(struct extract *x, const char *member, const unsigned char *data, size_t len)
{
	return runs(x, member, data, len, false);
}

int extract_runs_word(struct extract *x, const char *member, const unsigned char *data, size_t len)
{
	return runs(x, member, data, len, true);
}
