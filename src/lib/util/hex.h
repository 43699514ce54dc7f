/* Hexadecimal digits: the one decoder (SigV4 percent-decoding, TOML and
 * JSON \u escapes, TOML hex integers). */
#ifndef PKGAUTH_HEX_H
#define PKGAUTH_HEX_H

#include <stdint.h>

/* The value of hex digit c (either case), or -1 when c is not one. */
static inline int pkgauth_hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The value of the n (at most 8) hex digits at s, or -1 when one of them is
 * not a hex digit. */
static inline int64_t pkgauth_hex_decode(const void *s, int n)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        int d = pkgauth_hex_value(((const unsigned char *)s)[i]);
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

#endif
