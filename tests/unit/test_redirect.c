/* The redirect policy (pkgauth_curl_redirect, src/lib/curl.c): a credential
 * goes again only to the first request's origin (scheme, host, port); any
 * other origin gets the bare URL and no Authorization line, not even one
 * the caller added; non-HTTP and ambiguous targets and more than
 * PKGAUTH_MAX_REDIRECTS hops are errors that never show a secret.
 *
 * Real libcurl transfers, no network: curl talks HTTP over a Unix socket
 * (CURLOPT_UNIX_SOCKET_PATH) to a small server thread here, which answers
 * what each test tells it and records the request it got. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <pkgauth/pkgauth.h>
#include <pkgauth/curl.h>
#include "curl_dl.h"
#include "fixture.h"
#include "make_credential.h"

#define FIRST_URL "http://h.example/ch/noarch/repodata.json"
#define TOKEN "tok-h-5d1e"
#define OTHER_TOKEN "tok-other-93fa"

/* ---- the server: one answer per connection ---- */

typedef struct {
    char *dir;
    struct sockaddr_un addr;
    int listen_fd;
    pthread_t thread;
    pthread_mutex_t lock;
    int stop;
    char response[512]; /* what the next request gets */
    char request[4096]; /* the head of the last request */
} server;

static void serve_one(server *s, int fd)
{
    char buf[4096];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0) {
        len += (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            break;
    }
    buf[len] = '\0';
    pthread_mutex_lock(&s->lock);
    memcpy(s->request, buf, len + 1);
    const char *answer = s->response;
    ssize_t w = write(fd, answer, strlen(answer));
    pthread_mutex_unlock(&s->lock);
    (void)w;
}

static void *server_main(void *arg)
{
    server *s = arg;
    for (;;) {
        int fd = accept(s->listen_fd, NULL, NULL);
        pthread_mutex_lock(&s->lock);
        int stop = s->stop;
        pthread_mutex_unlock(&s->lock);
        if (fd >= 0 && !stop)
            serve_one(s, fd);
        if (fd >= 0)
            close(fd);
        if (stop)
            return NULL;
    }
}

static int setup(void **state)
{
    server *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = fixture_dir_new("redirect")))
        return -1;
    s->addr.sun_family = AF_UNIX;
    snprintf(s->addr.sun_path, sizeof s->addr.sun_path, "%s/http.sock", s->dir);
    s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&s->addr, sizeof s->addr) ||
        listen(s->listen_fd, 8))
        return -1;
    pthread_mutex_init(&s->lock, NULL);
    if (pthread_create(&s->thread, NULL, server_main, s))
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    server *s = *state;
    pthread_mutex_lock(&s->lock);
    s->stop = 1;
    pthread_mutex_unlock(&s->lock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0); /* wakes accept() */
    if (fd >= 0 && connect(fd, (struct sockaddr *)&s->addr, sizeof s->addr) == 0)
        pthread_join(s->thread, NULL);
    if (fd >= 0)
        close(fd);
    close(s->listen_fd);
    pthread_mutex_destroy(&s->lock);
    int rc = fixture_dir_remove(s->dir);
    free(s);
    return rc;
}

static void answer(server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void answer(server *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&s->lock);
    vsnprintf(s->response, sizeof s->response, fmt, ap);
    pthread_mutex_unlock(&s->lock);
    va_end(ap);
}

static void answer_redirect(server *s, int status, const char *location)
{
    answer(s, "HTTP/1.1 %d Moved\r\nLocation: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
           status, location);
}

/* The head of the last request the server got (a copy). */
static char *last_request(server *s)
{
    pthread_mutex_lock(&s->lock);
    char *copy = strdup(s->request);
    pthread_mutex_unlock(&s->lock);
    assert_non_null(copy);
    return copy;
}

/* ---- the client side ---- */

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

/* One chain of requests: a store, a handle, the caller's headers. */
typedef struct {
    server *srv;
    pkgauth_store *store;
    CURL *easy;
    struct curl_slist *headers;
    int hops;
    pkgauth_error err;
} chain;

