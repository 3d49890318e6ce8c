/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bounded text buffer and JSON string writer (see buf.h). Used by the
 * output formats and the forwarding of events; both format untrusted names.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

void buf_init(struct buf *b, char *storage, size_t size)
{
	b->data = storage;
	b->size = size;
	b->len = 0;
	if (size)
		storage[0] = '\0';
}

void buf_put(struct buf *b, const char *p, size_t n)
{
	if (b->len + 1 >= b->size)
		return;
	if (n > b->size - 1 - b->len)
		n = b->size - 1 - b->len;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void buf_json_string(struct buf *b, const char *str, size_t budget)
{
	const unsigned char *u, *end;
	size_t used = 0;

	if (!str) {
		buf_puts(b, "null");
		return;
	}
	u = (const unsigned char *)str;
	end = u + strlen(str);
	buf_put(b, "\"", 1);
	while (u < end) {
		char tmp[16];
		const char *piece = tmp;
		size_t n, plen;
		int32_t cp = text_utf8_next(u, end, &n);

		if (cp < 0)
			snprintf(tmp, sizeof(tmp), "\\\\x%02X", u[0]);
		else if (cp == '"' || cp == '\\')
			snprintf(tmp, sizeof(tmp), "\\%c", (char)cp);
		else if (cp == '\n' || cp == '\r' || cp == '\t')
			snprintf(tmp, sizeof(tmp), "\\%c", cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't');
		else if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029)
			snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)cp); /* 2028/9: line ends to JavaScript */
		else
			piece = (const char *)u;
		plen = piece == tmp ? strlen(tmp) : n;
		if (budget != (size_t)-1 && used + plen > budget) {
			buf_puts(b, "...");
			break;
		}
		buf_put(b, piece, plen);
		used += plen;
		u += n;
	}
	buf_put(b, "\"", 1);
}
