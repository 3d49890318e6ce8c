/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LevelDB stores of browsers (Chromium's Local Storage and IndexedDB, and
 * any other LevelDB a profile holds): write-ahead logs (.log: 32 KiB blocks
 * of checksummed records, reassembled, each a WriteBatch of puts) and sorted
 * tables (.ldb/.sst: footer, index block, raw or snappy data blocks with
 * prefix-compressed keys). Each value put is decoded by what its key says it
 * is: a Local Storage item (UTF-16LE or Latin-1, given as "key: value" under
 * the origin as member, "https://chat.zalo.me"), an IndexedDB record (Blink/V8
 * serialisation, maybe snappy-wrapped: its strings, one a line, under
 * "indexeddb:<database>/<store>" when the file names them, as Chromium's
 * metadata records do, else "indexeddb:<database id>/<store id>"; the origin
 * is in the folder's name), or anything else (its text runs, member "").
 * A bad record, block or varint costs the file one coverage.corrupt and the
 * damaged bytes are still read as text runs; the rest is read on. Nothing
 * here opens LevelDB itself, which would take its lock and might write.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "decode.h"
#include "error.h"
#include "extract.h"
#include "grow.h"
#include "limits.h"
#include "snappy_raw.h"
#include "text.h"

#define LDB_BLOCK     32768u             /* log block */
#define LDB_HEADER    7u                 /* log record header: crc, length, type */
#define LDB_FOOTER    48u                /* table footer */
#define LDB_BLOCK_MAX (4u << 20)         /* a table block, before and after decompression */
#define LDB_OUT       65536u             /* text is given to the framework in pieces this large */
#define LDB_PENDING   (1u << 20)         /* values batched for one pass of text runs */
#define LDB_MEMBER    256u               /* an origin or IndexedDB name, cut past this */
#define LDB_IDB_NAMES 64u                /* IndexedDB database and store names remembered */
#define LDB_IDB_VALUE LIMIT_MEMBER_BYTES /* a snappy-wrapped IndexedDB value, decompressed */
#define LDB_V8_WORK   8u                 /* bytes of string candidates checked per byte of a V8 value */

enum ldb_type { LDB_ZERO, LDB_FULL, LDB_FIRST, LDB_MIDDLE, LDB_LAST };

struct ldb_name {
	uint64_t db, store; /* store 0: the database's own name */
	char name[64];
};

struct ldb {
	struct extract *x;
	struct decoder *utf16le, *utf16be, *latin1;
	int rc;                  /* ERR_LIMIT / ERR_TIMEOUT from the framework: stop */
	unsigned told;           /* outcomes told, one bit each: a file gets each once */
	bool open;               /* a text run of member is open */
	char member[LDB_MEMBER]; /* its member ("" for the file itself) */
	char out[LDB_OUT];       /* text not yet given */
	size_t out_len;
	unsigned char *pending; /* values waiting for extract_runs, split by NULs */
	size_t pending_len;
	char pending_member[LDB_MEMBER];
	struct ldb_name names[LDB_IDB_NAMES];
	size_t nnames;
};

/* --- little readers --------------------------------------------------------- */

static uint32_t ldb_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A varint of at most max_bytes at *p (before end), advancing *p. 0, or -1
 * when it runs past end or past max_bytes (LevelDB writes 5 for 32 bits). */
static int ldb_varint(const unsigned char **p, const unsigned char *end, unsigned max_bytes, uint64_t *ret)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < max_bytes && *p < end; i++) {
		unsigned char b = *(*p)++;
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			if (max_bytes == 5 && v > UINT32_MAX)
				return -1;
			*ret = v;
			return 0;
		}
	}
	return -1;
}

/* A varint32 length followed by that many bytes (a WriteBatch slice). */
static int ldb_slice(const unsigned char **p, const unsigned char *end, const unsigned char **ret, size_t *ret_len)
{
	uint64_t n;

	if (ldb_varint(p, end, 5, &n) < 0 || n > (uint64_t)(end - *p))
		return -1;
	*ret = *p;
	*ret_len = (size_t)n;
	*p += n;
	return 0;
}

/* --- outcomes ---------------------------------------------------------------- */

