/* Every exported function called with NULL for each pointer argument
 * (issue 17 item 7). The rule (common.h): a NULL that an argument's
 * documentation does not allow is PKGAUTH_EINVAL (err filled when given,
 * outputs cleared), NULL or 0 from a getter, nothing from a free; a NULL
 * the documentation allows has its documented meaning. Nothing crashes.
 *
 * The table at the end names each function it covers; `test_null_args
 * --list` prints them, and the ctest check null_args_cover_all compares
 * that list with the symbols libpkgauth.so exports, so a new function
 * without a case here fails the build's tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pkgauth/pkgauth.h>
#include <pkgauth/sys/backend.h>
#include "curl_dl.h"
#include "fixture.h"
#include "make_credential.h"

/* expr is evaluated twice: with E an error to fill, then with E NULL. */
#define EINVAL_BOTH(expr)                                                    \
    do {                                                                     \
        pkgauth_error err_ = {0};                                            \
        pkgauth_error *E = &err_;                                            \
        assert_int_equal((expr), PKGAUTH_EINVAL);                            \
        assert_int_equal(err_.code, PKGAUTH_EINVAL);                         \
        assert_true(err_.message[0] != '\0');                                \
        E = NULL;                                                            \
        assert_int_equal((expr), PKGAUTH_EINVAL);                            \
        (void)E;                                                             \
    } while (0)

static char *tmpdir;

/* ---- objects to pass where an argument is not the NULL under test ---- */

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

static pkgauth_config *a_config(void)
{
    pkgauth_config *c = NULL;
    pkgauth_config_options o = PKGAUTH_CONFIG_OPTIONS_INIT;
    o.home = o.xdg_config_home = o.system_dir = tmpdir;
    o.pixi_home = "";
    assert_int_equal(pkgauth_config_load(&c, &o, NULL), PKGAUTH_OK);
    return c;
}

static pkgauth_pypi *a_pypi(pkgauth_store *s)
{
    pkgauth_pypi *p = NULL;
    pkgauth_pypi_options o = PKGAUTH_PYPI_OPTIONS_INIT;
    o.netrc = "";
    o.store = s;
    assert_int_equal(pkgauth_pypi_open(&p, &o, NULL), PKGAUTH_OK);
    return p;
}

static const pkgauth_s3_options s3opts = {PKGAUTH_S3_OPTIONS_VERSION, "http://127.0.0.1:9",
                                          "us-east-1", 1, NULL, NULL, NULL};

static pkgauth_s3_target *a_target(void)
{
    pkgauth_s3_target *t = NULL;
    pkgauth_credential *c = make_s3("AKIA", "SECRET", NULL);
    assert_int_equal(pkgauth_s3_target_for_credential(c, &s3opts, "s3://bkt/k", &t, NULL),
                     PKGAUTH_OK);
    pkgauth_credential_free(c);
    return t;
}

static pkgauth_request *a_request(void)
{
    pkgauth_request *r = NULL;
    assert_int_equal(pkgauth_request_apply(NULL, "GET", "https://x.example/", NULL, 0, &r, NULL),
                     PKGAUTH_OK);
    return r;
}

static int keep_going(void *ctx, const char *key)
{
    (void)ctx;
    (void)key;
    return 0;
}

/* ---- common.h, credential.h ---- */

static void c_strerror(void) { assert_non_null(pkgauth_strerror(12345)); }
static void c_free(void) { pkgauth_free(NULL); }
static void c_init(void) { assert_int_equal(pkgauth_init(0, NULL), PKGAUTH_OK); }

