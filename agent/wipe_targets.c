/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The wipe's target catalogue (../shared/docs/wipe.md §6): where browsers,
 * messaging apps, keyrings, thumbnails, recent-file lists, trash, caches,
 * search indexes, clipboard managers and office backups keep a kiosk user's
 * traces, with the category each is reported under and what `targets` mode
 * does to it. reset-home mode uses it only to name categories. Every path is
 * opened beneath the home with wipe_open_beneath() and handed to
 * wipe_tree(); nothing here resolves a path by string or follows a link.
 */
#include "wipe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "xdg.h"

enum action {
	RESET,    /* the folder and everything in it */
	CONTENTS, /* everything in the folder, the folder stays */
	FILES,    /* the file, with its SQLite -journal, -wal and -shm */
};

struct target {
	const char *pattern; /* relative to the home; '*' within a part; $DL, $DOCS, ... first */
	enum wipe_category cat;
	enum action action;
};

/* Most specific first: the category of a path is its first exact match. */
static const struct target catalogue[] = {
        /* Messaging apps' folders inside the user dirs. */
        {"$DL/Telegram Desktop", WIPE_CAT_MESSAGING, CONTENTS},
        {"$DOCS/ViberDownloads", WIPE_CAT_MESSAGING, CONTENTS},
        {"$DOCS/Zalo Received Files", WIPE_CAT_MESSAGING, CONTENTS},
        {"$DOCS/xwechat_files", WIPE_CAT_MESSAGING, RESET},
        {"$DOCS/Zoom", WIPE_CAT_MESSAGING, CONTENTS},
        /* User dirs. */
        {"$DL", WIPE_CAT_USER_FILES, CONTENTS},
        {"$DOCS", WIPE_CAT_USER_FILES, CONTENTS},
        {"$DESKTOP", WIPE_CAT_USER_FILES, CONTENTS},
        {"$PICS", WIPE_CAT_USER_FILES, CONTENTS},
        {"$VIDEOS", WIPE_CAT_USER_FILES, CONTENTS},
        /* Browsers, with their snap and flatpak copies and caches. */
        {".config/chromium", WIPE_CAT_BROWSER, RESET},
        {"snap/chromium/common/chromium", WIPE_CAT_BROWSER, RESET},
        {"snap/chromium/common/.cache", WIPE_CAT_BROWSER, RESET},
        {".var/app/org.chromium.Chromium", WIPE_CAT_BROWSER, RESET},
        {".cache/chromium", WIPE_CAT_BROWSER, RESET},
        {".config/google-chrome*", WIPE_CAT_BROWSER, RESET},
        {".cache/google-chrome*", WIPE_CAT_BROWSER, RESET},
        {".var/app/com.google.Chrome", WIPE_CAT_BROWSER, RESET},
        {".config/coccoc*", WIPE_CAT_BROWSER, RESET},
        {".cache/coccoc*", WIPE_CAT_BROWSER, RESET},
        {".config/microsoft-edge*", WIPE_CAT_BROWSER, RESET},
        {".cache/microsoft-edge*", WIPE_CAT_BROWSER, RESET},
        {".mozilla", WIPE_CAT_BROWSER, RESET},
        {".config/mozilla", WIPE_CAT_BROWSER, RESET},
        {"snap/firefox/common/.mozilla", WIPE_CAT_BROWSER, RESET},
        {"snap/firefox/common/.cache", WIPE_CAT_BROWSER, RESET},
        {".var/app/org.mozilla.firefox", WIPE_CAT_BROWSER, RESET},
        {".cache/mozilla", WIPE_CAT_BROWSER, RESET},
        /* Keyrings: browsers' master keys. */
        {".local/share/keyrings", WIPE_CAT_KEYRING, RESET},
        {".local/share/kwalletd", WIPE_CAT_KEYRING, RESET},
        /* Messaging apps. */
        {".local/share/TelegramDesktop", WIPE_CAT_MESSAGING, RESET},
        {".TelegramDesktop", WIPE_CAT_MESSAGING, RESET},
        {"snap/telegram-desktop", WIPE_CAT_MESSAGING, RESET},
        {".var/app/org.telegram.desktop", WIPE_CAT_MESSAGING, RESET},
        {".local/share/applications/*telegram*.desktop", WIPE_CAT_MESSAGING, FILES},
        {".config/autostart/*telegram*.desktop", WIPE_CAT_MESSAGING, FILES},
        {".ViberPC", WIPE_CAT_MESSAGING, RESET},
        {".var/app/com.viber.Viber", WIPE_CAT_MESSAGING, RESET},
        {".config/ZaloData", WIPE_CAT_MESSAGING, RESET},
        {".local/share/weixin", WIPE_CAT_MESSAGING, RESET},
        {".xwechat", WIPE_CAT_MESSAGING, RESET},
        {".config/Signal", WIPE_CAT_MESSAGING, RESET},
        {".var/app/org.signal.Signal", WIPE_CAT_MESSAGING, RESET},
        {".config/discord*", WIPE_CAT_MESSAGING, RESET},
        {"snap/discord", WIPE_CAT_MESSAGING, RESET},
        {".var/app/com.discordapp.*", WIPE_CAT_MESSAGING, RESET},
        {".config/Slack", WIPE_CAT_MESSAGING, RESET},
        {".config/skypeforlinux", WIPE_CAT_MESSAGING, RESET},
        {".Skype", WIPE_CAT_MESSAGING, RESET},
        {".zoom", WIPE_CAT_MESSAGING, RESET},
        {"snap/zoom-client", WIPE_CAT_MESSAGING, RESET},
        {".cache/zoom", WIPE_CAT_MESSAGING, RESET},
        /* Copies of viewed scans, recent files, trash. */
        {".cache/thumbnails", WIPE_CAT_THUMBNAILS, CONTENTS},
        {".thumbnails", WIPE_CAT_THUMBNAILS, CONTENTS},
        {".local/share/recently-used.xbel*", WIPE_CAT_RECENT, FILES},
        {".recently-used*", WIPE_CAT_RECENT, FILES},
        {"snap/*/*/.local/share/recently-used.xbel", WIPE_CAT_RECENT, FILES},
        {".local/share/RecentDocuments", WIPE_CAT_RECENT, RESET},
        {".local/share/Trash", WIPE_CAT_TRASH, CONTENTS},
        {".Trash", WIPE_CAT_TRASH, CONTENTS},
        {"snap/*/[0-9]*/.local/share/Trash", WIPE_CAT_TRASH, CONTENTS},
        /* Search indexes, clipboard history, office backups. */
        {".cache/tracker3", WIPE_CAT_SEARCH, RESET},
        {".local/share/baloo", WIPE_CAT_SEARCH, RESET},
        {".local/share/zeitgeist", WIPE_CAT_SEARCH, RESET},
        {".local/share/gvfs-metadata", WIPE_CAT_SEARCH, RESET},
        {".local/share/gpaste", WIPE_CAT_CLIPBOARD, RESET},
        {".local/share/klipper", WIPE_CAT_CLIPBOARD, RESET},
        {".config/copyq", WIPE_CAT_CLIPBOARD, RESET},
        {".config/libreoffice", WIPE_CAT_OFFICE, RESET},
        /* Histories, online accounts, autostart entries. */
        {".bash_history", WIPE_CAT_HISTORY, FILES},
        {".python_history", WIPE_CAT_HISTORY, FILES},
        {".lesshst", WIPE_CAT_HISTORY, FILES},
        {".local/share/nautilus", WIPE_CAT_HISTORY, RESET},
        {".xsession-errors*", WIPE_CAT_HISTORY, FILES},
        {".config/goa-1.0", WIPE_CAT_ACCOUNTS, RESET},
        {".config/evolution", WIPE_CAT_ACCOUNTS, RESET},
        {".local/share/evolution", WIPE_CAT_ACCOUNTS, RESET},
        {".config/autostart", WIPE_CAT_AUTOSTART, RESET},
        /* What is left of caches and per-app data. */
        {".cache", WIPE_CAT_CACHE, CONTENTS},
        {".var/app/*", WIPE_CAT_APP_DATA, RESET},
        {"snap/*", WIPE_CAT_APP_DATA, RESET},
};

