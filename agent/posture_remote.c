/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The remote-access check of piiguard posture (see posture.h), called by
 * posture_run: TeamViewer, UltraViewer, AnyDesk and their kind, which the
 * district directive forbids on kiosks and clerks' PCs. One table of
 * signatures is matched against the package database, files, systemd units,
 * autostart entries, portable copies in homes and /tmp, Wine prefixes and, on
 * a real machine, /proc. Everything below the root is opened one folder at a
 * time from descriptors without following a link (not even /lib -> usr/lib),
 * FIFOs and devices are never opened, nothing is written, and every folder is
 * read with an entry limit.
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
#include "fsafe.h"
#include "inifile.h"

#define REMOTE_PATH_MAX 4096
#define REMOTE_LEN(a)   (sizeof(a) / sizeof((a)[0]))

/* dpkg's status file is a few MiB on a full desktop; 64 MiB is no database. */
#define REMOTE_DPKG_MAX (64u << 20)
/* A .desktop file or user-dirs.dirs is a few KiB. */
#define REMOTE_SMALL_FILE_MAX (64u << 10)
/* Entries read from one folder: unit folders hold a few hundred, a user's
 * Downloads a few thousand; past that the rest of the folder is passed over. */
#define REMOTE_DIR_ENTRIES 4096u
/* Entries read from all the folders of one home looked at for portable
 * copies, so that a home full of subfolders in Downloads stays bounded. */
#define REMOTE_HOME_ENTRIES 16384u
/* Wine prefixes below one parent (Bottles, PlayOnLinux, wineprefixes). */
#define REMOTE_PREFIXES_MAX 64u
/* Entries of /proc: pid_max is 4194304 but a desk PC runs a few hundred. */
#define REMOTE_PROC_ENTRIES 65536u
/* Bytes of a Wine process's command line searched for a tool's name. */
#define REMOTE_CMDLINE_MAX 4096u
/* Distinct results of one run, and accounts remembered to name the owner of
 * a process; past these the rest is not reported (or reported without user). */
#define REMOTE_RESULTS_MAX  512u
#define REMOTE_ACCOUNTS_MAX 128u

/* The kernel keeps 15 bytes of a process name in /proc/<pid>/comm. */
#define REMOTE_COMM_LEN 15u

#define REMOTE_DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)

#define REMOTE_LABEL "Remote-access tool"
#define REMOTE_WHY   "the directive forbids remote-access tools on kiosks and clerks' PCs"

/*
 * One tool. Unit names and the last component of a path may hold one '*'
 * ("vncserver@*.service" matches the template and its instances). words are
 * lower-case substrings looked for in autostart Exec= lines, in the names of
 * portable copies and of processes; the first tool of the table whose word
 * matches wins, so HopToDesk comes before ToDesk. wine_dirs are folder names
 * under "Program Files" of a Wine prefix (compared ignoring case).
 */
struct remote_tool {
	const char *name;
	const char *packages[4];
	const char *paths[8];
	const char *units[4];
	const char *processes[4];
	const char *words[3];
	const char *wine_dirs[2];
};

/* From research/wipe-and-kiosk.md section 5; the vendor entries at the end
 * (ToDesk, DWService, MeshCentral, ScreenConnect, Splashtop) follow their
 * vendors' install layouts and are partly unverified. */
