/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Formatting of findings for stdout in the contract's three formats: text for
 * people, jsonl (one JSON object per line) and csv. File names are untrusted
 * bytes: escaped for text, JSON-escaped for jsonl, and in csv quoted and kept
 * from being read as a spreadsheet formula.
 */
#ifndef PIIGUARD_OUTPUT_H
#define PIIGUARD_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_format {
	OUTPUT_TEXT,
	OUTPUT_JSONL,
	OUTPUT_CSV,
};

struct output_finding {
	const char *path;
	const char *member; /* NULL for none */
	const char *rule;
	const char *label;
	const char *masked;
	const char *fingerprint;
	double confidence;
	const char *source;
	uint64_t line; /* 0: unknown */
	uint64_t offset;
	/* A finding from the store (id > 0) also has these, printed after the
	 * contract's keys; it has no offset. */
	int64_t id;
	const char *status;
	int64_t first_seen, last_seen; /* unix seconds */
	/* A posture finding also has these (NULL otherwise). */
	const char *evidence, *remedy, *user;
};

/* The extra columns of a csv table. */
enum output_columns {
	OUTPUT_COLUMNS_SCAN,    /* the contract's keys */
	OUTPUT_COLUMNS_STORED,  /* and id, status, first_seen, last_seen */
	OUTPUT_COLUMNS_POSTURE, /* and evidence, remedy, user */
};

/* Parse "text", "jsonl" or "csv". Returns 0 or ERR_INVAL. */
int output_parse_format(const char *name, enum output_format *ret);

/* Anything a format prints before the first finding (the csv header row). */
void output_begin(FILE *f, enum output_format format, enum output_columns columns);

/* Format one finding as one line into buf (NUL-terminated, cut to size).
 * Returns its length. */
size_t output_format_finding(char *buf, size_t size, enum output_format format, const struct output_finding *of);

#endif
