/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One file into the matcher (see scanfile.h). UTF-8 files (and binary files,
 * whose readable runs are scanned as they are) are read straight into the
 * matcher's buffer; other charsets go through a decoder, read in 64 KiB
 * pieces and decoded into that buffer.
 */
#include "scanfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "error.h"
#include "limits.h"

static ssize_t read_some(int fd, char *p, size_t n)
{
	for (;;) {
		ssize_t r = read(fd, p, n);
		if (r >= 0 || errno != EINTR)
			return r;
	}
}

/* Fill p[0..want) as far as the file goes; returns the bytes read or -1. */
static ssize_t read_full(int fd, char *p, size_t want)
{
	size_t got = 0;

	while (got < want) {
		ssize_t r = read_some(fd, p + got, want - got);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int scan_utf8(struct matcher *m, int fd, const char *head, size_t head_len, struct scanfile_result *ret)
{
	match_feed(m, head, head_len);
	for (;;) {
		size_t room;
		char *p = match_space(m, &room);
		ssize_t r = read_some(fd, p, room);
		if (r < 0)
			return ERR_IO;
		if (r == 0)
			return 0;
		ret->bytes += (uint64_t)r;
		match_commit(m, (size_t)r);
	}
}

static int scan_decoded(struct matcher *m, int fd, struct decoder *d, char *raw, size_t raw_len,
                        struct scanfile_result *ret)
{
	size_t pending = raw_len; /* undecoded bytes at the start of raw */
	bool eof = false;

	for (;;) {
		if (!eof && pending < LIMIT_DETECT_HEAD) {
			ssize_t r = read_some(fd, raw + pending, LIMIT_DETECT_HEAD - pending);
			if (r < 0)
				return ERR_IO;
			eof = r == 0;
			pending += (size_t)r;
			ret->bytes += (uint64_t)r;
		}
		size_t room, used = 0, out = 0;
		char *p = match_space(m, &room);
		decode_run(d, (const unsigned char *)raw, pending, &used, p, room, &out, eof);
		match_commit(m, out);
		memmove(raw, raw + used, pending - used);
		pending -= used;
		if (eof && pending == 0)
			return 0;
		if (eof && used == 0 && out == 0)
			return 0; /* a decoder that cannot progress: nothing more to get */
	}
}

int scanfile_fd(struct matcher *m, int fd, double min_confidence, match_emit_fn *emit, void *ctx,
                struct scanfile_result *ret)
{
	struct decoder *d = NULL;
	char *head = NULL;
	size_t bom = 0;
	ssize_t n;
	int rc;

	*ret = (struct scanfile_result){0};
	match_begin(m, min_confidence, emit, ctx);
	head = malloc(LIMIT_DETECT_HEAD);
	rc = ERR_NOMEM;
	if (!head)
		goto out;
	rc = ERR_IO;
	n = read_full(fd, head, LIMIT_DETECT_HEAD);
	if (n < 0)
		goto out;
	ret->bytes = (uint64_t)n;
	ret->charset = decode_detect((const unsigned char *)head, (size_t)n, &bom);
	if (strcmp(ret->charset, "UTF-8") == 0) {
		rc = scan_utf8(m, fd, head + bom, (size_t)n - bom, ret);
	} else {
		rc = decode_new(ret->charset, &d);
		if (rc < 0)
			goto out;
		memmove(head, head + bom, (size_t)n - bom);
		rc = scan_decoded(m, fd, d, head, (size_t)n - bom, ret);
	}
out:
	ret->findings = match_end(m);
	decode_free(d);
	if (head)
		explicit_bzero(head, LIMIT_DETECT_HEAD);
	free(head);
	return rc;
}
