/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of posture_remote.c: fake roots built in a fresh temporary
 * folder, with a package database, files, units, autostart entries, homes
 * with portable copies and Wine prefixes, and a fake /proc, checked result by
 * result (subject, path without the root, evidence, user, confidence). Traps
 * planted there (links, a FIFO, a hidden entry, a removed package) must not be
 * reported or opened; an alarm turns a hang on the FIFO into a failure. A
 * clean root must give no result at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posture.h"

#define MAX_RESULTS 128

/* "Màn hình nền": the desktop folder of a Vietnamese session. */
#define VI_DESKTOP "M\xc3\xa0n h\xc3\xacnh n\xe1\xbb\x81n"

struct got {
	char *rule, *label, *subject, *path, *evidence, *remedy, *user;
	double confidence;
};

struct results {
	size_t n;
	struct got r[MAX_RESULTS];
};

static char root[256];

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void collect(const struct posture_result *r, void *ctx)
{
	struct results *c = ctx;
	struct got *g;

	assert_true(c->n < MAX_RESULTS);
	g = &c->r[c->n++];
	g->rule = dup_or_null(r->rule);
	g->label = dup_or_null(r->label);
	g->subject = dup_or_null(r->subject);
	g->path = dup_or_null(r->path);
	g->evidence = dup_or_null(r->evidence);
	g->remedy = dup_or_null(r->remedy);
	g->user = dup_or_null(r->user);
	g->confidence = r->confidence;
}

static void results_free(struct results *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct got *g = &c->r[i];
		free(g->rule);
		free(g->label);
		free(g->subject);
		free(g->path);
		free(g->evidence);
		free(g->remedy);
		free(g->user);
	}
	c->n = 0;
}

static int open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Run the check on root; it must leave no descriptor open. */
static void run(bool processes, struct results *c)
{
	struct posture_options o = {.root = root, .store = NULL, .processes = processes};
	int before = open_fds();

	memset(c, 0, sizeof(*c));
	posture_remote_access(&o, collect, c);
	assert_int_equal(open_fds(), before);
}

static const struct got *find(const struct results *c, const char *subject, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->r[i].subject, subject) == 0 && strcmp(c->r[i].path, path) == 0)
			return &c->r[i];
	return NULL;
}

static bool any_path(const struct results *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->r[i].path, path) == 0)
			return true;
	return false;
}

/* One result of subject at path, with its fields as given (user NULL: none). */
static void expect(const struct results *c, const char *subject, const char *path, const char *evidence,
                   const char *user, double confidence)
{
	const struct got *g = find(c, subject, path);

	if (!g)
		fail_msg("no result for %s at %s", subject, path);
	assert_string_equal(g->rule, POSTURE_REMOTE_ACCESS);
	assert_string_equal(g->label, "Remote-access tool");
	assert_string_equal(g->evidence, evidence);
	if (user) {
		assert_non_null(g->user);
		assert_string_equal(g->user, user);
	} else {
		assert_null(g->user);
	}
	assert_true(g->confidence == confidence);
	assert_non_null(g->remedy);
	assert_true(strlen(g->remedy) > 20 && !strchr(g->remedy, '\n'));
}

/* What every run must satisfy: paths on the machine, one result per
 * (subject, path). */
static void check_common(const struct results *c)
{
	for (size_t i = 0; i < c->n; i++) {
		assert_null(strstr(c->r[i].path, root));
		assert_int_equal(c->r[i].path[0], '/');
		for (size_t j = i + 1; j < c->n; j++)
			assert_false(strcmp(c->r[i].subject, c->r[j].subject) == 0 &&
			             strcmp(c->r[i].path, c->r[j].path) == 0);
	}
}

/* --- building fake roots ---------------------------------------------------- */

static void make_dirs(const char *rel)
{
	char path[1024];
	int n = snprintf(path, sizeof(path), "%s/%s", root, rel);

	assert_true(n > 0 && (size_t)n < sizeof(path));
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
	assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* The folders above rel, and the path of rel into path. */
static void prepare(const char *rel, char *path, size_t size)
{
	char parent[1024];
	const char *slash = strrchr(rel, '/');

	if (slash) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - rel), rel);
		make_dirs(parent);
	}
	snprintf(path, size, "%s/%s", root, rel);
}

