/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The progress line of piiguard scan (see progress.h). A thread sleeps on a
 * condition variable and redraws "\r" + the line + "erase to the end" under
 * stderr's stdio lock, so that cli_error() and the findings printed to the
 * same terminal can clear it first under the same lock. The line is cut to
 * the terminal's width, so that "\r" always returns to its start.
 */
#include "progress.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

/* At most four redraws a second: readable, and no cost to the scan. */
#define PROGRESS_INTERVAL_NS 250000000L
#define PROGRESS_LINE_MAX    160

struct progress {
	struct progress_counters c;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	struct timespec start;
	size_t width;
};

/* The line being drawn, for progress_clear(); shown says whether the
 * terminal holds it now. Both change only under stderr's lock. */
static struct progress *current;
static bool shown;

bool progress_wanted(bool quiet)
{
	const char *term = getenv("TERM");

	return !quiet && isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void draw(struct progress *p)
{
	char line[PROGRESS_LINE_MAX];
	unsigned long long files = atomic_load(p->c.files), findings = atomic_load(p->c.findings);
	double mb = (double)atomic_load(p->c.bytes) / 1e6, s = seconds_since(&p->start);
	int n = snprintf(line, sizeof(line), "piiguard: %llu files, %.1f MB, %llu findings, %.1f MB/s, %.0f files/s",
	                 files, mb, findings, s > 0 ? mb / s : 0.0, s > 0 ? (double)files / s : 0.0);

	if (n < 0)
		return;
	if ((size_t)n >= p->width)
		line[p->width - 1] = '\0';
	flockfile(stderr);
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	shown = true;
	funlockfile(stderr);
}

static void *run(void *arg)
{
	struct progress *p = arg;
	struct timespec next;

	pthread_mutex_lock(&p->lock);
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!p->stop) {
		next.tv_nsec += PROGRESS_INTERVAL_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		while (!p->stop && pthread_cond_timedwait(&p->wake, &p->lock, &next) != ETIMEDOUT)
			;
		if (!p->stop)
			draw(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int progress_start(const struct progress_counters *counters, struct progress **ret)
{
	struct progress *p = calloc(1, sizeof(*p));
	pthread_condattr_t attr;
	struct winsize ws;

	*ret = NULL;
	if (!p)
		return ERR_NOMEM;
	p->c = *counters;
	p->width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20 ? ws.ws_col : 80;
	if (p->width > PROGRESS_LINE_MAX)
		p->width = PROGRESS_LINE_MAX;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &attr);
	pthread_condattr_destroy(&attr);
	flockfile(stderr);
	current = p;
	funlockfile(stderr);
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		flockfile(stderr);
		current = NULL;
		funlockfile(stderr);
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return ERR_NOMEM;
	}
	*ret = p;
	return 0;
}

void progress_clear(void)
{
	flockfile(stderr);
	if (current && shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		shown = false;
	}
	funlockfile(stderr);
}

void progress_stop(struct progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	progress_clear();
	flockfile(stderr);
	current = NULL;
	funlockfile(stderr);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
