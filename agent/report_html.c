/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTML report (see report_html.h). The page is built for a phone first:
 * cards that wrap, SVG charts that scale with their viewBox, tables that
 * scroll sideways. It carries a Content-Security-Policy that forbids scripts
 * and every external load, as a second fence behind the escaping. Counts of
 * open findings cover only those still present in their file (what needs
 * attention); the other statuses count every finding that was reviewed.
 */
#include "report_html.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "text.h"

/* The words of the page in one language. */
struct report_words {
	const char *lang, *title, *machine, *generated, *filters, *filter_since, *filter_rule, *filter_path;
	const char *open, *acknowledged, *false_positive, *wiped, *files;
	const char *by_day, *by_day_caption, *by_rule, *by_application, *by_folder, *open_caption;
	const char *folder, *findings, *open_table, *col_id, *col_rule, *col_masked, *col_confidence, *col_place;
	const char *col_first, *col_last, *total, *none, *no_open, *other, *more_before, *more_after;
	const char *rest_before, *rest_after, *footer;
	const char *posture, *posture_caption, *posture_none, *col_subject, *col_evidence, *col_remedy;
	const char *remedy_remote, *remedy_passwords, *remedy_policy, *remedy_messaging, *remedy_swap, *remedy_print;
};

static const struct report_words words_vi = {
        .lang = "vi",
        .title = "Báo cáo dữ liệu cá nhân",
        .machine = "Máy",
        .generated = "Thời điểm tạo",
        .filters = "Bộ lọc",
        .filter_since = "thấy lần cuối từ",
        .filter_rule = "loại",
        .filter_path = "đường dẫn",
        .open = "Phát hiện đang mở",
        .acknowledged = "Đã xác nhận",
        .false_positive = "Nhận diện nhầm",
        .wiped = "Đã xóa",
        .files = "Tệp có phát hiện đang mở",
        .by_day = "Theo ngày",
        .by_day_caption = "Phát hiện mới mỗi ngày trong 30 ngày qua (mọi trạng thái)",
        .by_rule = "Theo loại",
        .by_application = "Theo ứng dụng",
        .by_folder = "Theo thư mục",
        .open_caption = "Phát hiện đang mở",
        .folder = "Thư mục",
        .findings = "Số phát hiện",
        .open_table = "Danh sách phát hiện đang mở",
        .col_id = "Mã",
        .col_rule = "Loại",
        .col_masked = "Giá trị (đã che)",
        .col_confidence = "Độ tin cậy",
        .col_place = "Vị trí (tệp:dòng)",
        .col_first = "Thấy lần đầu",
        .col_last = "Thấy lần cuối",
        .total = "Tổng",
        .none = "Chưa có dữ liệu.",
        .no_open = "Không có phát hiện nào đang mở.",
        .other = "Khác",
        .more_before = "Còn ",
        .more_after = " phát hiện đang mở khác không được liệt kê ở đây; xem đầy đủ bằng lệnh "
                      "<code>piiguard findings list</code>.",
        .rest_before = "và ",
        .rest_after = " mục khác",
        .footer = "Báo cáo chỉ chứa giá trị đã che và vị trí của chúng, không bao giờ chứa số định danh đầy đủ. "
                  "Giờ theo UTC.",
        .posture = "Tình trạng máy theo chỉ thị",
        .posture_caption = "Công cụ điều khiển từ xa, mật khẩu lưu trong trình duyệt, ứng dụng nhắn tin",
        .posture_none = "Không có vấn đề nào.",
        .col_subject = "Nội dung",
        .col_evidence = "Căn cứ",
        .col_remedy = "Cách khắc phục",
        .remedy_remote = "Gỡ bỏ công cụ điều khiển từ xa và chặn cài lại: chỉ thị cấm trên máy phục vụ công dân.",
        .remedy_passwords = "Xóa mật khẩu đã lưu và cài chính sách tắt trình quản lý mật khẩu.",
        .remedy_policy = "Cài tệp chính sách trong packaging/browser-policies để trình duyệt không lưu mật khẩu.",
        .remedy_messaging = "Không lưu giấy tờ của công dân trong ứng dụng nhắn tin: xóa tệp và đăng xuất cuối ngày.",
        .remedy_swap = "Mã hóa vùng hoán đổi (swap) hoặc tắt nó.",
        .remedy_print = "Đặt PreserveJobFiles No trong cupsd.conf để không giữ lại tệp in.",
};

