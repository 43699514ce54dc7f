/* Reading a whole file that may hold secrets. */
#ifndef PKGAUTH_FILE_H
#define PKGAUTH_FILE_H

#include <stddef.h>

#include "pkgauth/common.h"

/* Reads the regular file at path into *buf, NUL-terminated, *len bytes.
 * At most max + 1 bytes are read, so that the caller (or its parser, which
 * has the same limit) reports an oversized file in its own words. The
 * buffer is allocated once at its final size: no copy of a secret is left
 * behind by growing it. Free it with pkgauth_wipe_free(*buf, *len + 1).
 * *mode (may be NULL) receives the file's permission bits.
 * Errors: PKGAUTH_ENOTFOUND "<path>: no such file" for a missing file;
 * PKGAUTH_EIO for a directory, another non-regular file or a read error. */
int pkgauth_file_read(const char *path, size_t max, char **buf, size_t *len, unsigned *mode,
                      pkgauth_error *err);

#endif
