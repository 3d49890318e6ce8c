/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard rules: list the loaded rules, lint a rule folder (every pattern
 * compiled, every match/nomatch example run through the real engine, each
 * problem as file:line), or test a file, showing every finding whatever its
 * confidence. Values are shown masked, as everywhere.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "limits.h"
#include "fsafe.h"
#include "mask.h"
#include "match.h"
#include "extract.h"

static void usage(FILE *f)
{
	fputs("usage: piiguard rules list [--rules DIR]\n"
	      "       piiguard rules lint [DIR]\n"
	      "       piiguard rules test [--rules DIR] FILE\n"
	      "\n"
	      "list  the rules in use: id, label and the file that defines them\n"
	      "lint  load DIR (default: the rules in use), compile every pattern and check\n"
	      "      every match/nomatch example; problems are printed as file:line\n"
	      "test  scan FILE and print every finding with its confidence, also those\n"
	      "      below the default minimum\n"
	      "\n"
	      "Exit status: 0 fine, 1 lint problems or (test) findings, 2 an error.\n",
	      f);
}

struct example_run {
	const char *rule_id;
	double best; /* highest confidence of a finding of rule_id, -1 for none */
};

static void on_example_finding(const struct match_finding *f, void *ctx)
{
	struct example_run *run = ctx;

	if (strcmp(f->rule_id, run->rule_id) == 0 && f->confidence > run->best)
		run->best = f->confidence;
}

static int lint(const char *dir)
{
	struct rules *rules = NULL;
	struct matcher *m = NULL;
	int problems = 0;

	int rc = cli_load_rules(dir, true, &rules);
	if (rc < 0 && rc != ERR_FORMAT)
		return CLI_EXIT_FINDINGS;
	if (rc == ERR_FORMAT)
		problems++; /* each was printed; the rules that loaded are checked on */
	if (!rules) {
		printf("0 rules, 0 examples, %d problems\n", problems);
		return CLI_EXIT_FINDINGS;
	}
	if (match_new(rules, &m) < 0) {
		rules_free(rules);
		cli_error("out of memory");
		return CLI_EXIT_ERROR;
	}
	size_t examples = 0;
	for (size_t i = 0; i < rules->n; i++) {
		const struct rule *r = &rules->v[i];
		bool has_match = false;
		for (size_t k = 0; k < r->n_examples; k++) {
			const struct rule_example *ex = &r->examples[k];
			struct example_run run = {r->id, -1};
			match_begin(m, MATCH_DEFAULT_MIN_CONFIDENCE, on_example_finding, &run);
			match_feed(m, ex->text, strlen(ex->text));
			match_end(m);
			examples++;
			has_match |= ex->expect;
			if (ex->expect && run.best < 0) {
				fprintf(stderr, "%s:%d: rule %s: match example is not reported\n", r->file, ex->line,
				        r->id);
				problems++;
			} else if (!ex->expect && run.best >= 0) {
				fprintf(stderr, "%s:%d: rule %s: nomatch example is reported (confidence %.2f)\n",
				        r->file, ex->line, r->id, run.best);
				problems++;
			}
		}
		if (!has_match) {
			fprintf(stderr, "%s:%d: rule %s has no match example\n", r->file, r->line, r->id);
			problems++;
		}
	}
	printf("%zu rules, %zu examples, %d problems\n", rules->n, examples, problems);
	match_free(m);
	rules_free(rules);
	return problems ? CLI_EXIT_FINDINGS : CLI_EXIT_CLEAN;
}

static int list(const char *dir)
{
	struct rules *rules = NULL;

	if (cli_load_rules(dir, false, &rules) < 0)
		return CLI_EXIT_ERROR;
	for (size_t i = 0; i < rules->n; i++)
		printf("%-16s %-48s %s:%d\n", rules->v[i].id, rules->v[i].label, rules->v[i].file, rules->v[i].line);
	rules_free(rules);
	return CLI_EXIT_CLEAN;
}

struct test_run {
	struct matcher *m;
	int count;
	char member[LIMIT_MEMBER_NAME];
};

