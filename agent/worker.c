/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard-worker: the sandboxed process that parses files for the agent.
 * Started by the agent (pool.c) with its end of a socketpair on
 * IPC_WORKER_FD, it loads libmagic, the rules and their JIT code, enters the
 * sandbox, says hello, then for each descriptor received extracts the text,
 * matches it and answers with typed messages: each finding's canonical value
 * (the agent masks and fingerprints it: the key never comes here), each
 * coverage outcome, and a final IPC_DONE. It never opens a file by name and
 * never writes one. Test hooks (PIIGUARD_TEST_HOOKS=1 in its environment)
 * make a file starting with a magic string crash or hang the worker and make
 * a seccomp refusal name its system call; without that variable they do
 * nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "extract.h"
#include "ipc.h"
#include "match.h"
#include "sandbox.h"

/* The charsets decode.c converts from (its table of uchardet's answers, the
 * UTF-16 it detects itself, and its fallback), and what libxml2 and
 * libarchive convert between: their iconv modules are loaded before the
 * sandbox forbids opening files, and kept loaded by holding a converter. */
static const char *const warm_charsets[] = {
        "UTF-16LE",     "UTF-16BE",     "UTF-16",
        "UCS-2",        "UCS-4",        "UTF-32",
        "BIG5",         "EUC-JP",       "EUC-KR",
        "EUC-TW",       "GB18030",      "IBM852",
        "IBM855",       "IBM866",       "ISO-2022-CN",
        "ISO-2022-JP",  "ISO-2022-KR",  "ISO-8859-1",
        "ISO-8859-2",   "ISO-8859-3",   "ISO-8859-4",
        "ISO-8859-5",   "ISO-8859-6",   "ISO-8859-7",
        "ISO-8859-8",   "ISO-8859-9",   "ISO-8859-10",
        "ISO-8859-11",  "ISO-8859-13",  "ISO-8859-15",
        "ISO-8859-16",  "KOI8-R",       "MAC-CENTRALEUROPE",
        "MAC-CYRILLIC", "SHIFT_JIS",    "TIS-620",
        "UHC",          "VISCII",       "WINDOWS-1250",
        "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253",
        "WINDOWS-1254", "WINDOWS-1255", "WINDOWS-1256",
        "WINDOWS-1257", "WINDOWS-1258", "CP437",
        "CP850",        "CP866",        "CP932",
        "CP936",        "CP949",        "CP950",
        "ASCII",
};

/* Converters held for the worker's lifetime (see warm_charsets). */
static iconv_t warm[2 * sizeof(warm_charsets) / sizeof(warm_charsets[0])];

/* glibc declares iconv_open() an allocator: gcc's analyzer takes its failure
 * value for memory that leaks, and the converters are kept on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static void warm_up(void)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(warm_charsets) / sizeof(warm_charsets[0]); i++) {
		iconv_t cd = iconv_open("UTF-8", warm_charsets[i]);
		if (cd != (iconv_t)-1)
			warm[n++] = cd;
		cd = iconv_open(warm_charsets[i], "UTF-8");
		if (cd != (iconv_t)-1)
			warm[n++] = cd;
	}
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#define TEST_CRASH "PIIGUARD-TEST-CRASH"
#define TEST_HANG  "PIIGUARD-TEST-HANG"

struct worker {
	int sock;
	double min_confidence;
	struct matcher *m;
	uint64_t job;
	char member[IPC_MEMBER_MAX + 1]; /* of the current text run */
	enum extract_source source;      /* of the current text run */
	bool send_failed;
	struct ipc_msg msg; /* the message being built: large, so not on the stack */
};

static void send_msg(struct worker *w)
{
	/* A message the encoder refuses (a field past its limit) is left out;
	 * a socket that fails ends the worker. */
	if (!w->send_failed && ipc_send(w->sock, &w->msg, -1) == ERR_IO)
		w->send_failed = true;
	ipc_wipe(&w->msg);
}

