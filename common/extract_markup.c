/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTML and XML (web pages, saved forms, e-mail bodies, XML exports) as one
 * text run: tags dropped, entities decoded, script and style skipped, a line
 * break at block elements and a tab between table cells, and the values of
 * the attributes that carry text (value, alt, title, content) kept, since a
 * saved form holds what was typed into it there. No parser library: a small
 * tolerant scanner over bytes, with a fixed output buffer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "error.h"
#include "extract.h"
#include "limits.h"

#define MARKUP_OUT  4096u
#define MARKUP_NAME 32u

struct out {
	struct extract *x;
	char buf[MARKUP_OUT];
	size_t len;
	char last;  /* the last byte given: '\n' at the start */
	bool space; /* white space seen since */
	int rc;
};

static void flush(struct out *o)
{
	if (!o->len)
		return;
	extract_text(o->x, o->buf, o->len);
	if (o->rc == 0)
		o->rc = extract_check(o->x, o->len);
	explicit_bzero(o->buf, o->len);
	o->len = 0;
}

static void put_raw(struct out *o, const char *s, size_t n)
{
	if (o->len + n > sizeof(o->buf))
		flush(o);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->last = s[n - 1];
}

/* Visible text: white space runs become one space. */
static void put(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
			o->space = true;
			continue;
		}
		if (o->space && o->last != '\n' && o->last != '\t' && o->last != ' ')
			put_raw(o, " ", 1);
		o->space = false;
		put_raw(o, &c, 1);
	}
}

static void put_break(struct out *o, char c)
{
	o->space = false;
	if (c == '\n' && o->last == '\n')
		return;
	if (c == '\t' && o->last == '\n')
		return; /* the first cell of a row */
	put_raw(o, &c, 1);
}

static void put_code(struct out *o, uint32_t c)
{
	char u[4];
	size_t n;

	if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		c = 0xfffd;
	if (c == 0xa0)
		c = ' ';
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	put(o, u, n);
}

/* The named entities met in practice (Vietnamese pages mostly use numeric
 * ones or plain UTF-8; these are the Latin-1 letters and punctuation). */
static const struct {
	const char *name;
	uint16_t code;
} entities[] = {
        {"amp", '&'},       {"lt", '<'},        {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
        {"nbsp", 0xa0},     {"copy", 0xa9},     {"reg", 0xae},     {"deg", 0xb0},     {"middot", 0xb7},
        {"laquo", 0xab},    {"raquo", 0xbb},    {"times", 0xd7},   {"divide", 0xf7},  {"ndash", 0x2013},
        {"mdash", 0x2014},  {"lsquo", 0x2018},  {"rsquo", 0x2019}, {"ldquo", 0x201c}, {"rdquo", 0x201d},
        {"bull", 0x2022},   {"hellip", 0x2026}, {"euro", 0x20ac},  {"Agrave", 0xc0},  {"Aacute", 0xc1},
        {"Acirc", 0xc2},    {"Atilde", 0xc3},   {"Egrave", 0xc8},  {"Eacute", 0xc9},  {"Ecirc", 0xca},
        {"Igrave", 0xcc},   {"Iacute", 0xcd},   {"Ograve", 0xd2},  {"Oacute", 0xd3},  {"Ocirc", 0xd4},
        {"Otilde", 0xd5},   {"Ugrave", 0xd9},   {"Uacute", 0xda},  {"Yacute", 0xdd},  {"agrave", 0xe0},
        {"aacute", 0xe1},   {"acirc", 0xe2},    {"atilde", 0xe3},  {"egrave", 0xe8},  {"eacute", 0xe9},
        {"ecirc", 0xea},    {"igrave", 0xec},   {"iacute", 0xed},  {"ograve", 0xf2},  {"oacute", 0xf3},
        {"ocirc", 0xf4},    {"otilde", 0xf5},   {"ugrave", 0xf9},  {"uacute", 0xfa},  {"yacute", 0xfd},
        {"Abreve", 0x102},  {"abreve", 0x103},  {"Dstrok", 0x110}, {"dstrok", 0x111}, {"Itilde", 0x128},
        {"itilde", 0x129},  {"Utilde", 0x168},  {"utilde", 0x169}, {"ensp", 0x2002},  {"emsp", 0x2003},
        {"thinsp", 0x2009},
};

/* An entity at d[0] == '&': its code point into *ret, and its length (0 when
 * it is not one, and the '&' is text). */
static size_t entity(const unsigned char *d, size_t len, uint32_t *ret)
{
	size_t i = 1;
	uint32_t c = 0;

	if (len > 2 && d[1] == '#') {
		bool hex = (d[2] | 0x20) == 'x';
		size_t start;
		i = start = hex ? 3 : 2;
		for (; i < len && i < start + 8; i++) {
			unsigned v;
			if (d[i] >= '0' && d[i] <= '9')
				v = d[i] - '0';
			else if (hex && (d[i] | 0x20) >= 'a' && (d[i] | 0x20) <= 'f')
				v = (unsigned)((d[i] | 0x20) - 'a' + 10);
			else
				break;
			c = c * (hex ? 16 : 10) + v;
		}
		if (i == start)
			return 0;
		*ret = c;
		return i < len && d[i] == ';' ? i + 1 : i;
	}
	while (i < len && i < MARKUP_NAME &&
	       (((d[i] | 0x20) >= 'a' && (d[i] | 0x20) <= 'z') || (d[i] >= '0' && d[i] <= '9')))
		i++;
	if (i >= len || d[i] != ';')
		return 0;
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
		if (strlen(entities[k].name) == i - 1 && memcmp(entities[k].name, d + 1, i - 1) == 0) {
			*ret = entities[k].code;
			return i + 1;
		}
	return 0;
}

/* Text d[0..len) with entities decoded. */
static void put_text(struct out *o, const unsigned char *d, size_t len)
{
	size_t i = 0, s = 0;

	while (i < len) {
		uint32_t c;
		size_t n;
		if (d[i] == '&' && (n = entity(d + i, len - i, &c)) > 0) {
			put(o, (const char *)d + s, i - s);
			put_code(o, c);
			i += n;
			s = i;
			continue;
		}
		i++;
	}
	put(o, (const char *)d + s, i - s);
}

static bool name_is(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcasecmp(name, *list) == 0)
			return true;
	return false;
}

