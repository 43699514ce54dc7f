/* S3: URL mapping, the AWS credential chain, s3-options with the pkgauth
 * store, presigning (the AWS documentation example), S3 error bodies, and
 * the AWS INI reader's rules and errors. */
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

#include "aws_config.h"
#include "fixture.h"
#include "pkgauth/pkgauth.h"
#include "s3_internal.h"
#include "make_credential.h"

#define DOC_KEY "AKIAIOSFODNN7EXAMPLE"
#define DOC_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define DOC_SIGNATURE "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
#define DOC_TIME ((time_t)1369353600) /* 2013-05-24T00:00:00Z */

static const char *const aws_vars[] = {
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
    "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
    "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", NULL,
};

/* ---- fixtures: a private HOME with no AWS settings ------------------------ */

static char *home;
/* HOME and aws_vars as they were before the test, put back after it. */
static fixture_env *saved_home, *saved_aws;

static int setup_home(void **state)
{
    (void)state;
    static const char *const home_var[] = {"HOME", NULL};
    if (!(home = fixture_dir_new("test-s3")) || !(saved_home = fixture_env_save(home_var)) ||
        !(saved_aws = fixture_env_save(aws_vars)))
        return -1;
    setenv("HOME", home, 1);
    fixture_env_clear(aws_vars);
    return 0;
}

static int teardown_home(void **state)
{
    (void)state;
    fixture_env_restore(saved_aws);
    fixture_env_restore(saved_home);
    saved_aws = saved_home = NULL;
    int rc = fixture_dir_remove(home);
    home = NULL;
    return rc;
}

/* Writes text to $HOME/<name> (creating its folders). */
static void write_home(const char *name, const char *text)
{
    char path[512];
    fixture_write_at(path, sizeof path, home, name, text, 0600);
}

static pkgauth_s3_target *resolve_ok(pkgauth_store *s, const pkgauth_s3_options *o,
                                     const char *url)
{
    pkgauth_s3_target *t = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_s3_target_resolve(s, o, url, &t, &err);
    if (rc)
        print_error("resolve %s: %s\n", url, err.message);
    assert_int_equal(rc, PKGAUTH_OK);
    return t;
}

static int resolve_err(pkgauth_store *s, const pkgauth_s3_options *o, const char *url,
                       pkgauth_error *err)
{
    pkgauth_s3_target *t = NULL;
    int rc = pkgauth_s3_target_resolve(s, o, url, &t, err);
    assert_null(t);
    return rc;
}

static pkgauth_store *store_with_s3(const char *key, const char *id, const char *secret,
                                    const char *token)
{
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), 0);
    assert_int_equal(pkgauth_store_add_memory(s, NULL), 0);
    if (key) {
        pkgauth_credential *c = make_s3(id, secret, token);
        assert_int_equal(pkgauth_store_set(s, key, c, NULL, NULL), 0);
        pkgauth_credential_free(c);
    }
    return s;
}

static pkgauth_s3_options opts(const char *endpoint, const char *region, int fps)
{
    pkgauth_s3_options o = PKGAUTH_S3_OPTIONS_INIT;
    o.endpoint_url = endpoint;
    o.region = region;
    o.force_path_style = fps;
    return o;
}

/* ---- URL mapping ---------------------------------------------------------- */

static void map(const char *endpoint, const char *region, int force, const char *want,
                int want_ps)
{
    char *url = NULL;
    int ps = -1;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_s3_map_url("conda-bucket", "noarch/repodata.json", endpoint, region,
                                        force, &url, &ps, &err),
                     0);
    assert_string_equal(url, want);
    assert_int_equal(ps, want_ps);
    free(url);
}

static void map_virtual_host_and_path_style(void **state)
{
    (void)state;
    map(NULL, "eu-west-1", 0, "https://conda-bucket.s3.eu-west-1.amazonaws.com/noarch/repodata.json", 0);
    map(NULL, "eu-west-1", 1, "https://s3.eu-west-1.amazonaws.com/conda-bucket/noarch/repodata.json", 1);
    map("https://minio.example.com", "x", 0, "https://conda-bucket.minio.example.com/noarch/repodata.json", 0);
    map("https://minio.example.com", "x", 1, "https://minio.example.com/conda-bucket/noarch/repodata.json", 1);
}

static void map_endpoint_with_port_and_path(void **state)
{
    (void)state;
    map("https://s3.example.com:9000", "r", 0, "https://conda-bucket.s3.example.com:9000/noarch/repodata.json", 0);
    map("https://s3.example.com:9000/", "r", 1, "https://s3.example.com:9000/conda-bucket/noarch/repodata.json", 1);
    map("http://s3.example.com:9000/base/", "r", 1, "http://s3.example.com:9000/base/conda-bucket/noarch/repodata.json", 1);
}

