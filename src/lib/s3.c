/* S3: s3:// URLs to presigned HTTP(S) URLs (rules in pkgauth/s3.h). This
 * file maps URLs and picks credentials; the signing itself is sigv4.c and
 * the AWS files are read by aws_config.c. */
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "curl_dl.h"
#include "aws_config.h"
#include "error.h"
#include "options.h"
#include "memory.h"
#include "request_internal.h"
#include "s3_internal.h"
#include "sigv4.h"
#include "url_internal.h"

#define MAX_BUCKET 255

struct pkgauth_s3_target {
    char *bucket;
    char *key; /* SigV4-encoded, no leading "/" */
    char *url; /* unsigned */
    char *region;
    char *access_key_id;
    char *secret_access_key; /* secret */
    char *session_token;     /* secret; NULL when none */
    char *source;
    char *store_key;
    int path_style;
    pkgauth_sigv4_signer *signer; /* made on first presign */
};

/* An environment variable, with "" treated as unset (as the AWS CLI). */
static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* ---- s3:// URLs ----------------------------------------------------------- */

/* Bucket names: S3's characters, plus upper case and "_" that old
 * (us-east-1) buckets may have; those are only reachable path-style. */
static int valid_bucket(const char *b, size_t n)
{
    if (!n || n > MAX_BUCKET)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)b[i]) && !strchr(".-_", b[i]))
            return 0;
    return 1;
}

/* Usable as the first labels of a host name (virtual-host addressing). */
static int dns_bucket(const char *b)
{
    size_t n = strlen(b);
    if (n < 3 || n > 63 || b[0] == '.' || b[n - 1] == '.' || b[0] == '-' || b[n - 1] == '-' ||
        strstr(b, ".."))
        return 0;
    for (; *b; b++)
        if (!islower((unsigned char)*b) && !isdigit((unsigned char)*b) && !strchr(".-", *b))
            return 0;
    return 1;
}

static int missing(pkgauth_error *err, const char *what)
{
    return pkgauth_error_set(err, PKGAUTH_EINVAL, "%s is required", what);
}

static int bad_url(const char *url, const char *why, pkgauth_error *err)
{
    char *shown = pkgauth_url_redact(url);
    pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid S3 URL %.300s: %s", shown ? shown : "", why);
    pkgauth_free(shown);
    return PKGAUTH_EINVAL;
}

int pkgauth_s3_url_split(const char *url, char **bucket, char **key, pkgauth_error *err)
{
    pkgauth_net_url u;
    const char *why = NULL;
    *bucket = *key = NULL;
    if (!url || strncasecmp(url, "s3://", 5))
        return bad_url(url ? url : "", "expected s3://<bucket>/<key>", err);
    int rc = pkgauth_net_url_read(&u, url, 0, &why);
    if (!rc && (u.query || u.fragment))
        rc = PKGAUTH_EINVAL, why = "an S3 URL has no query or fragment";
    else if (!rc && !valid_bucket(u.bucket, strlen(u.bucket)))
        rc = PKGAUTH_EINVAL, why = "the bucket name is longer than S3 allows";
    /* The key is the bytes after the bucket, as boto and the AWS CLI read
     * it (url.c): "%41" is three bytes, not "A", and dot segments stay. */
    if (!rc && (!(*key = pkgauth_sigv4_uri_encode(u.key, strlen(u.key), 1)) ||
                !(*bucket = strdup(u.bucket)))) {
        free(*key);
        *key = NULL;
        rc = PKGAUTH_ENOMEM;
    }
    pkgauth_net_url_dispose(&u);
    return rc == PKGAUTH_ENOMEM ? pkgauth_oom(err) : rc ? bad_url(url, why, err) : PKGAUTH_OK;
}

int pkgauth_s3_url_bucket(const char *s3_url, char **bucket, pkgauth_error *err)
{
    char *key = NULL;
    if (!bucket)
        return missing(err, "s3_url_bucket: bucket");
    int rc = pkgauth_s3_url_split(s3_url, bucket, &key, err);
    free(key);
    return rc;
}

/* ---- endpoints -------------------------------------------------------------- */

/* An endpoint URL: http(s)://host[:port][/base path], read by url.c. The
 * host keeps its case: the URLs made from it show it as configured. */
