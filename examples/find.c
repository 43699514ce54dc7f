/* Prints which stored credential a URL would use, like `pkgauth which`.
 *
 *   cc find.c $(pkg-config --cflags --libs pkgauth) -o find
 *   ./find https://repo.prefix.dev/my-channel/noarch/repodata.json
 */
#include <stdio.h>

#include <pkgauth/pkgauth.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s URL\n", argv[0]);
        return 2;
    }
    pkgauth_error err = {0};
    pkgauth_store *store;
    pkgauth_store_options opts = PKGAUTH_STORE_OPTIONS_INIT; /* then set fields, if any */
    if (pkgauth_store_open(&store, &opts, &err)) {
        fprintf(stderr, "error: %s\n", err.message);
        return 1;
    }
    pkgauth_match m;
    int rc = pkgauth_store_find(store, argv[1], &m, &err);
    if (rc == PKGAUTH_OK) {
        printf("%s %s %s\n", m.key,
               pkgauth_method_name(pkgauth_credential_method(m.credential)), m.backend);
        pkgauth_match_clear(&m);
    } else {
        fprintf(stderr, "error: %s\n", err.message);
    }
    pkgauth_store_free(store);
    return rc == PKGAUTH_OK ? 0 : 1;
}
