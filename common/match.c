/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The matching engine (see match.h). A round works on one buffer: the context
 * kept from the previous round followed by new text. Matches are decided by
 * where they start: those starting in [decided, limit) are decided now, the
 * last LIMIT_SCAN_MARGIN bytes wait for the next round, so nothing is decided
 * twice or without its full bytes. It never allocates after match_new().
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "limits.h"
#include "text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Bytes around a digit run that a match may take in: "+84 ", a passport
 * letter, the "GB82 WEST " of an IBAN before its digits, letters after them.
 * Patterns still see the text before the window in their look-behinds. */
#define WINDOW_DIGITS_BEFORE 16u
#define WINDOW_DIGITS_AFTER  16u
#define WINDOW_AT_BEFORE     72u  /* an e-mail's local part (64) and its boundary */
#define WINDOW_AT_AFTER      264u /* its domain (253) */
#define WINDOW_MRZ_PAD       128u /* three 30-character lines either side of a "<<" */
#define LEVEL_STEP           0.2  /* one level of identifiers.md §2.4, for validator adjustments */

struct window {
	size_t start, end;
	unsigned digits;
	enum rule_trigger trigger;
};

struct candidate {
	const struct rule *rule;
	size_t start, end; /* in the normalised text */
	double confidence;
	char value[DETECT_VALUE_MAX + 1];
	size_t value_len;
	struct detect_result result;
};

struct matcher {
	const struct rules *rules;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;

	char *buf; /* decoded text: buf[0..len) */
	size_t len, cap;
	char *norm; /* normalised text of a round */
	size_t norm_len;
	const char *text; /* norm, or buf when the round is pure ASCII */
	struct text_map map;
	const struct text_map *mapp;

	uint64_t base;      /* stream offset of buf[0] */
	size_t decided;     /* matches starting before this buf offset are decided */
	uint64_t line_base; /* line number of buf[0] */
	size_t line_pos;    /* a cached line count: buf offset ... */
	uint64_t line_at;   /* ... and its line */

	bool header_done;
	char header[LIMIT_HEADER_BYTES + 1]; /* folded fields, each NUL-terminated */
	uint16_t header_field[LIMIT_HEADER_ROWS][LIMIT_HEADER_COLUMNS];
	size_t header_columns[LIMIT_HEADER_ROWS];
	size_t header_rows;
	char delimiter;

	struct window *windows;
	size_t n_windows, cap_windows;
	struct candidate cands[LIMIT_WINDOW_CANDIDATES];
	size_t n_cands;
	char fold[LIMIT_CONTEXT_BEFORE + LIMIT_MATCH_BYTES + LIMIT_CONTEXT_AFTER + 1];

	double min_confidence;
	match_emit_fn *emit;
	void *ctx;
	uint64_t reported;
};

int match_new(const struct rules *rules, struct matcher **ret)
{
	struct matcher *m = calloc(1, sizeof(*m));

	*ret = NULL;
	if (!m)
		return ERR_NOMEM;
	m->rules = rules;
	m->cap = LIMIT_SCAN_CHUNK + LIMIT_SCAN_CONTEXT + LIMIT_SCAN_MARGIN;
	m->buf = malloc(m->cap);
	m->norm = malloc(m->cap);
	m->map.cap = m->cap / 2 + 1;
	m->map.norm = malloc(m->map.cap * sizeof(*m->map.norm));
	m->map.delta = malloc(m->map.cap * sizeof(*m->map.delta));
	/* A window per 8 bytes at most (a digit run of min_digits >= 1 plus a
	 * non-digit, merged when close): bound once here. */
	m->cap_windows = m->cap / 8 + 16;
	m->windows = malloc(m->cap_windows * sizeof(*m->windows));
	m->md = pcre2_match_data_create(16, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->jit = pcre2_jit_stack_create(32 * 1024, LIMIT_PCRE2_JIT_STACK, NULL);
	if (!m->buf || !m->norm || !m->map.norm || !m->map.delta || !m->windows || !m->md || !m->mctx) {
		match_free(m);
		return ERR_NOMEM;
	}
	pcre2_set_match_limit(m->mctx, LIMIT_PCRE2_MATCH);
	pcre2_set_depth_limit(m->mctx, LIMIT_PCRE2_DEPTH);
	if (m->jit)
		pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
	*ret = m;
	return 0;
}

void match_free(struct matcher *m)
{
	if (!m)
		return;
	if (m->buf)
		explicit_bzero(m->buf, m->cap);
	if (m->norm)
		explicit_bzero(m->norm, m->cap);
	explicit_bzero(m->cands, sizeof(m->cands));
	explicit_bzero(m->fold, sizeof(m->fold));
	free(m->buf);
	free(m->norm);
	free(m->map.norm);
	free(m->map.delta);
	free(m->windows);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit);
	free(m);
}

