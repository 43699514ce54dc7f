/* The chain pkgauth_store_open() builds (src/lib/open.c, compat.md "Which
 * store is used"): RATTLER_AUTH_FILE > --auth-file (opts.auth_file) >
 * authentication-override-file (opts.override_file), each alone; else the
 * keyring (when built in), ~/.rattler/credentials.json, then netrc
 * ($NETRC, else ~/.netrc). Home from opts.home, else $HOME. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pkgauth/pkgauth.h>

#include "fixture.h"

#define KEYRING_NAME "secret service (keyring)"

typedef struct {
    char *dir;
    char home[256];
    fixture_env *env;
    char warnings[2048];
} fixture;

static const char *const chain_vars[] = {"RATTLER_AUTH_FILE", "NETRC", "HOME",
                                         "DBUS_SESSION_BUS_ADDRESS", NULL};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->dir = fixture_dir_new("open")) || !(f->env = fixture_env_save(chain_vars)))
        return -1;
    snprintf(f->home, sizeof f->home, "%s/home", f->dir);
    fixture_env_clear(chain_vars);
    setenv("HOME", "/nonexistent-pkgauth-open-home", 1); /* tests that want $HOME set it */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    fixture_env_restore(f->env);
    int rc = fixture_dir_remove(f->dir);
    free(f);
    return rc;
}

static void on_warning(void *ctx, const char *message)
{
    fixture *f = ctx;
    strncat(f->warnings, message, sizeof f->warnings - strlen(f->warnings) - 2);
    strcat(f->warnings, "\n");
}

static pkgauth_store *open_ok(const pkgauth_store_options *o)
{
    pkgauth_store *s = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_store_open(&s, o, &err);
    if (rc)
        fail_msg("store_open: %s", err.message);
    assert_non_null(s);
    return s;
}

/* The backend names of the chain, one per line. */
static const char *chain(const pkgauth_store *s)
{
    static char buf[2048];
    buf[0] = '\0';
    for (size_t i = 0; i < pkgauth_store_backend_count(s); i++) {
        strncat(buf, pkgauth_store_backend_name(s, i), sizeof buf - strlen(buf) - 2);
        strcat(buf, "\n");
    }
    return buf;
}

static void expect_chain(const pkgauth_store_options *o, const char *want)
{
    pkgauth_store *s = open_ok(o);
    assert_string_equal(chain(s), want);
    pkgauth_store_free(s);
}

/* The default chain for home, with netrc at netrc. */
static const char *default_chain(const char *home, const char *netrc)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%sfile (%s/.rattler/credentials.json)\nnetrc (%s)\n",
#ifdef PKGAUTH_HAVE_KEYRING
             KEYRING_NAME "\n",
#else
             "",
#endif
             home, netrc);
    return buf;
}

/* ---- one file replaces the chain ---- */

static void precedence(void **state)
{
    (void)state;
    pkgauth_store_options o = {.version = PKGAUTH_STORE_OPTIONS_VERSION,
                               .auth_file = "/cli.json", .override_file = "/cfg.json"};
    expect_chain(&o, "file (/cli.json)\n");
    o.auth_file = NULL;
    expect_chain(&o, "file (/cfg.json)\n");
    setenv("RATTLER_AUTH_FILE", "/env.json", 1);
    expect_chain(&o, "file (/env.json)\n");
    o.auth_file = "/cli.json";
    expect_chain(&o, "file (/env.json)\n");
    expect_chain(NULL, "file (/env.json)\n"); /* no options at all */
}

/* An empty RATTLER_AUTH_FILE is not set: the next rule applies. */
static void empty_env_is_unset(void **state)
{
    fixture *f = *state;
    setenv("RATTLER_AUTH_FILE", "", 1);
    pkgauth_store_options o = {.version = PKGAUTH_STORE_OPTIONS_VERSION,
                               .auth_file = "/cli.json", .home = f->home};
    expect_chain(&o, "file (/cli.json)\n");
    o.auth_file = NULL;
    char netrc[300];
    snprintf(netrc, sizeof netrc, "%s/.netrc", f->home);
    expect_chain(&o, default_chain(f->home, netrc));
}

/* The file named is not read until used: a broken one opens fine and
 * fails the lookup, naming the file. */
static void nothing_read_at_open(void **state)
{
    fixture *f = *state;
    char path[300];
    fixture_write_at(path, sizeof path, f->dir, "broken.json", "{not json", 0600);
    pkgauth_store_options o = {.version = PKGAUTH_STORE_OPTIONS_VERSION, .auth_file = path};
    pkgauth_store *s = open_ok(&o);
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_store_get(s, "h.example", &c, NULL, &err), PKGAUTH_EPARSE);
    assert_non_null(strstr(err.message, "broken.json"));
    pkgauth_store_free(s);
}

