/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard scan: scans files and folders once and prints the findings, masked
 * and fingerprinted, in the contract's formats. The calling thread walks the
 * targets and hands open descriptors to --jobs scanning threads, each with
 * its own matcher. Exit 0 clean, 1 findings, 2 an error (an unreadable file is
 * reported and counted but is not by itself an error).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "fsafe.h"
#include "limits.h"
#include "mask.h"
#include "output.h"
#include "config.h"
#include "forward.h"
#include "paths.h"
#include "extract.h"
#include "match.h"
#include "progress.h"
#include "record.h"
#include "store.h"

#define QUEUE_SLOTS 64

struct job {
	int fd;
	const char *path;   /* as printed: below the root as it was given */
	const char *stored; /* absolute, as the store and the forwarded events name it */
	char *copy;         /* both, owned, when the job is queued */
	struct stat st;
	int64_t opened_ns;
};

struct scan {
	enum output_format format;
	bool stdout_tty; /* findings and the progress line share the terminal */
	double min_confidence;
	struct extract_limits limits; /* the configuration's [limits] */
	unsigned jobs;
	bool skip_unchanged;
	bool no_ocr; /* --no-ocr, or ocr = no: images are read for QR codes and MRZ only */
	char ocr_languages[CONFIG_OCR_LANGUAGES];
	struct rules *rules;
	unsigned char key[MASK_KEY_BYTES];
	struct store *store;             /* NULL with --no-store */
	char own_store[CONFIG_PATH_MAX]; /* the store's absolute path: never opened by the walk */
	char own_key[CONFIG_PATH_MAX];   /* nor the key's */
	int64_t scan_id;
	struct forward *forward; /* NULL when not storing */
	const char *root;        /* the root being walked, as given ... */
	size_t root_len;         /* ... its length without trailing slashes ... */
	char root_abs[4096];     /* ... and its absolute path */

	pthread_mutex_t out_lock;
	atomic_uint_fast64_t files, bytes, findings, unreadable, skipped, suppressed, store_errors;

	/* The queue from the walking thread to the scanning threads. */
	pthread_mutex_t q_lock;
	pthread_cond_t q_not_empty, q_not_full;
	struct job queue[QUEUE_SLOTS];
	size_t q_head, q_count;
	bool q_done;
	struct engine *inline_engine; /* --jobs 1: no threads */
};

/* What a scanning thread owns: a matcher and an extraction context. */
struct engine {
	struct matcher *m;
	struct extract *x;
};

struct file_ctx {
	struct scan *scan;
	struct matcher *m;
	const char *path;
	struct record_file rec;
};

static void on_finding(const struct match_finding *f, void *ctx)
{
	struct file_ctx *fc = ctx;

	record_value(&fc->rec, f->rule_id, f->label, f->value, f->value_len, NULL, f->confidence, f->line, f->offset);
}

static void on_text_begin(void *ctx, const char *member)
{
	struct file_ctx *fc = ctx;

	record_member(&fc->rec, member);
	match_begin(fc->m, fc->scan->min_confidence, on_finding, fc);
}

static void on_text_source(void *ctx, enum extract_source source)
{
	struct file_ctx *fc = ctx;
	record_source(&fc->rec, extract_source_name(source));
}

/* A finding an extractor made itself (an ID card image, a QR payload). */
static void on_extract_finding(void *ctx, const char *member, const struct extract_finding *f)
{
	struct file_ctx *fc = ctx;

	if (f->confidence >= fc->scan->min_confidence)
		record_extract_finding(&fc->rec, member, f);
}

static void on_text(void *ctx, const char *utf8, size_t len)
{
	struct file_ctx *fc = ctx;
	match_feed(fc->m, utf8, len);
}

static void on_text_end(void *ctx)
{
	struct file_ctx *fc = ctx;
	match_end(fc->m);
}

static void on_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	struct file_ctx *fc = ctx;

	record_coverage(&fc->rec, member, what, detail);
}

static const struct extract_handler scan_handler = {
        .text_begin = on_text_begin,
        .text = on_text,
        .text_end = on_text_end,
        .coverage = on_coverage,
        .text_source = on_text_source,
        .finding = on_extract_finding,
};

