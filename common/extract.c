/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The extraction framework (see extract.h): type detection with libmagic on
 * bytes (never on a path), streaming of text with charset detection and
 * decoding, reading of containers into memory within the limits, dispatch to
 * the extractors, member names, nesting and the budgets that end a hostile
 * file with a coverage outcome. One context per thread.
 */
#include "extract.h"

#include <errno.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "error.h"
#include "image.h"
#include "limits.h"

#define EXTRACT_CHUNK (64u * 1024u)

enum kind {
	KIND_TEXT,    /* text, or bytes no extractor claims: scanned as they are */
	KIND_ARCHIVE, /* libarchive */
	KIND_OOXML,
	KIND_ODF,
	KIND_PDF,
	KIND_SQLITE, /* SQLite database, read-only in memory */
	KIND_MAIL,   /* RFC 5322 message or mbox */
	KIND_MARKUP, /* HTML or XML */
	KIND_OLE2,   /* a compound document: legacy .doc, .xls, .ppt */
	KIND_JSON,   /* JSON whose strings hold \u escapes */
	KIND_RTF,
	KIND_CHROME_CACHE,  /* a Chromium Simple cache entry */
	KIND_FIREFOX_CACHE, /* a Firefox cache2 entry (known by its trailer) */
	KIND_LEVELDB,       /* a LevelDB log (known by its first record) or table (by its footer) */
	KIND_SNAPPY_FRAMED, /* a snappy framing-format stream */
	KIND_MOZLZ4,        /* a Firefox mozLz40 file */
	KIND_TELEGRAM,      /* Telegram Desktop's encrypted storage: reported, not read */
	KIND_IMAGE,         /* a raster image: QR codes, MRZ and OCR */
};

/* Bytes of an object's end looked at by type detection (LevelDB footer,
 * Firefox cache trailer). */
#define EXTRACT_TAIL 64u

struct extract {
	magic_t magic;
	struct extract_limits limits;
	const struct extract_handler *h;
	void *ctx;
	char member[LIMIT_MEMBER_NAME]; /* the nested object's name, "" for the file */
	size_t member_len;
	unsigned depth;
	uint64_t expanded, file_size, members;
	int64_t deadline_ns;
	bool stopped;           /* a file-wide limit was reached: nothing more is read */
	bool in_text;           /* between extract_text_begin and extract_text_end */
	bool no_ocr;            /* --no-ocr: images are read for QR codes and MRZ only */
	char ocr_languages[64]; /* tesseract's, "vie+eng" when empty */
	struct image *image;    /* image reader state, created on first use */
	char *chunk;            /* EXTRACT_CHUNK bytes for reading and decoding */
	char *decoded;          /* EXTRACT_CHUNK bytes of decoded text */
};

const char *extract_coverage_rule(enum extract_coverage what)
{
	switch (what) {
	case EXTRACT_COVERAGE_ENCRYPTED: return "coverage.encrypted";
	case EXTRACT_COVERAGE_LIMIT: return "coverage.limit";
	case EXTRACT_COVERAGE_CORRUPT: return "coverage.corrupt";
	case EXTRACT_COVERAGE_UNSUPPORTED: return "coverage.unsupported";
	}
	return "coverage.unsupported";
}

const char *extract_source_name(enum extract_source source)
{
	switch (source) {
	case EXTRACT_SOURCE_TEXT: return "text";
	case EXTRACT_SOURCE_OCR: return "ocr";
	case EXTRACT_SOURCE_QR: return "qr";
	case EXTRACT_SOURCE_MRZ: return "mrz";
	}
	return "text";
}

void extract_limits_default(struct extract_limits *ret)
{
	*ret = (struct extract_limits){
	        .file_bytes = LIMIT_CONTAINER_BYTES,
	        .expanded_bytes = LIMIT_EXPANDED_BYTES,
	        .ratio = LIMIT_EXPANSION_RATIO,
	        .nesting = LIMIT_NESTING,
	        .members = LIMIT_MEMBERS,
	        .seconds = LIMIT_FILE_SECONDS,
	};
}

void extract_set_limits(struct extract *x, const struct extract_limits *limits)
{
	x->limits = *limits;
}

