/* An in-memory backend: a jansson object of credential values. For tests
 * and for embedders that manage persistence themselves. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "backends.h"
#include "credential_internal.h"
#include "error.h"
#include "memory.h"

typedef struct {
    pkgauth_backend base;
    json_t *entries;
} memory_backend;

static int mem_get(pkgauth_backend *b, const char *key, pkgauth_credential **out,
                   pkgauth_error *err)
{
    json_t *v = json_object_get(((memory_backend *)b)->entries, key);
    char why[160];
    if (!v)
        return PKGAUTH_ENOTFOUND;
    if (pkgauth_credential_from_value(v, out, why, sizeof why))
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    return PKGAUTH_OK;
}

static int mem_store(pkgauth_backend *b, const char *key, const pkgauth_credential *cred,
                     pkgauth_error *err)
{
    json_t *v = pkgauth_credential_to_value(cred);
    if (!v || json_object_set_new(((memory_backend *)b)->entries, key, v))
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    return PKGAUTH_OK;
}

static int mem_remove(pkgauth_backend *b, const char *key, pkgauth_error *err)
{
    (void)err;
    return json_object_del(((memory_backend *)b)->entries, key) ? PKGAUTH_ENOTFOUND : PKGAUTH_OK;
}

static int mem_list(pkgauth_backend *b, pkgauth_list_fn fn, void *ctx, pkgauth_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(((memory_backend *)b)->entries, key, v) {
        pkgauth_credential *c = NULL;
        if (mem_get(b, key, &c, err))
            return PKGAUTH_ENOMEM;
        int stop = fn(ctx, key, c);
        pkgauth_credential_free(c);
        if (stop)
            break;
    }
    return PKGAUTH_OK;
}

static void mem_free(pkgauth_backend *b)
{
    json_decref(((memory_backend *)b)->entries);
    free(b->name);
    free(b);
}

static const pkgauth_backend_ops memory_ops = {
    .get = mem_get, .store = mem_store, .remove = mem_remove, .list = mem_list, .free = mem_free,
};

int pkgauth_backend_memory_new(pkgauth_backend **out, pkgauth_error *err)
{
    memory_backend *m = calloc(1, sizeof *m);
    if (m) {
        m->base.version = PKGAUTH_BACKEND_VERSION;
        m->base.ops = &memory_ops;
        m->base.parallel_reads = 1; /* reads only read the object */
        m->base.name = strdup("memory");
        m->entries = json_object();
    }
    if (!m || !m->base.name || !m->entries) {
        if (m)
            mem_free(&m->base);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    *out = &m->base;
    return PKGAUTH_OK;
}
