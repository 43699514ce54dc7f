/* Header injection and secrets in messages (issue 11 items 1, 6, 7 and
 * issue 17 item 1): no credential field holds a control character, a conda
 * token holds nothing that changes the URL path, the request layer never
 * builds a line with CR or LF, and a parse error never quotes its input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "credential_internal.h"
#include "fixture.h"
#include "json_index.h"
#include "pkgauth/pkgauth.h"
#include "make_credential.h"

/* ---- the request layer ---- */

/* Applying must fail with EINVAL, build nothing, and not quote the text. */
static void refused(const pkgauth_credential *cred, const char *method, const char *url,
                    const char *const *headers, size_t n)
{
    pkgauth_request *r = (pkgauth_request *)1;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_request_apply(cred, method, url, headers, n, &r, &err),
                     PKGAUTH_EINVAL);
    assert_null(r);
    assert_null(strstr(err.message, "Injected"));
    assert_non_null(strstr(err.message, "line break"));
}

static void request_refuses_line_breaks_in_credentials(void **state)
{
    (void)state;
    const char *tokens[] = {"tok\r\nX-Injected: yes", "tok\nX-Injected: yes", "tok\rX-Injected"};
    for (size_t i = 0; i < 3; i++) {
        pkgauth_credential *c = make_bearer(tokens[i]);
        refused(c, "GET", "https://h.example/x", NULL, 0);
        pkgauth_credential_free(c);
        c = make_conda(tokens[i]);
        pkgauth_request *r = NULL;
        /* curl may refuse the path itself; either way nothing is built
         * with a line break in it. */
        if (pkgauth_request_apply(c, "GET", "https://h.example/x", NULL, 0, &r, NULL) == 0)
            assert_null(strpbrk(pkgauth_request_url(r), "\r\n"));
        pkgauth_request_free(r);
        pkgauth_credential_free(c);
    }
}

static void request_refuses_line_breaks_from_the_caller(void **state)
{
    (void)state;
    pkgauth_credential *c = make_bearer("tok");
    const char *h1[] = {"Accept: */*", "X-A: a\r\nX-Injected: yes"};
    const char *h2[] = {"X-A: a\nX-Injected: yes"};
    refused(c, "GET", "https://h.example/x", h1, 2);
    refused(NULL, "GET", "https://h.example/x", h2, 1);
    refused(c, "GET\r\nX-Injected: yes", "https://h.example/x", NULL, 0);
    refused(c, "GET", "https://h.example/x\r\nX-Injected: yes", NULL, 0);
    pkgauth_credential_free(c);
}

/* pkgauth login checks a prefix.dev token with the server before storing
 * it: that request is built apart from the others, and guarded too. */
static void prefix_dev_check_refuses_line_breaks(void **state)
{
    (void)state;
    char *login = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_prefix_dev_check_token("http://127.0.0.1:9", "SECRET\r\nX: y",
                                                    &login, &err),
                     PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "line break"));
    assert_null(strstr(err.message, "SECRET"));
    assert_null(login);
}

/* ---- stored credentials ---- */

static void from_json_fails(const char *json, const char *reason)
{
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_credential_from_json(json, strlen(json), &c, &err);
    if (rc != PKGAUTH_EPARSE || !strstr(err.message, reason))
        fail_msg("%s: %d %s", json, rc, err.message);
    assert_null(c);
    assert_null(strstr(err.message, "SECRET"));
}

