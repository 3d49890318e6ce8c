/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocation-failure torture (`make torture`): each scenario below drives a
 * part of the library the way the programs do, cleaning up after itself on
 * every error. It is first run once to count the allocations it makes; then,
 * for every N, in a child process whose Nth allocation fails. The child must
 * end normally (no signal, no sanitizer report, no leak: the build uses ASan
 * and LeakSanitizer) whatever its scenario returned. Allocations are counted
 * through the linker's --wrap, so only piiguard's own calls fail, not those
 * inside the libraries it uses.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "decode.h"
#include "error.h"
#include "extract.h"
#include "mask.h"
#include "match.h"
#include "rules.h"
#include "queue.h"
#include "store.h"

/* --- failing allocations -------------------------------------------------- */

static unsigned long torture_count; /* allocations so far */
static unsigned long torture_fail;  /* the one that fails; 0: none */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);

static bool torture_fails(void)
{
	return ++torture_count == torture_fail;
}

void *__wrap_malloc(size_t size)
{
	return torture_fails() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return torture_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return torture_fails() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
	return torture_fails() ? NULL : __real_strdup(s);
}

/* --- scenarios -------------------------------------------------------------- */

static char torture_dir[] = "/tmp/piiguard-torture-XXXXXX";
static const char *torture_data; /* tests/fuzz/corpus: real inputs of every format */

static void on_rule_error(const char *file, int line, const char *msg, void *ctx)
{
	(void)file;
	(void)line;
	(void)msg;
	(void)ctx;
}

static void on_finding(const struct match_finding *f, void *ctx)
{
	(*(unsigned *)ctx) += f->value_len > 0;
}

static const char torture_text[] = "Họ và tên: Nguyễn Văn An\nSố CCCD: 052090001234\n"
                                   "公民身份号码 11010519491231002X\nکد ملی: ۰۰۱۳۵۴۲۴۱۹\nE-mail: an@example.vn\n";

/* Rules loaded and a matcher over a text with findings of every family. */
static int scenario_match(void)
{
	struct rules *rules = NULL;
	struct matcher *m = NULL;
	unsigned findings = 0;
	int rc = rules_load(NULL, &rules, on_rule_error, NULL);

	if (rc == 0)
		rc = match_new(rules, &m);
	if (rc == 0) {
		match_begin(m, 0.0, on_finding, &findings);
		match_feed(m, torture_text, sizeof(torture_text) - 1);
		match_end(m);
	}
	match_free(m);
	rules_free(rules);
	return rc;
}

/* A rule file with errors and one good rule, as `rules lint` reads it. */
static int scenario_rules_text(void)
{
	static const char text[] = "[t.one]\nlabel = One\npattern = \\b\\d{9}\\b\nconfidence = 0.5\n"
	                           "context = số, id\nmatch: số 123456789\nnomatch: 12345678\n"
	                           "[t.bad]\npattern = (\nlabel = Bad\n[t.two]\nlabel\n";
	struct rules *rules = NULL;
	int rc = rules_load_text("t.rules", text, sizeof(text) - 1, &rules, on_rule_error, NULL);

	rules_free(rules);
	return rc == ERR_NOMEM ? rc : 0;
}

/* Text in the charsets kiosks see, detected and decoded. */
static int scenario_decode(void)
{
	static const struct {
		const char *bytes;
		size_t len;
	} inputs[] = {
#define TORTURE_INPUT(bytes) {bytes, sizeof(bytes) - 1}
	        TORTURE_INPUT("S\xf4\xcc\x81 CCCD 052090001234"), /* WINDOWS-1258 */
	        TORTURE_INPUT("\xff\xfeS\x00\x31\x00\x32\x00"),   /* UTF-16LE with BOM */
	        TORTURE_INPUT("\xc9\xed\xb7\xdd\xd6\xa4 110105"), /* GB18030 */
#undef TORTURE_INPUT
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]) && rc == 0; i++) {
		struct decoder *d = NULL;
		size_t bom, used, out_len;
		char out[256];
		const char *charset = decode_detect((const unsigned char *)inputs[i].bytes, inputs[i].len, &bom);

		rc = decode_new(charset, &d);
		if (rc == 0)
			decode_run(d, (const unsigned char *)inputs[i].bytes + bom, inputs[i].len - bom, &used, out,
			           sizeof(out), &out_len, true);
		decode_free(d);
		if (rc != ERR_NOMEM)
			rc = 0;
	}
	return rc;
}

