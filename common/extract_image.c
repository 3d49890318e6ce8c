/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Images (JPEG, PNG, WebP, TIFF, BMP, GIF, HEIF), called by extract.c for an
 * object whose first bytes are an image's, wherever it was found (a file, a
 * .docx's word/media, an archive member, a cache entry): the header's size is
 * checked against LIMIT_IMAGE_PIXELS before anything is decoded, the image is
 * decoded from memory to gray at a working resolution and read for QR codes,
 * a machine-readable zone and, unless OCR is off, its text. Results are kept
 * by content hash, so the same photo is read once per scanning thread. It
 * never writes, never logs, never decodes past the budgets.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <allheaders.h>
#include <jpeglib.h>
#include <libheif/heif.h>
#include <sodium.h>
#include <tesseract/capi.h>
#include <zbar.h>
#include <zlib.h>

#include "detect.h"
#include "error.h"
#include "image.h"
#include "limits.h"

/* The working resolution: a card across 1000 to 1600 pixels gives its body
 * text the 20 to 30-pixel height tesseract reads best. */
#define IMAGE_WORK_MIN 1000
#define IMAGE_WORK_MAX 1600
/* zbar is given the image at most this wide or high (its time grows with the
 * pixels; a QR code photographed on a card stays legible). */
#define IMAGE_QR_MAX 2000

/* Confidence of leptonica's skew search taken as a skew (pixDeskew wants 3). */
#define IMAGE_SKEW_CONF 1.5f

/* What one run keeps: a card gives a handful of runs and findings. */
#define IMAGE_RUN_ITEMS 24
/* Decoded codes blanked before OCR. */
#define IMAGE_BLANKS 8
/* Frames of a GIF counted against the pixel budget. */
#define IMAGE_GIF_FRAMES 1000u

static const char CARD_RULE[] = "idcard.image";
static const char CARD_LABEL[] = "Image of an ID card";

enum item_kind { ITEM_TEXT, ITEM_FINDING, ITEM_COVERAGE };

struct item {
	enum item_kind kind;
	enum extract_source source;
	const char *rule, *label, *detail;
	enum extract_coverage what;
	char *data;
	size_t len;
	double confidence;
};

struct image_run {
	unsigned char hash[16];
	bool ocr;      /* read with OCR on */
	bool no_cache; /* cut short by the file's budget: not kept */
	bool bench;    /* image_read_parts: no file being extracted, no budget */
	bool cut_told; /* the recognition budget's end has been told */
	struct item items[IMAGE_RUN_ITEMS];
	size_t n, bytes;
	float blank[IMAGE_BLANKS][4]; /* x0, y0, x1, y1 as fractions */
	size_t n_blank;
	double card;
	enum extract_source card_source;
	const char *card_why;
	int64_t deadline_ms;
};

struct image {
	struct TessBaseAPI *ocr, *mrz;
	bool ocr_failed, mrz_failed;
	zbar_image_scanner_t *zbar;
	char languages[64]; /* of the OCR engine, as the context had them */
	struct image_run *cache[LIMIT_IMAGE_CACHE];
	size_t next;
};

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* --- types --------------------------------------------------------------- */

const char *image_type(const unsigned char *d, size_t len)
{
	static const char *const brands[] = {"heic", "heix", "hevc", "heim", "heis", "hevm",
	                                     "hevs", "mif1", "msf1", "avif", "avis"};

	if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return "jpeg";
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "png";
	if (len >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
		return "gif";
	if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return "webp";
	if (len >= 8 && (memcmp(d, "II*\0", 4) == 0 || memcmp(d, "MM\0*", 4) == 0))
		return "tiff";
	/* "BM" starts words too: also the reserved zeros and a known header size. */
	if (len >= 26 && d[0] == 'B' && d[1] == 'M' && !d[6] && !d[7] && !d[8] && !d[9]) {
		uint32_t hs = (uint32_t)d[14] | (uint32_t)d[15] << 8 | (uint32_t)d[16] << 16 | (uint32_t)d[17] << 24;
		if (hs == 12 || hs == 40 || hs == 52 || hs == 56 || hs == 64 || hs == 108 || hs == 124)
			return "bmp";
	}
	if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0)
		for (size_t i = 0; i < sizeof(brands) / sizeof(brands[0]); i++)
			if (memcmp(d + 8, brands[i], 4) == 0)
				return "heif";
	return NULL;
}

/* --- state --------------------------------------------------------------- */

static void run_free(struct image_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->n; i++)
		if (run->items[i].data) {
			explicit_bzero(run->items[i].data, run->items[i].len);
			free(run->items[i].data);
		}
	free(run);
}

void image_free(struct image *im)
{
	if (!im)
		return;
	for (size_t i = 0; i < LIMIT_IMAGE_CACHE; i++)
		run_free(im->cache[i]);
	if (im->ocr) {
		TessBaseAPIEnd(im->ocr);
		TessBaseAPIDelete(im->ocr);
	}
	if (im->mrz) {
		TessBaseAPIEnd(im->mrz);
		TessBaseAPIDelete(im->mrz);
	}
	if (im->zbar)
		zbar_image_scanner_destroy(im->zbar);
	free(im);
}

