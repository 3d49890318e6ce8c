/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine-level advice of piiguard posture (see posture.h): swap that is
 * not encrypted (pages of scanned documents end up there) and a CUPS that
 * keeps the files of printed jobs. It reads system configuration (fstab,
 * crypttab, cupsd.conf), /proc and /sys only on the running machine, and
 * counts spooled print files by name without ever opening one.
 */
#include "posture.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "inifile.h"

#define SYSTEM_PATH_SIZE  4096
#define SYSTEM_CONF_MAX   (1u << 20) /* fstab, crypttab, cupsd.conf: a few KiB */
#define SYSTEM_PROC_MAX   (4u << 20) /* /proc/self/mounts with many containers */
#define SYSTEM_CRYPT_MAX  64         /* crypttab volumes remembered */
#define SYSTEM_NAME_SIZE  256
#define SYSTEM_DM_DEPTH   8 /* device-mapper stacks (LVM on LUKS) are two or three deep */
#define SYSTEM_SWAP_LABEL "Swap is not encrypted"
#define SYSTEM_SWAP_REMEDY                                                                                             \
	"Encrypt swap (cryptsetup with a random key in /etc/crypttab) or turn it off: pages of scanned documents "     \
	"can land there"

struct system_run {
	const struct posture_options *o;
	posture_emit_fn *emit;
	void *ctx;
	char crypt[SYSTEM_CRYPT_MAX][SYSTEM_NAME_SIZE]; /* names of the volumes of crypttab */
	size_t n_crypt;
};

/* Read a file below the root whole (a /proc file reports no size, so it is
 * read like any other: inifile_read would see 0 bytes). */
static int system_read(const struct posture_options *o, const char *path, size_t limit, char **ret, size_t *ret_len)
{
	char full[SYSTEM_PATH_SIZE];
	FILE *f = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc = ERR_IO;

	if (posture_path(o, path, full, sizeof(full)) < 0)
		return ERR_LIMIT;
	if (strncmp(path, "/proc/", 6) != 0)
		return inifile_read(AT_FDCWD, full, limit, ret, ret_len);
	f = fopen(full, "re");
	if (!f)
		return ERR_NOTFOUND;
	rc = ERR_NOMEM;
	data = malloc(limit + 1);
	if (!data)
		goto out;
	len = fread(data, 1, limit, f);
	rc = ferror(f) ? ERR_IO : !feof(f) ? ERR_LIMIT : 0;
	if (rc < 0)
		goto out;
	data[len] = '\0';
	*ret = data;
	*ret_len = len;
	data = NULL;
out:
	free(data);
	fclose(f);
	return rc;
}

/* The next whitespace-separated field of a line, with fstab's and
 * /proc/swaps' octal escapes (\040 for a space) decoded. */
