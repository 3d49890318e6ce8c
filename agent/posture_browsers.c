/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The browser checks of piiguard posture (see posture.h): logins saved in
 * each account's Chromium-family and Firefox profiles, counted without ever
 * reading a username, site or password, and whether each installed browser
 * has a managed policy that turns its password manager off. Profiles belong
 * to the users, so every folder below a home is opened without following a
 * link and each database is opened read-only and immutable: this code must
 * never write to, lock or create a file in a profile.
 */
#include "posture.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "inifile.h"

#define BROWSER_PATH_SIZE   4096
#define BROWSER_LOGINS_MAX  (16u << 20) /* a logins.json past 16 MiB is not one a person made */
#define BROWSER_POLICY_MAX  (1u << 20)  /* policy files are a few hundred bytes */
#define BROWSER_POLICY_DIR  64          /* files read from one managed-policy folder */
#define BROWSER_JSON_DEPTH  32          /* policies and logins.json nest three levels */
#define BROWSER_SQL_LENGTH  (1 << 20)   /* no string or blob we ask for is longer than a count */
#define BROWSER_SQL_STEPS   10000       /* progress callbacks (of 1000 VM steps) before a query is cut */
#define BROWSER_PROFILE_MAX 64          /* profile folders looked at in one browser folder */
#define BROWSER_DIR_ENTRIES 4096        /* entries read from one folder of a user's */

#define BROWSER_LOGINS_REMEDY                                                                                          \
	"Remove the saved logins and install the policy that turns the password manager off "                          \
	"(packaging/browser-policies)"

struct browser_run {
	const struct posture_options *o;
	posture_emit_fn *emit;
	void *ctx;
};

/* Where Chromium-family browsers keep their profiles, below a home. Opera
 * keeps its one profile in the folder itself, which the check of the folder
 * (not only of its profile subfolders) covers. */
struct browser_base {
	const char *name;
	const char *rel;
};

static const struct browser_base browser_chromium_bases[] = {
        {"Google Chrome", ".config/google-chrome"},
        {"Google Chrome", ".config/google-chrome-beta"},
        {"Google Chrome", ".config/google-chrome-unstable"},
        {"Google Chrome", ".var/app/com.google.Chrome/config/google-chrome"},
        {"Chromium", ".config/chromium"},
        {"Chromium", "snap/chromium/common/chromium"},
        {"Chromium", ".var/app/org.chromium.Chromium/config/chromium"},
        /* Cốc Cốc: .config/coccoc-browser is seen in scripts, .config/coccoc
         * only in some tools' lists (unverified on a real install). */
        {"Cốc Cốc", ".config/coccoc-browser"},
        {"Cốc Cốc", ".config/coccoc"},
        {"Microsoft Edge", ".config/microsoft-edge"},
        {"Microsoft Edge", ".config/microsoft-edge-beta"},
        {"Microsoft Edge", ".config/microsoft-edge-dev"},
        {"Brave", ".config/BraveSoftware/Brave-Browser"},
        {"Opera", ".config/opera"},
};

static const char *const browser_firefox_bases[] = {
        ".mozilla/firefox",
        ".config/mozilla/firefox",
        "snap/firefox/common/.mozilla/firefox",
        ".var/app/org.mozilla.firefox/.mozilla/firefox",
};

static const char *const browser_login_files[] = {"Login Data", "Login Data For Account"};

/* --- a small JSON reader ---------------------------------------------------- */

/* Enough JSON to follow a path of object keys to one value and say whether
 * it is the literal false, or how many elements it has if it is an array.
 * Strings are compared raw (a key written with escapes does not match). */
struct browser_json {
	const char *p, *end;
	bool lenient;     /* also allow comments and trailing commas (Chromium's policy files) */
	bool found_false; /* the target value is false */
	size_t count;     /* elements of the target array */
};

static void browser_json_space(struct browser_json *j)
{
	while (j->p < j->end) {
		char c = *j->p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			j->p++;
		} else if (j->lenient && c == '/' && j->end - j->p >= 2 && j->p[1] == '/') {
			while (j->p < j->end && *j->p != '\n')
				j->p++;
		} else if (j->lenient && c == '/' && j->end - j->p >= 2 && j->p[1] == '*') {
			j->p += 2;
			while (j->end - j->p >= 2 && !(j->p[0] == '*' && j->p[1] == '/'))
				j->p++;
			j->p = j->end - j->p >= 2 ? j->p + 2 : j->end;
		} else {
			break;
		}
	}
}

