/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What of an identifier may leave the scanner: its masked form and a keyed
 * fingerprint (the first 16 hex digits of HMAC-SHA256 with the machine's
 * secret key), never the value. Also loads, or creates 0600, the key file.
 * Runs in the agent and the command-line tool; the key never enters a worker.
 */
#ifndef PIIGUARD_MASK_H
#define PIIGUARD_MASK_H

#include <stdbool.h>
#include <stddef.h>

#define MASK_KEY_BYTES       32
#define MASK_FINGERPRINT_HEX 16

/*
 * The contract's masked form of a canonical value: the first 3 and last 3
 * characters of a value of 10 or more (2 and 2 below), the rest '*'; an e-mail
 * address keeps its first character and its domain. out_size must be at least
 * len + 1; the result is NUL-terminated.
 */
void mask_value(const char *value, size_t len, char *out, size_t out_size);

/* out gets MASK_FINGERPRINT_HEX lower-case hex digits and a NUL. */
void mask_fingerprint(const unsigned char key[MASK_KEY_BYTES], const char *value, size_t len,
                      char out[MASK_FINGERPRINT_HEX + 1]);

/*
 * Read the key file at path (exactly MASK_KEY_BYTES bytes, a regular file
 * that only its owner may read). When it does not exist and create is set, a
 * new random key is written there, mode 0600, its folder made 0700 if
 * missing. Returns 0, ERR_IO (errno set), ERR_FORMAT (wrong size, not a
 * regular file, readable by others) or ERR_NOMEM.
 */
int mask_key_load(const char *path, bool create, unsigned char key[MASK_KEY_BYTES]);

#endif
