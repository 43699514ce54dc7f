/* pkgauth: credential stores and finding the credential for a URL.
 * Strings returned here are freed with pkgauth_free() (keys inside a
 * match or an entry list go with pkgauth_match_clear() and
 * pkgauth_entries_free()).
 *
 * A store is an ordered chain of backends (keyring, JSON file, netrc, ...).
 * Reads take the first backend that holds a key, writes go to the first
 * backend that accepts them, deletes remove the key from every backend.
 *
 * Threads: a store may be used from any number of threads at once, with no
 * locking by the caller. Lookups and listings (get, find, find_host, list,
 * backend_count/name) run in parallel; set, delete and add_* wait for them
 * and run one at a time. Every credential, key and entry returned is the
 * caller's own copy, unaffected by later writes. Only pkgauth_store_free()
 * must not overlap any other call on the store. The warning handler may be
 * called from any thread that uses the store, with the store busy: it must
 * not call back into the store. */
#ifndef PKGAUTH_STORE_H
#define PKGAUTH_STORE_H

#include "pkgauth/common.h"
#include "pkgauth/url.h" /* its URL functions were declared here */
#include "pkgauth/credential.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pkgauth_store pkgauth_store;


/* Start from PKGAUTH_STORE_OPTIONS_INIT, then set fields:
 *   pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
 *   o.auth_file = "/path/credentials.json";
 * A version this library does not know (0: not initialised with the
 * macro) is refused with PKGAUTH_EINVAL. */
#define PKGAUTH_STORE_OPTIONS_VERSION 1
typedef struct pkgauth_store_options {
    unsigned int version; /* PKGAUTH_STORE_OPTIONS_VERSION */
    /* --auth-file: the only source unless RATTLER_AUTH_FILE is set. */
    const char *auth_file;
    /* pixi's authentication-override-file setting (below auth_file). */
    const char *override_file;
    /* Used instead of $HOME for ~/.rattler/credentials.json (tests). */
    const char *home;
    /* Where warnings go; NULL drops them. */
    pkgauth_warn_fn warn;
    void *warn_ctx;
    /* pixi's configuration, for what requests through this store need
     * (s3-options). Borrowed: it must outlive the store. NULL: the default
     * configuration files are read when a request needs them. */
    const struct pkgauth_config *config;
} pkgauth_store_options;
#define PKGAUTH_STORE_OPTIONS_INIT {PKGAUTH_STORE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL}

/* Builds the chain pixi uses: RATTLER_AUTH_FILE alone if set, else
 * opts->auth_file alone, else opts->override_file alone, else the default
 * chain (keyring when built in, ~/.rattler/credentials.json, netrc).
 * opts may be NULL. Nothing is read until first use. */
PKGAUTH_API int pkgauth_store_open(pkgauth_store **out, const pkgauth_store_options *opts,
                                   pkgauth_error *err);
/* An empty chain, to be filled with pkgauth_store_add_*() (a backend of
 * the program's own: pkgauth_store_add_backend(), pkgauth/sys/backend.h). */
PKGAUTH_API int pkgauth_store_new(pkgauth_store **out, pkgauth_error *err);
/* Appends the JSON credentials file at path (need not exist yet). */
PKGAUTH_API int pkgauth_store_add_file(pkgauth_store *store, const char *path, pkgauth_error *err);
/* Appends an in-memory backend (for tests and embedders). */
PKGAUTH_API int pkgauth_store_add_memory(pkgauth_store *store, pkgauth_error *err);
PKGAUTH_API void pkgauth_store_free(pkgauth_store *store);

/* Number of backends, and the display name of backend i, e.g.
 * "file (/home/u/.rattler/credentials.json)" (owned by the store). */
PKGAUTH_API size_t pkgauth_store_backend_count(const pkgauth_store *store);
PKGAUTH_API const char *pkgauth_store_backend_name(const pkgauth_store *store, size_t i);

/* Exact-key operations. get: *out is a new credential (caller frees) and
 * *backend (may be NULL) the name of the backend it came from; returns
 * PKGAUTH_ENOTFOUND when no backend has key. set: *backend (may be NULL)
 * receives the name of the backend that took the write. del: removes key
 * from every backend; *removed (may be NULL) counts them; PKGAUTH_ENOTFOUND
 * when none had it, PKGAUTH_EREADONLY when only read-only backends (netrc)
 * had it (each of those is also reported through the warning handler).
 * When a backend that may hold key cannot be asked (a keyring that is
 * locked or does not answer), del removes nothing anywhere and returns
 * PKGAUTH_ELOCKED / PKGAUTH_EUNREACHABLE: the key would stay in effect.
 * del_force removes it from every other backend instead, with a warning. */
