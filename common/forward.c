/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Forwarding of findings and status changes (see forward.h), called by the
 * agent and by scan for every new finding and by the review commands for
 * every status change. journald gets one entry with PIIGUARD_* fields; a
 * syslog server gets one RFC 5424 message whose body is a JSON object. Only
 * the fields of the event leave: the masked value and the keyed fingerprint,
 * never a raw identifier, and digit runs in file names are masked too.
 * Nothing here may stall a scan for long or print: every socket is
 * non-blocking with a deadline, and a lost event is counted.
 */
#include "forward.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
/* Only our fields go to the journal, not CODE_FILE and CODE_LINE. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "text.h"

/* journald MESSAGE_IDs (docs/fleet.md): fixed forever, so that a SIEM or
 * `journalctl MESSAGE_ID=...` can select piiguard's events. */
#define FORWARD_ID_FINDING "63c09b436abc4c839074caee0cd9e803"
#define FORWARD_ID_STATUS  "1c14fb971a0444af802be17b726c2c65"

#define FORWARD_APP_NAME "piiguard"

/* Where journald listens for sd_journal_send(). */
#define FORWARD_JOURNAL_SOCKET "/run/systemd/journal/socket"

/* RFC 5424 severities. */
#define FORWARD_SEVERITY_WARNING 4
#define FORWARD_SEVERITY_NOTICE  5

/* Time budgets of one event: to connect (all addresses of a name together),
 * and to hand the message to the kernel. A scan waits at most their sum. */
#define FORWARD_CONNECT_MS 300
#define FORWARD_SEND_MS    200

/* After a failed connection, events within this time are counted as lost
 * without another try, so an unreachable server costs a scan at most one
 * connection budget per second, not one per finding. */
#define FORWARD_RETRY_MS 1000

/* A name is resolved again at most this often (only when a connection
 * failed): the resolver can block for seconds. */
#define FORWARD_RESOLVE_MS 60000

/* The longest message: rsyslog's default maxMessageSize is 8 KiB. Each string
 * has its own budget below so that the JSON stays whole; a longer string is
 * cut and ends in "...". */
#define FORWARD_MESSAGE_MAX 8000
#define FORWARD_PATH_MAX    2048 /* escaped bytes of path and of member */
#define FORWARD_MASKED_MAX  400  /* escaped bytes of masked (an e-mail's mask is up to 320) */
#define FORWARD_FIELD_MAX   128  /* escaped bytes of any other string */

#define JOURNAL_FIELDS 24

/* Digits in a row, in a path or member, from which they are masked. */
#define FORWARD_REDACT_DIGITS 9

_Static_assert(CONFIG_SYSLOG_PATH_MAX <= sizeof(((struct sockaddr_un *)0)->sun_path), "unix path size");

struct forward {
	bool journald;
	int facility;
	struct config_syslog_address addr;
	char hostname[256]; /* RFC 5424 HOSTNAME: printable ASCII, or "-" */
	char procid[24];

	pthread_mutex_t lock; /* everything below, and the sending */
	int fd;               /* the syslog socket, -1 when not connected */
	bool stream;          /* fd is a stream socket (tcp, or a unix stream socket) */
	struct addrinfo *ai;  /* udp/tcp: the resolved addresses, NULL before the first resolution */
	int64_t resolved_ms;  /* when ai was resolved (CLOCK_MONOTONIC) */
	int64_t failed_ms;    /* when the last connection failed; 0 after a success */
	char msg[FORWARD_MESSAGE_MAX + 32];
	struct journal_entry {
		char buf[16384]; /* the fields, each followed by a NUL that is not sent */
		size_t start[JOURNAL_FIELDS], end[JOURNAL_FIELDS];
		int n;
	} journal;

