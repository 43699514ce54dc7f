/* SigV4: the AWS signing test suite (v4/, both forms), the S3 presign
 * documentation example, session tokens, URI rules and argument errors. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "shared_data.h"
#include <jansson.h>

#include "sigv4.h"

#define S3_KEY "AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
/* The session-token presign below, as computed by two independent
 * implementations (npm @smithy/signature-v4 5.7.5 and aws4 1.13.2). */
#define SESSION_TOKEN_SIGNATURE \
    "0fa6a5d7fe06186d111fedaf809e638f293f1d5b7fce4334d5fcb2b015b91afe"

/* ------------------------------------------------------------------ */
/* Small file helpers.                                                  */

/* dir/name into out; false when it does not fit. */
static int join_path(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    return n > 0 && (size_t)n < size;
}

static char *read_file(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    FILE *f = join_path(path, sizeof path, dir, name) ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0)
        buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[size] = '\0';
    if (len)
        *len = (size_t)size;
    return buf;
}

static const char *suite_dir(char *buf, size_t size)
{
    const char *shared = getenv("PKGAUTH_SHARED_DIR");
    snprintf(buf, size, "%s/testdata/sigv4/v4",
             shared && *shared ? shared : "../shared");
    DIR *d = opendir(buf);
    if (!d)
        return NULL;
    closedir(d);
    return buf;
}

/* ------------------------------------------------------------------ */
/* request.txt: "METHOD PATH HTTP/1.1", header lines (a line starting with
 * whitespace continues the previous value), a blank line, the body.     */

typedef struct parsed_request {
    char *text; /* owns every string below */
    char *method, *path, *body;
    size_t body_len;
    pkgauth_sigv4_header headers[32];
    size_t n_headers;
    char url[2048];
} parsed_request;

static int parse_request_line(parsed_request *r, char *line)
{
    char *sp = strchr(line, ' ');
    char *proto = strstr(line, " HTTP/");
    if (!sp || !proto || proto < sp)
        return 0;
    *sp = '\0';
    *proto = '\0';
    r->method = line;
    r->path = sp + 1; /* may contain spaces: "/example space/" */
    return 1;
}

static int parse_header_line(parsed_request *r, char *line)
{
    if ((line[0] == ' ' || line[0] == '\t') && r->n_headers > 0) {
        /* Obsolete line folding: the value continues; keep the newline
         * so the signer's whitespace folding is what gets tested. */
        char *prev = (char *)r->headers[r->n_headers - 1].value;
        size_t n = strlen(prev);
        memmove(prev + n + 1, line, strlen(line) + 1);
        prev[n] = '\n';
        return 1;
    }
    char *colon = strchr(line, ':');
    if (!colon || r->n_headers == sizeof r->headers / sizeof *r->headers)
        return 0;
    *colon = '\0';
    r->headers[r->n_headers].name = line;
    r->headers[r->n_headers].value = colon + 1;
    r->n_headers++;
    return 1;
}

static const char *header_value(const parsed_request *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

/* Splits the text in place: lines are NUL-terminated where they stand,
 * so folded values can grow into the space their "\n" left behind. */
static int parse_request(parsed_request *r, const char *dir)
{
    memset(r, 0, sizeof *r);
    size_t len = 0;
    r->text = read_file(dir, "request.txt", &len);
    if (!r->text)
        return 0;
    char *p = r->text, *end = r->text + len;
    char *nl = strchr(p, '\n');
    if (!nl)
        return 0;
    *nl = '\0';
    if (!parse_request_line(r, p))
        return 0;
    for (p = nl + 1; p < end; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl) /* last header without a newline */
            nl = end;
        *nl = '\0';
        if (*p == '\0') {
            r->body = nl + 1 <= end ? nl + 1 : end;
            r->body_len = (size_t)(end - r->body);
            break;
        }
        if (!parse_header_line(r, p))
            return 0;
    }
    const char *host = header_value(r, "host");
    if (!host)
        return 0;
    snprintf(r->url, sizeof r->url, "https://%s%s", host, r->path);
    return 1;
}

/* ------------------------------------------------------------------ */
/* context.json.                                                        */

