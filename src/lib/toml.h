/* A small TOML 1.0 reader: parses a whole document into a read-only tree.
 *
 * Internal to libpkgauth. The tree owns copies of everything it needs, so the
 * input buffer may be freed right after pkgauth_toml_parse returns. Every
 * query function accepts NULL and then answers "absent", so lookups can be
 * chained: pkgauth_toml_table_get_table(pkgauth_toml_table_get_table(root,
 * "a"), "b"). */
#ifndef PKGAUTH_TOML_H
#define PKGAUTH_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Arrays, inline tables and [table] paths may nest this deep; deeper input is
 * rejected, which also bounds the recursion of the parser and of callers that
 * walk the tree. */
#define PKGAUTH_TOML_MAX_DEPTH 128

/* Larger documents are rejected before parsing. */
#define PKGAUTH_TOML_MAX_SIZE ((size_t)64 * 1024 * 1024)

typedef enum pkgauth_toml_type {
    PKGAUTH_TOML_TABLE,
    PKGAUTH_TOML_ARRAY,
    PKGAUTH_TOML_STRING,
    PKGAUTH_TOML_INTEGER,
    PKGAUTH_TOML_FLOAT,
    PKGAUTH_TOML_BOOL,
    PKGAUTH_TOML_DATETIME,       /* offset date-time: 1979-05-27T07:32:00Z */
    PKGAUTH_TOML_DATETIME_LOCAL, /* local date-time: 1979-05-27T07:32:00 */
    PKGAUTH_TOML_DATE_LOCAL,     /* local date: 1979-05-27 */
    PKGAUTH_TOML_TIME_LOCAL,     /* local time: 07:32:00.5 */
} pkgauth_toml_type;

/* A node of the tree: a table, an array or a scalar. */
typedef struct pkgauth_toml_value pkgauth_toml_value;

/* Parses len bytes of data. file is only used in error messages, which read
 * "file:line:column: message" (1-based; the column counts characters). On
 * success *out is the root table, to be freed with pkgauth_toml_free. Returns
 * PKGAUTH_OK, PKGAUTH_EPARSE, PKGAUTH_ENOMEM or PKGAUTH_EINVAL (NULL out). */
int pkgauth_toml_parse(const char *data, size_t len, const char *file,
                       pkgauth_toml_value **out, pkgauth_error *err);

/* Frees a tree returned by pkgauth_toml_parse; string contents are zeroed
 * first, as configuration files may hold secrets. NULL is fine. */
void pkgauth_toml_free(pkgauth_toml_value *root);

/* The type of v. v must not be NULL. */
pkgauth_toml_type pkgauth_toml_type_of(const pkgauth_toml_value *v);

/* "table", "array", "string", "integer", "float", "bool", "datetime",
 * "datetime-local", "date-local" or "time-local" (for messages). */
const char *pkgauth_toml_type_name(pkgauth_toml_type type);

/* Tables. Keys are iterated in document order (the order in which each key
 * first appeared). */
size_t pkgauth_toml_table_size(const pkgauth_toml_value *table);
/* The i-th key, NUL-terminated; *len (when len is not NULL) receives its
 * length, since a quoted key may contain "\u0000". NULL if out of range. */
const char *pkgauth_toml_table_key(const pkgauth_toml_value *table, size_t i,
                                   size_t *len);
const pkgauth_toml_value *pkgauth_toml_table_value(
    const pkgauth_toml_value *table, size_t i);
/* The value under key, or NULL if table is not a table or has no such key. */
const pkgauth_toml_value *pkgauth_toml_table_get(
    const pkgauth_toml_value *table, const char *key);
/* Same, but NULL unless the value is a table (resp. an array). */
const pkgauth_toml_value *pkgauth_toml_table_get_table(
    const pkgauth_toml_value *table, const char *key);
const pkgauth_toml_value *pkgauth_toml_table_get_array(
    const pkgauth_toml_value *table, const char *key);

/* Typed lookups: PKGAUTH_OK, PKGAUTH_ENOTFOUND when the key is absent, or
 * PKGAUTH_EINVAL when the value has another type. get_string also answers
 * PKGAUTH_EINVAL for a string containing a NUL, which a C string cannot
 * represent faithfully. *out is only written on success. */
int pkgauth_toml_table_get_string(const pkgauth_toml_value *table,
                                  const char *key, const char **out);
int pkgauth_toml_table_get_bool(const pkgauth_toml_value *table,
                                const char *key, bool *out);
int pkgauth_toml_table_get_int(const pkgauth_toml_value *table,
                               const char *key, int64_t *out);

/* Arrays (static arrays and arrays of tables alike). */
size_t pkgauth_toml_array_size(const pkgauth_toml_value *array);
const pkgauth_toml_value *pkgauth_toml_array_get(
    const pkgauth_toml_value *array, size_t i);

/* Scalars. as_string returns the NUL-terminated text of a string value, or
 * NULL for other types; the text may itself contain NULs, so compare
 * string_length with strlen where that matters. */
const char *pkgauth_toml_as_string(const pkgauth_toml_value *v);
size_t pkgauth_toml_string_length(const pkgauth_toml_value *v);
/* PKGAUTH_OK, or PKGAUTH_EINVAL when v is NULL or of another type. */
int pkgauth_toml_as_bool(const pkgauth_toml_value *v, bool *out);
int pkgauth_toml_as_int(const pkgauth_toml_value *v, int64_t *out);
int pkgauth_toml_as_float(const pkgauth_toml_value *v, double *out);
/* The normalised RFC 3339 text of any of the four date-time kinds ("T" and
 * "Z" upper-case, the fraction kept as written), or NULL for other types;
 * pkgauth_toml_type_of tells the kind. */
const char *pkgauth_toml_as_datetime(const pkgauth_toml_value *v);

#endif
