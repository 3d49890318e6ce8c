/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of queue.c: repeated events for a path merge and keep their
 * place; new files go before the backlog, and a new event lifts a backlog
 * entry; an entry is not taken before its ready time and the wait until the
 * next one is right; each priority refuses paths past its cap and takes
 * them again once drained; paths empty or too long are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "queue.h"

static const char *pop(struct queue *q, int64_t now, enum queue_priority *prio)
{
	static char out[QUEUE_PATH_MAX];
	enum queue_priority p;

	if (!queue_pop(q, now, out, sizeof(out), prio ? prio : &p, NULL))
		return NULL;
	return out;
}

static void test_merge(void **state)
{
	struct queue *q;

	(void)state;
	assert_int_equal(queue_new(8, 8, &q), 0);
	assert_int_equal(queue_push(q, "/a", QUEUE_NEW, 0), 0);
	assert_int_equal(queue_push(q, "/b", QUEUE_NEW, 0), 0);
	assert_int_equal(queue_push(q, "/a", QUEUE_NEW, 0), 1);
	assert_int_equal(queue_push(q, "/a", QUEUE_NEW, 0), 1);
	assert_int_equal(queue_length(q, QUEUE_NEW), 2);
	assert_true(queue_contains(q, "/a"));
	assert_string_equal(pop(q, 0, NULL), "/a"); /* kept its place */
	assert_false(queue_contains(q, "/a"));
	assert_string_equal(pop(q, 0, NULL), "/b");
	assert_null(pop(q, 0, NULL));
	/* taken, then named again: queued again */
	assert_int_equal(queue_push(q, "/a", QUEUE_NEW, 0), 0);
	assert_string_equal(pop(q, 0, NULL), "/a");
	queue_free(q);
}

static void test_priority(void **state)
{
	struct queue *q;
	enum queue_priority prio;

	(void)state;
	assert_int_equal(queue_new(8, 8, &q), 0);
	assert_int_equal(queue_push(q, "/old1", QUEUE_BACKLOG, 0), 0);
	assert_int_equal(queue_push(q, "/old2", QUEUE_BACKLOG, 0), 0);
	assert_int_equal(queue_push(q, "/new", QUEUE_NEW, 0), 0);
	/* a backlog event for a new entry does not lower it */
	assert_int_equal(queue_push(q, "/new", QUEUE_BACKLOG, 0), 1);
	/* a new event lifts a backlog entry, behind the new ones */
	assert_int_equal(queue_push(q, "/old2", QUEUE_NEW, 0), 1);
	assert_int_equal(queue_length(q, QUEUE_NEW), 2);
	assert_int_equal(queue_length(q, QUEUE_BACKLOG), 1);
	assert_string_equal(pop(q, 0, &prio), "/new");
	assert_int_equal(prio, QUEUE_NEW);
	assert_string_equal(pop(q, 0, &prio), "/old2");
	assert_int_equal(prio, QUEUE_NEW);
	assert_string_equal(pop(q, 0, &prio), "/old1");
	assert_int_equal(prio, QUEUE_BACKLOG);
	queue_free(q);
}