	atomic_uint_fast64_t dropped;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- text ------------------------------------------------------------------ */

/* Append str for a journald field, at most budget bytes of it (a longer one
 * is cut at a character and ends in "..."): control characters and bytes
 * that are not UTF-8 as \xHH, so the field is always valid UTF-8. */
static void put_field_text(struct buf *s, const char *str, size_t budget)
{
	const unsigned char *u = (const unsigned char *)str, *end = u + strlen(str);
	size_t used = 0;

	while (u < end) {
		char tmp[8];
		const char *piece = tmp;
		size_t n, plen;
		int32_t cp = text_utf8_next(u, end, &n);

		if (cp < 0 || cp < 0x20 || cp == 0x7F)
			snprintf(tmp, sizeof(tmp), "\\x%02X", u[0]);
		else
			piece = (const char *)u;
		plen = piece == tmp ? strlen(tmp) : n;
		if (used + plen > budget) {
			buf_puts(s, "...");
			return;
		}
		buf_put(s, piece, plen);
		used += plen;
		u += n;
	}
}

/* The value of the decimal digit at u (ASCII, Arabic-Indic, Persian or
 * full-width), its length in *n; -1 for anything else. */
static int digit_at(const unsigned char *u, const unsigned char *end, size_t *n)
{
	static const int32_t zeros[] = {'0', 0x660, 0x6F0, 0xFF10};
	size_t len;
	int32_t cp = text_utf8_next(u, end, &len);

	for (size_t i = 0; cp >= 0 && i < sizeof(zeros) / sizeof(zeros[0]); i++)
		if (cp >= zeros[i] && cp <= zeros[i] + 9) {
			*n = len;
			return (int)(cp - zeros[i]);
		}
	return -1;
}

/* Copy str to out (as large as str) with every run of FORWARD_REDACT_DIGITS
 * or more digits masked as the contract masks an identifier: the first and
 * last 3 digits kept (2 and 2 in a run of 9), the others '*'. A file named
 * after a citizen's number (scans of ID cards often are) must not carry it
 * off the machine in its path. */
static void redact_numbers(const char *str, char *out)
{
	const unsigned char *u = (const unsigned char *)str, *end = u + strlen(str);
	char *o = out;

	while (u < end) {
		const unsigned char *run = u;
		size_t n = 0, count = 0, keep;

		while (u < end && digit_at(u, end, &n) >= 0) {
			u += n;
			count++;
		}
		if (count == 0) {
			*o++ = (char)*u++;
			continue;
		}
		keep = count >= 10 ? 3 : 2;
		for (size_t i = 0; i < count; i++, run += n) {
			digit_at(run, end, &n);
			if (count < FORWARD_REDACT_DIGITS || i < keep || i >= count - keep) {
				memcpy(o, run, n);
				o += n;
			} else {
				*o++ = '*';
			}
		}
	}
	*o = '\0';
}

/* A confidence as a number with two decimals, whatever the locale's decimal
 * separator (printf's %f follows LC_NUMERIC). */
static void put_confidence(struct buf *s, double confidence)
{
	unsigned hundredths;

	if (!(confidence >= 0))
		confidence = 0;
	if (confidence > 1)
		confidence = 1;
	hundredths = (unsigned)(confidence * 100 + 0.5);
	buf_printf(s, "%u.%02u", hundredths / 100, hundredths % 100);
}

static bool is_set(const char *s)
{
	return s && s[0];
}

static bool is_status(const struct forward_event *ev)
{
	return ev->event && strcmp(ev->event, "status") == 0;
}

/* --- journald ----------------------------------------------------------------- */

/* A short line for people reading the journal: rule, masked value, place. */
static void put_journal_message(struct buf *s, const struct forward_event *ev)
{
	buf_puts(s, "MESSAGE=piiguard: ");
	if (is_status(ev))
		buf_printf(s, "finding %lld ", (long long)ev->id);
	put_field_text(s, is_set(ev->rule) ? ev->rule : "-", FORWARD_FIELD_MAX);
	buf_puts(s, " ");
	put_field_text(s, is_set(ev->masked) ? ev->masked : "-", FORWARD_MASKED_MAX);
	buf_puts(s, " in ");
	put_field_text(s, is_set(ev->path) ? ev->path : "-", FORWARD_PATH_MAX);
	if (is_set(ev->member)) {
		buf_puts(s, "!");
		put_field_text(s, ev->member, FORWARD_PATH_MAX);
	}
	if (ev->line)
		buf_printf(s, ":%llu", (unsigned long long)ev->line);
	if (is_status(ev)) {
		buf_puts(s, ": ");
		put_field_text(s, is_set(ev->old_status) ? ev->old_status : "?", FORWARD_FIELD_MAX);
		buf_puts(s, " -> ");
		put_field_text(s, is_set(ev->status) ? ev->status : "?", FORWARD_FIELD_MAX);
		if (is_set(ev->who)) {
			buf_puts(s, " by ");
			put_field_text(s, ev->who, FORWARD_FIELD_MAX);
		}
	}
}

/* Fields are written one after the other into j->buf through s. */
static void field_begin(struct journal_entry *j, const struct buf *s)
{
	j->start[j->n] = s->len;
}

static void field_end(struct journal_entry *j, struct buf *s)
{
	j->end[j->n] = s->len;
	buf_put(s, "", 1); /* a NUL between fields: keeps them apart, never sent */
	j->n++;
}

static void field_text(struct journal_entry *j, struct buf *s, const char *name, const char *value, size_t budget)
{
	if (!is_set(value) || j->n == JOURNAL_FIELDS)
		return;
	field_begin(j, s);
	buf_printf(s, "%s=", name);
	put_field_text(s, value, budget);
	field_end(j, s);
}

static void send_journal(struct forward *f, const struct forward_event *ev)
{
	struct journal_entry *j = &f->journal;
	struct buf s;

	buf_init(&s, j->buf, sizeof(j->buf));
	struct iovec iov[JOURNAL_FIELDS];
	char num[32];

	j->n = 0;
	j->buf[0] = '\0';
	field_begin(j, &s);
	put_journal_message(&s, ev);
	field_end(j, &s);
	field_begin(j, &s);
	buf_printf(&s, "MESSAGE_ID=%s", is_status(ev) ? FORWARD_ID_STATUS : FORWARD_ID_FINDING);
	field_end(j, &s);
	field_begin(j, &s);
	buf_printf(&s, "PRIORITY=%d", is_status(ev) ? FORWARD_SEVERITY_NOTICE : FORWARD_SEVERITY_WARNING);
	field_end(j, &s);
	field_begin(j, &s);
	buf_printf(&s, "SYSLOG_FACILITY=%d", f->facility);
	field_end(j, &s);
	field_text(j, &s, "SYSLOG_IDENTIFIER", FORWARD_APP_NAME, FORWARD_FIELD_MAX);
	field_text(j, &s, "PIIGUARD_EVENT", is_status(ev) ? "status" : "finding", FORWARD_FIELD_MAX);
	if (ev->id) {
		snprintf(num, sizeof(num), "%lld", (long long)ev->id);
		field_text(j, &s, "PIIGUARD_ID", num, FORWARD_FIELD_MAX);
	}
	field_text(j, &s, "PIIGUARD_RULE", ev->rule, FORWARD_FIELD_MAX);
	field_text(j, &s, "PIIGUARD_LABEL", ev->label, FORWARD_FIELD_MAX);
	field_text(j, &s, "PIIGUARD_PATH", ev->path, FORWARD_PATH_MAX);
	field_text(j, &s, "PIIGUARD_MEMBER", ev->member, FORWARD_PATH_MAX);
	field_text(j, &s, "PIIGUARD_MASKED", ev->masked, FORWARD_MASKED_MAX);
	field_text(j, &s, "PIIGUARD_FINGERPRINT", ev->fingerprint, FORWARD_FIELD_MAX);
	if (is_set(ev->rule)) {
		field_begin(j, &s);
		buf_puts(&s, "PIIGUARD_CONFIDENCE=");
		put_confidence(&s, ev->confidence);
		field_end(j, &s);
	}
	field_text(j, &s, "PIIGUARD_SOURCE", ev->source, FORWARD_FIELD_MAX);
	if (ev->line) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)ev->line);
		field_text(j, &s, "PIIGUARD_LINE", num, FORWARD_FIELD_MAX);
	}
	field_text(j, &s, "PIIGUARD_STATUS", ev->status, FORWARD_FIELD_MAX);
	field_text(j, &s, "PIIGUARD_OLD_STATUS", ev->old_status, FORWARD_FIELD_MAX);
	field_text(j, &s, "PIIGUARD_WHO", ev->who, FORWARD_FIELD_MAX);

	for (int i = 0; i < j->n; i++)
		iov[i] = (struct iovec){j->buf + j->start[i], j->end[i] - j->start[i]};
	/* Without journald (a container, CI) the event is lost: counted, not
	 * printed. libsystemd reports success when journald's socket is
	 * missing, so its absence is checked here. */
	if (access(FORWARD_JOURNAL_SOCKET, F_OK) < 0 || sd_journal_sendv(iov, j->n) < 0)
		atomic_fetch_add(&f->dropped, 1);
}

