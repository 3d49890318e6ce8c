/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piiguard wipe: the end-of-day wipe of kiosk accounts, in the order
 * ../shared/docs/wipe.md sets: a "wipe pending" marker in the state folder,
 * the warning, the account's sessions ended through logind and every process
 * of its uid killed (and none left), the wipe itself (wipe.c), a
 * verification scan of what is left with the detection engine, a record in
 * the store and journald (counts and categories, never a file name), and the
 * marker removed last. A run that finds the marker completes the wipe it
 * names, so a wipe killed at any point is finished by the next run or the
 * boot unit. Refuses accounts below uid 1000, staff accounts, homes shared
 * with another account and homes holding our own state.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-journal.h>

#include "buf.h"
#include "cli.h"
#include "error.h"
#include "extract.h"
#include "fsafe.h"
#include "match.h"
#include "paths.h"
#include "wipe.h"

#define MARKER_NAME     "wipe-pending"
#define MARKER_MAX      4096
#define KILL_ROUNDS     50 /* of 100 ms: how long the account's processes may take to die */
#define WIPE_MESSAGE_ID "558474af1d2345599c8f958c0883af87"

struct account {
	char name[CONFIG_USER_MAX];
	uid_t uid;
	gid_t gid;
	char home[CONFIG_PATH_MAX];
	struct wipe_report report;
	const char *outcome; /* "done", "partial", "refused", "unverified" */
	const char *why;     /* for refused */
	uint64_t findings;   /* of the verification scan */
	bool verified;
};

struct options {
	const char *store, *config;
	const char *users[LIMIT_WIPE_USERS];
	unsigned n_users;
	bool dry_run, yes, pending_only, mark_pending;
};

