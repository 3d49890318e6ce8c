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
#include "paths.h"
#include "scanfile.h"

#define QUEUE_SLOTS 64

struct job {
	int fd;
	char *path;
};

struct scan {
	enum output_format format;
	double min_confidence;
	unsigned jobs;
	struct rules *rules;
	unsigned char key[MASK_KEY_BYTES];

	pthread_mutex_t out_lock;
	atomic_uint_fast64_t files, bytes, findings, unreadable;

	/* The queue from the walking thread to the scanning threads. */
	pthread_mutex_t q_lock;
	pthread_cond_t q_not_empty, q_not_full;
	struct job queue[QUEUE_SLOTS];
	size_t q_head, q_count;
	bool q_done;
	struct matcher *inline_matcher; /* --jobs 1: no threads */
};

struct file_ctx {
	struct scan *scan;
	const char *path;
};

static void on_finding(const struct match_finding *f, void *ctx)
{
	const struct file_ctx *fc = ctx;
	struct scan *s = fc->scan;
	char masked[DETECT_VALUE_MAX + 1], fingerprint[MASK_FINGERPRINT_HEX + 1], line[20000];

	mask_value(f->value, f->value_len, masked, sizeof(masked));
	mask_fingerprint(s->key, f->value, f->value_len, fingerprint);
	struct output_finding of = {
	        .path = fc->path,
	        .rule = f->rule_id,
	        .label = f->label,
	        .masked = masked,
	        .fingerprint = fingerprint,
	        .confidence = f->confidence,
	        .source = "text",
	        .line = f->line,
	        .offset = f->offset,
	};
	size_t n = output_format_finding(line, sizeof(line), s->format, &of);
	pthread_mutex_lock(&s->out_lock);
	fwrite(line, 1, n, stdout);
	pthread_mutex_unlock(&s->out_lock);
	atomic_fetch_add(&s->findings, 1);
}

static void scan_one(struct scan *s, struct matcher *m, int fd, const char *path)
{
	struct file_ctx fc = {s, path};
	struct scanfile_result res;
	int rc = scanfile_fd(m, fd, s->min_confidence, on_finding, &fc, &res);
	int e = errno;

	close(fd);
	atomic_fetch_add(&s->files, 1);
	atomic_fetch_add(&s->bytes, res.bytes);
	if (rc < 0) {
		atomic_fetch_add(&s->unreadable, 1);
		cli_path_error(path, rc == ERR_IO ? strerror(e) : err_str(rc));
	}
}

static void *worker(void *arg)
{
	struct scan *s = arg;
	struct matcher *m = NULL;

	if (match_new(s->rules, &m) < 0) {
		cli_error("out of memory for a scanning thread");
		m = NULL;
	}
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
		if (m) {
			scan_one(s, m, j.fd, j.path);
		} else {
			close(j.fd);
			atomic_fetch_add(&s->unreadable, 1);
			cli_path_error(j.path, "not scanned: out of memory");
		}
		free(j.path);
	}
	match_free(m);
	return NULL;
}

static int on_file(int fd, const char *path, const struct stat *st, void *ctx)
{
	struct scan *s = ctx;
	char *copy;

	(void)st;
	if (s->inline_matcher) {
		scan_one(s, s->inline_matcher, fd, path);
		return 0;
	}
	copy = strdup(path);
	if (!copy) {
		close(fd);
		cli_path_error(path, "not scanned: out of memory");
		atomic_fetch_add(&s->unreadable, 1);
		return 0;
	}
	pthread_mutex_lock(&s->q_lock);
	while (s->q_count == QUEUE_SLOTS)
		pthread_cond_wait(&s->q_not_full, &s->q_lock);
	s->queue[(s->q_head + s->q_count) % QUEUE_SLOTS] = (struct job){fd, copy};
	s->q_count++;
	pthread_cond_signal(&s->q_not_empty);
	pthread_mutex_unlock(&s->q_lock);
	return 0;
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
	      "identifiers and print each finding, masked, with a keyed fingerprint.\n"
	      "\n"
	      "  --format text|jsonl|csv  output format (default: text on a terminal, else jsonl)\n"
	      "  --min-confidence X       drop findings below X, 0..1 (default 0.5)\n"
	      "  --jobs N                 scanning threads (default: number of CPUs)\n"
	      "  --rules DIR              load the rule files of DIR instead of the installed ones\n"
	      "  --key-file FILE          fingerprint key (default: the store's key, created 0600)\n"
	      "  --store PATH             the findings store (not written yet by this version)\n"
	      "  --no-store               do not write the store\n"
	      "  --no-ocr                 skip OCR of images\n"
	      "  -c, --config FILE        configuration file (not read yet by this version)\n"
	      "  --stats                  print files, bytes, speed and memory on stderr\n"
	      "\n"
	      "Exit status: 0 no findings, 1 findings, 2 an error.\n",
	      f);
}

