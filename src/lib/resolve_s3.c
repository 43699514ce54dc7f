/* Deep s3:// URLs (issue 17 item 4). An s3:// URL is looked up by each of
 * its prefixes, one per "/" (compat.md); with the keyring each probe is a
 * D-Bus round trip, so "s3://bkt/" + 20,000 slashes took 21.8 s. Past a
 * few prefixes, the stores' s3:// keys are listed once instead, and only
 * the prefixes that are stored keys are probed (resolve.c), so the answer
 * and its order stay exactly those of probing every prefix. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_internal.h"

/* Up to this many prefixes, probing each is cheaper than a listing. */
#define S3_PROBE_MAX 16

struct pkgauth_key_set {
    char **keys; /* sorted */
    size_t n, cap;
    int failed;
};

static int is_s3(const char *key)
{
    return !strncasecmp(key, "s3://", 5);
}

static int collect(void *ctx, const char *key, const pkgauth_credential *cred)
{
    (void)cred;
    pkgauth_key_set *k = ctx;
    if (!is_s3(key))
        return 0;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        char **keys = realloc(k->keys, cap * sizeof *keys);
        if (!keys)
            return k->failed = 1;
        k->keys = keys;
        k->cap = cap;
    }
    if (!(k->keys[k->n] = strdup(key)))
        return k->failed = 1;
    k->n++;
    return 0;
}

static int compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void pkgauth_key_set_free(pkgauth_key_set *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        free(k->keys[i]);
    free(k->keys);
    free(k);
}

static size_t slashes(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

pkgauth_key_set *pkgauth_s3_known_keys(pkgauth_store *s, const char *url)
{
    if (!is_s3(url) || slashes(url) <= S3_PROBE_MAX + 2) /* "s3://" has two */
        return NULL;
    pkgauth_key_set *k = calloc(1, sizeof *k);
    for (size_t i = 0; k && !k->failed && i < s->count; i++) {
        pkgauth_error e;
        /* A store that cannot list (locked, unreachable, corrupt): probe
         * every prefix as before, so its errors and warnings stay the same. */
        if (pkgauth_store_list_at(s, i, collect, k, &e))
            k->failed = 1;
    }
    if (k && k->failed) {
        pkgauth_key_set_free(k);
        return NULL;
    }
    if (k && k->n)
        qsort(k->keys, k->n, sizeof *k->keys, compare);
    return k;
}

int pkgauth_key_set_may_hold(const pkgauth_key_set *k, const char *key)
{
    return !k || !is_s3(key) || (k->n && bsearch(&key, k->keys, k->n, sizeof *k->keys, compare));
}
