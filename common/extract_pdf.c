/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PDF with poppler-glib: the document information (title, author, subject,
 * keywords) as a run "metadata", the text layer of each page as a run
 * "page N", and each embedded file handed back to the framework as the nested
 * object "attachment NAME". Called by extract.c only, on bytes in memory: it
 * never asks for a password, never renders and never writes. A page's images
 * (scanned forms, photographed cards) go to the image reader.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <poppler.h>

#include "error.h"
#include "extract.h"
#include "limits.h"
#include "pdf_rows.h"

/* Pages read from one document: a one-stop-shop dossier runs to tens of
 * pages, a thick register to a few hundred; past this the file is an archive
 * of forms or crafted to keep the worker busy, and the rest is reported. */
/* Whether embedded files are read: off until PDFs are parsed in sandboxed
 * workers (see extract_pdf()). */
#define EXTRACT_PDF_READ_ATTACHMENTS 0

#define EXTRACT_PDF_PAGES_MAX 2000

/* Images read from one document: a scanned dossier has one a page. */
#define EXTRACT_PDF_IMAGES_MAX 200

/* Embedded files opened from one document: a form carries a handful of
 * supporting scans; LIMIT_MEMBERS still bounds what they hold in turn. */
#define EXTRACT_PDF_ATTACHMENTS_MAX 256

/* Bytes of an embedded file's name kept in its member name. */
#define EXTRACT_PDF_NAME_MAX 200

/* Text is given to the framework in pieces of at most this many bytes. */
#define EXTRACT_PDF_PIECE (64u * 1024u)

/* An embedded file being expanded is counted against the budgets every
 * this many bytes: a compression bomb stops early, not at 64 MiB. */
#define EXTRACT_PDF_CHECK_BYTES (64u * 1024u)

static pthread_once_t extract_pdf_once = PTHREAD_ONCE_INIT;

static void extract_pdf_log_drop(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	(void)domain;
	(void)level;
	(void)message;
	(void)data;
}

/*
 * poppler-glib has no error callback of its own to set, but it routes
 * poppler's syntax and I/O errors ("Syntax error at position ...") to g_log(),
 * domain "Poppler", level INFO, which GLib's default handler prints on stdout
 * as soon as G_MESSAGES_DEBUG is set; its g_warning()s (stderr) use the same
 * domain. Both are dropped here: they can echo bytes of a hostile file, and
 * a broken PDF ends with a coverage outcome instead. Criticals (a misuse of
 * the API) stay visible. The handler is process-wide, installed once.
 */
static void extract_pdf_quiet(void)
{
	g_log_set_handler("Poppler", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
	                  extract_pdf_log_drop, NULL);
}

/* Wipe and free a string poppler allocated. */
static void extract_pdf_gfree(char *s, size_t len)
{
	if (!s)
		return;
	explicit_bzero(s, len);
	g_free(s);
}

/* Give text[0..len) to the current run in pieces that end on a character;
 * bytes that are not UTF-8 (a broken ToUnicode map) become U+FFFD. */
static void extract_pdf_give(struct extract *x, const char *text, size_t len)
{
	char *valid = NULL;
	size_t valid_len = 0;

	if (len == 0)
		return;
	if (!g_utf8_validate_len(text, len, NULL)) {
		valid = g_utf8_make_valid(text, (gssize)len);
		valid_len = strlen(valid);
		text = valid;
		len = valid_len;
	}
	while (len > 0) {
		size_t n = len;
		if (n > EXTRACT_PDF_PIECE) {
			n = EXTRACT_PDF_PIECE;
			for (int k = 0; k < 3 && ((unsigned char)text[n] & 0xc0) == 0x80; k++)
				n--;
		}
		extract_text(x, text, n);
		text += n;
		len -= n;
	}
	extract_pdf_gfree(valid, valid_len);
}

/* The page's text with its characters laid out by position (pdf_rows.h),
 * or NULL for poppler's own order. */
