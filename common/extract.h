/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Extraction of the text inside files: plain text in any encoding is streamed;
 * containers and documents (archives, Office and OpenDocument files, PDF) are
 * read into memory within the limits and handed to an extractor, which gives
 * back text runs under member names ("word/document.xml", "a.zip!b.txt") and
 * nested objects, which go through type detection again one level deeper.
 * A limit reached, an encrypted or a corrupt object ends with a coverage
 * outcome reported to the caller, never with a silent "clean". Extractors
 * see only bytes: no path, no file descriptor, no write anywhere.
 */
#ifndef PIIGUARD_EXTRACT_H
#define PIIGUARD_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct extract;

enum extract_coverage {
	EXTRACT_COVERAGE_ENCRYPTED,   /* coverage.encrypted: content we cannot read without a key */
	EXTRACT_COVERAGE_LIMIT,       /* coverage.limit: size, depth, members, ratio or time */
	EXTRACT_COVERAGE_CORRUPT,     /* coverage.corrupt: the format is broken past reading */
	EXTRACT_COVERAGE_UNSUPPORTED, /* coverage.unsupported: a format we cannot read here */
};

/* The rule id of a coverage outcome ("coverage.encrypted", ...). */
const char *extract_coverage_rule(enum extract_coverage what);

/* Where a text run or a finding comes from: the contract's `source`. */
enum extract_source {
	EXTRACT_SOURCE_TEXT, /* the object's own text */
	EXTRACT_SOURCE_OCR,  /* text recognised in an image */
	EXTRACT_SOURCE_QR,   /* a QR code or barcode's payload */
	EXTRACT_SOURCE_MRZ,  /* a machine-readable zone read from an image */
};

/* The contract's name of a source ("text", "ocr", "qr", "mrz"). */
const char *extract_source_name(enum extract_source source);

/* A finding an extractor makes itself rather than through the text rules (an
 * image taken for an ID card, a chip CCCD's QR payload). rule and label are
 * static strings; value[0..value_len) is the canonical value, fingerprinted,
 * and shown as masked unless shown (static, never an identifier) is set. */
struct extract_finding {
	const char *rule, *label;
	const char *value;
	size_t value_len;
	const char *shown;
	double confidence;
	enum extract_source source;
};

/* What the caller is told, in the order of the file's content. member is the
 * full member name ("" for the file itself), valid during the call. The last
 * two are optional (NULL: every text run is "text", extractor findings are
 * dropped): text_source follows text_begin for a run that is not the
 * object's own text; finding is an extractor's finding (see above).
 * Initialise it by field name: more optional callbacks may come. */
struct extract_handler {
	void (*text_begin)(void *ctx, const char *member);
	void (*text)(void *ctx, const char *utf8, size_t len);
	void (*text_end)(void *ctx);
	void (*coverage)(void *ctx, const char *member, enum extract_coverage what, const char *detail);
	void (*text_source)(void *ctx, enum extract_source source);
	void (*finding)(void *ctx, const char *member, const struct extract_finding *f);
};

struct extract_result {
	uint64_t bytes;   /* bytes read from the file */
	uint64_t members; /* nested objects opened */
	const char *type; /* what the file was taken for: "text", "zip", "ooxml", "pdf", ... (static) */
};

/* The limits of one file's extraction ([limits] of the configuration; the
 * defaults and the most they may be raised to are in limits.h). */
struct extract_limits {
	uint64_t file_bytes;     /* max_file_size: a larger container is not opened */
	uint64_t expanded_bytes; /* max_scan_size: all the bytes a file expands to */
	unsigned ratio;          /* max_ratio: expanded bytes per byte of the file */
	unsigned nesting;        /* max_recursion: containers within containers */
	unsigned members;        /* max_files: nested objects opened */
	unsigned seconds;        /* max_seconds: work on one file */
};

/* The defaults of limits.h. */
void extract_limits_default(struct extract_limits *ret);

/* Use these limits for the next files (values are taken as given: the
 * configuration checks them). */
void extract_set_limits(struct extract *x, const struct extract_limits *limits);

/* A reusable extraction context (one per thread: it holds libmagic). Returns
 * 0, ERR_NOMEM or ERR_UNSUPPORTED (libmagic cannot load its database). */
int extract_new(struct extract **ret);
void extract_free(struct extract *x);

/*
 * Extract the open regular file fd (metadata st) and tell h what it holds.
 * Returns 0 (coverage outcomes, if any, were reported), or ERR_IO when the
 * file could not be read (errno set).
 */
int extract_file(struct extract *x, int fd, const struct stat *st, const struct extract_handler *h, void *ctx,
                 struct extract_result *ret);

/* --- for extractors ------------------------------------------------------ */

/* A text run of the member (NULL: the object itself) starts; text arrives in
 * pieces of UTF-8 (extract_text), then extract_text_end. Runs do not nest. */
void extract_text_begin(struct extract *x, const char *member);
void extract_text(struct extract *x, const char *utf8, size_t len);
void extract_text_end(struct extract *x);

/* A text run that is not the object's own text: as extract_text_begin, the
 * run's findings marked with source (OCR text, a QR payload, an MRZ). */
void extract_text_begin_source(struct extract *x, const char *member, enum extract_source source);

/* An extractor's own finding in member (NULL: the object itself). */
void extract_finding(struct extract *x, const char *member, const struct extract_finding *f);