/* OpenMP in tesseract: one thread per recognition is faster on a kiosk (the
 * scanning threads already use the cores; tesseract asks for ten threads,
 * which spin) and keeps a budget per thread. No active parallel level makes
 * every region run on the calling thread. libgomp comes with libtesseract;
 * weak, so a build without it still links. */
extern void omp_set_max_active_levels(int n) __attribute__((weak));

static void image_global_init(void)
{
	setMsgSeverity(L_SEVERITY_NONE); /* leptonica writes errors on stderr */
	heif_init(NULL);                 /* once, not lazily from two scanning threads at a time */
	if (sodium_init() < 0)
		return; /* crypto_generichash works without it */
}

static struct image *image_state(struct extract *x)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct image **slot = extract_image_state(x);

	if (!*slot) {
		pthread_once(&once, image_global_init);
		*slot = calloc(1, sizeof(**slot));
		if (*slot)
			snprintf((*slot)->languages, sizeof((*slot)->languages), "%s", extract_ocr_languages(x));
		if (omp_set_max_active_levels)
			omp_set_max_active_levels(0);
	}
	return *slot;
}

static pthread_mutex_t tesseract_lock = PTHREAD_MUTEX_INITIALIZER;

/* Whether tesseract loaded every language asked for: it starts with those
 * it has, and text in a missing script would pass unread. */
static bool all_loaded(struct TessBaseAPI *api, const char *languages)
{
	char **loaded = TessBaseAPIGetLoadedLanguagesAsVector(api);
	size_t n = 0, asked = 1;

	for (const char *p = languages; *p; p++)
		asked += *p == '+';
	while (loaded && loaded[n])
		n++;
	TessDeleteTextArray(loaded);
	return n == asked;
}

static void image_tesseract_init(struct TessBaseAPI **api, bool *failed, bool mrz, const char *languages)
{
	*api = TessBaseAPICreate();
	if (!*api) {
		*failed = true;
		return;
	}
	/* Tesseract's messages would go to the kiosk's stderr. */
	TessBaseAPISetVariable(*api, "debug_file", "/dev/null");
	if (TessBaseAPIInit2(*api, NULL, mrz ? "eng" : languages, OEM_LSTM_ONLY) != 0 ||
	    !all_loaded(*api, mrz ? "eng" : languages)) {
		TessBaseAPIDelete(*api);
		*api = NULL;
		*failed = true;
		return;
	}
	TessBaseAPISetVariable(*api, "debug_file", "/dev/null");
	if (mrz) {
		TessBaseAPISetVariable(*api, "tessedit_char_whitelist", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<");
		TessBaseAPISetPageSegMode(*api, PSM_SINGLE_BLOCK);
	}
}

struct TessBaseAPI *image_tesseract(struct image *im, bool mrz)
{
	struct TessBaseAPI **api = mrz ? &im->mrz : &im->ocr;
	bool *failed = mrz ? &im->mrz_failed : &im->ocr_failed;

	if (*api || *failed)
		return *api;
	/* Tesseract's parameters such as debug_file are process-wide: engines
	 * of two scanning threads are not set up at the same time. */
	pthread_mutex_lock(&tesseract_lock);
	image_tesseract_init(api, failed, mrz, im->languages);
	pthread_mutex_unlock(&tesseract_lock);
	return *api;
}

/* Tell, once, that recognition was cut by the image's budget. */
static void run_cut(struct image_run *run, const char *detail)
{
	if (!run->cut_told) {
		run->cut_told = true;
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, detail);
	}
}

char *image_recognize(struct TessBaseAPI *api, struct image_run *run, struct Pix *gray, int *ret_conf)
{
	int64_t left = image_run_ms_left(run);
	ETEXT_DESC *monitor;
	char *text = NULL;

	if (ret_conf)
		*ret_conf = 0;
	if (left <= 0) {
		run_cut(run, "OCR time budget of the image spent");
		return NULL;
	}
	monitor = TessMonitorCreate();
	if (!monitor)
		return NULL;
	TessBaseAPISetImage2(api, gray);
	TessBaseAPISetSourceResolution(api, 300);
	/* tesseract's monitor stops recognition at this deadline. */
	TessMonitorSetDeadlineMSecs(monitor, left > LIMIT_OCR_MS ? (int)LIMIT_OCR_MS : (int)left);
	if (TessBaseAPIRecognize(api, monitor) == 0)
		text = TessBaseAPIGetUTF8Text(api);
	if (image_run_ms_left(run) == 0)
		run_cut(run, "OCR time budget of the image reached");
	if (ret_conf)
		*ret_conf = TessBaseAPIMeanTextConf(api);
	TessBaseAPIClear(api);
	TessMonitorDelete(monitor);
	return text;
}

