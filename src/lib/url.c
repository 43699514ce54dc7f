/* URLs: redaction before they are shown anywhere, the check every parser
 * agrees on, and the one URL type the library reads URLs with. Redaction
 * works on the text, not a parsed URL, so even a URL too broken to parse
 * is shown safely. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "curl_dl.h"
#include "error.h"
#include "memory.h"
#include "pkgauth/url.h"
#include "url_internal.h"

#define MASK "********"

/* Appends n bytes of s to the buffer at *out. */
static void put(char **out, const char *s, size_t n)
{
    memcpy(*out, s, n);
    *out += n;
}

/* Query parameters whose values are secrets (presigned S3 URLs). */
static int secret_param(const char *p, size_t n)
{
    static const char *const names[] = {"X-Amz-Signature=", "X-Amz-Security-Token=",
                                        "X-Amz-Credential="};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (n >= strlen(names[i]) && !strncasecmp(p, names[i], strlen(names[i])))
            return (int)strlen(names[i]);
    return 0;
}

char *pkgauth_url_redact(const char *url)
{
    if (!url)
        return NULL;
    size_t len = strlen(url);
    /* Each masked part is replaced by at most sizeof MASK bytes; a part is
     * at least one byte, so this bound is generous. */
    char *res = malloc(len * (sizeof MASK) + 1), *out = res;
    if (!res)
        return NULL;
    const char *p = url, *end = url + len;
    const char *scheme = strstr(url, "://");
    if (scheme) {
        const char *auth = scheme + 3;
        const char *auth_end = auth + strcspn(auth, "/?#");
        const char *at = NULL;
        for (const char *q = auth; q < auth_end; q++)
            if (*q == '@')
                at = q;
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            put(&out, url, (size_t)(colon + 1 - url));
            put(&out, MASK, strlen(MASK));
            p = at;
        }
        put(&out, p, (size_t)(auth_end - p));
        p = auth_end;
    }
    while (p < end) {
        size_t seg = strcspn(p + 1, "/?#&") + 1; /* one path segment or query item */
        int n;
        if (seg == 2 && !strncmp(p, "/t/", 3)) {
            /* a conda token: /t/<token>/ */
            put(&out, "/t/", 3);
            p += 3;
            size_t tok = strcspn(p, "/?#");
            if (tok)
                put(&out, MASK, strlen(MASK));
            p += tok;
            continue;
        }
        if ((*p == '?' || *p == '&') && (n = secret_param(p + 1, seg - 1))) {
            put(&out, p, (size_t)n + 1);
            put(&out, MASK, strlen(MASK));
        } else {
            put(&out, p, seg);
        }
        p += seg;
    }
    *out = '\0';
    return res;
}

/* ---- URLs every parser reads alike ---------------------------------------- */

/* Why the authority auth[0..n) is ambiguous, or NULL. Only the host part
 * (after the one '@') may hold brackets, and then they enclose all of it
 * but the port: "[::1]" or "[::1]:8080". */
static const char *authority_problem(const char *auth, size_t n)
{
    const char *at = memchr(auth, '@', n), *host = at ? at + 1 : auth, *end = auth + n;
    if (!n)
        return "no host";
    for (const char *p = auth; p < end; p++) {
        if (*p == ' ')
            return "a space in the host part";
        if (*p == '\\')
            return "a backslash in the host part";
        if (*p == '@' && p != at)
            return "more than one '@' in the host part";
        if ((*p == '[' || *p == ']') && p < host)
            return "a bracket before the host";
    }
    const char *open = memchr(host, '[', (size_t)(end - host));
    const char *close = memchr(host, ']', (size_t)(end - host));
    if (open || close) {
        if (open != host || !close || memchr(open + 1, '[', (size_t)(end - open - 1)) ||
            memchr(close + 1, ']', (size_t)(end - close - 1)) ||
            (close + 1 < end && close[1] != ':'))
            return "unbalanced brackets";
    } else if (memchr(host, '%', (size_t)(end - host))) {
        return "a percent sign in the host";
    }
    return NULL;
}

static int scheme_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '.' || c == '-';
}

/* Any byte of s[0..n) below 0x20 or 0x7f, eight at a time: this runs on
 * every lookup (the classic "has less than" / "has zero byte" tests, each
 * exact about whether some byte matches). */
