/* pkgauth token <HOST>: the token a request to https://HOST would use. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

void help_token(FILE *out)
{
    fputs("Print the token a request to a host would use\n\n"
          "Usage: pkgauth token [OPTIONS] <HOST>\n\n"
          "Arguments:\n"
          "  <HOST>  The host (or URL) whose BearerToken or CondaToken to print\n\n"
          "Only token credentials are printed; Basic and S3 credentials are refused.\n",
          out);
    cli_help_globals(out);
}

/* Parses "<cmd> [global options] <ONE-ARGUMENT>" for token and which. */
int cli_single_argument(cli *c, const char *command, int argc, char **argv, const char **arg)
{
    *arg = NULL;
    for (int i = 0; i < argc; i++) {
        int r = cli_common_argument(c, command, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (*arg)
            return cli_usage_error(c, command, "unexpected argument '%s'", argv[i]);
        *arg = argv[i];
    }
    if (!*arg)
        return cli_usage_error(c, command, "the following required arguments were not provided: <%s>",
                               strcmp(command, "which") ? "HOST" : "URL");
    return EXIT_OK;
}

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
