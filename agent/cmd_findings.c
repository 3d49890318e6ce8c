/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard findings: IT staff's review of what the store holds. list and
 * export print findings (filters --since, --rule, --status, --path), show
 * prints one with its audit trail, ack and false-positive change statuses
 * (recorded with who did it, and forwarded), summary counts per rule, folder
 * and application. Nothing here ever sees a raw identifier.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "forward.h"
#include "output.h"
#include "text.h"

struct options {
	const char *store, *config;
	enum output_format format;
	struct store_filter filter;
};

static void usage(FILE *f)
{
	fputs("usage: piiguard findings [list|export|summary] [FILTERS] [--format text|jsonl|csv]\n"
	      "       piiguard findings show ID\n"
	      "       piiguard findings ack ID...\n"
	      "       piiguard findings false-positive ID...\n"
	      "\n"
	      "filters:\n"
	      "  --since DATE|Nd   last seen on or after DATE (YYYY-MM-DD, UTC) or in the last N days\n"
	      "  --rule ID         one rule (vn.cccd, cn.ric, ...)\n"
	      "  --status S        open, acknowledged, false_positive or wiped (list: default open)\n"
	      "  --path PATH       a file, or every file below a folder\n"
	      "  --all             also findings no longer present in their file\n"
	      "\n"
	      "  --store PATH      the store (default: /var/lib/piiguard/findings.db, or\n"
	      "                    $XDG_STATE_HOME/piiguard/findings.db when not root)\n"
	      "  -c, --config FILE configuration file\n"
	      "\n"
	      "A false positive is not reported again for the same file. Exit status: 0 fine,\n"
	      "1 a finding named does not exist, 2 an error.\n",
	      f);
}

static int parse_options(int argc, char **argv, struct options *o, bool *ret_status_given)
{
	enum { OPT_SINCE = 256, OPT_RULE, OPT_STATUS, OPT_PATH, OPT_ALL, OPT_STORE, OPT_FORMAT, OPT_KEY, OPT_VERSION };
	static const struct option opts[] = {
	        {"since", required_argument, NULL, OPT_SINCE},
	        {"rule", required_argument, NULL, OPT_RULE},
	        {"status", required_argument, NULL, OPT_STATUS},
	        {"path", required_argument, NULL, OPT_PATH},
	        {"all", no_argument, NULL, OPT_ALL},
	        {"store", required_argument, NULL, OPT_STORE},
	        {"key-file", required_argument, NULL, OPT_KEY},
	        {"format", required_argument, NULL, OPT_FORMAT},
	        {"config", required_argument, NULL, 'c'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, OPT_VERSION},
	        {0, 0, 0, 0},
	};
	enum store_status status;
	int c;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SINCE:
			if (cli_parse_since(optarg, &o->filter.since) < 0) {
				cli_error("--since must be YYYY-MM-DD or a number of days like 7d");
				return -1;
			}
			break;
		case OPT_RULE: o->filter.rule = optarg; break;
		case OPT_STATUS:
			if (store_status_parse(optarg, &status) < 0) {
				cli_error("--status must be open, acknowledged, false_positive or wiped");
				return -1;
			}
			o->filter.status = (int)status;
			*ret_status_given = true;
			break;
		case OPT_PATH: o->filter.path = optarg; break;
		case OPT_ALL: o->filter.include_gone = true; break;
		case OPT_STORE: o->store = optarg; break;
		case OPT_KEY: break; /* accepted as by every command; review needs no key */
		case OPT_FORMAT:
			if (output_parse_format(optarg, &o->format) < 0) {
				cli_error("--format must be text, jsonl or csv");
				return -1;
			}
			break;
		case 'c': o->config = optarg; break;
		case 'h': usage(stdout); return 1;
		case OPT_VERSION: cli_version(); return 1;
		default: usage(stderr); return -1;
		}
	}
	return 0;
}

struct printer {
	enum output_format format;
	uint64_t count;
};

