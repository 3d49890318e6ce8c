/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed messages between the agent and its workers (see ipc.h). The agent
 * reads what a worker that parsed hostile bytes sends, so decoding trusts
 * nothing: the header's length must be the datagram's, every string's length
 * is checked against what remains and against its field's limit before it is
 * copied, numbers are range-checked, and trailing bytes are an error.
 */
#include "ipc.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "extract.h"

#define HEADER_BYTES 16u /* u16 type, u16 zero, u32 payload length, u64 job */

struct writer {
	unsigned char *p;
	size_t len, size;
	bool bad;
};

static void put(struct writer *w, const void *data, size_t n)
{
	if (w->bad || n > w->size - w->len) {
		w->bad = true;
		return;
	}
	memcpy(w->p + w->len, data, n);
	w->len += n;
}

static void put_u(struct writer *w, uint64_t v, unsigned bytes)
{
	unsigned char b[8];

	for (unsigned i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(w, b, bytes);
}

static void put_str(struct writer *w, const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n > max) {
		w->bad = true;
		return;
	}
	put_u(w, n, 2);
	put(w, s, n);
}

struct reader {
	const unsigned char *p;
	size_t pos, len;
	bool bad;
};

static uint64_t get_u(struct reader *r, unsigned bytes)
{
	uint64_t v = 0;

	if (r->bad || bytes > r->len - r->pos) {
		r->bad = true;
		return 0;
	}
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->pos + i] << (8 * i);
	r->pos += bytes;
	return v;
}

/* What a string field may hold. */
enum charset {
	CHARSET_TEXT,  /* any byte but NUL (names from archives, labels) */
	CHARSET_RULE,  /* a rule id: a-z 0-9 . _ - */
	CHARSET_VALUE, /* a canonical value: no space, no control byte */
};

static bool allowed(const char *s, size_t n, enum charset cs)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (cs) {
		case CHARSET_TEXT:
			if (c == 0)
				return false;
			break;
		case CHARSET_RULE:
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
				return false;
			break;
		case CHARSET_VALUE:
			if (c < 0x21 || c == 0x7f)
				return false;
			break;
		}
	}
	return true;
}

static void get_str(struct reader *r, char *out, size_t max, enum charset cs, bool nonempty)
{
	size_t n = (size_t)get_u(r, 2);

	out[0] = '\0';
	if (r->bad || n > max || n > r->len - r->pos || (nonempty && n == 0)) {
		r->bad = true;
		return;
	}
	memcpy(out, r->p + r->pos, n);
	out[n] = '\0';
	r->pos += n;
	if (!allowed(out, n, cs))
		r->bad = true;
}

int ipc_encode(const struct ipc_msg *m, unsigned char *buf, size_t size)
{
	struct writer w = {.p = buf, .size = size < IPC_MSG_MAX ? size : IPC_MSG_MAX};

	put_u(&w, (uint64_t)m->type, 2);
	put_u(&w, 0, 2);
	put_u(&w, 0, 4); /* the payload length, written below */
	put_u(&w, m->job, 8);
	switch (m->type) {
	case IPC_HELLO: put_u(&w, m->version, 4); break;
	case IPC_SCAN: break;
	case IPC_FINDING:
		if (!(m->confidence >= 0 && m->confidence <= 1) || !allowed(m->rule, strlen(m->rule), CHARSET_RULE) ||
		    !m->rule[0] || !m->value[0] ||
		    !allowed(m->value, strnlen(m->value, IPC_VALUE_MAX), CHARSET_VALUE) ||
		    m->source > EXTRACT_SOURCE_MRZ ||
		    !allowed(m->shown, strnlen(m->shown, IPC_SHOWN_MAX), CHARSET_TEXT))
			return ERR_INVAL;
		put_u(&w, (uint64_t)(m->confidence * 1e6 + 0.5), 4);
		put_u(&w, m->line, 8);
		put_u(&w, m->offset, 8);
		put_str(&w, m->rule, IPC_RULE_MAX);
		put_str(&w, m->label, IPC_LABEL_MAX);
		put_str(&w, m->member, IPC_MEMBER_MAX);
		put_str(&w, m->value, IPC_VALUE_MAX);
		put_u(&w, m->source, 1);
		put_str(&w, m->shown, IPC_SHOWN_MAX);
		break;
	case IPC_COVERAGE:
		if (m->coverage > EXTRACT_COVERAGE_UNSUPPORTED)
			return ERR_INVAL;
		put_u(&w, m->coverage, 1);
		put_str(&w, m->member, IPC_MEMBER_MAX);
		put_str(&w, m->detail, IPC_DETAIL_MAX);
		break;
	case IPC_DONE:
		put_u(&w, (uint32_t)m->status, 4);
		put_u(&w, (uint32_t)m->err, 4);
		put_u(&w, m->bytes, 8);
		put_str(&w, m->ftype, IPC_TYPE_MAX);
		break;
	default: return ERR_INVAL;
	}
	if (w.bad)
		return ERR_INVAL;
	size_t payload = w.len - HEADER_BYTES;
	for (unsigned i = 0; i < 4; i++)
		buf[4 + i] = (unsigned char)(payload >> (8 * i));
	return (int)w.len;
}