static int parse_endpoint(const char *url, pkgauth_net_url *e, pkgauth_error *err)
{
    int rc = pkgauth_net_url_parse(e, url, PKGAUTH_URL_KEEP_CASE, NULL);
    if (rc == PKGAUTH_ENOMEM)
        return pkgauth_oom(err);
    if (rc == PKGAUTH_EUNAVAILABLE)
        return pkgauth_curl_load(err);
    if (!rc && strcmp(e->scheme, "http") && strcmp(e->scheme, "https"))
        rc = PKGAUTH_EINVAL;
    if (rc) {
        pkgauth_net_url_dispose(e);
        char *shown = pkgauth_url_redact(url);
        pkgauth_error_set(err, PKGAUTH_EINVAL,
                          "invalid S3 endpoint URL %.300s: expected http(s)://host[:port]",
                          shown ? shown : "");
        pkgauth_free(shown);
        return PKGAUTH_EINVAL;
    }
    return PKGAUTH_OK;
}

/* A local test server (MinIO, s3rver, ...) has no wildcard DNS for
 * <bucket>.localhost, so it is always addressed path-style. */
static int is_local_host(const char *host)
{
    return !strcasecmp(host, "localhost") || !strcmp(host, "127.0.0.1") ||
           !strcmp(host, "[::1]") || !strcmp(host, "::1");
}

int pkgauth_s3_map_url(const char *bucket, const char *key, const char *endpoint_url,
                       const char *region, int force_path_style, char **url, int *path_style,
                       pkgauth_error *err)
{
    pkgauth_net_url e = {0};
    char *aws = NULL;
    *url = NULL;
    if (!endpoint_url) {
        if (asprintf(&aws, "https://s3.%s.amazonaws.com", region) < 0)
            return pkgauth_oom(err);
        endpoint_url = aws;
    }
    int rc = parse_endpoint(endpoint_url, &e, err);
    free(aws);
    if (rc)
        return rc;
    int ps = force_path_style || is_local_host(e.host) || !dns_bucket(bucket);
    /* A base path ("http://host/s3/") stays in front; no trailing "/". */
    size_t base = strlen(e.path);
    while (base && e.path[base - 1] == '/')
        base--;
    int n = ps ? asprintf(url, "%s://%s%s%s%.*s/%s%s%s", e.scheme, e.host, e.port ? ":" : "",
                          e.port ? e.port : "", (int)base, e.path, bucket, *key ? "/" : "", key)
               : asprintf(url, "%s://%s.%s%s%s%.*s/%s", e.scheme, bucket, e.host,
                          e.port ? ":" : "", e.port ? e.port : "", (int)base, e.path, key);
    pkgauth_net_url_dispose(&e);
    if (n < 0) {
        *url = NULL;
        return pkgauth_oom(err);
    }
    if (path_style)
        *path_style = ps;
    return PKGAUTH_OK;
}

/* ---- targets ----------------------------------------------------------------- */

void pkgauth_s3_target_free(pkgauth_s3_target *t)
{
    if (!t)
        return;
    free(t->bucket);
    free(t->key);
    free(t->url);
    free(t->region);
    free(t->access_key_id);
    pkgauth_free(t->secret_access_key);
    pkgauth_free(t->session_token);
    free(t->source);
    free(t->store_key);
    pkgauth_sigv4_signer_free(t->signer);
    free(t);
}

/* A NULL target has nothing: NULL and 0. */
const char *pkgauth_s3_target_url(const pkgauth_s3_target *t) { return t ? t->url : NULL; }
const char *pkgauth_s3_target_bucket(const pkgauth_s3_target *t) { return t ? t->bucket : NULL; }
const char *pkgauth_s3_target_region(const pkgauth_s3_target *t) { return t ? t->region : NULL; }
const char *pkgauth_s3_target_source(const pkgauth_s3_target *t) { return t ? t->source : NULL; }
const char *pkgauth_s3_target_store_key(const pkgauth_s3_target *t) { return t ? t->store_key : NULL; }
int pkgauth_s3_target_path_style(const pkgauth_s3_target *t) { return t ? t->path_style : 0; }