void image_text_free(char *text)
{
	if (text) {
		explicit_bzero(text, strlen(text));
		TessDeleteText(text);
	}
}

zbar_image_scanner_t *image_zbar(struct image *im)
{
	if (!im->zbar) {
		im->zbar = zbar_image_scanner_create();
		if (!im->zbar)
			return NULL;
		/* QR codes (the CCCD's) and Code 128 (forms); the EAN/UPC family
		 * would read photos' stripes as product codes. */
		zbar_image_scanner_set_config(im->zbar, 0, ZBAR_CFG_ENABLE, 0);
		zbar_image_scanner_set_config(im->zbar, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
		zbar_image_scanner_set_config(im->zbar, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
	}
	return im->zbar;
}

/* --- runs ---------------------------------------------------------------- */

static struct item *run_item(struct image_run *run, size_t bytes)
{
	if (run->n >= IMAGE_RUN_ITEMS || bytes > LIMIT_OCR_TEXT * 2 - run->bytes)
		return NULL;
	run->bytes += bytes;
	return &run->items[run->n++];
}

static char *copy(const char *s, size_t len)
{
	char *c = malloc(len + 1);
	if (c) {
		memcpy(c, s, len);
		c[len] = '\0';
	}
	return c;
}

void image_run_text(struct image_run *run, enum extract_source source, const char *text, size_t len)
{
	if (len > LIMIT_OCR_TEXT)
		len = LIMIT_OCR_TEXT;
	struct item *it = len ? run_item(run, len) : NULL;
	if (!it)
		return;
	*it = (struct item){.kind = ITEM_TEXT, .source = source, .data = copy(text, len), .len = len};
	if (!it->data)
		run->n--;
}

void image_run_finding(struct image_run *run, const char *rule, const char *label, const char *value, size_t len,
                       double confidence, enum extract_source source)
{
	struct item *it = len <= DETECT_VALUE_MAX ? run_item(run, len) : NULL;
	if (!it)
		return;
	*it = (struct item){.kind = ITEM_FINDING,
	                    .source = source,
	                    .rule = rule,
	                    .label = label,
	                    .data = copy(value, len),
	                    .len = len,
	                    .confidence = confidence};
	if (!it->data)
		run->n--;
}

void image_run_card(struct image_run *run, double confidence, enum extract_source source, const char *why)
{
	if (confidence > run->card) {
		run->card = confidence;
		run->card_source = source;
		run->card_why = why;
	}
}

void image_run_coverage(struct image_run *run, enum extract_coverage what, const char *detail)
{
	struct item *it = run_item(run, 0);
	if (it)
		*it = (struct item){.kind = ITEM_COVERAGE, .what = what, .detail = detail};
}

void image_run_blank(struct image_run *run, float x0, float y0, float x1, float y1)
{
	if (run->n_blank < IMAGE_BLANKS) {
		float *b = run->blank[run->n_blank++];
		b[0] = x0;
		b[1] = y0;
		b[2] = x1;
		b[3] = y1;
	}
}

/* Paint the blanked parts of gray white. */
static void run_paint_blanks(const struct image_run *run, struct Pix *gray)
{
	float w = (float)pixGetWidth(gray), h = (float)pixGetHeight(gray);

	for (size_t i = 0; i < run->n_blank; i++) {
		const float *b = run->blank[i];
		struct Box *box = boxCreate((int)(b[0] * w), (int)(b[1] * h), (int)((b[2] - b[0]) * w) + 1,
		                            (int)((b[3] - b[1]) * h) + 1);
		if (box)
			pixSetInRect(gray, box);
		boxDestroy(&box);
	}
}

int64_t image_run_ms_left(const struct image_run *run)
{
	int64_t left = run->deadline_ms - now_ms();
	return left > 0 ? left : 0;
}

bool image_run_has(const struct image_run *run, const char *rule, enum extract_source source)
{
	for (size_t i = 0; i < run->n; i++)
		if (run->items[i].kind == ITEM_FINDING && run->items[i].source == source &&
		    strcmp(run->items[i].rule, rule) == 0)
			return true;
	return run->card > 0 && run->card_source == source && strcmp(rule, CARD_RULE) == 0;
}

/* Tell the framework what the run holds, in order, and the card last. */
static void run_replay(struct extract *x, const char *member, const struct image_run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct item *it = &run->items[i];
		switch (it->kind) {
		case ITEM_TEXT:
			extract_text_begin_source(x, member, it->source);
			extract_text(x, it->data, it->len);
			extract_text_end(x);
			break;
		case ITEM_FINDING: {
			struct extract_finding f = {.rule = it->rule,
			                            .label = it->label,
			                            .value = it->data,
			                            .value_len = it->len,
			                            .confidence = it->confidence,
			                            .source = it->source};
			extract_finding(x, member, &f);
			break;
		}
		case ITEM_COVERAGE: extract_coverage(x, member, it->what, it->detail); break;
		}
	}
	if (run->card > 0) {
		/* The image's identity is its content: the same photo found twice
		 * (Downloads, a browser cache) has the same fingerprint. */
		char hex[2 * sizeof(run->hash) + 1];
		for (size_t i = 0; i < sizeof(run->hash); i++)
			snprintf(hex + 2 * i, 3, "%02x", run->hash[i]);
		struct extract_finding f = {.rule = CARD_RULE,
		                            .label = CARD_LABEL,
		                            .value = hex,
		                            .value_len = 2 * sizeof(run->hash),
		                            .shown = run->card_why,
		                            .confidence = run->card,
		                            .source = run->card_source};
		extract_finding(x, member, &f);
	}
}

/* --- decoding ------------------------------------------------------------ */

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* Skip GIF data sub-blocks from *pos; false when they run past the end. */
static bool gif_skip_blocks(const unsigned char *d, size_t len, size_t *pos)
{
	while (*pos < len) {
		size_t n = d[(*pos)++];
		if (n == 0)
			return true;
		if (n > len - *pos)
			return false;
		*pos += n;
	}
	return false;
}

/* A GIF's screen size and the pixels of all its frames (giflib decodes every
 * frame). Returns 0, or ERR_FORMAT. */
static int gif_size(const unsigned char *d, size_t len, int *ret_w, int *ret_h, uint64_t *ret_pixels)
{
	size_t pos = 13;
	unsigned frames = 0;

	*ret_pixels = 0;
	if (len < 13)
		return ERR_FORMAT;
	*ret_w = (int)le16(d + 6);
	*ret_h = (int)le16(d + 8);
	if (d[10] & 0x80)
		pos += 3u * (2u << (d[10] & 7));
	while (pos < len && frames < IMAGE_GIF_FRAMES) {
		unsigned char b = d[pos++];
		if (b == 0x3b)
			break;
		if (b == 0x21) {
			if (pos >= len)
				return ERR_FORMAT;
			pos++;
		} else if (b == 0x2c) {
			if (len - pos < 10)
				return ERR_FORMAT;
			*ret_pixels += (uint64_t)le16(d + pos + 4) * le16(d + pos + 6);
			if (d[pos + 8] & 0x80)
				pos += 3u * (2u << (d[pos + 8] & 7));
			pos += 10;
			frames++;
		} else {
			break;
		}
		if (!gif_skip_blocks(d, len, &pos))
			break; /* a truncated GIF: giflib reads what there is */
	}
	if (frames >= IMAGE_GIF_FRAMES)
		*ret_pixels = UINT64_MAX;
	return frames ? 0 : ERR_FORMAT;
}

/* A PNG's size from its IHDR chunk, which must come first and be whole.
 * Returns 0, or ERR_FORMAT. */
static int png_size(const unsigned char *d, size_t len, int *ret_w, int *ret_h)
{
	uint32_t w, h;

	if (len < 33 || memcmp(d + 8, "\0\0\0\x0dIHDR", 8) != 0)
		return ERR_FORMAT;
	/* A broken IHDR is told here, not by libpng on stderr. */
	if (crc32(0, d + 12, 17) != ((uint32_t)d[29] << 24 | (uint32_t)d[30] << 16 | (uint32_t)d[31] << 8 | d[32]))
		return ERR_FORMAT;
	w = (uint32_t)d[16] << 24 | (uint32_t)d[17] << 16 | (uint32_t)d[18] << 8 | d[19];
	h = (uint32_t)d[20] << 24 | (uint32_t)d[21] << 16 | (uint32_t)d[22] << 8 | d[23];
	if (w == 0 || h == 0 || w > INT32_MAX || h > INT32_MAX)
		return ERR_FORMAT;
	*ret_w = (int)w;
	*ret_h = (int)h;
	return 0;
}

/* An 8-bit gray Pix of the primary image of a HEIF/AVIF file, or NULL after
 * telling run why. */
static struct Pix *heif_gray(struct extract *x, struct image_run *run, const unsigned char *data, size_t len)
{
	struct heif_context *ctx = heif_context_alloc();
	struct heif_image_handle *handle = NULL;
	struct heif_image *img = NULL;
	struct Pix *pix = NULL;
	const uint8_t *plane;
	int w, h, stride;

	if (!ctx)
		return NULL;
	/* No decoding threads: the sandboxed worker may not start any, and one
	 * card photo decodes fast enough on the calling thread. */
	heif_context_set_max_decoding_threads(ctx, 0);
	if (heif_context_read_from_memory_without_copy(ctx, data, len, NULL).code != heif_error_Ok ||
	    heif_context_get_primary_image_handle(ctx, &handle).code != heif_error_Ok) {
		image_run_coverage(run, EXTRACT_COVERAGE_CORRUPT, "HEIF image cannot be read");
		goto out;
	}
	w = heif_image_handle_get_width(handle);
	h = heif_image_handle_get_height(handle);
	if (w <= 0 || h <= 0 || (uint64_t)w * (uint64_t)h > LIMIT_IMAGE_PIXELS) {
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, "image larger than the pixel budget, not decoded");
		goto out;
	}
	if (!run->bench && extract_check(x, (size_t)w * (size_t)h) < 0) {
		run->no_cache = true;
		goto out;
	}
	/* As 8-bit RGB: libheif converts any chroma and depth to it. */
	if (heif_decode_image(handle, &img, heif_colorspace_RGB, heif_chroma_interleaved_RGB, NULL).code !=
	    heif_error_Ok) {
		image_run_coverage(run, EXTRACT_COVERAGE_UNSUPPORTED, "HEIF image cannot be decoded here");
		goto out;
	}
	plane = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
	w = heif_image_get_width(img, heif_channel_interleaved);
	h = heif_image_get_height(img, heif_channel_interleaved);
	if (!plane || w <= 0 || h <= 0 || stride < 3 * w || (uint64_t)w * (uint64_t)h > LIMIT_IMAGE_PIXELS)
		goto out;
	pix = pixCreate(w, h, 8);
	if (!pix)
		goto out;
	for (int y = 0; y < h; y++) {
		l_uint32 *line = pixGetData(pix) + (size_t)y * (size_t)pixGetWpl(pix);
		const uint8_t *src = plane + (size_t)y * (size_t)stride;
		for (int i = 0; i < w; i++)
			SET_DATA_BYTE(line, i, (src[3 * i] * 77 + src[3 * i + 1] * 150 + src[3 * i + 2] * 29) >> 8);
	}
out:
	heif_image_release(img);
	heif_image_handle_release(handle);
	heif_context_free(ctx);
	return pix;
}