/* Bytes that are text in some encoding (a .txt inside an archive, an e-mail
 * part): detected, decoded and given as one text run of member. */
void extract_text_bytes(struct extract *x, const char *member, const void *data, size_t len);

/* A nested object held in memory: detected and extracted one level deeper,
 * under member. Returns 0, or ERR_LIMIT / ERR_TIMEOUT when the caller must
 * stop reading its container (the outcome has been reported). */
int extract_nested(struct extract *x, const char *member, const void *data, size_t len);

/* An outcome for member (NULL: the object being extracted). */
void extract_coverage(struct extract *x, const char *member, enum extract_coverage what, const char *detail);

/* Whether images are read by OCR (default on; QR codes and MRZ are read
 * either way), and in which tesseract languages ("vie+eng+chi_sim"; NULL:
 * "vie+eng"; copied, cut at 63 bytes). Set before the first image. */
void extract_set_ocr(struct extract *x, bool enabled, const char *languages);
bool extract_ocr_enabled(const struct extract *x);
const char *extract_ocr_languages(const struct extract *x);

/* Create the image reader's engines now (tesseract opens its language
 * data; zbar): for a worker about to drop privileges or install a seccomp
 * filter, after extract_set_ocr(). Otherwise they are made on first use.
 * Returns 0, or ERR_UNSUPPORTED when an engine cannot start (images then get
 * coverage.unsupported). */
int extract_image_prepare(struct extract *x);

/* The image reader's state in this context (OCR engines, the cache of
 * results by content), created by image code on first use, freed with the
 * context (image.h). */
struct image;
struct image **extract_image_state(struct extract *x);

/* Whether the extractor may go on, having expanded `more` bytes: 0, or
 * ERR_LIMIT (total expanded bytes or their ratio to the file) or ERR_TIMEOUT
 * (time budget), the outcome already reported. Call it in every loop that
 * expands data. */
int extract_check(struct extract *x, size_t more);

/* Milliseconds left of the file's time budget (0 when spent): for work that
 * cannot call extract_check while it runs (one OCR pass). */
int64_t extract_ms_left(const struct extract *x);

/* The extractors: data[0..len) is the whole object. They return 0 or an
 * ERR_* code; coverage outcomes they hit they report themselves. */
typedef int extract_fn(struct extract *x, const unsigned char *data, size_t len);
extract_fn extract_archive;       /* zip, tar, gzip, bzip2, xz, zstd, 7z, rar, cpio, iso (libarchive) */
extract_fn extract_ooxml;         /* .docx .xlsx .pptx (zip + XML) */
extract_fn extract_odf;           /* .odt .ods .odp (zip + XML) */
extract_fn extract_pdf;           /* PDF text layer (poppler-glib) */
extract_fn extract_mail;          /* e-mail (.eml, mbox): headers, MIME parts, attachments */
extract_fn extract_markup;        /* HTML and XML: text without tags, entities decoded */
extract_fn extract_sqlite;        /* SQLite databases: every text and blob cell, read-only */
extract_fn extract_ole2;          /* legacy .doc .xls .ppt: their UTF-16LE and 8-bit text runs */
extract_fn extract_json;          /* JSON: the text with string escapes decoded */
extract_fn extract_rtf;           /* RTF: text without control words, \'xx and \uN decoded */
extract_fn extract_chrome_cache;  /* Chromium Simple cache entries (_0, _1, _s), Cache Storage */
extract_fn extract_firefox_cache; /* Firefox cache2 entries */
extract_fn extract_leveldb;       /* LevelDB .log and .ldb: Local Storage, IndexedDB values */
extract_fn extract_snappy_framed; /* snappy framing format (Firefox Cache API bodies) */
extract_fn extract_mozlz4;        /* Firefox mozLz40 files (session store) */
extract_fn extract_image;         /* JPEG, PNG, WebP, TIFF, BMP, GIF, HEIC: QR, MRZ and OCR */

/* A decoded image (a PDF page's): 32-bit pixels 0xAARRGGBB in native order,
 * as cairo's ARGB32 and RGB24, rows stride bytes apart, read for QR codes, a
 * machine-readable zone and text as the image member. Returns 0, or
 * ERR_LIMIT / ERR_TIMEOUT from extract_check(). */
int extract_image_pixels(struct extract *x, const char *member, const uint32_t *pixels, int width, int height,
                         size_t stride);

/* Text hidden in binary data: the runs of UTF-16LE text (both alignments) and
 * of 8-bit text (ASCII and UTF-8), one line each, as one text run of member.
 * Returns 0, or ERR_LIMIT / ERR_TIMEOUT from extract_check(). */
int extract_runs(struct extract *x, const char *member, const unsigned char *data, size_t len);

/* extract_runs() for Word files: a table's cell marks (U+0007) are tabs and
 * a row's end mark a line end, so a row under its header row keeps it. */
int extract_runs_word(struct extract *x, const char *member, const unsigned char *data, size_t len);

/* Whether head (the first len bytes of an object) starts with a LevelDB log
 * record whose checksum holds. */
bool extract_leveldb_log_head(const unsigned char *head, size_t len);

/* Whether the last tail_len bytes of an object of size bytes look like the
 * trailer of a Firefox cache2 entry (the extractor checks the rest). */
bool extract_firefox_cache_tail(const unsigned char *tail, size_t tail_len, uint64_t size);

#endif
