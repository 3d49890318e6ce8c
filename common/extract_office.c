/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Office Open XML (.docx .xlsx .pptx) and OpenDocument (.odt .ods .odp) files
 * for the extraction framework, which calls extract_ooxml() and extract_odf().
 * The zip is read from memory with libarchive and each XML part with libxml2's
 * streaming reader; text goes back as one run per part (per sheet of an
 * OpenDocument spreadsheet), spreadsheets as CSV-like rows under their header
 * row so that the matching engine sees column names. Pictures and embedded
 * objects go back as nested objects. Nothing is written anywhere, no DTD or
 * external entity is ever loaded or expanded, and every buffer is bounded.
 */
#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "extract.h"
#include "limits.h"

/* One zip member larger than this is not expanded (coverage.limit for it);
 * the others are still read. */
#define EXTRACT_OFFICE_ENTRY_MAX (64u << 20)

/* Members are expanded in chunks of this size, each counted by extract_check. */
#define OFFICE_READ_CHUNK (64u * 1024u)

/* Text is gathered in a buffer of this size between calls to extract_text. */
#define OFFICE_TEXT_BUF (64u * 1024u)

/* Text given for one part: a part is at most EXTRACT_OFFICE_ENTRY_MAX bytes
 * of XML, and its text never longer, except for what repeated and padded
 * spreadsheet cells make up, which this also bounds. */
#define OFFICE_PART_TEXT_MAX (64u << 20)

/* Element depth of a part: real documents stay far below (a table in a table
 * in a text box is about 30); libxml2 without XML_PARSE_HUGE stops at 256 too. */
#define OFFICE_XML_DEPTH 256

/* A workbook's shared strings kept for its sheets: Excel's own row limit in
 * strings, and half a member's size in bytes. Past either, the strings are
 * not kept (coverage.limit on xl/sharedStrings.xml) and cells using them are
 * empty. */
#define OFFICE_SHARED_COUNT (1u << 20)
#define OFFICE_SHARED_BYTES (32u << 20)

/* Empty columns are written out up to the last column whose header the
 * engine reads; a cell further right follows the previous one directly, so a
 * cell at XFD1 costs one comma, not sixteen thousand. */
#define OFFICE_COLUMNS LIMIT_HEADER_COLUMNS

/* An OpenDocument row repeated (table:number-rows-repeated) is written at most
 * this many times; an empty one never. */
#define OFFICE_ROW_REPEAT 65536u

/* A spreadsheet row is held whole, so that it can be repeated and an empty
 * one dropped; a longer row is written through, once. A cell is held whole to
 * decide its quoting; a longer one is written through, quoted. */
#define OFFICE_ROW_BUF  (64u * 1024u)
#define OFFICE_CELL_BUF (32u * 1024u)

/* XML nodes read, and zip members passed, between two looks at the file's
 * time budget. */
#define OFFICE_CHECK_NODES   4096u
#define OFFICE_CHECK_ENTRIES 256u

/* Spaces written for one text:s element (text:c can say a billion). */
#define OFFICE_SPACES 8u

/* Options of the XML reader: never the network, no entity substitution
 * (XML_PARSE_NOENT is off, so an entity reference stays a node we ignore),
 * no DTD loading or validation, libxml2's default size limits (no
 * XML_PARSE_HUGE), and no messages on stderr. */
#define OFFICE_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

#define OFFICE_NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define OFFICE_NS_TABLE  "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define OFFICE_NS_TEXT   "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

/* What a zip member is to us. */
enum office_kind {
	OFFICE_SKIP,     /* no user text: styles, themes, settings, relationships */
	OFFICE_NESTED,   /* given back to the framework: media, embedded objects, anything unknown */
	OFFICE_FLOW,     /* WordprocessingML or DrawingML: paragraphs and tables */
	OFFICE_SHEET,    /* a SpreadsheetML worksheet */
	OFFICE_SHARED,   /* a workbook's shared strings, read before the sheets */
	OFFICE_LEAF,     /* properties, charts, caches: each element's text a line */
	OFFICE_CONTENT,  /* OpenDocument content.xml */
	OFFICE_STYLES,   /* OpenDocument styles.xml: headers and footers */
	OFFICE_MANIFEST, /* META-INF/manifest.xml: whether parts are encrypted */
};

struct office_route {
	const char *pattern; /* '*' matches any characters, '/' too; ASCII case ignored, as in OPC */
	enum office_kind kind;
};

/* First match wins; a member no pattern matches is nested. */
static const struct office_route office_ooxml_routes[] = {
        {"[Content_Types].xml", OFFICE_SKIP},
        {"*.rels", OFFICE_SKIP},
        {"xl/sharedStrings.xml", OFFICE_SHARED},
        {"word/document.xml", OFFICE_FLOW},
        {"word/header*.xml", OFFICE_FLOW},
        {"word/footer*.xml", OFFICE_FLOW},
        {"word/footnotes.xml", OFFICE_FLOW},
        {"word/endnotes.xml", OFFICE_FLOW},
        {"word/comments.xml", OFFICE_FLOW},
        {"word/glossary/document.xml", OFFICE_FLOW},
        {"xl/worksheets/sheet*.xml", OFFICE_SHEET},
        {"xl/comments*.xml", OFFICE_FLOW},
        {"xl/drawings/drawing*.xml", OFFICE_FLOW},
        {"ppt/slides/slide*.xml", OFFICE_FLOW},
        {"ppt/notesSlides/notesSlide*.xml", OFFICE_FLOW},
        {"ppt/comments/*.xml", OFFICE_LEAF},
        {"ppt/commentAuthors.xml", OFFICE_LEAF},
        {"docProps/thumbnail*", OFFICE_NESTED},
        {"docProps/*.xml", OFFICE_LEAF},
        {"*/charts/chart*.xml", OFFICE_LEAF},
        {"*/diagrams/data*.xml", OFFICE_LEAF},
        {"customXml/itemProps*.xml", OFFICE_SKIP},
        {"customXml/item*.xml", OFFICE_LEAF},
        {"xl/pivotCache/*.xml", OFFICE_LEAF},
        {"xl/externalLinks/*.xml", OFFICE_LEAF},
        {"*/media/*", OFFICE_NESTED},
        {"*/embeddings/*", OFFICE_NESTED},
        /* Parts that hold no text of the user's, or a copy of text read elsewhere. */
        {"*/styles.xml", OFFICE_SKIP},
        {"*/stylesWithEffects.xml", OFFICE_SKIP},
        {"*/theme/*", OFFICE_SKIP},
        {"*/settings.xml", OFFICE_SKIP},
        {"*/webSettings.xml", OFFICE_SKIP},
        {"*/fontTable.xml", OFFICE_SKIP},
        {"*/numbering.xml", OFFICE_SKIP},
        {"*/fonts/*", OFFICE_SKIP},
        {"*/printerSettings/*", OFFICE_SKIP},
        {"word/commentsExtended.xml", OFFICE_SKIP},
        {"word/commentsIds.xml", OFFICE_SKIP},
        {"word/commentsExtensible.xml", OFFICE_SKIP},
        {"word/people.xml", OFFICE_SKIP},
        {"word/glossary/*", OFFICE_SKIP},
        {"xl/workbook.xml", OFFICE_SKIP},
        {"xl/calcChain.xml", OFFICE_SKIP},
        {"xl/tables/*", OFFICE_SKIP},
        {"xl/queryTables/*", OFFICE_SKIP},
        {"xl/connections.xml", OFFICE_SKIP},
        {"xl/metadata.xml", OFFICE_SKIP},
        {"xl/persons/*", OFFICE_SKIP},
        {"xl/ctrlProps/*", OFFICE_SKIP},
        {"*.vml", OFFICE_SKIP},
        {"*/charts/style*.xml", OFFICE_SKIP},
        {"*/charts/colors*.xml", OFFICE_SKIP},
        {"*/diagrams/*", OFFICE_SKIP},
        {"ppt/presentation.xml", OFFICE_SKIP},
        {"ppt/presProps.xml", OFFICE_SKIP},
        {"ppt/viewProps.xml", OFFICE_SKIP},
        {"ppt/tableStyles.xml", OFFICE_SKIP},
        {"ppt/revisionInfo.xml", OFFICE_SKIP},
        {"ppt/slideLayouts/*", OFFICE_SKIP},
        {"ppt/slideMasters/*", OFFICE_SKIP},
        {"ppt/notesMasters/*", OFFICE_SKIP},
        {"ppt/handoutMasters/*", OFFICE_SKIP},
        {"ppt/tags/*", OFFICE_SKIP},
        {"customXml/*", OFFICE_SKIP},
        {"docMetadata/*", OFFICE_SKIP},
        {NULL, OFFICE_NESTED},
};

