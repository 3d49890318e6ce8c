/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Legacy Office files (.doc, .xls, .ppt: OLE2 compound documents) read the
 * simple way: their runs of UTF-16LE text (how Word 97 and later store text
 * outside Latin-1, so all Vietnamese text) and of 8-bit printable text,
 * each run a line of the object's text. The compound file's structure is not
 * parsed, so no length in it is ever trusted; a fragmented document may cut a
 * number in two, which is the price of reading it at all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "extract.h"

#define OLE2_RUN_MIN_UTF16 4 /* code units: shorter runs are noise in binary data */
#define OLE2_RUN_MIN_8BIT  6
#define OLE2_OUT           65536

struct ole2_out {
	struct extract *x;
	char buf[OLE2_OUT];
	size_t len;
	int rc;
};

static void ole2_flush(struct ole2_out *o)
{
	if (o->len && o->rc == 0) {
		extract_text(o->x, o->buf, o->len);
		o->rc = extract_check(o->x, o->len);
	}
	o->len = 0;
}

static void ole2_put(struct ole2_out *o, const char *p, size_t n)
{
	if (o->len + n + 1 > sizeof(o->buf))
		ole2_flush(o);
	if (n > sizeof(o->buf) - 1)
		n = sizeof(o->buf) - 1;
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

/* A code unit that can be part of text: printable, not a surrogate, not a
 * private-use or non-character (the filler of binary structures). */
static int ole2_text_unit(uint32_t c)
{
	return (c >= 0x20 && c < 0x7F) || c == '\t' || (c >= 0xA0 && c < 0xD800) || (c >= 0xF900 && c < 0xFFF0);
}

static size_t ole2_utf8(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | (c >> 12));
	out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[2] = (char)(0x80 | (c & 0x3F));
	return 3;
}

/* Runs of UTF-16LE text starting at byte alignment align (0 or 1). */
static void ole2_utf16_runs(struct ole2_out *o, const unsigned char *d, size_t len, size_t align)
{
	size_t i = align;

	while (i + 1 < len && o->rc == 0) {
		size_t start = i, units = 0, ascii = 0;
		while (i + 1 < len && ole2_text_unit((uint32_t)d[i] | (uint32_t)d[i + 1] << 8)) {
			ascii += d[i + 1] == 0;
			units++;
			i += 2;
		}
		/* Most random 16-bit units fall in a text range, so a run counts
		 * only when at least a quarter of it is ASCII, as in Vietnamese text
		 * and in any line with a number; long CJK-only runs are lost. */
		if (units >= OLE2_RUN_MIN_UTF16 && ascii * 4 >= units) {
			for (size_t k = start; k < i; k += 2) {
				char u8[3];
				ole2_put(o, u8, ole2_utf8((uint32_t)d[k] | (uint32_t)d[k + 1] << 8, u8));
			}
			ole2_put(o, "\n", 1);
		}
		i += 2;
	}
}

/* Runs of printable 8-bit text (Latin-1 documents, the .xls string table). */
static void ole2_8bit_runs(struct ole2_out *o, const unsigned char *d, size_t len)
{
	size_t i = 0;

	while (i < len && o->rc == 0) {
		size_t start = i;
		while (i < len && ((d[i] >= 0x20 && d[i] < 0x7F) || d[i] == '\t'))
			i++;
		if (i - start >= OLE2_RUN_MIN_8BIT) {
			ole2_put(o, (const char *)d + start, i - start);
			ole2_put(o, "\n", 1);
		}
		i++;
	}
}

int extract_ole2(struct extract *x, const unsigned char *data, size_t len)
{
	struct ole2_out *o = calloc(1, sizeof(*o)); /* 64 KiB: off the thread's stack */
	int rc;

	if (!o)
		return ERR_NOMEM;
	o->x = x;
	extract_text_begin(x, NULL);
	ole2_utf16_runs(o, data, len, 0);
	ole2_utf16_runs(o, data, len, 1);
	ole2_8bit_runs(o, data, len);
	ole2_flush(o);
	extract_text_end(x);
	rc = o->rc;
	explicit_bzero(o, sizeof(*o));
	free(o);
	return rc;
}