static const struct report_words words_en = {
        .lang = "en",
        .title = "Personal data report",
        .machine = "Machine",
        .generated = "Generated",
        .filters = "Filters",
        .filter_since = "last seen since",
        .filter_rule = "rule",
        .filter_path = "path",
        .open = "Open findings",
        .acknowledged = "Acknowledged",
        .false_positive = "False positives",
        .wiped = "Wiped",
        .files = "Files with open findings",
        .by_day = "By day",
        .by_day_caption = "New findings per day over the last 30 days (any status)",
        .by_rule = "By type",
        .by_application = "By application",
        .by_folder = "By folder",
        .open_caption = "Open findings",
        .folder = "Folder",
        .findings = "Findings",
        .open_table = "Open findings",
        .col_id = "ID",
        .col_rule = "Type",
        .col_masked = "Masked value",
        .col_confidence = "Confidence",
        .col_place = "Place (file:line)",
        .col_first = "First seen",
        .col_last = "Last seen",
        .total = "Total",
        .none = "No data yet.",
        .no_open = "No open findings.",
        .other = "Other",
        .more_before = "",
        .more_after = " more open findings are not listed here; see them all with "
                      "<code>piiguard findings list</code>.",
        .rest_before = "and ",
        .rest_after = " more",
        .footer = "This report holds masked values and their places only, never a full identification number. "
                  "Times are UTC.",
        .posture = "Machine posture against the directive",
        .posture_caption = "Remote-access tools, passwords saved in browsers, messaging apps",
        .posture_none = "Nothing to report.",
        .col_subject = "What",
        .col_evidence = "Evidence",
        .col_remedy = "Remedy",
        .remedy_remote = "Remove the remote-access tool and block its reinstallation: the directive forbids it.",
        .remedy_passwords = "Delete the saved logins and install the policy that turns the password manager off.",
        .remedy_policy = "Install the policy file from packaging/browser-policies so browsers save no passwords.",
        .remedy_messaging = "Citizens' documents must not stay in messaging apps: delete them and sign out daily.",
        .remedy_swap = "Encrypt swap, or turn it off.",
        .remedy_print = "Set PreserveJobFiles No in cupsd.conf so print jobs are not kept.",
};

/* Phone first; no web fonts, the system's own sans-serif has the diacritics. */
static const char report_css[] =
        "*{box-sizing:border-box}"
        "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
        "body{margin:0;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\","
        "sans-serif;color:#1c2430;background:#f3f5f8}"
        "header{background:#17324d;color:#fff;padding:16px}"
        "header h1{margin:0 0 6px;font-size:1.35em;line-height:1.25}"
        "header p{margin:2px 0;font-size:.92em;opacity:.92;overflow-wrap:anywhere}"
        "main{padding:12px;max-width:1180px;margin:0 auto}"
        "h2{font-size:1.1em;margin:0 0 4px}"
        ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin-bottom:12px}"
        ".card{background:#fff;border-radius:8px;padding:12px;border-left:5px solid #8796a8;"
        "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
        ".card .n{display:block;font-size:1.8em;font-weight:700;line-height:1.1}"
        ".card .l{display:block;font-size:.9em;color:#4a5668}"
        ".card.open{border-left-color:#c62828}.card.open .n{color:#c62828}"
        ".card.ack{border-left-color:#2e7d32}.card.fp{border-left-color:#8e6c00}"
        ".card.wiped{border-left-color:#455a64}.card.files{border-left-color:#c62828}"
        ".grid>section.box{margin-bottom:0}"
        ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px;margin-bottom:12px}"
        "section.box{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px rgba(0,0,0,.08);"
        "margin-bottom:12px;min-width:0}"
        ".cap{margin:0 0 8px;font-size:.88em;color:#4a5668}"
        "svg{display:block;width:100%;height:auto;max-width:640px}"
        "svg text{font-family:inherit;fill:#1c2430}"
        "svg .bar{fill:#1565c0}svg .axis{stroke:#9aa5b4;stroke-width:1}svg .v{font-weight:700}"
        "svg .s{fill:#4a5668}"
        ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
        "table{border-collapse:collapse;width:100%;font-size:.9em}"
        "th,td{padding:6px 8px;border-bottom:1px solid #e1e6ed;text-align:left;vertical-align:top}"
        "th{background:#eef2f7;white-space:nowrap}"
        "td.num,th.num{text-align:right;white-space:nowrap}"
        "td.path{min-width:14em;overflow-wrap:anywhere}"
        "td.t{white-space:nowrap}td.rule{min-width:11em}"
        "td small{color:#4a5668}"
        "code,.masked{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace}"
        ".masked{white-space:nowrap}"
        ".note{margin:8px 0 0;font-size:.9em;color:#8a3b00}"
        "footer{padding:12px 16px 24px;font-size:.85em;color:#4a5668;max-width:1180px;margin:0 auto}"
        "@media (min-width:700px){body{font-size:16px}main{padding:16px 24px}"
        /* the header's text lines up with main's, whatever the width */
        "header{padding:20px max(24px,calc((100% - 1132px)/2))}footer{padding:12px 24px 24px}}";

