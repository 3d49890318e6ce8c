/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RTF documents for the extraction framework, which calls extract_rtf() on
 * bytes that start with "{\rtf". The text comes back without control words:
 * \'xx bytes and raw 8-bit bytes decoded by the code page of the document
 * (\ansicpg) or of the font in use (\fcharset), \uN as Unicode with its
 * fallback skipped, paragraphs as lines and table rows as tab-separated lines
 * (as the Office extractor gives Word tables, so a column header is context).
 * Destinations without body text (font and colour tables, style sheets,
 * pictures, embedded objects, field codes) are skipped; the \info metadata is
 * given as a run of its own, "info". Groups are kept on an explicit stack of
 * bounded depth and \bin lengths are checked against what remains: a hostile
 * file ends with a coverage outcome, never with a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "error.h"
#include "extract.h"
#include "text.h"

/* Group nesting kept with its own state. Word's documents stay below 50
 * (tables in tables in text boxes); a deeper group shares the deepest state
 * and the file gets a coverage.limit, its text still read. */
#define RTF_DEPTH 256

/* Letters of a control word kept: the longest in the specification has 24. */
#define RTF_WORD 32

/* Fonts whose code page is remembered (a document names a few dozen). */
#define RTF_FONTS 256

/* Code-page decoders kept open at once (one per script in use). */
#define RTF_DECODERS 4

/* Bytes of UTF-8 gathered between calls to extract_text; code-page bytes
 * gathered before they are decoded. */
#define RTF_OUT     65536
#define RTF_PENDING 4096

/* Input bytes read between two looks at the file's time budget. */
#define RTF_CHECK_BYTES (1u << 20)

/* The member name of the metadata run (\info, \*\userprops). */
#define RTF_INFO_MEMBER "info"

struct rtf_state {
	uint16_t cpg; /* code page of \'xx and 8-bit bytes; 0: the document's */
	uint8_t uc;   /* fallback characters after \uN (\ucN) */
	bool skip;    /* a destination without body text */
	bool info;    /* metadata: \info, \*\userprops */
	bool fonttbl; /* the font table: \fN and \fcharsetN are recorded */
	bool intbl;   /* the paragraph is in a table cell */
	bool pending; /* \* was just read: the next control word is an optional destination */
};

enum rtf_run { RTF_RUN_NONE, RTF_RUN_BODY, RTF_RUN_INFO };

struct rtf {
	struct extract *x;
	struct rtf_state st[RTF_DEPTH];
	size_t depth; /* groups open, also past RTF_DEPTH */
	bool deep_reported;
	uint16_t doc_cpg;
	int32_t deff;     /* the default font (\deffN) */
	int32_t font_num; /* the font being defined in the font table */
	struct {
		int32_t num;
		uint16_t cpg;
	} fonts[RTF_FONTS];
	size_t nfonts;
	struct {
		uint16_t cpg;
		struct decoder *d;
	} dec[RTF_DECODERS];
	size_t ndec, dec_next;
	unsigned skip_chars; /* fallback characters still to skip after \uN */
	uint32_t high;       /* a high surrogate waiting for its low half */
	unsigned tabs_due;   /* cells ended in the row, written before the next text */
	enum rtf_run run;
	char last; /* the last byte given, for line ends in the metadata */
	unsigned char pend[RTF_PENDING];
	size_t pend_len;
	uint16_t pend_cpg;
	bool held; /* the decoder may hold back output: a final flush is due */
	char decoded[RTF_PENDING];
	char out[RTF_OUT];
	size_t out_len;
	int rc;
};

/* --- output ------------------------------------------------------------------ */

static void rtf_flush_out(struct rtf *r)
{
	if (r->out_len && r->rc == 0) {
		extract_text(r->x, r->out, r->out_len);
		r->rc = extract_check(r->x, r->out_len);
	}
	explicit_bzero(r->out, r->out_len);
	r->out_len = 0;
}

static void rtf_out(struct rtf *r, const char *s, size_t n)
{
	while (n) {
		size_t k = n < RTF_OUT - r->out_len ? n : RTF_OUT - r->out_len;
		memcpy(r->out + r->out_len, s, k);
		r->out_len += k;
		s += k;
		n -= k;
		if (r->out_len == RTF_OUT)
			rtf_flush_out(r);
	}
}

