/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validators for identifiers that are not tied to one country (identifiers.md
 * sections 6, 15, 16 and 17): the ICAO TD1 machine-readable zone, payment card
 * numbers, IBANs and e-mail addresses. The engine calls them through
 * detect_find() on canonical values; the MRZ validator hands the Vietnamese ID
 * it finds back to the engine as a derived value. They read only the *len
 * bytes they are given and never allocate, log or do I/O.
 */
#include <stdbool.h>
#include <string.h>

#include "detect.h"
#include "detect_util.h"

/* ---- ICAO 9303 TD1 ---- */

#define MRZ_LINE    30
#define MRZ_VN_RULE "vn.cccd"

_Static_assert(sizeof(MRZ_VN_RULE) <= DETECT_RULE_MAX, "derived rule id too long");

static bool mrz_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}

static bool mrz_alpha(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] < 'A' || s[i] > 'Z') && s[i] != '<')
			return false;
	return true;
}

/* Add n characters to a 7-3-1 weighted sum; *pos carries the weight position
 * across fields, which the composite check needs. */
static void mrz_accumulate(int *sum, size_t *pos, const char *s, size_t n)
{
	static const int weights[3] = {7, 3, 1};
	size_t i;
	int v;

	for (i = 0; i < n; i++, (*pos)++) {
		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'A' && s[i] <= 'Z')
			v = s[i] - 'A' + 10;
		else
			v = 0; /* the filler '<' */
		*sum += v * weights[*pos % 3];
	}
}

/* A filler '<' in a check position fails: strict mode trusts no guess. */
static bool mrz_check(const char *field, size_t n, char check)
{
	size_t pos = 0;
	int sum = 0;

	if (check < '0' || check > '9')
		return false;
	mrz_accumulate(&sum, &pos, field, n);
	return sum % 10 == check - '0';
}

static bool mrz_composite(const char *l1, const char *l2)
{
	size_t pos = 0;
	int sum = 0;

	if (l2[29] < '0' || l2[29] > '9')
		return false;
	mrz_accumulate(&sum, &pos, l1 + 5, 25);  /* 1/6-30 */
	mrz_accumulate(&sum, &pos, l2, 7);       /* 2/1-7 */
	mrz_accumulate(&sum, &pos, l2 + 8, 7);   /* 2/9-15 */
	mrz_accumulate(&sum, &pos, l2 + 18, 11); /* 2/19-29 */
	return sum % 10 == l2[29] - '0';
}

/*
 * A Vietnamese card writes the 12-digit personal ID at 1/16-27 and its last
 * nine digits as the document number. Report it as a vn.cccd finding only when
 * it is a valid ID and both copies agree; raise the level when it also agrees
 * with the holder's DOB year and sex on line 2 (the two-digit DOB year cannot
 * tell the century, so the century part of digit 4 is taken from the ID).
 */
static void mrz_vn_derive(const char *l1, const char *l2, struct detect_result *ret)
{
	struct detect_result id_ret;
	char id[13];
	size_t id_len = 12;
	char sex;

	memcpy(id, l1 + 15, 12);
	id[12] = '\0';
	if (detect_vn_cccd(id, &id_len, &id_ret) != DETECT_VALID)
		return;
	if (memcmp(id + 3, l1 + 5, 9) != 0)
		return;
	memcpy(ret->derived_rule, MRZ_VN_RULE, sizeof(MRZ_VN_RULE));
	memcpy(ret->derived_value, id, sizeof(id));
	sex = (id[3] - '0') % 2 == 0 ? 'M' : 'F';
	if (memcmp(id + 4, l2, 2) == 0 && l2[7] == sex)
		ret->level_adjust = 1;
}

/*
 * Strict mode only: every check digit must hold, so one OCR error rejects the
 * zone (an OCR-tolerant mode with letter/digit confusion mapping is not done
 * here). The value is the three lines joined, 90 characters.
 */
enum detect_verdict detect_mrz_td1(char *value, size_t *len, struct detect_result *ret)
{
	const char *l1 = value, *l2 = value + MRZ_LINE;
	size_t i;

	detect_result_clear(ret);
	if (*len != 3 * MRZ_LINE)
		return DETECT_REJECT;
	for (i = 0; i < 3 * MRZ_LINE; i++)
		if (!mrz_char_ok(value[i]))
			return DETECT_REJECT;
	if (l1[0] != 'I' && l1[0] != 'A' && l1[0] != 'C')
		return DETECT_REJECT;
	if (!mrz_alpha(l1 + 2, 3) || !mrz_alpha(l2 + 15, 3))
		return DETECT_REJECT;
	/* X is accepted for non-binary holders as newer ICAO editions allow. */
	if (l2[7] != 'M' && l2[7] != 'F' && l2[7] != '<' && l2[7] != 'X')
		return DETECT_REJECT;
	if (!mrz_check(l1 + 5, 9, l1[14]) || !mrz_check(l2, 6, l2[6]) || !mrz_check(l2 + 8, 6, l2[14]) ||
	    !mrz_composite(l1, l2))
		return DETECT_REJECT;
	if (memcmp(l1 + 2, "VNM", 3) == 0 && detect_all_digits(l1 + 15, 12)) {
		/* The Vietnamese extra check digit over the 12-digit ID. */
		if (!mrz_check(l1 + 15, 12, l1[29]))
			return DETECT_REJECT;
		mrz_vn_derive(l1, l2, ret);
	}
	return detect_verdict_set(ret, DETECT_VALID);
}

