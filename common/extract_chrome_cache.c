/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chromium Simple cache entries: the HTTP cache on Linux, Cache Storage and
 * the other caches of a profile that share the format. A `_0` file holds the
 * key, the body (stream 1) and the response headers (stream 0, a pickle); a
 * `_1` file one side stream; a `_s` file the ranges of a sparse entry. The
 * body is content-decoded and handed back to the framework under the URL of
 * the key, so that a page, a JSON answer or an image is read as what it is;
 * the key and the headers are a text run of their own. Every length is
 * checked against the file before use: one that does not fit ends with
 * coverage.corrupt and the text runs of the bytes that are there. Layout:
 * docs cache-formats.md, sections 2 and 4.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_decode.h"
#include "error.h"
#include "extract.h"
#include "limits.h"

#define CHROME_KEY_MAX        (4u << 20) /* a longer key is no key Chromium wrote */
#define CHROME_HEADERS_MAX    (1u << 20) /* raw response headers read */
#define CHROME_RANGES_MAX     65536u     /* ranges of one sparse file */
#define CHROME_FLAG_TRUNCATED (1u << 12) /* HttpResponseInfo: the body is incomplete */
#define CHROME_FLAG_EXTRA     (1u << 31) /* HttpResponseInfo: extra flags follow */
#define CHROME_EXTRA_ORIGINAL (1u << 2)  /* extra flags: an original response time follows */
#define CHROME_EOF_SHA256     (1u << 1)  /* end record: SHA-256 of the key after stream 0 */

static const unsigned char chrome_eof_magic[8] = {0xd8, 0x41, 0x0d, 0x97, 0x45, 0x6f, 0xfa, 0xf4};
static const unsigned char chrome_range_magic[8] = {0x6b, 0x67, 0x53, 0x65, 0x01, 0xbf, 0x97, 0xeb};

struct chrome {
	struct extract *x;
	const unsigned char *d;
	size_t len;
	size_t rec;  /* bytes of the header and end records: 24, or 20 as 32-bit x86 builds wrote them */
	size_t body; /* where stream data starts: after the header and the key */
	const unsigned char *key;
	size_t key_len;
	bool bare; /* the key is a bare URL (Cache Storage): bodies are stored decoded */
	char member[LIMIT_MEMBER_NAME];
};