int extract_new(struct extract **ret)
{
	struct extract *x = calloc(1, sizeof(*x));

	*ret = NULL;
	if (!x)
		return ERR_NOMEM;
	extract_limits_default(&x->limits);
	x->chunk = malloc(EXTRACT_CHUNK);
	x->decoded = malloc(EXTRACT_CHUNK);
	x->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
	if (!x->chunk || !x->decoded || !x->magic) {
		extract_free(x);
		return ERR_NOMEM;
	}
	if (magic_load(x->magic, NULL) < 0) {
		extract_free(x);
		return ERR_UNSUPPORTED;
	}
	/* libmagic's own limits on hostile bytes: how deep and how long it looks. */
	size_t indir = 15, bytes = 1u << 20, regex = 8192;
	magic_setparam(x->magic, MAGIC_PARAM_INDIR_MAX, &indir);
	magic_setparam(x->magic, MAGIC_PARAM_BYTES_MAX, &bytes);
	magic_setparam(x->magic, MAGIC_PARAM_REGEX_MAX, &regex);
	*ret = x;
	return 0;
}

void extract_free(struct extract *x)
{
	if (!x)
		return;
	if (x->magic)
		magic_close(x->magic);
	image_free(x->image);
	free(x->chunk);
	free(x->decoded);
	free(x);
}

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* --- members --------------------------------------------------------------- */

/* Append src to out (holding *len bytes of size) as far as it fits. */
static void append(char *out, size_t size, size_t *len, const char *src)
{
	size_t n = strlen(src);

	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len; /* a name past LIMIT_MEMBER_NAME is cut */
	memcpy(out + *len, src, n);
	*len += n;
	out[*len] = '\0';
}

/* The full name of member below the object being extracted, into out (which
 * must not be x->member). */
static const char *full_member(const struct extract *x, const char *member, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	append(out, size, &len, x->member);
	if (member && member[0]) {
		if (x->member_len)
			append(out, size, &len, "!");
		append(out, size, &len, member);
	}
	return out;
}

void extract_coverage(struct extract *x, const char *member, enum extract_coverage what, const char *detail)
{
	char full[LIMIT_MEMBER_NAME];

	if (x->h->coverage)
		x->h->coverage(x->ctx, full_member(x, member, full, sizeof(full)), what, detail);
}

/* A size for people: "100 MiB", "512 KiB", "700 bytes". */
static void format_size(uint64_t n, char *out, size_t size)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		snprintf(out, size, "%llu MiB", (unsigned long long)(n >> 20));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(out, size, "%llu KiB", (unsigned long long)(n >> 10));
	else
		snprintf(out, size, "%llu bytes", (unsigned long long)n);
}

static int stop(struct extract *x, int err, const char *detail)
{
	if (!x->stopped) {
		x->stopped = true;
		extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT, detail);
	}
	return err;
}

void extract_set_ocr(struct extract *x, bool enabled, const char *languages)
{
	x->no_ocr = !enabled;
	snprintf(x->ocr_languages, sizeof(x->ocr_languages), "%s", languages ? languages : "vie+eng");
}

const char *extract_ocr_languages(const struct extract *x)
{
	return x->ocr_languages[0] ? x->ocr_languages : "vie+eng";
}

bool extract_ocr_enabled(const struct extract *x)
{
	return !x->no_ocr;
}

struct image **extract_image_state(struct extract *x)
{
	return &x->image;
}

int64_t extract_ms_left(const struct extract *x)
{
	int64_t left = x->deadline_ns - now_ns();
	return left > 0 ? left / 1000000 : 0;
}

int extract_check(struct extract *x, size_t more)
{
	char detail[96], limit[32];

	if (x->stopped)
		return ERR_LIMIT;
	x->expanded += more;
	if (x->expanded > x->limits.expanded_bytes) {
		format_size(x->limits.expanded_bytes, limit, sizeof(limit));
		snprintf(detail, sizeof(detail), "expands to more than the scan limit (%s)", limit);
		return stop(x, ERR_LIMIT, detail);
	}
	if (x->expanded > (uint64_t)x->limits.ratio * x->file_size + LIMIT_MEMBER_BYTES / 64) {
		snprintf(detail, sizeof(detail), "expands more than %u times its size (a compression bomb)",
		         x->limits.ratio);
		return stop(x, ERR_LIMIT, detail);
	}
	if (now_ns() > x->deadline_ns) {
		snprintf(detail, sizeof(detail), "time budget of the file (%u s) exceeded", x->limits.seconds);
		return stop(x, ERR_TIMEOUT, detail);
	}
	return 0;
}