static int print_row(const struct store_row *row, void *ctx)
{
	struct printer *p = ctx;
	char line[20000];
	struct output_finding of = {
	        .path = row->path,
	        .member = row->finding.member,
	        .rule = row->finding.rule,
	        .label = row->finding.label,
	        .masked = row->finding.masked,
	        .fingerprint = row->finding.fingerprint,
	        .confidence = row->finding.confidence,
	        .source = row->finding.source,
	        .line = row->finding.line,
	        .id = row->id,
	        .status = store_status_name(row->status),
	        .first_seen = row->first_seen,
	        .last_seen = row->last_seen,
	};
	size_t n = output_format_finding(line, sizeof(line), p->format, &of);
	fwrite(line, 1, n, stdout);
	p->count++;
	return 0;
}

static int print_audit(const struct store_audit *a, void *ctx)
{
	char when[32], who[256];
	time_t t = (time_t)a->at;
	struct tm tm;

	(void)ctx;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	text_escape(a->who, strlen(a->who), who, sizeof(who));
	printf("  %s %s: %s -> %s by %s\n", when, a->action, a->old_status, a->new_status, who);
	return 0;
}

static int print_count(const char *key, uint64_t count, void *ctx)
{
	char esc[4096];

	(void)ctx;
	text_escape(key, strlen(key), esc, sizeof(esc));
	printf("  %8llu  %s\n", (unsigned long long)count, esc);
	return 0;
}

static int summary(struct store *s, const struct store_filter *flt)
{
	const char *const by[] = {"rule", "application", "folder"};

	for (size_t i = 0; i < 3; i++) {
		printf("findings per %s:\n", by[i]);
		if (store_count(s, flt, by[i], print_count, NULL) < 0)
			return -1;
	}
	return 0;
}

static int parse_id(const char *text, int64_t *ret)
{
	char *end;
	errno = 0;
	long long v = strtoll(text[0] == '#' ? text + 1 : text, &end, 10);
	if (errno || *end || end == text || v <= 0)
		return -1;
	*ret = v;
	return 0;
}

/* The row of one finding, for the forwarded status event. */
struct one_row {
	struct store_row row;
	char path[4096], rule[64], masked[128], fingerprint[32], label[128], status[32];
	bool found;
};

static int keep_row(const struct store_row *row, void *ctx)
{
	struct one_row *o = ctx;
	o->row = *row;
	snprintf(o->path, sizeof(o->path), "%s", row->path);
	snprintf(o->rule, sizeof(o->rule), "%s", row->finding.rule);
	snprintf(o->masked, sizeof(o->masked), "%s", row->finding.masked);
	snprintf(o->fingerprint, sizeof(o->fingerprint), "%s", row->finding.fingerprint);
	snprintf(o->label, sizeof(o->label), "%s", row->finding.label);
	snprintf(o->status, sizeof(o->status), "%s", store_status_name(row->status));
	o->found = true;
	return 0;
}

static int set_status(struct store *s, const struct config *cfg, int argc, char **argv, enum store_status status)
{
	struct forward *fwd = NULL;
	char who[256];
	int rc = CLI_EXIT_CLEAN;

	if (argc == 0) {
		cli_error("give the id of at least one finding");
		return CLI_EXIT_ERROR;
	}
	cli_who(who, sizeof(who));
	if (forward_open(cfg, &fwd) < 0)
		fwd = NULL;
	for (int i = 0; i < argc; i++) {
		struct store_filter flt = {.status = -1, .include_gone = true};
		struct one_row o = {0};
		if (parse_id(argv[i], &flt.id) < 0) {
			cli_error("'%s' is not a finding id", argv[i]);
			rc = CLI_EXIT_ERROR;
			continue;
		}
		if (store_findings(s, &flt, keep_row, &o) < 0 || !o.found) {
			cli_error("finding %s does not exist", argv[i]);
			rc = rc == CLI_EXIT_CLEAN ? CLI_EXIT_FINDINGS : rc;
			continue;
		}
		if (store_set_status(s, flt.id, status, who) < 0) {
			cli_error("cannot change finding %s", argv[i]);
			rc = CLI_EXIT_ERROR;
			continue;
		}
		printf("#%lld %s -> %s\n", (long long)flt.id, o.status, store_status_name(status));
		if (fwd) {
			struct forward_event ev = {
			        .event = "status",
			        .id = flt.id,
			        .path = o.path,
			        .rule = o.rule,
			        .label = o.label,
			        .masked = o.masked,
			        .fingerprint = o.fingerprint,
			        .confidence = o.row.finding.confidence,
			        .source = "text",
			        .line = o.row.finding.line,
			        .status = store_status_name(status),
			        .old_status = o.status,
			        .who = who,
			};
			forward_send(fwd, &ev);
		}
	}
	forward_close(fwd);
	return rc;
}

