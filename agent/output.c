/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding formats (see output.h). A finding is formatted into one buffer and
 * written with one call, so that lines from parallel scanning threads never
 * interleave.
 */
#include "output.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "text.h"

int output_parse_format(const char *name, enum output_format *ret)
{
	if (strcmp(name, "text") == 0)
		*ret = OUTPUT_TEXT;
	else if (strcmp(name, "jsonl") == 0)
		*ret = OUTPUT_JSONL;
	else if (strcmp(name, "csv") == 0)
		*ret = OUTPUT_CSV;
	else
		return ERR_INVAL;
	return 0;
}

void output_begin(FILE *f, enum output_format format, bool stored)
{
	if (format == OUTPUT_CSV)
		fputs(stored ? "path,member,rule,label,masked,fingerprint,confidence,source,line,id,status,first_seen,"
		               "last_seen\r\n"
		             : "path,member,rule,label,masked,fingerprint,confidence,source,line\r\n",
		      f);
}

/* RFC 3339 UTC of a unix time. */
static void iso_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct sink {
	char *buf;
	size_t size, len;
};

static void put(struct sink *s, const char *p, size_t n)
{
	if (s->len + 1 >= s->size)
		return;
	if (n > s->size - 1 - s->len)
		n = s->size - 1 - s->len;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

static void putf(struct sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct sink *s, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(s, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A JSON string: valid UTF-8 kept, controls as \uXXXX, an invalid byte as the
 * six characters \\xHH (a JSON string must be UTF-8; the name stays readable). */
static void put_json_string(struct sink *s, const char *str)
{
	const unsigned char *u = (const unsigned char *)str, *end = u + strlen(str);

	put(s, "\"", 1);
	while (u < end) {
		size_t n;
		int32_t cp = text_utf8_next(u, end, &n);
		if (cp < 0)
			putf(s, "\\\\x%02X", *u);
		else if (cp == '"' || cp == '\\')
			putf(s, "\\%c", (char)cp);
		else if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029)
			putf(s, "\\u%04x", (unsigned)cp);
		else
			put(s, (const char *)u, n);
		u += n;
	}
	put(s, "\"", 1);
}

static void put_csv_field(struct sink *s, const char *str)
{
	char esc[8192];

	text_escape(str, strlen(str), esc, sizeof(esc));
	put(s, "\"", 1);
	/* A leading = + - @ would make a spreadsheet run the cell as a formula. */
	if (esc[0] && strchr("=+-@", esc[0]))
		put(s, "'", 1);
	for (const char *p = esc; *p; p++) {
		put(s, p, 1);
		if (*p == '"')
			put(s, "\"", 1); /* a quote inside a quoted field is doubled */
	}
	put(s, "\"", 1);
}

size_t output_format_finding(char *buf, size_t size, enum output_format format, const struct output_finding *of)
{
	struct sink s = {buf, size, 0};
	char esc[8192];

	if (size == 0)
		return 0;
	buf[0] = '\0';
	switch (format) {
	case OUTPUT_TEXT:
		if (of->id > 0)
			putf(&s, "#%lld %s ", (long long)of->id, of->status);
		text_escape(of->path, strlen(of->path), esc, sizeof(esc));
		put(&s, esc, strlen(esc));
		if (of->member) {
			text_escape(of->member, strlen(of->member), esc, sizeof(esc));
			putf(&s, "!");
			put(&s, esc, strlen(esc));
		}
		if (of->line)
			putf(&s, ":%llu", (unsigned long long)of->line);
		putf(&s, ": %s %s %.2f (%s)\n", of->rule, of->masked, of->confidence, of->label);
		break;
	case OUTPUT_JSONL:
		put(&s, "{\"path\":", 8);
		put_json_string(&s, of->path);
		put(&s, ",\"member\":", 10);
		if (of->member)
			put_json_string(&s, of->member);
		else
			put(&s, "null", 4);
		put(&s, ",\"rule\":", 8);
		put_json_string(&s, of->rule);
		put(&s, ",\"label\":", 9);
		put_json_string(&s, of->label);
		put(&s, ",\"masked\":", 10);
		put_json_string(&s, of->masked);
		putf(&s, ",\"fingerprint\":\"%s\",\"confidence\":%.2f,\"source\":\"%s\",\"line\":", of->fingerprint,
		     of->confidence, of->source);
		if (of->line)
			putf(&s, "%llu", (unsigned long long)of->line);
		else
			put(&s, "null", 4);
		if (of->id > 0) {
			char first[32], last[32];
			iso_time(of->first_seen, first);
			iso_time(of->last_seen, last);
			putf(&s, ",\"id\":%lld,\"status\":\"%s\",\"first_seen\":\"%s\",\"last_seen\":\"%s\"}\n",
			     (long long)of->id, of->status, first, last);
		} else {
			putf(&s, ",\"offset\":%llu}\n", (unsigned long long)of->offset);
		}
		break;
	case OUTPUT_CSV:
		put_csv_field(&s, of->path);
		put(&s, ",", 1);
		if (of->member)
			put_csv_field(&s, of->member);
		putf(&s, ",%s,", of->rule);
		put_csv_field(&s, of->label);
		putf(&s, ",%s,%s,%.2f,%s,", of->masked, of->fingerprint, of->confidence, of->source);
		if (of->line)
			putf(&s, "%llu", (unsigned long long)of->line);
		if (of->id > 0) {
			char first[32], last[32];
			iso_time(of->first_seen, first);
			iso_time(of->last_seen, last);
			putf(&s, ",%lld,%s,%s,%s", (long long)of->id, of->status, first, last);
		}
		put(&s, "\r\n", 2);
		break;
	}
	return s.len;
}