/* --- the syslog message ------------------------------------------------------- */

/* <PRI>1 TIMESTAMP HOSTNAME piiguard PROCID MSGID - {json}: RFC 5424 with no
 * structured data and no BOM, so that a decoder finds the JSON at once. */
static size_t format_syslog(const struct forward *f, const struct forward_event *ev, char *buf, size_t size)
{
	struct buf s;

	buf_init(&s, buf, size);
	struct timespec ts;
	struct tm tm;
	const char *msgid = is_status(ev) ? "status" : "finding";
	int severity = is_status(ev) ? FORWARD_SEVERITY_NOTICE : FORWARD_SEVERITY_WARNING;

	buf[0] = '\0';
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	buf_printf(&s, "<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s %s %s - ", f->facility * 8 + severity,
	           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
	           f->hostname, FORWARD_APP_NAME, f->procid, msgid);
	buf_printf(&s, "{\"event\":\"%s\",\"id\":", msgid);
	if (ev->id)
		buf_printf(&s, "%lld", (long long)ev->id);
	else
		buf_puts(&s, "null");
	buf_puts(&s, ",\"path\":");
	buf_json_string(&s, ev->path, FORWARD_PATH_MAX);
	buf_puts(&s, ",\"member\":");
	buf_json_string(&s, is_set(ev->member) ? ev->member : NULL, FORWARD_PATH_MAX);
	buf_puts(&s, ",\"rule\":");
	buf_json_string(&s, ev->rule, FORWARD_FIELD_MAX);
	buf_puts(&s, ",\"label\":");
	buf_json_string(&s, ev->label, FORWARD_FIELD_MAX);
	buf_puts(&s, ",\"masked\":");
	buf_json_string(&s, ev->masked, FORWARD_MASKED_MAX);
	buf_puts(&s, ",\"fingerprint\":");
	buf_json_string(&s, ev->fingerprint, FORWARD_FIELD_MAX);
	buf_puts(&s, ",\"confidence\":");
	if (is_set(ev->rule))
		put_confidence(&s, ev->confidence);
	else
		buf_puts(&s, "null");
	buf_puts(&s, ",\"source\":");
	buf_json_string(&s, ev->source, FORWARD_FIELD_MAX);
	buf_puts(&s, ",\"line\":");
	if (ev->line)
		buf_printf(&s, "%llu", (unsigned long long)ev->line);
	else
		buf_puts(&s, "null");
	buf_puts(&s, ",\"status\":");
	buf_json_string(&s, ev->status, FORWARD_FIELD_MAX);
	buf_puts(&s, ",\"old_status\":");
	buf_json_string(&s, ev->old_status, FORWARD_FIELD_MAX);
	buf_puts(&s, ",\"who\":");
	buf_json_string(&s, ev->who, FORWARD_FIELD_MAX);
	buf_puts(&s, "}");
	return s.len;
}

