/* The one URL type (src/lib/url.c, url_internal.h): the parts of many URLs,
 * IPv6 hosts, ports, user info, the literal s3:// split, the refusal of
 * ambiguous authorities, and writing a URL back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pkgauth/pkgauth.h"
#include "url_internal.h"

/* NULL-safe string comparison for optional parts. */
static void same(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

typedef struct {
    const char *url;
    const char *scheme, *host, *port, *port_eff, *path, *query, *fragment, *user, *password;
} parts_case;

static void parts_of_urls(void **state)
{
    (void)state;
    static const parts_case cases[] = {
        {"https://Repo.Example.COM/c/noarch/repodata.json", "https", "repo.example.com", NULL,
         "443", "/c/noarch/repodata.json", NULL, NULL, NULL, NULL},
        {"HTTP://host:8080/a?x=1&y=2#frag", "http", "host", "8080", "8080", "/a", "x=1&y=2",
         "frag", NULL, NULL},
        {"http://host", "http", "host", NULL, "80", "/", NULL, NULL, NULL, NULL},
        {"https://host:443/", "https", "host", NULL, "443", "/", NULL, NULL, NULL, NULL},
        {"http://host:443/", "http", "host", "443", "443", "/", NULL, NULL, NULL, NULL},
        {"https://[::1]:8443/x", "https", "[::1]", "8443", "8443", "/x", NULL, NULL, NULL, NULL},
        {"https://[2001:DB8::A]/", "https", "[2001:db8::a]", NULL, "443", "/", NULL, NULL, NULL,
         NULL},
        {"http://127.0.0.1:9000/b", "http", "127.0.0.1", "9000", "9000", "/b", NULL, NULL, NULL,
         NULL},
        /* user info: percent-decoded; '@' in the password only encoded */
        {"https://alice:p%40ss%3Aw@pypi.example.com/simple/", "https", "pypi.example.com", NULL,
         "443", "/simple/", NULL, NULL, "alice", "p@ss:w"},
        {"https://bob@Host/", "https", "host", NULL, "443", "/", NULL, NULL, "bob", NULL},
        {"https://%E2%82%AC:x@host/", "https", "host", NULL, "443", "/", NULL, NULL,
         "\xe2\x82\xac", "x"},
        /* a scheme libcurl does not speak: no default port */
        {"git+https://Host:1/x", "git+https", "host", "1", "1", "/x", NULL, NULL, NULL, NULL},
        {"oci://ghcr.io/ns", "oci", "ghcr.io", NULL, NULL, "/ns", NULL, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const parts_case *c = &cases[i];
        pkgauth_net_url u;
        pkgauth_error err = {0};
        print_message("%s\n", c->url);
        assert_int_equal(pkgauth_net_url_parse(&u, c->url, 0, &err), PKGAUTH_OK);
        same(u.scheme, c->scheme);
        same(u.host, c->host);
        same(u.port, c->port);
        same(u.port_eff, c->port_eff);
        same(u.path, c->path);
        same(u.query, c->query);
        same(u.fragment, c->fragment);
        same(u.user, c->user);
        same(u.password, c->password);
        assert_null(u.bucket);
        assert_null(u.key);
        pkgauth_net_url_dispose(&u);
        assert_null(u.host); /* disposed and zeroed */
    }
}

/* The lookup's path reads only the host. */
static void host_only(void **state)
{
    (void)state;
    pkgauth_net_url u;
    assert_int_equal(
        pkgauth_net_url_parse(&u, "https://u:p@Repo.Example.com:8443/x?y", PKGAUTH_URL_HOST_ONLY,
                              NULL),
        PKGAUTH_OK);
    same(u.host, "repo.example.com");
    assert_null(u.scheme);
    assert_null(u.path);
    assert_null(u.password);
    assert_null(u.port);
    pkgauth_net_url_dispose(&u);
    assert_int_equal(pkgauth_net_url_parse(&u, "s3://My-Bucket/k", PKGAUTH_URL_HOST_ONLY, NULL),
                     PKGAUTH_OK);
    same(u.host, "my-bucket");
    assert_null(u.key);
    pkgauth_net_url_dispose(&u);
}

static void flags(void **state)
{
    (void)state;
    pkgauth_net_url u;
    /* dot segments: removed, or kept for a signed path */
    assert_int_equal(pkgauth_net_url_parse(&u, "https://h/a/../b", 0, NULL), PKGAUTH_OK);
    same(u.path, "/b");
    pkgauth_net_url_dispose(&u);
    assert_int_equal(pkgauth_net_url_parse(&u, "https://h/a/../b", PKGAUTH_URL_PATH_AS_IS, NULL),
                     PKGAUTH_OK);
    same(u.path, "/a/../b");
    pkgauth_net_url_dispose(&u);
    /* spaces in the path only when asked (SigV4 signs them) */
    assert_int_equal(pkgauth_net_url_parse(&u, "https://h/a b", 0, NULL), PKGAUTH_EINVAL);
    pkgauth_net_url_dispose(&u);
    assert_int_equal(pkgauth_net_url_parse(&u, "https://h/a b", PKGAUTH_URL_ALLOW_SPACE, NULL),
                     PKGAUTH_OK);
    pkgauth_net_url_dispose(&u);
    /* the host as written, for a signed Host header */
    assert_int_equal(pkgauth_net_url_parse(&u, "https://Bucket.S3.example/", PKGAUTH_URL_KEEP_CASE,
                                           NULL),
                     PKGAUTH_OK);
    same(u.host, "Bucket.S3.example");
    pkgauth_net_url_dispose(&u);
    /* only libcurl's own schemes */
    assert_int_equal(pkgauth_net_url_parse(&u, "foo://h/", PKGAUTH_URL_CURL_SCHEMES, NULL),
                     PKGAUTH_EINVAL);
    pkgauth_net_url_dispose(&u);
    assert_int_equal(pkgauth_net_url_parse(&u, "s3://b/k", PKGAUTH_URL_CURL_SCHEMES, NULL),
                     PKGAUTH_EINVAL);
    pkgauth_net_url_dispose(&u);
    assert_int_equal(pkgauth_net_url_parse(&u, "foo://h/", 0, NULL), PKGAUTH_OK);
    pkgauth_net_url_dispose(&u);
}

typedef struct {
    const char *url, *host, *bucket, *key, *query, *fragment;
} s3_case;

/* s3:// keys are the literal bytes after the bucket: no decoding, no dot
 * segment removal, spaces allowed. */
static void s3_split(void **state)
{
    (void)state;
    static const s3_case cases[] = {
        {"s3://bucket/channel/noarch/repodata.json", "bucket", "bucket",
         "channel/noarch/repodata.json", NULL, NULL},
        {"S3://My_Bucket.1/a key/with spaces", "my_bucket.1", "My_Bucket.1",
         "a key/with spaces", NULL, NULL},
        {"s3://b/%41/../x", "b", "b", "%41/../x", NULL, NULL},
        {"s3://b", "b", "b", "", NULL, NULL},
        {"s3://b/", "b", "b", "", NULL, NULL},
        {"s3://b/k?versionId=1#f", "b", "b", "k", "versionId=1", "f"},
        {"s3://b#f", "b", "b", "", NULL, "f"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const s3_case *c = &cases[i];
        pkgauth_net_url u;
        print_message("%s\n", c->url);
        assert_int_equal(pkgauth_net_url_parse(&u, c->url, 0, NULL), PKGAUTH_OK);
        same(u.scheme, "s3");
        same(u.host, c->host);
        same(u.bucket, c->bucket);
        same(u.key, c->key);
        assert_string_equal(u.path + 1, c->key);
        assert_int_equal(u.path[0], '/');
        same(u.query, c->query);
        same(u.fragment, c->fragment);
        assert_null(u.port);
        assert_null(u.user);
        pkgauth_net_url_dispose(&u);
    }
    static const char *const bad[] = {"s3:///k", "s3://", "s3://u:p@b/k", "s3://b:9000/k",
                                      "s3://b b/k", "s3://b/k\x01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pkgauth_net_url u;
        pkgauth_error err = {0};
        assert_int_equal(pkgauth_net_url_parse(&u, bad[i], 0, &err), PKGAUTH_EINVAL);
        assert_non_null(strstr(err.message, "invalid URL"));
        assert_null(strstr(err.message, ":p@"));
        assert_null(u.host);
        pkgauth_net_url_dispose(&u);
    }
}

static int count_key(void *ctx, const char *key)
{
    (void)key;
    ++*(int *)ctx;
    return 0;
}

/* Read differently by libcurl, browsers or urllib3: refused by every
 * reader, with the password never in the message. */
static void ambiguous_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "https://evil.com\\@repo.example.com/",
        "https://a@evil.com@repo.example.com/",
        "https://user:p@ss@repo.example.com/",
        "https://u:secret@[::1/x",
        "https://[::1]evil.com/x",
        "https://re%70o.example.com/",
        "https://u:secret@repo.example.com /",
        "https:///evil.com/",
        "https:/evil.com/",
        "repo.example.com/x",
        "https://repo.example.com/x\r\nX: 1",
        "https://u:%0a@repo.example.com/", /* decodes to a line break */
        "https://",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pkgauth_net_url u;
        pkgauth_error err = {0};
        print_message("%s\n", bad[i]);
        assert_int_equal(pkgauth_net_url_parse(&u, bad[i], 0, &err), PKGAUTH_EINVAL);
        assert_non_null(strstr(err.message, "invalid URL"));
        assert_null(strstr(err.message, "secret"));
        assert_null(strchr(err.message, '\n'));
        pkgauth_net_url_dispose(&u);
        /* the lookup's reader (which reads no user info) and the
         * redirect policy refuse them too */
        int keys = 0;
        if (!strstr(bad[i], "%0a"))
            assert_int_equal(pkgauth_url_candidates(bad[i], count_key, &keys, NULL),
                             PKGAUTH_EINVAL);
        assert_int_equal(keys, 0);
        assert_int_equal(pkgauth_url_same_origin(bad[i], bad[i]), 0);
    }
    pkgauth_net_url u;
    assert_int_equal(pkgauth_net_url_parse(&u, NULL, 0, NULL), PKGAUTH_EINVAL);
    pkgauth_net_url_dispose(&u);
}

static void format_and_edit(void **state)
{
    (void)state;
    pkgauth_net_url u;
    char *s = NULL;
    assert_int_equal(pkgauth_net_url_parse(&u, "https://u:pw@Host:443/a/./b?q", 0, NULL),
                     PKGAUTH_OK);
    assert_int_equal(pkgauth_net_url_format(&u, 0, &s), PKGAUTH_OK);
    assert_string_equal(s, "https://u:pw@Host:443/a/b?q"); /* the host as written */
    pkgauth_free(s);
    assert_int_equal(pkgauth_net_url_format(
                         &u, PKGAUTH_URL_FMT_NO_USERINFO | PKGAUTH_URL_FMT_NO_DEFAULT_PORT, &s),
                     PKGAUTH_OK);
    assert_string_equal(s, "https://Host/a/b?q");
    pkgauth_free(s);
    char *origin = pkgauth_net_url_origin(&u);
    assert_string_equal(origin, "https://host:443");
    free(origin);

    /* user info set: encoded in the URL, decoded in the parts */
    assert_int_equal(pkgauth_net_url_set_userinfo(&u, "a b", "p@ss"), PKGAUTH_OK);
    same(u.user, "a b");
    same(u.password, "p@ss");
    assert_int_equal(pkgauth_net_url_format(&u, PKGAUTH_URL_FMT_NO_DEFAULT_PORT, &s), PKGAUTH_OK);
    assert_string_equal(s, "https://a%20b:p%40ss@Host/a/b?q");
    pkgauth_free(s);
    assert_int_equal(pkgauth_net_url_set_userinfo(&u, NULL, NULL), PKGAUTH_OK);
    assert_null(u.user);
    assert_null(u.password);

    assert_int_equal(pkgauth_net_url_set_path(&u, "/t/tok/a/b"), PKGAUTH_OK);
    same(u.path, "/t/tok/a/b");
    assert_int_equal(pkgauth_net_url_format(&u, 0, &s), PKGAUTH_OK);
    assert_string_equal(s, "https://Host:443/t/tok/a/b?q");
    pkgauth_free(s);
    pkgauth_net_url_dispose(&u);

    /* an s3:// URL is written back as read: its key is not libcurl's */
    assert_int_equal(pkgauth_net_url_parse(&u, "S3://Bkt/a b/%41/../k?v=1#f", 0, NULL),
                     PKGAUTH_OK);
    assert_int_equal(pkgauth_net_url_format(&u, 0, &s), PKGAUTH_OK);
    assert_string_equal(s, "s3://Bkt/a b/%41/../k?v=1#f");
    pkgauth_free(s);
    pkgauth_net_url_dispose(&u);
    assert_int_equal(pkgauth_net_url_parse(&u, "s3://b", 0, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_net_url_format(&u, 0, &s), PKGAUTH_OK);
    assert_string_equal(s, "s3://b/");
    pkgauth_free(s);
    pkgauth_net_url_dispose(&u);
    /* nothing read, nothing written */
    pkgauth_net_url_parse(&u, "https://a@b@c/", 0, NULL);
    assert_int_equal(pkgauth_net_url_format(&u, 0, &s), PKGAUTH_EINVAL);
    assert_null(s);
    pkgauth_net_url_dispose(&u);
}

/* The public functions built on the type agree with it. */
static void public_functions(void **state)
{
    (void)state;
    assert_true(pkgauth_url_same_origin("https://Host/a", "HTTPS://host:443/b"));
    assert_true(pkgauth_url_same_origin("http://[::1]:80/", "http://[::1]/x"));
    assert_false(pkgauth_url_same_origin("https://host/", "http://host/"));
    assert_false(pkgauth_url_same_origin("https://host/", "https://host:8443/"));
    assert_false(pkgauth_url_same_origin("https://host/", "https://other/"));
    char *user = pkgauth_url_username("https://al%40ice:pw@host/");
    assert_string_equal(user, "al@ice");
    pkgauth_free(user);
    assert_null(pkgauth_url_username("https://@host/"));
    assert_null(pkgauth_url_username("https://host/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parts_of_urls),    cmocka_unit_test(host_only),
        cmocka_unit_test(flags),            cmocka_unit_test(s3_split),
        cmocka_unit_test(ambiguous_refused), cmocka_unit_test(format_and_edit),
        cmocka_unit_test(public_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
