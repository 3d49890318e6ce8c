/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The contract's default file locations: the state folder (store and key) is
 * /var/lib/piiguard for root and $XDG_STATE_HOME/piiguard (or
 * ~/.local/state/piiguard) for anyone else.
 */
#ifndef PIIGUARD_PATHS_H
#define PIIGUARD_PATHS_H

#include <stddef.h>

#define PATHS_CONFIG       "/etc/piiguard/piiguard.conf"
#define PATHS_SYSTEM_STATE "/var/lib/piiguard"

/* Write the path of name inside the state folder into out. Returns 0, or
 * ERR_INVAL when no home folder is known or the path does not fit. */
int paths_state_file(const char *name, char *out, size_t size);

#endif
