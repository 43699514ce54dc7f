/* libcurl integration: authenticated requests on an easy handle, and the
 * redirect policy. curl is told never to follow a redirect by itself; the
 * caller asks pkgauth_curl_redirect() for each hop, which re-applies
 * credentials only within the origin of the first request. That keeps the
 * policy in one place we control, whatever curl version is installed.
 *
 * Who decides the credentials is a callback (pkgauth_authenticate_cb): the
 * store's here, the PyPI lookup's in pypi.c, a context's in provider.c.
 * This file knows none of them beyond the store's. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "memory.h"
#include "pkgauth/request.h"
#include "curl_dl.h"
#include "url_internal.h"

void pkgauth_curl_headers_free(struct curl_slist *list)
{
    for (struct curl_slist *l = list; l; l = l->next)
        if (l->data)
            explicit_bzero(l->data, strlen(l->data));
    curl_slist_free_all(list);
}

static int is_authorization(const char *line)
{
    static const char name[] = "authorization:";
    return !strncasecmp(line, name, sizeof name - 1);
}

/* The lines of a curl list as an array (borrowed pointers); free() it. */
static const char **list_lines(const struct curl_slist *list, size_t *n)
{
    *n = 0;
    for (const struct curl_slist *l = list; l; l = l->next)
        (*n)++;
    const char **lines = calloc(*n + 1, sizeof *lines);
    size_t i = 0;
    for (const struct curl_slist *l = list; lines && l; l = l->next)
        lines[i++] = l->data;
    return lines;
}

/* Who decides the credentials (cb with payload). first_url is set for the
 * hops of a redirect, so a lookup can keep the first request's user. */
typedef struct {
    pkgauth_authenticate_cb cb;
    void *payload;
    const char *first_url;
} lookup;

/* The store's callback: its own rules, the same for every hop. */
static int store_cb(void *store, const char *method, const char *url, const char *first_url,
                    const char *const *headers, size_t n, pkgauth_request **out,
                    pkgauth_error *err)
{
    (void)first_url;
    return pkgauth_request_authenticate(store, method, url, headers, n, out, err);
}

/* Authenticates url with the lines of *headers, then sets the URL on easy
 * and appends the header pkgauth added (if any) to *headers. */
static int apply(CURL *easy, const lookup *l, const char *url, struct curl_slist **headers,
                 pkgauth_error *err)
{
    size_t n;
    const char **lines = list_lines(*headers, &n);
    if (!lines)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    pkgauth_request *req = NULL;
    int rc = l->cb(l->payload, "GET", url, l->first_url, lines, n, &req, err);
    free(lines);
    if (rc)
        return rc;
    struct curl_slist *list = *headers;
    size_t count = pkgauth_request_header_count(req);
    if (count > n) { /* the request added one line, always the last */
        list = curl_slist_append(*headers, pkgauth_request_header(req, count - 1));
        if (!list)
            rc = pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    if (!rc && curl_easy_setopt(easy, CURLOPT_URL, pkgauth_request_url(req)) != CURLE_OK)
        rc = pkgauth_error_set(err, PKGAUTH_EINVAL, "curl refused the URL");
    if (!rc) {
        *headers = list;
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
        /* An S3 key was signed byte for byte: curl must send its dot
         * segments as they are, not resolve them to another key. */
        curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, (long)!strncasecmp(url, "s3://", 5));
    }
    pkgauth_request_free(req);
    return rc;
}

int pkgauth_curl_prepare_cb(CURL *easy, pkgauth_authenticate_cb cb, void *payload,
                            const char *url, struct curl_slist **headers, pkgauth_error *err)
{
    if (!easy || !cb || !url || !headers)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "curl_prepare: missing argument");
    lookup l = {.cb = cb, .payload = payload};
    return apply(easy, &l, url, headers, err);
}

int pkgauth_curl_prepare(CURL *easy, pkgauth_store *store, const char *url,
                         struct curl_slist **headers, pkgauth_error *err)
{
    if (!store)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "curl_prepare: missing argument");
    return pkgauth_curl_prepare_cb(easy, store_cb, store, url, headers, err);
}

/* A copy of list without its Authorization lines; the old list is wiped and
 * freed. NULL with *failed set when out of memory. */
static struct curl_slist *without_authorization(struct curl_slist *list, int *failed)
{
    struct curl_slist *kept = NULL;
    *failed = 0;
    for (struct curl_slist *l = list; l && !*failed; l = l->next) {
        if (is_authorization(l->data))
            continue;
        struct curl_slist *next = curl_slist_append(kept, l->data);
        if (!next)
            *failed = 1;
        else
            kept = next;
    }
    if (*failed) {
        pkgauth_curl_headers_free(kept);
        return NULL;
    }
    pkgauth_curl_headers_free(list);
    return kept;
}

static int is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static int http_scheme(const char *url)
{
    return !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

/* A redirect to another origin: the bare URL, no Authorization line. */
static int cross_origin(CURL *easy, const char *url, struct curl_slist **headers,
                        pkgauth_error *err)
{
    int failed;
    struct curl_slist *kept = without_authorization(*headers, &failed);
    if (failed)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    *headers = kept;
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, kept);
    curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 0L);
    if (curl_easy_setopt(easy, CURLOPT_URL, url) != CURLE_OK)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "curl refused the redirect URL");
    return PKGAUTH_OK;
}

/* l->first_url is the URL of the chain's first request. */
static int redirect(CURL *easy, const lookup *l, struct curl_slist **headers, int *hops,
                    pkgauth_error *err)
{
    const char *first_url = l->first_url;
    long status = 0;
    char *location = NULL;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (!is_redirect(status) || curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) ||
        !location)
        return 0;
    char *shown = pkgauth_url_redact(first_url);
    int rc = PKGAUTH_OK;
    if (++*hops > PKGAUTH_MAX_REDIRECTS)
        rc = pkgauth_error_set(err, PKGAUTH_EHTTP, "too many redirects (more than %d) for %s",
                               PKGAUTH_MAX_REDIRECTS, shown ? shown : "");
    else if (!http_scheme(location))
        rc = pkgauth_error_set(err, PKGAUTH_EHTTP, "redirect to a non-HTTP URL refused for %s",
                               shown ? shown : "");
    else if (pkgauth_url_check(location, NULL)) /* its host depends on who parses it */
        rc = pkgauth_error_set(err, PKGAUTH_EHTTP, "redirect to an ambiguous URL refused for %s",
                               shown ? shown : "");
    pkgauth_free(shown);
    if (rc)
        return rc;
    /* location belongs to easy and dies with the next setopt: copy it. */
    char *next = strdup(location);
    if (!next)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (pkgauth_url_same_origin(first_url, next))
        rc = apply(easy, l, next, headers, err);
    else
        rc = cross_origin(easy, next, headers, err);
    pkgauth_free(next);
    return rc ? rc : 1;
}

int pkgauth_curl_redirect_cb(CURL *easy, pkgauth_authenticate_cb cb, void *payload,
                             const char *first_url, struct curl_slist **headers, int *hops,
                             pkgauth_error *err)
{
    if (!easy || !cb || !first_url || !headers || !hops)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "curl_redirect: missing argument");
    lookup l = {.cb = cb, .payload = payload, .first_url = first_url};
    return redirect(easy, &l, headers, hops, err);
}

int pkgauth_curl_redirect(CURL *easy, pkgauth_store *store, const char *first_url,
                          struct curl_slist **headers, int *hops, pkgauth_error *err)
{
    if (!store)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "curl_redirect: missing argument");
    return pkgauth_curl_redirect_cb(easy, store_cb, store, first_url, headers, hops, err);
}
