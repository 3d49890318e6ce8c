/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the MRZ repair on OCR text. A zone it returns must be 90
 * characters of A-Z, 0-9 and '<' that the mrz_td1 validator accepts as is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char zone[91], value[DETECT_VALUE_MAX + 1];
	struct detect_result dr;
	size_t len = 90;

	if (!image_mrz_td1((const char *)data, size, zone))
		return 0;
	if (strlen(zone) != 90)
		abort();
	for (size_t i = 0; i < 90; i++)
		if (!((zone[i] >= 'A' && zone[i] <= 'Z') || (zone[i] >= '0' && zone[i] <= '9') || zone[i] == '<'))
			abort();
	memcpy(value, zone, 91);
	if (detect_mrz_td1(value, &len, &dr) != DETECT_VALID)
		abort();
	return 0;
}