void match_begin(struct matcher *m, double min_confidence, match_emit_fn *emit, void *ctx)
{
	m->len = 0;
	m->base = 0;
	m->decided = 0;
	m->line_base = 1;
	m->line_pos = 0;
	m->line_at = 1;
	m->header_done = false;
	m->header_rows = 0;
	m->min_confidence = min_confidence;
	m->emit = emit;
	m->ctx = ctx;
	m->reported = 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The line of buf offset pos, from a cached count that moves either way. */
static uint64_t line_of(struct matcher *m, size_t pos)
{
	if (pos >= m->line_pos)
		m->line_at += text_count_lines(m->buf + m->line_pos, pos - m->line_pos);
	else
		m->line_at -= text_count_lines(m->buf + pos, m->line_pos - pos);
	m->line_pos = pos;
	return m->line_at;
}

/* --- CSV header ---------------------------------------------------------- */

/* Column index of position pos within the line starting at start, counting
 * delimiters outside double quotes. */
static size_t column_of(const char *t, size_t start, size_t pos, char delimiter)
{
	size_t col = 0;
	bool quoted = false;

	for (size_t i = start; i < pos; i++) {
		if (t[i] == '"')
			quoted = !quoted;
		else if (t[i] == delimiter && !quoted)
			col++;
	}
	return col;
}

/* The rows that may be a CSV header: the first LIMIT_HEADER_ROWS lines of the
 * stream that have delimiters. Exported lists often open with title rows
 * ("DANH SÁCH ...", padded with delimiters by the spreadsheet) or a header of
 * two rows, so the column's words are looked for in each of them. */
static void read_header(struct matcher *m)
{
	const char *t = m->text;
	size_t n = m->norm_len < LIMIT_HEADER_BYTES ? m->norm_len : LIMIT_HEADER_BYTES;
	size_t counts[3] = {0}, best = 0, o = 0;
	const char delims[3] = {',', ';', '\t'};

	m->header_done = true;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < 3; k++)
			counts[k] += t[i] == delims[k];
	for (size_t k = 1; k < 3; k++)
		if (counts[k] > counts[best])
			best = k;
	if (counts[best] == 0)
		return;
	m->delimiter = delims[best];

	size_t line = 0;
	for (size_t row = 0; row < LIMIT_HEADER_ROWS && m->header_rows < LIMIT_HEADER_ROWS && line < n; row++) {
		const char *nl = memchr(t + line, '\n', n - line);
		if (!nl)
			break; /* a line cut by the limit is not a header */
		size_t len = (size_t)(nl - t) - line;
		if (!memchr(t + line, m->delimiter, len)) {
			line += len + 1;
			continue;
		}
		size_t r = m->header_rows, field_start = line, cols = 0;
		bool quoted = false, full = false;
		for (size_t i = line; i <= line + len && cols < LIMIT_HEADER_COLUMNS; i++) {
			if (i < line + len && t[i] == '"') {
				quoted = !quoted;
				continue;
			}
			if (i < line + len && (t[i] != m->delimiter || quoted))
				continue;
			/* Field [field_start, i): fold it after the previous ones. */
			size_t flen = i - field_start;
			if (o + flen + 1 > LIMIT_HEADER_BYTES) {
				full = true;
				break;
			}
			m->header_field[r][cols++] = (uint16_t)o;
			o += text_fold(t + field_start, flen, m->header + o) + 1;
			field_start = i + 1;
		}
		m->header_columns[r] = cols;
		m->header_rows++;
		if (full)
			break;
		line += len + 1;
	}
}

