/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTML report of piiguard report: one self-contained HTML5 page (inline
 * CSS and SVG, no script, no external resource) with summary counts, charts
 * per day, rule and application, the top folders and the open findings, in
 * Vietnamese or English. It reads the store and writes to a FILE; it never
 * opens files itself and every string from the store is escaped on its way out.
 */
#ifndef PIIGUARD_REPORT_HTML_H
#define PIIGUARD_REPORT_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store.h"

/* Open findings listed in the table before the rest is only counted: past a
 * few thousand rows a phone's browser struggles and nobody reads on. */
#define REPORT_HTML_MAX_ROWS 5000

/* Days shown in the per-day chart, ending today (UTC). */
#define REPORT_HTML_DAYS 30

/* Bars in the rule and application charts, rows in the folder table. */
#define REPORT_HTML_MAX_BARS    20
#define REPORT_HTML_MAX_FOLDERS 20

enum report_html_lang {
	REPORT_HTML_VI,
	REPORT_HTML_EN,
};

struct report_html_options {
	enum report_html_lang lang;
	const char *hostname; /* shown in the header; NULL for none */
	int64_t now;          /* generation time (unix seconds, shown in UTC) */
	size_t max_rows;      /* rows of the open findings table; 0 for REPORT_HTML_MAX_ROWS */
	/* The user's filter: since, rule and path are honoured; status, id and
	 * include_gone are chosen per section (see report_html.c). */
	const struct store_filter *filter;
};

/* "vi" or "en" to a language; ERR_INVAL for another name. */
int report_html_parse_lang(const char *name, enum report_html_lang *ret);

/* Write the report of the store to out. Returns 0, ERR_IO when writing
 * failed (ferror), or the store's error. out is not closed. */
int report_html_write(struct store *s, const struct report_html_options *opt, FILE *out);

/*
 * Write in[0..len) as HTML text or attribute value: & < > " ' as entities,
 * valid UTF-8 kept, C0 controls and DEL as their visible pictures (U+2400..),
 * invalid bytes, C1 controls and bidirectional controls as U+FFFD (a file
 * name must not reorder the text around it). At most max_chars code points
 * are written, then "…"; 0 for no limit.
 */
void report_html_escape(FILE *out, const char *in, size_t len, size_t max_chars);

#endif
