/* pkgauth logout [HOST] [--all] [--force] */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "context.h"
#include "options.h"
#include "output.h"

/* Deletes key if it was not already tried; adds to *removed. A key held
 * only by a read-only store (netrc) was already warned about by the store;
 * *readonly records it, and it fails nothing by itself. */
static int remove_key(cli *c, pkgauth_store *s, const char *key, const char **tried, int n,
                      int force, size_t *removed, int *readonly)
{
    for (int i = 0; i < n; i++)
        if (tried[i] && !strcmp(tried[i], key))
            return EXIT_OK;
    size_t count = 0;
    pkgauth_error err = {0};
    int rc = force ? pkgauth_store_delete_force(s, key, &count, &err)
                   : pkgauth_store_delete(s, key, &count, &err);
    *readonly |= rc == PKGAUTH_EREADONLY;
    if (rc == PKGAUTH_ELOCKED || rc == PKGAUTH_EUNREACHABLE) {
        cli_error(c, "%s; nothing was removed (--force removes %s from the other stores)",
                  err.message, key);
        return EXIT_FAIL;
    }
    if (rc && rc != PKGAUTH_ENOTFOUND && rc != PKGAUTH_EREADONLY) {
        cli_error(c, "%s", err.message);
        return EXIT_FAIL;
    }
    if (count)
        cli_info(c, "Removed credentials for %s", key);
    *removed += count;
    return EXIT_OK;
}

static int logout_host(cli *c, pkgauth_store *s, const char *host, int force)
{
    char *login_key = NULL;
    pkgauth_error err = {0};
    pkgauth_login_key(host, &login_key, &err); /* NULL for a host login would refuse */
    const char *keys[3] = {host, login_key, !strncmp(host, "*.", 2) ? host + 2 : NULL};
    size_t removed = 0;
    int rc = EXIT_OK, readonly = 0;
    for (int i = 0; i < 3 && !rc; i++)
        if (keys[i])
            rc = remove_key(c, s, keys[i], keys, i, force, &removed, &readonly);
    pkgauth_free(login_key);
    /* Nothing removed but a read-only store holds it: the credentials
     * stay in effect, so the logout failed, but "not found" would lie. */
    if (!rc && !removed && readonly) {
        cli_error(c, "the credentials for %s are only in read-only stores; nothing was removed",
                  host);
        rc = EXIT_FAIL;
    } else if (!rc && !removed) {
        cli_error(c, "No stored credentials found for %s", host);
        rc = EXIT_FAIL;
    }
    return rc;
}

/* The first store that could not be asked for its entries. */
static void note_unreachable(void *ctx, const char *backend, const char *why)
{
    char *first = ctx;
    (void)backend;
    if (!*first)
        snprintf(first, 600, "%s", why);
}

static int logout_all(cli *c, pkgauth_store *s, int force)
{
    pkgauth_entry *entries;
    size_t n, removed = 0;
    int readonly = 0; /* --all skips read-only entries with their warning */
    pkgauth_error err = {0};
    char unreachable[600] = "";
    if (pkgauth_store_list_ex(s, &entries, &n, note_unreachable, unreachable, &err)) {
        cli_error(c, "%s", err.message);
        return EXIT_FAIL;
    }
    if (*unreachable && !force) { /* its entries are unknown: remove nothing */
        pkgauth_entries_free(entries, n);
        cli_error(c, "%s; nothing was removed (--force removes the credentials of the other "
                  "stores)", unreachable);
        return EXIT_FAIL;
    }
    if (*unreachable && !n) /* else each removal warns about it once */
        cli_warn(c, "%s; nothing was removed from it", unreachable);
    int rc = EXIT_OK;
    for (size_t i = 0; i < n && !rc; i++)
        if (!entries[i].shadowed) /* the first of a key removes it everywhere */
            rc = remove_key(c, s, entries[i].key, NULL, 0, force, &removed, &readonly);
    pkgauth_entries_free(entries, n);
    if (!rc)
        cli_info(c, "Removed %zu credential%s", removed, removed == 1 ? "" : "s");
    return rc;
}

int cmd_logout(cli *c, int argc, char **argv)
{
    const char *host = NULL;
    int all = 0, force = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "--force")) {
            *(argv[i][2] == 'a' ? &all : &force) = 1;
            continue;
        }
        int r = cli_common_argument(c, "logout", argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (host)
            return cli_usage_error(c, "logout", "unexpected argument '%s'", argv[i]);
        host = argv[i];
    }
    if (all == (host != NULL))
        return cli_usage_error(c, "logout", "give either a HOST or '--all'");
    pkgauth_store *s = cli_store(c);
    if (!s)
        return EXIT_FAIL;
    return all ? logout_all(c, s, force) : logout_host(c, s, host, force);
}
