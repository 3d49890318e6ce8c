/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes as piiguard.conf. Loading must end with 0 or
 * an error, every problem named by file and a line inside the file, and the
 * values it keeps within their bounds.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "limits.h"

static int fuzz_lines;
static char fuzz_dir[] = "/tmp/piiguard-fuzz-config-XXXXXX";
static char fuzz_path[64];

static void fuzz_cleanup(void)
{
	unlink(fuzz_path);
	rmdir(fuzz_dir);
}

static void on_error(const char *file, int line, const char *msg, void *ctx)
{
	(void)ctx;
	if (!file || !msg || !msg[0] || line < 0 || line > fuzz_lines + 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	int fd;

	if (!fuzz_path[0]) {
		if (!mkdtemp(fuzz_dir))
			abort();
		snprintf(fuzz_path, sizeof(fuzz_path), "%s/piiguard.conf", fuzz_dir);
		atexit(fuzz_cleanup);
	}
	fd = open(fuzz_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	fuzz_lines = 0;
	for (size_t i = 0; i < size; i++)
		fuzz_lines += data[i] == '\n';
	config_load(fuzz_path, &c, on_error, NULL);
	if (c.min_confidence < 0 || c.min_confidence > 1 || c.limits.nesting < 1 ||
	    c.limits.nesting > LIMIT_NESTING_MAX || c.limits.file_bytes > LIMIT_CONTAINER_BYTES_MAX ||
	    c.limits.file_bytes < 1 || !memchr(c.store_path, '\0', sizeof(c.store_path)) ||
	    !memchr(c.syslog, '\0', sizeof(c.syslog)))
		abort();
	return 0;
}