static const struct office_route office_odf_routes[] = {
        {"mimetype", OFFICE_SKIP},
        {"META-INF/manifest.xml", OFFICE_MANIFEST},
        {"META-INF/*", OFFICE_SKIP},
        {"settings.xml", OFFICE_SKIP},
        {"manifest.rdf", OFFICE_SKIP},
        {"layout-cache", OFFICE_SKIP},
        {"Configurations2/*", OFFICE_SKIP},
        {"content.xml", OFFICE_CONTENT},
        {"styles.xml", OFFICE_STYLES},
        {"meta.xml", OFFICE_LEAF},
        /* An embedded chart, spreadsheet or drawing is a document in a folder. */
        {"Object */content.xml", OFFICE_CONTENT},
        {"Object */styles.xml", OFFICE_STYLES},
        {"Object */meta.xml", OFFICE_LEAF},
        {"Object */settings.xml", OFFICE_SKIP},
        {"Object */META-INF/*", OFFICE_SKIP},
        {NULL, OFFICE_NESTED},
};

/* One Office file being read. */
struct office {
	struct extract *x;
	const unsigned char *data;
	size_t len;
	const struct office_route *routes;
	bool encrypted; /* the OpenDocument manifest declares encrypted parts */
	char *text;     /* OFFICE_TEXT_BUF bytes of a run before extract_text */
	char *row;      /* OFFICE_ROW_BUF bytes of a spreadsheet row */
	char *cell;     /* OFFICE_CELL_BUF bytes of a spreadsheet cell */
	/* The shared strings: string i is pool[offsets[i] .. offsets[i + 1]). */
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t *offsets;
	size_t count, offsets_cap;
	bool shared_open; /* an si element is being read */
};

/* The CSV writer of a spreadsheet table. */
struct office_sheet {
	bool row_open;
	uint32_t row_repeat;
	uint64_t next_col; /* column of the next cell when it names none */
	size_t fields;     /* fields written in the row */
	size_t filled;     /* non-empty cells in the row */
	size_t row_len;    /* bytes in o->row */
	bool spilled;      /* the row outgrew o->row and is written through */
	bool cell_open;
	uint64_t col; /* the open cell's column */
	uint32_t repeat;
	size_t cell_len;  /* bytes in o->cell */
	bool streaming;   /* the cell outgrew o->cell and is written through, quoted */
	bool cell_space;  /* a space is due before the cell's next text */
	bool xlsx_shared; /* the cell's value is an index into the shared strings */
	uint64_t index;
	bool index_valid;
};

/* One XML part being read, and the text run(s) it gives. */
struct office_part {
	struct office *o;
	xmlTextReaderPtr reader;
	enum office_kind kind;
	const char *name;
	char member[LIMIT_MEMBER_NAME]; /* name of the current run */
	bool begun;                     /* extract_text_begin was called for it */
	size_t len;                     /* bytes in o->text */
	uint64_t total;                 /* bytes of text the part gave */
	uint64_t made;                  /* bytes made up (padding, repeats) not yet checked */
	char last;                      /* the last byte written; '\n' at the start of a run */
	bool space;                     /* a space is due before the next text */
	int stop;                       /* ERR_LIMIT or ERR_TIMEOUT: the whole file ends */
	bool done;                      /* the rest of the part is not read (reported) */
	bool skip;                      /* the reader skips the current element's subtree */
	/* Where the reader is. */
	unsigned text;  /* in elements whose text is content (w:t, a:t, v, ...) */
	unsigned run;   /* in w:r */
	unsigned para;  /* in text:p, text:h and the like (OpenDocument) */
	unsigned gate;  /* in office:body or a header or footer (OpenDocument) */
	unsigned note;  /* in office:annotation */
	unsigned table; /* table nesting */
	unsigned cell;  /* table cell nesting (WordprocessingML, DrawingML) */
	size_t cells;   /* cells so far in the row of the outermost table */
	bool sheets;    /* an OpenDocument spreadsheet: one run per table */
	bool locked;    /* the open cell's value is its office:value */
	struct office_sheet sheet;
};

