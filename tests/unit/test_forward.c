/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of forward.c against real listeners on this machine only:
 * UDP and TCP on 127.0.0.1 (port 0, the kernel's choice) and unix datagram
 * and stream sockets in a temporary folder. They check the RFC 5424 header
 * (PRI from facility and severity, version, app name, PROCID, MSGID), TCP's
 * octet-counting frames, that the JSON body parses back (a small checker
 * here, no JSON library) with a hostile path escaped right, reconnection
 * after the server closed, and that an unreachable server costs little time
 * and is counted. journald may be absent (a container): it must not crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "error.h"
#include "forward.h"

#define WAIT_MS 3000

static const struct forward_event finding = {
        .event = "finding",
        .id = 42,
        .path = "/home/kiosk/Desktop/ho-so.txt",
        .member = NULL,
        .rule = "vn.cccd",
        .label = "Vietnamese personal ID number (CCCD)",
        .masked = "052******234",
        .fingerprint = "784f78f751574d48",
        .confidence = 0.9,
        .source = "text",
        .line = 3,
        .status = "open",
};

static const struct forward_event status_change = {
        .event = "status",
        .id = 42,
        .path = "/home/kiosk/Desktop/ho-so.txt",
        .rule = "vn.cccd",
        .label = "Vietnamese personal ID number (CCCD)",
        .masked = "052******234",
        .fingerprint = "784f78f751574d48",
        .confidence = 0.9,
        .source = "text",
        .status = "acknowledged",
        .old_status = "open",
        .who = "it-staff",
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct forward *open_forward(bool journald, const char *syslog, int facility)
{
	struct config c;
	struct forward *f = NULL;

	config_defaults(&c);
	c.journald = journald;
	snprintf(c.syslog, sizeof(c.syslog), "%s", syslog);
	c.syslog_facility = facility;
	assert_int_equal(forward_open(&c, &f), 0);
	assert_non_null(f);
	return f;
}

/* A socket bound to 127.0.0.1 on a port of the kernel's choice. */
static int listen_inet(int type, int *ret_port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 8), 0);
	*ret_port = ntohs(sin.sin_port);
	return fd;
}

static int listen_unix(int type, const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(sun.sun_path));
	strcpy(sun.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 8), 0);
	return fd;
}

static bool readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, ms) == 1;
}