static void map_localhost_implies_path_style(void **state)
{
    (void)state;
    map("http://localhost:4568", "r", 0, "http://localhost:4568/conda-bucket/noarch/repodata.json", 1);
    map("http://127.0.0.1:4568", "r", 0, "http://127.0.0.1:4568/conda-bucket/noarch/repodata.json", 1);
    map("http://[::1]:4568", "r", 0, "http://[::1]:4568/conda-bucket/noarch/repodata.json", 1);
    map("http://LOCALHOST", "r", 0, "http://LOCALHOST/conda-bucket/noarch/repodata.json", 1);
    /* only the exact local names: another 127.0.0.x is an ordinary host */
    map("http://127.0.0.2:1", "r", 0, "http://conda-bucket.127.0.0.2:1/noarch/repodata.json", 0);
}

static void map_non_dns_bucket_is_path_style(void **state)
{
    (void)state;
    char *url = NULL;
    int ps = 0;
    assert_int_equal(pkgauth_s3_map_url("Old_Bucket", "k", NULL, "us-east-1", 0, &url, &ps, NULL), 0);
    assert_string_equal(url, "https://s3.us-east-1.amazonaws.com/Old_Bucket/k");
    assert_int_equal(ps, 1);
    free(url);
}

static void map_bad_endpoints(void **state)
{
    (void)state;
    const char *bad[] = {"ftp://host", "not a url", "", "file:///tmp/x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *url = NULL;
        pkgauth_error err = {0};
        assert_int_equal(pkgauth_s3_map_url("b-1", "k", bad[i], "r", 0, &url, NULL, &err),
                         PKGAUTH_EINVAL);
        assert_null(url);
        assert_non_null(strstr(err.message, "invalid S3 endpoint URL"));
    }
}

static void split_urls(void **state)
{
    (void)state;
    struct { const char *url, *bucket, *key; } ok[] = {
        {"s3://b1/dir/file.json", "b1", "dir/file.json"},
        /* Keys are literal (issue 17 item 8): "%XX" is never decoded. */
        {"S3://b1/my file%20x+y.txt", "b1", "my%20file%2520x%2By.txt"},
        {"s3://b1/a%2Fb", "b1", "a%252Fb"},
        {"s3://b1/lit%41", "b1", "lit%2541"},
        {"s3://b1/100%", "b1", "100%25"},
        {"s3://b1/x/./y/../z", "b1", "x/./y/../z"},
        {"s3://b1", "b1", ""},
        {"s3://b1/", "b1", ""},
        {"s3://b1/x/", "b1", "x/"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        char *b = NULL, *k = NULL;
        assert_int_equal(pkgauth_s3_url_split(ok[i].url, &b, &k, NULL), 0);
        assert_string_equal(b, ok[i].bucket);
        assert_string_equal(k, ok[i].key);
        free(b);
        free(k);
    }
    const char *bad[] = {"https://b/k", "s3:///k", "s3://b/k?x=1", "s3://b/k#f", "s3://u:p@b/k",
                         "s3://b:9000/k", "s3://"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *b = NULL, *k = NULL;
        pkgauth_error err = {0};
        assert_int_equal(pkgauth_s3_url_split(bad[i], &b, &k, &err), PKGAUTH_EINVAL);
        assert_null(b);
        assert_null(k);
        assert_non_null(strstr(err.message, "invalid S3 URL"));
        assert_null(strstr(err.message, ":p@")); /* redacted */
    }
}

/* ---- s3-options + the pkgauth store ----------------------------------------- */

static void options_use_the_store(void **state)
{
    (void)state;
    /* the AWS environment is ignored for a bucket with s3-options */
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET", 1);
    setenv("AWS_REGION", "eu-north-1", 1);
    pkgauth_store *s = store_with_s3("s3://conda-bucket", "STOREKEY", "STORESECRET", NULL);
    pkgauth_s3_options o = opts("http://127.0.0.1:4568", "eu-central-1", -1);
    pkgauth_s3_target *t = resolve_ok(s, &o, "s3://conda-bucket/noarch/x.json");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "STOREKEY");
    assert_string_equal(pkgauth_s3_target_region(t), "eu-central-1");
    assert_string_equal(pkgauth_s3_target_url(t), "http://127.0.0.1:4568/conda-bucket/noarch/x.json");
    assert_string_equal(pkgauth_s3_target_store_key(t), "s3://conda-bucket");
    assert_non_null(strstr(pkgauth_s3_target_source(t), "s3://conda-bucket in memory"));
    assert_false(pkgauth_s3_target_has_session_token(t));
    pkgauth_s3_target_free(t);
    /* unset fields: AWS's endpoint, us-east-1, virtual-host */
    o = opts(NULL, NULL, -1);
    t = resolve_ok(s, &o, "s3://conda-bucket/k");
    assert_string_equal(pkgauth_s3_target_url(t), "https://conda-bucket.s3.us-east-1.amazonaws.com/k");
    pkgauth_s3_target_free(t);
    o = opts("https://s3.example.com", "r", 1);
    t = resolve_ok(s, &o, "s3://conda-bucket/k");
    assert_string_equal(pkgauth_s3_target_url(t), "https://s3.example.com/conda-bucket/k");
    pkgauth_s3_target_free(t);
    pkgauth_store_free(s);
}

