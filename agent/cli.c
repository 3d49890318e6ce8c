/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared pieces of the subcommands (see cli.h). Messages go to stderr, one
 * line each, untrusted names escaped so a crafted file name cannot move the
 * cursor or forge a line.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "text.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("piiguard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_path_error(const char *path, const char *what)
{
	char esc[4096];

	text_escape(path, strlen(path), esc, sizeof(esc));
	cli_error("%s: %s", esc, what);
}

static void print_rule_error(const char *file, int line, const char *msg, void *ctx)
{
	(void)ctx;
	if (line > 0)
		fprintf(stderr, "%s:%d: %s\n", file, line, msg);
	else
		fprintf(stderr, "%s: %s\n", file, msg);
}

int cli_load_rules(const char *dir, bool keep_partial, struct rules **ret)
{
	if (!dir && access(RULES_INSTALLED_DIR, R_OK | X_OK) == 0)
		dir = RULES_INSTALLED_DIR;
	int rc = rules_load(dir, ret, print_rule_error, NULL);
	if (rc < 0 && !keep_partial) {
		rules_free(*ret);
		*ret = NULL;
	}
	return rc;
}

void cli_version(void)
{
	printf("piiguard %s\n", PIIGUARD_VERSION);
}