static void on_finding(const struct match_finding *f, void *ctx)
{
	struct worker *w = ctx;
	struct ipc_msg *m = &w->msg;

	memset(m, 0, sizeof(*m));
	m->type = IPC_FINDING;
	m->job = w->job;
	m->confidence = f->confidence;
	m->line = f->line;
	m->offset = f->offset;
	snprintf(m->rule, sizeof(m->rule), "%s", f->rule_id);
	snprintf(m->label, sizeof(m->label), "%s", f->label ? f->label : "");
	snprintf(m->member, sizeof(m->member), "%s", w->member);
	m->source = (unsigned)w->source;
	if (f->value_len < sizeof(m->value)) {
		memcpy(m->value, f->value, f->value_len);
		m->value[f->value_len] = '\0';
	}
	send_msg(w);
}

static void on_text_source(void *ctx, enum extract_source source)
{
	struct worker *w = ctx;
	w->source = source;
}

/* A finding an extractor made itself (an ID card image): sent as it is, with
 * what to show instead of its value when it has that. */
static void on_extract_finding(void *ctx, const char *member, const struct extract_finding *f)
{
	struct worker *w = ctx;
	struct ipc_msg *m = &w->msg;

	if (f->confidence < w->min_confidence || f->value_len >= sizeof(m->value))
		return;
	memset(m, 0, sizeof(*m));
	m->type = IPC_FINDING;
	m->job = w->job;
	m->confidence = f->confidence;
	m->source = (unsigned)f->source;
	snprintf(m->rule, sizeof(m->rule), "%s", f->rule);
	snprintf(m->label, sizeof(m->label), "%s", f->label ? f->label : "");
	snprintf(m->member, sizeof(m->member), "%s", member ? member : "");
	snprintf(m->shown, sizeof(m->shown), "%s", f->shown ? f->shown : "");
	memcpy(m->value, f->value, f->value_len);
	m->value[f->value_len] = '\0';
	send_msg(w);
}

static void on_text_begin(void *ctx, const char *member)
{
	struct worker *w = ctx;

	snprintf(w->member, sizeof(w->member), "%s", member ? member : "");
	w->source = EXTRACT_SOURCE_TEXT;
	match_begin(w->m, w->min_confidence, on_finding, w);
}

static void on_text(void *ctx, const char *utf8, size_t len)
{
	struct worker *w = ctx;
	match_feed(w->m, utf8, len);
}

static void on_text_end(void *ctx)
{
	struct worker *w = ctx;
	match_end(w->m);
}

static void on_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	struct worker *w = ctx;
	struct ipc_msg *m = &w->msg;

	memset(m, 0, sizeof(*m));
	m->type = IPC_COVERAGE;
	m->job = w->job;
	m->coverage = (unsigned)what;
	snprintf(m->member, sizeof(m->member), "%s", member ? member : "");
	snprintf(m->detail, sizeof(m->detail), "%s", detail ? detail : "");
	send_msg(w);
}

static const struct extract_handler worker_handler = {
        .text_begin = on_text_begin,
        .text = on_text,
        .text_end = on_text_end,
        .coverage = on_coverage,
        .text_source = on_text_source,
        .finding = on_extract_finding,
};

/* Test hooks only: a file that starts with a magic string crashes or hangs. */
static void test_hooks(int fd)
{
	char head[32] = {0};
	ssize_t n = pread(fd, head, sizeof(head) - 1, 0);

	if (n <= 0)
		return;
	if (strncmp(head, TEST_CRASH, strlen(TEST_CRASH)) == 0)
		abort();
	if (strncmp(head, TEST_HANG, strlen(TEST_HANG)) == 0)
		for (volatile unsigned long spin = 0;; spin++)
			;
}

static void scan_fd(struct worker *w, struct extract *x, int fd, bool hooks)
{
	struct stat st;
	struct extract_result res = {0};
	int rc;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = ERR_UNSUPPORTED;
	} else {
		if (hooks)
			test_hooks(fd);
		rc = extract_file(x, fd, &st, &worker_handler, w, &res);
	}
	int e = errno;
	close(fd);
	memset(&w->msg, 0, sizeof(w->msg));
	w->msg.type = IPC_DONE;
	w->msg.job = w->job;
	w->msg.status = rc < 0 ? rc : 0;
	w->msg.err = rc == ERR_IO ? e : 0;
	w->msg.bytes = res.bytes;
	snprintf(w->msg.ftype, sizeof(w->msg.ftype), "%s", res.type ? res.type : "");
	for (char *p = w->msg.ftype; *p; p++) /* the type's name as a rule-like token */
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			*p = '_';
	send_msg(w);
}

