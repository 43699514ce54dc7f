/* The storage backend interface. Each backend (memory, file, keyring,
 * netrc) lives in its own backend_<name>.c and fills in these operations;
 * the store chain (store.c) only ever talks to this interface. */
#ifndef PKGAUTH_BACKEND_H
#define PKGAUTH_BACKEND_H

#include "pkgauth/common.h"
#include "pkgauth/credential.h"
#include "pkgauth/store.h"

typedef struct pkgauth_backend pkgauth_backend;

/* Receives one entry of a listing; return non-zero to stop. */
typedef int (*pkgauth_list_fn)(void *ctx, const char *key, const pkgauth_credential *cred);

typedef struct pkgauth_backend_ops {
    /* *out = a new credential for key; PKGAUTH_ENOTFOUND when absent. May
     * return PKGAUTH_ELOCKED / PKGAUTH_EUNAVAILABLE, which the chain treats
     * as "skip this backend, with a warning". */
    int (*get)(pkgauth_backend *b, const char *key, pkgauth_credential **out, pkgauth_error *err);
    /* Stores (replaces) key. PKGAUTH_EREADONLY / PKGAUTH_EUNAVAILABLE mean
     * "does not accept writes": the chain tries the next backend. */
    int (*store)(pkgauth_backend *b, const char *key, const pkgauth_credential *cred,
                 pkgauth_error *err);
    /* Removes key; PKGAUTH_ENOTFOUND when absent, PKGAUTH_EREADONLY when it
     * has the key but cannot remove it. */
    int (*remove)(pkgauth_backend *b, const char *key, pkgauth_error *err);
    /* Calls fn for every entry, in any order. */
    int (*list)(pkgauth_backend *b, pkgauth_list_fn fn, void *ctx, pkgauth_error *err);
    void (*free)(pkgauth_backend *b);
} pkgauth_backend_ops;

/* Every backend struct starts with this. */
struct pkgauth_backend {
    const pkgauth_backend_ops *ops;
    char *name; /* shown to users: "file (<path>)", "secret service (keyring)" */
};

/* Constructors. Each returns PKGAUTH_OK and a backend the chain will own. */
int pkgauth_backend_memory_new(pkgauth_backend **out, pkgauth_error *err);
/* The JSON credentials file at path; warnings (a file others can read) go
 * to store's handler. */
int pkgauth_backend_file_new(pkgauth_store *store, const char *path, pkgauth_backend **out,
                             pkgauth_error *err);
/* The Secret Service keyring (backend_keyring.c, built when
 * PKGAUTH_HAVE_KEYRING). Contacts nothing until first used; answers
 * PKGAUTH_EUNAVAILABLE when no keyring can be reached. */
int pkgauth_backend_keyring_new(pkgauth_backend **out, pkgauth_error *err);
/* Milliseconds its first use spent looking for the keyring (0 before). */
double pkgauth_backend_keyring_detect_ms(const pkgauth_backend *b);

/* The netrc file at path as a read-only store (backend_netrc.c), read on
 * first use. warn_missing: a missing file is one warning through store's
 * handler (the user named it: $NETRC) instead of a silent empty store. */
int pkgauth_backend_netrc_new(pkgauth_store *store, const char *path, int warn_missing,
                              pkgauth_backend **out, pkgauth_error *err);
/* Appends a backend to the chain, which takes ownership (also on failure). */
int pkgauth_store_append(pkgauth_store *store, pkgauth_backend *b, pkgauth_error *err);

#endif
