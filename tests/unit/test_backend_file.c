/* The JSON file backend and the store chain over files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "pkgauth/pkgauth.h"
#include "make_credential.h"

typedef struct {
    char *dir;
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->dir = fixture_dir_new("test"))) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/sub/dir/credentials.json", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    int rc = fixture_dir_remove(f->dir);
    free(f);
    return rc;
}

static pkgauth_store *file_store(const char *path)
{
    pkgauth_store *s;
    assert_int_equal(pkgauth_store_new(&s, NULL), 0);
    assert_int_equal(pkgauth_store_add_file(s, path, NULL), 0);
    return s;
}

static void set_bearer(pkgauth_store *s, const char *key, const char *token)
{
    pkgauth_credential *c = make_bearer(token);
    pkgauth_error err = {0};
    if (pkgauth_store_set(s, key, c, NULL, &err))
        fail_msg("set %s: %s", key, err.message);
    pkgauth_credential_free(c);
}

static void test_missing_file_is_empty(void **state)
{
    fixture *f = *state;
    pkgauth_store *s = file_store(f->path);
    pkgauth_credential *c;
    pkgauth_entry *e;
    size_t n = 99;
    assert_int_equal(pkgauth_store_get(s, "x", &c, NULL, NULL), PKGAUTH_ENOTFOUND);
    assert_int_equal(pkgauth_store_list(s, &e, &n, NULL), 0);
    assert_int_equal(n, 0);
    pkgauth_entries_free(e, n);
    assert_int_equal(pkgauth_store_delete(s, "x", NULL, NULL), PKGAUTH_ENOTFOUND);
    assert_int_equal(access(f->path, F_OK), -1); /* reads never create it */
    pkgauth_store_free(s);
}

static void test_write_bytes_and_modes(void **state)
{
    fixture *f = *state;
    pkgauth_store *s = file_store(f->path);
    pkgauth_credential *basic = make_basic("user", "password");
    pkgauth_credential *conda = make_conda("password");
    assert_int_equal(pkgauth_store_set(s, "test", conda, NULL, NULL), 0);
    assert_int_equal(pkgauth_store_set(s, "basic", basic, NULL, NULL), 0);
    set_bearer(s, "bearer", "password");
    char *text = fixture_read(f->path);
    assert_string_equal(text,
                        "{\"basic\":{\"BasicHTTP\":{\"username\":\"user\",\"password\":\"password\"}},"
                        "\"bearer\":{\"BearerToken\":\"password\"},\"test\":{\"CondaToken\":\"password\"}}");
    free(text);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char dir[160];
    snprintf(dir, sizeof dir, "%s/sub", f->dir);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    pkgauth_credential_free(basic);
    pkgauth_credential_free(conda);
    pkgauth_store_free(s);
}

/* Keys sort by bytes, as Rust sorts Strings ('*' < 'a', 'Z' < 'a'). */
static void test_sorted_by_bytes(void **state)
{
    fixture *f = *state;
    pkgauth_store *s = file_store(f->path);
    set_bearer(s, "b.example.com", "1");
    set_bearer(s, "*.example.com", "2");
    set_bearer(s, "Z.example.com", "3");
    char *text = fixture_read(f->path);
    assert_string_equal(text, "{\"*.example.com\":{\"BearerToken\":\"2\"},"
                              "\"Z.example.com\":{\"BearerToken\":\"3\"},"
                              "\"b.example.com\":{\"BearerToken\":\"1\"}}");
    free(text);
    pkgauth_store_free(s);
}

static void expect_parse_error(const char *path, const char *content, const char *where)
{
    fixture_write(path, content, 0600);
    pkgauth_store *s = file_store(path);
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_store_get(s, "k", &c, NULL, &err), PKGAUTH_EPARSE);
    if (!strstr(err.message, where))
        fail_msg("expected '%s' in '%s'", where, err.message);
    /* A write must refuse too, leaving the bytes as they were. */
    pkgauth_credential *b = make_bearer("new");
    assert_int_equal(pkgauth_store_set(s, "k", b, NULL, &err), PKGAUTH_EPARSE);
    assert_int_equal(pkgauth_store_delete(s, "k", NULL, &err), PKGAUTH_EPARSE);
    char *after = fixture_read(path);
    assert_string_equal(after, content);
    free(after);
    pkgauth_credential_free(b);
    pkgauth_store_free(s);
}

static void test_corrupt_files(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/c.json", f->dir);
    char want[200];
    snprintf(want, sizeof want, "%s:3:1:", f->path);
    expect_parse_error(f->path, "{\n  \"k\": {\"BearerToken\": \"x\"}\n", want);
    snprintf(want, sizeof want, "%s:2:3: entry \"bad\"", f->path);
    expect_parse_error(f->path, "{\"k\": {\"BearerToken\": \"x\"},\n  \"bad\": {\"Nope\": 1}}", want);
    snprintf(want, sizeof want, "%s:1:2: not a credentials file", f->path);
    expect_parse_error(f->path, " [1, 2]", want);
    snprintf(want, sizeof want, "%s:1:1:", f->path);
    expect_parse_error(f->path, "", want);
}

