/* pkgauth which <URL>: which stored credential a request would use. */
#include <stdlib.h>

#include "cli.h"

void help_which(FILE *out)
{
    fputs("Show which credential a URL would use, and why\n\n"
          "Usage: pkgauth which [OPTIONS] <URL>\n\n"
          "Arguments:\n"
          "  <URL>  The URL of a request, e.g. https://repo.prefix.dev/my-channel/noarch/repodata.json\n\n"
          "Prints the storage key that matched, the store it came from and the method.\n"
          "With -v, also every key that was tried, in order. Exits 1 when none matches.\n",
          out);
    cli_help_globals(out);
}

static int show_candidate(void *ctx, const char *key)
{
    cli_debug(ctx, 1, "tries key %s", key);
    return 0;
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
    if (pkgauth_store_find(s, url, &m, &err)) {
        cli_error(c, "%s", err.message);
        return EXIT_FAIL;
    }
    fputs("key:    ", stdout);
    cli_put_escaped(stdout, m.key);
    fputs("\nstore:  ", stdout);
    cli_put_escaped(stdout, m.backend);
    printf("\nmethod: %s\n", pkgauth_method_name(pkgauth_credential_method(m.credential)));
    pkgauth_match_clear(&m);
    return EXIT_OK;
}
