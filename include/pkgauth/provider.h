/* pkgauth: credential providers, and one question for a request: "the
 * credential for this URL, now".
 *
 * Stores hold credentials (store.h; their backends: sys/backend.h).
 * Providers produce them on demand: the PyPI lookup with its `keyring`
 * program is the first (pkgauth_pypi_provider_new(), pypi.h); OAuth
 * refresh, the AWS credential chain, Google ADC, CI OIDC tokens and
 * external helper programs are meant to be added the same way.
 *
 * A context puts one store and any number of providers in a defined order,
 * and pkgauth_credential_acquire() asks them in that order:
 *   1. the providers added with PKGAUTH_PROVIDER_BEFORE_STORE, in the
 *      order they were added;
 *   2. the store (pkgauth_store_find(): exact host, s3:// prefixes,
 *      wildcards);
 *   3. the providers added with PKGAUTH_PROVIDER_AFTER_STORE, in order.
 * The first answer wins. PKGAUTH_ENOTFOUND passes the question on; any
 * other error ends it (it is the answer: a provider that failed must not
 * be silently replaced by a weaker credential). A provider that only
 * wants to be tried must therefore turn its own trouble into a warning
 * and PKGAUTH_ENOTFOUND, as the PyPI provider does with a missing
 * `keyring` program.
 *
 * Ownership: a context borrows its store (it must outlive the context)
 * and owns its providers (each one's free is called once, by
 * pkgauth_context_free()). What a provider answers (pkgauth_acquired)
 * belongs to the caller of acquire.
 *
 * Threads: build a context (new, add_provider) before sharing it; then
 * pkgauth_credential_acquire() and pkgauth_context_authenticate() may be
 * called from any number of threads at once. A provider whose acquire may
 * run in parallel sets parallel; for the others the context holds a
 * mutex of its own around every call. A provider that caches guards its
 * cache itself when it sets parallel.
 *
 * Caching and expiry: the context caches nothing; every acquire asks
 * again. A provider may cache what it produced (the PyPI provider keeps
 * a password per origin and user), and then answers from the cache only
 * while what it holds is good: it sets expires_at on every answer that
 * expires, and refreshes when asked with PKGAUTH_ACQUIRE_REFRESH or when
 * fewer than PKGAUTH_PROVIDER_REFRESH_MARGIN seconds are left. */
#ifndef PKGAUTH_PROVIDER_H
#define PKGAUTH_PROVIDER_H

#include <stdint.h>

#include "pkgauth/common.h"
#include "pkgauth/credential.h"
#include "pkgauth/request.h"
#include "pkgauth/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The layout of pkgauth_provider this header describes; a provider sets
 * .version to it and a context refuses any other (PKGAUTH_EINVAL). */
#define PKGAUTH_PROVIDER_VERSION 1

/* A cached credential this close (seconds) to its expiry is refreshed
 * rather than handed out: it could expire on the way to the server. */
#define PKGAUTH_PROVIDER_REFRESH_MARGIN 60

/* acquire flags. REFRESH: the server refused the credential last given
 * for this URL (HTTP 401/403); do not answer from a cache. */
#define PKGAUTH_ACQUIRE_REFRESH 1u

/* An answer. Cleared by pkgauth_acquired_clear(). */
typedef struct pkgauth_acquired {
    pkgauth_credential *credential; /* the caller's */
    /* The URL to send the request to, when it differs from the URL asked
     * about (the PyPI provider takes user info out), else NULL. Free with
     * pkgauth_free(). */
    char *url;
    /* Seconds since the epoch when credential stops being good; 0 = no
     * known expiry. A caller keeping a credential must acquire again
     * before then. */
    int64_t expires_at;
    /* Who answered, for messages: a provider's name and what it used
     * ("pypi: keyring"), or a store backend's name. Static or owned by the
     * provider or store: valid as long as the context. */
    const char *source;
    /* The storage key that matched, when the store answered, else NULL.
     * Free with pkgauth_free(); pkgauth_acquired_clear() frees both. */
    char *key;
} pkgauth_acquired;

