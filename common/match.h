/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The matching engine: takes a stream of decoded UTF-8 text and reports the
 * identifiers in it. Text is normalised, a byte-level prefilter finds digit
 * runs, '@' and "<<" (the only places an identifier can start), and only
 * windows around them go to the rules' PCRE2 patterns, the validators and the
 * scoring (context words near the match or in a CSV column header, negative
 * words, locale gates). Memory is fixed per matcher whatever the stream's
 * length; an identifier across two appended pieces is found. One matcher per
 * thread; the rule set is shared.
 */
#ifndef PIIGUARD_MATCH_H
#define PIIGUARD_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"

struct matcher;

struct match_finding {
	const char *rule_id;
	const char *label;
	const char *value; /* canonical value, NUL-terminated; wiped after the callback */
	size_t value_len;
	double confidence;
	uint64_t line;   /* 1-based line of the match's start in the text */
	uint64_t offset; /* byte offset of the match's start in the text */
};

/* Called for each finding at or above the minimum confidence, in the order of
 * the stream (within one window, by position). Must not keep f->value. */
typedef void match_emit_fn(const struct match_finding *f, void *ctx);

/* A matcher over a loaded rule set (which must outlive it). Returns 0 or ERR_NOMEM. */
int match_new(const struct rules *rules, struct matcher **ret);

/* Start a new text stream: findings below min_confidence are not reported. */
void match_begin(struct matcher *m, double min_confidence, match_emit_fn *emit, void *ctx);

/* Where to append the next text bytes: returns a pointer and its room
 * (at least LIMIT_SCAN_CHUNK / 2 bytes), to be followed by match_commit(). */
char *match_space(struct matcher *m, size_t *ret_room);

/* n bytes were written at match_space(); scans when the buffer is full. */
void match_commit(struct matcher *m, size_t n);

/* Append a copy of text[0..len) (any length). */
void match_feed(struct matcher *m, const char *text, size_t len);

/* End of the stream: scan what is left. Returns the number of findings reported. */
uint64_t match_end(struct matcher *m);

/* Free a matcher (its buffers wiped first); NULL is a no-op. */
void match_free(struct matcher *m);

/* The usual minimum confidence: MEDIUM of identifiers.md §2.4, so that a weak
 * number with no context word near it is not reported. */
#define MATCH_DEFAULT_MIN_CONFIDENCE 0.5

#endif