typedef struct suite_context {
    json_t *root;
    pkgauth_sigv4_params params;
    int sign_body;
    char amz_date[17];
} suite_context;

static int parse_context(suite_context *c, const char *dir)
{
    char path[4096];
    memset(c, 0, sizeof *c);
    if (join_path(path, sizeof path, dir, "context.json"))
        c->root = json_load_file(path, 0, NULL);
    if (!c->root)
        return 0;
    json_t *cred = json_object_get(c->root, "credentials");
    pkgauth_sigv4_params *p = &c->params;
    p->access_key_id = json_string_value(json_object_get(cred, "access_key_id"));
    p->secret_access_key =
        json_string_value(json_object_get(cred, "secret_access_key"));
    p->session_token = json_string_value(json_object_get(cred, "token"));
    p->region = json_string_value(json_object_get(c->root, "region"));
    p->service = json_string_value(json_object_get(c->root, "service"));
    p->expires = (long)json_integer_value(
        json_object_get(c->root, "expiration_in_seconds"));
    p->uri_rules = json_is_false(json_object_get(c->root, "normalize"))
                       ? PKGAUTH_SIGV4_URI_GENERAL_UNNORMALIZED
                       : PKGAUTH_SIGV4_URI_GENERAL;
    if (json_is_true(json_object_get(c->root, "omit_session_token")))
        p->flags |= PKGAUTH_SIGV4_OMIT_SESSION_TOKEN;
    c->sign_body = json_is_true(json_object_get(c->root, "sign_body"));
    /* "2015-08-30T12:36:00Z" -> "20150830T123600Z" */
    const char *ts = json_string_value(json_object_get(c->root, "timestamp"));
    if (!ts || strlen(ts) != 20)
        return 0;
    snprintf(c->amz_date, sizeof c->amz_date, "%.4s%.2s%.2sT%.2s%.2s%.2sZ",
             ts, ts + 5, ts + 8, ts + 11, ts + 14, ts + 17);
    return p->access_key_id && p->secret_access_key && p->region &&
           p->service;
}

