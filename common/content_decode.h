/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP bodies as browser caches keep them, still content-encoded: the codings
 * a Content-Encoding value declares are undone in reverse order (gzip, zlib
 * or raw deflate, brotli, zstd), and the bytes are sniffed as well, since a
 * declaration may be absent or, for Cache Storage, stale. Every decoder has
 * an output cap and reports each expanded piece to extract_check(), so a
 * compression bomb ends with coverage.limit. Dictionary-compressed bodies
 * (dcb, dcz) are reported as unsupported and read as they stand. Called by
 * the Chromium and Firefox cache extractors; it never parses anything else.
 */
#ifndef PIIGUARD_CONTENT_DECODE_H
#define PIIGUARD_CONTENT_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "extract.h"

/*
 * Undo the content codings of body[0..len): those of encoding (a
 * Content-Encoding value; NULL when none is declared or it is not to be
 * trusted) and those the bytes show (gzip, zstd). *ret is a new buffer of
 * *ret_len decoded bytes (freed with content_free), or NULL when the body is
 * to be read as it stands. A stream that breaks keeps what came before it
 * and gives coverage.corrupt for member, unless partial says the body is
 * known to be cut (a 206 response, a truncated entry); more than one member's
 * worth of output gives coverage.limit and the first part. Returns 0, or
 * ERR_LIMIT / ERR_TIMEOUT when extract_check() says the file must stop.
 */
int content_decode(struct extract *x, const char *member, const char *encoding, bool partial, const unsigned char *body,
                   size_t len, unsigned char **ret, size_t *ret_len);

/* Wipe and free what content_decode() returned (NULL is a no-op). */
void content_free(unsigned char *data, size_t len);

/*
 * Decode body as content_decode() does and hand the result to
 * extract_nested() under member, so that its type is detected again. An empty
 * body is no member. Returns what extract_nested() returns.
 */
int content_nest(struct extract *x, const char *member, const char *encoding, bool partial, const unsigned char *body,
                 size_t len);

/*
 * The value of the header field name (case-insensitive) in a block of header
 * lines separated by NUL, CR or LF bytes, into out (size bytes, cut when
 * longer, NUL-terminated). Returns whether the field was there.
 */
bool content_header(const unsigned char *head, size_t len, const char *name, char *out, size_t size);

/* The status code of an HTTP status line at the start of head ("HTTP/1.1
 * 206 ..."), 0 when there is none. */
unsigned content_status(const unsigned char *head, size_t len);

/*
 * A URL as a member name into out (size bytes, cut when longer): control
 * bytes become '?', and a run of nine or more digits (a query such as
 * ?cccd=052090001234) is masked as the contract masks an identifier, so that
 * member names, which the store keeps, never carry a raw identifier.
 */
void content_member(const unsigned char *url, size_t len, char *out, size_t size);

#endif
