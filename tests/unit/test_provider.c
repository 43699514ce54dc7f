/* The provider layer (include/pkgauth/provider.h, issue 12 item 3): the
 * order in which a context asks providers and the store, what passes and
 * what ends the question, the transport callback, and the PyPI lookup as
 * the first provider (with a fake `keyring` program, as test_pypi.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pkgauth/pkgauth.h>
#include "make_credential.h"
#include "curl_dl.h"

/* ---- a test provider: answers with a bearer token for one host ---- */

typedef struct {
    pkgauth_provider base;
    const char *host; /* answers for https://<host>/... */
    const char *token;
    int fail;         /* answer PKGAUTH_EIO instead */
    atomic_int calls, inside, overlapped;
    unsigned last_flags;
    int *freed;
} fake;

static int fake_acquire(pkgauth_provider *p, const char *url, const char *first_url,
                        unsigned flags, pkgauth_acquired *out, pkgauth_error *err)
{
    fake *f = (fake *)p;
    (void)first_url;
    if (atomic_fetch_add(&f->inside, 1))
        f->overlapped = 1;
    usleep(100);
    f->calls++;
    f->last_flags = flags;
    char prefix[128];
    snprintf(prefix, sizeof prefix, "https://%s/", f->host);
    int rc = PKGAUTH_ENOTFOUND;
    if (!strncmp(url, prefix, strlen(prefix)) && f->fail) {
        rc = err->code = PKGAUTH_EIO;
        snprintf(err->message, sizeof err->message, "%s: the token service failed", p->name);
    } else if (!strncmp(url, prefix, strlen(prefix))) {
        out->credential = make_bearer(f->token);
        out->expires_at = 4102444800; /* 2100-01-01 */
        rc = PKGAUTH_OK;
    }
    atomic_fetch_sub(&f->inside, 1);
    return rc;
}

static void fake_free(pkgauth_provider *p)
{
    fake *f = (fake *)p;
    if (f->freed)
        (*f->freed)++;
    free(p->name);
    free(f);
}

static fake *fake_new(const char *name, const char *host, const char *token)
{
    fake *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->base.version = PKGAUTH_PROVIDER_VERSION;
    f->base.name = strdup(name);
    f->base.acquire = fake_acquire;
    f->base.free = fake_free;
    f->host = host;
    f->token = token;
    return f;
}

/* ---- fixture: a memory store with a.example and b.example ---- */

typedef struct {
    char dir[64], program[128], calls[128], netrc[128];
    pkgauth_store *store;
    pkgauth_context *ctx;
} fixture;

static void put(pkgauth_store *s, const char *key, pkgauth_credential *c)
{
    assert_int_equal(pkgauth_store_set(s, key, c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/pkgauth-provider-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->program, sizeof f->program, "%s/keyring", f->dir);
    snprintf(f->calls, sizeof f->calls, "%s/calls", f->dir);
    snprintf(f->netrc, sizeof f->netrc, "%s/netrc", f->dir);
    if (pkgauth_store_new(&f->store, NULL) || pkgauth_store_add_memory(f->store, NULL))
        return -1;
    put(f->store, "a.example", make_bearer("stored-a"));
    put(f->store, "b.example", make_bearer("stored-b"));
    put(f->store, "conda.example", make_conda("ct-1"));
    if (pkgauth_context_new(&f->ctx, f->store, NULL))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pkgauth_context_free(f->ctx);
    pkgauth_store_free(f->store);
    unlink(f->program);
    unlink(f->calls);
    unlink(f->netrc);
    rmdir(f->dir);
    free(f);
    return 0;
}

static fake *add(fixture *f, fake *p, pkgauth_provider_order order)
{
    assert_int_equal(pkgauth_context_add_provider(f->ctx, &p->base, order, NULL), PKGAUTH_OK);
    return p;
}

static void expect_token(fixture *f, const char *url, const char *token, const char *source)
{
    pkgauth_acquired a;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_credential_acquire(f->ctx, url, 0, &a, &err), PKGAUTH_OK);
    assert_string_equal(pkgauth_credential_token(a.credential), token);
    assert_string_equal(a.source, source);
    pkgauth_acquired_clear(&a);
}