static const struct remote_tool remote_tools[] = {
        {
                .name = "TeamViewer",
                .packages = {"teamviewer", "teamviewer-host"},
                .paths = {"/opt/teamviewer", "/usr/bin/teamviewer", "/etc/teamviewer"},
                .units = {"teamviewerd.service"},
                .processes = {"teamviewerd", "TeamViewer", "TeamViewer_Desktop"},
                .words = {"teamviewer"},
                .wine_dirs = {"TeamViewer"},
        },
        {
                /* Windows only: seen in Wine prefixes, Windows processes and files. */
                .name = "UltraViewer",
                .processes = {"UltraViewer_Desktop.exe", "UltraViewer_Service.exe"},
                .words = {"ultraviewer"},
                .wine_dirs = {"UltraViewer"},
        },
        {
                .name = "AnyDesk",
                .packages = {"anydesk"},
                .paths = {"/usr/bin/anydesk", "/etc/anydesk", "/usr/libexec/anydesk"},
                .units = {"anydesk.service"},
                .processes = {"anydesk"},
                .words = {"anydesk"},
                .wine_dirs = {"AnyDesk"},
        },
        {
                .name = "HopToDesk",
                .packages = {"hoptodesk"},
                .paths = {"/usr/bin/hoptodesk", "/usr/share/hoptodesk", "/usr/lib/hoptodesk"},
                .units = {"hoptodesk.service"},
                .processes = {"hoptodesk"},
                .words = {"hoptodesk"},
                .wine_dirs = {"HopToDesk"},
        },
        {
                .name = "RustDesk",
                .packages = {"rustdesk"},
                .paths = {"/usr/bin/rustdesk", "/usr/lib/rustdesk", "/usr/share/rustdesk",
                          "/var/lib/flatpak/app/com.rustdesk.RustDesk"},
                .units = {"rustdesk.service"},
                .processes = {"rustdesk"},
                .words = {"rustdesk"},
                .wine_dirs = {"RustDesk"},
        },
        {
                .name = "ToDesk",
                .packages = {"todesk"},
                .paths = {"/opt/todesk", "/usr/bin/todesk"},
                .units = {"todeskd.service", "todesk.service"},
                .processes = {"ToDesk", "ToDesk_Service", "todeskd"},
                .words = {"todesk"},
                .wine_dirs = {"ToDesk"},
        },
        {
                .name = "Chrome Remote Desktop",
                .packages = {"chrome-remote-desktop"},
                .paths = {"/opt/google/chrome-remote-desktop"},
                .units = {"chrome-remote-desktop*.service"},
                .processes = {"chrome-remote-desktop-host", "chrome-remote-desktop"},
                .words = {"chrome-remote-desktop"},
        },
        {
                .name = "x11vnc",
                .packages = {"x11vnc"},
                .paths = {"/usr/bin/x11vnc"},
                .units = {"x11vnc.service", "x11vnc@*.service"},
                .processes = {"x11vnc"},
                .words = {"x11vnc"},
        },
        {
                .name = "TigerVNC/TightVNC",
                .packages = {"tigervnc-standalone-server", "tigervnc-scraping-server", "tightvncserver"},
                .paths = {"/usr/bin/x0vncserver", "/usr/bin/Xvnc", "/usr/bin/vncserver", "/usr/bin/Xtigervnc",
                          "/usr/bin/tigervncserver", "/usr/bin/Xtightvnc", "/usr/bin/tightvncserver"},
                .units = {"vncserver@*.service", "tigervncserver@*.service", "x0vncserver*.service"},
                .processes = {"Xvnc", "Xtigervnc", "x0vncserver", "Xtightvnc"},
                .words = {"vncserver", "xtigervnc", "xtightvnc"},
        },
        {
                .name = "GNOME Remote Desktop",
                .packages = {"gnome-remote-desktop"},
                .paths = {"/usr/libexec/gnome-remote-desktop-daemon", "/usr/bin/grdctl"},
                .units = {"gnome-remote-desktop*.service"},
                .processes = {"gnome-remote-desktop-daemon"},
                .words = {"gnome-remote-desktop"},
        },
        {
                .name = "KDE Desktop Sharing (krfb)",
                .packages = {"krfb"},
                .paths = {"/usr/bin/krfb"},
                .processes = {"krfb"},
                .words = {"krfb"},
        },
        {
                .name = "GNOME Vino",
                .packages = {"vino"},
                .paths = {"/usr/lib/vino/vino-server"},
                .units = {"vino-server.service"},
                .processes = {"vino-server"},
                .words = {"vino-server"},
        },
        {
                .name = "xrdp",
                .packages = {"xrdp"},
                .paths = {"/usr/sbin/xrdp", "/usr/sbin/xrdp-sesman", "/etc/xrdp"},
                .units = {"xrdp.service", "xrdp-sesman.service"},
                .processes = {"xrdp", "xrdp-sesman"},
                .words = {"xrdp"},
        },
        {
                .name = "NoMachine",
                .packages = {"nomachine"},
                .paths = {"/usr/NX", "/etc/NX"},
                .units = {"nxserver.service"},
                .processes = {"nxserver", "nxnode", "nxd"},
                .words = {"nomachine", "nxserver"},
        },
        {
                .name = "DWService agent",
                .paths = {"/usr/share/dwagent", "/opt/dwagent"},
                .units = {"dwagent.service"},
                .processes = {"dwagent"},
                .words = {"dwagent"},
        },
        {
                .name = "MeshCentral agent",
                .paths = {"/usr/local/mesh_services/meshagent", "/usr/local/mesh_services/meshagent/meshagent"},
                .units = {"meshagent.service"},
                .processes = {"meshagent"},
                .words = {"meshagent"},
        },
        {
                .name = "ScreenConnect",
                .paths = {"/opt/screenconnect-*", "/opt/connectwisecontrol-*"},
                .units = {"screenconnect-*.service", "connectwisecontrol-*.service"},
                .words = {"screenconnect", "connectwisecontrol"},
        },
        {
                .name = "Splashtop Streamer",
                .packages = {"splashtop-streamer"},
                .paths = {"/opt/splashtop-streamer"},
                .units = {"SRStreamer.service"},
                .words = {"splashtop"},
        },
};

#define REMOTE_NTOOLS REMOTE_LEN(remote_tools)

/* OpenSSH server: reported as advice only, when installed and enabled. */
#define REMOTE_SSHD_BIN     "/usr/sbin/sshd"
#define REMOTE_SSHD_SUBJECT "OpenSSH server"
#define REMOTE_SSHD_REMEDY                                                                                             \
	"Usually an admin channel: keep it only if IT staff use it, and restrict it (keys only, AllowUsers, a "        \
	"firewall to the IT network)"
static const char *const remote_ssh_units[] = {"ssh.service", "sshd.service", "ssh.socket"};

/* Where systemd looks for system units (links are not followed, so a merged
 * /usr system is read through /usr/lib only). */
static const char *const remote_unit_dirs[] = {"/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"};

/* Folders of a Wine prefix where Windows programs install. */
static const char *const remote_program_dirs[] = {"drive_c/Program Files", "drive_c/Program Files (x86)"};
/* Folders holding one Wine prefix per entry (wineprefixes, Bottles, PlayOnLinux). */
static const char *const remote_prefix_parents[] = {
        ".local/share/wineprefixes",
        ".local/share/bottles/bottles",
        ".var/app/com.usebottles.bottles/data/bottles/bottles",
        ".PlayOnLinux/wineprefix",
};

enum remote_scope {
	REMOTE_SYSTEM, /* /etc/systemd/system */
	REMOTE_GLOBAL, /* /etc/systemd/user: every user's session */
	REMOTE_USER,   /* ~/.config/systemd/user */
};

struct remote_account {
	unsigned uid;
	char user[64];
};

struct remote_scan {
	posture_emit_fn *emit;
	void *ctx;
	int rootfd;
	size_t n_seen;
	unsigned long long seen[REMOTE_RESULTS_MAX]; /* hashes of (subject, path) reported */
	size_t n_accounts;
	struct remote_account accounts[REMOTE_ACCOUNTS_MAX];
	char sshd_unit[64];              /* the enabled OpenSSH unit, "" if none */
	char sshd_path[REMOTE_PATH_MAX]; /* and its link */
};

/* --- small helpers --------------------------------------------------------- */