/* The decoder of code page cpg (an iconv name made from its number), or
 * NULL when iconv has none and WINDOWS-1252 fails too. */
static struct decoder *rtf_decoder(struct rtf *r, uint16_t cpg)
{
	char name[32];
	struct decoder *d = NULL;

	for (size_t i = 0; i < r->ndec; i++)
		if (r->dec[i].cpg == cpg)
			return r->dec[i].d;
	if (cpg >= 1250 && cpg <= 1258)
		snprintf(name, sizeof(name), "WINDOWS-%u", (unsigned)cpg);
	else if (cpg == 936)
		snprintf(name, sizeof(name), "GB18030"); /* a superset of GBK */
	else if (cpg == 950)
		snprintf(name, sizeof(name), "BIG5");
	else if (cpg == 10000)
		snprintf(name, sizeof(name), "MACINTOSH");
	else if (cpg == 1361)
		snprintf(name, sizeof(name), "JOHAB");
	else if (cpg == 65001)
		snprintf(name, sizeof(name), "UTF-8");
	else
		snprintf(name, sizeof(name), "CP%u", (unsigned)cpg);
	if (decode_new(name, &d) < 0 && decode_new("WINDOWS-1252", &d) < 0)
		return NULL;
	size_t i = r->ndec < RTF_DECODERS ? r->ndec++ : r->dec_next++ % RTF_DECODERS;
	if (r->dec[i].d)
		decode_free(r->dec[i].d);
	r->dec[i].cpg = cpg;
	r->dec[i].d = d;
	return d;
}

/* Decode the pending code-page bytes; without final, an incomplete
 * character at their end stays pending (and a letter WINDOWS-1258 holds back
 * for a possible accent stays in the decoder). */
static void rtf_flush_pending(struct rtf *r, bool final)
{
	struct decoder *d;
	size_t off = 0;

	if (!r->pend_len && !(final && r->held))
		return;
	d = rtf_decoder(r, r->pend_cpg);
	if (!d) {
		for (size_t i = 0; i < r->pend_len; i++)
			rtf_out(r, r->pend[i] < 0x80 ? (const char *)&r->pend[i] : "\xef\xbf\xbd",
			        r->pend[i] < 0x80 ? 1 : 3);
		r->pend_len = 0;
		return;
	}
	do {
		size_t used = 0, n = 0;
		decode_run(d, r->pend + off, r->pend_len - off, &used, r->decoded, sizeof(r->decoded), &n, final);
		rtf_out(r, r->decoded, n);
		off += used;
		if (used == 0 && n == 0)
			break;
	} while (off < r->pend_len);
	explicit_bzero(r->decoded, sizeof(r->decoded));
	memmove(r->pend, r->pend + off, r->pend_len - off);
	r->pend_len -= off;
	explicit_bzero(r->pend + r->pend_len, off);
	if (final) {
		explicit_bzero(r->pend, r->pend_len);
		r->pend_len = 0;
	}
	r->held = !final;
}

/* The code page in force: the group's (its font's), else the document's. */
static uint16_t rtf_cpg(const struct rtf *r, const struct rtf_state *s)
{
	return s->cpg ? s->cpg : r->doc_cpg;
}

/* Output goes to the run of the group's kind: the body or the metadata. */
static void rtf_run(struct rtf *r, const struct rtf_state *s)
{
	enum rtf_run want = s->info ? RTF_RUN_INFO : RTF_RUN_BODY;

	if (r->run == want)
		return;
	rtf_flush_pending(r, true);
	rtf_flush_out(r);
	extract_text_begin(r->x, want == RTF_RUN_INFO ? RTF_INFO_MEMBER : NULL);
	r->run = want;
	r->last = '\n';
}

/* UTF-8 text (a \uN character, a separator): pending bytes go first. */
static void rtf_utf8(struct rtf *r, const struct rtf_state *s, const char *u, size_t n)
{
	rtf_run(r, s);
	rtf_flush_pending(r, true);
	rtf_out(r, u, n);
	r->last = u[n - 1];
}

