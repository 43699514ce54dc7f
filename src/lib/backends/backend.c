/* What every backend shares: its warnings go to the handler the store set
 * (include/pkgauth/sys/backend.h), so no backend needs to know the store. */
#include <stdarg.h>

#include "error.h"
#include "pkgauth/sys/backend.h"

void pkgauth_backend_warn(const pkgauth_backend *b, const char *fmt, ...)
{
    va_list ap;
    if (!b || !fmt)
        return;
    va_start(ap, fmt);
    pkgauth_warn_va(b->warn, b->warn_ctx, fmt, ap);
    va_end(ap);
}