/* ---- the order ---- */

static void before_store_then_after(void **state)
{
    fixture *f = *state;
    add(f, fake_new("first", "a.example", "from-first"), PKGAUTH_PROVIDER_BEFORE_STORE);
    add(f, fake_new("last", "b.example", "from-last"), PKGAUTH_PROVIDER_AFTER_STORE);
    add(f, fake_new("fallback", "c.example", "from-fallback"), PKGAUTH_PROVIDER_AFTER_STORE);
    expect_token(f, "https://a.example/x", "from-first", "first"); /* shadows the store */
    expect_token(f, "https://b.example/x", "stored-b", "memory");  /* the store before "last" */
    expect_token(f, "https://c.example/x", "from-fallback", "fallback");
    pkgauth_acquired a;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_credential_acquire(f->ctx, "https://b.example/x", 0, &a, &err),
                     PKGAUTH_OK);
    assert_string_equal(a.key, "b.example");
    assert_int_equal(a.expires_at, 0);
    pkgauth_acquired_clear(&a);
    assert_int_equal(pkgauth_credential_acquire(f->ctx, "https://a.example/x", 0, &a, &err),
                     PKGAUTH_OK);
    assert_null(a.key);
    assert_int_equal(a.expires_at, 4102444800);
    pkgauth_acquired_clear(&a);
    assert_int_equal(pkgauth_credential_acquire(f->ctx, "https://d.example/x", 0, &a, &err),
                     PKGAUTH_ENOTFOUND);
    assert_null(a.credential);
    assert_string_equal(err.message, "no credentials for https://d.example/x");
}

static void a_provider_error_ends_the_question(void **state)
{
    fixture *f = *state;
    fake *p = add(f, fake_new("broken", "a.example", "x"), PKGAUTH_PROVIDER_BEFORE_STORE);
    p->fail = 1;
    pkgauth_acquired a;
    pkgauth_error err = {0};
    /* The store holds a.example, but a failed provider is not silently
     * replaced by it. */
    assert_int_equal(pkgauth_credential_acquire(f->ctx, "https://a.example/", 0, &a, &err),
                     PKGAUTH_EIO);
    assert_string_equal(err.message, "broken: the token service failed");
    assert_null(a.credential);
    expect_token(f, "https://b.example/", "stored-b", "memory");
}

static void flags_reach_the_provider(void **state)
{
    fixture *f = *state;
    fake *p = add(f, fake_new("oauth", "a.example", "t"), PKGAUTH_PROVIDER_BEFORE_STORE);
    pkgauth_acquired a;
    assert_int_equal(pkgauth_credential_acquire(f->ctx, "https://a.example/", PKGAUTH_ACQUIRE_REFRESH,
                                                &a, NULL), PKGAUTH_OK);
    assert_int_equal(p->last_flags, PKGAUTH_ACQUIRE_REFRESH);
    pkgauth_acquired_clear(&a);
}

static void other_versions_are_refused_and_not_taken(void **state)
{
    fixture *f = *state;
    int freed = 0;
    fake *p = fake_new("v2", "a.example", "t");
    p->freed = &freed;
    pkgauth_error err = {0};
    p->base.version = PKGAUTH_PROVIDER_VERSION + 1;
    assert_int_equal(pkgauth_context_add_provider(f->ctx, &p->base,
                                                  PKGAUTH_PROVIDER_BEFORE_STORE, &err),
                     PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "version"));
    p->base.version = PKGAUTH_PROVIDER_VERSION;
    assert_int_equal(pkgauth_context_add_provider(f->ctx, &p->base, 0, NULL), PKGAUTH_EINVAL);
    expect_token(f, "https://a.example/", "stored-a", "memory"); /* not asked */
    assert_int_equal(freed, 0);
    fake_free(&p->base); /* still the caller's */
    freed = 0;
    /* Taken: freed once, with the context. */
    p = add(f, fake_new("taken", "x.example", "t"), PKGAUTH_PROVIDER_AFTER_STORE);
    p->freed = &freed;
    pkgauth_context_free(f->ctx);
    f->ctx = NULL;
    assert_int_equal(freed, 1);
}