static char remote_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does text[0..len) hold word (lower case), ignoring ASCII case? */
static bool remote_contains(const char *text, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++) {
		size_t j = 0;
		while (j < n && remote_lower(text[i + j]) == word[j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}

static bool remote_ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcasecmp(name + n - k, suffix) == 0;
}

/* pat with at most one '*' against name. */
static bool remote_glob(const char *pat, const char *name)
{
	const char *star = strchr(pat, '*');
	size_t pre, suf, n;

	if (!star)
		return strcmp(pat, name) == 0;
	pre = (size_t)(star - pat);
	suf = strlen(star + 1);
	n = strlen(name);
	return n >= pre + suf && strncmp(name, pat, pre) == 0 && strcmp(name + n - suf, star + 1) == 0;
}

/* The first tool one of whose words is in text[0..len), or -1. */
static int remote_word_tool(const char *text, size_t len)
{
	for (size_t i = 0; i < REMOTE_NTOOLS; i++)
		for (size_t j = 0; j < REMOTE_LEN(remote_tools[i].words) && remote_tools[i].words[j]; j++)
			if (remote_contains(text, len, remote_tools[i].words[j]))
				return (int)i;
	return -1;
}

static int remote_unit_tool(const char *unit)
{
	for (size_t i = 0; i < REMOTE_NTOOLS; i++)
		for (size_t j = 0; j < REMOTE_LEN(remote_tools[i].units) && remote_tools[i].units[j]; j++)
			if (remote_glob(remote_tools[i].units[j], unit))
				return (int)i;
	return -1;
}

static int remote_wine_tool(const char *dir)
{
	for (size_t i = 0; i < REMOTE_NTOOLS; i++)
		for (size_t j = 0; j < REMOTE_LEN(remote_tools[i].wine_dirs) && remote_tools[i].wine_dirs[j]; j++)
			if (strcasecmp(remote_tools[i].wine_dirs[j], dir) == 0)
				return (int)i;
	return -1;
}

/* A process name as /proc shows it: the first 15 bytes of the program's. */
static int remote_process_tool(const char *comm)
{
	size_t n = strlen(comm);

	for (size_t i = 0; i < REMOTE_NTOOLS; i++) {
		for (size_t j = 0; j < REMOTE_LEN(remote_tools[i].processes) && remote_tools[i].processes[j]; j++) {
			size_t k = strlen(remote_tools[i].processes[j]);
			if (k > REMOTE_COMM_LEN)
				k = REMOTE_COMM_LEN;
			if (n == k && strncasecmp(comm, remote_tools[i].processes[j], k) == 0)
				return (int)i;
		}
		for (size_t j = 0; j < REMOTE_LEN(remote_tools[i].words) && remote_tools[i].words[j]; j++)
			if (remote_contains(comm, n, remote_tools[i].words[j]))
				return (int)i;
	}
	return -1;
}

/* dir and name joined with one '/'. Returns 0 or -1 (too long). */
static int remote_join(char *out, size_t size, const char *dir, const char *name)
{
	size_t n = strlen(dir);
	int len = snprintf(out, size, "%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", name);

	return len > 0 && (size_t)len < size ? 0 : -1;
}

/* Append sep (unless out is empty) and s to out, within size. */
static void remote_append(char *out, size_t size, const char *sep, const char *s)
{
	size_t n = strlen(out);

	snprintf(out + n, size - n, "%s%s", n > 0 ? sep : "", s);
}

/* The next line of [*pos, end) without its newline and trailing blanks, or
 * NULL at the end. */
static const char *remote_line(const char **pos, const char *end, size_t *ret_len)
{
	const char *line = *pos, *nl;
	size_t n;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	n = nl ? (size_t)(nl - line) : (size_t)(end - line);
	*pos = nl ? nl + 1 : end;
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	*ret_len = n;
	return line;
}

/* "key<blanks>sep<blanks>value" at the start of line: the value. */
static bool remote_value(const char *line, size_t n, const char *key, char sep, const char **ret, size_t *ret_len)
{
	size_t k = strlen(key), i = k;

	if (n <= k || memcmp(line, key, k) != 0)
		return false;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= n || line[i] != sep)
		return false;
	for (i++; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	*ret = line + i;
	*ret_len = n - i;
	return true;
}

/* --- opening without following links -------------------------------------- */

/* lstat of rel below dirfd, the folders above it opened as above. */
static int remote_lstat(int dirfd, const char *rel, struct stat *st)
{
	char parent[REMOTE_PATH_MAX];
	const char *slash = strrchr(rel, '/'), *last = slash ? slash + 1 : rel;
	size_t n = (size_t)(last - rel);
	int fd, rc = -1;

	if (n >= sizeof(parent) || !*last || strcmp(last, "..") == 0)
		return -1;
	memcpy(parent, rel, n);
	parent[n] = '\0';
	fd = posture_open_dir(dirfd, parent);
	if (fd < 0)
		return -1;
	rc = fstatat(fd, last, st, AT_SYMLINK_NOFOLLOW);
	close(fd);
	return rc;
}

static bool remote_is_dir(int dirfd, const char *name, unsigned char type)
{
	struct stat st;

	if (type != DT_UNKNOWN)
		return type == DT_DIR;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Open name in dirfd if it is a regular file; a link, FIFO or device is
 * looked at with lstat only, never opened. Returns a descriptor or -1. */
static int remote_open_file(int dirfd, const char *name)
{
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return -1;
	fd = fsafe_open(dirfd, name, &st);
	return fd >= 0 ? fd : -1;
}

/* inifile_read of a regular file only (it would open a FIFO to refuse it). */
static int remote_read(int dirfd, const char *name, size_t limit, char **ret, size_t *ret_len)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return ERR_NOTFOUND;
	if (!S_ISREG(st.st_mode))
		return ERR_UNSUPPORTED;
	return inifile_read(dirfd, name, limit, ret, ret_len);
}

/* A bounded listing of an open folder (the caller keeps its descriptor). */
struct remote_dir {
	DIR *d;
	size_t left;
};

static int remote_dir_start(struct remote_dir *it, int fd, size_t max)
{
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	it->d = NULL;
	it->left = max;
	if (copy < 0)
		return -1;
	it->d = fdopendir(copy);
	if (!it->d) {
		close(copy);
		return -1;
	}
	rewinddir(it->d); /* the copy shares its offset with fd */
	return 0;
}

static const char *remote_dir_next(struct remote_dir *it, unsigned char *ret_type)
{
	struct dirent *e;

	while (it->d && it->left > 0 && (e = readdir(it->d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		it->left--;
		*ret_type = e->d_type;
		return e->d_name;
	}
	return NULL;
}

static void remote_dir_end(struct remote_dir *it)
{
	if (it->d)
		closedir(it->d);
	it->d = NULL;
}

/* --- reporting ------------------------------------------------------------- */

static unsigned long long remote_hash(const char *subject, const char *path)
{
	unsigned long long h = 14695981039346656037ull;

	for (const char *p = subject; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0xffu) * 1099511628211ull;
	for (const char *p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

/* Report once per (subject, path), at most REMOTE_RESULTS_MAX results. */
static void remote_emit(struct remote_scan *s, const char *subject, const char *path, const char *evidence,
                        const char *remedy, const char *user, double confidence)
{
	unsigned long long h = remote_hash(subject, path);
	struct posture_result r = {
	        .rule = POSTURE_REMOTE_ACCESS,
	        .label = REMOTE_LABEL,
	        .subject = subject,
	        .path = path,
	        .evidence = evidence,
	        .remedy = remedy,
	        .user = user,
	        .confidence = confidence,
	};

	for (size_t i = 0; i < s->n_seen; i++)
		if (s->seen[i] == h)
			return;
	if (s->n_seen == REMOTE_RESULTS_MAX)
		return;
	s->seen[s->n_seen++] = h;
	s->emit(&r, s->ctx);
}

/* The remedy for an installed tool. */
static void remote_remedy(const struct remote_tool *t, char *out, size_t size)
{
	if (t->packages[0])
		snprintf(out, size, "Remove it (apt-get purge %s) and block its reinstallation; %s", t->packages[0],
		         REMOTE_WHY);
	else
		snprintf(out, size, "Remove it (its uninstaller, or delete its files) and block its reinstallation; %s",
		         REMOTE_WHY);
}

/* --- 1. the package database ----------------------------------------------- */

/* dpkg's "want flag status": the files are on disk unless the status word is
 * not-installed or config-files (what "apt-get remove" leaves). */
static bool remote_installed(const char *v, size_t n)
{
	size_t i = 0;

	for (int w = 0; w < 2; w++) {
		while (i < n && v[i] != ' ')
			i++;
		while (i < n && v[i] == ' ')
			i++;
	}
	n -= i;
	v += i;
	return n > 0 && !(n == 13 && memcmp(v, "not-installed", 13) == 0) &&
	       !(n == 12 && memcmp(v, "config-files", 12) == 0);
}

static void remote_mark_package(unsigned *found, const char *pkg, size_t n)
{
	for (size_t i = 0; i < REMOTE_NTOOLS; i++)
		for (size_t j = 0; j < REMOTE_LEN(remote_tools[i].packages) && remote_tools[i].packages[j]; j++)
			if (strlen(remote_tools[i].packages[j]) == n &&
			    memcmp(remote_tools[i].packages[j], pkg, n) == 0)
				found[i] |= 1u << j;
}

/* Mark in found the tools' packages that dpkg's status file data lists as
 * installed: paragraphs of "Field: value" lines, continuation lines starting
 * with a blank (a description may quote "Package: x" there). */
static void remote_parse_status(const char *data, size_t len, unsigned *found)
{
	const char *pos = data, *end = data + len, *line, *pkg = NULL, *v;
	size_t n, pkg_len = 0, vn;
	bool installed = false, more = true;

	while (more) {
		line = remote_line(&pos, end, &n);
		more = line != NULL;
		if (!more || n == 0) {
			if (pkg && installed)
				remote_mark_package(found, pkg, pkg_len);
			pkg = NULL;
			installed = false;
		} else if (remote_value(line, n, "Package", ':', &v, &vn)) {
			pkg = v;
			pkg_len = vn;
		} else if (remote_value(line, n, "Status", ':', &v, &vn)) {
			installed = remote_installed(v, vn);
		}
	}
}

static void remote_packages(struct remote_scan *s)
{
	static const char status_path[] = "/var/lib/dpkg/status";
	unsigned found[REMOTE_NTOOLS] = {0};
	char *data = NULL;
	size_t len = 0;
	int fd = posture_open_dir(s->rootfd, "/var/lib/dpkg");

	if (fd < 0)
		return;
	if (remote_read(fd, "status", REMOTE_DPKG_MAX, &data, &len) < 0)
		goto out;
	remote_parse_status(data, len, found);
	for (size_t i = 0; i < REMOTE_NTOOLS; i++) {
		const struct remote_tool *t = &remote_tools[i];
		char names[256] = "", purge[256] = "", evidence[320], remedy[512];
		size_t count = 0;
		for (size_t j = 0; j < REMOTE_LEN(t->packages) && t->packages[j]; j++) {
			if (!(found[i] & 1u << j))
				continue;
			remote_append(names, sizeof(names), ", ", t->packages[j]);
			remote_append(purge, sizeof(purge), " ", t->packages[j]);
			count++;
		}
		if (count == 0)
			continue;
		snprintf(evidence, sizeof(evidence), "%s %s installed", count > 1 ? "packages" : "package", names);
		snprintf(remedy, sizeof(remedy), "Remove it (apt-get purge %s) and block its reinstallation; %s", purge,
		         REMOTE_WHY);
		remote_emit(s, t->name, status_path, evidence, remedy, NULL, 1.0);
	}
out:
	free(data);
	close(fd);
}

/* --- 2. files and folders -------------------------------------------------- */

static void remote_present(struct remote_scan *s, const struct remote_tool *t, const char *path, const struct stat *st)
{
	char evidence[REMOTE_PATH_MAX + 64], remedy[512];

	snprintf(evidence, sizeof(evidence), "%s %s present", S_ISDIR(st->st_mode) ? "folder" : "file", path);
	remote_remedy(t, remedy, sizeof(remedy));
	remote_emit(s, t->name, path, evidence, remedy, NULL, 1.0);
}

/* A path whose last component holds a '*': its folder is listed. */
static void remote_files_glob(struct remote_scan *s, const struct remote_tool *t, const char *pattern)
{
	char parent[REMOTE_PATH_MAX], path[REMOTE_PATH_MAX];
	const char *last = strrchr(pattern, '/') + 1, *name;
	size_t n = (size_t)(last - pattern);
	struct remote_dir it = {0};
	unsigned char type;
	struct stat st;
	int fd;

	if (n >= sizeof(parent))
		return;
	memcpy(parent, pattern, n);
	parent[n] = '\0';
	fd = posture_open_dir(s->rootfd, parent);
	if (fd < 0)
		return;
	if (remote_dir_start(&it, fd, REMOTE_DIR_ENTRIES) < 0)
		goto out;
	while ((name = remote_dir_next(&it, &type)) != NULL)
		if (remote_glob(last, name) && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    remote_join(path, sizeof(path), parent, name) == 0)
			remote_present(s, t, path, &st);
out:
	remote_dir_end(&it);
	close(fd);
}

static void remote_files(struct remote_scan *s)
{
	for (size_t i = 0; i < REMOTE_NTOOLS; i++) {
		const struct remote_tool *t = &remote_tools[i];
		for (size_t j = 0; j < REMOTE_LEN(t->paths) && t->paths[j]; j++) {
			struct stat st;
			if (strchr(t->paths[j], '*'))
				remote_files_glob(s, t, t->paths[j]);
			else if (remote_lstat(s->rootfd, t->paths[j], &st) == 0)
				remote_present(s, t, t->paths[j], &st); /* a link is present, not followed */
		}
	}
}

/* --- 3. systemd units ------------------------------------------------------ */

/* A unit linked to /dev/null is masked: it cannot run. */
static bool remote_masked(int dirfd, const char *name)
{
	char target[16];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "/dev/null") == 0;
}

static void remote_units_present(struct remote_scan *s)
{
	for (size_t i = 0; i < REMOTE_LEN(remote_unit_dirs); i++) {
		struct remote_dir it = {0};
		const char *name;
		unsigned char type;
		int fd = posture_open_dir(s->rootfd, remote_unit_dirs[i]);

		if (fd < 0)
			continue;
		if (remote_dir_start(&it, fd, REMOTE_DIR_ENTRIES) == 0) {
			while ((name = remote_dir_next(&it, &type)) != NULL) {
				char path[REMOTE_PATH_MAX], evidence[320], remedy[512];
				struct stat st;
				int k = remote_unit_tool(name);
				if (k < 0 || fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode) ||
				    (S_ISLNK(st.st_mode) && remote_masked(fd, name)) ||
				    remote_join(path, sizeof(path), remote_unit_dirs[i], name) < 0)
					continue;
				snprintf(evidence, sizeof(evidence), "unit %s present", name);
				remote_remedy(&remote_tools[k], remedy, sizeof(remedy));
				remote_emit(s, remote_tools[k].name, path, evidence, remedy, NULL, 1.0);
			}
		}
		remote_dir_end(&it);
		close(fd);
	}
}

static void remote_enabled_unit(struct remote_scan *s, const char *unit, const char *path, enum remote_scope scope,
                                const char *user)
{
	char evidence[320], remedy[640];
	int k = remote_unit_tool(unit);

	if (k < 0) {
		for (size_t i = 0; scope == REMOTE_SYSTEM && !s->sshd_unit[0] && i < REMOTE_LEN(remote_ssh_units); i++)
			if (strcmp(unit, remote_ssh_units[i]) == 0) {
				snprintf(s->sshd_unit, sizeof(s->sshd_unit), "%s", unit);
				snprintf(s->sshd_path, sizeof(s->sshd_path), "%s", path);
			}
		return;
	}
	snprintf(evidence, sizeof(evidence), "unit %s enabled", unit);
	snprintf(remedy, sizeof(remedy), "%s %s), then remove the tool; %s",
	         scope == REMOTE_SYSTEM   ? "Stop and disable it (systemctl disable --now"
	         : scope == REMOTE_GLOBAL ? "Disable it for every user (systemctl --global disable"
	                                  : "Stop and disable it as the user (systemctl --user disable --now",
	         unit, REMOTE_WHY);
	remote_emit(s, remote_tools[k].name, path, evidence, remedy, user, 1.0);
}

/* Units enabled in the systemd folder open as fd (shown as shown): links in
 * its *.wants and *.requires folders, named after the unit or an instance of
 * a template. The links are read as names only, never followed. */
static void remote_units_enabled(struct remote_scan *s, int fd, const char *shown, enum remote_scope scope,
                                 const char *user)
{
	struct remote_dir it = {0};
	const char *name;
	unsigned char type;

	if (remote_dir_start(&it, fd, REMOTE_DIR_ENTRIES) < 0)
		return;
	while ((name = remote_dir_next(&it, &type)) != NULL) {
		struct remote_dir units = {0};
		char wants[REMOTE_PATH_MAX], path[REMOTE_PATH_MAX];
		const char *unit;
		unsigned char utype;
		int wfd;

		if (!remote_ends(name, ".wants") && !remote_ends(name, ".requires"))
			continue;
		if (remote_join(wants, sizeof(wants), shown, name) < 0)
			continue;
		wfd = openat(fd, name, REMOTE_DIR_FLAGS);
		if (wfd < 0)
			continue;
		if (remote_dir_start(&units, wfd, REMOTE_DIR_ENTRIES) == 0)
			while ((unit = remote_dir_next(&units, &utype)) != NULL)
				if (!remote_is_dir(wfd, unit, utype) &&
				    remote_join(path, sizeof(path), wants, unit) == 0)
					remote_enabled_unit(s, unit, path, scope, user);
		remote_dir_end(&units);
		close(wfd);
	}
	remote_dir_end(&it);
}

static void remote_units_enabled_at(struct remote_scan *s, int basefd, const char *rel, const char *shown,
                                    enum remote_scope scope, const char *user)
{
	int fd = posture_open_dir(basefd, rel);

	if (fd < 0)
		return;
	remote_units_enabled(s, fd, shown, scope, user);
	close(fd);
}

/* --- 4. autostart entries -------------------------------------------------- */

/* The tool the [Desktop Entry] group's Exec= line starts, unless the entry
 * is switched off (Hidden=true, X-GNOME-Autostart-enabled=false). */
static int remote_desktop_tool(const char *data, size_t len)
{
	const char *pos = data, *end = data + len, *line, *exec = NULL, *v;
	size_t n, exec_len = 0, vn;
	bool main_group = false, off = false;

	while ((line = remote_line(&pos, end, &n)) != NULL) {
		if (n > 0 && line[0] == '[') {
			main_group = n == 15 && memcmp(line, "[Desktop Entry]", 15) == 0;
		} else if (!main_group) {
			continue;
		} else if (remote_value(line, n, "Exec", '=', &v, &vn)) {
			exec = v;
			exec_len = vn;
		} else if (remote_value(line, n, "Hidden", '=', &v, &vn)) {
			off |= vn == 4 && memcmp(v, "true", 4) == 0;
		} else if (remote_value(line, n, "X-GNOME-Autostart-enabled", '=', &v, &vn)) {
			off |= vn == 5 && memcmp(v, "false", 5) == 0;
		}
	}
	return exec && !off ? remote_word_tool(exec, exec_len) : -1;
}

/* An autostart entry that is a link is not followed: judged by its target's name. */
static int remote_link_tool(int dirfd, const char *name)
{
	char target[REMOTE_PATH_MAX];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target));

	return n > 0 ? remote_word_tool(target, (size_t)n) : -1;
}

static void remote_autostart(struct remote_scan *s, int fd, const char *shown, const char *user)
{
	struct remote_dir it = {0};
	const char *name;
	unsigned char type;

	if (remote_dir_start(&it, fd, REMOTE_DIR_ENTRIES) < 0)
		return;
	while ((name = remote_dir_next(&it, &type)) != NULL) {
		char path[REMOTE_PATH_MAX], *data = NULL;
		size_t len;
		struct stat st;
		int k = -1;

		if (!remote_ends(name, ".desktop") || fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode))
			k = remote_link_tool(fd, name);
		else if (remote_read(fd, name, REMOTE_SMALL_FILE_MAX, &data, &len) == 0)
			k = remote_desktop_tool(data, len);
		free(data);
		if (k < 0 || remote_join(path, sizeof(path), shown, name) < 0)
			continue;
		remote_emit(s, remote_tools[k].name, path, "autostart entry runs it",
		            "Delete the autostart entry and remove the tool it starts; " REMOTE_WHY, user, 1.0);
	}
	remote_dir_end(&it);
}

