/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error codes shared by every module of libpiiguard. Library code returns 0 or
 * one of these negative values and never exits or logs above debug; the
 * program that decides logs once, using err_str() for the message.
 */
#ifndef PIIGUARD_ERROR_H
#define PIIGUARD_ERROR_H

enum {
	ERR_NOMEM = -1,       /* an allocation failed */
	ERR_IO = -2,          /* a read, open or write failed (errno kept by the caller) */
	ERR_FORMAT = -3,      /* input is malformed */
	ERR_LIMIT = -4,       /* a hard limit of limits.h was reached */
	ERR_UNSUPPORTED = -5, /* a format or charset this build cannot handle */
	ERR_ENCRYPTED = -6,   /* content is encrypted */
	ERR_INVAL = -7,       /* a caller passed a bad argument or option */
	ERR_TIMEOUT = -8,     /* a time budget ran out */
	ERR_NOTFOUND = -9,    /* a named thing (rule, validator, file) does not exist */
};

/* A short English message for an ERR_* code; never NULL. */
const char *err_str(int err);

#endif
