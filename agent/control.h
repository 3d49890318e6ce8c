/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's control socket: a unix stream socket where `piiguard status`
 * reads the agent's state as "key: value" lines. Only root, the agent's own
 * user and members of the piiguard group may connect (SO_PEERCRED and
 * SO_PEERGROUPS, checked on every connection; the socket's folder and mode
 * say the same). A client only connects and reads: the agent writes its
 * answer and closes, and never reads from a client.
 */
#ifndef PIIGUARD_CONTROL_H
#define PIIGUARD_CONTROL_H

#include <stddef.h>

/* The socket's path: $PIIGUARD_CONTROL_SOCKET (tests), else
 * /run/piiguard/control.sock as root, else
 * $XDG_RUNTIME_DIR/piiguard/control.sock. Returns 0 or ERR_INVAL (none known). */
int control_path(char *out, size_t size);

/* Listen at path (its folder made 0750 root:piiguard as root, 0700
 * otherwise; a stale socket replaced). Returns a non-blocking descriptor or a
 * negative ERR_* (errno set; EADDRINUSE when an agent answers there). */
int control_listen(const char *path);

/* Accept one client and check who it is. Returns its descriptor (blocking,
 * with a send timeout), or -1 when there was none or it is refused (then
 * *ret_refused_uid is its uid, else -1). */
int control_accept(int listen_fd, long *ret_refused_uid);

/* Connect to the agent's socket at path and copy what it says to out (at
 * most size - 1 bytes, NUL-terminated). Returns 0, ERR_NOTFOUND (no agent
 * listening) or ERR_IO (errno). */
int control_query(const char *path, char *out, size_t size);

#endif