/* --- 5. portable copies ---------------------------------------------------- */

/* What a file named like a tool is: an AppImage, an archive, a package, a
 * Windows program (for Wine), an ELF program; NULL for anything else or
 * anything not a regular file (a link, FIFO or device is not opened). */
static const char *remote_portable_kind(int dirfd, const char *name)
{
	static const char *const tarballs[] = {".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar.zst"};
	unsigned char magic[4];
	struct stat st;
	ssize_t n;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	if (remote_ends(name, ".appimage"))
		return "AppImage";
	for (size_t i = 0; i < REMOTE_LEN(tarballs); i++)
		if (remote_ends(name, tarballs[i]))
			return "tarball";
	if (remote_ends(name, ".deb"))
		return "package file";
	if (remote_ends(name, ".exe") || remote_ends(name, ".msi"))
		return "Windows program";
	fd = remote_open_file(dirfd, name);
	if (fd < 0)
		return NULL;
	n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == 4 && memcmp(magic, "\177ELF", 4) == 0 ? "program" : NULL;
}

/* Files named like a tool in the folder open as fd; subfolders are entered
 * depth levels deep. budget counts the entries left for the whole home. */
static void remote_portable_dir(struct remote_scan *s, int fd, const char *shown, const char *where, const char *user,
                                int depth, size_t *budget)
{
	struct remote_dir it = {0};
	const char *name;
	unsigned char type;

	if (remote_dir_start(&it, fd, REMOTE_DIR_ENTRIES) < 0)
		return;
	while (*budget > 0 && (name = remote_dir_next(&it, &type)) != NULL) {
		char path[REMOTE_PATH_MAX], evidence[128];
		int k = remote_word_tool(name, strlen(name));
		const char *kind = k >= 0 ? remote_portable_kind(fd, name) : NULL;

		(*budget)--;
		if (remote_join(path, sizeof(path), shown, name) < 0)
			continue;
		if (kind) {
			snprintf(evidence, sizeof(evidence), "%s in %s", kind, where);
			remote_emit(s, remote_tools[k].name, path, evidence,
			            "Delete the file and mount /home and /tmp noexec so that portable copies cannot "
			            "run; " REMOTE_WHY,
			            user, 1.0);
		} else if (depth > 0 && remote_is_dir(fd, name, type)) {
			int sub = openat(fd, name, REMOTE_DIR_FLAGS);
			if (sub >= 0) {
				remote_portable_dir(s, sub, path, where, user, depth - 1, budget);
				close(sub);
			}
		}
	}
	remote_dir_end(&it);
}

