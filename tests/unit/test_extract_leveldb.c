/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the browser-store extractors through the real framework
 * (bytes written to a temporary file, type detection included): LevelDB logs
 * and tables built byte by byte here, as LevelDB writes them (32 KiB log
 * blocks, masked CRC-32C, WriteBatches; table blocks raw or snappy, prefix-
 * compressed keys, index and footer), holding Chromium Local Storage items
 * (UTF-16LE and Latin-1) and IndexedDB records (V8 strings, snappy-wrapped);
 * damaged logs and tables (bad checksum, lying varint, bad snappy length,
 * zstd block, lost index); snappy framing streams (bad checksum) and
 * mozLz4 files (lying size); Telegram's encrypted files; UTF-8 in text runs;
 * the growing buffer that reassembles records.
 * Every identifier is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <iconv.h>
#include <lz4.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "error.h"
#include "extract.h"
#include "extract_record.h"
#include "grow.h"

static struct extract *ctx;

/* --- building bytes ------------------------------------------------------- */

struct bytes {
	unsigned char *d;
	size_t len, cap;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->d = realloc(b->d, b->cap);
		assert_non_null(b->d);
	}
	memcpy(b->d + b->len, p, n);
	b->len += n;
}

static void put_byte(struct bytes *b, unsigned c)
{
	unsigned char u = (unsigned char)c;
	put(b, &u, 1);
}

