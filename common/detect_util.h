/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the validator files common/detect*.c: resetting a result,
 * digit runs, calendar dates and "today" as detect_set_year() defines it.
 * Internal to the detect module; nothing outside common/detect*.c includes it.
 * Like the validators, these never allocate, log or do I/O.
 */
#ifndef PIIGUARD_DETECT_UTIL_H
#define PIIGUARD_DETECT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "detect.h"

/* Reset *ret to a rejection with no level change and no derived value. */
void detect_result_clear(struct detect_result *ret);

/* Store verdict in ret->verdict and return it, so a validator ends in one line. */
enum detect_verdict detect_verdict_set(struct detect_result *ret, enum detect_verdict verdict);

/* True if the n bytes at s are all ASCII digits (vacuously true for n == 0). */
bool detect_all_digits(const char *s, size_t n);

/* True if the n bytes at s are the same byte (vacuously true for n == 0). */
bool detect_all_same(const char *s, size_t n);

/* The value of n (<= 9) ASCII digits at s; the caller has checked they are digits. */
int detect_digits_value(const char *s, size_t n);

/* True if year-month-day is a real date of the Gregorian calendar. */
bool detect_date_valid(int year, int month, int day);

/*
 * Today's date. With a test year set by detect_set_year() it is the last day of
 * that year, so results do not depend on the day the tests run; otherwise the
 * clock's date in UTC (never local time: that would read the time-zone file).
 */
void detect_today(int *ret_year, int *ret_month, int *ret_day);

/* True if year-month-day is not after detect_today(). */
bool detect_date_not_future(int year, int month, int day);

/* Forms of a phone number detect_phone_national() accepts besides the
 * country code ("84...") and the international prefix ("0084..."). */
#define DETECT_PHONE_TRUNK 1 /* "0" + the national significant number */
#define DETECT_PHONE_BARE  2 /* the national significant number alone */

/*
 * Rewrite a phone number given as digits (country code cc with or without
 * "00" in front, or one of the forms in flags) to its national form: a "0"
 * and the nsn_len digits of its national significant number when trunk is
 * set, those digits alone otherwise. Returns a pointer to the national
 * significant number inside value (for the number plan check), or NULL when
 * the value has none of the forms; value is left unchanged then.
 */
const char *detect_phone_national(char *value, size_t *len, const char *cc, size_t nsn_len, int flags, bool trunk);

#endif