static void ldb_tell(struct ldb *l, enum extract_coverage what, const char *detail)
{
	if (!(l->told & 1u << what)) {
		l->told |= 1u << what;
		extract_coverage(l->x, NULL, what, detail);
	}
}

static void ldb_corrupt(struct ldb *l, const char *detail)
{
	ldb_tell(l, EXTRACT_COVERAGE_CORRUPT, detail);
}

/* --- text out ---------------------------------------------------------------- */

static void ldb_flush(struct ldb *l)
{
	if (l->out_len && l->rc == 0) {
		extract_text(l->x, l->out, l->out_len);
		l->rc = extract_check(l->x, l->out_len);
	}
	l->out_len = 0;
}

static void ldb_end(struct ldb *l)
{
	ldb_flush(l);
	if (l->open)
		extract_text_end(l->x);
	l->open = false;
}

/* The batched values of pending_member, as text runs. */
static void ldb_pending_flush(struct ldb *l)
{
	if (!l->pending_len)
		return;
	if (l->rc == 0) {
		ldb_end(l);
		int rc =
		        extract_runs(l->x, l->pending_member[0] ? l->pending_member : NULL, l->pending, l->pending_len);
		if (rc < 0 && l->rc == 0)
			l->rc = rc;
	}
	explicit_bzero(l->pending, l->pending_len);
	l->pending_len = 0;
}

/* Bytes of member whose structure is unknown or broken: their text runs.
 * Small ones are batched (three NULs end a run in every alignment). */
static void ldb_runs(struct ldb *l, const char *member, const unsigned char *d, size_t len)
{
	if (l->rc || !len)
		return;
	if (strcmp(member, l->pending_member) != 0 || l->pending_len + len + 3 > LDB_PENDING)
		ldb_pending_flush(l);
	if (len + 3 > LDB_PENDING) {
		ldb_end(l);
		int rc = extract_runs(l->x, member[0] ? member : NULL, d, len);
		if (rc < 0)
			l->rc = rc;
		return;
	}
	if (!l->pending && !(l->pending = malloc(LDB_PENDING))) {
		l->rc = ERR_NOMEM;
		return;
	}
	snprintf(l->pending_member, sizeof(l->pending_member), "%s", member);
	memcpy(l->pending + l->pending_len, d, len);
	memset(l->pending + l->pending_len + len, 0, 3);
	l->pending_len += len + 3;
}

/* Open (or keep) the text run of member. */
static void ldb_begin(struct ldb *l, const char *member)
{
	if (l->open && strcmp(member, l->member) == 0)
		return;
	ldb_end(l);
	if (l->rc)
		return;
	snprintf(l->member, sizeof(l->member), "%s", member);
	extract_text_begin(l->x, member[0] ? member : NULL);
	l->open = true;
}

static void ldb_put(struct ldb *l, const char *p, size_t n)
{
	while (n && l->rc == 0) {
		size_t k = sizeof(l->out) - l->out_len;
		if (k > n)
			k = n;
		memcpy(l->out + l->out_len, p, k);
		l->out_len += k;
		p += k;
		n -= k;
		if (l->out_len == sizeof(l->out))
			ldb_flush(l);
	}
}

/* Bytes in the decoder's charset, as UTF-8 (bad units become U+FFFD). */
static void ldb_put_decoded(struct ldb *l, struct decoder *d, const unsigned char *p, size_t n)
{
	while (n && l->rc == 0) {
		size_t used = 0, got = 0;
		if (sizeof(l->out) - l->out_len < 64)
			ldb_flush(l);
		decode_run(d, p, n, &used, l->out + l->out_len, sizeof(l->out) - l->out_len, &got, true);
		l->out_len += got;
		if (used == 0 && got == 0)
			break;
		p += used;
		n -= used;
	}
}

/* A name from the file, fit to be part of a member name: control bytes and
 * the nesting separator '!' become '?'. */
static void ldb_clean_name(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '!')
			*s = '?';
}

/* --- Local Storage --------------------------------------------------------- */

/* A Local Storage item: key "_<origin>\0<fmt><script key>", value
 * "<fmt><text>", fmt 0 UTF-16LE, 1 Latin-1. Returns false when it is not. */
