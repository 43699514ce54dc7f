/* Fuzz target: a credentials file as another tool (or an attacker) wrote
 * it: every read path of the file backend (find, list, get), and a write
 * that must either refuse or produce a file that reads back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkgauth/pkgauth.h"
#include "../tests/unit/make_credential.h"

static char dir[] = "/tmp/pkgauth-fuzz-XXXXXX";
static char path[64];

static void write_input(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof path, "%s/credentials.json", dir);
    }
    write_input(data, size);
    pkgauth_store *s;
    pkgauth_error err;
    pkgauth_store_new(&s, &err);
    pkgauth_store_add_file(s, path, &err);
    pkgauth_match m;
    if (pkgauth_store_find(s, "https://repo.prefix.dev/c/noarch/repodata.json", &m, &err) == 0)
        pkgauth_match_clear(&m);
    pkgauth_entry *e;
    size_t n;
    int listed = pkgauth_store_list(s, &e, &n, &err) == 0;
    if (listed) {
        for (size_t i = 0; i < n; i++) {
            pkgauth_credential *c;
            if (pkgauth_store_get(s, e[i].key, &c, NULL, &err) != 0)
                abort(); /* a listed key must be readable */
            char *j = pkgauth_credential_to_json(c);
            pkgauth_free(j);
            pkgauth_credential_free(c);
        }
        pkgauth_entries_free(e, n);
    }
    /* A write succeeds exactly when the file was readable. */
    pkgauth_credential *c = make_bearer("t");
    int wrote = pkgauth_store_set(s, "new.example.com", c, NULL, &err) == 0;
    pkgauth_credential_free(c);
    pkgauth_store_free(s);
    if (wrote != listed)
        abort();
    if (wrote) { /* and what it wrote reads back */
        pkgauth_store_new(&s, &err);
        pkgauth_store_add_file(s, path, &err);
        if (pkgauth_store_get(s, "new.example.com", &c, NULL, &err) != 0)
            abort();
        pkgauth_credential_free(c);
        pkgauth_store_free(s);
    }
    return 0;
}
