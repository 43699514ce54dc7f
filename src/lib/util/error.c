#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int pkgauth_error_set(pkgauth_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void pkgauth_warn_va(pkgauth_warn_fn fn, void *ctx, const char *fmt, va_list ap)
{
    char line[1024];
    if (!fn)
        return;
    vsnprintf(line, sizeof line, fmt, ap);
    fn(ctx, line);
}

void pkgauth_error_clear(pkgauth_error *err)
{
    if (err) {
        err->code = PKGAUTH_OK;
        err->message[0] = '\0';
    }
}

const char *pkgauth_strerror(int code)
{
    switch (code) {
    case PKGAUTH_OK: return "success";
    case PKGAUTH_ENOTFOUND: return "not found";
    case PKGAUTH_EINVAL: return "invalid argument";
    case PKGAUTH_EPARSE: return "parse error";
    case PKGAUTH_EIO: return "input/output error";
    case PKGAUTH_ENOMEM: return "out of memory";
    case PKGAUTH_EREADONLY: return "read only";
    case PKGAUTH_EUNAVAILABLE: return "unavailable";
    case PKGAUTH_ELOCKED: return "locked";
    case PKGAUTH_EUNREACHABLE: return "unreachable";
    case PKGAUTH_EHTTP: return "HTTP error";
    case PKGAUTH_EAUTH: return "authentication failed";
    default: return "unknown error";
    }
}

int pkgauth_oom(pkgauth_error *err)
{
    return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
}