static bool system_field(char **p, char *out, size_t size)
{
	size_t n = 0;
	char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return false;
	while (*s && *s != ' ' && *s != '\t') {
		char c = *s++;
		if (c == '\\' && s[0] >= '0' && s[0] <= '3' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' &&
		    s[2] <= '7') {
			c = (char)((s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0'));
			s += 3;
		}
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = '\0';
	*p = s;
	return true;
}

static void system_read_crypttab(struct system_run *run)
{
	char *data = NULL, *save = NULL;
	size_t len = 0;

	if (system_read(run->o, "/etc/crypttab", SYSTEM_CONF_MAX, &data, &len) < 0)
		return;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[SYSTEM_NAME_SIZE];
		if (system_field(&line, name, sizeof(name)) && name[0] != '#' && run->n_crypt < SYSTEM_CRYPT_MAX)
			memcpy(run->crypt[run->n_crypt++], name, sizeof(name));
	}
	free(data);
}

/* A device-mapper device (dm-N) of the running machine is a crypt target
 * or sits on one (an LVM volume on LUKS), from /sys/block. */
static bool system_dm_crypt(const struct posture_options *o, const char *dm, int depth)
{
	char rel[SYSTEM_PATH_SIZE], full[SYSTEM_PATH_SIZE], *uuid = NULL;
	size_t len = 0;
	bool crypt = false;

	if (depth > SYSTEM_DM_DEPTH || strncmp(dm, "dm-", 3) != 0 || strchr(dm, '/'))
		return false;
	/* sysfs files report a size of 4096 whatever they hold: read as files */
	snprintf(rel, sizeof(rel), "/sys/block/%s/dm/uuid", dm);
	if (posture_path(o, rel, full, sizeof(full)) == 0 && inifile_read(AT_FDCWD, full, 8192, &uuid, &len) == 0) {
		crypt = strncmp(uuid, "CRYPT-", 6) == 0;
		free(uuid);
	}
	snprintf(rel, sizeof(rel), "/sys/block/%s/slaves", dm);
	if (crypt || posture_path(o, rel, full, sizeof(full)) < 0)
		return crypt;
	DIR *d = opendir(full);
	if (!d)
		return false;
	for (struct dirent *e; !crypt && (e = readdir(d)) != NULL;)
		crypt = system_dm_crypt(o, e->d_name, depth + 1);
	closedir(d);
	return crypt;
}

/* The dm-N name of /dev/mapper/name on the running machine, into out. */
static bool system_dm_by_name(const struct posture_options *o, const char *name, char *out, size_t size)
{
	char path[SYSTEM_PATH_SIZE];
	bool found = false;

	if (posture_path(o, "/sys/block", path, sizeof(path)) < 0)
		return false;
	DIR *d = opendir(path);
	if (!d)
		return false;
	for (struct dirent *e; !found && (e = readdir(d)) != NULL;) {
		char rel[SYSTEM_PATH_SIZE], full[SYSTEM_PATH_SIZE], *data = NULL;
		size_t len = 0;
		if (strncmp(e->d_name, "dm-", 3) != 0)
			continue;
		snprintf(rel, sizeof(rel), "/sys/block/%s/dm/name", e->d_name);
		if (posture_path(o, rel, full, sizeof(full)) < 0 || inifile_read(AT_FDCWD, full, 8192, &data, &len) < 0)
			continue;
		data[strcspn(data, "\n")] = '\0';
		if (strcmp(data, name) == 0 && snprintf(out, size, "%s", e->d_name) < (int)size)
			found = true;
		free(data);
	}
	closedir(d);
	return found;
}

/* How a swap device stands: 1 encrypted (or in memory), 0 not, and for a
 * device-mapper volume that crypttab does not name, -1 when that could not
 * be told (a disk image, not the running machine). */
static int system_device_encrypted(const struct system_run *run, const char *dev)
{
	char dm[SYSTEM_NAME_SIZE];

	if (strncmp(dev, "/dev/zram", 9) == 0)
		return 1;
	if (strncmp(dev, "/dev/mapper/", 12) == 0) {
		for (size_t i = 0; i < run->n_crypt; i++)
			if (strcmp(dev + 12, run->crypt[i]) == 0)
				return 1;
		if (!run->o->processes)
			return -1;
		return system_dm_by_name(run->o, dev + 12, dm, sizeof(dm)) && system_dm_crypt(run->o, dm, 0);
	}
	if (strncmp(dev, "/dev/dm-", 8) == 0) {
		if (!run->o->processes)
			return -1;
		return system_dm_crypt(run->o, dev + 5, 0);
	}
	return 0;
}

/* fstab's ways to name a device, as a path on the machine. */
static void system_device_path(const char *spec, char *out, size_t size)
{
	static const struct {
		const char *tag, *dir;
	} tags[] = {{"UUID=", "by-uuid"},
	            {"LABEL=", "by-label"},
	            {"PARTUUID=", "by-partuuid"},
	            {"PARTLABEL=", "by-partlabel"}};

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t tlen = strlen(tags[i].tag);
		if (strncmp(spec, tags[i].tag, tlen) == 0) {
			snprintf(out, size, "/dev/disk/%s/%s", tags[i].dir, spec + tlen);
			return;
		}
	}
	snprintf(out, size, "%s", spec);
}

/* The device holding the file system of file, from the mount table (the
 * running machine's, or fstab's), into dev and its mount point into mnt. */
static bool system_mount_of(const struct system_run *run, const char *file, char *dev, char *mnt, size_t size)
{
	const char *table = run->o->processes ? "/proc/self/mounts" : "/etc/fstab";
	char *data = NULL, *save = NULL;
	size_t len = 0, best = 0;
	bool found = false;

	if (system_read(run->o, table, run->o->processes ? SYSTEM_PROC_MAX : SYSTEM_CONF_MAX, &data, &len) < 0)
		return false;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char spec[SYSTEM_PATH_SIZE], dir[SYSTEM_PATH_SIZE];
		if (!system_field(&line, spec, sizeof(spec)) || spec[0] == '#' ||
		    !system_field(&line, dir, sizeof(dir)) || dir[0] != '/')
			continue;
		size_t dlen = strlen(dir);
		bool under = strcmp(dir, "/") == 0 ||
		             (strncmp(file, dir, dlen) == 0 && (file[dlen] == '/' || file[dlen] == '\0'));
		if (under && dlen >= best) {
			best = dlen;
			system_device_path(spec, dev, size);
			snprintf(mnt, size, "%s", dir);
			found = true;
		}
	}
	free(data);
	return found;
}

