/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared pieces of the subcommands (see cli.h). Messages go to stderr, one
 * line each, untrusted names escaped so a crafted file name cannot move the
 * cursor or forge a line.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <pwd.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "paths.h"
#include "text.h"
#include "progress.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	flockfile(stderr); /* one line, never through a progress line */
	progress_clear();
	fputs("piiguard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
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

static void print_config_error(const char *file, int line, const char *msg, void *ctx)
{
	(void)ctx;
	print_rule_error(file, line, msg, NULL);
}

int cli_load_config(const char *path, struct config *cfg)
{
	if (config_load(path, cfg, print_config_error, NULL) < 0) {
		cli_error("cannot use the configuration");
		return -1;
	}
	return 0;
}

int cli_store_path(const char *option, const struct config *cfg, char *out, size_t size)
{
	const char *path = option ? option : cfg->store_path[0] ? cfg->store_path : NULL;

	if (path) {
		snprintf(out, size, "%s", path);
		return 0;
	}
	if (paths_state_file("findings.db", out, size) < 0) {
		cli_error("no state folder (HOME unset); give --store");
		return -1;
	}
	return 0;
}

void cli_key_path(const char *option, const struct config *cfg, const char *store, char *out, size_t size)
{
	const char *slash = strrchr(store, '/');

	if (option)
		snprintf(out, size, "%s", option);
	else if (cfg->key_file[0])
		snprintf(out, size, "%s", cfg->key_file);
	else if (slash)
		snprintf(out, size, "%.*s/key", (int)(slash - store), store);
	else
		snprintf(out, size, "key");
}

int cli_load_key(const char *path, unsigned char key[MASK_KEY_BYTES])
{
	int rc = mask_key_load(path, true, key);

	if (rc < 0)
		cli_path_error(path, rc == ERR_FORMAT ? "key file must be a regular file of 32 bytes that only its "
		                                        "owner can read (mode 0600)"
		                                      : strerror(errno));
	return rc < 0 ? -1 : 0;
}

int cli_open_store(const char *path, struct store **ret)
{
	int rc = store_open(path, ret);

	if (rc < 0)
		cli_path_error(path, rc == ERR_FORMAT ? "not a piiguard store, or from a newer version"
		                                      : "cannot open or create the store");
	return rc < 0 ? -1 : 0;
}

void cli_who(char *out, size_t size)
{
	const char *sudo = getenv("SUDO_USER");
	struct passwd *pw = getpwuid(getuid());

	if (getuid() == 0 && sudo && sudo[0])
		snprintf(out, size, "%s (sudo)", sudo);
	else if (pw)
		snprintf(out, size, "%s", pw->pw_name);
	else
		snprintf(out, size, "uid %u", (unsigned)getuid());
}

/* "2026-11-01" (midnight UTC) or "7d" (now minus 7 days). */
int cli_parse_since(const char *text, int64_t *ret)
{
	struct tm tm = {0};
	char *end;
	long days = strtol(text, &end, 10);

	if (end != text && end[0] == 'd' && end[1] == '\0' && days >= 0 && days < 100000) {
		*ret = (int64_t)time(NULL) - (int64_t)days * 86400;
		return 0;
	}
	end = strptime(text, "%Y-%m-%d", &tm);
	if (!end || *end)
		return -1;
	*ret = (int64_t)timegm(&tm);
	return 0;
}

void cli_version(void)
{
	printf("piiguard %s\n", PIIGUARD_VERSION);
}