/* The tabs of the table cells ended before this text. */
static void rtf_cells(struct rtf *r, const struct rtf_state *s)
{
	static const char tabs[8] = "\t\t\t\t\t\t\t\t";

	while (r->tabs_due) {
		unsigned k = r->tabs_due < sizeof(tabs) ? r->tabs_due : (unsigned)sizeof(tabs);
		rtf_utf8(r, s, tabs, k);
		r->tabs_due -= k;
	}
}

/* One byte of text in the code page in force: ASCII passes straight unless
 * code-page bytes are waiting (a trail byte of GBK can be ASCII). */
static void rtf_byte(struct rtf *r, const struct rtf_state *s, unsigned char c)
{
	uint16_t cpg = rtf_cpg(r, s);

	if (c < 0x20 && c != '\t') /* \'00 to \'1f: no text, but they separate it */
		c = c == '\n' || c == '\r' ? '\n' : ' ';
	rtf_cells(r, s);
	rtf_run(r, s);
	if ((r->pend_len || r->held) && r->pend_cpg != cpg)
		rtf_flush_pending(r, true);
	if (c < 0x80 && r->pend_len == 0) {
		rtf_out(r, (const char *)&c, 1);
	} else {
		if (r->pend_len == RTF_PENDING)
			rtf_flush_pending(r, false);
		if (r->pend_len == RTF_PENDING)
			rtf_flush_pending(r, true); /* a decoder that consumed nothing */
		r->pend_cpg = cpg;
		r->pend[r->pend_len++] = c;
	}
	r->last = (char)c;
}

static void rtf_code_point(struct rtf *r, const struct rtf_state *s, uint32_t c)
{
	char u[4];
	size_t n;

	if (c >= 0xDC00 && c < 0xE000 && r->high) {
		c = 0x10000 + ((r->high - 0xD800) << 10) + (c - 0xDC00);
		r->high = 0;
	} else if (c >= 0xD800 && c < 0xDC00) {
		r->high = c;
		return;
	} else if (c >= 0xD800 && c < 0xE000) {
		c = 0xFFFD;
	}
	if (c < 0x20) {
		u[0] = c == '\n' || c == '\r' ? '\n' : ' ';
		n = 1;
	} else {
		n = text_utf8_put(c, u);
	}
	rtf_cells(r, s);
	rtf_utf8(r, s, u, n);
}

/* A paragraph or line end: a space inside a table cell, whose row stays on
 * one line. */
static void rtf_line(struct rtf *r, const struct rtf_state *s)
{
	if (s->intbl) {
		if (r->last != ' ' && r->last != '\t' && r->last != '\n')
			rtf_utf8(r, s, " ", 1);
		return;
	}
	r->tabs_due = 0;
	rtf_utf8(r, s, "\n", 1);
}

/* --- fonts and code pages ---------------------------------------------------------- */

/* The code page of a Windows character set (\fcharsetN); 0 for the
 * document's own (ANSI, default) and for the unknown. */
static uint16_t rtf_charset_cpg(int32_t charset)
{
	static const struct {
		int32_t charset;
		uint16_t cpg;
	} map[] = {
	        {77, 10000}, {128, 932},  {129, 949},  {130, 1361}, {134, 936},  {136, 950},
	        {161, 1253}, {162, 1254}, {163, 1258}, {177, 1255}, {178, 1256}, {186, 1257},
	        {204, 1251}, {222, 874},  {238, 1250}, {254, 437},  {255, 850},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].charset == charset)
			return map[i].cpg;
	return 0;
}

static void rtf_font_set(struct rtf *r, int32_t num, uint16_t cpg)
{
	for (size_t i = 0; i < r->nfonts; i++)
		if (r->fonts[i].num == num) {
			r->fonts[i].cpg = cpg;
			return;
		}
	if (r->nfonts < RTF_FONTS) {
		r->fonts[r->nfonts].num = num;
		r->fonts[r->nfonts++].cpg = cpg;
	}
}

