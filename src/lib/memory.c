#include "memory.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pkgauth/common.h"

char *pkgauth_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

void pkgauth_wipe_free(void *p, size_t n)
{
    if (p) {
        explicit_bzero(p, n);
        free(p);
    }
}

void pkgauth_free(char *s)
{
    if (s)
        pkgauth_wipe_free(s, strlen(s));
}

/* jansson's free callback gets no size; malloc knows it. */
static void wiping_free(void *p)
{
    if (p)
        pkgauth_wipe_free(p, malloc_usable_size(p));
}

static void install_allocator(void)
{
    json_set_alloc_funcs(malloc, wiping_free);
}

void pkgauth_json_use_wiping_allocator(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_allocator);
}