static bool ldb_local_storage(struct ldb *l, const unsigned char *k, size_t klen, const unsigned char *v, size_t vlen)
{
	const unsigned char *nul;
	char origin[LDB_MEMBER];
	size_t olen;

	if (klen < 3 || k[0] != '_' || vlen < 1 || v[0] > 1 || !(nul = memchr(k, 0, klen)))
		return false;
	olen = (size_t)(nul - k) - 1;
	if ((size_t)(nul - k) + 1 >= klen || nul[1] > 1 || olen == 0)
		return false;
	snprintf(origin, sizeof(origin), "%.*s", (int)(olen < sizeof(origin) - 1 ? olen : sizeof(origin) - 1),
	         (const char *)k + 1);
	ldb_clean_name(origin);
	ldb_begin(l, origin);
	ldb_put_decoded(l, nul[1] ? l->latin1 : l->utf16le, nul + 2, klen - (size_t)(nul + 2 - k));
	ldb_put(l, ": ", 2);
	ldb_put_decoded(l, v[0] ? l->latin1 : l->utf16le, v + 1, vlen - 1);
	ldb_put(l, "\n", 1);
	return true;
}

/* --- IndexedDB ------------------------------------------------------------- */

/* The key prefix of an IndexedDB record: database, object store and index
 * ids, their byte lengths packed in the first byte. */
static bool ldb_idb_prefix(const unsigned char *k, size_t klen, uint64_t *db, uint64_t *store, uint64_t *index,
                           size_t *ret_len)
{
	size_t lens[3], pos = 1;
	uint64_t *ids[3] = {db, store, index};

	if (klen < 4)
		return false;
	lens[0] = (size_t)(k[0] >> 5) + 1;
	lens[1] = (size_t)((k[0] >> 2) & 7) + 1;
	lens[2] = (size_t)(k[0] & 3) + 1;
	for (int i = 0; i < 3; i++) {
		if (lens[i] > klen - pos)
			return false;
		*ids[i] = 0;
		for (size_t b = 0; b < lens[i]; b++)
			*ids[i] |= (uint64_t)k[pos + b] << (8 * b);
		pos += lens[i];
	}
	*ret_len = pos;
	return true;
}

/* Remember the name of a database (store 0) or object store, from UTF-16BE. */
static void ldb_idb_remember(struct ldb *l, uint64_t db, uint64_t store, const unsigned char *utf16be, size_t len)
{
	struct ldb_name *n = NULL;
	size_t used = 0, got = 0;

	for (size_t i = 0; i < l->nnames && !n; i++)
		if (l->names[i].db == db && l->names[i].store == store)
			n = &l->names[i];
	if (!n && l->nnames == LDB_IDB_NAMES)
		return;
	if (!n)
		n = &l->names[l->nnames++];
	n->db = db;
	n->store = store;
	if (len > 2 * 24)
		len = 2 * 24; /* 24 characters name it well enough */
	decode_run(l->utf16be, utf16be, len & ~(size_t)1, &used, n->name, sizeof(n->name) - 1, &got, true);
	n->name[got] = '\0';
	ldb_clean_name(n->name);
}

static const char *ldb_idb_name(const struct ldb *l, uint64_t db, uint64_t store)
{
	for (size_t i = 0; i < l->nnames; i++)
		if (l->names[i].db == db && l->names[i].store == store && l->names[i].name[0])
			return l->names[i].name;
	return NULL;
}

/* IndexedDB metadata that names things: a database name (prefix 0/0/0, type
 * 201, origin and name as varint-counted UTF-16BE, value the id) and an
 * object store name (prefix db/0/0, type 50, store id, field 0). */
