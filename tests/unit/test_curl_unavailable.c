/* When libcurl cannot be loaded (issue 12 item 5), every call that needs
 * it returns PKGAUTH_EUNAVAILABLE with a one-line message, and the rest of
 * the API works: the library never prints and never aborts.
 *
 * ctest runs this with the LD_PRELOAD shim tests/tools/fault_inject.c and
 * PKGAUTH_FAULT=no-libcurl, so that dlopen() of libcurl fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pkgauth/pkgauth.h>
#include "make_credential.h"

#define URL "https://repo.example.com/channel/noarch/repodata.json"

static pkgauth_store *a_store(void)
{
    pkgauth_store *s = NULL;
    pkgauth_credential *c = make_bearer("tok");
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(s, "repo.example.com", c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    return s;
}

/* rc is PKGAUTH_EUNAVAILABLE and err says why, naming libcurl. */
static void assert_unavailable(int rc, const pkgauth_error *err)
{
    assert_int_equal(rc, PKGAUTH_EUNAVAILABLE);
    assert_int_equal(err->code, PKGAUTH_EUNAVAILABLE);
    assert_non_null(strstr(err->message, "libcurl"));
    assert_null(strchr(err->message, '\n'));
}

/* The test means nothing unless the shim is in place. */
static void shim_is_effective(void **state)
{
    (void)state;
    assert_null(dlopen("libcurl.so.4", RTLD_NOW));
}

/* A host lookup never needs libcurl. */
static void find_host_works(void **state)
{
    (void)state;
    pkgauth_store *s = a_store();
    pkgauth_match m;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_store_find_host(s, "repo.example.com", &m, &err), PKGAUTH_OK);
    assert_string_equal(m.key, "repo.example.com");
    pkgauth_match_clear(&m);
    pkgauth_store_free(s);
}

static void store_find_unavailable(void **state)
{
    (void)state;
    pkgauth_store *s = a_store();
    pkgauth_match m;
    pkgauth_error err = {0};
    assert_unavailable(pkgauth_store_find(s, URL, &m, &err), &err);
    assert_null(m.credential);
    pkgauth_store_free(s);
}

static void request_unavailable(void **state)
{
    (void)state;
    pkgauth_store *s = a_store();
    pkgauth_credential *c = make_bearer("tok");
    pkgauth_request *r = NULL;
    pkgauth_error err = {0};
    assert_unavailable(pkgauth_request_apply(c, "GET", URL, NULL, 0, &r, &err), &err);
    assert_null(r);
    memset(&err, 0, sizeof err);
    assert_unavailable(pkgauth_request_authenticate(s, "GET", URL, NULL, 0, &r, &err), &err);
    assert_null(r);
    pkgauth_credential_free(c);
    pkgauth_store_free(s);
}

static void pypi_unavailable(void **state)
{
    (void)state;
    pkgauth_pypi *p = NULL;
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_pypi_open(&p, NULL, &err), PKGAUTH_OK);
    assert_unavailable(pkgauth_pypi_find(p, "https://alice@pypi.example.com/simple/", &c, NULL,
                                         &err),
                       &err);
    assert_null(c);
    pkgauth_pypi_free(p);
}

static void s3_unavailable(void **state)
{
    (void)state;
    pkgauth_credential *c = make_s3("AKID", "secret", NULL);
    pkgauth_s3_options o = PKGAUTH_S3_OPTIONS_INIT;
    o.endpoint_url = "http://127.0.0.1:9000";
    pkgauth_s3_target *t = NULL;
    pkgauth_error err = {0};
    assert_unavailable(pkgauth_s3_target_for_credential(c, &o, "s3://bucket/key", &t, &err),
                       &err);
    assert_null(t);
    pkgauth_credential_free(c);
}

static void prefix_dev_unavailable(void **state)
{
    (void)state;
    char *login = NULL;
    pkgauth_error err = {0};
    assert_unavailable(pkgauth_prefix_dev_check_token("http://127.0.0.1:9", "tok", &login,
                                                      &err),
                       &err);
    assert_null(login);
}

/* A configuration with an endpoint-url is checked with libcurl's parser. */
static void config_unavailable(void **state)
{
    (void)state;
    char path[] = "/tmp/pkgauth-nocurl-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "[s3-options.b]\nendpoint-url = \"http://127.0.0.1:9000\"\n"
                        "region = \"r\"\nforce-path-style = true\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    pkgauth_config *c = NULL;
    pkgauth_error err = {0};
    assert_unavailable(pkgauth_config_load_file(&c, path, NULL, &err), &err);
    assert_null(c);
    unlink(path);
}

/* What does not need a parser still answers. */
static void the_rest_answers(void **state)
{
    (void)state;
    char *shown = pkgauth_url_redact("https://u:pw@example.com/t/tok/x");
    assert_non_null(shown);
    assert_null(strstr(shown, "pw"));
    pkgauth_free(shown);
    assert_int_equal(pkgauth_url_same_origin(URL, URL), 0);
    assert_null(pkgauth_url_username("https://alice@example.com/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shim_is_effective),
        cmocka_unit_test(find_host_works),
        cmocka_unit_test(store_find_unavailable),
        cmocka_unit_test(request_unavailable),
        cmocka_unit_test(pypi_unavailable),
        cmocka_unit_test(s3_unavailable),
        cmocka_unit_test(prefix_dev_unavailable),
        cmocka_unit_test(config_unavailable),
        cmocka_unit_test(the_rest_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
