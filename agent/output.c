/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding formats (see output.h). A finding is formatted into one buffer and
 * written with one call, so that lines from parallel scanning threads never
 * interleave.
 */
#include "output.h"

#include <string.h>
#include <time.h>

#include "buf.h"
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

void output_begin(FILE *f, enum output_format format, enum output_columns columns)
{
	static const char *const extra[] = {
	        [OUTPUT_COLUMNS_SCAN] = "",
	        [OUTPUT_COLUMNS_STORED] = ",id,status,first_seen,last_seen",
	        [OUTPUT_COLUMNS_POSTURE] = ",evidence,remedy,user",
	};
	if (format == OUTPUT_CSV)
		fprintf(f, "path,member,rule,label,masked,fingerprint,confidence,source,line%s\r\n", extra[columns]);
}

/* RFC 3339 UTC of a unix time. */
static void iso_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void put_csv_field(struct buf *s, const char *str)
{
	char esc[8192];

	text_escape(str, strlen(str), esc, sizeof(esc));
	buf_put(s, "\"", 1);
	/* A leading = + - @ would make a spreadsheet run the cell as a formula. */
	if (esc[0] && strchr("=+-@", esc[0]))
		buf_put(s, "'", 1);
	for (const char *p = esc; *p; p++) {
		buf_put(s, p, 1);
		if (*p == '"')
			buf_put(s, "\"", 1); /* a quote inside a quoted field is doubled */
	}
	buf_put(s, "\"", 1);
}

size_t output_format_finding(char *buf, size_t size, enum output_format format, const struct output_finding *of)
{
	struct buf s;
	char esc[8192];

	if (size == 0)
		return 0;
	buf_init(&s, buf, size);
	switch (format) {
	case OUTPUT_TEXT:
		if (of->id > 0)
			buf_printf(&s, "#%lld %s ", (long long)of->id, of->status);
		text_escape(of->path, strlen(of->path), esc, sizeof(esc));
		buf_put(&s, esc, strlen(esc));
		if (of->member) {
			text_escape(of->member, strlen(of->member), esc, sizeof(esc));
			buf_printf(&s, "!");
			buf_put(&s, esc, strlen(esc));
		}
		if (of->line)
			buf_printf(&s, ":%llu", (unsigned long long)of->line);
		buf_printf(&s, ": %s %s %.2f (%s)", of->rule, of->masked, of->confidence, of->label);
		if (of->evidence) {
			text_escape(of->evidence, strlen(of->evidence), esc, sizeof(esc));
			buf_printf(&s, ": ");
			buf_puts(&s, esc);
		}
		if (of->remedy)
			buf_printf(&s, "\n    -> ");
		if (of->remedy)
			buf_puts(&s, of->remedy);
		buf_put(&s, "\n", 1);
		break;
	case OUTPUT_JSONL:
		buf_put(&s, "{\"path\":", 8);
		buf_json_string(&s, of->path, (size_t)-1);
		buf_put(&s, ",\"member\":", 10);
		if (of->member)
			buf_json_string(&s, of->member, (size_t)-1);
		else
			buf_put(&s, "null", 4);
		buf_put(&s, ",\"rule\":", 8);
		buf_json_string(&s, of->rule, (size_t)-1);
		buf_put(&s, ",\"label\":", 9);
		buf_json_string(&s, of->label, (size_t)-1);
		buf_put(&s, ",\"masked\":", 10);
		buf_json_string(&s, of->masked, (size_t)-1);
		buf_printf(&s,
		           ",\"fingerprint\":\"%s\",\"confidence\":%.2f,\"source\":\"%s\",\"line\":", of->fingerprint,
		           of->confidence, of->source);
		if (of->line)
			buf_printf(&s, "%llu", (unsigned long long)of->line);
		else
			buf_put(&s, "null", 4);
		if (of->id > 0) {
			char first[32], last[32];
			iso_time(of->first_seen, first);
			iso_time(of->last_seen, last);
			buf_printf(&s, ",\"id\":%lld,\"status\":\"%s\",\"first_seen\":\"%s\",\"last_seen\":\"%s\"",
			           (long long)of->id, of->status, first, last);
		} else if (!of->evidence) {
			buf_printf(&s, ",\"offset\":%llu", (unsigned long long)of->offset);
		}
		if (of->evidence) {
			buf_puts(&s, ",\"evidence\":");
			buf_json_string(&s, of->evidence, (size_t)-1);
			buf_puts(&s, ",\"remedy\":");
			buf_json_string(&s, of->remedy, (size_t)-1);
			buf_puts(&s, ",\"user\":");
			buf_json_string(&s, of->user, (size_t)-1);
		}
		buf_puts(&s, "}\n");
		break;
	case OUTPUT_CSV:
		put_csv_field(&s, of->path);
		buf_put(&s, ",", 1);
		if (of->member)
			put_csv_field(&s, of->member);
		buf_printf(&s, ",%s,", of->rule);
		put_csv_field(&s, of->label);
		buf_printf(&s, ",%s,%s,%.2f,%s,", of->masked, of->fingerprint, of->confidence, of->source);
		if (of->line)
			buf_printf(&s, "%llu", (unsigned long long)of->line);
		if (of->id > 0) {
			char first[32], last[32];
			iso_time(of->first_seen, first);
			iso_time(of->last_seen, last);
			buf_printf(&s, ",%lld,%s,%s,%s", (long long)of->id, of->status, first, last);
		}
		if (of->evidence) {
			buf_put(&s, ",", 1);
			put_csv_field(&s, of->evidence);
			buf_put(&s, ",", 1);
			put_csv_field(&s, of->remedy ? of->remedy : "");
			buf_put(&s, ",", 1);
			if (of->user)
				put_csv_field(&s, of->user);
		}
		buf_put(&s, "\r\n", 2);
		break;
	}
	return s.len;
}