static bool ldb_idb_meta(struct ldb *l, const unsigned char *k, size_t klen, const unsigned char *v, size_t vlen)
{
	uint64_t db, store, index, id, n;
	size_t pos;
	const unsigned char *p, *end = k + klen;

	if (!ldb_idb_prefix(k, klen, &db, &store, &index, &pos) || store || index || pos >= klen)
		return false;
	p = k + pos + 1;
	if (db == 0 && k[pos] == 201) {
		const unsigned char *vp = v;
		if (ldb_varint(&p, end, 10, &n) < 0 || n > (uint64_t)(end - p) / 2)
			return false;
		p += 2 * n;
		if (ldb_varint(&p, end, 10, &n) < 0 || n > (uint64_t)(end - p) / 2 ||
		    ldb_varint(&vp, v + vlen, 10, &id) < 0 || id == 0)
			return false;
		ldb_idb_remember(l, id, 0, p, (size_t)(2 * n));
		return true;
	}
	if (db != 0 && k[pos] == 50) {
		if (ldb_varint(&p, end, 10, &id) < 0 || p + 1 != end || *p != 0 || id == 0)
			return false;
		ldb_idb_remember(l, db, id, v, vlen);
		return true;
	}
	return false;
}

/* A V8 string at s[0..n) of tag '"' (Latin-1), 'c' (UTF-16LE) or 'S'
 * (UTF-8) that reads as text: no control characters, no lone surrogates. */
static bool ldb_v8_text(unsigned char tag, const unsigned char *s, size_t n)
{
	if (tag == '"') {
		for (size_t i = 0; i < n; i++)
			if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') ||
			    (s[i] >= 0x7f && s[i] < 0xa0))
				return false;
		return true;
	}
	if (tag == 'c') {
		if (n % 2)
			return false;
		for (size_t i = 0; i < n; i += 2) {
			uint32_t c = (uint32_t)s[i] | (uint32_t)s[i + 1] << 8;
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0xfffe)
				return false;
			if (c >= 0xd800 && c < 0xdc00) {
				uint32_t lo = i + 3 < n ? (uint32_t)s[i + 2] | (uint32_t)s[i + 3] << 8 : 0;
				if (lo < 0xdc00 || lo >= 0xe000)
					return false;
				i += 2;
			} else if (c >= 0xdc00 && c < 0xe000) {
				return false;
			}
		}
		return true;
	}
	for (size_t i = 0; i < n;) {
		size_t k;
		int32_t c = text_utf8_next(s + i, s + n, &k);
		if (c < 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
			return false;
		i += k;
	}
	return true;
}

/* The strings of a V8-serialised value, one a line, in their order. The tag
 * stream is not parsed: every place where a string tag, a length that fits
 * and text follow is taken, which finds the strings of any object graph.
 * Returns how many were found. */
static size_t ldb_v8_strings(struct ldb *l, const char *member, const unsigned char *s, size_t n)
{
	size_t found = 0, budget = LDB_V8_WORK * n + 4096;

	for (size_t i = 0; i < n && l->rc == 0;) {
		const unsigned char *p = s + i + 1;
		uint64_t len;
		unsigned char tag = s[i];
		if ((tag != '"' && tag != 'c' && tag != 'S') || ldb_varint(&p, s + n, 5, &len) < 0 || len == 0 ||
		    len > (uint64_t)(s + n - p)) {
			i++;
			continue;
		}
		if (len > budget) {
			/* Crafted values could make each byte start a long string
			 * that fails at its end: the rest is read as text runs. */
			ldb_runs(l, member, s + i, n - i);
			return found + 1; /* the rest is read */
		}
		budget -= (size_t)len;
		if (!ldb_v8_text(tag, p, (size_t)len)) {
			i++;
			continue;
		}
		if (tag == 'S')
			ldb_put(l, (const char *)p, (size_t)len);
		else
			ldb_put_decoded(l, tag == 'c' ? l->utf16le : l->latin1, p, (size_t)len);
		ldb_put(l, "\n", 1);
		found++;
		i = (size_t)(p + len - s);
	}
	return found;
}

/* An IndexedDB object store record: key prefix db/store/1, value a varint
 * version then the serialised value ("ff ..."), maybe wrapped: "ff 11 02"
 * snappy-compressed, "ff 11 01" moved to a blob file (which is scanned as a
 * file of its own). Returns false when it is not one. */
