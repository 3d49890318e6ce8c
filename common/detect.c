/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The validator registry (name to function, as rule files spell it) and the
 * helpers of detect_util.h that several validator files share. The rules loader
 * calls detect_find() once per rule; the validators themselves live in
 * detect_<family>.c. Nothing here allocates, logs or touches files.
 */
#include <string.h>
#include <time.h>

#include "detect.h"
#include "detect_util.h"

/* Used only if the clock cannot be read: the year the specification was
 * written, so a broken clock neither accepts far-future birth dates nor
 * rejects every recent one. */
#define DETECT_FALLBACK_YEAR 2026

struct detect_entry {
	const char *name;
	detect_fn *fn;
};

static const struct detect_entry detect_table[] = {
        {"vn_cccd", detect_vn_cccd},
        {"vn_cmnd", detect_vn_cmnd},
        {"vn_passport", detect_vn_passport},
        {"vn_mst", detect_vn_mst},
        {"vn_mobile", detect_vn_mobile},
        {"cn_ric", detect_cn_ric},
        {"cn_mobile", detect_cn_mobile},
        {"ir_national_id", detect_ir_national_id},
        {"ir_mobile", detect_ir_mobile},
        {"mrz_td1", detect_mrz_td1},
        {"payment_card", detect_payment_card},
        {"iban", detect_iban},
        {"email", detect_email},
};

#define DETECT_COUNT (sizeof(detect_table) / sizeof(detect_table[0]))

/* Kept apart from detect_table because detect_names() promises a plain
 * NULL-terminated array of strings; a test checks both lists agree. */
static const char *const detect_name_list[DETECT_COUNT + 1] = {
        "vn_cccd",        "vn_cmnd",   "vn_passport", "vn_mst",       "vn_mobile", "cn_ric", "cn_mobile",
        "ir_national_id", "ir_mobile", "mrz_td1",     "payment_card", "iban",      "email",  NULL,
};

/* 0 means "use the clock". Set once, before scanning starts (tests only), so
 * it needs no locking. */
static int detect_test_year;

detect_fn *detect_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < DETECT_COUNT; i++)
		if (strcmp(detect_table[i].name, name) == 0)
			return detect_table[i].fn;
	return NULL;
}

const char *const *detect_names(void)
{
	return detect_name_list;
}

void detect_set_year(int year)
{
	detect_test_year = year > 0 ? year : 0;
}

void detect_result_clear(struct detect_result *ret)
{
	ret->verdict = DETECT_REJECT;
	ret->level_adjust = 0;
	ret->derived_rule[0] = '\0';
	ret->derived_value[0] = '\0';
}

enum detect_verdict detect_verdict_set(struct detect_result *ret, enum detect_verdict verdict)
{
	ret->verdict = verdict;
	return verdict;
}

bool detect_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool detect_all_same(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i] != s[0])
			return false;
	return true;
}

int detect_digits_value(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool detect_date_valid(int year, int month, int day)
{
	static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap;
	int max;

	if (year < 1 || month < 1 || month > 12 || day < 1)
		return false;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	max = month_days[month - 1] + (month == 2 && leap ? 1 : 0);
	return day <= max;
}

void detect_today(int *ret_year, int *ret_month, int *ret_day)
{
	struct tm tm;
	time_t now;

	if (detect_test_year > 0) {
		*ret_year = detect_test_year;
		*ret_month = 12;
		*ret_day = 31;
		return;
	}
	/* UTC is off by at most a day, which matters only for people born
	 * today; localtime_r() would open /etc/localtime inside the sandbox. */
	now = time(NULL);
	if (now == (time_t)-1 || !gmtime_r(&now, &tm)) {
		*ret_year = DETECT_FALLBACK_YEAR;
		*ret_month = 12;
		*ret_day = 31;
		return;
	}
	*ret_year = tm.tm_year + 1900;
	*ret_month = tm.tm_mon + 1;
	*ret_day = tm.tm_mday;
}

bool detect_date_not_future(int year, int month, int day)
{
	int t_year, t_month, t_day;

	detect_today(&t_year, &t_month, &t_day);
	if (year != t_year)
		return year < t_year;
	if (month != t_month)
		return month < t_month;
	return day <= t_day;
}

const char *detect_phone_national(char *value, size_t *len, const char *cc, size_t nsn_len, int flags, bool trunk)
{
	size_t cc_len = strlen(cc), skip;

	if (!detect_all_digits(value, *len))
		return NULL;
	if ((flags & DETECT_PHONE_BARE) && *len == nsn_len)
		skip = 0;
	else if ((flags & DETECT_PHONE_TRUNK) && *len == nsn_len + 1 && value[0] == '0')
		skip = 1;
	else if (*len == cc_len + nsn_len && memcmp(value, cc, cc_len) == 0)
		skip = cc_len;
	else if (*len == 2 + cc_len + nsn_len && memcmp(value, "00", 2) == 0 && memcmp(value + 2, cc, cc_len) == 0)
		skip = 2 + cc_len;
	else
		return NULL;
	/* One canonical form, so the same number found as +84 and as 0 gets the
	 * same fingerprint. Only the bare form with a trunk grows, by one byte:
	 * detect.h guarantees the room. */
	memmove(value + trunk, value + skip, nsn_len);
	if (trunk)
		value[0] = '0';
	*len = nsn_len + trunk;
	value[*len] = '\0';
	return value + trunk;
}