static char *extract_pdf_layout(PopplerPage *page, const char *text, size_t len, size_t *ret_len)
{
	PopplerRectangle *rects = NULL;
	struct pdf_box *boxes = NULL;
	guint n = 0;
	char *out = NULL;

	*ret_len = 0;
	if (!poppler_page_get_text_layout(page, &rects, &n) || n == 0 || n > PDF_ROWS_MAX_CHARS)
		goto out;
	boxes = malloc(n * sizeof(*boxes));
	if (!boxes)
		goto out;
	for (guint i = 0; i < n; i++)
		boxes[i] = (struct pdf_box){rects[i].x1, rects[i].y1, rects[i].x2, rects[i].y2};
	out = pdf_rows(text, len, boxes, n, ret_len);
out:
	free(boxes);
	g_free(rects);
	return out;
}

/* The document information dictionary as one run, a field a line. */
static int extract_pdf_metadata(struct extract *x, PopplerDocument *doc)
{
	char *field[4] = {NULL, NULL, NULL, NULL};
	size_t len[4] = {0, 0, 0, 0}, total = 0;
	int rc = 0;

	field[0] = poppler_document_get_title(doc);
	field[1] = poppler_document_get_author(doc);
	field[2] = poppler_document_get_subject(doc);
	field[3] = poppler_document_get_keywords(doc);
	for (int i = 0; i < 4; i++) {
		len[i] = field[i] ? strlen(field[i]) : 0;
		total += len[i] ? len[i] + 1 : 0;
	}
	if (total == 0)
		goto out;
	rc = extract_check(x, total);
	if (rc < 0)
		goto out;
	extract_text_begin(x, "metadata");
	for (int i = 0; i < 4; i++) {
		if (len[i] == 0)
			continue;
		extract_pdf_give(x, field[i], len[i]);
		extract_text(x, "\n", 1);
	}
	extract_text_end(x);
out:
	for (int i = 0; i < 4; i++)
		extract_pdf_gfree(field[i], len[i]);
	return rc;
}

/* The images of a page, decoded by poppler (as cairo surfaces), read by the
 * image reader as "page N image K"; *count counts the document's. */
static int extract_pdf_images(struct extract *x, PopplerPage *page, int page_no, unsigned *count)
{
	GList *map = poppler_page_get_image_mapping(page);
	int rc = 0, k = 0;

	for (GList *l = map; l && rc == 0; l = l->next) {
		const PopplerImageMapping *m = l->data;
		cairo_surface_t *img;
		char member[48];

		k++;
		snprintf(member, sizeof(member), "page %d image %d", page_no, k);
		if (++*count > EXTRACT_PDF_IMAGES_MAX) {
			extract_coverage(x, member, EXTRACT_COVERAGE_LIMIT, "more images than are read in one PDF");
			break;
		}
		img = poppler_page_get_image(page, m->image_id);
		if (!img)
			continue;
		if (cairo_surface_get_type(img) == CAIRO_SURFACE_TYPE_IMAGE &&
		    (cairo_image_surface_get_format(img) == CAIRO_FORMAT_ARGB32 ||
		     cairo_image_surface_get_format(img) == CAIRO_FORMAT_RGB24)) {
			cairo_surface_flush(img);
			rc = extract_image_pixels(x, member, (const uint32_t *)cairo_image_surface_get_data(img),
			                          cairo_image_surface_get_width(img),
			                          cairo_image_surface_get_height(img),
			                          (size_t)cairo_image_surface_get_stride(img));
		}
		cairo_surface_destroy(img);
	}
	poppler_page_free_image_mapping(map);
	return rc;
}

/*
 * The text layer of each page, one run each. extract_check between pages is
 * where the file's time and size budgets are enforced; a single pathological
 * page (a content stream built to make poppler's layout analysis crawl)
 * cannot be interrupted here: the pool's time budget kills the sandboxed
 * worker, and the file is recorded as timed out.
 */