const char *pkgauth_s3_target_access_key_id(const pkgauth_s3_target *t)
{
    return t ? t->access_key_id : NULL;
}

int pkgauth_s3_target_has_session_token(const pkgauth_s3_target *t)
{
    return t && t->session_token != NULL;
}

static int target_new(const char *s3_url, pkgauth_s3_target **out, pkgauth_error *err)
{
    pkgauth_s3_target *t = calloc(1, sizeof *t);
    if (!t)
        return pkgauth_oom(err);
    int rc = pkgauth_s3_url_split(s3_url, &t->bucket, &t->key, err);
    if (rc) {
        pkgauth_s3_target_free(t);
        return rc;
    }
    *out = t;
    return PKGAUTH_OK;
}

/* The URL for store lookups: s3://<bucket>/<encoded key>, which parses as a
 * URL even when the key as typed has spaces or other raw characters. */
static char *lookup_url(const pkgauth_s3_target *t)
{
    char *u = NULL;
    return asprintf(&u, "s3://%s/%s", t->bucket, t->key) < 0 ? NULL : u;
}

/* Copies the credentials (token: NULL or "" = none) and their source. */
static int set_credentials(pkgauth_s3_target *t, const char *id, const char *secret,
                           const char *token, const char *source, pkgauth_error *err)
{
    t->access_key_id = strdup(id);
    t->secret_access_key = strdup(secret);
    t->session_token = token && *token ? strdup(token) : NULL;
    t->source = strdup(source);
    if (!t->access_key_id || !t->secret_access_key || !t->source ||
        (token && *token && !t->session_token))
        return pkgauth_oom(err);
    return PKGAUTH_OK;
}

/* A region goes into a host name and the signing scope: letters, digits
 * and "-" only, so that no setting can point the request elsewhere. */
static int valid_region(const char *r)
{
    size_t n = strlen(r);
    return n && n <= 64 && strspn(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789-") == n;
}

static int set_place(pkgauth_s3_target *t, const char *region, const char *endpoint,
                     int force_path_style, pkgauth_error *err)
{
    if (region && !valid_region(region))
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid S3 region \"%.64s\"", region);
    if (!(t->region = strdup(region ? region : PKGAUTH_S3_DEFAULT_REGION)))
        return pkgauth_oom(err);
    return pkgauth_s3_map_url(t->bucket, t->key, endpoint, t->region, force_path_style,
                              &t->url, &t->path_style, err);
}

/* ---- the AWS conventions ----------------------------------------------------- */

typedef struct aws_files {
    const char *profile;
    int explicit_profile; /* AWS_PROFILE was set */
    char *paths[2];       /* credentials file, config file */
    pkgauth_aws_ini *ini[2];
} aws_files;

static const pkgauth_aws_file_kind kinds[2] = {PKGAUTH_AWS_CREDENTIALS_FILE,
                                               PKGAUTH_AWS_CONFIG_FILE};

static void aws_files_clear(aws_files *f)
{
    for (int i = 0; i < 2; i++) {
        free(f->paths[i]);
        pkgauth_aws_ini_free(f->ini[i]);
    }
}

static const char *home_dir(void)
{
    const char *h = env("HOME");
    if (!h) {
        struct passwd *pw = getpwuid(getuid());
        h = pw ? pw->pw_dir : "";
    }
    return h;
}

/* The file named by var (with "~/" expanded), else ~/<fallback>. */
static char *aws_path(const char *var, const char *fallback)
{
    const char *v = env(var);
    char *p = NULL;
    int n;
    if (v && !strncmp(v, "~/", 2))
        n = asprintf(&p, "%s/%s", home_dir(), v + 2);
    else if (v)
        n = asprintf(&p, "%s", v);
    else
        n = asprintf(&p, "%s/%s", home_dir(), fallback);
    return n < 0 ? NULL : p;
}

