/* pkgauth: credentials and their JSON form (the one pixi/rattler writes).
 * Strings returned here are freed with pkgauth_free(). */
#ifndef PKGAUTH_CREDENTIAL_H
#define PKGAUTH_CREDENTIAL_H

#include <stdint.h>
#include "pkgauth/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pkgauth_method {
    PKGAUTH_METHOD_BEARER = 1, /* {"BearerToken": "<token>"} */
    PKGAUTH_METHOD_BASIC,      /* {"BasicHTTP": {"username", "password"}} */
    PKGAUTH_METHOD_CONDA,      /* {"CondaToken": "<token>"} */
    PKGAUTH_METHOD_S3,         /* {"S3Credentials": {...}} */
    PKGAUTH_METHOD_OAUTH,      /* {"OAuth": {...}}, written by pixi, read only */
} pkgauth_method;

/* An immutable credential. Every string it holds is overwritten with zeros
 * when it is freed. */
typedef struct pkgauth_credential pkgauth_credential;

/* Constructors copy their arguments into a new credential, *out; free it
 * with pkgauth_credential_free(). session_token may be NULL. Errors:
 * PKGAUTH_EINVAL naming a required argument that is NULL, PKGAUTH_ENOMEM;
 * *out is then NULL and err (may be NULL) says why. */
PKGAUTH_API int pkgauth_credential_new_bearer(pkgauth_credential **out, const char *token,
                                              pkgauth_error *err);
PKGAUTH_API int pkgauth_credential_new_conda(pkgauth_credential **out, const char *token,
                                             pkgauth_error *err);
PKGAUTH_API int pkgauth_credential_new_basic(pkgauth_credential **out, const char *username,
                                             const char *password, pkgauth_error *err);
PKGAUTH_API int pkgauth_credential_new_s3(pkgauth_credential **out, const char *access_key_id,
                                          const char *secret_access_key,
                                          const char *session_token, pkgauth_error *err);
/* A copy of cred in *out. */
PKGAUTH_API int pkgauth_credential_dup(pkgauth_credential **out, const pkgauth_credential *cred,
                                       pkgauth_error *err);
PKGAUTH_API void pkgauth_credential_free(pkgauth_credential *cred);

/* The method; 0 (no method) for NULL. */
PKGAUTH_API pkgauth_method pkgauth_credential_method(const pkgauth_credential *cred);
/* "BearerToken", "BasicHTTP", "CondaToken", "S3" or "OAuth" (static). */
PKGAUTH_API const char *pkgauth_method_name(pkgauth_method method);

/* Accessors return strings owned by the credential, or NULL when the field
 * does not apply to its method (or cred is NULL). */
PKGAUTH_API const char *pkgauth_credential_token(const pkgauth_credential *cred);      /* bearer, conda, OAuth access token */
PKGAUTH_API const char *pkgauth_credential_username(const pkgauth_credential *cred);   /* basic */
PKGAUTH_API const char *pkgauth_credential_password(const pkgauth_credential *cred);   /* basic */
PKGAUTH_API const char *pkgauth_credential_access_key_id(const pkgauth_credential *cred);     /* S3 */
PKGAUTH_API const char *pkgauth_credential_secret_access_key(const pkgauth_credential *cred); /* S3 */
PKGAUTH_API const char *pkgauth_credential_session_token(const pkgauth_credential *cred);     /* S3, may be NULL */
/* OAuth: expiry in seconds since the epoch; 0 when none is recorded. */
PKGAUTH_API int64_t pkgauth_credential_expires_at(const pkgauth_credential *cred);

/* When token is a JWT with an "exp" claim, stores it in *exp (exp may be
 * NULL: only the answer) and returns 1; otherwise (also for a NULL token)
 * returns 0. The signature is not checked (display only). */
PKGAUTH_API int pkgauth_jwt_expiry(const char *token, int64_t *exp);

/* Whether text may be a field of a credential (as pkgauth_store_set and
 * the credentials file require): NULL when it may, else why not, as a
 * phrase that never quotes the text (static): "is not valid UTF-8",
 * "contains a control character", or, for a conda token (conda_token
 * nonzero; it goes into the URL path), "must not contain '/', '?', '#', '%'
 * or white space". "is missing" for a NULL text. */
PKGAUTH_API const char *pkgauth_credential_text_problem(const char *text, int conda_token);

/* Parses one credential value, e.g. {"BearerToken":"x"}. On success *out
 * is a new credential the caller frees. PKGAUTH_EPARSE for text that is
 * not JSON (the message gives line and column, never a quote of the text),
 * not a credential, or a credential with a control character in a field
 * or URL syntax ('/', '?', '#', '%', white space) in a conda token. */
PKGAUTH_API int pkgauth_credential_from_json(const char *json, size_t len,
                                             pkgauth_credential **out,
                                             pkgauth_error *err);
/* The compact JSON text of a credential, exactly as rattler writes it.
 * Free with pkgauth_free() (it holds the secret). NULL when out of memory. */
PKGAUTH_API char *pkgauth_credential_to_json(const pkgauth_credential *cred);

#ifdef __cplusplus
}
#endif
#endif
