/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Forwarding of events to the logs that IT staff already collect: every new
 * finding and every status change goes to journald with structured fields
 * (MESSAGE_ID, PIIGUARD_RULE, PIIGUARD_PATH, PIIGUARD_MASKED,
 * PIIGUARD_FINGERPRINT, PIIGUARD_CONFIDENCE, ...) and, when configured, as an
 * RFC 5424 syslog message with a JSON body over UDP, TCP or a unix socket
 * (docs/fleet.md has the formats). Like the store, it never sees a raw
 * identifier, and it masks any run of 9 or more digits in a path or member,
 * so that a file named after a citizen's number does not carry it away.
 * Sending never blocks a scan for long and never fails it: a lost event is
 * counted. Safe to call from several threads.
 */
#ifndef PIIGUARD_FORWARD_H
#define PIIGUARD_FORWARD_H

#include <stdint.h>

#include "config.h"

struct forward;

struct forward_event {
	const char *event; /* "status" (a status change), else sent as "finding" (a new finding) */
	int64_t id;        /* the finding's id in the store; 0 when not stored */
	const char *path;
	const char *member; /* NULL for none */
	const char *rule;
	const char *label;
	const char *masked;
	const char *fingerprint;
	double confidence;
	const char *source;
	uint64_t line;          /* 0: unknown */
	const char *status;     /* the new status */
	const char *old_status; /* for "status"; NULL otherwise */
	const char *who;        /* for "status": who changed it */
};

/* Open the channels cfg asks for (journald, syslog). Returns 0, ERR_INVAL (a
 * syslog address that cannot be parsed, a facility outside 0..23) or
 * ERR_NOMEM; an unreachable syslog server is not an error here (it is
 * retried on later sends). No name is resolved and nothing is sent yet. */
int forward_open(const struct config *cfg, struct forward **ret);

/* Send one event to every channel; strings may be NULL (and are then left
 * out). Waits at most about half a second for an unreachable syslog server,
 * and after a failed connection tries again only a second later. f NULL is
 * a no-op. */
void forward_send(struct forward *f, const struct forward_event *ev);

/* Events that could not be delivered so far, counted once per channel
 * that lost them (journald absent counts too). */
uint64_t forward_dropped(const struct forward *f);

/* Close; NULL is a no-op. */
void forward_close(struct forward *f);

#endif
