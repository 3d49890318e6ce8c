/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading of the configuration (see config.h), called by every program at
 * start. inih splits lines into sections and keys, but our own reader hands it
 * the file's bytes line by line: it counts lines (Debian's inih does not) and
 * turns every line inih would misread (too long, an indented line inih would
 * glue to the value above, a line that is not INI) into a reported error, so
 * every problem is named file:line and none is silently skipped. Tests, and
 * only tests, move the default folder /etc/piiguard elsewhere with the
 * environment variable PIIGUARD_CONFIG_DIR (read with secure_getenv). Never
 * logs: problems go to the caller's callback.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "inifile.h"
#include "limits.h"
#include "paths.h"

#define CONFIG_DIR_ENV "PIIGUARD_CONFIG_DIR"

enum config_section {
	SECTION_NONE,
	SECTION_STORE,
	SECTION_SCAN,
	SECTION_FORWARD,
	SECTION_LIMITS,
	SECTION_WATCH,
	SECTION_WIPE,
	SECTION_UNKNOWN,
};

struct loader {
	struct config *c;
	const char *file;
	const char *pos, *end; /* the reader's cursor in the file's bytes */
	int line;
	enum config_section section;
	bool have_key;   /* a key was read in this section: inih takes an indented line as its continuation */
	bool roots_read; /* a root = line was read: the defaults are gone */
	int errors;
	config_error_fn *on_error;
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
	if (l->on_error)
		l->on_error(l->file, line, msg, l->ctx);
}

/* The agent's roots as root: the folders where kiosk users keep or receive
 * files, and where browsers and messengers keep what they showed. */
static const char *const root_defaults[] = {
        "~/{DESKTOP}",
        "~/{DOWNLOAD}",
        "~/{DOCUMENTS}",
        "~/{PICTURES}",
        "~/.local/share/TelegramDesktop",
        "~/.ViberPC",
        "~/.config/ZaloData",
        "~/.cache/chromium/*/Cache",
        "~/.config/chromium/*/Local Storage",
        "~/.config/chromium/*/IndexedDB",
        "~/.cache/google-chrome/*/Cache",
        "~/.config/google-chrome/*/Local Storage",
        "~/.config/google-chrome/*/IndexedDB",
        "~/.cache/mozilla/firefox/*/cache2",
        "~/.mozilla/firefox/*/storage",
};

/* Not root: what `make run` watches for the one who runs it. */
static const char *const user_defaults[] = {"~/{DESKTOP}", "~/{DOWNLOAD}"};

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->min_confidence = 0.5;
	c->ocr = true;
	snprintf(c->ocr_languages, sizeof(c->ocr_languages), "vie+eng");
	c->journald = true;
	c->syslog_facility = 16; /* local0 */
	extract_limits_default(&c->limits);
	c->watch_rescan_seconds = 3600;
	c->watch_queue_limit = 4096;
	c->watch_file_seconds = 120;
	c->watch_notify = true;
	for (size_t i = 0; i < (geteuid() == 0 ? sizeof(root_defaults) : sizeof(user_defaults)) / sizeof(char *); i++)
		snprintf(c->watch_roots[c->n_watch_roots++], CONFIG_PATTERN_MAX, "%s",
		         geteuid() == 0 ? root_defaults[i] : user_defaults[i]);
	snprintf(c->wipe.skeleton, sizeof(c->wipe.skeleton), "/etc/skel");
	snprintf(c->wipe.spool, sizeof(c->wipe.spool), "/var/spool/cups");
	c->wipe.warn_minutes = 10;
}

/* --- values ------------------------------------------------------------------ */

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A host name as RFC 1123 has it: dot-separated labels of 1 to 63 letters,
 * digits and hyphens, not starting or ending with a hyphen. */
