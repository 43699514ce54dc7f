/* pkgauth status: every entry of every store, never a secret. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

void help_status(FILE *out)
{
    fputs("List every stored credential and where it is stored\n\n"
          "Usage: pkgauth status [OPTIONS]\n\n"
          "Shows each entry's key, method, store and details (user name, session token,\n"
          "token expiry), sorted by key; '(shadowed)' marks an entry that an earlier store\n"
          "overrides. Secrets are never shown.\n",
          out);
    cli_help_globals(out);
}

static void format_time(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, n, "%lld", (long long)t);
}

/* What can be said about a credential without showing its secret. */
static void details(const pkgauth_credential *cred, char *buf, size_t n)
{
    int64_t exp = pkgauth_credential_expires_at(cred);
    char when[64];
    buf[0] = '\0';
    switch (pkgauth_credential_method(cred)) {
    case PKGAUTH_METHOD_BASIC:
        snprintf(buf, n, "username: %s", pkgauth_credential_username(cred));
        break;
    case PKGAUTH_METHOD_S3:
        snprintf(buf, n, "%s", pkgauth_credential_session_token(cred) ? "with session token"
                                                                      : "no session token");
        break;
    case PKGAUTH_METHOD_BEARER:
    case PKGAUTH_METHOD_CONDA:
        if (!pkgauth_jwt_expiry(pkgauth_credential_token(cred), &exp))
            break;
        /* fall through */
    case PKGAUTH_METHOD_OAUTH:
        if (exp) {
            format_time(exp, when, sizeof when);
            snprintf(buf, n, "%s %s", exp <= (int64_t)time(NULL) ? "expired" : "expires", when);
        }
        break;
    }
}

/* netrc's `default` entry is listed, but resolution never answers with it
 * (resolve.c), as rattler does; only PyPI user@ URLs use it (pypi.c). */
static const char *unused_note(const pkgauth_entry *e)
{
    int netrc_default = !strcmp(e->key, "default") && !strncmp(e->backend, "netrc (", 7);
    return netrc_default ? " (unused for conda channels and S3)" : "";
}

int cmd_status(cli *c, int argc, char **argv)
{
    if (cli_only_global_options(c, "status", argc, argv))
        return EXIT_USAGE;
    pkgauth_store *s = cli_store(c);
    pkgauth_entry *e;
    size_t n;
    pkgauth_error err = {0};
    if (!s)
        return EXIT_FAIL;
    if (pkgauth_store_list(s, &e, &n, &err)) {
        cli_error(c, "%s", err.message);
        return EXIT_FAIL;
    }
    if (!n)
        printf("No credentials stored.\n");
    for (size_t i = 0; i < n; i++) {
        char extra[256];
        details(e[i].credential, extra, sizeof extra);
        printf("%s\n  method: %s\n  store:  %s%s%s\n", e[i].key,
               pkgauth_method_name(pkgauth_credential_method(e[i].credential)), e[i].backend,
               e[i].shadowed ? " (shadowed)" : "", unused_note(&e[i]));
        if (*extra)
            printf("  %s\n", extra);
    }
    pkgauth_entries_free(e, n);
    return EXIT_OK;
}
