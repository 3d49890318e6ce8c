/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PNG decoding for the image reader (extract_image.c), with libpng directly:
 * from memory, its errors and warnings counted rather than printed on the
 * kiosk's stderr, its allocations bounded, and a file cut short read as far
 * as it goes. Built without -Icommon (see the Makefile): libpng's headers
 * need the system <limits.h>, which common/limits.h would hide.
 */
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include <allheaders.h>

#include "image.h"

/* What a PNG's ancillary chunk (text, ICC profile) may allocate in libpng:
 * without a cap it allocates what a crafted tEXt claims (2 GiB) before it
 * finds the file short. */
#define PNG_CHUNK_MAX (1u << 20)

static void png_pix_drop(struct Pix *volatile *pix)
{
	struct Pix *p = *pix;
	pixDestroy(&p);
	*pix = NULL;
}

/* libpng reads from memory through this, and its errors jump back; its
 * messages are counted, never printed. */
struct png_source {
	const unsigned char *data;
	size_t len, pos;
	int warnings;
};

static void png_quiet_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_quiet_warning(png_structp png, png_const_charp msg)
{
	struct png_source *src = png_get_error_ptr(png);
	(void)msg;
	src->warnings++;
}

static void png_source_read(png_structp png, png_bytep out, size_t n)
{
	struct png_source *src = png_get_io_ptr(png);

	if (n > src->len - src->pos)
		png_error(png, "truncated");
	memcpy(out, src->data + src->pos, n);
	src->pos += n;
}

/* Read as 8-bit RGBA rows, then gray over white paper. libpng's own limits
 * are the size png_size() checked. */
struct Pix *image_png_gray(struct image_run *run, const unsigned char *data, size_t len, int w, int h)
{
	struct png_source src = {.data = data, .len = len};
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_quiet_error, png_quiet_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	struct Pix *volatile pix = NULL;
	unsigned char *volatile rgba = NULL;
	png_bytep *volatile rows = NULL;
	size_t stride = (size_t)w * 4;

	if (!png || !info) {
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, "not enough memory to decode the image");
		goto out;
	}
	rgba = calloc((size_t)h, stride);
	rows = malloc((size_t)h * sizeof(*rows));
	pix = pixCreate(w, h, 8);
	if (!rgba || !rows || !pix) {
		image_run_coverage(run, EXTRACT_COVERAGE_LIMIT, "not enough memory to decode the image");
		png_pix_drop(&pix);
		goto out;
	}
	for (int y = 0; y < h; y++)
		rows[y] = rgba + (size_t)y * stride;
	if (setjmp(png_jmpbuf(png))) {
		/* Rows not reached stay transparent, that is white. */
		image_run_coverage(run, EXTRACT_COVERAGE_CORRUPT, "damaged PNG: read as far as it goes");
		goto gray;
	}
	png_set_user_limits(png, (png_uint_32)w, (png_uint_32)h);
	png_set_chunk_malloc_max(png, PNG_CHUNK_MAX);
	png_set_read_fn(png, &src, png_source_read);
	png_read_info(png, info);
	if (png_get_image_width(png, info) != (png_uint_32)w || png_get_image_height(png, info) != (png_uint_32)h)
		png_error(png, "size changed");
	/* Any PNG to 8-bit RGBA. */
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_gray_to_rgb(png);
	png_set_filler(png, 0xff, PNG_FILLER_AFTER);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != stride)
		png_error(png, "unexpected row size");
	png_read_image(png, rows);
	png_read_end(png, NULL);
	if (src.warnings > 0)
		image_run_coverage(run, EXTRACT_COVERAGE_CORRUPT, "damaged PNG: read as far as it goes");
gray:
	for (int y = 0; y < h; y++) {
		const unsigned char *p = rgba + (size_t)y * stride;
		l_uint32 *line = pixGetData(pix) + (size_t)y * (size_t)pixGetWpl(pix);
		for (int i = 0; i < w; i++, p += 4) {
			unsigned v = (p[0] * 77u + p[1] * 150u + p[2] * 29u) >> 8;
			SET_DATA_BYTE(line, i, (v * p[3] + 255u * (255u - p[3])) / 255u);
		}
	}
out:
	png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
	free(rows);
	if (rgba) {
		explicit_bzero(rgba, (size_t)h * stride);
		free(rgba);
	}
	return pix;
}
