/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validators for Chinese identifiers (identifiers.md sections 11 and 12): the
 * resident identity number, in its 18-character and legacy 15-digit forms, and
 * mobile numbers. The engine calls them through detect_find() on canonical
 * values (the ID's check character already upper-cased). They read only the
 * *len bytes they are given and never allocate, log or do I/O.
 */
#include <stdbool.h>
#include <string.h>

#include "detect.h"
#include "detect_util.h"

/* Province-level codes (first two digits) of section 11.1, plus 83: Taiwan
 * residents' permits use 830000 although no public list has it. */
static const unsigned char cn_province_codes[] = {
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
        44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
};

static bool cn_province_known(int code)
{
	size_t i;

	for (i = 0; i < sizeof(cn_province_codes); i++)
		if (cn_province_codes[i] == code)
			return true;
	return false;
}

/* ISO 7064 MOD 11-2 check character over 17 digits (weights 2^(18-i) mod 11). */
static char cn_ric_check_char(const char *digits17)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0, i;

	for (i = 0; i < 17; i++)
		sum += (digits17[i] - '0') * weights[i];
	return "10X98765432"[sum % 11];
}

/*
 * "Not in the future" compares with detect_today(): the clock's date, or the
 * whole of the test year when detect_set_year() set one. The 15-digit form is
 * checked as the 18-digit number it became (century 19 inserted, check
 * character computed), but the value is left as found.
 */
enum detect_verdict detect_cn_ric(char *value, size_t *len, struct detect_result *ret)
{
	char full[18];
	int year, month, day;

	detect_result_clear(ret);
	if (*len == 18) {
		if (!detect_all_digits(value, 17))
			return DETECT_REJECT;
		if (value[17] != 'X' && !detect_all_digits(value + 17, 1))
			return DETECT_REJECT;
		memcpy(full, value, 18);
	} else if (*len == 15) {
		if (!detect_all_digits(value, 15))
			return DETECT_REJECT;
		memcpy(full, value, 6);
		full[6] = '1';
		full[7] = '9';
		memcpy(full + 8, value + 6, 9);
		full[17] = cn_ric_check_char(full);
	} else {
		return DETECT_REJECT;
	}

	year = detect_digits_value(full + 6, 4);
	month = detect_digits_value(full + 10, 2);
	day = detect_digits_value(full + 12, 2);
	if (year < 1900 || !detect_date_valid(year, month, day) || !detect_date_not_future(year, month, day))
		return DETECT_REJECT;

	/* A leading 9 is the 2023 foreigners' permanent residence card, whose
	 * inner layout is unknown: only its date and checksum can be checked.
	 * It never had a 15-digit form. */
	if (full[0] == '9') {
		if (*len != 18)
			return DETECT_REJECT;
	} else if (!cn_province_known(detect_digits_value(full, 2))) {
		return DETECT_REJECT;
	}
	if (full[17] != cn_ric_check_char(full))
		return DETECT_REJECT;
	/* The legacy form has no check character of its own (the one computed
	 * above always agrees), so only region and date speak for it: two levels
	 * down, which leaves it to context. A foreign-PR number is one level
	 * down: nothing but its checksum and date are known. */
	if (*len == 15)
		ret->level_adjust = -2;
	else if (full[0] == '9')
		ret->level_adjust = -1;
	return detect_verdict_set(ret, DETECT_VALID);
}

/* The libphonenumber CN mobile plan of section 12.1 on 11 digits. */
static bool cn_mobile_plan(const char *n)
{
	int b = n[1] - '0', c = n[2] - '0';

	if (n[0] != '1')
		return false;
	switch (b) {
	case 3:
	case 8: return true;
	case 4: return c == 5 || c == 7;
	case 5:
	case 9: return c != 4;
	case 6:
		if (c == 2 || (c >= 5 && c <= 7))
			return true;
		return c == 1 && n[3] == '0';
	case 7:
		if (c != 4 && c != 9)
			return true;
		return c == 4 && n[3] == '0' && n[4] <= '5';
	default: return false;
	}
}

enum detect_verdict detect_cn_mobile(char *value, size_t *len, struct detect_result *ret)
{
	char national[DETECT_VALUE_MAX + 1];
	size_t n = *len;

	detect_result_clear(ret);
	if (n > DETECT_VALUE_MAX)
		return DETECT_REJECT;
	memcpy(national, value, n + 1);
	/* China's mobiles have no trunk 0: the national form is the 11 digits. */
	const char *nsn = detect_phone_national(national, &n, "86", 11, DETECT_PHONE_BARE, false);
	if (!nsn || !cn_mobile_plan(nsn))
		return DETECT_REJECT;
	memcpy(value, national, n + 1);
	*len = n;
	return detect_verdict_set(ret, DETECT_VALID);
}