static int extract_pdf_pages(struct extract *x, PopplerDocument *doc)
{
	int pages = poppler_document_get_n_pages(doc);
	unsigned images = 0;

	/* poppler opens a file whose page tree is lost as a document of no
	 * pages: not an empty form, a broken one. */
	if (pages <= 0)
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "PDF has no page that can be read");
	for (int i = 0; i < pages && i < EXTRACT_PDF_PAGES_MAX; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char member[32], *text, *laid_out;
		size_t len, laid_len = 0;
		int rc;

		snprintf(member, sizeof(member), "page %d", i + 1);
		if (!page) {
			extract_coverage(x, member, EXTRACT_COVERAGE_CORRUPT, "page cannot be read");
			continue;
		}
		text = poppler_page_get_text(page);
		len = text ? strlen(text) : 0;
		laid_out = text ? extract_pdf_layout(page, text, len, &laid_len) : NULL;
		rc = extract_check(x, len);
		if (rc == 0) {
			extract_text_begin(x, member);
			if (laid_out)
				extract_pdf_give(x, laid_out, laid_len);
			else
				extract_pdf_give(x, text, len);
			extract_text_end(x);
		}
		if (laid_out)
			explicit_bzero(laid_out, laid_len);
		free(laid_out);
		extract_pdf_gfree(text, len);
		/* A scanned page is an image: the ID card photocopied into a form. */
		if (rc == 0)
			rc = extract_pdf_images(x, page, i + 1, &images);
		g_object_unref(page);
		if (rc < 0)
			return rc;
	}
	if (pages > EXTRACT_PDF_PAGES_MAX)
		extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT, "more than 2000 pages: the rest not read");
	return 0;
}

/* An embedded file expanded into memory, within LIMIT_MEMBER_BYTES. */
struct extract_pdf_sink {
	struct extract *x;
	unsigned char *data;
	size_t len, cap, unchecked;
	int rc; /* 0; 1: larger than LIMIT_MEMBER_BYTES; ERR_NOMEM, ERR_LIMIT, ERR_TIMEOUT: stop */
};

static int extract_pdf_sink_append(struct extract_pdf_sink *s, const char *buf, size_t count)
{
	if (count > LIMIT_MEMBER_BYTES - s->len)
		return 1;
	if (count > s->cap - s->len) {
		size_t cap = s->cap ? s->cap : 64u * 1024u;
		unsigned char *bigger;

		while (cap - s->len < count)
			cap *= 2;
		if (cap > LIMIT_MEMBER_BYTES)
			cap = LIMIT_MEMBER_BYTES;
		/* Not realloc: the old bytes are wiped before they are freed. */
		bigger = malloc(cap);
		if (!bigger)
			return ERR_NOMEM;
		if (s->data) {
			memcpy(bigger, s->data, s->len);
			explicit_bzero(s->data, s->len);
			free(s->data);
		}
		s->data = bigger;
		s->cap = cap;
	}
	memcpy(s->data + s->len, buf, count);
	s->len += count;
	s->unchecked += count;
	if (s->unchecked >= EXTRACT_PDF_CHECK_BYTES) {
		int rc = extract_check(s->x, s->unchecked);
		s->unchecked = 0;
		if (rc < 0)
			return rc;
	}
	return 0;
}

static gboolean extract_pdf_sink_put(const gchar *buf, gsize count, gpointer data, GError **error)
{
	struct extract_pdf_sink *s = data;

	if (s->rc == 0)
		s->rc = extract_pdf_sink_append(s, buf, count);
	if (s->rc == 0)
		return TRUE;
	if (error && !*error)
		g_set_error_literal(error, POPPLER_ERROR, POPPLER_ERROR_INVALID, "embedded file not read");
	return FALSE;
}

/* "attachment NAME" into member: control characters become '_', a long name
 * is cut at a character, a missing or non-UTF-8 name is replaced by the
 * attachment's number. */
static void extract_pdf_member(char *member, size_t size, const char *name, unsigned index)
{
	size_t n, at;

	if (!name || !name[0] || !g_utf8_validate(name, -1, NULL)) {
		snprintf(member, size, "attachment %u", index + 1);
		return;
	}
	at = (size_t)snprintf(member, size, "attachment ");
	n = strlen(name);
	if (n > EXTRACT_PDF_NAME_MAX) {
		n = EXTRACT_PDF_NAME_MAX;
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > size - 1 - at)
		n = 0; /* a member buffer too small: the number instead */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		member[at + i] = c < 0x20 || c == 0x7f ? '_' : (char)c;
	}
	member[at + n] = '\0';
	if (n == 0)
		snprintf(member, size, "attachment %u", index + 1);
}