/* --- text ------------------------------------------------------------------ */

void extract_text_begin(struct extract *x, const char *member)
{
	char full[LIMIT_MEMBER_NAME];

	if (x->in_text)
		extract_text_end(x);
	x->in_text = true;
	x->h->text_begin(x->ctx, full_member(x, member, full, sizeof(full)));
}

void extract_text_begin_source(struct extract *x, const char *member, enum extract_source source)
{
	extract_text_begin(x, member);
	if (source != EXTRACT_SOURCE_TEXT && x->h->text_source)
		x->h->text_source(x->ctx, source);
}

void extract_finding(struct extract *x, const char *member, const struct extract_finding *f)
{
	char full[LIMIT_MEMBER_NAME];

	if (x->h->finding)
		x->h->finding(x->ctx, full_member(x, member, full, sizeof(full)), f);
}

void extract_text(struct extract *x, const char *utf8, size_t len)
{
	if (x->in_text && len)
		x->h->text(x->ctx, utf8, len);
}

void extract_text_end(struct extract *x)
{
	if (!x->in_text)
		return;
	x->in_text = false;
	x->h->text_end(x->ctx);
}

/* Where text bytes come from: a file descriptor read in chunks, or memory. */
struct source {
	int fd;
	bool sparse; /* the file has holes: they are skipped, not read */
	const unsigned char *data;
	size_t len, pos;
	uint64_t *bytes_read;
};

/* At a hole of a sparse file (zeros that take no disk space, which a hostile
 * user makes terabytes large for free), go to the next data: returns 1 with a
 * line break in buf standing for the hole, 0 at the end of the data, -1 when
 * there is data here. */
static ssize_t source_skip_hole(struct source *s, char *buf)
{
	off_t pos = lseek(s->fd, 0, SEEK_CUR), data;

	if (pos < 0)
		return -1;
	data = lseek(s->fd, pos, SEEK_DATA);
	if (data < 0)
		return errno == ENXIO ? 0 : -1; /* ENXIO: only a hole is left */
	if (data == pos)
		return -1;
	buf[0] = '\n';
	return 1;
}

static ssize_t source_read(struct source *s, char *buf, size_t n)
{
	if (s->fd < 0) {
		size_t k = s->len - s->pos < n ? s->len - s->pos : n;
		if (k) /* data may be NULL when len is 0 */
			memcpy(buf, s->data + s->pos, k);
		s->pos += k;
		return (ssize_t)k;
	}
	if (s->sparse && n > 0) {
		ssize_t r = source_skip_hole(s, buf);
		if (r >= 0)
			return r;
	}
	for (;;) {
		ssize_t r = read(s->fd, buf, n);
		if (r >= 0) {
			if (s->bytes_read)
				*s->bytes_read += (uint64_t)r;
			return r;
		}
		if (errno != EINTR)
			return -1;
	}
}

/* One text run of member from src, whose first head_len bytes are already in
 * x->chunk: charset detected from them, decoded to UTF-8 when not UTF-8. */
static int stream_text(struct extract *x, const char *member, struct source *src, size_t head_len)
{
	struct decoder *d = NULL;
	size_t bom = 0, pending = head_len;
	const char *charset = decode_detect((const unsigned char *)x->chunk, head_len, &bom);
	bool utf8 = strcmp(charset, "UTF-8") == 0, eof = false;
	int rc = 0;

	if (!utf8 && decode_new(charset, &d) < 0) {
		utf8 = true; /* a charset iconv lacks: the bytes as they are */
		d = NULL;
	}
	memmove(x->chunk, x->chunk + bom, head_len - bom);
	pending -= bom;
	extract_text_begin(x, member);
	for (;;) {
		if (utf8) {
			extract_text(x, x->chunk, pending);
			pending = 0;
		} else {
			size_t used = 0, out = 0;
			decode_run(d, (const unsigned char *)x->chunk, pending, &used, x->decoded, EXTRACT_CHUNK, &out,
			           eof);
			extract_text(x, x->decoded, out);
			memmove(x->chunk, x->chunk + used, pending - used);
			pending -= used;
			if (eof && (pending == 0 || (used == 0 && out == 0)))
				break;
		}
		if (eof && utf8)
			break;
		if (!eof && pending < EXTRACT_CHUNK) {
			ssize_t r = source_read(src, x->chunk + pending, EXTRACT_CHUNK - pending);
			if (r < 0) {
				rc = ERR_IO;
				break;
			}
			eof = r == 0;
			pending += (size_t)r;
		}
	}
	extract_text_end(x);
	decode_free(d);
	return rc;
}