static void *acquire_many(void *arg)
{
    pkgauth_context *ctx = arg;
    for (int i = 0; i < 50; i++) {
        pkgauth_acquired a;
        if (pkgauth_credential_acquire(ctx, "https://p.example/", 0, &a, NULL) == PKGAUTH_OK)
            pkgauth_acquired_clear(&a);
    }
    return NULL;
}

static void serial_providers_see_one_call_at_a_time(void **state)
{
    fixture *f = *state;
    fake *p = add(f, fake_new("serial", "p.example", "t"), PKGAUTH_PROVIDER_BEFORE_STORE);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, acquire_many, f->ctx), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(p->calls, 200);
    assert_int_equal(p->overlapped, 0);
}

/* ---- requests through a context ---- */

static pkgauth_request *authenticate(fixture *f, const char *url, const char *const *h, size_t n)
{
    pkgauth_request *r = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_context_authenticate(f->ctx, "GET", url, NULL, h, n, &r, &err),
                     PKGAUTH_OK);
    return r;
}

static void requests_use_the_same_order(void **state)
{
    fixture *f = *state;
    fake *p = add(f, fake_new("first", "a.example", "from-first"), PKGAUTH_PROVIDER_BEFORE_STORE);
    add(f, fake_new("last", "c.example", "from-last"), PKGAUTH_PROVIDER_AFTER_STORE);
    pkgauth_request *r = authenticate(f, "https://a.example/x", NULL, 0);
    assert_string_equal(pkgauth_request_header(r, 0), "Authorization: Bearer from-first");
    pkgauth_request_free(r);
    /* The store's own rules: a conda token goes into the path. */
    r = authenticate(f, "https://conda.example/ch/noarch/repodata.json", NULL, 0);
    assert_string_equal(pkgauth_request_url(r),
                        "https://conda.example/t/ct-1/ch/noarch/repodata.json");
    assert_string_equal(pkgauth_request_key(r), "conda.example");
    pkgauth_request_free(r);
    r = authenticate(f, "https://c.example/x", NULL, 0);
    assert_string_equal(pkgauth_request_header(r, 0), "Authorization: Bearer from-last");
    pkgauth_request_free(r);
    /* Nothing anywhere: the request as it is. */
    r = authenticate(f, "https://d.example/x", NULL, 0);
    assert_int_equal(pkgauth_request_header_count(r), 0);
    assert_int_equal(pkgauth_request_applied(r), 0);
    pkgauth_request_free(r);
    /* The caller's own Authorization: nobody is asked. */
    int before = p->calls;
    const char *own[] = {"Authorization: Bearer mine"};
    r = authenticate(f, "https://a.example/x", own, 1);
    assert_int_equal(pkgauth_request_header_count(r), 1);
    assert_string_equal(pkgauth_request_header(r, 0), own[0]);
    assert_int_equal(p->calls, before);
    pkgauth_request_free(r);
}

/* The transport calls the callback it was given (here a context's). */
static void curl_transport_calls_the_callback(void **state)
{
    fixture *f = *state;
    add(f, fake_new("first", "a.example", "from-first"), PKGAUTH_PROVIDER_BEFORE_STORE);
    CURL *e = curl_easy_init();
    struct curl_slist *h = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_curl_prepare_cb(e, pkgauth_context_authenticate_cb, f->ctx,
                                             "https://a.example/x", &h, &err), PKGAUTH_OK);
    assert_non_null(h);
    assert_string_equal(h->data, "Authorization: Bearer from-first");
    pkgauth_curl_headers_free(h);
    curl_easy_cleanup(e);
}

/* ---- the PyPI lookup as a provider ---- */

static void fake_keyring(fixture *f, const char *password)
{
    FILE *s = fopen(f->program, "w");
    assert_non_null(s);
    fprintf(s, "#!/bin/sh\nprintf '%%s|%%s\\n' \"$2\" \"$3\" >> '%s'\necho '%s'\n", f->calls,
            password);
    fclose(s);
    assert_int_equal(chmod(f->program, 0755), 0);
}

