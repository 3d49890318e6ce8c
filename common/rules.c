/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading of rule files. inih parses each file (Debian's inih gives the handler
 * no line numbers, so a reader over the file's bytes counts them); values are
 * checked as they come, patterns compiled and JIT-compiled at the end of each
 * stanza. Rule files are trusted configuration, but a mistake in one must give
 * a clear file:line error and never a crash.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "inifile.h"
#include "limits.h"
#include "rules_builtin.h"
#include "text.h"

struct loader {
	struct rules *rules;
	const char *file;
	const char *pos, *end; /* the reader's cursor in the file's bytes */
	int line;
	int section_line;  /* line of the last [section] header read */
	struct rule *open; /* the rule whose stanza is being read, for marking it broken */
	int errors;
	bool nomem;
	rules_error_fn *on_error;
	void *ctx;
};

static void report(struct loader *l, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(struct loader *l, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l->errors++;
	if (l->open)
		l->open->broken = true;
	if (l->on_error)
		l->on_error(l->file, line, msg, l->ctx);
}

/* fgets over the file's bytes, counting lines; a line longer than inih's
 * buffer is reported and its rest skipped, so it cannot be misparsed. */
static char *reader(char *str, int num, void *stream)
{
	struct loader *l = stream;
	size_t cap = (size_t)num - 1, n = 0;

	if (l->pos >= l->end)
		return NULL;
	l->line++;
	while (l->pos < l->end && *l->pos != '\n' && n < cap)
		str[n++] = *l->pos++;
	if (l->pos < l->end && *l->pos != '\n') {
		report(l, l->line, "line longer than %u bytes (continue a long value on an indented line)",
		       LIMIT_RULE_LINE);
		while (l->pos < l->end && *l->pos != '\n')
			l->pos++;
	}
	if (l->pos < l->end)
		l->pos++;
	str[n] = '\0';
	if (memchr(str, '\0', n))
		report(l, l->line, "NUL byte in line");
	const char *p = str + strspn(str, " \t");
	if (*p == '[') {
		/* A new stanza: errors from here on are not the previous rule's. */
		l->section_line = l->line;
		l->open = NULL;
	}
	return str;
}

static struct rule *current_rule(struct loader *l, const char *section)
{
	struct rules *r = l->rules;

	if (r->n > 0 && strcmp(r->v[r->n - 1].id, section) == 0)
		return &r->v[r->n - 1];
	return NULL;
}

static char *append_text(char *old, const char *more, size_t limit)
{
	size_t a = old ? strlen(old) : 0, b = strlen(more);
	if (a + b > limit)
		return NULL;
	char *s = realloc(old, a + b + 1);
	if (!s)
		return NULL;
	memcpy(s + a, more, b + 1);
	return s;
}

static int add_words(struct loader *l, struct rule_words *w, const char *value)
{
	const char *p = value;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len > 0) {
			if (w->n >= LIMIT_RULE_WORDS) {
				report(l, l->line, "more than %u words", LIMIT_RULE_WORDS);
				return 0;
			}
			char *folded = malloc(len + 1);
			char **v = realloc(w->v, (w->n + 1) * sizeof(*v));
			if (!folded || !v) {
				free(folded);
				if (v)
					w->v = v;
				l->nomem = true;
				return 0;
			}
			w->v = v;
			text_fold(p, len, folded);
			w->v[w->n++] = folded;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return 1;
}

static int parse_share(struct loader *l, const char *name, const char *value, double *ret)
{
	char *end;
	errno = 0;
	double d = strtod(value, &end);
	if (errno || end == value || *end || !(d >= 0.0 && d <= 1.0)) {
		report(l, l->line, "%s must be a number from 0 to 1, not \"%s\"", name, value);
		return 0;
	}
	*ret = d;
	return 1;
}

static int parse_trigger(struct loader *l, struct rule *r, const char *value)
{
	unsigned n;
	char tail;

	if (strcmp(value, "at") == 0) {
		r->trigger = RULE_TRIGGER_AT;
		return 1;
	}
	if (strcmp(value, "mrz") == 0) {
		r->trigger = RULE_TRIGGER_MRZ;
		return 1;
	}
	if (sscanf(value, "digits %u%c", &n, &tail) == 1 && n >= 1 && n <= 64) {
		r->trigger = RULE_TRIGGER_DIGITS;
		r->min_digits = n;
		return 1;
	}
	report(l, l->line, "trigger must be \"digits N\" (N from 1 to 64), \"at\" or \"mrz\", not \"%s\"", value);
	return 0;
}

/* An example's text: "\\n" stands for a new line (an MRZ has three). */
static char *unescape_example(const char *value)
{
	char *text = malloc(strlen(value) + 1), *o = text;

	if (!text)
		return NULL;
	for (const char *p = value; *p; p++) {
		if (p[0] == '\\' && p[1] == 'n') {
			*o++ = '\n';
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return text;
}

static int add_example(struct loader *l, struct rule *r, const char *value, bool expect)
{
	struct rule_example *v = realloc(r->examples, (r->n_examples + 1) * sizeof(*v));
	char *text = unescape_example(value);
	if (!v || !text) {
		free(text);
		if (v)
			r->examples = v;
		l->nomem = true;
		return 0;
	}
	r->examples = v;
	v[r->n_examples++] = (struct rule_example){.text = text, .line = l->line, .expect = expect};
	return 1;
}

static int new_rule(struct loader *l, const char *section)
{
	struct rules *rs = l->rules;

	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].id, section) == 0) {
			report(l, l->line, "rule %s is defined again (first in %s:%d)", section, rs->v[i].file,
			       rs->v[i].line);
			return 0;
		}
	if (strlen(section) >= DETECT_RULE_MAX || !section[0]) {
		report(l, l->line, "rule id \"%s\" must be 1 to %d bytes", section, DETECT_RULE_MAX - 1);
		return 0;
	}
	if (rs->n >= LIMIT_RULES) {
		report(l, l->line, "more than %u rules", LIMIT_RULES);
		return 0;
	}
	struct rule *v = realloc(rs->v, (rs->n + 1) * sizeof(*v));
	if (!v) {
		l->nomem = true;
		return 0;
	}
	rs->v = v;
	struct rule *r = &v[rs->n];
	*r = (struct rule){.confidence = -1, .context_boost = 0.3, .line = l->section_line};
	snprintf(r->id, sizeof(r->id), "%s", section);
	r->file = strdup(l->file);
	if (!r->file) {
		l->nomem = true;
		return 0;
	}
	rs->n++;
	l->open = r;
	return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader *l = user;
	struct rule *r;

	if (!section[0]) {
		report(l, l->line, "\"%s\" outside a [rule.id] section", name);
		return 1;
	}
	r = current_rule(l, section);
	if (!r) {
		if (!new_rule(l, section))
			return 1;
		r = current_rule(l, section);
		if (!name) /* the section line itself (INI_CALL_HANDLER_ON_NEW_SECTION) */
			return 1;
	}
	if (!name)
		return 1;
	if (strcmp(name, "label") == 0) {
		free(r->label);
		r->label = strdup(value);
		l->nomem |= !r->label;
	} else if (strcmp(name, "pattern") == 0) {
		char *p = append_text(r->pattern, value, LIMIT_RULE_PATTERN);
		if (!r->pattern_line)
			r->pattern_line = l->line;
		if (!p)
			report(l, l->line, "pattern longer than %u bytes", LIMIT_RULE_PATTERN);
		else
			r->pattern = p;
	} else if (strcmp(name, "validator") == 0) {
		r->validate = detect_find(value);
		if (!r->validate)
			report(l, l->line, "unknown validator \"%s\"", value);
	} else if (strcmp(name, "trigger") == 0) {
		parse_trigger(l, r, value);
	} else if (strcmp(name, "confidence") == 0) {
		parse_share(l, name, value, &r->confidence);
	} else if (strcmp(name, "context_boost") == 0) {
		parse_share(l, name, value, &r->context_boost);
	} else if (strcmp(name, "context") == 0) {
		add_words(l, &r->context, value);
	} else if (strcmp(name, "negative") == 0) {
		add_words(l, &r->negative, value);
	} else if (strcmp(name, "pad_in_column") == 0) {
		unsigned n;
		char tail;
		if (sscanf(value, "%u%c", &n, &tail) == 1 && n >= 2 && n <= 32)
			r->pad_in_column = n;
		else
			report(l, l->line, "pad_in_column must be a length from 2 to 32, not \"%s\"", value);
	} else if (strcmp(name, "gate") == 0) {
		if (strcmp(value, "none") == 0)
			r->gate = RULE_GATE_NONE;
		else if (strcmp(value, "persian") == 0)
			r->gate = RULE_GATE_PERSIAN;
		else if (strcmp(value, "chinese") == 0)
			r->gate = RULE_GATE_CHINESE;
		else
			report(l, l->line, "gate must be none, persian or chinese, not \"%s\"", value);
	} else if (strcmp(name, "canonical") == 0) {
		if (strcmp(value, "alnum") == 0)
			r->canonical = RULE_CANONICAL_ALNUM;
		else if (strcmp(value, "verbatim") == 0)
			r->canonical = RULE_CANONICAL_VERBATIM;
		else
			report(l, l->line, "canonical must be alnum or verbatim, not \"%s\"", value);
	} else if (strcmp(name, "match") == 0 || strcmp(name, "nomatch") == 0) {
		add_example(l, r, value, name[0] == 'm');
	} else {
		report(l, l->line, "unknown key \"%s\"", name);
	}
	return 1;
}

/* Checks that need the whole stanza, and the compilation of its pattern. */
static void finish_rule(struct loader *l, struct rule *r)
{
	int errcode;
	PCRE2_SIZE erroffset;

	l->open = r;
	if (!r->label)
		report(l, r->line, "rule %s has no label", r->id);
	if (!r->validate)
		report(l, r->line, "rule %s has no (known) validator", r->id);
	if (r->confidence < 0)
		report(l, r->line, "rule %s has no confidence", r->id);
	if (r->trigger == RULE_TRIGGER_DIGITS && r->min_digits == 0)
		report(l, r->line, "rule %s has no trigger", r->id);
	if (!r->pattern) {
		report(l, r->line, "rule %s has no pattern", r->id);
		return;
	}
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED, PCRE2_NEVER_UTF, &errcode,
	                                 &erroffset, NULL);
	if (!code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		report(l, r->pattern_line, "rule %s: pattern error at offset %zu: %s", r->id, (size_t)erroffset,
		       (const char *)msg);
		return;
	}
	/* Without JIT (an unusual build) matching still works, only slower. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	r->code = code;
}

static int parse_buffer(struct loader *l, const char *file, const char *data, size_t len)
{
	size_t first = l->rules->n;

	l->file = file;
	l->pos = data;
	l->end = data + len;
	l->line = 0;
	l->section_line = 0;
	l->open = NULL;
	int rc = ini_parse_stream(reader, l, handler, l);
	if (rc < 0)
		report(l, 0, "cannot be parsed");
	else if (rc > 0)
		report(l, rc, "syntax error (expected [section], key = value or a comment)");
	for (size_t i = first; i < l->rules->n; i++)
		finish_rule(l, &l->rules->v[i]);
	l->open = NULL;
	return l->nomem ? ERR_NOMEM : 0;
}

static int load_dir(struct loader *l, const char *dir)
{
	char names[LIMIT_RULE_FILES][INIFILE_NAME_MAX];
	size_t n = 0;
	int dirfd = -1, rc;

	rc = inifile_list(dir, ".rules", names, LIMIT_RULE_FILES, &n, &dirfd);
	if (rc == ERR_LIMIT) {
		report(l, 0, "more than %u rule files in %s", LIMIT_RULE_FILES, dir);
		return rc;
	}
	if (rc < 0) {
		report(l, 0, "cannot open the rules folder: %s",
		       rc == ERR_NOTFOUND ? strerror(ENOENT) : strerror(errno));
		return ERR_IO;
	}
	rc = n ? 0 : ERR_NOTFOUND;
	if (!n)
		report(l, 0, "no *.rules file in %s", dir);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[4096 + INIFILE_NAME_MAX], *data = NULL;
		size_t len = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		int r = inifile_read(dirfd, names[i], LIMIT_RULE_FILE, &data, &len);
		if (r < 0) {
			l->file = path;
			report(l, 0, "cannot read: %s",
			       r == ERR_LIMIT ? "larger than 1 MiB" : "not a readable regular file");
			continue;
		}
		rc = parse_buffer(l, path, data, len);
		free(data);
	}
	close(dirfd);
	return rc;
}

static void free_rule(struct rule *r);

/* After loading: rules with errors are dropped; any error makes the result
 * ERR_FORMAT, with the rules that loaded cleanly still given to the caller
 * (rules lint checks their examples; scan refuses them). */
static int finish_load(struct loader *l, int rc, struct rules **ret)
{
	struct rules *rs = l->rules;
	size_t kept = 0;

	for (size_t i = 0; i < rs->n; i++) {
		if (rs->v[i].broken)
			free_rule(&rs->v[i]);
		else
			rs->v[kept++] = rs->v[i];
	}
	rs->n = kept;
	if (rc == 0 && l->errors)
		rc = ERR_FORMAT;
	if (rc == 0 && rs->n == 0) {
		report(l, 0, "no rules");
		rc = ERR_NOTFOUND;
	}
	if ((rc < 0 && rc != ERR_FORMAT) || rs->n == 0) {
		rules_free(rs);
		return rc;
	}
	rs->min_digits = 64;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].trigger == RULE_TRIGGER_DIGITS && rs->v[i].min_digits < rs->min_digits)
			rs->min_digits = rs->v[i].min_digits;
	*ret = rs;
	return rc;
}

