/* An embedder's own backend plugged into a store through the public
 * include/pkgauth/sys/backend.h only (issue 12 item 2). This test links
 * the shared library and sees no internal header: what it does, any
 * program can do. */
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
#include <unistd.h>

#include <pkgauth/pkgauth.h>
#include "make_credential.h"
#include <pkgauth/sys/backend.h>

/* A read-only "vault": one fixed key, get and free only, so the store's
 * handling of the optional operations (store, remove, list = NULL) shows. */
typedef struct {
    pkgauth_backend base;
    atomic_int inside, overlapped, calls;
    int *freed;
} vault;

static int vault_get(pkgauth_backend *b, const char *key, pkgauth_credential **out,
                     pkgauth_error *err)
{
    vault *v = (vault *)b;
    (void)err;
    if (atomic_fetch_add(&v->inside, 1))
        v->overlapped = 1; /* parallel_reads is 0: the store must serialise */
    usleep(200);
    atomic_fetch_add(&v->calls, 1);
    int rc = PKGAUTH_ENOTFOUND;
    if (!strcmp(key, "vault.example")) {
        pkgauth_backend_warn(b, "vault: answered %s", key);
        *out = make_bearer("from-the-vault");
        rc = PKGAUTH_OK;
    }
    atomic_fetch_sub(&v->inside, 1);
    return rc;
}

static void vault_free(pkgauth_backend *b)
{
    vault *v = (vault *)b;
    (*v->freed)++;
    free(b->name);
    free(v);
}

static const pkgauth_backend_ops vault_ops = {.get = vault_get, .free = vault_free};

static vault *vault_new(int *freed)
{
    vault *v = calloc(1, sizeof *v);
    assert_non_null(v);
    v->base.version = PKGAUTH_BACKEND_VERSION;
    v->base.ops = &vault_ops;
    v->base.name = strdup("vault");
    v->freed = freed;
    return v;
}

typedef struct {
    char dir[64], file[96];
    char warnings[2048];
    pkgauth_store *store;
    int freed;
} fixture;

/* Keeps the first warnings (the handler may be called from any thread). */
static void on_warning(void *ctx, const char *message)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    fixture *f = ctx;
    pthread_mutex_lock(&lock);
    if (strlen(f->warnings) + strlen(message) + 2 <= sizeof f->warnings) {
        strcat(f->warnings, message);
        strcat(f->warnings, "\n");
    }
    pthread_mutex_unlock(&lock);
}

/* A store pkgauth_store_open() built (one JSON file, warnings to f), then
 * the vault appended after the file. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/pkgauth-sysbe-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->file, sizeof f->file, "%s/credentials.json", f->dir);
    unsetenv("RATTLER_AUTH_FILE");
    pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
    o.auth_file = f->file;
    o.warn = on_warning;
    o.warn_ctx = f;
    if (pkgauth_store_open(&f->store, &o, NULL))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pkgauth_store_free(f->store);
    unlink(f->file);
    rmdir(f->dir);
    free(f);
    return 0;
}

static vault *add_vault(fixture *f)
{
    vault *v = vault_new(&f->freed);
    assert_int_equal(pkgauth_store_add_backend(f->store, &v->base, NULL), PKGAUTH_OK);
    return v;
}

static void lookups_reach_the_plugged_backend(void **state)
{
    fixture *f = *state;
    add_vault(f);
    assert_int_equal(pkgauth_store_backend_count(f->store), 2);
    assert_string_equal(pkgauth_store_backend_name(f->store, 1), "vault");
    pkgauth_match m;
    assert_int_equal(pkgauth_store_find(f->store, "https://vault.example/x", &m, NULL), PKGAUTH_OK);
    assert_string_equal(m.backend, "vault");
    assert_string_equal(pkgauth_credential_token(m.credential), "from-the-vault");
    pkgauth_match_clear(&m);
    /* Its warnings reach the handler the store was opened with. */
    assert_non_null(strstr(f->warnings, "vault: answered vault.example"));
}