static bool ldb_idb_record(struct ldb *l, const unsigned char *k, size_t klen, const unsigned char *v, size_t vlen)
{
	uint64_t db, store, index, version;
	size_t pos, ssv_len, plain_len = 0;
	const unsigned char *p = v;
	unsigned char *unwrapped = NULL;
	const unsigned char *ssv;
	char member[LDB_MEMBER];
	const char *dbname, *storename;

	if (!ldb_idb_prefix(k, klen, &db, &store, &index, &pos) || db == 0 || store == 0 || index != 1)
		return false;
	if (ldb_varint(&p, v + vlen, 5, &version) < 0 || p == v + vlen || *p != 0xff)
		return false;
	ssv = p;
	ssv_len = (size_t)(v + vlen - p);
	dbname = ldb_idb_name(l, db, 0);
	storename = ldb_idb_name(l, db, store);
	if (dbname && storename)
		snprintf(member, sizeof(member), "indexeddb:%s/%s", dbname, storename);
	else
		snprintf(member, sizeof(member), "indexeddb:%llu/%llu", (unsigned long long)db,
		         (unsigned long long)store);
	if (ssv_len >= 3 && ssv[1] == 0x11 && ssv[2] == 0x01)
		return true; /* the value is in a blob file */
	if (ssv_len >= 3 && ssv[1] == 0x11 && ssv[2] == 0x02) {
		size_t n;
		int rc = snappy_raw_length(ssv + 3, ssv_len - 3, &n);
		if (rc == 0 && n > LDB_IDB_VALUE) {
			extract_coverage(l->x, member, EXTRACT_COVERAGE_LIMIT,
			                 "a compressed IndexedDB value larger than 64 MiB");
			return true;
		}
		if (rc == 0 && (l->rc = extract_check(l->x, n)) != 0)
			return true;
		if (rc == 0)
			rc = snappy_raw_decompress(ssv + 3, ssv_len - 3, LDB_IDB_VALUE, &unwrapped, &plain_len);
		if (rc == ERR_NOMEM) {
			l->rc = rc;
			return true;
		}
		if (rc < 0) {
			ldb_corrupt(l, "an IndexedDB value whose snappy compression is broken");
			ldb_runs(l, member, ssv + 3, ssv_len - 3);
			return true;
		}
		ssv = unwrapped;
		ssv_len = plain_len;
	}
	ldb_begin(l, member);
	if (ldb_v8_strings(l, member, ssv, ssv_len) == 0)
		ldb_runs(l, member, ssv, ssv_len);
	if (unwrapped) {
		explicit_bzero(unwrapped, ssv_len);
		free(unwrapped);
	}
	return true;
}

/* --- values ------------------------------------------------------------------ */

/* One live key/value pair (user key), by what its key says it is. */
static void ldb_value(struct ldb *l, const unsigned char *k, size_t klen, const unsigned char *v, size_t vlen)
{
	if (l->rc)
		return;
	if ((klen == 7 && memcmp(k, "VERSION", 7) == 0) || (klen >= 5 && memcmp(k, "META:", 5) == 0) ||
	    (klen >= 11 && memcmp(k, "METAACCESS:", 11) == 0))
		return; /* Local Storage's own bookkeeping: a version, times and sizes */
	if (ldb_local_storage(l, k, klen, v, vlen) || ldb_idb_meta(l, k, klen, v, vlen) ||
	    ldb_idb_record(l, k, klen, v, vlen))
		return;
	ldb_runs(l, "", k, klen);
	ldb_runs(l, "", v, vlen);
}

/* --- logs -------------------------------------------------------------------- */

/* A WriteBatch: u64 sequence, u32 count, then Put (1, key, value) and Delete
 * (0, key) items. A record that cannot be one (a MANIFEST's version edit) is
 * read as text runs; a batch broken inside is corrupt, its rest read so. */
static void ldb_batch(struct ldb *l, const unsigned char *d, size_t len)
{
	const unsigned char *p = d + 12, *end = d + len;
	uint32_t count, i;

	if (len < 12 || (count = ldb_u32(d + 8)) == 0 || count > (len - 12) / 2) {
		ldb_runs(l, "", d, len);
		return;
	}
	for (i = 0; i < count && p < end && l->rc == 0; i++) {
		const unsigned char *item = p, *k, *v;
		size_t klen, vlen;
		unsigned char tag = *p++;
		if ((tag != 0 && tag != 1) || ldb_slice(&p, end, &k, &klen) < 0 ||
		    (tag == 1 && ldb_slice(&p, end, &v, &vlen) < 0)) {
			ldb_corrupt(l, "a LevelDB write batch with a bad item or length");
			ldb_runs(l, "", item, (size_t)(end - item));
			return;
		}
		if (tag == 1)
			ldb_value(l, k, klen, v, vlen);
	}
	if (l->rc)
		return;
	if (i != count || p != end) {
		ldb_corrupt(l, "a LevelDB write batch whose count does not match its items");
		ldb_runs(l, "", p, (size_t)(end - p));
	}
}

