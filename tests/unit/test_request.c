/* Request authentication (compat.md "Applying a credential to a request"),
 * the same-origin rule used for redirects, and redaction of what gets
 * printed about a request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <pkgauth/pkgauth.h>
#include "make_credential.h"
#include "curl_dl.h"

/* ---- helpers ---- */

static pkgauth_request *apply(const pkgauth_credential *cred, const char *url,
                              const char *const *headers, size_t n)
{
    pkgauth_request *r = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_request_apply(cred, "GET", url, headers, n, &r, &err);
    if (rc)
        fprintf(stderr, "apply: %s\n", err.message);
    assert_int_equal(rc, PKGAUTH_OK);
    assert_non_null(r);
    return r;
}

static const char *last_header(const pkgauth_request *r)
{
    size_t n = pkgauth_request_header_count(r);
    return n ? pkgauth_request_header(r, n - 1) : NULL;
}

/* A store with one in-memory backend holding key -> cred. */
static pkgauth_store *store_with(const char *key, pkgauth_credential *cred)
{
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), PKGAUTH_OK);
    if (key)
        assert_int_equal(pkgauth_store_set(s, key, cred, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(cred);
    return s;
}

/* ---- the four kinds ---- */

static void bearer_adds_authorization(void **state)
{
    (void)state;
    pkgauth_credential *c = make_bearer("tok123");
    const char *h[] = {"Accept: application/json"};
    pkgauth_request *r = apply(c, "https://repo.prefix.dev/chan/noarch/repodata.json", h, 1);
    assert_string_equal(pkgauth_request_url(r), "https://repo.prefix.dev/chan/noarch/repodata.json");
    assert_int_equal(pkgauth_request_header_count(r), 2);
    assert_string_equal(pkgauth_request_header(r, 0), "Accept: application/json");
    assert_string_equal(pkgauth_request_header(r, 1), "Authorization: Bearer tok123");
    assert_int_equal(pkgauth_request_applied(r), PKGAUTH_METHOD_BEARER);
    assert_null(pkgauth_request_header(r, 2));
    pkgauth_request_free(r);
    pkgauth_credential_free(c);
}

static void basic_is_base64(void **state)
{
    (void)state;
    struct { const char *user, *pw, *want; } cases[] = {
        {"user", "password", "Authorization: Basic dXNlcjpwYXNzd29yZA=="},
        {"a", "b", "Authorization: Basic YTpi"},
        {"Aladdin", "open sesame", "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
        {"u", "p:with:colons", "Authorization: Basic dTpwOndpdGg6Y29sb25z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pkgauth_credential *c = make_basic(cases[i].user, cases[i].pw);
        pkgauth_request *r = apply(c, "https://myserver.com/x", NULL, 0);
        assert_string_equal(last_header(r), cases[i].want);
        assert_int_equal(pkgauth_request_applied(r), PKGAUTH_METHOD_BASIC);
        pkgauth_request_free(r);
        pkgauth_credential_free(c);
    }
}

static void conda_token_goes_into_path(void **state)
{
    (void)state;
    pkgauth_credential *c = make_conda("xy-72b9");
    pkgauth_request *r = apply(c, "https://conda.anaconda.org/conda-forge/x", NULL, 0);
    assert_string_equal(pkgauth_request_url(r), "https://conda.anaconda.org/t/xy-72b9/conda-forge/x");
    assert_int_equal(pkgauth_request_header_count(r), 0);
    assert_int_equal(pkgauth_request_applied(r), PKGAUTH_METHOD_CONDA);
    pkgauth_request_free(r);
    /* port and query survive */
    r = apply(c, "http://127.0.0.1:8080/chan/noarch/repodata.json?a=1", NULL, 0);
    assert_string_equal(pkgauth_request_url(r),
                        "http://127.0.0.1:8080/t/xy-72b9/chan/noarch/repodata.json?a=1");
    pkgauth_request_free(r);
    pkgauth_credential_free(c);
}

static void conda_token_not_doubled(void **state)
{
    (void)state;
    pkgauth_credential *c = make_conda("tk");
    pkgauth_request *r = apply(c, "https://h.org/t/tk/chan/x", NULL, 0);
    assert_string_equal(pkgauth_request_url(r), "https://h.org/t/tk/chan/x");
    pkgauth_request_free(r);
    /* another token in the path is not ours: ours still goes in front */
    r = apply(c, "https://h.org/t/tkother/x", NULL, 0);
    assert_string_equal(pkgauth_request_url(r), "https://h.org/t/tk/t/tkother/x");
    pkgauth_request_free(r);
    pkgauth_credential_free(c);
}

/* s3:// URLs are presigned (s3.c; its own tests cover the details). */
static void s3_is_presigned(void **state)
{
    (void)state;
    /* no AWS settings of the machine running the tests */
    setenv("HOME", "/nonexistent-pkgauth-test-home", 1);
    setenv("PKGAUTH_SYSTEM_CONFIG_DIR", "/nonexistent-pkgauth-test-etc", 1);
    const char *vars[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                          "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3",
                          "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "XDG_CONFIG_HOME",
                          "PIXI_HOME"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        unsetenv(vars[i]);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
    pkgauth_credential *c = make_s3("AKID", "SECRET", NULL);
    pkgauth_request *r = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_request_apply(c, "GET", "s3://bucket/x", NULL, 0, &r, &err), 0);
    assert_true(!strncmp(pkgauth_request_url(r), "http://127.0.0.1:9/bucket/x?X-Amz-", 34));
    assert_int_equal(pkgauth_request_applied(r), PKGAUTH_METHOD_S3);
    assert_int_equal(pkgauth_request_header_count(r), 0);
    pkgauth_request_free(r);
    pkgauth_credential_free(c);

    /* through the store: no s3-options, so the AWS conventions, here empty */
    pkgauth_store *s = store_with(NULL, NULL);
    assert_int_equal(pkgauth_request_authenticate(s, "GET", "s3://bucket/x", NULL, 0, &r, &err),
                     PKGAUTH_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(err.message, "no S3 credentials for s3://bucket/x"));
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET", 1);
    assert_int_equal(pkgauth_request_authenticate(s, "HEAD", "s3://bucket/x", NULL, 0, &r, &err), 0);
    assert_non_null(strstr(pkgauth_request_url(r), "X-Amz-Credential=ENVKEY%2F"));
    assert_int_equal(pkgauth_request_applied(r), PKGAUTH_METHOD_S3);
    pkgauth_request_free(r);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_ENDPOINT_URL");
    pkgauth_store_free(s);
}

/* ---- the caller's own credentials win ---- */

static void existing_authorization_is_kept(void **state)
{
    (void)state;
    pkgauth_credential *c = make_bearer("stored");
    const char *h[] = {"authorization: Bearer mine"};
    pkgauth_request *r = apply(c, "https://repo.prefix.dev/x", h, 1);
    assert_int_equal(pkgauth_request_header_count(r), 1);
    assert_string_equal(pkgauth_request_header(r, 0), "authorization: Bearer mine");
    assert_int_equal(pkgauth_request_applied(r), 0);
    pkgauth_request_free(r);
    pkgauth_credential_free(c);
}

static void url_password_is_kept(void **state)
{
    (void)state;
    pkgauth_credential *c = make_conda("stored");
    pkgauth_request *r = apply(c, "https://me:pw@h.org/chan/x", NULL, 0);
    assert_string_equal(pkgauth_request_url(r), "https://me:pw@h.org/chan/x");
    assert_int_equal(pkgauth_request_applied(r), 0);
    pkgauth_request_free(r);
    /* a user name alone is not a credential: the stored one applies */
    r = apply(c, "https://me@h.org/chan/x", NULL, 0);
    assert_int_equal(pkgauth_request_applied(r), PKGAUTH_METHOD_CONDA);
    pkgauth_request_free(r);
    pkgauth_credential_free(c);
}

static void no_credential_changes_nothing(void **state)
{
    (void)state;
    const char *h[] = {"X-A: 1"};
    pkgauth_request *r = apply(NULL, "https://h.org/x", h, 1);
    assert_string_equal(pkgauth_request_url(r), "https://h.org/x");
    assert_int_equal(pkgauth_request_header_count(r), 1);
    assert_int_equal(pkgauth_request_applied(r), 0);
    pkgauth_request_free(r);
}

static void bad_arguments(void **state)
{
    (void)state;
    pkgauth_request *r = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_request_apply(NULL, "GET", "not a url", NULL, 0, &r, &err),
                     PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_request_apply(NULL, NULL, "https://h", NULL, 0, &r, &err),
                     PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_request_apply(NULL, "GET", "https://h", NULL, 1, &r, &err),
                     PKGAUTH_EINVAL);
    assert_null(r);
}

/* ---- through the store ---- */

static void authenticate_uses_wildcards(void **state)
{
    (void)state;
    pkgauth_store *s = store_with("*.prefix.dev", make_bearer("pfx"));
    pkgauth_request *r = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_request_authenticate(s, "GET", "https://repo.prefix.dev/c/x",
                                                  NULL, 0, &r, &err), PKGAUTH_OK);
    assert_string_equal(last_header(r), "Authorization: Bearer pfx");
    assert_string_equal(pkgauth_request_key(r), "*.prefix.dev");
    pkgauth_request_free(r);
    /* not a subdomain: no credential, no error */
    assert_int_equal(pkgauth_request_authenticate(s, "GET", "https://repo.notprefix.dev/c/x",
                                                  NULL, 0, &r, &err), PKGAUTH_OK);
    assert_int_equal(pkgauth_request_header_count(r), 0);
    assert_null(pkgauth_request_key(r));
    pkgauth_request_free(r);
    pkgauth_store_free(s);
}

static void authenticate_ignores_port(void **state)
{
    (void)state;
    pkgauth_store *s = store_with("127.0.0.1", make_conda("ct"));
    pkgauth_request *r = NULL;
    assert_int_equal(pkgauth_request_authenticate(s, "GET", "http://127.0.0.1:9999/ch/x",
                                                  NULL, 0, &r, NULL), PKGAUTH_OK);
    assert_string_equal(pkgauth_request_url(r), "http://127.0.0.1:9999/t/ct/ch/x");
    pkgauth_request_free(r);
    pkgauth_store_free(s);
}

/* ---- origins ---- */

static void same_origin(void **state)
{
    (void)state;
    assert_true(pkgauth_url_same_origin("https://h.org/a", "https://H.ORG:443/b?c"));
    assert_true(pkgauth_url_same_origin("http://h.org/a", "http://h.org:80/t/x/b"));
    assert_false(pkgauth_url_same_origin("https://h.org/a", "http://h.org/a"));
    assert_false(pkgauth_url_same_origin("https://h.org/a", "https://h.org:8443/a"));
    assert_false(pkgauth_url_same_origin("http://127.0.0.1:1/a", "http://127.0.0.1:2/a"));
    assert_false(pkgauth_url_same_origin("https://h.org/a", "https://evil.org/a"));
    assert_false(pkgauth_url_same_origin("https://h.org/a", "https://h.org.evil.org/a"));
    assert_false(pkgauth_url_same_origin("https://h.org/a", "not a url"));
}

/* ---- libcurl: headers set on the handle, redirects ---- */

static void curl_prepare_appends(void **state)
{
    (void)state;
    pkgauth_store *s = store_with("h.org", make_basic("u", "p"));
    CURL *e = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "X-Mine: 1");
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_curl_prepare(e, s, "https://h.org/x", &h, &err), PKGAUTH_OK);
    assert_string_equal(h->data, "X-Mine: 1");
    assert_non_null(h->next);
    assert_string_equal(h->next->data, "Authorization: Basic dTpw");
    assert_null(h->next->next);
    pkgauth_curl_headers_free(h);
    /* no credential: the list stays as it was (NULL) */
    h = NULL;
    assert_int_equal(pkgauth_curl_prepare(e, s, "https://other.org/x", &h, &err), PKGAUTH_OK);
    assert_null(h);
    curl_easy_cleanup(e);
    pkgauth_store_free(s);
}