int ipc_decode(const unsigned char *buf, size_t len, struct ipc_msg *ret)
{
	struct reader r = {.p = buf, .len = len};
	uint64_t type, zero, payload, ppm;

	memset(ret, 0, sizeof(*ret));
	if (len < HEADER_BYTES || len > IPC_MSG_MAX)
		goto bad;
	type = get_u(&r, 2);
	zero = get_u(&r, 2);
	payload = get_u(&r, 4);
	ret->job = get_u(&r, 8);
	if (zero != 0 || payload != len - HEADER_BYTES)
		goto bad;
	ret->type = (enum ipc_type)type;
	switch (type) {
	case IPC_HELLO: ret->version = (uint32_t)get_u(&r, 4); break;
	case IPC_SCAN: break;
	case IPC_FINDING:
		ppm = get_u(&r, 4);
		if (ppm > 1000000)
			goto bad;
		ret->confidence = (double)ppm / 1e6;
		ret->line = get_u(&r, 8);
		ret->offset = get_u(&r, 8);
		get_str(&r, ret->rule, IPC_RULE_MAX, CHARSET_RULE, true);
		get_str(&r, ret->label, IPC_LABEL_MAX, CHARSET_TEXT, false);
		get_str(&r, ret->member, IPC_MEMBER_MAX, CHARSET_TEXT, false);
		get_str(&r, ret->value, IPC_VALUE_MAX, CHARSET_VALUE, true);
		ret->source = (unsigned)get_u(&r, 1);
		if (ret->source > EXTRACT_SOURCE_MRZ)
			goto bad;
		get_str(&r, ret->shown, IPC_SHOWN_MAX, CHARSET_TEXT, false);
		break;
	case IPC_COVERAGE:
		ret->coverage = (unsigned)get_u(&r, 1);
		if (ret->coverage > EXTRACT_COVERAGE_UNSUPPORTED)
			goto bad;
		get_str(&r, ret->member, IPC_MEMBER_MAX, CHARSET_TEXT, false);
		get_str(&r, ret->detail, IPC_DETAIL_MAX, CHARSET_TEXT, false);
		break;
	case IPC_DONE:
		ret->status = (int32_t)(uint32_t)get_u(&r, 4);
		ret->err = (int32_t)(uint32_t)get_u(&r, 4);
		ret->bytes = get_u(&r, 8);
		get_str(&r, ret->ftype, IPC_TYPE_MAX, CHARSET_RULE, false);
		if (ret->status > 0 || ret->status < ERR_NOTFOUND || ret->err < 0)
			goto bad;
		break;
	default: goto bad;
	}
	if (r.bad || r.pos != len)
		goto bad;
	return 0;
bad:
	ipc_wipe(ret);
	memset(ret, 0, sizeof(*ret));
	return ERR_FORMAT;
}

int ipc_send(int sock, const struct ipc_msg *m, int fd)
{
	unsigned char buf[IPC_MSG_MAX];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	int n = ipc_encode(m, buf, sizeof(buf));
	ssize_t sent;

	if (n < 0)
		return n;
	struct iovec iov = {.iov_base = buf, .iov_len = (size_t)n};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	explicit_bzero(buf, sizeof(buf));
	if (sent < 0)
		return ERR_IO;
	if (sent != n) {
		errno = EMSGSIZE;
		return ERR_IO;
	}
	return 0;
}

/* Close every descriptor a control message carried; returns how many. */
static size_t close_fds(struct msghdr *msg, int *first)
{
	size_t count = 0;

	*first = -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(0))
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (count == 0)
				*first = fd;
			else
				close(fd);
			count++;
		}
	}
	return count;
}

int ipc_recv(int sock, bool nonblock, struct ipc_msg *ret, int *ret_fd)
{
	unsigned char buf[IPC_MSG_MAX + 1];
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr msg = {
	        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof(control.buf)};
	ssize_t n;
	int fd = -1, rc;

	if (ret_fd)
		*ret_fd = -1;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | (nonblock ? MSG_DONTWAIT : 0));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ERR_IO;
	size_t fds = close_fds(&msg, &fd);
	if (n == 0 && fds == 0) {
		errno = ECONNRESET;
		return ERR_IO;
	}
	rc = ipc_decode(buf, (size_t)n, ret);
	explicit_bzero(buf, sizeof(buf));
	if (rc == 0 &&
	    ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || fds > 1 || (fds == 1 && (ret->type != IPC_SCAN || !ret_fd))))
		rc = ERR_FORMAT;
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		ipc_wipe(ret);
		return rc;
	}
	if (ret_fd)
		*ret_fd = fd;
	return 0;
}

void ipc_wipe(struct ipc_msg *m)
{
	explicit_bzero(m->value, sizeof(m->value));
}