#define N_TARGETS (sizeof(catalogue) / sizeof(catalogue[0]))

static const char *const xdg_keys[WIPE_XDG_COUNT] = {
        [WIPE_XDG_DESKTOP] = "DESKTOP",   [WIPE_XDG_DOWNLOAD] = "DOWNLOAD", [WIPE_XDG_DOCUMENTS] = "DOCUMENTS",
        [WIPE_XDG_PICTURES] = "PICTURES", [WIPE_XDG_VIDEOS] = "VIDEOS",
};
static const char *const xdg_defaults[WIPE_XDG_COUNT] = {
        [WIPE_XDG_DESKTOP] = "Desktop",   [WIPE_XDG_DOWNLOAD] = "Downloads", [WIPE_XDG_DOCUMENTS] = "Documents",
        [WIPE_XDG_PICTURES] = "Pictures", [WIPE_XDG_VIDEOS] = "Videos",
};
static const char *const xdg_vars[WIPE_XDG_COUNT] = {
        [WIPE_XDG_DESKTOP] = "$DESKTOP", [WIPE_XDG_DOWNLOAD] = "$DL",   [WIPE_XDG_DOCUMENTS] = "$DOCS",
        [WIPE_XDG_PICTURES] = "$PICS",   [WIPE_XDG_VIDEOS] = "$VIDEOS",
};

