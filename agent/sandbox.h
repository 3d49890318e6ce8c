/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scanning worker's sandbox, entered once the worker has loaded libmagic's
 * database, the rules and their JIT code: the unprivileged `piiguard` user
 * (else `nobody`) when started as root, no new privileges, rlimits on memory,
 * descriptors, core dumps and file writes, death with the agent, then a
 * seccomp allow-list. Builds with AddressSanitizer get a null sandbox (no
 * address-space limit, no seccomp: the sanitizer needs both), still without
 * root and new privileges.
 */
#ifndef PIIGUARD_SANDBOX_H
#define PIIGUARD_SANDBOX_H

#include <stdbool.h>

/* The account workers run as when the agent is root, and the group allowed
 * to ask the agent for its status. */
#define SANDBOX_USER     "piiguard"
#define SANDBOX_FALLBACK "nobody"

/* Whether this build has the full sandbox (false: the null sandbox). */
bool sandbox_full(void);

/*
 * Drop root (when running as root) to SANDBOX_USER or SANDBOX_FALLBACK with
 * no supplementary groups, set PR_SET_NO_NEW_PRIVS, the rlimits and death
 * with the parent (with report, file writes stay allowed: see
 * sandbox_seccomp()). Returns 0, or ERR_IO (errno set) when a step failed:
 * the worker must not scan then. The null sandbox sets no limit but the core.
 */
int sandbox_drop(bool report);

/*
 * Install the seccomp allow-list: what reading a received descriptor,
 * decoding, matching and answering on the socket need; opening files fails
 * with EACCES; anything else kills the process, or with report set raises
 * SIGSYS whose handler names the system call on stderr before exiting (for
 * tuning the list in tests). Returns 0 or ERR_IO. A no-op in the null sandbox.
 */
int sandbox_seccomp(bool report);

#endif
