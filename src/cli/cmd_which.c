/* pkgauth which <URL>: which stored credential a request would use. */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "context.h"
#include "options.h"
#include "output.h"

static int show_candidate(void *ctx, const char *key)
{
    cli_debug(ctx, 1, "tries key %s", key);
    return 0;
}

static void print_match(const pkgauth_match *m)
{
    cli_print_field("key:    ", m->key, "");
    cli_print_field("store:  ", m->backend, "");
    printf("method: %s\n", pkgauth_method_name(pkgauth_credential_method(m->credential)));
}

/* The netrc file the PyPI lookup reads (pypi.h): $NETRC, else ~/.netrc. */
static void print_netrc_source(const char *user)
{
    const char *env = getenv("NETRC"), *home = getenv("HOME");
    char store[8192];
    snprintf(store, sizeof store, "netrc (%s%s) (user %s)", env && *env ? env : home ? home : "",
             env && *env ? "" : "/.netrc", user);
    printf("key:    (none: the URL's user name, with the password of netrc's entry)\n");
    cli_print_field("store:  ", store, "");
}

static void on_pypi_warning(void *ctx, const char *message)
{
    cli_warn(ctx, "%s", message);
}

/* A URL with a user name: what fetch does (pkgauth_pypi_find), with the
 * keyring provider fetch would use. Never prints a password. */
static int which_user(cli *c, pkgauth_store *s, const char *url, const char *user)
{
    pkgauth_config *config = cli_config(c);
    if (!config)
        return EXIT_FAIL;
    pkgauth_pypi_options o = PKGAUTH_PYPI_OPTIONS_INIT;
    o.keyring_provider = pkgauth_config_keyring_provider(config, NULL);
    o.store = s;
    o.warn = on_pypi_warning;
    o.warn_ctx = c;
    pkgauth_pypi *pypi = NULL;
    pkgauth_credential *cred = NULL;
    pkgauth_pypi_source source = PKGAUTH_PYPI_SOURCE_NONE;
    pkgauth_error err = {0};
    pkgauth_match m;
    int rc = pkgauth_pypi_open(&pypi, &o, &err);
    if (!rc)
        rc = pkgauth_pypi_find(pypi, url, &cred, &source, &err);
    if (rc == PKGAUTH_ENOTFOUND)
        cli_error(c, "no password for user %s: not in the URL, keyring, netrc or the stored "
                  "credentials (fetch would send the user name alone)", user);
    else if (rc)
        cli_error(c, "%s", err.message);
    else if (source == PKGAUTH_PYPI_SOURCE_URL)
        printf("key:    (none: the URL's own user info is used)\n"),
            cli_print_field("store:  the URL (user ", user, ")"), printf("method: BasicHTTP\n");
    else if (source == PKGAUTH_PYPI_SOURCE_KEYRING)
        printf("key:    (none: the URL's user name, with the password from keyring)\n"),
            cli_print_field("store:  keyring program (user ", user, ")"),
            printf("method: BasicHTTP\n");
    else if (source == PKGAUTH_PYPI_SOURCE_NETRC)
        print_netrc_source(user), printf("method: BasicHTTP\n");
    else if (!(rc = pkgauth_store_find(s, url, &m, &err))) /* the entry pypi took */
        print_match(&m), pkgauth_match_clear(&m);
    else
        cli_error(c, "%s", err.message);
    pkgauth_credential_free(cred);
    pkgauth_pypi_free(pypi);
    return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_which(cli *c, int argc, char **argv)
{
    const char *url;
    int rc = cli_single_argument(c, "which", argc, argv, &url);
    if (rc)
        return rc;
    pkgauth_store *s = cli_store(c);
    if (!s)
        return EXIT_FAIL;
    pkgauth_error err = {0};
    pkgauth_match m;
    if (c->verbose)
        pkgauth_url_candidates(url, show_candidate, c, &err);
    char *user = pkgauth_url_username(url);
    if (user) {
        rc = which_user(c, s, url, user);
        pkgauth_free(user);
        return rc;
    }
    if (pkgauth_store_find(s, url, &m, &err)) {
        cli_error(c, "%s", err.message);
        return EXIT_FAIL;
    }
    print_match(&m);
    pkgauth_match_clear(&m);
    return EXIT_OK;
}
