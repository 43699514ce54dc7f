/* Fuzz target: the TOML reader, then a walk over everything it returned. */
#include <stddef.h>
#include <stdint.h>

#include "toml.h"

static void walk(const pkgauth_toml_value *v, int depth)
{
    double d;
    int64_t i;
    bool b;
    switch (pkgauth_toml_type_of(v)) {
    case PKGAUTH_TOML_TABLE:
        for (size_t k = 0; k < pkgauth_toml_table_size(v); k++) {
            size_t len;
            const char *key = pkgauth_toml_table_key(v, k, &len);
            walk(pkgauth_toml_table_value(v, k), depth + 1);
            (void)pkgauth_toml_table_get(v, key);
        }
        break;
    case PKGAUTH_TOML_ARRAY:
        for (size_t k = 0; k < pkgauth_toml_array_size(v); k++)
            walk(pkgauth_toml_array_get(v, k), depth + 1);
        break;
    default:
        (void)pkgauth_toml_as_string(v);
        (void)pkgauth_toml_as_float(v, &d);
        (void)pkgauth_toml_as_int(v, &i);
        (void)pkgauth_toml_as_bool(v, &b);
        (void)pkgauth_toml_as_datetime(v);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pkgauth_toml_value *root = NULL;
    pkgauth_error err;
    if (pkgauth_toml_parse((const char *)data, size, "fuzz.toml", &root, &err) == PKGAUTH_OK) {
        walk(root, 0);
        pkgauth_toml_free(root);
    }
    return 0;
}
