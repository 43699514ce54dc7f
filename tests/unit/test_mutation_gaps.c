/* Behaviours a mutation run (issue 18) found uncovered: each test here
 * fails when the code behind it is broken in the way named above it. */
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
#include "netrc.h"
#include "pkgauth/pkgauth.h"
#include "make_credential.h"

/* ---- helpers ---- */

static char *tmpdir;

static int make_tmpdir(void **state)
{
    (void)state;
    return (tmpdir = fixture_dir_new("gaps")) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    return fixture_dir_remove(tmpdir);
}

static pkgauth_store *memory_store(const char *key, pkgauth_credential *cred)
{
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(s, key, cred, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(cred);
    return s;
}

/* ---- item 1: IP hosts never get wildcard candidates ---- */

/* Mutation: host_candidates() (resolve.c) also tries wildcards for IPs. */
static void ip_host_ignores_matching_wildcards(void **state)
{
    (void)state;
    const char *keys[] = {"*.0.1", "*.0.0.1", "*.1"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        pkgauth_store *s = memory_store(keys[i], make_bearer("t"));
        pkgauth_match m;
        int rc = pkgauth_store_find(s, "http://10.0.0.1/x", &m, NULL);
        if (rc != PKGAUTH_ENOTFOUND)
            fail_msg("%s matched http://10.0.0.1/ (rc %d)", keys[i], rc);
        pkgauth_store_free(s);
    }
    /* a domain name does get wildcard candidates */
    pkgauth_store *s = memory_store("*.example", make_bearer("t"));
    pkgauth_match m;
    assert_int_equal(pkgauth_store_find(s, "http://10.0.0.1.example/x", &m, NULL), PKGAUTH_OK);
    assert_string_equal(m.key, "*.example");
    pkgauth_match_clear(&m);
    pkgauth_store_free(s);
}

/* ---- item 2: a failing store is an error, not a miss ---- */

/* Mutation: probe() (resolve.c) or pkgauth_store_lookup() (store.c) treats
 * a backend error like "not found" and goes on to the next store. */
static void corrupt_store_fails_the_lookup(void **state)
{
    (void)state;
    char bad[128], good[128];
    snprintf(bad, sizeof bad, "%s/corrupt.json", tmpdir);
    snprintf(good, sizeof good, "%s/good.json", tmpdir);
    fixture_write(bad, "{\"repo.example.com\": {\"BearerToken\": ", 0600);
    fixture_write(good, "{\"*.example.com\":{\"BearerToken\":\"wild\"}}", 0600);
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_file(s, bad, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_file(s, good, NULL), PKGAUTH_OK);
    pkgauth_match m;
    pkgauth_error err = {0};
    int rc = pkgauth_store_find(s, "https://repo.example.com/c", &m, &err);
    if (rc == PKGAUTH_OK)
        fail_msg("the corrupt file was skipped: got %s", m.key);
    assert_int_equal(rc, PKGAUTH_EPARSE);
    assert_non_null(strstr(err.message, "corrupt.json"));
    pkgauth_store_free(s);
}

/* ---- item 3: a group-readable file gives the mode warning ---- */

static void count_warning(void *ctx, const char *message)
{
    if (strstr(message, "readable by other users"))
        (*(int *)ctx)++;
}

static int warnings_for_mode(const char *path, mode_t mode)
{
    int warnings = 0;
    fixture_write(path, "{\"h\":{\"BearerToken\":\"t\"}}", mode);
    pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
    o.auth_file = path;
    o.warn = count_warning;
    o.warn_ctx = &warnings;
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_open(&s, &o, NULL), PKGAUTH_OK);
    pkgauth_credential *c = NULL;
    assert_int_equal(pkgauth_store_get(s, "h", &c, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(c);
    pkgauth_store_free(s);
    return warnings;
}

/* Mutation: ensure_loaded() (backends/file.c) tests mode & 007 only. */
static void group_readable_file_warns(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/mode.json", tmpdir);
    assert_int_equal(warnings_for_mode(path, 0640), 1);
    assert_int_equal(warnings_for_mode(path, 0604), 1);
    assert_int_equal(warnings_for_mode(path, 0600), 0);
}

/* ---- item 4: the file backend's cache after a write ---- */

static void set_token(pkgauth_store *s, const char *key, const char *token)
{
    pkgauth_credential *c = make_bearer(token);
    pkgauth_error err = {0};
    if (pkgauth_store_set(s, key, c, NULL, &err))
        fail_msg("set %s: %s", key, err.message);
    pkgauth_credential_free(c);
}

static void expect_token(pkgauth_store *s, const char *key, const char *token)
{
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    if (pkgauth_store_get(s, key, &c, NULL, &err))
        fail_msg("get %s: %s", key, err.message);
    assert_string_equal(pkgauth_credential_token(c), token);
    pkgauth_credential_free(c);
}

/* Mutation: a write (backends/file.c) leaves the old text cached. */
static void read_write_read_through_one_store(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/cache.json", tmpdir);
    fixture_write(path, "{\"a\":{\"BearerToken\":\"old\"}}", 0600);
    pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
    o.auth_file = path;
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_open(&s, &o, NULL), PKGAUTH_OK);
    expect_token(s, "a", "old"); /* the file is now cached */
    set_token(s, "a", "new");
    expect_token(s, "a", "new");
    set_token(s, "b", "added");
    expect_token(s, "b", "added");
    size_t removed = 0;
    assert_int_equal(pkgauth_store_delete(s, "b", &removed, NULL), PKGAUTH_OK);
    assert_int_equal(removed, 1);
    pkgauth_credential *c = NULL;
    assert_int_equal(pkgauth_store_get(s, "b", &c, NULL, NULL), PKGAUTH_ENOTFOUND);
    expect_token(s, "a", "new");
    pkgauth_store_free(s);
}

/* ---- item 5: a scheme downgrade on the same host and port ---- */

/* Mutation: pkgauth_url_same_origin() (request.c) ignores the scheme; the
 * existing cases all change the default port with the scheme. */
static void scheme_downgrade_same_port_is_another_origin(void **state)
{
    (void)state;
    assert_false(pkgauth_url_same_origin("https://h:8443/", "http://h:8443/"));
    assert_false(pkgauth_url_same_origin("https://h:8443/a", "HTTP://h:8443/a"));
    assert_true(pkgauth_url_same_origin("https://h:8443/", "HTTPS://H:8443/x"));
}

/* ---- item 6: an OAuth credential is applied ---- */

/* Mutation: apply_credential() (request.c) drops the OAuth case. */
static void oauth_is_sent_as_bearer(void **state)
{
    (void)state;
    static const char json[] = "{\"OAuth\":{\"access_token\":\"acc-tok-1\","
                               "\"refresh_token\":\"ref-tok-2\",\"expires_at\":4102444800,"
                               "\"provider\":\"p\",\"issuer_url\":\"https://i\"}}";
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    if (pkgauth_credential_from_json(json, strlen(json), &c, &err))
        fail_msg("%s", err.message);
    pkgauth_request *r = NULL;
    assert_int_equal(pkgauth_request_apply(c, "GET", "https://h.org/x", NULL, 0, &r, &err),
                     PKGAUTH_OK);
    assert_int_equal(pkgauth_request_header_count(r), 1);
    assert_string_equal(pkgauth_request_header(r, 0), "Authorization: Bearer acc-tok-1");
    assert_int_equal(pkgauth_request_applied(r), PKGAUTH_METHOD_OAUTH);
    pkgauth_request_free(r);
    /* ... and through a store */
    pkgauth_store *s = memory_store("h.org", c);
    assert_int_equal(pkgauth_request_authenticate(s, "GET", "https://h.org/x", NULL, 0, &r, &err),
                     PKGAUTH_OK);
    assert_string_equal(pkgauth_request_header(r, 0), "Authorization: Bearer acc-tok-1");
    pkgauth_request_free(r);
    pkgauth_store_free(s);
}

/* ---- item 10: redaction of X-Amz-Credential and of passwords with '@' ---- */

/* Mutations: secret_param() (url.c) forgets X-Amz-Credential; the user
 * info ends at the first '@' instead of the last. */
static void redaction_of_credential_and_at_sign(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
         "&X-Amz-Credential=AKIAEXAMPLE%2F20250101%2Fus-east-1%2Fs3%2Faws4_request"
         "&X-Amz-Date=20250101T000000Z",
         "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
         "&X-Amz-Credential=********&X-Amz-Date=20250101T000000Z"},
        {"https://h/k?x-amz-credential=AKIAEXAMPLE", "https://h/k?x-amz-credential=********"},
        {"https://u:p@ss@h/", "https://u:********@h/"},
        {"https://u:a@b@c@h:8080/x", "https://u:********@h:8080/x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *r = pkgauth_url_redact(cases[i].in);
        assert_non_null(r);
        if (strcmp(r, cases[i].out))
            fail_msg("%s: expected %s, got %s", cases[i].in, cases[i].out, r);
        assert_null(strstr(r, "AKIAEXAMPLE"));
        assert_null(strstr(r, "ss@"));
        pkgauth_free(r);
    }
}

