/* Options structs that can grow (issue 12 item 7): each has a version
 * field set by its *_INIT macro; a version the library does not know (0:
 * a struct not initialised with the macro, or one from a newer header) is
 * refused with PKGAUTH_EINVAL naming the struct, and nothing is created.
 * Strings the API returns are all freed with pkgauth_free(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pkgauth/pkgauth.h>

#define TMP "/nonexistent/pkgauth-options"

/* rc is EINVAL and err names the struct and "version". */
static void assert_refused(int rc, const pkgauth_error *err, const char *type)
{
    assert_int_equal(rc, PKGAUTH_EINVAL);
    assert_int_equal(err->code, PKGAUTH_EINVAL);
    assert_non_null(strstr(err->message, type));
    assert_non_null(strstr(err->message, "version"));
}

static void init_macros_set_the_version(void **state)
{
    (void)state;
    pkgauth_store_options so = PKGAUTH_STORE_OPTIONS_INIT;
    pkgauth_config_options co = PKGAUTH_CONFIG_OPTIONS_INIT;
    pkgauth_pypi_options po = PKGAUTH_PYPI_OPTIONS_INIT;
    pkgauth_s3_options s3 = PKGAUTH_S3_OPTIONS_INIT;
    assert_int_equal(so.version, PKGAUTH_STORE_OPTIONS_VERSION);
    assert_int_equal(co.version, PKGAUTH_CONFIG_OPTIONS_VERSION);
    assert_int_equal(po.version, PKGAUTH_PYPI_OPTIONS_VERSION);
    assert_int_equal(s3.version, PKGAUTH_S3_OPTIONS_VERSION);
    assert_true(so.version >= 1 && co.version >= 1 && po.version >= 1 && s3.version >= 1);
    /* every other field has its "not set" value */
    assert_null(so.auth_file);
    assert_null(co.home);
    assert_null(po.store);
    assert_null(s3.endpoint_url);
    assert_int_equal(s3.force_path_style, -1);
}

static void store_open_checks_version(void **state)
{
    (void)state;
    unsigned int bad[] = {0, PKGAUTH_STORE_OPTIONS_VERSION + 1};
    for (size_t i = 0; i < 2; i++) {
        pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
        o.version = bad[i];
        o.auth_file = TMP "/credentials.json";
        pkgauth_store *s = (pkgauth_store *)&o; /* must be cleared */
        pkgauth_error err = {0};
        assert_refused(pkgauth_store_open(&s, &o, &err), &err, "pkgauth_store_options");
        assert_null(s);
    }
    pkgauth_store_options o = PKGAUTH_STORE_OPTIONS_INIT;
    o.auth_file = TMP "/credentials.json";
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_open(&s, &o, NULL), PKGAUTH_OK);
    pkgauth_store_free(s);
}

static void config_load_checks_version(void **state)
{
    (void)state;
    pkgauth_config_options o = PKGAUTH_CONFIG_OPTIONS_INIT;
    o.home = o.xdg_config_home = o.system_dir = TMP;
    o.pixi_home = "";
    pkgauth_config *c = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_config_load(&c, &o, &err), PKGAUTH_OK);
    pkgauth_config_free(c);
    o.version = 0;
    assert_refused(pkgauth_config_load(&c, &o, &err), &err, "pkgauth_config_options");
    assert_null(c);
    o.version = PKGAUTH_CONFIG_OPTIONS_VERSION + 1;
    memset(&err, 0, sizeof err);
    assert_refused(pkgauth_config_load_file(&c, TMP "/config.toml", &o, &err), &err,
                   "pkgauth_config_options");
    assert_null(c);
}

static void pypi_open_checks_version(void **state)
{
    (void)state;
    pkgauth_pypi_options o = PKGAUTH_PYPI_OPTIONS_INIT;
    o.netrc = "";
    pkgauth_pypi *p = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_pypi_open(&p, &o, &err), PKGAUTH_OK);
    pkgauth_pypi_free(p);
    o.version = 0;
    assert_refused(pkgauth_pypi_open(&p, &o, &err), &err, "pkgauth_pypi_options");
    assert_null(p);
}

