/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * E-mail (RFC 5322 messages and mbox files): the address and subject fields,
 * with RFC 2047 encoded-words decoded, become the run "headers"; MIME parts
 * are split on their boundaries, their transfer encoding undone into bounded
 * buffers, text parts given as text runs and everything else (HTML, attached
 * files, forwarded messages) handed back to the framework as nested objects.
 * A broken part ends with coverage.corrupt and the next part is read.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "error.h"
#include "extract.h"
#include "limits.h"

#define MAIL_DEPTH     16u    /* multiparts inside multiparts */
#define MAIL_PARTS     1000u  /* parts of one message */
#define MAIL_VALUE     16384u /* an unfolded header value; longer ones are cut */
#define MAIL_DECODED   (4u * MAIL_VALUE)
#define MAIL_NAME      256u /* a part's name: its file name or "part N" */
#define MAIL_BOUNDARY  200u /* RFC 2046 allows 70 */
#define MAIL_MBOX_NAME 32u

struct mail {
	struct extract *x;
	unsigned parts;
	bool full;     /* MAIL_PARTS reached */
	bool unclosed; /* a multipart without its closing delimiter was reported */
	char *value;   /* MAIL_VALUE bytes */
	char *decoded; /* MAIL_DECODED bytes */
};

/* --- header fields ---------------------------------------------------------- */

/* The end of the header block of data[0..len) (where the body starts). */
static size_t header_end(const unsigned char *d, size_t len, size_t *ret_body)
{
	size_t i = 0;

	if (len && (d[0] == '\n' || (len > 1 && d[0] == '\r' && d[1] == '\n'))) {
		*ret_body = d[0] == '\n' ? 1 : 2;
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (d[i] != '\n')
			continue;
		if (i + 1 < len && d[i + 1] == '\n') {
			*ret_body = i + 2;
			return i + 1;
		}
		if (i + 2 < len && d[i + 1] == '\r' && d[i + 2] == '\n') {
			*ret_body = i + 3;
			return i + 1;
		}
	}
	*ret_body = len;
	return len;
}

/* The unfolded value of the first field name in h[0..len), into out
 * (MAIL_VALUE bytes, NUL-terminated, cut when longer). */
static bool header_get(const unsigned char *h, size_t len, const char *name, char *out)
{
	size_t nl = strlen(name);

	for (size_t p = 0; p < len; p++) {
		if ((p && h[p - 1] != '\n') || len - p <= nl || strncasecmp((const char *)h + p, name, nl) != 0 ||
		    h[p + nl] != ':')
			continue;
		size_t o = 0, i = p + nl + 1;
		while (i < len && (h[i] == ' ' || h[i] == '\t'))
			i++;
		for (; i < len; i++) {
			if (h[i] == '\r')
				continue;
			if (h[i] == '\n') {
				if (i + 1 < len && (h[i + 1] == ' ' || h[i + 1] == '\t'))
					continue; /* folded */
				break;
			}
			if (o + 1 < MAIL_VALUE)
				out[o++] = (char)h[i];
		}
		while (o && (out[o - 1] == ' ' || out[o - 1] == '\t'))
			o--;
		out[o] = '\0';
		return true;
	}
	return false;
}

/* The parameter name of a field value ("boundary", "charset", "filename")
 * into out (size bytes), quotes removed; name*= (RFC 2231) is taken with
 * its charset prefix dropped and %XX undone. */
