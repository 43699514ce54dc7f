/* A growable byte buffer that may hold secrets (curl: lib/curlx/dynbuf.c).
 *
 * It never leaves a copy behind: growing copies into a new block and wipes
 * the old one (no realloc), and pkgauth_buf_wipe_free wipes the whole
 * capacity. The text is always NUL-terminated once the buffer holds a
 * block. Allocation failure is sticky: after one, every append does
 * nothing and returns 0, so a caller may check once at the end. */
#ifndef PKGAUTH_DYNBUF_H
#define PKGAUTH_DYNBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct pkgauth_buf {
    char *p;
    size_t len, cap;
    int oom; /* sticky: an allocation failed */
} pkgauth_buf;

#define PKGAUTH_BUF_INIT {0}

/* Makes room for need bytes in all (len + extra + 1); 0 on failure. */
int pkgauth_buf_grow(pkgauth_buf *b, size_t need);

/* Room for extra more bytes and the NUL; 0 (and oom set) on failure. */
static inline int pkgauth_buf_reserve(pkgauth_buf *b, size_t extra)
{
    if (b->oom)
        return 0;
    if (extra >= SIZE_MAX - b->len - 1) {
        b->oom = 1;
        return 0;
    }
    return b->len + extra + 1 <= b->cap || pkgauth_buf_grow(b, b->len + extra + 1);
}

/* Appends n bytes at s; 1 on success, 0 once an allocation has failed. */
static inline int pkgauth_buf_put(pkgauth_buf *b, const char *s, size_t n)
{
    if (!pkgauth_buf_reserve(b, n))
        return 0;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 1;
}

static inline int pkgauth_buf_puts(pkgauth_buf *b, const char *s)
{
    return pkgauth_buf_put(b, s, strlen(s));
}

static inline int pkgauth_buf_putc(pkgauth_buf *b, char c)
{
    return pkgauth_buf_put(b, &c, 1);
}

/* The text, NUL-terminated at len (also after len was set back by hand);
 * "" when no block can be had. */
const char *pkgauth_buf_cstr(pkgauth_buf *b);

/* Gives the text away (free it with pkgauth_wipe_free(s, cap) or, being a
 * string, pkgauth_free) and empties the buffer; an empty buffer gives "".
 * NULL after an allocation failure (the buffer is then wiped and freed). */
char *pkgauth_buf_take(pkgauth_buf *b);

/* Wipes the whole block, frees it and empties the buffer. */
void pkgauth_buf_wipe_free(pkgauth_buf *b);

#endif