/* --- sockets -------------------------------------------------------------------- */

/* Wait until fd is ready for events or the deadline passes. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - now_ms();
		struct pollfd p = {.fd = fd, .events = events};
		if (left <= 0)
			return ERR_TIMEOUT;
		int n = poll(&p, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ERR_IO;
		if (n > 0)
			return 0;
	}
}

static void disconnect(struct forward *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* Whether the peer of a stream socket has closed it (a collector that
 * restarted): writing would then seem to succeed and lose the event. */
static bool peer_closed(int fd)
{
	char byte;
	ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR); /* EWOULDBLOCK is EAGAIN on Linux */
}

static int connect_fd(int fd, const struct sockaddr *sa, socklen_t len, int64_t deadline)
{
	int err = 0;
	socklen_t errlen = sizeof(err);

	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EINTR)
		return ERR_IO;
	if (wait_fd(fd, POLLOUT, deadline) < 0)
		return ERR_TIMEOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0 || err != 0)
		return ERR_IO;
	return 0;
}

static int connect_unix(struct forward *f, int64_t deadline)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	static const int types[] = {SOCK_DGRAM, SOCK_STREAM};
	int fd = -1;

	memcpy(sun.sun_path, f->addr.path, strlen(f->addr.path) + 1);
	/* Datagram first, as syslog sockets are; a stream socket refuses a
	 * datagram connection with EPROTOTYPE, and then gets a stream. */
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		fd = socket(AF_UNIX, types[i] | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return ERR_IO;
		if (connect_fd(fd, (const struct sockaddr *)&sun, sizeof(sun), deadline) == 0) {
			f->fd = fd;
			f->stream = types[i] == SOCK_STREAM;
			return 0;
		}
		int err = errno;
		close(fd);
		if (err != EPROTOTYPE)
			break;
	}
	return ERR_IO;
}