/* --- context words -------------------------------------------------------- */

static bool word_at(const char *hay, size_t hay_len, size_t pos, const char *word, size_t wlen)
{
	/* An ASCII word must stand alone: "tel" is not in "hotel". */
	if (is_alnum(word[0]) && pos > 0 && is_alnum(hay[pos - 1]))
		return false;
	if (is_alnum(word[wlen - 1]) && pos + wlen < hay_len && is_alnum(hay[pos + wlen]))
		return false;
	return true;
}

/* Number of separate words of the list found in hay (0, 1 or 2: a word found
 * inside a longer one already counted does not count again). */
static int count_words(const struct rule_words *words, const char *hay, size_t hay_len)
{
	size_t hit_pos[2] = {0}, hit_len[2] = {0};
	int hits = 0;

	for (size_t i = 0; i < words->n && hits < 2; i++) {
		const char *w = words->v[i];
		size_t wlen = strlen(w), from = 0;
		while (wlen && from + wlen <= hay_len) {
			const char *p = memmem(hay + from, hay_len - from, w, wlen);
			if (!p)
				break;
			size_t pos = (size_t)(p - hay);
			if (word_at(hay, hay_len, pos, w, wlen)) {
				bool overlaps = false;
				for (int k = 0; k < hits; k++)
					overlaps |= pos < hit_pos[k] + hit_len[k] && hit_pos[k] < pos + wlen;
				if (!overlaps) {
					hit_pos[hits] = pos;
					hit_len[hits] = wlen;
					hits++;
				} else if (hits == 1 && wlen > hit_len[0]) {
					/* keep the longer of two overlapping words */
					hit_pos[0] = pos;
					hit_len[0] = wlen;
				}
				break;
			}
			from = pos + 1;
		}
	}
	return hits;
}

/* Start of the context window before a match: at most LIMIT_CONTEXT_BEFORE
 * bytes and the line before, on a UTF-8 character boundary. */
static size_t context_start(const char *t, size_t lo, size_t start)
{
	size_t s = start > lo + LIMIT_CONTEXT_BEFORE ? start - LIMIT_CONTEXT_BEFORE : lo;
	int newlines = 0;

	for (size_t i = start; i > s; i--)
		if (t[i - 1] == '\n' && ++newlines == 2) {
			s = i;
			break;
		}
	while (s < start && ((unsigned char)t[s] & 0xC0) == 0x80)
		s++;
	return s;
}

static size_t context_end(const char *t, size_t end, size_t hi)
{
	size_t e = end + LIMIT_CONTEXT_AFTER < hi ? end + LIMIT_CONTEXT_AFTER : hi;
	const char *nl = memchr(t + end, '\n', e - end);

	if (nl)
		e = (size_t)(nl - t);
	while (e > end && e < hi && ((unsigned char)t[e] & 0xC0) == 0x80)
		e--;
	return e;
}

static bool has_lead_bytes(const char *t, size_t from, size_t to, unsigned char lo, unsigned char hi)
{
	for (size_t i = from; i < to; i++)
		if ((unsigned char)t[i] >= lo && (unsigned char)t[i] <= hi)
			return true;
	return false;
}

