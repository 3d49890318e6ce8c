/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A file's findings from discovery to the store (see record.h). Shared by
 * `piiguard scan` and the agent so both mask, name outcomes and record the
 * same way. Memory that held masked values is wiped before it is freed.
 */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "limits.h"

void record_begin(struct record_file *r, const unsigned char *key)
{
	memset(r, 0, sizeof(*r));
	r->key = key;
}

/* A slot for a finding of the file, or NULL past LIMIT_FILE_FINDINGS. */
static struct record_finding *new_finding(struct record_file *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		if (cap > LIMIT_FILE_FINDINGS)
			cap = LIMIT_FILE_FINDINGS;
		struct record_finding *v = cap > r->cap ? realloc(r->v, cap * sizeof(*v)) : NULL;
		if (!v) {
			r->dropped++;
			return NULL;
		}
		r->v = v;
		r->cap = cap;
	}
	struct record_finding *f = &r->v[r->n++];
	memset(f, 0, sizeof(*f));
	f->member = r->member;
	f->source = r->source ? r->source : "text";
	return f;
}

/* Keep a member name for the file's findings; NULL for the file itself. */
static const char *keep_member(struct record_file *r, const char *member)
{
	if (!member || !member[0] || r->n_members >= LIMIT_MEMBERS)
		return NULL;
	if (r->n_members && strcmp(r->members[r->n_members - 1], member) == 0)
		return r->members[r->n_members - 1];
	char **v = realloc(r->members, (r->n_members + 1) * sizeof(*v));
	if (!v)
		return NULL;
	r->members = v;
	v[r->n_members] = strdup(member);
	return v[r->n_members] ? v[r->n_members++] : NULL;
}

void record_member(struct record_file *r, const char *member)
{
	r->member = keep_member(r, member);
	r->source = "text";
}

void record_source(struct record_file *r, const char *source)
{
	r->source = source ? source : "text";
}

void record_value(struct record_file *r, const char *rule, const char *label, const char *value, size_t len,
                  const char *shown, double confidence, uint64_t line, uint64_t offset)
{
	struct record_finding *f = new_finding(r);

	if (!f)
		return;
	snprintf(f->rule, sizeof(f->rule), "%s", rule);
	snprintf(f->label, sizeof(f->label), "%s", label ? label : "");
	if (shown)
		snprintf(f->masked, sizeof(f->masked), "%s", shown);
	else
		mask_value(value, len, f->masked, sizeof(f->masked));
	mask_fingerprint(r->key, value, len, f->fingerprint);
	f->confidence = confidence;
	f->line = line;
	f->offset = offset;
}

void record_extract_finding(struct record_file *r, const char *member, const struct extract_finding *f)
{
	const char *member_was = r->member, *source_was = r->source;

	record_member(r, member);
	record_source(r, extract_source_name(f->source));
	record_value(r, f->rule, f->label, f->value, f->value_len, f->shown, f->confidence, 0, 0);
	r->member = member_was;
	r->source = source_was;
}

static const char *const coverage_labels[] = {
        [EXTRACT_COVERAGE_ENCRYPTED] = "Not scanned: encrypted",
        [EXTRACT_COVERAGE_LIMIT] = "Not fully scanned: a limit was reached",
        [EXTRACT_COVERAGE_CORRUPT] = "Not fully scanned: damaged",
        [EXTRACT_COVERAGE_UNSUPPORTED] = "Not scanned: format not supported",
};

static const char *const coverage_outcomes[] = {
        [EXTRACT_COVERAGE_ENCRYPTED] = "encrypted",
        [EXTRACT_COVERAGE_LIMIT] = "too_large",
        [EXTRACT_COVERAGE_CORRUPT] = "corrupt",
        [EXTRACT_COVERAGE_UNSUPPORTED] = "unsupported",
};

void record_coverage(struct record_file *r, const char *member, enum extract_coverage what, const char *detail)
{
	const char *saved = r->member;
	char identity[LIMIT_MEMBER_NAME + 64];

	if ((unsigned)what > EXTRACT_COVERAGE_UNSUPPORTED)
		return;
	r->member = keep_member(r, member);
	struct record_finding *f = new_finding(r);
	r->member = saved;
	r->outcome = coverage_outcomes[what];
	if (!f)
		return;
	snprintf(f->rule, sizeof(f->rule), "%s", extract_coverage_rule(what));
	snprintf(f->label, sizeof(f->label), "%s", coverage_labels[what]);
	f->source = "metadata";
	f->confidence = 1.0;
	snprintf(f->masked, sizeof(f->masked), "%s", detail ? detail : "");
	int n = snprintf(identity, sizeof(identity), "%s|%s", f->rule, member ? member : "");
	mask_fingerprint(r->key, identity, n > 0 ? (size_t)n : 0, f->fingerprint);
}

const char *record_outcome(const struct record_file *r, int rc)
{
	return rc == ERR_IO ? "unreadable"
	       : rc < 0     ? "unsupported"
	       : r->outcome ? r->outcome
	       : r->n       ? "findings"
	                    : "clean";
}

static void forward_new(struct forward *fw, const char *path, const struct record_finding *f, int64_t id)
{
	struct forward_event ev = {
	        .event = "finding",
	        .id = id,
	        .path = path,
	        .member = f->member,
	        .rule = f->rule,
	        .label = f->label,
	        .masked = f->masked,
	        .fingerprint = f->fingerprint,
	        .confidence = f->confidence,
	        .source = f->source,
	        .line = f->line,
	        .status = "open",
	};
	forward_send(fw, &ev);
}

void record_commit(struct record_file *r, struct store *store, struct forward *fw, int64_t scan_id, const char *stored,
                   const struct stat *st, int64_t opened_ns, const char *outcome, record_print_fn *print, void *ctx,
                   struct record_counts *counts)
{
	struct store_file *sf = NULL;

	if (store && store_file_begin(store, scan_id, stored, st, opened_ns, &sf) < 0) {
		counts->store_errors++;
		sf = NULL;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct record_finding *f = &r->v[i];
		struct store_recorded rec = {0};
		if (sf) {
			struct store_finding x = {
			        .member = f->member,
			        .rule = f->rule,
			        .label = f->label,
			        .masked = f->masked,
			        .fingerprint = f->fingerprint,
			        .confidence = f->confidence,
			        .source = f->source,
			        .line = f->line,
			};
			if (store_file_finding(sf, &x, &rec) < 0)
				counts->store_errors++;
		}
		if (rec.suppressed) {
			counts->suppressed++;
			continue;
		}
		if (print)
			print(f, ctx);
		counts->reported++;
		if (rec.is_new && fw)
			forward_new(fw, stored, f, rec.id);
		if (rec.is_new && strncmp(f->rule, "coverage.", 9) != 0)
			counts->fresh++;
	}
	if (sf && store_file_end(sf, outcome) < 0)
		counts->store_errors++;
}

void record_end(struct record_file *r)
{
	if (r->v)
		explicit_bzero(r->v, r->cap * sizeof(*r->v));
	free(r->v);
	for (size_t i = 0; i < r->n_members; i++)
		free(r->members[i]);
	free(r->members);
	record_begin(r, r->key);
}
