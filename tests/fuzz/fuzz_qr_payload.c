/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the chip CCCD QR payload parser on the bytes a QR code could
 * hold. A payload taken for a CCCD's must give a 12-digit number.
 */
#include <stdint.h>
#include <stdlib.h>

#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[13];

	if (image_qr_cccd((const char *)data, size, 2026, id) == IMAGE_NONE)
		return 0;
	for (int i = 0; i < 12; i++)
		if (id[i] < '0' || id[i] > '9')
			abort();
	if (id[12] != '\0')
		abort();
	return 0;
}