static int has_control(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, del;
        memcpy(&x, s + i, 8);
        del = x ^ (0x7fu * ones);
        if (((x - 0x20u * ones) & ~x & highs) | ((del - ones) & ~del & highs))
            return 1;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 1;
    return 0;
}

/* Why url is ambiguous, or NULL. An authority with none of the bytes that
 * make one ambiguous (the usual case) skips the detailed reading. */
static const char *url_problem(const char *url)
{
    const char *p = url, *auth;
    while (scheme_char(*p))
        p++;
    if (p == url || p[0] != ':' || p[1] != '/' || p[2] != '/')
        return "expected scheme://host";
    auth = p + 3;
    if (*auth == '/' || *auth == '\\')
        return "more than two slashes after the scheme";
    if (has_control(url, strlen(url)))
        return "a control character";
    size_t n = strcspn(auth, "/?#");
    if (n && strcspn(auth, " \\@[]%/?#") >= n)
        return NULL;
    return authority_problem(auth, n);
}

/* PKGAUTH_EINVAL, "invalid URL: <redacted url>: <why>". */
static int invalid(const char *url, const char *why, pkgauth_error *err)
{
    if (!url)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid URL: none given");
    char *shown = err ? pkgauth_url_redact(url) : NULL;
    for (char *p = shown; p && *p; p++) /* keep the message on one line */
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid URL: %s: %s", shown ? shown : "", why);
    pkgauth_free(shown);
    return PKGAUTH_EINVAL;
}

int pkgauth_url_check(const char *url, pkgauth_error *err)
{
    const char *why = url ? url_problem(url) : "none given";
    if (why)
        return invalid(url, why, err);
    return pkgauth_curl_load(err); /* libcurl's parser comes next: it must be there */
}

/* ---- the one URL type ------------------------------------------------------ */