static void options_without_stored_credential(void **state)
{
    (void)state;
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET", 1);
    pkgauth_store *s = store_with_s3(NULL, NULL, NULL, NULL);
    pkgauth_credential *bearer = make_bearer("BEARERSECRET");
    assert_int_equal(pkgauth_store_set(s, "conda-bucket", bearer, NULL, NULL), 0);
    pkgauth_credential_free(bearer);
    pkgauth_s3_options o = opts("http://127.0.0.1:1", NULL, -1);
    pkgauth_error err = {0};
    assert_int_equal(resolve_err(s, &o, "s3://conda-bucket/k", &err), PKGAUTH_ENOTFOUND);
    assert_non_null(strstr(err.message, "no S3 credentials for s3://conda-bucket/k in pkgauth's store (memory)"));
    assert_non_null(strstr(err.message, "holds BearerToken credentials"));
    assert_non_null(strstr(err.message, "pkgauth login s3://"));
    assert_null(strstr(err.message, "BEARERSECRET"));
    pkgauth_store_free(s);
}

static void session_token_from_store_is_signed(void **state)
{
    (void)state;
    pkgauth_store *s = store_with_s3("s3://conda-bucket/private", "K", "S", "TOKEN/+=");
    pkgauth_s3_options o = opts("http://localhost:1", "r", 0);
    pkgauth_s3_target *t = resolve_ok(s, &o, "s3://conda-bucket/private/x");
    assert_true(pkgauth_s3_target_has_session_token(t));
    char *url = NULL;
    assert_int_equal(pkgauth_s3_target_presign(t, "GET", 0, DOC_TIME, &url, NULL), 0);
    assert_non_null(strstr(url, "X-Amz-Security-Token=TOKEN%2F%2B%3D"));
    assert_non_null(strstr(url, "X-Amz-Expires=300&"));
    pkgauth_free(url);
    pkgauth_s3_target_free(t);
    /* a different prefix of the bucket has no credential */
    pkgauth_error err = {0};
    assert_int_equal(resolve_err(s, &o, "s3://conda-bucket/public/x", &err), PKGAUTH_ENOTFOUND);
    pkgauth_store_free(s);
}

/* ---- presigning ----------------------------------------------------------------- */

/* The example of the S3 documentation ("Authenticating Requests: Using
 * Query Parameters"), through the public presign function. */
static void aws_documentation_example(void **state)
{
    (void)state;
    pkgauth_store *s = store_with_s3("s3://examplebucket", DOC_KEY, DOC_SECRET, NULL);
    pkgauth_s3_options o = opts("https://s3.amazonaws.com", "us-east-1", 0);
    pkgauth_s3_target *t = resolve_ok(s, &o, "s3://examplebucket/test.txt");
    assert_string_equal(pkgauth_s3_target_url(t), "https://examplebucket.s3.amazonaws.com/test.txt");
    char *url = NULL;
    assert_int_equal(pkgauth_s3_target_presign(t, "GET", 86400, DOC_TIME, &url, NULL), 0);
    assert_string_equal(url,
        "https://examplebucket.s3.amazonaws.com/test.txt"
        "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        "&X-Amz-Signature=" DOC_SIGNATURE);
    assert_null(strstr(url, DOC_SECRET));
    pkgauth_free(url);
    pkgauth_s3_target_free(t);
    pkgauth_store_free(s);
}

static void presign_arguments(void **state)
{
    (void)state;
    pkgauth_store *s = store_with_s3("s3://b-1", "K", "S", NULL);
    pkgauth_s3_options o = opts("http://127.0.0.1:9", "r", 0);
    pkgauth_s3_target *t = resolve_ok(s, &o, "s3://b-1/k");
    char *url = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_s3_target_presign(t, "POST", 0, 0, &url, &err), PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "GET, HEAD and PUT"));
    assert_int_equal(pkgauth_s3_target_presign(t, "GET", 604801, 0, &url, &err), PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_s3_target_presign(t, "GET", -5, 0, &url, &err), PKGAUTH_EINVAL);
    assert_null(url);
    const char *methods[] = {"GET", "HEAD", "PUT"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(pkgauth_s3_target_presign(t, methods[i], 604800, DOC_TIME, &url, NULL), 0);
        assert_non_null(strstr(url, "X-Amz-Expires=604800"));
        assert_null(strstr(url, "X-Amz-Security-Token"));
        assert_true(!strncmp(url, "http://127.0.0.1:9/b-1/k?", 25));
        pkgauth_free(url);
    }
    /* same inputs, different method: different signatures */
    char *get = NULL, *put = NULL;
    assert_int_equal(pkgauth_s3_target_presign(t, "GET", 60, DOC_TIME, &get, NULL), 0);
    assert_int_equal(pkgauth_s3_target_presign(t, "PUT", 60, DOC_TIME, &put, NULL), 0);
    assert_string_not_equal(get, put);
    pkgauth_free(get);
    pkgauth_free(put);
    pkgauth_s3_target_free(t);
    /* the one-call form, signed now */
    assert_int_equal(pkgauth_s3_presign(s, &o, "HEAD", "s3://b-1/k", 0, &url, NULL), 0);
    assert_non_null(strstr(url, "X-Amz-Signature="));
    pkgauth_free(url);
    pkgauth_store_free(s);
}