static void system_emit_swap(const struct system_run *run, const char *what, const char *evidence)
{
	struct posture_result r = {
	        .rule = POSTURE_SWAP,
	        .label = SYSTEM_SWAP_LABEL,
	        .subject = what,
	        .path = what,
	        .evidence = evidence,
	        .remedy = SYSTEM_SWAP_REMEDY,
	        .user = NULL,
	        .confidence = 0.5,
	};
	run->emit(&r, run->ctx);
}

/* One swap area: a device (or fstab's UUID= and such) or a file. */
static void system_swap_one(const struct system_run *run, const char *spec, bool is_file, const char *source)
{
	char what[SYSTEM_PATH_SIZE], evidence[3 * SYSTEM_PATH_SIZE], dev[SYSTEM_PATH_SIZE], mnt[SYSTEM_PATH_SIZE];
	int enc;

	system_device_path(spec, what, sizeof(what));
	if (!is_file) {
		enc = system_device_encrypted(run, what);
		if (enc == 1)
			return;
		if (enc < 0)
			snprintf(
			        evidence, sizeof(evidence),
			        "swap on a device-mapper volume (%s) that /etc/crypttab does not name: it is encrypted "
			        "only if it sits on an encrypted volume (LVM on LUKS), which was not checked",
			        source);
		else
			snprintf(evidence, sizeof(evidence), "swap on a device that is not an encrypted volume (%s)",
			         source);
		system_emit_swap(run, what, evidence);
		return;
	}
	if (!system_mount_of(run, what, dev, mnt, sizeof(dev))) {
		snprintf(evidence, sizeof(evidence), "swap file (%s) on a file system of unknown device", source);
		system_emit_swap(run, what, evidence);
		return;
	}
	enc = system_device_encrypted(run, dev);
	if (enc == 1)
		return;
	snprintf(evidence, sizeof(evidence), "swap file (%s) on the file system of %s (mounted on %s), %s", source, dev,
	         mnt,
	         enc < 0 ? "a device-mapper volume not known to be encrypted" : "which is not an encrypted volume");
	system_emit_swap(run, what, evidence);
}

