/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A user's XDG folders from ~/.config/user-dirs.dirs: on a Vietnamese
 * desktop Downloads is "Tải xuống". The agent's watch roots and the wipe's
 * targets both read them here. The file belongs to the user, so a value is
 * taken only when it is one relative path below the home; this module only
 * reads the text it is given, never the file.
 */
#ifndef PIIGUARD_XDG_H
#define PIIGUARD_XDG_H

#include <stddef.h>

/* user-dirs.dirs is a few hundred bytes: a larger file is not one. */
#define XDG_USER_DIRS_MAX (16u * 1024u)

/*
 * The folder the user-dirs.dirs text[0..len) gives for XDG_<key>_DIR (key:
 * "DESKTOP", "DOWNLOAD", ...) as a path relative to the home ("Tải xuống"),
 * into out: the last valid line for the key wins; "" when there is none. A
 * value is valid when it is "$HOME/" and a path without empty, "." or ".."
 * parts, quotes or backslashes, shorter than size.
 */
void xdg_user_dir(const char *text, size_t len, const char *key, char *out, size_t size);

#endif