int cmd_findings(int argc, char **argv)
{
	struct options o = {.format = isatty(STDOUT_FILENO) ? OUTPUT_TEXT : OUTPUT_JSONL, .filter = {.status = -1}};
	struct store *s = NULL;
	struct config cfg;
	char store_path[CONFIG_PATH_MAX];
	bool status_given = false;
	int rc = parse_options(argc, argv, &o, &status_given);

	if (rc != 0)
		return rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
	const char *verb = optind < argc ? argv[optind++] : "list";
	if (strcmp(verb, "list") != 0 && strcmp(verb, "export") != 0 && strcmp(verb, "summary") != 0 &&
	    strcmp(verb, "show") != 0 && strcmp(verb, "ack") != 0 && strcmp(verb, "false-positive") != 0) {
		cli_error("findings: unknown command '%s'", verb);
		usage(stderr);
		return CLI_EXIT_ERROR;
	}
	if (cli_load_config(o.config, &cfg) < 0 || cli_store_path(o.store, &cfg, store_path, sizeof(store_path)) < 0 ||
	    cli_open_store(store_path, &s) < 0)
		return CLI_EXIT_ERROR;

	rc = CLI_EXIT_CLEAN;
	if (strcmp(verb, "list") == 0 || strcmp(verb, "export") == 0) {
		/* list shows what needs attention; export everything asked for. */
		if (strcmp(verb, "list") == 0 && !status_given)
			o.filter.status = STORE_STATUS_OPEN;
		struct printer p = {.format = o.format};
		output_begin(stdout, o.format, OUTPUT_COLUMNS_STORED);
		if (store_findings(s, &o.filter, print_row, &p) < 0)
			rc = CLI_EXIT_ERROR;
		if (o.format == OUTPUT_TEXT && strcmp(verb, "list") == 0)
			printf("%llu findings\n", (unsigned long long)p.count);
	} else if (strcmp(verb, "summary") == 0) {
		if (summary(s, &o.filter) < 0)
			rc = CLI_EXIT_ERROR;
	} else if (strcmp(verb, "show") == 0) {
		struct store_filter flt = {.status = -1, .include_gone = true};
		struct printer p = {.format = o.format};
		if (optind >= argc || parse_id(argv[optind], &flt.id) < 0) {
			cli_error("findings show: give one finding id");
			rc = CLI_EXIT_ERROR;
		} else if (store_findings(s, &flt, print_row, &p) < 0) {
			rc = CLI_EXIT_ERROR;
		} else if (p.count == 0) {
			cli_error("finding %s does not exist", argv[optind]);
			rc = CLI_EXIT_FINDINGS;
		} else if (o.format == OUTPUT_TEXT) {
			printf("history:\n");
			store_audit(s, flt.id, print_audit, NULL);
		}
	} else {
		rc = set_status(s, &cfg, argc - optind, argv + optind,
		                strcmp(verb, "ack") == 0 ? STORE_STATUS_ACKNOWLEDGED : STORE_STATUS_FALSE_POSITIVE);
	}
	if (fflush(stdout) != 0)
		rc = CLI_EXIT_ERROR;
	store_close(s);
	return rc;
}