void wipe_targets_xdg(int homefd, uid_t uid, struct wipe_xdg *ret)
{
	char *buf = NULL;
	struct stat st;
	int fd;

	for (int i = 0; i < WIPE_XDG_COUNT; i++)
		snprintf(ret->dir[i], sizeof(ret->dir[i]), "%s", xdg_defaults[i]);
	fd = wipe_open_beneath(homefd, ".config/user-dirs.dirs", O_RDONLY);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_uid != uid && st.st_uid != 0) ||
	    st.st_size > XDG_USER_DIRS_MAX || !(buf = malloc(XDG_USER_DIRS_MAX))) {
		close(fd);
		return;
	}
	ssize_t n = read(fd, buf, XDG_USER_DIRS_MAX);
	close(fd);
	for (int i = 0; n > 0 && i < WIPE_XDG_COUNT; i++) {
		char dir[sizeof(ret->dir[i])];
		xdg_user_dir(buf, (size_t)n, xdg_keys[i], dir, sizeof(dir));
		if (dir[0])
			memcpy(ret->dir[i], dir, strlen(dir) + 1);
	}
	free(buf);
}

/* The pattern with its $VAR replaced by the user dir (fnmatch's special
 * characters in it escaped). Returns false when it does not fit. */
static bool expand(const char *pattern, const struct wipe_xdg *xdg, char *out, size_t size)
{
	size_t n = 0;

	if (pattern[0] == '$') {
		int v = -1;
		size_t vlen = strcspn(pattern, "/");
		for (int i = 0; i < WIPE_XDG_COUNT; i++)
			if (strlen(xdg_vars[i]) == vlen && strncmp(pattern, xdg_vars[i], vlen) == 0)
				v = i;
		if (v < 0)
			return false;
		const char *dir = xdg ? xdg->dir[v] : xdg_defaults[v];
		for (; *dir; dir++) {
			if (n + 3 >= size)
				return false;
			if (*dir == '*' || *dir == '?' || *dir == '[' || *dir == '\\')
				out[n++] = '\\';
			out[n++] = *dir;
		}
		pattern += vlen;
	}
	size_t rest = strlen(pattern);
	if (n + rest + 1 > size)
		return false;
	memcpy(out + n, pattern, rest + 1);
	return true;
}

static size_t parts(const char *p)
{
	size_t n = 1;
	for (; *p; p++)
		n += *p == '/';
	return n;
}

/* The first k parts of pattern into out. */
static void first_parts(const char *pattern, size_t k, char *out, size_t size)
{
	const char *p = pattern;
	for (size_t i = 0; i < k && p; i++) {
		p = strchr(p, '/');
		if (p && i + 1 < k)
			p++;
	}
	size_t len = p ? (size_t)(p - pattern) : strlen(pattern);
	snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), pattern);
}

enum wipe_category wipe_targets_category(const char *relpath, bool *ret_final, void *ctx)
{
	const struct wipe_xdg *xdg = ctx;
	enum wipe_category cat = WIPE_CAT_OTHER;
	bool matched = false, deeper = false;
	size_t k = parts(relpath);

	for (size_t i = 0; i < N_TARGETS; i++) {
		char pat[600], head[600];
		if (!expand(catalogue[i].pattern, xdg, pat, sizeof(pat)))
			continue;
		if (!matched && fnmatch(pat, relpath, FNM_PATHNAME) == 0) {
			cat = catalogue[i].cat;
			matched = true;
		}
		if (!deeper && parts(pat) > k) {
			first_parts(pat, k, head, sizeof(head));
			deeper = fnmatch(head, relpath, FNM_PATHNAME) == 0;
		}
	}
	*ret_final = !deeper;
	return cat;
}

/* Whether relpath is under a folder another catalogue entry resets or
 * empties: that entry's walk takes it, with its category. */
