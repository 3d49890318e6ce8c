/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard posture: checks the workstation against the directive (remote-
 * access tools, passwords saved in browsers, messaging apps holding ID data,
 * swap and print spool) and prints each result as a finding with a posture.*
 * rule, its evidence and a remedy. Results go to the store like findings
 * (those no longer seen are marked gone) and new ones are forwarded. --root
 * checks a tree other than "/" (tests, a mounted disk image).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "forward.h"
#include "mask.h"
#include "output.h"
#include "posture.h"

struct run {
	enum output_format format;
	unsigned char key[MASK_KEY_BYTES];
	struct store *store; /* NULL with --no-store */
	int64_t scan_id;
	struct forward *forward;
	uint64_t results, store_errors;
};

static void usage(FILE *f)
{
	fputs("usage: piiguard posture [--root DIR] [--format text|jsonl|csv] [--no-store]\n"
	      "\n"
	      "Check this workstation against the directive: remote-access tools\n"
	      "(TeamViewer, UltraViewer, AnyDesk, RustDesk, VNC, xrdp, ...), passwords saved\n"
	      "in browsers and the policy that forbids them, messaging apps (Telegram,\n"
	      "Viber, Zalo, ...) and the ID findings in their folders, unencrypted swap and\n"
	      "kept print jobs. Each result is a finding with a posture.* rule and a remedy.\n"
	      "\n"
	      "  --root DIR         check the tree below DIR as the file system root\n"
	      "  --format FORMAT    text (default on a terminal), jsonl or csv\n"
	      "  --store PATH       the store (default as for scan); --no-store: do not record\n"
	      "  --key-file FILE    fingerprint key (default: 'key' beside the store)\n"
	      "  -c, --config FILE  configuration file\n"
	      "\n"
	      "Exit status: 0 nothing to report, 1 results, 2 an error.\n",
	      f);
}

static void on_result(const struct posture_result *r, void *ctx)
{
	struct run *run = ctx;
	char fingerprint[MASK_FINGERPRINT_HEX + 1], identity[8192], line[20000];
	struct store_recorded rec = {0};

	/* A result is the same one when its rule, evidence path and subject's
	 * kind are: the fingerprint is keyed like an identifier's, over them. */
	int n = snprintf(identity, sizeof(identity), "%s|%s|%s", r->rule, r->path, r->user ? r->user : "");
	mask_fingerprint(run->key, identity, n > 0 ? (size_t)n : 0, fingerprint);
	struct store_finding x = {
	        .rule = r->rule,
	        .label = r->label,
	        .masked = r->subject,
	        .fingerprint = fingerprint,
	        .confidence = r->confidence,
	        .source = "metadata",
	};
	if (run->store && store_record(run->store, run->scan_id, r->path, &x, &rec) < 0)
		run->store_errors++;
	if (rec.suppressed)
		return;
	struct output_finding of = {
	        .path = r->path,
	        .rule = r->rule,
	        .label = r->label,
	        .masked = r->subject,
	        .fingerprint = fingerprint,
	        .confidence = r->confidence,
	        .source = "metadata",
	        .evidence = r->evidence,
	        .remedy = r->remedy,
	        .user = r->user,
	};
	size_t len = output_format_finding(line, sizeof(line), run->format, &of);
	fwrite(line, 1, len, stdout);
	run->results++;
	if (rec.is_new && run->forward) {
		struct forward_event ev = {
		        .event = "finding",
		        .id = rec.id,
		        .path = r->path,
		        .rule = r->rule,
		        .label = r->label,
		        .masked = r->subject,
		        .fingerprint = fingerprint,
		        .confidence = r->confidence,
		        .source = "metadata",
		        .status = "open",
		};
		forward_send(run->forward, &ev);
	}
}

int cmd_posture(int argc, char **argv)
{
	enum { OPT_ROOT = 256, OPT_FORMAT, OPT_STORE, OPT_NO_STORE, OPT_KEY, OPT_VERSION };
	static const struct option opts[] = {
	        {"root", required_argument, NULL, OPT_ROOT},
	        {"format", required_argument, NULL, OPT_FORMAT},
	        {"store", required_argument, NULL, OPT_STORE},
	        {"no-store", no_argument, NULL, OPT_NO_STORE},
	        {"key-file", required_argument, NULL, OPT_KEY},
	        {"config", required_argument, NULL, 'c'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, OPT_VERSION},
	        {0, 0, 0, 0},
	};
	struct run run = {.format = isatty(STDOUT_FILENO) ? OUTPUT_TEXT : OUTPUT_JSONL};
	const char *root = NULL, *store_opt = NULL, *key_opt = NULL, *config = NULL;
	char store[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX + 8];
	bool no_store = false;
	struct config cfg;
	struct posture_options o = {.root = "/"};
	int c, rc = CLI_EXIT_ERROR;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: root = optarg; break;
		case OPT_FORMAT:
			if (output_parse_format(optarg, &run.format) < 0) {
				cli_error("--format must be text, jsonl or csv");
				return CLI_EXIT_ERROR;
			}
			break;
		case OPT_STORE: store_opt = optarg; break;
		case OPT_NO_STORE: no_store = true; break;
		case OPT_KEY: key_opt = optarg; break;
		case 'c': config = optarg; break;
		case 'h': usage(stdout); return CLI_EXIT_CLEAN;
		case OPT_VERSION: cli_version(); return CLI_EXIT_CLEAN;
		default: usage(stderr); return CLI_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		cli_error("posture: unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_ERROR;
	}
	if (root && access(root, R_OK | X_OK) < 0) {
		cli_path_error(root, strerror(errno));
		return CLI_EXIT_ERROR;
	}
	if (cli_load_config(config, &cfg) < 0)
		return CLI_EXIT_ERROR;
	store[0] = '\0';
	if ((!no_store || !key_opt) && cli_store_path(store_opt, &cfg, store, sizeof(store)) < 0)
		return CLI_EXIT_ERROR;
	cli_key_path(key_opt, &cfg, store, key, sizeof(key));
	rc = mask_key_load(key, true, run.key);
	if (rc < 0) {
		cli_path_error(key, rc == ERR_FORMAT
		                            ? "key file must be a regular file of 32 bytes that only its owner "
		                              "can read (mode 0600)"
		                            : strerror(errno));
		return CLI_EXIT_ERROR;
	}
	rc = CLI_EXIT_ERROR;
	if (!no_store) {
		if (cli_open_store(store, &run.store) < 0 || store_scan_begin(run.store, "posture", &run.scan_id) < 0)
			goto out;
		if (forward_open(&cfg, &run.forward) < 0)
			run.forward = NULL;
	}

	o.root = root ? root : "/";
	o.store = run.store;
	o.processes = root == NULL;
	output_begin(stdout, run.format, OUTPUT_COLUMNS_POSTURE);
	posture_run(&o, on_result, &run);
	if (run.store) {
		struct store_scan_counts counts = {.findings = run.results};
		if (store_sweep(run.store, run.scan_id, "posture.") < 0 ||
		    store_scan_end(run.store, run.scan_id, &counts) < 0)
			run.store_errors++;
	}
	if (run.store_errors)
		cli_error("%llu store writes failed", (unsigned long long)run.store_errors);
	if (fflush(stdout) != 0)
		run.store_errors++;
	rc = run.store_errors ? CLI_EXIT_ERROR : run.results ? CLI_EXIT_FINDINGS : CLI_EXIT_CLEAN;
out:
	forward_close(run.forward);
	store_close(run.store);
	explicit_bzero(run.key, sizeof(run.key));
	return rc;
}