/* XDG_DESKTOP_DIR="$HOME/Màn hình nền": the part below the home, if the
 * folder is inside it. */
static void remote_user_dir(const char *v, size_t n, char *out, size_t size)
{
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n <= 6 || memcmp(v, "$HOME/", 6) != 0 || n - 6 >= size || memchr(v, '\\', n) || memchr(v, '\0', n))
		return;
	memcpy(out, v + 6, n - 6);
	out[n - 6] = '\0';
}

/* The desktop and download folders of a localised session (Vietnamese ones
 * are not called Desktop and Downloads), from ~/.config/user-dirs.dirs. */
static void remote_user_dirs(int homefd, char *desktop, char *download, size_t size)
{
	char *data = NULL;
	size_t len = 0;
	int fd = posture_open_dir(homefd, ".config");

	if (fd < 0)
		return;
	if (remote_read(fd, "user-dirs.dirs", REMOTE_SMALL_FILE_MAX, &data, &len) == 0) {
		const char *pos = data, *end = data + len, *line, *v;
		size_t n, vn;
		while ((line = remote_line(&pos, end, &n)) != NULL) {
			if (remote_value(line, n, "XDG_DESKTOP_DIR", '=', &v, &vn))
				remote_user_dir(v, vn, desktop, size);
			else if (remote_value(line, n, "XDG_DOWNLOAD_DIR", '=', &v, &vn))
				remote_user_dir(v, vn, download, size);
		}
	}
	free(data);
	close(fd);
}

