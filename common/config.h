/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration: /etc/piiguard/piiguard.conf and its drop-ins
 * /etc/piiguard/conf.d/NAME.conf (INI, read with inih; Debian's inih gives no
 * line numbers, so lines are counted by our own reader and every error names
 * file:line). A missing default file means the built-in defaults. Unknown
 * sections and keys are errors, so a typo never silently does nothing.
 */
#ifndef PIIGUARD_CONFIG_H
#define PIIGUARD_CONFIG_H

#include <stdbool.h>

#include "extract.h"
#include "limits.h"

#define CONFIG_PATH_MAX 4096
/* Tesseract language names joined by '+': "vie+eng+chi_sim+fas" and room. */
#define CONFIG_OCR_LANGUAGES 64

/* Watch root and exclusion patterns: how many, and how long each may be. */
#define CONFIG_WATCH_PATTERNS 32
#define CONFIG_PATTERN_MAX    256
/* [wipe]: the end-of-day wipe of kiosk accounts (agent/wipe.c, docs/wipe.md).
 * Read by parse_wipe() in config.c; lists grow with each key (users, staff:
 * names separated by spaces or commas; keep: one path a key) and an empty
 * value empties them. The schedule is the systemd timer's, not ours. */
#define CONFIG_USER_MAX 33 /* a user name of up to 32 bytes, with its NUL */
#define CONFIG_KEEP_MAX 256

enum config_wipe_mode {
	CONFIG_WIPE_RESET_HOME, /* mode = reset-home (default): the whole home, rebuilt from the skeleton */
	CONFIG_WIPE_TARGETS,    /* mode = targets: the catalogue's entries only */
};

enum config_wipe_media {
	CONFIG_WIPE_MEDIA_AUTO,   /* media = auto (default): overwrite once where that means something */
	CONFIG_WIPE_MEDIA_UNLINK, /* media = unlink: never overwrite */
};

struct config_wipe {
	char users[LIMIT_WIPE_USERS][CONFIG_USER_MAX]; /* users = : the kiosk accounts */
	unsigned n_users;
	char staff[LIMIT_WIPE_STAFF][CONFIG_USER_MAX]; /* staff = : never wiped, even if named */
	unsigned n_staff;
	enum config_wipe_mode mode;
	char skeleton[CONFIG_PATH_MAX];              /* skeleton = , default /etc/skel */
	char keep[LIMIT_WIPE_KEEP][CONFIG_KEEP_MAX]; /* keep = : paths relative to the home */
	unsigned n_keep;
	unsigned warn_minutes;       /* warn_minutes = 0..120, default 10 */
	char spool[CONFIG_PATH_MAX]; /* spool = the CUPS spool, default /var/spool/cups; "" none */
	enum config_wipe_media media;
};

struct config {
	/* [store] */
	char store_path[CONFIG_PATH_MAX]; /* path = ; "" for the contract's default */
	char key_file[CONFIG_PATH_MAX];   /* key = ; "" for the key beside the store */
	/* [scan] */
	double min_confidence;                    /* min_confidence = 0..1, default 0.5 */
	bool ocr;                                 /* ocr = yes|no, default yes (QR codes and MRZ are read either way) */
	char ocr_languages[CONFIG_OCR_LANGUAGES]; /* ocr_languages = vie+eng, tesseract's names joined by '+' */
	/* [forward] */
	bool journald;       /* journald = yes|no, default yes */
	char syslog[512];    /* syslog = udp://HOST:PORT | tcp://HOST:PORT | unix:/PATH; "" none */
	int syslog_facility; /* facility = local0..local7, user, daemon, auth; default local0 (16) */
	/* [limits]: max_file_size, max_scan_size (bytes, with K/M/G), max_ratio,
	 * max_recursion, max_files, max_seconds; from 1 to the LIMIT_*_MAX of limits.h */
	struct extract_limits limits;
	/* [watch]: what the agent (piiguard watch) watches; see config_defaults() */
	char watch_roots[CONFIG_WATCH_PATTERNS][CONFIG_PATTERN_MAX]; /* root = PATTERN, repeatable */
	unsigned n_watch_roots;
	char watch_excludes[CONFIG_WATCH_PATTERNS][CONFIG_PATTERN_MAX]; /* exclude = PATTERN, repeatable */
	unsigned n_watch_excludes;
	unsigned watch_jobs;           /* jobs = 0..64; 0: one per CPU, at most 4 */
	unsigned watch_rescan_seconds; /* rescan_interval = seconds, 0: never; default 3600 */
	unsigned watch_queue_limit;    /* queue_limit = 16..1000000 waiting new files; default 4096 */
	unsigned watch_file_seconds;   /* file_timeout = 1..3600 seconds per file; default 120 */
	bool watch_notify;             /* notify = yes|no: tell the kiosk user; default yes */
	struct config_wipe wipe;       /* [wipe] */
};

