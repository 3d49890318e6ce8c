/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP content decoding for the cache extractors (see content_decode.h). Each
 * decoder writes into one growing buffer capped at LIMIT_MEMBER_BYTES, hands
 * every piece it expands to extract_check(), and ends in one of a few states
 * (done, cut short, broken, capped, stopped) that the caller turns into a
 * coverage outcome. Nothing here trusts a declared size: output grows only as
 * the decoder produces it.
 */
#include "content_decode.h"

#include <brotli/decode.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <zstd.h>

#include "error.h"
#include "limits.h"

#define CONTENT_STEP     (64u * 1024u) /* output between two extract_check() calls */
#define CONTENT_LAYERS   4u            /* codings undone on one body ("gzip, gzip" and sniffed ones) */
#define CONTENT_CODINGS  8u            /* names read from one Content-Encoding value */
#define CONTENT_ZSTD_LOG 23            /* zstd window: 8 MiB, what RFC 8878 asks of HTTP decoders */

enum coding {
	CODING_IDENTITY,
	CODING_GZIP,
	CODING_ZLIB,    /* "deflate" as the RFC means it */
	CODING_DEFLATE, /* "deflate" as some servers send it: raw */
	CODING_BROTLI,
	CODING_ZSTD,
	CODING_DCB, /* dictionary-compressed brotli: the dictionary is elsewhere */
	CODING_DCZ, /* dictionary-compressed zstd */
	CODING_UNKNOWN,
};

enum outcome {
	OUTCOME_DONE,
	OUTCOME_CUT,     /* the input ended inside the stream */
	OUTCOME_BROKEN,  /* bytes the decoder refuses */
	OUTCOME_CAPPED,  /* LIMIT_MEMBER_BYTES of output */
	OUTCOME_STOPPED, /* extract_check() said stop */
	OUTCOME_NOMEM,
};

static const char *coding_name(enum coding c)
{
	switch (c) {
	case CODING_IDENTITY: return "identity";
	case CODING_GZIP: return "gzip";
	case CODING_ZLIB: return "zlib";
	case CODING_DEFLATE: return "deflate";
	case CODING_BROTLI: return "brotli";
	case CODING_ZSTD: return "zstd";
	case CODING_DCB: return "dcb";
	case CODING_DCZ: return "dcz";
	case CODING_UNKNOWN: break;
	}
	return "unknown";
}

/* --- output ------------------------------------------------------------------ */

struct sink {
	struct extract *x;
	unsigned char *buf;
	size_t len, size;
	int rc; /* from extract_check() */
};

/* Room for the next piece of output: *ret_room bytes at s->buf + s->len.
 * Growing copies and wipes rather than realloc(), which would leave decoded
 * content behind in freed memory. */
static enum outcome sink_room(struct sink *s, size_t *ret_room)
{
	if (s->len == s->size) {
		size_t size = s->size ? s->size * 2 : CONTENT_STEP;
		unsigned char *buf;
		if (s->size >= LIMIT_MEMBER_BYTES)
			return OUTCOME_CAPPED;
		if (size > LIMIT_MEMBER_BYTES)
			size = LIMIT_MEMBER_BYTES;
		buf = malloc(size);
		if (!buf)
			return OUTCOME_NOMEM;
		if (s->len)
			memcpy(buf, s->buf, s->len);
		content_free(s->buf, s->len);
		s->buf = buf;
		s->size = size;
	}
	*ret_room = s->size - s->len < CONTENT_STEP ? s->size - s->len : CONTENT_STEP;
	return OUTCOME_DONE;
}

/* n more bytes were written at the end. */
static bool sink_grew(struct sink *s, size_t n)
{
	s->len += n;
	if (n && s->rc == 0)
		s->rc = extract_check(s->x, n);
	return s->rc == 0;
}

/* --- decoders ------------------------------------------------------------------ */

/* gzip (members one after the other, as gzip itself reads them), zlib or raw
 * deflate, by zlib's window bits. */
static enum outcome inflate_all(struct sink *s, const unsigned char *in, size_t len, int wbits)
{
	z_stream z;
	enum outcome st = OUTCOME_DONE;
	size_t fed = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		return OUTCOME_NOMEM;
	for (;;) {
		size_t room;
		if (z.avail_in == 0 && fed < len) {
			size_t n = len - fed < (1u << 30) ? len - fed : (1u << 30);
			z.next_in = (Bytef *)(uintptr_t)(in + fed); /* zlib does not write through it */
			z.avail_in = (uInt)n;
			fed += n;
		}
		st = sink_room(s, &room);
		if (st != OUTCOME_DONE)
			break;
		z.next_out = s->buf + s->len;
		z.avail_out = (uInt)room;
		int r = inflate(&z, Z_NO_FLUSH);
		if (!sink_grew(s, room - z.avail_out)) {
			st = OUTCOME_STOPPED;
			break;
		}
		if (r == Z_STREAM_END) {
			size_t left = z.avail_in + (len - fed);
			/* Another gzip member follows: read it too. */
			if (wbits > MAX_WBITS && left >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b &&
			    inflateReset(&z) == Z_OK)
				continue;
			st = OUTCOME_DONE;
			break;
		}
		if (r == Z_BUF_ERROR && z.avail_in == 0 && fed == len) {
			st = OUTCOME_CUT;
			break;
		}
		if (r != Z_OK && r != Z_BUF_ERROR) {
			st = r == Z_MEM_ERROR ? OUTCOME_NOMEM : OUTCOME_BROKEN;
			break;
		}
	}
	inflateEnd(&z);
	return st;
}

