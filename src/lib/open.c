/* Building the chain pixi uses (compat.md "Which store is used"), and the
 * pkgauth_store_add_*() functions that append one of pkgauth's own
 * backends: the only place that knows the concrete backends
 * (backends/backends.h); store.c sees them through sys/backend.h. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backends.h"
#include "error.h"
#include "options.h"
#include "store_internal.h"

/* Hands a new backend (rc: its constructor's result) to the store; frees
 * it when the store refuses it. */
static int add_new(pkgauth_store *s, int rc, pkgauth_backend *b, pkgauth_error *err)
{
    if (!rc && (rc = pkgauth_store_add_backend(s, b, err)))
        b->ops->free(b);
    return rc;
}

int pkgauth_store_add_file(pkgauth_store *s, const char *path, pkgauth_error *err)
{
    pkgauth_backend *b = NULL;
    if (!s)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "store_add_file: store is required");
    int rc = pkgauth_backend_file_new(path, &b, err);
    return add_new(s, rc, b, err);
}

int pkgauth_store_add_memory(pkgauth_store *s, pkgauth_error *err)
{
    pkgauth_backend *b = NULL;
    if (!s)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "store_add_memory: store is required");
    int rc = pkgauth_backend_memory_new(&b, err);
    return add_new(s, rc, b, err);
}

/* $HOME, else the password database. */
static const char *home_dir(const pkgauth_store_options *o)
{
    if (o && o->home)
        return o->home;
    const char *h = getenv("HOME");
    if (h && *h)
        return h;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_dir : NULL;
}

/* The one file that replaces the whole chain, if any, in precedence order. */
static const char *override_file(const pkgauth_store_options *o)
{
    const char *env = getenv("RATTLER_AUTH_FILE");
    if (env && *env)
        return env;
    if (o && o->auth_file)
        return o->auth_file;
    return o ? o->override_file : NULL;
}

/* The keyring comes first; it looks for a Secret Service only when used. */
static int add_keyring(pkgauth_store *s, pkgauth_error *err)
{
#ifdef PKGAUTH_HAVE_KEYRING
    pkgauth_backend *b = NULL;
    int rc = pkgauth_backend_keyring_new(&b, err);
    return add_new(s, rc, b, err);
#else
    (void)s;
    (void)err;
    return PKGAUTH_OK;
#endif
}

/* netrc comes last, read only: $NETRC when set (a missing file there is
 * worth a warning), else ~/.netrc (missing: an empty store). */
static int add_netrc(pkgauth_store *s, const char *home, pkgauth_error *err)
{
    const char *env = getenv("NETRC");
    char *path = NULL;
    pkgauth_backend *b = NULL;
    if (env && *env)
        path = strdup(env);
    else if (asprintf(&path, "%s/.netrc", home) < 0)
        path = NULL;
    if (!path)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    int rc = pkgauth_backend_netrc_new(path, env && *env, &b, err);
    free(path);
    return add_new(s, rc, b, err);
}

static int add_default_chain(pkgauth_store *s, const pkgauth_store_options *o,
                             pkgauth_error *err)
{
    const char *home = home_dir(o);
    if (!home)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "cannot find the home folder for ~/.rattler/credentials.json");
    char *path;
    if (asprintf(&path, "%s/.rattler/credentials.json", home) < 0)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    int rc = add_keyring(s, err);
    if (!rc)
        rc = pkgauth_store_add_file(s, path, err);
    if (!rc)
        rc = add_netrc(s, home, err);
    free(path);
    return rc;
}

int pkgauth_store_open(pkgauth_store **out, const pkgauth_store_options *o, pkgauth_error *err)
{
    pkgauth_store *s;
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "store_open: out is required");
    *out = NULL;
    if (o && pkgauth_options_version(o->version, PKGAUTH_STORE_OPTIONS_VERSION,
                                     "pkgauth_store_options", err))
        return PKGAUTH_EINVAL;
    int rc = pkgauth_store_new(&s, err);
    if (rc)
        return rc;
    if (o) {
        s->warn = o->warn;
        s->warn_ctx = o->warn_ctx;
        s->config = o->config;
    }
    const char *file = override_file(o);
    rc = file ? pkgauth_store_add_file(s, file, err) : add_default_chain(s, o, err);
    if (rc) {
        pkgauth_store_free(s);
        return rc;
    }
    *out = s;
    return PKGAUTH_OK;
}
