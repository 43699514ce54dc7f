/* Fuzz target: SigV4 canonicalisation. The input supplies the method, the
 * URL and header lines (newline separated); both forms are signed with
 * general and S3 URI rules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sigv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pkgauth_sigv4_signer *signer;
    pkgauth_error err;
    if (!signer && pkgauth_sigv4_signer_new(&signer, &err))
        abort();
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *save = NULL;
    const char *method = strtok_r(text, "\n", &save);
    const char *url = method ? strtok_r(NULL, "\n", &save) : NULL;
    pkgauth_sigv4_header headers[8];
    size_t n = 0;
    for (char *line; n < 8 && (line = strtok_r(NULL, "\n", &save));) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        headers[n].name = line;
        headers[n++].value = colon + 1;
    }
    if (method && url) {
        for (int rules = PKGAUTH_SIGV4_URI_GENERAL; rules <= PKGAUTH_SIGV4_URI_S3; rules++) {
            pkgauth_sigv4_params p = {.region = "us-east-1", .service = "s3",
                                      .access_key_id = "AKID", .secret_access_key = "secret",
                                      .session_token = (size & 1) ? "tok" : NULL,
                                      .amz_date = "20150830T123600Z", .expires = 300,
                                      .uri_rules = (pkgauth_sigv4_uri_rules)rules};
            pkgauth_sigv4_request r = {.method = method, .url = url, .headers = headers,
                                       .n_headers = n, .payload_hash = "UNSIGNED-PAYLOAD"};
            pkgauth_sigv4_result res;
            memset(&res, 0, sizeof res);
            if (pkgauth_sigv4_sign_headers(signer, &p, &r, &res, &err) == 0)
                pkgauth_sigv4_result_free(&res);
            memset(&res, 0, sizeof res);
            if (pkgauth_sigv4_presign(signer, &p, &r, &res, &err) == 0)
                pkgauth_sigv4_result_free(&res);
        }
    }
    free(text);
    return 0;
}