static void put_str(struct bytes *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_u32(struct bytes *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		put_byte(b, (v >> (8 * i)) & 0xff);
}

static void put_u64(struct bytes *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		put_byte(b, (unsigned)(v >> (8 * i)) & 0xff);
}

static void put_varint(struct bytes *b, uint64_t v)
{
	while (v >= 0x80) {
		put_byte(b, (unsigned)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	put_byte(b, (unsigned)v);
}

/* UTF-8 as UTF-16LE, by iconv. */
static void put_utf16(struct bytes *b, const char *utf8)
{
	char out[4096], *in = (char *)(uintptr_t)utf8, *o = out;
	size_t in_left = strlen(utf8), out_left = sizeof(out);
	iconv_t cd = iconv_open("UTF-16LE", "UTF-8");

	assert_true(cd != (iconv_t)-1);
	assert_int_equal(iconv(cd, &in, &in_left, &o, &out_left), 0);
	iconv_close(cd);
	put(b, out, sizeof(out) - out_left);
}

static void put_slice(struct bytes *b, const struct bytes *s)
{
	put_varint(b, s->len);
	put(b, s->d, s->len);
}

static void bytes_free(struct bytes *b)
{
	free(b->d);
	memset(b, 0, sizeof(*b));
}

/* A Local Storage key "_<origin>\0<fmt><key>" and value "<fmt><text>" (fmt
 * 1, Latin-1, when every character is ASCII, else 0, UTF-16LE). */
static void ls_item(struct bytes *key, struct bytes *value, const char *origin, const char *k, const char *v)
{
	put_byte(key, '_');
	put_str(key, origin);
	put_byte(key, 0);
	put_byte(key, 1);
	put_str(key, k);
	bool ascii = true;
	for (const char *p = v; *p; p++)
		ascii &= (unsigned char)*p < 0x80;
	put_byte(value, ascii ? 1 : 0);
	if (ascii)
		put_str(value, v);
	else
		put_utf16(value, v);
}

/* A WriteBatch of Local Storage puts (pairs of key, value), with a Delete. */
static void ls_batch(struct bytes *batch, const char *origin, const char *const *kv, size_t pairs)
{
	put_u64(batch, 7);
	put_u32(batch, (uint32_t)pairs + 1);
	for (size_t i = 0; i < pairs; i++) {
		struct bytes k = {0}, v = {0};
		ls_item(&k, &v, origin, kv[2 * i], kv[2 * i + 1]);
		put_byte(batch, 1);
		put_slice(batch, &k);
		put_slice(batch, &v);
		bytes_free(&k);
		bytes_free(&v);
	}
	put_byte(batch, 0);
	put_varint(batch, 7);
	put_str(batch, "VERSION");
}

/* One physical log record. */
static void log_fragment(struct bytes *log, unsigned type, const unsigned char *p, size_t n)
{
	unsigned char t = (unsigned char)type;
	uint32_t crc = crc32c_extend(crc32c(&t, 1), p, n);

	put_u32(log, crc32c_mask(crc));
	put_byte(log, n & 0xff);
	put_byte(log, n >> 8);
	put_byte(log, type);
	put(log, p, n);
}

/* A logical record, fragmented over 32 KiB blocks as LevelDB's writer does. */
static void log_record(struct bytes *log, const unsigned char *p, size_t n)
{
	bool first = true;

	do {
		size_t left = 32768 - log->len % 32768;
		if (left < 7) {
			static const unsigned char zeros[7];
			put(log, zeros, left);
			left = 32768;
		}
		size_t frag = n < left - 7 ? n : left - 7;
		bool last = frag == n;
		log_fragment(log, first && last ? 1 : first ? 2 : last ? 4 : 3, p, frag);
		p += frag;
		n -= frag;
		first = false;
	} while (n > 0);
}

/* How often needle occurs in all the runs recorded. */
static int count_in_runs(const struct rec *r, const char *needle)
{
	int n = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (const char *p = r->runs[i].text; (p = strstr(p, needle)); p++)
			n++;
	return n;
}

static size_t count_coverage(const struct rec *r, enum extract_coverage what)
{
	size_t n = 0;

	for (size_t i = 0; i < r->ncovs; i++)
		n += r->covs[i].what == what;
	return n;
}

/* Whether a run of member holds needle. */
static bool has_text(const struct rec *r, const char *member, const char *needle)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (strcmp(r->runs[i].member, member) == 0 && strstr(r->runs[i].text, needle))
			return true;
	print_message("no run %s with %s\n", member, needle);
	return false;
}

static const char *text_of(const struct rec *r, const char *member)
{
	const char *t = NULL;

	for (size_t i = 0; i < r->nruns; i++)
		if (strcmp(r->runs[i].member, member) == 0 && strlen(r->runs[i].text) > 0)
			t = r->runs[i].text;
	if (!t) {
		print_message("no run %s\n", member);
		rec_dump(r);
	}
	assert_non_null(t);
	return t;
}

/* --- CRC-32C ---------------------------------------------------------------- */

static void test_crc32c(void **state)
{
	(void)state;
	assert_int_equal(crc32c("123456789", 9), 0xe3069283u);
	assert_int_equal(crc32c("", 0), 0);
	assert_int_equal(crc32c_extend(crc32c("1234", 4), "56789", 5), 0xe3069283u);
	assert_int_equal(crc32c_unmask(crc32c_mask(0xe3069283u)), 0xe3069283u);
	assert_int_not_equal(crc32c_mask(0xe3069283u), 0xe3069283u);
}

/* The growing buffer keeps every byte across moves and stops at its limit. */
static void test_grow(void **state)
{
	struct grow g = {0};
	unsigned char chunk[1000];

	(void)state;
	for (size_t i = 0; i < 300; i++) {
		memset(chunk, (int)(i & 0xff), sizeof(chunk));
		assert_int_equal(grow_append(&g, chunk, sizeof(chunk), 300000), 0);
	}
	assert_int_equal(g.len, 300000);
	assert_true(g.cap >= g.len && g.cap <= 300000);
	for (size_t i = 0; i < 300; i++)
		assert_int_equal(g.data[i * 1000 + 999], i & 0xff);
	assert_int_equal(grow_append(&g, chunk, 1, 300000), ERR_LIMIT);
	assert_int_equal(g.len, 300000);
	assert_int_equal(grow_append(&g, chunk, 0, 300000), 0);
	grow_free(&g);
	assert_null(g.data);
	assert_int_equal(g.len, 0);
	grow_free(NULL);
}

/* --- logs ------------------------------------------------------------------- */

static const char *const ls_pairs[] = {
        "ghi_chu", "Họ và tên: Nguyễn Văn An, Số CCCD: 052090001234", /* UTF-16LE */
        "plain", "CCCD 079203000777 plain ascii",                     /* Latin-1 */
};

static void test_log_local_storage(void **state)
{
	struct bytes batch = {0}, log = {0}, meta = {0};
	struct rec r;

	(void)state;
	/* The first batch: the version and a META record, as Chromium writes. */
	put_u64(&meta, 1);
	put_u32(&meta, 2);
	put_byte(&meta, 1);
	put_varint(&meta, 7);
	put_str(&meta, "VERSION");
	put_varint(&meta, 1);
	put_str(&meta, "1");
	put_byte(&meta, 1);
	put_varint(&meta, strlen("META:https://chat.zalo.me"));
	put_str(&meta, "META:https://chat.zalo.me");
	put_varint(&meta, 4);
	put_str(&meta, "\x08\x01\x10\x02");
	log_record(&log, meta.d, meta.len);
	ls_batch(&batch, "https://chat.zalo.me", ls_pairs, 2);
	log_record(&log, batch.d, batch.len);

	rec_extract_bytes(ctx, log.d, log.len, &r);
	assert_string_equal(r.result.type, "leveldb");
	assert_int_equal(r.ncovs, 0);
	const char *t = text_of(&r, "https://chat.zalo.me");
	assert_non_null(strstr(t, "ghi_chu: Họ và tên: Nguyễn Văn An, Số CCCD: 052090001234\n"));
	assert_non_null(strstr(t, "plain: CCCD 079203000777 plain ascii\n"));
	assert_null(strstr(t, "VERSION"));
	rec_free(&r);
	bytes_free(&batch);
	bytes_free(&meta);
	bytes_free(&log);
}

/* A record larger than a block: its FIRST fragment fills block 0, the
 * identifier straddles the boundary; it must be found once, whole. */
static void test_log_block_boundary(void **state)
{
	struct bytes batch = {0}, log = {0}, value = {0}, key = {0};
	char *filler = malloc(40000);
	struct rec r;

	(void)state;
	assert_non_null(filler);
	put_u64(&batch, 9);
	put_u32(&batch, 1);
	put_byte(&batch, 1);
	put_byte(&key, '_');
	put_str(&key, "https://dichvucong.gov.vn");
	put_byte(&key, 0);
	put_byte(&key, 1);
	put_str(&key, "nhap");
	put_slice(&batch, &key);
	/* value: fmt 1 and Latin-1 text whose "052090001234" starts 6 bytes
	 * before the end of block 0 (which has 7 + 12 + key bytes before it). */
	size_t before = 32768 - 7 - batch.len - 3 - 1 - 6 - 10;
	memset(filler, 'x', before);
	filler[before] = '\0';
	put_byte(&value, 1);
	put_str(&value, filler);
	put_str(&value, " CCCD: 052090001234 ");
	memset(filler, 'y', 5000);
	filler[5000] = '\0';
	put_str(&value, filler);
	put_slice(&batch, &value);
	log_record(&log, batch.d, batch.len);
	assert_true(log.len > 32768);
	/* the identifier really is cut by the header of block 1 */
	assert_null(memmem(log.d, log.len, "052090001234", 12));

	rec_extract_bytes(ctx, log.d, log.len, &r);
	assert_string_equal(r.result.type, "leveldb");
	assert_int_equal(r.ncovs, 0);
	assert_int_equal(count_in_runs(&r, "CCCD: 052090001234"), 1);
	assert_true(has_text(&r, "https://dichvucong.gov.vn", "nhap: xxx"));
	rec_free(&r);
	free(filler);
	bytes_free(&batch);
	bytes_free(&value);
	bytes_free(&key);
	bytes_free(&log);
}

/* A record with a bad checksum: one coverage.corrupt, its block's rest read
 * as text runs, the records before and in the next blocks read as usual. */
static void test_log_bad_crc(void **state)
{
	static const char *const a[] = {"a", "Số CCCD: 052090001234"};
	static const char *const b[] = {"b", "Số CCCD: 079203000777"};
	static const char *const c[] = {"c", "Số CCCD: 001203000123"};
	struct bytes log = {0}, ba = {0}, bb = {0}, bc = {0};
	struct rec r;

	(void)state;
	ls_batch(&ba, "https://a.example", a, 1);
	ls_batch(&bb, "https://b.example", b, 1);
	ls_batch(&bc, "https://c.example", c, 1);
	log_record(&log, ba.d, ba.len);
	size_t bad = log.len;
	log_record(&log, bb.d, bb.len);
	log.d[bad] ^= 0x55; /* its checksum */
	/* fill block 0, so that the third record starts block 1 */
	static const unsigned char zeros[32768];
	put(&log, zeros, 32768 - log.len);
	log_record(&log, bc.d, bc.len);
	/* a second bad record in block 1 still makes one outcome */
	size_t bad2 = log.len;
	log_record(&log, bc.d, bc.len);
	log.d[bad2 + 6] = 9; /* its type */

	rec_extract_bytes(ctx, log.d, log.len, &r);
	assert_string_equal(r.result.type, "leveldb");
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	assert_int_equal(r.ncovs, 1);
	assert_true(has_text(&r, "https://a.example", "a: Số CCCD: 052090001234\n"));
	assert_true(has_text(&r, "https://c.example", "c: Số CCCD: 001203000123\n"));
	/* the damaged record's text, from its raw bytes */
	assert_true(has_text(&r, "", "Số CCCD: 079203000777"));
	rec_free(&r);
	bytes_free(&ba);
	bytes_free(&bb);
	bytes_free(&bc);
	bytes_free(&log);
}

/* A Put whose value length says more than the batch holds, and a varint
 * of six bytes: coverage.corrupt, the rest read as text runs. */
static void test_log_lying_varint(void **state)
{
	struct bytes batch = {0}, log = {0}, key = {0}, value = {0};
	struct rec r;

	(void)state;
	ls_item(&key, &value, "https://a.example", "a", "Số CCCD: 052090001234");
	put_u64(&batch, 3);
	put_u32(&batch, 2);
	put_byte(&batch, 1);
	put_slice(&batch, &key);
	put_slice(&batch, &value);
	put_byte(&batch, 1);
	put_varint(&batch, 3);
	put_str(&batch, "key");
	put_varint(&batch, 100000); /* the value is far shorter */
	put_str(&batch, "\x01So CCCD 079203000777 tail");
	log_record(&log, batch.d, batch.len);
	bytes_free(&batch);
	put_u64(&batch, 4);
	put_u32(&batch, 1);
	put_byte(&batch, 1);
	put_str(&batch, "\x81\x81\x81\x81\x81\x01"); /* six bytes */
	put_str(&batch, "So CMND: 215123456 after it");
	log_record(&log, batch.d, batch.len);

	rec_extract_bytes(ctx, log.d, log.len, &r);
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	assert_true(has_text(&r, "https://a.example", "a: Số CCCD: 052090001234\n"));
	const char *raw = text_of(&r, "");
	assert_non_null(strstr(raw, "So CCCD 079203000777 tail"));
	assert_non_null(strstr(raw, "So CMND: 215123456 after it"));
	rec_free(&r);
	bytes_free(&batch);
	bytes_free(&key);
	bytes_free(&value);
	bytes_free(&log);
}

/* Type detection of logs is strict: a head that only looks like a record is
 * text; a MANIFEST (version edits, no batch) is read without an outcome. */
static void test_log_head(void **state)
{
	struct bytes log = {0}, edit = {0};
	struct rec r;

	(void)state;
	put_byte(&edit, 1);
	put_varint(&edit, 26);
	put_str(&edit, "leveldb.BytewiseComparator");
	put_str(&edit, "\x02\x00\x03\x02\x04\x00");
	log_record(&log, edit.d, edit.len);
	assert_true(extract_leveldb_log_head(log.d, log.len));
	assert_false(extract_leveldb_log_head(log.d, log.len - 1)); /* cut */
	rec_extract_bytes(ctx, log.d, log.len, &r);
	assert_string_equal(r.result.type, "leveldb");
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
	log.d[0] ^= 1;
	assert_false(extract_leveldb_log_head(log.d, log.len));
	rec_extract_bytes(ctx, log.d, log.len, &r);
	assert_string_equal(r.result.type, "text");
	rec_free(&r);
	/* a FIRST fragment must fill its block */
	bytes_free(&log);
	log_fragment(&log, 2, (const unsigned char *)"abc", 3);
	assert_false(extract_leveldb_log_head(log.d, log.len));
	bytes_free(&log);
	bytes_free(&edit);
}

/* --- IndexedDB -------------------------------------------------------------- */

/* A V8 value as Chromium 156 writes it: Blink envelope v21 with its trailer
 * offset, V8 v16, an object {id: 1, ten: <two-byte>, cccd: <two-byte>}. */
static void v8_value(struct bytes *v, const char *name, const char *cccd)
{
	struct bytes s = {0};

	put_str(v, "\xff\x15\xfe");
	for (int i = 0; i < 12; i++)
		put_byte(v, 0);
	put(v, "\xff\x10\x6f\x22\x02id\x49\x02\x22\x03ten\x00\x63", 16);
	put_utf16(&s, name);
	put_slice(v, &s);
	bytes_free(&s);
	put_str(v, "\x22\x04"
	           "cccd\x63");
	put_utf16(&s, cccd);
	put_slice(v, &s);
	bytes_free(&s);
	put_str(v, "\x7b\x03");
}

static void batch_put(struct bytes *batch, const struct bytes *k, const struct bytes *v)
{
	put_byte(batch, 1);
	put_slice(batch, k);
	put_slice(batch, v);
}

static void test_indexeddb(void **state)
{
	struct bytes batch = {0}, log = {0}, k = {0}, v = {0}, ssv = {0};
	struct rec r;

	(void)state;
	put_u64(&batch, 1);
	put_u32(&batch, 6);
	/* database "hoso" is id 1; its store 1 is "nguoi" */
	put(&k, "\x00\x00\x00\x00\xc9\x04\x00h\x00t\x00t\x00p\x04\x00h\x00o\x00s\x00o", 23);
	put_byte(&v, 1);
	batch_put(&batch, &k, &v);
	bytes_free(&k);
	bytes_free(&v);
	put(&k, "\x00\x01\x00\x00\x32\x01\x00", 7);
	put(&v, "\x00n\x00g\x00u\x00o\x00i", 10);
	batch_put(&batch, &k, &v);
	bytes_free(&k);
	bytes_free(&v);
	/* record 1 of db 1 store 1: the value snappy-wrapped */
	v8_value(&ssv, "Trần Thị Bình", "Số CCCD: 052090001234");
	put(&k, "\x00\x01\x01\x01\x03\x00\x00\x00\x00\x00\x00\xf0\x3f", 13);
	put_byte(&v, 2);
	put_str(&v, "\xff\x11\x02");
	size_t clen = snappy_max_compressed_length(ssv.len);
	char *comp = malloc(clen);
	assert_non_null(comp);
	assert_int_equal(snappy_compress((const char *)ssv.d, ssv.len, comp, &clen), SNAPPY_OK);
	put(&v, comp, clen);
	free(comp);
	batch_put(&batch, &k, &v);
	bytes_free(&k);
	bytes_free(&v);
	bytes_free(&ssv);
	/* db 2 store 1, not named in this file: plain V8 */
	v8_value(&ssv, "Lê Văn Cường", "Số CCCD: 079203000777");
	put(&k, "\x00\x02\x01\x01\x03\x00\x00\x00\x00\x00\x00\xf0\x3f", 13);
	put_byte(&v, 2);
	put(&v, ssv.d, ssv.len);
	batch_put(&batch, &k, &v);
	bytes_free(&k);
	bytes_free(&v);
	bytes_free(&ssv);
	/* a value moved to a blob file: nothing to read here */
	put(&k, "\x00\x01\x01\x01\x03\x00\x00\x00\x00\x00\x00\x00\x40", 13);
	put(&v, "\x02\xff\x11\x01\x90\x4e\x00", 7);
	batch_put(&batch, &k, &v);
	bytes_free(&k);
	bytes_free(&v);
	/* a snappy-wrapped value whose length lies */
	put(&k, "\x00\x01\x01\x01\x03\x00\x00\x00\x00\x00\x00\x08\x40", 13);
	put(&v, "\x02\xff\x11\x02\xff\xff\xff\x0f\x00So CCCD 001203000123 raw", 33);
	batch_put(&batch, &k, &v);
	bytes_free(&k);
	bytes_free(&v);
	log_record(&log, batch.d, batch.len);

	rec_extract_bytes(ctx, log.d, log.len, &r);
	assert_string_equal(r.result.type, "leveldb");
	assert_true(has_text(&r, "indexeddb:hoso/nguoi", "ten\nTrần Thị Bình\ncccd\nSố CCCD: 052090001234\n"));
	assert_true(has_text(&r, "indexeddb:2/1", "Lê Văn Cường\ncccd\nSố CCCD: 079203000777\n"));
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	assert_int_equal(count_in_runs(&r, "So CCCD 001203000123 raw"), 1);
	/* the value in a blob file gives nothing here: two good records, one broken */
	assert_int_equal(count_in_runs(&r, "So CCCD"), 1);
	assert_int_equal(count_in_runs(&r, "Số CCCD"), 2);
	rec_free(&r);
	bytes_free(&batch);
	bytes_free(&log);
}

/* --- tables ----------------------------------------------------------------- */

/* One block of entries (internal keys: user key + 8-byte tag of type 1),
 * keys prefix-compressed against the previous one, one restart point. */
static void table_block(struct bytes *blk, const struct bytes *keys, const struct bytes *values, size_t n)
{
	const struct bytes *prev = NULL;

	for (size_t i = 0; i < n; i++) {
		size_t shared = 0;
		while (prev && shared < prev->len && shared < keys[i].len && prev->d[shared] == keys[i].d[shared])
			shared++;
		put_varint(blk, shared);
		put_varint(blk, keys[i].len - shared);
		put_varint(blk, values[i].len);
		put(blk, keys[i].d + shared, keys[i].len - shared);
		put(blk, values[i].d, values[i].len);
		prev = &keys[i];
	}
	put_u32(blk, 0);
	put_u32(blk, 1);
}

#define TABLE_SNAPPY_LYING 9 /* snappy, then the length varint made a lie */

/* Append a block with its trailer (compression type, masked CRC) to table;
 * type 1 compresses it with snappy. Returns its handle's offset and size. */
static void table_put_block(struct bytes *table, const struct bytes *blk, unsigned type, uint64_t *off, uint64_t *size)
{
	struct bytes stored = {0};

	if (type == 1 || type == TABLE_SNAPPY_LYING) {
		size_t clen = snappy_max_compressed_length(blk->len);
		stored.d = malloc(clen);
		assert_non_null(stored.d);
		assert_int_equal(snappy_compress((const char *)blk->d, blk->len, (char *)stored.d, &clen), SNAPPY_OK);
		stored.len = stored.cap = clen;
		if (type == TABLE_SNAPPY_LYING) {
			stored.d[0] = 0xff; /* its length: 127 + 128 * more than the block holds */
			stored.d[1] |= 0x80;
			type = 1;
		}
	} else {
		put(&stored, blk->d, blk->len);
	}
	*off = table->len;
	*size = stored.len;
	put(table, stored.d, stored.len);
	put_byte(table, type);
	unsigned char t = (unsigned char)type;
	put_u32(table, crc32c_mask(crc32c_extend(crc32c(stored.d, stored.len), &t, 1)));
	bytes_free(&stored);
}

static void internal_key(struct bytes *k, const char *origin, const char *key, uint64_t seq)
{
	struct bytes v = {0};

	ls_item(k, &v, origin, key, "");
	put_u64(k, seq << 8 | 1);
	bytes_free(&v);
}

/* A table of two data blocks of Local Storage items: block 0 stored as
 * types[0], block 1 as types[1]; break_index points the footer past the file. */
static void build_table(struct bytes *table, const unsigned types[2], bool break_index)
{
	static const char *const texts[4] = {
	        "Họ và tên: Nguyễn Văn An, Số CCCD: 052090001234",
	        "Số CCCD: 079203000777, quê quán Huế",
	        "ghi chú: Số CCCD 001203000123",
	        "Số CMND: 215123456",
	};
	static const char *const names[4] = {"hoso_1", "hoso_2", "hoso_3", "hoso_4"};
	struct bytes keys[4] = {{0}}, values[4] = {{0}}, index = {0}, meta = {0}, ikeys[2] = {{0}}, ivals[2] = {{0}};
	uint64_t off, size;

	for (int i = 0; i < 4; i++) {
		struct bytes unused = {0};
		internal_key(&keys[i], "https://chat.zalo.me", names[i], 100 + (uint64_t)i);
		ls_item(&unused, &values[i], "https://chat.zalo.me", names[i], texts[i]);
		bytes_free(&unused);
	}
	for (int b = 0; b < 2; b++) {
		struct bytes blk = {0};
		table_block(&blk, keys + 2 * b, values + 2 * b, 2);
		table_put_block(table, &blk, types[b], &off, &size);
		put(&ikeys[b], keys[2 * b + 1].d, keys[2 * b + 1].len);
		put_varint(&ivals[b], off);
		put_varint(&ivals[b], size);
		bytes_free(&blk);
	}
	table_block(&meta, NULL, NULL, 0);
	uint64_t meta_off, meta_size;
	table_put_block(table, &meta, 0, &meta_off, &meta_size);
	table_block(&index, ikeys, ivals, 2);
	table_put_block(table, &index, 1, &off, &size);
	struct bytes footer = {0};
	put_varint(&footer, meta_off);
	put_varint(&footer, meta_size);
	put_varint(&footer, break_index ? table->len + 1000 : off);
	put_varint(&footer, size);
	while (footer.len < 40)
		put_byte(&footer, 0);
	put(&footer, "\x57\xfb\x80\x8b\x24\x75\x47\xdb", 8);
	put(table, footer.d, footer.len);
	bytes_free(&footer);
	bytes_free(&index);
	bytes_free(&meta);
	for (int i = 0; i < 4; i++) {
		bytes_free(&keys[i]);
		bytes_free(&values[i]);
	}
	for (int i = 0; i < 2; i++) {
		bytes_free(&ikeys[i]);
		bytes_free(&ivals[i]);
	}
}

static void assert_table_text(const struct rec *r, bool first, bool second)
{
	const char *t = text_of(r, "https://chat.zalo.me");

	assert_int_equal(strstr(t, "hoso_1: Họ và tên: Nguyễn Văn An, Số CCCD: 052090001234\n") != NULL, first);
	assert_int_equal(strstr(t, "hoso_2: Số CCCD: 079203000777, quê quán Huế\n") != NULL, first);
	assert_int_equal(strstr(t, "hoso_3: ghi chú: Số CCCD 001203000123\n") != NULL, second);
	assert_int_equal(strstr(t, "hoso_4: Số CMND: 215123456\n") != NULL, second);
}

static void test_table(void **state)
{
	static const unsigned raw_snappy[2] = {0, 1};
	struct bytes table = {0};
	struct rec r;

	(void)state;
	build_table(&table, raw_snappy, false);
	rec_extract_bytes(ctx, table.d, table.len, &r);
	assert_string_equal(r.result.type, "leveldb");
	assert_int_equal(r.ncovs, 0);
	assert_table_text(&r, true, true);
	assert_int_equal(count_in_runs(&r, "052090001234"), 1);
	rec_free(&r);
	bytes_free(&table);
}

/* A snappy block whose length varint lies: coverage.corrupt for the table,
 * the other block still read. */
static void test_table_bad_snappy(void **state)
{
	static const unsigned snappy_lying[2] = {1, TABLE_SNAPPY_LYING};
	struct bytes table = {0};
	struct rec r;

	(void)state;
	build_table(&table, snappy_lying, false);
	rec_extract_bytes(ctx, table.d, table.len, &r);
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	assert_table_text(&r, true, false);
	assert_non_null(strstr(r.covs[0].detail, "snappy"));
	rec_free(&r);
	bytes_free(&table);
}

/* A block compressed with zstd (type 2): coverage.unsupported, the rest read. */
static void test_table_unsupported(void **state)
{
	static const unsigned zstd_raw[2] = {2, 0};
	struct bytes table = {0};
	struct rec r;

	(void)state;
	build_table(&table, zstd_raw, false);
	rec_extract_bytes(ctx, table.d, table.len, &r);
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_UNSUPPORTED), 1);
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 0);
	assert_table_text(&r, false, true);
	/* its bytes (uncompressed here, read as if they were not) as text runs */
	assert_int_equal(count_in_runs(&r, "052090001234"), 1);
	rec_free(&r);
	bytes_free(&table);
}

