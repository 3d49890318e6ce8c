/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's scanning workers: piiguard-worker processes started with
 * fork+exec, each holding one end of a SOCK_SEQPACKET socketpair. A job is
 * an open descriptor handed over with SCM_RIGHTS; the worker's typed replies
 * are gathered into a record_file (values masked and fingerprinted here, with
 * the agent's key) until IPC_DONE. A worker that dies, sends a malformed
 * message or overruns its time budget is killed and replaced, and its job
 * ends with the outcome worker_crashed or timed_out. Driven by the agent's
 * event loop: it polls the descriptors the pool lists and calls back.
 */
#ifndef PIIGUARD_POOL_H
#define PIIGUARD_POOL_H

#include <poll.h>
#include <stdint.h>
#include <sys/stat.h>

#include "limits.h"
#include "queue.h"
#include "record.h"

struct pool;

/* One file handed to a worker; the pool owns it until the done callback. */
struct pool_job {
	char *path; /* absolute, as the store names it (owned, freed with the job) */
	struct stat st;
	int64_t opened_ns; /* wall clock when opened */
	int64_t queued_ms; /* monotonic ms when it became ready (latency figures) */
	enum queue_priority prio;
};

/* A job ended: outcome is record_outcome()'s, or "timed_out" / "worker_crashed".
 * rec holds the findings received (also for a crash: they were found). */
typedef void pool_done_fn(void *ctx, const struct pool_job *job, struct record_file *rec, const char *outcome);

struct pool_config {
	unsigned jobs;                /* workers, 1..LIMIT_JOBS */
	unsigned timeout_ms;          /* time budget per file */
	const char *rules_dir;        /* NULL: the installed or built-in rules */
	double min_confidence;        /* passed to the workers */
	bool ocr;                     /* images read by OCR (QR codes and MRZ either way) */
	const char *ocr_languages;    /* tesseract's names joined by '+'; NULL: the default */
	struct extract_limits limits; /* [limits]; all zero: the defaults */
	const unsigned char *key;     /* MASK_KEY_BYTES, the caller's, outlives the pool */
	pool_done_fn *done;
	void *ctx;
	void (*log)(void *ctx, const char *msg); /* what the agent should know (may be NULL) */
};

/* Start cfg->jobs workers (their hello arrives later). Returns 0, ERR_INVAL or ERR_NOMEM. */
int pool_new(const struct pool_config *cfg, struct pool **ret);

/* Kill and reap every worker; jobs in flight are dropped without a callback. NULL is a no-op. */
void pool_free(struct pool *p);

/* Whether a worker is ready for a job. */
int pool_has_idle(const struct pool *p);

/* Hand fd (closed here in any case) and job to an idle worker, which owns
 * the job from then on. Returns 0, or ERR_IO when there is no idle worker or
 * the worker is gone: the job is still the caller's then. */
int pool_submit(struct pool *p, int fd, struct pool_job *job, int64_t now_ms);

/* The descriptors to poll: one per worker slot (fd -1 when none) in fds[0..]
 * of room entries. Returns how many were written. */
size_t pool_pollfds(const struct pool *p, struct pollfd *fds, size_t room);

/* Handle what poll() reported on the descriptors of pool_pollfds(). */
void pool_handle(struct pool *p, const struct pollfd *fds, size_t n, int64_t now_ms);

/* Enforce time budgets and restart dead workers. Returns the milliseconds
 * until the pool needs this again, or -1 when it has nothing pending. */
int64_t pool_tick(struct pool *p, int64_t now_ms);

/* Replace every worker with one started with cfg's rules, confidence, OCR
 * settings and limits (a reload; the other fields of cfg are not used): idle
 * workers at once, busy ones when their job ends. */
void pool_reload(struct pool *p, const struct pool_config *cfg);

struct pool_stats {
	unsigned workers, busy;
	uint64_t crashed, timed_out, spawned;
};
void pool_stats(const struct pool *p, struct pool_stats *ret);

#endif