static void c_credential_new_bearer(void)
{
    pkgauth_credential *c = NULL;
    EINVAL_BOTH(pkgauth_credential_new_bearer(&c, NULL, E));
    assert_null(c);
    EINVAL_BOTH(pkgauth_credential_new_bearer(NULL, "t", E));
}
static void c_credential_new_conda(void)
{
    pkgauth_credential *c = NULL;
    EINVAL_BOTH(pkgauth_credential_new_conda(&c, NULL, E));
    assert_null(c);
    EINVAL_BOTH(pkgauth_credential_new_conda(NULL, "t", E));
}
static void c_credential_new_basic(void)
{
    pkgauth_credential *c = NULL;
    EINVAL_BOTH(pkgauth_credential_new_basic(&c, NULL, "p", E));
    EINVAL_BOTH(pkgauth_credential_new_basic(&c, "u", NULL, E));
    assert_null(c);
    EINVAL_BOTH(pkgauth_credential_new_basic(NULL, "u", "p", E));
}
static void c_credential_new_s3(void)
{
    pkgauth_credential *c = NULL;
    EINVAL_BOTH(pkgauth_credential_new_s3(&c, NULL, "s", NULL, E));
    EINVAL_BOTH(pkgauth_credential_new_s3(&c, "a", NULL, NULL, E));
    assert_null(c);
    EINVAL_BOTH(pkgauth_credential_new_s3(NULL, "a", "s", NULL, E));
    /* NULL: no session token */
    assert_int_equal(pkgauth_credential_new_s3(&c, "a", "s", NULL, NULL), PKGAUTH_OK);
    assert_non_null(c);
    pkgauth_credential_free(c);
}
static void c_credential_dup(void)
{
    pkgauth_credential *c = NULL;
    EINVAL_BOTH(pkgauth_credential_dup(&c, NULL, E));
    assert_null(c);
    pkgauth_credential *src = make_bearer("t");
    EINVAL_BOTH(pkgauth_credential_dup(NULL, src, E));
    pkgauth_credential_free(src);
}
static void c_credential_free(void) { pkgauth_credential_free(NULL); }
static void c_credential_method(void) { assert_int_equal(pkgauth_credential_method(NULL), 0); }
static void c_method_name(void) { assert_non_null(pkgauth_method_name((pkgauth_method)999)); }
static void c_credential_token(void) { assert_null(pkgauth_credential_token(NULL)); }
static void c_credential_username(void) { assert_null(pkgauth_credential_username(NULL)); }
static void c_credential_password(void) { assert_null(pkgauth_credential_password(NULL)); }
static void c_credential_access_key_id(void) { assert_null(pkgauth_credential_access_key_id(NULL)); }
static void c_credential_secret_access_key(void)
{
    assert_null(pkgauth_credential_secret_access_key(NULL));
}
static void c_credential_session_token(void) { assert_null(pkgauth_credential_session_token(NULL)); }
static void c_credential_expires_at(void) { assert_int_equal(pkgauth_credential_expires_at(NULL), 0); }
static void c_jwt_expiry(void)
{
    int64_t exp = 7;
    /* {"exp":1}: header.claims.signature */
    static const char jwt[] = "eyJhbGciOiJub25lIn0.eyJleHAiOjF9.sig";
    assert_int_equal(pkgauth_jwt_expiry(NULL, &exp), 0);
    assert_int_equal(pkgauth_jwt_expiry(jwt, NULL), 1); /* NULL: only whether it has one */
    assert_int_equal(pkgauth_jwt_expiry(jwt, &exp), 1);
    assert_int_equal(exp, 1);
}
static void c_credential_from_json(void)
{
    pkgauth_credential *c = (pkgauth_credential *)1;
    EINVAL_BOTH(pkgauth_credential_from_json(NULL, 3, &c, E));
    assert_null(c);
    EINVAL_BOTH(pkgauth_credential_from_json("{}", 2, NULL, E));
}
static void c_credential_to_json(void) { assert_null(pkgauth_credential_to_json(NULL)); }
static void c_credential_text_problem(void)
{
    assert_string_equal(pkgauth_credential_text_problem(NULL, 0), "is missing");
    assert_string_equal(pkgauth_credential_text_problem(NULL, 1), "is missing");
}

/* ---- config.h ---- */

static void c_config_load(void)
{
    EINVAL_BOTH(pkgauth_config_load(NULL, NULL, E));
}
static void c_config_load_file(void)
{
    pkgauth_config *c = (pkgauth_config *)1;
    EINVAL_BOTH(pkgauth_config_load_file(NULL, "/nonexistent.toml", NULL, E));
    EINVAL_BOTH(pkgauth_config_load_file(&c, NULL, NULL, E));
    assert_null(c);
}
static void c_config_free(void) { pkgauth_config_free(NULL); }
static void c_config_file_count(void) { assert_int_equal(pkgauth_config_file_count(NULL), 0); }
static void c_config_file_at(void)
{
    int found = 7;
    pkgauth_config *c = a_config();
    assert_null(pkgauth_config_file_at(NULL, 0, &found));
    assert_non_null(pkgauth_config_file_at(c, 0, NULL)); /* NULL: not asked */
    pkgauth_config_free(c);
}
static void c_config_override_file(void)
{
    const char *src = "x";
    pkgauth_config *c = a_config();
    assert_null(pkgauth_config_override_file(NULL, &src));
    assert_null(src);
    assert_null(pkgauth_config_override_file(c, NULL));
    pkgauth_config_free(c);
}
static void c_config_keyring_provider(void)
{
    const char *src = "x";
    pkgauth_config *c = a_config();
    assert_int_equal(pkgauth_config_keyring_provider(NULL, &src), PKGAUTH_KEYRING_PROVIDER_DISABLED);
    assert_null(src);
    assert_int_equal(pkgauth_config_keyring_provider(c, NULL), PKGAUTH_KEYRING_PROVIDER_DISABLED);
    pkgauth_config_free(c);
}
static void c_keyring_provider_name(void)
{
    assert_non_null(pkgauth_keyring_provider_name((pkgauth_keyring_provider)999));
}
static void c_config_s3_options(void)
{
    pkgauth_s3_options o;
    pkgauth_config *c = a_config();
    /* config NULL: no bucket has options */
    assert_int_equal(pkgauth_config_s3_options(NULL, "b", &o), PKGAUTH_ENOTFOUND);
    assert_int_equal(o.force_path_style, -1);
    assert_int_equal(pkgauth_config_s3_options(c, NULL, &o), PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_config_s3_options(c, "b", NULL), PKGAUTH_EINVAL);
    pkgauth_config_free(c);
}
static void c_config_s3_bucket_count(void) { assert_int_equal(pkgauth_config_s3_bucket_count(NULL), 0); }
static void c_config_s3_bucket_at(void) { assert_null(pkgauth_config_s3_bucket_at(NULL, 0)); }

/* ---- prefix_dev.h ---- */

static void c_prefix_dev_api_url(void)
{
    unsetenv("PREFIX_DEV_API_URL");
    assert_null(pkgauth_prefix_dev_api_url(NULL));
}
static void c_prefix_dev_check_token(void)
{
    char *login = (char *)1;
    EINVAL_BOTH(pkgauth_prefix_dev_check_token(NULL, "t", &login, E));
    assert_null(login);
    EINVAL_BOTH(pkgauth_prefix_dev_check_token("http://127.0.0.1:9", NULL, &login, E));
    EINVAL_BOTH(pkgauth_prefix_dev_check_token("http://127.0.0.1:9", "t", NULL, E));
}

