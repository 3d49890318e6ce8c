/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scan jobs waiting for a worker (see queue.h): a hash table by path for
 * merging, and one doubly-linked line per priority for order. Lines are
 * short (their caps are small), so finding the first ready entry walks them.
 */
#include "queue.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct entry {
	struct entry *hnext;       /* in the hash chain */
	struct entry *prev, *next; /* in its priority's line */
	enum queue_priority prio;
	int64_t ready_ms;
	int64_t first_ms; /* when it was queued: merging never defers it past QUEUE_MAX_DEFER_MS */
	uint64_t hash;
	char path[];
};

struct line {
	struct entry *head, *tail;
	size_t n, cap;
};

struct queue {
	struct entry **table;
	size_t mask;
	struct line lines[2];
};

static uint64_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int queue_new(size_t cap_new, size_t cap_backlog, struct queue **ret)
{
	struct queue *q;
	size_t size = 16;

	*ret = NULL;
	if (cap_new < 1 || cap_backlog < 1 || cap_new > (1u << 24) || cap_backlog > (1u << 24))
		return ERR_INVAL;
	while (size < 2 * (cap_new + cap_backlog))
		size *= 2;
	q = calloc(1, sizeof(*q));
	if (!q)
		return ERR_NOMEM;
	q->table = calloc(size, sizeof(*q->table));
	if (!q->table) {
		free(q);
		return ERR_NOMEM;
	}
	q->mask = size - 1;
	q->lines[QUEUE_NEW].cap = cap_new;
	q->lines[QUEUE_BACKLOG].cap = cap_backlog;
	*ret = q;
	return 0;
}

void queue_free(struct queue *q)
{
	if (!q)
		return;
	for (int p = 0; p < 2; p++) {
		struct entry *e = q->lines[p].head;
		while (e) {
			struct entry *next = e->next;
			free(e);
			e = next;
		}
	}
	free(q->table);
	free(q);
}

static struct entry **find(const struct queue *q, const char *path, uint64_t h)
{
	struct entry **pe = &q->table[h & q->mask];

	while (*pe && ((*pe)->hash != h || strcmp((*pe)->path, path) != 0))
		pe = &(*pe)->hnext;
	return pe;
}

static void line_append(struct line *l, struct entry *e)
{
	e->next = NULL;
	e->prev = l->tail;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
	l->n++;
}

static void line_remove(struct line *l, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	l->n--;
}

int queue_push(struct queue *q, const char *path, enum queue_priority prio, int64_t ready_ms)
{
	size_t len = strnlen(path, QUEUE_PATH_MAX);
	uint64_t h;
	struct entry **pe, *e;

	if (len == 0 || len >= QUEUE_PATH_MAX || (prio != QUEUE_NEW && prio != QUEUE_BACKLOG))
		return ERR_INVAL;
	h = hash_path(path);
	pe = find(q, path, h);
	if (*pe) {
		e = *pe;
		e->ready_ms = ready_ms < e->first_ms + QUEUE_MAX_DEFER_MS ? ready_ms : e->first_ms + QUEUE_MAX_DEFER_MS;
		if (prio < e->prio) {
			if (q->lines[prio].n >= q->lines[prio].cap)
				return ERR_LIMIT;
			line_remove(&q->lines[e->prio], e);
			e->prio = prio;
			line_append(&q->lines[prio], e);
		}
		return 1;
	}
	if (q->lines[prio].n >= q->lines[prio].cap)
		return ERR_LIMIT;
	e = malloc(sizeof(*e) + len + 1);
	if (!e)
		return ERR_NOMEM;
	memcpy(e->path, path, len + 1);
	e->hash = h;
	e->prio = prio;
	e->ready_ms = ready_ms;
	e->first_ms = ready_ms;
	e->hnext = NULL;
	*pe = e;
	line_append(&q->lines[prio], e);
	return 0;
}

int queue_pop(struct queue *q, int64_t now_ms, char *out, size_t size, enum queue_priority *ret_prio,
              int64_t *ret_wait_ms)
{
	int64_t wait = -1;

	for (int p = 0; p < 2; p++) {
		for (struct entry *e = q->lines[p].head; e; e = e->next) {
			if (e->ready_ms > now_ms) {
				if (wait < 0 || e->ready_ms - now_ms < wait)
					wait = e->ready_ms - now_ms;
				continue;
			}
			size_t len = strlen(e->path);
			if (len >= size)
				return 0;
			memcpy(out, e->path, len + 1);
			*ret_prio = e->prio;
			line_remove(&q->lines[p], e);
			struct entry **pe = find(q, e->path, e->hash);
			*pe = e->hnext;
			free(e);
			if (ret_wait_ms) {
				bool more = q->lines[0].n + q->lines[1].n > 0;
				*ret_wait_ms = more ? 0 : -1;
			}
			return 1;
		}
	}
	if (ret_wait_ms)
		*ret_wait_ms = wait;
	return 0;
}

size_t queue_length(const struct queue *q, enum queue_priority prio)
{
	return prio == QUEUE_NEW || prio == QUEUE_BACKLOG ? q->lines[prio].n : 0;
}

int queue_contains(const struct queue *q, const char *path)
{
	return *find(q, path, hash_path(path)) != NULL;
}
