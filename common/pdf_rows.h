/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A PDF page's text laid out again by where its characters are on the page:
 * characters on one baseline become one line, left to right, with a tab
 * where a wide gap separates them (a table's columns) and a space where a
 * narrow one does. A PDF made from a form with a table otherwise gives each
 * cell on a line of its own, and a number loses the column header above it.
 * Used by extract_pdf.c; it only reads the text and the boxes it is given.
 */
#ifndef PIIGUARD_PDF_ROWS_H
#define PIIGUARD_PDF_ROWS_H

#include <stddef.h>

/* A character's box on the page, y growing downwards (poppler's layout). */
struct pdf_box {
	double x1, y1, x2, y2;
};

/* Characters of one page laid out: more is a crafted page, and its text is
 * kept in poppler's order. */
#define PDF_ROWS_MAX_CHARS (1u << 20)

/*
 * Lay out text[0..len) (UTF-8), whose nth character has the box boxes[n]
 * (n_boxes of them, one per character, as poppler_page_get_text_layout()
 * gives them for poppler_page_get_text()). Returns a malloc'ed UTF-8 text of
 * *ret_len bytes (the caller wipes and frees it), or NULL when the boxes do
 * not match the text, there are too many or memory is short: the caller then
 * uses the text as it is.
 */
char *pdf_rows(const char *text, size_t len, const struct pdf_box *boxes, size_t n_boxes, size_t *ret_len);

#endif
