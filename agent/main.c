/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Entry point of piiguard: dispatches to one cmd_<name>.c per subcommand.
 * Started as piiguardd (a link), it runs the agent. It holds no logic of its
 * own beyond the choice of command.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"

static void usage(FILE *f)
{
	/* Three pieces, each translated whole (po/vi.po). */
	/* TRANSLATORS: keep the command names, options and the alignment. */
	fputs(_("usage: piiguard COMMAND [OPTIONS]\n"
	        "\n"
	        "Find citizens' ID numbers (VN CCCD/CMND, CN resident ID, IR national code,\n"
	        "MRZ, cards, IBAN, e-mail) in files, and report them masked.\n"),
	      f);
	fputs("\n", f);
	fputs(_("commands:\n"
	        "  scan PATH...        scan files and folders once, print findings\n"
	        "  findings [list|show|ack|false-positive|export|summary]\n"
	        "                      review what the store holds\n"
	        "  report --html FILE  a self-contained HTML report for IT staff\n"
	        "  posture             check the machine against the directive\n"
	        "  rules list|lint|test  inspect and check detection rules\n"
	        "  watch               run the agent: watch folders, scan files as they are written\n"
	        "  status              what the running agent is doing\n"
	        "  wipe [--dry-run|--yes]  the end-of-day wipe of kiosk accounts\n"),
	      f);
	fputs("\n", f);
	fputs(_("Run 'piiguard COMMAND --help' for the options of a command.\n"), f);
}

int main(int argc, char **argv)
{
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (strcmp(prog, "piiguardd") == 0)
		return cmd_watch(argc, argv);
	if (strcmp(prog, "piiguard-worker") == 0)
		return worker_main(argc, argv);
	i18n_init();
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return CLI_EXIT_CLEAN;
	}
	if (strcmp(argv[1], "--version") == 0) {
		cli_version();
		return CLI_EXIT_CLEAN;
	}
	if (strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc - 1, argv + 1);
	if (strcmp(argv[1], "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	if (strcmp(argv[1], "findings") == 0)
		return cmd_findings(argc - 1, argv + 1);
	if (strcmp(argv[1], "posture") == 0)
		return cmd_posture(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "watch") == 0)
		return cmd_watch(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return cmd_status(argc - 1, argv + 1);
	if (strcmp(argv[1], "wipe") == 0)
		return cmd_wipe(argc - 1, argv + 1);
	cli_error(_("unknown command '%s'"), argv[1]);
	usage(stderr);
	return CLI_EXIT_ERROR;
}
