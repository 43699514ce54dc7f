/* pixi's configuration: file locations and order, key-by-key merging
 * (s3-options per bucket and per key), errors, and the store precedence
 * RATTLER_AUTH_FILE > --auth-file > authentication-override-file. */
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
#include "pkgauth/pkgauth.h"
#include "make_credential.h"

typedef struct {
    char *dir;
    char sys[128], xdg[128], home[128], pixi_home[128];
    pkgauth_config_options opts;
    fixture_env *env;
} fixture;

/* What the store chain reads from the environment, put back after each test. */
static const char *const chain_vars[] = {"RATTLER_AUTH_FILE", "NETRC", "DBUS_SESSION_BUS_ADDRESS",
                                         NULL};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->dir = fixture_dir_new("config"))) {
        free(f);
        return -1;
    }
    snprintf(f->sys, sizeof f->sys, "%s/etc-pixi", f->dir);
    snprintf(f->xdg, sizeof f->xdg, "%s/xdg", f->dir);
    snprintf(f->home, sizeof f->home, "%s/home", f->dir);
    snprintf(f->pixi_home, sizeof f->pixi_home, "%s/pixi-home", f->dir);
    f->opts = (pkgauth_config_options)PKGAUTH_CONFIG_OPTIONS_INIT;
    f->opts.home = f->home;
    f->opts.xdg_config_home = f->xdg;
    f->opts.pixi_home = f->pixi_home;
    f->opts.system_dir = f->sys;
    f->env = fixture_env_save(chain_vars);
    unsetenv("RATTLER_AUTH_FILE");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    int rc = fixture_dir_remove(f->dir);
    fixture_env_restore(f->env);
    free(f);
    return rc;
}

/* Writes text to dir/rel (creating folders) and returns the path in buf. */
static const char *write_at(char *buf, size_t n, const char *dir, const char *rel,
                            const char *text)
{
    return fixture_write_at(buf, n, dir, rel, text, 0600);
}

static pkgauth_config *load_ok(const fixture *f)
{
    pkgauth_config *c = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_config_load(&c, &f->opts, &err);
    if (rc)
        fprintf(stderr, "load: %s\n", err.message);
    assert_int_equal(rc, PKGAUTH_OK);
    return c;
}

static void test_no_files(void **state)
{
    fixture *f = *state;
    pkgauth_config *c = load_ok(f);
    const char *src = "x";
    assert_null(pkgauth_config_override_file(c, &src));
    assert_null(src);
    assert_int_equal(pkgauth_config_keyring_provider(c, &src), PKGAUTH_KEYRING_PROVIDER_DISABLED);
    assert_null(src);
    assert_int_equal(pkgauth_config_s3_bucket_count(c), 0);
    /* Looked at, in pixi's order, none found. */
    assert_int_equal(pkgauth_config_file_count(c), 4);
    const char *want[] = {"etc-pixi/config.toml", "xdg/pixi/config.toml",
                          "home/.pixi/config.toml", "pixi-home/config.toml"};
    for (size_t i = 0; i < 4; i++) {
        int found = 1;
        const char *p = pkgauth_config_file_at(c, i, &found);
        assert_non_null(strstr(p, want[i]));
        assert_int_equal(found, 0);
    }
    assert_null(pkgauth_config_file_at(c, 4, NULL));
    pkgauth_config_free(c);
}

/* Each later file overrides the earlier ones, key by key. */
static void test_order_and_merge(void **state)
{
    fixture *f = *state;
    char a[256], b[256], d[256], e[256];
    write_at(a, sizeof a, f->sys, "config.toml",
             "authentication-override-file = \"/etc-file\"\n"
             "[pypi-config]\nkeyring-provider = \"subprocess\"\n"
             "[s3-options.bkt]\nendpoint-url = \"https://etc.example\"\nregion = \"etc\"\n"
             "force-path-style = true\n");
    write_at(b, sizeof b, f->xdg, "pixi/config.toml",
             "authentication-override-file = \"/xdg-file\"\n"
             "[s3-options.bkt]\nregion = \"xdg\"\n");
    write_at(d, sizeof d, f->home, ".pixi/config.toml",
             "[s3-options.other]\nregion = \"o\"\n"
             "[pypi-config]\nkeyring-provider = \"disabled\"\n");
    write_at(e, sizeof e, f->pixi_home, "config.toml",
             "s3-options.bkt.force-path-style = false\n");
    pkgauth_config *c = load_ok(f);
    const char *src;
    assert_string_equal(pkgauth_config_override_file(c, &src), "/xdg-file");
    assert_string_equal(src, b);
    assert_int_equal(pkgauth_config_keyring_provider(c, &src), PKGAUTH_KEYRING_PROVIDER_DISABLED);
    assert_string_equal(src, d);

    pkgauth_s3_options o;
    assert_int_equal(pkgauth_config_s3_options(c, "bkt", &o), PKGAUTH_OK);
    assert_string_equal(o.endpoint_url, "https://etc.example");
    assert_string_equal(o.endpoint_url_source, a);
    assert_string_equal(o.region, "xdg");
    assert_string_equal(o.region_source, b);
    assert_int_equal(o.force_path_style, 0);
    assert_string_equal(o.force_path_style_source, e);
    assert_int_equal(pkgauth_config_s3_options(c, "other", &o), PKGAUTH_OK);
    assert_null(o.endpoint_url);
    assert_int_equal(o.force_path_style, -1);
    assert_int_equal(pkgauth_config_s3_options(c, "nope", &o), PKGAUTH_ENOTFOUND);

    assert_int_equal(pkgauth_config_s3_bucket_count(c), 2);
    assert_string_equal(pkgauth_config_s3_bucket_at(c, 0), "bkt");
    assert_string_equal(pkgauth_config_s3_bucket_at(c, 1), "other");
    for (size_t i = 0; i < 4; i++) {
        int found = 0;
        pkgauth_config_file_at(c, i, &found);
        assert_int_equal(found, 1);
    }
    pkgauth_config_free(c);
}

