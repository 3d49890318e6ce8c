/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The messaging-app check of piiguard posture (see posture.h): for each
 * account, which of Telegram, Viber, Zalo, Signal and WeChat keep data on the
 * machine, and how many ID findings the store holds below their data and
 * download folders (translated folder names are read from the account's
 * user-dirs.dirs). It only looks at folders, never into the apps' files, and
 * follows no link below a home.
 */
#include "posture.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "inifile.h"
#include "store.h"

#define MESSAGING_PATH_SIZE    4096
#define MESSAGING_FOLDERS      16          /* candidate folders of one app */
#define MESSAGING_USER_DIRS    (64u << 10) /* user-dirs.dirs is a dozen lines */
#define MESSAGING_WINE_USERS   16          /* accounts looked at in a Wine prefix */
#define MESSAGING_POSTURE_RULE "posture."

/* An app: its data folders below the home, and its download folders below
 * the account's Downloads ("$DOWNLOAD/") or Documents ("$DOCUMENTS/"), whose
 * names are translated on a Vietnamese desktop. */
struct messaging_app {
	const char *name;
	const char *const *data;
	const char *const *downloads;
	bool wine_wechat; /* also WeChat for Windows in the default Wine prefix */
};

/* Telegram's snap and flatpak folders and Viber's flatpak folder are
 * unverified; so is Zalo's: there is no official Linux client and the
 * unofficial ports keep the Windows app's ~/.config/ZaloData and, likely,
 * its "Zalo Received Files". WeChat's folders (the Linux client's
 * xwechat_files, older weixin folders, .xwechat) and the Windows client's
 * "WeChat Files" under Wine are from third-party notes, not a real install. */
static const char *const messaging_telegram_data[] = {".local/share/TelegramDesktop", ".TelegramDesktop",
                                                      "snap/telegram-desktop", ".var/app/org.telegram.desktop", NULL};
static const char *const messaging_telegram_dl[] = {"$DOWNLOAD/Telegram Desktop", NULL};
static const char *const messaging_viber_data[] = {".ViberPC", ".var/app/com.viber.Viber", NULL};
static const char *const messaging_viber_dl[] = {"$DOCUMENTS/ViberDownloads", NULL};
static const char *const messaging_zalo_data[] = {".config/ZaloData", NULL};
static const char *const messaging_zalo_dl[] = {"$DOCUMENTS/Zalo Received Files", NULL};
static const char *const messaging_signal_data[] = {".config/Signal", ".var/app/org.signal.Signal", NULL};
static const char *const messaging_none[] = {NULL};
static const char *const messaging_wechat_data[] = {".xwechat", ".config/weixin", ".local/share/weixin", NULL};
static const char *const messaging_wechat_dl[] = {"$DOCUMENTS/xwechat_files", NULL};

static const struct messaging_app messaging_apps[] = {
        {"Telegram", messaging_telegram_data, messaging_telegram_dl, false},
        {"Viber", messaging_viber_data, messaging_viber_dl, false},
        {"Zalo", messaging_zalo_data, messaging_zalo_dl, false},
        {"Signal", messaging_signal_data, messaging_none, false},
        {"WeChat", messaging_wechat_data, messaging_wechat_dl, true},
};

struct messaging_run {
	const struct posture_options *o;
	posture_emit_fn *emit;
	void *ctx;
};

/* An account's Downloads and Documents folders, relative to its home. */
struct messaging_dirs {
	char download[MESSAGING_PATH_SIZE];
	char documents[MESSAGING_PATH_SIZE];
};

/* The folders of one app that exist, as paths on the machine. */
struct messaging_found {
	char data[MESSAGING_FOLDERS][MESSAGING_PATH_SIZE];
	char downloads[MESSAGING_FOLDERS][MESSAGING_PATH_SIZE];
	size_t n_data, n_downloads;
};

static bool messaging_is_dir(const char *home_real, const char *rel)
{
	int fd = posture_open_below(home_real, rel);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The value of one user-dirs.dirs line for key, relative to the home, into
 * out; false when the line is another key or names a folder outside the
 * home (such folders are not looked at). */
static bool messaging_user_dir(const char *line, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), n = 0;
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, key, klen) != 0 || strncmp(p + klen, "=\"$HOME/", 8) != 0)
		return false;
	for (p += klen + 8; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (n + 1 >= size)
			return false;
		out[n++] = *p;
	}
	while (n > 0 && out[n - 1] == '/')
		n--;
	out[n] = '\0';
	return n > 0 && *p == '"' && !strstr(out, "..");
}