/* A fragmented record being put together. */
struct ldb_record {
	struct grow bytes;
	bool open;
};

/* A record that will never be whole: its bytes as text runs. */
static void ldb_record_drop(struct ldb *l, struct ldb_record *r)
{
	if (r->open)
		ldb_runs(l, "", r->bytes.data, r->bytes.len);
	r->open = false;
	r->bytes.len = 0;
}

static void ldb_log(struct ldb *l, const unsigned char *d, size_t len)
{
	struct ldb_record r = {0};

	for (size_t block = 0; block < len && l->rc == 0; block += LDB_BLOCK) {
		size_t end = len - block > LDB_BLOCK ? block + LDB_BLOCK : len, p = block;
		if ((l->rc = extract_check(l->x, 0)) != 0)
			break;
		while (end - p >= LDB_HEADER && l->rc == 0) {
			size_t n = (size_t)d[p + 4] | (size_t)d[p + 5] << 8;
			unsigned type = d[p + 6];
			const unsigned char *frag = d + p + LDB_HEADER;
			if (type == LDB_ZERO && n == 0)
				break; /* preallocated space: the rest of the block is zeros */
			if (n > end - p - LDB_HEADER && end == len) {
				/* The last record is still being written: not damage. */
				ldb_record_drop(l, &r);
				ldb_runs(l, "", frag, end - p - LDB_HEADER);
				break;
			}
			if (type < LDB_FULL || type > LDB_LAST || n > end - p - LDB_HEADER ||
			    crc32c_unmask(ldb_u32(d + p)) != crc32c(d + p + 6, 1 + n)) {
				ldb_corrupt(l, "a LevelDB log record with a bad checksum, type or length");
				ldb_record_drop(l, &r);
				ldb_runs(l, "", d + p, end - p);
				break;
			}
			p += LDB_HEADER + n;
			if ((type == LDB_FULL || type == LDB_FIRST) && r.open) {
				ldb_corrupt(l, "a LevelDB log record cut off by the next one");
				ldb_record_drop(l, &r);
			}
			if (type == LDB_FULL) {
				ldb_batch(l, frag, n);
				continue;
			}
			if (type != LDB_FIRST && !r.open) {
				ldb_corrupt(l, "a LevelDB log record without its start");
				ldb_runs(l, "", frag, n);
				continue;
			}
			r.open = true;
			if (grow_append(&r.bytes, frag, n, len) < 0) {
				l->rc = ERR_NOMEM; /* fragments of one file never pass its size */
				break;
			}
			if (type == LDB_LAST) {
				ldb_batch(l, r.bytes.data, r.bytes.len);
				r.open = false;
				r.bytes.len = 0;
			}
		}
	}
	ldb_record_drop(l, &r); /* the last record was still being written */
	grow_free(&r.bytes);
}

bool extract_leveldb_log_head(const unsigned char *head, size_t len)
{
	size_t n;

	if (len < LDB_HEADER + 1 || (head[6] != LDB_FULL && head[6] != LDB_FIRST))
		return false;
	n = (size_t)head[4] | (size_t)head[5] << 8;
	/* A first fragment fills its block; any record is within it and here. */
	if (n == 0 || n > LDB_BLOCK - LDB_HEADER || (head[6] == LDB_FIRST && n != LDB_BLOCK - LDB_HEADER) ||
	    n > len - LDB_HEADER)
		return false;
	return crc32c_unmask(ldb_u32(head)) == crc32c(head + 6, 1 + n);
}

/* --- tables ------------------------------------------------------------------ */

/* A block's contents (raw, or decompressed into *ret_owned, which the caller
 * wipes and frees). Returns 0, or -1 when the block cannot be read (the
 * outcome told, its bytes read as text runs). */