/* ---- the default chain ---- */

static void default_chain_from_options_home(void **state)
{
    fixture *f = *state;
    pkgauth_store_options o = {.version = PKGAUTH_STORE_OPTIONS_VERSION, .home = f->home};
    char netrc[300];
    snprintf(netrc, sizeof netrc, "%s/.netrc", f->home);
    expect_chain(&o, default_chain(f->home, netrc));
}

/* Without opts.home, $HOME; opts.home wins over $HOME. */
static void default_chain_from_env_home(void **state)
{
    fixture *f = *state;
    setenv("HOME", f->dir, 1);
    char netrc[300];
    snprintf(netrc, sizeof netrc, "%s/.netrc", f->dir);
    expect_chain(NULL, default_chain(f->dir, netrc));
    pkgauth_store_options o = {.version = PKGAUTH_STORE_OPTIONS_VERSION, .home = f->home};
    snprintf(netrc, sizeof netrc, "%s/.netrc", f->home);
    expect_chain(&o, default_chain(f->home, netrc));
}

/* $NETRC names the netrc file; empty, it is unset. */
static void netrc_from_env(void **state)
{
    fixture *f = *state;
    pkgauth_store_options o = {.version = PKGAUTH_STORE_OPTIONS_VERSION, .home = f->home};
    setenv("NETRC", "/elsewhere/my-netrc", 1);
    expect_chain(&o, default_chain(f->home, "/elsewhere/my-netrc"));
    setenv("NETRC", "", 1);
    char netrc[300];
    snprintf(netrc, sizeof netrc, "%s/.netrc", f->home);
    expect_chain(&o, default_chain(f->home, netrc));
}

/* A missing $NETRC file is worth a warning (through opts.warn) on first
 * use; a missing ~/.netrc is not. */
static void missing_netrc_warnings(void **state)
{
    fixture *f = *state;
    pkgauth_store_options o = {.version = PKGAUTH_STORE_OPTIONS_VERSION,
                               .home = f->home, .warn = on_warning, .warn_ctx = f};
    pkgauth_credential *c = NULL;
    pkgauth_store *s = open_ok(&o);
    assert_int_equal(pkgauth_store_get(s, "h.example", &c, NULL, NULL), PKGAUTH_ENOTFOUND);
    pkgauth_store_free(s);
    assert_string_equal(f->warnings, "");

    char missing[300];
    snprintf(missing, sizeof missing, "%s/no-netrc", f->dir);
    setenv("NETRC", missing, 1);
    s = open_ok(&o);
    assert_int_equal(pkgauth_store_get(s, "h.example", &c, NULL, NULL), PKGAUTH_ENOTFOUND);
    pkgauth_store_free(s);
    if (!strstr(f->warnings, "no-netrc") || !strstr(f->warnings, "does not exist"))
        fail_msg("no warning about the missing $NETRC file: '%s'", f->warnings);
}

/* The file comes before netrc: a key in both is read from the file. */
static void file_before_netrc(void **state)
{
    fixture *f = *state;
    char path[300];
    fixture_write_at(path, sizeof path, f->home, ".rattler/credentials.json",
                     "{\"h.example\":{\"BearerToken\":\"from-file\"}}", 0600);
    fixture_write_at(path, sizeof path, f->home, ".netrc",
                     "machine h.example login u password from-netrc\n"
                     "machine n.example login u password only-netrc\n",
                     0600);
    pkgauth_store_options o = {.version = PKGAUTH_STORE_OPTIONS_VERSION, .home = f->home};
    pkgauth_store *s = open_ok(&o);
    pkgauth_credential *c = NULL;
    const char *backend = NULL;
    assert_int_equal(pkgauth_store_get(s, "h.example", &c, &backend, NULL), PKGAUTH_OK);
    assert_non_null(strstr(backend, "file ("));
    assert_string_equal(pkgauth_credential_token(c), "from-file");
    pkgauth_credential_free(c);
    assert_int_equal(pkgauth_store_get(s, "n.example", &c, &backend, NULL), PKGAUTH_OK);
    assert_non_null(strstr(backend, "netrc ("));
    pkgauth_credential_free(c);
    pkgauth_store_free(s);
}

static void bad_arguments(void **state)
{
    (void)state;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_store_open(NULL, NULL, &err), PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "store_open"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(precedence),
        T(empty_env_is_unset),
        T(nothing_read_at_open),
        T(default_chain_from_options_home),
        T(default_chain_from_env_home),
        T(netrc_from_env),
        T(missing_netrc_warnings),
        T(file_before_netrc),
        T(bad_arguments),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
