/* Internal helpers for filling a pkgauth_error. */
#ifndef PKGAUTH_ERROR_H
#define PKGAUTH_ERROR_H

#include <stdarg.h>

#include "pkgauth/common.h"

/* Formats a message into err (when err is not NULL) and returns code, so a
 * failing path can end with `return pkgauth_error_set(err, ...);`. */
int pkgauth_error_set(pkgauth_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory"): the one message
 * every allocation failure gives. */
int pkgauth_oom(pkgauth_error *err);

/* Formats a one-line warning and hands it to fn (nothing when fn is NULL):
 * how the store, its backends and the PyPI lookup report what is not an
 * error. */
void pkgauth_warn_va(pkgauth_warn_fn fn, void *ctx, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Clears err to PKGAUTH_OK with an empty message. */
void pkgauth_error_clear(pkgauth_error *err);

#endif
