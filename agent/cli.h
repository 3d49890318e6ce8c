/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the subcommands of piiguard share: their entry points, error messages
 * on stderr (file names escaped), the exit codes of the contract, and the
 * choice of rule set (--rules DIR, the installed rules, or the built-in copy).
 */
#ifndef PIIGUARD_CLI_H
#define PIIGUARD_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "mask.h"
#include "rules.h"
#include "store.h"

#define CLI_EXIT_CLEAN    0
#define CLI_EXIT_FINDINGS 1
#define CLI_EXIT_ERROR    2

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_findings(int argc, char **argv);
int cmd_posture(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_wipe(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_status(int argc, char **argv);

/* The main of piiguard-worker, started by the agent (worker.c). */
int worker_main(int argc, char **argv);

/* "piiguard: " + the message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "piiguard: PATH: what" with PATH escaped. */
void cli_path_error(const char *path, const char *what);

/* Load the rules of dir, or when NULL the installed rules if present, else the
 * built-in ones; every problem printed as file:line. Returns 0 or an ERR_*;
 * on ERR_FORMAT with keep_partial, *ret holds the rules without errors. */
int cli_load_rules(const char *dir, bool keep_partial, struct rules **ret);

/* Read the configuration (path, or the default file and its drop-ins when
 * NULL) into cfg, printing each problem as file:line. Returns 0 or -1. */
int cli_load_config(const char *path, struct config *cfg);

/* The store's path: the option if given, else the configuration's, else the
 * contract's default. Returns 0, or -1 after printing why there is none. */
int cli_store_path(const char *option, const struct config *cfg, char *out, size_t size);

/* The fingerprint key's path: the option, the configuration's, or 'key' beside
 * the store. */
void cli_key_path(const char *option, const struct config *cfg, const char *store, char *out, size_t size);

/* Load the fingerprint key at path (created 0600 when missing), printing why
 * it cannot be. Returns 0 or -1. */
int cli_load_key(const char *path, unsigned char key[MASK_KEY_BYTES]);

/* Open the store at path, printing why it cannot be. Returns 0 or -1. */
int cli_open_store(const char *path, struct store **ret);

/* Who runs the command, for the audit trail: the sudo user behind root, else
 * the account name, else "uid N". */
void cli_who(char *out, size_t size);

/* A --since value: "YYYY-MM-DD" (midnight UTC) or "Nd" (N days ago), as unix
 * seconds. Returns 0 or -1. */
int cli_parse_since(const char *text, int64_t *ret);

/* Print the version line. */
void cli_version(void);

#endif
