/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Desktop notifications to the kiosk user (see notify.h). Called by the agent
 * after it recorded a file's findings. Everything the child needs is built
 * before fork(); the child only changes its user and executes, and a second
 * fork leaves the notifier to init so the agent never waits for it.
 */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "text.h"

#define NOTIFY_COMMAND "/usr/bin/notify-send"
#define NOTIFY_USERS   16

static struct {
	uid_t uid;
	int64_t at;
} recent[NOTIFY_USERS];

void notify_body(const char *path, char *out, size_t size)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char hidden[1024], esc[2048];
	size_t n = 0;

	for (size_t i = 0; name[i] && n + 1 < sizeof(hidden);) {
		size_t run = strspn(name + i, "0123456789");
		if (run >= 9) {
			for (size_t k = 0; k < run && n + 1 < sizeof(hidden); k++)
				hidden[n++] = '*';
			i += run;
		} else if (run > 0) {
			for (size_t k = 0; k < run && n + 1 < sizeof(hidden); k++)
				hidden[n++] = name[i + k];
			i += run;
		} else {
			hidden[n++] = name[i++];
		}
	}
	hidden[n] = '\0';
	text_escape(hidden, n, esc, sizeof(esc));
	snprintf(out, size,
	         "Tệp \"%s\" có chứa số định danh công dân (CCCD/CMND) và sẽ bị xóa vào cuối ngày làm việc.\n"
	         "The file \"%s\" holds citizen ID numbers and will be removed at the end of the day.",
	         esc, esc);
}

/* Whether the pause since the user's last notification has passed; notes now. */
static int due(uid_t uid, int64_t now)
{
	size_t oldest = 0;

	for (size_t i = 0; i < NOTIFY_USERS; i++) {
		if (recent[i].at && recent[i].uid == uid) {
			if (now - recent[i].at < NOTIFY_PAUSE_S)
				return 0;
			recent[i].at = now;
			return 1;
		}
		if (recent[i].at < recent[oldest].at)
			oldest = i;
	}
	recent[oldest].uid = uid;
	recent[oldest].at = now;
	return 1;
}

int notify_user(uid_t uid, const char *path, int64_t now)
{
	const char *test = secure_getenv("PIIGUARD_NOTIFY_COMMAND"), *hooks = secure_getenv("PIIGUARD_TEST_HOOKS");
	bool testing = hooks && strcmp(hooks, "1") == 0 && test && test[0] == '/';
	const char *command = testing ? test : NOTIFY_COMMAND;
	char bus[64], bus_env[128], body[4600], home_env[4200] = "HOME=/", user_env[300] = "USER=nobody";
	struct stat st;
	const struct passwd *pw;
	gid_t gid = (gid_t)uid;
	pid_t pid;

	if (uid < 1000 || uid >= 65534)
		return 0;
	snprintf(bus, sizeof(bus), "/run/user/%u/bus", (unsigned)uid);
	if (!testing && (stat(bus, &st) < 0 || st.st_uid != uid))
		return 0; /* nobody logged in, or not their bus */
	if (access(command, X_OK) < 0 || !due(uid, now))
		return 0;
	pw = getpwuid(uid);
	if (pw) {
		gid = pw->pw_gid;
		snprintf(home_env, sizeof(home_env), "HOME=%s", pw->pw_dir);
		snprintf(user_env, sizeof(user_env), "USER=%s", pw->pw_name);
	}
	snprintf(bus_env, sizeof(bus_env), "DBUS_SESSION_BUS_ADDRESS=unix:path=%s", bus);
	notify_body(path, body, sizeof(body));
	static char name[] = "notify-send", app[] = "--app-name=piiguard", urgency[] = "--urgency=critical",
	            icon[] = "--icon=dialog-warning", title[] = "Dữ liệu cá nhân / Personal data",
	            lang[] = "LANG=C.UTF-8", search[] = "PATH=/usr/bin:/bin";
	char *argv[] = {name, app, urgency, icon, title, body, NULL};
	char *envp[] = {bus_env, home_env, user_env, lang, search, NULL};

	pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (fork() != 0)
			_exit(0); /* the notifier goes on alone, adopted by init */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		if (getuid() == 0 &&
		    (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0))
			_exit(127);
		if (getuid() != uid)
			_exit(127);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		execve(command, argv, envp);
		_exit(127);
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return 1;
}