static int aws_files_load(aws_files *f, pkgauth_error *err)
{
    memset(f, 0, sizeof *f);
    f->profile = env("AWS_PROFILE");
    f->explicit_profile = f->profile != NULL;
    if (!f->profile)
        f->profile = "default";
    f->paths[0] = aws_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
    f->paths[1] = aws_path("AWS_CONFIG_FILE", ".aws/config");
    if (!f->paths[0] || !f->paths[1])
        return pkgauth_oom(err);
    for (int i = 0; i < 2; i++) {
        int rc = pkgauth_aws_ini_load(f->paths[i], &f->ini[i], err);
        if (rc && rc != PKGAUTH_ENOTFOUND)
            return rc;
    }
    pkgauth_error_clear(err);
    if (f->explicit_profile && !pkgauth_aws_profile_exists(f->ini[0], kinds[0], f->profile) &&
        !pkgauth_aws_profile_exists(f->ini[1], kinds[1], f->profile))
        return pkgauth_error_set(err, PKGAUTH_ENOTFOUND,
                                 "AWS profile '%.100s' (AWS_PROFILE) not found in %.150s or %.150s",
                                 f->profile, f->paths[0], f->paths[1]);
    return PKGAUTH_OK;
}

/* A profile setting: the credentials file first (as the AWS SDKs merge
 * the two files), then the config file. */
static const char *profile_value(const aws_files *f, const char *key)
{
    const char *v = pkgauth_aws_profile_get(f->ini[0], kinds[0], f->profile, key);
    return v ? v : pkgauth_aws_profile_get(f->ini[1], kinds[1], f->profile, key);
}

static int from_env(pkgauth_s3_target *t, int *found, pkgauth_error *err)
{
    const char *id = env("AWS_ACCESS_KEY_ID"), *secret = env("AWS_SECRET_ACCESS_KEY");
    *found = id && secret;
    if (!id != !secret) /* half a key pair is a mistake, not "no credentials" */
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "%s is set but %s is not",
                                 id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                                 id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    if (!*found)
        return PKGAUTH_OK;
    return set_credentials(t, id, secret, env("AWS_SESSION_TOKEN"),
                           "environment (AWS_ACCESS_KEY_ID)", err);
}

/* Credentials of the profile in file i; *found when it has them. */
static int from_file(pkgauth_s3_target *t, const aws_files *f, int i, int *found,
                     pkgauth_error *err)
{
    const char *id = pkgauth_aws_profile_get(f->ini[i], kinds[i], f->profile, "aws_access_key_id");
    const char *secret =
        pkgauth_aws_profile_get(f->ini[i], kinds[i], f->profile, "aws_secret_access_key");
    *found = id && *id && secret && *secret;
    if (!*found && ((id && *id) || (secret && *secret)))
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "AWS profile '%.100s' in %.200s has %s but no %s", f->profile,
                                 f->paths[i], id && *id ? "aws_access_key_id" : "aws_secret_access_key",
                                 id && *id ? "aws_secret_access_key" : "aws_access_key_id");
    if (!*found)
        return PKGAUTH_OK;
    char source[512];
    snprintf(source, sizeof source, "profile '%.100s' in %.300s", f->profile, f->paths[i]);
    return set_credentials(
        t, id, secret,
        pkgauth_aws_profile_get(f->ini[i], kinds[i], f->profile, "aws_session_token"), source,
        err);
}

/* What a file had to say, for the "no credentials" message. */
static const char *file_state(const aws_files *f, int i)
{
    if (!f->ini[i])
        return "no such file";
    return pkgauth_aws_profile_exists(f->ini[i], kinds[i], f->profile) ? "no keys in the profile"
                                                                        : "no such profile";
}

/* When the pkgauth store holds an S3 credential for the URL, a hint that
 * it needs s3-options to be used (pixi uses it only then). */
static void store_hint(pkgauth_store *store, const pkgauth_s3_target *t, char *hint,
                       size_t size)
{
    pkgauth_match m = {0};
    char *lookup = store ? lookup_url(t) : NULL;
    hint[0] = '\0';
    if (lookup && !pkgauth_store_find(store, lookup, &m, NULL) &&
        pkgauth_credential_method(m.credential) == PKGAUTH_METHOD_S3)
        snprintf(hint, size, "; pkgauth has %.100s stored, used only with s3-options for the "
                             "bucket", m.key);
    pkgauth_match_clear(&m);
    free(lookup);
}

