/* netrc parser: the shared conformance cases (curl's answers) plus
 * hand-written checks of messages, limits, escapes and wiping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "shared_data.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "netrc.h"

/* ---- conformance cases ---- */

static int same_str(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The answer a query must give: curl HEAD's, except where HEAD crashes,
 * where curl 7.88.1's answer stands in (a clean error is also accepted). */
static json_t *expected_answer(json_t *c, json_t *q)
{
    if (json_is_true(json_object_get(c, "curl_head_crashes")))
        return json_object_get(q, "observed_curl_7_88_1");
    return json_object_get(q, "expect_curl");
}

static int check_query(const char *name, const pkgauth_netrc *nr, json_t *c,
                       json_t *q)
{
    const char *host = json_string_value(json_object_get(q, "host"));
    const char *login = json_string_value(json_object_get(q, "login"));
    json_t *want = expected_answer(c, q);
    const char *l = NULL, *p = NULL;
    int rc = pkgauth_netrc_lookup(nr, host, login, &l, &p);
    if (json_is_null(want) || !want) {
        if (rc == PKGAUTH_ENOTFOUND)
            return 1;
        fprintf(stderr, "%s: %s: expected no match, got rc=%d\n", name, host,
                rc);
        return 0;
    }
    const char *wl = json_string_value(json_object_get(want, "login"));
    const char *wp = json_string_value(json_object_get(want, "password"));
    if (rc == PKGAUTH_OK && same_str(l, wl) && same_str(p, wp))
        return 1;
    fprintf(stderr, "%s: %s (login %s): expected %s/%s, got rc=%d %s/%s\n",
            name, host, login ? login : "-", wl, wp, rc, l ? l : "(null)",
            p ? p : "(null)");
    return 0;
}

/* A parse error must be "file:line: message". */
static int well_formed_error(const char *file, const pkgauth_error *err)
{
    size_t n = strlen(file);
    const char *m = err->message;
    if (strncmp(m, file, n) != 0 || m[n] != ':')
        return 0;
    char *end = NULL;
    long line = strtol(m + n + 1, &end, 10);
    return line >= 1 && end && strncmp(end, ": ", 2) == 0;
}

static int parse_case(json_t *c, const char *name, pkgauth_netrc **nr,
                      pkgauth_error *err)
{
    json_t *text = json_object_get(c, "netrc");
    if (json_is_null(text))
        return pkgauth_netrc_load("/nonexistent/netrc-case", nr, err);
    return pkgauth_netrc_parse(json_string_value(text),
                               json_string_length(text), name, nr, err);
}

static int check_error_case(json_t *c, const char *name, int rc,
                            const pkgauth_error *err)
{
    if (json_is_null(json_object_get(c, "netrc")))
        return rc == PKGAUTH_ENOTFOUND;
    if (rc == PKGAUTH_EPARSE && well_formed_error(name, err))
        return 1;
    fprintf(stderr, "%s: expected a parse error, got rc=%d '%s'\n", name, rc,
            err->message);
    return 0;
}

static int check_case(json_t *c)
{
    const char *name = json_string_value(json_object_get(c, "name"));
    int crashes = json_is_true(json_object_get(c, "curl_head_crashes"));
    pkgauth_netrc *nr = NULL;
    pkgauth_error err = {0};
    int rc = parse_case(c, name, &nr, &err);
    int ok;
    if (json_is_true(json_object_get(c, "expect_error_curl"))) {
        ok = check_error_case(c, name, rc, &err);
    } else if (rc != PKGAUTH_OK) {
        ok = crashes && rc == PKGAUTH_EPARSE; /* a clean error is fine */
        if (!ok)
            fprintf(stderr, "%s: unexpected error %d '%s'\n", name, rc,
                    err.message);
    } else {
        ok = 1;
        size_t i;
        json_t *q;
        json_array_foreach(json_object_get(c, "queries"), i, q)
            ok &= check_query(name, nr, c, q);
    }
    pkgauth_netrc_free(nr);
    return ok;
}

static void test_cases(void **state)
{
    (void)state;
    const char *shared = getenv("PKGAUTH_SHARED_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/testdata/netrc/cases.json",
             shared ? shared : "../shared");
    if (access(path, R_OK) != 0) {
        skip_without_shared("skipped: %s absent\n", path);
    }
    json_error_t jerr;
    /* JSON_ALLOW_NUL: the NUL-byte cases carry \u0000 in the file text. */
    json_t *cases = json_load_file(path, JSON_ALLOW_NUL, &jerr);
    if (!cases)
        fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
    assert_true(json_is_array(cases));
    size_t i, passed = 0, total = json_array_size(cases);
    json_t *c;
    json_array_foreach(cases, i, c)
        passed += (size_t)check_case(c);
    printf("netrc cases: %zu/%zu passed\n", passed, total);
    json_decref(cases);
    assert_true(total > 0);
    assert_int_equal(passed, total);
}

/* ---- hand-written tests ---- */

static pkgauth_netrc *parse_ok(const char *text)
{
    pkgauth_netrc *nr = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_netrc_parse(text, strlen(text), "t", &nr, &err);
    if (rc)
        fail_msg("parse failed: %s", err.message);
    return nr;
}

static void expect_parse_error(const char *text, size_t len,
                               const char *message)
{
    pkgauth_netrc *nr = (pkgauth_netrc *)&nr; /* must be reset to NULL */
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_netrc_parse(text, len, "my.netrc", &nr, &err),
                     PKGAUTH_EPARSE);
    assert_null(nr);
    assert_string_equal(err.message, message);
}