static void remote_portable_home(struct remote_scan *s, int homefd, const char *home, const char *user)
{
	char desktop[256] = "", download[256] = "";
	const char *rels[] = {"", "Desktop", "Downloads", ".local/bin", "Applications", desktop, download};
	static const int depths[] = {0, 0, 1, 0, 0, 0, 1}; /* downloads: one level of subfolders */
	struct stat seen[REMOTE_LEN(rels)];
	size_t n_seen = 0, budget = REMOTE_HOME_ENTRIES;

	remote_user_dirs(homefd, desktop, download, sizeof(desktop));
	for (size_t i = 0; i < REMOTE_LEN(rels); i++) {
		char shown[REMOTE_PATH_MAX];
		struct stat st;
		bool skip = false;
		int fd;

		if (i > 0 && !rels[i][0])
			continue;
		fd = posture_open_dir(homefd, rels[i]);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) < 0) {
			close(fd);
			continue;
		}
		for (size_t j = 0; j < n_seen; j++)
			skip |= seen[j].st_dev == st.st_dev && seen[j].st_ino == st.st_ino;
		seen[n_seen++] = st;
		if (!rels[i][0])
			snprintf(shown, sizeof(shown), "%s", home);
		else if (remote_join(shown, sizeof(shown), home, rels[i]) < 0)
			skip = true;
		if (!skip)
			remote_portable_dir(s, fd, shown, "the home", user, depths[i], &budget);
		close(fd);
	}
}

