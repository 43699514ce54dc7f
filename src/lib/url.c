/* Redaction of URLs before they are shown anywhere. Works on the text, not
 * a parsed URL, so even a URL too broken to parse is shown safely. */
#include <stdlib.h>
#include <string.h>

#include "curl_dl.h"
#include "error.h"
#include "pkgauth/store.h"
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

/* Why url is ambiguous, or NULL. Plain loops: this runs on every lookup. */
static const char *url_problem(const char *url)
{
    const char *p = url, *auth, *end;
    while (scheme_char(*p))
        p++;
    if (p == url || p[0] != ':' || p[1] != '/' || p[2] != '/')
        return "expected scheme://host";
    auth = p + 3;
    if (*auth == '/' || *auth == '\\')
        return "more than two slashes after the scheme";
    for (end = auth; *end && *end != '/' && *end != '?' && *end != '#'; end++)
        ;
    for (p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "a control character";
    return authority_problem(auth, (size_t)(end - auth));
}

int pkgauth_url_check(const char *url, pkgauth_error *err)
{
    if (!url)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid URL: none given");
    const char *why = url_problem(url);
    if (!why) /* libcurl's parser comes next: it must be there */
        return pkgauth_curl_load(err);
    char *shown = err ? pkgauth_url_redact(url) : NULL;
    for (char *p = shown; p && *p; p++) /* keep the message on one line */
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid URL: %s: %s", shown ? shown : "", why);
    pkgauth_free(shown);
    return PKGAUTH_EINVAL;
}
