/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validators for Vietnamese identifiers (identifiers.md sections 3, 4, 7, 8
 * and 10): the 12-digit personal identification number, the old 9-digit CMND,
 * the passport number, the tax code and mobile numbers. The engine calls them
 * through detect_find() on canonical values; the MRZ validator also calls
 * detect_vn_cccd() on the number it finds inside a TD1 zone. They read only the
 * *len bytes they are given and never allocate, log or do I/O.
 */
#include <stdbool.h>
#include <string.h>

#include "detect.h"
#include "detect_util.h"

/* The 63 province codes of section 3.2 (first three digits, all below 100).
 * They stay valid after the 2025 merger because issued numbers never change. */
static const unsigned char vn_province_codes[] = {
        1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
        34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
        67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
};

static bool vn_province_known(int code)
{
	size_t i;

	for (i = 0; i < sizeof(vn_province_codes); i++)
		if (vn_province_codes[i] == code)
			return true;
	return false;
}

enum detect_verdict detect_vn_cccd(char *value, size_t *len, struct detect_result *ret)
{
	int century, year, t_year, t_month, t_day;

	detect_result_clear(ret);
	if (*len != 12 || !detect_all_digits(value, 12))
		return DETECT_REJECT;
	if (!vn_province_known(detect_digits_value(value, 3)))
		return DETECT_REJECT;
	/* Digits 4-9 stand for births from 2100 on, impossible before then. */
	century = value[3] - '0';
	if (century > 3)
		return DETECT_REJECT;
	year = (century <= 1 ? 1900 : 2000) + detect_digits_value(value + 4, 2);
	detect_today(&t_year, &t_month, &t_day);
	if (year > t_year)
		return DETECT_REJECT;
	return detect_verdict_set(ret, DETECT_VALID);
}

enum detect_verdict detect_vn_cmnd(char *value, size_t *len, struct detect_result *ret)
{
	detect_result_clear(ret);
	if (*len != 9 || !detect_all_digits(value, 9))
		return DETECT_REJECT;
	/* No check digit exists, so only reject the filler values people type
	 * into forms; everything else needs a CMND keyword to be reported. */
	if (detect_all_same(value, 9) || memcmp(value, "123456789", 9) == 0)
		return DETECT_REJECT;
	return detect_verdict_set(ret, DETECT_NEEDS_CONTEXT);
}

enum detect_verdict detect_vn_passport(char *value, size_t *len, struct detect_result *ret)
{
	detect_result_clear(ret);
	if (*len != 8 || value[0] < 'A' || value[0] > 'Z' || !detect_all_digits(value + 1, 7))
		return DETECT_REJECT;
	if (detect_all_same(value + 1, 7) && value[1] == '0')
		return DETECT_REJECT;
	/* Letter + 7 digits is also every product code and seat number. */
	return detect_verdict_set(ret, DETECT_NEEDS_CONTEXT);
}

enum detect_verdict detect_vn_mst(char *value, size_t *len, struct detect_result *ret)
{
	static const int weights[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
	int sum = 0, rem, i;

	detect_result_clear(ret);
	if ((*len != 10 && *len != 13) || !detect_all_digits(value, *len))
		return DETECT_REJECT;
	if (memcmp(value + 2, "0000000", 7) == 0)
		return DETECT_REJECT;
	/* A branch suffix counts from 001; 000 would be the parent itself. */
	if (*len == 13 && memcmp(value + 10, "000", 3) == 0)
		return DETECT_REJECT;
	for (i = 0; i < 9; i++)
		sum += weights[i] * (value[i] - '0');
	rem = sum % 11;
	/* rem == 0 asks for a check digit of 10, which no number can carry. */
	if (rem == 0 || value[9] - '0' != 10 - rem)
		return DETECT_REJECT;
	return detect_verdict_set(ret, DETECT_VALID);
}

/*
 * The libphonenumber VN mobile ranges of section 10.1 on the 9-digit national
 * significant number (without the trunk 0). The 11-digit special blocks
 * 01210-01213 and 0160 are left out on purpose: they are tiny, and accepting
 * 11-digit 01... numbers would also accept the pre-2018 numbering that the
 * specification wants reported only with a keyword.
 */
static bool vn_mobile_range(const char *nsn)
{
	int a = nsn[0] - '0', b = nsn[1] - '0', c = nsn[2] - '0';

	switch (a) {
	case 3: return true;
	case 5:
		if (b == 1 || b == 6 || b == 8 || b == 9)
			return true;
		if (b == 2)
			return c == 2 || c == 3 || c == 8;
		return b == 5 && c == 9;
	case 7: return b == 0 || b >= 6;
	case 8:
		if (b >= 1 && b <= 8)
			return true;
		return b == 9 && c >= 6;
	case 9:
		if (b <= 8)
			return true;
		return c != 2;
	default: return false;
	}
}

enum detect_verdict detect_vn_mobile(char *value, size_t *len, struct detect_result *ret)
{
	char national[DETECT_VALUE_MAX + 1];
	size_t n = *len;

	detect_result_clear(ret);
	if (n > DETECT_VALUE_MAX)
		return DETECT_REJECT;
	memcpy(national, value, n + 1);
	const char *nsn = detect_phone_national(national, &n, "84", 9, DETECT_PHONE_TRUNK, true);
	if (!nsn || !vn_mobile_range(nsn))
		return DETECT_REJECT;
	memcpy(value, national, n + 1);
	*len = n;
	return detect_verdict_set(ret, DETECT_VALID);
}
