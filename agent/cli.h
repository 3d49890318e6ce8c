/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the subcommands of piiguard share: their entry points, error messages
 * on stderr (file names escaped), the exit codes of the contract, and the
 * choice of rule set (--rules DIR, the installed rules, or the built-in copy).
 */
#ifndef PIIGUARD_CLI_H
#define PIIGUARD_CLI_H

#include <stdbool.h>

#include "rules.h"

#define CLI_EXIT_CLEAN    0
#define CLI_EXIT_FINDINGS 1
#define CLI_EXIT_ERROR    2

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);

/* "piiguard: " + the message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "piiguard: PATH: what" with PATH escaped. */
void cli_path_error(const char *path, const char *what);

/* Load the rules of dir, or when NULL the installed rules if present, else the
 * built-in ones; every problem printed as file:line. Returns 0 or an ERR_*;
 * on ERR_FORMAT with keep_partial, *ret holds the rules without errors. */
int cli_load_rules(const char *dir, bool keep_partial, struct rules **ret);

/* Print the version line. */
void cli_version(void);

#endif
