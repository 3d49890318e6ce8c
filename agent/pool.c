/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Worker processes (see pool.h). Each slot is dead, starting (waiting for its
 * hello), idle or busy with one job. Everything a worker says is checked: a
 * message of the wrong type or job, or one ipc_decode() refuses, kills it.
 * A worker that fails while starting is restarted after a growing pause, so
 * broken rules cannot make the agent spin. Backlog jobs run at nice 10 in the
 * idle I/O class; new files at the normal priority (when the agent may raise
 * it back: as root).
 */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "ipc.h"

/* A worker must say hello within this after exec (magic, rules and JIT). */
#define POOL_START_MS 15000
/* The longest pause before restarting a worker that keeps failing to start. */
#define POOL_BACKOFF_MAX_MS 5000

/* The worker is this very program under the name piiguard-worker. A package
 * builds with the installed link (/usr/lib/piiguard/piiguard-worker) so the
 * process is named after it; a build tree execs itself. */
#ifndef PIIGUARD_WORKER_PATH
#define PIIGUARD_WORKER_PATH "/proc/self/exe"
#endif

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_IDLE        (3 << IOPRIO_CLASS_SHIFT)
#define IOPRIO_NORMAL      ((2 << IOPRIO_CLASS_SHIFT) | 4)

static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

enum slot_state { SLOT_DEAD, SLOT_STARTING, SLOT_IDLE, SLOT_BUSY };

struct slot {
	enum slot_state state;
	pid_t pid;
	int sock;
	uint64_t generation; /* of the configuration it was started with */
	struct pool_job *job;
	uint64_t job_id;
	int64_t deadline_ms; /* busy: the job's budget; starting: the hello; dead: the restart */
	unsigned failures;   /* starts in a row that never said hello */
	bool background;     /* running at the backlog's priority */
	struct record_file rec;
};

struct pool {
	struct pool_config cfg;
	char rules_dir[4096];
	char confidence[32];
	bool ocr;
	char ocr_languages[64];
	char limits[160]; /* "--limits" of the workers: bytes,bytes,ratio,nesting,members,seconds */
	uint64_t generation, next_job;
	uint64_t crashed, timed_out, spawned;
	struct slot slots[LIMIT_JOBS];
};

static void set_background(struct slot *s, bool background)
{
	if (s->background == background)
		return;
	/* Raising the priority back needs CAP_SYS_NICE: without it the worker
	 * stays in the background, which costs speed, never correctness. */
	if (setpriority(PRIO_PROCESS, (id_t)s->pid, background ? 10 : 0) == 0 || background)
		s->background = background;
	syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, s->pid, background ? IOPRIO_IDLE : IOPRIO_NORMAL);
}

static void spawn(struct pool *p, struct slot *s, int64_t now_ms)
{
	static char name[] = "piiguard-worker", conf[] = "--min-confidence", rules[] = "--rules",
	            langs[] = "--ocr-languages", no_ocr[] = "--no-ocr", limits[] = "--limits";
	char *argv[12] = {name, conf, p->confidence, langs, p->ocr_languages, limits, p->limits};
	size_t argc = 7;
	int sv[2];
	pid_t pid;

	if (p->rules_dir[0]) {
		argv[argc++] = rules;
		argv[argc++] = p->rules_dir;
	}
	if (!p->ocr)
		argv[argc++] = no_ocr;
	s->state = SLOT_DEAD;
	s->deadline_ms = now_ms + POOL_BACKOFF_MAX_MS;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (sv[1] == IPC_WORKER_FD ? fcntl(sv[1], F_SETFD, 0) < 0 : dup2(sv[1], IPC_WORKER_FD) < 0)
			_exit(127);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		execv(PIIGUARD_WORKER_PATH, argv);
		_exit(127);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	s->pid = pid;
	s->sock = sv[0];
	s->state = SLOT_STARTING;
	s->generation = p->generation;
	s->deadline_ms = now_ms + POOL_START_MS;
	s->background = false;
	p->spawned++;
}

static void say(const struct pool *p, const char *msg)
{
	if (p->cfg.log)
		p->cfg.log(p->cfg.ctx, msg);
}

static void finish_job(struct pool *p, struct slot *s, const char *outcome)
{
	struct pool_job *job = s->job;

	s->job = NULL;
	if (!job)
		return;
	p->cfg.done(p->cfg.ctx, job, &s->rec, outcome);
	record_end(&s->rec);
	free(job->path);
	free(job);
}