static const char *const blocks[] = {
        "p",        "div",    "br",      "li",      "tr",     "h1",     "h2",      "h3",         "h4",
        "h5",       "h6",     "table",   "ul",      "ol",     "dl",     "dt",      "dd",         "hr",
        "title",    "pre",    "section", "article", "header", "footer", "form",    "blockquote", "option",
        "fieldset", "legend", "address", "nav",     "main",   "aside",  "caption", "label",      NULL,
};
static const char *const inlines[] = {"a",   "b",   "i",   "u",    "s",    "em",   "strong", "span", "font", "small",
                                      "big", "sub", "sup", "abbr", "code", "mark", "strike", "wbr",  NULL};
static const char *const cells[] = {"td", "th", NULL};
static const char *const texts[] = {"value", "alt", "title", "content", "placeholder", NULL};

/* The tag at d[0] == '<'; returns the bytes it takes. */
static size_t tag(struct out *o, const unsigned char *d, size_t len, char *ret_skip)
{
	char name[MARKUP_NAME];
	size_t i = 1, n = 0;
	bool closing = false;

	ret_skip[0] = '\0';
	if (i < len && d[i] == '/') {
		closing = true;
		i++;
	}
	while (i < len && d[i] != '>' && d[i] != '/' && d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n') {
		if (n + 1 < sizeof(name))
			name[n++] = (char)d[i];
		i++;
	}
	name[n] = '\0';
	if (strchr(name, ':')) /* an XML namespace prefix */
		memmove(name, strchr(name, ':') + 1, strlen(strchr(name, ':') + 1) + 1);
	if (name_is(name, blocks))
		put_break(o, '\n');
	else if (name_is(name, cells) && !closing)
		put_break(o, '\t');
	else if (!name_is(name, inlines))
		o->space = true; /* XML elements: <ten>A</ten><so>1</so> is "A 1" */
	/* attributes */
	while (i < len && d[i] != '>') {
		char attr[MARKUP_NAME];
		size_t an = 0;
		while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n' || d[i] == '/'))
			i++;
		while (i < len && d[i] != '=' && d[i] != '>' && d[i] != ' ' && d[i] != '\t' && d[i] != '\r' &&
		       d[i] != '\n' && d[i] != '/') {
			if (an + 1 < sizeof(attr))
				attr[an++] = (char)d[i];
			i++;
		}
		attr[an] = '\0';
		while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
			i++;
		if (i >= len || d[i] != '=') {
			if (!an && i < len && d[i] != '>')
				i++; /* a stray byte */
			continue;
		}
		i++;
		while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
			i++;
		size_t vs, ve;
		if (i < len && (d[i] == '"' || d[i] == '\'')) {
			const unsigned char *q = memchr(d + i + 1, d[i], len - i - 1);
			vs = i + 1;
			ve = q ? (size_t)(q - d) : len;
			i = q ? ve + 1 : len;
		} else {
			vs = i;
			while (i < len && d[i] != '>' && d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n')
				i++;
			ve = i;
		}
		if (!closing && name_is(attr, texts) && ve > vs) {
			o->space = true;
			put_text(o, d + vs, ve - vs);
			o->space = true;
		}
	}
	if (!closing && (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0) &&
	    !(i > 0 && i < len && d[i - 1] == '/'))
		memcpy(ret_skip, name, strlen(name) + 1);
	return i < len ? i + 1 : len;
}

/* Where the raw text of a script or style element ends: after "</name...>". */
static size_t skip_raw(const unsigned char *d, size_t len, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i + 2 + n <= len; i++) {
		const unsigned char *f = memchr(d + i, '<', len - i);
		if (!f)
			break;
		i = (size_t)(f - d);
		if (i + 2 + n <= len && d[i + 1] == '/' && strncasecmp((const char *)d + i + 2, name, n) == 0) {
			const unsigned char *e = memchr(d + i, '>', len - i);
			return e ? (size_t)(e - d) + 1 : len;
		}
	}
	return len;
}