static enum outcome brotli_all(struct sink *s, const unsigned char *in, size_t len)
{
	BrotliDecoderState *b = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	const uint8_t *next_in = in;
	size_t avail_in = len;
	enum outcome st = OUTCOME_DONE;

	if (!b)
		return OUTCOME_NOMEM;
	for (;;) {
		size_t room, avail_out;
		uint8_t *next_out;
		st = sink_room(s, &room);
		if (st != OUTCOME_DONE)
			break;
		next_out = s->buf + s->len;
		avail_out = room;
		BrotliDecoderResult r =
		        BrotliDecoderDecompressStream(b, &avail_in, &next_in, &avail_out, &next_out, NULL);
		if (!sink_grew(s, room - avail_out)) {
			st = OUTCOME_STOPPED;
			break;
		}
		if (r == BROTLI_DECODER_RESULT_SUCCESS)
			break;
		if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
			st = OUTCOME_CUT;
			break;
		}
		if (r != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
			st = OUTCOME_BROKEN;
			break;
		}
	}
	BrotliDecoderDestroyInstance(b);
	return st;
}

/* zstd frames (and skippable frames) one after the other. */
static enum outcome zstd_all(struct sink *s, const unsigned char *in, size_t len)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	ZSTD_inBuffer ib = {in, len, 0};
	enum outcome st = OUTCOME_DONE;

	if (!z)
		return OUTCOME_NOMEM;
	/* A frame may ask for a 2 GiB window: refused beyond 8 MiB. */
	ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, CONTENT_ZSTD_LOG);
	for (;;) {
		size_t room;
		st = sink_room(s, &room);
		if (st != OUTCOME_DONE)
			break;
		ZSTD_outBuffer ob = {s->buf + s->len, room, 0};
		size_t r = ZSTD_decompressStream(z, &ob, &ib);
		if (!sink_grew(s, ob.pos)) {
			st = OUTCOME_STOPPED;
			break;
		}
		if (ZSTD_isError(r)) {
			st = OUTCOME_BROKEN;
			break;
		}
		if (ib.pos == ib.size && ob.pos < ob.size) {
			st = r == 0 ? OUTCOME_DONE : OUTCOME_CUT;
			break;
		}
	}
	ZSTD_freeDCtx(z);
	return st;
}

/* Whether b0 b1 open a zlib stream (RFC 1950: deflate, window <= 32 KiB,
 * header check). */
static bool zlib_head(const unsigned char *d, size_t len)
{
	return len >= 2 && (d[0] & 0x0f) == 8 && (d[0] >> 4) <= 7 && (((unsigned)d[0] << 8) | d[1]) % 31 == 0;
}

static enum outcome decode_one(struct sink *s, enum coding c, const unsigned char *in, size_t len)
{
	switch (c) {
	case CODING_GZIP: return inflate_all(s, in, len, MAX_WBITS + 16);
	case CODING_ZLIB: return inflate_all(s, in, len, MAX_WBITS);
	case CODING_DEFLATE: return inflate_all(s, in, len, -MAX_WBITS);
	case CODING_BROTLI: return brotli_all(s, in, len);
	case CODING_ZSTD: return zstd_all(s, in, len);
	case CODING_IDENTITY:
	case CODING_DCB:
	case CODING_DCZ:
	case CODING_UNKNOWN: break;
	}
	return OUTCOME_BROKEN;
}

/* --- codings -------------------------------------------------------------------- */

/* What the bytes are, by their magic; CODING_IDENTITY when they show none.
 * zlib has too weak a magic to be sniffed and brotli none at all. */
static enum coding sniff(const unsigned char *d, size_t len)
{
	if (len >= 3 && d[0] == 0x1f && d[1] == 0x8b && d[2] == 0x08)
		return CODING_GZIP;
	/* A zstd skippable frame of 32 bytes: the dictionary's SHA-256 (RFC 9842). */
	if (len >= 8 && memcmp(d, "\x5e\x2a\x4d\x18\x20\x00\x00\x00", 8) == 0)
		return CODING_DCZ;
	if (len >= 4 && memcmp(d, "\x28\xb5\x2f\xfd", 4) == 0)
		return CODING_ZSTD;
	if (len >= 36 && memcmp(d, "\xff\x44\x43\x42", 4) == 0)
		return CODING_DCB;
	return CODING_IDENTITY;
}