static bool browser_json_take(struct browser_json *j, char c)
{
	browser_json_space(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

static int browser_json_string(struct browser_json *j, const char **ret, size_t *ret_len)
{
	browser_json_space(j);
	if (j->p >= j->end || *j->p != '"')
		return -1;
	const char *s = ++j->p;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p == '\\' && j->end - j->p >= 2)
			j->p++;
		j->p++;
	}
	if (j->p >= j->end)
		return -1;
	*ret = s;
	*ret_len = (size_t)(j->p - s);
	j->p++;
	return 0;
}

/* One value; path[0..n) are the keys still to follow to the target, n < 0
 * when this value is not on the way to it. */
static int browser_json_value(struct browser_json *j, const char *const *path, int n, int depth)
{
	const char *s;
	size_t len;

	if (depth > BROWSER_JSON_DEPTH)
		return -1;
	browser_json_space(j);
	if (j->p >= j->end)
		return -1;
	if (*j->p == '{') {
		j->p++;
		if (browser_json_take(j, '}'))
			return 0;
		for (;;) {
			if (browser_json_string(j, &s, &len) < 0 || !browser_json_take(j, ':'))
				return -1;
			bool on = n > 0 && strlen(path[0]) == len && memcmp(s, path[0], len) == 0;
			if (browser_json_value(j, on ? path + 1 : NULL, on ? n - 1 : -1, depth + 1) < 0)
				return -1;
			if (browser_json_take(j, '}'))
				return 0;
			if (!browser_json_take(j, ','))
				return -1;
			if (j->lenient && browser_json_take(j, '}'))
				return 0;
		}
	}
	if (*j->p == '[') {
		j->p++;
		if (browser_json_take(j, ']'))
			return 0;
		for (;;) {
			if (browser_json_value(j, NULL, -1, depth + 1) < 0)
				return -1;
			if (n == 0)
				j->count++;
			if (browser_json_take(j, ']'))
				return 0;
			if (!browser_json_take(j, ','))
				return -1;
			if (j->lenient && browser_json_take(j, ']'))
				return 0;
		}
	}
	if (*j->p == '"')
		return browser_json_string(j, &s, &len);
	s = j->p;
	while (j->p < j->end && (isalnum((unsigned char)*j->p) || *j->p == '-' || *j->p == '+' || *j->p == '.'))
		j->p++;
	if (j->p == s)
		return -1;
	if (n == 0 && j->p - s == 5 && memcmp(s, "false", 5) == 0)
		j->found_false = true;
	return 0;
}

/* Parse text whole; on a syntax error nothing was found (a browser ignores
 * a policy file it cannot parse). */
static void browser_json_parse(struct browser_json *j, const char *text, size_t len, const char *const *path, int n)
{
	j->p = text;
	j->end = text + len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		j->p += 3;
	j->found_false = false;
	j->count = 0;
	if (browser_json_value(j, path, n, 0) < 0) {
		j->found_false = false;
		j->count = 0;
		j->p = NULL;
	}
}

/* --- folders below a home --------------------------------------------------- */

/* The home folder of an account as a real path: the root prefix and the
 * folders above the home belong to root and may be links (/home on some
 * systems is); what lies below the home is the user's and is never followed.
 * Returns a string the caller frees, or NULL. */
static char *browser_home_real(const struct posture_options *o, const char *home)
{
	char path[BROWSER_PATH_SIZE];

	if (posture_path(o, home, path, sizeof(path)) < 0)
		return NULL;
	return realpath(path, NULL);
}

/* name in dirfd is a regular file (not a link). */
static bool browser_is_file(int dirfd, const char *name)
{
	struct stat st;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static int browser_compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The names of the folder fd that keep() accepts, in byte order: at most max
 * of them, from at most BROWSER_DIR_ENTRIES entries (a user can fill a
 * folder with anything). fd stays open. Returns how many. */
static size_t browser_list(int fd, bool (*keep)(const char *name), char (*names)[INIFILE_NAME_MAX], size_t max)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	size_t n = 0, seen = 0;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	for (struct dirent *e; n < max && seen < BROWSER_DIR_ENTRIES && (e = readdir(d)) != NULL; seen++)
		if (strlen(e->d_name) < INIFILE_NAME_MAX && keep(e->d_name))
			memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
	closedir(d);
	qsort(names, n, INIFILE_NAME_MAX, browser_compare_names);
	return n;
}