static void put_bytes(const char *rel, const void *data, size_t len)
{
	char path[1024];
	FILE *f;

	prepare(rel, path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void put(const char *rel, const char *text)
{
	put_bytes(rel, text, strlen(text));
}

static void put_link(const char *rel, const char *target)
{
	char path[1024];

	prepare(rel, path, sizeof(path));
	assert_int_equal(symlink(target, path), 0);
}

static void put_fifo(const char *rel)
{
	char path[1024];

	prepare(rel, path, sizeof(path));
	assert_int_equal(mkfifo(path, 0600), 0);
}

static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
                             "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                             "kiosk:x:1001:1001:Kiosk,,,:/home/kiosk:/bin/bash\n"
                             "kiosk2:x:1002:1002:Same home:/home/kiosk:/bin/bash\n"
                             "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

static const char dpkg_dirty[] = "Package: bash\n"
                                 "Status: install ok installed\n"
                                 "Priority: required\n"
                                 "Description: GNU Bourne Again SHell\n"
                                 " Package: x11vnc\n"
                                 " Status: install ok installed\n"
                                 "\n"
                                 "Package: teamviewer\n"
                                 "Status: install ok installed\n"
                                 "Architecture: amd64\n"
                                 "Version: 15.50.5\n"
                                 "\n"
                                 "Package: anydesk\n"
                                 "Status: deinstall ok config-files\n"
                                 "Version: 6.3.0\n"
                                 "\n"
                                 "Package: rustdesk\n"
                                 "Status: purge ok not-installed\n"
                                 "\n"
                                 "Package: libc6\n"
                                 "Status: install ok installed\n";

/* Wine's command line: NUL-separated arguments. */
static const char wine_cmdline[] = "C:\\Program Files\\UltraViewer\\UltraViewer_Desktop.exe\0/tray\0";

static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};

/* Every kind of evidence once, and the traps around them. */
static void build_dirty(void)
{
	put("etc/passwd", passwd);
	put("var/lib/dpkg/status", dpkg_dirty);
	make_dirs("opt/teamviewer/tv_bin");
	put("lib/systemd/system/teamviewerd.service", "[Service]\nExecStart=/opt/teamviewer/tv_bin/teamviewerd -d\n");
	put_link("etc/systemd/system/multi-user.target.wants/teamviewerd.service",
	         "/lib/systemd/system/teamviewerd.service");
	put_link("etc/systemd/system/multi-user.target.wants/vncserver@:1.service",
	         "/lib/systemd/system/vncserver@.service");
	put_link("etc/systemd/system/multi-user.target.wants/cron.service", "/lib/systemd/system/cron.service");
	put("etc/xdg/autostart/anydesk.desktop",
	    "[Desktop Entry]\nType=Application\nName=AnyDesk\nExec=anydesk --tray\n");
	/* Only the main group's Exec= starts at login. */
	put("etc/xdg/autostart/files.desktop",
	    "[Desktop Entry]\nName=Files\nExec=nautilus --gapplication-service\n\n[Desktop Action x]\nExec=anydesk\n");

	/* An OpenSSH server, installed and enabled. */
	put("usr/sbin/sshd", "not really sshd");
	put_link("etc/systemd/system/multi-user.target.wants/ssh.service", "/lib/systemd/system/ssh.service");

	/* The kiosk's home. */
	put("home/kiosk/.config/autostart/support.desktop",
	    "[Desktop Entry]\nType=Application\nName=Support\nExec=/home/kiosk/apps/TeamViewer/teamviewer "
	    "--minimize\n");
	put("home/kiosk/.config/autostart/rustdesk.desktop", "[Desktop Entry]\nExec=rustdesk --tray\nHidden=true\n");
	put("home/kiosk/.config/user-dirs.dirs",
	    "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/" VI_DESKTOP
	    "\"\nXDG_DOWNLOAD_DIR=\"$HOME/Downloads\"\n");
	put("home/kiosk/Downloads/RustDesk-1.2.AppImage", "AppImage payload");
	put_bytes("home/kiosk/Downloads/tools/anydesk", elf, sizeof(elf));
	put("home/kiosk/Downloads/tools/rustdesk-readme", "not a program");
	put("home/kiosk/" VI_DESKTOP "/AnyDesk_6.3.tar.gz", "tarball");
	put("home/kiosk/Desktop/anydesk-notes.txt", "call the vendor");
	make_dirs("home/kiosk/teamviewer");
	make_dirs("home/kiosk/.wine/drive_c/Program Files/UltraViewer");
	make_dirs("home/kiosk/.wine/drive_c/Program Files/Mozilla Firefox");
	make_dirs("home/kiosk/.local/share/bottles/bottles/office/drive_c/Program Files (x86)/TeamViewer");
	/* Traps: a link named like an AppImage, a FIFO named like one, and a
	 * link to a folder holding a portable copy. */
	put_link("home/kiosk/teamviewer.AppImage", "/etc/passwd");
	put_fifo("home/kiosk/anydesk.AppImage");
	put_link("home/kiosk/Applications", "../../tmp");

	put("tmp/hoptodesk_1.0.AppImage", "AppImage payload");
	put("tmp/session.log", "nothing");

	/* A fake /proc, read only when processes are asked for. */
	put("proc/123/comm", "teamviewerd\n");
	put("proc/124/comm", "teamviewerd\n");
	put("proc/200/comm", "wine-preloader\n");
	put_bytes("proc/200/cmdline", wine_cmdline, sizeof(wine_cmdline) - 1);
	put("proc/300/comm", "bash\n");
	put("proc/cpuinfo", "processor : 0\n");
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "%s/piiguard-test-remote.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		return -1;
	alarm(5); /* a FIFO opened for reading would block: fail rather than hang */
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	alarm(0);
	return nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* --- tests ------------------------------------------------------------------ */

static void test_dirty_root(void **state)
{
	struct results c;

	(void)state;
	build_dirty();
	run(false, &c);
	check_common(&c);

	expect(&c, "TeamViewer", "/var/lib/dpkg/status", "package teamviewer installed", NULL, 1.0);
	assert_non_null(strstr(find(&c, "TeamViewer", "/var/lib/dpkg/status")->remedy, "apt-get purge teamviewer"));
	expect(&c, "TeamViewer", "/opt/teamviewer", "folder /opt/teamviewer present", NULL, 1.0);
	expect(&c, "TeamViewer", "/lib/systemd/system/teamviewerd.service", "unit teamviewerd.service present", NULL,
	       1.0);
	expect(&c, "TeamViewer", "/etc/systemd/system/multi-user.target.wants/teamviewerd.service",
	       "unit teamviewerd.service enabled", NULL, 1.0);
	assert_non_null(strstr(
	        find(&c, "TeamViewer", "/etc/systemd/system/multi-user.target.wants/teamviewerd.service")->remedy,
	        "systemctl disable --now teamviewerd.service"));
	expect(&c, "TigerVNC/TightVNC", "/etc/systemd/system/multi-user.target.wants/vncserver@:1.service",
	       "unit vncserver@:1.service enabled", NULL, 1.0);
	expect(&c, "AnyDesk", "/etc/xdg/autostart/anydesk.desktop", "autostart entry runs it", NULL, 1.0);
	expect(&c, "TeamViewer", "/home/kiosk/.config/autostart/support.desktop", "autostart entry runs it", "kiosk",
	       1.0);
	expect(&c, "RustDesk", "/home/kiosk/Downloads/RustDesk-1.2.AppImage", "AppImage in the home", "kiosk", 1.0);
	expect(&c, "AnyDesk", "/home/kiosk/Downloads/tools/anydesk", "program in the home", "kiosk", 1.0);
	expect(&c, "AnyDesk", "/home/kiosk/" VI_DESKTOP "/AnyDesk_6.3.tar.gz", "tarball in the home", "kiosk", 1.0);
	expect(&c, "UltraViewer", "/home/kiosk/.wine/drive_c/Program Files/UltraViewer", "UltraViewer in a Wine prefix",
	       "kiosk", 1.0);
	expect(&c, "TeamViewer",
	       "/home/kiosk/.local/share/bottles/bottles/office/drive_c/Program Files (x86)/TeamViewer",
	       "TeamViewer in a Wine prefix", "kiosk", 1.0);
	/* "hoptodesk" holds "todesk": the first tool of the table wins. */
	expect(&c, "HopToDesk", "/tmp/hoptodesk_1.0.AppImage", "AppImage in /tmp", NULL, 1.0);
	expect(&c, "OpenSSH server", "/etc/systemd/system/multi-user.target.wants/ssh.service",
	       "sshd installed and unit ssh.service enabled", NULL, 0.5);
	assert_non_null(
	        strstr(find(&c, "OpenSSH server", "/etc/systemd/system/multi-user.target.wants/ssh.service")->remedy,
	               "admin channel"));

	/* Nothing else: in particular none of the traps. */
	assert_int_equal(c.n, 14);
	assert_null(find(&c, "AnyDesk", "/var/lib/dpkg/status"));      /* config-files only */
	assert_null(find(&c, "RustDesk", "/var/lib/dpkg/status"));     /* not-installed */
	assert_null(find(&c, "x11vnc", "/var/lib/dpkg/status"));       /* quoted in a description */
	assert_false(any_path(&c, "/home/kiosk/teamviewer.AppImage")); /* a link: neither followed nor reported */
	assert_false(any_path(&c, "/home/kiosk/anydesk.AppImage"));    /* a FIFO: never opened */
	assert_false(any_path(&c, "/home/kiosk/Applications/hoptodesk_1.0.AppImage")); /* behind a link */
	assert_false(any_path(&c, "/home/kiosk/teamviewer"));                          /* a folder */
	assert_false(any_path(&c, "/home/kiosk/Desktop/anydesk-notes.txt"));           /* no program */
	assert_false(any_path(&c, "/home/kiosk/Downloads/tools/rustdesk-readme"));
	assert_false(any_path(&c, "/home/kiosk/.config/autostart/rustdesk.desktop")); /* Hidden=true */
	assert_false(any_path(&c, "/etc/xdg/autostart/files.desktop"));               /* an action's Exec= */
	for (size_t i = 0; i < c.n; i++) {
		assert_null(strstr(c.r[i].path, "/proc/"));
		if (c.r[i].user)
			assert_string_equal(c.r[i].user, "kiosk"); /* kiosk2 shares the home: reported once */
	}
	results_free(&c);
}

static void test_processes(void **state)
{
	struct results c;

	(void)state;
	build_dirty();
	run(true, &c);
	check_common(&c);

	/* One process per tool: pid 124 runs teamviewerd too. */
	assert_int_equal(c.n, 16);
	assert_non_null(find(&c, "TeamViewer", "/proc/123"));
	assert_string_equal(find(&c, "TeamViewer", "/proc/123")->evidence, "process teamviewerd running (pid 123)");
	assert_false(any_path(&c, "/proc/124"));
	/* Wine runs UltraViewer under its own name; the command line tells. */
	assert_non_null(find(&c, "UltraViewer", "/proc/200"));
	assert_string_equal(find(&c, "UltraViewer", "/proc/200")->evidence, "process wine-preloader running (pid 200)");
	assert_false(any_path(&c, "/proc/300"));
	results_free(&c);
}

static void test_clean_root(void **state)
{
	struct results c;

	(void)state;
	put("etc/passwd", passwd);
	put("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\n\n"
	                           "Package: openssh-client\nStatus: install ok installed\n\n"
	                           "Package: libreoffice-writer\nStatus: install ok installed\n");
	put("lib/systemd/system/cron.service", "[Service]\n");
	put_link("etc/systemd/system/multi-user.target.wants/cron.service", "/lib/systemd/system/cron.service");
	put("etc/xdg/autostart/org.gnome.Evolution-alarm-notify.desktop",
	    "[Desktop Entry]\nExec=/usr/libexec/evolution-data-server/evolution-alarm-notify\n");
	put("usr/sbin/sshd", "installed but not enabled");
	put("lib/systemd/system/ssh.service", "[Service]\n");
	put("home/kiosk/.config/autostart/notes.desktop", "[Desktop Entry]\nExec=gnote\n");
	put("home/kiosk/Downloads/to-khai.pdf", "%PDF-1.7");
	put_bytes("home/kiosk/.local/bin/helper", elf, sizeof(elf));
	make_dirs("home/kiosk/.wine/drive_c/Program Files/Common Files");
	make_dirs("tmp/.X11-unix");
	put("proc/1/comm", "systemd\n");

	run(true, &c);
	assert_int_equal(c.n, 0);
	results_free(&c);

	/* An empty root, and one that does not exist, are passed over. */
	run(true, &c);
	assert_int_equal(c.n, 0);
	snprintf(root + strlen(root), sizeof(root) - strlen(root), "/missing");
	run(true, &c);
	assert_int_equal(c.n, 0);
	root[strlen(root) - strlen("/missing")] = '\0';
}

/* Merged /usr: /lib is a link, not followed (here it points out of the tree,
 * as an absolute link would in a copied root); units are read in /usr/lib. */
static void test_merged_usr(void **state)
{
	struct results c;

	(void)state;
	put("var/lib/dpkg/status", "Package: tigervnc-standalone-server\nStatus: hold ok installed\n\n"
	                           "Package: tightvncserver\nStatus: install ok unpacked\n\n"
	                           "Package: xrdp\nStatus: install ok half-installed\n");
	put("usr/lib/systemd/system/teamviewerd.service", "[Service]\n");
	put_link("lib", "/usr/lib");
	/* Masked: cannot run, not a unit present. */
	put_link("etc/systemd/system/anydesk.service", "/dev/null");
	put_link("opt/screenconnect-1a2b3c4d", "/nonexistent");
	put("etc/systemd/user/default.target.wants/gnome-remote-desktop.service", "");
	put("etc/passwd", "clerk:x:1005:1005::/home/clerk:/bin/bash\n");
	put_link("home/clerk/.config/systemd/user/graphical-session.target.wants/gnome-remote-desktop.service",
	         "/usr/lib/systemd/user/gnome-remote-desktop.service");

	run(false, &c);
	check_common(&c);
	expect(&c, "TeamViewer", "/usr/lib/systemd/system/teamviewerd.service", "unit teamviewerd.service present",
	       NULL, 1.0);
	expect(&c, "TigerVNC/TightVNC", "/var/lib/dpkg/status",
	       "packages tigervnc-standalone-server, tightvncserver installed", NULL, 1.0);
	assert_non_null(strstr(find(&c, "TigerVNC/TightVNC", "/var/lib/dpkg/status")->remedy,
	                       "apt-get purge tigervnc-standalone-server tightvncserver"));
	expect(&c, "xrdp", "/var/lib/dpkg/status", "package xrdp installed", NULL, 1.0);
	/* A link is present (not followed), whatever it points to. */
	expect(&c, "ScreenConnect", "/opt/screenconnect-1a2b3c4d", "file /opt/screenconnect-1a2b3c4d present", NULL,
	       1.0);
	expect(&c, "GNOME Remote Desktop", "/etc/systemd/user/default.target.wants/gnome-remote-desktop.service",
	       "unit gnome-remote-desktop.service enabled", NULL, 1.0);
	assert_non_null(strstr(
	        find(&c, "GNOME Remote Desktop", "/etc/systemd/user/default.target.wants/gnome-remote-desktop.service")
	                ->remedy,
	        "systemctl --global disable"));
	expect(&c, "GNOME Remote Desktop",
	       "/home/clerk/.config/systemd/user/graphical-session.target.wants/gnome-remote-desktop.service",
	       "unit gnome-remote-desktop.service enabled", "clerk", 1.0);
	assert_non_null(strstr(find(&c, "GNOME Remote Desktop",
	                            "/home/clerk/.config/systemd/user/graphical-session.target.wants/"
	                            "gnome-remote-desktop.service")
	                               ->remedy,
	                       "systemctl --user disable --now gnome-remote-desktop.service"));
	assert_int_equal(c.n, 6);
	assert_false(any_path(&c, "/lib/systemd/system/teamviewerd.service"));
	assert_false(any_path(&c, "/etc/systemd/system/anydesk.service"));
	results_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_dirty_root, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_processes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_clean_root, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_merged_usr, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
