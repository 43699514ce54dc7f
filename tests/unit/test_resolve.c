/* Resolution of URLs to stored credentials (compat.md "Finding the
 * credential for a URL"), table driven, plus login keys and redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkgauth/pkgauth.h"
#include "make_credential.h"

/* A store holding each key below with a bearer token equal to the key. */
static const char *const stored_keys[] = {
    "repo.prefix.dev", "*.prefix.dev", "*.dev", "exact.example.com",
    "*.example.org", "127.0.0.1", "[::1]", "s3://bucket/channel", "s3://other",
    "conda.anaconda.org", "*.sub.deep.example.net",
};

static pkgauth_store *make_store(const char *const *keys, size_t n)
{
    pkgauth_store *s;
    assert_int_equal(pkgauth_store_new(&s, NULL), 0);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), 0);
    for (size_t i = 0; i < n; i++) {
        pkgauth_credential *c = make_bearer(keys[i]);
        assert_int_equal(pkgauth_store_set(s, keys[i], c, NULL, NULL), 0);
        pkgauth_credential_free(c);
    }
    return s;
}

/* URL -> expected key (NULL: no credential). */
static const struct {
    const char *url;
    const char *key;
} cases[] = {
    {"https://repo.prefix.dev/channel/noarch/repodata.json", "repo.prefix.dev"},
    {"https://REPO.Prefix.DEV/x", "repo.prefix.dev"},      /* host case-insensitive */
    {"https://repo.prefix.dev:8443/x", "repo.prefix.dev"}, /* port is not in the key */
    {"https://other.prefix.dev/x", "*.prefix.dev"},
    {"https://a.b.prefix.dev/x", "*.prefix.dev"},
    {"https://prefix.dev/x", "*.prefix.dev"},              /* "*." + the host comes first */
    {"https://repo.notprefix.dev/x", "*.dev"},
    {"https://exact.example.com/x", "exact.example.com"},
    {"https://sub.exact.example.com/x", NULL},             /* no *.com, no *.exact... */
    {"https://example.com/x", NULL},
    {"https://www.example.org/x", "*.example.org"},
    {"https://example.org/x", "*.example.org"},
    {"http://127.0.0.1:8080/x", "127.0.0.1"},
    {"http://127.0.0.2/x", NULL},                          /* no wildcards for IPs */
    {"http://[::1]:9000/x", "[::1]"},
    {"https://x.sub.deep.example.net/", "*.sub.deep.example.net"},
    {"https://sub.deep.example.net/", "*.sub.deep.example.net"},
    {"https://deep.example.net/", NULL},
    {"s3://bucket/channel/noarch/repodata.json", "s3://bucket/channel"},
    {"s3://bucket/channel", "s3://bucket/channel"},
    {"s3://bucket/other/noarch/x.json", NULL},
    {"s3://other/c/noarch/x.json", "s3://other"},
    {"https://conda.anaconda.org/t/secret/conda-forge/x", "conda.anaconda.org"},
    {"https://user@exact.example.com/x", "exact.example.com"},
};

static void test_resolution_table(void **state)
{
    (void)state;
    pkgauth_store *s = make_store(stored_keys, sizeof stored_keys / sizeof *stored_keys);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pkgauth_match m;
        pkgauth_error err = {0};
        int rc = pkgauth_store_find(s, cases[i].url, &m, &err);
        if (!cases[i].key) {
            if (rc != PKGAUTH_ENOTFOUND)
                fail_msg("%s: expected no match, got %s", cases[i].url, rc ? "error" : m.key);
            continue;
        }
        if (rc)
            fail_msg("%s: expected %s, got error %s", cases[i].url, cases[i].key, err.message);
        if (strcmp(m.key, cases[i].key))
            fail_msg("%s: expected %s, got %s", cases[i].url, cases[i].key, m.key);
        assert_string_equal(pkgauth_credential_token(m.credential), cases[i].key);
        assert_string_equal(m.backend, "memory");
        pkgauth_match_clear(&m);
    }
    pkgauth_store_free(s);
}

/* Each key of compat.md's example matches repo.prefix.dev on its own. */
static void test_each_wildcard_alone(void **state)
{
    (void)state;
    const char *match[] = {"repo.prefix.dev", "*.repo.prefix.dev", "*.prefix.dev", "*.dev"};
    const char *nomatch[] = {"repo.notprefix.dev", "*.notprefix.dev", "*.com", "prefix.dev"};
    for (size_t i = 0; i < 4; i++) {
        pkgauth_match m;
        pkgauth_store *s = make_store(&match[i], 1);
        assert_int_equal(pkgauth_store_find(s, "https://repo.prefix.dev/c", &m, NULL), 0);
        assert_string_equal(m.key, match[i]);
        pkgauth_match_clear(&m);
        pkgauth_store_free(s);
        s = make_store(&nomatch[i], 1);
        assert_int_equal(pkgauth_store_find(s, "https://repo.prefix.dev/c", &m, NULL),
                         PKGAUTH_ENOTFOUND);
        pkgauth_store_free(s);
    }
}

static int collect(void *ctx, const char *key)
{
    char *buf = ctx;
    strcat(buf, key);
    strcat(buf, " ");
    return 0;
}

