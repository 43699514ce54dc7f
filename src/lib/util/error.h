/* Internal helpers for filling a pkgauth_error. */
#ifndef PKGAUTH_ERROR_H
#define PKGAUTH_ERROR_H

#include "pkgauth/common.h"

/* Formats a message into err (when err is not NULL) and returns code, so a
 * failing path can end with `return pkgauth_error_set(err, ...);`. */
int pkgauth_error_set(pkgauth_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory"): the one message
 * every allocation failure gives. */
int pkgauth_oom(pkgauth_error *err);

/* Clears err to PKGAUTH_OK with an empty message. */
void pkgauth_error_clear(pkgauth_error *err);

#endif
