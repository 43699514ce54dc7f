/* Reading the expiry of a JWT, so `status` can show when a token lapses. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "memory.h"
#include "pkgauth/credential.h"

/* Decodes base64url without padding into a new NUL-terminated buffer. */
static unsigned char *b64url_decode(const char *s, size_t n, size_t *out_len)
{
    size_t padded = (n + 3) / 4 * 4;
    char *std = malloc(padded + 1);
    unsigned char *out = malloc(padded / 4 * 3 + 1);
    int len = -1;
    if (std && out) {
        for (size_t i = 0; i < padded; i++)
            std[i] = i >= n ? '=' : s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
        std[padded] = '\0';
        len = EVP_DecodeBlock(out, (unsigned char *)std, (int)padded);
    }
    pkgauth_wipe_free(std, padded + 1);
    if (len < 0) {
        free(out);
        return NULL;
    }
    /* EVP_DecodeBlock counts padding as zero bytes: take them off again. */
    len -= (int)(padded - n);
    out[len] = '\0';
    *out_len = (size_t)len;
    return out;
}

int pkgauth_jwt_expiry(const char *token, int64_t *exp)
{
    const char *dot1 = token ? strchr(token, '.') : NULL;
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || dot2 == dot1 + 1 || strchr(dot2 + 1, '.'))
        return 0;
    size_t len;
    unsigned char *claims = b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &len);
    if (!claims)
        return 0;
    json_t *obj = json_loadb((const char *)claims, len, 0, NULL);
    json_t *e = json_object_get(obj, "exp");
    int ok = json_is_integer(e);
    if (ok && exp)
        *exp = json_integer_value(e);
    json_decref(obj);
    pkgauth_wipe_free(claims, len);
    return ok;
}