static bool param_get(const char *v, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);
	bool quoted = false;

	for (const char *p = v; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (quoted || (p != v && p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t'))
			continue;
		if (strncasecmp(p, name, nl) != 0)
			continue;
		const char *q = p + nl;
		bool ext = false;
		if (*q == '*') {
			ext = true;
			q++;
			if (*q == '0') /* only the first of continued pieces */
				q++;
			if (*q == '*')
				q++;
		}
		while (*q == ' ')
			q++;
		if (*q != '=')
			continue;
		q++;
		while (*q == ' ')
			q++;
		if (ext && *q != '"') {
			const char *t = strstr(q, "''");
			if (t && (!strchr(q, ';') || t < strchr(q, ';')))
				q = t + 2;
		}
		size_t o = 0;
		if (*q == '"') {
			for (q++; *q && *q != '"'; q++) {
				if (*q == '\\' && q[1])
					q++;
				if (o + 1 < size)
					out[o++] = *q;
			}
		} else {
			for (; *q && *q != ';' && *q != ' ' && *q != '\t'; q++) {
				unsigned hi, lo;
				if (ext && *q == '%' && sscanf(q + 1, "%1x%1x", &hi, &lo) == 2) {
					if (o + 1 < size)
						out[o++] = (char)(hi << 4 | lo);
					q += 2;
					continue;
				}
				if (o + 1 < size)
					out[o++] = *q;
			}
		}
		out[o] = '\0';
		return o > 0;
	}
	return false;
}

/* --- transfer encodings ------------------------------------------------------ */

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 in[0..len) into out (room for len * 3 / 4 + 3). Returns the output
 * length; *ret_bad counts bytes that are neither base64 nor white space. */
static size_t b64_decode(const unsigned char *in, size_t len, unsigned char *out, size_t *ret_bad)
{
	unsigned acc = 0, bits = 0;
	size_t o = 0, bad = 0;
	bool pad = false;

	for (size_t i = 0; i < len; i++) {
		int v = b64_value(in[i]);
		if (in[i] == '=') {
			pad = true;
			continue;
		}
		if (v < 0) {
			if (in[i] != ' ' && in[i] != '\t' && in[i] != '\r' && in[i] != '\n')
				bad++;
			continue;
		}
		if (pad) {
			bad++; /* data after padding: the next piece starts afresh */
			pad = false;
			acc = bits = 0;
		}
		acc = (acc << 6 | (unsigned)v) & 0xffffffu;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	*ret_bad = bad;
	return o;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Quoted-printable in[0..len) into out (room for len); header (RFC 2047 "Q")
 * also turns '_' into a space. Returns the output length. */
static size_t qp_decode(const unsigned char *in, size_t len, unsigned char *out, bool header)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == '_' && header) {
			out[o++] = ' ';
		} else if (in[i] != '=') {
			out[o++] = in[i];
		} else if (i + 2 < len && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
			out[o++] = (unsigned char)(hex_value(in[i + 1]) << 4 | hex_value(in[i + 2]));
			i += 2;
		} else if (i + 1 < len && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
			i++; /* soft line break */
			if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
				i++;
		} else {
			out[o++] = '=';
		}
	}
	return o;
}

static bool is_utf8(const char *charset)
{
	return !charset[0] || strcasecmp(charset, "utf-8") == 0 || strcasecmp(charset, "utf8") == 0 ||
	       strcasecmp(charset, "us-ascii") == 0 || strcasecmp(charset, "ascii") == 0;
}

/* in[0..len) in charset to UTF-8, appended to out (*olen of cap bytes) as far
 * as it fits; an unknown charset gives the bytes as they are. */
static void to_utf8(const char *charset, const unsigned char *in, size_t len, char *out, size_t *olen, size_t cap)
{
	struct decoder *d = NULL;

	if (is_utf8(charset) || decode_new(charset, &d) < 0) {
		size_t n = len < cap - *olen ? len : cap - *olen;
		memcpy(out + *olen, in, n);
		*olen += n;
		return;
	}
	while (cap - *olen >= 8) {
		size_t used = 0, n = 0;
		decode_run(d, in, len, &used, out + *olen, cap - *olen, &n, true);
		*olen += n;
		in += used;
		len -= used;
		if (!len || (!used && !n))
			break;
	}
	decode_free(d);
}

/* A header value with RFC 2047 encoded-words decoded, into m->decoded;
 * adjacent words of one charset are joined before decoding, so a letter split
 * between two of them survives. Returns the length. */