int report_html_parse_lang(const char *name, enum report_html_lang *ret)
{
	if (strcmp(name, "vi") == 0)
		*ret = REPORT_HTML_VI;
	else if (strcmp(name, "en") == 0)
		*ret = REPORT_HTML_EN;
	else
		return ERR_INVAL;
	return 0;
}

/* --- escaping ------------------------------------------------------------- */

/* Characters that reorder text around them: bidirectional marks, embeddings,
 * overrides and isolates. */
static bool is_bidi_control(int32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void report_html_escape(FILE *out, const char *in, size_t len, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)in, *end = p + len;
	size_t chars = 0;

	while (p < end) {
		size_t n;
		int32_t cp = text_utf8_next(p, end, &n);

		if (max_chars && chars == max_chars) {
			fputs("…", out);
			return;
		}
		chars++;
		switch (cp) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if (cp < 0 || (cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp))
				fputs("\xEF\xBF\xBD", out); /* U+FFFD */
			else if (cp < 0x20)
				fprintf(out, "&#x%X;", (unsigned)(0x2400 + cp)); /* a visible control picture */
			else if (cp == 0x7F)
				fputs("&#x2421;", out);
			else
				fwrite(p, 1, n, out);
			break;
		}
		p += n;
	}
}

static void esc(FILE *out, const char *s)
{
	report_html_escape(out, s, strlen(s), 0);
}

/* A path with a line-break opportunity after each '/', so that a long path
 * wraps between folder names on a narrow screen. */
static void write_path(FILE *out, const char *path)
{
	const char *slash;

	while ((slash = strchr(path, '/')) != NULL) {
		report_html_escape(out, path, (size_t)(slash - path) + 1, 0);
		if (slash[1])
			fputs("<wbr>", out);
		path = slash + 1;
	}
	esc(out, path);
}

/* Code points of UTF-8 s (an invalid byte counts as one). */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* --- what the page shows -------------------------------------------------- */

/* A set of file names, to count the files holding open findings. */
struct path_set {
	char **slot;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int path_set_add(struct path_set *set, const char *path)
{
	if (2 * (set->n + 1) > set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 256;
		char **slot = calloc(cap, sizeof(*slot));
		if (!slot)
			return ERR_NOMEM;
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->slot[i])
				continue;
			size_t j = hash_str(set->slot[i]) & (cap - 1);
			while (slot[j])
				j = (j + 1) & (cap - 1);
			slot[j] = set->slot[i];
		}
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	size_t j = hash_str(path) & (set->cap - 1);
	while (set->slot[j]) {
		if (strcmp(set->slot[j], path) == 0)
			return 0;
		j = (j + 1) & (set->cap - 1);
	}
	set->slot[j] = strdup(path);
	if (!set->slot[j])
		return ERR_NOMEM;
	set->n++;
	return 0;
}

static void path_set_free(struct path_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
}

/* Rule ids with their labels, for the chart per rule (the counts know ids only). */
#define REPORT_LABELS_MAX 256

struct rule_label {
	char *rule, *label;
};

struct summary {
	uint64_t status[4]; /* by enum store_status; open only while present */
	struct path_set files;
	struct rule_label labels[REPORT_LABELS_MAX];
	size_t n_labels;
};

