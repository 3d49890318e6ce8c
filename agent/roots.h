/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's watch roots from the configuration's patterns: "~/" becomes
 * each user's home (as root, every account with a uid from 1000; otherwise
 * the current user), "{DESKTOP}", "{DOWNLOAD}", "{DOCUMENTS}" and
 * "{PICTURES}" right after it that user's XDG folder as named in their
 * ~/.config/user-dirs.dirs (read without following links, bounded), and a
 * path component with '*' is matched against the folders that exist. Roots
 * without wildcards are given even when missing, so the agent can wait for
 * them. Reads users' files but never follows a link to do so.
 */
#ifndef PIIGUARD_ROOTS_H
#define PIIGUARD_ROOTS_H

#include <stddef.h>

#include "config.h"

/* Called with each root found (an absolute path, valid during the call). */
typedef void roots_fn(const char *path, void *ctx);

/* Expand n patterns. Returns 0, or ERR_NOMEM. */
int roots_expand(const char (*patterns)[CONFIG_PATTERN_MAX], unsigned n, roots_fn *fn, void *ctx);

/* The same for one home folder: "~/" patterns expanded with home, the
 * others as roots_expand() does. */
int roots_expand_home(const char (*patterns)[CONFIG_PATTERN_MAX], unsigned n, const char *home, roots_fn *fn,
                      void *ctx);

#endif
