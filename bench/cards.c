/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CPU milliseconds per card image for each part of the image reader, on one
 * thread: decoding alone, QR codes, the machine-readable zone, and full OCR
 * (QR, zone and text, as `piiguard scan` reads an image). Engines are warmed
 * up first, so tesseract's start is not counted. Called by bench/cards.sh.
 * Usage: cards ROUNDS IMAGE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract.h"
#include "image.h"

static double ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)n);
		if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned parts;
	} passes[] = {
	        {"decode", 0},
	        {"qr", IMAGE_PART_QR},
	        {"mrz", IMAGE_PART_MRZ},
	        {"full-ocr", IMAGE_PART_QR | IMAGE_PART_MRZ | IMAGE_PART_OCR},
	};
	struct extract *x;
	int rounds = argc > 1 ? atoi(argv[1]) : 0;

	if (rounds < 1 || argc < 3 || extract_new(&x) < 0) {
		fprintf(stderr, "usage: cards ROUNDS IMAGE...\n");
		return 2;
	}
	double start = ms_now();
	if (extract_image_prepare(x) < 0) {
		fprintf(stderr, "cards: no OCR engine (tesseract data for vie+eng)\n");
		return 2;
	}
	printf("engines started in %.0f CPU ms (once per scanning thread)\n", ms_now() - start);
	printf("%-22s %10s %10s %10s %10s   (CPU ms per image, one thread, %d rounds)\n", "image", "decode", "qr",
	       "mrz", "full-ocr", rounds);
	for (int i = 2; i < argc; i++) {
		size_t len = 0;
		unsigned char *data = slurp(argv[i], &len);
		const char *base = strrchr(argv[i], '/');
		double ms[4];

		if (!data) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			continue;
		}
		image_read_parts(x, data, len, IMAGE_PART_QR | IMAGE_PART_MRZ | IMAGE_PART_OCR); /* warm up */
		for (size_t p = 0; p < sizeof(passes) / sizeof(passes[0]); p++) {
			double t0 = ms_now();
			for (int r = 0; r < rounds; r++)
				image_read_parts(x, data, len, passes[p].parts);
			ms[p] = (ms_now() - t0) / rounds;
		}
		printf("%-22s %10.1f %10.1f %10.1f %10.1f\n", base ? base + 1 : argv[i], ms[0], ms[1], ms[2], ms[3]);
		free(data);
	}
	extract_free(x);
	return 0;
}