static void office_xml_quiet(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

/* No external entity, DTD or schema is ever loaded, whatever a part asks and
 * whatever libxml2 would do on its own: the worker has no files to show. */
static xmlParserInputPtr office_no_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static char office_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether name matches pattern ('*' any run of characters, ASCII case ignored). */
static bool office_glob(const char *pattern, const char *name)
{
	const char *star = NULL, *resume = NULL;

	while (*name) {
		if (*pattern == '*') {
			star = pattern++;
			resume = name;
		} else if (*pattern && office_lower(*pattern) == office_lower(*name)) {
			pattern++;
			name++;
		} else if (star) {
			pattern = star + 1;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

static enum office_kind office_route(const struct office *o, const char *name)
{
	const struct office_route *r = o->routes;

	/* No part of a real document has such a name, and matching it would cost
	 * its length times the patterns': it is given back to the framework. */
	if (strlen(name) >= LIMIT_MEMBER_NAME)
		return OFFICE_NESTED;
	for (; r->pattern; r++)
		if (office_glob(r->pattern, name))
			break;
	/* An encrypted OpenDocument: only meta.xml and the manifest are in the clear. */
	if (o->encrypted && r->kind != OFFICE_SKIP && r->kind != OFFICE_MANIFEST && !office_glob("meta.xml", name))
		return OFFICE_SKIP;
	return r->kind;
}

static bool office_is(const xmlChar *name, const char *what)
{
	return name && strcmp((const char *)name, what) == 0;
}

static uint64_t office_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A decimal attribute value, saturating; fallback when absent or invalid. */
static uint64_t office_number(const xmlChar *s, uint64_t fallback)
{
	uint64_t v = 0;

	if (!s || !*s)
		return fallback;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return fallback;
		v = v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : v * 10 + (uint64_t)(*s - '0');
	}
	return v;
}

static xmlChar *office_attr(struct office_part *p, const char *name, const char *ns)
{
	if (ns)
		return xmlTextReaderGetAttributeNs(p->reader, (const xmlChar *)name, (const xmlChar *)ns);
	return xmlTextReaderGetAttribute(p->reader, (const xmlChar *)name);
}

/* Attribute values can be content (office:value of a cell): wiped when freed. */
static void office_attr_free(xmlChar *s)
{
	if (s) {
		explicit_bzero(s, strlen((const char *)s));
		xmlFree(s);
	}
}

/* --- text runs -------------------------------------------------------------- */

/* Give the buffered text to the framework, cut at a character boundary, and
 * count what was made up since the last time. */
static void office_flush(struct office_part *p, bool all)
{
	struct office *o = p->o;
	size_t n = p->len, keep = 0;

	if (!all) {
		/* A character cut by the end of the buffer waits for its last bytes. */
		while (keep < 3 && keep < n && ((unsigned char)o->text[n - 1 - keep] & 0xC0) == 0x80)
			keep++;
		if (keep < n) {
			unsigned char lead = (unsigned char)o->text[n - 1 - keep];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
			keep = need > keep + 1 ? keep + 1 : 0;
		} else {
			keep = 0;
		}
	}
	if (n - keep > 0) {
		if (!p->begun) {
			extract_text_begin(o->x, p->member);
			p->begun = true;
		}
		extract_text(o->x, o->text, n - keep);
	}
	memmove(o->text, o->text + (n - keep), keep);
	explicit_bzero(o->text + keep, n - keep);
	p->len = keep;
	if (p->made && !p->stop) {
		int rc = extract_check(o->x, p->made);
		p->made = 0;
		if (rc < 0)
			p->stop = rc;
	}
}

static void office_end_run(struct office_part *p)
{
	office_flush(p, true);
	if (p->begun)
		extract_text_end(p->o->x);
	p->begun = false;
	p->last = '\n';
	p->space = false;
}

/* The rest of the part is not read; why is reported for the part. */
static void office_give_up(struct office_part *p, enum extract_coverage what, const char *detail)
{
	if (p->done)
		return;
	p->done = true;
	extract_coverage(p->o->x, p->name, what, detail);
}

static void office_out(struct office_part *p, const char *s, size_t n)
{
	struct office *o = p->o;

	if (p->stop || p->done || n == 0)
		return;
	if (p->total + n > OFFICE_PART_TEXT_MAX) {
		office_give_up(p, EXTRACT_COVERAGE_LIMIT, "more than 64 MiB of text in one part");
		return;
	}
	p->total += n;
	p->last = s[n - 1];
	while (n) {
		size_t k = OFFICE_TEXT_BUF - p->len < n ? OFFICE_TEXT_BUF - p->len : n;
		memcpy(o->text + p->len, s, k);
		p->len += k;
		s += k;
		n -= k;
		if (p->len == OFFICE_TEXT_BUF)
			office_flush(p, false);
	}
}

/* End the current line, unless nothing is on it. */
static void office_newline(struct office_part *p)
{
	if (p->last != '\n')
		office_out(p, "\n", 1);
	p->space = false;
}

/* Text of the document: bytes below 0x20 become spaces when flat (in a
 * table cell, where the row must stay on one line), and a due space is
 * written first. */
static void office_text(struct office_part *p, const char *s, size_t n, bool flat)
{
	if (n == 0)
		return;
	if (p->space && p->last != '\n' && p->last != ' ' && p->last != '\t')
		office_out(p, " ", 1);
	p->space = false;
	while (n) {
		size_t k = 0;
		if (flat)
			while (k < n && (unsigned char)s[k] >= 0x20)
				k++;
		else
			k = n;
		office_out(p, s, k);
		if (k < n) {
			office_out(p, " ", 1);
			k++;
		}
		s += k;
		n -= k;
	}
}

/* --- CSV rows ----------------------------------------------------------------- */

static void office_row_put(struct office_part *p, const char *s, size_t n)
{
	struct office_sheet *sh = &p->sheet;
	struct office *o = p->o;

	if (!sh->spilled && sh->row_len + n <= OFFICE_ROW_BUF) {
		memcpy(o->row + sh->row_len, s, n);
		sh->row_len += n;
		return;
	}
	if (!sh->spilled) {
		office_newline(p);
		office_out(p, o->row, sh->row_len);
		explicit_bzero(o->row, sh->row_len);
		sh->row_len = 0;
		sh->spilled = true;
	}
	office_out(p, s, n);
}

static void office_row_escaped(struct office_part *p, const char *s, size_t n)
{
	while (n) {
		const char *q = memchr(s, '"', n);
		size_t k = q ? (size_t)(q - s) + 1 : n;
		office_row_put(p, s, k);
		if (q)
			office_row_put(p, "\"", 1);
		s += k;
		n -= k;
	}
}

/* Separators up to the open cell's column, which becomes the row's last field. */
static void office_cell_place(struct office_part *p)
{
	static const char commas[64] = ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,";
	struct office_sheet *sh = &p->sheet;
	uint64_t c = sh->col;
	size_t n;

	if (c < sh->fields)
		c = sh->fields;
	if (c > OFFICE_COLUMNS)
		c = sh->fields > OFFICE_COLUMNS ? sh->fields : OFFICE_COLUMNS;
	n = sh->fields ? (size_t)c - sh->fields + 1 : (size_t)c;
	sh->fields = (size_t)c + 1;
	sh->filled++;
	p->made += n;
	while (n) {
		size_t k = n < sizeof(commas) ? n : sizeof(commas);
		office_row_put(p, commas, k);
		n -= k;
	}
}

static void office_row_begin(struct office_part *p, uint64_t repeat)
{
	struct office_sheet *sh = &p->sheet;

	sh->row_open = true;
	sh->row_repeat = repeat == 0 ? 1 : repeat > OFFICE_ROW_REPEAT ? OFFICE_ROW_REPEAT : (uint32_t)repeat;
	sh->next_col = 0;
	sh->fields = sh->filled = sh->row_len = 0;
	sh->spilled = false;
}

static void office_cell_begin(struct office_part *p, uint64_t col, uint64_t repeat)
{
	struct office_sheet *sh = &p->sheet;

	sh->cell_open = true;
	sh->col = col;
	sh->repeat = repeat == 0 ? 1 : repeat > OFFICE_COLUMNS ? OFFICE_COLUMNS + 1 : (uint32_t)repeat;
	sh->next_col = office_add(col, repeat == 0 ? 1 : repeat);
	sh->cell_len = 0;
	sh->streaming = sh->cell_space = sh->xlsx_shared = sh->index_valid = false;
	sh->index = 0;
}

static void office_cell_put(struct office_part *p, const char *s, size_t n)
{
	struct office_sheet *sh = &p->sheet;
	struct office *o = p->o;

	if (!sh->streaming && sh->cell_len + n <= OFFICE_CELL_BUF) {
		memcpy(o->cell + sh->cell_len, s, n);
		sh->cell_len += n;
		return;
	}
	if (!sh->streaming) {
		office_cell_place(p);
		office_row_put(p, "\"", 1);
		office_row_escaped(p, o->cell, sh->cell_len);
		explicit_bzero(o->cell, sh->cell_len);
		sh->cell_len = 0;
		sh->streaming = true;
	}
	office_row_escaped(p, s, n);
}

/* Text of the open cell; the row stays on one line, so line ends and tabs
 * become spaces. */
static void office_cell_text(struct office_part *p, const char *s, size_t n)
{
	struct office_sheet *sh = &p->sheet;

	if (!sh->cell_open || n == 0)
		return;
	if (sh->cell_space && (sh->cell_len || sh->streaming))
		office_cell_put(p, " ", 1);
	sh->cell_space = false;
	while (n) {
		size_t k = 0;
		while (k < n && (unsigned char)s[k] >= 0x20)
			k++;
		if (k)
			office_cell_put(p, s, k);
		if (k < n) {
			office_cell_put(p, " ", 1);
			k++;
		}
		s += k;
		n -= k;
	}
}

static void office_cell_end(struct office_part *p)
{
	struct office_sheet *sh = &p->sheet;
	struct office *o = p->o;
	bool quote;

	if (!sh->cell_open)
		return;
	sh->cell_open = false;
	if (sh->xlsx_shared && sh->index_valid && sh->index < o->count) {
		size_t i = (size_t)sh->index;
		if (o->offsets[i + 1] > o->offsets[i]) {
			sh->cell_open = true;
			office_cell_text(p, o->pool + o->offsets[i], o->offsets[i + 1] - o->offsets[i]);
			sh->cell_open = false;
		}
	}
	if (sh->streaming) {
		office_row_put(p, "\"", 1);
		sh->streaming = false;
		return;
	}
	if (sh->cell_len == 0)
		return;
	quote = memchr(o->cell, ',', sh->cell_len) || memchr(o->cell, '"', sh->cell_len);
	for (uint32_t i = 0; i < sh->repeat; i++) {
		if (i > 0) {
			if (sh->fields >= OFFICE_COLUMNS)
				break;
			sh->col = sh->fields;
			p->made += sh->cell_len;
		}
		office_cell_place(p);
		if (quote) {
			office_row_put(p, "\"", 1);
			office_row_escaped(p, o->cell, sh->cell_len);
			office_row_put(p, "\"", 1);
		} else {
			office_row_put(p, o->cell, sh->cell_len);
		}
	}
	explicit_bzero(o->cell, sh->cell_len);
	sh->cell_len = 0;
}

static void office_row_end(struct office_part *p)
{
	struct office_sheet *sh = &p->sheet;
	struct office *o = p->o;

	if (!sh->row_open)
		return;
	office_cell_end(p);
	sh->row_open = false;
	if (sh->spilled) {
		office_out(p, "\n", 1);
	} else if (sh->filled) {
		office_newline(p);
		for (uint32_t i = 0; i < sh->row_repeat && !p->stop && !p->done; i++) {
			office_out(p, o->row, sh->row_len);
			office_out(p, "\n", 1);
			if (i > 0)
				p->made += sh->row_len + 1;
		}
	}
	explicit_bzero(o->row, sh->row_len);
	sh->row_len = 0;
	sh->spilled = false;
}

/* --- SpreadsheetML strings -------------------------------------------------- */

static int office_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = office_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

typedef void office_sink_fn(struct office_part *p, const char *s, size_t n);

/* SpreadsheetML writes a character XML cannot hold as _xHHHH_ (and the "_"
 * of a literal "_x0041_" as _x005F_): decoded here, control characters as a
 * space. */
static void office_xstring(struct office_part *p, const char *s, size_t n, office_sink_fn *sink)
{
	size_t start = 0;

	for (size_t i = 0; i + 7 <= n; i++) {
		int v = 0;
		char utf8[3];
		size_t k;

		if (s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_')
			continue;
		for (k = 2; k < 6; k++) {
			int h = office_hex(s[i + k]);
			if (h < 0)
				break;
			v = v * 16 + h;
		}
		if (k < 6)
			continue;
		sink(p, s + start, i - start);
		if (v < 0x20 || (v >= 0xD800 && v <= 0xDFFF)) {
			utf8[0] = ' ';
			k = 1;
		} else if (v < 0x80) {
			utf8[0] = (char)v;
			k = 1;
		} else if (v < 0x800) {
			utf8[0] = (char)(0xC0 | (v >> 6));
			utf8[1] = (char)(0x80 | (v & 0x3F));
			k = 2;
		} else {
			utf8[0] = (char)(0xE0 | (v >> 12));
			utf8[1] = (char)(0x80 | ((v >> 6) & 0x3F));
			utf8[2] = (char)(0x80 | (v & 0x3F));
			k = 3;
		}
		sink(p, utf8, k);
		i += 6;
		start = i + 1;
	}
	sink(p, s + start, n - start);
}

/* Room for n more bytes in the pool or one more offset, within the limits;
 * the old pool is wiped, not left to realloc. */
static int office_pool_room(struct office *o, size_t n)
{
	if (o->pool_len + n > o->pool_cap) {
		size_t cap = o->pool_cap ? o->pool_cap : 64u * 1024u;
		char *pool;
		while (cap < o->pool_len + n)
			cap *= 2;
		if (cap > OFFICE_SHARED_BYTES)
			cap = OFFICE_SHARED_BYTES;
		if (o->pool_len + n > cap)
			return ERR_LIMIT;
		pool = malloc(cap);
		if (!pool)
			return ERR_NOMEM;
		if (o->pool) {
			memcpy(pool, o->pool, o->pool_len);
			explicit_bzero(o->pool, o->pool_cap);
			free(o->pool);
		}
		o->pool = pool;
		o->pool_cap = cap;
	}
	if (o->count + 2 > o->offsets_cap) {
		size_t cap = o->offsets_cap ? 2 * o->offsets_cap : 1024;
		uint32_t *offsets;
		if (o->count + 2 > OFFICE_SHARED_COUNT + 1)
			return ERR_LIMIT;
		offsets = realloc(o->offsets, cap * sizeof(*offsets));
		if (!offsets)
			return ERR_NOMEM;
		if (!o->offsets)
			offsets[0] = 0;
		o->offsets = offsets;
		o->offsets_cap = cap;
	}
	return 0;
}

static void office_shared_put(struct office_part *p, const char *s, size_t n)
{
	struct office *o = p->o;
	int rc;

	if (n == 0 || !o->shared_open)
		return;
	rc = office_pool_room(o, n);
	if (rc == ERR_NOMEM) {
		office_give_up(p, EXTRACT_COVERAGE_LIMIT, "not enough memory for the shared strings");
		return;
	}
	if (rc < 0) {
		office_give_up(p, EXTRACT_COVERAGE_LIMIT,
		               "more shared strings than kept (1048576 or 32 MiB): cells using the rest are empty");
		return;
	}
	memcpy(o->pool + o->pool_len, s, n);
	o->pool_len += n;
}

static void office_sheet_index(struct office_part *p, const char *s, size_t n)
{
	struct office_sheet *sh = &p->sheet;

	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			sh->index = sh->index > (UINT64_MAX - 9) / 10 ? UINT64_MAX
			                                              : sh->index * 10 + (uint64_t)(s[i] - '0');
			sh->index_valid = true;
		} else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
			sh->index = UINT64_MAX;
		}
	}
}

/* --- the parts' vocabularies ------------------------------------------------ */

/* WordprocessingML (document, headers, footers, notes, comments), DrawingML
 * (slides, notes, drawings of a sheet) and sheet comments. Paragraphs are
 * lines; a table row is one line, its cells separated by tabs, the
 * paragraphs of a cell by spaces. */
static void office_flow_start(struct office_part *p, const xmlChar *name, bool empty)
{
	if (office_is(name, "t") || office_is(name, "delText") || office_is(name, "author")) {
		p->text++;
	} else if (office_is(name, "instrText") || office_is(name, "delInstrText") || office_is(name, "Fallback")) {
		/* field codes; the second copy of content that mc:AlternateContent offers */
		p->skip = !empty;
	} else if (office_is(name, "r")) {
		p->run++;
	} else if (office_is(name, "tab")) {
		if (p->run)
			office_text(p, "\t", 1, p->cell > 0);
	} else if (office_is(name, "br") || office_is(name, "cr")) {
		if (p->cell)
			p->space = true;
		else
			office_newline(p);
	} else if (office_is(name, "noBreakHyphen")) {
		office_text(p, "-", 1, false);
	} else if (office_is(name, "tbl")) {
		p->table++;
	} else if (office_is(name, "tr")) {
		if (p->cell == 0) {
			office_newline(p);
			p->cells = 0;
		}
	} else if (office_is(name, "tc")) {
		if (p->cell == 0) {
			p->space = false;
			if (p->cells++ > 0)
				office_out(p, "\t", 1);
		} else {
			p->space = true;
		}
		p->cell++;
	}
}

static void office_flow_end(struct office_part *p, const xmlChar *name)
{
	if (office_is(name, "t") || office_is(name, "delText") || office_is(name, "author")) {
		if (p->text)
			p->text--;
		if (office_is(name, "author"))
			office_newline(p);
	} else if (office_is(name, "r")) {
		if (p->run)
			p->run--;
	} else if (office_is(name, "p") || office_is(name, "comment")) {
		if (p->cell)
			p->space = true;
		else
			office_newline(p);
	} else if (office_is(name, "tc")) {
		if (p->cell)
			p->cell--;
	} else if (office_is(name, "tr")) {
		if (p->cell)
			p->space = true;
		else
			office_newline(p);
	} else if (office_is(name, "tbl")) {
		if (p->table)
			p->table--;
	}
}

/* Column of an A1-style reference ("B7": 1), or fallback. */
static uint64_t office_a1_column(const xmlChar *ref, uint64_t fallback)
{
	uint64_t col = 0;
	size_t letters = 0;

	if (!ref)
		return fallback;
	for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++)
		col = col * 26 + (uint64_t)(*ref - 'A' + 1);
	if (letters == 0 || letters > 3 || (*ref && (*ref < '0' || *ref > '9')))
		return fallback;
	return col - 1;
}