static uint16_t rtf_font_cpg(const struct rtf *r, int32_t num)
{
	for (size_t i = 0; i < r->nfonts; i++)
		if (r->fonts[i].num == num)
			return r->fonts[i].cpg;
	return 0;
}

static uint16_t rtf_cpg_param(int32_t n)
{
	return n > 0 && n <= UINT16_MAX ? (uint16_t)n : 0;
}

/* --- control words ----------------------------------------------------------------- */

/* Destinations that hold no body text, skipped with their group. */
static bool rtf_skipped(const char *w)
{
	static const char *const words[] = {
	        "fonttbl",    "colortbl",  "stylesheet", "listtable", "listoverridetable", "revtbl",   "rsidtbl",
	        "pict",       "objdata",   "filetbl",    "xmlnstbl",  "fldinst",           "sp",       "shprslt",
	        "nonshppict", "datafield", "template",   "bkmkstart", "bkmkend",           "pgdsctbl",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(w, words[i]) == 0)
			return true;
	return false;
}

/* Optional destinations (after \*) that hold text: the Unicode half of
 * \upr, shape text, comments, notes, custom properties. */
static bool rtf_kept(const char *w)
{
	static const char *const words[] = {"ud", "shpinst", "shptxt", "annotation", "footnote", "userprops"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(w, words[i]) == 0)
			return true;
	return false;
}

/* Control words that stand for a character. */
static const char *rtf_symbol_word(const char *w)
{
	static const struct {
		const char *word, *utf8;
	} map[] = {
	        {"emdash", "\xe2\x80\x94"},
	        {"endash", "\xe2\x80\x93"},
	        {"lquote", "\xe2\x80\x98"},
	        {"rquote", "\xe2\x80\x99"},
	        {"ldblquote", "\xe2\x80\x9c"},
	        {"rdblquote", "\xe2\x80\x9d"},
	        {"bullet", "\xe2\x80\xa2"},
	        {"emspace", " "},
	        {"enspace", " "},
	        {"qmspace", " "},
	        {"zwj", "\xe2\x80\x8d"},
	        {"zwnj", "\xe2\x80\x8c"},
	        {"ltrmark", "\xe2\x80\x8e"},
	        {"rtlmark", "\xe2\x80\x8f"},
	        {"nestcell", " "},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(w, map[i].word) == 0)
			return map[i].utf8;
	return NULL;
}

static struct rtf_state *rtf_top(struct rtf *r)
{
	return &r->st[r->depth < RTF_DEPTH ? r->depth : RTF_DEPTH - 1];
}

