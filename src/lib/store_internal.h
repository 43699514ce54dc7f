/* Internal: the store's layout, shared by store.c, resolve.c, resolve_s3.c
 * and open.c. Backends never include this: they know only
 * include/pkgauth/sys/backend.h. */
#ifndef PKGAUTH_STORE_INTERNAL_H
#define PKGAUTH_STORE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "pkgauth/sys/backend.h"

/* A store is used from any number of threads: lookups and listings hold
 * lock for reading (in parallel), changes to the chain or its contents
 * for writing (alone). Public functions take it; the internal ones below
 * expect it held. */
/* One backend of the chain and the mutex the store holds around its
 * calls when it cannot take parallel reads (sys/backend.h). */
typedef struct pkgauth_slot {
    pkgauth_backend *backend;
    pthread_mutex_t serial;
} pkgauth_slot;

struct pkgauth_store {
    pthread_rwlock_t lock;
    pkgauth_slot **slots; /* pointers: a mutex must not move */
    size_t count;
    pkgauth_warn_fn warn;
    void *warn_ctx;
    atomic_int warned_skip; /* a skipped-backend warning was already given */
    const struct pkgauth_config *config; /* borrowed; may be NULL */
};

/* The store's lock (const: reading a store is not changing it). */
void pkgauth_store_read_lock(const pkgauth_store *s);
void pkgauth_store_write_lock(pkgauth_store *s);
void pkgauth_store_unlock(const pkgauth_store *s);

/* Backend i's list operation, serialised as its parallel_reads asks;
 * PKGAUTH_EUNAVAILABLE for a backend that cannot list. The caller holds
 * the read lock. */
int pkgauth_store_list_at(pkgauth_store *s, size_t i, pkgauth_list_fn fn, void *ctx,
                          pkgauth_error *err);

/* pkgauth_store_get without the "not found" message, for the hot path of
 * URL resolution where most probes miss. The caller holds the read lock. */
int pkgauth_store_lookup(pkgauth_store *s, const char *key, pkgauth_credential **out,
                         const char **backend, pkgauth_error *err);

/* The s3:// keys of every store, listed once for a URL with many prefixes
 * (resolve_s3.c); NULL when the URL has few, or a store cannot list: then
 * every prefix is probed. The caller holds the read lock. */
typedef struct pkgauth_key_set pkgauth_key_set;
pkgauth_key_set *pkgauth_s3_known_keys(pkgauth_store *s, const char *url);
/* 0 only when key is an s3:// key that k knows no store holds. */
int pkgauth_key_set_may_hold(const pkgauth_key_set *k, const char *key);
void pkgauth_key_set_free(pkgauth_key_set *k);

/* Sends a formatted one-line warning to the store's handler, if any. */
void pkgauth_store_warn(pkgauth_store *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