static int resolve(struct forward *f, int64_t now)
{
	struct addrinfo hints = {
	        .ai_family = AF_UNSPEC,
	        .ai_socktype = f->addr.transport == CONFIG_SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM,
	        .ai_flags = AI_NUMERICSERV,
	};
	struct addrinfo *ai = NULL;

	if (f->ai && now - f->resolved_ms < FORWARD_RESOLVE_MS)
		return 0;
	f->resolved_ms = now;
	if (getaddrinfo(f->addr.host, f->addr.port, &hints, &ai) != 0 || !ai)
		return f->ai ? 0 : ERR_IO; /* keep the old addresses rather than none */
	if (f->ai)
		freeaddrinfo(f->ai);
	f->ai = ai;
	return 0;
}

static int connect_inet(struct forward *f, int64_t deadline)
{
	if (resolve(f, now_ms()) < 0)
		return ERR_IO;
	for (const struct addrinfo *a = f->ai; a; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect_fd(fd, a->ai_addr, a->ai_addrlen, deadline) == 0) {
			f->fd = fd;
			f->stream = a->ai_socktype == SOCK_STREAM;
			return 0;
		}
		close(fd);
		if (now_ms() >= deadline)
			break;
	}
	return ERR_IO;
}

static int reconnect(struct forward *f)
{
	int64_t now = now_ms(), deadline = now + FORWARD_CONNECT_MS;
	int rc;

	disconnect(f);
	if (f->failed_ms && now - f->failed_ms < FORWARD_RETRY_MS)
		return ERR_IO;
	rc = f->addr.transport == CONFIG_SYSLOG_UNIX ? connect_unix(f, deadline) : connect_inet(f, deadline);
	f->failed_ms = rc < 0 ? now_ms() : 0;
	return rc;
}

/* Hand all of buf to the kernel before the deadline. */
static int send_all(int fd, const char *buf, size_t len, bool stream, int64_t deadline)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			if (wait_fd(fd, POLLOUT, deadline) < 0)
				return ERR_TIMEOUT;
			continue;
		}
		if (n < 0)
			return ERR_IO;
		if (!stream) /* a datagram goes whole or not at all */
			return (size_t)n == len ? 0 : ERR_IO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One attempt on the current socket: TCP gets RFC 6587 octet counting
 * ("LEN SP MSG"); a unix stream socket, read by local daemons that split on
 * line ends, gets the message and a newline (the message never holds one);
 * a datagram is the message alone. */