static void print_stats(struct scan *s, double seconds)
{
	struct rusage ru;
	double mb = (double)atomic_load(&s->bytes) / 1e6;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
	        "piiguard: %llu files, %.1f MB in %.3f s (%.1f MB/s), %llu findings, %llu unreadable, "
	        "max RSS %.1f MiB\n",
	        (unsigned long long)atomic_load(&s->files), mb, seconds, seconds > 0 ? mb / seconds : 0.0,
	        (unsigned long long)atomic_load(&s->findings), (unsigned long long)atomic_load(&s->unreadable),
	        (double)ru.ru_maxrss / 1024.0);
}

static int parse_options(int argc, char **argv, struct scan *s, const char **ret_rules, const char **ret_key,
                         bool *ret_stats)
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
		OPT_STATS,
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
	        {"config", required_argument, NULL, 'c'},
	        {"stats", no_argument, NULL, OPT_STATS},
	        {"help", no_argument, NULL, 'h'},
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
		case OPT_RULES: *ret_rules = optarg; break;
		case OPT_KEY: *ret_key = optarg; break;
		case OPT_STATS: *ret_stats = true; break;
		case OPT_STORE:
		case OPT_NO_STORE:
		case OPT_NO_OCR:
		case 'c': break;
		case 'h': usage(stdout); return 1;
		case OPT_VERSION: cli_version(); return 1;
		default: usage(stderr); return -1;
		}
	}
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	struct scan *s = calloc(1, sizeof(*s));
	const char *rules_dir = NULL, *key_file = NULL;
	char key_path[4096];
	pthread_t threads[LIMIT_JOBS];
	unsigned started = 0;
	bool stats = false, fatal = false;
	struct timespec t0, t1;
	int rc;

	if (!s) {
		cli_error("out of memory");
		return CLI_EXIT_ERROR;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s->format = isatty(STDOUT_FILENO) ? OUTPUT_TEXT : OUTPUT_JSONL;
	s->min_confidence = MATCH_DEFAULT_MIN_CONFIDENCE;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	s->jobs = cpus < 1 ? 1 : cpus > (long)LIMIT_JOBS ? LIMIT_JOBS : (unsigned)cpus;
	rc = parse_options(argc, argv, s, &rules_dir, &key_file, &stats);
	if (rc != 0) {
		free(s);
		return rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
	}
	if (optind >= argc) {
		cli_error("scan: no PATH given");
		usage(stderr);
		free(s);
		return CLI_EXIT_ERROR;
	}
	if (!key_file) {
		if (paths_state_file("key", key_path, sizeof(key_path)) < 0) {
			cli_error("no state folder (HOME unset); give --key-file");
			free(s);
			return CLI_EXIT_ERROR;
		}
		key_file = key_path;
	}
	rc = mask_key_load(key_file, true, s->key);
	if (rc < 0) {
		cli_path_error(key_file, rc == ERR_FORMAT ? "key file must be a regular file of 32 bytes that only its "
		                                            "owner can read (mode 0600)"
		                                          : strerror(errno));
		free(s);
		return CLI_EXIT_ERROR;
	}
	if (cli_load_rules(rules_dir, false, &s->rules) < 0) {
		cli_error("cannot load the detection rules");
		free(s);
		return CLI_EXIT_ERROR;
	}
	pthread_mutex_init(&s->out_lock, NULL);
	pthread_mutex_init(&s->q_lock, NULL);
	pthread_cond_init(&s->q_not_empty, NULL);
	pthread_cond_init(&s->q_not_full, NULL);
	output_begin(stdout, s->format);

	if (s->jobs == 1) {
		if (match_new(s->rules, &s->inline_matcher) < 0)
			fatal = true;
	} else {
		for (; started < s->jobs; started++)
			if (pthread_create(&threads[started], NULL, worker, s) != 0)
				break;
		if (started == 0)
			fatal = true;
	}
	for (int i = optind; i < argc && (started > 0 || s->inline_matcher); i++) {
		/* A missing target is an error, but the others are still scanned. */
		if (fsafe_walk(argv[i], on_file, on_walk_error, s) == ERR_IO) {
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
	match_free(s->inline_matcher);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the findings: %s", strerror(errno));
		fatal = true;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (stats)
		print_stats(s, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = fatal ? CLI_EXIT_ERROR : atomic_load(&s->findings) ? CLI_EXIT_FINDINGS : CLI_EXIT_CLEAN;
	rules_free(s->rules);
	explicit_bzero(s->key, sizeof(s->key));
	free(s);
	return rc;
}