static void test_debounce(void **state)
{
	struct queue *q;
	char out[QUEUE_PATH_MAX];
	enum queue_priority prio;
	int64_t wait;

	(void)state;
	assert_int_equal(queue_new(8, 8, &q), 0);
	queue_pop(q, 1000, out, sizeof(out), &prio, &wait);
	assert_int_equal(wait, -1);
	/* still being written: ready at 1150; written again at 1100: 1250 */
	assert_int_equal(queue_push(q, "/growing", QUEUE_NEW, 1150), 0);
	assert_int_equal(queue_push(q, "/growing", QUEUE_NEW, 1250), 1);
	assert_int_equal(queue_push(q, "/old", QUEUE_BACKLOG, 1000), 0);
	/* the new file is not ready: the backlog goes first meanwhile */
	assert_int_equal(queue_pop(q, 1200, out, sizeof(out), &prio, &wait), 1);
	assert_string_equal(out, "/old");
	assert_int_equal(queue_pop(q, 1200, out, sizeof(out), &prio, &wait), 0);
	assert_int_equal(wait, 50);
	/* closed: ready at once */
	assert_int_equal(queue_push(q, "/growing", QUEUE_NEW, 1200), 1);
	assert_int_equal(queue_pop(q, 1200, out, sizeof(out), &prio, &wait), 1);
	assert_string_equal(out, "/growing");
	/* written again and again: never later than QUEUE_MAX_DEFER_MS after it came */
	assert_int_equal(queue_push(q, "/log", QUEUE_NEW, 1000), 0);
	for (int64_t t = 1000; t < 20000; t += 100)
		assert_int_equal(queue_push(q, "/log", QUEUE_NEW, t + 150), 1);
	assert_int_equal(queue_pop(q, 1000 + QUEUE_MAX_DEFER_MS - 1, out, sizeof(out), &prio, &wait), 0);
	assert_int_equal(queue_pop(q, 1000 + QUEUE_MAX_DEFER_MS, out, sizeof(out), &prio, &wait), 1);
	assert_string_equal(out, "/log");
	queue_free(q);
}

static void test_bounds(void **state)
{
	struct queue *q;
	char path[64], long_path[QUEUE_PATH_MAX + 8];

	(void)state;
	assert_int_equal(queue_new(0, 4, &q), ERR_INVAL);
	assert_int_equal(queue_new(4, 2, &q), 0);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/new%d", i);
		assert_int_equal(queue_push(q, path, QUEUE_NEW, 0), 0);
	}
	assert_int_equal(queue_push(q, "/new4", QUEUE_NEW, 0), ERR_LIMIT);
	assert_int_equal(queue_push(q, "/new0", QUEUE_NEW, 5), 1); /* merging needs no room */
	assert_int_equal(queue_push(q, "/b0", QUEUE_BACKLOG, 0), 0);
	assert_int_equal(queue_push(q, "/b1", QUEUE_BACKLOG, 0), 0);
	assert_int_equal(queue_push(q, "/b2", QUEUE_BACKLOG, 0), ERR_LIMIT);
	/* no room in the new line to lift a backlog entry: refused, left as it was */
	assert_int_equal(queue_push(q, "/b0", QUEUE_NEW, 0), ERR_LIMIT);
	assert_int_equal(queue_length(q, QUEUE_BACKLOG), 2);
	assert_non_null(pop(q, 10, NULL));
	assert_int_equal(queue_push(q, "/new4", QUEUE_NEW, 0), 0);
	assert_int_equal(queue_push(q, "", QUEUE_NEW, 0), ERR_INVAL);
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	assert_int_equal(queue_push(q, long_path, QUEUE_NEW, 0), ERR_INVAL);
	/* everything drains, in order, and the queue is empty after */
	int n = 0;
	while (pop(q, 10, NULL))
		n++;
	assert_int_equal(n, 6);
	assert_int_equal(queue_length(q, QUEUE_NEW) + queue_length(q, QUEUE_BACKLOG), 0);
	queue_free(q);
}

static void test_many(void **state)
{
	struct queue *q;
	char path[64];
	const char *got;

	(void)state;
	assert_int_equal(queue_new(5000, 5000, &q), 0);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 5000; i++) {
			snprintf(path, sizeof(path), "/d/f%d", i);
			assert_in_range(queue_push(q, path, QUEUE_NEW, 0), 0, 1);
		}
	assert_int_equal(queue_length(q, QUEUE_NEW), 5000);
	for (int i = 0; i < 5000; i++) {
		snprintf(path, sizeof(path), "/d/f%d", i);
		got = pop(q, 0, NULL);
		assert_non_null(got);
		assert_string_equal(got, path);
	}
	queue_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_merge),  cmocka_unit_test(test_priority), cmocka_unit_test(test_debounce),
	        cmocka_unit_test(test_bounds), cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