static void quiet_stderr(void)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

/* "--limits BYTES,BYTES,RATIO,NESTING,MEMBERS,SECONDS" as the pool writes it. */
static int parse_limits(const char *text, struct extract_limits *ret)
{
	unsigned long long f, e;
	unsigned r, n, m, sec;
	int used = 0;

	if (sscanf(text, "%llu,%llu,%u,%u,%u,%u%n", &f, &e, &r, &n, &m, &sec, &used) != 6 || text[used] || !f || !e ||
	    !r || !n || !m || !sec)
		return -1;
	*ret = (struct extract_limits){
	        .file_bytes = f, .expanded_bytes = e, .ratio = r, .nesting = n, .members = m, .seconds = sec};
	return 0;
}

int worker_main(int argc, char **argv)
{
	static struct worker w = {.sock = IPC_WORKER_FD, .min_confidence = MATCH_DEFAULT_MIN_CONFIDENCE};
	static const struct option opts[] = {
	        {"rules", required_argument, NULL, 'r'},         {"min-confidence", required_argument, NULL, 'm'},
	        {"ocr-languages", required_argument, NULL, 'l'}, {"no-ocr", no_argument, NULL, 'n'},
	        {"limits", required_argument, NULL, 'L'},        {0, 0, 0, 0},
	};
	struct extract_limits limits;
	bool ocr = true;
	const char *ocr_languages = NULL;
	const char *rules_dir = NULL, *env = secure_getenv("PIIGUARD_TEST_HOOKS");
	bool hooks = env && strcmp(env, "1") == 0;
	struct rules *rules = NULL;
	struct extract *x = NULL;
	struct stat st;
	int c, rc = CLI_EXIT_ERROR;

	extract_limits_default(&limits);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rules_dir = optarg; break;
		case 'm': w.min_confidence = strtod(optarg, NULL); break;
		case 'l': ocr_languages = optarg; break;
		case 'n': ocr = false; break;
		case 'L':
			if (parse_limits(optarg, &limits) < 0)
				return CLI_EXIT_ERROR;
			break;
		default: return CLI_EXIT_ERROR;
		}
	}
	if (fstat(w.sock, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		cli_error("piiguard-worker is started by the agent (piiguard watch), not by hand");
		return CLI_EXIT_ERROR;
	}
	if (cli_load_rules(rules_dir, false, &rules) < 0 || match_new(rules, &w.m) < 0 || extract_new(&x) < 0) {
		cli_error("worker: cannot load the rules or libmagic's database");
		goto out;
	}
	extract_set_limits(x, &limits);
	extract_set_ocr(x, ocr, ocr_languages);
	/* Tesseract opens its language data and zbar starts now, while files
	 * can still be opened; an engine that cannot start leaves images to
	 * coverage.unsupported. */
	extract_image_prepare(x);
	warm_up();
	/* Libraries that write diagnostics lazily (tesseract opens its debug
	 * file on first use, which the sandbox refuses) would fill the agent's
	 * log with them: the worker's stderr goes nowhere from here, except when
	 * testing, where the sandbox's own reports are wanted. */
	if (!hooks)
		quiet_stderr();
	if (sandbox_drop(hooks) < 0 || sandbox_seccomp(hooks) < 0) {
		cli_error("worker: cannot enter the sandbox: %s", strerror(errno));
		goto out;
	}
	memset(&w.msg, 0, sizeof(w.msg));
	w.msg.type = IPC_HELLO;
	w.msg.version = IPC_VERSION;
	send_msg(&w);
	while (!w.send_failed) {
		struct ipc_msg in;
		int fd = -1;
		if (ipc_recv(w.sock, false, &in, &fd) < 0) {
			rc = errno == ECONNRESET ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR; /* the agent closed: done */
			goto out;
		}
		if (in.type != IPC_SCAN || fd < 0) {
			if (fd >= 0)
				close(fd);
			goto out;
		}
		w.job = in.job;
		scan_fd(&w, x, fd, hooks);
	}
	rc = CLI_EXIT_CLEAN;
out:
	match_free(w.m);
	extract_free(x);
	rules_free(rules);
	return rc;
}