static bool covered(const char *relpath, const struct wipe_xdg *xdg)
{
	char prefix[600];
	size_t len = strlen(relpath);

	for (size_t cut = 0; cut < len; cut++) {
		if (relpath[cut] != '/')
			continue;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)cut, relpath);
		for (size_t i = 0; i < N_TARGETS; i++) {
			char pat[600];
			if (catalogue[i].action != FILES && expand(catalogue[i].pattern, xdg, pat, sizeof(pat)) &&
			    fnmatch(pat, prefix, FNM_PATHNAME) == 0)
				return true;
		}
	}
	return false;
}

/* Whether relpath is a keep path or below one (above is the walk's job). */
static bool kept(const struct wipe_plan *p, const char *relpath)
{
	for (unsigned i = 0; i < p->n_keep; i++) {
		size_t kl = strlen(p->keep[i]);
		if (strncmp(p->keep[i], relpath, kl) == 0 && (relpath[kl] == '\0' || relpath[kl] == '/'))
			return true;
	}
	return false;
}

struct run {
	const struct wipe_account *a;
	const struct wipe_plan *p;
	const struct wipe_xdg *xdg;
	enum wipe_media media;
	struct wipe_stats *st;
	int rc;
};

/* Unlink name (not a folder) in dirfd, or count it in a dry run. */
static void drop_file(struct run *r, int dirfd, const char *name, enum wipe_category cat)
{
	struct stat sb;

	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(sb.st_mode))
		return;
	if (!r->p->dry_run && unlinkat(dirfd, name, 0) < 0) {
		if (errno != ENOENT) {
			r->st->errors++;
			r->rc = ERR_IO;
		}
		return;
	}
	wipe_count(&r->st->cat[cat], &sb);
}

/* Act on one matched entry. */
static void act(struct run *r, int dirfd, const char *name, const char *relpath, const struct target *t)
{
	struct stat sb;

	if (kept(r->p, relpath)) {
		r->st->kept++;
		return;
	}
	if (covered(relpath, r->xdg) || fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (t->action == FILES || !S_ISDIR(sb.st_mode)) {
		/* A link or a file where a folder is expected goes as itself. */
		drop_file(r, dirfd, name, t->cat);
		if (t->action == FILES) {
			static const char *const sib[] = {"-journal", "-wal", "-shm"};
			char s[NAME_MAX + 16];
			for (size_t i = 0; i < 3; i++)
				if (snprintf(s, sizeof(s), "%s%s", name, sib[i]) < (int)sizeof(s))
					drop_file(r, dirfd, s, t->cat);
		}
		return;
	}
	if (sb.st_uid != r->a->uid) {
		r->st->foreign++;
		r->rc = ERR_IO;
		return;
	}
	int fd = wipe_open_beneath(dirfd, name, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		if (errno == EXDEV)
			r->st->mounts++;
		else if (errno != ENOENT)
			r->st->errors++;
		r->rc = ERR_IO;
		return;
	}
	struct wipe_walk w = {
	        .uid = r->a->uid,
	        .media = r->media,
	        .dry_run = r->p->dry_run,
	        .category = t->cat,
	        .categorize = wipe_targets_category,
	        .categorize_ctx = (void *)(uintptr_t)r->xdg,
	        .relpath = relpath,
	        .keep = r->p->keep,
	        .n_keep = r->p->n_keep,
	};
	if (wipe_tree(fd, &w, r->st) < 0)
		r->rc = ERR_IO;
	close(fd);
	if (t->action == RESET) {
		if (r->p->dry_run)
			r->st->cat[t->cat].dirs++;
		else if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0)
			r->st->cat[t->cat].dirs++;
		else if (errno != ENOENT && errno != ENOTEMPTY)
			r->rc = ERR_IO; /* not empty: what is left was counted with its reason */
	}
}

static bool has_glob(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	return false;
}

