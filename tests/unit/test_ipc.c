/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of ipc.c: every message type survives encode and decode; the
 * decoder refuses a wrong length, trailing bytes, a string longer than its
 * field or than what remains, a rule id or value with bytes it may not hold,
 * an unknown type and a confidence above 1; a descriptor travels with
 * IPC_SCAN over a socketpair and is refused (and closed) on any other type.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "extract.h"
#include "ipc.h"

static struct ipc_msg finding(void)
{
	struct ipc_msg m = {.type = IPC_FINDING, .job = 42, .confidence = 0.85, .line = 7, .offset = 311};

	strcpy(m.rule, "vn.cccd");
	strcpy(m.label, "Vietnamese personal ID number (CCCD)");
	strcpy(m.member, "hồ sơ.zip!a.txt");
	strcpy(m.value, "052090001234");
	return m;
}

static void test_round_trip(void **state)
{
	unsigned char buf[IPC_MSG_MAX];
	struct ipc_msg m = finding(), got;
	int n;

	(void)state;
	n = ipc_encode(&m, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ipc_decode(buf, (size_t)n, &got), 0);
	assert_int_equal(got.type, IPC_FINDING);
	assert_int_equal(got.job, 42);
	assert_true(got.confidence > 0.8499 && got.confidence < 0.8501);
	assert_int_equal(got.line, 7);
	assert_int_equal(got.offset, 311);
	assert_string_equal(got.rule, "vn.cccd");
	assert_string_equal(got.member, "hồ sơ.zip!a.txt");
	assert_string_equal(got.value, "052090001234");

	struct ipc_msg c = {.type = IPC_COVERAGE, .job = 3, .coverage = EXTRACT_COVERAGE_ENCRYPTED};
	strcpy(c.member, "a.zip");
	strcpy(c.detail, "encrypted member");
	n = ipc_encode(&c, buf, sizeof(buf));
	assert_int_equal(ipc_decode(buf, (size_t)n, &got), 0);
	assert_int_equal(got.coverage, EXTRACT_COVERAGE_ENCRYPTED);
	assert_string_equal(got.detail, "encrypted member");

	struct ipc_msg d = {.type = IPC_DONE, .job = 9, .status = ERR_IO, .err = 13, .bytes = 1234};
	strcpy(d.ftype, "ooxml");
	n = ipc_encode(&d, buf, sizeof(buf));
	assert_int_equal(ipc_decode(buf, (size_t)n, &got), 0);
	assert_int_equal(got.status, ERR_IO);
	assert_int_equal(got.err, 13);
	assert_int_equal(got.bytes, 1234);
	assert_string_equal(got.ftype, "ooxml");

	struct ipc_msg h = {.type = IPC_HELLO, .version = IPC_VERSION};
	n = ipc_encode(&h, buf, sizeof(buf));
	assert_int_equal(n, 20);
	assert_int_equal(ipc_decode(buf, (size_t)n, &got), 0);
	assert_int_equal(got.version, IPC_VERSION);
}

static void test_encode_refuses(void **state)
{
	unsigned char buf[IPC_MSG_MAX];
	struct ipc_msg m = finding();

	(void)state;
	strcpy(m.rule, "VN CCCD");
	assert_int_equal(ipc_encode(&m, buf, sizeof(buf)), ERR_INVAL);
	m = finding();
	strcpy(m.value, "052 090");
	assert_int_equal(ipc_encode(&m, buf, sizeof(buf)), ERR_INVAL);
	m = finding();
	m.confidence = 1.5;
	assert_int_equal(ipc_encode(&m, buf, sizeof(buf)), ERR_INVAL);
	m = finding();
	m.type = (enum ipc_type)77;
	assert_int_equal(ipc_encode(&m, buf, sizeof(buf)), ERR_INVAL);
}

/* Header offsets: type 0, zero 2, payload length 4, job 8; a finding's
 * payload: ppm 16, line 20, offset 28, rule length 36, rule 38. */