static void lower(char *s)
{
    for (; s && *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* A malloc'd copy of a libcurl string, which is wiped (it may be a
 * password) and released. NULL when out of memory. */
static char *take(char *s)
{
    char *copy = strdup(s);
    explicit_bzero(s, strlen(s));
    curl_free(s);
    return copy;
}

/* Part `what` into *out, a libcurl string (the parts of a URL read by
 * libcurl are libcurl's: no copies on the lookup's path); a part the URL
 * lacks stays NULL. 0 = out of memory; -1 = the part cannot be given (a
 * user info that decodes to control bytes); 1 = fine. */
static int get_part(const CURLU *h, CURLUPart what, unsigned flags, char **out)
{
    char *s = NULL;
    CURLUcode rc = curl_url_get(h, what, &s, flags);
    if (rc == CURLUE_OUT_OF_MEMORY)
        return 0;
    if (rc != CURLUE_OK)
        curl_free(s), s = NULL;
    *out = s;
    return rc == CURLUE_URLDECODE ? -1 : 1;
}

static const char S3_BUCKET_CHARS[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789.-_";

/* s3://bucket/key?query#fragment, split on the text (see the header). */
static int read_s3(pkgauth_net_url *u, const char *url, unsigned flags, const char **why)
{
    const char *b = url + 5, *path = b + strcspn(b, "/?#");
    size_t bn = (size_t)(path - b), pn = strcspn(path, "?#");
    const char *q = path[pn] == '?' ? path + pn + 1 : NULL;
    const char *f = strchr(path, '#');
    if (!bn || strspn(b, S3_BUCKET_CHARS) < bn)
        return *why = "the bucket name may only hold letters, digits, '.', '-' and '_'",
               PKGAUTH_EINVAL;
    if (!(u->host = strndup(b, bn)))
        return PKGAUTH_ENOMEM;
    lower(u->host);
    if (flags & PKGAUTH_URL_HOST_ONLY)
        return PKGAUTH_OK;
    int ok = (u->scheme = strdup("s3")) && (u->bucket = strndup(b, bn)) &&
             (u->key = strndup(*path == '/' ? path + 1 : path, pn - (*path == '/'))) &&
             (u->path = malloc(strlen(u->key) + 2)) &&
             (!q || (u->query = strndup(q, strcspn(q, "#")))) &&
             (!f || (u->fragment = strdup(f + 1)));
    if (!ok)
        return PKGAUTH_ENOMEM;
    u->path[0] = '/';
    strcpy(u->path + 1, u->key);
    return PKGAUTH_OK;
}

/* Every part but the host (the lookup needs only that one). */
static int read_parts(pkgauth_net_url *u, const CURLU *h, const char **why)
{
    int ok = get_part(h, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT, &u->port) &
             get_part(h, CURLUPART_PORT, CURLU_DEFAULT_PORT, &u->port_eff) &
             get_part(h, CURLUPART_PATH, 0, &u->path) & get_part(h, CURLUPART_QUERY, 0, &u->query) &
             get_part(h, CURLUPART_FRAGMENT, 0, &u->fragment);
    if (!ok)
        return PKGAUTH_ENOMEM;
    int user = get_part(h, CURLUPART_USER, CURLU_URLDECODE, &u->user);
    int pass = user ? get_part(h, CURLUPART_PASSWORD, CURLU_URLDECODE, &u->password) : 0;
    if (user < 0 || pass < 0)
        return *why = "a control character in the user info", PKGAUTH_EINVAL;
    return user && pass ? PKGAUTH_OK : PKGAUTH_ENOMEM;
}

static unsigned curl_flags(unsigned flags)
{
    return (flags & PKGAUTH_URL_CURL_SCHEMES ? 0 : CURLU_NON_SUPPORT_SCHEME) |
           (flags & PKGAUTH_URL_PATH_AS_IS ? CURLU_PATH_AS_IS : 0) |
           (flags & PKGAUTH_URL_ALLOW_SPACE ? CURLU_ALLOW_SPACE : 0);
}

static int read_curl(pkgauth_net_url *u, const char *url, unsigned flags, const char **why)
{
    if (pkgauth_curl_load(NULL))
        return *why = "libcurl cannot be loaded", PKGAUTH_EUNAVAILABLE;
    CURLU *h = curl_url();
    if (!h)
        return PKGAUTH_ENOMEM;
    u->handle = h;
    CURLUcode rc = curl_url_set(h, CURLUPART_URL, url, curl_flags(flags));
    if (rc == CURLUE_OUT_OF_MEMORY)
        return PKGAUTH_ENOMEM;
    if (rc)
        return *why = curl_url_strerror(rc), PKGAUTH_EINVAL;
    if (!get_part(h, CURLUPART_HOST, 0, &u->host))
        return PKGAUTH_ENOMEM;
    if (!u->host)
        return *why = "no host", PKGAUTH_EINVAL;
    if (!(flags & PKGAUTH_URL_KEEP_CASE))
        lower(u->host);
    if (flags & PKGAUTH_URL_HOST_ONLY)
        return PKGAUTH_OK;
    if (!get_part(h, CURLUPART_SCHEME, 0, &u->scheme))
        return PKGAUTH_ENOMEM;
    lower(u->scheme);
    return read_parts(u, h, why);
}

int pkgauth_net_url_read(pkgauth_net_url *u, const char *url, unsigned flags, const char **why)
{
    memset(u, 0, sizeof *u);
    *why = url ? url_problem(url) : "none given";
    if (*why)
        return PKGAUTH_EINVAL;
    if (!strncasecmp(url, "s3://", 5))
        return flags & PKGAUTH_URL_CURL_SCHEMES
                   ? (*why = "Unsupported URL scheme", PKGAUTH_EINVAL) /* libcurl's words */
                   : read_s3(u, url, flags, why);
    return read_curl(u, url, flags, why);
}

int pkgauth_net_url_parse(pkgauth_net_url *u, const char *url, unsigned flags,
                          pkgauth_error *err)
{
    const char *why = NULL;
    int rc = pkgauth_net_url_read(u, url, flags, &why);
    if (rc == PKGAUTH_ENOMEM)
        return pkgauth_oom(err);
    if (rc == PKGAUTH_EUNAVAILABLE)
        return pkgauth_curl_load(err); /* its message names the cause */
    return rc ? invalid(url, why, err) : PKGAUTH_OK;
}

/* Releases one part, which libcurl allocated when libcurl read the URL;
 * wiped first when it may hold a secret (a password, a conda token in the
 * path, a signature in the query). */
static inline void release(const pkgauth_net_url *u, char **part, int secret)
{
    if (!*part)
        return;
    if (secret)
        explicit_bzero(*part, strlen(*part));
    if (u->handle)
        curl_free(*part);
    else
        free(*part);
    *part = NULL;
}

void pkgauth_net_url_dispose(pkgauth_net_url *u)
{
    /* Straight-line: this runs on every lookup, mostly with the host alone. */
    release(u, &u->host, 0);
    release(u, &u->scheme, 0);
    release(u, &u->port, 0);
    release(u, &u->port_eff, 0);
    release(u, &u->bucket, 0);
    release(u, &u->path, 1);
    release(u, &u->query, 1);
    release(u, &u->fragment, 1);
    release(u, &u->user, 1);
    release(u, &u->password, 1);
    release(u, &u->key, 1);
    curl_url_cleanup(u->handle);
    u->handle = NULL;
}

int pkgauth_net_url_format(const pkgauth_net_url *u, unsigned fmt, char **out)
{
    CURLU *h = NULL;
    char *s = NULL;
    int ok = 1;
    *out = NULL;
    if (!u->handle && u->bucket) /* s3://: the literal text it was read from */
        return asprintf(out, "s3://%s%s%s%s%s%s", u->bucket, u->path, u->query ? "?" : "",
                        u->query ? u->query : "", u->fragment ? "#" : "",
                        u->fragment ? u->fragment : "") < 0
                   ? (*out = NULL, PKGAUTH_ENOMEM)
                   : PKGAUTH_OK;
    if (!u->handle)
        return PKGAUTH_EINVAL;
    if (!(h = curl_url_dup(u->handle)))
        return PKGAUTH_ENOMEM;
    if (fmt & PKGAUTH_URL_FMT_NO_USERINFO)
        ok = !curl_url_set(h, CURLUPART_USER, NULL, 0) &&
             !curl_url_set(h, CURLUPART_PASSWORD, NULL, 0);
    CURLUcode rc = ok ? curl_url_get(h, CURLUPART_URL, &s,
                                     fmt & PKGAUTH_URL_FMT_NO_DEFAULT_PORT ? CURLU_NO_DEFAULT_PORT
                                                                           : 0)
                      : CURLUE_OUT_OF_MEMORY;
    curl_url_cleanup(h);
    if (rc)
        return curl_free(s), rc == CURLUE_OUT_OF_MEMORY ? PKGAUTH_ENOMEM : PKGAUTH_EINVAL;
    *out = take(s);
    return *out ? PKGAUTH_OK : PKGAUTH_ENOMEM;
}

/* Sets one part on the handle and reads it back into *field. */
static int set_part(pkgauth_net_url *u, CURLUPart what, const char *value, unsigned flags,
                    char **field)
{
    if (!u->handle)
        return PKGAUTH_EINVAL;
    CURLUcode rc = curl_url_set(u->handle, what, value, flags);
    if (rc)
        return rc == CURLUE_OUT_OF_MEMORY ? PKGAUTH_ENOMEM : PKGAUTH_EINVAL;
    release(u, field, 1);
    int got = get_part(u->handle, what, what == CURLUPART_PATH ? 0 : CURLU_URLDECODE, field);
    return got > 0 ? PKGAUTH_OK : got ? PKGAUTH_EINVAL : PKGAUTH_ENOMEM;
}

int pkgauth_net_url_set_path(pkgauth_net_url *u, const char *path)
{
    return set_part(u, CURLUPART_PATH, path, 0, &u->path);
}

int pkgauth_net_url_set_userinfo(pkgauth_net_url *u, const char *user, const char *password)
{
    int rc = set_part(u, CURLUPART_USER, user, CURLU_URLENCODE, &u->user);
    return rc ? rc : set_part(u, CURLUPART_PASSWORD, password, CURLU_URLENCODE, &u->password);
}

char *pkgauth_net_url_origin(const pkgauth_net_url *u)
{
    char *s = NULL;
    return asprintf(&s, "%s://%s:%s", u->scheme ? u->scheme : "", u->host ? u->host : "",
                    u->port_eff ? u->port_eff : "") < 0
               ? NULL
               : s;
}
