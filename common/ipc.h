/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The messages between the agent and its scanning workers, over a
 * SOCK_SEQPACKET socketpair: one datagram per message, a fixed header (type,
 * payload length, job number) and fields written with explicit little-endian
 * writers, strings as a 16-bit length and bytes. Every message read is checked
 * against its type's layout and limits before use; a malformed one is
 * ERR_FORMAT and the agent kills the worker that sent it. A file to scan
 * travels as a descriptor (SCM_RIGHTS) on an IPC_SCAN message, never as a
 * path. Nothing here logs or allocates.
 */
#ifndef PIIGUARD_IPC_H
#define PIIGUARD_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect.h"
#include "limits.h"

/* The largest datagram: header, numbers and the longest strings fit. */
#define IPC_MSG_MAX 4096u

/* What the strings of a message may hold, without their NUL. */
#define IPC_RULE_MAX   63u
#define IPC_LABEL_MAX  255u
#define IPC_MEMBER_MAX LIMIT_MEMBER_NAME
#define IPC_VALUE_MAX  DETECT_VALUE_MAX
#define IPC_DETAIL_MAX 255u
#define IPC_TYPE_MAX   31u
#define IPC_SHOWN_MAX  127u

/* Bumped when a layout changes: a worker from another build is refused. */
#define IPC_VERSION 2u

/* The fd on which a worker finds its end of the socketpair. */
#define IPC_WORKER_FD 3

enum ipc_type {
	IPC_HELLO = 1, /* worker -> agent: sandboxed and ready; version */
	IPC_SCAN,      /* agent -> worker: scan the attached descriptor as job */
	IPC_FINDING,   /* worker -> agent: one identifier of job (its canonical value) */
	IPC_COVERAGE,  /* worker -> agent: a part of job could not be read */
	IPC_DONE,      /* worker -> agent: job is finished; status, bytes read, type */
};

struct ipc_msg {
	enum ipc_type type;
	uint64_t job;
	/* IPC_HELLO */
	uint32_t version;
	/* IPC_FINDING: value is the canonical identifier; the receiver wipes it */
	double confidence; /* 0..1, carried in millionths */
	uint64_t line, offset;
	char rule[IPC_RULE_MAX + 1];
	char label[IPC_LABEL_MAX + 1];
	char member[IPC_MEMBER_MAX + 1]; /* also IPC_COVERAGE; "" for the file itself */
	char value[IPC_VALUE_MAX + 1];
	unsigned source;               /* an enum extract_source: where it was read */
	char shown[IPC_SHOWN_MAX + 1]; /* "" to show the value masked, else what to show instead */
	/* IPC_COVERAGE */
	unsigned coverage; /* an enum extract_coverage */
	char detail[IPC_DETAIL_MAX + 1];
	/* IPC_DONE */
	int32_t status;               /* 0 or an ERR_* code of extract_file() */
	int32_t err;                  /* errno with ERR_IO */
	uint64_t bytes;               /* bytes read from the file */
	char ftype[IPC_TYPE_MAX + 1]; /* what the file was taken for */
};

/* Write m into buf (at least IPC_MSG_MAX bytes). Returns the length, or
 * ERR_INVAL when a field is outside its limits (a string too long, a rule id
 * or value with bytes it may not hold). */
int ipc_encode(const struct ipc_msg *m, unsigned char *buf, size_t size);

/* Read one message from buf[0..len) into *ret, checking every length and
 * field. Returns 0 or ERR_FORMAT; on ERR_FORMAT *ret is zeroed. */
int ipc_decode(const unsigned char *buf, size_t len, struct ipc_msg *ret);

/* Send m on sock with fd attached (-1: none). Returns 0, ERR_INVAL or
 * ERR_IO (errno set; EPIPE when the peer is gone). Never raises SIGPIPE. */
int ipc_send(int sock, const struct ipc_msg *m, int fd);

/*
 * Receive one message. With nonblock, EAGAIN is ERR_IO with errno EAGAIN.
 * A descriptor is accepted only on IPC_SCAN and only when ret_fd is not NULL
 * (*ret_fd, O_CLOEXEC; -1 when none); any other descriptor is closed and the
 * message is ERR_FORMAT, as is a truncated datagram. End of stream is ERR_IO
 * with errno ECONNRESET. The buffer that held the datagram is wiped.
 */
int ipc_recv(int sock, bool nonblock, struct ipc_msg *ret, int *ret_fd);

/* Wipe the parts of m that may hold an identifier. */
void ipc_wipe(struct ipc_msg *m);

#endif
