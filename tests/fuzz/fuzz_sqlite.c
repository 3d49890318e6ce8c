/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes taken for a SQLite database (the 16-byte
 * "SQLite format 3" header is put in front when missing, so every input
 * reaches extract_sqlite) and given to the framework through a memfd, so the
 * real extract_file() path runs. Callbacks must balance and member names
 * stay bounded; SQLite's own checks on a damaged file must end as outcomes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "limits.h"

static const char sqlite_head[16] = "SQLite format 3"; /* and its NUL */

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
	(void)utf8;
	(void)len;
	if (open_runs != 1)
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
	bool prefix = size < sizeof(sqlite_head) || memcmp(data, sqlite_head, sizeof(sqlite_head)) != 0;
	struct extract_result res;
	struct stat st;
	int fd;

	if (!x && extract_new(&x) < 0)
		abort();
	fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if ((!prefix || write(fd, sqlite_head, sizeof(sqlite_head)) == (ssize_t)sizeof(sqlite_head)) &&
	    write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0 && fstat(fd, &st) == 0)
		extract_file(x, fd, &st, &h, NULL, &res);
	close(fd);
	if (open_runs != 0)
		abort();
	return 0;
}
