/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Default locations (see paths.h). Only environment variables of the calling
 * user are read; a relative XDG_STATE_HOME is ignored, as the XDG
 * specification asks.
 */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"

int paths_state_file(const char *name, char *out, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (geteuid() == 0)
		n = snprintf(out, size, "%s/%s", PATHS_SYSTEM_STATE, name);
	else if (xdg && xdg[0] == '/')
		n = snprintf(out, size, "%s/piiguard/%s", xdg, name);
	else if (home && home[0] == '/')
		n = snprintf(out, size, "%s/.local/state/piiguard/%s", home, name);
	else
		return ERR_INVAL;
	return n > 0 && (size_t)n < size ? 0 : ERR_INVAL;
}
