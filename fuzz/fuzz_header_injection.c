/* Fuzz target: header injection. The input is NUL-separated parts: a
 * method, a URL, a credential text, then header lines; any of them may
 * hold CR, LF or other control bytes. The credential text is applied as
 * each kind of credential (built directly, bypassing every check a store
 * makes) and, when it parses, as a credential JSON value; every request
 * the library accepts to build is then checked against the one invariant:
 * no CR, LF or NUL in any header line or in the request target. (A NUL
 * inside a C string cannot be seen, so a NUL check means the library never
 * builds a line whose length and strlen differ: lines are C strings, and
 * the check below is on strlen.) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkgauth/pkgauth.h"
#include "../tests/unit/make_credential.h"

#define MAX_PARTS 12

static int wire_bad(const char *s)
{
    return !s || strpbrk(s, "\r\n") != NULL;
}

static void check(const pkgauth_credential *cred, const char *method, const char *url,
                  const char *const *headers, size_t n)
{
    pkgauth_request *req = NULL;
    if (pkgauth_request_apply(cred, method, url, headers, n, &req, NULL) == PKGAUTH_OK) {
        if (wire_bad(method) || wire_bad(pkgauth_request_url(req)))
            abort(); /* a request line with a line break */
        for (size_t i = 0; i < pkgauth_request_header_count(req); i++)
            if (wire_bad(pkgauth_request_header(req, i)))
                abort(); /* a header line with a line break */
    }
    pkgauth_request_free(req);
}

/* Splits the input at NUL bytes: parts[0..n). */
static size_t split(char *text, size_t size, char **parts)
{
    size_t n = 0;
    for (char *p = text; p <= text + size && n < MAX_PARTS; p += strlen(p) + 1)
        parts[n++] = p;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *parts[MAX_PARTS];
    size_t n = split(text, size, parts);
    const char *method = n > 0 ? parts[0] : "GET";
    const char *url = n > 1 ? parts[1] : "https://example.com/";
    const char *secret = n > 2 ? parts[2] : "";
    const char *const *headers = (const char *const *)parts + 3;
    size_t n_headers = n > 3 ? n - 3 : 0;

    pkgauth_credential *creds[6] = {
        make_bearer(secret),
        make_conda(secret),
        make_basic(secret, secret),
        make_s3("AKID", secret, secret),
        NULL,
        NULL,
    };
    (void)pkgauth_credential_from_json(secret, strlen(secret), &creds[4], NULL);
    for (size_t i = 0; i < 6; i++) {
        check(creds[i], method, url, headers, n_headers);
        check(creds[i], "GET", url, NULL, 0);
        pkgauth_credential_free(creds[i]);
    }
    free(text);
    return 0;
}
