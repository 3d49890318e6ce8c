/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The growing byte buffer of extractors (see grow.h): capacity doubles up to
 * the limit; moving to a larger block wipes the old one before it is freed.
 */
#include "grow.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#define GROW_FIRST 65536u /* the first block: a few log blocks or snappy chunks */

int grow_append(struct grow *g, const void *p, size_t n, size_t limit)
{
	if (n == 0)
		return 0;
	if (g->len > limit || n > limit - g->len)
		return ERR_LIMIT;
	if (n > g->cap - g->len) {
		size_t cap = g->cap ? g->cap : GROW_FIRST, len = g->len;
		unsigned char *d;
		while (cap - g->len < n && cap < limit)
			cap = cap > limit / 2 ? limit : cap * 2;
		if (cap - g->len < n)
			cap = g->len + n;
		if (!(d = malloc(cap)))
			return ERR_NOMEM;
		if (len)
			memcpy(d, g->data, len);
		grow_free(g);
		g->data = d;
		g->cap = cap;
		g->len = len;
	}
	memcpy(g->data + g->len, p, n);
	g->len += n;
	return 0;
}

void grow_free(struct grow *g)
{
	if (!g)
		return;
	if (g->data) {
		explicit_bzero(g->data, g->cap);
		free(g->data);
	}
	g->data = NULL;
	g->len = g->cap = 0;
}