/* Each embedded file (the document's EmbeddedFiles name tree) as a nested
 * object. Files attached to annotations on a page are not read. */
static int extract_pdf_attachments(struct extract *x, PopplerDocument *doc)
{
	GList *list = NULL;
	unsigned index = 0;
	int rc = 0;

	if (!poppler_document_has_attachments(doc))
		return 0;
	/* poppler-glib 22.12 (Debian 12) dereferences NULL here when an entry
	 * of the name tree is a bare string instead of a file specification
	 * dictionary (found by fuzz_pdf; no API lets us look first). The
	 * worker then dies and the file is recorded as having crashed it;
	 * embedded files come last so that the pages were given before. */
	list = poppler_document_get_attachments(doc);
	for (GList *l = list; l; l = l->next, index++) {
		PopplerAttachment *att = l->data;
		struct extract_pdf_sink sink = {.x = x};
		char member[sizeof("attachment ") + EXTRACT_PDF_NAME_MAX + 1];
		GError *gerr = NULL;
		gboolean saved;

		if (index == EXTRACT_PDF_ATTACHMENTS_MAX) {
			extract_coverage(x, NULL, EXTRACT_COVERAGE_LIMIT,
			                 "more than 256 embedded files: the rest not read");
			break;
		}
		extract_pdf_member(member, sizeof(member), poppler_attachment_get_name(att), index);
		saved = poppler_attachment_save_to_callback(att, extract_pdf_sink_put, &sink, &gerr);
		if (gerr)
			g_error_free(gerr);
		if (sink.rc == 0 && sink.unchecked > 0)
			sink.rc = extract_check(x, sink.unchecked);
		if (sink.rc == 1)
			extract_coverage(x, member, EXTRACT_COVERAGE_LIMIT,
			                 "embedded file larger than 64 MiB, not expanded");
		else if (sink.rc == 0 && !saved)
			extract_coverage(x, member, EXTRACT_COVERAGE_CORRUPT, "embedded file is damaged");
		else if (sink.rc == 0)
			rc = extract_nested(x, member, sink.data ? (const void *)sink.data : "", sink.len);
		else
			rc = sink.rc;
		if (sink.data) {
			explicit_bzero(sink.data, sink.len);
			free(sink.data);
		}
		if (rc < 0)
			break;
	}
	/* Before the document: an attachment reads from the document's stream. */
	g_list_free_full(list, g_object_unref);
	return rc;
}

int extract_pdf(struct extract *x, const unsigned char *data, size_t len)
{
	PopplerDocument *doc = NULL;
	GBytes *bytes = NULL;
	GError *gerr = NULL;
	int rc = 0;

	pthread_once(&extract_pdf_once, extract_pdf_quiet);
	/* The bytes are the caller's and outlive the document: not copied. */
	bytes = g_bytes_new_static(len ? data : NULL, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	if (!doc) {
		if (gerr && g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			extract_coverage(x, NULL, EXTRACT_COVERAGE_ENCRYPTED, "password-protected PDF");
		else
			extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "PDF cannot be opened");
		goto out;
	}
	rc = extract_pdf_metadata(x, doc);
	if (rc < 0)
		goto out;
	rc = extract_pdf_pages(x, doc);
	if (rc < 0)
		goto out;
	/* Embedded files are not read: poppler-glib 22.12 (Debian 12) dereferences
	 * NULL in poppler_document_get_attachments() when an entry of the name
	 * tree is a bare string instead of a file specification (found by
	 * fuzz_pdf), and here a crash would stop the whole scan. They are reported
	 * as not scanned until PDFs are parsed in the agent's sandboxed workers,
	 * where a crash costs one file (extract_pdf_attachments is kept for then). */
	if (poppler_document_has_attachments(doc))
		extract_coverage(x, NULL, EXTRACT_COVERAGE_UNSUPPORTED,
		                 "files embedded in the PDF are not read yet (see extract_pdf.c)");
	if (EXTRACT_PDF_READ_ATTACHMENTS)
		rc = extract_pdf_attachments(x, doc);
out:
	if (gerr)
		g_error_free(gerr);
	if (doc)
		g_object_unref(doc);
	g_bytes_unref(bytes);
	return rc;
}