static bool valid_host_name(const char *s, size_t len)
{
	size_t label = 0;

	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (ch == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-') {
			if ((label == 0 && ch == '-') || ++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && s[len - 1] != '-';
}

static bool valid_port(const char *s)
{
	size_t len = strlen(s);
	unsigned long v = 0;

	if (len == 0 || len > 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

static int parse_host_port(const char *p, struct config_syslog_address *ret, const char **why)
{
	const char *host, *port;
	size_t host_len;
	char tmp[256];

	if (p[0] == '[') {
		const char *close = strchr(p, ']');
		if (!close) {
			*why = "an IPv6 address needs its closing bracket: [2001:db8::1]:514";
			return ERR_INVAL;
		}
		host = p + 1;
		host_len = (size_t)(close - host);
		if (close[1] != ':') {
			*why = "the address needs a port: HOST:PORT";
			return ERR_INVAL;
		}
		port = close + 2;
		if (host_len >= sizeof(tmp)) {
			*why = "the host is too long";
			return ERR_INVAL;
		}
		memcpy(tmp, host, host_len);
		tmp[host_len] = '\0';
		struct in6_addr a6;
		if (inet_pton(AF_INET6, tmp, &a6) != 1) {
			*why = "not a valid IPv6 address between the brackets";
			return ERR_INVAL;
		}
	} else {
		const char *colon = strrchr(p, ':');
		if (!colon) {
			*why = "the address needs a port: HOST:PORT";
			return ERR_INVAL;
		}
		host = p;
		host_len = (size_t)(colon - p);
		port = colon + 1;
		if (memchr(host, ':', host_len)) {
			*why = "write an IPv6 address in brackets: [2001:db8::1]:514";
			return ERR_INVAL;
		}
		if (host_len == 0) {
			*why = "the address needs a host: HOST:PORT";
			return ERR_INVAL;
		}
		if (host_len >= sizeof(tmp)) {
			*why = "the host is too long";
			return ERR_INVAL;
		}
		memcpy(tmp, host, host_len);
		tmp[host_len] = '\0';
		if (strspn(tmp, "0123456789.") == host_len) {
			struct in_addr a4;
			if (inet_pton(AF_INET, tmp, &a4) != 1) {
				*why = "not a valid IPv4 address";
				return ERR_INVAL;
			}
		} else if (!valid_host_name(tmp, host_len)) {
			*why = "not a valid host name (letters, digits, hyphens and dots)";
			return ERR_INVAL;
		}
	}
	if (!valid_port(port)) {
		*why = "the port must be a number from 1 to 65535";
		return ERR_INVAL;
	}
	memcpy(ret->host, tmp, host_len + 1);
	memcpy(ret->port, port, strlen(port) + 1);
	return 0;
}

int config_parse_syslog(const char *value, struct config_syslog_address *ret, const char **ret_why)
{
	const char *why = NULL;
	int rc = 0;

	memset(ret, 0, sizeof(*ret));
	if (!value[0]) {
		ret->transport = CONFIG_SYSLOG_NONE;
	} else if (strncmp(value, "udp://", 6) == 0 || strncmp(value, "tcp://", 6) == 0) {
		rc = parse_host_port(value + 6, ret, &why);
		ret->transport = value[0] == 'u' ? CONFIG_SYSLOG_UDP : CONFIG_SYSLOG_TCP;
	} else if (strncmp(value, "unix:", 5) == 0) {
		const char *path = value + 5;
		ret->transport = CONFIG_SYSLOG_UNIX;
		if (path[0] != '/') {
			why = "a unix socket needs an absolute path: unix:/run/NAME.sock";
			rc = ERR_INVAL;
		} else if (strlen(path) >= sizeof(ret->path)) {
			why = "the unix socket path is longer than 107 bytes";
			rc = ERR_INVAL;
		} else {
			memcpy(ret->path, path, strlen(path) + 1);
		}
	} else {
		why = "must be udp://HOST:PORT, tcp://HOST:PORT or unix:/PATH";
		rc = ERR_INVAL;
	}
	if (rc < 0)
		memset(ret, 0, sizeof(*ret));
	if (ret_why)
		*ret_why = why;
	return rc;
}

static void parse_bool(struct loader *l, const char *name, const char *value, bool *ret)
{
	static const char *const yes[] = {"yes", "true", "1"}, *const no[] = {"no", "false", "0"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*ret = true;
			return;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*ret = false;
			return;
		}
	}
	report(l, l->line, "%s must be yes, no, true, false, 1 or 0, not \"%s\"", name, value);
}

/* A number from 0 to 1 written with a dot, read without strtod(), whose
 * decimal separator follows the locale: digits as one integer divided once by
 * a power of ten, so that "0.75" gives exactly the double 0.75 does. */
static void parse_share(struct loader *l, const char *name, const char *value, double *ret)
{
	const char *p = value;
	unsigned long long mantissa = 0, scale = 1;
	size_t digits = 0;

	for (; is_digit(*p) && digits < 15; p++, digits++)
		mantissa = mantissa * 10 + (unsigned)(*p - '0');
	if (*p == '.' && digits < 15)
		for (p++; is_digit(*p) && digits < 15; p++, digits++) {
			mantissa = mantissa * 10 + (unsigned)(*p - '0');
			scale *= 10;
		}
	if (digits == 0 || *p || mantissa > scale) {
		report(l, l->line, "%s must be a number from 0 to 1 (like 0.5), not \"%s\"", name, value);
		return;
	}
	*ret = (double)mantissa / (double)scale;
}

static void parse_path(struct loader *l, const char *name, const char *value, char *ret, size_t size)
{
	if (value[0] && value[0] != '/') {
		report(l, l->line, "%s must be an absolute path (or empty for the default), not \"%s\"", name, value);
		return;
	}
	if (strlen(value) >= size) {
		report(l, l->line, "%s is too long", name);
		return;
	}
	memcpy(ret, value, strlen(value) + 1);
}

/* A whole number from min to max, digits only. */
static void parse_count(struct loader *l, const char *name, const char *value, unsigned min, unsigned max,
                        unsigned *ret)
{
	unsigned long v = 0;
	size_t n = strlen(value);

	for (size_t i = 0; i < n && n <= 9; i++) {
		if (!is_digit(value[i])) {
			n = 0;
			break;
		}
		v = v * 10 + (unsigned long)(value[i] - '0');
	}
	if (n == 0 || n > 9 || v < min || v > max) {
		report(l, l->line, "%s must be a whole number from %u to %u, not \"%s\"", name, min, max, value);
		return;
	}
	*ret = (unsigned)v;
}

/* A root or exclusion pattern: absolute, or starting with "~/". */
static void parse_pattern(struct loader *l, const char *name, const char *value, char list[][CONFIG_PATTERN_MAX],
                          unsigned *n)
{
	if (value[0] != '/' && strncmp(value, "~/", 2) != 0 && !(name[0] == 'e' && value[0] == '*')) {
		report(l, l->line, "%s must be an absolute path or start with ~/, not \"%s\"", name, value);
		return;
	}
	if (strlen(value) >= CONFIG_PATTERN_MAX) {
		report(l, l->line, "%s is longer than %u bytes", name, CONFIG_PATTERN_MAX - 1);
		return;
	}
	if (*n >= CONFIG_WATCH_PATTERNS) {
		report(l, l->line, "more than %u %s patterns", CONFIG_WATCH_PATTERNS, name);
		return;
	}
	memcpy(list[(*n)++], value, strlen(value) + 1);
}

/* Tesseract language names (lower case, digits, '_') joined by '+': they
 * become a file name under tesseract's data folder, so nothing else. */
static void parse_languages(struct loader *l, const char *value, char *ret, size_t size)
{
	size_t n = strlen(value);
	bool ok = n > 0 && n < size && value[0] != '+' && value[n - 1] != '+' && !strstr(value, "++");

	for (size_t i = 0; ok && i < n; i++)
		ok = (value[i] >= 'a' && value[i] <= 'z') || (value[i] >= '0' && value[i] <= '9') || value[i] == '_' ||
		     value[i] == '+';
	if (!ok) {
		report(l, l->line,
		       "ocr_languages must be tesseract language names joined by '+' (vie+eng+chi_sim+fas)");
		return;
	}
	memcpy(ret, value, n + 1);
}

static void parse_facility(struct loader *l, const char *value, int *ret)
{
	static const struct {
		const char *name;
		int code;
	} names[] = {
	        {"user", 1},    {"daemon", 3},  {"auth", 4},    {"local0", 16}, {"local1", 17}, {"local2", 18},
	        {"local3", 19}, {"local4", 20}, {"local5", 21}, {"local6", 22}, {"local7", 23},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(value, names[i].name) == 0) {
			*ret = names[i].code;
			return;
		}
	report(l, l->line, "facility must be local0 to local7, user, daemon or auth, not \"%s\"", value);
}

static void parse_syslog(struct loader *l, const char *value)
{
	struct config_syslog_address addr;
	const char *why;

	if (config_parse_syslog(value, &addr, &why) < 0) {
		report(l, l->line, "syslog: %s, not \"%s\"", why, value);
		return;
	}
	if (strlen(value) >= sizeof(l->c->syslog)) {
		report(l, l->line, "syslog: the address is too long");
		return;
	}
	memcpy(l->c->syslog, value, strlen(value) + 1);
}

/* A size in bytes from 1 to max, which may end in K, M or G (powers of 1024). */
static void parse_size(struct loader *l, const char *name, const char *value, uint64_t max, uint64_t *ret)
{
	const char *p = value;
	uint64_t n = 0, unit = 1;

	for (; is_digit(*p) && n <= max; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (p != value && *p && !p[1]) {
		char u = (char)(*p & ~0x20);
		unit = u == 'K' ? 1ull << 10 : u == 'M' ? 1ull << 20 : u == 'G' ? 1ull << 30 : 1;
		if (unit > 1)
			p++;
	}
	if (p == value || *p || n == 0 || n > max / unit) {
		report(l, l->line, "%s must be a size from 1 to %lluM (bytes, or with K, M or G), not \"%s\"", name,
		       (unsigned long long)(max >> 20), value);
		return;
	}
	*ret = n * unit;
}

static void parse_limit(struct loader *l, const char *name, const char *value)
{
	struct extract_limits *lim = &l->c->limits;
	const struct {
		const char *name;
		unsigned max;
		unsigned *field;
	} counts[] = {
	        {"max_ratio", LIMIT_EXPANSION_RATIO_MAX, &lim->ratio},
	        {"max_recursion", LIMIT_NESTING_MAX, &lim->nesting},
	        {"max_files", LIMIT_MEMBERS_MAX, &lim->members},
	        {"max_seconds", LIMIT_FILE_SECONDS_MAX, &lim->seconds},
	};

	if (strcmp(name, "max_file_size") == 0) {
		parse_size(l, name, value, LIMIT_CONTAINER_BYTES_MAX, &lim->file_bytes);
		return;
	}
	if (strcmp(name, "max_scan_size") == 0) {
		parse_size(l, name, value, LIMIT_EXPANDED_BYTES_MAX, &lim->expanded_bytes);
		return;
	}
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (strcmp(name, counts[i].name) == 0) {
			parse_count(l, name, value, 1, counts[i].max, counts[i].field);
			return;
		}
	report(l, l->line,
	       "unknown key \"%s\" in [limits] (known: max_file_size, max_scan_size, max_ratio, max_recursion, "
	       "max_files, max_seconds)",
	       name);
}

/* --- [wipe] ------------------------------------------------------------------- */

/* A user name as useradd takes it: a letter or '_', then letters, digits,
 * '_', '-' and '.', at most 32 bytes, an optional trailing '$'. */
static bool valid_user_name(const char *s, size_t len)
{
	if (len == 0 || len >= CONFIG_USER_MAX || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || is_digit(ch) || ch == '_' || ch == '-' || ch == '.' ||
		      (ch == '$' && i == len - 1)))
			return false;
	}
	return true;
}

/* Names separated by spaces or commas, added to a list; "" empties it. */
static void parse_names(struct loader *l, const char *name, const char *value, char (*list)[CONFIG_USER_MAX],
                        unsigned max, unsigned *n)
{
	const char *p = value;

	if (!value[0])
		*n = 0;
	while (*p) {
		size_t len = strcspn(p, " \t,");
		if (len > 0) {
			if (!valid_user_name(p, len))
				report(l, l->line, "%s: \"%.*s\" is not a user name", name, (int)len, p);
			else if (*n >= max)
				report(l, l->line, "%s: more than %u names", name, max);
			else {
				memcpy(list[*n], p, len);
				list[(*n)++][len] = '\0';
			}
		}
		p += len;
		p += strspn(p, " \t,");
	}
}

/* A path below the home: relative, without "." or ".." or empty parts. */
static void parse_keep(struct loader *l, const char *value)
{
	struct config_wipe *w = &l->c->wipe;
	size_t len = strlen(value);
	bool bad = len == 0 || value[0] == '/' || len >= CONFIG_KEEP_MAX;

	for (const char *p = value; !bad && *p;) {
		size_t part = strcspn(p, "/");
		bad = part == 0 || (part == 1 && p[0] == '.') || (part == 2 && p[0] == '.' && p[1] == '.');
		p += part;
		if (*p == '/')
			p++;
		bad = bad || (*p == '\0' && p[-1] == '/');
	}
	if (!value[0]) {
		w->n_keep = 0;
	} else if (bad) {
		report(l, l->line, "keep must be a path below the home (like .config/monitors.xml), not \"%s\"", value);
	} else if (w->n_keep >= LIMIT_WIPE_KEEP) {
		report(l, l->line, "keep: more than %u paths", LIMIT_WIPE_KEEP);
	} else {
		memcpy(w->keep[w->n_keep++], value, len + 1);
	}
}

static void parse_wipe(struct loader *l, const char *name, const char *value)
{
	struct config_wipe *w = &l->c->wipe;

	if (strcmp(name, "users") == 0) {
		parse_names(l, name, value, w->users, LIMIT_WIPE_USERS, &w->n_users);
	} else if (strcmp(name, "staff") == 0) {
		parse_names(l, name, value, w->staff, LIMIT_WIPE_STAFF, &w->n_staff);
	} else if (strcmp(name, "mode") == 0) {
		if (strcmp(value, "reset-home") == 0)
			w->mode = CONFIG_WIPE_RESET_HOME;
		else if (strcmp(value, "targets") == 0)
			w->mode = CONFIG_WIPE_TARGETS;
		else
			report(l, l->line, "mode must be reset-home or targets, not \"%s\"", value);
	} else if (strcmp(name, "media") == 0) {
		if (strcmp(value, "auto") == 0)
			w->media = CONFIG_WIPE_MEDIA_AUTO;
		else if (strcmp(value, "unlink") == 0)
			w->media = CONFIG_WIPE_MEDIA_UNLINK;
		else
			report(l, l->line, "media must be auto or unlink, not \"%s\"", value);
	} else if (strcmp(name, "skeleton") == 0) {
		if (!value[0])
			report(l, l->line, "skeleton must be an absolute path");
		else
			parse_path(l, name, value, w->skeleton, sizeof(w->skeleton));
	} else if (strcmp(name, "keep") == 0) {
		parse_keep(l, value);
	} else if (strcmp(name, "spool") == 0) {
		parse_path(l, name, value, w->spool, sizeof(w->spool));
	} else if (strcmp(name, "warn_minutes") == 0) {
		parse_count(l, name, value, 0, 120, &w->warn_minutes);
	} else {
		report(l, l->line,
		       "unknown key \"%s\" in [wipe] (known: users, staff, mode, skeleton, keep, warn_minutes, media, "
		       "spool)",
		       name);
	}
}

/* --- the INI reader and handler ----------------------------------------------- */

static enum config_section section_of(const char *name, size_t len)
{
	static const struct {
		const char *name;
		enum config_section section;
	} known[] = {
	        {"store", SECTION_STORE},   {"scan", SECTION_SCAN},   {"forward", SECTION_FORWARD},
	        {"limits", SECTION_LIMITS}, {"watch", SECTION_WATCH}, {"wipe", SECTION_WIPE},
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].name) == len && memcmp(known[i].name, name, len) == 0)
			return known[i].section;
	return SECTION_UNKNOWN;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* The first '=' or ':' before an inline comment (" ;"), as inih looks for it. */
static const char *find_separator(const char *p)
{
	bool was_space = false;

	for (; *p; p++) {
		if (*p == '=' || *p == ':')
			return p;
		if (*p == ';' && was_space)
			return NULL;
		was_space = is_space(*p);
	}
	return NULL;
}

/* Check one line before inih sees it; a line that is an error is reported
 * here, and inih gets an empty line in its place. */
static bool check_line(struct loader *l, const char *s)
{
	const char *p = s;
	bool indented;

	if (l->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	indented = is_space(*p);
	while (is_space(*p))
		p++;
	if (!*p || *p == ';' || *p == '#')
		return true;
	if (*p == '[') {
		const char *close = strchr(p, ']'), *rest;
		if (!close) {
			report(l, l->line, "a section header needs its closing ]");
			l->section = SECTION_UNKNOWN; /* its keys would only repeat the error */
			return false;
		}
		for (rest = close + 1; is_space(*rest); rest++)
			;
		if (*rest && *rest != ';' && *rest != '#') {
			report(l, l->line, "text after the section header");
			l->section = SECTION_UNKNOWN;
			return false;
		}
		l->have_key = false;
		l->section = section_of(p + 1, (size_t)(close - p - 1));
		if (l->section == SECTION_UNKNOWN)
			report(l, l->line,
			       "unknown section [%.*s] (known: [store], [scan], [forward], [limits], [watch], [wipe])",
			       (int)(close - p - 1), p + 1);
		return true;
	}
	if (indented && l->have_key) {
		report(l, l->line, "an indented line would continue the value above: start it at the line's beginning");
		return false;
	}
	if (!find_separator(p)) {
		report(l, l->line, "expected [section], KEY = VALUE or a comment");
		return false;
	}
	return true;
}

/* fgets over the file's bytes, counting lines. */
static char *reader(char *str, int num, void *stream)
{
	struct loader *l = stream;
	size_t cap = (size_t)num - 1, len;
	const char *start = l->pos, *nl;

	if (l->pos >= l->end)
		return NULL;
	l->line++;
	nl = memchr(start, '\n', (size_t)(l->end - start));
	len = nl ? (size_t)(nl - start) : (size_t)(l->end - start);
	l->pos = nl ? nl + 1 : l->end;
	if (len > 0 && start[len - 1] == '\r')
		len--;
	str[0] = '\0';
	if (len > LIMIT_CONFIG_LINE || len > cap) {
		report(l, l->line, "line longer than %u bytes", LIMIT_CONFIG_LINE);
		return str;
	}
	if (memchr(start, '\0', len)) {
		report(l, l->line, "NUL byte in line");
		return str;
	}
	memcpy(str, start, len);
	str[len] = '\0';
	if (!check_line(l, str))
		str[0] = '\0';
	return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader *l = user;
	struct config *c = l->c;

	(void)section; /* the reader knows it, and knows whether it is one of ours */
	l->have_key = true;
	switch (l->section) {
	case SECTION_UNKNOWN: return 1; /* reported once, at its header */
	case SECTION_NONE:
		report(l, l->line, "\"%s\" outside a section ([store], [scan], [forward], [limits], [watch] or [wipe])",
		       name);
		return 1;
	case SECTION_STORE:
		if (strcmp(name, "path") == 0)
			parse_path(l, name, value, c->store_path, sizeof(c->store_path));
		else if (strcmp(name, "key") == 0)
			parse_path(l, name, value, c->key_file, sizeof(c->key_file));
		else
			report(l, l->line, "unknown key \"%s\" in [store] (known: path, key)", name);
		return 1;
	case SECTION_SCAN:
		if (strcmp(name, "min_confidence") == 0)
			parse_share(l, name, value, &c->min_confidence);
		else if (strcmp(name, "ocr") == 0)
			parse_bool(l, name, value, &c->ocr);
		else if (strcmp(name, "ocr_languages") == 0)
			parse_languages(l, value, c->ocr_languages, sizeof(c->ocr_languages));
		else
			report(l, l->line, "unknown key \"%s\" in [scan] (known: min_confidence, ocr, ocr_languages)",
			       name);
		return 1;
	case SECTION_WATCH:
		if (strcmp(name, "root") == 0) {
			if (!l->roots_read)
				c->n_watch_roots = 0;
			l->roots_read = true;
			parse_pattern(l, name, value, c->watch_roots, &c->n_watch_roots);
		} else if (strcmp(name, "exclude") == 0) {
			parse_pattern(l, name, value, c->watch_excludes, &c->n_watch_excludes);
		} else if (strcmp(name, "jobs") == 0) {
			parse_count(l, name, value, 0, LIMIT_JOBS, &c->watch_jobs);
		} else if (strcmp(name, "rescan_interval") == 0) {
			parse_count(l, name, value, 0, 604800, &c->watch_rescan_seconds);
		} else if (strcmp(name, "queue_limit") == 0) {
			parse_count(l, name, value, 16, 1000000, &c->watch_queue_limit);
		} else if (strcmp(name, "file_timeout") == 0) {
			parse_count(l, name, value, 1, 3600, &c->watch_file_seconds);
		} else if (strcmp(name, "notify") == 0) {
			parse_bool(l, name, value, &c->watch_notify);
		} else {
			report(l, l->line,
			       "unknown key \"%s\" in [watch] (known: root, exclude, jobs, rescan_interval, "
			       "queue_limit, file_timeout, notify)",
			       name);
		}
		return 1;
	case SECTION_FORWARD:
		if (strcmp(name, "journald") == 0)
			parse_bool(l, name, value, &c->journald);
		else if (strcmp(name, "syslog") == 0)
			parse_syslog(l, value);
		else if (strcmp(name, "facility") == 0)
			parse_facility(l, value, &c->syslog_facility);
		else
			report(l, l->line, "unknown key \"%s\" in [forward] (known: journald, syslog, facility)", name);
		return 1;
	case SECTION_LIMITS: parse_limit(l, name, value); return 1;
	case SECTION_WIPE: parse_wipe(l, name, value); return 1;
	}
	return 1;
}

static void parse_buffer(struct loader *l, const char *file, const char *data, size_t len)
{
	int errors_before = l->errors, rc;

	l->file = file;
	l->pos = data;
	l->end = data + len;
	l->line = 0;
	l->section = SECTION_NONE;
	l->have_key = false;
	rc = ini_parse_stream(reader, l, handler, l);
	/* The reader already blanked every line inih would reject; this is a
	 * safety net for a case it does not know. */
	if (rc > 0 && l->errors == errors_before)
		report(l, rc, "syntax error");
	else if (rc < 0)
		report(l, 0, "cannot be parsed");
}

/* --- files ---------------------------------------------------------------------- */

/* Read name (relative to dirfd) whole. Returns 0, ERR_NOTFOUND (it does not
 * exist), ERR_IO or ERR_LIMIT (both reported) or ERR_NOMEM. */
static int read_file(struct loader *l, int dirfd, const char *name, const char *shown, char **ret, size_t *ret_len)
{
	int rc = inifile_read(dirfd, name, LIMIT_CONFIG_FILE, ret, ret_len);

	l->file = shown;
	if (rc == ERR_UNSUPPORTED)
		report(l, 0, "not a regular file (a symbolic link is not followed)");
	else if (rc == ERR_LIMIT)
		report(l, 0, "larger than %u KiB", LIMIT_CONFIG_FILE / 1024);
	else if (rc == ERR_IO)
		report(l, 0, "cannot read: %s", strerror(errno));
	return rc == ERR_UNSUPPORTED ? ERR_IO : rc;
}

/* Read and apply one file. Returns what read_file() returns. */
static int load_file(struct loader *l, int dirfd, const char *name, const char *shown)
{
	char *data = NULL;
	size_t len = 0;
	int rc = read_file(l, dirfd, name, shown, &data, &len);

	if (rc == 0)
		parse_buffer(l, shown, data, len);
	free(data);
	return rc;
}

/* Every NAME.conf of dir, in name order (bytes, as strcmp orders them). */
static int load_dropins(struct loader *l, const char *dir)
{
	char names[LIMIT_CONFIG_DROPINS][INIFILE_NAME_MAX];
	size_t n = 0;
	int dirfd = -1, rc;

	l->file = dir;
	rc = inifile_list(dir, ".conf", names, LIMIT_CONFIG_DROPINS, &n, &dirfd);
	if (rc == ERR_NOTFOUND)
		return 0; /* no drop-in folder: nothing to add */
	if (rc == ERR_LIMIT) {
		report(l, 0, "more than %u drop-in files", LIMIT_CONFIG_DROPINS);
		return rc;
	}
	if (rc < 0) {
		report(l, 0, "cannot open the drop-in folder: %s", strerror(errno));
		return ERR_IO;
	}
	for (size_t i = 0; i < n; i++) {
		char shown[4096 + 32 + INIFILE_NAME_MAX + 2]; /* the folder and a name */
		snprintf(shown, sizeof(shown), "%s/%s", dir, names[i]);
		int r = load_file(l, dirfd, names[i], shown);
		if (r == ERR_NOTFOUND) /* removed while we listed: as if never there */
			continue;
		if (r == ERR_NOMEM) {
			rc = r;
			break;
		}
		if (r < 0 && rc == 0)
			rc = r;
	}
	close(dirfd);
	return rc;
}

int config_load(const char *path, struct config *c, config_error_fn *on_error, void *ctx)
{
	struct loader l = {.c = c, .on_error = on_error, .ctx = ctx};
	char dir[4096], file[4096 + 32], dropins[4096 + 32];
	const char *env = secure_getenv(CONFIG_DIR_ENV);
	int rc;

	config_defaults(c);
	if (path) {
		rc = load_file(&l, AT_FDCWD, path, path);
		if (rc == ERR_NOTFOUND) {
			l.file = path;
			report(&l, 0, "cannot open: %s", strerror(ENOENT));
			rc = ERR_IO;
		}
		goto out;
	}
	if (env && env[0]) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else {
		/* The folder of PATHS_CONFIG, which holds conf.d too. */
		const char *slash = strrchr(PATHS_CONFIG, '/');
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - PATHS_CONFIG), PATHS_CONFIG);
	}
	snprintf(file, sizeof(file), "%s/%s", dir, strrchr(PATHS_CONFIG, '/') + 1);
	snprintf(dropins, sizeof(dropins), "%s/conf.d", dir);
	rc = load_file(&l, AT_FDCWD, file, file);
	if (rc == ERR_NOTFOUND) /* no file: the defaults */
		rc = 0;
	if (rc != ERR_NOMEM) {
		int r = load_dropins(&l, dropins);
		if (r < 0 && (rc == 0 || r == ERR_NOMEM))
			rc = r;
	}
out:
	if (rc == 0 && l.errors)
		rc = ERR_FORMAT;
	return rc;
}
