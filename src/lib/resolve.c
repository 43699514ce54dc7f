/* Finding the credential for a URL (compat.md "Finding the credential for a
 * URL") and the key `login` writes for a host. URLs are read by the one URL
 * type (url.c). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "memory.h"
#include "store_internal.h"
#include "url_internal.h"

/* Longest DNS name (253) plus "*." and room to spare. */
#define KEY_MAX 300

typedef int (*candidate_fn)(void *ctx, const char *key);

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Wildcards apply to domain names only, not to IP addresses. */
static int is_ip_address(const char *host)
{
    unsigned char buf[sizeof(struct in_addr)];
    return host[0] == '[' || inet_pton(AF_INET, host, buf) == 1;
}

/* The lower-cased host of url (for s3:// the bucket) in host[]: one
 * parse, of the host alone (url.c). */
static int url_host(const char *url, char host[KEY_MAX], pkgauth_error *err)
{
    pkgauth_net_url u;
    int rc = pkgauth_net_url_parse(&u, url, PKGAUTH_URL_HOST_ONLY, err);
    size_t n = rc ? 0 : strlen(u.host);
    if (!rc && n < KEY_MAX - 2)
        memcpy(host, u.host, n + 1);
    pkgauth_net_url_dispose(&u);
    if (!rc && n >= KEY_MAX - 2) {
        char *shown = pkgauth_url_redact(url);
        rc = pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid URL: %s: the host is too long",
                               shown ? shown : "");
        pkgauth_free(shown);
    }
    return rc;
}

/* s3://bucket/a/b, then s3://bucket/a, then s3://bucket. */
static int s3_prefixes(const char *url, candidate_fn fn, void *ctx, pkgauth_error *err)
{
    size_t len = strcspn(url, "?#");
    char *key = strndup(url, len);
    if (!key)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    char *bucket_end = strchr(key + 5, '/'); /* after "s3://" */
    int stop = fn(ctx, key);
    /* One backward pass, so a URL with thousands of "/" stays linear. */
    for (char *p = key + len; !stop && bucket_end && p > bucket_end;) {
        if (*--p == '/') {
            *p = '\0';
            stop = fn(ctx, key);
        }
    }
    free(key);
    return stop;
}

static int wildcards(const char *host, candidate_fn fn, void *ctx)
{
    char key[KEY_MAX + 2] = "*.";
    for (const char *p = host; p; p = strchr(p, '.')) {
        if (*p == '.')
            p++;
        if (!*p)
            break;
        strcpy(key + 2, p); /* fits: host is shorter than KEY_MAX */
        int stop = fn(ctx, key);
        if (stop)
            return stop;
    }
    return 0;
}

/* The host, then (for an s3:// URL) the URL and its prefixes, then the
 * wildcards of the host. */
static int host_candidates(const char *host, const char *s3_url, candidate_fn fn, void *ctx,
                           pkgauth_error *err)
{
    int rc = fn(ctx, host);
    if (!rc && s3_url)
        rc = s3_prefixes(s3_url, fn, ctx, err);
    if (!rc && !is_ip_address(host))
        rc = wildcards(host, fn, ctx);
    return rc;
}

/* Calls fn with each candidate key in order; returns fn's first non-zero
 * answer, or a negative error code. */
static int candidates(const char *url, candidate_fn fn, void *ctx, pkgauth_error *err)
{
    char host[KEY_MAX];
    int rc = url_host(url, host, err);
    if (rc)
        return rc;
    return host_candidates(host, !strncasecmp(url, "s3://", 5) ? url : NULL, fn, ctx, err);
}

int pkgauth_url_candidates(const char *url, int (*fn)(void *ctx, const char *key), void *ctx,
                           pkgauth_error *err)
{
    if (!url || !fn)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "url_candidates: url and fn are required");
    int rc = candidates(url, fn, ctx, err);
    return rc < 0 ? rc : PKGAUTH_OK;
}

typedef struct {
    pkgauth_store *store;
    pkgauth_match *match;
    pkgauth_error *err;
    int rc;
    const pkgauth_key_set *known; /* deep s3:// URLs only (resolve_s3.c) */
} find_ctx;

/* 1 = found, stop; -1 = error, stop; 0 = try the next key. */
static int probe(void *ctx, const char *key)
{
    find_ctx *f = ctx;
    if (!pkgauth_key_set_may_hold(f->known, key))
        return 0;
    f->rc = pkgauth_store_lookup(f->store, key, &f->match->credential, &f->match->backend, f->err);
    if (f->rc == PKGAUTH_ENOTFOUND)
        return 0;
    if (f->rc == PKGAUTH_OK && !(f->match->key = strdup(key))) {
        pkgauth_credential_free(f->match->credential);
        f->match->credential = NULL;
        f->rc = pkgauth_error_set(f->err, PKGAUTH_ENOMEM, "out of memory");
    }
    return f->rc == PKGAUTH_OK ? 1 : -1;
}

/* After the candidate keys: the "no credentials" message naming what was
 * asked for (redacted). A netrc `default` entry is never an answer here:
 * like rattler, one credential is not sent to every channel (compat.md
 * "Where rattler's code has moved past the seed"); only the PyPI lookup
 * uses it, as uv does (pypi.c). */
