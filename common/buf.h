/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bounded text buffer over caller storage, for building one output record
 * (a jsonl line, a syslog message, a journald field) before a single write:
 * appends past its size are cut, never overflow, and the text is always
 * NUL-terminated. Also the one JSON string writer, which keeps any bytes,
 * even invalid UTF-8 from a file name, valid in JSON.
 */
#ifndef PIIGUARD_BUF_H
#define PIIGUARD_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t size; /* of data, the NUL included */
	size_t len;
};

/* A buffer over storage[0..size), empty (size >= 1). */
void buf_init(struct buf *b, char *storage, size_t size);

void buf_put(struct buf *b, const char *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Append str as a JSON string, quotes included, or null for NULL: valid
 * UTF-8 kept; '"', '\\', \n, \r, \t escaped; other controls, U+2028 and
 * U+2029 as \uXXXX; a byte that is not UTF-8 as the six characters \\xHH.
 * At most budget bytes of escaped text (cut at a character, ending "...");
 * (size_t)-1 for no budget.
 */
void buf_json_string(struct buf *b, const char *str, size_t budget);

#endif
