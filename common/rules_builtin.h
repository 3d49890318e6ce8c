/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule files built into the program, so that it detects with no installed
 * files (make run, a copied binary). The table is generated at build time from
 * the rule files in rules/; the installed rules, when present, take precedence.
 */
#ifndef PIIGUARD_RULES_BUILTIN_H
#define PIIGUARD_RULES_BUILTIN_H

#include <stddef.h>

struct rules_builtin_file {
	const char *name;
	const char *data;
	const char *end;
};

extern const struct rules_builtin_file rules_builtin[];
extern const size_t rules_builtin_count;

#endif
