/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: arbitrary bytes as a user's ~/.config/user-dirs.dirs. A folder
 * taken must stay one relative path below the home: no "..", "." or empty
 * part, no quote or backslash, within the size given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xdg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"DESKTOP", "DOWNLOAD", "DOCUMENTS", "PICTURES", "VIDEOS"};
	char out[64];

	if (size > XDG_USER_DIRS_MAX)
		return 0;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		xdg_user_dir((const char *)data, size, keys[k], out, sizeof(out));
		size_t n = strnlen(out, sizeof(out));
		if (n == sizeof(out) || strchr(out, '"') || strchr(out, '\\') || out[0] == '/' ||
		    strcmp(out, "..") == 0 || strncmp(out, "../", 3) == 0 || strstr(out, "/../") ||
		    strstr(out, "/./") || strstr(out, "//") || (n >= 3 && strcmp(out + n - 3, "/..") == 0) ||
		    (n && out[n - 1] == '/'))
			abort();
	}
	return 0;
}