static enum coding coding_of(const char *name, size_t n)
{
	static const struct {
		const char *name;
		enum coding coding;
	} names[] = {
	        {"identity", CODING_IDENTITY}, {"gzip", CODING_GZIP}, {"x-gzip", CODING_GZIP}, {"deflate", CODING_ZLIB},
	        {"br", CODING_BROTLI},         {"zstd", CODING_ZSTD}, {"dcb", CODING_DCB},     {"dcz", CODING_DCZ},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && strncasecmp(name, names[i].name, n) == 0)
			return names[i].coding;
	return CODING_UNKNOWN;
}

/* The codings of a Content-Encoding value, in the order they were applied. */
static size_t codings_of(const char *v, enum coding *out, size_t max)
{
	size_t n = 0;

	if (!v)
		return 0;
	while (*v && n < max) {
		size_t k;
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		for (k = 0; v[k] && v[k] != ',' && v[k] != ' ' && v[k] != '\t' && v[k] != ';'; k++)
			;
		if (k)
			out[n++] = coding_of(v, k);
		v += k;
		while (*v && *v != ',')
			v++;
	}
	return n;
}

/* --- the body ------------------------------------------------------------------- */

struct body {
	struct extract *x;
	const char *member;
	bool partial;
	const unsigned char *cur; /* the bytes as far as decoded */
	size_t cur_len;
	unsigned char *owned; /* cur when it is ours */
	size_t owned_len;
};

/* Undo coding c on b->cur. Returns false when nothing came out (the bytes were
 * not of that coding; b->cur is unchanged), or on OUTCOME_STOPPED with
 * *ret_stop set. */
static bool body_undo(struct body *b, enum coding c, bool *ret_stop)
{
	struct sink s = {.x = b->x};
	enum outcome st;
	char detail[160];

	if (c == CODING_ZLIB && !zlib_head(b->cur, b->cur_len))
		c = CODING_DEFLATE; /* "deflate" sent raw, as some servers do */
	st = decode_one(&s, c, b->cur, b->cur_len);
	if (st == OUTCOME_STOPPED) {
		*ret_stop = true;
		content_free(s.buf, s.len);
		return false;
	}
	if (s.len == 0) {
		content_free(s.buf, s.len);
		if (st == OUTCOME_NOMEM)
			extract_coverage(b->x, b->member, EXTRACT_COVERAGE_LIMIT,
			                 "not enough memory to decode the body: read as it is");
		return false;
	}
	switch (st) {
	case OUTCOME_CUT:
		if (!b->partial) {
			snprintf(detail, sizeof(detail),
			         "the body's %s stream ends early: the first %zu bytes are read", coding_name(c),
			         s.len);
			extract_coverage(b->x, b->member, EXTRACT_COVERAGE_CORRUPT, detail);
		}
		break;
	case OUTCOME_BROKEN:
		snprintf(detail, sizeof(detail), "the body's %s stream is broken after %zu bytes: those are read",
		         coding_name(c), s.len);
		extract_coverage(b->x, b->member, EXTRACT_COVERAGE_CORRUPT, detail);
		break;
	case OUTCOME_CAPPED:
		extract_coverage(b->x, b->member, EXTRACT_COVERAGE_LIMIT,
		                 "the body decodes to more than 64 MiB: the rest is not read");
		break;
	case OUTCOME_NOMEM:
		extract_coverage(b->x, b->member, EXTRACT_COVERAGE_LIMIT,
		                 "not enough memory to decode all of the body: the first part is read");
		break;
	case OUTCOME_DONE:
	case OUTCOME_STOPPED: break;
	}
	content_free(b->owned, b->owned_len);
	b->owned = s.buf;
	b->owned_len = s.len;
	b->cur = s.buf;
	b->cur_len = s.len;
	return true;
}

static void body_opaque(struct body *b, enum coding c)
{
	char detail[160];

	if (c == CODING_UNKNOWN)
		snprintf(detail, sizeof(detail), "a content coding piiguard cannot undo: the body is read as it is");
	else
		snprintf(detail, sizeof(detail),
		         "a dictionary-compressed body (%s): its dictionary is elsewhere, the body is read as it is",
		         coding_name(c));
	extract_coverage(b->x, b->member, EXTRACT_COVERAGE_UNSUPPORTED, detail);
}