static int no_aws_credentials(const pkgauth_s3_target *t, pkgauth_store *store,
                              const char *s3_url, const aws_files *f, pkgauth_error *err)
{
    char hint[200];
    store_hint(store, t, hint, sizeof hint);
    char *shown = pkgauth_url_redact(s3_url);
    pkgauth_error_set(err, PKGAUTH_ENOTFOUND,
                      "no S3 credentials for %.120s: looked in the environment "
                      "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), profile '%.60s' in %.120s "
                      "(%s) and in %.120s (%s)%s",
                      shown ? shown : "", f->profile, f->paths[0], file_state(f, 0), f->paths[1],
                      file_state(f, 1), hint);
    pkgauth_free(shown);
    return PKGAUTH_ENOTFOUND;
}

static int aws_credentials(pkgauth_s3_target *t, pkgauth_store *store, const char *s3_url,
                           const aws_files *f, pkgauth_error *err)
{
    int found = 0;
    int rc = from_env(t, &found, err);
    for (int i = 0; !rc && !found && i < 2; i++)
        rc = from_file(t, f, i, &found, err);
    if (!rc && !found)
        rc = no_aws_credentials(t, store, s3_url, f, err);
    return rc;
}

/* Region and endpoint (the AWS SDKs' order), then the URL. */
static int aws_place(pkgauth_s3_target *t, const aws_files *f, pkgauth_error *err)
{
    const char *region = env("AWS_REGION");
    if (!region)
        region = env("AWS_DEFAULT_REGION");
    if (!region || !*region)
        region = profile_value(f, "region");
    const char *endpoint = env("AWS_ENDPOINT_URL_S3");
    if (!endpoint)
        endpoint = env("AWS_ENDPOINT_URL");
    if (!endpoint)
        endpoint = profile_value(f, "endpoint_url");
    const char *style = profile_value(f, "s3.addressing_style");
    return set_place(t, region && *region ? region : NULL, endpoint && *endpoint ? endpoint : NULL,
                     style && !strcasecmp(style, "path"), err);
}

/* ---- s3-options and the pkgauth store ------------------------------------------ */

static int options_place(pkgauth_s3_target *t, const pkgauth_s3_options *o, pkgauth_error *err)
{
    return set_place(t, o->region && *o->region ? o->region : NULL,
                     o->endpoint_url && *o->endpoint_url ? o->endpoint_url : NULL,
                     o->force_path_style == 1, err);
}

static int not_in_store(pkgauth_store *store, const char *s3_url, const pkgauth_match *m,
                        pkgauth_error *err)
{
    char *shown = pkgauth_url_redact(s3_url);
    char other[160] = "";
    if (m->credential)
        snprintf(other, sizeof other, " (%.80s holds %s credentials, which cannot sign S3 "
                                      "requests)",
                 m->key, pkgauth_method_name(pkgauth_credential_method(m->credential)));
    char stores[200] = "";
    for (size_t i = 0, n = store ? pkgauth_store_backend_count(store) : 0; i < n; i++)
        snprintf(stores + strlen(stores), sizeof stores - strlen(stores), "%s%s", i ? ", " : "",
                 pkgauth_store_backend_name(store, i));
    pkgauth_error_set(err, PKGAUTH_ENOTFOUND,
                      "no S3 credentials for %.120s in pkgauth's store (%s)%s; the bucket has "
                      "s3-options, so the AWS environment is not used: log in with 'pkgauth "
                      "login s3://<bucket> --s3-access-key-id ...'",
                      shown ? shown : "", *stores ? stores : "empty", other);
    pkgauth_free(shown);
    return PKGAUTH_ENOTFOUND;
}

static int store_credentials(pkgauth_s3_target *t, pkgauth_store *store, const char *s3_url,
                             pkgauth_error *err)
{
    pkgauth_match m = {0};
    char *lookup = lookup_url(t);
    if (!lookup)
        return pkgauth_oom(err);
    int rc = store ? pkgauth_store_find(store, lookup, &m, err) : PKGAUTH_ENOTFOUND;
    free(lookup);
    if (rc && rc != PKGAUTH_ENOTFOUND)
        return rc;
    const pkgauth_credential *c = m.credential;
    if (rc || pkgauth_credential_method(c) != PKGAUTH_METHOD_S3) {
        rc = not_in_store(store, s3_url, &m, err);
        pkgauth_match_clear(&m);
        return rc;
    }
    char source[300];
    snprintf(source, sizeof source, "%.100s in %.190s", m.key, m.backend);
    rc = set_credentials(t, pkgauth_credential_access_key_id(c),
                         pkgauth_credential_secret_access_key(c),
                         pkgauth_credential_session_token(c), source, err);
    if (!rc && !(t->store_key = strdup(m.key)))
        rc = pkgauth_oom(err);
    pkgauth_match_clear(&m);
    return rc;
}