/* A SpreadsheetML worksheet: each row with a value a CSV line, cells in the
 * columns their references name; shared strings resolved, inline strings,
 * formula results and numbers as written. Header and footer texts follow the
 * rows as lines. */
static void office_sheet_start(struct office_part *p, const xmlChar *name, bool empty)
{
	struct office_sheet *sh = &p->sheet;

	if (office_is(name, "row")) {
		office_row_end(p);
		office_row_begin(p, 1);
	} else if (office_is(name, "c")) {
		xmlChar *ref, *type;
		if (!sh->row_open)
			office_row_begin(p, 1);
		office_cell_end(p);
		ref = office_attr(p, "r", NULL);
		type = office_attr(p, "t", NULL);
		office_cell_begin(p, office_a1_column(ref, sh->next_col), 1);
		sh->xlsx_shared = office_is(type, "s");
		office_attr_free(ref);
		office_attr_free(type);
	} else if (office_is(name, "v") || office_is(name, "t")) {
		if (sh->cell_open)
			p->text++;
	} else if (office_is(name, "f") || office_is(name, "rPh") || office_is(name, "extLst")) {
		p->skip = !empty;
	} else if (strstr((const char *)name, "Header") || strstr((const char *)name, "Footer")) {
		if (!office_is(name, "headerFooter"))
			p->text++;
	}
}