static void test_tilde_and_unknown_keys(void **state)
{
    fixture *f = *state;
    char p[256], want[256];
    write_at(p, sizeof p, f->home, ".pixi/config.toml",
             "default-channels = [\"conda-forge\"]\n"
             "authentication-override-file = \"~/creds.json\"\n"
             "[mirrors]\n\"https://conda.anaconda.org\" = [\"https://prefix.dev\"]\n"
             "[concurrency]\ndownloads = 5\n");
    pkgauth_config *c = load_ok(f);
    snprintf(want, sizeof want, "%s/creds.json", f->home);
    assert_string_equal(pkgauth_config_override_file(c, NULL), want);
    pkgauth_config_free(c);
}

/* PIXI_HOME pointing at ~/.pixi is read once, not twice. */
static void test_pixi_home_same_as_default(void **state)
{
    fixture *f = *state;
    char dot_pixi[256];
    snprintf(dot_pixi, sizeof dot_pixi, "%s/.pixi", f->home);
    f->opts.pixi_home = dot_pixi;
    f->opts.xdg_config_home = ""; /* unset: ~/.config */
    pkgauth_config *c = load_ok(f);
    assert_int_equal(pkgauth_config_file_count(c), 3);
    assert_non_null(strstr(pkgauth_config_file_at(c, 1, NULL), "home/.config/pixi/config.toml"));
    pkgauth_config_free(c);
}

static void expect_error(const fixture *f, int code, const char *needle)
{
    pkgauth_config *c = (pkgauth_config *)1;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_config_load(&c, &f->opts, &err), code);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
}

static void test_errors(void **state)
{
    fixture *f = *state;
    char p[256], want[400];
    write_at(p, sizeof p, f->xdg, "pixi/config.toml", "a = 1\nb = [1,\n");
    snprintf(want, sizeof want, "%s:3:1: ", p);
    expect_error(f, PKGAUTH_EPARSE, want);

    write_at(p, sizeof p, f->xdg, "pixi/config.toml",
             "[pypi-config]\nkeyring-provider = \"sometimes\"\n");
    snprintf(want, sizeof want, "%s: pypi-config.keyring-provider: invalid value", p);
    expect_error(f, PKGAUTH_EINVAL, want);

    write_at(p, sizeof p, f->xdg, "pixi/config.toml", "authentication-override-file = 3\n");
    expect_error(f, PKGAUTH_EINVAL, "authentication-override-file: expected a string, found integer");

    write_at(p, sizeof p, f->xdg, "pixi/config.toml", "[s3-options.b]\nforce-path-style = \"yes\"\n");
    expect_error(f, PKGAUTH_EINVAL, "s3-options.b.force-path-style: expected true or false");

    write_at(p, sizeof p, f->xdg, "pixi/config.toml", "[s3-options.b]\nendpoint-url = \"not a url\"\n");
    expect_error(f, PKGAUTH_EINVAL, "s3-options.b.endpoint-url: invalid URL");
}

