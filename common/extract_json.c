/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON (web API responses in browser caches, exports of apps): the text as it
 * stands but with string escapes decoded, so that "S\u1ed1 CCCD" reads as the
 * context word it is and "\u0030\u0035\u0032..." as digits. The structure is
 * not parsed: a broken document is read as far as its bytes go, and nothing
 * in it decides how much is read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "extract.h"
#include "text.h"

#define JSON_OUT 65536

struct json_out {
	struct extract *x;
	char buf[JSON_OUT];
	size_t len;
	int rc;
};

static void json_flush(struct json_out *o)
{
	if (o->len && o->rc == 0) {
		extract_text(o->x, o->buf, o->len);
		o->rc = extract_check(o->x, o->len);
	}
	o->len = 0;
}

static void json_put(struct json_out *o, const char *p, size_t n)
{
	if (o->len + n > sizeof(o->buf))
		json_flush(o);
	memcpy(o->buf + o->len, p, n); /* n <= 4 */
	o->len += n;
}

static int json_hex4(const unsigned char *p, const unsigned char *end, uint32_t *ret)
{
	uint32_t v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*ret = v;
	return 0;
}

static void json_put_code_point(struct json_out *o, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x20) {
		u[0] = c == '\n' || c == '\r' ? '\n' : ' '; /* controls end a line or separate */
		n = 1;
	} else {
		n = text_utf8_put(c, u);
	}
	json_put(o, u, n);
}

int extract_json(struct extract *x, const unsigned char *data, size_t len)
{
	struct json_out *o = calloc(1, sizeof(*o)); /* off the thread's stack */
	const unsigned char *p = data, *end = data + len;
	bool in_string = false;
	int rc;

	if (!o)
		return ERR_NOMEM;
	o->x = x;
	extract_text_begin(x, NULL);
	while (p < end && o->rc == 0) {
		unsigned char c = *p;
		if (c == '"') {
			in_string = !in_string;
			json_put(o, (const char *)p++, 1);
			continue;
		}
		if (!in_string || c != '\\' || p + 1 >= end) {
			json_put(o, (const char *)p++, 1);
			continue;
		}
		/* An escape inside a string. */
		unsigned char e = p[1];
		uint32_t cp, lo;
		p += 2;
		switch (e) {
		case 'n':
		case 'r': json_put(o, "\n", 1); break;
		case 't': json_put(o, "\t", 1); break;
		case 'b':
		case 'f': json_put(o, " ", 1); break;
		case 'u':
			if (json_hex4(p, end, &cp) < 0) {
				json_put(o, "\\u", 2); /* broken: kept as written */
				break;
			}
			p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
			    json_hex4(p + 2, end, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			} else if (cp >= 0xD800 && cp < 0xE000) {
				cp = 0xFFFD; /* a lone surrogate */
			}
			json_put_code_point(o, cp);
			break;
		default: json_put(o, (const char *)&e, 1); break; /* \" \\ \/ and the unknown */
		}
	}
	json_flush(o);
	extract_text_end(x);
	rc = o->rc;
	explicit_bzero(o, sizeof(*o));
	free(o);
	return rc;
}
