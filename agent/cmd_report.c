/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard report --html FILE: writes the HTML report of the store (see
 * report_html.h) for IT staff, in Vietnamese or English, with the filters of
 * piiguard findings. FILE is replaced atomically: the page goes to a new
 * 0600 file beside it, created exclusively and never through a link, which is
 * renamed over FILE only once complete. It only reads the store.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "report_html.h"

/* The longest report path taken (the kernel's PATH_MAX). */
#define REPORT_PATH_MAX 4096

struct options {
	const char *store, *config, *html;
	enum report_html_lang lang;
	struct store_filter filter;
};

static void usage(FILE *f)
{
	fputs("usage: piiguard report --html FILE [--lang vi|en] [FILTERS]\n"
	      "\n"
	      "Write a self-contained HTML report of the store (summary, charts, open\n"
	      "findings) for IT staff; it opens in any browser, on a phone too.\n"
	      "\n"
	      "  --html FILE       where to write the report (replaced atomically, mode 0600)\n"
	      "  --lang vi|en      language of the report (default: vi)\n"
	      "\n"
	      "filters:\n"
	      "  --since DATE|Nd   last seen on or after DATE (YYYY-MM-DD, UTC) or in the last N days\n"
	      "  --rule ID         one rule (vn.cccd, cn.ric, ...)\n"
	      "  --path PATH       a file, or every file below a folder\n"
	      "\n"
	      "  --store PATH      the store (default: /var/lib/piiguard/findings.db, or\n"
	      "                    $XDG_STATE_HOME/piiguard/findings.db when not root)\n"
	      "  -c, --config FILE configuration file\n"
	      "\n"
	      "Exit status: 0 the report was written, 2 an error.\n",
	      f);
}

/* 0 to go on, 1 when done (--help, --version), -1 on a bad option. */
static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_HTML = 256, OPT_LANG, OPT_SINCE, OPT_RULE, OPT_PATH, OPT_STORE, OPT_KEY, OPT_VERSION };
	static const struct option opts[] = {
	        {"html", required_argument, NULL, OPT_HTML},
	        {"lang", required_argument, NULL, OPT_LANG},
	        {"since", required_argument, NULL, OPT_SINCE},
	        {"rule", required_argument, NULL, OPT_RULE},
	        {"path", required_argument, NULL, OPT_PATH},
	        {"store", required_argument, NULL, OPT_STORE},
	        {"key-file", required_argument, NULL, OPT_KEY},
	        {"config", required_argument, NULL, 'c'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, OPT_VERSION},
	        {0, 0, 0, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_HTML: o->html = optarg; break;
		case OPT_LANG:
			if (report_html_parse_lang(optarg, &o->lang) < 0) {
				cli_error("--lang must be vi or en");
				return -1;
			}
			break;
		case OPT_SINCE:
			if (cli_parse_since(optarg, &o->filter.since) < 0) {
				cli_error("--since must be YYYY-MM-DD or a number of days like 7d");
				return -1;
			}
			break;
		case OPT_RULE: o->filter.rule = optarg; break;
		case OPT_PATH: o->filter.path = optarg; break;
		case OPT_STORE: o->store = optarg; break;
		case OPT_KEY: break; /* accepted as by every command; a report needs no key */
		case 'c': o->config = optarg; break;
		case 'h': usage(stdout); return 1;
		case OPT_VERSION: cli_version(); return 1;
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		cli_error("report: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return -1;
	}
	if (!o->html || !o->html[0]) {
		cli_error("report: give --html FILE");
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Create a new file beside path, "DIR/.NAME.XXXXXXXX.tmp", exclusively, never
 * through a link, mode 0600. Returns the descriptor or -1 with errno set. */
static int create_temp(const char *path, char *tmp, size_t size)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	const char *name = slash ? slash + 1 : path;

	for (int attempt = 0; attempt < 16; attempt++) {
		uint32_t r;
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			r = (uint32_t)getpid() ^ (uint32_t)time(NULL) ^ (uint32_t)attempt * 2654435761U;
		int n = snprintf(tmp, size, "%.*s.%s.%08x.tmp", dir_len, path, name, (unsigned)r);
		if (n < 0 || (size_t)n >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* Flush the rename to disk; a failure here loses nothing already written. */
static void sync_dir(const char *path)
{
	char dir[REPORT_PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int write_report(struct store *s, const struct options *o)
{
	struct report_html_options ro = {.lang = o->lang, .now = (int64_t)time(NULL), .filter = &o->filter};
	char tmp[REPORT_PATH_MAX], host[256] = "";
	FILE *f = NULL;
	int fd = -1, rc = -1, r;
	bool created = false;

	if (gethostname(host, sizeof(host) - 1) == 0 && host[0])
		ro.hostname = host;
	fd = create_temp(o->html, tmp, sizeof(tmp));
	if (fd < 0) {
		cli_path_error(o->html, errno == ENAMETOOLONG ? "name too long" : "cannot create a file in its folder");
		goto out;
	}
	created = true;
	f = fdopen(fd, "w");
	if (!f) {
		cli_path_error(o->html, "cannot write");
		goto out;
	}
	fd = -1;
	r = report_html_write(s, &ro, f);
	if (r == ERR_IO || (r == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))) {
		cli_path_error(o->html, "cannot write");
		goto out;
	}
	if (r < 0) {
		cli_error("cannot read the store: %s", err_str(r));
		goto out;
	}
	r = fclose(f);
	f = NULL;
	if (r != 0) {
		cli_path_error(o->html, "cannot write");
		goto out;
	}
	if (rename(tmp, o->html) != 0) {
		cli_path_error(o->html, "cannot replace");
		goto out;
	}
	created = false;
	sync_dir(o->html);
	rc = 0;
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	struct options o = {.lang = REPORT_HTML_VI, .filter = {.status = -1}};
	struct store *s = NULL;
	struct config cfg;
	char store_path[CONFIG_PATH_MAX];
	int rc = parse_options(argc, argv, &o);

	if (rc != 0)
		return rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
	if (cli_load_config(o.config, &cfg) < 0 || cli_store_path(o.store, &cfg, store_path, sizeof(store_path)) < 0 ||
	    cli_open_store(store_path, &s) < 0)
		return CLI_EXIT_ERROR;
	rc = write_report(s, &o) < 0 ? CLI_EXIT_ERROR : CLI_EXIT_CLEAN;
	store_close(s);
	return rc;
}
