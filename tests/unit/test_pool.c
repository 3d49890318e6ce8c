/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of pool.c against fake workers: the pool starts workers by
 * executing /proc/self/exe as "piiguard-worker", so this test program is its
 * own fake worker, whose behaviour FAKE_WORKER picks. A good worker's
 * finding is masked and fingerprinted with the agent's key; a worker that
 * answers with garbage, names another job, says hello in another version,
 * or overruns its time budget is killed and replaced, and its job ends as
 * worker_crashed or timed_out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipc.h"
#include "pool.h"

/* --- the fake worker ------------------------------------------------------------ */

static void fake_send(const struct ipc_msg *m)
{
	if (ipc_send(IPC_WORKER_FD, m, -1) < 0)
		_exit(1);
}

static int fake_worker(void)
{
	const char *mode = getenv("FAKE_WORKER");
	struct ipc_msg m = {.type = IPC_HELLO, .version = IPC_VERSION}, in;

	if (!mode)
		return 1;
	if (strcmp(mode, "old-version") == 0)
		m.version = IPC_VERSION + 1;
	fake_send(&m);
	for (;;) {
		int fd = -1;
		if (ipc_recv(IPC_WORKER_FD, false, &in, &fd) < 0)
			return 0;
		close(fd);
		if (strcmp(mode, "hang") == 0)
			pause();
		if (strcmp(mode, "garbage") == 0) {
			static const char junk[] = "\x03\x00\x00\x00\xff\xff\xff\xff not a message";
			if (send(IPC_WORKER_FD, junk, sizeof(junk), 0) < 0)
				return 1;
			pause();
		}
		memset(&m, 0, sizeof(m));
		m.type = IPC_FINDING;
		m.job = strcmp(mode, "wrong-job") == 0 ? in.job + 1 : in.job;
		m.confidence = 0.9;
		m.line = 2;
		strcpy(m.rule, "vn.cccd");
		strcpy(m.label, "Vietnamese personal ID number (CCCD)");
		strcpy(m.member, "word/document.xml");
		strcpy(m.value, "052090001234");
		fake_send(&m);
		memset(&m, 0, sizeof(m));
		m.type = IPC_DONE;
		m.job = in.job;
		m.bytes = 42;
		fake_send(&m);
	}
}

/* --- the agent's side ------------------------------------------------------------- */

static const unsigned char key[MASK_KEY_BYTES] = {1, 2, 3};

struct result {
	int done;
	char outcome[32];
	size_t n;
	char masked[DETECT_VALUE_MAX + 1], fingerprint[32], member[IPC_MEMBER_MAX + 1];
};

static void on_done(void *ctx, const struct pool_job *job, struct record_file *rec, const char *outcome)
{
	struct result *r = ctx;

	(void)job;
	r->done++;
	snprintf(r->outcome, sizeof(r->outcome), "%s", outcome);
	r->n = rec->n;
	if (rec->n) {
		snprintf(r->masked, sizeof(r->masked), "%s", rec->v[0].masked);
		snprintf(r->fingerprint, sizeof(r->fingerprint), "%s", rec->v[0].fingerprint);
		snprintf(r->member, sizeof(r->member), "%s", rec->v[0].member ? rec->v[0].member : "");
	}
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Run the pool's side of the loop until cond holds or ms pass. */
static int run_until(struct pool *p, struct result *r, int (*cond)(struct pool *, struct result *), int ms)
{
	int64_t end = now_ms() + ms;

	while (!cond(p, r) && now_ms() < end) {
		struct pollfd fds[LIMIT_JOBS];
		int64_t wait = pool_tick(p, now_ms());
		size_t n = pool_pollfds(p, fds, LIMIT_JOBS);
		poll(fds, n, wait < 0 || wait > 50 ? 50 : (int)wait);
		pool_handle(p, fds, n, now_ms());
	}
	return cond(p, r);
}

static int is_idle(struct pool *p, struct result *r)
{
	(void)r;
	return pool_has_idle(p);
}

static int is_done(struct pool *p, struct result *r)
{
	(void)p;
	return r->done > 0;
}

static struct pool *start(const char *mode, struct result *r, unsigned timeout_ms)
{
	struct pool_config cfg = {
	        .jobs = 1, .timeout_ms = timeout_ms, .min_confidence = 0.5, .key = key, .done = on_done, .ctx = r};
	struct pool *p = NULL;

	memset(r, 0, sizeof(*r));
	setenv("FAKE_WORKER", mode, 1);
	assert_int_equal(pool_new(&cfg, &p), 0);
	return p;
}

static void submit(struct pool *p)
{
	struct pool_job *job = calloc(1, sizeof(*job));
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	assert_non_null(job);
	assert_true(fd >= 0);
	job->path = strdup("/home/kiosk/Desktop/form.docx");
	job->prio = QUEUE_NEW;
	assert_int_equal(pool_submit(p, fd, job, now_ms()), 0);
}

static void test_good_worker(void **state)
{
	struct result r;
	struct pool *p = start("good", &r, 5000);
	char want[MASK_FINGERPRINT_HEX + 1];

	(void)state;
	assert_true(run_until(p, &r, is_idle, 5000));
	submit(p);
	assert_true(run_until(p, &r, is_done, 5000));
	assert_string_equal(r.outcome, "findings");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.masked, "052******234");
	mask_fingerprint(key, "052090001234", 12, want);
	assert_string_equal(r.fingerprint, want); /* the agent's key, applied by the agent */
	assert_string_equal(r.member, "word/document.xml");
	assert_true(run_until(p, &r, is_idle, 1000)); /* ready for the next file */
	pool_free(p);
}

static void expect_replaced(const char *mode, const char *outcome, unsigned timeout_ms)
{
	struct result r;
	struct pool *p = start(mode, &r, timeout_ms);
	struct pool_stats st;

	assert_true(run_until(p, &r, is_idle, 5000));
	submit(p);
	assert_true(run_until(p, &r, is_done, 5000));
	assert_string_equal(r.outcome, outcome);
	assert_true(run_until(p, &r, is_idle, 5000)); /* a new worker took its place */
	pool_stats(p, &st);
	assert_int_equal(st.spawned, 2);
	assert_int_equal(strcmp(outcome, "timed_out") == 0 ? st.timed_out : st.crashed, 1);
	pool_free(p);
}

static void test_garbage(void **state)
{
	(void)state;
	expect_replaced("garbage", "worker_crashed", 5000);
}

static void test_wrong_job(void **state)
{
	(void)state;
	expect_replaced("wrong-job", "worker_crashed", 5000);
}

static void test_hang(void **state)
{
	(void)state;
	expect_replaced("hang", "timed_out", 300);
}

static void test_old_version(void **state)
{
	struct result r;
	struct pool *p = start("old-version", &r, 5000);
	struct pool_stats st;

	(void)state;
	assert_false(run_until(p, &r, is_idle, 600)); /* never taken for a worker */
	pool_stats(p, &st);
	assert_true(st.spawned >= 2); /* killed, and started again after a pause */
	pool_free(p);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_good_worker), cmocka_unit_test(test_garbage),
	        cmocka_unit_test(test_wrong_job),   cmocka_unit_test(test_hang),
	        cmocka_unit_test(test_old_version),
	};

	(void)argc;
	if (strcmp(argv[0], "piiguard-worker") == 0)
		return fake_worker();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