static void test_world_readable_file_becomes_private(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/open.json", f->dir);
    fixture_write(f->path, "{}", 0600);
    chmod(f->path, 0644);
    pkgauth_store *s = file_store(f->path);
    set_bearer(s, "k", "v");
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    pkgauth_store_free(s);
}

/* Two files in one chain: reads take the first, listing marks the second
 * "shadowed", deletes remove both, writes go to the first. */
static void test_chain(void **state)
{
    fixture *f = *state;
    char a[160], b[160];
    snprintf(a, sizeof a, "%s/a.json", f->dir);
    snprintf(b, sizeof b, "%s/b.json", f->dir);
    fixture_write(a, "{\"*.example.com\":{\"BearerToken\":\"wild-a\"},\"both\":{\"BearerToken\":\"a\"}}",
                  0600);
    fixture_write(b, "{\"both\":{\"BearerToken\":\"b\"},\"x.example.com\":{\"BearerToken\":\"exact-b\"}}",
                  0600);
    pkgauth_store *s;
    assert_int_equal(pkgauth_store_new(&s, NULL), 0);
    assert_int_equal(pkgauth_store_add_file(s, a, NULL), 0);
    assert_int_equal(pkgauth_store_add_file(s, b, NULL), 0);

    pkgauth_credential *c;
    const char *from;
    assert_int_equal(pkgauth_store_get(s, "both", &c, &from, NULL), 0);
    assert_string_equal(pkgauth_credential_token(c), "a");
    assert_non_null(strstr(from, "a.json"));
    pkgauth_credential_free(c);

    /* Keys are tried most specific first, each against every backend. */
    pkgauth_match m;
    assert_int_equal(pkgauth_store_find(s, "https://x.example.com/", &m, NULL), 0);
    assert_string_equal(pkgauth_credential_token(m.credential), "exact-b");
    pkgauth_match_clear(&m);

    pkgauth_entry *e;
    size_t n;
    assert_int_equal(pkgauth_store_list(s, &e, &n, NULL), 0);
    assert_int_equal(n, 4);
    assert_string_equal(e[0].key, "*.example.com");
    assert_string_equal(e[1].key, "both");
    assert_false(e[1].shadowed);
    assert_non_null(strstr(e[1].backend, "a.json"));
    assert_string_equal(e[2].key, "both");
    assert_true(e[2].shadowed);
    assert_string_equal(e[3].key, "x.example.com");
    pkgauth_entries_free(e, n);

    size_t removed = 0;
    assert_int_equal(pkgauth_store_delete(s, "both", &removed, NULL), 0);
    assert_int_equal(removed, 2);
    set_bearer(s, "new", "n");
    char *ta = fixture_read(a), *tb = fixture_read(b);
    assert_string_equal(ta, "{\"*.example.com\":{\"BearerToken\":\"wild-a\"},\"new\":{\"BearerToken\":\"n\"}}");
    assert_string_equal(tb, "{\"x.example.com\":{\"BearerToken\":\"exact-b\"}}");
    free(ta);
    free(tb);
    pkgauth_store_free(s);
}

/* A second store object sees a write made through the first: each write
 * re-reads the file under the lock instead of trusting its cache. */
static void test_write_merges_with_other_writers(void **state)
{
    fixture *f = *state;
    pkgauth_store *s1 = file_store(f->path), *s2 = file_store(f->path);
    pkgauth_entry *e;
    size_t n;
    assert_int_equal(pkgauth_store_list(s2, &e, &n, NULL), 0); /* s2 caches "empty" */
    pkgauth_entries_free(e, n);
    set_bearer(s1, "one", "1");
    set_bearer(s2, "two", "2");
    char *text = fixture_read(f->path);
    assert_string_equal(text, "{\"one\":{\"BearerToken\":\"1\"},\"two\":{\"BearerToken\":\"2\"}}");
    free(text);
    pkgauth_store_free(s1);
    pkgauth_store_free(s2);
}

static void test_open_respects_rattler_auth_file(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/env.json", f->dir);
    setenv("RATTLER_AUTH_FILE", f->path, 1);
    pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
    o.auth_file = "/nonexistent/ignored.json";
    pkgauth_store *s;
    assert_int_equal(pkgauth_store_open(&s, &o, NULL), 0);
    assert_int_equal(pkgauth_store_backend_count(s), 1);
    assert_non_null(strstr(pkgauth_store_backend_name(s, 0), "env.json"));
    pkgauth_store_free(s);
    unsetenv("RATTLER_AUTH_FILE");
    assert_int_equal(pkgauth_store_open(&s, &o, NULL), 0);
    assert_non_null(strstr(pkgauth_store_backend_name(s, 0), "ignored.json"));
    pkgauth_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_missing_file_is_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_bytes_and_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sorted_by_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_world_readable_file_becomes_private, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_merges_with_other_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_respects_rattler_auth_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