static void print_finding(const struct record_finding *f, void *ctx)
{
	const struct file_ctx *fc = ctx;
	struct scan *s = fc->scan;
	char line[20000];
	struct output_finding of = {
	        .path = fc->path,
	        .member = f->member,
	        .rule = f->rule,
	        .label = f->label,
	        .masked = f->masked,
	        .fingerprint = f->fingerprint,
	        .confidence = f->confidence,
	        .source = f->source,
	        .line = f->line,
	        .offset = f->offset,
	};
	size_t n = output_format_finding(line, sizeof(line), s->format, &of);
	pthread_mutex_lock(&s->out_lock);
	if (s->stdout_tty)
		progress_clear();
	fwrite(line, 1, n, stdout);
	pthread_mutex_unlock(&s->out_lock);
}

/* The file's findings go to the store (in one transaction), to stdout unless
 * marked false positives before, and when new to the forwarding channels. */
static void scan_one(struct scan *s, struct engine *en, const struct job *j)
{
	struct file_ctx fc = {.scan = s, .m = en->m, .path = j->path};
	struct extract_result res;
	struct record_counts counts = {0};

	record_begin(&fc.rec, s->key);
	int rc = extract_file(en->x, j->fd, &j->st, &scan_handler, &fc, &res);
	int e = errno;

	close(j->fd);
	atomic_fetch_add(&s->files, 1);
	atomic_fetch_add(&s->bytes, res.bytes);
	if (rc < 0) {
		atomic_fetch_add(&s->unreadable, 1);
		cli_path_error(j->path, rc == ERR_IO ? strerror(e) : err_str(rc));
	}
	if (fc.rec.dropped) {
		char msg[128];
		snprintf(msg, sizeof(msg), "more than %u findings; the first %u are reported", LIMIT_FILE_FINDINGS,
		         LIMIT_FILE_FINDINGS);
		cli_path_error(j->path, msg);
	}
	record_commit(&fc.rec, s->store, s->forward, s->scan_id, j->stored, &j->st, j->opened_ns,
	              record_outcome(&fc.rec, rc), print_finding, &fc, &counts);
	atomic_fetch_add(&s->findings, counts.reported);
	atomic_fetch_add(&s->suppressed, counts.suppressed);
	atomic_fetch_add(&s->store_errors, counts.store_errors);
	record_end(&fc.rec);
}

static void engine_free(struct engine *en)
{
	if (!en)
		return;
	match_free(en->m);
	extract_free(en->x);
	free(en);
}

static struct engine *engine_new(const struct scan *s)
{
	struct engine *en = calloc(1, sizeof(*en));

	if (!en || match_new(s->rules, &en->m) < 0 || extract_new(&en->x) < 0) {
		engine_free(en);
		return NULL;
	}
	extract_set_limits(en->x, &s->limits);
	extract_set_ocr(en->x, !s->no_ocr, s->ocr_languages);
	return en;
}

static void *worker(void *arg)
{
	struct scan *s = arg;
	struct engine *en = engine_new(s);

	if (!en)
		cli_error("cannot start a scanning thread (memory, or libmagic's database)");
	for (;;) {
		pthread_mutex_lock(&s->q_lock);
		while (s->q_count == 0 && !s->q_done)
			pthread_cond_wait(&s->q_not_empty, &s->q_lock);
		if (s->q_count == 0) {
			pthread_mutex_unlock(&s->q_lock);
			break;
		}
		struct job j = s->queue[s->q_head];
		s->q_head = (s->q_head + 1) % QUEUE_SLOTS;
		s->q_count--;
		pthread_cond_signal(&s->q_not_full);
		pthread_mutex_unlock(&s->q_lock);
		if (en) {
			scan_one(s, en, &j);
		} else {
			close(j.fd);
			atomic_fetch_add(&s->unreadable, 1);
			cli_path_error(j.path, "not scanned: out of memory");
		}
		free(j.copy);
	}
	engine_free(en);
	return NULL;
}

static int64_t wall_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* The absolute path of a file below the root being walked. */
static void absolute_path(const struct scan *s, const char *path, char *out, size_t size)
{
	if (strncmp(path, s->root, s->root_len) == 0)
		snprintf(out, size, "%s%s", s->root_abs, path + s->root_len);
	else
		snprintf(out, size, "%s", path);
}

/* The store (and its -wal, -shm, -journal) is not scanned, nor even
 * opened: closing a descriptor of it would drop this process's SQLite locks
 * on it while the scan still writes it. */
static bool skip_own(const char *path, void *ctx)
{
	const struct scan *s = ctx;
	char abs[16384];
	size_t n = strlen(s->own_store);

	if (!n)
		return false;
	absolute_path(s, path, abs, sizeof(abs));
	return strncmp(abs, s->own_store, n) == 0 || strcmp(abs, s->own_key) == 0;
}

