/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scanning of one open file as text: its charset is detected from its head,
 * its bytes are read in chunks, decoded to UTF-8 when they are not, and
 * streamed into a matcher, so memory stays flat for a file of any size. The
 * caller owns the descriptor; only read() is done on it.
 */
#ifndef PIIGUARD_SCANFILE_H
#define PIIGUARD_SCANFILE_H

#include <stdint.h>

#include "match.h"

struct scanfile_result {
	uint64_t bytes;      /* bytes read from the file */
	uint64_t findings;   /* findings reported */
	const char *charset; /* the charset it was decoded from */
};

/*
 * Scan fd to its end with m (match_begin() is done here with min_confidence,
 * emit and ctx). Returns 0, or ERR_IO when a read failed (errno set; what was
 * read before it was scanned and reported), ERR_UNSUPPORTED when the detected
 * charset cannot be decoded here, or ERR_NOMEM.
 */
int scanfile_fd(struct matcher *m, int fd, double min_confidence, match_emit_fn *emit, void *ctx,
                struct scanfile_result *ret);

#endif
