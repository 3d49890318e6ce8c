/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OCR of an image (tesseract, Vietnamese and English): the text goes to the
 * rules as a run of source "ocr", and the words printed on ID cards ("CĂN
 * CƯỚC CÔNG DÂN", "居民身份证", "IDENTITY CARD", ...) make the image an ID
 * card with a confidence that grows with each further word. Recognition stops
 * at the image's deadline (tesseract's monitor), and the cut is reported.
 * Called by extract_image.c only.
 */
#include <stdlib.h>
#include <string.h>

#include <allheaders.h>
#include <tesseract/capi.h>

#include "image.h"
#include "limits.h"
#include "text.h"

/* Text with fewer letters and digits than this, or a lower mean confidence,
 * counts as nothing read (the image may be turned). */
#define OCR_MIN_CHARS 16
#define OCR_MIN_CONF  55

/* Words of ID cards, folded as text_fold() folds (no diacritics, lower
 * case). A title says "card" by itself (weight > 0); the English halves of
 * a Vietnamese card's bilingual field labels (weight 0) confirm it, 0.1
 * each: a Vietnamese form about căn cước registration has the title words
 * and Vietnamese labels, not "Place of origin", and stays below 0.5. */
static const struct {
	const char *word;
	double weight;
} card_words[] = {
        {"can cuoc cong dan", 0.5},
        {"chung minh nhan dan", 0.5},
        {"citizen identity card", 0.5},
        {"居民身份证", 0.5},
        {"公民身份号码", 0.5},
        {"کارت هوشمند ملی", 0.5},
        {"the can cuoc", 0.4},
        {"can cuoc", 0.4},
        {"identity card", 0.4},
        {"dac diem nhan dang", 0.4},
        {"full name", 0},
        {"date of birth", 0},
        {"place of origin", 0},
        {"place of residence", 0},
        {"date of expiry", 0},
        {"nationality", 0},
        {"personal identification", 0},
};

/* Drop the spaces of s[0..n) in place: OCR puts spaces between Chinese
 * characters ("居民 身份 证") and drops some between words. Returns the
 * new length. */
static size_t squeeze(char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ')
			s[k++] = s[i];
	s[k] = '\0';
	return k;
}

/* The card confidence of folded text without spaces: the strongest title,
 * 0.05 for each other title word and 0.1 for each label, at most 0.95; 0
 * without a title. */
static double card_score(const char *folded)
{
	double best = 0, more = 0;

	for (size_t i = 0; i < sizeof(card_words) / sizeof(card_words[0]); i++) {
		char word[64];
		size_t n = text_fold(card_words[i].word, strlen(card_words[i].word), word);
		n = squeeze(word, n);
		double w = card_words[i].weight;
		if (!memmem(folded, strlen(folded), word, n))
			continue;
		if (w == 0) {
			more += 0.1;
		} else if (w > best) {
			more += best > 0 ? 0.05 : 0;
			best = w;
		} else {
			more += 0.05;
		}
	}
	if (best == 0)
		return 0;
	return best + more > 0.95 ? 0.95 : best + more;
}

enum image_ocr image_ocr_read(struct image *im, struct image_run *run, struct Pix *gray)
{
	struct TessBaseAPI *api;
	char *text = NULL, *folded = NULL;
	size_t len, chars = 0;
	enum image_ocr read;
	int conf;

	api = image_tesseract(im, false);
	if (!api) {
		image_run_coverage(run, EXTRACT_COVERAGE_UNSUPPORTED,
		                   "no OCR engine (tesseract data of the OCR languages)");
		return IMAGE_OCR_BLANK;
	}
	text = image_recognize(api, run, gray, &conf);
	if (!text)
		return IMAGE_OCR_BLANK;
	len = strlen(text);
	if (len > LIMIT_OCR_TEXT)
		len = LIMIT_OCR_TEXT;
	for (size_t i = 0; i < len; i++)
		chars += (text[i] >= '0' && text[i] <= '9') || ((text[i] | 0x20) >= 'a' && (text[i] | 0x20) <= 'z') ||
		         (unsigned char)text[i] >= 0xc0;
	read = chars >= OCR_MIN_CHARS && conf >= OCR_MIN_CONF ? IMAGE_OCR_TEXT
	       : chars > 0                                    ? IMAGE_OCR_GARBLED
	                                                      : IMAGE_OCR_BLANK;
	if (read == IMAGE_OCR_TEXT) {
		image_run_text(run, EXTRACT_SOURCE_OCR, text, len);
		folded = malloc(len + 1);
		if (folded) {
			size_t n = text_fold(text, len, folded);
			squeeze(folded, n);
			double score = card_score(folded);
			if (score > 0)
				image_run_card(run, score, EXTRACT_SOURCE_OCR, "words of an ID card");
			explicit_bzero(folded, len + 1);
			free(folded);
		}
	}
	image_text_free(text);
	return read;
}
