/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Firefox cache2 entries (cache2/entries/<SHA-1>): the body first, then the
 * metadata (hashes, a big-endian header, the key, NUL-separated elements)
 * and a trailer that says where the metadata starts. The body is decoded as
 * the stored response head says and handed back to the framework under the
 * URL of the key; the key and the elements are a text run of their own. The
 * trailer test runs on every file that no other format claims, so it looks
 * for what only Firefox writes; the extractor checks the rest, and a
 * metadata block that does not read ends with coverage.corrupt, the body
 * region and the text runs of the metadata still read. Layout: docs
 * cache-formats.md, section 5.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_decode.h"
#include "error.h"
#include "extract.h"
#include "limits.h"

#define FIREFOX_CHUNK        (256u * 1024u) /* the unit of the chunk hashes */
#define FIREFOX_KEY_MAX      (64u * 1024u)  /* a longer key is taken for no key */
#define FIREFOX_ELEMENTS_MAX (64u * 1024u)  /* Firefox refuses more metadata elements */
#define FIREFOX_ENCRYPTED    0x80000000u    /* v4 trailer: the entry is AES-GCM encrypted */
#define FIREFOX_SEALED       28u            /* an encrypted block's tag and nonce */
#define FIREFOX_HEADER_V1    28u            /* version 1 has no flags word */
#define FIREFOX_HEADER       32u