/* ---- resolving ------------------------------------------------------------------ */

static int resolve(pkgauth_store *store, const pkgauth_credential *cred,
                   const pkgauth_s3_options *options, const char *s3_url,
                   pkgauth_s3_target **out, pkgauth_error *err)
{
    pkgauth_s3_target *t = NULL;
    aws_files f = {0};
    *out = NULL;
    if (options && pkgauth_options_version(options->version, PKGAUTH_S3_OPTIONS_VERSION,
                                           "pkgauth_s3_options", err))
        return PKGAUTH_EINVAL;
    int rc = target_new(s3_url, &t, err);
    if (!rc && (!options || !cred))
        rc = options ? store_credentials(t, store, s3_url, err) : aws_files_load(&f, err);
    if (!rc && cred)
        rc = set_credentials(t, pkgauth_credential_access_key_id(cred),
                             pkgauth_credential_secret_access_key(cred),
                             pkgauth_credential_session_token(cred), "the given credential", err);
    else if (!rc && !options)
        rc = aws_credentials(t, store, s3_url, &f, err);
    if (!rc)
        rc = options ? options_place(t, options, err) : aws_place(t, &f, err);
    aws_files_clear(&f);
    if (rc)
        pkgauth_s3_target_free(t);
    else
        *out = t;
    return rc;
}

int pkgauth_s3_target_resolve(pkgauth_store *store, const pkgauth_s3_options *options,
                              const char *s3_url, pkgauth_s3_target **out, pkgauth_error *err)
{
    if (!out)
        return missing(err, "s3_target_resolve: out");
    *out = NULL;
    if (options && !store) /* s3-options take the credential from the store */
        return missing(err, "s3_target_resolve: a store (with s3-options)");
    return resolve(store, NULL, options, s3_url, out, err);
}

int pkgauth_s3_target_for_credential(const pkgauth_credential *cred,
                                     const pkgauth_s3_options *options, const char *s3_url,
                                     pkgauth_s3_target **out, pkgauth_error *err)
{
    if (!out)
        return missing(err, "s3_target_for_credential: out");
    *out = NULL;
    if (!cred || pkgauth_credential_method(cred) != PKGAUTH_METHOD_S3)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "an S3 URL needs S3 credentials");
    return resolve(NULL, cred, options, s3_url, out, err);
}

/* ---- presigning ------------------------------------------------------------------- */

static int valid_method(const char *m)
{
    return m && (!strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "PUT"));
}

static int method_error(const char *method, pkgauth_error *err)
{
    return pkgauth_error_set(err, PKGAUTH_EINVAL,
                             "S3 presigning supports GET, HEAD and PUT, not %.20s",
                             method ? method : "(none)");
}

int pkgauth_s3_target_presign(pkgauth_s3_target *t, const char *method, long expires,
                              time_t when, char **url, pkgauth_error *err)
{
    if (!url)
        return missing(err, "s3_target_presign: url");
    *url = NULL;
    if (!t)
        return missing(err, "s3_target_presign: target");
    if (!valid_method(method))
        return method_error(method, err);
    if (!expires)
        expires = PKGAUTH_S3_DEFAULT_EXPIRES;
    if (expires < 1 || expires > PKGAUTH_S3_MAX_EXPIRES)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "expiry must be 1 to %ld seconds, not %ld",
                                 PKGAUTH_S3_MAX_EXPIRES, expires);
    if (!t->signer) {
        int rc = pkgauth_sigv4_signer_new(&t->signer, err);
        if (rc)
            return rc;
    }
    pkgauth_sigv4_params p = {
        .region = t->region,
        .service = "s3",
        .access_key_id = t->access_key_id,
        .secret_access_key = t->secret_access_key,
        .session_token = t->session_token,
        .when = when,
        .expires = expires,
        .uri_rules = PKGAUTH_SIGV4_URI_S3,
    };
    int rc = pkgauth_sigv4_presign_url(t->signer, &p, method, t->url, url, err);
    if (!rc && !pkgauth_wire_safe(*url)) { /* never a request line with a line break */
        pkgauth_free(*url);
        *url = NULL;
        rc = pkgauth_error_set(err, PKGAUTH_EINVAL, "S3: the presigned URL would contain a "
                               "line break");
    }
    return rc;
}