static void office_sheet_end(struct office_part *p, const xmlChar *name)
{
	if (office_is(name, "c")) {
		office_cell_end(p);
	} else if (office_is(name, "row")) {
		office_row_end(p);
	} else if (office_is(name, "v") || office_is(name, "t")) {
		if (p->text && p->sheet.cell_open)
			p->text--;
	} else if (strstr((const char *)name, "Header") || strstr((const char *)name, "Footer")) {
		if (!office_is(name, "headerFooter") && p->text) {
			p->text--;
			office_newline(p);
		}
	}
}

static void office_sheet_text_put(struct office_part *p, const char *s, size_t n)
{
	office_cell_text(p, s, n);
}

static void office_hf_text_put(struct office_part *p, const char *s, size_t n)
{
	office_text(p, s, n, true);
}

static void office_sheet_text(struct office_part *p, const char *s, size_t n)
{
	struct office_sheet *sh = &p->sheet;

	if (!p->text)
		return;
	if (!sh->cell_open)
		office_xstring(p, s, n, office_hf_text_put);
	else if (sh->xlsx_shared)
		office_sheet_index(p, s, n);
	else
		office_xstring(p, s, n, office_sheet_text_put);
}

/* xl/sharedStrings.xml: the text of each si (its runs, not the phonetic
 * readings) kept in the pool. */