int content_decode(struct extract *x, const char *member, const char *encoding, bool partial, const unsigned char *body,
                   size_t len, unsigned char **ret, size_t *ret_len)
{
	struct body b = {.x = x, .member = member, .partial = partial, .cur = body, .cur_len = len};
	enum coding declared[CONTENT_CODINGS];
	size_t n = codings_of(encoding, declared, CONTENT_CODINGS), layers = 0;
	bool stop = false, opaque = false;

	*ret = NULL;
	*ret_len = 0;
	/* The declared codings, the last applied first. One that does not fit
	 * the bytes ends the declaration's say: Cache Storage keeps bodies
	 * decoded under headers that still name the coding. */
	while (n > 0 && !stop && !opaque && layers < CONTENT_LAYERS) {
		enum coding c = declared[--n];
		if (c == CODING_IDENTITY)
			continue;
		if (c == CODING_DCB || c == CODING_DCZ || c == CODING_UNKNOWN) {
			body_opaque(&b, c);
			opaque = true;
			break;
		}
		if (!body_undo(&b, c, &stop))
			break;
		layers++;
	}
	/* Then what the bytes themselves show. */
	while (!stop && !opaque && layers < CONTENT_LAYERS) {
		enum coding c = sniff(b.cur, b.cur_len);
		if (c == CODING_IDENTITY)
			break;
		if (c == CODING_DCB || c == CODING_DCZ) {
			body_opaque(&b, c);
			break;
		}
		if (!body_undo(&b, c, &stop)) {
			if (!stop)
				extract_coverage(x, member, EXTRACT_COVERAGE_CORRUPT,
				                 c == CODING_GZIP ? "the body has a gzip head but no gzip stream"
				                                  : "the body has a zstd head but no zstd frame");
			break;
		}
		layers++;
	}
	if (stop) {
		content_free(b.owned, b.owned_len);
		return ERR_LIMIT;
	}
	*ret = b.owned;
	*ret_len = b.owned_len;
	return 0;
}

void content_free(unsigned char *data, size_t len)
{
	if (!data)
		return;
	explicit_bzero(data, len);
	free(data);
}

int content_nest(struct extract *x, const char *member, const char *encoding, bool partial, const unsigned char *body,
                 size_t len)
{
	unsigned char *decoded = NULL;
	size_t decoded_len = 0;
	int rc;

	if (len == 0)
		return 0;
	rc = content_decode(x, member, encoding, partial, body, len, &decoded, &decoded_len);
	if (rc == 0 && (decoded ? decoded_len : len) > 0)
		rc = extract_nested(x, member, decoded ? decoded : body, decoded ? decoded_len : len);
	content_free(decoded, decoded_len);
	return rc;
}

/* --- headers and names -------------------------------------------------------------- */

static bool line_break(unsigned char c)
{
	return c == '\0' || c == '\r' || c == '\n';
}

bool content_header(const unsigned char *head, size_t len, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);

	for (size_t p = 0; p < len; p++) {
		if ((p && !line_break(head[p - 1])) || len - p <= nl ||
		    strncasecmp((const char *)head + p, name, nl) != 0 || head[p + nl] != ':')
			continue;
		size_t i = p + nl + 1, o = 0;
		while (i < len && (head[i] == ' ' || head[i] == '\t'))
			i++;
		for (; i < len && !line_break(head[i]); i++)
			if (o + 1 < size)
				out[o++] = (char)head[i];
		while (o && (out[o - 1] == ' ' || out[o - 1] == '\t'))
			o--;
		if (size)
			out[o] = '\0';
		return true;
	}
	return false;
}

unsigned content_status(const unsigned char *head, size_t len)
{
	size_t i = 5;
	unsigned code = 0;

	if (len < 12 || memcmp(head, "HTTP/", 5) != 0)
		return 0;
	while (i < len && head[i] != ' ' && !line_break(head[i]))
		i++;
	if (len - i < 4 || head[i] != ' ')
		return 0;
	for (size_t k = i + 1; k < i + 4; k++) {
		if (head[k] < '0' || head[k] > '9')
			return 0;
		code = code * 10 + (unsigned)(head[k] - '0');
	}
	return code;
}

void content_member(const unsigned char *url, size_t len, char *out, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return;
	for (size_t i = 0; i < len && o + 1 < size;) {
		size_t run = 0;
		while (i + run < len && url[i + run] >= '0' && url[i + run] <= '9')
			run++;
		if (run) {
			/* Masked as mask_value() masks digits, without its key code. */
			size_t keep = run >= 10 ? 3 : 2;
			for (size_t m = 0; m < run && o + 1 < size; m++)
				out[o++] = run < 9 || m < keep || m >= run - keep ? (char)url[i + m] : '*';
			i += run;
			continue;
		}
		out[o++] = url[i] < 0x20 || url[i] == 0x7f ? '?' : (char)url[i];
		i++;
	}
	out[o] = '\0';
}