static void s3_options_check_version(void **state)
{
    (void)state;
    pkgauth_credential *cred = NULL;
    assert_int_equal(pkgauth_credential_new_s3(&cred, "AKID", "secret", NULL, NULL), PKGAUTH_OK);
    pkgauth_s3_options o = PKGAUTH_S3_OPTIONS_INIT;
    o.endpoint_url = "http://127.0.0.1:9000";
    o.region = "r";
    pkgauth_s3_target *t = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_s3_target_for_credential(cred, &o, "s3://b/k", &t, &err),
                     PKGAUTH_OK);
    pkgauth_s3_target_free(t);
    o.version = 0;
    assert_refused(pkgauth_s3_target_for_credential(cred, &o, "s3://b/k", &t, &err), &err,
                   "pkgauth_s3_options");
    assert_null(t);
    pkgauth_credential_free(cred);
}

/* What pkgauth_config_s3_options() fills can be passed on as it is. */
static void config_s3_options_fills_version(void **state)
{
    (void)state;
    pkgauth_s3_options o;
    memset(&o, 0x5a, sizeof o);
    assert_int_equal(pkgauth_config_s3_options(NULL, "b", &o), PKGAUTH_ENOTFOUND);
    assert_int_equal(o.version, PKGAUTH_S3_OPTIONS_VERSION);
    assert_null(o.endpoint_url);
    assert_int_equal(o.force_path_style, -1);
}

/* Constructors give a code and a message, not a bare NULL. */
static void constructors_report_errors(void **state)
{
    (void)state;
    pkgauth_credential *c = (pkgauth_credential *)&c;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_credential_new_bearer(&c, NULL, &err), PKGAUTH_EINVAL);
    assert_null(c);
    assert_int_equal(err.code, PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "token"));
    memset(&err, 0, sizeof err);
    assert_int_equal(pkgauth_credential_new_basic(&c, "u", NULL, &err), PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "password"));
    memset(&err, 0, sizeof err);
    assert_int_equal(pkgauth_credential_new_s3(&c, "a", NULL, NULL, &err), PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "secret_access_key"));
    assert_int_equal(pkgauth_credential_new_conda(&c, "tok", &err), PKGAUTH_OK);
    pkgauth_credential *d = NULL;
    assert_int_equal(pkgauth_credential_dup(&d, c, &err), PKGAUTH_OK);
    assert_string_equal(pkgauth_credential_token(d), "tok");
    pkgauth_credential_free(c);
    pkgauth_credential_free(d);
    assert_int_equal(pkgauth_credential_dup(&d, NULL, &err), PKGAUTH_EINVAL);
    assert_null(d);
}

/* Every string the API hands out is freed with pkgauth_free() (under
 * ASan a wrong allocator would be reported). */
static void strings_free_with_pkgauth_free(void **state)
{
    (void)state;
    char *bucket = NULL, *api = pkgauth_prefix_dev_api_url("repo.prefix.dev");
    assert_non_null(api);
    pkgauth_free(api);
    assert_int_equal(pkgauth_s3_url_bucket("s3://my-bucket/key", &bucket, NULL), PKGAUTH_OK);
    assert_string_equal(bucket, "my-bucket");
    pkgauth_free(bucket);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_macros_set_the_version),
        cmocka_unit_test(store_open_checks_version),
        cmocka_unit_test(config_load_checks_version),
        cmocka_unit_test(pypi_open_checks_version),
        cmocka_unit_test(s3_options_check_version),
        cmocka_unit_test(config_s3_options_fills_version),
        cmocka_unit_test(constructors_report_errors),
        cmocka_unit_test(strings_free_with_pkgauth_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
