/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages for people in the user's language (gettext, domain "piiguard",
 * catalogues in po/). Only LC_MESSAGES follows the environment: numbers,
 * character classes and collation stay "C", so that jsonl, csv and the
 * parsers never change with the locale. Translations come out in UTF-8.
 */
#ifndef PIIGUARD_I18N_H
#define PIIGUARD_I18N_H

#include <libintl.h>

#define _(msgid) gettext(msgid)

/* Choose the language of messages from LC_ALL, LC_MESSAGES or LANG (and
 * LANGUAGE). Catalogues are read from LOCALEDIR, or from
 * $PIIGUARD_LOCALEDIR (a build tree's, for tests). Never fails: without a
 * catalogue or the locale, messages are in English. */
void i18n_init(void);

#endif