/* ---- item 11: netrc login matching is case-sensitive ---- */

/* Mutation: entry_answers() (netrc.c) compares logins with strcasecmp. */
static void netrc_login_is_case_sensitive(void **state)
{
    (void)state;
    static const char text[] = "machine h login alice password alice-pw\n";
    pkgauth_netrc *nr = NULL;
    assert_int_equal(pkgauth_netrc_parse(text, strlen(text), "netrc", &nr, NULL), PKGAUTH_OK);
    const char *l = NULL, *p = NULL;
    assert_int_equal(pkgauth_netrc_lookup(nr, "h", "Alice", &l, &p), PKGAUTH_ENOTFOUND);
    assert_null(p);
    assert_int_equal(pkgauth_netrc_lookup(nr, "h", "alice", &l, &p), PKGAUTH_OK);
    assert_string_equal(p, "alice-pw");
    pkgauth_netrc_free(nr);
}

/* The same through the PyPI lookup, which takes the user from the URL. */
static void pypi_user_matches_netrc_login_case_sensitively(void **state)
{
    (void)state;
    char netrc[128];
    snprintf(netrc, sizeof netrc, "%s/netrc", tmpdir);
    fixture_write(netrc, "machine idx.example login alice password alice-pw\n", 0600);
    pkgauth_pypi_options o = PKGAUTH_PYPI_OPTIONS_INIT;
    o.netrc = netrc;
    pkgauth_pypi *pypi = NULL;
    assert_int_equal(pkgauth_pypi_open(&pypi, &o, NULL), PKGAUTH_OK);
    pkgauth_credential *c = NULL;
    pkgauth_pypi_source src;
    int rc = pkgauth_pypi_find(pypi, "https://Alice@idx.example/simple/", &c, &src, NULL);
    if (rc != PKGAUTH_ENOTFOUND)
        fail_msg("https://Alice@ got %s's password", rc ? "an error" : pkgauth_credential_username(c));
    assert_int_equal(pkgauth_pypi_find(pypi, "https://alice@idx.example/simple/", &c, &src, NULL),
                     PKGAUTH_OK);
    assert_string_equal(pkgauth_credential_password(c), "alice-pw");
    pkgauth_credential_free(c);
    pkgauth_pypi_free(pypi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ip_host_ignores_matching_wildcards),
        cmocka_unit_test(corrupt_store_fails_the_lookup),
        cmocka_unit_test(group_readable_file_warns),
        cmocka_unit_test(read_write_read_through_one_store),
        cmocka_unit_test(scheme_downgrade_same_port_is_another_origin),
        cmocka_unit_test(oauth_is_sent_as_bearer),
        cmocka_unit_test(redaction_of_credential_and_at_sign),
        cmocka_unit_test(netrc_login_is_case_sensitive),
        cmocka_unit_test(pypi_user_matches_netrc_login_case_sensitively),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
