/* Internal: credentials <-> jansson values. */
#ifndef PKGAUTH_CREDENTIAL_INTERNAL_H
#define PKGAUTH_CREDENTIAL_INTERNAL_H

#include <jansson.h>
#include <stdint.h>
#include "pkgauth/credential.h"

/* Converts a parsed credential value. On failure returns PKGAUTH_EPARSE and
 * puts a short reason (no secret) in why. */
int pkgauth_credential_from_value(const json_t *value, pkgauth_credential **out,
                                  char *why, size_t why_len);
/* Only checks the shape of a credential value (no copies): PKGAUTH_OK or
 * PKGAUTH_EPARSE with the reason in why. */
int pkgauth_credential_check_value(const json_t *value, char *why, size_t why_len);
/* What a code point is to a credential field (bits). Shared with the file
 * index (json_index.c), so that both paths refuse the same text. */
enum {
    PKGAUTH_CP_CONTROL = 1, /* C0 or DEL: never in a credential field */
    PKGAUTH_CP_NOT_CONDA = 2, /* '/', '?', '#', '%' or whitespace: never in a
                                  conda token, which goes into the URL path */
};
int pkgauth_cp_flags(uint32_t cp);
/* The reason (static, names the field, never its value) when a field's
 * flags make it invalid, else NULL. field is the JSON field name, or NULL
 * for the string body of BearerToken / CondaToken. */
const char *pkgauth_field_problem(const char *field, int flags, int conda);
/* The PKGAUTH_CP_* bits of any code point in s (valid UTF-8, len bytes). */
int pkgauth_text_flags(const char *s, size_t len);

/* 1 when s is strict UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF), as jansson wants every string. */
int pkgauth_utf8_valid(const char *s);
/* Whether a credential may be stored and sent: every field UTF-8, no
 * control character, a conda token without URL syntax. PKGAUTH_EINVAL with
 * the reason (naming the field, never its value) in why; PKGAUTH_ENOMEM. */
int pkgauth_credential_validate(const pkgauth_credential *cred, char *why, size_t why_len);

/* What jansson found wrong, in words of our own. jansson's own text ends
 * with "near '<text>'", a quote of the input that can be part of a secret,
 * so no message may use e->text: say this, with e->line and e->column. */
const char *pkgauth_json_error_what(const json_error_t *e);

/* A new jansson value (fields in rattler's order); NULL when out of memory. */
json_t *pkgauth_credential_to_value(const pkgauth_credential *cred);

#endif