static void on_config_error(const char *file, int line, const char *msg, void *ctx)
{
	(void)file;
	(void)line;
	(void)msg;
	(void)ctx;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A configuration of every section, with a drop-in and an error. */
static int scenario_config(void)
{
	char path[256], dropin[256];
	struct config c;

	snprintf(path, sizeof(path), "%s/conf/piiguard.conf", torture_dir);
	snprintf(dropin, sizeof(dropin), "%s/conf/conf.d/10-site.conf", torture_dir);
	if (config_load(path, &c, on_config_error, NULL) == ERR_NOMEM)
		return ERR_NOMEM;
	return config_load(dropin, &c, on_config_error, NULL);
}

struct counts {
	unsigned runs, coverage;
	size_t bytes;
};

static void on_begin(void *ctx, const char *member)
{
	(void)member;
	((struct counts *)ctx)->runs++;
}

static void on_text(void *ctx, const char *utf8, size_t len)
{
	(void)utf8;
	((struct counts *)ctx)->bytes += len;
}

static void on_end(void *ctx)
{
	(void)ctx;
}

static void on_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	(void)member;
	(void)what;
	(void)detail;
	((struct counts *)ctx)->coverage++;
}

/* Every file of dir through extract_file(); ERR_NOMEM stops. */
static int extract_dir(struct extract *x, const char *dir, struct counts *counts)
{
	static const struct extract_handler h = {
	        .text_begin = on_begin, .text = on_text, .text_end = on_end, .coverage = on_coverage};
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	while (d && rc != ERR_NOMEM && (e = readdir(d))) {
		char path[1024];
		struct extract_result res;
		struct stat st;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			rc = extract_file(x, fd, &st, &h, counts, &res);
		close(fd);
	}
	if (d)
		closedir(d);
	return rc == ERR_NOMEM ? rc : 0;
}

/* Every saved input of every fuzz corpus (real files of every format the
 * extractors read, and the inputs that once crashed them) through
 * extract_file(). */
static int scenario_extract(void)
{
	struct extract *x = NULL;
	struct counts counts = {0};
	DIR *d = NULL;
	struct dirent *e;
	int rc = extract_new(&x);

	if (rc == 0 && !(d = opendir(torture_data)))
		rc = ERR_IO;
	while (rc == 0 && (e = readdir(d))) {
		char dir[512];
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", torture_data, e->d_name);
		rc = extract_dir(x, dir, &counts);
	}
	if (d)
		closedir(d);
	extract_free(x);
	return rc;
}

/* A store: a scan with a file, a finding and its outcome, then a query. */
static int on_row(const struct store_row *row, void *ctx)
{
	(void)row;
	(*(unsigned *)ctx)++;
	return 0;
}

static int scenario_store(void)
{
	char path[256];
	struct store *s = NULL;
	struct store_file *f = NULL;
	struct store_recorded rec;
	struct store_filter filter = {0};
	struct stat st = {.st_size = 10, .st_mtime = 1, .st_ino = 1};
	struct store_finding fi = {.rule = "vn.cccd",
	                           .label = "CCCD",
	                           .masked = "052******234",
	                           .fingerprint = "0123456789abcdef",
	                           .confidence = 0.9,
	                           .source = "text",
	                           .line = 2};
	unsigned rows = 0;
	int64_t scan = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/store-%lu.db", torture_dir, torture_fail);
	rc = store_open(path, &s);
	if (rc == 0)
		rc = store_scan_begin(s, "scan", &scan);
	if (rc == 0)
		rc = store_file_begin(s, scan, "/home/kiosk/Downloads/a.txt", &st, 1, &f);
	if (rc == 0) {
		rc = store_file_finding(f, &fi, &rec);
		int end = store_file_end(f, rc == 0 ? "findings" : "unreadable");
		if (rc == 0)
			rc = end;
	}
	if (rc == 0)
		rc = store_findings(s, &filter, on_row, &rows);
	store_close(s);
	unlink(path);
	return rc;
}