int rules_load(const char *dir, struct rules **ret, rules_error_fn *on_error, void *ctx)
{
	struct loader l = {.on_error = on_error, .ctx = ctx, .file = dir ? dir : "built-in"};
	int rc = 0;

	*ret = NULL;
	l.rules = calloc(1, sizeof(*l.rules));
	if (!l.rules)
		return ERR_NOMEM;
	if (dir)
		rc = load_dir(&l, dir);
	for (size_t i = 0; !dir && i < rules_builtin_count && rc == 0; i++)
		rc = parse_buffer(&l, rules_builtin[i].name, rules_builtin[i].data,
		                  (size_t)(rules_builtin[i].end - rules_builtin[i].data));
	return finish_load(&l, rc, ret);
}

int rules_load_text(const char *name, const char *data, size_t len, struct rules **ret, rules_error_fn *on_error,
                    void *ctx)
{
	struct loader l = {.on_error = on_error, .ctx = ctx};

	*ret = NULL;
	l.rules = calloc(1, sizeof(*l.rules));
	if (!l.rules)
		return ERR_NOMEM;
	return finish_load(&l, parse_buffer(&l, name, data, len), ret);
}

const struct rule *rules_find(const struct rules *rules, const char *id)
{
	for (size_t i = 0; i < rules->n; i++)
		if (strcmp(rules->v[i].id, id) == 0)
			return &rules->v[i];
	return NULL;
}

static void free_words(struct rule_words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

static void free_rule(struct rule *r)
{
	free(r->label);
	free(r->pattern);
	pcre2_code_free(r->code);
	free_words(&r->context);
	free_words(&r->negative);
	for (size_t k = 0; k < r->n_examples; k++)
		free(r->examples[k].text);
	free(r->examples);
	free(r->file);
}

void rules_free(struct rules *rules)
{
	if (!rules)
		return;
	for (size_t i = 0; i < rules->n; i++)
		free_rule(&rules->v[i]);
	free(rules->v);
	free(rules);
}
