/* Redaction of URLs before they are shown anywhere. Works on the text, not
 * a parsed URL, so even a URL too broken to parse is shown safely. */
#include <stdlib.h>
#include <string.h>

#include "pkgauth/store.h"

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