/* libjpeg's errors end the decoding by a jump; its messages (a truncated
 * file's "Premature end of JPEG file") are counted, never printed. */
struct jpeg_quiet {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
	int warnings;
};

static void jpeg_quiet_exit(j_common_ptr c)
{
	longjmp(((struct jpeg_quiet *)(void *)c->err)->jump, 1);
}

static void jpeg_quiet_emit(j_common_ptr c, int level)
{
	if (level < 0)
		((struct jpeg_quiet *)(void *)c->err)->warnings++;
}

static void jpeg_quiet_output(j_common_ptr c)
{
	(void)c;
}

static void pix_drop(struct Pix *volatile *pix)
{
	struct Pix *p = *pix;
	pixDestroy(&p);
	*pix = NULL;
}

/* A JPEG as 8-bit gray (libjpeg's luminance), scaled down by 2, 4 or 8
 * while decoding when it has more pixels than the budget. NULL, the reason
 * told to run, when it is not decoded; a damaged one is read as far as it
 * goes and told. */
static struct Pix *jpeg_gray(struct extract *x, struct image_run *run, const unsigned char *data, size_t len)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_quiet err;
	struct Pix *volatile pix = NULL;
	unsigned char *volatile row = NULL;
	volatile bool started = false;
	volatile unsigned reduction = 1;
	uint64_t pixels;

	cinfo.err = jpeg_std_error(&err.mgr);
	err.mgr.error_exit = jpeg_quiet_exit;
	err.mgr.emit_message = jpeg_quiet_emit;
	err.mgr.output_message = jpeg_quiet_output;
	err.warnings = 0;
	jpeg_create_decompress(&cinfo);
	if (setjmp(err.jump)) {
		/* Rows read before the error are kept: part of a card is still
		 * worth reading. */
		image_run_coverage(run, EXTRACT_COVERAGE_CORRUPT,
		                   started ? "damaged JPEG: read as far as it goes" : "JPEG header cannot be read");
		if (!started)
			pix_drop(&pix);
		goto out;
	}
	jpeg_mem_src(&cinfo, data, (unsigned long)len);
	jpeg_read_header(&cinfo, TRUE);
	pixels = (uint64_t)cinfo.image_width * cinfo.image_height;
	while (pixels / ((uint64_t)reduction * reduction) > LIMIT_IMAGE_PIXELS && reduction < 8)
		reduction *= 2;
	if (pixels / ((uint64_t)reduction * reduction) > LIMIT_IMAGE_PIXELS) {
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, "image larger than the pixel budget, not decoded");
		goto out;
	}
	if (cinfo.image_width < LIMIT_IMAGE_MIN_SIDE || cinfo.image_height < LIMIT_IMAGE_MIN_SIDE)
		goto out; /* an icon */
	if (!run->bench && extract_check(x, (size_t)(pixels / ((uint64_t)reduction * reduction))) < 0) {
		run->no_cache = true;
		goto out;
	}
	if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
		image_run_coverage(run, EXTRACT_COVERAGE_UNSUPPORTED, "CMYK JPEG not read here");
		goto out;
	}
	cinfo.out_color_space = JCS_GRAYSCALE;
	cinfo.scale_num = 1;
	cinfo.scale_denom = reduction;
	jpeg_start_decompress(&cinfo);
	pix = pixCreate((int)cinfo.output_width, (int)cinfo.output_height, 8);
	row = malloc(cinfo.output_width);
	if (!pix || !row) {
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, "not enough memory to decode the image");
		pix_drop(&pix);
		goto out;
	}
	started = true;
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW rows[1] = {row};
		l_uint32 *line = pixGetData(pix) + (size_t)cinfo.output_scanline * (size_t)pixGetWpl(pix);
		if (jpeg_read_scanlines(&cinfo, rows, 1) != 1)
			break;
		for (unsigned i = 0; i < cinfo.output_width; i++)
			SET_DATA_BYTE(line, i, row[i]);
	}
	jpeg_finish_decompress(&cinfo);
	if (err.warnings > 0)
		image_run_coverage(run, EXTRACT_COVERAGE_CORRUPT, "damaged JPEG: read as far as it goes");