static size_t words_decode(struct mail *m, const char *v)
{
	unsigned char raw[1024];
	char charset[64] = "";
	size_t rawlen = 0, o = 0;
	const char *p = v;

	while (*p) {
		const char *q1, *q2, *end;
		if (p[0] == '=' && p[1] == '?' && (q1 = strchr(p + 2, '?')) && q1[1] && q1[2] == '?' &&
		    (end = strstr(q1 + 3, "?=")) && (size_t)(q1 - p - 2) < sizeof(charset) &&
		    ((q1[1] | 0x20) == 'b' || (q1[1] | 0x20) == 'q')) {
			char cs[64];
			size_t cl = (size_t)(q1 - p - 2);
			memcpy(cs, p + 2, cl);
			cs[cl] = '\0';
			if ((q2 = strchr(cs, '*'))) /* RFC 2231 language */
				cs[q2 - cs] = '\0';
			if (rawlen && (strcasecmp(cs, charset) != 0 || rawlen + (size_t)(end - q1) > sizeof(raw))) {
				to_utf8(charset, raw, rawlen, m->decoded, &o, MAIL_DECODED);
				rawlen = 0;
			}
			memcpy(charset, cs, cl + 1);
			const unsigned char *t = (const unsigned char *)q1 + 3;
			size_t tl = (size_t)(end - (q1 + 3)), bad;
			if (tl <= sizeof(raw) - rawlen) {
				if ((q1[1] | 0x20) == 'b')
					rawlen += b64_decode(t, tl, raw + rawlen, &bad); /* never longer than tl */
				else
					rawlen += qp_decode(t, tl, raw + rawlen, true);
			}
			p = end + 2;
			/* white space between two encoded-words is not text */
			const char *s = p;
			while (*s == ' ' || *s == '\t')
				s++;
			if (s[0] == '=' && s[1] == '?')
				p = s;
			continue;
		}
		if (rawlen) {
			to_utf8(charset, raw, rawlen, m->decoded, &o, MAIL_DECODED);
			rawlen = 0;
		}
		if (o < MAIL_DECODED)
			m->decoded[o++] = *p;
		p++;
	}
	if (rawlen)
		to_utf8(charset, raw, rawlen, m->decoded, &o, MAIL_DECODED);
	return o;
}

/* The run "headers": the fields where people write names and numbers. */
static void headers_run(struct mail *m, const unsigned char *h, size_t len)
{
	static const char *const fields[] = {"From",         "Sender",   "Reply-To", "To",
	                                     "Cc",           "Bcc",      "Subject",  "Date",
	                                     "Organization", "Comments", "Keywords", "Thread-Topic"};

	extract_text_begin(m->x, "headers");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!header_get(h, len, fields[i], m->value))
			continue;
		size_t n = words_decode(m, m->value);
		extract_text(m->x, fields[i], strlen(fields[i]));
		extract_text(m->x, ": ", 2);
		extract_text(m->x, m->decoded, n);
		extract_text(m->x, "\n", 1);
	}
	extract_text_end(m->x);
}

/* --- parts --------------------------------------------------------------- */

static int entity(struct mail *m, const unsigned char *d, size_t len, unsigned depth);

/* A text part in charset as one run of name. */
static void text_run(struct mail *m, const char *name, const char *charset, const unsigned char *d, size_t len)
{
	struct decoder *dec = NULL;
	char out[4096];

	if (is_utf8(charset) || decode_new(charset, &dec) < 0) {
		extract_text_bytes(m->x, name, d, len);
		return;
	}
	extract_text_begin(m->x, name);
	for (;;) {
		size_t used = 0, n = 0;
		decode_run(dec, d, len, &used, out, sizeof(out), &n, true);
		extract_text(m->x, out, n);
		d += used;
		len -= used;
		if (!len || (!used && !n))
			break;
	}
	extract_text_end(m->x);
	explicit_bzero(out, sizeof(out));
	decode_free(dec);
}

/* HTML in charset, handed to the framework as UTF-8 (with a byte-order mark,
 * which the markup reader trusts over a <meta> charset). */
static int html_part(struct mail *m, const char *name, const char *charset, const unsigned char *d, size_t len)
{
	size_t cap, o = 3;
	char *u;
	int rc;

	if (is_utf8(charset))
		return extract_nested(m->x, name, d, len);
	cap = len > (LIMIT_MEMBER_BYTES - 16) / 3 ? LIMIT_MEMBER_BYTES : 3 * len + 16;
	u = malloc(cap);
	if (!u)
		return ERR_NOMEM;
	memcpy(u, "\xef\xbb\xbf", 3);
	to_utf8(charset, d, len, u, &o, cap);
	rc = extract_nested(m->x, name, u, o);
	explicit_bzero(u, o);
	free(u);
	return rc;
}

/* Whether a delimiter line ends at p: with "--" (the closing delimiter) or
 * with transport padding (spaces, tabs) up to the line end (RFC 2046 5.1.1),
 * so that "--b10" is not taken for a delimiter of boundary "b1". */
