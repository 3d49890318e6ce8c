/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard watch (piiguardd): the agent. One event loop polls inotify (watch.c),
 * the workers' sockets (pool.c), signals, the control socket and the rescan
 * thread's wake-ups; a file named by an event is queued (queue.c), opened
 * here without following links, and handed to a sandboxed worker as a
 * descriptor; its findings are masked, fingerprinted and recorded here
 * (record.c), where the key stays. The start-up scan and periodic rescans
 * walk the roots in a thread at nice 10 in the idle I/O class and queue only
 * files the store does not prove unchanged. Under systemd it reports READY,
 * STATUS and WATCHDOG; SIGHUP reloads the configuration and the rules;
 * SIGTERM stops it within a second. It never parses a file itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/openat2.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "control.h"
#include "error.h"
#include "forward.h"
#include "fsafe.h"
#include "mask.h"
#include "notify.h"
#include "pool.h"
#include "queue.h"
#include "record.h"
#include "roots.h"
#include "store.h"
#include "text.h"
#include "watch.h"

/* A file still being written is scanned once it has been quiet this long. */
#define WATCH_SETTLE_MS 150
/* Backlog entries waiting for a worker: the rescan thread waits for room. */
#define WATCH_BACKLOG_CAP 256
/* Roots out of inotify watches are rescanned at least this often. */
#define WATCH_LIMITED_RESCAN_S 300
/* Roots given with --root, and roots from patterns. */
#define WATCH_ROOTS_MAX 1024
/* Close-to-commit latencies kept for the status (the last ones). */
#define WATCH_LATENCIES 1024

struct agent {
	/* options */
	const char *config_path, *rules_dir, *store_opt, *key_opt;
	const char *cli_roots[64];
	unsigned n_cli_roots;
	unsigned opt_jobs, opt_queue, opt_timeout, opt_rescan; /* 0: from the configuration */
	bool opt_rescan_given;
	struct config cfg;

	unsigned char key[MASK_KEY_BYTES];
	struct store *store;
	int64_t scan_id;
	struct forward *fw;
	struct pool *pool;
	struct watch *watch;
	struct queue *queue;
	pthread_mutex_t qlock;
	pthread_cond_t qspace;
	int64_t queue_wait; /* ms until a debounced entry is ready, -1: none */

	char own_store[4096], own_key[4096]; /* absolute: never scanned, or each commit would be an event */
	char **roots;                        /* the roots being watched (absolute) */
	size_t n_roots;

	int sigfd, evfd, ctlfd;
	char ctl_path[108];

	/* the rescan thread */
	pthread_t rescan_thread;
	bool rescan_running, rescan_again;
	atomic_bool rescan_stop, rescan_finished;
	char **rescan_roots;
	size_t n_rescan_roots;
	atomic_uint_fast64_t skipped;

	/* figures for the status */
	unsigned jobs, queue_limit, file_seconds, rescan_seconds;
	uint64_t files, findings, store_errors, overflows, rescans;
	int64_t last_file_at, last_rescan_at; /* unix seconds, 0: never */
	int64_t next_rescan_ms, next_watchdog_ms;
	uint64_t watchdog_usec;
	uint32_t latency[WATCH_LATENCIES];
	size_t n_latency, latency_pos;
	bool overflow_logged;
	bool stop;
};

static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int64_t wall_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void agent_log(void *ctx, const char *msg)
{
	(void)ctx;
	cli_error("%s", msg);
}

/* Open a file to scan: no link anywhere in its path, not blocking on a FIFO,
 * a regular file. Returns the descriptor or -1 (errno). */