PKGAUTH_API void pkgauth_acquired_clear(pkgauth_acquired *a);

typedef struct pkgauth_provider pkgauth_provider;

/* Every provider struct starts with this, filled in by its constructor. */
struct pkgauth_provider {
    unsigned int version; /* PKGAUTH_PROVIDER_VERSION */
    /* Shown to users ("pypi"); owned by the provider (its free releases
     * it). */
    char *name;
    int parallel; /* acquire may run in several threads at once */
    /* The credential for url now. first_url is NULL for the first request
     * of a chain; for a redirect hop within first_url's origin it is the
     * chain's first URL (the PyPI provider keeps its user). flags:
     * PKGAUTH_ACQUIRE_*. On PKGAUTH_OK *out (zeroed by the caller) holds
     * the answer; PKGAUTH_ENOTFOUND: not this provider's URL or nothing
     * for it. err is never NULL; its message holds no secret. */
    int (*acquire)(pkgauth_provider *p, const char *url, const char *first_url,
                   unsigned int flags, pkgauth_acquired *out, pkgauth_error *err);
    void (*free)(pkgauth_provider *p);
};

/* A store and providers in order (see the top of this header). */
typedef struct pkgauth_context pkgauth_context;

typedef enum pkgauth_provider_order {
    PKGAUTH_PROVIDER_BEFORE_STORE = 1,
    PKGAUTH_PROVIDER_AFTER_STORE,
} pkgauth_provider_order;

/* store: borrowed, may be NULL (providers only). Free *out with
 * pkgauth_context_free(). */
PKGAUTH_API int pkgauth_context_new(pkgauth_context **out, pkgauth_store *store,
                                    pkgauth_error *err);
/* Adds p where order says. On success the context owns p; on failure
 * (PKGAUTH_EINVAL: another .version, no acquire, free or name; or
 * PKGAUTH_ENOMEM) it does not. */
PKGAUTH_API int pkgauth_context_add_provider(pkgauth_context *ctx, pkgauth_provider *p,
                                             pkgauth_provider_order order, pkgauth_error *err);
/* Frees the providers (not the store). NULL is fine. */
PKGAUTH_API void pkgauth_context_free(pkgauth_context *ctx);

/* The credential for url now, in the context's order. *out is cleared
 * first, filled on PKGAUTH_OK; release it with pkgauth_acquired_clear().
 * PKGAUTH_ENOTFOUND when nothing answers; PKGAUTH_EINVAL for a URL that
 * cannot be parsed (common.h). */
PKGAUTH_API int pkgauth_credential_acquire(pkgauth_context *ctx, const char *url,
                                           unsigned int flags, pkgauth_acquired *out,
                                           pkgauth_error *err);

/* pkgauth_request_authenticate() through the context: a request that
 * already carries an Authorization line is not looked up (the store's
 * rules apply to it unchanged); else the providers before the store are
 * asked, then the store (with everything pkgauth_request_authenticate()
 * does: conda tokens, s3:// presigning with s3-options), then the
 * providers after it. first_url: as for a provider's acquire. Free *out
 * with pkgauth_request_free(). */
PKGAUTH_API int pkgauth_context_authenticate(pkgauth_context *ctx, const char *method,
                                             const char *url, const char *first_url,
                                             const char *const *headers, size_t n_headers,
                                             pkgauth_request **out, pkgauth_error *err);
/* The same, as a pkgauth_authenticate_cb (request.h) with the context as
 * payload: pkgauth_curl_prepare_cb(easy, pkgauth_context_authenticate_cb,
 * ctx, ...). */
PKGAUTH_API int pkgauth_context_authenticate_cb(void *ctx, const char *method, const char *url,
                                                const char *first_url,
                                                const char *const *headers, size_t n_headers,
                                                pkgauth_request **out, pkgauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