/* ---- Payment cards ---- */

/* Iranian Shetab debit BINs: the best-known banks only, since these cards are
 * 16 digits and most other 6xxxxx ranges would not accept them. */
static const int card_shetab_bins[] = {
        603799, 589210, 627353, 610433, 603769, 627412, 622106, 627648, 639346, 603770, 628023, 502229,
};

/* Test numbers from payment documentation: real-looking, never a person's. */
static const char *const card_test_pans[] = {
        "4111111111111111",
        "5105105105105100",
        "378282246310005",
        "6011111111111117",
};

static bool card_luhn(const char *s, size_t n)
{
	bool twice = false;
	int sum = 0, d;
	size_t i;

	for (i = n; i-- > 0;) {
		d = s[i] - '0';
		if (twice) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		twice = !twice;
	}
	return sum % 10 == 0;
}

static bool card_shetab(int bin)
{
	size_t i;

	for (i = 0; i < sizeof(card_shetab_bins) / sizeof(card_shetab_bins[0]); i++)
		if (card_shetab_bins[i] == bin)
			return true;
	return false;
}

/* Luhn alone passes one random string in ten, so the IIN and the length that
 * goes with it must also fit a scheme of section 15.2. */
static bool card_iin_fits(const char *s, size_t n)
{
	int p2 = detect_digits_value(s, 2), p3 = detect_digits_value(s, 3);
	int p4 = detect_digits_value(s, 4), p6 = detect_digits_value(s, 6);
	bool long_card = n >= 16 && n <= 19;

	if (s[0] == '4')
		return n == 13 || n == 16 || n == 19; /* Visa */
	if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
		return n == 16; /* Mastercard */
	if (p2 == 34 || p2 == 37)
		return n == 15; /* American Express */
	if (p4 == 9704)
		return n == 16 || n == 19; /* NAPAS, Luhn required like the rest */
	if (card_shetab(p6) && n == 16)
		return true;
	if (p2 == 62)
		return long_card; /* UnionPay */
	if (p4 >= 3528 && p4 <= 3589)
		return long_card; /* JCB */
	if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65)
		return long_card; /* Discover */
	return false;
}

enum detect_verdict detect_payment_card(char *value, size_t *len, struct detect_result *ret)
{
	size_t i, n = *len;

	detect_result_clear(ret);
	if (n < 13 || n > 19 || !detect_all_digits(value, n))
		return DETECT_REJECT;
	if (!card_luhn(value, n) || !card_iin_fits(value, n))
		return DETECT_REJECT;
	for (i = 0; i < sizeof(card_test_pans) / sizeof(card_test_pans[0]); i++)
		if (strlen(card_test_pans[i]) == n && memcmp(card_test_pans[i], value, n) == 0)
			ret->level_adjust = -1;
	return detect_verdict_set(ret, DETECT_VALID);
}

/* ---- IBAN ---- */

struct iban_country {
	char code[2];
	unsigned char length;
	bool digits_only; /* BBAN is all digits, a cheap extra format check */
};

/* IBAN lengths from the SWIFT registry for the countries a kiosk meets, plus
 * Iran (not in the registry, 24 digits after IR). An unknown country is
 * rejected: without a length the mod 97 check alone is too weak. */
static const struct iban_country iban_countries[] = {
        {"AD", 24, false}, {"AE", 23, true},  {"AT", 20, true},  {"BE", 16, true},  {"BG", 22, false},
        {"CH", 21, false}, {"CY", 28, false}, {"CZ", 24, true},  {"DE", 22, true},  {"DK", 18, true},
        {"EE", 20, true},  {"ES", 24, true},  {"FI", 18, true},  {"FR", 27, false}, {"GB", 22, false},
        {"GR", 27, false}, {"HR", 21, true},  {"HU", 28, true},  {"IE", 22, false}, {"IL", 23, true},
        {"IR", 26, true},  {"IS", 26, false}, {"IT", 27, false}, {"LI", 21, false}, {"LT", 20, true},
        {"LU", 20, false}, {"LV", 21, false}, {"MC", 27, false}, {"MT", 31, false}, {"NL", 18, false},
        {"NO", 15, true},  {"PL", 28, true},  {"PT", 25, true},  {"QA", 29, false}, {"RO", 24, false},
        {"SA", 24, false}, {"SE", 24, true},  {"SI", 19, true},  {"SK", 24, true},  {"SM", 27, false},
        {"TR", 26, false},
};

static const struct iban_country *iban_country_find(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(iban_countries) / sizeof(iban_countries[0]); i++)
		if (memcmp(iban_countries[i].code, code, 2) == 0)
			return &iban_countries[i];
	return NULL;
}