static void remote_portable_tmp(struct remote_scan *s)
{
	size_t budget = REMOTE_DIR_ENTRIES;
	int fd = posture_open_dir(s->rootfd, "/tmp");

	if (fd < 0)
		return;
	remote_portable_dir(s, fd, "/tmp", "/tmp", NULL, 0, &budget);
	close(fd);
}

/* --- 6. Wine prefixes ------------------------------------------------------ */

static void remote_wine_prefix(struct remote_scan *s, int pfd, const char *shown, const char *user)
{
	for (size_t i = 0; i < REMOTE_LEN(remote_program_dirs); i++) {
		struct remote_dir it = {0};
		char dir[REMOTE_PATH_MAX];
		const char *name;
		unsigned char type;
		int fd = posture_open_dir(pfd, remote_program_dirs[i]);

		if (fd < 0)
			continue;
		if (remote_join(dir, sizeof(dir), shown, remote_program_dirs[i]) == 0 &&
		    remote_dir_start(&it, fd, REMOTE_DIR_ENTRIES) == 0) {
			while ((name = remote_dir_next(&it, &type)) != NULL) {
				char path[REMOTE_PATH_MAX], evidence[128];
				int k = remote_wine_tool(name);
				if (k < 0 || !remote_is_dir(fd, name, type) ||
				    remote_join(path, sizeof(path), dir, name) < 0)
					continue;
				snprintf(evidence, sizeof(evidence), "%s in a Wine prefix", remote_tools[k].name);
				remote_emit(s, remote_tools[k].name, path, evidence,
				            "Delete the folder (or the whole Wine prefix) and remove Wine if no "
				            "approved program "
				            "needs it; " REMOTE_WHY,
				            user, 1.0);
			}
		}
		remote_dir_end(&it);
		close(fd);
	}
}

static void remote_wine_home(struct remote_scan *s, int homefd, const char *home, const char *user)
{
	char shown[REMOTE_PATH_MAX];
	int fd = posture_open_dir(homefd, ".wine");

	if (fd >= 0) {
		if (remote_join(shown, sizeof(shown), home, ".wine") == 0)
			remote_wine_prefix(s, fd, shown, user);
		close(fd);
	}
	for (size_t i = 0; i < REMOTE_LEN(remote_prefix_parents); i++) {
		struct remote_dir it = {0};
		char parent[REMOTE_PATH_MAX];
		const char *name;
		unsigned char type;

		fd = posture_open_dir(homefd, remote_prefix_parents[i]);
		if (fd < 0)
			continue;
		if (remote_join(parent, sizeof(parent), home, remote_prefix_parents[i]) == 0 &&
		    remote_dir_start(&it, fd, REMOTE_PREFIXES_MAX) == 0) {
			while ((name = remote_dir_next(&it, &type)) != NULL) {
				int pfd = openat(fd, name, REMOTE_DIR_FLAGS);
				if (pfd < 0)
					continue;
				if (remote_join(shown, sizeof(shown), parent, name) == 0)
					remote_wine_prefix(s, pfd, shown, user);
				close(pfd);
			}
		}
		remote_dir_end(&it);
		close(fd);
	}
}

/* --- the homes ------------------------------------------------------------- */

