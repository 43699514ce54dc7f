#include "memory.h"

#include <stdlib.h>
#include <string.h>

#include "pkgauth/common.h"

void (*pkgauth_wipe_hook)(const void *p, size_t n);

char *pkgauth_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

void pkgauth_wipe_free(void *p, size_t n)
{
    if (p) {
        explicit_bzero(p, n);
        if (pkgauth_wipe_hook)
            pkgauth_wipe_hook(p, n);
        free(p);
    }
}

void pkgauth_free(char *s)
{
    if (s)
        pkgauth_wipe_free(s, strlen(s));
}