/* Match the rest of a pattern below dirfd (whose path is rel), part by part. */
static void match(struct run *r, int dirfd, const char *rel, const char *rest, const struct target *t, unsigned depth)
{
	size_t len = strcspn(rest, "/");
	bool last = rest[len] == '\0';
	char part[NAME_MAX + 1], names[64][NAME_MAX + 1];
	size_t n = 0;

	if (len == 0 || len > NAME_MAX || depth > 8)
		return;
	memcpy(part, rest, len);
	part[len] = '\0';
	if (!has_glob(part, len)) {
		/* A literal part, unescaped. */
		size_t o = 0;
		for (size_t i = 0; i < len; i++)
			if (part[i] != '\\' || i + 1 == len)
				part[o++] = part[i];
			else
				part[o++] = part[++i];
		part[o] = '\0';
		memcpy(names[n++], part, o + 1);
	} else {
		DIR *d = wipe_opendir(dirfd);
		struct dirent *e;
		if (!d)
			return;
		while ((e = readdir(d)) && n < sizeof(names) / sizeof(names[0]))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
			    fnmatch(part, e->d_name, 0) == 0)
				memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
		closedir(d);
	}
	for (size_t i = 0; i < n; i++) {
		char path[1024];
		if (snprintf(path, sizeof(path), "%s%s%s", rel, rel[0] ? "/" : "", names[i]) >= (int)sizeof(path))
			continue;
		if (last) {
			act(r, dirfd, names[i], path, t);
			continue;
		}
		int fd = wipe_open_beneath(dirfd, names[i], O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			continue; /* absent, a link, a file or a mount: nothing of this entry there */
		match(r, fd, path, rest + len + 1, t, depth + 1);
		close(fd);
	}
}

int wipe_targets_run(int homefd, const struct wipe_account *a, const struct wipe_plan *p, enum wipe_media media,
                     struct wipe_stats *st)
{
	struct wipe_xdg xdg;
	struct run r = {.a = a, .p = p, .xdg = &xdg, .media = media, .st = st};

	wipe_targets_xdg(homefd, a->uid, &xdg);
	for (size_t i = 0; i < N_TARGETS; i++) {
		char pat[600];
		if (expand(catalogue[i].pattern, &xdg, pat, sizeof(pat)))
			match(&r, homefd, "", pat, &catalogue[i], 0);
	}
	return r.rc;
}

int wipe_targets_temp(uid_t uid, bool dry_run, bool allow_overwrite, struct wipe_stats *st)
{
	static const char *const dirs[] = {"/tmp", "/var/tmp", "/dev/shm"};
	int rc = 0;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int tfd = open(dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct wipe_media_info mi;
		struct stat ts;
		DIR *d = NULL;
		struct dirent *e;

		if (tfd < 0)
			continue;
		if (fstat(tfd, &ts) < 0 || ts.st_uid != 0 || !(d = wipe_opendir(tfd))) {
			close(tfd);
			continue;
		}
		wipe_media_detect(tfd, allow_overwrite, &mi);
		struct wipe_walk w = {.uid = uid, .media = mi.media, .dry_run = dry_run, .category = WIPE_CAT_TEMP};
		while ((e = readdir(d))) {
			struct stat sb;
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
			    fstatat(tfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || sb.st_uid != uid)
				continue;
			if (!S_ISDIR(sb.st_mode)) {
				if (dry_run || unlinkat(tfd, e->d_name, 0) == 0)
					wipe_count(&st->cat[WIPE_CAT_TEMP], &sb);
				else if (errno != ENOENT) {
					st->errors++;
					rc = ERR_IO;
				}
				continue;
			}
			int sub =
			        sb.st_dev == ts.st_dev ? wipe_open_beneath(tfd, e->d_name, O_RDONLY | O_DIRECTORY) : -1;
			if (sub < 0) {
				st->mounts += sb.st_dev != ts.st_dev;
				continue;
			}
			if (wipe_tree(sub, &w, st) < 0)
				rc = ERR_IO;
			close(sub);
			if (dry_run || unlinkat(tfd, e->d_name, AT_REMOVEDIR) == 0)
				st->cat[WIPE_CAT_TEMP].dirs++;
		}
		closedir(d);
		close(tfd);
	}
	return rc;
}

/* --- print jobs ------------------------------------------------------------------ */