static int transmit(struct forward *f, const char *msg, size_t len)
{
	int64_t deadline = now_ms() + FORWARD_SEND_MS;
	char head[24];
	int rc;

	if (!f->stream)
		return send_all(f->fd, msg, len, false, deadline);
	if (f->addr.transport == CONFIG_SYSLOG_UNIX) {
		rc = send_all(f->fd, msg, len, true, deadline);
		return rc < 0 ? rc : send_all(f->fd, "\n", 1, true, deadline);
	}
	snprintf(head, sizeof(head), "%zu ", len);
	rc = send_all(f->fd, head, strlen(head), true, deadline);
	if (rc == 0)
		rc = send_all(f->fd, msg, len, true, deadline);
	return rc;
}

static void send_syslog(struct forward *f, const struct forward_event *ev)
{
	size_t len = format_syslog(f, ev, f->msg, FORWARD_MESSAGE_MAX);
	bool fresh = false;

	if (f->fd >= 0 && f->stream && peer_closed(f->fd))
		disconnect(f);
	if (f->fd < 0) {
		if (reconnect(f) < 0)
			goto lost;
		fresh = true;
	}
	if (transmit(f, f->msg, len) == 0)
		return;
	/* A socket that worked before may have gone stale (the server
	 * restarted): one more try on a new connection. A send that failed on
	 * a new connection is not tried again. */
	if (fresh || reconnect(f) < 0 || transmit(f, f->msg, len) < 0)
		goto lost;
	return;
lost:
	disconnect(f);
	atomic_fetch_add(&f->dropped, 1);
}

/* --- the API -------------------------------------------------------------------- */

int forward_open(const struct config *cfg, struct forward **ret)
{
	struct forward *f = NULL;
	int rc;

	*ret = NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return ERR_NOMEM;
	f->fd = -1;
	rc = config_parse_syslog(cfg->syslog, &f->addr, NULL);
	if (rc < 0)
		goto out;
	rc = ERR_INVAL;
	if (cfg->syslog_facility < 0 || cfg->syslog_facility > 23)
		goto out;
	f->journald = cfg->journald;
	f->facility = cfg->syslog_facility;
	atomic_init(&f->dropped, 0);

	/* RFC 5424 wants printable ASCII in HOSTNAME, at most 255 bytes. */
	if (gethostname(f->hostname, sizeof(f->hostname) - 1) < 0 || !f->hostname[0])
		strcpy(f->hostname, "-");
	f->hostname[sizeof(f->hostname) - 1] = '\0';
	for (char *p = f->hostname; *p; p++)
		if (*p < 33 || *p > 126) {
			strcpy(f->hostname, "-");
			break;
		}
	snprintf(f->procid, sizeof(f->procid), "%ld", (long)getpid());
	rc = ERR_NOMEM;
	if (pthread_mutex_init(&f->lock, NULL) != 0)
		goto out;
	*ret = f;
	f = NULL;
	rc = 0;
out:
	free(f);
	return rc;
}

void forward_send(struct forward *f, const struct forward_event *ev)
{
	struct forward_event safe;
	char *path = NULL, *member = NULL;

	if (!f || !ev || (!f->journald && f->addr.transport == CONFIG_SYSLOG_NONE))
		return;
	safe = *ev;
	path = ev->path ? malloc(strlen(ev->path) + 1) : NULL;
	member = ev->member ? malloc(strlen(ev->member) + 1) : NULL;
	if ((ev->path && !path) || (ev->member && !member)) {
		atomic_fetch_add(&f->dropped, 1);
		goto out;
	}
	if (path) {
		redact_numbers(ev->path, path);
		safe.path = path;
	}
	if (member) {
		redact_numbers(ev->member, member);
		safe.member = member;
	}
	pthread_mutex_lock(&f->lock);
	if (f->journald)
		send_journal(f, &safe);
	if (f->addr.transport != CONFIG_SYSLOG_NONE)
		send_syslog(f, &safe);
	pthread_mutex_unlock(&f->lock);
out:
	free(path);
	free(member);
}

uint64_t forward_dropped(const struct forward *f)
{
	return f ? (uint64_t)atomic_load(&f->dropped) : 0;
}

void forward_close(struct forward *f)
{
	if (!f)
		return;
	disconnect(f);
	if (f->ai)
		freeaddrinfo(f->ai);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
