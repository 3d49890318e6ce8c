/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Placeholder until the remote-access check lands. */
#include "posture.h"

void posture_remote_access(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	(void)o;
	(void)emit;
	(void)ctx;
}