out:
	jpeg_destroy_decompress(&cinfo);
	if (row) {
		explicit_bzero(row, cinfo.output_width);
		free(row);
	}
	return pix;
}

/* The decoded image as 8-bit gray, or NULL (too small, or the reason told
 * to run). The header's size is checked before anything is decoded. */
static struct Pix *decode_gray(struct extract *x, struct image_run *run, const unsigned char *data, size_t len,
                               const char *type)
{
	struct Pix *pix = NULL, *gray = NULL;
	int format, w = 0, h = 0, bps, spp, cmap;
	uint64_t pixels = 0;

	if (strcmp(type, "heif") == 0)
		return heif_gray(x, run, data, len);
	if (strcmp(type, "jpeg") == 0)
		return jpeg_gray(x, run, data, len);
	if (strcmp(type, "gif") == 0   ? gif_size(data, len, &w, &h, &pixels) < 0
	    : strcmp(type, "png") == 0 ? png_size(data, len, &w, &h) < 0
	                               : pixReadHeaderMem(data, len, &format, &w, &h, &bps, &spp, &cmap) != 0) {
		image_run_coverage(run, EXTRACT_COVERAGE_CORRUPT, "image header cannot be read");
		return NULL;
	}
	if (w <= 0 || h <= 0) {
		image_run_coverage(run, EXTRACT_COVERAGE_CORRUPT, "image header gives no size");
		return NULL;
	}
	if (strcmp(type, "gif") != 0)
		pixels = (uint64_t)w * (uint64_t)h;
	if (pixels > LIMIT_IMAGE_PIXELS) {
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, "image larger than the pixel budget, not decoded");
		return NULL;
	}
	if ((unsigned)w < LIMIT_IMAGE_MIN_SIDE || (unsigned)h < LIMIT_IMAGE_MIN_SIDE)
		return NULL; /* an icon */
	if (!run->bench && extract_check(x, (size_t)pixels) < 0) {
		run->no_cache = true;
		return NULL;
	}
	if (strcmp(type, "png") == 0)
		return image_png_gray(run, data, len, w, h);
	pix = pixReadMem(data, len);
	if (!pix) {
		image_run_coverage(run, EXTRACT_COVERAGE_CORRUPT, "image cannot be decoded");
		return NULL;
	}
	if (pixGetSpp(pix) == 4) {
		/* Transparent parts are read as white paper, not black. */
		struct Pix *flat = pixAlphaBlendUniform(pix, 0xffffff00);
		if (flat) {
			pixDestroy(&pix);
			pix = flat;
		}
	}
	gray = pixConvertTo8(pix, 0);
	pixDestroy(&pix);
	if (!gray)
		image_run_coverage(run, EXTRACT_COVERAGE_UNSUPPORTED, "image of a pixel format not read here");
	return gray;
}

