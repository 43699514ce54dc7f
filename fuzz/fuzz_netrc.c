/* Fuzz target: the netrc parser and lookups with and without a login. */
#include <stddef.h>
#include <stdint.h>

#include "netrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pkgauth_netrc *n = NULL;
    pkgauth_error err;
    if (pkgauth_netrc_parse((const char *)data, size, "fuzz.netrc", &n, &err) != PKGAUTH_OK)
        return 0;
    const char *login, *password;
    static const char *hosts[] = {"example.com", "EXAMPLE.com", "", "default", "a"};
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++) {
        pkgauth_netrc_lookup(n, hosts[i], NULL, &login, &password);
        pkgauth_netrc_lookup(n, hosts[i], "user", &login, &password);
        pkgauth_netrc_lookup_default_last(n, hosts[i], "user", &login, &password);
    }
    for (size_t i = 0; i < pkgauth_netrc_count(n); i++) {
        const pkgauth_netrc_entry *e = pkgauth_netrc_entry_at(n, i);
        if (e->host)
            pkgauth_netrc_lookup(n, e->host, e->login, &login, &password);
    }
    pkgauth_netrc_free(n);
    return 0;
}
