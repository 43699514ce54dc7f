/* toml2json: the toml-test decoder interface for pkgauth's TOML reader.
 * Reads TOML on stdin and writes the tagged JSON toml-test expects on
 * stdout ({"type": ..., "value": "..."} for each scalar). Invalid input:
 * the error message on stderr and exit status 1. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

static json_t *to_json(const pkgauth_toml_value *v);

static json_t *tagged(const char *type, const char *value, size_t len)
{
    json_t *o = json_object();
    if (o) {
        json_object_set_new(o, "type", json_string(type));
        json_object_set_new(o, "value", json_stringn(value, len));
    }
    return o;
}

static json_t *table_to_json(const pkgauth_toml_value *t)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < pkgauth_toml_table_size(t); i++) {
        size_t len;
        const char *key = pkgauth_toml_table_key(t, i, &len);
        json_t *child = to_json(pkgauth_toml_table_value(t, i));
        /* setn: keys may contain NUL ("\u0000" in a quoted key). */
        if (!child || json_object_setn_new(o, key, len, child) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *array_to_json(const pkgauth_toml_value *a)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < pkgauth_toml_array_size(a); i++) {
        json_t *child = to_json(pkgauth_toml_array_get(a, i));
        if (!child || json_array_append_new(arr, child) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *float_to_json(double d)
{
    char text[64];
    if (isnan(d))
        snprintf(text, sizeof text, "nan");
    else if (isinf(d))
        snprintf(text, sizeof text, d < 0 ? "-inf" : "inf");
    else
        snprintf(text, sizeof text, "%.17g", d);
    return tagged("float", text, strlen(text));
}

static json_t *to_json(const pkgauth_toml_value *v)
{
    pkgauth_toml_type type = pkgauth_toml_type_of(v);
    char text[32];
    int64_t i;
    double d;
    bool b;
    switch (type) {
    case PKGAUTH_TOML_TABLE:
        return table_to_json(v);
    case PKGAUTH_TOML_ARRAY:
        return array_to_json(v);
    case PKGAUTH_TOML_STRING:
        return tagged("string", pkgauth_toml_as_string(v),
                      pkgauth_toml_string_length(v));
    case PKGAUTH_TOML_INTEGER:
        pkgauth_toml_as_int(v, &i);
        snprintf(text, sizeof text, "%" PRId64, i);
        return tagged("integer", text, strlen(text));
    case PKGAUTH_TOML_FLOAT:
        pkgauth_toml_as_float(v, &d);
        return float_to_json(d);
    case PKGAUTH_TOML_BOOL:
        pkgauth_toml_as_bool(v, &b);
        return tagged("bool", b ? "true" : "false", b ? 4 : 5);
    default: {
        const char *dt = pkgauth_toml_as_datetime(v);
        return tagged(pkgauth_toml_type_name(type), dt, strlen(dt));
    }
    }
}

/* Reads all of stdin; one byte more than the reader accepts is enough to
 * let it report the size error. */
static char *read_stdin(size_t *len)
{
    size_t cap = 65536, n = 0;
    char *data = malloc(cap);
    while (data) {
        if (n == cap) {
            if (cap > PKGAUTH_TOML_MAX_SIZE) {
                *len = n; /* too large already: let the reader say so */
                return data;
            }
            char *bigger = realloc(data, cap * 2);
            if (!bigger)
                break;
            data = bigger;
            cap *= 2;
        }
        size_t got = fread(data + n, 1, cap - n, stdin);
        n += got;
        if (got == 0) {
            *len = n;
            return ferror(stdin) ? (free(data), NULL) : data;
        }
    }
    free(data);
    return NULL;
}

int main(void)
{
    size_t len;
    char *data = read_stdin(&len);
    if (!data) {
        fprintf(stderr, "toml2json: cannot read standard input\n");
        return 2;
    }
    pkgauth_error err = {0};
    pkgauth_toml_value *root = NULL;
    int rc = pkgauth_toml_parse(data, len, "<stdin>", &root, &err);
    free(data);
    if (rc != PKGAUTH_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    json_t *json = to_json(root);
    pkgauth_toml_free(root);
    if (!json || json_dumpf(json, stdout, JSON_INDENT(1)) != 0) {
        fprintf(stderr, "toml2json: cannot write JSON\n");
        json_decref(json);
        return 2;
    }
    json_decref(json);
    fputc('\n', stdout);
    return 0;
}
