/* Fuzz target: applying credentials to a request. The input is a URL, a
 * NUL, then header lines; each kind of credential is applied and the result
 * checked: a request that already carries Authorization or user:password
 * gets nothing added, and the redacted URL never shows the conda token. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pkgauth/pkgauth.h"
#include "../tests/unit/make_credential.h"

#define SECRET "fuzzSECRETtoken"

static int has_authorization(char **headers, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strncasecmp(headers[i], "authorization:", 14))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 2);
    memcpy(text, data, size);
    text[size] = text[size + 1] = '\0';
    char *headers[8];
    size_t n = 0;
    char *rest = text + strlen(text) + 1;
    for (char *save = NULL, *h = rest <= text + size ? strtok_r(rest, "\n", &save) : NULL;
         h && n < 8; h = strtok_r(NULL, "\n", &save))
        headers[n++] = h;

    pkgauth_credential *creds[] = {make_bearer(SECRET),
                                   make_basic("u", SECRET),
                                   make_conda(SECRET)};
    for (size_t i = 0; i < 3; i++) {
        pkgauth_request *req = NULL;
        pkgauth_error err;
        if (pkgauth_request_apply(creds[i], "GET", text, (const char *const *)headers, n, &req,
                                  &err) == PKGAUTH_OK) {
            if (has_authorization(headers, n) && pkgauth_request_applied(req))
                abort(); /* the caller's Authorization must win */
            char *shown = pkgauth_url_redact(pkgauth_request_url(req));
            if (shown && strstr(shown, SECRET) && !strstr(text, SECRET))
                abort(); /* a token we added must never show */
            pkgauth_free(shown);
        }
        pkgauth_request_free(req);
        pkgauth_credential_free(creds[i]);
    }
    (void)pkgauth_url_same_origin(text, "https://example.com/");
    free(text);
    return 0;
}