static int open_file(const char *path, struct stat *st)
{
	struct open_how how = {
	        .flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
	        .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS) {
		int r = fsafe_open(AT_FDCWD, path, st);
		return r < 0 ? -1 : r;
	}
	if (fd < 0)
		return -1;
	if (fstat((int)fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close((int)fd);
		errno = EINVAL;
		return -1;
	}
	return (int)fd;
}

/* --- the queue, shared with the rescan thread ------------------------------------ */

/* The absolute form of path: its folder resolved, its name kept. */
static void absolute(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	char *real = realpath(dir, NULL);
	snprintf(out, size, "%s/%s", real && strcmp(real, "/") != 0 ? real : "", slash ? slash + 1 : path);
	free(real);
}

/* The agent's own store (with its -wal, -shm and -journal) and key. */
static bool own_file(const struct agent *a, const char *path)
{
	size_t n = strlen(a->own_store);

	return (n && strncmp(path, a->own_store, n) == 0) || strcmp(path, a->own_key) == 0;
}

static void on_event_file(void *ctx, const char *path, bool writing)
{
	struct agent *a = ctx;
	int64_t now = mono_ms();

	if (own_file(a, path))
		return;
	pthread_mutex_lock(&a->qlock);
	int rc = queue_push(a->queue, path, QUEUE_NEW, writing ? now + WATCH_SETTLE_MS : now);
	pthread_mutex_unlock(&a->qlock);
	if (rc == ERR_LIMIT) {
		/* The file is not lost: the rescan that follows finds it. */
		a->overflows++;
		if (!a->overflow_logged)
			cli_error("more than %u files waiting: rescanning instead of queueing", a->queue_limit);
		a->overflow_logged = true;
		a->rescan_again = true;
	}
}

static void rescan_start(struct agent *a);

static void on_rescan(void *ctx, const char *root)
{
	struct agent *a = ctx;

	(void)root; /* every root: a lost event may concern any */
	a->rescan_again = true;
	rescan_start(a);
}

/* The rescan never opens the agent's own store: closing a descriptor of it
 * would drop the store's locks. */
static bool walk_skip(const char *path, void *ctx)
{
	return own_file(ctx, path);
}

static int walk_file(int fd, const char *path, const struct stat *st, void *ctx)
{
	struct agent *a = ctx;
	bool unchanged = false;

	close(fd);
	if (atomic_load(&a->rescan_stop))
		return 1;
	if (watch_excluded(a->watch, path))
		return 0;
	if (store_file_unchanged(a->store, path, st, &unchanged) == 0 && unchanged) {
		atomic_fetch_add(&a->skipped, 1);
		return 0;
	}
	pthread_mutex_lock(&a->qlock);
	while (queue_push(a->queue, path, QUEUE_BACKLOG, mono_ms()) == ERR_LIMIT && !atomic_load(&a->rescan_stop))
		pthread_cond_wait(&a->qspace, &a->qlock);
	pthread_mutex_unlock(&a->qlock);
	uint64_t one = 1;
	if (write(a->evfd, &one, sizeof(one)) < 0) {
		/* the counter is full: the loop is awake anyway */
	}
	return 0;
}

static void walk_error(const char *path, int err, const char *what, void *ctx)
{
	(void)path;
	(void)err;
	(void)what;
	(void)ctx; /* a folder that vanished or cannot be read: the next rescan tries again */
}

static void *rescan_main(void *arg)
{
	struct agent *a = arg;
	uint64_t one = 1;

	/* Background work: below every interactive program, reading only when
	 * the disk is idle. */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	syscall(SYS_ioprio_set, 1, gettid(), 3 << 13);
	for (size_t i = 0; i < a->n_rescan_roots && !atomic_load(&a->rescan_stop); i++)
		fsafe_walk_skipping(a->rescan_roots[i], walk_skip, walk_file, walk_error, a);
	atomic_store(&a->rescan_finished, true);
	if (write(a->evfd, &one, sizeof(one)) < 0) {
		/* as above */
	}
	return NULL;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Start a rescan of every root unless one runs (then another follows it). */
static void rescan_start(struct agent *a)
{
	if (a->rescan_running || !a->rescan_again || a->stop)
		return;
	a->rescan_again = false;
	a->overflow_logged = false;
	a->rescan_roots = calloc(a->n_roots ? a->n_roots : 1, sizeof(char *));
	if (!a->rescan_roots)
		return;
	a->n_rescan_roots = 0;
	for (size_t i = 0; i < a->n_roots; i++) {
		struct stat st;
		if (lstat(a->roots[i], &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		char *copy = strdup(a->roots[i]);
		if (copy)
			a->rescan_roots[a->n_rescan_roots++] = copy;
	}
	atomic_store(&a->rescan_stop, false);
	atomic_store(&a->rescan_finished, false);
	if (pthread_create(&a->rescan_thread, NULL, rescan_main, a) != 0) {
		free_list(a->rescan_roots, a->n_rescan_roots);
		a->rescan_roots = NULL;
		a->rescan_again = true; /* try at the next tick */
		return;
	}
	a->rescan_running = true;
	a->rescans++;
}

static void rescan_join(struct agent *a, bool stop)
{
	if (!a->rescan_running)
		return;
	if (stop) {
		pthread_mutex_lock(&a->qlock);
		atomic_store(&a->rescan_stop, true);
		pthread_cond_broadcast(&a->qspace);
		pthread_mutex_unlock(&a->qlock);
	}
	pthread_join(a->rescan_thread, NULL);
	a->rescan_running = false;
	free_list(a->rescan_roots, a->n_rescan_roots);
	a->rescan_roots = NULL;
	a->n_rescan_roots = 0;
	if (!stop)
		a->last_rescan_at = time(NULL);
}

/* --- scanning ------------------------------------------------------------------ */

static void on_done(void *ctx, const struct pool_job *job, struct record_file *rec, const char *outcome)
{
	struct agent *a = ctx;
	struct record_counts c = {0};

	record_commit(rec, a->store, a->fw, a->scan_id, job->path, &job->st, job->opened_ns, outcome, NULL, NULL, &c);
	a->files++;
	a->findings += c.reported;
	a->store_errors += c.store_errors;
	a->last_file_at = time(NULL);
	if (strcmp(outcome, "worker_crashed") == 0)
		cli_path_error(job->path, "the scanning worker crashed on this file; recorded as worker_crashed");
	else if (strcmp(outcome, "timed_out") == 0)
		cli_path_error(job->path, "the scanning worker ran out of time on this file; recorded as timed_out");
	if (c.store_errors)
		cli_path_error(job->path, "cannot record the scan in the store");
	if (c.fresh && a->cfg.watch_notify)
		notify_user(job->st.st_uid, job->path, time(NULL));
	if (job->prio == QUEUE_NEW) {
		/* From the file's last write (its close, near enough) to now. */
		int64_t mtime_ns = (int64_t)job->st.st_mtim.tv_sec * 1000000000LL + job->st.st_mtim.tv_nsec;
		int64_t ms = (wall_ns() - mtime_ns) / 1000000;
		if (ms >= 0 && ms < 60000) {
			a->latency[a->latency_pos] = (uint32_t)ms;
			a->latency_pos = (a->latency_pos + 1) % WATCH_LATENCIES;
			if (a->n_latency < WATCH_LATENCIES)
				a->n_latency++;
		}
	}
}

/* A file the agent cannot open (err): logged, and recorded "unreadable". */
static void record_unreadable(struct agent *a, const char *path, int err)
{
	struct record_file rec;
	struct record_counts c = {0};
	struct stat st;

	cli_path_error(path, strerror(err));
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	record_begin(&rec, a->key);
	record_commit(&rec, a->store, a->fw, a->scan_id, path, &st, wall_ns(), "unreadable", NULL, NULL, &c);
	record_end(&rec);
	a->files++;
}

/* Hand ready files to idle workers. */
static void dispatch(struct agent *a)
{
	char path[QUEUE_PATH_MAX];
	enum queue_priority prio;

	a->queue_wait = -1;
	while (pool_has_idle(a->pool)) {
		int64_t now = mono_ms();
		pthread_mutex_lock(&a->qlock);
		int got = queue_pop(a->queue, now, path, sizeof(path), &prio, &a->queue_wait);
		if (got)
			pthread_cond_signal(&a->qspace);
		pthread_mutex_unlock(&a->qlock);
		if (!got)
			break;
		struct stat st;
		int fd = open_file(path, &st);
		if (fd < 0) {
			/* Gone, replaced by a link or a special file: nothing to read.
			 * A file that is there but cannot be read is recorded so. */
			if (errno != ENOENT && errno != ELOOP && errno != EINVAL && errno != EXDEV && errno != ENOTDIR)
				record_unreadable(a, path, errno);
			continue;
		}
		struct pool_job *job = calloc(1, sizeof(*job));
		if (!job || !(job->path = strdup(path))) {
			free(job);
			close(fd);
			cli_path_error(path, "not scanned: out of memory");
			continue;
		}
		job->st = st;
		job->opened_ns = wall_ns();
		job->queued_ms = now;
		job->prio = prio;
		if (pool_submit(a->pool, fd, job, now) < 0) {
			/* The worker died between its last answer and this job: try
			 * again with the next one. */
			pthread_mutex_lock(&a->qlock);
			if (queue_push(a->queue, job->path, prio, now) == ERR_LIMIT)
				a->rescan_again = true;
			pthread_mutex_unlock(&a->qlock);
			free(job->path);
			free(job);
		}
	}
}

/* --- roots -------------------------------------------------------------------------- */

struct root_list {
	char **v;
	size_t n;
};

static void add_root(const char *path, void *ctx)
{
	struct root_list *l = ctx;

	if (l->n >= WATCH_ROOTS_MAX || path[0] != '/')
		return;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], path) == 0)
			return;
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	char *copy = strndup(path, len);
	if (copy)
		l->v[l->n++] = copy;
}

/* The roots: --root folders (made absolute), else the configured patterns. */
static int compute_roots(struct agent *a, struct root_list *l)
{
	l->n = 0;
	l->v = calloc(WATCH_ROOTS_MAX, sizeof(char *));
	if (!l->v)
		return ERR_NOMEM;
	if (a->n_cli_roots == 0)
		return roots_expand((const char(*)[CONFIG_PATTERN_MAX])a->cfg.watch_roots, a->cfg.n_watch_roots,
		                    add_root, l);
	for (unsigned i = 0; i < a->n_cli_roots; i++) {
		char abs[4096], cwd[4096];
		const char *r = a->cli_roots[i];
		if (realpath(r, abs))
			add_root(abs, l);
		else if (r[0] == '/')
			add_root(r, l);
		else if (getcwd(cwd, sizeof(cwd)) && snprintf(abs, sizeof(abs), "%s/%s", cwd, r) < (int)sizeof(abs))
			add_root(abs, l);
	}
	return 0;
}

static int apply_roots(struct agent *a)
{
	struct root_list l;

	if (compute_roots(a, &l) < 0)
		return ERR_NOMEM;
	free_list(a->roots, a->n_roots);
	a->roots = l.v;
	a->n_roots = l.n;
	return watch_set_roots(a->watch, a->roots, a->n_roots);
}

static int start_watch(struct agent *a)
{
	const struct watch_callbacks cb = {.file = on_event_file, .rescan = on_rescan, .log = agent_log};

	watch_free(a->watch);
	a->watch = NULL;
	if (watch_new((const char(*)[CONFIG_PATTERN_MAX])a->cfg.watch_excludes, a->cfg.n_watch_excludes, &cb, a,
	              &a->watch) < 0) {
		cli_error("cannot watch files (inotify): %s", strerror(errno));
		return -1;
	}
	/* Tests only (with the workers' hooks): a watch limit without touching the
	 * system's fs.inotify.max_user_watches. */
	const char *hooks = secure_getenv("PIIGUARD_TEST_HOOKS"), *max = secure_getenv("PIIGUARD_TEST_MAX_WATCHES");
	if (hooks && strcmp(hooks, "1") == 0 && max)
		watch_limit(a->watch, strtoul(max, NULL, 10));
	if (apply_roots(a) < 0) {
		cli_error("out of memory");
		return -1;
	}
	return 0;
}

/* --- status ------------------------------------------------------------------------- */

struct status_buf {
	char *p;
	size_t len, size;
};

static void put(struct status_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct status_buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->len >= b->size)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->size ? b->len + (size_t)n : b->size - 1;
}