struct firefox_trailer {
	uint32_t offset; /* where the metadata starts: the body's length */
	size_t size;     /* bytes of the trailer: 4 (versions 1-3) or 8 (version 4) */
	bool encrypted;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t firefox_chunks(uint64_t body)
{
	return body / FIREFOX_CHUNK + (body % FIREFOX_CHUNK != 0);
}

/* The trailer, from the last tail_len bytes of an object of size bytes, if
 * its numbers fit: the metadata starts inside the object and is neither
 * smaller than its fixed parts nor larger than Firefox allows. */
static bool firefox_trailer(const unsigned char *tail, size_t tail_len, uint64_t size, struct firefox_trailer *t)
{
	uint64_t meta, least, most;

	if (tail_len < 8 || size < tail_len)
		return false;
	if (be32(tail + tail_len - 8) == 4) {
		uint32_t w = be32(tail + tail_len - 4);
		*t = (struct firefox_trailer){.offset = w & ~FIREFOX_ENCRYPTED, .size = 8, .encrypted = w >> 31};
	} else {
		*t = (struct firefox_trailer){.offset = be32(tail + tail_len - 4), .size = 4};
	}
	if (t->offset >= size)
		return false;
	meta = size - t->offset;
	least = 4 + 2 * firefox_chunks(t->offset) + FIREFOX_HEADER_V1 + 2 + t->size;
	most = 4 + 2 * (size / FIREFOX_CHUNK + 1) + FIREFOX_HEADER + FIREFOX_KEY_MAX + 1 + FIREFOX_ELEMENTS_MAX +
	       t->size;
	if (t->encrypted)
		least += FIREFOX_SEALED, most += FIREFOX_SEALED;
	return meta >= least && meta <= most;
}

bool extract_firefox_cache_tail(const unsigned char *tail, size_t tail_len, uint64_t size)
{
	struct firefox_trailer t;
	size_t end, i, name;

	if (!firefox_trailer(tail, tail_len, size, &t))
		return false;
	if (t.encrypted)
		return true; /* the metadata is ciphertext: nothing more to see */
	/* The elements end "...\0name\0value\0": a value of text, and before it
	 * a name of printable ASCII ("net-response-time-onstop\0" "117\0"). The
	 * zero-padded ends of other binary formats give empty strings. */
	end = tail_len - t.size;
	if (end < 2 || tail[end - 1] != 0)
		return false;
	for (i = end - 1; i > 0 && tail[i - 1] != 0; i--)
		if (tail[i - 1] < 0x20 && tail[i - 1] != '\t' && tail[i - 1] != '\r' && tail[i - 1] != '\n')
			return false;
	if (i == end - 1)
		return false;
	if (i == 0)
		return true; /* a long value fills the tail */
	for (name = i - 1; name > 0 && tail[name - 1] != 0; name--)
		if (tail[name - 1] <= 0x20 || tail[name - 1] >= 0x7f)
			return false;
	return i - 1 - name >= 2;
}

/* The URL of a key: tags, each ended by a comma (doubled inside a value),
 * then ':' and the URL ("a,O^partitionKey=...,:https://host/x"). */
static void firefox_url(const unsigned char *key, size_t n, char *out, size_t size)
{
	size_t p = 0;

	while (p < n && key[p] != ':') {
		while (p < n && !(key[p] == ',' && (p + 1 >= n || key[p + 1] != ',')))
			p += key[p] == ',' ? 2 : 1;
		p++;
	}
	if (p < n)
		p++;
	else
		p = 0; /* no tags read: the key as it is */
	content_member(key + p, n - p, out, size);
}

/* The key and the elements ("name: value" lines, the certificate blob of
 * security-info left out) as one text run of member. */
static void firefox_meta(struct extract *x, const char *member, const unsigned char *key, size_t key_len,
                         const unsigned char *el, size_t el_len)
{
	size_t n = key_len + 1 + el_len + el_len / 2 + 1, o = 0, p = 0;
	unsigned char *t = malloc(n);

	if (!t)
		return;
	memcpy(t, key, key_len);
	o = key_len;
	t[o++] = '\n';
	while (p < el_len) {
		const unsigned char *name = el + p, *value, *z = memchr(name, 0, el_len - p);
		size_t nl = z ? (size_t)(z - name) : el_len - p, vl;
		p += nl + 1;
		value = el + (p < el_len ? p : el_len);
		z = p < el_len ? memchr(value, 0, el_len - p) : NULL;
		vl = p < el_len ? (z ? (size_t)(z - value) : el_len - p) : 0;
		p += vl + 1;
		if (nl == 13 && memcmp(name, "security-info", 13) == 0)
			continue;
		memcpy(t + o, name, nl);
		o += nl;
		t[o++] = ':';
		t[o++] = ' ';
		memcpy(t + o, value, vl);
		o += vl;
		t[o++] = '\n';
	}
	extract_text_bytes(x, member, t, o);
	explicit_bzero(t, n);
	free(t);
}

/* The value of element name, if there is one. */
static bool firefox_element(const unsigned char *el, size_t el_len, const char *name, const unsigned char **ret,
                            size_t *ret_len)
{
	size_t nl = strlen(name), p = 0;

	while (p < el_len) {
		const unsigned char *z = memchr(el + p, 0, el_len - p);
		size_t k = z ? (size_t)(z - (el + p)) : el_len - p, v = p + k + 1;
		const unsigned char *vz = v < el_len ? memchr(el + v, 0, el_len - v) : NULL;
		size_t vl = v < el_len ? (vz ? (size_t)(vz - (el + v)) : el_len - v) : 0;
		if (k == nl && memcmp(el + p, name, nl) == 0 && v <= el_len) {
			*ret = el + v;
			*ret_len = vl;
			return true;
		}
		p = v + vl + 1;
	}
	return false;
}

/* The offset of alternative data ("alt-data" is "<version>;<offset>,<type>"),
 * or body_len when there is none that fits. */
static size_t firefox_alt_offset(const unsigned char *el, size_t el_len, size_t body_len)
{
	const unsigned char *v;
	size_t vl, i = 0;
	uint64_t off = 0;

	if (!firefox_element(el, el_len, "alt-data", &v, &vl))
		return body_len;
	while (i < vl && v[i] != ';')
		i++;
	if (++i >= vl || v[i] < '0' || v[i] > '9')
		return body_len;
	for (; i < vl && v[i] >= '0' && v[i] <= '9' && off <= body_len; i++)
		off = off * 10 + (uint64_t)(v[i] - '0');
	return off <= body_len ? (size_t)off : body_len;
}

int extract_firefox_cache(struct extract *x, const unsigned char *data, size_t len)
{
	struct firefox_trailer t;
	const unsigned char *rh, *el = NULL;
	size_t metapos, hdr, key_at, key_len = 0, el_len = 0, body_len, rhl;
	uint32_t version;
	char member[LIMIT_MEMBER_NAME] = "", enc[256];
	const char *bad = NULL;
	bool has_enc = false, partial = false;
	int rc;

	if (!firefox_trailer(data, len, len, &t)) {
		/* Not what detection saw: read as any other bytes. */
		extract_text_bytes(x, NULL, data, len);
		return 0;
	}
	if (t.encrypted) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_ENCRYPTED, "an encrypted Firefox cache entry (AES-GCM)");
		return 0;
	}
	metapos = len - t.size;
	hdr = t.offset + 4 + 2 * (size_t)firefox_chunks(t.offset);
	version = hdr <= metapos && metapos - hdr >= FIREFOX_HEADER_V1 ? be32(data + hdr) : 0;
	key_at = hdr + (version == 1 ? FIREFOX_HEADER_V1 : FIREFOX_HEADER);
	if (version < 1 || version > 4 || key_at > metapos)
		bad = "a Firefox cache entry whose metadata header does not read";
	else if ((key_len = be32(data + hdr + 24)) >= metapos - key_at || data[key_at + key_len] != 0)
		bad = "a Firefox cache entry whose key length runs past its metadata";
	else {
		el = data + key_at + key_len + 1;
		el_len = metapos - (key_at + key_len + 1);
		if (el_len && el[el_len - 1] != 0)
			bad = "a Firefox cache entry whose metadata elements are not NUL-terminated";
	}
	if (bad) {
		/* The body region still holds the body, the rest its metadata. */
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, bad);
		rc = content_nest(x, NULL, NULL, true, data, t.offset);
		if (rc == 0)
			rc = extract_runs(x, NULL, data + t.offset, len - t.offset);
		return rc;
	}
	firefox_url(data + key_at, key_len, member, sizeof(member));
	if (firefox_element(el, el_len, "response-head", &rh, &rhl)) {
		has_enc = content_header(rh, rhl, "Content-Encoding", enc, sizeof(enc));
		partial = content_status(rh, rhl) == 206;
	}
	firefox_meta(x, member, data + key_at, key_len, el, el_len);
	body_len = firefox_alt_offset(el, el_len, t.offset);
	rc = content_nest(x, member, has_enc ? enc : NULL, partial, data, body_len);
	if (rc == 0 && body_len < t.offset) {
		/* Alternative data (compiled script): no format of ours, its text runs. */
		rc = extract_runs(x, member, data + body_len, t.offset - body_len);
	}
	return rc;
}
