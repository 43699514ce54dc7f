/* The netrc file as a read-only store (the last one of pixi's default
 * chain): each `machine` entry is a BasicHTTP credential for its host.
 *
 * Keys: the machine name, lower-cased (host names are case-insensitive and
 * URL lookups use the lower-cased host). Like rattler, a machine answers
 * only for its exact name; when a name appears twice the first entry wins,
 * as in curl. An entry with neither login nor password matches nothing
 * (curl). A missing login or password reads as "".
 *
 * `default` is never answered: rattler does not send it to conda channels
 * or S3 (one credential for every host is a leak). Listings show it under
 * the key "default" (status marks it unused); the PyPI lookup reads netrc
 * itself and uses it as uv does (pypi.c).
 *
 * The file is read on first use, not when the chain is built. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends.h"
#include "credential_internal.h"
#include "error.h"
#include "netrc.h"

typedef struct {
    pkgauth_backend base;
    char *path;
    int warn_missing; /* the path was named by the user ($NETRC) */
    int loaded;
    pkgauth_netrc *netrc; /* NULL when the file is missing */
} netrc_backend;

static int ensure_loaded(netrc_backend *n, pkgauth_error *err)
{
    if (n->loaded)
        return PKGAUTH_OK;
    pkgauth_error e = {0};
    int rc = pkgauth_netrc_load(n->path, &n->netrc, &e);
    if (rc == PKGAUTH_ENOTFOUND) {
        /* A missing ~/.netrc is normal; a missing file $NETRC names is
         * probably a mistake worth one warning. */
        if (n->warn_missing)
            pkgauth_backend_warn(&n->base, "netrc file %s does not exist", n->path);
        rc = PKGAUTH_OK;
    } else if (rc && rc != PKGAUTH_ENOMEM) {
        /* A netrc that cannot be read or parsed must not take the other
         * stores down with it: one warning (file:line), then no netrc. */
        pkgauth_backend_warn(&n->base, "%s; netrc not used", e.message);
        rc = PKGAUTH_OK;
    } else if (rc && err) {
        *err = e;
    }
    n->loaded = rc == PKGAUTH_OK;
    return rc;
}

/* The entry a store key names: the first usable machine of that name. */
static const pkgauth_netrc_entry *find_machine(const pkgauth_netrc *nr, const char *key)
{
    for (size_t i = 0; i < pkgauth_netrc_count(nr); i++) {
        const pkgauth_netrc_entry *e = pkgauth_netrc_entry_at(nr, i);
        if (!e->is_default && e->host && (e->login || e->password) && !strcasecmp(e->host, key))
            return e;
    }
    return NULL;
}

static const pkgauth_netrc_entry *find_default(const pkgauth_netrc *nr)
{
    for (size_t i = 0; i < pkgauth_netrc_count(nr); i++) {
        const pkgauth_netrc_entry *e = pkgauth_netrc_entry_at(nr, i);
        if (e->is_default && (e->login || e->password))
            return e;
    }
    return NULL;
}

static int has_control(const char *s)
{
    return s && (pkgauth_text_flags(s, strlen(s)) & PKGAUTH_CP_CONTROL);
}

static int to_credential(const pkgauth_netrc_entry *e, pkgauth_credential **out,
                         pkgauth_error *err)
{
    return pkgauth_credential_new_basic(out, e->login ? e->login : "",
                                        e->password ? e->password : "", err);
}

static int netrc_get(pkgauth_backend *b, const char *key, pkgauth_credential **out,
                     pkgauth_error *err)
{
    netrc_backend *n = (netrc_backend *)b;
    int rc = ensure_loaded(n, err);
    if (rc)
        return rc;
    const pkgauth_netrc_entry *e = n->netrc ? find_machine(n->netrc, key) : NULL;
    if (!e)
        return PKGAUTH_ENOTFOUND;
    /* A control character could end the header line it goes into: the
     * entry is invalid, named by its key, and never sent. */
    if (has_control(e->login) || has_control(e->password))
        return pkgauth_error_set(err, PKGAUTH_EPARSE, "%s: the entry for %s is invalid: its "
                                 "login or password contains a control character", b->name,
                                 key);
    return to_credential(e, out, err);
}

static int netrc_store(pkgauth_backend *b, const char *key, const pkgauth_credential *cred,
                       pkgauth_error *err)
{
    (void)key;
    (void)cred;
    return pkgauth_error_set(err, PKGAUTH_EREADONLY, "%s is read only", b->name);
}

/* Read only: "cannot remove" when the key is here, else "not found", so a
 * logout only warns about netrc when netrc really holds the key. */
static int netrc_remove(pkgauth_backend *b, const char *key, pkgauth_error *err)
{
    netrc_backend *n = (netrc_backend *)b;
    int rc = ensure_loaded(n, err);
    if (rc)
        return rc;
    int held = n->netrc && (find_machine(n->netrc, key) ||
                            (!strcmp(key, "default") && find_default(n->netrc)));
    if (!held)
        return PKGAUTH_ENOTFOUND;
    return pkgauth_error_set(err, PKGAUTH_EREADONLY, "%s is read only: %s was not removed",
                             b->name, key);
}

static int list_entry(const pkgauth_netrc_entry *e, pkgauth_list_fn fn, void *ctx,
                      pkgauth_error *err, int *stop)
{
    char *key = strdup(e->is_default ? "default" : e->host);
    pkgauth_credential *c = NULL;
    int rc = key ? to_credential(e, &c, err) : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (!rc) {
        for (char *p = key; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        *stop = fn(ctx, key, c);
    }
    pkgauth_credential_free(c);
    free(key);
    return rc;
}

/* Lists what lookups can answer: the first usable entry of each machine
 * name, and the first usable default. */
static int netrc_list(pkgauth_backend *b, pkgauth_list_fn fn, void *ctx, pkgauth_error *err)
{
    netrc_backend *n = (netrc_backend *)b;
    int rc = ensure_loaded(n, err), stop = 0;
    for (size_t i = 0; !rc && !stop && n->netrc && i < pkgauth_netrc_count(n->netrc); i++) {
        const pkgauth_netrc_entry *e = pkgauth_netrc_entry_at(n->netrc, i);
        int answers = e->is_default ? find_default(n->netrc) == e
                                    : e->host && find_machine(n->netrc, e->host) == e;
        if (answers)
            rc = list_entry(e, fn, ctx, err, &stop);
    }
    return rc;
}

static void netrc_free(pkgauth_backend *b)
{
    netrc_backend *n = (netrc_backend *)b;
    pkgauth_netrc_free(n->netrc);
    free(n->path);
    free(b->name);
    free(n);
}

static const pkgauth_backend_ops netrc_ops = {
    .get = netrc_get, .store = netrc_store, .remove = netrc_remove, .list = netrc_list,
    .free = netrc_free,
};

int pkgauth_backend_netrc_new(const char *path, int warn_missing, pkgauth_backend **out,
                              pkgauth_error *err)
{
    if (!path || !*path)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "empty netrc file path");
    netrc_backend *n = calloc(1, sizeof *n);
    if (!n || !(n->path = strdup(path)) || asprintf(&n->base.name, "netrc (%s)", path) < 0) {
        if (n)
            free(n->path);
        free(n);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    n->base.version = PKGAUTH_BACKEND_VERSION;
    n->base.ops = &netrc_ops;
    n->warn_missing = warn_missing;
    *out = &n->base;
    return PKGAUTH_OK;
}