void extract_text_bytes(struct extract *x, const char *member, const void *data, size_t len)
{
	struct source src = {.fd = -1, .data = data, .len = len};
	ssize_t head =
	        source_read(&src, x->chunk, LIMIT_DETECT_HEAD < EXTRACT_CHUNK ? LIMIT_DETECT_HEAD : EXTRACT_CHUNK);

	stream_text(x, member, &src, head > 0 ? (size_t)head : 0);
}

/* --- types ----------------------------------------------------------------- */

static bool has(const unsigned char *data, size_t len, const char *needle)
{
	return memmem(data, len, needle, strlen(needle)) != NULL;
}

/* Whether the head could be a container or document an extractor reads: its
 * magic bytes. Everything else is scanned as text, without asking libmagic,
 * whose full run costs far more than scanning a small text file. */
static bool maybe_container(const unsigned char *d, size_t len)
{
	static const struct {
		const char *magic;
		size_t len;
	} heads[] = {
	        {"PK\x03\x04", 4},
	        {"PK\x05\x06", 4},
	        {"\x1f\x8b", 2},
	        {"BZh", 3},
	        {"\xfd"
	         "7zXZ",
	         5},
	        {"\x28\xb5\x2f\xfd", 4},
	        {"7z\xbc\xaf\x27\x1c", 6},
	        {"Rar!", 4},
	        {"\x5d\x00\x00", 3},
	        {"LZIP", 4},
	        {"070707", 6},
	        {"07070", 5},
	        {"\xc7\x71", 2},
	        {"SQLite format 3", 16}, /* with its NUL */
	};
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (len >= heads[i].len && memcmp(d, heads[i].magic, heads[i].len) == 0)
			return true;
	if (memmem(d, len < 1024 ? len : 1024, "%PDF-", 5))
		return true;
	if (len >= 262 && memcmp(d + 257, "ustar", 5) == 0)
		return true;
	return len >= 32774 && memcmp(d + 32769, "CD001", 5) == 0;
}

/* Whether the head is an e-mail: an mbox "From " line, or a first line that is
 * a header field and one of the fields every message has near the start. */
static bool maybe_mail(const unsigned char *d, size_t len)
{
	static const char *const fields[] = {"From: ", "Received: ", "MIME-Version: ", "Subject: "};
	size_t i = 0, n;

	if (len > 8192)
		len = 8192;
	if (len >= 5 && memcmp(d, "From ", 5) == 0)
		return true;
	while (i < len && (d[i] == '\r' || d[i] == '\n'))
		i++;
	for (n = i; n < len && (((d[n] | 0x20) >= 'a' && (d[n] | 0x20) <= 'z') || d[n] == '-'); n++)
		;
	if (n == i || n + 1 >= len || d[n] != ':' || d[n + 1] != ' ')
		return false;
	for (size_t p = i; p < len; p++) {
		if (p != i && d[p - 1] != '\n')
			continue;
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			size_t fl = strlen(fields[f]);
			if (len - p >= fl && strncasecmp((const char *)d + p, fields[f], fl) == 0)
				return true;
		}
	}
	return false;
}

/* Whether the head is HTML or XML: after a UTF-8 BOM and white space, a
 * declaration or a start tag, and a closing tag somewhere. */
static bool maybe_markup(const unsigned char *d, size_t len)
{
	size_t i = len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	if (len - i < 2 || d[i] != '<')
		return false;
	if (!(len - i >= 14 && strncasecmp((const char *)d + i, "<!DOCTYPE html", 14) == 0) &&
	    !(len - i >= 5 && strncmp((const char *)d + i, "<?xml", 5) == 0) &&
	    !((d[i + 1] | 0x20) >= 'a' && (d[i + 1] | 0x20) <= 'z'))
		return false;
	return memmem(d + i, len - i, "</", 2) != NULL;
}