/* The store knows h.example (any port) and other.example. */
static void chain_start(chain *c, server *srv, const char *first_url, const char *extra_header)
{
    memset(c, 0, sizeof *c);
    c->srv = srv;
    assert_int_equal(pkgauth_store_new(&c->store, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_add_memory(c->store, NULL), PKGAUTH_OK);
    pkgauth_credential *h = make_bearer(TOKEN);
    pkgauth_credential *o = make_bearer(OTHER_TOKEN);
    assert_int_equal(pkgauth_store_set(c->store, "h.example", h, NULL, NULL), PKGAUTH_OK);
    assert_int_equal(pkgauth_store_set(c->store, "other.example", o, NULL, NULL), PKGAUTH_OK);
    pkgauth_credential_free(h);
    pkgauth_credential_free(o);
    c->easy = curl_easy_init();
    assert_non_null(c->easy);
    curl_easy_setopt(c->easy, CURLOPT_UNIX_SOCKET_PATH, srv->addr.sun_path);
    curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c->easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(c->easy, CURLOPT_PROXY, ""); /* never an http_proxy from the environment */
    c->headers = curl_slist_append(NULL, "X-Mine: 1");
    if (extra_header)
        c->headers = curl_slist_append(c->headers, extra_header);
    assert_int_equal(pkgauth_curl_prepare(c->easy, c->store, first_url, &c->headers, &c->err),
                     PKGAUTH_OK);
}

static void chain_end(chain *c)
{
    pkgauth_curl_headers_free(c->headers);
    curl_easy_cleanup(c->easy);
    pkgauth_store_free(c->store);
}

static void perform(chain *c)
{
    CURLcode rc = curl_easy_perform(c->easy);
    if (rc != CURLE_OK)
        fail_msg("curl: %s", curl_easy_strerror(rc));
}

/* The first request gets status/location; returns what
 * pkgauth_curl_redirect() says about it. */
static int first_hop(chain *c, const char *first_url, int status, const char *location)
{
    answer_redirect(c->srv, status, location);
    perform(c);
    return pkgauth_curl_redirect(c->easy, c->store, first_url, &c->headers, &c->hops, &c->err);
}

/* Follows the hop pkgauth_curl_redirect() set up; returns the request the
 * server got. */
static char *second_request(chain *c)
{
    answer(c->srv, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    perform(c);
    return last_request(c->srv);
}

static int count_authorization(const struct curl_slist *l)
{
    int n = 0;
    for (; l; l = l->next)
        n += !strncasecmp(l->data, "authorization:", 14);
    return n;
}

static void has(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("'%s' not in:\n%s", needle, text);
}

static void has_not(const char *text, const char *needle)
{
    if (strstr(text, needle))
        fail_msg("'%s' unexpectedly in:\n%s", needle, text);
}

/* ---- same origin: the credential again ---- */

static void same_origin_gets_the_credential(void **state)
{
    const char *locations[] = {"/other/path", "http://h.example/other/path",
                               "http://H.EXAMPLE:80/other/path"};
    for (size_t i = 0; i < sizeof locations / sizeof *locations; i++) {
        chain c;
        chain_start(&c, *state, FIRST_URL, NULL);
        assert_int_equal(first_hop(&c, FIRST_URL, 302, locations[i]), 1);
        assert_int_equal(c.hops, 1);
        assert_int_equal(count_authorization(c.headers), 1); /* not added twice */
        char *req = second_request(&c);
        has(req, "GET /other/path HTTP/1.1\r\n");
        has(req, "\r\nAuthorization: Bearer " TOKEN "\r\n");
        has(req, "\r\nX-Mine: 1\r\n");
        free(req);
        chain_end(&c);
    }
}

/* Every redirect status is followed; other 3xx answers are not redirects. */
static void which_statuses_redirect(void **state)
{
    const int followed[] = {301, 302, 303, 307, 308}, not_followed[] = {200, 300, 304, 404};
    for (size_t i = 0; i < sizeof followed / sizeof *followed; i++) {
        chain c;
        chain_start(&c, *state, FIRST_URL, NULL);
        if (first_hop(&c, FIRST_URL, followed[i], "/next") != 1)
            fail_msg("status %d not followed", followed[i]);
        chain_end(&c);
    }
    for (size_t i = 0; i < sizeof not_followed / sizeof *not_followed; i++) {
        chain c;
        chain_start(&c, *state, FIRST_URL, NULL);
        struct curl_slist *before = c.headers;
        if (first_hop(&c, FIRST_URL, not_followed[i], "/next") != 0)
            fail_msg("status %d taken for a redirect", not_followed[i]);
        assert_int_equal(c.hops, 0);
        assert_ptr_equal(c.headers, before);
        chain_end(&c);
    }
}

/* ---- another origin: nothing secret goes there ---- */

/* Another host, another port of the same host (its store key ignores the
 * port: only the origin rule keeps the token away), or another scheme. */
static void other_origin_gets_no_credential(void **state)
{
    const char *locations[] = {"http://other.example/next", "http://h.example:8080/next",
                               "http://h.example.evil/next"};
    for (size_t i = 0; i < sizeof locations / sizeof *locations; i++) {
        chain c;
        chain_start(&c, *state, FIRST_URL, NULL);
        assert_int_equal(first_hop(&c, FIRST_URL, 302, locations[i]), 1);
        assert_int_equal(count_authorization(c.headers), 0);
        char *req = second_request(&c);
        has(req, "GET /next HTTP/1.1\r\n");
        has(req, "\r\nX-Mine: 1\r\n"); /* the caller's other headers stay */
        has_not(req, "uthorization");
        has_not(req, TOKEN);
        has_not(req, OTHER_TOKEN); /* not even the new origin's own */
        free(req);
        chain_end(&c);
    }
}

static void scheme_change_is_another_origin(void **state)
{
    chain c;
    chain_start(&c, *state, FIRST_URL, NULL);
    assert_int_equal(first_hop(&c, FIRST_URL, 302, "https://h.example/next"), 1);
    assert_int_equal(count_authorization(c.headers), 0);
    chain_end(&c);
}

/* An Authorization line the caller set is dropped too, whatever its case. */
static void callers_authorization_is_dropped(void **state)
{
    chain c;
    chain_start(&c, *state, FIRST_URL, "authorization: Basic dTpjYWxsZXItc2VjcmV0");
    assert_int_equal(count_authorization(c.headers), 1); /* kept on the first request */
    assert_int_equal(first_hop(&c, FIRST_URL, 307, "http://other.example/next"), 1);
    assert_int_equal(count_authorization(c.headers), 0);
    char *req = second_request(&c);
    has_not(req, "dTpjYWxsZXItc2VjcmV0");
    has(req, "\r\nX-Mine: 1\r\n");
    free(req);
    chain_end(&c);
}

/* ---- refused: an error, naming the first URL without its secret ---- */

static void expect_refused(server *srv, const char *first_url, int hops, const char *location,
                           const char *why)
{
    chain c;
    chain_start(&c, srv, first_url, NULL);
    c.hops = hops;
    assert_int_equal(first_hop(&c, first_url, 302, location), PKGAUTH_EHTTP);
    has(c.err.message, why);
    has(c.err.message, "h.example");
    has_not(c.err.message, TOKEN);
    has_not(c.err.message, "ct-secret");
    chain_end(&c);
}

static void non_http_is_refused(void **state)
{
    expect_refused(*state, FIRST_URL, 0, "ftp://h.example/x", "non-HTTP");
    expect_refused(*state, FIRST_URL, 0, "file:///etc/passwd", "non-HTTP");
    /* a conda token in the first URL is not shown */
    expect_refused(*state, "http://h.example/t/ct-secret/ch/x", 0, "ftp://h.example/x",
                   "/t/********/ch/x");
}

static void ambiguous_is_refused(void **state)
{
    expect_refused(*state, FIRST_URL, 0, "http://a@other.example@h.example/x", "ambiguous");
}

/* Exactly PKGAUTH_MAX_REDIRECTS hops are followed, the next is an error. */
static void hop_limit(void **state)
{
    chain c;
    chain_start(&c, *state, FIRST_URL, NULL);
    c.hops = PKGAUTH_MAX_REDIRECTS - 1;
    assert_int_equal(first_hop(&c, FIRST_URL, 302, "/next"), 1);
    assert_int_equal(c.hops, PKGAUTH_MAX_REDIRECTS);
    chain_end(&c);
    expect_refused(*state, FIRST_URL, PKGAUTH_MAX_REDIRECTS, "/next", "too many redirects");
}

static void bad_arguments(void **state)
{
    (void)state;
    pkgauth_store *s = NULL;
    assert_int_equal(pkgauth_store_new(&s, NULL), PKGAUTH_OK);
    CURL *e = curl_easy_init();
    struct curl_slist *h = NULL;
    int hops = 0;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_curl_redirect(NULL, s, FIRST_URL, &h, &hops, &err), PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_curl_redirect(e, NULL, FIRST_URL, &h, &hops, &err), PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_curl_redirect(e, s, NULL, &h, &hops, &err), PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_curl_redirect(e, s, FIRST_URL, NULL, &hops, &err), PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_curl_redirect(e, s, FIRST_URL, &h, NULL, &err), PKGAUTH_EINVAL);
    /* a handle that has made no request yet: no redirect */
    assert_int_equal(pkgauth_curl_redirect(e, s, FIRST_URL, &h, &hops, &err), 0);
    curl_easy_cleanup(e);
    pkgauth_store_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(same_origin_gets_the_credential),
        T(which_statuses_redirect),
        T(other_origin_gets_no_credential),
        T(scheme_change_is_another_origin),
        T(callers_authorization_is_dropped),
        T(non_http_is_refused),
        T(ambiguous_is_refused),
        T(hop_limit),
        T(bad_arguments),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