/* The footer points the index outside the file: coverage.corrupt, and the
 * data blocks are found by walking their trailers. */
static void test_table_lost_index(void **state)
{
	static const unsigned raw_snappy[2] = {0, 1};
	struct bytes table = {0};
	struct rec r;

	(void)state;
	build_table(&table, raw_snappy, true);
	rec_extract_bytes(ctx, table.d, table.len, &r);
	assert_string_equal(r.result.type, "leveldb");
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	assert_table_text(&r, true, true);
	rec_free(&r);
	bytes_free(&table);
}

/* --- snappy framing ------------------------------------------------------------ */

static void frame_chunk(struct bytes *f, bool compress, const char *text, bool bad_crc)
{
	size_t n = strlen(text), clen = snappy_max_compressed_length(n);
	char *comp = malloc(clen);
	uint32_t crc = crc32c_mask(crc32c(text, n)) ^ (bad_crc ? 1u : 0u);

	assert_non_null(comp);
	assert_int_equal(snappy_compress(text, n, comp, &clen), SNAPPY_OK);
	size_t len = 4 + (compress ? clen : n);
	put_byte(f, compress ? 0x00 : 0x01);
	put_byte(f, len & 0xff);
	put_byte(f, (len >> 8) & 0xff);
	put_byte(f, len >> 16);
	put_u32(f, crc);
	put(f, compress ? comp : text, compress ? clen : n);
	free(comp);
}

