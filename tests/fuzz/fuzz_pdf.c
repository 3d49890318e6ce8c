/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes extracted as a PDF through the framework
 * (extract_new, extract_file), every run and outcome read and discarded. The
 * framework hands extractors their handler only inside extract_file, so the
 * bytes go through a memfd, with "%PDF-" put in front when they lack it so
 * that type detection gives them to extract_pdf.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"

/* Read every byte given, so that the sanitizers see a bad pointer or length. */
static volatile unsigned char fuzz_pdf_sink;

static void fuzz_pdf_begin(void *ctx, const char *member)
{
	(void)ctx;
	fuzz_pdf_sink ^= (unsigned char)strlen(member);
}

static void fuzz_pdf_text(void *ctx, const char *utf8, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		fuzz_pdf_sink ^= (unsigned char)utf8[i];
}

static void fuzz_pdf_end(void *ctx)
{
	(void)ctx;
}

static void fuzz_pdf_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	(void)ctx;
	fuzz_pdf_sink ^= (unsigned char)(strlen(member) + strlen(detail) + (size_t)what);
}

static void fuzz_pdf_write(int fd, const void *data, size_t size)
{
	const unsigned char *p = data;

	while (size > 0) {
		ssize_t n = write(fd, p, size);
		if (n <= 0)
			abort();
		p += n;
		size -= (size_t)n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct extract_handler h = {fuzz_pdf_begin, fuzz_pdf_text, fuzz_pdf_end, fuzz_pdf_coverage};
	static struct extract *x; /* one context for the whole run, as a worker keeps it */
	struct extract_result res;
	struct stat st;
	int fd;

	if (!x && extract_new(&x) < 0)
		abort();
	fd = memfd_create("fuzz_pdf", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size < 5 || memcmp(data, "%PDF-", 5) != 0)
		fuzz_pdf_write(fd, "%PDF-", 5);
	fuzz_pdf_write(fd, data, size);
	if (lseek(fd, 0, SEEK_SET) != 0 || fstat(fd, &st) < 0)
		abort();
	extract_file(x, fd, &st, &h, NULL, &res);
	close(fd);
	return 0;
}