static int ldb_block(struct ldb *l, const unsigned char *d, size_t len, uint64_t off, uint64_t size,
                     const unsigned char **ret, size_t *ret_len, unsigned char **ret_owned)
{
	const unsigned char *b;
	size_t n;
	int rc;

	*ret_owned = NULL;
	if (off > len || size > len - off || len - off - size < 5 || size > LDB_BLOCK_MAX) {
		ldb_corrupt(l, "a LevelDB table block outside the file or over 4 MiB");
		return -1;
	}
	b = d + off;
	if (crc32c_unmask(ldb_u32(b + size + 1)) != crc32c(b, (size_t)size + 1))
		ldb_corrupt(l, "a LevelDB table block with a bad checksum");
	if (b[size] == 0) {
		*ret = b;
		*ret_len = (size_t)size;
		return 0;
	}
	if (b[size] != 1) {
		ldb_tell(l, EXTRACT_COVERAGE_UNSUPPORTED,
		         "a LevelDB table block compressed other than with snappy (zstd?)");
		ldb_runs(l, "", b, (size_t)size);
		return -1;
	}
	rc = snappy_raw_length(b, (size_t)size, &n);
	if (rc == 0 && n > LDB_BLOCK_MAX) {
		ldb_tell(l, EXTRACT_COVERAGE_LIMIT, "a LevelDB table block larger than 4 MiB decompressed");
		ldb_runs(l, "", b, (size_t)size);
		return -1;
	}
	if (rc == 0 && (l->rc = extract_check(l->x, n)) != 0)
		return -1;
	if (rc == 0)
		rc = snappy_raw_decompress(b, (size_t)size, LDB_BLOCK_MAX, ret_owned, ret_len);
	if (rc == ERR_NOMEM) {
		l->rc = rc;
		return -1;
	}
	if (rc < 0) {
		ldb_corrupt(l, "a LevelDB table block whose snappy compression is broken");
		ldb_runs(l, "", b, (size_t)size);
		return -1;
	}
	*ret = *ret_owned;
	return 0;
}

static void ldb_block_free(unsigned char *owned, size_t len)
{
	if (owned) {
		explicit_bzero(owned, len);
		free(owned);
	}
}

/* Each entry of a block (shared, unshared, value lengths; key delta; value;
 * then the restart array), keys rebuilt from their prefixes, to each(). For
 * an index block (index) the value is a handle of a data block, read in turn.
 * Returns 0, or -1 when the block is malformed (at the first bad entry). */
static int ldb_block_each(struct ldb *l, const unsigned char *d, size_t len, const unsigned char *b, size_t n,
                          bool index)
{
	const unsigned char *p = b, *limit;
	unsigned char *key;
	size_t key_len = 0;
	uint32_t restarts;
	int rc = 0;

	if (n < 4 || (restarts = ldb_u32(b + n - 4)) > (n - 4) / 4)
		return -1;
	limit = b + n - 4 - 4 * (size_t)restarts;
	if (!(key = malloc(n ? n : 1))) {
		l->rc = ERR_NOMEM;
		return -1;
	}
	while (p < limit && l->rc == 0) {
		uint64_t shared, unshared, vlen;
		if (ldb_varint(&p, limit, 5, &shared) < 0 || ldb_varint(&p, limit, 5, &unshared) < 0 ||
		    ldb_varint(&p, limit, 5, &vlen) < 0 || shared > key_len || unshared > (uint64_t)(limit - p) ||
		    vlen > (uint64_t)(limit - p) - unshared) {
			rc = -1;
			break;
		}
		memcpy(key + shared, p, (size_t)unshared);
		key_len = (size_t)(shared + unshared);
		p += unshared;
		if (index) {
			const unsigned char *h = p, *contents;
			unsigned char *owned = NULL;
			uint64_t off, size;
			size_t clen = 0;
			if (ldb_varint(&h, p + vlen, 10, &off) < 0 || ldb_varint(&h, p + vlen, 10, &size) < 0) {
				rc = -1;
				break;
			}
			if ((l->rc = extract_check(l->x, 0)) == 0 &&
			    ldb_block(l, d, len, off, size, &contents, &clen, &owned) == 0) {
				if (ldb_block_each(l, d, len, contents, clen, false) < 0) {
					ldb_corrupt(l, "a LevelDB table data block with a bad entry");
					ldb_runs(l, "", contents, clen);
				}
			}
			ldb_block_free(owned, clen);
		} else if (key_len >= 8 && (key[key_len - 8] & 0xff) == 1) {
			ldb_value(l, key, key_len - 8, p, (size_t)vlen); /* a live value, not a deletion */
		}
		p += vlen;
	}
	explicit_bzero(key, n);
	free(key);
	return rc;
}