static void stored_control_characters_are_invalid(void **state)
{
    (void)state;
    from_json_fails("{\"BearerToken\":\"SECRET\\r\\nX-Injected: yes\"}",
                    "the token contains a control character");
    from_json_fails("{\"BearerToken\":\"SECRET\\u0000x\"}", "invalid JSON");
    from_json_fails("{\"BearerToken\":\"SECRET\\u007f\"}", "the token contains a control");
    from_json_fails("{\"BearerToken\":\"SECRET\x7f\"}", "the token contains a control");
    from_json_fails("{\"CondaToken\":\"SECRET\\t\"}", "the token contains a control");
    from_json_fails("{\"BasicHTTP\":{\"username\":\"u\\n\",\"password\":\"SECRET\"}}",
                    "\"username\" contains a control character");
    from_json_fails("{\"BasicHTTP\":{\"username\":\"u\",\"password\":\"SECRET\\u001b[2J\"}}",
                    "\"password\" contains a control character");
    from_json_fails("{\"S3Credentials\":{\"access_key_id\":\"A\\r\",\"secret_access_key\":\"k\"}}",
                    "\"access_key_id\" contains");
    from_json_fails("{\"S3Credentials\":{\"access_key_id\":\"A\",\"secret_access_key\":\"k\\n\"}}",
                    "\"secret_access_key\" contains");
    from_json_fails("{\"S3Credentials\":{\"access_key_id\":\"A\",\"secret_access_key\":\"k\","
                    "\"session_token\":\"SECRET\\n\"}}",
                    "\"session_token\" contains");
    from_json_fails("{\"OAuth\":{\"access_token\":\"SECRET\\nX: y\"}}",
                    "\"access_token\" contains");
}

