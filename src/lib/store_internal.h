/* Internal: the store's layout, shared by store.c, resolve.c and open.c. */
#ifndef PKGAUTH_STORE_INTERNAL_H
#define PKGAUTH_STORE_INTERNAL_H

#include "backend.h"

struct pkgauth_store {
    pkgauth_backend **backends;
    size_t count;
    pkgauth_warn_fn warn;
    void *warn_ctx;
    int warned_skip; /* a skipped-backend warning was already given */
    const struct pkgauth_config *config; /* borrowed; may be NULL */
};

/* pkgauth_store_get without the "not found" message, for the hot path of
 * URL resolution where most probes miss. */
int pkgauth_store_lookup(pkgauth_store *s, const char *key, pkgauth_credential **out,
                         const char **backend, pkgauth_error *err);

/* Sends a formatted one-line warning to the store's handler, if any. */
void pkgauth_store_warn(pkgauth_store *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