static void explicit_credential(void **state)
{
    (void)state;
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:7", 1);
    pkgauth_credential *c = make_s3("CK", "CS", NULL);
    pkgauth_s3_target *t = NULL;
    assert_int_equal(pkgauth_s3_target_for_credential(c, NULL, "s3://bkt/k", &t, NULL), 0);
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "CK");
    assert_string_equal(pkgauth_s3_target_url(t), "http://127.0.0.1:7/bkt/k");
    pkgauth_s3_target_free(t);
    pkgauth_credential *b = make_bearer("x");
    assert_int_equal(pkgauth_s3_target_for_credential(b, NULL, "s3://bkt/k", &t, NULL),
                     PKGAUTH_EINVAL);
    pkgauth_credential_free(b);
    pkgauth_credential_free(c);
}

static void configured_from_pixi_config(void **state)
{
    (void)state;
    write_home("config.toml", "[s3-options.conda-bucket]\n"
                              "endpoint-url = \"http://127.0.0.1:4568\"\n"
                              "region = \"eu-central-1\"\nforce-path-style = false\n");
    char path[512];
    snprintf(path, sizeof path, "%s/config.toml", home);
    pkgauth_config *cfg = NULL;
    assert_int_equal(pkgauth_config_load_file(&cfg, path, NULL, NULL), 0);
    pkgauth_store *s = store_with_s3("s3://conda-bucket", "K", "S", NULL);
    char *url = NULL;
    assert_int_equal(pkgauth_s3_presign_configured(s, cfg, "GET", "s3://conda-bucket/a", 0, &url, NULL), 0);
    assert_true(!strncmp(url, "http://127.0.0.1:4568/conda-bucket/a?", 37));
    assert_non_null(strstr(url, "%2Feu-central-1%2Fs3%2F"));
    pkgauth_free(url);
    /* another bucket has no s3-options: the AWS conventions, which are empty */
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_s3_presign_configured(s, cfg, "GET", "s3://other/a", 0, &url, &err),
                     PKGAUTH_ENOTFOUND);
    pkgauth_config_free(cfg);
    pkgauth_store_free(s);
}

/* ---- the AWS conventions ---------------------------------------------------------- */

static void env_beats_profile(void **state)
{
    (void)state;
    write_home(".aws/credentials", "[default]\naws_access_key_id = FILEKEY\n"
                                   "aws_secret_access_key = FILESECRET\n");
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET", 1);
    setenv("AWS_SESSION_TOKEN", "ENVTOKEN", 1);
    pkgauth_s3_target *t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "ENVKEY");
    assert_true(pkgauth_s3_target_has_session_token(t));
    assert_string_equal(pkgauth_s3_target_source(t), "environment (AWS_ACCESS_KEY_ID)");
    pkgauth_s3_target_free(t);
    /* empty variables count as unset */
    setenv("AWS_ACCESS_KEY_ID", "", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "", 1);
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "FILEKEY");
    assert_false(pkgauth_s3_target_has_session_token(t)); /* AWS_SESSION_TOKEN goes with env keys */
    pkgauth_s3_target_free(t);
}