static int on_file(int fd, const char *path, const struct stat *st, void *ctx)
{
	struct scan *s = ctx;
	struct job j = {.fd = fd, .path = path, .st = *st, .opened_ns = wall_ns()};
	char stored[16384];
	bool unchanged = false;

	absolute_path(s, path, stored, sizeof(stored));
	j.stored = stored;
	if (s->skip_unchanged && s->store && store_file_unchanged(s->store, stored, st, &unchanged) == 0 && unchanged) {
		close(fd);
		atomic_fetch_add(&s->skipped, 1);
		return 0;
	}
	if (s->inline_engine) {
		scan_one(s, s->inline_engine, &j);
		return 0;
	}
	size_t plen = strlen(path) + 1, slen = strlen(stored) + 1;
	j.copy = malloc(plen + slen);
	if (!j.copy) {
		close(fd);
		cli_path_error(path, "not scanned: out of memory");
		atomic_fetch_add(&s->unreadable, 1);
		return 0;
	}
	memcpy(j.copy, path, plen);
	memcpy(j.copy + plen, stored, slen);
	j.path = j.copy;
	j.stored = j.copy + plen;
	pthread_mutex_lock(&s->q_lock);
	while (s->q_count == QUEUE_SLOTS)
		pthread_cond_wait(&s->q_not_full, &s->q_lock);
	s->queue[(s->q_head + s->q_count) % QUEUE_SLOTS] = j;
	s->q_count++;
	pthread_cond_signal(&s->q_not_empty);
	pthread_mutex_unlock(&s->q_lock);
	return 0;
}

/* Make root the one being walked: the store names files by absolute paths
 * (realpath of the root; the root itself is never a link, fsafe refuses it). */
static void set_root(struct scan *s, const char *root)
{
	char *abs = realpath(root, NULL);

	s->root = root;
	s->root_len = strlen(root);
	while (s->root_len > 1 && root[s->root_len - 1] == '/')
		s->root_len--;
	snprintf(s->root_abs, sizeof(s->root_abs), "%s", abs ? abs : root);
	if (strcmp(s->root_abs, "/") == 0)
		s->root_abs[0] = '\0'; /* "/" + "/etc" must not give "//etc" */
	free(abs);
}

static void on_walk_error(const char *path, int err, const char *what, void *ctx)
{
	struct scan *s = ctx;

	(void)err;
	atomic_fetch_add(&s->unreadable, 1);
	cli_path_error(path, what);
}

static void usage(FILE *f)
{
	fputs("usage: piiguard scan [OPTIONS] PATH...\n"
	      "\n"
	      "Scan files and folders (recursively, never following links) for citizens'\n"
	      "identifiers, print each finding, masked, with a keyed fingerprint, and\n"
	      "record it in the store.\n"
	      "\n"
	      "  --format text|jsonl|csv  output format (default: text on a terminal, else jsonl)\n"
	      "  --min-confidence X       drop findings below X, 0..1 (default 0.5)\n"
	      "  --jobs N                 scanning threads (default: number of CPUs)\n"
	      "  --rules DIR              load the rule files of DIR instead of the installed ones\n"
	      "  --store PATH             the findings store (default: /var/lib/piiguard/findings.db,\n"
	      "                           or $XDG_STATE_HOME/piiguard/findings.db when not root)\n"
	      "  --no-store               do not write the store (nothing is forwarded either)\n"
	      "  --key-file FILE          fingerprint key (default: 'key' beside the store, created 0600)\n"
	      "  --skip-unchanged         do not read files the store proves unchanged since their\n"
	      "                           last scan (their findings are not printed again)\n"
	      "  --no-ocr                 skip OCR of images (QR codes and MRZ are still read)\n"
	      "  -c, --config FILE        configuration file (default: /etc/piiguard/piiguard.conf)\n"
	      "  --stats                  print files, bytes, speed and memory on stderr\n"
	      "  --quiet                  no progress line on a terminal (stderr)\n"
	      "\n"
	      "A finding marked a false positive (piiguard findings false-positive) is not\n"
	      "reported again for the same file. Exit status: 0 no findings, 1 findings,\n"
	      "2 an error.\n",
	      f);
}