/* Native digits of the gate's script in the original bytes of a match. */
static bool has_native_digits(const char *o, size_t len, enum rule_gate gate)
{
	const unsigned char *u = (const unsigned char *)o;

	for (size_t i = 0; i + 1 < len; i++) {
		if (gate == RULE_GATE_PERSIAN && ((u[i] == 0xDB && u[i + 1] >= 0xB0 && u[i + 1] <= 0xB9) ||
		                                  (u[i] == 0xD9 && u[i + 1] >= 0xA0 && u[i + 1] <= 0xA9)))
			return true;
		if (gate == RULE_GATE_CHINESE && i + 2 < len && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] >= 0x90 &&
		    u[i + 2] <= 0x99)
			return true;
	}
	return false;
}

/* Whether a header row of the column that start is in holds a context word
 * of the rule. */
static bool header_hit(struct matcher *m, const struct rule *r, size_t start)
{
	const char *t = m->text;

	if (m->header_rows == 0)
		return false;
	size_t floor = start > 65536 ? start - 65536 : 0;
	const char *nl = memrchr(t + floor, '\n', start - floor);
	size_t line = nl ? (size_t)(nl - t) + 1 : 0;
	if (!nl && (floor > 0 || m->base > 0))
		return false; /* the line's start is out of reach */
	size_t col = column_of(t, line, start, m->delimiter);
	for (size_t row = 0; row < m->header_rows; row++) {
		if (col >= m->header_columns[row])
			continue;
		const char *field = m->header + m->header_field[row][col];
		if (count_words(&r->context, field, strlen(field)) > 0)
			return true;
	}
	return false;
}

/* Context hits of a rule around [start, end): words in the window, plus the
 * column header's. Sets *ret_negative and *ret_script (the window holds the
 * gate's script). */
static int context_hits(struct matcher *m, const struct rule *r, size_t start, size_t end, bool header,
                        bool *ret_negative, bool *ret_script)
{
	const char *t = m->text;
	size_t s = context_start(t, 0, start), e = context_end(t, end, m->norm_len);
	size_t flen = text_fold(t + s, e - s, m->fold);
	int hits = count_words(&r->context, m->fold, flen) + header;

	/* Negative words count on the match's own line only: "đồng" closing the
	 * line above says nothing of the number below it. */
	*ret_negative = false;
	if (r->negative.n) {
		const char *nl = memrchr(t + s, '\n', start - s);
		size_t ls = nl ? (size_t)(nl - t) + 1 : s;
		flen = text_fold(t + ls, e - ls, m->fold);
		*ret_negative = count_words(&r->negative, m->fold, flen) > 0;
	}
	*ret_script = false;
	if (r->gate == RULE_GATE_PERSIAN)
		*ret_script = has_lead_bytes(t, s, e, 0xD8, 0xDB);
	else if (r->gate == RULE_GATE_CHINESE)
		*ret_script = has_lead_bytes(t, s, e, 0xE4, 0xE9);
	return hits > 2 ? 2 : hits;
}

/* A number that lost its leading zeros in a spreadsheet (052090001234 stored
 * as 52090001234) is taken back to its length, but only in a column whose
 * header names the identifier. Returns false when the value must be dropped. */
static bool restore_zeros(const struct rule *r, bool header, char *value, size_t *len)
{
	if (!r->pad_in_column || *len >= r->pad_in_column)
		return true;
	if (!header)
		return false;
	for (size_t i = 0; i < *len; i++)
		if (value[i] < '0' || value[i] > '9')
			return false;
	size_t pad = r->pad_in_column - *len;
	memmove(value + pad, value, *len + 1);
	memset(value, '0', pad);
	*len = r->pad_in_column;
	return true;
}

/* --- candidates ----------------------------------------------------------- */

