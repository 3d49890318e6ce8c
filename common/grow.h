/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A growing byte buffer for file content an extractor reassembles (LevelDB
 * records split over blocks, snappy chunks of one body): bounded by a limit
 * the caller gives, and never realloc'ed, so that no copy of the content is
 * left behind in freed memory. The owner wipes and frees it with grow_free().
 */
#ifndef PIIGUARD_GROW_H
#define PIIGUARD_GROW_H

#include <stddef.h>

struct grow {
	unsigned char *data;
	size_t len, cap;
};

/* Append p[0..n) when the result stays within limit bytes. Returns 0,
 * ERR_LIMIT (nothing appended) or ERR_NOMEM. */
int grow_append(struct grow *g, const void *p, size_t n, size_t limit);

/* Wipe and free the bytes; the buffer is empty again. NULL-safe. */
void grow_free(struct grow *g);

#endif