static int summary_add(const struct store_row *row, void *ctx)
{
	struct summary *sum = ctx;
	int rc;

	if ((unsigned)row->status >= 4)
		return 0;
	if (row->status == STORE_STATUS_OPEN && !row->present)
		return 0;
	sum->status[row->status]++;
	if (row->status != STORE_STATUS_OPEN)
		return 0;
	rc = path_set_add(&sum->files, row->path);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < sum->n_labels; i++)
		if (strcmp(sum->labels[i].rule, row->finding.rule) == 0)
			return 0;
	if (sum->n_labels == REPORT_LABELS_MAX)
		return 0;
	struct rule_label *l = &sum->labels[sum->n_labels];
	l->rule = strdup(row->finding.rule);
	l->label = strdup(row->finding.label ? row->finding.label : "");
	if (!l->rule || !l->label) {
		free(l->rule);
		free(l->label);
		return ERR_NOMEM;
	}
	sum->n_labels++;
	return 0;
}

static void summary_free(struct summary *sum)
{
	path_set_free(&sum->files);
	for (size_t i = 0; i < sum->n_labels; i++) {
		free(sum->labels[i].rule);
		free(sum->labels[i].label);
	}
}

static const char *summary_label(const struct summary *sum, const char *rule)
{
	for (size_t i = 0; i < sum->n_labels; i++)
		if (strcmp(sum->labels[i].rule, rule) == 0)
			return sum->labels[i].label;
	return "";
}

/* The largest groups of store_count, and what the rest adds up to. */
struct top {
	struct top_entry {
		char *key;
		uint64_t count;
	} v[REPORT_HTML_MAX_BARS];
	size_t n;
	uint64_t rest_keys, max;
};

static int top_add(const char *key, uint64_t count, void *ctx)
{
	struct top *t = ctx;

	if (t->n == REPORT_HTML_MAX_BARS) {
		t->rest_keys++;
		return 0;
	}
	t->v[t->n].key = strdup(key);
	if (!t->v[t->n].key)
		return ERR_NOMEM;
	t->v[t->n++].count = count;
	if (count > t->max)
		t->max = count;
	return 0;
}

static void top_free(struct top *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].key);
}

/* Room for "YYYY-MM-DD" of any year an int holds. */
#define REPORT_DAY_SIZE 32

/* The calendar days of the chart, oldest first, and their counts. */
struct days {
	char key[REPORT_HTML_DAYS][REPORT_DAY_SIZE];
	uint64_t count[REPORT_HTML_DAYS];
	uint64_t max, total;
};

static int days_add(const char *key, uint64_t count, void *ctx)
{
	struct days *d = ctx;

	for (int i = 0; i < REPORT_HTML_DAYS; i++)
		if (strcmp(d->key[i], key) == 0) {
			d->count[i] = count;
			d->total += count;
			if (count > d->max)
				d->max = count;
			break;
		}
	return 0;
}

/* --- writing -------------------------------------------------------------- */

/* The calendar time of t in UTC (the epoch when out of range). */
static struct tm utc_tm(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm)) {
		tt = 0;
		gmtime_r(&tt, &tm);
	}
	return tm;
}

