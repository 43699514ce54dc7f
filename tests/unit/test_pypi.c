/* The PyPI lookup order (compat.md "PyPI indexes", include/pkgauth/pypi.h)
 * with a fake `keyring` program: a shell script that logs each call and
 * answers as the test tells it. The real keyring is exercised by
 * tests/cli/test_pypi.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pkgauth/pkgauth.h>
#include "make_credential.h"

#include "fixture.h"

/* ---- fixture ---- */

typedef struct {
    char *dir;
    char program[256], calls[256], netrc[256];
    char warnings[4096];
    int n_warnings;
    pkgauth_store *store;
    pkgauth_pypi *pypi;
} fixture;

static void on_warning(void *ctx, const char *message)
{
    fixture *f = ctx;
    f->n_warnings++;
    strncat(f->warnings, message, sizeof f->warnings - strlen(f->warnings) - 2);
    strcat(f->warnings, "\n");
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->dir = fixture_dir_new("pypi"))) {
        free(f);
        return -1;
    }
    snprintf(f->program, sizeof f->program, "%s/keyring", f->dir);
    snprintf(f->calls, sizeof f->calls, "%s/calls", f->dir);
    snprintf(f->netrc, sizeof f->netrc, "%s/netrc", f->dir);
    if (pkgauth_store_new(&f->store, NULL) || pkgauth_store_add_memory(f->store, NULL))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pkgauth_pypi_free(f->pypi);
    pkgauth_store_free(f->store);
    int rc = fixture_dir_remove(f->dir);
    free(f);
    return rc;
}

/* The fake keyring: logs "service|user" per call, then runs body. */
static void fake_keyring(fixture *f, const char *body)
{
    char *script = NULL;
    assert_true(asprintf(&script,
                         "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nprintf '%%s|%%s\\n' \"$2\" \"$3\" >> '%s'\n%s\n",
                         f->calls, body) > 0);
    fixture_write(f->program, script, 0755);
    free(script);
}

static void write_netrc(fixture *f, const char *text)
{
    fixture_write(f->netrc, text, 0600);
}

/* What the fake keyring was asked, "" when it never ran. */
static const char *calls(fixture *f)
{
    static char buf[2048];
    FILE *c = fopen(f->calls, "r");
    size_t n = c ? fread(buf, 1, sizeof buf - 1, c) : 0;
    buf[n] = '\0';
    if (c)
        fclose(c);
    return buf;
}

static void open_pypi(fixture *f, pkgauth_keyring_provider provider, int timeout_ms)
{
    pkgauth_pypi_options o = PKGAUTH_PYPI_OPTIONS_INIT;
    o.keyring_provider = provider;
    o.keyring_program = f->program;
    o.keyring_timeout_ms = timeout_ms;
    o.netrc = f->netrc;
    o.store = f->store;
    o.warn = on_warning;
    o.warn_ctx = f;
    assert_int_equal(pkgauth_pypi_open(&f->pypi, &o, NULL), PKGAUTH_OK);
}

/* Finds url; checks the source and, when found, user and password. */
static void expect(fixture *f, const char *url, pkgauth_pypi_source source, const char *user,
                   const char *password)
{
    pkgauth_credential *c = NULL;
    pkgauth_pypi_source got;
    pkgauth_error err = {0};
    int rc = pkgauth_pypi_find(f->pypi, url, &c, &got, &err);
    assert_int_equal(got, source);
    if (source == PKGAUTH_PYPI_SOURCE_NONE) {
        assert_int_equal(rc, PKGAUTH_ENOTFOUND);
        assert_null(c);
        return;
    }
    assert_int_equal(rc, PKGAUTH_OK);
    assert_string_equal(pkgauth_credential_username(c), user);
    assert_string_equal(pkgauth_credential_password(c), password);
    pkgauth_credential_free(c);
}

/* ---- the order ---- */

static void url_password_comes_first(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "echo from-keyring");
    write_netrc(f, "machine idx.example login alice password from-netrc\n");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://alice:in%40url@idx.example/simple/", PKGAUTH_PYPI_SOURCE_URL, "alice",
           "in@url");
    assert_string_equal(calls(f), "");
}

static void keyring_is_asked_for_the_url_first(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "[ \"$2\" = https://idx.example:8443/simple/demo/ ] && echo pw-url && exit 0\n"
                    "exit 1");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://alice@idx.example:8443/simple/demo/", PKGAUTH_PYPI_SOURCE_KEYRING,
           "alice", "pw-url");
    assert_string_equal(calls(f), "https://idx.example:8443/simple/demo/|alice\n");
    assert_int_equal(f->n_warnings, 0);
}

static void keyring_then_host_and_port(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "[ \"$2\" = idx.example:8443 ] && echo pw-host && exit 0\nexit 1");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://alice@idx.example:8443/simple/", PKGAUTH_PYPI_SOURCE_KEYRING, "alice",
           "pw-host");
    assert_string_equal(calls(f), "https://idx.example:8443/simple/|alice\n"
                                  "idx.example:8443|alice\n");
}