/* A control word with its parameter (has_param false: none given). */
static void rtf_word(struct rtf *r, const char *w, bool has_param, int32_t param)
{
	struct rtf_state *s = rtf_top(r);
	bool starred = s->pending;

	s->pending = false;
	if (starred) {
		if (!rtf_kept(w))
			s->skip = true;
		else if (strcmp(w, "userprops") == 0)
			s->info = true;
		else if (strcmp(w, "ud") == 0)
			s->skip = false; /* the Unicode half of \upr */
		return;
	}
	if (rtf_skipped(w)) {
		s->skip = true;
		s->fonttbl = s->fonttbl || strcmp(w, "fonttbl") == 0;
		return;
	}
	if (strcmp(w, "info") == 0) {
		s->info = true;
		return;
	}
	if (strcmp(w, "upr") == 0) {
		s->skip = true; /* its first group is the ANSI copy of \*\ud */
		return;
	}
	if (s->fonttbl) {
		if (strcmp(w, "f") == 0 && has_param)
			r->font_num = param;
		else if (strcmp(w, "fcharset") == 0 && has_param)
			rtf_font_set(r, r->font_num, rtf_charset_cpg(param));
		else if (strcmp(w, "cpg") == 0 && has_param)
			rtf_font_set(r, r->font_num, rtf_cpg_param(param));
		return;
	}
	/* Character and paragraph state, also in skipped groups. */
	if (strcmp(w, "uc") == 0) {
		s->uc = has_param && param >= 0 && param <= 255 ? (uint8_t)param : 1;
	} else if (strcmp(w, "ansicpg") == 0) {
		r->doc_cpg = rtf_cpg_param(param) ? rtf_cpg_param(param) : 1252;
	} else if (strcmp(w, "ansi") == 0) {
		r->doc_cpg = 1252;
	} else if (strcmp(w, "mac") == 0) {
		r->doc_cpg = 10000;
	} else if (strcmp(w, "pc") == 0) {
		r->doc_cpg = 437;
	} else if (strcmp(w, "pca") == 0) {
		r->doc_cpg = 850;
	} else if (strcmp(w, "deff") == 0 && has_param) {
		r->deff = param;
	} else if (strcmp(w, "f") == 0 && has_param) {
		s->cpg = rtf_font_cpg(r, param);
	} else if (strcmp(w, "plain") == 0) {
		s->cpg = rtf_font_cpg(r, r->deff);
	} else if (strcmp(w, "pard") == 0) {
		s->intbl = false;
	} else if (strcmp(w, "intbl") == 0) {
		s->intbl = true;
	}
	if (s->skip)
		return;
	const char *sym = rtf_symbol_word(w);
	if (strcmp(w, "par") == 0 || strcmp(w, "line") == 0 || strcmp(w, "sect") == 0 || strcmp(w, "page") == 0) {
		rtf_line(r, s);
	} else if (strcmp(w, "tab") == 0) {
		rtf_cells(r, s);
		rtf_utf8(r, s, s->intbl ? " " : "\t", 1);
	} else if (strcmp(w, "cell") == 0) {
		r->tabs_due++;
		r->last = '\t';
	} else if (strcmp(w, "row") == 0 || strcmp(w, "nestrow") == 0) {
		if (strcmp(w, "row") == 0) {
			r->tabs_due = 0;
			rtf_utf8(r, s, "\n", 1);
		}
	} else if (strcmp(w, "u") == 0 && has_param) {
		int32_t c = param < 0 ? param + 65536 : param;
		rtf_code_point(r, s, c >= 0 && c <= 0xFFFF ? (uint32_t)c : 0xFFFD);
		r->skip_chars = s->uc;
	} else if (sym) {
		rtf_cells(r, s);
		rtf_utf8(r, s, sym, strlen(sym));
	}
}

/* --- the reader ---------------------------------------------------------------- */