static void office_shared_start(struct office_part *p, const xmlChar *name, bool empty)
{
	struct office *o = p->o;

	if (office_is(name, "si")) {
		if (office_pool_room(o, 0) < 0) {
			office_give_up(
			        p, EXTRACT_COVERAGE_LIMIT,
			        "more shared strings than kept (1048576 or 32 MiB): cells using the rest are empty");
			return;
		}
		o->shared_open = true;
	} else if (office_is(name, "t")) {
		p->text++;
	} else if (office_is(name, "rPh")) {
		p->skip = !empty;
	}
}

static void office_shared_end(struct office_part *p, const xmlChar *name)
{
	struct office *o = p->o;

	if (office_is(name, "si") && o->shared_open) {
		o->shared_open = false;
		o->count++;
		o->offsets[o->count] = (uint32_t)o->pool_len;
	} else if (office_is(name, "t") && p->text) {
		p->text--;
	}
}

/* Properties, chart caches, pivot caches, custom XML: the text of each
 * element a line, and the value attribute of a pivot cache's items. */
static void office_leaf_start(struct office_part *p, const xmlChar *name)
{
	if (office_is(name, "s") || office_is(name, "n") || office_is(name, "d")) {
		xmlChar *v = office_attr(p, "v", NULL);
		if (v) {
			office_text(p, (const char *)v, strlen((const char *)v), true);
			office_newline(p);
		}
		office_attr_free(v);
	}
}

/* OpenDocument text, spreadsheets and presentations: paragraphs and headings
 * are lines, tables CSV rows (the outermost table; one run per sheet of a
 * spreadsheet, named part#sheet), annotations part of their cell. */
static bool office_odf_para(struct office_part *p, const xmlChar *name)
{
	return office_is(name, "p") || office_is(name, "h") || office_is(name, "title") || office_is(name, "desc") ||
	       office_is(name, "header-decl") || office_is(name, "footer-decl") ||
	       (p->note && office_is(name, "creator"));
}

static bool office_odf_gate(struct office_part *p, const xmlChar *name)
{
	static const char *const styles[] = {"header", "header-left", "header-first",
	                                     "footer", "footer-left", "footer-first"};

	if (p->kind == OFFICE_CONTENT)
		return office_is(name, "body");
	for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++)
		if (office_is(name, styles[i]))
			return true;
	return false;
}

/* The run of a sheet: "content.xml#name", its name kept printable. */
static void office_sheet_run(struct office_part *p)
{
	xmlChar *sheet = office_attr(p, "name", OFFICE_NS_TABLE);
	size_t n = strlen(p->name), room = sizeof(p->member) - 1;

	office_end_run(p);
	if (n > room / 2)
		n = room / 2;
	memcpy(p->member, p->name, n);
	p->member[n++] = '#';
	if (sheet) {
		const unsigned char *s = sheet;
		size_t k = strlen((const char *)s);
		if (k > 128) {
			k = 128;
			while (k > 0 && (s[k] & 0xC0) == 0x80)
				k--;
		}
		for (size_t i = 0; i < k && n < room; i++)
			p->member[n++] = s[i] < 0x20 || s[i] == 0x7F || s[i] == '!' ? '_' : (char)s[i];
	}
	p->member[n] = '\0';
	office_attr_free(sheet);
}

static void office_part_run(struct office_part *p)
{
	size_t n = strlen(p->name);

	office_end_run(p);
	if (n >= sizeof(p->member))
		n = sizeof(p->member) - 1;
	memcpy(p->member, p->name, n);
	p->member[n] = '\0';
}

static void office_odf_cell_start(struct office_part *p, bool empty)
{
	xmlChar *repeat = office_attr(p, "number-columns-repeated", OFFICE_NS_TABLE);
	xmlChar *type = office_attr(p, "value-type", OFFICE_NS_OFFICE);
	xmlChar *value = NULL;

	office_cell_begin(p, p->sheet.next_col, office_number(repeat, 1));
	p->locked = false;
	/* A number's value as stored, as in SpreadsheetML, rather than as
	 * formatted ("52,090,001,234"). */
	if (office_is(type, "float"))
		value = office_attr(p, "value", OFFICE_NS_OFFICE);
	if (value) {
		office_cell_text(p, (const char *)value, strlen((const char *)value));
		p->locked = true;
	}
	office_attr_free(repeat);
	office_attr_free(type);
	office_attr_free(value);
	if (empty)
		office_cell_end(p);
}

static void office_odf_start(struct office_part *p, const xmlChar *name, bool empty)
{
	struct office_sheet *sh = &p->sheet;

	if (office_odf_gate(p, name)) {
		p->gate++;
		return;
	}
	if (!p->gate)
		return;
	if (office_is(name, "spreadsheet")) {
		p->sheets = true;
	} else if (office_is(name, "table")) {
		if (++p->table == 1) {
			memset(sh, 0, sizeof(*sh));
			if (p->sheets)
				office_sheet_run(p);
		}
	} else if (office_is(name, "shapes")) {
		/* Drawings of a sheet come before its rows: their text is not
		 * let into the sheet's run, where it would take the header line. */
		if (p->sheets && p->table == 1)
			office_end_run(p);
	} else if (office_is(name, "table-row")) {
		if (p->table == 1 && !sh->row_open) {
			xmlChar *repeat = office_attr(p, "number-rows-repeated", OFFICE_NS_TABLE);
			office_row_begin(p, office_number(repeat, 1));
			office_attr_free(repeat);
			if (empty)
				office_row_end(p);
		} else {
			sh->cell_space = true;
		}
	} else if (office_is(name, "table-cell") || office_is(name, "covered-table-cell")) {
		if (p->table == 1 && sh->row_open && !sh->cell_open)
			office_odf_cell_start(p, empty);
		else
			sh->cell_space = true;
	} else if (office_odf_para(p, name)) {
		/* A paragraph in a paragraph (a note's body, an annotation) starts a line of its own. */
		if (sh->cell_open)
			sh->cell_space = true;
		else if (p->para)
			office_newline(p);
		p->para++;
	} else if (office_is(name, "annotation")) {
		p->note++;
		sh->cell_space = true;
	} else if ((p->note && office_is(name, "date")) || office_is(name, "note-citation")) {
		p->skip = !empty;
	} else if (p->para && office_is(name, "s")) {
		static const char spaces[OFFICE_SPACES] = "        ";
		xmlChar *count = office_attr(p, "c", OFFICE_NS_TEXT);
		uint64_t c = office_number(count, 1);
		office_attr_free(count);
		if (sh->cell_open)
			office_cell_text(p, " ", 1);
		else
			office_text(p, spaces, c > OFFICE_SPACES ? OFFICE_SPACES : (size_t)c, false);
	} else if (p->para && (office_is(name, "tab") || office_is(name, "line-break"))) {
		if (sh->cell_open)
			sh->cell_space = true;
		else if (office_is(name, "tab"))
			office_text(p, "\t", 1, false);
		else
			office_newline(p);
	}
}