/* "YYYY-MM-DD" of t in UTC. */
static void utc_day(int64_t t, char out[REPORT_DAY_SIZE])
{
	struct tm tm = utc_tm(t);

	snprintf(out, REPORT_DAY_SIZE, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void write_time(FILE *out, int64_t t)
{
	struct tm tm = utc_tm(t);
	int y = tm.tm_year + 1900, mo = tm.tm_mon + 1;

	fprintf(out, "<time datetime=\"%04d-%02d-%02dT%02d:%02d:%02dZ\">%04d-%02d-%02d %02d:%02d</time>", y, mo,
	        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, y, mo, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

static void write_head(FILE *out, const struct report_words *w, const struct report_html_options *opt)
{
	fprintf(out,
	        "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
	        "'unsafe-inline'\">\n"
	        "<meta name=\"referrer\" content=\"no-referrer\">\n"
	        "<meta name=\"generator\" content=\"piiguard %s\">\n<title>",
	        w->lang, PIIGUARD_VERSION);
	esc(out, w->title);
	if (opt->hostname) {
		fputs(" — ", out);
		esc(out, opt->hostname);
	}
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1 id=\"title\">", report_css);
	esc(out, w->title);
	fputs("</h1>\n", out);
	if (opt->hostname) {
		fprintf(out, "<p>%s: <b id=\"hostname\">", w->machine);
		esc(out, opt->hostname);
		fputs("</b></p>\n", out);
	}
	fprintf(out, "<p>%s: <span id=\"generated\">", w->generated);
	write_time(out, opt->now);
	fputs(" UTC</span></p>\n", out);

	const struct store_filter *f = opt->filter;
	if (f && (f->since || f->rule || f->path)) {
		const char *sep = "";
		fprintf(out, "<p id=\"filters\">%s: ", w->filters);
		if (f->since) {
			char day[REPORT_DAY_SIZE];
			utc_day(f->since, day);
			fprintf(out, "%s <b>%s</b>", w->filter_since, day);
			sep = " · ";
		}
		if (f->rule) {
			fprintf(out, "%s%s <b>", sep, w->filter_rule);
			esc(out, f->rule);
			fputs("</b>", out);
			sep = " · ";
		}
		if (f->path) {
			fprintf(out, "%s%s <b>", sep, w->filter_path);
			esc(out, f->path);
			fputs("</b>", out);
		}
		fputs("</p>\n", out);
	}
	fputs("</header>\n<main>\n", out);
}

static void write_card(FILE *out, const char *cls, const char *id, uint64_t n, const char *label)
{
	fprintf(out,
	        "<div class=\"card %s\"><span class=\"n\" id=\"count-%s\" data-count=\"%llu\">%llu</span>"
	        "<span class=\"l\">%s</span></div>\n",
	        cls, id, (unsigned long long)n, (unsigned long long)n, label);
}

static void write_cards(FILE *out, const struct report_words *w, const struct summary *sum)
{
	fputs("<section class=\"cards\" id=\"summary\">\n", out);
	write_card(out, "open", "open", sum->status[STORE_STATUS_OPEN], w->open);
	write_card(out, "files", "files", sum->files.n, w->files);
	write_card(out, "ack", "acknowledged", sum->status[STORE_STATUS_ACKNOWLEDGED], w->acknowledged);
	write_card(out, "fp", "false-positive", sum->status[STORE_STATUS_FALSE_POSITIVE], w->false_positive);
	write_card(out, "wiped", "wiped", sum->status[STORE_STATUS_WIPED], w->wiped);
	fputs("</section>\n", out);
}

/* The chart area of the per-day chart, in viewBox units. */
#define DAY_W      480
#define DAY_H      210
#define DAY_LEFT   34
#define DAY_RIGHT  466
#define DAY_TOP    14
#define DAY_BASE   178
#define DAY_LABELS 7 /* a date under every 7th bar, counted from today */

static void write_day_chart(FILE *out, const struct report_words *w, const struct days *d)
{
	double slot = (double)(DAY_RIGHT - DAY_LEFT) / REPORT_HTML_DAYS;
	uint64_t max = d->max ? d->max : 1;

	fprintf(out,
	        "<section class=\"box\" id=\"chart-day\" data-total=\"%llu\">\n<h2>%s</h2>\n"
	        "<p class=\"cap\">%s · %s: <b id=\"count-days-total\">%llu</b></p>\n",
	        (unsigned long long)d->total, w->by_day, w->by_day_caption, w->total, (unsigned long long)d->total);
	fprintf(out, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n", DAY_W, DAY_H, w->by_day);
	fprintf(out,
	        "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
	        "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke-dasharray=\"3 3\"/>\n",
	        DAY_LEFT, DAY_BASE, DAY_RIGHT, DAY_BASE, DAY_LEFT, DAY_TOP, DAY_RIGHT, DAY_TOP);
	fprintf(out,
	        "<text class=\"s\" x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"14\">%llu</text>"
	        "<text class=\"s\" x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"14\">0</text>\n",
	        DAY_LEFT - 5, DAY_TOP + 5, (unsigned long long)max, DAY_LEFT - 5, DAY_BASE + 4);
	for (int i = 0; i < REPORT_HTML_DAYS; i++) {
		double h = (double)d->count[i] / (double)max * (DAY_BASE - DAY_TOP);
		double x = DAY_LEFT + i * slot + 1.5;

		fprintf(out,
		        "<rect class=\"bar\" data-day=\"%s\" data-count=\"%llu\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		        "height=\"%.1f\"><title>%s: %llu</title></rect>\n",
		        d->key[i], (unsigned long long)d->count[i], x, DAY_BASE - h, slot - 3, h, d->key[i],
		        (unsigned long long)d->count[i]);
		if ((REPORT_HTML_DAYS - 1 - i) % DAY_LABELS == 0)
			/* "DD/MM" reads right in both languages' offices. */
			fprintf(out,
			        "<text class=\"s\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
			        "font-size=\"14\">%.2s/%.2s</text>\n",
			        x + (slot - 3) / 2, DAY_BASE + 20, d->key[i] + 8, d->key[i] + 5);
	}
	fputs("</svg>\n</section>\n", out);
}

/* The rows of a horizontal bar chart, in viewBox units. */
#define BAR_W     480
#define BAR_ROW   46
#define BAR_LABEL 17
#define BAR_Y     24
#define BAR_H     14
#define BAR_MAXW  410
#define BAR_CHARS 50 /* what fits on a row at font-size 16 */

static void write_bar_chart(FILE *out, const struct report_words *w, const char *id, const char *title,
                            const char *attr, const struct top *t, const struct summary *sum)
{
	fprintf(out, "<section class=\"box\" id=\"%s\">\n<h2>%s</h2>\n<p class=\"cap\">%s</p>\n", id, title,
	        w->open_caption);
	if (t->n == 0) {
		fprintf(out, "<p>%s</p>\n</section>\n", w->none);
		return;
	}
	fprintf(out, "<svg viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"%s\">\n", BAR_W, t->n * BAR_ROW + 4, title);
	for (size_t i = 0; i < t->n; i++) {
		const char *key = t->v[i].key;
		const char *label = sum ? summary_label(sum, key) : "";
		unsigned long long n = (unsigned long long)t->v[i].count;
		double bw = (double)t->v[i].count / (double)(t->max ? t->max : 1) * BAR_MAXW;
		size_t y = i * BAR_ROW;
		bool other = !sum && strcmp(key, "other") == 0;

		if (bw < 2)
			bw = 2;
		fprintf(out, "<g data-%s=\"", attr);
		esc(out, key);
		fprintf(out, "\" data-count=\"%llu\"><title>", n);
		if (label[0]) {
			esc(out, label);
			fputs(" · ", out);
		}
		if (other)
			fputs(w->other, out);
		else
			esc(out, key);
		fprintf(out, ": %llu</title>\n<text x=\"0\" y=\"%zu\" font-size=\"16\">", n, y + BAR_LABEL);
		if (label[0]) {
			/* The label leads, then the id (what people grep for) if it fits. */
			report_html_escape(out, label, strlen(label), BAR_CHARS);
			if (utf8_chars(label) + 1 + utf8_chars(key) <= BAR_CHARS) {
				fputs(" <tspan class=\"s\">", out);
				esc(out, key);
				fputs("</tspan>", out);
			}
		} else if (other) {
			fputs(w->other, out);
		} else {
			report_html_escape(out, key, strlen(key), BAR_CHARS);
		}
		fprintf(out,
		        "</text>\n<rect class=\"bar\" x=\"0\" y=\"%zu\" width=\"%.1f\" height=\"%d\" rx=\"2\"/>"
		        "<text class=\"v\" x=\"%.1f\" y=\"%zu\" font-size=\"15\">%llu</text></g>\n",
		        y + BAR_Y, bw, BAR_H, bw + 6, y + BAR_Y + BAR_H - 2, n);
	}
	fputs("</svg>\n", out);
	if (t->rest_keys)
		fprintf(out, "<p class=\"cap\">%s%llu%s</p>\n", w->rest_before, (unsigned long long)t->rest_keys,
		        w->rest_after);
	fputs("</section>\n", out);
}

static void write_folder_table(FILE *out, const struct report_words *w, const struct top *t)
{
	fprintf(out, "<section class=\"box\" id=\"folders\">\n<h2>%s</h2>\n<p class=\"cap\">%s</p>\n", w->by_folder,
	        w->open_caption);
	if (t->n == 0) {
		fprintf(out, "<p>%s</p>\n</section>\n", w->none);
		return;
	}
	fprintf(out,
	        "<div class=\"scroll\"><table>\n<thead><tr><th>%s</th><th class=\"num\">%s</th></tr></thead>\n"
	        "<tbody>\n",
	        w->folder, w->findings);
	for (size_t i = 0; i < t->n && i < REPORT_HTML_MAX_FOLDERS; i++) {
		fprintf(out, "<tr data-folder=\"");
		esc(out, t->v[i].key);
		fprintf(out, "\" data-count=\"%llu\"><td class=\"path\">", (unsigned long long)t->v[i].count);
		write_path(out, t->v[i].key);
		fprintf(out, "</td><td class=\"num\">%llu</td></tr>\n", (unsigned long long)t->v[i].count);
	}
	fputs("</tbody></table></div>\n", out);
	if (t->rest_keys)
		fprintf(out, "<p class=\"cap\">%s%llu%s</p>\n", w->rest_before, (unsigned long long)t->rest_keys,
		        w->rest_after);
	fputs("</section>\n", out);
}

struct table {
	FILE *out;
	size_t max_rows;
	uint64_t shown, rest;
};

static int table_row(const struct store_row *row, void *ctx)
{
	struct table *t = ctx;
	FILE *out = t->out;
	double conf = row->finding.confidence;

	if (t->shown == t->max_rows) {
		t->rest++;
		return 0;
	}
	t->shown++;
	if (!(conf >= 0)) /* also NaN */
		conf = 0;
	if (conf > 1)
		conf = 1;
	fprintf(out, "<tr data-id=\"%lld\" data-rule=\"", (long long)row->id);
	esc(out, row->finding.rule);
	fprintf(out, "\"><td class=\"num\">%lld</td><td class=\"rule\">", (long long)row->id);
	esc(out, row->finding.label ? row->finding.label : "");
	fputs("<br><small>", out);
	esc(out, row->finding.rule);
	fputs("</small></td><td class=\"masked\">", out);
	esc(out, row->finding.masked);
	fprintf(out, "</td><td class=\"num\">%d%%</td><td class=\"path\">", (int)(conf * 100 + 0.5));
	write_path(out, row->path);
	if (row->finding.member) {
		fputs("<small>!", out);
		esc(out, row->finding.member);
		fputs("</small>", out);
	}
	if (row->finding.line)
		fprintf(out, ":%llu", (unsigned long long)row->finding.line);
	fputs("</td><td class=\"t\">", out);
	write_time(out, row->first_seen);
	fputs("</td><td class=\"t\">", out);
	write_time(out, row->last_seen);
	fputs("</td></tr>\n", out);
	return 0;
}

static int write_open_table(FILE *out, struct store *s, const struct report_words *w, const struct store_filter *open,
                            size_t max_rows)
{
	struct table t = {.out = out, .max_rows = max_rows};
	int rc;

	fprintf(out, "<section class=\"box\" id=\"open-findings\">\n<h2>%s</h2>\n", w->open_table);
	fprintf(out,
	        "<div class=\"scroll\"><table>\n<thead><tr><th class=\"num\">%s</th><th>%s</th><th>%s</th>"
	        "<th class=\"num\">%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
	        w->col_id, w->col_rule, w->col_masked, w->col_confidence, w->col_place, w->col_first, w->col_last);
	rc = store_findings(s, open, table_row, &t);
	if (rc < 0)
		return rc;
	fputs("</tbody></table></div>\n", out);
	if (t.shown == 0)
		fprintf(out, "<p id=\"no-open\">%s</p>\n", w->no_open);
	if (t.rest)
		fprintf(out, "<p class=\"note\" id=\"more-rows\" data-count=\"%llu\">%s%llu%s</p>\n",
		        (unsigned long long)t.rest, w->more_before, (unsigned long long)t.rest, w->more_after);
	fputs("</section>\n", out);
	return 0;
}

static const char *posture_remedy(const struct report_words *w, const char *rule)
{
	if (strcmp(rule, "posture.remote_access") == 0)
		return w->remedy_remote;
	if (strcmp(rule, "posture.browser_passwords") == 0)
		return w->remedy_passwords;
	if (strcmp(rule, "posture.password_policy") == 0)
		return w->remedy_policy;
	if (strcmp(rule, "posture.messaging_app") == 0)
		return w->remedy_messaging;
	if (strcmp(rule, "posture.swap_unencrypted") == 0)
		return w->remedy_swap;
	if (strcmp(rule, "posture.print_job_files") == 0)
		return w->remedy_print;
	return "";
}

struct posture_rows {
	FILE *out;
	const struct report_words *w;
	uint64_t count;
};

static int posture_row(const struct store_row *row, void *ctx)
{
	struct posture_rows *p = ctx;
	FILE *out = p->out;

	if (row->status == STORE_STATUS_FALSE_POSITIVE)
		return 0;
	fputs("<tr data-posture=\"", out);
	esc(out, row->finding.rule);
	fputs("\"><td>", out);
	esc(out, row->finding.label);
	fputs("</td><td>", out);
	esc(out, row->finding.masked);
	fputs("</td><td class=\"path\">", out);
	write_path(out, row->path);
	fputs("</td><td>", out);
	esc(out, posture_remedy(p->w, row->finding.rule));
	fputs("</td></tr>\n", out);
	p->count++;
	return 0;
}

static int write_posture(FILE *out, struct store *s, const struct report_words *w)
{
	struct store_filter posture = {.status = -1, .rule_prefix = "posture."};
	struct posture_rows p = {out, w, 0};
	char *rows = NULL;
	size_t rows_len = 0;
	FILE *mem = open_memstream(&rows, &rows_len);
	int rc;

	if (!mem)
		return ERR_NOMEM;
	p.out = mem;
	rc = store_findings(s, &posture, posture_row, &p);
	fclose(mem);
	if (rc < 0) {
		free(rows);
		return rc;
	}
	fprintf(out, "<section class=\"box\" id=\"posture\">\n<h2>%s</h2>\n<p class=\"cap\">%s</p>\n", w->posture,
	        w->posture_caption);
	fprintf(out, "<p><span id=\"count-posture\" data-count=\"%llu\">%llu</span></p>\n", (unsigned long long)p.count,
	        (unsigned long long)p.count);
	if (p.count == 0) {
		fprintf(out, "<p id=\"no-posture\">%s</p>\n", w->posture_none);
	} else {
		fprintf(out,
		        "<div "
		        "class=\"scroll\"><table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
		        "<tbody>\n",
		        w->col_rule, w->col_subject, w->col_evidence, w->col_remedy);
		fwrite(rows, 1, rows_len, out);
		fputs("</tbody></table></div>\n", out);
	}
	fputs("</section>\n", out);
	free(rows);
	return 0;
}

int report_html_write(struct store *s, const struct report_html_options *opt, FILE *out)
{
	const struct report_words *w = opt->lang == REPORT_HTML_EN ? &words_en : &words_vi;
	/* Posture results have their own section: the rest is about citizens' data. */
	struct store_filter base = {.status = -1, .rule_not_prefix = "posture."};
	struct summary *sum = NULL;
	struct top by_rule = {0}, by_app = {0}, by_folder = {0};
	struct days days = {0};
	int rc;

	if (opt->filter) {
		base.since = opt->filter->since;
		base.rule = opt->filter->rule;
		base.path = opt->filter->path;
	}
	struct store_filter all = base, open = base;
	all.include_gone = true;
	open.status = STORE_STATUS_OPEN;

	sum = calloc(1, sizeof(*sum));
	if (!sum) {
		rc = ERR_NOMEM;
		goto out;
	}
	rc = store_findings(s, &all, summary_add, sum);
	if (rc < 0)
		goto out;
	for (int i = 0; i < REPORT_HTML_DAYS; i++)
		utc_day(opt->now - (int64_t)(REPORT_HTML_DAYS - 1 - i) * 86400, days.key[i]);
	rc = store_count_per_day(s, &all, REPORT_HTML_DAYS, days_add, &days);
	if (rc < 0)
		goto out;
	rc = store_count(s, &open, "rule", top_add, &by_rule);
	if (rc < 0)
		goto out;
	rc = store_count(s, &open, "application", top_add, &by_app);
	if (rc < 0)
		goto out;
	rc = store_count(s, &open, "folder", top_add, &by_folder);
	if (rc < 0)
		goto out;

	write_head(out, w, opt);
	write_cards(out, w, sum);
	write_day_chart(out, w, &days);
	fputs("<div class=\"grid\">\n", out);
	write_bar_chart(out, w, "chart-rule", w->by_rule, "rule", &by_rule, sum);
	write_bar_chart(out, w, "chart-application", w->by_application, "application", &by_app, NULL);
	fputs("</div>\n", out);
	write_folder_table(out, w, &by_folder);
	rc = write_open_table(out, s, w, &open, opt->max_rows ? opt->max_rows : REPORT_HTML_MAX_ROWS);
	if (rc < 0)
		goto out;
	if (!opt->filter || (!opt->filter->rule && !opt->filter->path)) {
		rc = write_posture(out, s, w);
		if (rc < 0)
			goto out;
	}
	fprintf(out, "</main>\n<footer><p>%s</p><p>piiguard %s</p></footer>\n</body>\n</html>\n", w->footer,
	        PIIGUARD_VERSION);
	rc = ferror(out) ? ERR_IO : 0;
out:
	if (sum)
		summary_free(sum);
	free(sum);
	top_free(&by_rule);
	top_free(&by_app);
	top_free(&by_folder);
	return rc;
}
