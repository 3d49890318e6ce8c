/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard status: asks the running agent, over its control socket, what it
 * is doing (state, roots, queue, files scanned, last scan) and prints the
 * answer. Exit 0 when the agent answered, 2 when it is not running or
 * refused to answer.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "error.h"

static void usage(FILE *f)
{
	fputs("usage: piiguard status\n"
	      "\n"
	      "Show what the running agent (piiguardd) is doing: its state, the folders\n"
	      "it watches, the files waiting and scanned, and when it last scanned.\n"
	      "Root, the agent's user and members of the piiguard group may ask.\n",
	      f);
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {0, 0, 0, 0}};
	char path[108], text[16384];
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return CLI_EXIT_CLEAN;
		case 'V': cli_version(); return CLI_EXIT_CLEAN;
		default: usage(stderr); return CLI_EXIT_ERROR;
		}
	}
	if (control_path(path, sizeof(path)) < 0) {
		cli_error("no control socket known (XDG_RUNTIME_DIR unset)");
		return CLI_EXIT_ERROR;
	}
	rc = control_query(path, text, sizeof(text));
	if (rc == ERR_NOTFOUND) {
		cli_path_error(path, "the agent is not running (nothing listens here)");
		return CLI_EXIT_ERROR;
	}
	if (rc < 0) {
		cli_path_error(path, errno == ECONNRESET ? "the agent refused to answer (not root, its user or the "
		                                           "piiguard group)"
		                                         : strerror(errno));
		return CLI_EXIT_ERROR;
	}
	fputs(text, stdout);
	return CLI_EXIT_CLEAN;
}