/* One datagram, NUL-terminated; fails the test after WAIT_MS. */
static size_t recv_datagram(int fd, char *buf, size_t size)
{
	ssize_t n;

	assert_true(readable(fd, WAIT_MS));
	n = recv(fd, buf, size - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	return (size_t)n;
}

/* Read from a stream until want bytes or EOF or WAIT_MS. */
static size_t recv_stream(int fd, char *buf, size_t size, size_t want)
{
	size_t len = 0;
	int64_t deadline = now_ms() + WAIT_MS;

	while (len < want && len < size - 1 && now_ms() < deadline) {
		if (!readable(fd, (int)(deadline - now_ms())))
			break;
		ssize_t n = recv(fd, buf + len, size - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return len;
}

static int accept_one(int lfd)
{
	assert_true(readable(lfd, WAIT_MS));
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

/* --- a small JSON checker ------------------------------------------------------------ */

static const char *json_string_end(const char *p)
{
	if (*p != '"')
		return NULL;
	for (p++; *p && *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *json_value_end(const char *p)
{
	if (*p == '"')
		return json_string_end(p);
	if (strncmp(p, "null", 4) == 0)
		return p + 4;
	const char *start = p;
	if (*p == '-')
		p++;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	return p > start && p[-1] != '-' ? p : NULL;
}

/* Whether s is exactly one flat JSON object; counts its keys. */
static bool json_object(const char *s, int *ret_keys)
{
	const char *p = s;
	int keys = 0;

	if (*p++ != '{')
		return false;
	if (*p == '}')
		return p[1] == '\0';
	for (;;) {
		p = json_string_end(p);
		if (!p || *p++ != ':')
			return false;
		p = json_value_end(p);
		if (!p)
			return false;
		keys++;
		if (*p == '}')
			break;
		if (*p++ != ',')
			return false;
	}
	*ret_keys = keys;
	return p[1] == '\0';
}

/* The raw JSON text of key's value in a flat object (found by string search). */
static void json_raw(const char *body, const char *key, char *out, size_t size)
{
	char pattern[64];
	const char *p, *end;

	snprintf(pattern, sizeof(pattern), "\"%s\":", key);
	p = strstr(body, pattern);
	if (!p)
		fail_msg("no key %s in %s", key, body);
	p += strlen(pattern);
	end = json_value_end(p);
	assert_non_null(end);
	assert_true((size_t)(end - p) < size);
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
}

/* Decode a JSON string literal (escapes of ASCII characters only, as
 * forward.c writes them). */
static void json_decode(const char *lit, char *out, size_t size)
{
	size_t n = 0;

	assert_int_equal(lit[0], '"');
	for (const char *p = lit + 1; *p != '"'; p++) {
		char ch = *p;
		if (ch == '\\') {
			p++;
			switch (*p) {
			case 'n': ch = '\n'; break;
			case 'r': ch = '\r'; break;
			case 't': ch = '\t'; break;
			case 'u':
				ch = (char)strtol((char[5]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
				p += 4;
				break;
			default: ch = *p; break;
			}
		}
		assert_true(n + 1 < size);
		out[n++] = ch;
	}
	out[n] = '\0';
}

/* --- the RFC 5424 header --------------------------------------------------------------- */

struct header {
	int pri;
	char timestamp[64], hostname[256], app[64], procid[32], msgid[64];
	const char *body; /* into the message */
};

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Take apart "<PRI>1 TS HOST APP PROCID MSGID - BODY" and check each part's form. */
static void parse_header(const char *msg, struct header *h)
{
	int used = 0;

	memset(h, 0, sizeof(*h));
	if (sscanf(msg, "<%d>1 %63s %255s %63s %31s %63s - %n", &h->pri, h->timestamp, h->hostname, h->app, h->procid,
	           h->msgid, &used) != 6 ||
	    used == 0)
		fail_msg("not an RFC 5424 message with structured data \"-\": %s", msg);
	h->body = msg + used;
	/* RFC 3339 in UTC with milliseconds: 2024-05-01T08:30:00.123Z */
	const char *t = h->timestamp;
	assert_int_equal(strlen(t), 24);
	assert_true(all_digits(t, 4) && t[4] == '-' && all_digits(t + 5, 2) && t[7] == '-' && all_digits(t + 8, 2));
	assert_true(t[10] == 'T' && all_digits(t + 11, 2) && t[13] == ':' && all_digits(t + 14, 2) && t[16] == ':');
	assert_true(all_digits(t + 17, 2) && t[19] == '.' && all_digits(t + 20, 3) && t[23] == 'Z');
	assert_string_equal(h->app, "piiguard");
	char pid[32];
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	assert_string_equal(h->procid, pid);
	for (const char *p = h->hostname; *p; p++)
		assert_true(*p >= 33 && *p <= 126);
	/* No raw control character (a newline would split the message). */
	for (const char *p = msg; *p; p++)
		assert_true((unsigned char)*p >= 0x20);
}

static void check_finding_body(const char *body)
{
	char raw[4096];
	int keys = 0;

	if (!json_object(body, &keys))
		fail_msg("the body is not one JSON object: %s", body);
	assert_int_equal(keys, 14);
	json_raw(body, "event", raw, sizeof(raw));
	assert_string_equal(raw, "\"finding\"");
	json_raw(body, "id", raw, sizeof(raw));
	assert_string_equal(raw, "42");
	json_raw(body, "member", raw, sizeof(raw));
	assert_string_equal(raw, "null");
	json_raw(body, "rule", raw, sizeof(raw));
	assert_string_equal(raw, "\"vn.cccd\"");
	json_raw(body, "label", raw, sizeof(raw));
	assert_string_equal(raw, "\"Vietnamese personal ID number (CCCD)\"");
	json_raw(body, "masked", raw, sizeof(raw));
	assert_string_equal(raw, "\"052******234\"");
	json_raw(body, "fingerprint", raw, sizeof(raw));
	assert_string_equal(raw, "\"784f78f751574d48\"");
	json_raw(body, "confidence", raw, sizeof(raw));
	assert_string_equal(raw, "0.90");
	json_raw(body, "source", raw, sizeof(raw));
	assert_string_equal(raw, "\"text\"");
	json_raw(body, "line", raw, sizeof(raw));
	assert_string_equal(raw, "3");
	json_raw(body, "status", raw, sizeof(raw));
	assert_string_equal(raw, "\"open\"");
	json_raw(body, "old_status", raw, sizeof(raw));
	assert_string_equal(raw, "null");
	json_raw(body, "who", raw, sizeof(raw));
	assert_string_equal(raw, "null");
}

/* --- tests ---------------------------------------------------------------------------------- */

static void test_udp(void **state)
{
	char url[64], buf[9000], raw[256];
	struct header h;
	int port, lfd = listen_inet(SOCK_DGRAM, &port);
	struct forward *f;

	(void)state;
	snprintf(url, sizeof(url), "udp://127.0.0.1:%d", port);
	f = open_forward(false, url, 16);

	forward_send(f, &finding);
	recv_datagram(lfd, buf, sizeof(buf));
	parse_header(buf, &h);
	assert_int_equal(h.pri, 16 * 8 + 4); /* local0.warning */
	assert_string_equal(h.msgid, "finding");
	check_finding_body(h.body);
	json_raw(h.body, "path", raw, sizeof(raw));
	assert_string_equal(raw, "\"/home/kiosk/Desktop/ho-so.txt\"");

	forward_send(f, &status_change);
	recv_datagram(lfd, buf, sizeof(buf));
	parse_header(buf, &h);
	assert_int_equal(h.pri, 16 * 8 + 5); /* local0.notice */
	assert_string_equal(h.msgid, "status");
	json_raw(h.body, "event", raw, sizeof(raw));
	assert_string_equal(raw, "\"status\"");
	json_raw(h.body, "status", raw, sizeof(raw));
	assert_string_equal(raw, "\"acknowledged\"");
	json_raw(h.body, "old_status", raw, sizeof(raw));
	assert_string_equal(raw, "\"open\"");
	json_raw(h.body, "who", raw, sizeof(raw));
	assert_string_equal(raw, "\"it-staff\"");
	json_raw(h.body, "line", raw, sizeof(raw));
	assert_string_equal(raw, "null");

	assert_int_equal(forward_dropped(f), 0);
	forward_close(f);

	/* Another facility: local7 (23). */
	f = open_forward(false, url, 23);
	forward_send(f, &status_change);
	recv_datagram(lfd, buf, sizeof(buf));
	parse_header(buf, &h);
	assert_int_equal(h.pri, 23 * 8 + 5);
	forward_close(f);
	close(lfd);
}

/* Split octet-counted frames ("LEN SP MSG"); returns how many were whole. */
static int split_frames(char *stream, size_t len, char *msgs[], int max)
{
	size_t pos = 0;
	int n = 0;

	while (pos < len && n < max) {
		char *sp = memchr(stream + pos, ' ', len - pos);
		if (!sp || sp == stream + pos || !all_digits(stream + pos, (size_t)(sp - stream - pos)))
			fail_msg("not an octet-counted frame at byte %zu", pos);
		size_t msg_len = strtoul(stream + pos, NULL, 10);
		size_t start = (size_t)(sp - stream) + 1;
		if (start + msg_len > len)
			break;
		msgs[n] = malloc(msg_len + 1);
		assert_non_null(msgs[n]);
		memcpy(msgs[n], stream + start, msg_len);
		msgs[n][msg_len] = '\0';
		assert_int_equal(strlen(msgs[n]), msg_len); /* no NUL inside */
		n++;
		pos = start + msg_len;
	}
	assert_int_equal(pos, len); /* nothing between or after frames */
	return n;
}

static void test_tcp(void **state)
{
	char url[64], buf[20000], *msgs[2];
	struct header h;
	int port, lfd = listen_inet(SOCK_STREAM, &port), cfd;
	struct forward *f;
	size_t len = 0;

	(void)state;
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	f = open_forward(false, url, 16);
	forward_send(f, &finding);
	forward_send(f, &status_change);
	cfd = accept_one(lfd);
	/* Read until both frames are whole. */
	for (int tries = 0; tries < 50; tries++) {
		len += recv_stream(cfd, buf + len, sizeof(buf) - len, 1);
		char copy[20000];
		memcpy(copy, buf, len);
		int whole = 0;
		size_t pos = 0;
		while (pos < len) {
			char *sp = memchr(copy + pos, ' ', len - pos);
			if (!sp)
				break;
			size_t l = strtoul(copy + pos, NULL, 10), start = (size_t)(sp - copy) + 1;
			if (start + l > len)
				break;
			whole++;
			pos = start + l;
		}
		if (whole == 2)
			break;
	}
	assert_int_equal(split_frames(buf, len, msgs, 2), 2);
	parse_header(msgs[0], &h);
	assert_int_equal(h.pri, 132);
	assert_string_equal(h.msgid, "finding");
	check_finding_body(h.body);
	parse_header(msgs[1], &h);
	assert_int_equal(h.pri, 133);
	assert_string_equal(h.msgid, "status");
	free(msgs[0]);
	free(msgs[1]);
	assert_int_equal(forward_dropped(f), 0);

	/* The collector restarts: the agent's connection is closed under it.
	 * The next event goes on a new connection, not into the closed one. */
	close(cfd);
	usleep(50 * 1000);
	forward_send(f, &finding);
	cfd = accept_one(lfd);
	len = recv_stream(cfd, buf, sizeof(buf), 1);
	assert_true(len > 0);
	for (int tries = 0; tries < 50 && !strchr(buf, '}'); tries++)
		len += recv_stream(cfd, buf + len, sizeof(buf) - len, 1);
	assert_int_equal(split_frames(buf, len, msgs, 1), 1);
	parse_header(msgs[0], &h);
	check_finding_body(h.body);
	free(msgs[0]);
	assert_int_equal(forward_dropped(f), 0);
	forward_close(f);
	close(cfd);
	close(lfd);
}

static char tmp_dir[256];

static int make_tmp_dir(void **state)
{
	(void)state;
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/piiguard-test-forward.XXXXXX");
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static int remove_tmp_dir(void **state)
{
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/dgram.sock", tmp_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stream.sock", tmp_dir);
	unlink(path);
	return rmdir(tmp_dir);
}

static void test_unix_dgram(void **state)
{
	char path[512], url[600], buf[9000];
	struct header h;
	struct forward *f;
	int lfd;

	(void)state;
	snprintf(path, sizeof(path), "%s/dgram.sock", tmp_dir);
	lfd = listen_unix(SOCK_DGRAM, path);
	snprintf(url, sizeof(url), "unix:%s", path);
	f = open_forward(false, url, 16);
	forward_send(f, &finding);
	recv_datagram(lfd, buf, sizeof(buf));
	parse_header(buf, &h);
	assert_int_equal(h.pri, 132);
	check_finding_body(h.body);
	assert_int_equal(forward_dropped(f), 0);

	/* The server goes away: counted, and not waited for. */
	close(lfd);
	unlink(path);
	int64_t t0 = now_ms();
	forward_send(f, &finding);
	assert_int_equal(forward_dropped(f), 1);
	assert_true(now_ms() - t0 < 1000);
	forward_close(f);
}

static void test_unix_stream(void **state)
{
	char path[512], url[600], buf[9000];
	struct header h;
	struct forward *f;
	int lfd, cfd;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/stream.sock", tmp_dir);
	lfd = listen_unix(SOCK_STREAM, path);
	snprintf(url, sizeof(url), "unix:%s", path);
	f = open_forward(false, url, 16);
	forward_send(f, &finding);
	cfd = accept_one(lfd);
	len = recv_stream(cfd, buf, sizeof(buf), 1);
	for (int tries = 0; tries < 50 && (len == 0 || buf[len - 1] != '\n'); tries++)
		len += recv_stream(cfd, buf + len, sizeof(buf) - len, 1);
	/* A stream socket got the message and a newline. */
	assert_true(len > 1 && buf[len - 1] == '\n');
	assert_null(memchr(buf, '\n', len - 1));
	buf[len - 1] = '\0';
	parse_header(buf, &h);
	check_finding_body(h.body);
	assert_int_equal(forward_dropped(f), 0);
	forward_close(f);
	close(cfd);
	close(lfd);
}

static void test_escaping(void **state)
{
	char url[64], buf[9000], raw[1024], decoded[1024];
	struct header h;
	int port, lfd = listen_inet(SOCK_DGRAM, &port), keys;
	struct forward *f;
	struct forward_event ev = finding;

	(void)state;
	/* A quote, a backslash, a newline, a byte that is not UTF-8, a tab,
	 * an escape character, and Vietnamese letters that must stay as they are. */
	ev.path = "/home/kiosk/Desktop/a\"b\\c\nd\xff"
	          "e\t\x1b-h\xe1\xbb\x93 s\xc6\xa1.txt";
	ev.member = "word/document.xml";
	snprintf(url, sizeof(url), "udp://127.0.0.1:%d", port);
	f = open_forward(false, url, 16);
	forward_send(f, &ev);
	recv_datagram(lfd, buf, sizeof(buf));
	parse_header(buf, &h);
	if (!json_object(h.body, &keys))
		fail_msg("the body is not one JSON object: %s", h.body);
	json_raw(h.body, "path", raw, sizeof(raw));
	assert_string_equal(raw,
	                    "\"/home/kiosk/Desktop/a\\\"b\\\\c\\nd\\\\xFFe\\t\\u001b-h\xe1\xbb\x93 s\xc6\xa1.txt\"");
	json_decode(raw, decoded, sizeof(decoded));
	/* Parsed back: the path as it was, the invalid byte as the text \xFF. */
	assert_string_equal(decoded, "/home/kiosk/Desktop/a\"b\\c\nd\\xFFe\t\x1b-h\xe1\xbb\x93 s\xc6\xa1.txt");
	json_raw(h.body, "member", raw, sizeof(raw));
	assert_string_equal(raw, "\"word/document.xml\"");

	/* A path far longer than a message may be: cut, and still JSON. */
	char *long_path = malloc(20001);
	assert_non_null(long_path);
	for (size_t i = 0; i < 20000; i++)
		long_path[i] = i % 3 == 0 ? '"' : '\xc3';
	long_path[20000] = '\0';
	ev.path = long_path;
	forward_send(f, &ev);
	size_t n = recv_datagram(lfd, buf, sizeof(buf));
	assert_true(n <= 8000);
	parse_header(buf, &h);
	if (!json_object(h.body, &keys))
		fail_msg("the body is not one JSON object: %s", h.body);
	assert_int_equal(keys, 14);
	assert_non_null(strstr(h.body, "...\",\"member\":"));
	free(long_path);
	assert_int_equal(forward_dropped(f), 0);
	forward_close(f);
	close(lfd);
}

static void test_numbers_in_names(void **state)
{
	char url[64], buf[9000], raw[1024];
	struct header h;
	int port, lfd = listen_inet(SOCK_DGRAM, &port);
	struct forward *f;
	struct forward_event ev = finding;

	(void)state;
	snprintf(url, sizeof(url), "udp://127.0.0.1:%d", port);
	f = open_forward(false, url, 16);
	/* A scan named after the number it shows, a CMND in a folder name, a
	 * Persian national code in an archive member: masked as identifiers
	 * are. Shorter digit runs (dates, counters) stay. */
	ev.path = "/home/kiosk/Downloads/215123456/CCCD_052090001234.jpg";
	ev.member = "scan-2024/\xdb\xb0\xdb\xb0\xdb\xb1\xdb\xb2\xdb\xb3\xdb\xb4\xdb\xb5\xdb\xb6\xdb\xb7\xdb\xb9.txt";
	forward_send(f, &ev);
	recv_datagram(lfd, buf, sizeof(buf));
	parse_header(buf, &h);
	json_raw(h.body, "path", raw, sizeof(raw));
	assert_string_equal(raw, "\"/home/kiosk/Downloads/21*****56/CCCD_052******234.jpg\"");
	json_raw(h.body, "member", raw, sizeof(raw));
	assert_string_equal(raw, "\"scan-2024/\xdb\xb0\xdb\xb0\xdb\xb1****\xdb\xb6\xdb\xb7\xdb\xb9.txt\"");
	assert_null(strstr(buf, "052090001234"));
	assert_null(strstr(buf, "215123456"));
	/* The event given is left as it was. */
	assert_string_equal(ev.path, "/home/kiosk/Downloads/215123456/CCCD_052090001234.jpg");
	forward_close(f);
	close(lfd);
}

static void test_unreachable(void **state)
{
	char url[64];
	struct forward *f;
	int port, fd = listen_inet(SOCK_STREAM, &port);
	int64_t t0;

	(void)state;
	/* A port nobody listens on: refused at once. */
	close(fd);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	f = open_forward(false, url, 16);
	t0 = now_ms();
	for (int i = 0; i < 5; i++)
		forward_send(f, &finding);
	assert_true(now_ms() - t0 < 1000);
	assert_int_equal(forward_dropped(f), 5);
	forward_close(f);

	/* A server that never answers: a listener whose queue is full drops
	 * the connection request, so the connection hangs until our budget. */
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), fillers[4];
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(listen(lfd, 0), 0);
	for (int i = 0; i < 4; i++) {
		fillers[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		(void)connect(fillers[i], (struct sockaddr *)&sin, sizeof(sin));
	}
	usleep(100 * 1000);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", ntohs(sin.sin_port));
	f = open_forward(false, url, 16);
	t0 = now_ms();
	for (int i = 0; i < 3; i++)
		forward_send(f, &finding);
	int64_t took = now_ms() - t0;
	if (took >= 1000)
		fail_msg("three events to a silent server took %lld ms", (long long)took);
	assert_int_equal(forward_dropped(f), 3);
	forward_close(f);
	for (int i = 0; i < 4; i++)
		close(fillers[i]);
	close(lfd);
}

static void test_journald(void **state)
{
	struct forward *f;
	bool have_journald = access("/run/systemd/journal/socket", F_OK) == 0;

	(void)state;
	/* With or without journald (containers and CI have none): no crash,
	 * nothing printed, and a failure counted. */
	f = open_forward(true, "", 16);
	forward_send(f, &finding);
	forward_send(f, &status_change);
	if (!have_journald)
		assert_int_equal(forward_dropped(f), 2);
	forward_close(f);
}

static void test_open(void **state)
{
	struct config c;
	struct forward *f = (struct forward *)1;

	(void)state;
	config_defaults(&c);
	snprintf(c.syslog, sizeof(c.syslog), "%s", "tcp://[::1]514");
	assert_int_equal(forward_open(&c, &f), ERR_INVAL);
	assert_null(f);
	snprintf(c.syslog, sizeof(c.syslog), "%s", "udp://127.0.0.1:514");
	c.syslog_facility = 24;
	assert_int_equal(forward_open(&c, &f), ERR_INVAL);

	/* Nothing to forward to: sending does nothing and loses nothing. */
	config_defaults(&c);
	c.journald = false;
	assert_int_equal(forward_open(&c, &f), 0);
	forward_send(f, &finding);
	assert_int_equal(forward_dropped(f), 0);
	forward_close(f);
	forward_close(NULL);
	forward_send(NULL, &finding);
	assert_int_equal(forward_dropped(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_udp),
	        cmocka_unit_test(test_tcp),
	        cmocka_unit_test_setup_teardown(test_unix_dgram, make_tmp_dir, remove_tmp_dir),
	        cmocka_unit_test_setup_teardown(test_unix_stream, make_tmp_dir, remove_tmp_dir),
	        cmocka_unit_test(test_escaping),
	        cmocka_unit_test(test_numbers_in_names),
	        cmocka_unit_test(test_unreachable),
	        cmocka_unit_test(test_journald),
	        cmocka_unit_test(test_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
