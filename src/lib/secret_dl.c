/* Loading libsecret on first use (see secret_dl.h for why). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define PKGAUTH_SECRET_DL_NO_MACROS
#include "secret_dl.h"

/* Each table entry has exactly the type of the function it replaces: a
 * wrong parameter list here would otherwise be a silent ABI mismatch.
 * (__typeof__ does not evaluate: no reference to the symbol is made.) */
#define PKGAUTH_SECRET_CHECK(ret, name, args)                                          \
    _Static_assert(__builtin_types_compatible_p(__typeof__(name), ret args), \
                   #name " has another type in secret_dl.h");
PKGAUTH_SECRET_FUNCTIONS(PKGAUTH_SECRET_CHECK)
#undef PKGAUTH_SECRET_CHECK

pkgauth_secret_api pkgauth_secret_fns;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int tried, loaded;
static char failure[256];

/* Fills a local table and publishes it only when every symbol is there. */
static void load(const char *soname)
{
    pkgauth_secret_api api;
    /* RTLD_NOW: every symbol is checked here, once, not at a later call. */
    void *h = dlopen(soname, RTLD_NOW | RTLD_GLOBAL);
    if (!h) {
        snprintf(failure, sizeof failure, "cannot load %s: %s", soname, dlerror());
        return;
    }
#define PKGAUTH_SECRET_LOAD(ret, name, args)                                            \
    if (!(*(void **)&api.name = dlsym(h, #name))) {                                      \
        snprintf(failure, sizeof failure, "cannot load %s: no %s", soname, #name);       \
        return; /* not dlclose(): GLib does not support being unloaded */              \
    }
    PKGAUTH_SECRET_FUNCTIONS(PKGAUTH_SECRET_LOAD)
#undef PKGAUTH_SECRET_LOAD
    pkgauth_secret_fns = api;
    loaded = 1;
}

int pkgauth_secret_load_named(const char *soname, char *why, size_t n)
{
    pthread_mutex_lock(&lock);
    if (!tried)
        load(soname);
    tried = 1;
    if (!loaded && why && n)
        snprintf(why, n, "%s", failure);
    int ok = loaded;
    pthread_mutex_unlock(&lock);
    return ok;
}

int pkgauth_secret_load(char *why, size_t n)
{
    return pkgauth_secret_load_named("libsecret-1.so.0", why, n);
}
