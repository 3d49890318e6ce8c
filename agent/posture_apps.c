/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Placeholder until the browser, messaging and system checks land. */
#include "posture.h"

void posture_browsers(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	(void)o;
	(void)emit;
	(void)ctx;
}

void posture_messaging(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	(void)o;
	(void)emit;
	(void)ctx;
}

void posture_system(const struct posture_options *o, posture_emit_fn *emit, void *ctx)
{
	(void)o;
	(void)emit;
	(void)ctx;
}