static void test_decode_refuses(void **state)
{
	unsigned char buf[IPC_MSG_MAX], bad[IPC_MSG_MAX + 8];
	struct ipc_msg m = finding(), got;
	int n;

	(void)state;
	n = ipc_encode(&m, buf, sizeof(buf));
	assert_true(n > 40);

	/* cut anywhere: never accepted */
	for (int cut = 0; cut < n; cut++)
		assert_int_equal(ipc_decode(buf, (size_t)cut, &got), ERR_FORMAT);
	/* trailing byte, with and without a length that claims it */
	memcpy(bad, buf, (size_t)n);
	bad[n] = 'x';
	assert_int_equal(ipc_decode(bad, (size_t)n + 1, &got), ERR_FORMAT);
	bad[4]++;
	assert_int_equal(ipc_decode(bad, (size_t)n + 1, &got), ERR_FORMAT);
	/* a non-zero reserved field */
	memcpy(bad, buf, (size_t)n);
	bad[2] = 1;
	assert_int_equal(ipc_decode(bad, (size_t)n, &got), ERR_FORMAT);
	/* an unknown type */
	memcpy(bad, buf, (size_t)n);
	bad[0] = 99;
	assert_int_equal(ipc_decode(bad, (size_t)n, &got), ERR_FORMAT);
	/* confidence above 1 */
	memcpy(bad, buf, (size_t)n);
	bad[16] = 0xff;
	bad[17] = 0xff;
	bad[18] = 0xff;
	assert_int_equal(ipc_decode(bad, (size_t)n, &got), ERR_FORMAT);
	/* a rule id with an upper-case letter */
	memcpy(bad, buf, (size_t)n);
	bad[38] = 'V';
	assert_int_equal(ipc_decode(bad, (size_t)n, &got), ERR_FORMAT);
	/* a string length past the end */
	memcpy(bad, buf, (size_t)n);
	bad[36] = 0xff;
	bad[37] = 0x0f;
	assert_int_equal(ipc_decode(bad, (size_t)n, &got), ERR_FORMAT);
	assert_string_equal(got.value, "");
	/* a value with a space (the last string: its bytes end the datagram) */
	memcpy(bad, buf, (size_t)n);
	bad[n - 3] = ' ';
	assert_int_equal(ipc_decode(bad, (size_t)n, &got), ERR_FORMAT);
	/* a datagram longer than any message */
	memset(bad, 0, sizeof(bad));
	assert_int_equal(ipc_decode(bad, IPC_MSG_MAX + 1, &got), ERR_FORMAT);
	/* the decoder still takes the original */
	assert_int_equal(ipc_decode(buf, (size_t)n, &got), 0);
}

static void test_descriptors(void **state)
{
	int sv[2], fd = open("/dev/null", O_RDONLY | O_CLOEXEC), got_fd = -2;
	struct ipc_msg scan = {.type = IPC_SCAN, .job = 5}, got, m = finding();
	struct stat a, b;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(ipc_send(sv[0], &scan, fd), 0);
	assert_int_equal(ipc_recv(sv[1], false, &got, &got_fd), 0);
	assert_int_equal(got.type, IPC_SCAN);
	assert_int_equal(got.job, 5);
	assert_true(got_fd >= 0);
	assert_int_equal(fstat(fd, &a), 0);
	assert_int_equal(fstat(got_fd, &b), 0);
	assert_true(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	assert_true(fcntl(got_fd, F_GETFD) & FD_CLOEXEC);
	close(got_fd);

	/* a descriptor on a finding: refused, and not left open */
	assert_int_equal(ipc_send(sv[0], &m, fd), 0);
	assert_int_equal(ipc_recv(sv[1], false, &got, &got_fd), ERR_FORMAT);
	assert_int_equal(got_fd, -1);
	/* a descriptor where the receiver takes none */
	assert_int_equal(ipc_send(sv[0], &scan, fd), 0);
	assert_int_equal(ipc_recv(sv[1], false, &got, NULL), ERR_FORMAT);
	/* nothing waiting: EAGAIN; the peer gone: ECONNRESET */
	assert_int_equal(ipc_recv(sv[1], true, &got, NULL), ERR_IO);
	close(sv[0]);
	assert_int_equal(ipc_recv(sv[1], false, &got, NULL), ERR_IO);
	close(sv[1]);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_encode_refuses),
	        cmocka_unit_test(test_decode_refuses),
	        cmocka_unit_test(test_descriptors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
