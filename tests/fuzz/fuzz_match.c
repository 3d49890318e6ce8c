/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes through the matching engine with the built-in
 * rules, fed in pieces whose size the input's first byte chooses, so chunk
 * boundaries fall everywhere. Every finding's value must be non-empty and
 * within DETECT_VALUE_MAX.
 */
#include <stdint.h>
#include <stdlib.h>

#include "match.h"
#include "rules.h"

static struct rules *rules;
static struct matcher *matcher;

static void on_finding(const struct match_finding *f, void *ctx)
{
	(void)ctx;
	if (f->value_len == 0 || f->value_len > DETECT_VALUE_MAX || f->confidence < 0 || f->confidence > 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!rules && (rules_load(NULL, &rules, NULL, NULL) < 0 || match_new(rules, &matcher) < 0))
		abort();
	size_t piece = size ? (size_t)data[0] * 7 + 1 : 1;
	match_begin(matcher, 0.0, on_finding, NULL);
	for (size_t i = 0; i < size; i += piece)
		match_feed(matcher, (const char *)data + i, size - i < piece ? size - i : piece);
	match_end(matcher);
	return 0;
}
