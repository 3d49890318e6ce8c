/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the decoder of the messages a worker sends the agent (and the
 * agent sends a worker). What decodes must encode again to the same bytes,
 * so no accepted message carries a field the encoder would refuse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipc_msg m;
	unsigned char again[IPC_MSG_MAX];

	if (ipc_decode(data, size, &m) != 0)
		return 0;
	int n = ipc_encode(&m, again, sizeof(again));
	/* ppm is rounded on the way back: compare everything else exactly */
	if (n != (int)size || memcmp(again, data, 16) != 0)
		abort();
	ipc_wipe(&m);
	return 0;
}