static void test_candidate_order(void **state)
{
    (void)state;
    char buf[512] = "";
    assert_int_equal(pkgauth_url_candidates("s3://b/c/noarch/x.json", collect, buf, NULL), 0);
    assert_string_equal(buf, "b s3://b/c/noarch/x.json s3://b/c/noarch s3://b/c s3://b *.b ");
    buf[0] = '\0';
    assert_int_equal(pkgauth_url_candidates("https://repo.prefix.dev/x", collect, buf, NULL), 0);
    assert_string_equal(buf, "repo.prefix.dev *.repo.prefix.dev *.prefix.dev *.dev ");
}

/* Resolving a bare host gives what resolving https://HOST gives, with and
 * without the URL parser (plain names take a path that never parses). */
static void test_find_host(void **state)
{
    (void)state;
    pkgauth_store *s = make_store(stored_keys, sizeof stored_keys / sizeof *stored_keys);
    const char *hosts[] = {"repo.prefix.dev", "REPO.Prefix.DEV", "repo.prefix.dev:8443",
                           "other.prefix.dev", "prefix.dev", "127.0.0.1", "127.0.0.2",
                           "[::1]:9000", "www.example.org", "example.com", "user@exact.example.com",
                           "x.sub.deep.example.net", "conda.anaconda.org"};
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++) {
        char url[128];
        pkgauth_match a, b;
        snprintf(url, sizeof url, "https://%s/", hosts[i]);
        int ra = pkgauth_store_find(s, url, &a, NULL);
        int rb = pkgauth_store_find_host(s, hosts[i], &b, NULL);
        if (ra != rb)
            fail_msg("%s: find %d, find_host %d", hosts[i], ra, rb);
        if (ra == 0) {
            assert_string_equal(a.key, b.key);
            pkgauth_match_clear(&a);
            pkgauth_match_clear(&b);
        }
    }
    pkgauth_error err = {0};
    pkgauth_match m;
    assert_int_equal(pkgauth_store_find_host(s, "nothing.example.net", &m, &err),
                     PKGAUTH_ENOTFOUND);
    assert_string_equal(err.message, "no credentials for https://nothing.example.net");
    pkgauth_store_free(s);
}

static void test_bad_url(void **state)
{
    (void)state;
    pkgauth_store *s = make_store(stored_keys, 1);
    pkgauth_match m;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_store_find(s, "https://user:hunter2@/x", &m, &err), PKGAUTH_EINVAL);
    assert_null(strstr(err.message, "hunter2"));
    assert_non_null(strstr(err.message, "********"));
    assert_int_equal(pkgauth_store_find(s, "not a url", &m, &err), PKGAUTH_EINVAL);
    pkgauth_store_free(s);
}

static void test_login_key(void **state)
{
    (void)state;
    static const struct {
        const char *host, *key;
    } keys[] = {
        {"prefix.dev", "*.prefix.dev"},
        {"repo.prefix.dev", "repo.prefix.dev"},
        {"https://repo.prefix.dev/channel", "repo.prefix.dev"},
        {"https://prefix.dev", "*.prefix.dev"},
        {"*.dev", "*.dev"},
        {"*.Example.COM", "*.example.com"},
        {"Example.com", "*.example.com"},
        {"myserver.com", "*.myserver.com"},
        {"localhost", "localhost"},
        {"localhost:8080", "localhost"},
        {"127.0.0.1", "127.0.0.1"},
        {"s3://my-bucket", "s3://my-bucket"},
        {"s3://my-bucket/", "s3://my-bucket"},
        {"s3://my-bucket/channel", "s3://my-bucket/channel"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        char *key = NULL;
        pkgauth_error err = {0};
        if (pkgauth_login_key(keys[i].host, &key, &err))
            fail_msg("%s: %s", keys[i].host, err.message);
        if (strcmp(key, keys[i].key))
            fail_msg("%s: expected %s, got %s", keys[i].host, keys[i].key, key);
        pkgauth_free(key);
    }
    const char *bad[] = {"", "a b", "example.com/path", "user@example.com", "s3://", "https://"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *key = NULL;
        if (pkgauth_login_key(bad[i], &key, NULL) != PKGAUTH_EINVAL)
            fail_msg("'%s' was accepted as '%s'", bad[i], key ? key : "");
    }
}

static void test_redact(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases_[] = {
        {"https://user:pass@host/x", "https://user:********@host/x"},
        {"https://user@host/x", "https://user@host/x"},
        {"https://host/t/tok123/conda-forge/x", "https://host/t/********/conda-forge/x"},
        {"https://u:p@host:8080/t/tok/c?x=1", "https://u:********@host:8080/t/********/c?x=1"},
        {"https://host/a/t/b", "https://host/a/t/********"},
        {"https://host/toast/x", "https://host/toast/x"},
        {"https://h/k?X-Amz-Signature=abc&X-Amz-Date=1&X-Amz-Security-Token=zz",
         "https://h/k?X-Amz-Signature=********&X-Amz-Date=1&X-Amz-Security-Token=********"},
        {"not a url:pw@", "not a url:pw@"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases_ / sizeof *cases_; i++) {
        char *r = pkgauth_url_redact(cases_[i].in);
        assert_string_equal(r, cases_[i].out);
        pkgauth_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolution_table),
        cmocka_unit_test(test_each_wildcard_alone),
        cmocka_unit_test(test_candidate_order),
        cmocka_unit_test(test_find_host),
        cmocka_unit_test(test_bad_url),
        cmocka_unit_test(test_login_key),
        cmocka_unit_test(test_redact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