static void office_odf_end(struct office_part *p, const xmlChar *name)
{
	struct office_sheet *sh = &p->sheet;

	if (office_odf_gate(p, name)) {
		if (p->gate)
			p->gate--;
		office_newline(p);
		return;
	}
	if (!p->gate)
		return;
	if (office_is(name, "table")) {
		if (p->table && --p->table == 0) {
			office_row_end(p);
			memset(sh, 0, sizeof(*sh));
			if (p->sheets)
				office_part_run(p);
		}
	} else if (office_is(name, "shapes")) {
		if (p->sheets && p->table == 1)
			office_end_run(p);
	} else if (office_is(name, "table-row")) {
		if (p->table == 1)
			office_row_end(p);
		else
			sh->cell_space = true;
	} else if (office_is(name, "table-cell") || office_is(name, "covered-table-cell")) {
		if (p->table == 1) {
			office_cell_end(p);
			p->locked = false;
		} else {
			sh->cell_space = true;
		}
	} else if (office_odf_para(p, name)) {
		if (p->para)
			p->para--;
		if (sh->cell_open)
			sh->cell_space = true;
		else
			office_newline(p);
	} else if (office_is(name, "annotation")) {
		if (p->note)
			p->note--;
		sh->cell_space = true;
	}
}

static void office_odf_text(struct office_part *p, const char *s, size_t n)
{
	if (!p->gate || !p->para)
		return;
	if (p->sheet.cell_open) {
		if (!p->locked || p->note)
			office_cell_text(p, s, n);
		return;
	}
	/* Line ends and tabs in a paragraph's text are white space in ODF. */
	office_text(p, s, n, true);
}

/* --- one XML part ------------------------------------------------------------- */

static void office_start(struct office_part *p, const xmlChar *name, bool empty)
{
	switch (p->kind) {
	case OFFICE_FLOW: office_flow_start(p, name, empty); break;
	case OFFICE_SHEET: office_sheet_start(p, name, empty); break;
	case OFFICE_SHARED: office_shared_start(p, name, empty); break;
	case OFFICE_LEAF: office_leaf_start(p, name); break;
	case OFFICE_CONTENT:
	case OFFICE_STYLES: office_odf_start(p, name, empty); break;
	case OFFICE_SKIP:
	case OFFICE_NESTED:
	case OFFICE_MANIFEST: break;
	}
}

static void office_end(struct office_part *p, const xmlChar *name)
{
	switch (p->kind) {
	case OFFICE_FLOW: office_flow_end(p, name); break;
	case OFFICE_SHEET: office_sheet_end(p, name); break;
	case OFFICE_SHARED: office_shared_end(p, name); break;
	case OFFICE_LEAF: office_newline(p); break;
	case OFFICE_CONTENT:
	case OFFICE_STYLES: office_odf_end(p, name); break;
	case OFFICE_SKIP:
	case OFFICE_NESTED:
	case OFFICE_MANIFEST: break;
	}
}

static void office_node_text(struct office_part *p, const char *s, size_t n, bool blank)
{
	switch (p->kind) {
	case OFFICE_FLOW:
		if (p->text)
			office_text(p, s, n, p->cell > 0);
		break;
	case OFFICE_SHEET: office_sheet_text(p, s, n); break;
	case OFFICE_SHARED:
		if (p->text)
			office_xstring(p, s, n, office_shared_put);
		break;
	case OFFICE_LEAF:
		if (!blank)
			office_text(p, s, n, false);
		break;
	case OFFICE_CONTENT:
	case OFFICE_STYLES: office_odf_text(p, s, n); break;
	case OFFICE_SKIP:
	case OFFICE_NESTED:
	case OFFICE_MANIFEST: break;
	}
}

/* Read one XML part of kind and give its text. Returns 0 (a malformed part
 * or a limit of the part was reported), or ERR_LIMIT / ERR_TIMEOUT /
 * ERR_NOMEM when the whole file must stop. */