/* ---- pypi.h ---- */

static void c_pypi_open(void)
{
    pkgauth_pypi *p = NULL;
    EINVAL_BOTH(pkgauth_pypi_open(NULL, NULL, E));
    assert_int_equal(pkgauth_pypi_open(&p, NULL, NULL), PKGAUTH_OK); /* NULL: defaults */
    pkgauth_pypi_free(p);
}
static void c_pypi_free(void) { pkgauth_pypi_free(NULL); }
static void c_pypi_source_name(void) { assert_non_null(pkgauth_pypi_source_name((pkgauth_pypi_source)999)); }
static void c_pypi_find(void)
{
    pkgauth_store *s = a_store();
    pkgauth_pypi *p = a_pypi(s);
    pkgauth_credential *c = (pkgauth_credential *)1;
    EINVAL_BOTH(pkgauth_pypi_find(NULL, "https://repo.example.com/", &c, NULL, E));
    assert_null(c);
    EINVAL_BOTH(pkgauth_pypi_find(p, NULL, &c, NULL, E));
    EINVAL_BOTH(pkgauth_pypi_find(p, "https://repo.example.com/", NULL, NULL, E));
    assert_int_equal(pkgauth_pypi_find(p, "https://repo.example.com/", &c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    pkgauth_pypi_free(p);
    pkgauth_store_free(s);
}
static void c_url_username(void) { assert_null(pkgauth_url_username(NULL)); }
static void c_pypi_authenticate(void)
{
    pkgauth_store *s = a_store();
    pkgauth_pypi *p = a_pypi(s);
    pkgauth_request *r = (pkgauth_request *)1;
    const char *bad[] = {NULL};
    const char *u = "https://repo.example.com/";
    EINVAL_BOTH(pkgauth_pypi_authenticate(NULL, "GET", u, NULL, 0, &r, E));
    assert_null(r);
    EINVAL_BOTH(pkgauth_pypi_authenticate(p, NULL, u, NULL, 0, &r, E));
    EINVAL_BOTH(pkgauth_pypi_authenticate(p, "GET", NULL, NULL, 0, &r, E));
    EINVAL_BOTH(pkgauth_pypi_authenticate(p, "GET", u, NULL, 1, &r, E));
    EINVAL_BOTH(pkgauth_pypi_authenticate(p, "GET", u, bad, 1, &r, E));
    EINVAL_BOTH(pkgauth_pypi_authenticate(p, "GET", u, NULL, 0, NULL, E));
    pkgauth_pypi_free(p);
    pkgauth_store_free(s);
}
static void c_pypi_curl_prepare(void)
{
    pkgauth_store *s = a_store();
    pkgauth_pypi *p = a_pypi(s);
    CURL *e = curl_easy_init();
    struct curl_slist *h = NULL;
    const char *u = "https://repo.example.com/";
    EINVAL_BOTH(pkgauth_pypi_curl_prepare(NULL, p, u, &h, E));
    EINVAL_BOTH(pkgauth_pypi_curl_prepare(e, NULL, u, &h, E));
    EINVAL_BOTH(pkgauth_pypi_curl_prepare(e, p, NULL, &h, E));
    EINVAL_BOTH(pkgauth_pypi_curl_prepare(e, p, u, NULL, E));
    assert_null(h);
    curl_easy_cleanup(e);
    pkgauth_pypi_free(p);
    pkgauth_store_free(s);
}
static void c_pypi_curl_redirect(void)
{
    pkgauth_store *s = a_store();
    pkgauth_pypi *p = a_pypi(s);
    CURL *e = curl_easy_init();
    struct curl_slist *h = NULL;
    int hops = 0;
    const char *u = "https://repo.example.com/";
    EINVAL_BOTH(pkgauth_pypi_curl_redirect(NULL, p, u, &h, &hops, E));
    EINVAL_BOTH(pkgauth_pypi_curl_redirect(e, NULL, u, &h, &hops, E));
    EINVAL_BOTH(pkgauth_pypi_curl_redirect(e, p, NULL, &h, &hops, E));
    EINVAL_BOTH(pkgauth_pypi_curl_redirect(e, p, u, NULL, &hops, E));
    EINVAL_BOTH(pkgauth_pypi_curl_redirect(e, p, u, &h, NULL, E));
    curl_easy_cleanup(e);
    pkgauth_pypi_free(p);
    pkgauth_store_free(s);
}

/* ---- request.h ---- */

static void c_request_apply(void)
{
    pkgauth_request *r = (pkgauth_request *)1;
    const char *bad[] = {"Accept: */*", NULL};
    const char *u = "https://x.example/";
    EINVAL_BOTH(pkgauth_request_apply(NULL, NULL, u, NULL, 0, &r, E));
    assert_null(r);
    EINVAL_BOTH(pkgauth_request_apply(NULL, "GET", NULL, NULL, 0, &r, E));
    EINVAL_BOTH(pkgauth_request_apply(NULL, "GET", u, NULL, 2, &r, E));
    EINVAL_BOTH(pkgauth_request_apply(NULL, "GET", u, bad, 2, &r, E));
    EINVAL_BOTH(pkgauth_request_apply(NULL, "GET", u, NULL, 0, NULL, E));
    /* cred NULL: nothing applied */
    assert_int_equal(pkgauth_request_apply(NULL, "GET", u, NULL, 0, &r, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_request_applied(r), 0);
    pkgauth_request_free(r);
}
static void c_request_authenticate(void)
{
    pkgauth_store *s = a_store();
    pkgauth_request *r = (pkgauth_request *)1;
    const char *bad[] = {NULL};
    const char *u = "https://repo.example.com/";
    EINVAL_BOTH(pkgauth_request_authenticate(NULL, "GET", u, NULL, 0, &r, E));
    assert_null(r);
    EINVAL_BOTH(pkgauth_request_authenticate(s, NULL, u, NULL, 0, &r, E));
    EINVAL_BOTH(pkgauth_request_authenticate(s, "GET", NULL, NULL, 0, &r, E));
    EINVAL_BOTH(pkgauth_request_authenticate(s, "GET", u, NULL, 1, &r, E));
    EINVAL_BOTH(pkgauth_request_authenticate(s, "GET", u, bad, 1, &r, E));
    EINVAL_BOTH(pkgauth_request_authenticate(s, "GET", u, NULL, 0, NULL, E));
    pkgauth_store_free(s);
}
static void c_request_url(void)
{
    pkgauth_request *r = a_request();
    assert_null(pkgauth_request_url(NULL));
    assert_string_equal(pkgauth_request_url(r), "https://x.example/");
    pkgauth_request_free(r);
}
static void c_request_header_count(void) { assert_int_equal(pkgauth_request_header_count(NULL), 0); }
static void c_request_header(void) { assert_null(pkgauth_request_header(NULL, 0)); }
static void c_request_applied(void) { assert_int_equal(pkgauth_request_applied(NULL), 0); }
static void c_request_key(void) { assert_null(pkgauth_request_key(NULL)); }
static void c_request_free(void) { pkgauth_request_free(NULL); }
static void c_url_same_origin(void)
{
    assert_int_equal(pkgauth_url_same_origin(NULL, "https://a/"), 0);
    assert_int_equal(pkgauth_url_same_origin("https://a/", NULL), 0);
}
static void c_curl_prepare(void)
{
    pkgauth_store *s = a_store();
    CURL *e = curl_easy_init();
    struct curl_slist *h = NULL;
    const char *u = "https://repo.example.com/";
    EINVAL_BOTH(pkgauth_curl_prepare(NULL, s, u, &h, E));
    EINVAL_BOTH(pkgauth_curl_prepare(e, NULL, u, &h, E));
    EINVAL_BOTH(pkgauth_curl_prepare(e, s, NULL, &h, E));
    EINVAL_BOTH(pkgauth_curl_prepare(e, s, u, NULL, E));
    curl_easy_cleanup(e);
    pkgauth_store_free(s);
}
static void c_curl_redirect(void)
{
    pkgauth_store *s = a_store();
    CURL *e = curl_easy_init();
    struct curl_slist *h = NULL;
    int hops = 0;
    const char *u = "https://repo.example.com/";
    EINVAL_BOTH(pkgauth_curl_redirect(NULL, s, u, &h, &hops, E));
    EINVAL_BOTH(pkgauth_curl_redirect(e, NULL, u, &h, &hops, E));
    EINVAL_BOTH(pkgauth_curl_redirect(e, s, NULL, &h, &hops, E));
    EINVAL_BOTH(pkgauth_curl_redirect(e, s, u, NULL, &hops, E));
    EINVAL_BOTH(pkgauth_curl_redirect(e, s, u, &h, NULL, E));
    curl_easy_cleanup(e);
    pkgauth_store_free(s);
}
static void c_curl_headers_free(void) { pkgauth_curl_headers_free(NULL); }

/* ---- s3.h ---- */

static void c_s3_target_resolve(void)
{
    pkgauth_store *s = a_store();
    pkgauth_s3_target *t = (pkgauth_s3_target *)1;
    EINVAL_BOTH(pkgauth_s3_target_resolve(NULL, &s3opts, "s3://bkt/k", &t, E)); /* options need a store */
    assert_null(t);
    EINVAL_BOTH(pkgauth_s3_target_resolve(s, &s3opts, NULL, &t, E));
    EINVAL_BOTH(pkgauth_s3_target_resolve(s, &s3opts, "s3://bkt/k", NULL, E));
    /* options NULL, store NULL: the AWS conventions (none set up here) */
    assert_int_equal(pkgauth_s3_target_resolve(NULL, NULL, "s3://bkt/k", &t, NULL),
                     PKGAUTH_ENOTFOUND);
    pkgauth_store_free(s);
}
static void c_s3_target_for_credential(void)
{
    pkgauth_credential *c = make_s3("AKIA", "SECRET", NULL);
    pkgauth_s3_target *t = (pkgauth_s3_target *)1;
    EINVAL_BOTH(pkgauth_s3_target_for_credential(NULL, &s3opts, "s3://bkt/k", &t, E));
    assert_null(t);
    EINVAL_BOTH(pkgauth_s3_target_for_credential(c, &s3opts, NULL, &t, E));
    EINVAL_BOTH(pkgauth_s3_target_for_credential(c, &s3opts, "s3://bkt/k", NULL, E));
    assert_int_equal(pkgauth_s3_target_for_credential(c, NULL, "s3://bkt/k", &t, NULL), PKGAUTH_OK);
    pkgauth_s3_target_free(t);
    pkgauth_credential_free(c);
}
static void c_s3_target_free(void) { pkgauth_s3_target_free(NULL); }
static void c_s3_target_url(void) { assert_null(pkgauth_s3_target_url(NULL)); }
static void c_s3_target_bucket(void) { assert_null(pkgauth_s3_target_bucket(NULL)); }
static void c_s3_target_region(void) { assert_null(pkgauth_s3_target_region(NULL)); }
static void c_s3_target_access_key_id(void) { assert_null(pkgauth_s3_target_access_key_id(NULL)); }
static void c_s3_target_path_style(void) { assert_int_equal(pkgauth_s3_target_path_style(NULL), 0); }
static void c_s3_target_has_session_token(void)
{
    assert_int_equal(pkgauth_s3_target_has_session_token(NULL), 0);
}
static void c_s3_target_source(void) { assert_null(pkgauth_s3_target_source(NULL)); }
static void c_s3_target_store_key(void) { assert_null(pkgauth_s3_target_store_key(NULL)); }
static void c_s3_target_presign(void)
{
    pkgauth_s3_target *t = a_target();
    char *url = (char *)1;
    EINVAL_BOTH(pkgauth_s3_target_presign(NULL, "GET", 0, 0, &url, E));
    assert_null(url);
    EINVAL_BOTH(pkgauth_s3_target_presign(t, NULL, 0, 0, &url, E));
    EINVAL_BOTH(pkgauth_s3_target_presign(t, "GET", 0, 0, NULL, E));
    pkgauth_s3_target_free(t);
}
static void c_s3_presign(void)
{
    pkgauth_store *s = a_store();
    char *url = (char *)1;
    EINVAL_BOTH(pkgauth_s3_presign(NULL, &s3opts, "GET", "s3://bkt/k", 0, &url, E));
    assert_null(url);
    EINVAL_BOTH(pkgauth_s3_presign(s, &s3opts, NULL, "s3://bkt/k", 0, &url, E));
    EINVAL_BOTH(pkgauth_s3_presign(s, &s3opts, "GET", NULL, 0, &url, E));
    EINVAL_BOTH(pkgauth_s3_presign(s, &s3opts, "GET", "s3://bkt/k", 0, NULL, E));
    pkgauth_store_free(s);
}
static void c_s3_presign_configured(void)
{
    pkgauth_store *s = a_store();
    pkgauth_config *c = a_config();
    char *url = (char *)1;
    EINVAL_BOTH(pkgauth_s3_presign_configured(s, c, NULL, "s3://bkt/k", 0, &url, E));
    assert_null(url);
    EINVAL_BOTH(pkgauth_s3_presign_configured(s, c, "GET", NULL, 0, &url, E));
    EINVAL_BOTH(pkgauth_s3_presign_configured(s, c, "GET", "s3://bkt/k", 0, NULL, E));
    /* store NULL: only the AWS conventions; config NULL: the default files */
    assert_int_equal(pkgauth_s3_presign_configured(NULL, c, "GET", "s3://bkt/k", 0, &url, NULL),
                     PKGAUTH_ENOTFOUND);
    assert_int_equal(pkgauth_s3_presign_configured(s, NULL, "GET", "s3://bkt/k", 0, &url, NULL),
                     PKGAUTH_ENOTFOUND);
    pkgauth_config_free(c);
    pkgauth_store_free(s);
}
static void c_s3_url_bucket(void)
{
    char *b = (char *)1;
    EINVAL_BOTH(pkgauth_s3_url_bucket(NULL, &b, E));
    assert_null(b);
    EINVAL_BOTH(pkgauth_s3_url_bucket("s3://bkt/k", NULL, E));
}
static void c_s3_error_parse(void)
{
    char code[8] = "x", msg[8] = "x";
    static const char body[] = "<Error><Code>C</Code></Error>";
    assert_int_equal(pkgauth_s3_error_parse(NULL, 10, code, sizeof code, msg, sizeof msg), 0);
    assert_string_equal(code, "");
    assert_string_equal(msg, "");
    assert_int_equal(pkgauth_s3_error_parse(body, sizeof body - 1, NULL, 8, msg, sizeof msg), 1);
    assert_int_equal(pkgauth_s3_error_parse(body, sizeof body - 1, code, sizeof code, NULL, 8), 1);
    assert_string_equal(code, "C");
}

/* ---- store.h ---- */

static void c_store_open(void)
{
    EINVAL_BOTH(pkgauth_store_open(NULL, NULL, E));
}
static void c_store_new(void) { EINVAL_BOTH(pkgauth_store_new(NULL, E)); }
static void c_store_add_file(void)
{
    pkgauth_store *s = a_store();
    EINVAL_BOTH(pkgauth_store_add_file(NULL, "/tmp/x.json", E));
    EINVAL_BOTH(pkgauth_store_add_file(s, NULL, E));
    assert_int_equal(pkgauth_store_backend_count(s), 1);
    pkgauth_store_free(s);
}
static void c_store_add_memory(void) { EINVAL_BOTH(pkgauth_store_add_memory(NULL, E)); }
static void c_store_free(void) { pkgauth_store_free(NULL); }
static void c_store_backend_count(void) { assert_int_equal(pkgauth_store_backend_count(NULL), 0); }
static void c_store_backend_name(void) { assert_null(pkgauth_store_backend_name(NULL, 0)); }
static void c_store_get(void)
{
    pkgauth_store *s = a_store();
    pkgauth_credential *c = (pkgauth_credential *)1;
    EINVAL_BOTH(pkgauth_store_get(NULL, "k", &c, NULL, E));
    assert_null(c);
    EINVAL_BOTH(pkgauth_store_get(s, NULL, &c, NULL, E));
    EINVAL_BOTH(pkgauth_store_get(s, "k", NULL, NULL, E));
    assert_int_equal(pkgauth_store_get(s, "repo.example.com", &c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    pkgauth_store_free(s);
}
static void c_store_set(void)
{
    pkgauth_store *s = a_store();
    pkgauth_credential *c = make_bearer("t");
    EINVAL_BOTH(pkgauth_store_set(NULL, "k", c, NULL, E));
    EINVAL_BOTH(pkgauth_store_set(s, NULL, c, NULL, E));
    EINVAL_BOTH(pkgauth_store_set(s, "k", NULL, NULL, E));
    pkgauth_credential_free(c);
    pkgauth_store_free(s);
}
static void c_store_delete(void)
{
    pkgauth_store *s = a_store();
    size_t n = 9;
    EINVAL_BOTH(pkgauth_store_delete(NULL, "k", &n, E));
    assert_int_equal(n, 0);
    EINVAL_BOTH(pkgauth_store_delete(s, NULL, &n, E));
    assert_int_equal(pkgauth_store_delete(s, "repo.example.com", NULL, NULL), PKGAUTH_OK);
    pkgauth_store_free(s);
}
static void c_store_delete_force(void)
{
    pkgauth_store *s = a_store();
    size_t n = 9;
    EINVAL_BOTH(pkgauth_store_delete_force(NULL, "k", &n, E));
    assert_int_equal(n, 0);
    EINVAL_BOTH(pkgauth_store_delete_force(s, NULL, &n, E));
    assert_int_equal(pkgauth_store_delete_force(s, "repo.example.com", NULL, NULL), PKGAUTH_OK);
    pkgauth_store_free(s);
}
static void c_store_find(void)
{
    pkgauth_store *s = a_store();
    pkgauth_match m;
    memset(&m, 0xff, sizeof m);
    EINVAL_BOTH(pkgauth_store_find(NULL, "https://repo.example.com/", &m, E));
    assert_null(m.credential);
    assert_null(m.key);
    EINVAL_BOTH(pkgauth_store_find(s, NULL, &m, E));
    EINVAL_BOTH(pkgauth_store_find(s, "https://repo.example.com/", NULL, E));
    pkgauth_store_free(s);
}
static void c_match_clear(void) { pkgauth_match_clear(NULL); }
static void c_store_find_host(void)
{
    pkgauth_store *s = a_store();
    pkgauth_match m;
    memset(&m, 0xff, sizeof m);
    EINVAL_BOTH(pkgauth_store_find_host(NULL, "repo.example.com", &m, E));
    assert_null(m.credential);
    EINVAL_BOTH(pkgauth_store_find_host(s, NULL, &m, E));
    EINVAL_BOTH(pkgauth_store_find_host(s, "repo.example.com", NULL, E));
    pkgauth_store_free(s);
}
static void c_store_list(void)
{
    pkgauth_store *s = a_store();
    pkgauth_entry *e = (pkgauth_entry *)1;
    size_t n = 9;
    EINVAL_BOTH(pkgauth_store_list(NULL, &e, &n, E));
    assert_null(e);
    assert_int_equal(n, 0);
    EINVAL_BOTH(pkgauth_store_list(s, NULL, &n, E));
    EINVAL_BOTH(pkgauth_store_list(s, &e, NULL, E));
    pkgauth_store_free(s);
}
static void c_store_list_ex(void)
{
    pkgauth_store *s = a_store();
    pkgauth_entry *e = (pkgauth_entry *)1;
    size_t n = 9;
    EINVAL_BOTH(pkgauth_store_list_ex(NULL, &e, &n, NULL, NULL, E));
    assert_null(e);
    assert_int_equal(n, 0);
    EINVAL_BOTH(pkgauth_store_list_ex(s, NULL, &n, NULL, NULL, E));
    EINVAL_BOTH(pkgauth_store_list_ex(s, &e, NULL, NULL, NULL, E));
    /* no callback for unreachable stores is allowed */
    assert_int_equal(pkgauth_store_list_ex(s, &e, &n, NULL, NULL, NULL), PKGAUTH_OK);
    pkgauth_entries_free(e, n);
    pkgauth_store_free(s);
}
static void c_entries_free(void) { pkgauth_entries_free(NULL, 3); }
static void c_login_key(void)
{
    char *k = (char *)1;
    EINVAL_BOTH(pkgauth_login_key(NULL, &k, E));
    assert_null(k);
    EINVAL_BOTH(pkgauth_login_key("repo.example.com", NULL, E));
    /* an s3:// key needs a bucket */
    EINVAL_BOTH(pkgauth_login_key("s3:///x", &k, E));
    EINVAL_BOTH(pkgauth_login_key("s3://", &k, E));
    assert_null(k);
}
static void c_url_candidates(void)
{
    EINVAL_BOTH(pkgauth_url_candidates(NULL, keep_going, NULL, E));
    EINVAL_BOTH(pkgauth_url_candidates("https://a.example/", NULL, NULL, E));
    /* ctx NULL is the caller's business */
    assert_int_equal(pkgauth_url_candidates("https://a.example/", keep_going, NULL, NULL), PKGAUTH_OK);
}
static void c_url_redact(void) { assert_null(pkgauth_url_redact(NULL)); }

/* ---- sys/backend.h ---- */

static void c_store_add_backend(void)
{
    pkgauth_store *s = a_store();
    pkgauth_backend b = {0}; /* never taken: refused before anything is called */
    EINVAL_BOTH(pkgauth_store_add_backend(NULL, &b, E));
    EINVAL_BOTH(pkgauth_store_add_backend(s, NULL, E));
    EINVAL_BOTH(pkgauth_store_add_backend(s, &b, E)); /* version 0, no ops */
    assert_int_equal(pkgauth_store_backend_count(s), 1);
    pkgauth_store_free(s);
}
static void c_backend_warn(void)
{
    pkgauth_backend b = {0};
    pkgauth_backend_warn(NULL, "x");
    pkgauth_backend_warn(&b, NULL);
    pkgauth_backend_warn(&b, "no handler: dropped");
}

/* ---- provider.h ---- */

static pkgauth_context *a_context(pkgauth_store *s)
{
    pkgauth_context *c = NULL;
    assert_int_equal(pkgauth_context_new(&c, s, NULL), PKGAUTH_OK);
    return c;
}
static void c_acquired_clear(void) { pkgauth_acquired_clear(NULL); }
static void c_context_new(void)
{
    pkgauth_context *c = NULL;
    EINVAL_BOTH(pkgauth_context_new(NULL, NULL, E));
    /* a NULL store: providers only */
    assert_int_equal(pkgauth_context_new(&c, NULL, NULL), PKGAUTH_OK);
    pkgauth_context_free(c);
}
static void c_context_free(void) { pkgauth_context_free(NULL); }
static void c_context_add_provider(void)
{
    pkgauth_context *c = a_context(NULL);
    pkgauth_provider p = {0}; /* never taken: refused before anything is called */
    EINVAL_BOTH(pkgauth_context_add_provider(NULL, &p, PKGAUTH_PROVIDER_BEFORE_STORE, E));
    EINVAL_BOTH(pkgauth_context_add_provider(c, NULL, PKGAUTH_PROVIDER_BEFORE_STORE, E));
    EINVAL_BOTH(pkgauth_context_add_provider(c, &p, PKGAUTH_PROVIDER_BEFORE_STORE, E));
    pkgauth_context_free(c);
}
static void c_credential_acquire(void)
{
    pkgauth_store *s = a_store();
    pkgauth_context *c = a_context(s);
    pkgauth_acquired a = {.expires_at = 1};
    const char *u = "https://repo.example.com/";
    EINVAL_BOTH(pkgauth_credential_acquire(NULL, u, 0, &a, E));
    assert_null(a.credential);
    assert_int_equal(a.expires_at, 0);
    EINVAL_BOTH(pkgauth_credential_acquire(c, NULL, 0, &a, E));
    EINVAL_BOTH(pkgauth_credential_acquire(c, u, 0, NULL, E));
    pkgauth_context_free(c);
    pkgauth_store_free(s);
}
static void context_authenticate_nulls(int (*fn)(pkgauth_context *, const char *, const char *,
                                                 const char *, const char *const *, size_t,
                                                 pkgauth_request **, pkgauth_error *))
{
    pkgauth_store *s = a_store();
    pkgauth_context *c = a_context(s);
    pkgauth_request *r = (pkgauth_request *)1;
    const char *u = "https://repo.example.com/";
    EINVAL_BOTH(fn(NULL, "GET", u, NULL, NULL, 0, &r, E));
    assert_null(r);
    EINVAL_BOTH(fn(c, NULL, u, NULL, NULL, 0, &r, E));
    EINVAL_BOTH(fn(c, "GET", NULL, NULL, NULL, 0, &r, E));
    EINVAL_BOTH(fn(c, "GET", u, NULL, NULL, 1, &r, E));
    EINVAL_BOTH(fn(c, "GET", u, NULL, NULL, 0, NULL, E));
    /* first_url NULL: the first request of a chain */
    assert_int_equal(fn(c, "GET", u, NULL, NULL, 0, &r, NULL), PKGAUTH_OK);
    pkgauth_request_free(r);
    pkgauth_context_free(c);
    pkgauth_store_free(s);
}
static int via_cb(pkgauth_context *c, const char *m, const char *u, const char *f,
                  const char *const *h, size_t n, pkgauth_request **r, pkgauth_error *e)
{
    return pkgauth_context_authenticate_cb(c, m, u, f, h, n, r, e);
}
static void c_context_authenticate(void) { context_authenticate_nulls(pkgauth_context_authenticate); }
static void c_context_authenticate_cb(void) { context_authenticate_nulls(via_cb); }
static void c_curl_prepare_cb(void)
{
    pkgauth_store *s = a_store();
    pkgauth_context *c = a_context(s);
    CURL *e = curl_easy_init();
    struct curl_slist *h = NULL;
    const char *u = "https://repo.example.com/";
    pkgauth_authenticate_cb cb = pkgauth_context_authenticate_cb;
    EINVAL_BOTH(pkgauth_curl_prepare_cb(NULL, cb, c, u, &h, E));
    EINVAL_BOTH(pkgauth_curl_prepare_cb(e, NULL, c, u, &h, E));
    EINVAL_BOTH(pkgauth_curl_prepare_cb(e, cb, c, NULL, &h, E));
    EINVAL_BOTH(pkgauth_curl_prepare_cb(e, cb, c, u, NULL, E));
    /* the payload is the callback's business: here NULL is refused by it */
    EINVAL_BOTH(pkgauth_curl_prepare_cb(e, cb, NULL, u, &h, E));
    curl_easy_cleanup(e);
    pkgauth_context_free(c);
    pkgauth_store_free(s);
}
static void c_curl_redirect_cb(void)
{
    pkgauth_store *s = a_store();
    pkgauth_context *c = a_context(s);
    CURL *e = curl_easy_init();
    struct curl_slist *h = NULL;
    int hops = 0;
    const char *u = "https://repo.example.com/";
    pkgauth_authenticate_cb cb = pkgauth_context_authenticate_cb;
    EINVAL_BOTH(pkgauth_curl_redirect_cb(NULL, cb, c, u, &h, &hops, E));
    EINVAL_BOTH(pkgauth_curl_redirect_cb(e, NULL, c, u, &h, &hops, E));
    EINVAL_BOTH(pkgauth_curl_redirect_cb(e, cb, c, NULL, &h, &hops, E));
    EINVAL_BOTH(pkgauth_curl_redirect_cb(e, cb, c, u, NULL, &hops, E));
    EINVAL_BOTH(pkgauth_curl_redirect_cb(e, cb, c, u, &h, NULL, E));
    curl_easy_cleanup(e);
    pkgauth_context_free(c);
    pkgauth_store_free(s);
}
static void c_pypi_provider_new(void)
{
    pkgauth_provider *p = NULL;
    pkgauth_pypi_options o = {.netrc = ""};
    EINVAL_BOTH(pkgauth_pypi_provider_new(NULL, &o, E));
    /* opts NULL: all defaults, as pkgauth_pypi_open() */
    assert_int_equal(pkgauth_pypi_provider_new(&p, NULL, NULL), PKGAUTH_OK);
    p->free(p);
}

/* ---- the table ---- */

typedef struct {
    const char *name;
    void (*check)(void);
    void (*function)(void); /* the function itself: a typo does not link */
} api_case;

#define CASE(f) {#f, c_##f, (void (*)(void))pkgauth_##f}

static const api_case cases[] = {
    CASE(strerror), CASE(free), CASE(init),
    CASE(credential_new_bearer), CASE(credential_new_conda), CASE(credential_new_basic),
    CASE(credential_new_s3), CASE(credential_dup), CASE(credential_free), CASE(credential_method),
    CASE(method_name), CASE(credential_token), CASE(credential_username),
    CASE(credential_password), CASE(credential_access_key_id),
    CASE(credential_secret_access_key), CASE(credential_session_token),
    CASE(credential_expires_at), CASE(jwt_expiry), CASE(credential_from_json),
    CASE(credential_to_json), CASE(credential_text_problem),
    CASE(config_load), CASE(config_load_file), CASE(config_free), CASE(config_file_count),
    CASE(config_file_at), CASE(config_override_file), CASE(config_keyring_provider),
    CASE(keyring_provider_name), CASE(config_s3_options), CASE(config_s3_bucket_count),
    CASE(config_s3_bucket_at),
    CASE(prefix_dev_api_url), CASE(prefix_dev_check_token),
    CASE(pypi_open), CASE(pypi_free), CASE(pypi_source_name), CASE(pypi_find),
    CASE(url_username), CASE(pypi_authenticate), CASE(pypi_curl_prepare),
    CASE(pypi_curl_redirect),
    CASE(request_apply), CASE(request_authenticate), CASE(request_url),
    CASE(request_header_count), CASE(request_header), CASE(request_applied), CASE(request_key),
    CASE(request_free), CASE(url_same_origin), CASE(curl_prepare), CASE(curl_redirect),
    CASE(curl_headers_free),
    CASE(s3_target_resolve), CASE(s3_target_for_credential), CASE(s3_target_free),
    CASE(s3_target_url), CASE(s3_target_bucket), CASE(s3_target_region),
    CASE(s3_target_access_key_id), CASE(s3_target_path_style),
    CASE(s3_target_has_session_token), CASE(s3_target_source), CASE(s3_target_store_key),
    CASE(s3_target_presign), CASE(s3_presign), CASE(s3_presign_configured),
    CASE(s3_url_bucket), CASE(s3_error_parse),
    CASE(store_open), CASE(store_new), CASE(store_add_file), CASE(store_add_memory),
    CASE(store_free), CASE(store_backend_count), CASE(store_backend_name), CASE(store_get),
    CASE(store_set), CASE(store_delete), CASE(store_delete_force), CASE(store_find), CASE(match_clear),
    CASE(store_find_host), CASE(store_list), CASE(store_list_ex), CASE(entries_free), CASE(login_key),
    CASE(url_candidates), CASE(url_redact),
    CASE(store_add_backend), CASE(backend_warn),
    CASE(acquired_clear), CASE(context_new), CASE(context_free), CASE(context_add_provider),
    CASE(credential_acquire), CASE(context_authenticate), CASE(context_authenticate_cb),
    CASE(curl_prepare_cb), CASE(curl_redirect_cb), CASE(pypi_provider_new),
};
#define N_CASES (sizeof cases / sizeof *cases)

static void run_case(void **state)
{
    ((const api_case *)*state)->check();
}

/* Only the AWS conventions of a machine with nothing set up: the S3 cases
 * must not find a developer's real credentials. */
static void isolate(void)
{
    assert_non_null(tmpdir = fixture_dir_new("null"));
    setenv("HOME", tmpdir, 1);
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    setenv("PKGAUTH_SYSTEM_CONFIG_DIR", tmpdir, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent", 1);
    static const char *const unset[] = {"PIXI_HOME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                        "AWS_SESSION_TOKEN", "AWS_PROFILE", "RATTLER_AUTH_FILE",
                                        "NETRC", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"};
    for (size_t i = 0; i < sizeof unset / sizeof *unset; i++)
        unsetenv(unset[i]);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--list")) {
        for (size_t i = 0; i < N_CASES; i++)
            printf("pkgauth_%s\n", cases[i].name);
        return 0;
    }
    isolate();
    struct CMUnitTest tests[N_CASES];
    for (size_t i = 0; i < N_CASES; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL,
                                       (void *)&cases[i]};
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_dir_remove(tmpdir);
    return failed;
}
