/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the wipe engine (agent/wipe.c, wipe_targets.c) and of the
 * [wipe] configuration: wipe_tree() on trees with links to canaries, hard
 * links, FIFOs, sockets, device nodes, a bind mount, an immutable file, a
 * tree 10,000 levels deep, and a racing process that swaps folders and files
 * for links to a canary folder of the same owner while the walk runs (so
 * only the engine's own checks protect it, not permissions). Canaries are
 * compared byte for byte after each case. Tests that need root (chown,
 * mknod, mount, chattr) are skipped with a message otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "error.h"
#include "wipe.h"

void wipe_test_without_openat2(bool off);

#define OWNER 4242u /* the tree's owner when we are root: no account needed */

static char base[64];
static char tree[512], canary_dir[512], canary_file[512];
static uid_t owner;

static bool is_root(void)
{
	return geteuid() == 0;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void own(const char *path)
{
	if (is_root())
		assert_int_equal(lchown(path, owner, owner), 0);
}

static const char canary_text[] = "canary: must survive every wipe\n";

/* The canaries: a folder of the tree's owner outside the tree, with a file. */
static void make_canaries(void)
{
	assert_int_equal(mkdir(canary_dir, 0755), 0);
	put(canary_file, canary_text);
	own(canary_dir);
	own(canary_file);
}

static void check_canaries(void)
{
	char buf[256] = "";
	FILE *f = fopen(canary_file, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, canary_text);
	struct stat st;
	assert_int_equal(lstat(canary_dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

/* Trees on the disk (/tmp), where overwriting means something, or in
 * memory (/dev/shm) for the large ones: this disk is slow at metadata. */
static int setup_in(const char *dir)
{
	snprintf(base, sizeof(base), "%s/piiguard-test-wipe-XXXXXX", dir);
	if (!mkdtemp(base))
		return -1;
	chmod(base, 0755);
	owner = is_root() ? OWNER : getuid();
	snprintf(tree, sizeof(tree), "%s/tree", base);
	snprintf(canary_dir, sizeof(canary_dir), "%s/canary", base);
	snprintf(canary_file, sizeof(canary_file), "%s/canary/etc-passwd", base);
	if (mkdir(tree, 0700) < 0)
		return -1;
	if (is_root() && chown(tree, owner, owner) < 0)
		return -1;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_in("/tmp");
}

static int setup_memory(void **state)
{
	struct stat st;
	(void)state;
	return setup_in(stat("/dev/shm", &st) == 0 && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
}

static int teardown(void **state)
{
	char cmd[600];
	(void)state;
	snprintf(cmd, sizeof(cmd), "chattr -R -i '%s' 2>/dev/null; rm -rf '%s'", base, base);
	int rc = system(cmd);
	return rc == 0 ? 0 : -1;
}

static int tree_fd(void)
{
	int fd = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static int entries_left(void)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "find '%s' -mindepth 1 | wc -l", tree);
	FILE *p = popen(cmd, "r");
	int n = -1;
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void sub(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", tree, rel);
}

/* A file of the tree's owner at rel. */
static void plant(const char *rel, const char *text)
{
	char p[700];
	sub(p, sizeof(p), rel);
	put(p, text);
	own(p);
}

/* Files, folders, a link to the canary folder and one to its file, a hard
 * link to the canary file, a FIFO, a socket, and (root) a device node. */
static void make_hostile_tree(void)
{
	char p[700], q[700];
	static const char *const dirs[] = {"Downloads", "Downloads/sub", ".config", ".config/google-chrome",
	                                   ".config/google-chrome/Default"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		sub(p, sizeof(p), dirs[i]);
		assert_int_equal(mkdir(p, 0700), 0);
		own(p);
	}
	plant("Downloads/cccd-scan.txt", "Số CCCD: 001099012345\n");
	plant(".config/google-chrome/Default/Login Data", "saved logins\n");
	sub(p, sizeof(p), "Downloads/to-canary-dir");
	assert_int_equal(symlink(canary_dir, p), 0);
	sub(p, sizeof(p), "Downloads/sub/to-canary-file");
	assert_int_equal(symlink(canary_file, p), 0);
	sub(p, sizeof(p), "Downloads/hard-link");
	assert_int_equal(link(canary_file, p), 0);
	sub(p, sizeof(p), "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	own(p);
	sub(p, sizeof(p), "sock");
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	assert_true(strlen(p) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, p, strlen(p) + 1);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(s);
	own(p);
	if (is_root()) {
		sub(p, sizeof(p), "null-device");
		assert_int_equal(mknod(p, S_IFCHR | 0666, makedev(1, 3)), 0);
		/* A device node that is the disk itself would be worse: never opened. */
		sub(q, sizeof(q), "Downloads/sub/hd");
		assert_int_equal(mknod(q, S_IFBLK | 0600, makedev(7, 0)), 0);
	}
}

static void run_hostile(enum wipe_media media)
{
	struct wipe_stats st = {0};
	struct wipe_walk w = {.uid = owner, .media = media, .categorize = wipe_targets_category, .relpath = ""};

	make_canaries();
	make_hostile_tree();
	int fd = tree_fd();
	assert_int_equal(wipe_tree(fd, &w, &st), 0);
	close(fd);
	assert_int_equal(entries_left(), 0);
	check_canaries();
	struct wipe_counts t = wipe_stats_total(&st);
	assert_int_equal(t.files, 3); /* two files and the hard link */
	assert_int_equal(t.links, 2);
	assert_int_equal(t.special, is_root() ? 4 : 2);
	assert_int_equal(t.dirs, 5);
	assert_int_equal(st.cat[WIPE_CAT_BROWSER].files, 1);
	assert_int_equal(st.cat[WIPE_CAT_USER_FILES].files, 2);
	if (media == WIPE_MEDIA_OVERWRITE) {
		assert_int_equal(st.overwritten, 2);
		assert_int_equal(st.not_overwritten, 1); /* the hard link */
	} else {
		assert_int_equal(st.overwritten, 0);
	}
	assert_int_equal(st.errors + st.mounts + st.foreign + st.immutable, 0);
}

static void test_hostile_unlink(void **state)
{
	(void)state;
	run_hostile(WIPE_MEDIA_UNLINK);
}

static void test_hostile_overwrite(void **state)
{
	(void)state;
	run_hostile(WIPE_MEDIA_OVERWRITE);
}

static void test_hostile_without_openat2(void **state)
{
	(void)state;
	wipe_test_without_openat2(true);
	run_hostile(WIPE_MEDIA_OVERWRITE);
	wipe_test_without_openat2(false);
}

static void test_dry_run_changes_nothing(void **state)
{
	struct wipe_stats st = {0};
	struct wipe_walk w = {.uid = owner, .dry_run = true, .categorize = wipe_targets_category, .relpath = ""};
	(void)state;

	make_canaries();
	make_hostile_tree();
	int before = entries_left(), fd = tree_fd();
	assert_int_equal(wipe_tree(fd, &w, &st), 0);
	close(fd);
	assert_int_equal(entries_left(), before);
	struct wipe_counts t = wipe_stats_total(&st);
	assert_int_equal(t.files, 3);
	assert_int_equal(t.dirs, 5);
	assert_true(st.cat[WIPE_CAT_USER_FILES].bytes > 0);
	check_canaries();
}

/* A chain of n folders, made from descriptors (its path is far too long). */
static void make_deep(int n)
{
	int fd = tree_fd();
	for (int i = 0; i < n; i++) {
		assert_int_equal(mkdirat(fd, "d", 0700), 0);
		int next = openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		assert_true(next >= 0);
		if (is_root())
			assert_int_equal(fchown(next, owner, owner), 0);
		if (i % 1000 == 0) {
			int f = openat(next, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
			assert_true(f >= 0);
			assert_int_equal(write(f, "x", 1), 1);
			if (is_root())
				assert_int_equal(fchown(f, owner, owner), 0);
			close(f);
		}
		close(fd);
		fd = next;
	}
	close(fd);
}

static void test_deep_tree(void **state)
{
	struct wipe_stats st = {0};
	struct wipe_walk w = {.uid = owner, .media = WIPE_MEDIA_UNLINK};
	(void)state;

	make_deep(10000);
	struct wipe_stats dry = {0};
	struct wipe_walk wd = {.uid = owner, .dry_run = true};
	int fd = tree_fd();
	assert_int_equal(wipe_tree(fd, &wd, &dry), ERR_IO); /* too deep to count whole */
	assert_true(dry.too_deep == 1);
	assert_true(wipe_stats_total(&dry).dirs >= 200);
	assert_int_equal(wipe_tree(fd, &w, &st), 0);
	close(fd);
	assert_int_equal(entries_left(), 0);
	assert_int_equal(wipe_stats_total(&st).dirs, 10000);
	assert_int_equal(wipe_stats_total(&st).files, 10);
	assert_true(st.flattened > 0);
}

static void test_bind_mount_not_crossed(void **state)
{
	char mnt[700];
	struct wipe_stats st = {0};
	struct wipe_walk w = {.uid = owner, .media = WIPE_MEDIA_OVERWRITE};
	(void)state;

	if (!is_root())
		skip();
	make_canaries();
	sub(mnt, sizeof(mnt), "usb");
	assert_int_equal(mkdir(mnt, 0700), 0);
	own(mnt);
	if (mount(canary_dir, mnt, NULL, MS_BIND, NULL) < 0) {
		print_message("bind mounts are not allowed here (%s): skipped\n", strerror(errno));
		skip();
	}
	int fd = tree_fd();
	int rc = wipe_tree(fd, &w, &st);
	close(fd);
	assert_int_equal(umount(mnt), 0);
	assert_int_equal(rc, ERR_IO);
	assert_int_equal(st.mounts, 1);
	check_canaries();
	assert_int_equal(wipe_mounts_below(tree), 0);
}

static void test_immutable_reported(void **state)
{
	char p[700];
	struct wipe_stats st = {0};
	struct wipe_walk w = {.uid = owner, .media = WIPE_MEDIA_OVERWRITE};
	int flags = FS_IMMUTABLE_FL;
	(void)state;

	if (!is_root())
		skip();
	plant("locked", "immutable\n");
	plant("other", "goes\n");
	sub(p, sizeof(p), "locked");
	int f = open(p, O_RDONLY | O_CLOEXEC);
	assert_true(f >= 0);
	if (ioctl(f, FS_IOC_SETFLAGS, &flags) < 0) {
		close(f);
		print_message("chattr +i is not supported here: skipped\n");
		skip();
	}
	int fd = tree_fd();
	assert_int_equal(wipe_tree(fd, &w, &st), ERR_IO);
	close(fd);
	flags = 0;
	assert_int_equal(ioctl(f, FS_IOC_SETFLAGS, &flags), 0);
	close(f);
	assert_int_equal(st.immutable, 1);
	assert_int_equal(entries_left(), 1);
	assert_int_equal(wipe_stats_total(&st).files, 1);
}

/* A process that keeps swapping each folder dN and file fN of the tree for
 * a link to the canary folder or file, and back. */
static void racer(int n, int ready)
{
	char a[700], b[700];
	for (;;) {
		if (ready >= 0) {
			close(ready);
			ready = -1;
		}
		for (int i = 0; i < n; i++) {
			snprintf(a, sizeof(a), "%s/d%d", tree, i);
			snprintf(b, sizeof(b), "%s/x%d", tree, i);
			if (rename(a, b) == 0) {
				if (symlink(canary_dir, a) == 0)
					unlink(a);
				rename(b, a);
			}
			snprintf(a, sizeof(a), "%s/d%d/f", tree, i);
			snprintf(b, sizeof(b), "%s/d%d/g", tree, i);
			if (rename(a, b) == 0) {
				if (symlink(canary_file, a) == 0)
					unlink(a);
				rename(b, a);
			}
		}
	}
}

static void test_race_swaps(void **state)
{
	const int rounds = getenv("PIIGUARD_STRESS") ? 200 : 40, n = 100;
	char p[700];
	(void)state;

	uint64_t changed = 0, links = 0;

	make_canaries();
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < n; i++) {
			snprintf(p, sizeof(p), "%s/d%d", tree, i);
			assert_int_equal(mkdir(p, 0700), 0);
			own(p);
			for (int j = 0; j < 3; j++) {
				snprintf(p, sizeof(p), "%s/d%d/%s", tree, i, j == 0 ? "f" : j == 1 ? "f2" : "f3");
				put(p, "citizen data\n");
				own(p);
			}
		}
		int ready[2];
		char c;
		assert_int_equal(pipe(ready), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(ready[0]);
			racer(n, ready[1]);
			_exit(0);
		}
		close(ready[1]);
		assert_int_equal(read(ready[0], &c, 1), 0); /* the racer is running */
		close(ready[0]);
		struct wipe_stats st = {0};
		struct wipe_walk w = {.uid = owner, .media = r % 2 ? WIPE_MEDIA_OVERWRITE : WIPE_MEDIA_UNLINK};
		int fd = tree_fd();
		wipe_tree(fd, &w, &st);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		/* What the racer left (a link, a renamed folder) goes in a quiet pass. */
		wipe_tree(fd, &w, &st);
		close(fd);
		check_canaries();
		assert_int_equal(entries_left(), 0);
		changed += st.changed;
		links += wipe_stats_total(&st).links;
	}
	print_message("%d rounds: %llu entries changed under the walk, %llu racing links removed as links\n", rounds,
	              (unsigned long long)changed, (unsigned long long)links);
}

/* In the child: the account's ids, and no way to root's file. */
static int child_checks(void *ctx, struct wipe_stats *st)
{
	const char *root_only = ctx;
	int fd = open(root_only, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return ERR_INVAL;
	}
	if (geteuid() != OWNER || getegid() != OWNER || getuid() != OWNER)
		return ERR_INVAL;
	st->errors = 7; /* the parent must get the child's counts */
	return 0;
}

static void test_as_user(void **state)
{
	struct wipe_stats st = {0};
	char p[700];
	(void)state;

	if (!is_root())
		skip();
	snprintf(p, sizeof(p), "%s/root-only", base);
	put(p, "secret\n");
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(wipe_as_user(OWNER, OWNER, child_checks, p, &st), 0);
	assert_int_equal(st.errors, 7);
	assert_int_equal(wipe_as_user(0, 0, child_checks, p, &st), ERR_IO);
}

static void test_open_beneath(void **state)
{
	char p[700];
	(void)state;

	make_canaries();
	sub(p, sizeof(p), "link");
	assert_int_equal(symlink(canary_dir, p), 0);
	sub(p, sizeof(p), "dir");
	assert_int_equal(mkdir(p, 0700), 0);
	int fd = tree_fd();
	for (int pass = 0; pass < 2; pass++) {
		wipe_test_without_openat2(pass == 1);
		errno = 0;
		assert_int_equal(wipe_open_beneath(fd, "link/etc-passwd", O_RDONLY), -1);
		assert_int_equal(errno, ELOOP);
		assert_int_equal(wipe_open_beneath(fd, "link", O_RDONLY | O_DIRECTORY), -1);
		assert_int_equal(wipe_open_beneath(fd, "dir/../link", O_RDONLY), -1);
		assert_int_equal(wipe_open_beneath(fd, "/etc", O_RDONLY), -1);
		int d = wipe_open_beneath(fd, "dir", O_RDONLY | O_DIRECTORY);
		assert_true(d >= 0);
		close(d);
	}
	wipe_test_without_openat2(false);
	close(fd);
}

static void test_categories(void **state)
{
	bool final;
	struct wipe_xdg xdg;
	(void)state;

	assert_int_equal(wipe_targets_category(".config/google-chrome", &final, NULL), WIPE_CAT_BROWSER);
	assert_int_equal(wipe_targets_category(".config/coccoc-browser", &final, NULL), WIPE_CAT_BROWSER);
	assert_int_equal(wipe_targets_category(".config", &final, NULL), WIPE_CAT_OTHER);
	assert_false(final);
	assert_int_equal(wipe_targets_category("Downloads", &final, NULL), WIPE_CAT_USER_FILES);
	assert_false(final); /* Telegram's folder is below */
	assert_int_equal(wipe_targets_category("Downloads/Telegram Desktop", &final, NULL), WIPE_CAT_MESSAGING);
	assert_int_equal(wipe_targets_category("Downloads/other", &final, NULL), WIPE_CAT_OTHER);
	assert_true(final);
	assert_int_equal(wipe_targets_category("bench", &final, NULL), WIPE_CAT_OTHER);
	assert_true(final);
	assert_int_equal(wipe_targets_category(".cache", &final, NULL), WIPE_CAT_CACHE);
	assert_false(final);
	assert_int_equal(wipe_targets_category(".cache/thumbnails", &final, NULL), WIPE_CAT_THUMBNAILS);
	assert_int_equal(wipe_targets_category(".local/share/recently-used.xbel", &final, NULL), WIPE_CAT_RECENT);
	assert_int_equal(wipe_targets_category(".ViberPC", &final, NULL), WIPE_CAT_MESSAGING);

	/* Localised user dirs, and values that would leave the home refused. */
	char p[700];
	sub(p, sizeof(p), ".config");
	assert_int_equal(mkdir(p, 0700), 0);
	sub(p, sizeof(p), ".config/user-dirs.dirs");
	put(p, "# written by xdg-user-dirs-update\n"
	       "XDG_DOWNLOAD_DIR=\"$HOME/Tải xuống\"\n"
	       "XDG_DOCUMENTS_DIR=\"$HOME/../etc\"\n"
	       "XDG_DESKTOP_DIR=\"/etc\"\n"
	       "XDG_PICTURES_DIR=\"$HOME/\"\n"
	       "XDG_VIDEOS_DIR=\"$HOME/Video\"\n");
	own(p);
	int fd = tree_fd();
	wipe_targets_xdg(fd, owner, &xdg);
	close(fd);
	assert_string_equal(xdg.dir[WIPE_XDG_DOWNLOAD], "Tải xuống");
	assert_string_equal(xdg.dir[WIPE_XDG_DOCUMENTS], "Documents");
	assert_string_equal(xdg.dir[WIPE_XDG_DESKTOP], "Desktop");
	assert_string_equal(xdg.dir[WIPE_XDG_PICTURES], "Pictures");
	assert_string_equal(xdg.dir[WIPE_XDG_VIDEOS], "Video");
	assert_int_equal(wipe_targets_category("Tải xuống/Telegram Desktop", &final, &xdg), WIPE_CAT_MESSAGING);
	assert_int_equal(wipe_targets_category("Downloads", &final, &xdg), WIPE_CAT_OTHER);

	/* Hostile files: an unclosed quote, a value longer than a name, a NUL
	 * byte; the defaults stand, nothing is read past the NUL. */
	char longv[400];
	memset(longv, 'a', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	char text[1024];
	int n = snprintf(text, sizeof(text), "XDG_DOWNLOAD_DIR=\"$HOME/open\nXDG_DOCUMENTS_DIR=\"$HOME/%s\"\n", longv);
	text[n++] = '\0';
	n += snprintf(text + n, sizeof(text) - (size_t)n, "XDG_VIDEOS_DIR=\"$HOME/after-nul\"\n");
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	fd = tree_fd();
	wipe_targets_xdg(fd, owner, &xdg);
	close(fd);
	assert_string_equal(xdg.dir[WIPE_XDG_DOWNLOAD], "Downloads");
	assert_string_equal(xdg.dir[WIPE_XDG_DOCUMENTS], "Documents");
	assert_string_equal(xdg.dir[WIPE_XDG_VIDEOS], "Videos");
}

static void test_media(void **state)
{
	struct wipe_media_info mi;
	(void)state;

	int fd = open("/dev/shm", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		skip();
	wipe_media_detect(fd, true, &mi);
	close(fd);
	if (strcmp(mi.fs, "tmpfs") != 0)
		skip();
	assert_int_equal(mi.media, WIPE_MEDIA_UNLINK);
	assert_non_null(strstr(mi.why, "memory"));
	fd = tree_fd();
	wipe_media_detect(fd, false, &mi);
	close(fd);
	assert_int_equal(mi.media, WIPE_MEDIA_UNLINK); /* overwriting not allowed */
	assert_true(mi.why[0] != '\0');
}

/* One IPP attribute at b + at; returns the new end. */
static size_t ipp_attr(unsigned char *b, size_t at, unsigned tag, const char *name, const void *v, size_t vlen)
{
	size_t nlen = strlen(name);
	b[at++] = (unsigned char)tag;
	b[at++] = (unsigned char)(nlen >> 8);
	b[at++] = (unsigned char)nlen;
	memcpy(b + at, name, nlen);
	at += nlen;
	b[at++] = (unsigned char)(vlen >> 8);
	b[at++] = (unsigned char)vlen;
	memcpy(b + at, v, vlen);
	return at + vlen;
}

/* A control file as cupsd writes it; lang: the user as nameWithLanguage. */
static size_t ipp_job(unsigned char *b, const char *user, int state, bool lang)
{
	static const unsigned char head[] = {2, 0, 0, 5, 0, 0, 0, 1};
	unsigned char st[4] = {0, 0, 0, (unsigned char)state}, wl[64];
	size_t at = sizeof(head);

	memcpy(b, head, sizeof(head));
	b[at++] = 0x01;
	at = ipp_attr(b, at, 0x47, "attributes-charset", "utf-8", 5);
	b[at++] = 0x02;
	at = ipp_attr(b, at, 0x42, "job-name", "Tờ khai CCCD", strlen("Tờ khai CCCD"));
	if (lang) {
		size_t ul = strlen(user);
		memcpy(wl, "\0\2vi", 4);
		wl[4] = (unsigned char)(ul >> 8);
		wl[5] = (unsigned char)ul;
		memcpy(wl + 6, user, ul);
		at = ipp_attr(b, at, 0x36, "job-originating-user-name", wl, 6 + ul);
	} else {
		at = ipp_attr(b, at, 0x42, "job-originating-user-name", user, strlen(user));
	}
	at = ipp_attr(b, at, 0x23, "job-state", st, 4);
	b[at++] = 0x03;
	return at;
}

static void test_ipp_job(void **state)
{
	unsigned char b[512];
	char user[64];
	int st = 0;
	(void)state;

	size_t len = ipp_job(b, "kiosk", 9, false);
	assert_int_equal(wipe_ipp_job(b, len, user, sizeof(user), &st), 0);
	assert_string_equal(user, "kiosk");
	assert_int_equal(st, 9);
	len = ipp_job(b, "kiosk2", 3, true);
	assert_int_equal(wipe_ipp_job(b, len, user, sizeof(user), &st), 0);
	assert_string_equal(user, "kiosk2");
	assert_int_equal(st, 3);
	assert_int_equal(wipe_ipp_job(b, len, user, 4, &st), ERR_FORMAT); /* too long for the buffer */
	/* Every cut, in a buffer of exactly its size (so the sanitizers see an
	 * overread): never a crash, and no answer without both attributes. */
	size_t need = len - 1; /* all but the end tag still holds both */
	for (size_t cut = 0; cut < len; cut++) {
		unsigned char *c = malloc(cut ? cut : 1);
		assert_non_null(c);
		memcpy(c, b, cut);
		int rc = wipe_ipp_job(c, cut, user, sizeof(user), &st);
		free(c);
		if (cut < need)
			assert_int_equal(rc, ERR_FORMAT);
	}
	/* A length that runs past the end. */
	len = ipp_job(b, "kiosk", 9, false);
	b[len - 7] = 0xff; /* job-state's value length */
	assert_int_equal(wipe_ipp_job(b, len, user, sizeof(user), &st), ERR_FORMAT);
}

/* What wipe_account_run() refuses before touching anything. */
static void test_account_refusals(void **state)
{
	static const struct {
		uid_t uid;
		const char *home;
	} bad[] = {
	        {999, "/home/kiosk"}, {0, "/root"},           {1001, "/home"},
	        {1001, "/"},          {1001, "/home/../etc"}, {1001, "/home/./k"},
	        {1001, "home/kiosk"}, {1001, "/home//kiosk"}, {1001, "/home/kiosk/"},
	};
	struct wipe_plan p = {.dry_run = true};
	struct wipe_report r;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct wipe_account a = {.name = "kiosk", .uid = bad[i].uid, .gid = bad[i].uid, .home = bad[i].home};
		assert_int_equal(wipe_account_run(&a, &p, &r), ERR_INVAL);
		assert_non_null(r.refused);
	}
	/* A home whose parent others may write to (/tmp) is refused too. */
	struct wipe_account a = {.name = "kiosk", .uid = 4242, .gid = 4242, .home = "/tmp/piiguard-no-such-kiosk"};
	assert_true(wipe_account_run(&a, &p, &r) < 0);
	assert_non_null(r.refused);
	assert_non_null(strstr(r.refused, "others may write"));
}

static void test_config(void **state)
{
	struct config c;
	char p[700];
	(void)state;

	sub(p, sizeof(p), "wipe.conf");
	put(p, "[wipe]\nusers = kiosk, kiosk2\nusers = kiosk3\nstaff = admin\nmode = targets\n"
	       "skeleton = /srv/skel\nkeep = .config/monitors.xml\nwarn_minutes = 0\nmedia = unlink\n");
	assert_int_equal(config_load(p, &c, NULL, NULL), 0);
	assert_int_equal(c.wipe.n_users, 3);
	assert_string_equal(c.wipe.users[2], "kiosk3");
	assert_int_equal(c.wipe.n_staff, 1);
	assert_int_equal(c.wipe.mode, CONFIG_WIPE_TARGETS);
	assert_string_equal(c.wipe.skeleton, "/srv/skel");
	assert_int_equal(c.wipe.n_keep, 1);
	assert_int_equal(c.wipe.warn_minutes, 0);
	assert_int_equal(c.wipe.media, CONFIG_WIPE_MEDIA_UNLINK);
	assert_string_equal(c.wipe.spool, "/var/spool/cups");
	put(p, "[wipe]\nspool =\n");
	assert_int_equal(config_load(p, &c, NULL, NULL), 0);
	assert_string_equal(c.wipe.spool, "");
	put(p, "[wipe]\nusers = Kiosk\nkeep = ../etc/passwd\nkeep = /etc\nmode = all\nwarn_minutes = 500\n"
	       "media = shred\nskeleton = skel\nschedule = 17:30\n");
	assert_int_equal(config_load(p, &c, NULL, NULL), ERR_FORMAT);
	assert_int_equal(c.wipe.n_users, 0);
	assert_int_equal(c.wipe.n_keep, 0);
	assert_string_equal(c.wipe.skeleton, "/etc/skel");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_hostile_unlink, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_hostile_overwrite, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_hostile_without_openat2, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_dry_run_changes_nothing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_deep_tree, setup_memory, teardown),
	        cmocka_unit_test_setup_teardown(test_bind_mount_not_crossed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_immutable_reported, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_race_swaps, setup_memory, teardown),
	        cmocka_unit_test_setup_teardown(test_as_user, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_open_beneath, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_categories, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_media, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_account_refusals, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_ipp_job, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