static void system_swap(struct system_run *run)
{
	char *data = NULL, *save = NULL;
	size_t len = 0;
	bool proc = false;

	system_read_crypttab(run);
	if (run->o->processes && system_read(run->o, "/proc/swaps", SYSTEM_PROC_MAX, &data, &len) == 0)
		proc = true;
	else if (system_read(run->o, "/etc/fstab", SYSTEM_CONF_MAX, &data, &len) < 0)
		return;
	bool first = true;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char spec[SYSTEM_PATH_SIZE], f2[SYSTEM_PATH_SIZE], f3[SYSTEM_PATH_SIZE];
		bool header = first;
		first = false;
		if (!system_field(&line, spec, sizeof(spec)) || spec[0] == '#' || !system_field(&line, f2, sizeof(f2)))
			continue;
		if (proc) {
			/* Filename Type Size Used Priority */
			if (!header)
				system_swap_one(run, spec, strcmp(f2, "file") == 0, "active in /proc/swaps");
		} else if (system_field(&line, f3, sizeof(f3)) && strcmp(f3, "swap") == 0) {
			/* spec file vfstype options */
			bool is_file = spec[0] == '/' && strncmp(spec, "/dev/", 5) != 0;
			system_swap_one(run, spec, is_file, "in /etc/fstab");
		}
	}
	free(data);
}

/* --- CUPS ----------------------------------------------------------------------- */

/* Spooled document files (d<job>-<doc>) in /var/spool/cups, counted by name
 * and type, never opened; -1 when the folder cannot be read. */
static long system_spool_files(const struct posture_options *o)
{
	char path[SYSTEM_PATH_SIZE];
	struct stat st;
	long n = 0;

	if (posture_path(o, "/var/spool/cups", path, sizeof(path)) < 0)
		return -1;
	DIR *d = opendir(path);
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (e->d_name[0] == 'd' && isdigit((unsigned char)e->d_name[1]) &&
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			n++;
	closedir(d);
	return n;
}

static void system_cups(const struct system_run *run)
{
	char *data = NULL, *save = NULL, setting[64] = "", evidence[256];
	size_t len = 0;
	bool keeps = true;

	if (system_read(run->o, "/etc/cups/cupsd.conf", SYSTEM_CONF_MAX, &data, &len) < 0)
		return;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[64], value[64];
		if (!system_field(&line, key, sizeof(key)) || strcasecmp(key, "PreserveJobFiles") != 0 ||
		    !system_field(&line, value, sizeof(value)))
			continue;
		/* The last one counts; Yes, On, True and a number of seconds keep. */
		keeps = strcasecmp(value, "No") != 0 && strcasecmp(value, "Off") != 0 &&
		        strcasecmp(value, "False") != 0;
		snprintf(setting, sizeof(setting), "%s", value);
	}
	free(data);

	long files = system_spool_files(run->o);
	if (!keeps && files <= 0)
		return;
	char spool[96];
	if (files < 0)
		snprintf(spool, sizeof(spool), "/var/spool/cups could not be read");
	else
		snprintf(spool, sizeof(spool), "/var/spool/cups holds %ld document file%s", files,
		         files == 1 ? "" : "s");
	if (!setting[0])
		snprintf(evidence, sizeof(evidence),
		         "PreserveJobFiles not set (CUPS keeps job files for a day by default); %s", spool);
	else
		snprintf(evidence, sizeof(evidence), "PreserveJobFiles %s%s %s", setting, keeps ? ";" : ", but", spool);
	struct posture_result r = {
	        .rule = POSTURE_PRINT_JOBS,
	        .label = "Print job files kept",
	        .subject = "CUPS keeps print job files",
	        .path = "/etc/cups/cupsd.conf",
	        .evidence = evidence,
	        .remedy =
	                "Set PreserveJobFiles No (and PreserveJobHistory No) in cupsd.conf: printed applications stay "
	                "in /var/spool/cups otherwise",
	        .user = NULL,
	        .confidence = 0.5,
	};
	run->emit(&r, run->ctx);
}

void posture_system(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	struct system_run *run = calloc(1, sizeof(*run));

	if (!run)
		return;
	run->o = o;
	run->emit = emit;
	run->ctx = ctx;
	system_swap(run);
	system_cups(run);
	free(run);
}
