/* The provider layer (include/pkgauth/provider.h): a context asks the
 * providers before the store, the store, then the providers after it,
 * for "the credential for this URL now". The context caches nothing:
 * caching and refreshing are each provider's (it knows what expires). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "memory.h"
#include "pkgauth/provider.h"
#include "request_internal.h"
#include "url_internal.h"

/* One provider and the mutex held around its calls when it is not
 * parallel. */
typedef struct {
    pkgauth_provider *provider;
    pkgauth_provider_order order;
    pthread_mutex_t serial;
} entry;

struct pkgauth_context {
    pkgauth_store *store; /* borrowed; may be NULL */
    entry **entries;      /* pointers: a mutex must not move */
    size_t count;
};

void pkgauth_acquired_clear(pkgauth_acquired *a)
{
    if (!a)
        return;
    pkgauth_credential_free(a->credential);
    pkgauth_free(a->url);
    pkgauth_free(a->key);
    memset(a, 0, sizeof *a);
}

int pkgauth_context_new(pkgauth_context **out, pkgauth_store *store, pkgauth_error *err)
{
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "context_new: out is required");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    (*out)->store = store;
    return PKGAUTH_OK;
}

void pkgauth_context_free(pkgauth_context *ctx)
{
    if (!ctx)
        return;
    for (size_t i = 0; i < ctx->count; i++) {
        pthread_mutex_destroy(&ctx->entries[i]->serial);
        ctx->entries[i]->provider->free(ctx->entries[i]->provider);
        free(ctx->entries[i]);
    }
    free(ctx->entries);
    free(ctx);
}

static int check_provider(const pkgauth_provider *p, pkgauth_provider_order order,
                          pkgauth_error *err)
{
    if (p->version != PKGAUTH_PROVIDER_VERSION)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "context_add_provider: provider interface version %u, this "
                                 "library has version %d", p->version, PKGAUTH_PROVIDER_VERSION);
    if (!p->acquire || !p->free || !p->name)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "context_add_provider: a provider's acquire, free and name "
                                 "are required");
    if (order != PKGAUTH_PROVIDER_BEFORE_STORE && order != PKGAUTH_PROVIDER_AFTER_STORE)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "context_add_provider: unknown order %d",
                                 (int)order);
    return PKGAUTH_OK;
}

int pkgauth_context_add_provider(pkgauth_context *ctx, pkgauth_provider *p,
                                 pkgauth_provider_order order, pkgauth_error *err)
{
    if (!ctx || !p)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "context_add_provider: context and provider are required");
    int rc = check_provider(p, order, err);
    if (rc)
        return rc;
    entry *e = calloc(1, sizeof *e);
    entry **grown = e ? realloc(ctx->entries, (ctx->count + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(e);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&e->serial, NULL);
    e->provider = p;
    e->order = order;
    ctx->entries = grown;
    ctx->entries[ctx->count++] = e;
    return PKGAUTH_OK;
}

/* One provider's answer, serialised when it is not parallel. */
static int ask(entry *e, const char *url, const char *first_url, unsigned flags,
               pkgauth_acquired *out, pkgauth_error *err)
{
    pkgauth_provider *p = e->provider;
    pkgauth_error mine = {0};
    if (!p->parallel)
        pthread_mutex_lock(&e->serial);
    int rc = p->acquire(p, url, first_url, flags, out, &mine);
    if (!p->parallel)
        pthread_mutex_unlock(&e->serial);
    if (!rc && !out->credential)
        rc = pkgauth_error_set(&mine, PKGAUTH_EINVAL, "provider %s answered no credential",
                               p->name);
    if (rc)
        pkgauth_acquired_clear(out); /* nothing half-filled passes on */
    else if (!out->source)
        out->source = p->name;
    if (rc && rc != PKGAUTH_ENOTFOUND && err)
        *err = mine;
    return rc;
}

/* The providers on one side of the store, in order; PKGAUTH_ENOTFOUND
 * when none answers. */
static int ask_side(pkgauth_context *ctx, pkgauth_provider_order side, const char *url,
                    const char *first_url, unsigned flags, pkgauth_acquired *out,
                    pkgauth_error *err)
{
    int rc = PKGAUTH_ENOTFOUND;
    for (size_t i = 0; i < ctx->count && rc == PKGAUTH_ENOTFOUND; i++)
        if (ctx->entries[i]->order == side)
            rc = ask(ctx->entries[i], url, first_url, flags, out, err);
    return rc;
}