static size_t canonical_value(const struct rule *r, const char *t, size_t start, size_t end, char *out)
{
	size_t n = 0;

	for (size_t i = start; i < end; i++) {
		char c = t[i];
		if (r->canonical == RULE_CANONICAL_VERBATIM) {
			if (n >= DETECT_VALUE_MAX)
				return 0;
			out[n++] = c;
			continue;
		}
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (!is_digit(c) && !(c >= 'A' && c <= 'Z') && c != '<')
			continue;
		if (n >= DETECT_VALUE_MAX)
			return 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

static void consider(struct matcher *m, const struct rule *r, size_t start, size_t end, size_t limit)
{
	size_t orig = text_map_original(m->mapp, start);
	struct candidate *c;
	bool negative = false, script = false, header;
	enum detect_verdict v;
	int hits;
	double conf;

	if (orig < m->decided || orig >= limit || end - start > LIMIT_MATCH_BYTES)
		return;
	c = &m->cands[m->n_cands];
	memset(&c->result, 0, sizeof(c->result));
	c->value_len = canonical_value(r, m->text, start, end, c->value);
	if (c->value_len == 0)
		return;
	header = header_hit(m, r, start);
	if (!restore_zeros(r, header, c->value, &c->value_len))
		goto reject;
	v = r->validate(c->value, &c->value_len, &c->result);
	if (v == DETECT_REJECT)
		goto reject;

	hits = context_hits(m, r, start, end, header, &negative, &script);
	if (v == DETECT_NEEDS_CONTEXT && hits == 0)
		goto reject;
	if (r->gate != RULE_GATE_NONE && hits == 0 && !script &&
	    !has_native_digits(m->buf + orig, text_map_original(m->mapp, end) - orig, r->gate))
		goto reject;

	conf = r->confidence + r->context_boost * hits - (negative ? r->context_boost : 0) +
	       LEVEL_STEP * c->result.level_adjust;
	c->confidence = conf < 0 ? 0 : conf > 1 ? 1 : conf;
	c->rule = r;
	c->start = start;
	c->end = end;
	m->n_cands++;
	return;
reject:
	explicit_bzero(c->value, sizeof(c->value));
}

static int by_confidence(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	if (x->confidence != y->confidence)
		return x->confidence > y->confidence ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1; /* rule file order breaks ties */
	return x->start < y->start ? -1 : x->start > y->start;
}

static int by_position(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void emit(struct matcher *m, const char *id, const char *label, const char *value, size_t len, double confidence,
                 size_t orig)
{
	struct match_finding f = {
	        .rule_id = id,
	        .label = label,
	        .value = value,
	        .value_len = len,
	        .confidence = confidence,
	        .line = line_of(m, orig),
	        .offset = m->base + orig,
	};
	m->reported++;
	m->emit(&f, m->ctx);
}

/* Where candidates overlap, the most confident wins (the same 10 digits can
 * pass the MST, phone and code melli checks); the winners are reported. */
static void resolve_and_emit(struct matcher *m)
{
	size_t kept = 0;

	qsort(m->cands, m->n_cands, sizeof(m->cands[0]), by_confidence);
	for (size_t i = 0; i < m->n_cands; i++) {
		bool overlaps = false;
		for (size_t k = 0; k < kept && !overlaps; k++)
			overlaps = m->cands[i].start < m->cands[k].end && m->cands[k].start < m->cands[i].end;
		if (overlaps || m->cands[i].confidence < m->min_confidence) {
			explicit_bzero(m->cands[i].value, sizeof(m->cands[i].value));
			continue;
		}
		if (kept != i)
			m->cands[kept] = m->cands[i];
		kept++;
	}
	qsort(m->cands, kept, sizeof(m->cands[0]), by_position);
	for (size_t i = 0; i < kept; i++) {
		struct candidate *c = &m->cands[i];
		size_t orig = text_map_original(m->mapp, c->start);
		emit(m, c->rule->id, c->rule->label, c->value, c->value_len, c->confidence, orig);
		if (c->result.derived_rule[0]) {
			const struct rule *d = rules_find(m->rules, c->result.derived_rule);
			if (d)
				emit(m, d->id, d->label, c->result.derived_value, strlen(c->result.derived_value),
				     c->confidence, orig);
		}
		explicit_bzero(c, sizeof(*c));
	}
	m->n_cands = 0;
}

/* The next match of a rule in [from, end): 0 and its bounds, or -1. */
static int next_match(struct matcher *m, const struct rule *r, size_t from, size_t end, size_t *ret_start,
                      size_t *ret_end)
{
	while (from < end) {
		int rc = pcre2_match(r->code, (PCRE2_SPTR)m->text, end, from, 0, m->md, m->mctx);
		if (rc < 0)
			return -1; /* no match, or a limit: the window is done for this rule */
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		if (ov[1] > ov[0]) {
			*ret_start = ov[0];
			*ret_end = ov[1];
			return 0;
		}
		from = ov[0] + 1;
	}
	return -1;
}

/*
 * Run the window's rules side by side, taking their matches in order of
 * position, so that candidates come sorted: a group of overlapping candidates
 * is settled as soon as the next match starts past its end. However many
 * identifiers a window holds (a CSV of thousands of rows is one window), only
 * one group is in memory.
 */
static void scan_window(struct matcher *m, const struct window *w, size_t limit)
{
	struct cursor {
		const struct rule *rule;
		size_t start, end;
	} cursors[LIMIT_RULES];
	size_t n = 0, group_end = 0;

	for (size_t i = 0; i < m->rules->n; i++) {
		const struct rule *r = &m->rules->v[i];
		if (r->trigger != w->trigger || !r->code ||
		    (r->trigger == RULE_TRIGGER_DIGITS && r->min_digits > w->digits))
			continue;
		cursors[n].rule = r;
		if (next_match(m, r, w->start, w->end, &cursors[n].start, &cursors[n].end) == 0)
			n++;
	}
	m->n_cands = 0;
	while (n > 0) {
		size_t best = 0;
		for (size_t i = 1; i < n; i++)
			if (cursors[i].start < cursors[best].start)
				best = i;
		struct cursor *c = &cursors[best];
		if (m->n_cands > 0 && (c->start >= group_end || m->n_cands == LIMIT_WINDOW_CANDIDATES))
			resolve_and_emit(m);
		size_t before = m->n_cands;
		consider(m, c->rule, c->start, c->end, limit);
		if (m->n_cands > before && (before == 0 || c->end > group_end))
			group_end = c->end;
		if (next_match(m, c->rule, c->end, w->end, &c->start, &c->end) < 0)
			*c = cursors[--n];
	}
	resolve_and_emit(m);
}

/* --- prefilter ------------------------------------------------------------ */

static void add_window(struct matcher *m, enum rule_trigger trigger, size_t start, size_t end, unsigned digits,
                       size_t *last)
{
	if (*last != (size_t)-1 && start <= m->windows[*last].end) {
		struct window *w = &m->windows[*last];
		if (end > w->end)
			w->end = end;
		if (digits > w->digits)
			w->digits = digits;
		return;
	}
	if (m->n_windows >= m->cap_windows)
		return; /* cannot happen: cap_windows bounds the windows of a buffer */
	*last = m->n_windows;
	m->windows[m->n_windows++] = (struct window){start, end, digits, trigger};
}

/* The next byte that may start an identifier: a digit, '@' or '<'. */
static size_t next_trigger(const char *t, size_t i, size_t n)
{
#if defined(__SSE2__)
	const __m128i below0 = _mm_set1_epi8('0' - 1), above9 = _mm_set1_epi8('9' + 1);
	const __m128i at = _mm_set1_epi8('@'), lt = _mm_set1_epi8('<');
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
		__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, below0), _mm_cmplt_epi8(v, above9));
		__m128i hit = _mm_or_si128(digit, _mm_or_si128(_mm_cmpeq_epi8(v, at), _mm_cmpeq_epi8(v, lt)));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	for (; i < n; i++)
		if (is_digit(t[i]) || t[i] == '@' || t[i] == '<')
			return i;
	return n;
}

static size_t clamp_sub(size_t a, size_t b)
{
	return a > b ? a - b : 0;
}

static void find_windows(struct matcher *m)
{
	const char *t = m->text;
	size_t n = m->norm_len, i = 0;
	size_t last_digits = (size_t)-1, last_at = (size_t)-1, last_mrz = (size_t)-1;
	unsigned min_digits = m->rules->min_digits;

	m->n_windows = 0;
	while ((i = next_trigger(t, i, n)) < n) {
		char c = t[i];
		if (c == '@') {
			add_window(m, RULE_TRIGGER_AT, clamp_sub(i, WINDOW_AT_BEFORE),
			           i + WINDOW_AT_AFTER < n ? i + WINDOW_AT_AFTER : n, 0, &last_at);
			i++;
		} else if (c == '<') {
			if (i + 1 < n && t[i + 1] == '<')
				add_window(m, RULE_TRIGGER_MRZ, clamp_sub(i, WINDOW_MRZ_PAD),
				           i + WINDOW_MRZ_PAD < n ? i + WINDOW_MRZ_PAD : n, 0, &last_mrz);
			while (i < n && t[i] == '<')
				i++;
		} else {
			/* A run of digits, with single separators between them. */
			size_t j = i;
			unsigned digits = 0;
			while (j < n) {
				if (is_digit(t[j])) {
					digits++;
					j++;
				} else if ((t[j] == ' ' || t[j] == '.' || t[j] == '-') && j + 1 < n &&
				           is_digit(t[j + 1])) {
					j++;
				} else {
					break;
				}
			}
			if (digits >= min_digits)
				add_window(m, RULE_TRIGGER_DIGITS, clamp_sub(i, WINDOW_DIGITS_BEFORE),
				           j + WINDOW_DIGITS_AFTER < n ? j + WINDOW_DIGITS_AFTER : n, digits,
				           &last_digits);
			i = j;
		}
	}
}

/* --- rounds --------------------------------------------------------------- */

static void run_round(struct matcher *m, bool final)
{
	size_t limit = final ? m->len : clamp_sub(m->len, LIMIT_SCAN_MARGIN);

	if (text_has_high_bytes(m->buf, m->len)) {
		m->norm_len = text_normalise(m->buf, m->len, m->norm, &m->map);
		m->text = m->norm;
		m->mapp = &m->map;
	} else {
		m->norm_len = m->len;
		m->text = m->buf;
		m->mapp = NULL;
	}
	if (!m->header_done)
		read_header(m);
	find_windows(m);
	for (size_t i = 0; i < m->n_windows; i++)
		scan_window(m, &m->windows[i], limit);

	if (final)
		return;
	/* Keep the context before the undecided margin for the next round. */
	size_t keep = clamp_sub(limit, LIMIT_SCAN_CONTEXT);
	while (keep > 0 && ((unsigned char)m->buf[keep] & 0xC0) == 0x80)
		keep--;
	line_of(m, keep);
	m->line_base = m->line_at;
	memmove(m->buf, m->buf + keep, m->len - keep);
	m->len -= keep;
	m->base += keep;
	m->decided = limit - keep;
	m->line_pos = 0;
	m->line_at = m->line_base;
}

char *match_space(struct matcher *m, size_t *ret_room)
{
	if (m->cap - m->len < LIMIT_SCAN_CHUNK / 2)
		run_round(m, false);
	*ret_room = m->cap - m->len;
	return m->buf + m->len;
}

void match_commit(struct matcher *m, size_t n)
{
	m->len += n;
	if (m->len == m->cap)
		run_round(m, false);
}

void match_feed(struct matcher *m, const char *text, size_t len)
{
	while (len > 0) {
		size_t room;
		char *p = match_space(m, &room);
		size_t n = len < room ? len : room;
		memcpy(p, text, n);
		match_commit(m, n);
		text += n;
		len -= n;
	}
}

uint64_t match_end(struct matcher *m)
{
	run_round(m, true);
	explicit_bzero(m->buf, m->len);
	m->len = 0;
	return m->reported;
}
