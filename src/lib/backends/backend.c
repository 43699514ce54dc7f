/* What every backend shares: its warnings go to the handler the store set
 * (include/pkgauth/sys/backend.h), so no backend needs to know the store. */
#include <stdarg.h>
#include <stdio.h>

#include "pkgauth/sys/backend.h"

void pkgauth_backend_warn(const pkgauth_backend *b, const char *fmt, ...)
{
    if (!b || !fmt || !b->warn)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    b->warn(b->warn_ctx, msg);
}