/* Kill the slot's worker; its job, if any, ends with outcome. */
static void stop(struct pool *p, struct slot *s, const char *outcome, int64_t now_ms)
{
	if (s->state == SLOT_DEAD)
		return;
	if (s->state == SLOT_STARTING && outcome && ++s->failures == 1)
		say(p, "a scanning worker stopped before it was ready; it is restarted with growing pauses");
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(s->sock);
	s->sock = -1;
	s->pid = 0;
	s->state = SLOT_DEAD;
	if (outcome && s->job) {
		if (strcmp(outcome, "timed_out") == 0)
			p->timed_out++;
		else
			p->crashed++;
	}
	finish_job(p, s, outcome);
	unsigned shift = s->failures < 6 ? s->failures : 6;
	int64_t pause = s->failures ? (int64_t)100 << shift : 0;
	s->deadline_ms = now_ms + (pause < POOL_BACKOFF_MAX_MS ? pause : POOL_BACKOFF_MAX_MS);
}

int pool_new(const struct pool_config *cfg, struct pool **ret)
{
	struct pool *p;

	*ret = NULL;
	if (cfg->jobs < 1 || cfg->jobs > LIMIT_JOBS || !cfg->done || !cfg->key)
		return ERR_INVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return ERR_NOMEM;
	p->cfg = *cfg;
	for (unsigned i = 0; i < LIMIT_JOBS; i++) {
		p->slots[i].sock = -1;
		record_begin(&p->slots[i].rec, cfg->key);
	}
	pool_reload(p, cfg);
	*ret = p;
	return 0;
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->cfg.jobs; i++) {
		struct slot *s = &p->slots[i];
		if (s->job) {
			record_end(&s->rec);
			free(s->job->path);
			free(s->job);
			s->job = NULL;
		}
		stop(p, s, NULL, 0);
	}
	free(p);
}

int pool_has_idle(const struct pool *p)
{
	for (unsigned i = 0; i < p->cfg.jobs; i++)
		if (p->slots[i].state == SLOT_IDLE)
			return 1;
	return 0;
}

int pool_submit(struct pool *p, int fd, struct pool_job *job, int64_t now_ms)
{
	struct slot *s = NULL;
	struct ipc_msg m = {.type = IPC_SCAN};

	for (unsigned i = 0; i < p->cfg.jobs && !s; i++)
		if (p->slots[i].state == SLOT_IDLE)
			s = &p->slots[i];
	if (!s) {
		close(fd);
		return ERR_IO;
	}
	set_background(s, job->prio == QUEUE_BACKLOG);
	s->job = job;
	s->job_id = m.job = ++p->next_job;
	s->state = SLOT_BUSY;
	s->deadline_ms = now_ms + p->cfg.timeout_ms;
	record_begin(&s->rec, p->cfg.key);
	int rc = ipc_send(s->sock, &m, fd);
	close(fd);
	if (rc < 0) { /* the worker died while idle: the job goes back to the caller */
		s->job = NULL;
		record_end(&s->rec);
		stop(p, s, "worker_crashed", now_ms);
		return ERR_IO;
	}
	return 0;
}

size_t pool_pollfds(const struct pool *p, struct pollfd *fds, size_t room)
{
	size_t n = 0;

	for (unsigned i = 0; i < p->cfg.jobs && n < room; i++, n++) {
		fds[n].fd = p->slots[i].state == SLOT_DEAD ? -1 : p->slots[i].sock;
		fds[n].events = POLLIN;
		fds[n].revents = 0;
	}
	return n;
}

