/* The storage backend interface. Each backend (memory, file, keyring,
 * netrc) lives in its own backend_<name>.c and fills in these operations;
 * the store chain (store.c) only ever talks to this interface. */
#ifndef PKGAUTH_BACKEND_H
#define PKGAUTH_BACKEND_H

#include <pthread.h>

#include "pkgauth/common.h"
#include "pkgauth/credential.h"
#include "pkgauth/store.h"

typedef struct pkgauth_backend pkgauth_backend;

/* Receives one entry of a listing; return non-zero to stop. */
typedef int (*pkgauth_list_fn)(void *ctx, const char *key, const pkgauth_credential *cred);

typedef struct pkgauth_backend_ops {
    /* *out = a new credential for key; PKGAUTH_ENOTFOUND when absent. May
     * return PKGAUTH_EUNAVAILABLE (no such store here: skipped silently) or
     * PKGAUTH_ELOCKED / PKGAUTH_EUNREACHABLE (the store may hold the key but
     * cannot be asked: skipped by reads with a warning, refused by deletes
     * unless forced). */
    int (*get)(pkgauth_backend *b, const char *key, pkgauth_credential **out, pkgauth_error *err);
    /* Stores (replaces) key. PKGAUTH_EREADONLY / PKGAUTH_EUNAVAILABLE mean
     * "does not accept writes": the chain tries the next backend. */
    int (*store)(pkgauth_backend *b, const char *key, const pkgauth_credential *cred,
                 pkgauth_error *err);
    /* Removes key; PKGAUTH_ENOTFOUND when absent, PKGAUTH_EREADONLY when it
     * has the key but cannot remove it. */
    int (*remove)(pkgauth_backend *b, const char *key, pkgauth_error *err);
    /* Calls fn for every entry, in any order; cred is NULL for an entry
     * that is there but is not one credential (invalid data, duplicates). */
    int (*list)(pkgauth_backend *b, pkgauth_list_fn fn, void *ctx, pkgauth_error *err);
    void (*free)(pkgauth_backend *b);
} pkgauth_backend_ops;

/* Every backend struct starts with this.
 *
 * Threads: the store calls get and list under its read lock (many threads
 * at once) and store, remove and free under its write lock (alone). A
 * backend whose get/list may run in parallel sets parallel_reads (it then
 * guards any cache it fills while reading); for the others the store
 * holds serial around every call (pkgauth_backend_enter). */
struct pkgauth_backend {
    const pkgauth_backend_ops *ops;
    char *name; /* shown to users: "file (<path>)", "secret service (keyring)" */
    int parallel_reads;
    pthread_mutex_t serial; /* set up by pkgauth_store_append */
};

/* Around every call of a backend operation: serialises the calls of a
 * backend that cannot take parallel reads. */
void pkgauth_backend_enter(pkgauth_backend *b);
void pkgauth_backend_leave(pkgauth_backend *b);

/* Constructors. Each returns PKGAUTH_OK and a backend the chain will own. */
int pkgauth_backend_memory_new(pkgauth_backend **out, pkgauth_error *err);
/* The JSON credentials file at path; warnings (a file others can read) go
 * to store's handler. */
int pkgauth_backend_file_new(pkgauth_store *store, const char *path, pkgauth_backend **out,
                             pkgauth_error *err);
/* The Secret Service keyring (backend_keyring.c, built when
 * PKGAUTH_HAVE_KEYRING). Contacts nothing until first used; answers
 * PKGAUTH_EUNAVAILABLE when there is no keyring, PKGAUTH_EUNREACHABLE when
 * one is there but does not answer. Warnings go to store's handler (store
 * may be NULL: none). */
int pkgauth_backend_keyring_new(pkgauth_store *store, pkgauth_backend **out, pkgauth_error *err);
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
