/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes as an Office file given to extract_ooxml() or
 * extract_odf(). The framework hands an extractor its handler only inside
 * extract_file(), so the bytes go through a memfd and type detection; the
 * seeds of corpus/office are .docx, .xlsx, .odt and .ods files, so mutated
 * inputs keep reaching the Office extractors. Text is discarded; every run
 * must be balanced and every member name bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "limits.h"

static int fuzz_office_open;

static void fuzz_office_begin(void *ctx, const char *member)
{
	(void)ctx;
	if (strlen(member) >= LIMIT_MEMBER_NAME || fuzz_office_open != 0)
		abort();
	fuzz_office_open++;
}

/* Every byte is read, so ASan sees any read past what the extractor gave. */
static unsigned char fuzz_office_sum;

static void fuzz_office_text(void *ctx, const char *utf8, size_t len)
{
	(void)ctx;
	if (fuzz_office_open != 1)
		abort();
	for (size_t i = 0; i < len; i++)
		fuzz_office_sum ^= (unsigned char)utf8[i];
}

static void fuzz_office_end(void *ctx)
{
	(void)ctx;
	if (fuzz_office_open != 1)
		abort();
	fuzz_office_open--;
}

static void fuzz_office_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	(void)ctx;
	(void)what;
	if (strlen(member) >= LIMIT_MEMBER_NAME || !detail)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct extract_handler h = {fuzz_office_begin, fuzz_office_text, fuzz_office_end,
	                                         fuzz_office_coverage};
	static struct extract *x; /* one context for the whole run, as a worker keeps it */
	struct extract_result res;
	struct stat st;
	int fd;

	if (!x && extract_new(&x) < 0)
		abort();
	fd = memfd_create("fuzz_office", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0 && fstat(fd, &st) == 0)
		extract_file(x, fd, &st, &h, NULL, &res);
	close(fd);
	if (fuzz_office_open != 0)
		abort();
	return 0;
}