static int keyring_calls(fixture *f)
{
    FILE *c = fopen(f->calls, "r");
    int n = 0, ch;
    while (c && (ch = fgetc(c)) != EOF)
        n += ch == '\n';
    if (c)
        fclose(c);
    return n;
}

static void add_pypi(fixture *f)
{
    pkgauth_provider *p = NULL;
    pkgauth_pypi_options o = PKGAUTH_PYPI_OPTIONS_INIT;
    o.keyring_provider = PKGAUTH_KEYRING_PROVIDER_SUBPROCESS;
    o.keyring_program = f->program;
    o.netrc = f->netrc;
    o.store = f->store;
    assert_int_equal(pkgauth_pypi_provider_new(&p, &o, NULL), PKGAUTH_OK);
    assert_string_equal(p->name, "pypi");
    assert_int_equal(pkgauth_context_add_provider(f->ctx, p, PKGAUTH_PROVIDER_BEFORE_STORE, NULL),
                     PKGAUTH_OK);
}

static void pypi_provider_answers_user_urls(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "kpw");
    add_pypi(f);
    pkgauth_acquired a;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_credential_acquire(f->ctx, "https://alice@idx.example/simple/", 0,
                                                &a, &err), PKGAUTH_OK);
    assert_string_equal(pkgauth_credential_username(a.credential), "alice");
    assert_string_equal(pkgauth_credential_password(a.credential), "kpw");
    assert_string_equal(a.url, "https://idx.example/simple/");
    assert_string_equal(a.source, "pypi: keyring");
    pkgauth_acquired_clear(&a);
    /* No user name: the store answers. */
    expect_token(f, "https://a.example/simple/", "stored-a", "memory");
}

static void pypi_provider_caches_until_refresh(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "kpw");
    add_pypi(f);
    pkgauth_acquired a;
    const char *url = "https://alice@idx.example/simple/";
    assert_int_equal(pkgauth_credential_acquire(f->ctx, url, 0, &a, NULL), PKGAUTH_OK);
    pkgauth_acquired_clear(&a);
    assert_int_equal(keyring_calls(f), 1);
    assert_int_equal(pkgauth_credential_acquire(f->ctx, url, 0, &a, NULL), PKGAUTH_OK);
    pkgauth_acquired_clear(&a);
    assert_int_equal(keyring_calls(f), 1); /* from the cache */
    fake_keyring(f, "newpw");
    assert_int_equal(pkgauth_credential_acquire(f->ctx, url, PKGAUTH_ACQUIRE_REFRESH, &a, NULL),
                     PKGAUTH_OK);
    assert_int_equal(keyring_calls(f), 2);
    assert_string_equal(pkgauth_credential_password(a.credential), "newpw");
    pkgauth_acquired_clear(&a);
}

/* A redirect hop within the index's origin keeps the first URL's user. */
static void pypi_provider_keeps_the_user_on_a_hop(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "kpw");
    add_pypi(f);
    pkgauth_request *r = NULL;
    assert_int_equal(pkgauth_context_authenticate(f->ctx, "GET", "https://idx.example/files/x.whl",
                                                  "https://alice@idx.example/simple/", NULL, 0,
                                                  &r, NULL), PKGAUTH_OK);
    assert_string_equal(pkgauth_request_url(r), "https://idx.example/files/x.whl");
    assert_string_equal(pkgauth_request_header(r, 0), "Authorization: Basic YWxpY2U6a3B3");
    pkgauth_request_free(r);
}

int main(void)
{
    unsetenv("PKGAUTH_KEYRING_TIMEOUT");
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(before_store_then_after),
        T(a_provider_error_ends_the_question),
        T(flags_reach_the_provider),
        T(other_versions_are_refused_and_not_taken),
        T(serial_providers_see_one_call_at_a_time),
        T(requests_use_the_same_order),
        T(curl_transport_calls_the_callback),
        T(pypi_provider_answers_user_urls),
        T(pypi_provider_caches_until_refresh),
        T(pypi_provider_keeps_the_user_on_a_hop),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