/* One character of the rearranged number into the running remainder; a letter
 * stands for two decimal digits (A = 10 ... Z = 35). */
static int iban_mod97_step(int rem, char c)
{
	int v;

	if (c >= '0' && c <= '9')
		return (rem * 10 + (c - '0')) % 97;
	v = c - 'A' + 10;
	rem = (rem * 10 + v / 10) % 97;
	return (rem * 10 + v % 10) % 97;
}

enum detect_verdict detect_iban(char *value, size_t *len, struct detect_result *ret)
{
	const struct iban_country *country;
	size_t i, n = *len;
	int rem = 0;

	detect_result_clear(ret);
	if (n < 4 || n > DETECT_VALUE_MAX)
		return DETECT_REJECT;
	if (value[0] < 'A' || value[0] > 'Z' || value[1] < 'A' || value[1] > 'Z')
		return DETECT_REJECT;
	if (!detect_all_digits(value + 2, 2))
		return DETECT_REJECT;
	country = iban_country_find(value);
	if (!country || n != country->length)
		return DETECT_REJECT;
	for (i = 4; i < n; i++) {
		bool digit = value[i] >= '0' && value[i] <= '9';

		if (!digit && (country->digits_only || value[i] < 'A' || value[i] > 'Z'))
			return DETECT_REJECT;
	}
	/* 00, 01 and 99 satisfy mod 97 for some BBANs but are never issued:
	 * generation always yields 02-98. */
	if (memcmp(value + 2, "00", 2) == 0 || memcmp(value + 2, "01", 2) == 0 || memcmp(value + 2, "99", 2) == 0)
		return DETECT_REJECT;
	for (i = 4; i < n; i++)
		rem = iban_mod97_step(rem, value[i]);
	for (i = 0; i < 4; i++)
		rem = iban_mod97_step(rem, value[i]);
	if (rem != 1)
		return DETECT_REJECT;
	return detect_verdict_set(ret, DETECT_VALID);
}

/* ---- E-mail ---- */

#define EMAIL_LOCAL_MAX  64
#define EMAIL_LABEL_MAX  63
#define EMAIL_DOMAIN_MAX 253

/* "TLDs" that are really file extensions: image names like logo@2x.png and
 * Outlook's cid:image001.png@... references look like addresses otherwise. */
static const char *const email_bad_tlds[] = {
        "png", "jpg",  "jpeg", "gif", "svg", "webp", "bmp", "ico", "js",  "css",  "json",
        "xml", "html", "htm",  "txt", "pdf", "zip",  "gz",  "php", "asp", "aspx", "localhost",
};

static char email_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool email_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool email_local_char(char c)
{
	if (email_alpha(c) || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/* Case-insensitive equality of s[0..n) with the lower-case word. */
static bool email_word_is(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' || email_lower(s[i]) != word[i])
			return false;
	return word[n] == '\0';
}

static bool email_local_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > EMAIL_LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		if (!email_local_char(s[i]))
			return false;
		if (s[i] == '.' && i + 1 < n && s[i + 1] == '.')
			return false;
	}
	return true;
}

static bool email_tld_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(email_bad_tlds) / sizeof(email_bad_tlds[0]); i++)
		if (email_word_is(s, n, email_bad_tlds[i]))
			return false;
	/* An IDN TLD in ACE form; the label check already vetted its characters. */
	if (n > 4 && email_word_is(s, 4, "xn--"))
		return true;
	if (n < 2)
		return false;
	for (i = 0; i < n; i++)
		if (!email_alpha(s[i]))
			return false;
	return true;
}

static bool email_domain_ok(const char *s, size_t n)
{
	size_t i, start = 0, labels = 0;

	if (n < 1 || n > EMAIL_DOMAIN_MAX)
		return false;
	for (i = 0; i <= n; i++) {
		size_t label_len;

		if (i < n && s[i] != '.') {
			if (!email_alpha(s[i]) && (s[i] < '0' || s[i] > '9') && s[i] != '-')
				return false;
			continue;
		}
		label_len = i - start;
		if (label_len < 1 || label_len > EMAIL_LABEL_MAX)
			return false;
		if (s[start] == '-' || s[i - 1] == '-')
			return false;
		labels++;
		if (i == n && (labels < 2 || !email_tld_ok(s + start, label_len)))
			return false;
		start = i + 1;
	}
	return true;
}

enum detect_verdict detect_email(char *value, size_t *len, struct detect_result *ret)
{
	size_t i, at = 0, ats = 0, n = *len;

	detect_result_clear(ret);
	for (i = 0; i < n; i++) {
		if (value[i] == '@') {
			at = i;
			ats++;
		}
	}
	if (ats != 1)
		return DETECT_REJECT;
	if (!email_local_ok(value, at) || !email_domain_ok(value + at + 1, n - at - 1))
		return DETECT_REJECT;
	/* One case for every spelling, so fingerprints and deduplication agree.
	 * Strictly the local part is case-sensitive, but no mail system uses it. */
	for (i = 0; i < n; i++)
		value[i] = email_lower(value[i]);
	return detect_verdict_set(ret, DETECT_VALID);
}