/* Without an index: blocks from offset 0 on, each found by its trailer (a
 * compression type and a checksum over the block that holds). */
static void ldb_table_walk(struct ldb *l, const unsigned char *d, size_t len)
{
	size_t p = 0;

	while (p < len && l->rc == 0) {
		size_t s, stop = len - p > LDB_BLOCK_MAX + 5 ? p + LDB_BLOCK_MAX : len;
		uint32_t crc = 0;
		bool found = false;
		for (s = p; s + 5 <= stop && !found; s++) {
			if (d[s] <= 1 && crc32c_unmask(ldb_u32(d + s + 1)) == crc32c_extend(crc, d + s, 1))
				found = true;
			else
				crc = crc32c_extend(crc, d + s, 1);
		}
		if (!found) {
			ldb_runs(l, "", d + p, len - p);
			break;
		}
		s--;
		const unsigned char *contents;
		unsigned char *owned = NULL;
		size_t clen = 0;
		if (ldb_block(l, d, len, p, s - p, &contents, &clen, &owned) == 0 &&
		    ldb_block_each(l, d, len, contents, clen, false) < 0)
			ldb_runs(l, "", contents, clen);
		ldb_block_free(owned, clen);
		p = s + 5;
		if (l->rc == 0)
			l->rc = extract_check(l->x, 0);
	}
}

static void ldb_table(struct ldb *l, const unsigned char *d, size_t len)
{
	const unsigned char *f = d + len - LDB_FOOTER, *p = f, *contents;
	unsigned char *owned = NULL;
	uint64_t meta_off, meta_size, off, size;
	size_t clen = 0;

	if (ldb_varint(&p, f + 40, 10, &meta_off) < 0 || ldb_varint(&p, f + 40, 10, &meta_size) < 0 ||
	    ldb_varint(&p, f + 40, 10, &off) < 0 || ldb_varint(&p, f + 40, 10, &size) < 0 ||
	    ldb_block(l, d, len - LDB_FOOTER, off, size, &contents, &clen, &owned) < 0) {
		ldb_corrupt(l, "a LevelDB table whose footer or index is damaged");
		ldb_table_walk(l, d, len - LDB_FOOTER);
		return;
	}
	if (ldb_block_each(l, d, len - LDB_FOOTER, contents, clen, true) < 0 && l->rc == 0) {
		ldb_corrupt(l, "a LevelDB table whose index is damaged");
		ldb_block_free(owned, clen);
		owned = NULL;
		ldb_table_walk(l, d, len - LDB_FOOTER);
	}
	ldb_block_free(owned, clen);
}

/* --- the extractor ----------------------------------------------------------- */

int extract_leveldb(struct extract *x, const unsigned char *data, size_t len)
{
	static const unsigned char magic[8] = {0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb};
	struct ldb *l = calloc(1, sizeof(*l)); /* 64 KiB of text buffer: off the stack */
	int rc;

	if (!l)
		return ERR_NOMEM;
	l->x = x;
	if (decode_new("UTF-16LE", &l->utf16le) < 0 || decode_new("UTF-16BE", &l->utf16be) < 0 ||
	    decode_new("ISO-8859-1", &l->latin1) < 0) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (len >= LDB_FOOTER && memcmp(data + len - 8, magic, 8) == 0)
		ldb_table(l, data, len);
	else
		ldb_log(l, data, len);
	ldb_pending_flush(l);
	ldb_end(l);
	rc = l->rc;
out:
	decode_free(l->utf16le);
	decode_free(l->utf16be);
	decode_free(l->latin1);
	if (l->pending) {
		explicit_bzero(l->pending, LDB_PENDING);
		free(l->pending);
	}
	explicit_bzero(l, sizeof(*l));
	free(l);
	return rc;
}