static void test_error_line_numbers(void **state)
{
    (void)state;
    const char *t = "# c\nmachine a login b password c\n\n"
                    "machine d login e password \"s3cret\n";
    expect_parse_error(t, strlen(t), "my.netrc:4: unterminated quoted string");
    /* A trailing backslash inside quotes escapes nothing. */
    t = "machine a\r\npassword \"x\\\n";
    expect_parse_error(t, strlen(t), "my.netrc:2: unterminated quoted string");
}

static char *repeat(char ch, size_t n, const char *prefix, const char *suffix)
{
    size_t lp = strlen(prefix), ls = strlen(suffix);
    char *s = malloc(lp + n + ls + 1);
    assert_non_null(s);
    memcpy(s, prefix, lp);
    memset(s + lp, ch, n);
    memcpy(s + lp + n, suffix, ls + 1);
    return s;
}

static void test_token_limit(void **state)
{
    (void)state;
    char *ok = repeat('p', 4096, "machine h login u password ", "\n");
    pkgauth_netrc *nr = parse_ok(ok);
    const char *l, *p;
    assert_int_equal(pkgauth_netrc_lookup(nr, "h", NULL, &l, &p), PKGAUTH_OK);
    assert_int_equal(strlen(p), 4096);
    pkgauth_netrc_free(nr);
    free(ok);
    char *bad = repeat('p', 4097, "\nmachine h login u password ", "\n");
    expect_parse_error(bad, strlen(bad),
                       "my.netrc:2: token longer than 4096 bytes");
    free(bad);
}

static void test_line_and_content_limits(void **state)
{
    (void)state;
    /* Comment lines count toward the line limit... */
    char *longc = repeat('x', 16384, "#", "\n");
    expect_parse_error(longc, strlen(longc),
                       "my.netrc:1: line longer than 16384 bytes");
    free(longc);
    /* ...but not toward the content limit. */
    size_t lines = 200, width = 1000;
    char *big = malloc(lines * (width + 1) + 1);
    assert_non_null(big);
    for (size_t i = 0; i < lines; i++) {
        memset(big + i * (width + 1), 'w', width);
        big[i * (width + 1)] = '#';
        big[i * (width + 1) + width] = '\n';
    }
    big[lines * (width + 1)] = '\0';
    pkgauth_netrc *nr = parse_ok(big);
    pkgauth_netrc_free(nr);
    for (size_t i = 0; i < lines; i++)
        big[i * (width + 1)] = 'w';
    expect_parse_error(big, strlen(big),
                       "my.netrc:131: more than 131072 bytes of content");
    free(big);
}

static void test_file_size_limit(void **state)
{
    (void)state;
    /* 1 MiB + 1 byte of comment lines: within the line and content limits,
     * but over the whole-file bound. 1048577 = 64 * 16384 + 1. */
    size_t len = 1024 * 1024 + 1;
    char *s = malloc(len);
    assert_non_null(s);
    memset(s, '#', len);
    for (size_t i = 16383; i < len; i += 16384)
        s[i] = '\n';
    expect_parse_error(s, len, "my.netrc:65: file larger than 1048576 bytes");
    pkgauth_netrc *nr = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_netrc_parse(s, len - 1, "f", &nr, &err),
                     PKGAUTH_OK);
    assert_int_equal(pkgauth_netrc_count(nr), 0);
    pkgauth_netrc_free(nr);
    free(s);
}