static void half_an_env_pair_is_an_error(void **state)
{
    (void)state;
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    pkgauth_error err = {0};
    assert_int_equal(resolve_err(NULL, NULL, "s3://bkt/k", &err), PKGAUTH_EINVAL);
    assert_string_equal(err.message, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

static void profile_selection(void **state)
{
    (void)state;
    write_home(".aws/credentials", "[default]\naws_access_key_id = DEFKEY\naws_secret_access_key = DEFS\n"
                                   "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEVS\n"
                                   "aws_session_token = DEVTOKEN\n");
    write_home(".aws/config", "[default]\nregion = eu-west-3\n"
                              "[profile dev]\nregion = ap-south-1\nendpoint_url = https://s3.dev.example\n"
                              "[profile cfgonly]\naws_access_key_id = CFGKEY\naws_secret_access_key = CFGS\n"
                              "[ops]\naws_access_key_id = NOTAPROFILE\naws_secret_access_key = X\n");
    pkgauth_s3_target *t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "DEFKEY");
    assert_string_equal(pkgauth_s3_target_region(t), "eu-west-3");
    assert_string_equal(pkgauth_s3_target_url(t), "https://bkt.s3.eu-west-3.amazonaws.com/k");
    pkgauth_s3_target_free(t);

    setenv("AWS_PROFILE", "dev", 1);
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "DEVKEY");
    assert_true(pkgauth_s3_target_has_session_token(t));
    assert_string_equal(pkgauth_s3_target_region(t), "ap-south-1");
    assert_string_equal(pkgauth_s3_target_url(t), "https://bkt.s3.dev.example/k");
    char want[600];
    snprintf(want, sizeof want, "profile 'dev' in %s/.aws/credentials", home);
    assert_string_equal(pkgauth_s3_target_source(t), want);
    pkgauth_s3_target_free(t);

    /* credentials in the config file only */
    setenv("AWS_PROFILE", "cfgonly", 1);
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "CFGKEY");
    assert_string_equal(pkgauth_s3_target_region(t), "us-east-1");
    pkgauth_s3_target_free(t);

    /* [ops] in the config file is not the profile "ops" */
    setenv("AWS_PROFILE", "ops", 1);
    pkgauth_error err = {0};
    assert_int_equal(resolve_err(NULL, NULL, "s3://bkt/k", &err), PKGAUTH_ENOTFOUND);
    assert_non_null(strstr(err.message, "AWS profile 'ops' (AWS_PROFILE) not found in"));
}

static void credentials_file_beats_config_file(void **state)
{
    (void)state;
    write_home(".aws/credentials", "[default]\naws_access_key_id = CREDKEY\naws_secret_access_key = S1\n");
    write_home(".aws/config", "[default]\naws_access_key_id = CONFKEY\naws_secret_access_key = S2\n");
    pkgauth_s3_target *t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "CREDKEY");
    pkgauth_s3_target_free(t);
    /* [profile default] wins over [default] in the config file */
    write_home(".aws/credentials", "");
    write_home(".aws/config", "[default]\naws_access_key_id = PLAIN\naws_secret_access_key = S2\n"
                              "[profile default]\naws_access_key_id = PROFILED\naws_secret_access_key = S3\n");
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "PROFILED");
    pkgauth_s3_target_free(t);
    /* half a pair in a profile is an error */
    write_home(".aws/config", "[default]\naws_access_key_id = ONLYKEY\n");
    pkgauth_error err = {0};
    assert_int_equal(resolve_err(NULL, NULL, "s3://bkt/k", &err), PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "has aws_access_key_id but no aws_secret_access_key"));
}

static void file_locations_from_env(void **state)
{
    (void)state;
    write_home("creds.ini", "[p1]\naws_access_key_id = ALTKEY\naws_secret_access_key = S\n");
    write_home("conf.ini", "[profile p1]\nregion = sa-east-1\n");
    write_home(".aws/credentials", "[p1]\naws_access_key_id = WRONG\naws_secret_access_key = S\n");
    setenv("AWS_SHARED_CREDENTIALS_FILE", "~/creds.ini", 1);
    char conf[512];
    snprintf(conf, sizeof conf, "%s/conf.ini", home);
    setenv("AWS_CONFIG_FILE", conf, 1);
    setenv("AWS_PROFILE", "p1", 1);
    pkgauth_s3_target *t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_access_key_id(t), "ALTKEY");
    assert_string_equal(pkgauth_s3_target_region(t), "sa-east-1");
    pkgauth_s3_target_free(t);
}

static void region_sources(void **state)
{
    (void)state;
    write_home(".aws/credentials", "[default]\naws_access_key_id = K\naws_secret_access_key = S\n");
    pkgauth_s3_target *t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_region(t), "us-east-1");
    pkgauth_s3_target_free(t);
    write_home(".aws/config", "[default]\nregion = eu-west-2\n");
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_region(t), "eu-west-2");
    pkgauth_s3_target_free(t);
    setenv("AWS_DEFAULT_REGION", "ca-central-1", 1);
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_region(t), "ca-central-1");
    pkgauth_s3_target_free(t);
    setenv("AWS_REGION", "me-south-1", 1);
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_region(t), "me-south-1");
    assert_string_equal(pkgauth_s3_target_url(t), "https://bkt.s3.me-south-1.amazonaws.com/k");
    pkgauth_s3_target_free(t);
}

