/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validators for Iranian identifiers (identifiers.md sections 13 and 14): the
 * national code (code melli) and mobile numbers. The engine calls them through
 * detect_find() on canonical values, after folding Persian and Arabic-Indic
 * digits to ASCII. They read only the *len bytes they are given and never
 * allocate, log or do I/O.
 */
#include <stdbool.h>
#include <string.h>

#include "detect.h"
#include "detect_util.h"

/*
 * The city prefix (digits 1-3) is deliberately not checked: the public prefix
 * list is known to be incomplete and has rejected real codes, so the prefix can
 * only ever be a soft signal, which is the rule's business, not the validator's.
 */
enum detect_verdict detect_ir_national_id(char *value, size_t *len, struct detect_result *ret)
{
	int sum = 0, rem, check, i;

	detect_result_clear(ret);
	if (*len != 10 || !detect_all_digits(value, 10))
		return DETECT_REJECT;
	/* All ten same-digit strings pass the checksum, and are form filler. */
	if (detect_all_same(value, 10))
		return DETECT_REJECT;
	/* A zero serial is never issued. */
	if (memcmp(value + 3, "000000", 6) == 0)
		return DETECT_REJECT;
	for (i = 0; i < 9; i++)
		sum += (value[i] - '0') * (10 - i);
	rem = sum % 11;
	check = rem < 2 ? rem : 11 - rem;
	if (value[9] - '0' != check)
		return DETECT_REJECT;
	return detect_verdict_set(ret, DETECT_VALID);
}

/*
 * Operator prefix 9xx (the three digits after the trunk 0): the union of the
 * libphonenumber IR mobile plan and the persian-tools operator list, since each
 * has blocks the other lacks (0941 only in the second, 0931/0934 only in the
 * first). At three digits the union is 900-905, 910-923, 930-939, 941,
 * 990-996 and 998-999; the narrower libphonenumber 995x/998x/999x blocks fall
 * inside whole blocks persian-tools lists.
 */
static bool ir_mobile_prefix(const char *nsn)
{
	int b = nsn[1] - '0', c = nsn[2] - '0';

	switch (b) {
	case 0: return c <= 5;
	case 1:
	case 3: return true;
	case 2: return c <= 3;
	case 4: return c == 1;
	case 9: return c != 7;
	default: return false;
	}
}

/*
 * Accepts 09 + 9 digits, 98 or 0098 + 9 + 9 digits, and the bare 9 + 9 digits
 * (the trunk 0 dropped, as spreadsheets and some forms do). The bare form is
 * the one case where the canonical value grows by a byte; detect.h guarantees
 * the buffer has room up to DETECT_VALUE_MAX.
 */
enum detect_verdict detect_ir_mobile(char *value, size_t *len, struct detect_result *ret)
{
	char national[DETECT_VALUE_MAX + 2];
	size_t n = *len;

	detect_result_clear(ret);
	if (n > DETECT_VALUE_MAX)
		return DETECT_REJECT;
	memcpy(national, value, n + 1);
	const char *nsn = detect_phone_national(national, &n, "98", 10, DETECT_PHONE_TRUNK | DETECT_PHONE_BARE, true);
	if (!nsn || nsn[0] != '9' || !ir_mobile_prefix(nsn))
		return DETECT_REJECT;
	memcpy(value, national, n + 1);
	*len = n;
	return detect_verdict_set(ret, DETECT_VALID);
}