/* The store's answer, moved into out. */
static int ask_store(pkgauth_context *ctx, const char *url, pkgauth_acquired *out,
                     pkgauth_error *err)
{
    pkgauth_match m;
    if (!ctx->store)
        return PKGAUTH_ENOTFOUND;
    int rc = pkgauth_store_find(ctx->store, url, &m, err);
    if (rc)
        return rc;
    out->credential = m.credential;
    out->key = m.key;
    out->source = m.backend;
    return PKGAUTH_OK;
}

int pkgauth_credential_acquire(pkgauth_context *ctx, const char *url, unsigned flags,
                               pkgauth_acquired *out, pkgauth_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!ctx || !url || !out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "credential_acquire: context, URL and out are required");
    int rc = pkgauth_url_check(url, err);
    if (!rc)
        rc = ask_side(ctx, PKGAUTH_PROVIDER_BEFORE_STORE, url, NULL, flags, out, err);
    if (rc == PKGAUTH_ENOTFOUND)
        rc = ask_store(ctx, url, out, err);
    if (rc == PKGAUTH_ENOTFOUND)
        rc = ask_side(ctx, PKGAUTH_PROVIDER_AFTER_STORE, url, NULL, flags, out, err);
    if (rc == PKGAUTH_ENOTFOUND) {
        char *shown = pkgauth_url_redact(url);
        pkgauth_error_set(err, rc, "no credentials for %s", shown ? shown : "");
        pkgauth_free(shown);
    }
    return rc;
}

/* A provider's answer applied to the request (to the URL it gave). */
static int apply_answer(pkgauth_acquired *a, const char *method, const char *url,
                        const char *const *headers, size_t n, pkgauth_request **out,
                        pkgauth_error *err)
{
    int rc = pkgauth_request_apply(a->credential, method, a->url ? a->url : url, headers, n,
                                   out, err);
    pkgauth_acquired_clear(a);
    return rc;
}

/* The store's rules (conda tokens, s3:// with s3-options, ...), or the
 * request unchanged without a store. */
static int store_request(pkgauth_context *ctx, const char *method, const char *url,
                         const char *const *headers, size_t n, pkgauth_request **out,
                         pkgauth_error *err)
{
    if (!ctx->store)
        return pkgauth_request_apply(NULL, method, url, headers, n, out, err);
    return pkgauth_request_authenticate(ctx->store, method, url, headers, n, out, err);
}

int pkgauth_context_authenticate(pkgauth_context *ctx, const char *method, const char *url,
                                 const char *first_url, const char *const *headers,
                                 size_t n_headers, pkgauth_request **out, pkgauth_error *err)
{
    pkgauth_acquired a = {0};
    if (out)
        *out = NULL;
    if (!ctx || !method || !url || !out || !pkgauth_headers_valid(headers, n_headers))
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "context_authenticate: context, method, "
                                 "URL, out and header lines are required");
    int rc = pkgauth_url_check(url, err);
    if (rc)
        return rc;
    if (pkgauth_headers_have_authorization(headers, n_headers)) /* nothing is looked up */
        return store_request(ctx, method, url, headers, n_headers, out, err);
    rc = ask_side(ctx, PKGAUTH_PROVIDER_BEFORE_STORE, url, first_url, 0, &a, err);
    if (rc != PKGAUTH_ENOTFOUND)
        return rc ? rc : apply_answer(&a, method, url, headers, n_headers, out, err);
    rc = store_request(ctx, method, url, headers, n_headers, out, err);
    if (rc || pkgauth_request_applied(*out))
        return rc;
    rc = ask_side(ctx, PKGAUTH_PROVIDER_AFTER_STORE, url, first_url, 0, &a, err);
    if (rc == PKGAUTH_ENOTFOUND)
        return PKGAUTH_OK; /* as the store: no credential is not an error */
    pkgauth_request_free(*out);
    *out = NULL;
    return rc ? rc : apply_answer(&a, method, url, headers, n_headers, out, err);
}

int pkgauth_context_authenticate_cb(void *ctx, const char *method, const char *url,
                                    const char *first_url, const char *const *headers,
                                    size_t n_headers, pkgauth_request **out, pkgauth_error *err)
{
    return pkgauth_context_authenticate(ctx, method, url, first_url, headers, n_headers, out,
                                        err);
}
