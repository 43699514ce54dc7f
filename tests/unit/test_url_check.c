/* URLs whose host depends on the parser (issue 17 item 5): every public
 * entry point that takes a URL refuses them, and an authenticated request
 * carries the URL as parsed, so the embedder's HTTP client goes to the
 * host whose credential was matched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pkgauth/pkgauth.h>
#include "make_credential.h"

/* Each is read with one host by libcurl and another by a WHATWG parser or
 * urllib3, or holds bytes some parsers drop. */
static const char *const ambiguous[] = {
    "https://evil.com\\@repo.example.com/chan/repodata.json",
    "https://evil.com\\.repo.example.com/",
    "https://a@evil.com@repo.example.com/",
    "https://repo.example.com:443@evil.com@x.example.com/",
    "https://[::1/x",
    "https://::1]/x",
    "https://[::1]]/x",
    "https://[::1]evil.com/x",
    "https://u[@repo.example.com/",
    "https://repo.example.com\t/x",
    "https://repo.exa\nmple.com/x",
    "https://repo.example.com/x\r\nX-Injected: 1",
    "https://repo.example.com\x7f/x",
    "https:///evil.com/",
    "https:/evil.com/",
    "https://re%70o.example.com/",
    "https://repo.example.com%2f.evil.com/",
    "https:// repo.example.com/",
};
#define N_AMBIGUOUS (sizeof ambiguous / sizeof *ambiguous)

static pkgauth_store *store_with_wildcard(void)
{
    pkgauth_store *s = NULL;
    pkgauth_credential *c = make_bearer("EXAMPLE_TOKEN");
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(s, "*.example.com", c, NULL, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(s, "evil.com", c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    return s;
}

/* The one-line message names the problem and never carries a raw control
 * byte (it goes to a terminal or a log). */
static void assert_refused(int rc, const pkgauth_error *err, const char *url)
{
    if (rc != PKGAUTH_EINVAL)
        fprintf(stderr, "not refused (%d): %s\n", rc, url);
    assert_int_equal(rc, PKGAUTH_EINVAL);
    assert_non_null(strstr(err->message, "invalid URL"));
    for (const char *p = err->message; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    assert_null(strstr(err->message, "EXAMPLE_TOKEN"));
}

static int count_key(void *ctx, const char *key)
{
    (void)key;
    ++*(int *)ctx;
    return 0;
}

static void every_entry_point_refuses(void **state)
{
    (void)state;
    pkgauth_store *s = store_with_wildcard();
    pkgauth_pypi_options po = PKGAUTH_PYPI_OPTIONS_INIT;
    po.store = s;
    po.netrc = "";
    pkgauth_pypi *py = NULL;
    assert_int_equal(pkgauth_pypi_open(&py, &po, NULL), PKGAUTH_OK);
    pkgauth_credential *bearer = make_bearer("EXAMPLE_TOKEN");
    for (size_t i = 0; i < N_AMBIGUOUS; i++) {
        const char *url = ambiguous[i];
        pkgauth_error err = {0};
        pkgauth_match m = {0};
        pkgauth_request *r = (pkgauth_request *)&m;
        pkgauth_credential *c = NULL;
        int n = 0;
        assert_refused(pkgauth_store_find(s, url, &m, &err), &err, url);
        assert_null(m.credential);
        assert_refused(pkgauth_request_authenticate(s, "GET", url, NULL, 0, &r, &err), &err, url);
        assert_null(r);
        assert_refused(pkgauth_request_apply(bearer, "GET", url, NULL, 0, &r, &err), &err, url);
        assert_null(r);
        assert_refused(pkgauth_url_candidates(url, count_key, &n, &err), &err, url);
        assert_int_equal(n, 0);
        assert_refused(pkgauth_pypi_find(py, url, &c, NULL, &err), &err, url);
        assert_null(c);
        assert_refused(pkgauth_pypi_authenticate(py, "GET", url, NULL, 0, &r, &err), &err, url);
        assert_null(r);
        assert_int_equal(pkgauth_url_same_origin(url, "https://repo.example.com/"), 0);
    }
    pkgauth_credential_free(bearer);
    pkgauth_pypi_free(py);
    pkgauth_store_free(s);
}

/* The report's case: curl reads repo.example.com, browsers and urllib3
 * evil.com. No bearer token may come back for it. */
static void backslash_userinfo_gets_no_token(void **state)
{
    (void)state;
    pkgauth_store *s = store_with_wildcard();
    pkgauth_request *r = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_request_authenticate(s, "GET", ambiguous[0], NULL, 0, &r, &err);
    assert_int_equal(rc, PKGAUTH_EINVAL);
    assert_null(r);
    pkgauth_store_free(s);
}

/* The request carries the URL as parsed (what was matched), and the
 * ordinary forms still work. */
static void request_url_is_canonical(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"HTTPS://repo.example.com/chan/x.json", "https://repo.example.com/chan/x.json"},
        {"https://repo.example.com", "https://repo.example.com/"},
        {"https://repo.example.com:8443/a?b=1#c", "https://repo.example.com:8443/a?b=1#c"},
        {"https://repo.example.com/a/./b/../c", "https://repo.example.com/a/./b/../c"},
        {"https://[::1]:8080/x", "https://[::1]:8080/x"},
        {"https://alice@repo.example.com/x", "https://alice@repo.example.com/x"},
        {"https://repo.example.com/x?u=a@b", "https://repo.example.com/x?u=a@b"},
    };
    pkgauth_store *s = store_with_wildcard();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pkgauth_request *r = NULL;
        pkgauth_error err = {0};
        int rc = pkgauth_request_authenticate(s, "GET", cases[i][0], NULL, 0, &r, &err);
        if (rc)
            fprintf(stderr, "%s: %s\n", cases[i][0], err.message);
        assert_int_equal(rc, PKGAUTH_OK);
        assert_string_equal(pkgauth_request_url(r), cases[i][1]);
        pkgauth_request_free(r);
    }
    pkgauth_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_entry_point_refuses),
        cmocka_unit_test(backslash_userinfo_gets_no_token),
        cmocka_unit_test(request_url_is_canonical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