/* One message from a slot's worker. Returns false when the worker was stopped. */
static bool take(struct pool *p, struct slot *s, struct ipc_msg *m, int64_t now_ms)
{
	bool ours = s->state == SLOT_BUSY && m->job == s->job_id;

	switch (m->type) {
	case IPC_HELLO:
		if (s->state != SLOT_STARTING || m->version != IPC_VERSION)
			break;
		s->state = SLOT_IDLE;
		s->failures = 0;
		return true;
	case IPC_FINDING:
		if (!ours)
			break;
		record_member(&s->rec, m->member);
		record_source(&s->rec, extract_source_name((enum extract_source)m->source));
		record_value(&s->rec, m->rule, m->label, m->value, strlen(m->value), m->shown[0] ? m->shown : NULL,
		             m->confidence, m->line, m->offset);
		ipc_wipe(m);
		return true;
	case IPC_COVERAGE:
		if (!ours)
			break;
		record_coverage(&s->rec, m->member[0] ? m->member : NULL, (enum extract_coverage)m->coverage,
		                m->detail);
		return true;
	case IPC_DONE:
		if (!ours)
			break;
		finish_job(p, s, record_outcome(&s->rec, m->status));
		s->state = SLOT_IDLE;
		if (s->generation != p->generation) { /* reloaded meanwhile */
			stop(p, s, NULL, now_ms);
			spawn(p, s, now_ms);
			return false;
		}
		return true;
	case IPC_SCAN: break;
	}
	ipc_wipe(m);
	say(p, "a scanning worker sent a message out of turn: it is replaced");
	stop(p, s, "worker_crashed", now_ms);
	return false;
}

void pool_handle(struct pool *p, const struct pollfd *fds, size_t n, int64_t now_ms)
{
	for (size_t i = 0; i < n && i < p->cfg.jobs; i++) {
		struct slot *s = &p->slots[i];
		if (!fds[i].revents || s->state == SLOT_DEAD || fds[i].fd != s->sock)
			continue;
		for (;;) {
			struct ipc_msg m;
			int rc = ipc_recv(s->sock, true, &m, NULL);
			if (rc == ERR_IO && errno == EAGAIN)
				break;
			if (rc == ERR_FORMAT)
				say(p, "a scanning worker sent a malformed message: it is replaced");
			if (rc < 0) { /* gone, or said something malformed */
				stop(p, s, "worker_crashed", now_ms);
				break;
			}
			if (!take(p, s, &m, now_ms))
				break;
		}
	}
}

int64_t pool_tick(struct pool *p, int64_t now_ms)
{
	int64_t next = -1;

	for (unsigned i = 0; i < p->cfg.jobs; i++) {
		struct slot *s = &p->slots[i];
		if (s->state == SLOT_IDLE)
			continue;
		if (now_ms >= s->deadline_ms) {
			if (s->state == SLOT_BUSY)
				stop(p, s, "timed_out", now_ms);
			else if (s->state == SLOT_STARTING)
				stop(p, s, "worker_crashed", now_ms); /* no hello in time */
			else
				spawn(p, s, now_ms);
		}
		if (s->state != SLOT_IDLE) {
			int64_t wait = s->deadline_ms > now_ms ? s->deadline_ms - now_ms : 0;
			if (next < 0 || wait < next)
				next = wait;
		}
	}
	return next;
}

void pool_reload(struct pool *p, const struct pool_config *cfg)
{
	int64_t now = mono_ms();
	struct extract_limits lim = cfg->limits;

	if (lim.file_bytes == 0)
		extract_limits_default(&lim);
	snprintf(p->rules_dir, sizeof(p->rules_dir), "%s", cfg->rules_dir ? cfg->rules_dir : "");
	snprintf(p->confidence, sizeof(p->confidence), "%.6f", cfg->min_confidence);
	p->ocr = cfg->ocr;
	snprintf(p->ocr_languages, sizeof(p->ocr_languages), "%s",
	         cfg->ocr_languages && cfg->ocr_languages[0] ? cfg->ocr_languages : "vie+eng");
	snprintf(p->limits, sizeof(p->limits), "%llu,%llu,%u,%u,%u,%u", (unsigned long long)lim.file_bytes,
	         (unsigned long long)lim.expanded_bytes, lim.ratio, lim.nesting, lim.members, lim.seconds);
	p->generation++;
	for (unsigned i = 0; i < p->cfg.jobs; i++) {
		struct slot *s = &p->slots[i];
		if (s->state == SLOT_BUSY)
			continue; /* replaced when its job is done */
		stop(p, s, NULL, now);
		s->failures = 0;
		spawn(p, s, now);
	}
}

void pool_stats(const struct pool *p, struct pool_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	for (unsigned i = 0; i < p->cfg.jobs; i++) {
		ret->workers += p->slots[i].state == SLOT_IDLE || p->slots[i].state == SLOT_BUSY;
		ret->busy += p->slots[i].state == SLOT_BUSY;
	}
	ret->crashed = p->crashed;
	ret->timed_out = p->timed_out;
	ret->spawned = p->spawned;
}