/* The port only when the URL names one; a default port names none. */
static void host_without_port(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "[ \"$2\" = idx.example ] && echo pw-host && exit 0\nexit 1");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://alice@idx.example/simple/", PKGAUTH_PYPI_SOURCE_KEYRING, "alice",
           "pw-host");
    expect(f, "https://bob@idx.example:443/simple/", PKGAUTH_PYPI_SOURCE_KEYRING, "bob",
           "pw-host");
    assert_string_equal(calls(f), "https://idx.example/simple/|alice\nidx.example|alice\n"
                                  "https://idx.example/simple/|bob\nidx.example|bob\n");
}

static void disabled_never_runs_keyring(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "echo from-keyring");
    write_netrc(f, "machine idx.example login alice password from-netrc\n");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_DISABLED, 0);
    expect(f, "https://alice@idx.example/simple/", PKGAUTH_PYPI_SOURCE_NETRC, "alice",
           "from-netrc");
    assert_string_equal(calls(f), "");
}

static void keyring_miss_goes_on_to_netrc(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "exit 1"); /* keyring's "no such password": no message */
    write_netrc(f, "machine idx.example login alice password from-netrc\n");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://alice@idx.example/simple/", PKGAUTH_PYPI_SOURCE_NETRC, "alice",
           "from-netrc");
    assert_string_equal(calls(f), "https://idx.example/simple/|alice\nidx.example|alice\n");
    assert_int_equal(f->n_warnings, 0);
}

/* curl's rules: another login is skipped, an entry without one matches. */
static void netrc_matches_the_user(void **state)
{
    fixture *f = *state;
    write_netrc(f, "machine idx.example login bob password bobs\n"
                   "machine IDX.example password anyones\n");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_DISABLED, 0);
    expect(f, "https://bob@idx.example/simple/", PKGAUTH_PYPI_SOURCE_NETRC, "bob", "bobs");
    expect(f, "https://alice@idx.example/simple/", PKGAUTH_PYPI_SOURCE_NETRC, "alice",
           "anyones");
    expect(f, "https://alice@other.example/simple/", PKGAUTH_PYPI_SOURCE_NONE, NULL, NULL);
}

/* The store comes last, and a BasicHTTP for another user is skipped. */
static void store_last_for_the_same_user(void **state)
{
    fixture *f = *state;
    pkgauth_credential *bob = make_basic("bob", "bobs");
    pkgauth_credential *tok = make_bearer("tok");
    assert_int_equal(pkgauth_store_set(f->store, "idx.example", bob, NULL, NULL), 0);
    assert_int_equal(pkgauth_store_set(f->store, "tok.example", tok, NULL, NULL), 0);
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_DISABLED, 0);
    expect(f, "https://bob@idx.example/simple/", PKGAUTH_PYPI_SOURCE_STORE, "bob", "bobs");
    expect(f, "https://alice@idx.example/simple/", PKGAUTH_PYPI_SOURCE_NONE, NULL, NULL);
    pkgauth_credential *c = NULL;
    pkgauth_pypi_source source;
    assert_int_equal(pkgauth_pypi_find(f->pypi, "https://tok.example/simple/", &c, &source,
                                       NULL), PKGAUTH_OK);
    assert_int_equal(source, PKGAUTH_PYPI_SOURCE_STORE);
    assert_string_equal(pkgauth_credential_token(c), "tok");
    pkgauth_credential_free(c);
    pkgauth_credential_free(bob);
    pkgauth_credential_free(tok);
}

/* No user name: the store alone, keyring is not asked (no --mode creds). */
static void no_user_uses_the_store_only(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "echo from-keyring");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://idx.example/simple/", PKGAUTH_PYPI_SOURCE_NONE, NULL, NULL);
    assert_string_equal(calls(f), "");
}

/* One keyring run per origin and user: the index's files reuse it. */
static void found_password_is_reused_per_origin(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "[ \"$2\" = http://idx.example:8080/simple/demo/ ] && echo pw && exit 0\n"
                    "exit 1");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "http://alice@idx.example:8080/simple/demo/", PKGAUTH_PYPI_SOURCE_KEYRING,
           "alice", "pw");
    expect(f, "http://alice@idx.example:8080/files/demo-1.0.tar.gz",
           PKGAUTH_PYPI_SOURCE_KEYRING, "alice", "pw");
    assert_string_equal(calls(f), "http://idx.example:8080/simple/demo/|alice\n");
}

/* ---- running keyring ---- */

static void first_line_is_the_password(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "printf 'pw with blanks \\r\\nsecond line\\n'");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://alice@idx.example/", PKGAUTH_PYPI_SOURCE_KEYRING, "alice",
           "pw with blanks ");
}