/* gray scaled so that its longer side is at most max (and, when min > 0, its
 * width at least min, enlarged at most twice): a new Pix. */
static struct Pix *scaled(struct Pix *gray, int min, int max)
{
	int w = pixGetWidth(gray), h = pixGetHeight(gray), side = w > h ? w : h;
	float f = 1.0f;

	if (side > max)
		f = (float)max / (float)side;
	else if (min > 0 && w < min)
		f = (float)min / (float)w > 2.0f ? 2.0f : (float)min / (float)w;
	if (f > 0.98f && f < 1.02f)
		return pixClone(gray);
	return f < 1.0f ? pixScaleAreaMap(gray, f, f) : pixScaleGrayLI(gray, f, f);
}

/* gray turned upright when its text lines lean (a photo taken at an angle,
 * a crooked scan): leptonica's skew search, up to 7 degrees either way. A
 * weaker confidence than pixDeskew's is taken, since a card holds few lines. */
static struct Pix *deskewed(struct Pix *gray)
{
	struct Pix *bin = pixConvertTo1(gray, 160), *turned = NULL;
	float angle = 0, conf = 0;

	if (bin && pixFindSkew(bin, &angle, &conf) == 0 && conf >= IMAGE_SKEW_CONF && (angle >= 0.3f || angle <= -0.3f))
		turned = pixRotate(gray, angle * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
	pixDestroy(&bin);
	return turned ? turned : pixClone(gray);
}

/* Read straight turned t quarters with one part (IMAGE_PART_MRZ: returns
 * whether a zone was read; IMAGE_PART_OCR: *text gets what OCR made of it),
 * within the image's time. */
static bool read_turned(struct image *im, struct image_run *run, struct Pix *straight, int t, unsigned part,
                        enum image_ocr *text)
{
	struct Pix *turned;
	bool read = false;