/* ---- redaction of what is printed ---- */

static void redact_case(const char *in, const char *want)
{
    char *got = pkgauth_url_redact(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    pkgauth_free(got);
}

static void redaction(void **state)
{
    (void)state;
    redact_case("https://conda.anaconda.org/t/xy-72b9/conda-forge/x",
                "https://conda.anaconda.org/t/********/conda-forge/x");
    redact_case("https://user:secret@h.org/x", "https://user:********@h.org/x");
    redact_case("https://user@h.org/x", "https://user@h.org/x");
    /* the shapes fetch -vvv prints: a request line and a Location header */
    redact_case("GET /t/tok123/chan/noarch/repodata.json HTTP/1.1",
                "GET /t/********/chan/noarch/repodata.json HTTP/1.1");
    redact_case("Location: http://127.0.0.1:80/t/tok123/chan/x",
                "Location: http://127.0.0.1:80/t/********/chan/x");
    redact_case("Location: /t/tok123/chan/x", "Location: /t/********/chan/x");
    /* a URL fetch was given, after the token went in */
    pkgauth_credential *c = make_conda("tok123");
    pkgauth_request *r = apply(c, "http://127.0.0.1:8080/chan/x", NULL, 0);
    char *shown = pkgauth_url_redact(pkgauth_request_url(r));
    assert_null(strstr(shown, "tok123"));
    pkgauth_free(shown);
    pkgauth_request_free(r);
    pkgauth_credential_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bearer_adds_authorization),
        cmocka_unit_test(basic_is_base64),
        cmocka_unit_test(conda_token_goes_into_path),
        cmocka_unit_test(conda_token_not_doubled),
        cmocka_unit_test(s3_is_presigned),
        cmocka_unit_test(existing_authorization_is_kept),
        cmocka_unit_test(url_password_is_kept),
        cmocka_unit_test(no_credential_changes_nothing),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(authenticate_uses_wildcards),
        cmocka_unit_test(authenticate_ignores_port),
        cmocka_unit_test(same_origin),
        cmocka_unit_test(curl_prepare_appends),
        cmocka_unit_test(redaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