static bool delimiter_ends(const unsigned char *p, const unsigned char *end)
{
	if (end - p >= 2 && p[0] == '-' && p[1] == '-')
		return true;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end || *p == '\r' || *p == '\n';
}

/* The parts of a multipart body between delimiter lines "--boundary". */
static int multipart(struct mail *m, const unsigned char *d, size_t len, const char *boundary, unsigned depth)
{
	char delim[MAIL_BOUNDARY + 3];
	size_t dl = (size_t)snprintf(delim, sizeof(delim), "--%s", boundary);
	const unsigned char *part = NULL;
	size_t p = 0;
	int rc = 0;

	for (;;) {
		/* the next delimiter at the start of a line */
		const unsigned char *hit = NULL;
		for (size_t s = p; s + dl <= len; s++) {
			const unsigned char *f = memmem(d + s, len - s, delim, dl);
			if (!f)
				break;
			if ((f == d || f[-1] == '\n') && delimiter_ends(f + dl, d + len)) {
				hit = f;
				break;
			}
			s = (size_t)(f - d);
		}
		if (part) {
			const unsigned char *end = hit ? hit : d + len;
			if (hit && end > part && end[-1] == '\n')
				end--;
			if (hit && end > part && end[-1] == '\r')
				end--;
			if (!hit && !m->unclosed) {
				m->unclosed = true; /* once, not at each level of a broken nest */
				extract_coverage(m->x, NULL, EXTRACT_COVERAGE_CORRUPT,
				                 "multipart without its closing boundary; the last part read as it is");
			}
			rc = entity(m, part, end > part ? (size_t)(end - part) : 0, depth + 1);
			if (rc < 0)
				return rc;
		}
		if (!hit && !part) {
			extract_coverage(m->x, NULL, EXTRACT_COVERAGE_CORRUPT, "multipart without any boundary line");
			extract_text_bytes(m->x, "body", d, len);
		}
		if (!hit || m->full)
			return 0;
		p = (size_t)(hit - d) + dl;
		if (len - p >= 2 && d[p] == '-' && d[p + 1] == '-')
			return 0; /* the closing delimiter: the epilogue is not content */
		while (p < len && d[p] != '\n')
			p++;
		if (p < len)
			p++;
		part = d + p;
	}
}

