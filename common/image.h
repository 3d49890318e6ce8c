/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The image reader's parts: extract_image.c decodes an image (leptonica,
 * libheif) within the pixel budget and runs image_qr.c (zbar: the chip CCCD's
 * QR payload), image_mrz.c (the TD1 machine-readable zone) and image_ocr.c
 * (tesseract: the text, card keywords). What they find is collected in a run,
 * kept in a cache by content hash and then told to the framework, so a second
 * copy of the same photo costs a hash. The parsers on text are pure and
 * fuzzed; nothing here writes anywhere or logs.
 */
#ifndef PIIGUARD_IMAGE_H
#define PIIGUARD_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract.h"

struct Pix;         /* leptonica */
struct TessBaseAPI; /* tesseract */

/* The format of an object known by its first len bytes ("jpeg", "png",
 * "webp", "tiff", "bmp", "gif", "heif"), or NULL. Static strings. */
const char *image_type(const unsigned char *head, size_t len);

/* Free the image reader state of an extraction context; NULL is a no-op. */
void image_free(struct image *im);

/* --- parsers on text (pure) ------------------------------------------------ */

enum image_level {
	IMAGE_NONE = 0,
	IMAGE_HIGH = 1,    /* the syntax holds, a cross-check fails */
	IMAGE_CERTAIN = 2, /* every check and cross-check holds */
};

/*
 * A chip CCCD's QR payload (identifiers.md 5.2) in payload[0..len): a run of
 * 12 digits and '|', at least 7 fields, the number valid, the dates real and
 * in order; cross-checks: birth year and sex against the number. ret_id gets
 * the 12 digits and a NUL unless IMAGE_NONE. year is the current year (0: the
 * clock's).
 */
enum image_level image_qr_cccd(const char *payload, size_t len, int year, char ret_id[13]);

/*
 * A TD1 zone in OCR text[0..len): three consecutive lines that, cleaned (white
 * space dropped, '«' read as "<<", a run of fillers stretched or shrunk to
 * make 30 characters, O/I/Z/S/B read as digits where the layout has digits and
 * the reverse where it has letters), pass every check digit. ret gets the 90
 * characters and a NUL. Returns whether one was found.
 */
bool image_mrz_td1(const char *text, size_t len, char ret[91]);

/* The ICAO 9303 check digit of s[0..n) ('0'..'9'); '?' for a character
 * outside A-Z, 0-9 and '<'. */
char image_mrz_check(const char *s, size_t n);

/* --- the reader ------------------------------------------------------------ */

/* What one image gave: text runs, findings, card evidence and outcomes. */
struct image_run;

/* A text run of the image from source (a copy is kept). */
void image_run_text(struct image_run *run, enum extract_source source, const char *text, size_t len);

/* A finding of rule (static strings) with the canonical value[0..len). */
void image_run_finding(struct image_run *run, const char *rule, const char *label, const char *value, size_t len,
                       double confidence, enum extract_source source);

/* Evidence that the image shows an ID card (why: static, no identifier): the
 * strongest becomes the image's one idcard.image finding. */
void image_run_card(struct image_run *run, double confidence, enum extract_source source, const char *why);

/* An outcome of the image (detail: static). */
void image_run_coverage(struct image_run *run, enum extract_coverage what, const char *detail);

/* A part of the image (fractions of its width and height) that OCR is not
 * to read: a decoded QR code, whose modules OCR takes for letters. */
void image_run_blank(struct image_run *run, float x0, float y0, float x1, float y1);

/* Milliseconds left for recognition in this image (0: spent). */
int64_t image_run_ms_left(const struct image_run *run);

/* Whether this run already has a finding of the rule from source. */
bool image_run_has(const struct image_run *run, const char *rule, enum extract_source source);

/* What OCR made of an image: the caller turns it when it saw marks but no
 * legible text (a card photographed sideways). */
enum image_ocr {
	IMAGE_OCR_BLANK,   /* no text at all (a photo, a blank page) */
	IMAGE_OCR_GARBLED, /* marks, but no confident text */
	IMAGE_OCR_TEXT,    /* text read */
};

/* A PNG of w x h pixels (its header checked) as 8-bit gray, transparent
 * parts white; NULL, the reason told to run, when it is not decoded. A cut or
 * damaged file is read as far as it goes, and told. */
struct Pix *image_png_gray(struct image_run *run, const unsigned char *data, size_t len, int w, int h);

/* The parts: each reads gray (8 bpp, at the working resolution) and tells
 * run. image_mrz_read returns whether it read a zone. */
void image_qr_read(struct image *im, struct image_run *run, struct Pix *gray);
bool image_mrz_read(struct image *im, struct image_run *run, struct Pix *gray);
enum image_ocr image_ocr_read(struct image *im, struct image_run *run, struct Pix *gray);

/* For the benchmark (bench/cards.c): read an image file's bytes in x's
 * engines with only the parts asked for (none: decoding alone), without the
 * cache and without telling anyone. Returns what the run holds (findings,
 * runs, outcomes, the card), or -1 when the image was not decoded. */
enum {
	IMAGE_PART_QR = 1,
	IMAGE_PART_MRZ = 2,
	IMAGE_PART_OCR = 4,
};
int image_read_parts(struct extract *x, const unsigned char *data, size_t len, unsigned parts);

/* Recognise gray with a tesseract engine within the run's deadline (a cut
 * is told once to run): the UTF-8 text, to be freed with image_text_free(),
 * or NULL. ret_conf, when not NULL, gets tesseract's mean confidence. */
char *image_recognize(struct TessBaseAPI *api, struct image_run *run, struct Pix *gray, int *ret_conf);
void image_text_free(char *text);

/* The engines of one context, created on first use (NULL when they cannot
 * be: the part then reports coverage.unsupported). */
struct zbar_image_scanner_s;
struct TessBaseAPI *image_tesseract(struct image *im, bool mrz);
struct zbar_image_scanner_s *image_zbar(struct image *im);

#endif
