/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sets up gettext for piiguard's messages (see i18n.h); called once by
 * main() before anything is printed.
 */
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>

#ifndef PIIGUARD_LOCALEDIR
#define PIIGUARD_LOCALEDIR "/usr/share/locale"
#endif

void i18n_init(void)
{
	const char *dir = secure_getenv("PIIGUARD_LOCALEDIR");

	setlocale(LC_MESSAGES, "");
	bindtextdomain("piiguard", dir && dir[0] == '/' ? dir : PIIGUARD_LOCALEDIR);
	bind_textdomain_codeset("piiguard", "UTF-8");
	textdomain("piiguard");
}