static void test_snappy_framed(void **state)
{
	struct bytes f = {0};
	struct rec r;

	(void)state;
	put(&f, "\xff\x06\x00\x00sNaPpY", 10);
	frame_chunk(&f, true, "<!DOCTYPE html><html><body><p>Họ và tên: Nguyễn Văn An</p><p>Số CCCD: ", false);
	put(&f, "\xfe\x03\x00\x00\x00\x00\x00", 7); /* padding */
	put(&f, "\xff\x06\x00\x00sNaPpY", 10);      /* a repeated stream identifier */
	frame_chunk(&f, false, "052090001234</p></body></html>", false);
	rec_extract_bytes(ctx, f.d, f.len, &r);
	assert_string_equal(r.result.type, "snappy");
	assert_int_equal(r.ncovs, 0);
	const char *t = text_of(&r, "");
	assert_non_null(strstr(t, "Số CCCD: 052090001234"));
	assert_null(strstr(t, "<p>")); /* the body was read as HTML */
	rec_free(&r);

	/* a bad checksum: one coverage.corrupt, the body still read */
	bytes_free(&f);
	put(&f, "\xff\x06\x00\x00sNaPpY", 10);
	frame_chunk(&f, true, "Số CCCD: 079203000777 ", true);
	frame_chunk(&f, true, "Số CMND: 215123456", true);
	rec_extract_bytes(ctx, f.d, f.len, &r);
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	assert_true(has_text(&r, "", "Số CCCD: 079203000777 Số CMND: 215123456"));
	rec_free(&r);

	/* a reserved chunk type stops the stream there */
	bytes_free(&f);
	put(&f, "\xff\x06\x00\x00sNaPpY", 10);
	frame_chunk(&f, false, "Số CCCD: 079203000777 ", false);
	put(&f, "\x05\x02\x00\x00xx", 6);
	frame_chunk(&f, false, "not reached", false);
	rec_extract_bytes(ctx, f.d, f.len, &r);
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	assert_true(has_text(&r, "", "Số CCCD: 079203000777"));
	assert_int_equal(count_in_runs(&r, "not reached"), 0);
	rec_free(&r);
	bytes_free(&f);
}

