#include "dynbuf.h"

#include <stdlib.h>

#include "memory.h"

int pkgauth_buf_grow(pkgauth_buf *b, size_t need)
{
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return 0;
        }
        cap *= 2;
    }
    char *p = malloc(cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    /* Copy rather than realloc, so the old block (which may hold a token)
     * is wiped before it is released. */
    if (b->p)
        memcpy(p, b->p, b->len);
    p[b->len] = '\0';
    pkgauth_wipe_free(b->p, b->cap);
    b->p = p;
    b->cap = cap;
    return 1;
}

const char *pkgauth_buf_cstr(pkgauth_buf *b)
{
    if (!b->p && !pkgauth_buf_grow(b, 1))
        return "";
    b->p[b->len] = '\0';
    return b->p;
}

char *pkgauth_buf_take(pkgauth_buf *b)
{
    if (!b->p)
        pkgauth_buf_reserve(b, 0);
    if (b->oom) {
        pkgauth_buf_wipe_free(b);
        return NULL;
    }
    char *s = b->p;
    *b = (pkgauth_buf)PKGAUTH_BUF_INIT;
    return s;
}

void pkgauth_buf_wipe_free(pkgauth_buf *b)
{
    pkgauth_wipe_free(b->p, b->cap);
    *b = (pkgauth_buf)PKGAUTH_BUF_INIT;
}
