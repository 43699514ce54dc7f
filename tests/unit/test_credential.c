/* The credential model and its JSON (compat.md "The four credential kinds"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkgauth/pkgauth.h"

static void roundtrip(const char *json, pkgauth_method method)
{
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    if (pkgauth_credential_from_json(json, strlen(json), &c, &err))
        fail_msg("%s: %s", json, err.message);
    assert_int_equal(pkgauth_credential_method(c), method);
    char *out = pkgauth_credential_to_json(c);
    assert_string_equal(out, json);
    pkgauth_free(out);
    pkgauth_credential_free(c);
}

static void test_exact_json(void **state)
{
    (void)state;
    roundtrip("{\"BearerToken\":\"tok\"}", PKGAUTH_METHOD_BEARER);
    roundtrip("{\"CondaToken\":\"tok\"}", PKGAUTH_METHOD_CONDA);
    roundtrip("{\"BasicHTTP\":{\"username\":\"user\",\"password\":\"pw\"}}", PKGAUTH_METHOD_BASIC);
    roundtrip("{\"S3Credentials\":{\"access_key_id\":\"id\",\"secret_access_key\":\"k\","
              "\"session_token\":null}}",
              PKGAUTH_METHOD_S3);
    roundtrip("{\"S3Credentials\":{\"access_key_id\":\"id\",\"secret_access_key\":\"k\","
              "\"session_token\":\"st\"}}",
              PKGAUTH_METHOD_S3);
    /* Non-ASCII text is written as UTF-8, as serde_json does. */
    roundtrip("{\"BearerToken\":\"t\xc3\xa9st\"}", PKGAUTH_METHOD_BEARER);
}

static void test_constructors_write_rattler_order(void **state)
{
    (void)state;
    pkgauth_credential *c = NULL;
    assert_int_equal(pkgauth_credential_new_basic(&c, "u", "p", NULL), PKGAUTH_OK);
    char *j = pkgauth_credential_to_json(c);
    assert_string_equal(j, "{\"BasicHTTP\":{\"username\":\"u\",\"password\":\"p\"}}");
    assert_string_equal(pkgauth_credential_username(c), "u");
    assert_string_equal(pkgauth_credential_password(c), "p");
    assert_null(pkgauth_credential_token(c));
    pkgauth_free(j);
    pkgauth_credential_free(c);
    assert_int_equal(pkgauth_credential_new_s3(&c, "id", "secret", NULL, NULL), PKGAUTH_OK);
    assert_null(pkgauth_credential_session_token(c));
    assert_string_equal(pkgauth_method_name(pkgauth_credential_method(c)), "S3");
    pkgauth_credential_free(c);
    assert_int_equal(pkgauth_credential_new_bearer(&c, NULL, NULL), PKGAUTH_EINVAL);
    assert_null(c);
    assert_int_equal(pkgauth_credential_new_basic(&c, "u", NULL, NULL), PKGAUTH_EINVAL);
    assert_null(c);
}

/* An OAuth entry written by pixi is read, keeps its fields, and reports
 * its access token and expiry. */
static void test_oauth(void **state)
{
    (void)state;
    const char *json = "{\"OAuth\":{\"access_token\":\"at\",\"refresh_token\":\"rt\","
                       "\"expires_at\":1700000000,\"token_endpoint\":\"https://i/token\","
                       "\"revocation_endpoint\":null,\"client_id\":\"pixi\"}}";
    pkgauth_credential *c = NULL;
    assert_int_equal(pkgauth_credential_from_json(json, strlen(json), &c, NULL), 0);
    assert_int_equal(pkgauth_credential_method(c), PKGAUTH_METHOD_OAUTH);
    assert_string_equal(pkgauth_credential_token(c), "at");
    assert_int_equal(pkgauth_credential_expires_at(c), 1700000000);
    char *out = pkgauth_credential_to_json(c);
    assert_string_equal(out, json);
    pkgauth_free(out);
    pkgauth_credential *d = NULL;
    assert_int_equal(pkgauth_credential_dup(&d, c, NULL), PKGAUTH_OK);
    assert_string_equal(pkgauth_credential_token(d), "at");
    pkgauth_credential_free(d);
    pkgauth_credential_free(c);
}

static void test_rejects(void **state)
{
    (void)state;
    const char *bad[] = {
        "{\"BearerToken\":1}",
        "{\"Unknown\":\"x\"}",
        "{}",
        "{\"BearerToken\":\"a\",\"CondaToken\":\"b\"}",
        "{\"BasicHTTP\":{\"username\":\"u\"}}",
        "{\"S3Credentials\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\",\"session_token\":5}}",
        "[\"BearerToken\"]",
        "{\"BearerToken\":",
        "{\"OAuth\":{\"refresh_token\":\"r\"}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pkgauth_credential *c = NULL;
        pkgauth_error err = {0};
        if (pkgauth_credential_from_json(bad[i], strlen(bad[i]), &c, &err) != PKGAUTH_EPARSE)
            fail_msg("accepted %s", bad[i]);
        assert_true(err.message[0] != '\0');
    }
}

/* The secret never appears in a parse error. */
static void test_error_has_no_secret(void **state)
{
    (void)state;
    const char *json = "{\"BasicHTTP\":{\"username\":\"u\",\"pass\":\"hunter2\"}}";
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_credential_from_json(json, strlen(json), &c, &err), PKGAUTH_EPARSE);
    assert_null(strstr(err.message, "hunter2"));
}

static void test_jwt_expiry(void **state)
{
    (void)state;
    /* header {"alg":"none"}, claims {"sub":"x","exp":1893456000} */
    const char *jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiZXhwIjoxODkzNDU2MDAwfQ.sig";
    int64_t exp = 0;
    assert_int_equal(pkgauth_jwt_expiry(jwt, &exp), 1);
    assert_int_equal(exp, 1893456000);
    assert_int_equal(pkgauth_jwt_expiry("pfx_not_a_jwt", &exp), 0);
    assert_int_equal(pkgauth_jwt_expiry("a.b.c", &exp), 0);
    assert_int_equal(pkgauth_jwt_expiry("..", &exp), 0);
}

/* The public field check the CLI's login uses (issue 12 item 8): the same
 * rules the credentials file applies, worded without quoting the text. */
static void test_text_problem(void **state)
{
    (void)state;
    assert_null(pkgauth_credential_text_problem("pfx_token", 0));
    assert_null(pkgauth_credential_text_problem("caf\xc3\xa9", 1));
    assert_null(pkgauth_credential_text_problem("a/b c", 0));
    assert_string_equal(pkgauth_credential_text_problem("a\xff", 0), "is not valid UTF-8");
    assert_string_equal(pkgauth_credential_text_problem("a\r\nX: y", 0),
                        "contains a control character");
    assert_string_equal(pkgauth_credential_text_problem("a\x7f", 1),
                        "contains a control character");
    assert_string_equal(pkgauth_credential_text_problem("a/b", 1),
                        "must not contain '/', '?', '#', '%' or white space");
    assert_string_equal(pkgauth_credential_text_problem("a\xc2\xa0" "b", 1),
                        "must not contain '/', '?', '#', '%' or white space");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_json),
        cmocka_unit_test(test_constructors_write_rattler_order),
        cmocka_unit_test(test_oauth),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_error_has_no_secret),
        cmocka_unit_test(test_jwt_expiry),
        cmocka_unit_test(test_text_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