/* A MIME entity (a message or a part): headers, then its body by type. */
static int entity(struct mail *m, const unsigned char *d, size_t len, unsigned depth)
{
	char type[128] = "text/plain", charset[64] = "", name[MAIL_NAME] = "", cte[32] = "", *v = m->value;
	unsigned char *body = NULL;
	size_t bstart, hlen = header_end(d, len, &bstart), blen = len - bstart;
	bool attachment = false, named;
	int rc = 0;

	if (depth > MAIL_DEPTH) {
		extract_coverage(m->x, NULL, EXTRACT_COVERAGE_LIMIT, "MIME parts nested more than 16 deep");
		return 0;
	}
	if (header_get(d, hlen, "Content-Type", v)) {
		size_t i = 0;
		while (v[i] && v[i] != ';' && v[i] != ' ' && i + 1 < sizeof(type)) {
			type[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i]);
			i++;
		}
		type[i] = '\0';
		param_get(v, "charset", charset, sizeof(charset));
		if (strncmp(type, "multipart/", 10) == 0) {
			char boundary[MAIL_BOUNDARY + 1];
			if (!param_get(v, "boundary", boundary, sizeof(boundary))) {
				extract_coverage(m->x, NULL, EXTRACT_COVERAGE_CORRUPT, "multipart without a boundary");
				memcpy(type, "text/plain", 11);
			} else {
				return multipart(m, d + bstart, blen, boundary, depth);
			}
		}
		param_get(v, "name", name, sizeof(name));
	}
	if (header_get(d, hlen, "Content-Disposition", v)) {
		attachment = strncasecmp(v, "attachment", 10) == 0;
		param_get(v, "filename", name, sizeof(name));
	}
	if (name[0]) {
		/* a file name may itself be RFC 2047 encoded */
		size_t n = words_decode(m, name);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, m->decoded, n);
		name[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if (name[i] == '!' || name[i] == '/')
				name[i] = '_';
	}
	if (header_get(d, hlen, "Content-Transfer-Encoding", v))
		snprintf(cte, sizeof(cte), "%s", v);
	if (m->parts >= MAIL_PARTS) {
		if (!m->full)
			extract_coverage(m->x, NULL, EXTRACT_COVERAGE_LIMIT,
			                 "more than 1000 MIME parts; the rest not read");
		m->full = true;
		return 0;
	}
	m->parts++;
	named = name[0] != '\0';
	if (!named)
		snprintf(name, sizeof(name), "part %u", m->parts);

	const unsigned char *content = d + bstart;
	size_t clen = blen;
	bool b64 = strncasecmp(cte, "base64", 6) == 0, qp = strncasecmp(cte, "quoted-printable", 16) == 0;
	if (b64 || qp) {
		size_t cap = b64 ? blen / 4 * 3 + 3 : blen, bad = 0;
		if (cap > LIMIT_MEMBER_BYTES) {
			extract_coverage(m->x, name, EXTRACT_COVERAGE_LIMIT, "part larger than 64 MiB, not decoded");
			return 0;
		}
		body = malloc(cap ? cap : 1);
		if (!body)
			return ERR_NOMEM;
		clen = b64 ? b64_decode(content, blen, body, &bad) : qp_decode(content, blen, body, false);
		content = body;
		if (bad)
			extract_coverage(m->x, name, EXTRACT_COVERAGE_CORRUPT,
			                 "base64 with bytes outside its alphabet; read as far as it decodes");
	} else if (blen > LIMIT_MEMBER_BYTES) {
		extract_coverage(m->x, name, EXTRACT_COVERAGE_LIMIT, "part larger than 64 MiB, not read");
		return 0;
	}
	rc = extract_check(m->x, clen);
	if (rc < 0)
		goto out;
	if (strcmp(type, "text/html") == 0 && !attachment)
		rc = html_part(m, name, charset, content, clen);
	else if (strncmp(type, "text/", 5) == 0 && !attachment && !named)
		text_run(m, name, charset, content, clen);
	else /* attached files, forwarded messages, anything not text */
		rc = extract_nested(m->x, name, content, clen);
out:
	if (body) {
		explicit_bzero(body, clen);
		free(body);
	}
	return rc;
}

/* --- messages and mailboxes ------------------------------------------------ */

/* The start of the next mbox message after p: a "From " line after an empty
 * line, or len. */
static size_t mbox_next(const unsigned char *d, size_t len, size_t p)
{
	for (;;) {
		const unsigned char *f = memmem(d + p, len - p, "\nFrom ", 6);
		if (!f)
			return len;
		size_t at = (size_t)(f - d);
		if ((at >= 1 && d[at - 1] == '\n') || (at >= 2 && d[at - 1] == '\r' && d[at - 2] == '\n'))
			return at + 1;
		p = at + 1;
	}
}

static int mbox(struct extract *x, const unsigned char *d, size_t len)
{
	size_t p = 0;
	unsigned n = 0;
	int rc = 0;

	while (p < len) {
		size_t next = mbox_next(d, len, p + 1 < len ? p + 1 : len), s = p;
		char name[MAIL_MBOX_NAME];
		while (s < next && d[s] != '\n') /* the "From " line itself */
			s++;
		if (s < next)
			s++;
		snprintf(name, sizeof(name), "message %u", ++n);
		rc = extract_nested(x, name, d + s, next - s);
		if (rc < 0)
			break;
		p = next;
	}
	return rc;
}

int extract_mail(struct extract *x, const unsigned char *data, size_t len)
{
	struct mail m = {.x = x};
	size_t body;
	int rc;

	if (len >= 5 && memcmp(data, "From ", 5) == 0)
		return mbox(x, data, len);
	m.value = malloc(MAIL_VALUE);
	m.decoded = malloc(MAIL_DECODED);
	if (!m.value || !m.decoded) {
		rc = ERR_NOMEM;
		goto out;
	}
	headers_run(&m, data, header_end(data, len, &body));
	rc = entity(&m, data, len, 0);
	if (rc == ERR_FORMAT)
		rc = 0;
out:
	if (m.value)
		explicit_bzero(m.value, MAIL_VALUE);
	if (m.decoded)
		explicit_bzero(m.decoded, MAIL_DECODED);
	free(m.value);
	free(m.decoded);
	return rc;
}