static void messaging_read_dirs(const char *home_real, struct messaging_dirs *d)
{
	char *data = NULL, *save = NULL;
	size_t len = 0;
	int fd = posture_open_below(home_real, ".config");

	snprintf(d->download, sizeof(d->download), "Downloads");
	snprintf(d->documents, sizeof(d->documents), "Documents");
	if (fd < 0)
		return;
	if (inifile_read(fd, "user-dirs.dirs", MESSAGING_USER_DIRS, &data, &len) == 0) {
		for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char value[MESSAGING_PATH_SIZE];
			if (messaging_user_dir(line, "XDG_DOWNLOAD_DIR", value, sizeof(value)))
				memcpy(d->download, value, sizeof(value));
			else if (messaging_user_dir(line, "XDG_DOCUMENTS_DIR", value, sizeof(value)))
				memcpy(d->documents, value, sizeof(value));
		}
	}
	free(data);
	close(fd);
}

/* Add home/rel to list when it is a folder and not already covered by a
 * folder of list (a folder counts every finding below it once). */
static void messaging_add(const struct posture_home *h, const char *home_real, const char *rel,
                          char (*list)[MESSAGING_PATH_SIZE], size_t *n, const struct messaging_found *f)
{
	char path[MESSAGING_PATH_SIZE];
	int w = snprintf(path, sizeof(path), "%s/%s", h->home, rel);

	if (w < 0 || (size_t)w >= sizeof(path) || *n >= MESSAGING_FOLDERS || !messaging_is_dir(home_real, rel))
		return;
	for (size_t i = 0; i < f->n_data + f->n_downloads; i++) {
		const char *other = i < f->n_data ? f->data[i] : f->downloads[i - f->n_data];
		size_t olen = strlen(other);
		if (strncmp(path, other, olen) == 0 && (path[olen] == '\0' || path[olen] == '/'))
			return;
	}
	memcpy(list[(*n)++], path, (size_t)w + 1);
}

/* Expand "$DOWNLOAD/x" and "$DOCUMENTS/x" with the account's folder and, when
 * it is translated, with the English default too. */
static void messaging_add_download(const struct posture_home *h, const char *home_real, const struct messaging_dirs *d,
                                   const char *spec, struct messaging_found *f)
{
	static const struct {
		const char *var, *fallback;
	} vars[] = {{"$DOWNLOAD/", "Downloads"}, {"$DOCUMENTS/", "Documents"}};
	char rel[MESSAGING_PATH_SIZE];

	for (size_t v = 0; v < sizeof(vars) / sizeof(vars[0]); v++) {
		size_t vlen = strlen(vars[v].var);
		if (strncmp(spec, vars[v].var, vlen) != 0)
			continue;
		const char *mine = v == 0 ? d->download : d->documents;
		int w = snprintf(rel, sizeof(rel), "%s/%s", mine, spec + vlen);
		if (w > 0 && (size_t)w < sizeof(rel))
			messaging_add(h, home_real, rel, f->downloads, &f->n_downloads, f);
		if (strcmp(mine, vars[v].fallback) != 0) {
			w = snprintf(rel, sizeof(rel), "%s/%s", vars[v].fallback, spec + vlen);
			if (w > 0 && (size_t)w < sizeof(rel))
				messaging_add(h, home_real, rel, f->downloads, &f->n_downloads, f);
		}
	}
}

/* WeChat for Windows run with Wine keeps "WeChat Files" in each Wine
 * account's Documents (default prefix only; the first entries of its users
 * folder are looked at). */
static void messaging_add_wine(const struct posture_home *h, const char *home_real, struct messaging_found *f)
{
	int fd = posture_open_below(home_real, ".wine/drive_c/users");
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	unsigned seen = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (struct dirent *e; seen++ < MESSAGING_WINE_USERS + 2 && (e = readdir(d)) != NULL;) {
		char rel[MESSAGING_PATH_SIZE];
		if (e->d_name[0] == '.')
			continue;
		int w = snprintf(rel, sizeof(rel), ".wine/drive_c/users/%s/Documents/WeChat Files", e->d_name);
		if (w > 0 && (size_t)w < sizeof(rel))
			messaging_add(h, home_real, rel, f->data, &f->n_data, f);
	}
	closedir(d);
}

struct messaging_count {
	uint64_t n;
};