#define IPP_CONTROL_MAX (1u << 20) /* a job's attributes: a few KiB */

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int wipe_ipp_job(const unsigned char *data, size_t len, char *user, size_t size, int *ret_state)
{
	static const char user_attr[] = "job-originating-user-name", state_attr[] = "job-state";
	size_t at = 8; /* version, operation or status, request id */
	bool have_user = false, have_state = false;

	if (len < 9 || size == 0)
		return ERR_FORMAT;
	while (at < len) {
		unsigned tag = data[at++];
		if (tag == 0x03) /* end of the attributes */
			break;
		if (tag < 0x10)
			continue; /* a group: operation, job, printer, ... */
		if (tag == 0x7F || len - at < 2)
			return ERR_FORMAT; /* extended tags are not in control files */
		size_t nlen = be16(data + at);
		at += 2;
		if (len - at < nlen + 2)
			return ERR_FORMAT;
		const unsigned char *name = data + at;
		at += nlen;
		size_t vlen = be16(data + at);
		at += 2;
		if (len - at < vlen)
			return ERR_FORMAT;
		const unsigned char *v = data + at;
		at += vlen;
		if (nlen == sizeof(user_attr) - 1 && memcmp(name, user_attr, nlen) == 0) {
			if (tag == 0x36) { /* nameWithLanguage: language, then the text */
				if (vlen < 2 || be16(v) + 4u > vlen)
					return ERR_FORMAT;
				size_t skip = 2 + be16(v);
				if (vlen - skip < 2 || be16(v + skip) != vlen - skip - 2)
					return ERR_FORMAT;
				v += skip + 2;
				vlen -= skip + 2;
			} else if (tag != 0x42) {
				return ERR_FORMAT;
			}
			if (vlen >= size || memchr(v, '\0', vlen))
				return ERR_FORMAT;
			memcpy(user, v, vlen);
			user[vlen] = '\0';
			have_user = true;
		} else if (nlen == sizeof(state_attr) - 1 && memcmp(name, state_attr, nlen) == 0) {
			if (tag != 0x23 || vlen != 4)
				return ERR_FORMAT;
			*ret_state = (int)(((uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3]) &
			                   0x7fffffff);
			have_state = true;
		}
	}
	return have_user && have_state ? 0 : ERR_FORMAT;
}

/* The job id of a spool entry named PREFIX + digits (+ "-" + digits for a
 * document), or -1. */
static long spool_id(const char *name, char prefix, bool document)
{
	char *end;

	if (name[0] != prefix || name[1] < '0' || name[1] > '9')
		return -1;
	long id = strtol(name + 1, &end, 10);
	if (document) {
		if (*end != '-' || end[1] < '0' || end[1] > '9')
			return -1;
		strtol(end + 1, &end, 10);
	}
	return *end ? -1 : id;
}

/* Whether control file name in dirfd is a finished job of user. */
static bool finished_job_of(int dirfd, const char *name, const char *user)
{
	unsigned char *buf = NULL;
	char owner[256];
	struct stat st;
	int state = 0, fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	bool yes = false;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= IPP_CONTROL_MAX &&
	    (buf = malloc((size_t)st.st_size))) {
		ssize_t n = read(fd, buf, (size_t)st.st_size);
		/* 7 canceled, 8 aborted, 9 completed: cupsd is done with them. */
		yes = n > 0 && wipe_ipp_job(buf, (size_t)n, owner, sizeof(owner), &state) == 0 &&
		      strcmp(owner, user) == 0 && state >= 7 && state <= 9;
		explicit_bzero(buf, (size_t)n > 0 ? (size_t)n : 0);
	}
	free(buf);
	close(fd);
	return yes;
}

int wipe_targets_print(const char *spool, const char *user, bool dry_run, struct wipe_stats *st)
{
	long ids[256];
	size_t n = 0;
	int rc = 0, sfd;
	struct stat ss;
	DIR *d;
	struct dirent *e;

	if (!spool || !spool[0])
		return 0;
	sfd = open(spool, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sfd < 0 && errno == ENOENT)
		return 0; /* no CUPS here */
	if (sfd < 0) {
		st->errors++;
		return ERR_IO;
	}
	/* cupsd's folder: root's, and no one else may write to it. */
	if (fstat(sfd, &ss) < 0 || ss.st_uid != 0 || (ss.st_mode & 022) || !(d = wipe_opendir(sfd))) {
		close(sfd);
		st->errors++;
		return ERR_IO;
	}
	while ((e = readdir(d)) && n < sizeof(ids) / sizeof(ids[0])) {
		long id = spool_id(e->d_name, 'c', false);
		if (id >= 0 && finished_job_of(sfd, e->d_name, user))
			ids[n++] = id;
	}
	rewinddir(d);
	while (n > 0 && (e = readdir(d))) {
		long id = spool_id(e->d_name, 'd', true);
		struct stat sb;
		bool ours = false;
		for (size_t i = 0; i < n && !ours; i++)
			ours = ids[i] == id;
		if (!ours || fstatat(sfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(sb.st_mode))
			continue;
		if (dry_run || unlinkat(sfd, e->d_name, 0) == 0) {
			wipe_count(&st->cat[WIPE_CAT_PRINT], &sb);
		} else if (errno != ENOENT) {
			st->errors++;
			rc = ERR_IO;
		}
	}
	closedir(d);
	close(sfd);
	return rc;
}