static void usage(FILE *f)
{
	fputs("usage: piiguard wipe [--dry-run | --yes] [--user NAME]... [OPTIONS]\n"
	      "\n"
	      "Wipe the kiosk accounts of [wipe] users (or --user): end their sessions, move\n"
	      "the home into a root-only quarantine, rebuild it from the skeleton, delete the\n"
	      "old one, verify the new home holds no identifier, and record what went (counts\n"
	      "and categories only). A wipe that was interrupted is completed by the next run.\n"
	      "\n"
	      "  --dry-run          list what would go (categories, counts, sizes); change nothing\n"
	      "  --yes              wipe now, without asking\n"
	      "  --user NAME        wipe this account instead of the configured ones (repeatable;\n"
	      "                     refused below uid 1000 and for [wipe] staff accounts)\n"
	      "  --pending-only     only complete a wipe that was interrupted (the boot unit)\n"
	      "  --mark-pending     only write the 'wipe pending' marker (a login hook)\n"
	      "  --store PATH       the store (default as for scan); the marker sits beside it\n"
	      "  --key-file FILE    accepted for symmetry; a wipe records no fingerprint\n"
	      "  -c, --config FILE  configuration file\n"
	      "\n"
	      "Exit status: 0 wiped (or nothing to do), 1 the verification scan still found\n"
	      "identifiers, 2 an account was refused or not wiped completely.\n",
	      f);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_DRY = 256, OPT_YES, OPT_USER, OPT_STORE, OPT_KEY, OPT_PENDING, OPT_MARK, OPT_VERSION };
	static const struct option opts[] = {
	        {"dry-run", no_argument, NULL, OPT_DRY},
	        {"yes", no_argument, NULL, OPT_YES},
	        {"user", required_argument, NULL, OPT_USER},
	        {"store", required_argument, NULL, OPT_STORE},
	        {"key-file", required_argument, NULL, OPT_KEY},
	        {"pending-only", no_argument, NULL, OPT_PENDING},
	        {"mark-pending", no_argument, NULL, OPT_MARK},
	        {"config", required_argument, NULL, 'c'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, OPT_VERSION},
	        {0, 0, 0, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DRY: o->dry_run = true; break;
		case OPT_YES: o->yes = true; break;
		case OPT_USER:
			if (o->n_users >= LIMIT_WIPE_USERS) {
				cli_error("wipe: at most %u --user", LIMIT_WIPE_USERS);
				return -1;
			}
			o->users[o->n_users++] = optarg;
			break;
		case OPT_STORE: o->store = optarg; break;
		case OPT_KEY: break;
		case OPT_PENDING: o->pending_only = true; break;
		case OPT_MARK: o->mark_pending = true; break;
		case 'c': o->config = optarg; break;
		case 'h': usage(stdout); return 1;
		case OPT_VERSION: cli_version(); return 1;
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		cli_error("wipe: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->dry_run && o->yes) {
		cli_error("wipe: --dry-run and --yes exclude each other");
		return -1;
	}
	return 0;
}

/* --- accounts ------------------------------------------------------------------- */

static bool in_list(char (*list)[CONFIG_USER_MAX], unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* Whether path is dir or below it. */
static bool below(const char *path, const char *dir)
{
	size_t len = strlen(dir);
	return strncmp(path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* Look an account up and check it may be wiped. Returns NULL or why not. */
static const char *check_account(const char *name, struct config *cfg, const char *state_dir, struct account *a)
{
	struct passwd *pw;

	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	if (in_list(cfg->wipe.staff, cfg->wipe.n_staff, name))
		return "a staff account ([wipe] staff): never wiped";
	errno = 0;
	pw = getpwnam(name);
	if (!pw)
		return "no such account";
	if (pw->pw_uid < 1000 || pw->pw_uid >= 60000 || pw->pw_gid == 0)
		return "a system account (uid below 1000 or above 59999, or group root): never wiped";
	if (strlen(pw->pw_dir) >= sizeof(a->home))
		return "its home path is too long";
	a->uid = pw->pw_uid;
	a->gid = pw->pw_gid;
	snprintf(a->home, sizeof(a->home), "%s", pw->pw_dir);
	if (below(state_dir, a->home) || below(a->home, state_dir) || below(PATHS_SYSTEM_STATE, a->home) ||
	    below("/etc", a->home) || strcmp(a->home, "/home") == 0 || strcmp(a->home, "/") == 0)
		return "its home holds or is piiguard's state, /etc, /home or /: never wiped";
	/* A home that is, or holds, another account's home is not a kiosk's. */
	setpwent();
	while ((pw = getpwent()))
		if (pw->pw_uid != a->uid && below(pw->pw_dir, a->home)) {
			endpwent();
			return "its home is, or holds, another account's home";
		}
	endpwent();
	return NULL;
}

/* --- the marker ----------------------------------------------------------------- */

static void marker_path(const char *state_dir, char *out, size_t size)
{
	snprintf(out, size, "%s/" MARKER_NAME, state_dir);
}

/* Write "users=a,b" to the marker, atomically and durably. */
static int marker_write(const char *path, const struct account *v, size_t n)
{
	char tmp[CONFIG_PATH_MAX + 64], text[MARKER_MAX];
	size_t len = (size_t)snprintf(text, sizeof(text), "users=");
	int fd, rc = -1;

	for (size_t i = 0; i < n && len < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", i ? "," : "", v[i].name);
	if (len + 2 > sizeof(text))
		return -1;
	text[len++] = '\n';
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (fsafe_make_parents(path) < 0)
		return -1;
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) == (ssize_t)len && fsync(fd) == 0 && rename(tmp, path) == 0)
		rc = 0;
	close(fd);
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* The names in the marker into names (at most max). Returns the count, 0
 * when there is no marker, -1 when it cannot be read. */
static int marker_read(const char *path, char (*names)[CONFIG_USER_MAX], unsigned max)
{
	char text[MARKER_MAX + 1];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), n = 0;
	struct stat st;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	ssize_t len = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, text, MARKER_MAX) : -1;
	close(fd);
	if (len < 0)
		return -1;
	text[len] = '\0';
	if (strncmp(text, "users=", 6) != 0)
		return -1;
	for (char *p = text + 6; *p && *p != '\n' && (unsigned)n < max;) {
		size_t l = strcspn(p, ",\n");
		if (l > 0 && l < CONFIG_USER_MAX) {
			memcpy(names[n], p, l);
			names[n++][l] = '\0';
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return n;
}

/* One wipe at a time (the timer's catch-up and the boot unit may start
 * together): a POSIX record lock on state/wipe.lock, waited for. Such a lock
 * belongs to this process only, so a child left running by a killed wipe
 * does not hold it (the next run kills that child). Returns 0 or -1. */
static int lock_state(const char *state_dir)
{
	char path[CONFIG_PATH_MAX + 16];
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int fd;

	snprintf(path, sizeof(path), "%s/wipe.lock", state_dir);
	if (fsafe_make_parents(path) < 0)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		cli_error("wipe: another wipe is running; waiting for it");
		while (fcntl(fd, F_SETLKW, &fl) < 0)
			if (errno != EINTR) {
				close(fd);
				return -1;
			}
	}
	return 0; /* held until exit: the descriptor is not closed */
}

/* --- sessions and processes ------------------------------------------------------- */

/* Ask logind to end the account's sessions and drop its lingering. Returns
 * false when logind is not there (the kill below still runs). */
static bool logind_terminate(uid_t uid)
{
	sd_bus *bus = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;

	if (sd_bus_open_system(&bus) < 0)
		return false;
	sd_bus_set_method_call_timeout(bus, 5 * 1000000ULL);
	sd_bus_call_method(bus, "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
	                   "SetUserLinger", &e, NULL, "ubb", (uint32_t)uid, 0, 0);
	sd_bus_error_free(&e);
	sd_bus_call_method(bus, "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
	                   "TerminateUser", &e, NULL, "u", (uint32_t)uid);
	sd_bus_error_free(&e);
	sd_bus_flush_close_unref(bus);
	return true;
}

/* Whether /proc/PID/status (procfd: /proc) says a live process with uid as
 * any of its ids. */
static bool runs_as(int procfd, const char *pid, uid_t uid)
{
	char path[64], text[4096];
	unsigned long ids[4];
	bool live = true, match = false;

	snprintf(path, sizeof(path), "%s/status", pid);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	const char *s = strstr(text, "\nState:\t");
	if (s && (s[8] == 'Z' || s[8] == 'X'))
		live = false;
	const char *u = strstr(text, "\nUid:\t");
	if (u && sscanf(u + 6, "%lu %lu %lu %lu", &ids[0], &ids[1], &ids[2], &ids[3]) == 4)
		for (int i = 0; i < 4; i++)
			match = match || ids[i] == (unsigned long)uid;
	return live && match;
}

/* Kill every process of uid (through a pidfd, so a recycled pid is never
 * hit) until none is left. Returns the number still alive. */
static unsigned kill_account(uid_t uid)
{
	unsigned left = 0;

	for (int round = 0; round < KILL_ROUNDS; round++) {
		int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = procfd >= 0 ? wipe_opendir(procfd) : NULL;
		struct dirent *e;

		left = 0;
		if (!d) {
			if (procfd >= 0)
				close(procfd);
			return 1;
		}
		while ((e = readdir(d))) {
			char *end;
			long pid = strtol(e->d_name, &end, 10);
			if (*end || pid <= 1 || pid == (long)getpid() || !runs_as(procfd, e->d_name, uid))
				continue;
			int pfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
			if (pfd < 0)
				continue; /* gone */
			/* Still ours now that the pidfd pins it? */
			if (runs_as(procfd, e->d_name, uid)) {
				syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0);
				left++;
			}
			close(pfd);
		}
		closedir(d);
		close(procfd);
		if (left == 0)
			return 0;
		struct timespec t = {.tv_nsec = 100000000};
		nanosleep(&t, NULL);
	}
	return left;
}

/* --- verification ------------------------------------------------------------------ */

struct verify {
	struct matcher *m;
	struct extract *x;
	double min_confidence;
	uint64_t findings;
};

static void on_found(const struct match_finding *f, void *ctx)
{
	struct verify *v = ctx;
	(void)f;
	v->findings++;
}

static void on_text_begin(void *ctx, const char *member)
{
	struct verify *v = ctx;
	(void)member;
	match_begin(v->m, v->min_confidence, on_found, v);
}

static void on_text(void *ctx, const char *utf8, size_t len)
{
	struct verify *v = ctx;
	match_feed(v->m, utf8, len);
}

static void on_text_end(void *ctx)
{
	struct verify *v = ctx;
	match_end(v->m);
}

static int verify_file(int fd, const char *path, const struct stat *st, void *ctx)
{
	static const struct extract_handler h = {.text_begin = on_text_begin, .text = on_text, .text_end = on_text_end};
	struct verify *v = ctx;
	struct extract_result res;

	(void)path;
	extract_file(v->x, fd, st, &h, v, &res);
	close(fd);
	return 0;
}

static void verify_error(const char *path, int err, const char *what, void *ctx)
{
	(void)path;
	(void)err;
	(void)what;
	(void)ctx;
}

/* The detection engine over the account's home: the identifiers still there. */
static int verify_home(const struct account *a, const struct config *cfg, struct rules *rules, uint64_t *ret)
{
	struct verify v = {.min_confidence = cfg->min_confidence};
	int rc = -1;

	if (match_new(rules, &v.m) < 0 || extract_new(&v.x) < 0)
		goto out;
	extract_set_limits(v.x, &cfg->limits);
	if (fsafe_walk(a->home, verify_file, verify_error, &v) < 0)
		goto out;
	*ret = v.findings;
	rc = 0;
out:
	match_free(v.m);
	extract_free(v.x);
	return rc;
}

/* --- reporting --------------------------------------------------------------------- */

static void print_report(const struct account *a, const char *mode, bool dry_run)
{
	const struct wipe_report *r = &a->report;
	const struct wipe_stats *s = &r->stats;
	struct wipe_counts t = wipe_stats_total(s);

	printf("account %s (uid %lu), mode %s, home %s\n", a->name, (unsigned long)a->uid, mode, a->home);
	if (a->why) {
		printf("  refused: %s\n", a->why);
		return;
	}
	printf("  media: %s: %s\n", r->media.media == WIPE_MEDIA_OVERWRITE ? "overwrite" : "unlink", r->media.why);
	printf("  %s: %llu files (%llu bytes), %llu folders, %llu links, %llu special files\n",
	       dry_run ? "would remove" : "removed", (unsigned long long)t.files, (unsigned long long)t.bytes,
	       (unsigned long long)t.dirs, (unsigned long long)t.links, (unsigned long long)t.special);
	for (int i = 0; i < WIPE_CAT_COUNT; i++) {
		const struct wipe_counts *c = &s->cat[i];
		if (c->files + c->dirs + c->links + c->special == 0)
			continue;
		printf("    %-16s %llu files, %llu bytes, %llu folders, %llu other\n",
		       wipe_category_name((enum wipe_category)i), (unsigned long long)c->files,
		       (unsigned long long)c->bytes, (unsigned long long)c->dirs,
		       (unsigned long long)(c->links + c->special));
	}
	if (!dry_run) {
		printf("  overwritten: %llu files (%llu bytes); only unlinked though the policy said overwrite: %llu\n",
		       (unsigned long long)s->overwritten, (unsigned long long)s->overwritten_bytes,
		       (unsigned long long)s->not_overwritten);
		if (r->trim)
			printf("  FITRIM: %s\n", r->trim);
	}
	if (s->mounts + s->foreign + s->immutable + s->errors + s->too_deep + s->kept)
		printf("  %s: %llu mount points (not crossed), %llu of other accounts, %llu immutable, %llu errors, "
		       "%llu too deep to count, %llu kept\n",
		       dry_run ? "would leave" : "left", (unsigned long long)s->mounts, (unsigned long long)s->foreign,
		       (unsigned long long)s->immutable, (unsigned long long)s->errors, (unsigned long long)s->too_deep,
		       (unsigned long long)s->kept);
	if (a->verified)
		printf("  verification scan of the home: %llu findings\n", (unsigned long long)a->findings);
	if (!dry_run)
		printf("  outcome: %s\n", a->outcome);
}

/* "browser:12:3400 messaging:3:120": files and bytes per category. */
static void categories_text(const struct wipe_stats *s, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < WIPE_CAT_COUNT && len < size; i++) {
		const struct wipe_counts *c = &s->cat[i];
		if (c->files + c->dirs + c->links + c->special == 0)
			continue;
		len += (size_t)snprintf(out + len, size - len, "%s%s:%llu:%llu", len ? " " : "",
		                        wipe_category_name((enum wipe_category)i),
		                        (unsigned long long)(c->files + c->links + c->special),
		                        (unsigned long long)c->bytes);
	}
}

static void record(struct store *store, const struct config *cfg, const struct account *a, const char *mode,
                   unsigned *errors)
{
	const struct wipe_stats *s = &a->report.stats;
	struct wipe_counts t = wipe_stats_total(s);
	char cats[1024], media[64];
	int64_t id;

	categories_text(s, cats, sizeof(cats));
	snprintf(media, sizeof(media), "%s (%s)",
	         a->report.media.media == WIPE_MEDIA_OVERWRITE ? "overwrite" : "unlink", a->report.media.fs);
	struct store_wipe w = {
	        .mode = mode,
	        .outcome = a->outcome,
	        .media = media,
	        .categories = cats,
	        .files = t.files,
	        .dirs = t.dirs,
	        .links = t.links,
	        .special = t.special,
	        .bytes = t.bytes,
	        .overwritten = s->overwritten,
	        .left = s->mounts + s->foreign + s->immutable,
	        .errors = s->errors,
	        .findings_after = a->findings,
	};
	if (store && (store_wipe_begin(store, a->name, &id) < 0 || store_wipe_end(store, id, &w) < 0))
		(*errors)++;
	if (cfg->journald && access("/run/systemd/journal/socket", W_OK) == 0)
		sd_journal_send("MESSAGE=piiguard wipe of %s: %s, %llu files (%llu bytes) removed, %llu findings after",
		                a->name, a->outcome, (unsigned long long)t.files, (unsigned long long)t.bytes,
		                (unsigned long long)a->findings, "MESSAGE_ID=" WIPE_MESSAGE_ID, "PRIORITY=%d",
		                strcmp(a->outcome, "done") == 0 ? LOG_NOTICE : LOG_WARNING, "PIIGUARD_EVENT=wipe",
		                "PIIGUARD_USER=%s", a->name, "PIIGUARD_OUTCOME=%s", a->outcome, "PIIGUARD_MODE=%s",
		                mode, "PIIGUARD_MEDIA=%s", media, "PIIGUARD_CATEGORIES=%s", cats, "PIIGUARD_FILES=%llu",
		                (unsigned long long)t.files, "PIIGUARD_BYTES=%llu", (unsigned long long)t.bytes,
		                "PIIGUARD_OVERWRITTEN=%llu", (unsigned long long)s->overwritten,
		                "PIIGUARD_FINDINGS_AFTER=%llu", (unsigned long long)a->findings, NULL);
}

/* --- the command --------------------------------------------------------------------- */

/* In a child that became the account: a desktop notification on its
 * session bus (freedesktop Notifications), in Vietnamese. */
static void notify_child(const struct account *a, const char *when)
{
	char addr[96], runtime[64], title[160], body[512];
	sd_bus *bus = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;

	snprintf(runtime, sizeof(runtime), "/run/user/%lu", (unsigned long)a->uid);
	snprintf(addr, sizeof(addr), "unix:path=%s/bus", runtime);
	snprintf(title, sizeof(title), "Máy sẽ xoá toàn bộ dữ liệu lúc %s", when);
	snprintf(body, sizeof(body),
	         "Hãy lưu tài liệu của bạn vào USB ngay bây giờ và đăng xuất Zalo, Telegram, Facebook. "
	         "Lúc %s mọi tệp trên máy này sẽ bị xoá.",
	         when);
	if (setgroups(0, NULL) < 0 || setresgid(a->gid, a->gid, a->gid) < 0 || setresuid(a->uid, a->uid, a->uid) < 0 ||
	    setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1) < 0 || setenv("XDG_RUNTIME_DIR", runtime, 1) < 0 ||
	    sd_bus_open_user(&bus) < 0)
		_exit(1);
	sd_bus_set_method_call_timeout(bus, 5 * 1000000ULL);
	int r = sd_bus_call_method(bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
	                           "org.freedesktop.Notifications", "Notify", &e, NULL, "susssasa{sv}i", "piiguard",
	                           (uint32_t)0, "dialog-warning", title, body, 0, 1, "urgency", "y", (uint8_t)2,
	                           (int32_t)0);
	sd_bus_error_free(&e);
	sd_bus_flush_close_unref(bus);
	_exit(r < 0 ? 1 : 0);
}

