/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Telling the kiosk user: when new identifiers are found in a file that a
 * user (uid from 1000) owns, a desktop notification on that user's session
 * says, in Vietnamese and then in English, that the file holds citizen ID
 * data and will be removed at the end of the day. The agent runs
 * notify-send as that user (never as root) against the user's session bus,
 * in a process of its own that it does not wait for; at most one
 * notification per user every NOTIFY_PAUSE_S. The file's name is escaped and
 * long digit runs in it are hidden. Tests point the command elsewhere with
 * PIIGUARD_NOTIFY_COMMAND, honoured only with PIIGUARD_TEST_HOOKS=1.
 */
#ifndef PIIGUARD_NOTIFY_H
#define PIIGUARD_NOTIFY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Seconds between two notifications to the same user. */
#define NOTIFY_PAUSE_S 30

/* The notification's body for the file at path (its name only, escaped, runs
 * of 9 or more digits hidden), into out. */
void notify_body(const char *path, char *out, size_t size);

/* Notify the owner (uid) of path, now (unix seconds), unless it is a system
 * account, the user has no session bus, or the pause has not passed.
 * Returns 1 when a notification was started, else 0. */
int notify_user(uid_t uid, const char *path, int64_t now);

#endif