static int finish_find(find_ctx *f, const char *asked, pkgauth_error *err)
{
    if (f->rc == PKGAUTH_ENOTFOUND && err) {
        char *shown = pkgauth_url_redact(asked);
        pkgauth_error_set(err, PKGAUTH_ENOTFOUND, "no credentials for %s", shown ? shown : "");
        pkgauth_free(shown);
    }
    return f->rc;
}

static int missing(pkgauth_error *err, const char *what)
{
    return pkgauth_error_set(err, PKGAUTH_EINVAL, "%s is required", what);
}

int pkgauth_store_find(pkgauth_store *s, const char *url, pkgauth_match *match,
                       pkgauth_error *err)
{
    if (!match)
        return missing(err, "store_find: match");
    memset(match, 0, sizeof *match);
    if (!s || !url)
        return missing(err, "store_find: store and URL");
    pkgauth_store_read_lock(s);
    pkgauth_key_set *known = pkgauth_s3_known_keys(s, url);
    find_ctx f = {s, match, err, PKGAUTH_ENOTFOUND, known};
    int rc = candidates(url, probe, &f, err);
    pkgauth_key_set_free(known);
    if (!(rc < 0 && f.rc == PKGAUTH_ENOTFOUND)) /* else the URL itself was bad */
        rc = finish_find(&f, url, err);
    pkgauth_store_unlock(s);
    return rc;
}

/* A plain host name (letters, digits, '-', '_', '.') with an optional
 * ":port", lower-cased into out without the port. 0 for anything else
 * (IPv6, user info, a path, ...), which then goes through the URL parser. */
static int plain_host(const char *host, char out[KEY_MAX])
{
    size_t n = strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
    const char *rest = host + n;
    if (n == 0 || n >= KEY_MAX || host[0] == '.' || host[0] == '-')
        return 0;
    if (*rest == ':' && rest[1] && strspn(rest + 1, "0123456789") == strlen(rest + 1))
        rest += strlen(rest);
    if (*rest)
        return 0;
    memcpy(out, host, n);
    out[n] = '\0';
    lower(out);
    return 1;
}

int pkgauth_store_find_host(pkgauth_store *s, const char *host, pkgauth_match *match,
                            pkgauth_error *err)
{
    char name[KEY_MAX], *url = NULL;
    if (!match)
        return missing(err, "store_find_host: match");
    memset(match, 0, sizeof *match);
    if (!s || !host)
        return missing(err, "store_find_host: store and host");
    if (!plain_host(host, name)) {
        if (asprintf(&url, "https://%s", host) < 0)
            return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
        int rc = pkgauth_store_find(s, url, match, err);
        free(url);
        return rc;
    }
    if (asprintf(&url, "https://%s", host) < 0)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    find_ctx f = {s, match, err, PKGAUTH_ENOTFOUND, NULL};
    pkgauth_store_read_lock(s);
    host_candidates(name, NULL, probe, &f, err);
    int rc = finish_find(&f, url, err);
    pkgauth_store_unlock(s);
    free(url);
    return rc;
}

void pkgauth_match_clear(pkgauth_match *m)
{
    if (!m)
        return;
    pkgauth_credential_free(m->credential);
    free(m->key);
    memset(m, 0, sizeof *m);
}

/* ---- the key `login` writes -------------------------------------------- */

static int count_dots(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '.';
    return n;
}

/* s3:// keys are kept as typed, without trailing slashes. */
static int s3_key(const char *host, char **key, pkgauth_error *err)
{
    size_t len = strlen(host);
    while (len > 5 && host[len - 1] == '/')
        len--;
    if (len <= 5 || host[5] == '/') /* "s3://" or "s3:///key" */
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid S3 URL '%s': no bucket", host);
    *key = strndup(host, len);
    return *key ? PKGAUTH_OK : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
}

int pkgauth_login_key(const char *host, char **key, pkgauth_error *err)
{
    if (!key)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "login_key: key is required");
    *key = NULL;
    if (!host || !*host || strpbrk(host, " \t\r\n"))
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid host '%s'", host ? host : "");
    if (!strncasecmp(host, "s3://", 5))
        return s3_key(host, key, err);

    /* A bare host is checked by parsing it as https://HOST, which also
     * drops a port (keys never include one). "*." is kept as typed. */
    int wild = !strncmp(host, "*.", 2);
    int has_scheme = strstr(host, "://") != NULL;
    char *url = NULL;
    char name[KEY_MAX];
    if (asprintf(&url, "%s%s", has_scheme ? "" : "https://", host + (wild ? 2 : 0)) < 0)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (!has_scheme && strpbrk(host, "/?#@"))
        return free(url), pkgauth_error_set(err, PKGAUTH_EINVAL,
                                             "invalid host '%s': give a host name or a URL",
                                             host);
    int rc = url_host(url, name, err);
    free(url);
    if (rc)
        return pkgauth_error_set(err, rc, "invalid host '%s'", host);
    int add_wild = wild || (count_dots(name) == 1 && !is_ip_address(name));
    if (asprintf(key, "%s%s", add_wild ? "*." : "", name) < 0)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    return PKGAUTH_OK;
}
