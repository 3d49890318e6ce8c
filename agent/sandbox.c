/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's sandbox (see sandbox.h). Order matters: the user is changed
 * before PR_SET_PDEATHSIG (a credential change clears it), rlimits after
 * everything the worker loads, seccomp last. Called only in the worker.
 */
#include "sandbox.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "error.h"

#if defined(__SANITIZE_ADDRESS__)
#define NULL_SANDBOX 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NULL_SANDBOX 1
#endif
#endif
#ifndef NULL_SANDBOX
#define NULL_SANDBOX 0
#endif

/* Address space: containers are read whole (LIMIT_CONTAINER_BYTES) and may
 * expand to LIMIT_EXPANDED_BYTES, and poppler and the libraries need room
 * of their own. Descriptors: the socket, one file and the standard three. */
#define SANDBOX_AS_BYTES (2048ULL << 20)
#define SANDBOX_NOFILE   16

bool sandbox_full(void)
{
	return !NULL_SANDBOX;
}

static int drop_user(void)
{
	const struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	pw = getpwnam(SANDBOX_USER);
	if (!pw)
		pw = getpwnam(SANDBOX_FALLBACK);
	if (!pw || pw->pw_uid == 0) {
		errno = ESRCH;
		return ERR_IO;
	}
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return ERR_IO;
	if (setuid(0) == 0) { /* root must be gone for good */
		errno = EPERM;
		return ERR_IO;
	}
	return 0;
}

static int set_limit(int what, rlim_t value)
{
	struct rlimit rl = {.rlim_cur = value, .rlim_max = value};

	return setrlimit(what, &rl) < 0 ? ERR_IO : 0;
}

int sandbox_drop(bool report)
{
	if (drop_user() < 0)
		return ERR_IO;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return ERR_IO;
	if (getppid() == 1) /* the agent died before we could notice */
		return ERR_IO;
	if (set_limit(RLIMIT_CORE, 0) < 0)
		return ERR_IO;
	if (NULL_SANDBOX) /* the sanitizer maps terabytes and writes its report */
		return 0;
	/* The worker writes no file (a write past the limit fails instead of
	 * raising SIGXFSZ), unless a seccomp refusal is to be reported on a
	 * stderr that is a log file. */
	signal(SIGXFSZ, SIG_IGN);
	if ((!report && set_limit(RLIMIT_FSIZE, 0) < 0) || set_limit(RLIMIT_NOFILE, SANDBOX_NOFILE) < 0 ||
	    set_limit(RLIMIT_AS, SANDBOX_AS_BYTES) < 0)
		return ERR_IO;
	return 0;
}

static void on_sigsys(int sig, siginfo_t *info, void *uctx)
{
	char msg[80];
	int n = snprintf(msg, sizeof(msg), "piiguard-worker: seccomp refused system call %d\n", info->si_syscall);

	(void)sig;
	(void)uctx;
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		_exit(98);
	_exit(98);
}

/* What a worker does between two files: receive, stat, read, map, decode,
 * match (futexes and clocks inside the libraries), answer, close. */
static const char *const allowed[] = {
        "read",
        "readv",
        "pread64",
        "preadv",
        "write",
        "writev",
        "lseek",
        "close",
        "fstat",
        "newfstatat",
        "statx",
        "mmap",
        "munmap",
        "mremap",
        "mprotect",
        "brk",
        "madvise",
        "recvmsg",
        "sendmsg",
        "sendto",
        "recvfrom",
        "exit",
        "exit_group",
        "rt_sigreturn",
        "rt_sigprocmask",
        "rt_sigaction",
        "clock_gettime",
        "clock_nanosleep",
        "nanosleep",
        "gettimeofday",
        "getrandom",
        "futex",
        "getpid",
        "gettid",
        "tgkill",
        "fcntl",
        "sched_yield",
        "getrusage",
        "sysinfo",
        "prlimit64",
        "sched_getaffinity",
        "membarrier",
        "restart_syscall",
        /* a decoder's own threads (libde265 under libheif starts one): a
         * new thread registers these; clone itself is allowed for threads
         * only, below */
        "set_robust_list",
        "rseq",
        "sigaltstack",
};

/* Libraries that look for an optional file (iconv modules, fontconfig,
 * poppler's data) are told it is not there. */
static const char *const refused[] = {"open",     "openat",     "access", "faccessat", "faccessat2",
                                      "readlink", "readlinkat", "stat",   "lstat",     "ioctl"};

int sandbox_seccomp(bool report)
{
	scmp_filter_ctx ctx;
	int rc = ERR_IO;

	if (NULL_SANDBOX)
		return 0;
	if (report) {
		struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGSYS, &sa, NULL) < 0)
			return ERR_IO;
	}
	ctx = seccomp_init(report ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return ERR_IO;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		int nr = seccomp_syscall_resolve_name(allowed[i]);
		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) < 0)
			goto out;
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		int nr = seccomp_syscall_resolve_name(refused[i]);
		int action = strcmp(refused[i], "ioctl") == 0 ? SCMP_ACT_ERRNO(ENOTTY) : SCMP_ACT_ERRNO(EACCES);
		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, (uint32_t)action, nr, 0) < 0)
			goto out;
	}
	/* Threads, never processes: clone with CLONE_THREAD only; clone3's
	 * flags are in memory the filter cannot read, so it is refused with
	 * ENOSYS and glibc falls back to clone. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0)
		goto out;
	if (seccomp_load(ctx) == 0)
		rc = 0;
out:
	seccomp_release(ctx);
	return rc;
}