/* --- Chromium family --------------------------------------------------------- */

static bool browser_is_profile(const char *name)
{
	if (strcmp(name, "Default") == 0 || strcmp(name, "Guest Profile") == 0)
		return true;
	if (strncmp(name, "Profile ", 8) != 0 || !name[8])
		return false;
	for (const char *p = name + 8; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* path as an SQLite URI file name (RFC 3986 unreserved bytes and '/' kept,
 * the rest %-escaped), read-only and immutable: no lock is taken and no
 * journal is read or created, so a running browser is never disturbed. */
static int browser_uri(const char *path, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	int w = snprintf(out, size, "file:");

	if (w < 0 || (size_t)w >= size)
		return -1;
	n = (size_t)w;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (n + 4 >= size)
			return -1;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '/' ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	w = snprintf(out + n, size - n, "?mode=ro&immutable=1");
	return w > 0 && (size_t)w < size - n ? 0 : -1;
}

/* A hostile file could hold a view that never ends: queries are cut after
 * a budget of steps. */
static int browser_sql_progress(void *ctx)
{
	int *left = ctx;
	return --*left <= 0;
}

/* The logins saved in a Login Data file (entries the user chose "never" for
 * are not logins), or -1 when it cannot be read as one. */
static int64_t browser_count_logins(const char *path)
{
	static const char *const queries[] = {
	        "SELECT count(*) FROM logins WHERE blacklisted_by_user = 0",
	        "SELECT count(*) FROM logins", /* a schema without the column */
	};
	char uri[3 * BROWSER_PATH_SIZE + 32];
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t n = -1;
	int budget = BROWSER_SQL_STEPS;

	if (browser_uri(path, uri, sizeof(uri)) < 0)
		goto out;
	/* NOFOLLOW: SQLite refuses a path with a link in any of its parts. */
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_URI | SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		goto out;
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, BROWSER_SQL_LENGTH);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_progress_handler(db, 1000, browser_sql_progress, &budget);
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]) && !q; i++)
		if (sqlite3_prepare_v2(db, queries[i], -1, &q, NULL) != SQLITE_OK)
			q = NULL;
	if (q && sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void browser_emit_logins(const struct browser_run *run, const char *browser, int64_t count,
                                const char *machine_path, const char *evidence, const char *user)
{
	char subject[128];

	snprintf(subject, sizeof(subject), "%s: %lld saved login%s", browser, (long long)count, count == 1 ? "" : "s");
	struct posture_result r = {
	        .rule = POSTURE_BROWSER_PASSWORDS,
	        .label = "Passwords saved in a browser",
	        .subject = subject,
	        .path = machine_path,
	        .evidence = evidence,
	        .remedy = BROWSER_LOGINS_REMEDY,
	        .user = user,
	        .confidence = 1.0,
	};
	run->emit(&r, run->ctx);
}

/* The Login Data files of one profile folder: prof is the folder below the
 * base ("" for the base itself), pfd its descriptor. */
static void browser_chromium_profile(const struct browser_run *run, const struct posture_home *h, const char *home_real,
                                     const struct browser_base *b, const char *prof, int pfd)
{
	for (size_t i = 0; i < sizeof(browser_login_files) / sizeof(browser_login_files[0]); i++) {
		const char *file = browser_login_files[i];
		char real[BROWSER_PATH_SIZE], machine[BROWSER_PATH_SIZE], evidence[INIFILE_NAME_MAX + 64];
		const char *sep = prof[0] ? "/" : "";
		int n1, n2;

		if (!browser_is_file(pfd, file))
			continue;
		n1 = snprintf(real, sizeof(real), "%s/%s%s%s/%s", home_real, b->rel, sep, prof, file);
		n2 = snprintf(machine, sizeof(machine), "%s/%s%s%s/%s", h->home, b->rel, sep, prof, file);
		if (n1 < 0 || (size_t)n1 >= sizeof(real) || n2 < 0 || (size_t)n2 >= sizeof(machine))
			continue;
		int64_t count = browser_count_logins(real);
		if (count <= 0)
			continue;
		if (prof[0])
			snprintf(evidence, sizeof(evidence), "%s of profile %s", file, prof);
		else
			snprintf(evidence, sizeof(evidence), "%s of the browser's profile folder", file);
		browser_emit_logins(run, b->name, count, machine, evidence, h->user);
	}
}

static void browser_chromium(const struct browser_run *run, const struct posture_home *h, const char *home_real,
                             const struct browser_base *b)
{
	char names[BROWSER_PROFILE_MAX][INIFILE_NAME_MAX];
	int bfd = posture_open_below(home_real, b->rel);

	if (bfd < 0)
		return;
	browser_chromium_profile(run, h, home_real, b, "", bfd);
	size_t n = browser_list(bfd, browser_is_profile, names, BROWSER_PROFILE_MAX);
	for (size_t i = 0; i < n; i++) {
		int pfd = openat(bfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (pfd >= 0) {
			browser_chromium_profile(run, h, home_real, b, names[i], pfd);
			close(pfd);
		}
	}
	close(bfd);
}

/* --- Firefox ------------------------------------------------------------------ */

/* Saved logins in a logins.json, or 0. */
static size_t browser_firefox_count(int pfd)
{
	static const char *const path[] = {"logins"};
	static const char key[] = "\"encryptedPassword\"";
	struct browser_json j = {0};
	char *data = NULL;
	size_t len = 0, n;

	if (inifile_read(pfd, "logins.json", BROWSER_LOGINS_MAX, &data, &len) < 0)
		return 0;
	browser_json_parse(&j, data, len, path, 1);
	n = j.count;
	if (!j.p) {
		/* A file cut short still says logins were saved: count their
		 * password fields instead. */
		n = 0;
		for (const char *p = data; (p = strstr(p, key)) != NULL; p += sizeof(key) - 1)
			n++;
	}
	explicit_bzero(data, len);
	free(data);
	return n;
}

static bool browser_is_visible(const char *name)
{
	return name[0] != '.';
}

static void browser_firefox(const struct browser_run *run, const struct posture_home *h, const char *home_real,
                            const char *rel)
{
	char names[BROWSER_PROFILE_MAX][INIFILE_NAME_MAX];
	int bfd = posture_open_below(home_real, rel);

	if (bfd < 0)
		return;
	size_t n = browser_list(bfd, browser_is_visible, names, BROWSER_PROFILE_MAX);
	for (size_t i = 0; i < n; i++) {
		int pfd = openat(bfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (pfd < 0)
			continue;
		size_t count = browser_firefox_count(pfd);
		char machine[BROWSER_PATH_SIZE], evidence[INIFILE_NAME_MAX + 160];
		int w = snprintf(machine, sizeof(machine), "%s/%s/%s/logins.json", h->home, rel, names[i]);
		if (count > 0 && w > 0 && (size_t)w < sizeof(machine)) {
			snprintf(evidence, sizeof(evidence), "logins.json of profile %s; %s", names[i],
			         browser_is_file(pfd, "key4.db")
			                 ? "key4.db present: without a Primary Password it decrypts them"
			                 : "no key4.db beside it");
			browser_emit_logins(run, "Firefox", (int64_t)count, machine, evidence, h->user);
		}
		close(pfd);
	}
	close(bfd);
}

static void browser_home(const struct posture_home *h, void *ctx)
{
	const struct browser_run *run = ctx;
	char *home_real = browser_home_real(run->o, h->home);

	if (!home_real)
		return;
	for (size_t i = 0; i < sizeof(browser_chromium_bases) / sizeof(browser_chromium_bases[0]); i++)
		browser_chromium(run, h, home_real, &browser_chromium_bases[i]);
	for (size_t i = 0; i < sizeof(browser_firefox_bases) / sizeof(browser_firefox_bases[0]); i++)
		browser_firefox(run, h, home_real, browser_firefox_bases[i]);
	free(home_real);
}

/* --- the policy against saved passwords ---------------------------------------- */

/* A browser, how to tell it is installed (paths below the root; a trailing
 * '*' matches names starting so in that folder) and where its managed
 * policies are read from (the first one is reported). */
struct browser_policy {
	const char *name;
	const char *const *installed;
	const char *const *folders;
	const char *shipped; /* the file of packaging/browser-policies to install */
	const char *remedy_path;
};

static const char *const browser_chromium_bins[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                                                    "/usr/lib/chromium", "/snap/bin/chromium", NULL};
/* Debian's Chromium reads /etc/chromium; Ubuntu's (deb, then snap) used
 * /etc/chromium-browser (the snap's reading of it is unverified). */
static const char *const browser_chromium_dirs[] = {"/etc/chromium/policies/managed",
                                                    "/etc/chromium-browser/policies/managed", NULL};
static const char *const browser_chrome_bins[] = {"/usr/bin/google-chrome*", "/opt/google/chrome", NULL};
static const char *const browser_chrome_dirs[] = {"/etc/opt/chrome/policies/managed", NULL};
static const char *const browser_coccoc_bins[] = {"/usr/bin/coccoc-browser*", "/opt/coccoc", NULL};
/* Unverified: Cốc Cốc is built on Chromium and is expected to read policies
 * like Chrome under its own /etc/opt folder; not checked on a real install. */
static const char *const browser_coccoc_dirs[] = {"/etc/opt/coccoc/policies/managed", NULL};
static const char *const browser_edge_bins[] = {"/usr/bin/microsoft-edge*", "/opt/microsoft/msedge", NULL};
static const char *const browser_edge_dirs[] = {"/etc/opt/edge/policies/managed", NULL};
static const char *const browser_brave_bins[] = {"/usr/bin/brave-browser*", "/opt/brave.com/brave", NULL};
static const char *const browser_brave_dirs[] = {"/etc/brave/policies/managed", NULL};

static const struct browser_policy browser_policies[] = {
        {"Chromium", browser_chromium_bins, browser_chromium_dirs, "chromium.json",
         "/etc/chromium/policies/managed/piiguard.json"},
        {"Google Chrome", browser_chrome_bins, browser_chrome_dirs, "chrome.json",
         "/etc/opt/chrome/policies/managed/piiguard.json"},
        {"Cốc Cốc", browser_coccoc_bins, browser_coccoc_dirs, "coccoc.json",
         "/etc/opt/coccoc/policies/managed/piiguard.json"},
        {"Microsoft Edge", browser_edge_bins, browser_edge_dirs, "chrome.json",
         "/etc/opt/edge/policies/managed/piiguard.json"},
        {"Brave", browser_brave_bins, browser_brave_dirs, "chrome.json", "/etc/brave/policies/managed/piiguard.json"},
};

static const char *const browser_firefox_bins[] = {"/usr/bin/firefox",
                                                   "/usr/bin/firefox-esr",
                                                   "/usr/lib/firefox",
                                                   "/usr/lib/firefox-esr",
                                                   "/snap/bin/firefox",
                                                   "/opt/firefox",
                                                   NULL};
static const char *const browser_firefox_policy_files[] = {"/etc/firefox/policies/policies.json",
                                                           "/usr/lib/firefox/distribution/policies.json",
                                                           "/usr/lib/firefox-esr/distribution/policies.json", NULL};

/* Something exists at this path below the root (a link counts: installers
 * link their launchers). */
static bool browser_installed_one(const struct posture_options *o, const char *pattern)
{
	char path[BROWSER_PATH_SIZE];
	struct stat st;
	size_t len = strlen(pattern);
	bool found = false;

	if (len == 0 || pattern[len - 1] != '*')
		return posture_path(o, pattern, path, sizeof(path)) == 0 && lstat(path, &st) == 0;
	const char *slash = strrchr(pattern, '/');
	char dir[BROWSER_PATH_SIZE];
	if (!slash)
		return false;
	int w = snprintf(dir, sizeof(dir), "%.*s", (int)(slash - pattern), pattern);
	if (w < 0 || (size_t)w >= sizeof(dir) || posture_path(o, dir, path, sizeof(path)) < 0)
		return false;
	const char *prefix = slash + 1;
	size_t plen = len - (size_t)(slash - pattern) - 2;
	DIR *d = opendir(path);
	if (!d)
		return false;
	for (struct dirent *e; !found && (e = readdir(d)) != NULL;)
		found = strncmp(e->d_name, prefix, plen) == 0;
	closedir(d);
	return found;
}

static bool browser_installed(const struct posture_options *o, const char *const *patterns)
{
	for (; *patterns; patterns++)
		if (browser_installed_one(o, *patterns))
			return true;
	return false;
}

/* Some JSON file of a managed-policy folder sets PasswordManagerEnabled to
 * false (Chromium reads every file of the folder). */
static bool browser_chromium_policy_set(const struct posture_options *o, const char *folder)
{
	static const char *const path[] = {"PasswordManagerEnabled"};
	char dir[BROWSER_PATH_SIZE], names[BROWSER_POLICY_DIR][INIFILE_NAME_MAX];
	size_t n = 0;
	int dirfd = -1;
	bool set = false;

	if (posture_path(o, folder, dir, sizeof(dir)) < 0 ||
	    inifile_list(dir, ".json", names, BROWSER_POLICY_DIR, &n, &dirfd) < 0)
		return false;
	for (size_t i = 0; i < n && !set; i++) {
		struct browser_json j = {.lenient = true};
		char *data = NULL;
		size_t len = 0;
		if (inifile_read(dirfd, names[i], BROWSER_POLICY_MAX, &data, &len) < 0)
			continue;
		browser_json_parse(&j, data, len, path, 1);
		set = j.found_false;
		free(data);
	}
	close(dirfd);
	return set;
}

/* A Firefox policies.json sets PasswordManagerEnabled or OfferToSaveLogins to
 * false inside "policies". */
static bool browser_firefox_policy_set(const struct posture_options *o)
{
	static const char *const keys[] = {"PasswordManagerEnabled", "OfferToSaveLogins"};
	bool set = false;

	for (const char *const *f = browser_firefox_policy_files; *f && !set; f++) {
		char path[BROWSER_PATH_SIZE], *data = NULL;
		size_t len = 0;
		if (posture_path(o, *f, path, sizeof(path)) < 0 ||
		    inifile_read(AT_FDCWD, path, BROWSER_POLICY_MAX, &data, &len) < 0)
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]) && !set; k++) {
			const char *want[] = {"policies", keys[k]};
			struct browser_json j = {0};
			browser_json_parse(&j, data, len, want, 2);
			set = j.found_false;
		}
		free(data);
	}
	return set;
}