static void endpoint_sources(void **state)
{
    (void)state;
    write_home(".aws/credentials", "[default]\naws_access_key_id = K\naws_secret_access_key = S\n");
    write_home(".aws/config", "[default]\nendpoint_url = https://profile.example\n");
    pkgauth_s3_target *t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_url(t), "https://bkt.profile.example/k");
    pkgauth_s3_target_free(t);
    setenv("AWS_ENDPOINT_URL", "http://localhost:4000", 1);
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_url(t), "http://localhost:4000/bkt/k");
    assert_true(pkgauth_s3_target_path_style(t));
    pkgauth_s3_target_free(t);
    setenv("AWS_ENDPOINT_URL_S3", "https://s3only.example:8443", 1);
    t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_url(t), "https://bkt.s3only.example:8443/k");
    pkgauth_s3_target_free(t);
    setenv("AWS_ENDPOINT_URL_S3", "gopher://x", 1);
    pkgauth_error err = {0};
    assert_int_equal(resolve_err(NULL, NULL, "s3://bkt/k", &err), PKGAUTH_EINVAL);
    /* a region cannot redirect the request to another host */
    unsetenv("AWS_ENDPOINT_URL_S3");
    unsetenv("AWS_ENDPOINT_URL");
    setenv("AWS_REGION", "x.evil.example/", 1);
    assert_int_equal(resolve_err(NULL, NULL, "s3://bkt/k", &err), PKGAUTH_EINVAL);
    assert_string_equal(err.message, "invalid S3 region \"x.evil.example/\"");
}

static void profile_addressing_style(void **state)
{
    (void)state;
    write_home(".aws/config", "[default]\naws_access_key_id = K\naws_secret_access_key = S\n"
                              "s3 =\n    addressing_style = path\n"
                              "endpoint_url = https://minio.example\n");
    pkgauth_s3_target *t = resolve_ok(NULL, NULL, "s3://bkt/k");
    assert_string_equal(pkgauth_s3_target_url(t), "https://minio.example/bkt/k");
    pkgauth_s3_target_free(t);
}

static void no_credentials_anywhere(void **state)
{
    (void)state;
    pkgauth_error err = {0};
    assert_int_equal(resolve_err(NULL, NULL, "s3://bkt/k", &err), PKGAUTH_ENOTFOUND);
    char want[900];
    snprintf(want, sizeof want,
             "no S3 credentials for s3://bkt/k: looked in the environment (AWS_ACCESS_KEY_ID, "
             "AWS_SECRET_ACCESS_KEY), profile 'default' in %s/.aws/credentials (no such file) "
             "and in %s/.aws/config (no such file)",
             home, home);
    assert_string_equal(err.message, want);
    /* files without the profile, and a stored (unused) pkgauth credential */
    write_home(".aws/credentials", "[other]\naws_access_key_id = K\naws_secret_access_key = S\n");
    write_home(".aws/config", "[default]\nregion = eu-west-1\n");
    pkgauth_store *s = store_with_s3("s3://bkt", "STOREKEY", "STORESECRET", NULL);
    assert_int_equal(resolve_err(s, NULL, "s3://bkt/k", &err), PKGAUTH_ENOTFOUND);
    assert_non_null(strstr(err.message, "credentials (no such profile)"));
    assert_non_null(strstr(err.message, "config (no keys in the profile)"));
    assert_non_null(strstr(err.message, "pkgauth has s3://bkt stored, used only with s3-options"));
    assert_null(strstr(err.message, "STORESECRET"));
    pkgauth_store_free(s);
}

static void bad_aws_file_is_reported(void **state)
{
    (void)state;
    write_home(".aws/config", "[default]\nregion = x\nthis line is wrong\n");
    setenv("AWS_ACCESS_KEY_ID", "K", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "S", 1);
    pkgauth_error err = {0};
    assert_int_equal(resolve_err(NULL, NULL, "s3://bkt/k", &err), PKGAUTH_EPARSE);
    char want[600];
    snprintf(want, sizeof want, "%s/.aws/config:3: expected 'name = value', a [section] or a comment", home);
    assert_string_equal(err.message, want);
}

/* ---- the INI reader ------------------------------------------------------------------ */

static pkgauth_aws_ini *ini_ok(const char *text)
{
    pkgauth_aws_ini *ini = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_aws_ini_parse(text, strlen(text), "t.ini", &ini, &err);
    if (rc)
        print_error("%s\n", err.message);
    assert_int_equal(rc, 0);
    return ini;
}

static void ini_err(const char *text, size_t len, const char *want)
{
    pkgauth_aws_ini *ini = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_aws_ini_parse(text, len, "t.ini", &ini, &err), PKGAUTH_EPARSE);
    assert_null(ini);
    assert_string_equal(err.message, want);
}

