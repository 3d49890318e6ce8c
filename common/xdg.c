/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * user-dirs.dirs read line by line (see xdg.h): leading blanks allowed,
 * XDG_<KEY>_DIR="$HOME/..." taken when its path stays below the home.
 */
#include "xdg.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* v[0..len) without its quotes: "$HOME/" and a relative path of ordinary
 * parts, not the home itself; into out (size bytes) without trailing '/'. */
static bool take_value(const char *v, size_t len, char *out, size_t size)
{
	if (len < 7 || memcmp(v, "$HOME/", 6) != 0)
		return false;
	v += 6;
	len -= 6;
	while (len > 0 && v[len - 1] == '/')
		len--;
	if (len == 0 || len >= size || memchr(v, '\\', len) || memchr(v, '"', len) || memchr(v, '\0', len) ||
	    v[0] == '/')
		return false;
	for (size_t i = 0; i < len;) {
		size_t n = 0;
		while (i + n < len && v[i + n] != '/')
			n++;
		if (n == 0 || (n == 1 && v[i] == '.') || (n == 2 && v[i] == '.' && v[i + 1] == '.'))
			return false;
		i += n + 1;
	}
	memcpy(out, v, len);
	out[len] = '\0';
	return true;
}

void xdg_user_dir(const char *text, size_t len, const char *key, char *out, size_t size)
{
	char want[64];
	const char *p = text, *end = text + len;
	int wn = snprintf(want, sizeof(want), "XDG_%s_DIR=\"", key);

	if (size == 0)
		return;
	out[0] = '\0';
	if (wn <= 0 || (size_t)wn >= sizeof(want))
		return;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;

		while (p < line_end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(line_end - p) > (size_t)wn && memcmp(p, want, (size_t)wn) == 0) {
			const char *v = p + wn, *close = memchr(v, '"', (size_t)(line_end - v));
			if (close)
				take_value(v, (size_t)(close - v), out, size);
		}
		p = nl ? nl + 1 : end;
	}
}