/* stdin is /dev/null: a keyring that reads gets end-of-file at once. */
static void stdin_is_closed(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "read line; echo \"got:$line\"");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 5000);
    expect(f, "https://alice@idx.example/", PKGAUTH_PYPI_SOURCE_KEYRING, "alice", "got:");
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void stalled_keyring_is_killed(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "exec sleep 30");
    write_netrc(f, "machine idx.example login alice password from-netrc\n");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 300);
    double start = now();
    expect(f, "https://alice@idx.example/simple/", PKGAUTH_PYPI_SOURCE_NETRC, "alice",
           "from-netrc");
    /* Not run a second time (host lookup), nor for the next URL. */
    expect(f, "https://alice@idx.example/other/", PKGAUTH_PYPI_SOURCE_NETRC, "alice",
           "from-netrc");
    assert_true(now() - start < 3.0);
    assert_string_equal(calls(f), "https://idx.example/simple/|alice\n");
    assert_int_equal(f->n_warnings, 1);
    assert_non_null(strstr(f->warnings, "no answer within 0.3 s"));
    assert_non_null(strstr(f->warnings, "https://alice@idx.example/simple/"));
}

static void missing_keyring_is_reported(void **state)
{
    fixture *f = *state; /* no fake_keyring(): the program does not exist */
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://alice@idx.example/simple/", PKGAUTH_PYPI_SOURCE_NONE, NULL, NULL);
    assert_int_equal(f->n_warnings, 1);
    assert_non_null(strstr(f->warnings, "cannot run"));
    assert_non_null(strstr(f->warnings, "No such file or directory"));
    assert_non_null(strstr(f->warnings, "index https://alice@idx.example/simple/"));
}

static void failing_keyring_is_reported(void **state)
{
    fixture *f = *state;
    fake_keyring(f, "echo 'Traceback (most recent call last):' >&2\n"
                    "echo 'keyring.errors.KeyringLocked: Failed to unlock the item!' >&2\n"
                    "exit 1");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_SUBPROCESS, 0);
    expect(f, "https://alice@idx.example/simple/", PKGAUTH_PYPI_SOURCE_NONE, NULL, NULL);
    assert_int_equal(f->n_warnings, 1);
    assert_non_null(strstr(f->warnings, "exit 1: keyring.errors.KeyringLocked: Failed"));
}

/* ---- requests ---- */

static pkgauth_request *authenticate(fixture *f, const char *url, const char *const *h,
                                     size_t n)
{
    pkgauth_request *r = NULL;
    assert_int_equal(pkgauth_pypi_authenticate(f->pypi, "GET", url, h, n, &r, NULL), 0);
    return r;
}

static void request_has_basic_and_no_userinfo(void **state)
{
    fixture *f = *state;
    write_netrc(f, "machine idx.example login alice password pw\n");
    open_pypi(f, PKGAUTH_KEYRING_PROVIDER_DISABLED, 0);
    pkgauth_request *r = authenticate(f, "https://alice@idx.example/simple/", NULL, 0);
    assert_string_equal(pkgauth_request_url(r), "https://idx.example/simple/");
    assert_int_equal(pkgauth_request_header_count(r), 1);
    assert_string_equal(pkgauth_request_header(r, 0), "Authorization: Basic YWxpY2U6cHc=");
    pkgauth_request_free(r);
    /* Nothing found: the user name with an empty password, as uv sends. */
    r = authenticate(f, "https://alice@nothing.example/simple/", NULL, 0);
    assert_string_equal(pkgauth_request_url(r), "https://nothing.example/simple/");
    assert_string_equal(pkgauth_request_header(r, 0), "Authorization: Basic YWxpY2U6");
    pkgauth_request_free(r);
    /* The caller's own Authorization is left alone. */
    const char *own[] = {"Authorization: Bearer mine"};
    r = authenticate(f, "https://alice@idx.example/simple/", own, 1);
    assert_int_equal(pkgauth_request_header_count(r), 1);
    assert_string_equal(pkgauth_request_header(r, 0), own[0]);
    pkgauth_request_free(r);
}

static void url_username(void **state)
{
    (void)state;
    char *u = pkgauth_url_username("https://a%40b@idx.example/simple/");
    assert_string_equal(u, "a@b");
    pkgauth_free(u);
    assert_null(pkgauth_url_username("https://idx.example/simple/"));
    assert_null(pkgauth_url_username("https://@idx.example/simple/"));
    assert_null(pkgauth_url_username("not a url"));
}

int main(void)
{
    /* A relative timeout value in the environment must not change these. */
    unsetenv("PKGAUTH_KEYRING_TIMEOUT");
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(url_password_comes_first),
        T(keyring_is_asked_for_the_url_first),
        T(keyring_then_host_and_port),
        T(host_without_port),
        T(disabled_never_runs_keyring),
        T(keyring_miss_goes_on_to_netrc),
        T(netrc_matches_the_user),
        T(store_last_for_the_same_user),
        T(no_user_uses_the_store_only),
        T(found_password_is_reused_per_origin),
        T(first_line_is_the_password),
        T(stdin_is_closed),
        T(stalled_keyring_is_killed),
        T(missing_keyring_is_reported),
        T(failing_keyring_is_reported),
        T(request_has_basic_and_no_userinfo),
        T(url_username),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