static void browser_emit_policy(const struct browser_run *run, const char *browser, const char *folder,
                                const char *remedy)
{
	struct posture_result r = {
	        .rule = POSTURE_PASSWORD_POLICY,
	        .label = "No policy against saved passwords",
	        .subject = browser,
	        .path = folder,
	        .evidence = "browser installed, no managed policy sets PasswordManagerEnabled to false",
	        .remedy = remedy,
	        .user = NULL,
	        .confidence = 0.5,
	};
	run->emit(&r, run->ctx);
}

static void browser_policy_check(const struct browser_run *run)
{
	char remedy[512];

	for (size_t i = 0; i < sizeof(browser_policies) / sizeof(browser_policies[0]); i++) {
		const struct browser_policy *p = &browser_policies[i];
		bool set = false;
		if (!browser_installed(run->o, p->installed))
			continue;
		for (const char *const *f = p->folders; *f && !set; f++)
			set = browser_chromium_policy_set(run->o, *f);
		if (set)
			continue;
		snprintf(remedy, sizeof(remedy),
		         "Install packaging/browser-policies/%s as %s (it turns the password manager and "
		         "autofill off), then remove the saved logins",
		         p->shipped, p->remedy_path);
		browser_emit_policy(run, p->name, p->folders[0], remedy);
	}
	if (browser_installed(run->o, browser_firefox_bins) && !browser_firefox_policy_set(run->o))
		browser_emit_policy(run, "Firefox", "/etc/firefox/policies",
		                    "Install packaging/browser-policies/firefox-policies.json as "
		                    "/etc/firefox/policies/policies.json (merge it into an existing one), then "
		                    "remove the saved logins");
}

void posture_browsers(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	struct browser_run run = {.o = o, .emit = emit, .ctx = ctx};

	posture_homes(o, browser_home, &run);
	browser_policy_check(&run);
}
