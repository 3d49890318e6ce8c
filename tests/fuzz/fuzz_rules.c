/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes as a rule file. Loading must either fail with
 * an error reported as file:line or give a rule set that can scan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "rules.h"

static void on_error(const char *file, int line, const char *msg, void *ctx)
{
	(void)ctx;
	if (!file || !msg || line < 0)
		abort();
}

static void on_finding(const struct match_finding *f, void *ctx)
{
	(void)f;
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules *rules = NULL;
	struct matcher *m = NULL;

	if (rules_load_text("fuzz.rules", (const char *)data, size, &rules, on_error, NULL) < 0) {
		rules_free(rules); /* the rules without errors, if any */
		return 0;
	}
	if (match_new(rules, &m) == 0) {
		const char *text = "Số CCCD: 052090001234 a@b.vn 4111111111111111 <<";
		match_begin(m, 0.0, on_finding, NULL);
		match_feed(m, text, strlen(text));
		match_end(m);
	}
	match_free(m);
	rules_free(rules);
	return 0;
}
