/* pkgauth_init and the library's process-wide state (issue 12 item 6):
 * the library leaves jansson's allocator alone unless the program asks
 * with PKGAUTH_INIT_WIPE_JSON, and never replaces a program's own.
 * jansson's allocator is process-wide, so the cases run in this order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pkgauth/pkgauth.h>

static int is_default_allocator(void)
{
    json_malloc_t m = NULL;
    json_free_t f = NULL;
    json_get_alloc_funcs(&m, &f);
    return m == malloc && f == free;
}

/* Every entry point that once installed the wiping allocator behind the
 * program's back: the credential JSON form, JWTs, the memory and file
 * stores. */
static void test_library_leaves_jansson_alone(void **state)
{
    (void)state;
    assert_true(is_default_allocator());
    pkgauth_credential *c = NULL;
    const char *json = "{\"BearerToken\":\"tok\"}";
    assert_int_equal(pkgauth_credential_from_json(json, strlen(json), &c, NULL), PKGAUTH_OK);
    pkgauth_free(pkgauth_credential_to_json(c));
    int64_t exp = 0;
    pkgauth_jwt_expiry("a.eyJleHAiOjF9.b", &exp);
    char dir[] = "/tmp/test_init_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/credentials.json", dir);
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_file(s, path, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(s, "h.example.com", c, NULL, NULL), PKGAUTH_OK);
    pkgauth_store_free(s);
    pkgauth_credential_free(c);
    unlink(path);
    rmdir(dir);
    assert_true(is_default_allocator());
}

static void test_flags_zero_and_unknown(void **state)
{
    (void)state;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_init(0, &err), PKGAUTH_OK);
    assert_true(is_default_allocator());
    assert_int_equal(pkgauth_init(0x80, &err), PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "unknown flags"));
    assert_int_equal(pkgauth_init(0x80 | PKGAUTH_INIT_WIPE_JSON, NULL), PKGAUTH_EINVAL);
    assert_true(is_default_allocator());
}

static int own_frees;
static void *own_malloc(size_t n) { return malloc(n); }
static void own_free(void *p)
{
    own_frees += p != NULL;
    free(p);
}

/* A program with its own jansson allocator keeps it. */
static void test_program_allocator_kept(void **state)
{
    (void)state;
    json_set_alloc_funcs(own_malloc, own_free);
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_init(PKGAUTH_INIT_WIPE_JSON, &err), PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "allocator"));
    json_malloc_t m = NULL;
    json_free_t f = NULL;
    json_get_alloc_funcs(&m, &f);
    assert_ptr_equal(m, own_malloc);
    assert_ptr_equal(f, own_free);
    json_decref(json_string("x"));
    assert_true(own_frees > 0);
    json_set_alloc_funcs(malloc, free);
}

static void test_wipe_json_installs_once(void **state)
{
    (void)state;
    assert_int_equal(pkgauth_init(PKGAUTH_INIT_WIPE_JSON, NULL), PKGAUTH_OK);
    json_malloc_t m = NULL;
    json_free_t f = NULL;
    json_get_alloc_funcs(&m, &f);
    assert_ptr_equal(m, malloc);
    assert_ptr_not_equal(f, free);
    /* Again: the same allocator, no error. */
    assert_int_equal(pkgauth_init(PKGAUTH_INIT_WIPE_JSON, NULL), PKGAUTH_OK);
    json_free_t f2 = NULL;
    json_get_alloc_funcs(&m, &f2);
    assert_ptr_equal(f, f2);
    /* jansson works through it. */
    pkgauth_credential *c = NULL;
    const char *json = "{\"BearerToken\":\"tok\"}";
    assert_int_equal(pkgauth_credential_from_json(json, strlen(json), &c, NULL), PKGAUTH_OK);
    char *out = pkgauth_credential_to_json(c);
    assert_non_null(strstr(out, "tok"));
    pkgauth_free(out);
    pkgauth_credential_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_library_leaves_jansson_alone),
        cmocka_unit_test(test_flags_zero_and_unknown),
        cmocka_unit_test(test_program_allocator_kept),
        cmocka_unit_test(test_wipe_json_installs_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
