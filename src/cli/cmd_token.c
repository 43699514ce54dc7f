/* pkgauth token <HOST>: the token a request to https://HOST would use. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "context.h"
#include "options.h"
#include "output.h"

static int print_token(cli *c, const char *host, const pkgauth_credential *cred)
{
    pkgauth_method m = pkgauth_credential_method(cred);
    if (m == PKGAUTH_METHOD_BASIC || m == PKGAUTH_METHOD_S3) {
        cli_error(c, "the credentials for %s are %s credentials, not a printable token", host,
                  pkgauth_method_name(m));
        return EXIT_FAIL;
    }
    int64_t exp = pkgauth_credential_expires_at(cred);
    if (m == PKGAUTH_METHOD_OAUTH && exp && exp <= (int64_t)time(NULL)) {
        cli_error(c, "the OAuth token for %s has expired: log in again", host);
        return EXIT_FAIL;
    }
    printf("%s\n", pkgauth_credential_token(cred));
    return EXIT_OK;
}

int cmd_token(cli *c, int argc, char **argv)
{
    const char *host;
    int rc = cli_single_argument(c, "token", argc, argv, &host);
    if (rc)
        return rc;
    pkgauth_store *s = cli_store(c);
    if (!s)
        return EXIT_FAIL;
    pkgauth_match m;
    pkgauth_error err = {0};
    /* A URL as typed; a host resolved as https://HOST. */
    int miss = strstr(host, "://") ? pkgauth_store_find(s, host, &m, &err)
                                    : pkgauth_store_find_host(s, host, &m, &err);
    if (miss) {
        cli_error(c, "%s", err.message);
        rc = EXIT_FAIL;
    } else {
        cli_debug(c, 1, "using %s from %s", m.key, m.backend);
        rc = print_token(c, host, m.credential);
        pkgauth_match_clear(&m);
    }
    return rc;
}