/* JSON worth decoding: it opens with '{' or '[' (after white space or a
 * BOM) and its head holds a \u escape; other JSON is plain text already. */
static bool maybe_json(const unsigned char *d, size_t len)
{
	size_t i = len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return i < len && (d[i] == '{' || d[i] == '[') && memmem(d, len, "\\u", 2) != NULL;
}

/* Formats known by their first bytes alone, which no text starts with. */
static enum kind detect_binary_head(const unsigned char *d, size_t len, const char **ret_type)
{
	static const struct {
		const char *magic;
		size_t len, min; /* bytes of magic; the smallest object of the format */
		enum kind kind;
		const char *type;
	} heads[] = {
	        {"\x30\x5c\x72\xa7\x1b\x6d\xfb\xfc", 8, 24, KIND_CHROME_CACHE, "chrome-cache"},
	        {"\xff\x06\x00\x00sNaPpY", 10, 10, KIND_SNAPPY_FRAMED, "snappy"},
	        {"mozLz40\0", 8, 12, KIND_MOZLZ4, "mozlz4"},
	        {"TDF$", 4, 4 + 4 + 16, KIND_TELEGRAM, "telegram"},
	        {"TDEF", 4, 4 + 64, KIND_TELEGRAM, "telegram"},
	        {"{\\rtf", 5, 5, KIND_RTF, "rtf"},
	        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, 8, KIND_OLE2, "ole2"},
	};
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (len >= heads[i].min && memcmp(d, heads[i].magic, heads[i].len) == 0) {
			*ret_type = heads[i].type;
			return heads[i].kind;
		}
	if ((*ret_type = image_type(d, len)) != NULL)
		return KIND_IMAGE;
	if (extract_leveldb_log_head(d, len)) {
		*ret_type = "leveldb";
		return KIND_LEVELDB;
	}
	return KIND_TEXT;
}

/* Formats known by their last bytes: tail is the object's last tail_len bytes. */
static enum kind detect_tail(const unsigned char *tail, size_t tail_len, uint64_t total, const char **ret_type)
{
	static const unsigned char leveldb_footer[8] = {0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb};

	if (tail_len >= 48 && total >= 48 && memcmp(tail + tail_len - 8, leveldb_footer, 8) == 0) {
		*ret_type = "leveldb";
		return KIND_LEVELDB;
	}
	if (extract_firefox_cache_tail(tail, tail_len, total)) {
		*ret_type = "firefox-cache";
		return KIND_FIREFOX_CACHE;
	}
	return KIND_TEXT;
}

/* What an object is, from its first head_len bytes (and, when the caller has
 * them, its last tail_len bytes; total is its size): magic bytes, the shape of
 * text formats, libmagic's MIME type and, for zip files, the names of their
 * parts. */