static void test_load_file(void **state)
{
    fixture *f = *state;
    char p[256], q[256];
    /* The defaults are ignored when a file is named. */
    write_at(p, sizeof p, f->xdg, "pixi/config.toml", "authentication-override-file = \"/a\"\n");
    write_at(q, sizeof q, f->dir, "other.toml", "[pypi-config]\nkeyring-provider = \"subprocess\"\n");
    pkgauth_config *c = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_config_load_file(&c, q, &f->opts, &err), PKGAUTH_OK);
    assert_null(pkgauth_config_override_file(c, NULL));
    assert_int_equal(pkgauth_config_keyring_provider(c, NULL), PKGAUTH_KEYRING_PROVIDER_SUBPROCESS);
    assert_int_equal(pkgauth_config_file_count(c), 1);
    pkgauth_config_free(c);

    snprintf(q, sizeof q, "%s/missing.toml", f->dir);
    assert_int_equal(pkgauth_config_load_file(&c, q, &f->opts, &err), PKGAUTH_ENOTFOUND);
    assert_non_null(strstr(err.message, "missing.toml"));
}

/* RATTLER_AUTH_FILE > --auth-file > authentication-override-file. */
static void test_store_precedence(void **state)
{
    fixture *f = *state;
    pkgauth_store *s;
    pkgauth_error err = {0};
    pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
    o.auth_file = "/cli.json";
    o.override_file = "/cfg.json";
    o.home = f->home;
    assert_int_equal(pkgauth_store_open(&s, &o, &err), PKGAUTH_OK);
    assert_string_equal(pkgauth_store_backend_name(s, 0), "file (/cli.json)");
    pkgauth_store_free(s);

    o.auth_file = NULL;
    assert_int_equal(pkgauth_store_open(&s, &o, &err), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_backend_count(s), 1);
    assert_string_equal(pkgauth_store_backend_name(s, 0), "file (/cfg.json)");
    pkgauth_store_free(s);

    setenv("RATTLER_AUTH_FILE", "/env.json", 1);
    o.auth_file = "/cli.json";
    assert_int_equal(pkgauth_store_open(&s, &o, &err), PKGAUTH_OK);
    assert_string_equal(pkgauth_store_backend_name(s, 0), "file (/env.json)");
    pkgauth_store_free(s);
    unsetenv("RATTLER_AUTH_FILE");
}

/* The default chain ends with netrc; its `default` entry is a last resort
 * that never shadows a wildcard key of an earlier store. */
static void test_netrc_default_is_never_used(void **state)
{
    fixture *f = *state;
    char p[256];
    write_at(p, sizeof p, f->home, ".netrc",
             "default login anyone password pw0\nmachine exact.example.com login u password pw1\n");
    unsetenv("NETRC");
    unsetenv("DBUS_SESSION_BUS_ADDRESS"); /* never a real keyring */
    pkgauth_store *s;
    pkgauth_error err = {0};
    pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
    o.home = f->home;
    assert_int_equal(pkgauth_store_open(&s, &o, &err), PKGAUTH_OK);
    size_t n = pkgauth_store_backend_count(s);
    snprintf(p, sizeof p, "netrc (%s/.netrc)", f->home);
    assert_string_equal(pkgauth_store_backend_name(s, n - 1), p);

    /* Only the file store is writable; netrc is read only. Write the
     * wildcard straight into the file backend, then resolve. */
    pkgauth_credential *cred = make_bearer("tok");
    pkgauth_store *files;
    char path[256];
    snprintf(path, sizeof path, "%s/.rattler/credentials.json", f->home);
    assert_int_equal(pkgauth_store_new(&files, &err), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_file(files, path, &err), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(files, "*.example.com", cred, NULL, &err), PKGAUTH_OK);
    pkgauth_store_free(files);
    pkgauth_credential_free(cred);

    pkgauth_match m;
    assert_int_equal(pkgauth_store_find(s, "https://exact.example.com/x", &m, &err), PKGAUTH_OK);
    assert_string_equal(m.key, "exact.example.com"); /* exact beats wildcard */
    pkgauth_match_clear(&m);
    assert_int_equal(pkgauth_store_find(s, "https://other.example.com/x", &m, &err), PKGAUTH_OK);
    assert_string_equal(m.key, "*.example.com"); /* not netrc's default */
    pkgauth_match_clear(&m);
    /* netrc's default is never an answer (rattler; issue 11 item 11). */
    assert_int_equal(pkgauth_store_find(s, "https://elsewhere.org/", &m, &err),
                     PKGAUTH_ENOTFOUND);
    assert_int_equal(pkgauth_store_find(s, "s3://bucket/x", &m, &err), PKGAUTH_ENOTFOUND);
    /* Exact-key reads never answer with default. */
    pkgauth_credential *c = NULL;
    assert_int_equal(pkgauth_store_get(s, "elsewhere.org", &c, NULL, &err), PKGAUTH_ENOTFOUND);
    /* Read only: nothing is removed, and the store says so. */
    size_t removed = 9;
    assert_int_equal(pkgauth_store_delete(s, "exact.example.com", &removed, &err),
                     PKGAUTH_EREADONLY);
    assert_int_equal(removed, 0);
    pkgauth_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_and_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tilde_and_unknown_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pixi_home_same_as_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_netrc_default_is_never_used, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