static bool rtf_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int rtf_hex(unsigned char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

static void rtf_open(struct rtf *r)
{
	r->skip_chars = 0;
	if (++r->depth < RTF_DEPTH) {
		r->st[r->depth] = r->st[r->depth - 1];
	} else if (!r->deep_reported) {
		r->deep_reported = true;
		extract_coverage(r->x, NULL, EXTRACT_COVERAGE_LIMIT, "RTF groups nested more than 256 deep");
	}
	rtf_top(r)->pending = false;
}

static void rtf_close(struct rtf *r)
{
	r->skip_chars = 0;
	if (r->depth == 0)
		return; /* a stray brace */
	struct rtf_state *s = rtf_top(r);
	bool info = s->info && !s->skip;
	r->depth--;
	/* Each metadata field (title, author, ...) on a line of its own. */
	if (info && r->run == RTF_RUN_INFO && r->last != '\n')
		rtf_utf8(r, s, "\n", 1);
	/* After the font table, text without \f is in the default font. */
	struct rtf_state *top = rtf_top(r);
	if (s->fonttbl && !top->fonttbl && top->cpg == 0)
		top->cpg = rtf_font_cpg(r, r->deff);
}

/* A control word or symbol at p (after its backslash); returns where the
 * next token starts. */
static const unsigned char *rtf_control(struct rtf *r, const unsigned char *p, const unsigned char *end)
{
	struct rtf_state *s = rtf_top(r);
	char w[RTF_WORD + 1];
	size_t n = 0;

	if (p >= end)
		return p;
	if (!rtf_letter(*p)) {
		unsigned char c = *p++;
		bool fallback = r->skip_chars > 0;
		if (fallback)
			r->skip_chars--;
		if (c == '*') {
			s->pending = true;
			return p;
		}
		if (c == '\'') {
			int hi = p < end ? rtf_hex(p[0]) : -1, lo = p + 1 < end ? rtf_hex(p[1]) : -1;
			if (hi < 0 || lo < 0)
				return p;
			p += 2;
			if (!fallback && !s->skip)
				rtf_byte(r, s, (unsigned char)(hi << 4 | lo));
			return p;
		}
		s->pending = false;
		if (fallback || s->skip)
			return p;
		if (c == '\\' || c == '{' || c == '}')
			rtf_byte(r, s, c);
		else if (c == '~')
			rtf_code_point(r, s, 0xA0);
		else if (c == '_')
			rtf_byte(r, s, '-');
		else if (c == '\r' || c == '\n')
			rtf_line(r, s);
		return p;
	}
	while (p < end && rtf_letter(*p)) {
		if (n < RTF_WORD)
			w[n++] = (char)*p;
		p++;
	}
	w[n] = '\0';
	bool neg = false, has_param = false;
	int64_t v = 0;
	if (p < end && *p == '-' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
		neg = true;
		p++;
	}
	while (p < end && *p >= '0' && *p <= '9') {
		if (v < INT32_MAX)
			v = v * 10 + (*p - '0');
		has_param = true;
		p++;
	}
	if (v > INT32_MAX)
		v = INT32_MAX;
	if (p < end && *p == ' ')
		p++;
	int32_t param = (int32_t)(neg ? -v : v);
	if (strcmp(w, "bin") == 0) {
		/* Binary data of param bytes, read as no text. */
		uint64_t skip = has_param && param > 0 ? (uint64_t)param : 0;
		if (r->skip_chars)
			r->skip_chars--;
		if (skip > (uint64_t)(end - p)) {
			extract_coverage(r->x, NULL, EXTRACT_COVERAGE_CORRUPT,
			                 "RTF \\bin data past the end of the file");
			return end;
		}
		return p + skip;
	}
	if (r->skip_chars) {
		r->skip_chars--;
		s->pending = false;
		return p;
	}
	rtf_word(r, w, has_param, param);
	return p;
}

int extract_rtf(struct extract *x, const unsigned char *data, size_t len)
{
	struct rtf *r = calloc(1, sizeof(*r)); /* about 80 KiB: off the thread's stack */
	const unsigned char *p = data, *end = data + len,
	                    *check = data + (len < RTF_CHECK_BYTES ? len : RTF_CHECK_BYTES);
	int rc;

	if (!r)
		return ERR_NOMEM;
	r->x = x;
	r->doc_cpg = 1252;
	r->deff = -1;
	r->font_num = -1;
	r->last = '\n';
	r->st[0].uc = 1; /* one fallback byte after \uN unless \ucN says otherwise */
	while (p < end && r->rc == 0) {
		if (p >= check) {
			r->rc = extract_check(x, 0);
			check = p + (size_t)(end - p < RTF_CHECK_BYTES ? end - p : RTF_CHECK_BYTES);
			if (r->rc)
				break;
		}
		unsigned char c = *p;
		struct rtf_state *s = rtf_top(r);
		if (c == '{') {
			rtf_open(r);
			p++;
		} else if (c == '}') {
			rtf_close(r);
			p++;
		} else if (c == '\\') {
			p = rtf_control(r, p + 1, end);
		} else if (c == '\r' || c == '\n' || c == '\0') {
			p++; /* line ends of the file are not text */
		} else {
			p++;
			if (r->skip_chars) {
				r->skip_chars--;
			} else if (!s->skip) {
				if (s->pending)
					s->skip = true; /* \* before text: an unknown destination */
				else if (c == '\t')
					rtf_word(r, "tab", false, 0);
				else
					rtf_byte(r, s, c);
			}
		}
	}
	if (r->rc == 0 && r->depth > 0)
		extract_coverage(x, NULL, EXTRACT_COVERAGE_CORRUPT, "RTF cut short: groups left open");
	if (r->run != RTF_RUN_NONE) {
		rtf_flush_pending(r, true);
		rtf_flush_out(r);
		extract_text_end(x);
	}
	rc = r->rc;
	for (size_t i = 0; i < r->ndec; i++)
		decode_free(r->dec[i].d);
	explicit_bzero(r, sizeof(*r));
	free(r);
	return rc;
}
