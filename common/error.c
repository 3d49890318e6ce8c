/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages for the ERR_* codes of error.h. Used by the programs where they
 * decide to report an error; library code only returns the codes.
 */
#include "error.h"

const char *err_str(int err)
{
	switch (err) {
	case 0: return "success";
	case ERR_NOMEM: return "out of memory";
	case ERR_IO: return "input/output error";
	case ERR_FORMAT: return "malformed input";
	case ERR_LIMIT: return "limit reached";
	case ERR_UNSUPPORTED: return "unsupported format";
	case ERR_ENCRYPTED: return "encrypted content";
	case ERR_INVAL: return "invalid argument";
	case ERR_TIMEOUT: return "time budget exceeded";
	case ERR_NOTFOUND: return "not found";
	default: return "unknown error";
	}
}