static void test_quoted_escapes(void **state)
{
    (void)state;
    pkgauth_netrc *nr = parse_ok(
        "machine h login \"a b\" password \"\\t\\n\\r\\\\\\\"\\q#x\"\n"
        "machine k password \"\" login \\\"raw \"password\" nope\n");
    const char *l, *p;
    assert_int_equal(pkgauth_netrc_lookup(nr, "H", NULL, &l, &p), PKGAUTH_OK);
    assert_string_equal(l, "a b");
    assert_string_equal(p, "\t\n\r\\\"q#x");
    /* A quoted "password" is a value, never a keyword; outside quotes '\'
     * is literal; "" is a present, empty password. */
    assert_int_equal(pkgauth_netrc_lookup(nr, "k", NULL, &l, &p), PKGAUTH_OK);
    assert_string_equal(l, "\\\"raw");
    assert_string_equal(p, "");
    pkgauth_netrc_free(nr);
}

static void test_lookup_rules(void **state)
{
    (void)state;
    pkgauth_netrc *nr = parse_ok("machine h login u\n"
                                 "machine h password nologin\n"
                                 "macdef m\n machine h login x password y\n\n"
                                 "macdef crlf\r\nmachine h2 login z\r\n\r\n"
                                 "default login d password dp\n");
    const char *l, *p;
    /* Asked login "u" has no password: skipped, the login-less entry
     * answers with the asked login. */
    assert_int_equal(pkgauth_netrc_lookup(nr, "h", "u", &l, &p), PKGAUTH_OK);
    assert_string_equal(l, "u");
    assert_string_equal(p, "nologin");
    /* No login asked: the first entry answers, password absent -> "". */
    assert_int_equal(pkgauth_netrc_lookup(nr, "h", "", &l, &p), PKGAUTH_OK);
    assert_string_equal(l, "u");
    assert_string_equal(p, "");
    /* Macro bodies are not entries. */
    assert_int_equal(pkgauth_netrc_lookup(nr, "other", "x", &l, &p),
                     PKGAUTH_ENOTFOUND);
    assert_null(l);
    assert_null(p);
    assert_int_equal(pkgauth_netrc_lookup(nr, "other", NULL, &l, &p),
                     PKGAUTH_OK);
    assert_string_equal(l, "d");
    /* A CRLF file's empty line ("\r") also ends a macro body. */
    assert_int_equal(pkgauth_netrc_count(nr), 3);
    pkgauth_netrc_free(nr);
}

static void test_enumerate(void **state)
{
    (void)state;
    pkgauth_netrc *nr = parse_ok("machine a login la password pa\n"
                                 "\ndefault\n  password dp\nmachine");
    assert_int_equal(pkgauth_netrc_count(nr), 3);
    const pkgauth_netrc_entry *e = pkgauth_netrc_entry_at(nr, 0);
    assert_string_equal(e->host, "a");
    assert_string_equal(e->login, "la");
    assert_string_equal(e->password, "pa");
    assert_false(e->is_default);
    assert_int_equal(e->line, 1);
    e = pkgauth_netrc_entry_at(nr, 1);
    assert_true(e->is_default);
    assert_null(e->host);
    assert_null(e->login);
    assert_string_equal(e->password, "dp");
    assert_int_equal(e->line, 3);
    e = pkgauth_netrc_entry_at(nr, 2);
    assert_null(e->host);
    assert_null(pkgauth_netrc_entry_at(nr, 3));
    pkgauth_netrc_free(nr);
}

/* The wipe hook sees every block after explicit_bzero, before free. */
static size_t wiped_blocks, wiped_bytes, dirty_blocks, largest_block;

static void count_wipe(const void *p, size_t n)
{
    const unsigned char *b = p;
    wiped_blocks++;
    wiped_bytes += n;
    largest_block = n > largest_block ? n : largest_block;
    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            dirty_blocks++;
            break;
        }
    }
}