static void remote_home(const struct posture_home *h, void *arg)
{
	struct remote_scan *s = arg;
	char shown[REMOTE_PATH_MAX];
	int homefd, fd;

	if (s->n_accounts < REMOTE_ACCOUNTS_MAX && strlen(h->user) < sizeof(s->accounts[0].user)) {
		s->accounts[s->n_accounts].uid = h->uid;
		snprintf(s->accounts[s->n_accounts].user, sizeof(s->accounts[0].user), "%s", h->user);
		s->n_accounts++;
	}
	homefd = posture_open_dir(s->rootfd, h->home);
	if (homefd < 0)
		return;

	fd = posture_open_dir(homefd, ".config/autostart");
	if (fd >= 0) {
		if (remote_join(shown, sizeof(shown), h->home, ".config/autostart") == 0)
			remote_autostart(s, fd, shown, h->user);
		close(fd);
	}
	if (remote_join(shown, sizeof(shown), h->home, ".config/systemd/user") == 0)
		remote_units_enabled_at(s, homefd, ".config/systemd/user", shown, REMOTE_USER, h->user);
	remote_portable_home(s, homefd, h->home, h->user);
	remote_wine_home(s, homefd, h->home, h->user);
	close(homefd);
}

/* --- 7. processes ---------------------------------------------------------- */

/* Read the small /proc file name of process pid into out (NUL-terminated,
 * NUL bytes turned to spaces). Returns its length or -1. */
static ssize_t remote_proc_read(int procfd, const char *pid, const char *name, char *out, size_t size)
{
	char rel[64];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(rel, sizeof(rel), "%s/%s", pid, name) >= sizeof(rel))
		return -1;
	fd = remote_open_file(procfd, rel);
	if (fd < 0)
		return -1;
	n = read(fd, out, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		if (out[i] == '\0')
			out[i] = ' ';
	out[n] = '\0';
	return n;
}

static bool remote_is_pid(const char *name)
{
	for (const char *p = name; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return name[0] != '\0';
}

/* Wine runs Windows programs under its own names (wine, wine64-preloader,
 * wineserver) or the program's (X.exe): their command line tells which. */
static bool remote_is_wine(const char *comm)
{
	return strncasecmp(comm, "wine", 4) == 0 || remote_ends(comm, ".exe");
}

static const char *remote_owner(struct remote_scan *s, int procfd, const char *pid)
{
	struct stat st;

	if (fstatat(procfd, pid, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return NULL;
	for (size_t i = 0; i < s->n_accounts; i++)
		if (s->accounts[i].uid == st.st_uid)
			return s->accounts[i].user;
	return NULL;
}

static void remote_processes(struct remote_scan *s)
{
	bool reported[REMOTE_NTOOLS] = {false};
	struct remote_dir it = {0};
	const char *pid;
	unsigned char type;
	int fd = posture_open_dir(s->rootfd, "/proc");

	if (fd < 0)
		return;
	if (remote_dir_start(&it, fd, REMOTE_PROC_ENTRIES) < 0)
		goto out;
	while ((pid = remote_dir_next(&it, &type)) != NULL) {
		char comm[64], cmdline[REMOTE_CMDLINE_MAX + 1], path[64], evidence[160];
		ssize_t n;
		int k;

		if (!remote_is_pid(pid) || strlen(pid) > 10 ||
		    (n = remote_proc_read(fd, pid, "comm", comm, sizeof(comm))) < 0)
			continue;
		while (n > 0 && (comm[n - 1] == '\n' || comm[n - 1] == ' '))
			comm[--n] = '\0';
		k = remote_process_tool(comm);
		if (k < 0 && remote_is_wine(comm) &&
		    (n = remote_proc_read(fd, pid, "cmdline", cmdline, sizeof(cmdline))) > 0)
			k = remote_word_tool(cmdline, (size_t)n);
		if (k < 0 || reported[k])
			continue;
		reported[k] = true; /* one process per tool is enough to act on */
		for (char *p = comm; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		snprintf(path, sizeof(path), "/proc/%s", pid);
		snprintf(evidence, sizeof(evidence), "process %s running (pid %s)", comm, pid);
		remote_emit(s, remote_tools[k].name, path, evidence,
		            "Stop it now (and its service), then remove the tool; " REMOTE_WHY,
		            remote_owner(s, fd, pid), 1.0);
	}
out:
	remote_dir_end(&it);
	close(fd);
}

/* --- 8. the OpenSSH server ------------------------------------------------- */

static void remote_sshd(struct remote_scan *s)
{
	char evidence[160];
	struct stat st;

	if (!s->sshd_unit[0] || remote_lstat(s->rootfd, REMOTE_SSHD_BIN, &st) < 0)
		return;
	snprintf(evidence, sizeof(evidence), "sshd installed and unit %s enabled", s->sshd_unit);
	remote_emit(s, REMOTE_SSHD_SUBJECT, s->sshd_path, evidence, REMOTE_SSHD_REMEDY, NULL, 0.5);
}

/* --- the check ------------------------------------------------------------- */

void posture_remote_access(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	struct remote_scan *s = NULL;
	char root[REMOTE_PATH_MAX];
	size_t n;
	int fd;

	if (posture_path(o, "/", root, sizeof(root)) < 0)
		return;
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		root[--n] = '\0';
	s = calloc(1, sizeof(*s));
	if (!s)
		return;
	s->emit = emit;
	s->ctx = ctx;
	s->rootfd = open(root, REMOTE_DIR_FLAGS);
	if (s->rootfd < 0)
		goto out;

	remote_packages(s);
	remote_files(s);
	remote_units_present(s);
	remote_units_enabled_at(s, s->rootfd, "/etc/systemd/system", "/etc/systemd/system", REMOTE_SYSTEM, NULL);
	remote_units_enabled_at(s, s->rootfd, "/etc/systemd/user", "/etc/systemd/user", REMOTE_GLOBAL, NULL);
	fd = posture_open_dir(s->rootfd, "/etc/xdg/autostart");
	if (fd >= 0) {
		remote_autostart(s, fd, "/etc/xdg/autostart", NULL);
		close(fd);
	}
	posture_homes(o, remote_home, s);
	remote_portable_tmp(s);
	if (o->processes)
		remote_processes(s);
	remote_sshd(s);
out:
	if (s->rootfd >= 0)
		close(s->rootfd);
	free(s);
}