struct chrome_range {
	uint64_t offset; /* in the resource */
	size_t pos, len; /* of its data in the file */
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The size of the header and end records. Current builds pad both to 24
 * bytes; 32-bit x86 builds wrote 20. The end record, or a sparse file's first
 * range, tells which. */
static size_t chrome_record_size(const unsigned char *d, size_t len)
{
	uint32_t k = le32(d + 12);

	if (len >= 48 && memcmp(d + len - 24, chrome_eof_magic, 8) == 0)
		return 24;
	if (len >= 40 && memcmp(d + len - 20, chrome_eof_magic, 8) == 0)
		return 20;
	if (len >= 24 && k <= len - 24 && len - 24 - k >= 8 && memcmp(d + 24 + k, chrome_range_magic, 8) == 0)
		return 24;
	if (k <= len - 20 && len - 20 - k >= 8 && memcmp(d + 20 + k, chrome_range_magic, 8) == 0)
		return 20;
	return 24;
}

/* The URL of the key, as member name: "1/0/<url>", "1/0/_dk_<sites> <url>",
 * an older "<upload>/<url>", a code cache "_key<url>\n<origin>", or (Cache
 * Storage) the bare URL. */
static void chrome_url(struct chrome *c)
{
	const unsigned char *url = c->key;
	size_t n = c->key_len, p = 0, slashes = 0;

	if (n >= 4 && memcmp(url, "_key", 4) == 0) {
		const unsigned char *nl = memchr(url + 4, '\n', n - 4);
		url += 4;
		n = nl ? (size_t)(nl - url) : n - 4;
	} else {
		while (slashes < 2) {
			size_t q = p;
			while (q < n && url[q] >= '0' && url[q] <= '9')
				q++;
			if (q == p || q >= n || url[q] != '/')
				break;
			p = q + 1;
			slashes++;
		}
		c->bare = slashes == 0;
		url += p;
		n -= p;
		if (n >= 4 && memcmp(url, "_dk_", 4) == 0) {
			/* A double-keyed entry: the isolation sites, then the URL after the last space. */
			const unsigned char *sp = url + n;
			while (sp > url && sp[-1] != ' ')
				sp--;
			n -= (size_t)(sp - url);
			url = sp;
		}
	}
	content_member(url, n, c->member, sizeof(c->member));
}

/* The key and the raw response headers (NUL-separated lines) as one text run
 * of the member: a URL's query or a header may hold an identifier too. */
static void chrome_meta(struct chrome *c, const unsigned char *h, size_t hl)
{
	size_t n = c->key_len + 1 + hl;
	unsigned char *t = malloc(n);

	if (!t)
		return;
	memcpy(t, c->key, c->key_len);
	t[c->key_len] = '\n';
	if (hl)
		memcpy(t + c->key_len + 1, h, hl);
	for (size_t i = 0; i < n; i++)
		if (t[i] == '\0')
			t[i] = '\n';
	extract_text_bytes(c->x, c->member, t, n);
	explicit_bzero(t, n);
	free(t);
}

/* The raw headers of stream 0 (an HttpResponseInfo pickle: u32 payload size,
 * flags, optional extra flags, request and response times, optional original
 * response time, then the headers as a length-prefixed string). When the
 * pickle does not read, the status line is looked for in the bytes. */
static bool chrome_headers(const unsigned char *s, size_t n, const unsigned char **ret, size_t *ret_len,
                           uint32_t *ret_flags)
{
	const unsigned char *h;
	size_t pos = 8, hl;

	*ret_flags = 0;
	if (n >= 8 && le32(s) <= n - 4 && (le32(s + 4) & 0xffu) != 0) {
		uint32_t flags = le32(s + 4), extra = 0;
		size_t end = 4 + (size_t)le32(s);
		if ((flags & CHROME_FLAG_EXTRA) && end - pos >= 4) {
			extra = le32(s + pos);
			pos += 4;
		}
		pos += 16 + (extra & CHROME_EXTRA_ORIGINAL ? 8 : 0);
		if (pos <= end && end - pos >= 4) {
			hl = le32(s + pos);
			pos += 4;
			if (hl <= end - pos && hl >= 5 && memcmp(s + pos, "HTTP/", 5) == 0) {
				*ret = s + pos;
				*ret_len = hl < CHROME_HEADERS_MAX ? hl : CHROME_HEADERS_MAX;
				*ret_flags = flags;
				return true;
			}
		}
	}
	h = memmem(s, n, "HTTP/", 5);
	if (!h)
		return false;
	hl = n - (size_t)(h - s);
	const unsigned char *end = memmem(h, hl, "\0\0", 2);
	*ret = h;
	*ret_len = end ? (size_t)(end - h) : hl;
	if (*ret_len > CHROME_HEADERS_MAX)
		*ret_len = CHROME_HEADERS_MAX;
	return true;
}

/* A `_0` entry whose records all fit: its body, decoded as its headers say. */
static int chrome_entry(struct chrome *c, const unsigned char *body, size_t body_len, const unsigned char *s0,
                        size_t s0_len)
{
	const unsigned char *h = NULL;
	size_t hl = 0;
	uint32_t flags = 0;
	char enc[256];
	bool has_enc = false, partial = false;

	/* Cache Storage keeps protobuf metadata in stream 0 and the body already
	 * decoded, whatever its headers say: sniffed only. */
	if (!c->bare && chrome_headers(s0, s0_len, &h, &hl, &flags)) {
		has_enc = content_header(h, hl, "Content-Encoding", enc, sizeof(enc));
		partial = (flags & CHROME_FLAG_TRUNCATED) || content_status(h, hl) == 206;
	}
	chrome_meta(c, h, hl);
	if (!h && s0_len) {
		int rc = extract_runs(c->x, c->member, s0, s0_len);
		if (rc < 0)
			return rc;
	}
	return content_nest(c->x, c->member, has_enc ? enc : NULL, partial, body, body_len);
}

/* An entry with an end record: `_0` (two streams) or `_1` (one). */
static int chrome_streams(struct chrome *c)
{
	const unsigned char *eof = c->d + c->len - c->rec;
	uint32_t flags = le32(eof + 8), size = le32(eof + 16);
	size_t sha = flags & CHROME_EOF_SHA256 ? 32 : 0, room = c->len - c->rec - c->body;
	char detail[160];

	if ((flags & ~3u) == 0 && (uint64_t)size + sha + c->rec <= room) {
		size_t s0 = c->len - c->rec - sha - size, eof1 = s0 - c->rec;
		if (memcmp(c->d + eof1, chrome_eof_magic, 8) == 0)
			return chrome_entry(c, c->d + c->body, eof1 - c->body, c->d + s0, size);
	}
	/* A `_1` file: one stream that fills the room (its size recorded or not). */
	if ((flags & ~1u) == 0 && (size == room || size == 0)) {
		chrome_meta(c, NULL, 0);
		return content_nest(c->x, c->member, NULL, false, c->d + c->body, room);
	}
	snprintf(detail, sizeof(detail),
	         "a cache entry whose end record does not fit it (stream of %u bytes, flags 0x%x, in %zu bytes)", size,
	         flags, room);
	extract_coverage(c->x, c->member, EXTRACT_COVERAGE_CORRUPT, detail);
	return extract_runs(c->x, c->member, c->key, c->len - c->rec - (size_t)(c->key - c->d));
}

static int chrome_range_cmp(const void *a, const void *b)
{
	const struct chrome_range *ra = a, *rb = b;

	if (ra->offset != rb->offset)
		return ra->offset < rb->offset ? -1 : 1;
	return ra->pos < rb->pos ? -1 : ra->pos > rb->pos;
}

/* The range header at pos, if one is there whose data fits the file. */
static bool chrome_range_at(const struct chrome *c, size_t pos, size_t hdr, struct chrome_range *ret)
{
	uint64_t len;

	if (c->len - pos < hdr || memcmp(c->d + pos, chrome_range_magic, 8) != 0)
		return false;
	len = le64(c->d + pos + 16);
	if (len > c->len - pos - hdr)
		return false;
	*ret = (struct chrome_range){.offset = le64(c->d + pos + 8), .pos = pos + hdr, .len = (size_t)len};
	return true;
}

/* A `_s` file: its ranges in the order of their offsets, as one body (gaps
 * closed up), sniffed only (the headers live in the `_0` file). */
static int chrome_sparse(struct chrome *c)
{
	size_t hdr = c->rec == 24 ? 32 : 28, pos = c->body, n = 0, total = 0;
	struct chrome_range r, *ranges = NULL;
	unsigned char *joined = NULL;
	int rc = 0;

	chrome_meta(c, NULL, 0);
	while (pos < c->len && n < CHROME_RANGES_MAX && chrome_range_at(c, pos, hdr, &r)) {
		n++;
		total += r.len;
		pos = r.pos + r.len;
	}
	ranges = n ? malloc(n * sizeof(*ranges)) : NULL;
	joined = total ? malloc(total) : NULL;
	if ((n && !ranges) || (total && !joined)) {
		extract_coverage(c->x, c->member, EXTRACT_COVERAGE_LIMIT, "not enough memory to join a sparse entry");
		rc = extract_runs(c->x, c->member, c->d + c->body, c->len - c->body);
		goto out;
	}
	for (size_t i = 0, p = c->body; i < n; i++) {
		chrome_range_at(c, p, hdr, &ranges[i]);
		p = ranges[i].pos + ranges[i].len;
	}
	if (n > 1)
		qsort(ranges, n, sizeof(*ranges), chrome_range_cmp);
	for (size_t i = 0, o = 0; i < n && joined; i++) { /* empty ranges and no data: nothing to join */
		memcpy(joined + o, c->d + ranges[i].pos, ranges[i].len);
		o += ranges[i].len;
	}
	rc = content_nest(c->x, c->member, NULL, true, joined, total);
	if (rc == 0 && pos < c->len) {
		extract_coverage(
		        c->x, c->member, n == CHROME_RANGES_MAX ? EXTRACT_COVERAGE_LIMIT : EXTRACT_COVERAGE_CORRUPT,
		        n == CHROME_RANGES_MAX ? "a sparse entry of more than 65536 ranges: the rest as text runs"
		                               : "a sparse range without its magic or longer than the file");
		rc = extract_runs(c->x, c->member, c->d + pos, c->len - pos);
	}
out:
	free(ranges);
	content_free(joined, total);
	return rc;
}

int extract_chrome_cache(struct extract *x, const unsigned char *data, size_t len)
{
	struct chrome *c = calloc(1, sizeof(*c)); /* a member name: off the stack */
	uint32_t key_len;
	char detail[160];
	int rc;

	if (!c)
		return ERR_NOMEM;
	*c = (struct chrome){.x = x, .d = data, .len = len};
	if (len < 20) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "a cache entry shorter than its header");
		rc = extract_runs(x, NULL, data, len);
		goto out;
	}
	c->rec = chrome_record_size(data, len);
	key_len = le32(data + 12);
	if (len == 24 && key_len == 0 && le32(data + 16) == 0 && le32(data + 20) == 0) {
		rc = 0; /* the cache's fake `index`: magic, version and zeros, nothing else */
		goto out;
	}
	if (len < c->rec || key_len > CHROME_KEY_MAX || key_len > len - c->rec) {
		snprintf(detail, sizeof(detail), "a cache entry whose key length (%u) runs past its %zu bytes", key_len,
		         len);
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, detail);
		rc = extract_runs(x, NULL, data + 20, len - 20);
		goto out;
	}
	c->key = data + c->rec;
	c->key_len = key_len;
	c->body = c->rec + key_len;
	chrome_url(c);
	if (len - c->body >= 8 && memcmp(data + c->body, chrome_range_magic, 8) == 0) {
		rc = chrome_sparse(c);
		goto out;
	}
	if (len - c->body >= c->rec && memcmp(data + len - c->rec, chrome_eof_magic, 8) == 0) {
		rc = chrome_streams(c);
		goto out;
	}
	/* No end record: the browser writes them when it closes the entry. What
	 * follows the key is the body, or its start. */
	extract_coverage(x, c->member, EXTRACT_COVERAGE_CORRUPT,
	                 "a cache entry without its end record (being written, or cut short): read unverified");
	chrome_meta(c, NULL, 0);
	rc = content_nest(x, c->member, NULL, true, data + c->body, len - c->body);
out:
	free(c);
	return rc;
}