	if (image_run_ms_left(run) <= 0)
		return false;
	turned = t ? pixRotateOrth(straight, t) : pixClone(straight);
	if (!turned)
		return false;
	if (part == IMAGE_PART_MRZ)
		read = image_mrz_read(im, run, turned);
	else
		*text = image_ocr_read(im, run, turned);
	pixDestroy(&turned);
	return read;
}

/* QR codes on the image as decoded; the zone and the text at the working
 * resolution, deskewed, and in the other right-angle rotations when the
 * upright image gave marks but nothing legible. parts: IMAGE_PART_*. */
static void read_image(struct image *im, struct image_run *run, struct Pix *gray, unsigned parts)
{
	struct Pix *work = NULL, *straight = NULL;
	enum image_ocr text;
	bool mrz = false;
	int turn = 0;

	if (parts & IMAGE_PART_QR) {
		struct Pix *qr = scaled(gray, 0, IMAGE_QR_MAX);
		if (qr)
			image_qr_read(im, run, qr);
		pixDestroy(&qr);
	}
	if ((unsigned)pixGetWidth(gray) < LIMIT_OCR_MIN_SIDE || (unsigned)pixGetHeight(gray) < LIMIT_OCR_MIN_SIDE ||
	    !(parts & (IMAGE_PART_MRZ | IMAGE_PART_OCR)))
		return;
	work = scaled(gray, IMAGE_WORK_MIN, IMAGE_WORK_MAX);
	if (!work)
		return;
	if (run->n_blank) {
		/* A copy: scaled() may have given gray itself. */
		struct Pix *own = pixCopy(NULL, work);
		pixDestroy(&work);
		if (!own)
			return;
		work = own;
		run_paint_blanks(run, work);
	}
	straight = deskewed(work);
	pixDestroy(&work);
	if (!straight)
		return;
	/* The zone tells which way up a card is. Quarter turns first: where an
	 * image has no long lines its band search is cheap. */
	for (int t = 0; t < 4 && (parts & IMAGE_PART_MRZ) && !mrz; t += t ? 2 : 1)
		if (read_turned(im, run, straight, t, IMAGE_PART_MRZ, &text)) {
			mrz = true;
			turn = t;
		}
	text = IMAGE_OCR_GARBLED;
	if (parts & IMAGE_PART_OCR)
		read_turned(im, run, straight, turn, IMAGE_PART_OCR, &text);
	/* Upside down: only when the upright text was not legible. */
	if (!mrz && (parts & IMAGE_PART_MRZ) && text != IMAGE_OCR_TEXT &&
	    read_turned(im, run, straight, 2, IMAGE_PART_MRZ, &text)) {
		mrz = true;
		if (parts & IMAGE_PART_OCR)
			read_turned(im, run, straight, 2, IMAGE_PART_OCR, &text);
	}
	/* Marks but nothing legible, and no zone: the other ways up. */
	for (int t = 1; t < 4 && !mrz && (parts & IMAGE_PART_OCR) && text == IMAGE_OCR_GARBLED && run->card == 0; t++)
		read_turned(im, run, straight, t, IMAGE_PART_OCR, &text);
	pixDestroy(&straight);
}

/* The parts an extraction reads. */
static unsigned parts_of(struct extract *x)
{
	return IMAGE_PART_QR | IMAGE_PART_MRZ | (extract_ocr_enabled(x) ? IMAGE_PART_OCR : 0u);
}

/* The cached run of content hash (read with OCR on or off), or NULL. */
static const struct image_run *run_cached(const struct image *im, const unsigned char hash[16], bool ocr)
{
	for (size_t i = 0; i < LIMIT_IMAGE_CACHE; i++)
		if (im->cache[i] && im->cache[i]->ocr == ocr && memcmp(im->cache[i]->hash, hash, 16) == 0)
			return im->cache[i];
	return NULL;
}

/* A new run for content hash, with the image's time budget; NULL (and the
 * outcome told) without memory. */
static struct image_run *run_new(struct extract *x, const char *member, const unsigned char hash[16]);

/* The run for an image of content hash: NULL when the cache had it (told
 * again) or there is no memory (told); else a new one to fill. */
static struct image_run *run_start(struct extract *x, struct image *im, const char *member,
                                   const unsigned char hash[16])
{
	const struct image_run *cached = run_cached(im, hash, extract_ocr_enabled(x));

	if (cached) {
		run_replay(x, member, cached);
		return NULL;
	}
	return run_new(x, member, hash);
}

static struct image_run *run_new(struct extract *x, const char *member, const unsigned char hash[16])
{
	struct image_run *run = calloc(1, sizeof(*run));
	int64_t budget = extract_ms_left(x);

