/* pkgauth: the storage backend interface, for programs that plug their
 * own credential store into a chain (the way a macOS Keychain or Windows
 * Credential Manager backend would be added).
 *
 * pkgauth's own backends (memory, JSON file, Secret Service keyring,
 * netrc; src/lib/backends/) are written against this header only; the
 * store (store.c) talks to every backend through it and nothing else.
 *
 * A backend is a struct that starts with a pkgauth_backend, filled in by
 * its constructor:
 *
 *     typedef struct { pkgauth_backend base; ... } my_backend;
 *     static const pkgauth_backend_ops my_ops = {.get = my_get, .free = my_free};
 *     my_backend *m = calloc(1, sizeof *m);
 *     m->base.version = PKGAUTH_BACKEND_VERSION;
 *     m->base.ops = &my_ops;
 *     m->base.name = strdup("my store");
 *     pkgauth_store_add_backend(store, &m->base, &err);
 *
 * Ownership: pkgauth_store_add_backend() hands the backend to the store,
 * which calls ops->free once, from pkgauth_store_free(). Every credential
 * passed to a backend is borrowed for the call; every credential it
 * returns through get is the caller's (a new one per call).
 *
 * Threads: the store calls get and list under its read lock, possibly
 * from many threads at once, and store, remove and free under its write
 * lock (alone). A backend whose get and list may run in parallel sets
 * parallel_reads (and guards any cache it fills while reading itself);
 * for the others the store holds a mutex of its own around every call,
 * so they see one call at a time. The warning handler may be called from
 * any of those calls. */
#ifndef PKGAUTH_SYS_BACKEND_H
#define PKGAUTH_SYS_BACKEND_H

#include "pkgauth/common.h"
#include "pkgauth/credential.h"
#include "pkgauth/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The layout of pkgauth_backend and pkgauth_backend_ops this header
 * describes. A backend sets .version to it; the store refuses any other
 * (PKGAUTH_EINVAL), so a backend built against another layout is never
 * called through the wrong one. */
#define PKGAUTH_BACKEND_VERSION 1

typedef struct pkgauth_backend pkgauth_backend;

/* Receives one entry of a listing; return non-zero to stop. */
typedef int (*pkgauth_list_fn)(void *ctx, const char *key, const pkgauth_credential *cred);

/* Every operation gets the backend and an error to fill (never NULL) with
 * a one-line message that holds no secret. get and free are required; the
 * others may be NULL: "not supported", with the meaning given below. */
typedef struct pkgauth_backend_ops {
    /* *out = a new credential for key; PKGAUTH_ENOTFOUND when absent. May
     * return PKGAUTH_EUNAVAILABLE (no such store here: skipped silently) or
     * PKGAUTH_ELOCKED / PKGAUTH_EUNREACHABLE (the store may hold the key but
     * cannot be asked: skipped by reads with a warning, refused by deletes
     * unless forced). Any other error fails the lookup. */
    int (*get)(pkgauth_backend *b, const char *key, pkgauth_credential **out, pkgauth_error *err);
    /* Stores (replaces) key. PKGAUTH_EREADONLY / PKGAUTH_EUNAVAILABLE mean
     * "does not accept writes": the chain tries the next backend.
     * NULL: read only (as PKGAUTH_EREADONLY). */
    int (*store)(pkgauth_backend *b, const char *key, const pkgauth_credential *cred,
                 pkgauth_error *err);
    /* Removes key; PKGAUTH_ENOTFOUND when absent, PKGAUTH_EREADONLY when it
     * has the key but cannot remove it. NULL: read only (a key that get
     * finds is reported as not removable). */
    int (*remove)(pkgauth_backend *b, const char *key, pkgauth_error *err);
    /* Calls fn for every entry, in any order; cred is NULL for an entry
     * that is there but is not one credential (invalid data, duplicates).
     * NULL: cannot be listed (listings leave it out; lookups still ask). */
    int (*list)(pkgauth_backend *b, pkgauth_list_fn fn, void *ctx, pkgauth_error *err);
    void (*free)(pkgauth_backend *b);
    /* Where this backend keeps secrets unencrypted (a file path, shown in
     * the warning the store gives when a write lands there because an
     * encrypted store before it is missing), or NULL. NULL operation:
     * nothing is said (an encrypting store, or one with nothing to show). */
    const char *(*plaintext_location)(const pkgauth_backend *b);
} pkgauth_backend_ops;

/* Every backend struct starts with this. */
struct pkgauth_backend {
    unsigned int version;           /* PKGAUTH_BACKEND_VERSION */
    const pkgauth_backend_ops *ops; /* borrowed: usually a static table */
    /* Shown to users, e.g. "file (<path>)", "secret service (keyring)".
     * Owned by the backend (its free releases it); the store hands it out
     * as long as it lives. */
    char *name;
    int parallel_reads; /* get and list may run in parallel (see above) */
    /* Where warnings go; set by the store when the backend is added (NULL:
     * dropped). Backends report through pkgauth_backend_warn(). */
    pkgauth_warn_fn warn;
    void *warn_ctx;
};

/* Sends a formatted one-line warning (no secret in it) to b's handler, if
 * any. Nothing happens for a NULL b or fmt. */
PKGAUTH_API void pkgauth_backend_warn(const pkgauth_backend *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends b to the end of store's chain (after the backends already there;
 * pkgauth_store_new() gives an empty chain to build from). On success the
 * store owns b; on failure (PKGAUTH_EINVAL: another .version, no ops, get,
 * free or name; PKGAUTH_ENOMEM) it does not, and nothing was called. b's
 * warning handler becomes the store's. */
PKGAUTH_API int pkgauth_store_add_backend(pkgauth_store *store, pkgauth_backend *b,
                                          pkgauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