static void on_test_finding(const struct match_finding *f, void *ctx)
{
	struct test_run *t = ctx;
	char masked[DETECT_VALUE_MAX + 1];

	t->count++;
	mask_value(f->value, f->value_len, masked, sizeof(masked));
	printf("%s%s%llu: %s %s %.2f%s\n", t->member, t->member[0] ? ":" : "", (unsigned long long)f->line, f->rule_id,
	       masked, f->confidence,
	       f->confidence < MATCH_DEFAULT_MIN_CONFIDENCE ? " (below the default minimum)" : "");
}

static void on_test_begin(void *ctx, const char *member)
{
	struct test_run *t = ctx;
	snprintf(t->member, sizeof(t->member), "%s", member);
	match_begin(t->m, 0.0, on_test_finding, t);
}

static void on_test_text(void *ctx, const char *utf8, size_t len)
{
	struct test_run *t = ctx;
	match_feed(t->m, utf8, len);
}

static void on_test_end(void *ctx)
{
	struct test_run *t = ctx;
	match_end(t->m);
}

static void on_test_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	(void)ctx;
	printf("%s: %s (%s)\n", member[0] ? member : "(file)", extract_coverage_rule(what), detail);
}

/* A finding an extractor made itself (an ID card image, a QR payload). */
static void on_test_found(void *ctx, const char *member, const struct extract_finding *f)
{
	struct test_run *t = ctx;
	char masked[DETECT_VALUE_MAX + 1];

	t->count++;
	if (f->shown)
		snprintf(masked, sizeof(masked), "%s", f->shown);
	else
		mask_value(f->value, f->value_len, masked, sizeof(masked));
	printf("%s%s%s %s %.2f (%s)\n", member, member[0] ? ": " : "", f->rule, masked, f->confidence,
	       extract_source_name(f->source));
}

static int test(const char *dir, const char *file)
{
	static const struct extract_handler handler = {
	        .text_begin = on_test_begin,
	        .text = on_test_text,
	        .text_end = on_test_end,
	        .coverage = on_test_coverage,
	        .finding = on_test_found,
	};
	struct rules *rules = NULL;
	struct extract *x = NULL;
	struct extract_result res;
	struct test_run t = {0};
	struct stat st;
	int rc = CLI_EXIT_ERROR;
	int fd = fsafe_open(AT_FDCWD, file, &st);

	if (fd < 0) {
		cli_path_error(file, fd == ERR_IO ? "cannot open" : "not a regular file");
		return CLI_EXIT_ERROR;
	}
	if (cli_load_rules(dir, false, &rules) < 0 || match_new(rules, &t.m) < 0 || extract_new(&x) < 0)
		goto out;
	if (extract_file(x, fd, &st, &handler, &t, &res) < 0) {
		cli_path_error(file, "read error");
		goto out;
	}
	printf("%d findings (read as %s)\n", t.count, res.type);
	rc = t.count ? CLI_EXIT_FINDINGS : CLI_EXIT_CLEAN;
out:
	close(fd);
	extract_free(x);
	match_free(t.m);
	rules_free(rules);
	return rc;
}

int cmd_rules(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"rules", required_argument, NULL, 'r'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},
	        {0, 0, 0, 0},
	};
	const char *dir = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'r') {
			dir = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return CLI_EXIT_CLEAN;
		} else if (c == 'V') {
			cli_version();
			return CLI_EXIT_CLEAN;
		} else {
			usage(stderr);
			return CLI_EXIT_ERROR;
		}
	}
	const char *verb = optind < argc ? argv[optind] : "list";
	int rest = argc - optind - 1;
	if (strcmp(verb, "list") == 0 && rest <= 0)
		return list(dir);
	if (strcmp(verb, "lint") == 0 && rest <= 1)
		return lint(rest == 1 ? argv[optind + 1] : dir);
	if (strcmp(verb, "test") == 0 && rest == 1)
		return test(dir, argv[optind + 1]);
	usage(stderr);
	return CLI_EXIT_ERROR;
}