static enum kind detect(struct extract *x, const unsigned char *data, size_t len, const unsigned char *tail,
                        size_t tail_len, uint64_t total, const char **ret_type)
{
	const char *mime;
	enum kind kind = detect_binary_head(data, len, ret_type);

	if (kind != KIND_TEXT)
		return kind;
	/* Stores known by their last bytes come next: their first bytes are
	 * whatever they hold (a cache entry starts with its body: HTML, gzip). */
	if (tail && (kind = detect_tail(tail, tail_len, total, ret_type)) != KIND_TEXT)
		return kind;
	*ret_type = "text";
	if (maybe_json(data, len)) {
		*ret_type = "json";
		return KIND_JSON;
	}
	if (maybe_mail(data, len)) {
		*ret_type = "mail";
		return KIND_MAIL;
	}
	if (maybe_markup(data, len)) {
		*ret_type = "markup";
		return KIND_MARKUP;
	}
	mime = len && maybe_container(data, len) ? magic_buffer(x->magic, data, len) : NULL;
	if (!mime)
		return KIND_TEXT;
	if (strcmp(mime, "application/pdf") == 0) {
		*ret_type = "pdf";
		return KIND_PDF;
	}
	if (strncmp(mime, "application/vnd.openxmlformats-officedocument.", 46) == 0 ||
	    (strcmp(mime, "application/zip") == 0 && has(data, len, "[Content_Types].xml"))) {
		*ret_type = "ooxml";
		return KIND_OOXML;
	}
	if (strncmp(mime, "application/vnd.oasis.opendocument.", 35) == 0 ||
	    (strcmp(mime, "application/zip") == 0 && len >= 59 &&
	     memcmp(data + 30, "mimetypeapplication/vnd.oasis", 29) == 0)) {
		*ret_type = "odf";
		return KIND_ODF;
	}
	if (strcmp(mime, "application/vnd.sqlite3") == 0 || strcmp(mime, "application/x-sqlite3") == 0) {
		*ret_type = "sqlite";
		return KIND_SQLITE;
	}
	static const char *const archives[] = {
	        "application/zip",    "application/x-tar",           "application/gzip",
	        "application/x-gzip", "application/x-bzip2",         "application/x-xz",
	        "application/zstd",   "application/x-zstd",          "application/x-7z-compressed",
	        "application/x-rar",  "application/vnd.rar",         "application/x-rar-compressed",
	        "application/x-cpio", "application/x-iso9660-image", "application/x-lzma",
	        "application/x-lzip", "application/java-archive",
	};
	for (size_t i = 0; i < sizeof(archives) / sizeof(archives[0]); i++)
		if (strcmp(mime, archives[i]) == 0) {
			*ret_type = "archive";
			return KIND_ARCHIVE;
		}
	return KIND_TEXT;
}

static int dispatch(struct extract *x, enum kind kind, const unsigned char *data, size_t len)
{
	switch (kind) {
	case KIND_ARCHIVE: return extract_archive(x, data, len);
	case KIND_OOXML: return extract_ooxml(x, data, len);
	case KIND_ODF: return extract_odf(x, data, len);
	case KIND_PDF: return extract_pdf(x, data, len);
	case KIND_SQLITE: return extract_sqlite(x, data, len);
	case KIND_MAIL: return extract_mail(x, data, len);
	case KIND_MARKUP: return extract_markup(x, data, len);
	case KIND_OLE2: return extract_ole2(x, data, len);
	case KIND_JSON: return extract_json(x, data, len);
	case KIND_RTF: return extract_rtf(x, data, len);
	case KIND_CHROME_CACHE: return extract_chrome_cache(x, data, len);
	case KIND_FIREFOX_CACHE: return extract_firefox_cache(x, data, len);
	case KIND_LEVELDB: return extract_leveldb(x, data, len);
	case KIND_SNAPPY_FRAMED: return extract_snappy_framed(x, data, len);
	case KIND_MOZLZ4: return extract_mozlz4(x, data, len);
	case KIND_IMAGE: return extract_image(x, data, len);
	case KIND_TELEGRAM:
		extract_coverage(x, NULL, EXTRACT_COVERAGE_ENCRYPTED,
		                 "Telegram Desktop's encrypted storage (TDF$/TDEF)");
		return 0;
	case KIND_TEXT: extract_text_bytes(x, NULL, data, len); return 0;
	}
	return 0;
}

int extract_nested(struct extract *x, const char *member, const void *data, size_t len)
{
	char saved[LIMIT_MEMBER_NAME], full[LIMIT_MEMBER_NAME], detail[64];
	size_t saved_len = x->member_len;
	const char *type;
	int rc;

	if (x->stopped)
		return ERR_LIMIT;
	if (++x->members > x->limits.members) {
		snprintf(detail, sizeof(detail), "more than %u members", x->limits.members);
		return stop(x, ERR_LIMIT, detail);
	}
	if (x->depth + 1 > x->limits.nesting) {
		snprintf(detail, sizeof(detail), "nested more than %u deep", x->limits.nesting);
		extract_coverage(x, member, EXTRACT_COVERAGE_LIMIT, detail);
		return 0;
	}
	memcpy(saved, x->member, x->member_len + 1);
	full_member(x, member, full, sizeof(full));
	memcpy(x->member, full, strlen(full) + 1);
	x->member_len = strlen(x->member);
	x->depth++;
	rc = dispatch(x,
	              detect(x, data, len, len > EXTRACT_TAIL ? (const unsigned char *)data + len - EXTRACT_TAIL : data,
	                     len > EXTRACT_TAIL ? EXTRACT_TAIL : len, len, &type),
	              data, len);
	x->depth--;
	memcpy(x->member, saved, saved_len + 1);
	x->member_len = saved_len;
	return x->stopped ? ERR_LIMIT : rc;
}

