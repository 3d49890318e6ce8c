/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading of the small INI files piiguard is configured with (rule files,
 * the configuration and its drop-ins): a whole file read safely (no link
 * followed, regular files only, bounded size) and a folder's files of one
 * suffix listed in name order. Parsing stays with each reader.
 */
#ifndef PIIGUARD_INIFILE_H
#define PIIGUARD_INIFILE_H

#include <stddef.h>

#define INIFILE_NAME_MAX 256

/*
 * Read name (relative to dirfd, or AT_FDCWD) whole into a NUL-terminated
 * buffer the caller frees. Returns 0, ERR_NOTFOUND (it does not exist),
 * ERR_UNSUPPORTED (a link or not a regular file), ERR_LIMIT (larger than
 * limit), ERR_IO (errno set) or ERR_NOMEM.
 */
int inifile_read(int dirfd, const char *name, size_t limit, char **ret, size_t *ret_len);

/*
 * List the files of dir whose names end in suffix (hidden ones left out) in
 * byte order into names, at most max of them; *ret_dirfd gets the folder
 * open for inifile_read() (the caller closes it). Returns 0, ERR_NOTFOUND (no
 * such folder), ERR_IO (errno set) or ERR_LIMIT (more than max files; the
 * folder is closed then).
 */
int inifile_list(const char *dir, const char *suffix, char (*names)[INIFILE_NAME_MAX], size_t max, size_t *ret_n,
                 int *ret_dirfd);

#endif