static int messaging_count_row(const struct store_row *row, void *ctx)
{
	struct messaging_count *c = ctx;

	/* posture's own results sit at these folders; a finding reviewed as a
	 * false positive is no ID. */
	if (strncmp(row->finding.rule, MESSAGING_POSTURE_RULE, strlen(MESSAGING_POSTURE_RULE)) != 0 &&
	    row->status != STORE_STATUS_FALSE_POSITIVE)
		c->n++;
	return 0;
}

/* Present ID findings below the folders; -1 when the store could not say.
 * On a machine checked below another root (a mounted disk image), files
 * scanned there are in the store under their path with the root prefix, so
 * both forms are counted. */
static int64_t messaging_count(const struct posture_options *o, const struct messaging_found *f)
{
	struct messaging_count c = {0};

	for (size_t i = 0; i < f->n_data + f->n_downloads; i++) {
		const char *machine = i < f->n_data ? f->data[i] : f->downloads[i - f->n_data];
		char rooted[MESSAGING_PATH_SIZE];
		struct store_filter flt = {.path = machine, .status = -1};
		if (store_findings(o->store, &flt, messaging_count_row, &c) < 0)
			return -1;
		if (posture_path(o, machine, rooted, sizeof(rooted)) < 0 || strcmp(rooted, machine) == 0)
			continue;
		flt.path = rooted;
		if (store_findings(o->store, &flt, messaging_count_row, &c) < 0)
			return -1;
	}
	return (int64_t)c.n;
}

static void messaging_report(const struct messaging_run *run, const struct posture_home *h,
                             const struct messaging_app *app, const struct messaging_found *f)
{
	char subject[96], evidence[256], remedy[MESSAGING_PATH_SIZE + 160];
	const char *where = f->n_data ? "data folder found" : "no data folder, but its download folder";
	int64_t n = run->o->store ? messaging_count(run->o, f) : -1;

	if (n >= 0) {
		snprintf(subject, sizeof(subject), "%s: %lld ID finding%s", app->name, (long long)n, n == 1 ? "" : "s");
		snprintf(evidence, sizeof(evidence),
		         "%s; ID findings of the store counted below its data and download folders", where);
	} else {
		snprintf(subject, sizeof(subject), "%s", app->name);
		snprintf(evidence, sizeof(evidence), "%s; ID findings were not counted (%s)", where,
		         run->o->store ? "the store could not be read" : "no findings store");
	}
	snprintf(remedy, sizeof(remedy),
	         "Citizens' documents must not be kept in messaging apps: delete them from %s and sign the app out "
	         "at the end of the day",
	         f->n_downloads ? f->downloads[0] : f->data[0]);
	struct posture_result r = {
	        .rule = POSTURE_MESSAGING_APP,
	        .label = "Messaging app on the machine",
	        .subject = subject,
	        .path = f->n_data ? f->data[0] : f->downloads[0],
	        .evidence = evidence,
	        .remedy = remedy,
	        .user = h->user,
	        .confidence = n > 0 ? 1.0 : 0.5,
	};
	run->emit(&r, run->ctx);
}

static void messaging_check(const struct messaging_run *run, const struct posture_home *h, const char *home_real,
                            const struct messaging_dirs *d, const struct messaging_app *app)
{
	struct messaging_found *f = calloc(1, sizeof(*f));

	if (!f)
		return;
	for (const char *const *p = app->data; *p; p++)
		messaging_add(h, home_real, *p, f->data, &f->n_data, f);
	if (app->wine_wechat)
		messaging_add_wine(h, home_real, f);
	for (const char *const *p = app->downloads; *p; p++)
		messaging_add_download(h, home_real, d, *p, f);
	if (f->n_data + f->n_downloads > 0)
		messaging_report(run, h, app, f);
	free(f);
}

static void messaging_home(const struct posture_home *h, void *ctx)
{
	const struct messaging_run *run = ctx;
	struct messaging_dirs d = {0};
	char path[MESSAGING_PATH_SIZE], *home_real = NULL;

	/* The root prefix and the folders above the home belong to root and
	 * may be links; below the home nothing is followed. */
	if (posture_path(run->o, h->home, path, sizeof(path)) < 0 || !(home_real = realpath(path, NULL)))
		return;
	messaging_read_dirs(home_real, &d);
	for (size_t i = 0; i < sizeof(messaging_apps) / sizeof(messaging_apps[0]); i++)
		messaging_check(run, h, home_real, &d, &messaging_apps[i]);
	free(home_real);
}

void posture_messaging(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	struct messaging_run run = {.o = o, .emit = emit, .ctx = ctx};

	posture_homes(o, messaging_home, &run);
}