static void reset_wipe_counts(void)
{
    wiped_blocks = wiped_bytes = dirty_blocks = largest_block = 0;
    pkgauth_netrc_wipe_hook = count_wipe;
}

static void test_free_wipes(void **state)
{
    (void)state;
    pkgauth_netrc *nr = parse_ok("machine h login u password s3cr3t\n");
    reset_wipe_counts();
    pkgauth_netrc_free(nr);
    pkgauth_netrc_wipe_hook = NULL;
    /* host, login, password, the entry table and the object itself. */
    assert_int_equal(wiped_blocks, 5);
    assert_true(wiped_bytes >= strlen("h") + strlen("u") + strlen("s3cr3t"));
    assert_int_equal(dirty_blocks, 0);
}

static void test_load_wipes_buffer_and_missing_file(void **state)
{
    (void)state;
    char *dir = fixture_dir_new("netrc"), path[512];
    assert_non_null(dir);
    const char *text = "machine h login u password s3cr3t\n";
    fixture_write_at(path, sizeof path, dir, "netrc", text, 0600);
    pkgauth_netrc *nr = NULL;
    pkgauth_error err = {0};
    reset_wipe_counts();
    assert_int_equal(pkgauth_netrc_load(path, &nr, &err), PKGAUTH_OK);
    pkgauth_netrc_wipe_hook = NULL;
    /* The parser scratch block and the file buffer (file length). */
    assert_int_equal(dirty_blocks, 0);
    assert_true(wiped_blocks >= 2);
    assert_true(largest_block >= strlen(text));
    pkgauth_netrc_free(nr);
    unlink(path);
    assert_int_equal(pkgauth_netrc_load(path, &nr, &err), PKGAUTH_ENOTFOUND);
    assert_null(nr);
    assert_non_null(strstr(err.message, path));
    assert_int_equal(fixture_dir_remove(dir), 0);
}

static void test_no_secret_in_errors(void **state)
{
    (void)state;
    const char *t = "machine h login u password \"hunter2\\";
    pkgauth_netrc *nr = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_netrc_parse(t, strlen(t), "f", &nr, &err),
                     PKGAUTH_EPARSE);
    assert_null(strstr(err.message, "hunter2"));
}

/* uv's order for PyPI: the host's machine entry, then default, wherever
 * default is written (issue 11 item 11). */
static void test_lookup_default_last(void **state)
{
    (void)state;
    pkgauth_netrc *nr = parse_ok("default login u password dflt\n"
                                 "machine h login u password mach\n");
    const char *l, *p;
    assert_int_equal(pkgauth_netrc_lookup(nr, "h", "u", &l, &p), PKGAUTH_OK);
    assert_string_equal(p, "dflt"); /* curl: first match in file order */
    assert_int_equal(pkgauth_netrc_lookup_default_last(nr, "h", "u", &l, &p), PKGAUTH_OK);
    assert_string_equal(p, "mach");
    assert_int_equal(pkgauth_netrc_lookup_default_last(nr, "other", "u", &l, &p), PKGAUTH_OK);
    assert_string_equal(p, "dflt");
    assert_int_equal(pkgauth_netrc_lookup_default_last(nr, "other", "x", &l, &p),
                     PKGAUTH_ENOTFOUND);
    pkgauth_netrc_free(nr);
}

/* NETRC=/dev/null is an empty netrc, as curl reads it (issue 11 item 4). */
static void test_dev_null_is_empty(void **state)
{
    (void)state;
    pkgauth_netrc *nr = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_netrc_load("/dev/null", &nr, &err), PKGAUTH_OK);
    assert_non_null(nr);
    assert_int_equal(pkgauth_netrc_count(nr), 0);
    pkgauth_netrc_free(nr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_error_line_numbers),
        cmocka_unit_test(test_token_limit),
        cmocka_unit_test(test_line_and_content_limits),
        cmocka_unit_test(test_file_size_limit),
        cmocka_unit_test(test_quoted_escapes),
        cmocka_unit_test(test_lookup_rules),
        cmocka_unit_test(test_enumerate),
        cmocka_unit_test(test_free_wipes),
        cmocka_unit_test(test_load_wipes_buffer_and_missing_file),
        cmocka_unit_test(test_no_secret_in_errors),
        cmocka_unit_test(test_lookup_default_last),
        cmocka_unit_test(test_dev_null_is_empty),
    };
    return shared_data_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