int pkgauth_s3_presign(pkgauth_store *store, const pkgauth_s3_options *options,
                       const char *method, const char *s3_url, long expires, char **https_url,
                       pkgauth_error *err)
{
    pkgauth_s3_target *t = NULL;
    if (!https_url)
        return missing(err, "s3_presign: https_url");
    *https_url = NULL;
    if (!valid_method(method)) /* before anything is looked up */
        return method_error(method, err);
    int rc = pkgauth_s3_target_resolve(store, options, s3_url, &t, err);
    if (!rc)
        rc = pkgauth_s3_target_presign(t, method, expires, 0, https_url, err);
    pkgauth_s3_target_free(t);
    return rc;
}

int pkgauth_s3_presign_configured(pkgauth_store *store, const pkgauth_config *config,
                                  const char *method, const char *s3_url, long expires,
                                  char **https_url, pkgauth_error *err)
{
    pkgauth_config *loaded = NULL;
    char *bucket = NULL;
    pkgauth_s3_options o;
    if (!https_url)
        return missing(err, "s3_presign_configured: https_url");
    *https_url = NULL;
    int rc = pkgauth_s3_url_bucket(s3_url, &bucket, err);
    if (!rc && !config && !(rc = pkgauth_config_load(&loaded, NULL, err)))
        config = loaded;
    if (!rc) {
        int has = !pkgauth_config_s3_options(config, bucket, &o);
        rc = pkgauth_s3_presign(store, has ? &o : NULL, method, s3_url, expires, https_url, err);
    }
    pkgauth_config_free(loaded);
    pkgauth_free(bucket);
    return rc;
}

/* ---- S3 error bodies ------------------------------------------------------------------ */

#define ERROR_SCAN_MAX (64 * 1024)

static const char *find_bytes(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (!memcmp(hay + i, needle, k))
            return hay + i;
    return NULL;
}

/* The five predefined XML entities; others are copied as they are. */
static size_t entity(const char *s, size_t n, char *c)
{
    static const struct { const char *name; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    for (size_t i = 0; i < sizeof ents / sizeof *ents; i++) {
        size_t k = strlen(ents[i].name);
        if (n >= k && !memcmp(s, ents[i].name, k)) {
            *c = ents[i].c;
            return k;
        }
    }
    *c = '&';
    return 1;
}

/* Text of the first <name>...</name> into out; 1 when found. */
static int element(const char *body, size_t n, const char *name, char *out, size_t size)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", name);
    snprintf(close, sizeof close, "</%s>", name);
    if (size)
        out[0] = '\0';
    const char *start = find_bytes(body, n, open);
    if (!start)
        return 0;
    start += strlen(open);
    const char *end = find_bytes(start, n - (size_t)(start - body), close);
    if (!end)
        return 0;
    size_t o = 0;
    for (const char *p = start; p < end && o + 1 < size;) {
        char c = *p;
        p += c == '&' ? entity(p, (size_t)(end - p), &c) : 1;
        out[o++] = (unsigned char)c < 0x20 || c == 0x7f ? ' ' : c;
    }
    if (size)
        out[o] = '\0';
    return 1;
}

int pkgauth_s3_error_parse(const char *body, size_t len, char *code, size_t code_size,
                           char *message, size_t message_size)
{
    code_size = code ? code_size : 0; /* no buffer: nothing written */
    message_size = message ? message_size : 0;
    if (len > ERROR_SCAN_MAX)
        len = ERROR_SCAN_MAX;
    if (!body)
        len = 0;
    int found = element(body ? body : "", len, "Code", code, code_size);
    if (!found) {
        if (message_size)
            message[0] = '\0';
        return 0;
    }
    element(body, len, "Message", message, message_size);
    return 1;
}
