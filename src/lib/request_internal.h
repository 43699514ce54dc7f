/* Internal: pieces of request.c that pypi.c applies the same way. */
#ifndef PKGAUTH_REQUEST_INTERNAL_H
#define PKGAUTH_REQUEST_INTERNAL_H

#include <stddef.h>

/* 1 when one of the header lines is an Authorization header: the caller
 * brought its own credential and nothing may be added. */
int pkgauth_headers_have_authorization(const char *const *headers, size_t n);

/* 1 when s may go into a request line or a header: it holds no CR or LF
 * (a NUL would end it). Everything pkgauth hands to an HTTP client passes
 * this check, whatever the source of the text, so no stored or supplied
 * value can add a header or split a request line. */
int pkgauth_wire_safe(const char *s);

/* 1 when headers holds n lines, none of them NULL (headers may be NULL
 * only when n is 0). */
int pkgauth_headers_valid(const char *const *headers, size_t n);

#endif
