/* pkgauth_init: the process-wide set-up a program opts into (init.h). */
#include "pkgauth/init.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>

#include "error.h"
#include "memory.h"

/* jansson's free callback gets no size; malloc knows it. */
static void wiping_free(void *p)
{
    if (p)
        pkgauth_wipe_free(p, malloc_usable_size(p));
}

/* Installs the wiping free unless the program gave jansson its own
 * allocator: its blocks must not reach free(). */
static int wipe_json(pkgauth_error *err)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    json_malloc_t m = NULL;
    json_free_t f = NULL;
    pthread_mutex_lock(&lock);
    json_get_alloc_funcs(&m, &f);
    int ours = m == malloc && (f == free || f == wiping_free);
    if (ours)
        json_set_alloc_funcs(malloc, wiping_free);
    pthread_mutex_unlock(&lock);
    return ours ? PKGAUTH_OK
                : pkgauth_error_set(err, PKGAUTH_EINVAL,
                                    "pkgauth_init: jansson already has the program's allocator");
}

int pkgauth_init(unsigned flags, pkgauth_error *err)
{
    if (flags & ~(unsigned)PKGAUTH_INIT_WIPE_JSON)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "pkgauth_init: unknown flags 0x%x",
                                 flags & ~(unsigned)PKGAUTH_INIT_WIPE_JSON);
    if (flags & PKGAUTH_INIT_WIPE_JSON)
        return wipe_json(err);
    return PKGAUTH_OK;
}
