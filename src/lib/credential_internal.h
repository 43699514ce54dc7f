/* Internal: credentials <-> jansson values. */
#ifndef PKGAUTH_CREDENTIAL_INTERNAL_H
#define PKGAUTH_CREDENTIAL_INTERNAL_H

#include <jansson.h>
#include "pkgauth/credential.h"

/* Converts a parsed credential value. On failure returns PKGAUTH_EPARSE and
 * puts a short reason (no secret) in why. */
int pkgauth_credential_from_value(const json_t *value, pkgauth_credential **out,
                                  char *why, size_t why_len);
/* Only checks the shape of a credential value (no copies): PKGAUTH_OK or
 * PKGAUTH_EPARSE with the reason in why. */
int pkgauth_credential_check_value(const json_t *value, char *why, size_t why_len);
/* A new jansson value (fields in rattler's order); NULL when out of memory. */
json_t *pkgauth_credential_to_value(const pkgauth_credential *cred);

#endif
