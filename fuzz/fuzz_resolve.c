/* Fuzz target: URL resolution. The input is a URL, a NUL, then keys
 * separated by newlines; each key is stored and the URL resolved. Also the
 * redaction and login-key functions on the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkgauth/pkgauth.h"
#include "../tests/unit/make_credential.h"

static int noop(void *ctx, const char *key)
{
    (void)ctx;
    (void)key;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 2);
    memcpy(text, data, size);
    text[size] = text[size + 1] = '\0';
    const char *url = text;
    char *keys = text + strlen(text) + 1;
    if (keys > text + size)
        keys = text + size + 1;

    pkgauth_store *s;
    pkgauth_error err;
    pkgauth_store_new(&s, &err);
    pkgauth_store_add_memory(s, &err);
    pkgauth_credential *c = make_bearer("tok");
    for (char *k = strtok(keys, "\n"); k; k = strtok(NULL, "\n"))
        pkgauth_store_set(s, k, c, NULL, &err);
    pkgauth_credential_free(c);

    pkgauth_match m;
    if (pkgauth_store_find(s, url, &m, &err) == 0) {
        if (!m.key || !m.credential)
            abort();
        pkgauth_match_clear(&m);
    }
    pkgauth_url_candidates(url, noop, NULL, &err);
    char *r = pkgauth_url_redact(url);
    pkgauth_free(r);
    char *key = NULL;
    if (pkgauth_login_key(url, &key, &err) == 0)
        pkgauth_free(key);
    pkgauth_store_free(s);
    free(text);
    return 0;
}