	if (!run) {
		extract_coverage(x, member, EXTRACT_COVERAGE_LIMIT, "not enough memory to read the image");
		return NULL;
	}
	memcpy(run->hash, hash, sizeof(run->hash));
	run->ocr = extract_ocr_enabled(x);
	run->deadline_ms = now_ms() + (budget < LIMIT_OCR_MS ? budget : LIMIT_OCR_MS);
	return run;
}

/* Tell the framework what run found and keep it (unless the file's budget
 * cut it short). */
static int run_finish(struct extract *x, struct image *im, const char *member, struct image_run *run)
{
	run_replay(x, member, run);
	if (run->no_cache || extract_ms_left(x) == 0) {
		run_free(run);
	} else {
		run_free(im->cache[im->next]);
		im->cache[im->next] = run;
		im->next = (im->next + 1) % LIMIT_IMAGE_CACHE;
	}
	return extract_check(x, 0);
}

int extract_image_prepare(struct extract *x)
{
	struct image *im = image_state(x);

	if (!im)
		return ERR_NOMEM;
	if (!image_zbar(im) || !image_tesseract(im, true) || (extract_ocr_enabled(x) && !image_tesseract(im, false)))
		return ERR_UNSUPPORTED;
	return 0;
}

int extract_image(struct extract *x, const unsigned char *data, size_t len)
{
	struct image *im = image_state(x);
	struct image_run *run;
	struct Pix *gray;
	unsigned char hash[16];
	const char *type = image_type(data, len);

	if (!im || !type) {
		extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT, "not enough memory to read the image");
		return 0;
	}
	crypto_generichash(hash, sizeof(hash), data, len, NULL, 0);
	run = run_start(x, im, NULL, hash);
	if (!run)
		return 0;
	gray = decode_gray(x, run, data, len, type);
	if (gray)
		read_image(im, run, gray, parts_of(x));
	pixDestroy(&gray);
	return run_finish(x, im, NULL, run);
}

/* 8-bit gray of cairo pixels (premultiplied alpha: a transparent part is
 * read as white paper). */
static struct Pix *gray_of_pixels(const uint32_t *pixels, int w, int h, size_t stride)
{
	struct Pix *gray = pixCreate(w, h, 8);

	for (int y = 0; gray && y < h; y++) {
		const uint32_t *src =
		        (const uint32_t *)(const void *)((const unsigned char *)pixels + (size_t)y * stride);
		l_uint32 *line = pixGetData(gray) + (size_t)y * (size_t)pixGetWpl(gray);
		for (int i = 0; i < w; i++) {
			uint32_t p = src[i], a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
			uint32_t v = (r * 77 + g * 150 + b * 29) >> 8;
			SET_DATA_BYTE(line, i, v + (255 - a) > 255 ? 255 : v + (255 - a));
		}
	}
	return gray;
}

int extract_image_pixels(struct extract *x, const char *member, const uint32_t *pixels, int w, int h, size_t stride)
{
	struct image *im = image_state(x);
	struct image_run *run;
	struct Pix *gray = NULL;
	crypto_generichash_state st;
	unsigned char hash[16];

	if (!im || !pixels || w <= 0 || h <= 0 || stride < (size_t)w * 4)
		return 0;
	if ((unsigned)w < LIMIT_IMAGE_MIN_SIDE || (unsigned)h < LIMIT_IMAGE_MIN_SIDE)
		return 0;
	crypto_generichash_init(&st, NULL, 0, sizeof(hash));
	for (int y = 0; y < h; y++)
		crypto_generichash_update(&st, (const unsigned char *)pixels + (size_t)y * stride, (size_t)w * 4);
	crypto_generichash_final(&st, hash, sizeof(hash));
	run = run_start(x, im, member, hash);
	if (!run)
		return 0;
	if ((uint64_t)w * (uint64_t)h > LIMIT_IMAGE_PIXELS)
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, "image larger than the pixel budget, not read");
	else if (extract_check(x, (size_t)w * (size_t)h) < 0)
		run->no_cache = true;
	else
		gray = gray_of_pixels(pixels, w, h, stride);
	if (gray)
		read_image(im, run, gray, parts_of(x));
	pixDestroy(&gray);
	return run_finish(x, im, member, run);
}

int image_read_parts(struct extract *x, const unsigned char *data, size_t len, unsigned parts)
{
	struct image *im = image_state(x);
	const char *type = image_type(data, len);
	struct image_run *run = im && type ? calloc(1, sizeof(*run)) : NULL;
	struct Pix *gray = NULL;
	int n = -1;

	if (!run)
		return -1;
	run->deadline_ms = now_ms() + LIMIT_OCR_MS;
	run->bench = true;
	gray = decode_gray(x, run, data, len, type);
	if (gray) {
		read_image(im, run, gray, parts);
		n = (int)run->n + (run->card > 0);
	}
	pixDestroy(&gray);
	run_free(run);
	return n;
}