static void ini_syntax(void **state)
{
    (void)state;
    pkgauth_aws_ini *ini = ini_ok(
        "# comment\n; another\n   # indented comment\n\n"
        "[ profile   dev ]  # after a header\r\n"
        "  Region=eu-west-1  \r\n"
        "aws_secret_access_key = ab#c;d ef \n"
        "empty =\n"
        "colon: yes: really\n"
        "dup = first\ndup = second\n"
        "[default]\nk = v\n"
        "[profile   dev]\nlater = merged\n"
        "endpoint_url = http://h:1/x=y\n");
    assert_true(pkgauth_aws_ini_has_section(ini, "profile dev"));
    assert_false(pkgauth_aws_ini_has_section(ini, "profile   dev"));
    assert_string_equal(pkgauth_aws_ini_get(ini, "profile dev", "region"), "eu-west-1");
    assert_string_equal(pkgauth_aws_ini_get(ini, "profile dev", "aws_secret_access_key"), "ab#c;d ef");
    assert_string_equal(pkgauth_aws_ini_get(ini, "profile dev", "empty"), "");
    assert_string_equal(pkgauth_aws_ini_get(ini, "profile dev", "colon"), "yes: really");
    assert_string_equal(pkgauth_aws_ini_get(ini, "profile dev", "dup"), "second");
    assert_string_equal(pkgauth_aws_ini_get(ini, "profile dev", "later"), "merged");
    assert_string_equal(pkgauth_aws_ini_get(ini, "profile dev", "endpoint_url"), "http://h:1/x=y");
    assert_string_equal(pkgauth_aws_ini_get(ini, "default", "k"), "v");
    assert_null(pkgauth_aws_ini_get(ini, "default", "region"));
    assert_null(pkgauth_aws_ini_get(ini, "nope", "k"));
    /* profile lookups per file kind */
    assert_string_equal(pkgauth_aws_profile_get(ini, PKGAUTH_AWS_CONFIG_FILE, "dev", "region"), "eu-west-1");
    assert_null(pkgauth_aws_profile_get(ini, PKGAUTH_AWS_CREDENTIALS_FILE, "dev", "region"));
    assert_string_equal(pkgauth_aws_profile_get(ini, PKGAUTH_AWS_CONFIG_FILE, "default", "k"), "v");
    assert_string_equal(pkgauth_aws_profile_get(ini, PKGAUTH_AWS_CREDENTIALS_FILE, "default", "k"), "v");
    assert_null(pkgauth_aws_profile_get(NULL, PKGAUTH_AWS_CONFIG_FILE, "default", "k"));
    pkgauth_aws_ini_free(ini);
}

static void ini_nested_and_continued(void **state)
{
    (void)state;
    pkgauth_aws_ini *ini = ini_ok("[default]\ns3 =\n  addressing_style = path\n\tMax_Concurrent_Requests = 4\n"
                                  "note = line one\n   line two\nregion = r\n");
    assert_string_equal(pkgauth_aws_ini_get(ini, "default", "s3"), "");
    assert_string_equal(pkgauth_aws_ini_get(ini, "default", "s3.addressing_style"), "path");
    assert_string_equal(pkgauth_aws_ini_get(ini, "default", "s3.max_concurrent_requests"), "4");
    assert_string_equal(pkgauth_aws_ini_get(ini, "default", "note"), "line one\nline two");
    assert_string_equal(pkgauth_aws_ini_get(ini, "default", "region"), "r");
    pkgauth_aws_ini_free(ini);
    /* no trailing newline, empty input */
    ini = ini_ok("[a]\nk = v");
    assert_string_equal(pkgauth_aws_ini_get(ini, "a", "k"), "v");
    pkgauth_aws_ini_free(ini);
    ini = ini_ok("");
    assert_false(pkgauth_aws_ini_has_section(ini, "default"));
    pkgauth_aws_ini_free(ini);
}

static void ini_errors(void **state)
{
    (void)state;
    ini_err("k = v\n", 6, "t.ini:1: property outside any [section]");
    ini_err("[a]\n[unterminated\n", 17, "t.ini:2: section header without ']'");
    ini_err("[a]\n[ ]\n", 8, "t.ini:2: empty section name");
    ini_err("[a] junk\n", 9, "t.ini:1: unexpected text after ']'");
    ini_err("[a]\n\njust text\n", 15, "t.ini:3: expected 'name = value', a [section] or a comment");
    ini_err("[a]\n = v\n", 8, "t.ini:2: empty name before '='");
    ini_err("[a]\nk = v\0w\n", 11, "t.ini:2: NUL byte");
    ini_err("[a]\ns3 =\n  nested without equals\n", 32,
            "t.ini:3: expected 'name = value', a [section] or a comment");

    size_t n = PKGAUTH_AWS_INI_MAX_LINE + 20;
    char *long_line = malloc(n + 1);
    memcpy(long_line, "[a]\nk = ", 8);
    memset(long_line + 8, 'x', n - 8);
    long_line[n] = '\0';
    ini_err(long_line, n, "t.ini:2: line too long");
    free(long_line);

    size_t big = PKGAUTH_AWS_INI_MAX_FILE + 1;
    char *huge = calloc(1, big);
    memset(huge, '\n', big);
    char want[100];
    snprintf(want, sizeof want, "t.ini: larger than %d bytes", PKGAUTH_AWS_INI_MAX_FILE);
    ini_err(huge, big, want);
    free(huge);

    /* too many entries */
    size_t cap = (PKGAUTH_AWS_INI_MAX_ENTRIES + 10) * 12;
    char *many = malloc(cap), *p = many;
    p += sprintf(p, "[s]\n");
    for (int i = 0; i < PKGAUTH_AWS_INI_MAX_ENTRIES + 5; i++)
        p += sprintf(p, "k%d = v\n", i);
    pkgauth_aws_ini *ini = NULL;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_aws_ini_parse(many, (size_t)(p - many), "t.ini", &ini, &err),
                     PKGAUTH_EPARSE);
    assert_non_null(strstr(err.message, ": too many entries"));
    free(many);
}