static void print_stats(struct scan *s, double seconds)
{
	struct rusage ru;
	double mb = (double)atomic_load(&s->bytes) / 1e6;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
	        "piiguard: %llu files (%llu unchanged, skipped), %.1f MB in %.3f s (%.1f MB/s, %.0f files/s), "
	        "%llu findings (%llu suppressed), %llu unreadable, max RSS %.1f MiB\n",
	        (unsigned long long)atomic_load(&s->files), (unsigned long long)atomic_load(&s->skipped), mb, seconds,
	        seconds > 0 ? mb / seconds : 0.0,
	        seconds > 0 ? (double)(atomic_load(&s->files) + atomic_load(&s->skipped)) / seconds : 0.0,
	        (unsigned long long)atomic_load(&s->findings), (unsigned long long)atomic_load(&s->suppressed),
	        (unsigned long long)atomic_load(&s->unreadable), (double)ru.ru_maxrss / 1024.0);
}

struct options {
	const char *rules, *key, *store, *config;
	bool no_store, stats, min_given, quiet;
};

static int parse_options(int argc, char **argv, struct scan *s, struct options *o)
{
	enum {
		OPT_FORMAT = 256,
		OPT_MIN,
		OPT_JOBS,
		OPT_RULES,
		OPT_KEY,
		OPT_STORE,
		OPT_NO_STORE,
		OPT_NO_OCR,
		OPT_SKIP,
		OPT_STATS,
		OPT_QUIET,
		OPT_VERSION
	};
	static const struct option opts[] = {
	        {"format", required_argument, NULL, OPT_FORMAT},
	        {"min-confidence", required_argument, NULL, OPT_MIN},
	        {"jobs", required_argument, NULL, OPT_JOBS},
	        {"rules", required_argument, NULL, OPT_RULES},
	        {"key-file", required_argument, NULL, OPT_KEY},
	        {"store", required_argument, NULL, OPT_STORE},
	        {"no-store", no_argument, NULL, OPT_NO_STORE},
	        {"no-ocr", no_argument, NULL, OPT_NO_OCR},
	        {"skip-unchanged", no_argument, NULL, OPT_SKIP},
	        {"config", required_argument, NULL, 'c'},
	        {"stats", no_argument, NULL, OPT_STATS},
	        {"help", no_argument, NULL, 'h'},
	        {"quiet", no_argument, NULL, OPT_QUIET},
	        {"version", no_argument, NULL, OPT_VERSION},
	        {0, 0, 0, 0},
	};
	int c;
	char *end;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (output_parse_format(optarg, &s->format) < 0) {
				cli_error("--format must be text, jsonl or csv");
				return -1;
			}
			break;
		case OPT_MIN:
			errno = 0;
			s->min_confidence = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(s->min_confidence >= 0 && s->min_confidence <= 1)) {
				cli_error("--min-confidence must be a number from 0 to 1");
				return -1;
			}
			o->min_given = true;
			break;
		case OPT_JOBS: {
			long n = strtol(optarg, &end, 10);
			if (*end || end == optarg || n < 1 || n > LIMIT_JOBS) {
				cli_error("--jobs must be from 1 to %u", LIMIT_JOBS);
				return -1;
			}
			s->jobs = (unsigned)n;
			break;
		}
		case OPT_RULES: o->rules = optarg; break;
		case OPT_KEY: o->key = optarg; break;
		case OPT_STORE: o->store = optarg; break;
		case OPT_NO_STORE: o->no_store = true; break;
		case OPT_SKIP: s->skip_unchanged = true; break;
		case 'c': o->config = optarg; break;
		case OPT_STATS: o->stats = true; break;
		case OPT_QUIET: o->quiet = true; break;
		case OPT_NO_OCR: s->no_ocr = true; break;
		case 'h': usage(stdout); return 1;
		case OPT_VERSION: cli_version(); return 1;
		default: usage(stderr); return -1;
		}
	}
	return 0;
}

/* Settle the store, the key and the forwarding from the options and the
 * configuration. Returns 0, or -1 after printing why. */