static void without_store_writes_go_to_the_next_backend(void **state)
{
    fixture *f = *state;
    pkgauth_store_free(f->store);
    assert_int_equal(pkgauth_store_new(&f->store, NULL), PKGAUTH_OK);
    add_vault(f); /* first in the chain, read only */
    assert_int_equal(pkgauth_store_add_file(f->store, f->file, NULL), PKGAUTH_OK);
    pkgauth_credential *c = make_bearer("t");
    const char *where = NULL;
    assert_int_equal(pkgauth_store_set(f->store, "a.example", c, &where, NULL), PKGAUTH_OK);
    assert_non_null(strstr(where, "credentials.json"));
    pkgauth_credential_free(c);
}

static void without_remove_a_held_key_is_read_only(void **state)
{
    fixture *f = *state;
    add_vault(f);
    size_t removed = 9;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_store_delete(f->store, "vault.example", &removed, &err),
                     PKGAUTH_EREADONLY);
    assert_int_equal(removed, 0);
    assert_non_null(strstr(f->warnings, "vault is read only: vault.example was not removed"));
    assert_int_equal(pkgauth_store_delete(f->store, "other.example", NULL, NULL),
                     PKGAUTH_ENOTFOUND);
}

static void without_list_listings_leave_it_out(void **state)
{
    fixture *f = *state;
    add_vault(f);
    pkgauth_credential *c = make_bearer("t");
    assert_int_equal(pkgauth_store_set(f->store, "b.example", c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    pkgauth_entry *e = NULL;
    size_t n = 0;
    assert_int_equal(pkgauth_store_list(f->store, &e, &n, NULL), PKGAUTH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].key, "b.example");
    pkgauth_entries_free(e, n);
}

static void other_versions_are_refused_and_not_taken(void **state)
{
    fixture *f = *state;
    vault *v = vault_new(&f->freed);
    pkgauth_error err = {0};
    v->base.version = PKGAUTH_BACKEND_VERSION + 1;
    assert_int_equal(pkgauth_store_add_backend(f->store, &v->base, &err), PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "version"));
    v->base.version = 0;
    assert_int_equal(pkgauth_store_add_backend(f->store, &v->base, NULL), PKGAUTH_EINVAL);
    v->base.version = PKGAUTH_BACKEND_VERSION;
    v->base.ops = NULL;
    assert_int_equal(pkgauth_store_add_backend(f->store, &v->base, NULL), PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_store_backend_count(f->store), 1);
    assert_int_equal(f->freed, 0); /* still the caller's */
    v->base.ops = &vault_ops;
    vault_free(&v->base);
}

static void the_store_frees_it_once(void **state)
{
    fixture *f = *state;
    add_vault(f);
    pkgauth_store_free(f->store);
    f->store = NULL;
    assert_int_equal(f->freed, 1);
}

static void *look_up(void *arg)
{
    pkgauth_store *s = arg;
    for (int i = 0; i < 50; i++) {
        pkgauth_match m;
        if (pkgauth_store_find(s, "https://vault.example/", &m, NULL) == PKGAUTH_OK)
            pkgauth_match_clear(&m);
    }
    return NULL;
}

/* parallel_reads 0: however many threads look up, the backend sees one
 * call at a time. */
static void serial_backends_see_one_call_at_a_time(void **state)
{
    fixture *f = *state;
    vault *v = add_vault(f);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, look_up, f->store), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(v->calls, 200);
    assert_int_equal(v->overlapped, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(lookups_reach_the_plugged_backend),
        T(without_store_writes_go_to_the_next_backend),
        T(without_remove_a_held_key_is_read_only),
        T(without_list_listings_leave_it_out),
        T(other_versions_are_refused_and_not_taken),
        T(the_store_frees_it_once),
        T(serial_backends_see_one_call_at_a_time),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