static int office_xml(struct office *o, enum office_kind kind, const char *name, const unsigned char *data, size_t len)
{
	struct office_part *p = NULL;
	uint64_t nodes = 0;
	int rc = 0, r;

	if (len == 0) {
		extract_coverage(o->x, name, EXTRACT_COVERAGE_CORRUPT, "empty XML part");
		return 0;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return ERR_NOMEM;
	p->o = o;
	p->kind = kind;
	p->name = name;
	p->last = '\n';
	office_part_run(p);
	p->reader = xmlReaderForMemory((const char *)data, (int)len, NULL, NULL, OFFICE_XML_OPTIONS);
	if (!p->reader) {
		rc = ERR_NOMEM;
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(p->reader, office_xml_quiet, NULL);
	o->shared_open = false;
	for (;;) {
		r = p->skip ? xmlTextReaderNext(p->reader) : xmlTextReaderRead(p->reader);
		p->skip = false;
		if (r != 1)
			break;
		int type = xmlTextReaderNodeType(p->reader);
		if (xmlTextReaderDepth(p->reader) >= OFFICE_XML_DEPTH) {
			office_give_up(p, EXTRACT_COVERAGE_LIMIT, "XML nested more than 256 deep");
			break;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			const xmlChar *local = xmlTextReaderConstLocalName(p->reader);
			bool empty = xmlTextReaderIsEmptyElement(p->reader) == 1;
			if (!local)
				continue;
			office_start(p, local, empty);
			if (empty && !p->skip)
				office_end(p, local);
			p->skip = p->skip && !empty;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			const xmlChar *local = xmlTextReaderConstLocalName(p->reader);
			if (local)
				office_end(p, local);
		} else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
		           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
			/* Entity references are nodes of their own, never expanded: skipped. */
			const xmlChar *v = xmlTextReaderConstValue(p->reader);
			if (v)
				office_node_text(p, (const char *)v, strlen((const char *)v),
				                 type == XML_READER_TYPE_WHITESPACE ||
				                         type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE);
		}
		/* The time budget, now and then: a part can be all markup and no text. */
		if (++nodes % OFFICE_CHECK_NODES == 0 && !p->stop) {
			int stop = extract_check(o->x, 0);
			if (stop < 0)
				p->stop = stop;
		}
		if (p->stop || p->done)
			break;
	}
	if (r < 0 && !p->stop && !p->done)
		office_give_up(p, EXTRACT_COVERAGE_CORRUPT, "malformed XML: the text before the error was read");
	office_row_end(p);
	office_newline(p);
	rc = p->stop;
out:
	office_end_run(p);
	if (p->reader)
		xmlFreeTextReader(p->reader);
	if (o->shared_open) {
		/* an si cut short by an error: its bytes are dropped */
		o->pool_len = o->offsets ? o->offsets[o->count] : 0;
		o->shared_open = false;
	}
	explicit_bzero(p, sizeof(*p));
	free(p);
	return rc;
}

/* --- the zip ---------------------------------------------------------------- */

static int office_grow(unsigned char **buf, size_t *cap, size_t len, size_t want)
{
	unsigned char *n = malloc(want);

	if (!n)
		return ERR_NOMEM;
	if (*buf) {
		memcpy(n, *buf, len);
		explicit_bzero(*buf, len);
		free(*buf);
	}
	*buf = n;
	*cap = want;
	return 0;
}

/* Expand the current member into *ret (the caller wipes and frees it).
 * Returns 0, 1 when it was not read (its outcome reported), or ERR_LIMIT /
 * ERR_TIMEOUT / ERR_NOMEM when the whole file must stop. */
static int office_read(struct office *o, struct archive *a, struct archive_entry *e, const char *name,
                       unsigned char **ret, size_t *ret_len)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;

	*ret = NULL;
	*ret_len = 0;
	if (archive_entry_size_is_set(e) && archive_entry_size(e) > (la_int64_t)EXTRACT_OFFICE_ENTRY_MAX) {
		extract_coverage(o->x, name, EXTRACT_COVERAGE_LIMIT, "part larger than 64 MiB, not expanded");
		return 1;
	}
	for (;;) {
		la_ssize_t n;
		if (len == cap && cap < EXTRACT_OFFICE_ENTRY_MAX + 1) {
			/* The size in the zip is a hint, never trusted: bytes are counted as they come. */
			size_t want = cap ? 2 * cap
			              : archive_entry_size_is_set(e) && archive_entry_size(e) >= 0
			                      ? (size_t)archive_entry_size(e) + 1
			                      : 4 * OFFICE_READ_CHUNK;
			if (want > EXTRACT_OFFICE_ENTRY_MAX + 1)
				want = EXTRACT_OFFICE_ENTRY_MAX + 1;
			rc = office_grow(&buf, &cap, len, want);
			if (rc < 0)
				goto out;
		}
		n = archive_read_data(a, buf + len, cap - len < OFFICE_READ_CHUNK ? cap - len : OFFICE_READ_CHUNK);
		if (n == 0)
			break;
		if (n < 0) {
			const char *why = archive_error_string(a);
			bool locked = why && (strstr(why, "ncrypt") || strstr(why, "assword"));
			extract_coverage(o->x, name, locked ? EXTRACT_COVERAGE_ENCRYPTED : EXTRACT_COVERAGE_CORRUPT,
			                 locked ? "encrypted part" : "damaged part");
			rc = 1;
			goto out;
		}
		len += (size_t)n;
		rc = extract_check(o->x, (size_t)n);
		if (rc < 0)
			goto out;
		if (len > EXTRACT_OFFICE_ENTRY_MAX) {
			extract_coverage(o->x, name, EXTRACT_COVERAGE_LIMIT, "part larger than 64 MiB, not expanded");
			rc = 1;
			goto out;
		}
	}
	*ret = buf;
	*ret_len = len;
	buf = NULL;
out:
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
	return rc;
}

/* One pass over the members: the first (only xl/sharedStrings.xml or the
 * manifest, which sheets and encrypted parts need first) or the second
 * (everything else). Returns 0 or an error that stops the file. */
static int office_pass(struct office *o, bool first)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	uint64_t entries = 0;
	int rc = 0, r;

	if (!a)
		return ERR_NOMEM;
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, o->data, o->len) != ARCHIVE_OK) {
		if (first)
			extract_coverage(o->x, NULL, EXTRACT_COVERAGE_CORRUPT, "not a zip file that can be opened");
		rc = first ? 1 : 0;
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		const char *name;
		enum office_kind kind;
		unsigned char *data = NULL;
		size_t len = 0;

		if (r < ARCHIVE_WARN) {
			if (!first)
				extract_coverage(o->x, NULL, EXTRACT_COVERAGE_CORRUPT,
				                 "damaged zip: the parts after the damage are not read");
			break;
		}
		if (++entries % OFFICE_CHECK_ENTRIES == 0) {
			rc = extract_check(o->x, 0);
			if (rc < 0)
				break;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		name = archive_entry_pathname_utf8(e);
		if (!name)
			name = archive_entry_pathname(e);
		if (!name || !name[0])
			name = "?";
		kind = office_route(o, name);
		if (first != (kind == OFFICE_SHARED || kind == OFFICE_MANIFEST) || kind == OFFICE_SKIP)
			continue;
		if (archive_entry_is_encrypted(e)) {
			extract_coverage(o->x, name, EXTRACT_COVERAGE_ENCRYPTED, "encrypted part");
			continue;
		}
		r = office_read(o, a, e, name, &data, &len);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r > 0)
			continue;
		if (kind == OFFICE_MANIFEST) {
			o->encrypted = memmem(data, len, "encryption-data", 15) != NULL;
			if (o->encrypted)
				extract_coverage(o->x, NULL, EXTRACT_COVERAGE_ENCRYPTED,
				                 "password-protected document: only its properties are read");
		} else if (kind == OFFICE_NESTED) {
			/* What went wrong inside a nested object was reported there;
			 * only the file-wide stops end this one. */
			rc = extract_nested(o->x, name, data, len);
			if (rc != ERR_LIMIT && rc != ERR_TIMEOUT && rc != ERR_NOMEM)
				rc = 0;
		} else {
			rc = office_xml(o, kind, name, data, len);
		}
		explicit_bzero(data, len);
		free(data);
		if (rc < 0)
			break;
	}
out:
	archive_read_free(a);
	return rc;
}

static int office_run(struct extract *x, const unsigned char *data, size_t len, const struct office_route *routes)
{
	struct office o = {.x = x, .data = data, .len = len, .routes = routes};
	int rc;

	xmlInitParser();
	xmlSetExternalEntityLoader(office_no_loader);
	o.text = malloc(OFFICE_TEXT_BUF);
	o.row = malloc(OFFICE_ROW_BUF);
	o.cell = malloc(OFFICE_CELL_BUF);
	if (!o.text || !o.row || !o.cell) {
		rc = ERR_NOMEM;
		goto out;
	}
	rc = office_pass(&o, true);
	if (rc == 1) {
		rc = 0; /* not a zip: reported */
		goto out;
	}
	if (rc == 0)
		rc = office_pass(&o, false);
out:
	if (o.pool) {
		explicit_bzero(o.pool, o.pool_cap);
		free(o.pool);
	}
	free(o.offsets);
	/* text, row and cell are wiped as they are used */
	free(o.text);
	free(o.row);
	free(o.cell);
	return rc;
}

int extract_ooxml(struct extract *x, const unsigned char *data, size_t len)
{
	return office_run(x, data, len, office_ooxml_routes);
}

int extract_odf(struct extract *x, const unsigned char *data, size_t len)
{
	return office_run(x, data, len, office_odf_routes);
}
