/* pkgauth status: every entry of every store, never a secret. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "context.h"
#include "options.h"
#include "output.h"

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

/* The unreachable stores, shown after the entries. */
typedef struct {
    char backend[4][200], why[4][500];
    int n;
} unreachable_list;

static void note_unreachable(void *ctx, const char *backend, const char *why)
{
    unreachable_list *u = ctx;
    if (u->n < 4) {
        snprintf(u->backend[u->n], sizeof u->backend[0], "%s", backend);
        snprintf(u->why[u->n++], sizeof u->why[0], "%s", why);
    }
}

/* Keys, store names (file paths) and user names are printed escaped. */
static void print_entry(const pkgauth_entry *e)
{
    char extra[256];
    char shadowed[64];
    snprintf(shadowed, sizeof shadowed, "%s%s", e->shadowed ? " (shadowed)" : "", unused_note(e));
    cli_print_field("", e->key, "");
    if (!e->credential) { /* never read: the value may be a secret */
        cli_print_field("  invalid: not one credential (remove it with `pkgauth logout ", e->key,
                        "`)");
        cli_print_field("  store:  ", e->backend, shadowed);
        return;
    }
    printf("  method: %s\n", pkgauth_method_name(pkgauth_credential_method(e->credential)));
    cli_print_field("  store:  ", e->backend, shadowed);
    details(e->credential, extra, sizeof extra);
    if (*extra)
        cli_print_field("  ", extra, "");
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
    unreachable_list u = {0};
    if (pkgauth_store_list_ex(s, &e, &n, note_unreachable, &u, &err)) {
        cli_error(c, "%s", err.message);
        return EXIT_FAIL;
    }
    if (!n && !u.n)
        printf("No credentials stored.\n");
    for (size_t i = 0; i < n; i++)
        print_entry(&e[i]);
    for (int i = 0; i < u.n; i++) {
        cli_print_field("", u.backend[i],
                        ": unreachable: its entries are not listed and may shadow these");
        cli_print_field("  reason: ", u.why[i], "");
    }
    pkgauth_entries_free(e, n);
    return EXIT_OK;
}