static time_t amz_date_to_time(const char *d)
{
    struct tm tm = {0};
    sscanf(d, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
           &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* ------------------------------------------------------------------ */
/* One suite case in one form.                                          */

static int same_text(const char *dir, const char *file, const char *got,
                     const char *what)
{
    char *want = read_file(dir, file, NULL);
    int ok = want && strcmp(want, got) == 0;
    if (!ok)
        fprintf(stderr, "  %s: %s differs\n--- want\n%s\n--- got\n%s\n", dir,
                what, want ? want : "(missing)", got);
    free(want);
    return ok;
}

static int check_form(pkgauth_sigv4_signer *signer, const char *dir,
                      const char *prefix, suite_context *c,
                      const parsed_request *r)
{
    int query = strcmp(prefix, "query") == 0;
    pkgauth_sigv4_params p = c->params;
    pkgauth_sigv4_request req = {
        .method = r->method, .url = r->url, .headers = r->headers,
        .n_headers = r->n_headers, .body = r->body, .body_len = r->body_len};
    /* Exercise both ways of giving the signing time. */
    if (query)
        p.amz_date = c->amz_date;
    else
        p.when = amz_date_to_time(c->amz_date);
    if (c->sign_body && !query)
        p.flags |= PKGAUTH_SIGV4_CONTENT_SHA256_HEADER;
    pkgauth_sigv4_result res = {0};
    pkgauth_error err = {0};
    int rc = query ? pkgauth_sigv4_presign(signer, &p, &req, &res, &err)
                   : pkgauth_sigv4_sign_headers(signer, &p, &req, &res, &err);
    if (rc) {
        fprintf(stderr, "  %s (%s): error %d: %s\n", dir, prefix, rc,
                err.message);
        return 0;
    }
    char file[64];
    snprintf(file, sizeof file, "%s-canonical-request.txt", prefix);
    int ok = same_text(dir, file, res.canonical_request, "canonical request");
    snprintf(file, sizeof file, "%s-string-to-sign.txt", prefix);
    ok &= same_text(dir, file, res.string_to_sign, "string to sign");
    snprintf(file, sizeof file, "%s-signature.txt", prefix);
    ok &= same_text(dir, file, res.signature, "signature");
    pkgauth_sigv4_result_free(&res);
    return ok;
}

static void test_suite_v4(void **state)
{
    (void)state;
    char root[4096];
    if (!suite_dir(root, sizeof root)) {
        skip_without_shared("skipped: %s absent\n", root);
    }
    DIR *d = opendir(root);
    assert_non_null(d);
    pkgauth_sigv4_signer *signer = NULL;
    assert_int_equal(pkgauth_sigv4_signer_new(&signer, NULL), PKGAUTH_OK);
    int total = 0, header_ok = 0, query_ok = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        char dir[4096];
        if (!join_path(dir, sizeof dir, root, ent->d_name))
            continue;
        parsed_request r;
        suite_context c;
        int parsed = parse_request(&r, dir) && parse_context(&c, dir);
        if (!parsed)
            fprintf(stderr, "  %s: cannot parse the case\n", dir);
        total++;
        header_ok += parsed && check_form(signer, dir, "header", &c, &r);
        query_ok += parsed && check_form(signer, dir, "query", &c, &r);
        free(r.text);
        json_decref(c.root);
    }
    closedir(d);
    pkgauth_sigv4_signer_free(signer);
    printf("sigv4 v4 suite: %d/%d header, %d/%d query\n", header_ok, total,
           query_ok, total);
    assert_true(total > 0);
    assert_int_equal(header_ok, total);
    assert_int_equal(query_ok, total);
}

/* ------------------------------------------------------------------ */
/* AWS documentation examples.                                          */

static pkgauth_sigv4_params s3_doc_params(void)
{
    pkgauth_sigv4_params p = {
        .region = "us-east-1", .service = "s3", .access_key_id = S3_KEY,
        .secret_access_key = S3_SECRET, .amz_date = "20130524T000000Z",
        .expires = 86400};
    return p;
}

/* https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html */
static void test_s3_presign_doc_example(void **state)
{
    (void)state;
    static const char want_sig[] =
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    static const char want_creq[] =
        "GET\n/test.txt\n"
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
        "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
        "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n"
        "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD";
    pkgauth_sigv4_signer *signer = NULL;
    assert_int_equal(pkgauth_sigv4_signer_new(&signer, NULL), PKGAUTH_OK);
    pkgauth_sigv4_params p = s3_doc_params();
    pkgauth_sigv4_request req = {
        .method = "GET", .url = "https://examplebucket.s3.amazonaws.com/test.txt"};
    pkgauth_sigv4_result res = {0};
    assert_int_equal(pkgauth_sigv4_presign(signer, &p, &req, &res, NULL),
                     PKGAUTH_OK);
    assert_string_equal(res.canonical_request, want_creq);
    assert_string_equal(res.signature, want_sig);
    assert_non_null(strstr(res.url, "&X-Amz-Signature=" "aeeed9bb"));
    assert_int_equal(strncmp(res.url,
                             "https://examplebucket.s3.amazonaws.com/test.txt?"
                             "X-Amz-Algorithm=AWS4-HMAC-SHA256&",
                             76),
                     0);
    pkgauth_sigv4_result_free(&res);

    /* The same signature from the parsed form, the time as a time_t, and
     * the URL convenience function. */
    p.amz_date = NULL;
    p.when = 1369353600; /* 2013-05-24T00:00:00Z */
    pkgauth_sigv4_request fast = {.method = "GET",
                                  .host = "examplebucket.s3.amazonaws.com",
                                  .path = "/test.txt"};
    const char *url = NULL;
    size_t url_len = 0;
    assert_int_equal(
        pkgauth_sigv4_presign_fast(signer, &p, &fast, &url, &url_len, NULL),
        PKGAUTH_OK);
    assert_int_equal(strlen(url), url_len);
    assert_string_equal(url + url_len - 64, want_sig);
    char *conv = NULL;
    assert_int_equal(pkgauth_sigv4_presign_url(signer, &p, "GET",
                                               "https://examplebucket.s3."
                                               "amazonaws.com:443/test.txt",
                                               &conv, NULL),
                     PKGAUTH_OK);
    assert_string_equal(conv + strlen(conv) - 64, want_sig);
    free(conv);
    pkgauth_sigv4_signer_free(signer);
}

/* The S3 header-auth GET example from the same documentation set:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html */
static void test_s3_header_doc_example(void **state)
{
    (void)state;
    pkgauth_sigv4_signer *signer = NULL;
    assert_int_equal(pkgauth_sigv4_signer_new(&signer, NULL), PKGAUTH_OK);
    pkgauth_sigv4_params p = s3_doc_params();
    p.flags = PKGAUTH_SIGV4_CONTENT_SHA256_HEADER;
    pkgauth_sigv4_header range = {"Range", "bytes=0-9"};
    pkgauth_sigv4_request req = {
        .method = "GET", .url = "https://examplebucket.s3.amazonaws.com/test.txt",
        .headers = &range, .n_headers = 1};
    pkgauth_sigv4_result res = {0};
    assert_int_equal(pkgauth_sigv4_sign_headers(signer, &p, &req, &res, NULL),
                     PKGAUTH_OK);
    assert_string_equal(
        res.authorization,
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/"
        "s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;"
        "x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48d"
        "d91039c6036bdb41");
    assert_string_equal(res.payload_hash,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
                        "7852b855");
    pkgauth_sigv4_result_free(&res);
    pkgauth_sigv4_signer_free(signer);
}

/* https://docs.aws.amazon.com/general/latest/gr/sigv4-calculate-signature.html */
static void test_signing_key_vector(void **state)
{
    (void)state;
    unsigned char key[32];
    assert_int_equal(pkgauth_sigv4_signing_key(
                         "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                         "us-east-1", "iam", key, NULL),
                     PKGAUTH_OK);
    static const unsigned char want[32] = {
        0xf4, 0x78, 0x0e, 0x2d, 0x9f, 0x65, 0xfa, 0x89, 0x5f, 0x9c, 0x67,
        0xb3, 0x2c, 0xe1, 0xba, 0xf0, 0xb0, 0xd8, 0xa4, 0x35, 0x05, 0xa0,
        0x00, 0xa1, 0xa9, 0xe0, 0x90, 0xd4, 0x14, 0xdb, 0x40, 0x4d};
    assert_memory_equal(key, want, 32);
}

/* ------------------------------------------------------------------ */
/* Session tokens, URI rules, cache, errors.                            */

static void test_session_token_presign(void **state)
{
    (void)state;
    static const char token[] = "FQoGZXIvYXdz/token+with=chars";
    pkgauth_sigv4_signer *signer = NULL;
    assert_int_equal(pkgauth_sigv4_signer_new(&signer, NULL), PKGAUTH_OK);
    pkgauth_sigv4_params p = s3_doc_params();
    p.session_token = token;
    pkgauth_sigv4_request req = {.method = "GET",
                                 .url = "http://127.0.0.1:9000/bucket/key.bin"};
    pkgauth_sigv4_result res = {0};
    assert_int_equal(pkgauth_sigv4_presign(signer, &p, &req, &res, NULL),
                     PKGAUTH_OK);
    /* Signed, encoded, and sorted between X-Amz-Expires and -SignedHeaders. */
    assert_non_null(strstr(res.canonical_request,
                           "&X-Amz-Expires=86400&X-Amz-Security-Token="
                           "FQoGZXIvYXdz%2Ftoken%2Bwith%3Dchars"
                           "&X-Amz-SignedHeaders=host\n"));
    assert_non_null(strstr(res.canonical_request, "\nhost:127.0.0.1:9000\n"));
    assert_non_null(strstr(res.url, "X-Amz-Security-Token=FQoGZXIvYXdz%2F"));
    assert_int_equal(strncmp(res.url, "http://127.0.0.1:9000/bucket/key.bin?", 37),
                     0);
    assert_string_equal(res.signature, SESSION_TOKEN_SIGNATURE);
    char *with_token = strdup(res.signature);
    pkgauth_sigv4_result_free(&res);

    /* Omitted from the signature, yet still carried by the URL. */
    p.flags = PKGAUTH_SIGV4_OMIT_SESSION_TOKEN;
    assert_int_equal(pkgauth_sigv4_presign(signer, &p, &req, &res, NULL),
                     PKGAUTH_OK);
    assert_null(strstr(res.canonical_request, "Security-Token"));
    assert_non_null(strstr(res.url, "X-Amz-Security-Token=FQoGZXIvYXdz%2F"));
    assert_string_not_equal(res.signature, with_token);
    free(with_token);
    pkgauth_sigv4_result_free(&res);
    pkgauth_sigv4_signer_free(signer);
}

/* A caller's query is merged and sorted with the presign parameters. */
static void test_presign_with_query(void **state)
{
    (void)state;
    pkgauth_sigv4_signer *signer = NULL;
    assert_int_equal(pkgauth_sigv4_signer_new(&signer, NULL), PKGAUTH_OK);
    pkgauth_sigv4_params p = s3_doc_params();
    pkgauth_sigv4_request req = {
        .method = "GET",
        .url = "https://examplebucket.s3.amazonaws.com/photos/a%20b.jpg"
               "?versionId=3%2F4&response-content-type=text%2Fplain&acl"};
    pkgauth_sigv4_result res = {0};
    assert_int_equal(pkgauth_sigv4_presign(signer, &p, &req, &res, NULL),
                     PKGAUTH_OK);
    assert_non_null(strstr(res.canonical_request,
                           "\n/photos/a%20b.jpg\nX-Amz-Algorithm="));
    assert_non_null(strstr(res.canonical_request,
                           "&X-Amz-SignedHeaders=host&acl=&response-content-"
                           "type=text%2Fplain&versionId=3%2F4\n"));
    /* Independent value: npm aws4 1.13.2 signing the same request. */
    assert_string_equal(
        res.signature,
        "c45b7e7d40883db37bc276c43953236064b8e0c18a0653d7623046ed3f652275");
    pkgauth_sigv4_result_free(&res);
    pkgauth_sigv4_signer_free(signer);
}

/* Returns the canonical URI (second line of the canonical request). */
static char *canonical_uri(pkgauth_sigv4_signer *signer, const char *service,
                           pkgauth_sigv4_uri_rules rules, const char *path)
{
    pkgauth_sigv4_params p = s3_doc_params();
    p.service = service;
    p.uri_rules = rules;
    pkgauth_sigv4_request req = {.method = "GET", .host = "h", .path = path};
    pkgauth_sigv4_result res = {0};
    assert_int_equal(pkgauth_sigv4_sign_headers(signer, &p, &req, &res, NULL),
                     PKGAUTH_OK);
    char *start = strchr(res.canonical_request, '\n') + 1;
    char *uri = strndup(start, (size_t)(strchr(start, '\n') - start));
    pkgauth_sigv4_result_free(&res);
    return uri;
}

static void expect_uri(pkgauth_sigv4_signer *signer, const char *service,
                       pkgauth_sigv4_uri_rules rules, const char *path,
                       const char *want)
{
    char *got = canonical_uri(signer, service, rules, path);
    assert_string_equal(got, want);
    free(got);
}

static void test_uri_rules(void **state)
{
    (void)state;
    pkgauth_sigv4_signer *s = NULL;
    assert_int_equal(pkgauth_sigv4_signer_new(&s, NULL), PKGAUTH_OK);
    /* S3: encoded once, dots and double slashes kept. */
    expect_uri(s, "s3", PKGAUTH_SIGV4_URI_AUTO, "/b/a%20b/c+d/./x//y",
               "/b/a%20b/c%2Bd/./x//y");
    expect_uri(s, "s3", PKGAUTH_SIGV4_URI_AUTO, "/b/\xe1\x88\xb4 (1).txt",
               "/b/%E1%88%B4%20%281%29.txt");
    /* General: normalised, then encoded again ("%" -> "%25"). */
    expect_uri(s, "execute-api", PKGAUTH_SIGV4_URI_AUTO, "/a/./b/../c//d%20e",
               "/a/c/d%2520e");
    expect_uri(s, "execute-api", PKGAUTH_SIGV4_URI_AUTO, "/a/b/..", "/a/");
    expect_uri(s, "execute-api", PKGAUTH_SIGV4_URI_AUTO, "/../..", "/");
    expect_uri(s, "execute-api", PKGAUTH_SIGV4_URI_GENERAL_UNNORMALIZED,
               "/a/./b", "/a/./b");
    expect_uri(s, "s3", PKGAUTH_SIGV4_URI_GENERAL, "/a//b", "/a/b");
    pkgauth_sigv4_signer_free(s);
}

static void test_key_cache_follows_inputs(void **state)
{
    (void)state;
    pkgauth_sigv4_signer *s = NULL;
    assert_int_equal(pkgauth_sigv4_signer_new(&s, NULL), PKGAUTH_OK);
    pkgauth_sigv4_params p = s3_doc_params();
    pkgauth_sigv4_request req = {.method = "GET", .host = "h", .path = "/k"};
    char sig[4][65];
    const char *url;
    const char *secrets[4] = {S3_SECRET, "other", S3_SECRET, S3_SECRET};
    const char *regions[4] = {"us-east-1", "us-east-1", "eu-west-1",
                              "us-east-1"};
    for (int i = 0; i < 4; i++) {
        p.secret_access_key = secrets[i];
        p.region = regions[i];
        assert_int_equal(pkgauth_sigv4_presign_fast(s, &p, &req, &url, NULL, NULL),
                         PKGAUTH_OK);
        memcpy(sig[i], url + strlen(url) - 64, 65);
    }
    assert_string_not_equal(sig[0], sig[1]);
    assert_string_not_equal(sig[0], sig[2]);
    assert_string_equal(sig[0], sig[3]); /* back to the first inputs */
    pkgauth_sigv4_signer_free(s);
}

static void test_errors(void **state)
{
    (void)state;
    pkgauth_sigv4_signer *s = NULL;
    assert_int_equal(pkgauth_sigv4_signer_new(&s, NULL), PKGAUTH_OK);
    pkgauth_sigv4_params p = s3_doc_params();
    pkgauth_sigv4_request req = {.method = "GET", .url = "https://h/k"};
    pkgauth_sigv4_result res = {0};
    pkgauth_error err = {0};

    p.amz_date = "2013-05-24T00:00:00Z";
    assert_int_equal(pkgauth_sigv4_presign(s, &p, &req, &res, &err),
                     PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "amz_date"));
    p = s3_doc_params();
    p.expires = PKGAUTH_SIGV4_MAX_EXPIRES + 1;
    assert_int_equal(pkgauth_sigv4_presign(s, &p, &req, &res, &err),
                     PKGAUTH_EINVAL);
    p = s3_doc_params();
    p.secret_access_key = "";
    assert_int_equal(pkgauth_sigv4_presign(s, &p, &req, &res, &err),
                     PKGAUTH_EINVAL);
    p = s3_doc_params();
    req.url = "not a url";
    assert_int_equal(pkgauth_sigv4_presign(s, &p, &req, &res, &err),
                     PKGAUTH_EINVAL);
    req.url = "https://h/k?X-Amz-Signature=00";
    assert_int_equal(pkgauth_sigv4_presign(s, &p, &req, &res, &err),
                     PKGAUTH_EINVAL);
    req.url = "https://h/k?a=1&X-Amz-Expires=60";
    assert_int_equal(pkgauth_sigv4_presign(s, &p, &req, &res, &err),
                     PKGAUTH_EINVAL);
    assert_non_null(strstr(err.message, "X-Amz-Expires"));
    assert_null(res.url);
    pkgauth_sigv4_signer_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_v4),
        cmocka_unit_test(test_s3_presign_doc_example),
        cmocka_unit_test(test_s3_header_doc_example),
        cmocka_unit_test(test_signing_key_vector),
        cmocka_unit_test(test_session_token_presign),
        cmocka_unit_test(test_presign_with_query),
        cmocka_unit_test(test_uri_rules),
        cmocka_unit_test(test_key_cache_follows_inputs),
        cmocka_unit_test(test_errors),
    };
    return shared_data_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
