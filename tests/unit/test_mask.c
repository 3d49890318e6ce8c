/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of mask.c: the contract's masking of each kind of value, the
 * HMAC-SHA256 fingerprint against known answers, and the key file (created
 * 0600, refused when readable by others or of the wrong size or a link).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "mask.h"

static void check_mask(const char *value, const char *want)
{
	char out[128];

	mask_value(value, strlen(value), out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_masking(void **state)
{
	(void)state;
	check_mask("052090001234", "052******234");
	check_mask("11010519491231002X", "110************02X");
	check_mask("0012345679", "001****679");
	check_mask("215123456", "21*****56");
	check_mask("C1234567", "C1****67");
	check_mask("nguyen.van.an@example.com", "n************@example.com");
	check_mask("a@b.vn", "a@b.vn");
	check_mask("abc", "***");
	check_mask("", "");
}

static void test_fingerprint(void **state)
{
	unsigned char key[MASK_KEY_BYTES];
	char fp[MASK_FINGERPRINT_HEX + 1];

	(void)state;
	for (int i = 0; i < MASK_KEY_BYTES; i++)
		key[i] = (unsigned char)i;
	/* Known answers: HMAC-SHA256(key = 00..1f, value), first 16 hex digits. */
	mask_fingerprint(key, "052090001234", 12, fp);
	assert_string_equal(fp, "976affdb00de730d");
	mask_fingerprint(key, "nguyen.van.an@example.com", 25, fp);
	assert_string_equal(fp, "b52f027e6372c1fa");
	key[0] ^= 1;
	mask_fingerprint(key, "052090001234", 12, fp);
	assert_string_not_equal(fp, "976affdb00de730d");
}

static void test_key_file(void **state)
{
	char dir[] = "/tmp/piiguard-test-mask-XXXXXX", path[256], link[256];
	unsigned char key[MASK_KEY_BYTES], again[MASK_KEY_BYTES];
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/key", dir);
	assert_int_equal(mask_key_load(path, false, key), ERR_IO); /* absent, not created */
	assert_int_equal(mask_key_load(path, true, key), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, MASK_KEY_BYTES);
	assert_int_equal(mask_key_load(path, true, again), 0);
	assert_memory_equal(key, again, MASK_KEY_BYTES); /* created once, then read */

	chmod(path, 0644);
	assert_int_equal(mask_key_load(path, false, again), ERR_FORMAT);
	chmod(path, 0600);

	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(mask_key_load(link, false, again), ERR_IO);

	snprintf(path, sizeof(path), "%s/short", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("too short", f);
	fclose(f);
	chmod(path, 0600);
	assert_int_equal(mask_key_load(path, false, again), ERR_FORMAT);

	unlink(path);
	unlink(link);
	snprintf(path, sizeof(path), "%s/sub/key", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_masking),
	        cmocka_unit_test(test_fingerprint),
	        cmocka_unit_test(test_key_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