/* --- files ----------------------------------------------------------------- */

static int read_all(int fd, size_t size, unsigned char *buf, size_t have, uint64_t *bytes)
{
	while (have < size) {
		ssize_t r = read(fd, buf + have, size - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		have += (size_t)r;
		*bytes += (uint64_t)r;
	}
	return (int)(have == size ? 0 : -2); /* -2: it shrank while we read */
}

int extract_file(struct extract *x, int fd, const struct stat *st, const struct extract_handler *h, void *ctx,
                 struct extract_result *ret)
{
	struct source src = {
	        .fd = fd, .sparse = (uint64_t)st->st_blocks * 512 < (uint64_t)st->st_size, .bytes_read = &ret->bytes};
	unsigned char *data = NULL, tail[EXTRACT_TAIL];
	const unsigned char *tail_at = NULL;
	size_t tail_len = 0;
	const char *type;
	enum kind kind;
	ssize_t head;
	size_t len;
	int rc = 0, r;

	*ret = (struct extract_result){.type = "text"};
	x->h = h;
	x->ctx = ctx;
	x->member[0] = '\0';
	x->member_len = 0;
	x->depth = 0;
	x->expanded = x->members = 0;
	x->file_size = (uint64_t)st->st_size;
	x->stopped = x->in_text = false;
	x->deadline_ns = now_ns() + (int64_t)x->limits.seconds * 1000000000LL;

	head = source_read(&src, x->chunk, LIMIT_DETECT_HEAD < EXTRACT_CHUNK ? LIMIT_DETECT_HEAD : EXTRACT_CHUNK);
	if (head < 0)
		return ERR_IO;
	if (x->file_size >= 8 && x->file_size <= x->limits.file_bytes) {
		/* Some stores are known only by their last bytes. */
		tail_len = x->file_size < EXTRACT_TAIL ? (size_t)x->file_size : EXTRACT_TAIL;
		if ((uint64_t)head == x->file_size)
			tail_at = (const unsigned char *)x->chunk + head - tail_len;
		else if (pread(fd, tail, tail_len, (off_t)(x->file_size - tail_len)) == (ssize_t)tail_len)
			tail_at = tail;
	}
	kind = detect(x, (const unsigned char *)x->chunk, (size_t)head, tail_at, tail_at ? tail_len : 0, x->file_size,
	              &type);
	ret->type = type;
	if (kind == KIND_TEXT) {
		rc = stream_text(x, NULL, &src, (size_t)head);
		goto out;
	}
	if ((uint64_t)st->st_size > x->limits.file_bytes) {
		/* A huge mailbox or XML export is still text: its plain parts are
		 * scanned as they stand rather than not at all. */
		if (kind == KIND_MAIL || kind == KIND_MARKUP || kind == KIND_JSON) {
			rc = stream_text(x, NULL, &src, (size_t)head);
			goto out;
		}
		char detail[80], limit[32];
		format_size(x->limits.file_bytes, limit, sizeof(limit));
		snprintf(detail, sizeof(detail), "container larger than %s, not opened", limit);
		extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT, detail);
		goto out;
	}
	data = malloc((size_t)st->st_size + 1);
	if (!data) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT, "not enough memory to open it");
		goto out;
	}
	memcpy(data, x->chunk, (size_t)head);
	r = read_all(fd, (size_t)st->st_size, data, (size_t)head, &ret->bytes);
	if (r == -1) {
		rc = ERR_IO;
		goto out;
	}
	/* A file that shrank while read is taken as it was read. */
	len = (size_t)st->st_size;
	if (r == -2)
		len = (size_t)ret->bytes;
	rc = dispatch(x, kind, data, len);
	if (rc == ERR_LIMIT || rc == ERR_TIMEOUT)
		rc = 0; /* reported as a coverage outcome */
out:
	extract_text_end(x);
	ret->members = x->members;
	if (data) {
		explicit_bzero(data, (size_t)st->st_size);
		free(data);
	}
	return rc;
}