static void ini_files(void **state)
{
    (void)state;
    pkgauth_aws_ini *ini = NULL;
    pkgauth_error err = {0};
    char path[512];
    snprintf(path, sizeof path, "%s/missing", home);
    assert_int_equal(pkgauth_aws_ini_load(path, &ini, &err), PKGAUTH_ENOTFOUND);
    assert_null(ini);
    assert_int_equal(pkgauth_aws_ini_load(home, &ini, &err), PKGAUTH_EIO);
    assert_non_null(strstr(err.message, "is a directory"));
    write_home("f.ini", "[x]\nk = v\n");
    snprintf(path, sizeof path, "%s/f.ini", home);
    assert_int_equal(pkgauth_aws_ini_load(path, &ini, &err), 0);
    assert_string_equal(pkgauth_aws_ini_get(ini, "x", "k"), "v");
    pkgauth_aws_ini_free(ini);
    /* a file bigger than the limit is refused, not truncated */
    FILE *f = fopen(path, "w");
    for (int i = 0; i < PKGAUTH_AWS_INI_MAX_FILE / 8 + 2; i++)
        fputs("# pad \n", f), fputc('\n', f);
    fclose(f);
    assert_int_equal(pkgauth_aws_ini_load(path, &ini, &err), PKGAUTH_EPARSE);
    assert_non_null(strstr(err.message, "larger than"));
}

/* ---- S3 error bodies ------------------------------------------------------------------- */

static void error_bodies(void **state)
{
    (void)state;
    const char *xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n"
        "  <Message>The request signature we calculated does not match the signature you "
        "provided. Check your key &amp; signing method.</Message>\n"
        "  <SignatureProvided>deadbeef</SignatureProvided>\n</Error>";
    char code[64], msg[256];
    assert_int_equal(pkgauth_s3_error_parse(xml, strlen(xml), code, sizeof code, msg, sizeof msg), 1);
    assert_string_equal(code, "SignatureDoesNotMatch");
    assert_string_equal(msg, "The request signature we calculated does not match the signature "
                             "you provided. Check your key & signing method.");
    const char *odd = "<Error><Code>A&lt;B&gt;&quot;&apos;&bogus;</Code><Message>two\nlines\t!"
                      "</Message></Error>";
    assert_int_equal(pkgauth_s3_error_parse(odd, strlen(odd), code, sizeof code, msg, sizeof msg), 1);
    assert_string_equal(code, "A<B>\"'&bogus;");
    assert_string_equal(msg, "two lines !");
    /* cut to the buffer */
    char small[6];
    assert_int_equal(pkgauth_s3_error_parse(xml, strlen(xml), small, sizeof small, msg, sizeof msg), 1);
    assert_string_equal(small, "Signa");
    /* no Code, unterminated, or not XML */
    const char *none[] = {"", "<Error><Message>x</Message></Error>", "<Code>open", "Forbidden"};
    for (size_t i = 0; i < 4; i++) {
        strcpy(msg, "junk");
        assert_int_equal(pkgauth_s3_error_parse(none[i], strlen(none[i]), code, sizeof code, msg,
                                                sizeof msg),
                         0);
        assert_string_equal(code, "");
        assert_string_equal(msg, "");
    }
    /* a Code without Message */
    assert_int_equal(pkgauth_s3_error_parse("<Code>X</Code>", 14, code, sizeof code, msg, sizeof msg), 1);
    assert_string_equal(msg, "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_home, teardown_home)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(map_virtual_host_and_path_style),
        T(map_endpoint_with_port_and_path),
        T(map_localhost_implies_path_style),
        T(map_non_dns_bucket_is_path_style),
        T(map_bad_endpoints),
        T(split_urls),
        T(options_use_the_store),
        T(options_without_stored_credential),
        T(session_token_from_store_is_signed),
        T(aws_documentation_example),
        T(presign_arguments),
        T(explicit_credential),
        T(configured_from_pixi_config),
        T(env_beats_profile),
        T(half_an_env_pair_is_an_error),
        T(profile_selection),
        T(credentials_file_beats_config_file),
        T(file_locations_from_env),
        T(region_sources),
        T(endpoint_sources),
        T(profile_addressing_style),
        T(no_credentials_anywhere),
        T(bad_aws_file_is_reported),
        T(ini_syntax),
        T(ini_nested_and_continued),
        T(ini_errors),
        T(ini_files),
        T(error_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
