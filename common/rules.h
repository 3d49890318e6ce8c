/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Detection rules: loaded from INI rule files (one stanza per rule id of the
 * contract) or from the copy built into the program, patterns JIT-compiled
 * with PCRE2, validators looked up by name, context words folded once. Every
 * error names file:line. A loaded rule set is read-only and shared by all
 * scanning threads.
 */
#ifndef PIIGUARD_RULES_H
#define PIIGUARD_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "detect.h"

enum rule_trigger {
	RULE_TRIGGER_DIGITS, /* a run of at least min_digits digits */
	RULE_TRIGGER_AT,     /* an '@' */
	RULE_TRIGGER_MRZ,    /* "<<" */
};

enum rule_gate {
	RULE_GATE_NONE,
	RULE_GATE_PERSIAN, /* a context word, Persian script near, or Persian digits in the match */
	RULE_GATE_CHINESE, /* a context word, Han script near, or full-width digits in the match */
};

enum rule_canonical {
	RULE_CANONICAL_ALNUM,    /* keep ASCII letters (upper-cased), digits and '<' */
	RULE_CANONICAL_VERBATIM, /* keep the match as it is (e-mail) */
};

struct rule_example {
	char *text;
	int line;
	bool expect; /* match = (true) or nomatch = (false) */
};

struct rule_words {
	char **v; /* folded, NUL-terminated */
	size_t n;
};

struct rule {
	char id[DETECT_RULE_MAX];
	char *label;
	char *pattern;
	void *code; /* pcre2_code_8 */
	detect_fn *validate;
	enum rule_trigger trigger;
	unsigned min_digits;
	enum rule_gate gate;
	enum rule_canonical canonical;
	double confidence;
	double context_boost;
	unsigned pad_in_column; /* shorter values count only under a CSV header, zero-padded to this */
	struct rule_words context;
	struct rule_words negative;
	struct rule_example *examples;
	size_t n_examples;
	char *file;
	int line;         /* of its [id] header */
	int pattern_line; /* of its first pattern line */
	bool broken;      /* an error was found in it while loading */
};

struct rules {
	struct rule *v;
	size_t n;
	unsigned min_digits; /* the smallest min_digits of the digit rules */
};

/* Called once per problem found while loading, with the file, its line (0 when
 * the problem is the file's) and a message. */
typedef void rules_error_fn(const char *file, int line, const char *msg, void *ctx);

/*
 * Load every *.rules file of dir in name order (NULL: the rules built into the
 * program). Loading goes on past errors so that each is reported. Returns 0,
 * or ERR_FORMAT when any error was found: *ret then holds the rules without
 * errors (NULL if none), for `rules lint` to go on checking; a scanner must not
 * use them. Other errors (ERR_IO, ERR_NOTFOUND: no rule file, ERR_NOMEM) leave
 * *ret NULL.
 */
int rules_load(const char *dir, struct rules **ret, rules_error_fn *on_error, void *ctx);

/* Load the rules of one rule file's text (name is used in messages), as
 * rules_load() does for each file. */
int rules_load_text(const char *name, const char *data, size_t len, struct rules **ret, rules_error_fn *on_error,
                    void *ctx);

/* The rule with this id, or NULL. */
const struct rule *rules_find(const struct rules *rules, const char *id);

/* Free a rule set; NULL is a no-op. */
void rules_free(struct rules *rules);

/* Where the installed rules are looked for before the built-in copy. */
#define RULES_INSTALLED_DIR "/usr/share/piiguard/rules"

#endif