static void scan(struct out *o, const unsigned char *d, size_t len)
{
	size_t i = 0, s = 0;

	while (i < len && o->rc == 0) {
		if (d[i] != '<' || i + 1 >= len) {
			i++;
			continue;
		}
		unsigned char c = d[i + 1];
		bool letter = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
		if (!letter && c != '/' && c != '!' && c != '?') {
			i++;
			continue;
		}
		put_text(o, d + s, i - s);
		if (len - i >= 9 && memcmp(d + i, "<![CDATA[", 9) == 0) {
			const unsigned char *e = memmem(d + i + 9, len - i - 9, "]]>", 3);
			size_t end = e ? (size_t)(e - d) : len;
			put(o, (const char *)d + i + 9, end - i - 9);
			i = e ? end + 3 : len;
		} else if (len - i >= 4 && memcmp(d + i, "<!--", 4) == 0) {
			const unsigned char *e = memmem(d + i + 4, len - i - 4, "-->", 3);
			i = e ? (size_t)(e - d) + 3 : len;
		} else if (c == '!' || c == '?') {
			const unsigned char *e = memchr(d + i, '>', len - i);
			i = e ? (size_t)(e - d) + 1 : len;
		} else {
			char skip[MARKUP_NAME];
			i += tag(o, d + i, len - i, skip);
			if (skip[0])
				i += skip_raw(d + i, len - i, skip);
		}
		s = i;
	}
	if (o->rc == 0)
		put_text(o, d + s, i - s);
	flush(o);
}

/* The charset a document declares: <meta charset=...>, <meta ... content=
 * "...; charset=...">, or <?xml ... encoding="..."?>, in its first 4 KiB. */
static bool declared_charset(const unsigned char *d, size_t len, char *out, size_t size)
{
	static const char *const keys[] = {"charset=", "encoding="};

	if (len > 4096)
		len = 4096;
	for (size_t k = 0; k < 2; k++) {
		size_t kl = strlen(keys[k]);
		for (size_t i = 0; i + kl < len; i++) {
			if (strncasecmp((const char *)d + i, keys[k], kl) != 0)
				continue;
			size_t p = i + kl, n = 0;
			if (p < len && (d[p] == '"' || d[p] == '\''))
				p++;
			while (p < len && n + 1 < size &&
			       (((d[p] | 0x20) >= 'a' && (d[p] | 0x20) <= 'z') || (d[p] >= '0' && d[p] <= '9') ||
			        d[p] == '-' || d[p] == '_' || d[p] == '.' || d[p] == ':'))
				out[n++] = (char)d[p++];
			out[n] = '\0';
			return n > 0;
		}
	}
	return false;
}

int extract_markup(struct extract *x, const unsigned char *data, size_t len)
{
	struct out *o = calloc(1, sizeof(*o));
	struct decoder *dec = NULL;
	char charset[64] = "UTF-8";
	unsigned char *conv = NULL;
	size_t conv_len = 0;
	int rc = 0;

	if (!o)
		return ERR_NOMEM;
	o->x = x;
	o->last = '\n';
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	} else if (len >= 2 && (memcmp(data, "\xff\xfe", 2) == 0 || memcmp(data, "\xfe\xff", 2) == 0)) {
		memcpy(charset, data[0] == 0xff ? "UTF-16LE" : "UTF-16BE", 9);
		data += 2;
		len -= 2;
	} else if (!declared_charset(data, len, charset, sizeof(charset))) {
		memcpy(charset, "UTF-8", 6);
	}
	if (strcasecmp(charset, "UTF-8") != 0 && strcasecmp(charset, "utf8") != 0 &&
	    strcasecmp(charset, "us-ascii") != 0 && decode_new(charset, &dec) == 0) {
		/* the whole document to UTF-8 first: tags may straddle any chunk */
		size_t cap = len > (LIMIT_MEMBER_BYTES - 16) / 3 ? LIMIT_MEMBER_BYTES : 3 * len + 16;
		conv = malloc(cap);
		if (!conv) {
			rc = ERR_NOMEM;
			goto out;
		}
		while (cap - conv_len >= 8) {
			size_t used = 0, n = 0;
			decode_run(dec, data, len, &used, (char *)conv + conv_len, cap - conv_len, &n, true);
			conv_len += n;
			data += used;
			len -= used;
			if (!len || (!used && !n))
				break;
		}
		if (len)
			extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT, "decoded document larger than 64 MiB; cut");
		data = conv;
		len = conv_len;
	}
	extract_text_begin(x, NULL);
	scan(o, data, len);
	extract_text_end(x);
	rc = o->rc;
out:
	decode_free(dec);
	if (conv) {
		explicit_bzero(conv, conv_len);
		free(conv);
	}
	free(o);
	return rc;
}
