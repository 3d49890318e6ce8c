/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes as an e-mail, mbox or HTML/XML file, through
 * a memfd and extract_file() so type detection routes them as the scanner
 * would (the seed corpus holds messages and pages). Member names must stay
 * bounded, callbacks balanced, and every coverage outcome carry a detail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "limits.h"

static struct extract *x;
static int open_runs;

static void on_begin(void *ctx, const char *member)
{
	(void)ctx;
	if (strlen(member) >= LIMIT_MEMBER_NAME || open_runs != 0)
		abort();
	open_runs++;
}

static void on_text(void *ctx, const char *utf8, size_t len)
{
	(void)ctx;
	if (open_runs != 1 || (len && !utf8))
		abort();
}

static void on_end(void *ctx)
{
	(void)ctx;
	if (open_runs != 1)
		abort();
	open_runs--;
}

static void on_coverage(void *ctx, const char *member, enum extract_coverage what, const char *detail)
{
	(void)ctx;
	(void)what;
	if (strlen(member) >= LIMIT_MEMBER_NAME || !detail)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct extract_handler h = {on_begin, on_text, on_end, on_coverage};
	struct extract_result res;
	struct stat st;

	if (!x && extract_new(&x) < 0)
		abort();
	int fd = memfd_create("fuzz-mail", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0 && fstat(fd, &st) == 0)
		extract_file(x, fd, &st, &h, NULL, &res);
	close(fd);
	if (open_runs != 0)
		abort();
	return 0;
}
