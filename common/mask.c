/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Masking, fingerprints and the key file (see mask.h). libsodium gives the
 * HMAC and the random key. The key file is opened without following links and
 * refused when others can read it, since whoever holds the key can test
 * guesses of an identifier against stored fingerprints.
 */
#include "mask.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fsafe.h"

void mask_value(const char *value, size_t len, char *out, size_t out_size)
{
	const char *at = memchr(value, '@', len);
	size_t keep_head, keep_tail;

	if (out_size == 0)
		return;
	if (len + 1 > out_size)
		len = out_size - 1;
	if (at) {
		keep_head = 1;
		keep_tail = len - (size_t)(at - value);
	} else if (len >= 10) {
		keep_head = keep_tail = 3;
	} else {
		keep_head = keep_tail = 2;
	}
	if (keep_head + keep_tail > len)
		keep_head = keep_tail = 0; /* too short to show anything of it */
	for (size_t i = 0; i < len; i++)
		out[i] = (i < keep_head || i >= len - keep_tail) ? value[i] : '*';
	out[len] = '\0';
}

void mask_fingerprint(const unsigned char key[MASK_KEY_BYTES], const char *value, size_t len,
                      char out[MASK_FINGERPRINT_HEX + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, MASK_KEY_BYTES);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)value, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, MASK_FINGERPRINT_HEX + 1, mac, MASK_FINGERPRINT_HEX / 2);
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
}

static int create_key(const char *path)
{
	unsigned char key[MASK_KEY_BYTES];
	int fd, rc = ERR_IO;

	if (fsafe_make_parents(path) < 0)
		return ERR_IO;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : ERR_IO; /* another process made it first */
	randombytes_buf(key, sizeof(key));
	if (write(fd, key, sizeof(key)) == (ssize_t)sizeof(key) && fsync(fd) == 0)
		rc = 0;
	sodium_memzero(key, sizeof(key));
	close(fd);
	if (rc < 0)
		unlink(path);
	return rc;
}

int mask_key_load(const char *path, bool create, unsigned char key[MASK_KEY_BYTES])
{
	struct stat st;
	int fd, rc;
	ssize_t n;

	if (sodium_init() < 0)
		return ERR_NOMEM;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT && create) {
		rc = create_key(path);
		if (rc < 0)
			return rc;
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	}
	if (fd < 0)
		return ERR_IO;
	rc = ERR_FORMAT;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size != MASK_KEY_BYTES || (st.st_mode & 077))
		goto out;
	n = read(fd, key, MASK_KEY_BYTES);
	rc = n == MASK_KEY_BYTES ? 0 : ERR_IO;
out:
	close(fd);
	return rc;
}
