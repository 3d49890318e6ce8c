/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validators: the checks that turn a pattern match into an identifier. Rule files
 * name a validator (vn_cccd, cn_ric, ...); the engine looks it up once with
 * detect_find() and calls it on the candidate's canonical value. Validators are
 * pure functions of the value (and of today's date): no I/O, no allocation, no
 * logging, so they are safe on hostile input and in a sandboxed worker.
 */
#ifndef PIIGUARD_DETECT_H
#define PIIGUARD_DETECT_H

#include <stddef.h>

/* Longest canonical value any validator accepts (a TD1 MRZ is 90). */
#define DETECT_VALUE_MAX 96
#define DETECT_RULE_MAX  24

enum detect_verdict {
	DETECT_REJECT = 0,        /* not this identifier */
	DETECT_NEEDS_CONTEXT = 1, /* plausible, but report only with a context word */
	DETECT_VALID = 2,         /* passes every check the identifier has */
};

struct detect_result {
	enum detect_verdict verdict;
	/* Level change on top of the rule's base confidence, in steps of one level
	 * (LOW < MEDIUM < HIGH < CERTAIN): -1 for a known test value, +1 when every
	 * cross-check passes (MRZ with a consistent VN ID), 0 otherwise. */
	int level_adjust;
	/* A second identifier carried inside this one (the 12-digit CCCD number of a
	 * VN MRZ): rule id and canonical value, or empty strings. */
	char derived_rule[DETECT_RULE_MAX];
	char derived_value[DETECT_VALUE_MAX + 1];
};

/*
 * A validator. value holds the canonical candidate, NUL-terminated, *len bytes
 * (<= DETECT_VALUE_MAX): ASCII digits, upper-case ASCII letters, '<' and '@'/'.'
 * where the identifier has them; separators already removed. The validator may
 * rewrite it in place to the contract's canonical form (a phone number to its
 * national form with the leading 0) and update *len. It fills *ret and returns
 * ret->verdict.
 * The buffer behind value must hold DETECT_VALUE_MAX + 1 bytes: a rewrite may
 * lengthen the value (ir_mobile puts back the trunk 0 of a bare 9xxxxxxxxx).
 * Validators read only value[0..*len) and rewrite only a value they accept.
 */
typedef enum detect_verdict detect_fn(char *value, size_t *len, struct detect_result *ret);

/* The validator with this name, or NULL. */
detect_fn *detect_find(const char *name);

/* The names of all validators, NULL-terminated (for `rules lint` messages). */
const char *const *detect_names(void);

/* Set the year validators treat as "now" (birth dates after it are rejected);
 * 0 restores the current year from the clock. For tests. */
void detect_set_year(int year);

/* Validators, one per identifier in shared identifiers.md. */
detect_fn detect_vn_cccd;        /* 12 digits: province, century/sex digit, birth year */
detect_fn detect_vn_cmnd;        /* 9 digits, no check: all-same and 123456789 rejected; NEEDS_CONTEXT */
detect_fn detect_vn_passport;    /* letter + 7 digits; NEEDS_CONTEXT */
detect_fn detect_vn_mst;         /* 10 or 13 digits, weighted mod 11 */
detect_fn detect_vn_mobile;      /* 84/0084 prefix or 0 + 9 digits in the mobile plan; rewritten to 0xxxxxxxxx */
detect_fn detect_cn_ric;         /* 18 chars MOD 11-2 + date + region, or 15-digit legacy form */
detect_fn detect_cn_mobile;      /* 86/0086 prefix or 11 digits in the plan; rewritten to 1xxxxxxxxxx */
detect_fn detect_ir_national_id; /* 10 digits, mod 11, same-digit and zero-serial rejected */
detect_fn detect_ir_mobile;      /* 98/0098 prefix or 09 + 9 digits; rewritten to 09xxxxxxxxx */
detect_fn detect_mrz_td1;        /* 90 chars, every check digit; VN ID derived as vn.cccd */
detect_fn detect_payment_card;   /* Luhn + IIN range and length; test PANs level_adjust -1 */
detect_fn detect_iban;           /* country length + mod 97, Iran included */
detect_fn detect_email;          /* local@domain.tld, lower-cased; file-extension TLDs rejected */

#endif
