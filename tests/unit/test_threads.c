/* One store used from many threads at once (issue 17 item 6): 8 threads
 * each make 10,000 mixed lookups while the first also makes 100 writes,
 * on a file store and on a memory store. CI runs this under
 * ThreadSanitizer and AddressSanitizer, where any race or use-after-free
 * is a report that fails the run; here every answer is also checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pkgauth/pkgauth.h>
#include "make_credential.h"

#include "fixture.h"

#define THREADS 8
#define FINDS 10000
#define SETS 100

typedef struct {
    pkgauth_store *store;
    int id;
    int failures;
} worker;

/* A stored token is "tok-<n>"; any other answer is a torn read. */
static int good_token(const pkgauth_credential *c)
{
    const char *t = c ? pkgauth_credential_token(c) : NULL;
    return t && !strncmp(t, "tok-", 4);
}

static int find_one(worker *w, int i)
{
    static const char *const urls[] = {
        "https://repo.example.com/chan/noarch/repodata.json", /* wildcard hit */
        "https://exact.example.org/x",                        /* exact hit */
        "https://nothing.invalid/x",                          /* miss */
        "https://a.b.c.example.com/",                         /* deeper wildcard */
        "https://oauth.example.net/",                         /* OAuth: a deep copy */
    };
    pkgauth_match m = {0};
    pkgauth_error err = {0};
    int rc, ok;
    if (i % 7 == 3) {
        rc = pkgauth_store_find_host(w->store, "exact.example.org", &m, &err);
        ok = rc == PKGAUTH_OK && good_token(m.credential);
    } else {
        const char *url = urls[i % 5];
        rc = pkgauth_store_find(w->store, url, &m, &err);
        ok = i % 5 == 2 ? rc == PKGAUTH_ENOTFOUND : rc == PKGAUTH_OK && good_token(m.credential);
    }
    pkgauth_match_clear(&m);
    return ok;
}

static int set_one(worker *w, int n)
{
    char tok[32];
    snprintf(tok, sizeof tok, "tok-%d", n);
    pkgauth_credential *c = make_bearer(tok);
    int rc = pkgauth_store_set(w->store, n % 2 ? "*.example.com" : "exact.example.org", c, NULL,
                               NULL);
    pkgauth_credential_free(c);
    return rc == PKGAUTH_OK;
}

/* Now and then a listing and an exact get, which read every entry. */
static int list_one(worker *w)
{
    pkgauth_entry *e = NULL;
    size_t n = 0;
    pkgauth_credential *c = NULL;
    int ok = pkgauth_store_list(w->store, &e, &n, NULL) == PKGAUTH_OK && n == 3;
    for (size_t i = 0; ok && i < n; i++)
        ok = good_token(e[i].credential);
    pkgauth_entries_free(e, n);
    ok = ok && pkgauth_store_get(w->store, "*.example.com", &c, NULL, NULL) == PKGAUTH_OK &&
         good_token(c);
    pkgauth_credential_free(c);
    return ok;
}

static void *run(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < FINDS; i++) {
        w->failures += !find_one(w, i + w->id);
        if (w->id == 0 && i % (FINDS / SETS) == 0)
            w->failures += !set_one(w, i / (FINDS / SETS));
        if (i % 1000 == 500)
            w->failures += !list_one(w);
    }
    return NULL;
}

static void hammer(pkgauth_store *s)
{
    worker w[THREADS];
    pthread_t t[THREADS];
    pkgauth_credential *c = make_bearer("tok-initial");
    assert_int_equal(pkgauth_store_set(s, "*.example.com", c, NULL, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(s, "exact.example.org", c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    static const char oauth[] = "{\"OAuth\":{\"access_token\":\"tok-oauth\",\"expires_at\":1,"
                                "\"extra\":{\"scopes\":[\"a\",\"b\"]}}}";
    assert_int_equal(pkgauth_credential_from_json(oauth, strlen(oauth), &c, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(s, "oauth.example.net", c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){s, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, run, &w[i]), 0);
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        failures += w[i].failures;
    }
    assert_int_equal(failures, 0);
}

static void file_store_from_threads(void **state)
{
    (void)state;
    char *dir = fixture_dir_new("threads"), path[256];
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/credentials.json", dir);
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_file(s, path, NULL), PKGAUTH_OK);
    hammer(s);
    pkgauth_store_free(s);
    assert_int_equal(fixture_dir_remove(dir), 0);
}

static void memory_store_from_threads(void **state)
{
    (void)state;
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), PKGAUTH_OK);
    hammer(s);
    pkgauth_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_store_from_threads),
        cmocka_unit_test(memory_store_from_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