/* --- mozLz4 ---------------------------------------------------------------------- */

static void mozlz4(struct bytes *f, const char *json, uint32_t declared)
{
	int n = (int)strlen(json), cap = LZ4_compressBound(n);
	char *comp = malloc((size_t)cap);

	assert_non_null(comp);
	int clen = LZ4_compress_default(json, comp, n, cap);
	assert_true(clen > 0);
	put(f, "mozLz40\0", 8);
	put_u32(f, declared);
	put(f, comp, (size_t)clen);
	free(comp);
}

static void test_mozlz4(void **state)
{
	char json[4096];
	struct bytes f = {0};
	struct rec r;

	(void)state;
	snprintf(json, sizeof(json),
	         "{\"version\":[\"sessionrestore\",1],\"windows\":[{\"tabs\":[{\"entries\":[{\"url\":"
	         "\"https://dichvucong.gov.vn/p/home\",\"title\":\"Dịch vụ công\"}],\"formdata\":{\"id\":{"
	         "\"so_cccd\":\"052090001234\",\"ho_ten\":\"Nguy\\u1ec5n V\\u0103n An\"}}}]}],\"pad\":\"%0300d\"}",
	         0);
	uint32_t n = (uint32_t)strlen(json);
	mozlz4(&f, json, n);
	rec_extract_bytes(ctx, f.d, f.len, &r);
	assert_string_equal(r.result.type, "mozlz4");
	assert_int_equal(r.ncovs, 0);
	const char *t = text_of(&r, "");
	assert_non_null(strstr(t, "\"so_cccd\":\"052090001234\""));
	assert_non_null(strstr(t, "Nguyễn Văn An")); /* read as JSON: escapes decoded */
	rec_free(&r);

	/* a size that says less: coverage.corrupt, what fits is read */
	bytes_free(&f);
	mozlz4(&f, json, n - 40);
	rec_extract_bytes(ctx, f.d, f.len, &r);
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	assert_int_equal(count_in_runs(&r, "052090001234"), 1);
	rec_free(&r);

	/* a size that says more than LZ4 could ever expand to: no allocation of
	 * it, coverage.corrupt, the text still read */
	bytes_free(&f);
	mozlz4(&f, json, 0xffffffffu);
	rec_extract_bytes(ctx, f.d, f.len, &r);
	assert_true(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT) >= 1);
	assert_int_equal(count_in_runs(&r, "052090001234"), 1);
	rec_free(&r);

	/* a block that is not LZ4 at all: its bytes as text runs */
	bytes_free(&f);
	put(&f, "mozLz40\0\x40\x00\x00\x00", 12);
	put_str(&f, "\xff\xff\xff So CCCD 052090001234 \xff");
	rec_extract_bytes(ctx, f.d, f.len, &r);
	assert_int_equal(count_coverage(&r, EXTRACT_COVERAGE_CORRUPT), 1);
	rec_free(&r);
	bytes_free(&f);
}