static void conda_tokens_cannot_change_the_path(void **state)
{
    (void)state;
    const char *bad[] = {"../../admin?x=", "a#frag", "a/b", "a%41", "a b", "a\\u00a0b",
                         "a\\u3000b", "a?"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char json[128];
        snprintf(json, sizeof json, "{\"CondaToken\":\"%s\"}", bad[i]);
        from_json_fails(json, "a conda token must not contain");
    }
    /* A bearer token may hold any of them: it goes into a header. */
    pkgauth_credential *c = NULL;
    const char *ok = "{\"BearerToken\":\"a/b?c#d%e f\"}";
    assert_int_equal(pkgauth_credential_from_json(ok, strlen(ok), &c, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    ok = "{\"CondaToken\":\"xy-1234_ABC.def~\\u00e9\"}";
    assert_int_equal(pkgauth_credential_from_json(ok, strlen(ok), &c, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
}

/* The file index must judge each of these as check_value does. */
static void index_agrees_on_contents(void **state)
{
    (void)state;
    const char *values[] = {
        "{\"BearerToken\":\"a\\nb\"}", "{\"BearerToken\":\"a\x7f\"}", "{\"BearerToken\":\"ok\"}",
        "{\"CondaToken\":\"a/b\"}", "{\"CondaToken\":\"a\\u2028b\"}", "{\"CondaToken\":\"a\\tb\"}",
        "{\"CondaToken\":\"ok\"}", "{\"BearerToken\":\"a\\nb\",\"BearerToken\":\"ok\"}",
        "{\"BearerToken\":\"ok\",\"BearerToken\":\"a\\nb\"}",
        "{\"BasicHTTP\":{\"username\":\"u\\u0001\",\"password\":\"p\\n\"}}",
        "{\"BasicHTTP\":{\"username\":\"u\",\"password\":\"p\\n\",\"password\":\"p\"}}",
        "{\"BasicHTTP\":{\"username\":\"u\",\"password\":\"p\",\"x\":\"\\n\",\"y\":[\"\\n\"]}}",
        "{\"S3Credentials\":{\"access_key_id\":\"a\",\"secret_access_key\":\"k\","
        "\"session_token\":\"s\\u007f\"}}",
        "{\"S3Credentials\":{\"access_key_id\":\"a\\n\",\"secret_access_key\":1}}",
        "{\"OAuth\":{\"access_token\":\"a\\n\",\"refresh_token\":\"r\"}}",
        "{\"OAuth\":{\"access_token\":\"a\",\"refresh_token\":\"r\\n\"}}",
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        json_error_t e;
        json_t *v = json_loadb(values[i], strlen(values[i]), 0, &e);
        assert_non_null(v);
        char why[160] = "", text[512];
        int want = pkgauth_credential_check_value(v, why, sizeof why);
        json_decref(v);
        int n = snprintf(text, sizeof text, "{\"k\":%s}", values[i]);
        pkgauth_json_index ix;
        pkgauth_json_error err;
        int got = pkgauth_json_index_build(&ix, text, (size_t)n, &err);
        pkgauth_json_index_free(&ix);
        if ((want == 0) != (got == PKGAUTH_JSON_OK) || (got && strcmp(why, err.reason)))
            fail_msg("%s\n  check_value: %s\n  index: %d %s", values[i], want ? why : "ok", got,
                     got ? err.reason : "ok");
    }
}

static void file_store_reports_the_key_not_the_value(void **state)
{
    (void)state;
    char *dir = fixture_dir_new("injection"), path[512];
    assert_non_null(dir);
    fixture_write_at(path, sizeof path, dir, "credentials.json",
                     "{\"a.example.com\":{\"BearerToken\":\"SECRET\\r\\nX-Injected: yes\"}}",
                     0600);
    pkgauth_store *s = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_file(s, path, NULL), PKGAUTH_OK);
    pkgauth_request *r = NULL;
    assert_int_not_equal(
        pkgauth_request_authenticate(s, "GET", "https://a.example.com/x", NULL, 0, &r, &err),
        PKGAUTH_OK);
    assert_null(r);
    assert_non_null(strstr(err.message, "a.example.com"));
    assert_non_null(strstr(err.message, "control character"));
    assert_null(strstr(err.message, "SECRET"));
    assert_null(strstr(err.message, "Injected"));
    pkgauth_store_free(s);
    assert_int_equal(fixture_dir_remove(dir), 0);
}

static void store_set_refuses_what_could_not_be_read(void **state)
{
    (void)state;
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), PKGAUTH_OK);
    struct { pkgauth_credential *c; const char *reason; } cases[] = {
        {make_bearer("SECRET\nX: y"), "the token contains a control"},
        {make_basic("u\r", "p"), "\"username\" contains a control"},
        {make_conda("SECRET/../x"), "a conda token must not contain"},
        {make_bearer("SECRET\xff"), "the token is not valid UTF-8"},
        {make_s3("a", "SECRET\xc0\x80", NULL),
         "\"secret_access_key\" is not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pkgauth_error err = {0};
        int rc = pkgauth_store_set(s, "h.example", cases[i].c, NULL, &err);
        if (rc != PKGAUTH_EINVAL || !strstr(err.message, cases[i].reason))
            fail_msg("case %zu: %d %s", i, rc, err.message);
        assert_null(strstr(err.message, "SECRET"));
        assert_null(strstr(err.message, "memory"));
        pkgauth_credential_free(cases[i].c);
    }
    pkgauth_store_free(s);
}

/* ---- parse errors never quote their input (issue 17 item 1) ---- */

static void parse_errors_do_not_quote_secrets(void **state)
{
    (void)state;
    const char *texts[] = {
        "\"JSONSTRINGSECRET\"",
        "{\"BearerToken\":\"UNTERMINATED_SECRET",
        "{\"BearerToken\":\"SECRET\" SECRET}",
        "{\"BearerToken\":SECRETBARE}",
        "{\"BearerToken\":\"SECRET\xff\"}",
        "{\"BearerToken\":\"SECRET\\q\"}",
        "{\"BearerToken\":\"SECRET\n\"}",
        "SECRET",
        "[\"SECRET\"",
        "{\"BasicHTTP\":{\"username\":\"u\",\"password\":\"SECRET\"}} SECRET",
        "{\"BearerToken\":\"SECRET\\ud800\"}",
        "{\"BearerToken\":1e999999, \"SECRET\":1}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        pkgauth_credential *c = NULL;
        pkgauth_error err = {0};
        assert_int_equal(pkgauth_credential_from_json(texts[i], strlen(texts[i]), &c, &err),
                         PKGAUTH_EPARSE);
        if (strstr(err.message, "SECRET") || strstr(err.message, "near") ||
            !strstr(err.message, "line 1 column"))
            fail_msg("%s: %s", texts[i], err.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_refuses_line_breaks_in_credentials),
        cmocka_unit_test(request_refuses_line_breaks_from_the_caller),
        cmocka_unit_test(prefix_dev_check_refuses_line_breaks),
        cmocka_unit_test(stored_control_characters_are_invalid),
        cmocka_unit_test(conda_tokens_cannot_change_the_path),
        cmocka_unit_test(index_agrees_on_contents),
        cmocka_unit_test(file_store_reports_the_key_not_the_value),
        cmocka_unit_test(store_set_refuses_what_could_not_be_read),
        cmocka_unit_test(parse_errors_do_not_quote_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