/* A [forward] syslog address taken apart (config_parse_syslog()). */
enum config_syslog_transport {
	CONFIG_SYSLOG_NONE, /* syslog = (empty): no syslog forwarding */
	CONFIG_SYSLOG_UDP,
	CONFIG_SYSLOG_TCP,
	CONFIG_SYSLOG_UNIX,
};

/* The longest unix socket path, with its NUL: sizeof(sun_path) on Linux. */
#define CONFIG_SYSLOG_PATH_MAX 108

struct config_syslog_address {
	enum config_syslog_transport transport;
	char host[256];                    /* udp, tcp: a name or an IP literal (IPv6 without its brackets) */
	char port[6];                      /* udp, tcp: 1..65535 in decimal */
	char path[CONFIG_SYSLOG_PATH_MAX]; /* unix: an absolute path */
};

/*
 * Take apart a syslog address: udp://HOST:PORT, tcp://HOST:PORT or
 * unix:/ABSOLUTE/PATH, HOST being an IPv4 literal, an IPv6 literal in
 * brackets ([2001:db8::1]) or a host name; "" is CONFIG_SYSLOG_NONE. Only the
 * syntax is checked: no name is resolved. Returns 0, or ERR_INVAL with
 * *ret_why (when ret_why is not NULL) set to a static English reason.
 * config_load() and forward_open() both use it, so they agree.
 */
int config_parse_syslog(const char *value, struct config_syslog_address *ret, const char **ret_why);

/* Called once per problem: the file, its line (0 for the file itself), a message. */
typedef void config_error_fn(const char *file, int line, const char *msg, void *ctx);

/*
 * Fill c with the built-in defaults. The watch roots are patterns: "~/" is
 * each user's home (every account with a uid from 1000 when the agent runs
 * as root, else the current user), "{DESKTOP}", "{DOWNLOAD}", "{DOCUMENTS}"
 * and "{PICTURES}" right after it are that user's XDG folders (from
 * ~/.config/user-dirs.dirs, which Vietnamese systems fill with "Tải xuống"
 * and the like), and "*" matches within one path component. As root the
 * defaults are the users' Desktop, Downloads, Documents and Pictures, browser
 * caches and storage, and the Telegram, Viber and Zalo folders; otherwise the
 * current user's Desktop and Downloads. The first root = line read replaces
 * the defaults; later ones add to them.
 */
void config_defaults(struct config *c);

/*
 * config_defaults(), then read path, or when path is NULL the default file
 * (absent: defaults only) and then every conf.d/NAME.conf beside it in name
 * order, later values overriding earlier ones. Every problem goes to on_error
 * (which may be NULL), all of them, not only the first. Files are opened
 * without following a symbolic link and must be regular files of at most
 * 64 KiB with lines of at most 199 bytes. Returns 0, ERR_FORMAT (a problem
 * was reported), ERR_IO (a file cannot be read: the named one missing, or a
 * default file or drop-in that exists but cannot be opened), ERR_LIMIT (a
 * file too large, too many drop-ins) or ERR_NOMEM. On an error c holds the
 * defaults overridden by whatever values were valid; do not run with it.
 * Tests point the default folder elsewhere with PIIGUARD_CONFIG_DIR (config.c).
 */
int config_load(const char *path, struct config *c, config_error_fn *on_error, void *ctx);

#endif
