/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The harness the extraction fuzz targets share: the input becomes a file (a
 * memfd) given to extract_file(), the real path from type detection to every
 * extractor. A target may put a format's head in front of inputs that lack
 * it, so that mutations keep reaching one extractor. Callbacks must balance
 * and member names stay bounded, or the target aborts.
 */
#ifndef PIIGUARD_FUZZ_EXTRACT_H
#define PIIGUARD_FUZZ_EXTRACT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "limits.h"

static int fuzz_open_runs;
static unsigned char fuzz_text_sum; /* every byte given is read, for ASan */

static void fuzz_on_begin(void *ctx, const char *member)
{
	(void)ctx;
	if (strlen(member) >= LIMIT_MEMBER_NAME || fuzz_open_runs != 0)
		abort();
	fuzz_open_runs++;
}

static void fuzz_on_text(void *ctx, const char *utf8, size_t len)
{
	(void)ctx;
	if (fuzz_open_runs != 1)
		abort();
	for (size_t i = 0; i < len; i++)
		fuzz_text_sum ^= (unsigned char)utf8[i];
}

static void fuzz_on_end(void *ctx)
{
	(void)ctx;
	if (fuzz_open_runs != 1)
		abort();
	fuzz_open_runs--;
}

static void fuzz_on_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	(void)ctx;
	(void)what;
	if (strlen(member) >= LIMIT_MEMBER_NAME || !detail)
		abort();
}

/* Text runs are marked with a source only while open. */
static void fuzz_on_source(void *ctx, enum extract_source source)
{
	(void)ctx;
	if (fuzz_open_runs != 1 || source > EXTRACT_SOURCE_MRZ)
		abort();
}

/* An extractor's own finding: a rule, a bounded value, a confidence. */
static void fuzz_on_finding(void *ctx, const char *member, const struct extract_finding *f)
{
	(void)ctx;
	if (strlen(member) >= LIMIT_MEMBER_NAME || !f->rule || !f->label || !f->value || f->value_len > 96 ||
	    !(f->confidence > 0 && f->confidence <= 1))
		abort();
	for (size_t i = 0; i < f->value_len; i++)
		fuzz_text_sum ^= (unsigned char)f->value[i];
}

/* Targets set this before the first run to read images without OCR (QR
 * codes and zones only), which keeps a run in milliseconds. */
static bool fuzz_no_ocr;

/* Run the bytes (after head when they do not start with it) through
 * extract_file(). */
static void fuzz_extract_run(const uint8_t *data, size_t size, const char *head, size_t head_len)
{
	static const struct extract_handler h = {.text_begin = fuzz_on_begin,
	                                         .text = fuzz_on_text,
	                                         .text_end = fuzz_on_end,
	                                         .coverage = fuzz_on_coverage,
	                                         .text_source = fuzz_on_source,
	                                         .finding = fuzz_on_finding};
	static struct extract *x;
	struct extract_result res;
	struct stat st;
	bool prefix = head && (size < head_len || memcmp(data, head, head_len) != 0);

	if (!x && extract_new(&x) < 0)
		abort();
	extract_set_ocr(x, !fuzz_no_ocr, NULL);
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return;
	if ((!prefix || write(fd, head, head_len) == (ssize_t)head_len) && write(fd, data, size) == (ssize_t)size &&
	    lseek(fd, 0, SEEK_SET) == 0 && fstat(fd, &st) == 0)
		extract_file(x, fd, &st, &h, NULL, &res);
	close(fd);
	if (fuzz_open_runs != 0)
		abort();
}

#endif