static int open_outputs(struct scan *s, const struct options *o, const struct config *cfg)
{
	char store[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX + 8];

	store[0] = '\0';
	/* With --no-store and --key-file no state folder is needed at all. */
	if ((!o->no_store || !o->key) && cli_store_path(o->store, cfg, store, sizeof(store)) < 0)
		return -1;
	cli_key_path(o->key, cfg, store, key, sizeof(key));
	if (cli_load_key(key, s->key) < 0)
		return -1;
	if (o->no_store)
		return 0;
	if (cli_open_store(store, &s->store) < 0)
		return -1;
	if (!realpath(store, s->own_store))
		s->own_store[0] = '\0';
	if (!realpath(key, s->own_key))
		s->own_key[0] = '\0';
	if (store_scan_begin(s->store, "scan", &s->scan_id) < 0) {
		cli_path_error(store, "cannot record the scan");
		return -1;
	}
	if (forward_open(cfg, &s->forward) < 0) {
		cli_error("cannot forward to syslog address \"%s\"", cfg->syslog);
		return -1;
	}
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	struct scan *s = calloc(1, sizeof(*s));
	struct options o = {0};
	struct config cfg;
	pthread_t threads[LIMIT_JOBS];
	unsigned started = 0;
	bool fatal = false;
	struct timespec t0, t1;
	struct progress *progress = NULL;
	int rc;

	if (!s) {
		cli_error("out of memory");
		return CLI_EXIT_ERROR;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s->stdout_tty = isatty(STDOUT_FILENO);
	s->format = s->stdout_tty ? OUTPUT_TEXT : OUTPUT_JSONL;
	s->min_confidence = MATCH_DEFAULT_MIN_CONFIDENCE;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	s->jobs = cpus < 1 ? 1 : cpus > (long)LIMIT_JOBS ? LIMIT_JOBS : (unsigned)cpus;
	pthread_mutex_init(&s->out_lock, NULL);
	pthread_mutex_init(&s->q_lock, NULL);
	pthread_cond_init(&s->q_not_empty, NULL);
	pthread_cond_init(&s->q_not_full, NULL);
	rc = parse_options(argc, argv, s, &o);
	if (rc != 0) {
		rc = rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
		goto out;
	}
	rc = CLI_EXIT_ERROR;
	if (optind >= argc) {
		cli_error("scan: no PATH given");
		usage(stderr);
		goto out;
	}
	if (cli_load_config(o.config, &cfg) < 0)
		goto out;
	if (!o.min_given)
		s->min_confidence = cfg.min_confidence;
	s->limits = cfg.limits;
	s->no_ocr = s->no_ocr || !cfg.ocr;
	memcpy(s->ocr_languages, cfg.ocr_languages, sizeof(s->ocr_languages));
	if (open_outputs(s, &o, &cfg) < 0)
		goto out;
	if (cli_load_rules(o.rules, false, &s->rules) < 0) {
		cli_error("cannot load the detection rules");
		goto out;
	}
	output_begin(stdout, s->format, OUTPUT_COLUMNS_SCAN);
	if (progress_wanted(o.quiet)) {
		const struct progress_counters pc = {.files = &s->files, .bytes = &s->bytes, .findings = &s->findings};
		progress_start(&pc, &progress); /* without it the scan goes on, silently */
	}

	if (s->jobs == 1) {
		s->inline_engine = engine_new(s);
		if (!s->inline_engine)
			fatal = true;
	} else {
		for (; started < s->jobs; started++)
			if (pthread_create(&threads[started], NULL, worker, s) != 0)
				break;
		if (started == 0)
			fatal = true;
	}
	for (int i = optind; i < argc && (started > 0 || s->inline_engine); i++) {
		/* A missing target is an error, but the others are still scanned. */
		set_root(s, argv[i]);
		if (fsafe_walk_skipping(argv[i], skip_own, on_file, on_walk_error, s) == ERR_IO) {
			cli_path_error(argv[i], strerror(errno));
			fatal = true;
		}
	}
	pthread_mutex_lock(&s->q_lock);
	s->q_done = true;
	pthread_cond_broadcast(&s->q_not_empty);
	pthread_mutex_unlock(&s->q_lock);
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	progress_stop(progress);

	if (s->store) {
		struct store_scan_counts counts = {
		        .files = atomic_load(&s->files),
		        .skipped = atomic_load(&s->skipped),
		        .findings = atomic_load(&s->findings),
		        .errors = atomic_load(&s->unreadable),
		};
		if (store_scan_end(s->store, s->scan_id, &counts) < 0)
			atomic_fetch_add(&s->store_errors, 1);
	}
	if (atomic_load(&s->store_errors)) {
		cli_error("%llu store writes failed: findings are printed but not all are recorded",
		          (unsigned long long)atomic_load(&s->store_errors));
		fatal = true;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the findings: %s", strerror(errno));
		fatal = true;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o.stats)
		print_stats(s, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = fatal ? CLI_EXIT_ERROR : atomic_load(&s->findings) ? CLI_EXIT_FINDINGS : CLI_EXIT_CLEAN;
out:
	engine_free(s->inline_engine);
	forward_close(s->forward);
	store_close(s->store);
	rules_free(s->rules);
	explicit_bzero(s->key, sizeof(s->key));
	free(s);
	return rc;
}
