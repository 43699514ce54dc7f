/* A validating index over the text of a credentials file.
 *
 * Why this exists next to jansson: reading one credential used to parse the
 * whole file into a jansson tree. For a 10,000-entry file (750 KB) that
 * parse took ~15 ms and freeing the tree another ~2.5 ms, against a budget
 * of 15 ms for the whole `pkgauth token <host>` command. This module checks
 * the file in one pass without allocating per value, and records where each
 * top-level member's key and value are; a lookup then hands jansson only the
 * few bytes of the one value it needs.
 *
 * It must refuse exactly what the old path refused, so it checks:
 *   - the JSON grammar (RFC 8259) as strictly as jansson's json_loadb with
 *     flags 0: strict UTF-8, no raw control characters in strings, only valid
 *     escapes and surrogate pairs, no \u0000, integers within int64_t, reals
 *     that do not overflow a double, nesting depth <= JSON_PARSER_MAX_DEPTH,
 *     nothing but whitespace after the value, no byte-order mark;
 *   - that the top level is an object whose every value (after duplicate
 *     keys are resolved, the last one winning) has the credential shape of
 *     pkgauth_credential_check_value, with that function's reasons (the
 *     shape, then the contents of the fields: no control character, no
 *     URL syntax in a conda token).
 * One deliberate difference: jansson skips a single NUL byte that directly
 * follows a number or a literal (an artefact of its stream buffer); this
 * refuses every NUL byte outside strings, as the grammar says.
 * Error reasons are its own short texts, never a quote of the input (jansson
 * adds "near '<text>'", which can be part of a secret), and the offset is
 * the start of the offending token or byte.
 *
 * tests/unit/test_json_index.c cross-checks all of it against jansson. */
#ifndef PKGAUTH_JSON_INDEX_H
#define PKGAUTH_JSON_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* One top-level member. Keys are decoded: a key without escapes points into
 * the text (not NUL-terminated), one with escapes into the index's arena. */
typedef struct {
    const char *key;
    uint32_t key_len;
    uint32_t key_at;  /* offset of the key's opening quote */
    uint32_t val_at;  /* the value's bytes: text[val_at, val_at + val_len) */
    uint32_t val_len;
    uint32_t hash;
    uint8_t shape;    /* 0, or why the value is not a credential */
    uint8_t live;     /* 0 when a later member has the same key */
} pkgauth_json_member;

/* A table slot. The hash sits beside the member number so that probing
 * past other keys reads only the table, not the members (cache misses were
 * most of a lookup's cost). */
typedef struct {
    uint32_t hash;
    uint32_t member; /* member index + 1; 0 = empty */
} pkgauth_json_slot;

typedef struct {
    const char *text; /* not owned; must outlive the index */
    size_t len;
    pkgauth_json_member *members; /* in file order, dead duplicates included */
    size_t count;
    pkgauth_json_slot *slots; /* open addressing, linear probing */
    size_t mask;     /* slot count - 1 (a power of two) */
    char *arena;     /* decoded keys that had escapes */
} pkgauth_json_index;

enum {
    PKGAUTH_JSON_OK = 0,
    PKGAUTH_JSON_ESYNTAX,    /* not JSON */
    PKGAUTH_JSON_ENOTOBJECT, /* JSON, but the top level is not an object */
    PKGAUTH_JSON_EENTRY,     /* a member's value is not a credential */
    PKGAUTH_JSON_ENOMEM,
};

typedef struct {
    size_t offset;    /* byte offset of the error (EENTRY: of the key) */
    char reason[160]; /* no secret is ever copied here */
    char key[81];     /* EENTRY: the member's key, cut at 80 bytes */
} pkgauth_json_error;

/* Validates text as a credentials file and indexes it. Returns one of the
 * codes above; on error, ix is left empty and err says where and why. */
int pkgauth_json_index_build(pkgauth_json_index *ix, const char *text, size_t len,
                             pkgauth_json_error *err);
/* The live member whose decoded key is key[0, key_len), or NULL. */
const pkgauth_json_member *pkgauth_json_index_find(const pkgauth_json_index *ix,
                                                   const char *key, size_t key_len);
void pkgauth_json_index_free(pkgauth_json_index *ix);

/* Grammar check only (no credential shapes), for tests and tools. With
 * any_value, a scalar at the top level is fine (jansson's JSON_DECODE_ANY). */
int pkgauth_json_validate(const char *text, size_t len, int any_value,
                          pkgauth_json_error *err);

#endif
