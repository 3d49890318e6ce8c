/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The progress line of piiguard scan on a terminal: files done, bytes read,
 * findings and the rate, redrawn on stderr by a thread of its own at most
 * four times a second from counters the scan keeps. It never prints a file
 * name, and it is cleared before any other line reaches the terminal.
 */
#ifndef PIIGUARD_PROGRESS_H
#define PIIGUARD_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>

struct progress;

/* What the line shows; the scan updates them, the line only reads them. */
struct progress_counters {
	const atomic_uint_fast64_t *files;
	const atomic_uint_fast64_t *bytes;
	const atomic_uint_fast64_t *findings;
};

/* Whether a progress line belongs on stderr: not quiet, stderr a terminal,
 * and TERM not "dumb". */
bool progress_wanted(bool quiet);

/* Start redrawing the line for the counters (which must outlive it).
 * Returns 0 and the line in *ret, or an ERR_*. One line at a time. */
int progress_start(const struct progress_counters *counters, struct progress **ret);

/* Clear the line, if one is shown, before something else is written to the
 * terminal; the next redraw brings it back. Does nothing when no line runs.
 * Safe from any thread. */
void progress_clear(void);

/* Stop the thread and clear the line. progress_stop(NULL) is a no-op. */
void progress_stop(struct progress *p);

#endif
