/* Internal: the PyPI lookup's hook for redirects (curl.c). */
#ifndef PKGAUTH_PYPI_INTERNAL_H
#define PKGAUTH_PYPI_INTERNAL_H

#include "pkgauth/pypi.h"

/* pkgauth_pypi_authenticate() for url, the next hop of a redirect chain
 * that started at first_url (same origin: checked by the caller). The
 * server's Location has no user info, so first_url's is put on url first:
 * the hop is authenticated as the same user, from the cache. */
int pkgauth_pypi_authenticate_hop(pkgauth_pypi *pypi, const char *first_url, const char *url,
                                  const char *const *headers, size_t n_headers,
                                  pkgauth_request **out, pkgauth_error *err);

#endif