/* Warn the account, if it has a session bus, that the wipe comes at when.
 * Returns whether the notification was delivered. */
static bool notify(const struct account *a, const char *when)
{
	char bus[64];
	struct stat st;
	int status;

	snprintf(bus, sizeof(bus), "/run/user/%lu/bus", (unsigned long)a->uid);
	if (lstat(bus, &st) < 0 || !S_ISSOCK(st.st_mode) || st.st_uid != a->uid)
		return false;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		notify_child(a, when);
	if (pid < 0)
		return false;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void sleep_minutes(unsigned minutes)
{
	struct timespec t = {.tv_sec = (time_t)minutes * 60};
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* The warnings: minutes before the wipe, and again 2 minutes before (when
 * there is time for both), to every account with a session. Waits only when
 * someone was warned. */
static void warn(const struct account *accounts, unsigned n, unsigned minutes)
{
	char when[16];
	time_t at = time(NULL) + (time_t)minutes * 60;
	struct tm tm;
	bool warned = false;

	if (minutes == 0)
		return;
	localtime_r(&at, &tm);
	strftime(when, sizeof(when), "%H:%M", &tm);
	for (unsigned i = 0; i < n; i++)
		if (!accounts[i].why && notify(&accounts[i], when)) {
			cli_error("wipe: %s warned of the wipe at %s", accounts[i].name, when);
			warned = true;
		}
	if (!warned)
		return;
	if (minutes > 2) {
		sleep_minutes(minutes - 2);
		for (unsigned i = 0; i < n; i++)
			if (!accounts[i].why)
				notify(&accounts[i], when);
		minutes = 2;
	}
	sleep_minutes(minutes);
}

/* Wipe one account, all steps. */
static void wipe_one(struct account *a, const struct config *cfg, struct rules *rules, const struct wipe_plan *p)
{
	logind_terminate(a->uid);
	unsigned left = kill_account(a->uid);
	if (left) {
		a->why = "processes of the account are still running; retried at the next run";
		a->outcome = "refused";
		return;
	}
	struct wipe_account wa = {.name = a->name, .uid = a->uid, .gid = a->gid, .home = a->home};
	int rc = wipe_account_run(&wa, p, &a->report);
	if (a->report.refused) {
		a->why = a->report.refused;
		a->outcome = "refused";
		return;
	}
	a->outcome = rc == 0 || a->report.stats.errors == 0 ? "done" : "partial";
	if (rules && verify_home(a, cfg, rules, &a->findings) == 0)
		a->verified = true;
	/* targets mode leaves what the catalogue does not name: not a failure. */
	if ((!a->verified || (a->findings && !p->targets)) && strcmp(a->outcome, "done") == 0)
		a->outcome = "unverified";
}

/* --dry-run: what each account's wipe would remove. */
static int run_dry(struct account *accounts, unsigned n, const struct wipe_plan *plan, const char *mode)
{
	unsigned refused = 0;

	printf("piiguard wipe --dry-run: nothing is changed\n");
	for (unsigned i = 0; i < n; i++) {
		struct account *a = &accounts[i];
		struct wipe_account wa = {.name = a->name, .uid = a->uid, .gid = a->gid, .home = a->home};
		if (!a->why) {
			wipe_account_run(&wa, plan, &a->report);
			a->why = a->report.refused;
		}
		print_report(a, mode, true);
		refused += a->why != NULL;
	}
	return refused ? CLI_EXIT_ERROR : CLI_EXIT_CLEAN;
}

/* The marker, for every account that is not refused. Returns 0 or -1. */
static int mark(const char *marker, const struct account *accounts, unsigned n)
{
	struct account *valid = calloc(n, sizeof(*valid));
	size_t nv = 0;
	int rc = -1;

	for (unsigned i = 0; valid && i < n; i++)
		if (!accounts[i].why)
			valid[nv++] = accounts[i];
	if (valid && (nv == 0 || marker_write(marker, valid, nv) == 0))
		rc = 0;
	free(valid);
	if (rc < 0)
		cli_path_error(marker, "cannot write the wipe marker");
	return rc;
}

/* The wipe of every account that is not refused, reported and recorded;
 * the marker removed when all are done. */
static int run_wipe(struct account *accounts, unsigned n, struct config *cfg, const struct wipe_plan *plan,
                    const char *mode, const char *store, const char *marker)
{
	struct rules *rules = NULL;
	struct store *st = NULL;
	unsigned errors = 0;
	bool all_done = true, unverified = false;

	if (cli_load_rules(NULL, false, &rules) < 0) {
		cli_error("wipe: cannot load the detection rules: the new homes are not verified");
		rules = NULL;
	}
	if (cli_open_store(store, &st) < 0) {
		st = NULL;
		errors++; /* the wipe goes on, but unrecorded it is not complete */
	}
	warn(accounts, n, cfg->wipe.warn_minutes);
	for (unsigned i = 0; i < n; i++) {
		struct account *a = &accounts[i];
		if (!a->why)
			wipe_one(a, cfg, rules, plan);
		print_report(a, mode, false);
		record(st, cfg, a, mode, &errors);
		all_done = all_done && strcmp(a->outcome, "done") == 0;
		unverified = unverified || strcmp(a->outcome, "unverified") == 0;
	}
	if (errors)
		cli_error("wipe: %u store writes failed", errors);
	/* Last: only a complete, verified wipe of every account ends it. */
	if (all_done && unlink(marker) < 0 && errno != ENOENT)
		cli_path_error(marker, "cannot remove the wipe marker");
	if (!all_done)
		cli_error("wipe: not complete; the marker stays, the next run (or the boot unit) retries");
	store_close(st);
	rules_free(rules);
	return all_done && !errors ? CLI_EXIT_CLEAN : unverified ? CLI_EXIT_FINDINGS : CLI_EXIT_ERROR;
}

int cmd_wipe(int argc, char **argv)
{
	struct options o = {0};
	struct config cfg;
	char store[CONFIG_PATH_MAX], state_dir[CONFIG_PATH_MAX], marker[CONFIG_PATH_MAX + 32];
	char pending[LIMIT_WIPE_USERS][CONFIG_USER_MAX];
	const char *names[2 * LIMIT_WIPE_USERS];
	struct account *accounts = NULL;
	unsigned n_names = 0, n = 0;
	int rc = parse_options(argc, argv, &o), np;

	if (rc != 0)
		return rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
	rc = CLI_EXIT_ERROR;
	if (cli_load_config(o.config, &cfg) < 0 || cli_store_path(o.store, &cfg, store, sizeof(store)) < 0)
		return CLI_EXIT_ERROR;
	const char *slash = strrchr(store, '/');
	snprintf(state_dir, sizeof(state_dir), "%.*s", slash ? (int)(slash - store) : 1, slash ? store : ".");
	marker_path(state_dir, marker, sizeof(marker));
	if (!o.dry_run && geteuid() != 0) {
		cli_error("wipe: must run as root (try --dry-run)");
		return CLI_EXIT_ERROR;
	}

	if (!o.dry_run && lock_state(state_dir) < 0) {
		cli_path_error(state_dir, "cannot lock the wipe");
		return CLI_EXIT_ERROR;
	}
	/* Who: a pending wipe's accounts first, then the asked or configured ones. */
	np = marker_read(marker, pending, LIMIT_WIPE_USERS);
	bool unreadable = np < 0;
	if (unreadable) {
		/* A marker we cannot read still says a wipe is pending: of the
		 * configured accounts then. */
		cli_path_error(marker, "cannot read the wipe marker; wiping the configured accounts");
		np = 0;
	}
	for (int i = 0; i < np; i++)
		names[n_names++] = pending[i];
	if (!o.pending_only || unreadable) {
		const char *pam = o.mark_pending ? getenv("PAM_USER") : NULL;
		if (pam && !in_list(cfg.wipe.users, cfg.wipe.n_users, pam))
			return CLI_EXIT_CLEAN; /* a login of someone else: nothing to mark */
		if (pam)
			names[n_names++] = pam;
		else if (o.n_users)
			for (unsigned i = 0; i < o.n_users; i++)
				names[n_names++] = o.users[i];
		else
			for (unsigned i = 0; i < cfg.wipe.n_users; i++)
				names[n_names++] = cfg.wipe.users[i];
	}
	if (n_names == 0) {
		if (o.pending_only) {
			printf("no wipe pending\n");
			return CLI_EXIT_CLEAN;
		}
		cli_error("wipe: no kiosk account: set [wipe] users, or give --user");
		return CLI_EXIT_ERROR;
	}
	accounts = calloc(n_names, sizeof(*accounts));
	if (!accounts)
		return CLI_EXIT_ERROR;
	for (unsigned i = 0; i < n_names; i++) {
		bool dup = false;
		for (unsigned j = 0; j < n; j++)
			dup = dup || strcmp(accounts[j].name, names[i]) == 0;
		if (dup)
			continue;
		struct account *a = &accounts[n++];
		const char *why = check_account(names[i], &cfg, state_dir, a);
		if (why) {
			a->why = why;
			a->outcome = "refused";
			cli_error("wipe: %s: %s", a->name, why);
		}
	}

	const char *mode = cfg.wipe.mode == CONFIG_WIPE_TARGETS ? "targets" : "reset-home";
	const char *keep[LIMIT_WIPE_KEEP];
	for (unsigned i = 0; i < cfg.wipe.n_keep; i++)
		keep[i] = cfg.wipe.keep[i];
	struct wipe_plan plan = {
	        .targets = cfg.wipe.mode == CONFIG_WIPE_TARGETS,
	        .dry_run = o.dry_run,
	        .allow_overwrite = cfg.wipe.media == CONFIG_WIPE_MEDIA_AUTO,
	        .skeleton = cfg.wipe.skeleton,
	        .keep = keep,
	        .n_keep = cfg.wipe.n_keep,
	        .spool = cfg.wipe.spool,
	};

	if (o.dry_run)
		rc = run_dry(accounts, n, &plan, mode);
	else if (!o.yes && !o.mark_pending && !o.pending_only)
		cli_error("wipe: this deletes the accounts' files: give --yes (or see --dry-run first)");
	/* The marker goes first: whatever happens from here on, the next run
	 * (or the boot unit) finishes the job. */
	else if (mark(marker, accounts, n) < 0)
		rc = CLI_EXIT_ERROR;
	else if (o.mark_pending)
		rc = CLI_EXIT_CLEAN;
	else
		rc = run_wipe(accounts, n, &cfg, &plan, mode, store, marker);
	fflush(stdout);
	free(accounts);
	return rc;
}