PKGAUTH_API int pkgauth_store_get(pkgauth_store *store, const char *key,
                                  pkgauth_credential **out, const char **backend,
                                  pkgauth_error *err);
/* pkgauth_store_set refuses (PKGAUTH_EINVAL, naming the field, never its
 * value) a credential with a field that is not UTF-8 or holds a control
 * character, or a conda token holding '/', '?', '#', '%' or white space:
 * no store may hold what could not be sent safely. */
PKGAUTH_API int pkgauth_store_set(pkgauth_store *store, const char *key,
                                  const pkgauth_credential *cred, const char **backend,
                                  pkgauth_error *err);
PKGAUTH_API int pkgauth_store_delete(pkgauth_store *store, const char *key,
                                     size_t *removed, pkgauth_error *err);
PKGAUTH_API int pkgauth_store_delete_force(pkgauth_store *store, const char *key,
                                           size_t *removed, pkgauth_error *err);

/* The credential a request to url would use (compat.md): the host exactly,
 * for s3:// the URL and its prefixes, then "*." wildcards; when every one
 * of those keys misses in every store, a netrc `default` entry (reported
 * with key "default"; never for s3:// URLs). */
typedef struct pkgauth_match {
    pkgauth_credential *credential; /* owned by the match */
    char *key;                      /* the storage key that matched (owned) */
    const char *backend;            /* backend name, owned by the store */
} pkgauth_match;

/* Fills *match; PKGAUTH_ENOTFOUND when nothing matches, PKGAUTH_EINVAL for
 * a URL that cannot be parsed. Release with pkgauth_match_clear(). */
PKGAUTH_API int pkgauth_store_find(pkgauth_store *store, const char *url,
                                   pkgauth_match *match, pkgauth_error *err);
PKGAUTH_API void pkgauth_match_clear(pkgauth_match *match);
/* pkgauth_store_find() for https://HOST, given only a host name (with an
 * optional :port). A plain host name is resolved without parsing a URL, so
 * a program that only asks for hosts never needs to load libcurl. */
PKGAUTH_API int pkgauth_store_find_host(pkgauth_store *store, const char *host,
                                        pkgauth_match *match, pkgauth_error *err);

/* Every entry of every backend, sorted by key then chain order. */
typedef struct pkgauth_entry {
    char *key;
    /* NULL for an entry that is not one usable credential (a keyring item
     * whose secret is not a credential, or a key matched by several
     * keyring items): lookups of its key fail; deleting the key removes it. */
    pkgauth_credential *credential;
    const char *backend; /* owned by the store */
    int shadowed;        /* an earlier backend has the same key */
} pkgauth_entry;

/* *entries is an array of *count entries, freed with pkgauth_entries_free. */
PKGAUTH_API int pkgauth_store_list(pkgauth_store *store, pkgauth_entry **entries,
                                   size_t *count, pkgauth_error *err);
/* Receives a backend that may hold entries but could not be asked (a
 * keyring that is locked or does not answer) and why, in one line. */
typedef void (*pkgauth_unreachable_fn)(void *ctx, const char *backend, const char *why);
/* pkgauth_store_list(), which reports such a backend through the warning
 * handler, except that it goes to unreachable (when not NULL) instead. */
PKGAUTH_API int pkgauth_store_list_ex(pkgauth_store *store, pkgauth_entry **entries,
                                      size_t *count, pkgauth_unreachable_fn unreachable,
                                      void *ctx, pkgauth_error *err);
PKGAUTH_API void pkgauth_entries_free(pkgauth_entry *entries, size_t count);

/* The storage key pixi's `auth login HOST` writes: the host part of a URL,
 * "*." before a host with exactly one dot, lower-cased; "*.x" and s3://
 * keys are kept as typed (an s3:// key needs a bucket: "s3:///x" is
 * PKGAUTH_EINVAL). Free with pkgauth_free(). */
PKGAUTH_API int pkgauth_login_key(const char *host, char **key, pkgauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