/* --- Telegram and text runs ------------------------------------------------------ */

static void test_telegram(void **state)
{
	unsigned char tdf[64] = "TDF$\x8c\x4e\x4c\x00", tdef[200] = "TDEF";
	struct rec r;

	(void)state;
	for (size_t i = 8; i < sizeof(tdf); i++)
		tdf[i] = (unsigned char)(i * 37);
	for (size_t i = 4; i < sizeof(tdef); i++)
		tdef[i] = (unsigned char)(i * 91);
	rec_extract_bytes(ctx, tdf, sizeof(tdf), &r);
	assert_string_equal(r.result.type, "telegram");
	assert_int_equal(r.ncovs, 1);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_ENCRYPTED));
	rec_free(&r);
	rec_extract_bytes(ctx, tdef, sizeof(tdef), &r);
	assert_string_equal(r.result.type, "telegram");
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_ENCRYPTED));
	rec_free(&r);
}

/* 8-bit runs keep UTF-8: "Số CCCD" stays next to its number. */
static void test_runs_utf8(void **state)
{
	unsigned char doc[1024];
	const char *text = "Số CCCD: 052090001234 (Nguyễn Văn An)";
	struct rec r;

	(void)state;
	memset(doc, 0, sizeof(doc));
	memcpy(doc, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	memcpy(doc + 600, text, strlen(text));
	memcpy(doc + 700, "\xc3\x28 bad \xe1\xbb", 9); /* broken UTF-8 ends runs */
	rec_extract_bytes(ctx, doc, sizeof(doc), &r);
	assert_true(has_text(&r, "", "Số CCCD: 052090001234 (Nguyễn Văn An)\n"));
	assert_false(has_text(&r, "", "\xc3\x28"));
	rec_free(&r);
}

static int setup(void **state)
{
	(void)state;
	return extract_new(&ctx);
}

static int teardown(void **state)
{
	(void)state;
	extract_free(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_crc32c),
	        cmocka_unit_test(test_grow),
	        cmocka_unit_test(test_log_local_storage),
	        cmocka_unit_test(test_log_block_boundary),
	        cmocka_unit_test(test_log_bad_crc),
	        cmocka_unit_test(test_log_lying_varint),
	        cmocka_unit_test(test_log_head),
	        cmocka_unit_test(test_indexeddb),
	        cmocka_unit_test(test_table),
	        cmocka_unit_test(test_table_bad_snappy),
	        cmocka_unit_test(test_table_unsupported),
	        cmocka_unit_test(test_table_lost_index),
	        cmocka_unit_test(test_snappy_framed),
	        cmocka_unit_test(test_mozlz4),
	        cmocka_unit_test(test_telegram),
	        cmocka_unit_test(test_runs_utf8),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