/* The fingerprint key created, read again, and used. */
static int scenario_mask(void)
{
	unsigned char key[MASK_KEY_BYTES];
	char path[256], masked[64], fp[MASK_FINGERPRINT_HEX + 1];
	int rc;

	snprintf(path, sizeof(path), "%s/key-%lu", torture_dir, torture_fail);
	rc = mask_key_load(path, true, key);
	if (rc == 0)
		rc = mask_key_load(path, false, key);
	if (rc == 0) {
		mask_value("052090001234", 12, masked, sizeof(masked));
		mask_fingerprint(key, "052090001234", 12, fp);
	}
	unlink(path);
	return rc;
}

/* The agent's queue: pushes, merges, a lift to the new line, pops. */
static int scenario_queue(void)
{
	struct queue *q = NULL;
	char path[QUEUE_PATH_MAX];
	enum queue_priority prio;
	int rc = queue_new(8, 8, &q);

	for (int i = 0; rc >= 0 && i < 12; i++) {
		snprintf(path, sizeof(path), "/home/kiosk/Downloads/f%d.txt", i % 6);
		rc = queue_push(q, path, i % 2 ? QUEUE_NEW : QUEUE_BACKLOG, i);
	}
	while (rc != ERR_NOMEM && queue_pop(q, 100, path, sizeof(path), &prio, NULL) == 1)
		;
	queue_free(q);
	return rc == ERR_NOMEM ? rc : 0;
}

static const struct {
	const char *name;
	int (*run)(void);
} scenarios[] = {
        {"match", scenario_match},   {"rules-text", scenario_rules_text}, {"decode", scenario_decode},
        {"config", scenario_config}, {"extract", scenario_extract},       {"store", scenario_store},
        {"mask", scenario_mask},     {"queue", scenario_queue},
};

/* --- the driver ------------------------------------------------------------- */

static int setup(void)
{
	char path[256];

	if (!mkdtemp(torture_dir))
		return -1;
	snprintf(path, sizeof(path), "%s/conf", torture_dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/conf/conf.d", torture_dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/conf/piiguard.conf", torture_dir);
	if (write_file(path, "[store]\npath = /var/lib/piiguard/findings.db\n[scan]\nmin_confidence = 0.6\n"
	                     "[forward]\nsyslog = tcp://[2001:db8::1]:6514\nfacility = local3\n"
	                     "[limits]\nmax_file_size = 20M\nmax_recursion = 4\n[nope]\nx = 1\n") < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/conf/conf.d/10-site.conf", torture_dir);
	return write_file(path, "[scan]\nmin_confidence = 0.9\n");
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", torture_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "torture: cannot remove %s\n", torture_dir);
}

/* Run scenario i with allocation `fail` failing, in a child; 0 when the child
 * ended normally. */
static int run_child(size_t i, unsigned long fail)
{
	pid_t pid;
	int status;

	fflush(NULL); /* nothing buffered is written twice */
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		torture_count = 0;
		torture_fail = fail;
		scenarios[i].run();
		fflush(NULL);
		exit(0); /* LeakSanitizer checks at exit: a leak exits non-zero */
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "torture: %s: allocation %lu failing: killed by signal %d\n", scenarios[i].name, fail,
		        WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		fprintf(stderr, "torture: %s: allocation %lu failing: exit %d (a sanitizer or leak report above)\n",
		        scenarios[i].name, fail, WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int failures = 0;

	torture_data = argc > 1 ? argv[1] : "tests/fuzz/corpus";
	if (setup() < 0) {
		fprintf(stderr, "torture: cannot prepare %s\n", torture_dir);
		return 2;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		unsigned long total, failed = 0;
		int rc;

		if (argc > 2 && strcmp(argv[2], scenarios[i].name) != 0)
			continue;
		torture_count = 0;
		torture_fail = 0;
		rc = scenarios[i].run();
		total = torture_count;
		if (rc != 0) {
			fprintf(stderr, "torture: %s fails without any failing allocation: %s\n", scenarios[i].name,
			        err_str(rc));
			failures++;
			continue;
		}
		for (unsigned long n = 1; n <= total; n++)
			if (run_child(i, n) < 0)
				failed++;
		printf("torture: %-8s %6lu allocations, each failed in turn: %lu bad\n", scenarios[i].name, total,
		       failed);
		failures += failed > 0;
	}
	teardown();
	return failures ? 1 : 0;
}
