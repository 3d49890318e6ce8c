/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's scan jobs: paths waiting for a worker. Repeated events for a
 * path merge into one entry (keeping its place in line); an entry is ready
 * at a time the caller sets (a file still being written waits until it has
 * been quiet for a while, but at most QUEUE_MAX_DEFER_MS; a closed file is
 * ready at once); new files go before the start-up and rescan backlog. Each
 * priority has its own cap, so memory stays bounded: a full queue refuses
 * the path and the caller falls back to a rescan. Single-threaded: the
 * caller locks if it shares it.
 */
#ifndef PIIGUARD_QUEUE_H
#define PIIGUARD_QUEUE_H

#include <stddef.h>
#include <stdint.h>

struct queue;

enum queue_priority {
	QUEUE_NEW,     /* a file an event named: scanned first */
	QUEUE_BACKLOG, /* found by the start-up scan or a rescan */
};

/* A file written without pause (a log, a long download) is still scanned:
 * merging never makes an entry wait longer than this after it was first
 * queued. */
#define QUEUE_MAX_DEFER_MS 10000

/* The longest path queued, with its NUL. */
#define QUEUE_PATH_MAX 4096

/* A queue holding at most cap_new new and cap_backlog backlog entries (each
 * at least 1). Returns 0, ERR_INVAL or ERR_NOMEM. */
int queue_new(size_t cap_new, size_t cap_backlog, struct queue **ret);

/* Free the queue and its entries; NULL is a no-op. */
void queue_free(struct queue *q);

/*
 * Queue path with priority prio, ready at ready_ms (a monotonic clock in
 * milliseconds). A path already queued is merged: it takes the new ready
 * time, and a new event lifts a backlog entry to QUEUE_NEW (at the end of
 * that line). Returns 0 (added), 1 (merged), ERR_LIMIT (that priority is
 * full: nothing changed), ERR_INVAL (path empty or too long) or ERR_NOMEM.
 */
int queue_push(struct queue *q, const char *path, enum queue_priority prio, int64_t ready_ms);

/*
 * Take the first ready entry (QUEUE_NEW before QUEUE_BACKLOG, oldest first)
 * at now_ms into out (size at least QUEUE_PATH_MAX) and *ret_prio. Returns 1
 * when one was taken, else 0. *ret_wait_ms (may be NULL) is set to how many
 * milliseconds until the next entry is ready: 0 after taking one (call
 * again), -1 when the
 * queue is empty.
 */
int queue_pop(struct queue *q, int64_t now_ms, char *out, size_t size, enum queue_priority *ret_prio,
              int64_t *ret_wait_ms);

/* Entries waiting with priority prio. */
size_t queue_length(const struct queue *q, enum queue_priority prio);

/* Whether path is queued (any priority). */
int queue_contains(const struct queue *q, const char *path);

#endif