static void put_time(struct status_buf *b, const char *key, int64_t t)
{
	char when[32];
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == 0) {
		put(b, "%s: never\n", key);
		return;
	}
	gmtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	put(b, "%s: %s\n", key, when);
}

struct root_counts {
	struct status_buf *b;
	unsigned watched, waiting, limited;
};

static void put_root(void *ctx, const char *path, enum watch_root_state state)
{
	struct root_counts *rc = ctx;
	char esc[4096];
	static const char *const names[] = {
	        [WATCH_ROOT_WATCHED] = "watched", [WATCH_ROOT_WAITING] = "waiting", [WATCH_ROOT_LIMITED] = "limited"};

	text_escape(path, strlen(path), esc, sizeof(esc));
	if (state == WATCH_ROOT_WATCHED)
		rc->watched++;
	else if (state == WATCH_ROOT_WAITING)
		rc->waiting++;
	else
		rc->limited++;
	if (rc->b)
		put(rc->b, "root: %s (%s)\n", esc, names[state]);
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static void status_text(struct agent *a, char *out, size_t size)
{
	struct status_buf b = {.p = out, .size = size};
	struct pool_stats ps;
	struct root_counts rc = {.b = NULL};
	size_t qn, qb;

	out[0] = '\0';
	pool_stats(a->pool, &ps);
	pthread_mutex_lock(&a->qlock);
	qn = queue_length(a->queue, QUEUE_NEW);
	qb = queue_length(a->queue, QUEUE_BACKLOG);
	pthread_mutex_unlock(&a->qlock);
	watch_roots(a->watch, put_root, &rc);
	put(&b, "state: %s\n", a->rescan_running ? "rescanning" : ps.busy || qn || qb ? "scanning" : "idle");
	put(&b, "pid: %ld\n", (long)getpid());
	put(&b, "roots: %zu (%u watched, %u waiting, %u limited)\n", a->n_roots, rc.watched, rc.waiting, rc.limited);
	rc.b = &b;
	watch_roots(a->watch, put_root, &rc);
	put(&b, "folders watched: %zu\n", watch_count(a->watch));
	put(&b, "queue: %zu new, %zu backlog\n", qn, qb);
	put(&b, "workers: %u (%u busy), %llu crashed, %llu timed out\n", ps.workers, ps.busy,
	    (unsigned long long)ps.crashed, (unsigned long long)ps.timed_out);
	put(&b, "files scanned: %llu\n", (unsigned long long)a->files);
	put(&b, "files unchanged: %llu\n", (unsigned long long)atomic_load(&a->skipped));
	put(&b, "findings: %llu\n", (unsigned long long)a->findings);
	put(&b, "queue overflows: %llu\n", (unsigned long long)a->overflows);
	put(&b, "rescans: %llu\n", (unsigned long long)a->rescans);
	put_time(&b, "last scan", a->last_file_at);
	put_time(&b, "last rescan", a->last_rescan_at);
	if (a->n_latency) {
		uint32_t v[WATCH_LATENCIES];
		memcpy(v, a->latency, a->n_latency * sizeof(v[0]));
		qsort(v, a->n_latency, sizeof(v[0]), cmp_u32);
		put(&b, "latency ms: p50 %u, p99 %u over %zu files\n", v[a->n_latency / 2],
		    v[(a->n_latency * 99) / 100 < a->n_latency ? (a->n_latency * 99) / 100 : a->n_latency - 1],
		    a->n_latency);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	put(&b, "max rss kib: %ld\n", ru.ru_maxrss);
}

static void serve_control(struct agent *a)
{
	for (;;) {
		long refused;
		int fd = control_accept(a->ctlfd, &refused);
		if (fd < 0) {
			if (refused != -1)
				cli_error("status refused to uid %ld (not root, the agent's user or group %s)", refused,
				          "piiguard");
			return;
		}
		char text[16384];
		status_text(a, text, sizeof(text));
		size_t len = strlen(text);
		for (size_t off = 0; off < len;) {
			ssize_t n = write(fd, text + off, len - off);
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		close(fd);
	}
}

static void notify_status(struct agent *a)
{
	struct root_counts rc = {0};

	watch_roots(a->watch, put_root, &rc);
	sd_notifyf(0, "STATUS=watching %u roots (%u waiting), %llu files scanned, %llu findings", rc.watched,
	           rc.waiting, (unsigned long long)a->files, (unsigned long long)a->findings);
}

/* --- configuration ------------------------------------------------------------------ */

static void settle_numbers(struct agent *a)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned jobs = a->opt_jobs ? a->opt_jobs : a->cfg.watch_jobs;

	if (!jobs)
		jobs = cpus < 1 ? 1 : cpus > 4 ? 4 : (unsigned)cpus;
	a->jobs = jobs;
	a->queue_limit = a->opt_queue ? a->opt_queue : a->cfg.watch_queue_limit;
	a->file_seconds = a->opt_timeout ? a->opt_timeout : a->cfg.watch_file_seconds;
	a->rescan_seconds = a->opt_rescan_given ? a->opt_rescan : a->cfg.watch_rescan_seconds;
}

static int64_t rescan_interval_ms(struct agent *a)
{
	struct root_counts rc = {0};
	unsigned s = a->rescan_seconds;

	watch_roots(a->watch, put_root, &rc);
	if (rc.limited && (s == 0 || s > WATCH_LIMITED_RESCAN_S))
		s = WATCH_LIMITED_RESCAN_S;
	if (rc.waiting && (s == 0 || s > WATCH_LIMITED_RESCAN_S))
		s = WATCH_LIMITED_RESCAN_S; /* patterns may match something new */
	return s ? (int64_t)s * 1000 : -1;
}

static void reload(struct agent *a)
{
	struct config *cfg = malloc(sizeof(*cfg));
	struct rules *rules = NULL;

	cli_error("reloading the configuration and the rules");
	if (!cfg || cli_load_config(a->config_path, cfg) < 0) {
		cli_error("reload: keeping the running configuration");
		free(cfg);
		return;
	}
	if (cli_load_rules(a->rules_dir, false, &rules) < 0) {
		cli_error("reload: the rules have errors; keeping the running ones");
		free(cfg);
		return;
	}
	rules_free(rules);
	a->cfg = *cfg;
	free(cfg);
	settle_numbers(a);
	const struct pool_config scan = {
	        .rules_dir = a->rules_dir,
	        .min_confidence = a->cfg.min_confidence,
	        .ocr = a->cfg.ocr,
	        .ocr_languages = a->cfg.ocr_languages,
	        .limits = a->cfg.limits,
	};
	pool_reload(a->pool, &scan);
	rescan_join(a, true);
	if (start_watch(a) < 0) {
		a->stop = true;
		return;
	}
	a->rescan_again = true;
	rescan_start(a);
	int64_t iv = rescan_interval_ms(a);
	a->next_rescan_ms = iv > 0 ? mono_ms() + iv : -1;
}

/* --- options ------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: piiguard watch [OPTIONS]   (or: piiguardd [OPTIONS])\n"
	      "\n"
	      "Run the agent in the foreground: watch the configured folders, scan each\n"
	      "file when it is written, in sandboxed worker processes, and record the\n"
	      "findings, masked, in the store.\n"
	      "\n"
	      "  --root DIR               watch DIR instead of the configured roots (repeatable)\n"
	      "  --jobs N                 worker processes (default: [watch] jobs, else CPUs up to 4)\n"
	      "  --queue-limit N          new files waiting before falling back to a rescan\n"
	      "  --file-timeout SECONDS   time budget per file\n"
	      "  --rescan-interval SECONDS  periodic rescan (0: none)\n"
	      "  --rules DIR              rule files instead of the installed ones\n"
	      "  --store PATH             the findings store\n"
	      "  --key-file FILE          fingerprint key (default: 'key' beside the store)\n"
	      "  -c, --config FILE        configuration file (default: /etc/piiguard/piiguard.conf)\n"
	      "  --check-config           check the configuration and the rules, then exit\n"
	      "\n"
	      "SIGHUP reloads the configuration and the rules; SIGTERM stops. 'piiguard\n"
	      "status' shows what the agent is doing.\n",
	      f);
}

static int parse_count(const char *name, const char *text, unsigned min, unsigned max, unsigned *ret)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (*end || end == text || v < (long)min || v > (long)max) {
		cli_error("%s must be a whole number from %u to %u", name, min, max);
		return -1;
	}
	*ret = (unsigned)v;
	return 0;
}

/* Returns 0, 1 (done: --help, --version, --check-config) or -1. */
static int parse_options(int argc, char **argv, struct agent *a, bool *check)
{
	enum {
		OPT_ROOT = 256,
		OPT_JOBS,
		OPT_QUEUE,
		OPT_TIMEOUT,
		OPT_RESCAN,
		OPT_RULES,
		OPT_STORE,
		OPT_KEY,
		OPT_CHECK,
		OPT_VERSION
	};
	static const struct option opts[] = {
	        {"root", required_argument, NULL, OPT_ROOT},
	        {"jobs", required_argument, NULL, OPT_JOBS},
	        {"queue-limit", required_argument, NULL, OPT_QUEUE},
	        {"file-timeout", required_argument, NULL, OPT_TIMEOUT},
	        {"rescan-interval", required_argument, NULL, OPT_RESCAN},
	        {"rules", required_argument, NULL, OPT_RULES},
	        {"store", required_argument, NULL, OPT_STORE},
	        {"key-file", required_argument, NULL, OPT_KEY},
	        {"config", required_argument, NULL, 'c'},
	        {"check-config", no_argument, NULL, OPT_CHECK},
	        {"foreground", no_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, OPT_VERSION},
	        {0, 0, 0, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:fh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT:
			if (a->n_cli_roots >= sizeof(a->cli_roots) / sizeof(a->cli_roots[0])) {
				cli_error("at most 64 --root options");
				return -1;
			}
			a->cli_roots[a->n_cli_roots++] = optarg;
			break;
		case OPT_JOBS:
			if (parse_count("--jobs", optarg, 1, LIMIT_JOBS, &a->opt_jobs) < 0)
				return -1;
			break;
		case OPT_QUEUE:
			if (parse_count("--queue-limit", optarg, 1, 1000000, &a->opt_queue) < 0)
				return -1;
			break;
		case OPT_TIMEOUT:
			if (parse_count("--file-timeout", optarg, 1, 3600, &a->opt_timeout) < 0)
				return -1;
			break;
		case OPT_RESCAN:
			if (parse_count("--rescan-interval", optarg, 0, 604800, &a->opt_rescan) < 0)
				return -1;
			a->opt_rescan_given = true;
			break;
		case OPT_RULES: a->rules_dir = optarg; break;
		case OPT_STORE: a->store_opt = optarg; break;
		case OPT_KEY: a->key_opt = optarg; break;
		case 'c': a->config_path = optarg; break;
		case OPT_CHECK: *check = true; break;
		case 'f': break; /* always in the foreground */
		case 'h': usage(stdout); return 1;
		case OPT_VERSION: cli_version(); return 1;
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		cli_error("watch takes no PATH: use --root DIR");
		return -1;
	}
	return 0;
}

static int open_outputs(struct agent *a)
{
	char store[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX + 8];

	if (cli_store_path(a->store_opt, &a->cfg, store, sizeof(store)) < 0)
		return -1;
	cli_key_path(a->key_opt, &a->cfg, store, key, sizeof(key));
	if (cli_load_key(key, a->key) < 0)
		return -1;
	if (cli_open_store(store, &a->store) < 0)
		return -1;
	absolute(store, a->own_store, sizeof(a->own_store));
	absolute(key, a->own_key, sizeof(a->own_key));
	if (store_scan_begin(a->store, "watch", &a->scan_id) < 0) {
		cli_path_error(store, "cannot record the scan");
		return -1;
	}
	if (forward_open(&a->cfg, &a->fw) < 0) {
		cli_error("cannot forward to syslog address \"%s\"", a->cfg.syslog);
		return -1;
	}
	return 0;
}

static int setup_signals(struct agent *a)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	a->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return a->sigfd < 0 ? -1 : 0;
}

static void handle_signals(struct agent *a)
{
	struct signalfd_siginfo si;

	while (read(a->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			sd_notify(0, "RELOADING=1");
			reload(a);
			sd_notify(0, "READY=1");
		} else {
			a->stop = true;
		}
	}
}

static int min_wait(int64_t a, int64_t b)
{
	int64_t m = a < 0 ? b : b < 0 ? a : a < b ? a : b;
	return m < 0 ? -1 : m > INT32_MAX ? INT32_MAX : (int)m;
}

static void run_loop(struct agent *a)
{
	struct pollfd fds[5 + LIMIT_JOBS];

	while (!a->stop) {
		int64_t now = mono_ms();
		dispatch(a);
		int64_t wait = a->queue_wait;
		int64_t pw = pool_tick(a->pool, now);
		if (pw >= 0 && (wait < 0 || pw < wait))
			wait = pw;
		if (a->next_rescan_ms >= 0)
			wait = min_wait(wait, a->next_rescan_ms > now ? a->next_rescan_ms - now : 0);
		if (a->watchdog_usec)
			wait = min_wait(wait, a->next_watchdog_ms > now ? a->next_watchdog_ms - now : 0);
		fds[0] = (struct pollfd){.fd = a->sigfd, .events = POLLIN};
		fds[1] = (struct pollfd){.fd = watch_fd(a->watch), .events = POLLIN};
		fds[2] = (struct pollfd){.fd = a->evfd, .events = POLLIN};
		fds[3] = (struct pollfd){.fd = a->ctlfd, .events = POLLIN};
		size_t np = pool_pollfds(a->pool, fds + 4, LIMIT_JOBS);
		int n = poll(fds, 4 + np, min_wait(wait, -1));
		if (n < 0 && errno != EINTR)
			break;
		now = mono_ms();
		if (n > 0) {
			pool_handle(a->pool, fds + 4, np, now);
			if (fds[0].revents)
				handle_signals(a);
			if (a->stop)
				break;
			if (fds[1].revents)
				watch_handle(a->watch);
			if (fds[3].revents)
				serve_control(a);
			if (fds[2].revents) {
				uint64_t v;
				if (read(a->evfd, &v, sizeof(v)) < 0) {
					/* spurious: nothing to take */
				}
			}
		}
		if (a->rescan_running && atomic_load(&a->rescan_finished)) {
			rescan_join(a, false);
			notify_status(a);
		}
		if (a->rescan_again)
			rescan_start(a);
		if (a->next_rescan_ms >= 0 && now >= a->next_rescan_ms) {
			if (a->n_cli_roots == 0) { /* patterns may now match new users or profiles */
				rescan_join(a, true);
				apply_roots(a);
			} else {
				watch_refresh(a->watch);
			}
			a->rescan_again = true;
			rescan_start(a);
			int64_t iv = rescan_interval_ms(a);
			a->next_rescan_ms = iv > 0 ? now + iv : -1;
		}
		if (a->watchdog_usec && now >= a->next_watchdog_ms) {
			sd_notify(0, "WATCHDOG=1");
			a->next_watchdog_ms = now + (int64_t)(a->watchdog_usec / 2000);
		}
	}
}

/* Start everything and run until SIGTERM; cmd_watch() cleans up. */
static int agent_run(struct agent *a)
{
	settle_numbers(a);
	if (open_outputs(a) < 0 || setup_signals(a) < 0)
		return CLI_EXIT_ERROR;
	if (control_path(a->ctl_path, sizeof(a->ctl_path)) == 0) {
		a->ctlfd = control_listen(a->ctl_path);
		if (a->ctlfd < 0 && errno == EADDRINUSE) {
			cli_path_error(a->ctl_path, "another piiguard agent is running (it answers here)");
			a->ctl_path[0] = '\0';
			return CLI_EXIT_ERROR;
		}
		if (a->ctlfd < 0) {
			cli_path_error(a->ctl_path, "cannot listen for piiguard status");
			a->ctl_path[0] = '\0';
		}
	}
	a->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (a->evfd < 0 || queue_new(a->queue_limit, WATCH_BACKLOG_CAP, &a->queue) < 0) {
		cli_error("out of memory");
		return CLI_EXIT_ERROR;
	}
	const struct pool_config pc = {
	        .jobs = a->jobs,
	        .timeout_ms = a->file_seconds * 1000,
	        .rules_dir = a->rules_dir,
	        .min_confidence = a->cfg.min_confidence,
	        .ocr = a->cfg.ocr,
	        .ocr_languages = a->cfg.ocr_languages,
	        .limits = a->cfg.limits,
	        .key = a->key,
	        .done = on_done,
	        .log = agent_log,
	        .ctx = a,
	};
	if (pool_new(&pc, &a->pool) < 0) {
		cli_error("cannot start the scanning workers");
		return CLI_EXIT_ERROR;
	}
	if (start_watch(a) < 0)
		return CLI_EXIT_ERROR;
	a->watchdog_usec = 0;
	if (sd_watchdog_enabled(0, &a->watchdog_usec) <= 0)
		a->watchdog_usec = 0;
	a->next_watchdog_ms = mono_ms();
	int64_t iv = rescan_interval_ms(a);
	a->next_rescan_ms = iv > 0 ? mono_ms() + iv : -1;
	a->rescan_again = true; /* the start-up scan */
	rescan_start(a);
	sd_notify(0, "READY=1");
	notify_status(a);
	run_loop(a);
	sd_notify(0, "STOPPING=1");
	return CLI_EXIT_CLEAN;
}

int cmd_watch(int argc, char **argv)
{
	struct agent *a = calloc(1, sizeof(*a));
	struct rules *rules = NULL;
	bool check = false;
	int rc = CLI_EXIT_ERROR;

	if (!a) {
		cli_error("out of memory");
		return CLI_EXIT_ERROR;
	}
	a->sigfd = a->evfd = a->ctlfd = -1;
	pthread_mutex_init(&a->qlock, NULL);
	pthread_cond_init(&a->qspace, NULL);
	int r = parse_options(argc, argv, a, &check);
	if (r != 0) {
		rc = r > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
		goto out;
	}
	if (cli_load_config(a->config_path, &a->cfg) < 0)
		goto out;
	if (cli_load_rules(a->rules_dir, false, &rules) < 0) {
		cli_error("cannot load the detection rules");
		goto out;
	}
	rules_free(rules);
	if (check) {
		printf("configuration and rules: OK\n");
		rc = CLI_EXIT_CLEAN;
		goto out;
	}
	rc = agent_run(a);
out:
	rescan_join(a, true);
	pool_free(a->pool);
	if (a->store) {
		struct store_scan_counts counts = {
		        .files = a->files, .skipped = atomic_load(&a->skipped), .findings = a->findings};
		store_scan_end(a->store, a->scan_id, &counts);
	}
	watch_free(a->watch);
	queue_free(a->queue);
	free_list(a->roots, a->n_roots);
	if (a->ctlfd >= 0) {
		close(a->ctlfd);
		unlink(a->ctl_path);
	}
	if (a->sigfd >= 0)
		close(a->sigfd);
	if (a->evfd >= 0)
		close(a->evfd);
	forward_close(a->fw);
	store_close(a->store);
	explicit_bzero(a->key, sizeof(a->key));
	free(a);
	return rc;
}
