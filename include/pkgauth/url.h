/* pkgauth: URLs, read the one way every part of the library reads them
 * (src/lib/url.c): which keys a URL is looked up by, whether a redirect
 * stays within an origin, the user name it carries, and the form in which
 * it may be shown. */
#ifndef PKGAUTH_URL_H
#define PKGAUTH_URL_H

#include "pkgauth/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Candidate keys for a URL in lookup order, for debugging and tests.
 * Calls fn for each; stops early when fn returns non-zero. */
PKGAUTH_API int pkgauth_url_candidates(const char *url,
                                       int (*fn)(void *ctx, const char *key),
                                       void *ctx, pkgauth_error *err);

/* Copies url with its password and any /t/<token>/ path segment replaced
 * by "********". Free with pkgauth_free(). NULL only when out of memory or
 * url is NULL. */
PKGAUTH_API char *pkgauth_url_redact(const char *url);

/* 1 when a and b have the same origin: scheme, host (case-insensitive) and
 * port, with the scheme's default port filled in. 0 otherwise, and for
 * URLs that cannot be parsed. */
PKGAUTH_API int pkgauth_url_same_origin(const char *a, const char *b);

/* The user name a URL carries (percent-decoded), or NULL when it has none
 * or cannot be parsed. Free with pkgauth_free(). */
PKGAUTH_API char *pkgauth_url_username(const char *url);

#ifdef __cplusplus
}
#endif
#endif
