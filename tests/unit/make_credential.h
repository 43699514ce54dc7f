/* Credentials for test fixtures in one expression: the constructors
 * return an error code and the credential through an out parameter
 * (credential.h); these give the credential, or NULL on any error, where
 * a test only needs a value to store or apply. Tests of the constructors
 * themselves call them directly. */
#ifndef PKGAUTH_TEST_MAKE_CREDENTIAL_H
#define PKGAUTH_TEST_MAKE_CREDENTIAL_H

#include <pkgauth/credential.h>

static inline pkgauth_credential *make_bearer(const char *token)
{
    pkgauth_credential *c = NULL;
    pkgauth_credential_new_bearer(&c, token, NULL);
    return c;
}

static inline pkgauth_credential *make_conda(const char *token)
{
    pkgauth_credential *c = NULL;
    pkgauth_credential_new_conda(&c, token, NULL);
    return c;
}

static inline pkgauth_credential *make_basic(const char *username, const char *password)
{
    pkgauth_credential *c = NULL;
    pkgauth_credential_new_basic(&c, username, password, NULL);
    return c;
}

static inline pkgauth_credential *make_s3(const char *key_id, const char *secret,
                                          const char *session_token)
{
    pkgauth_credential *c = NULL;
    pkgauth_credential_new_s3(&c, key_id, secret, session_token, NULL);
    return c;
}

static inline pkgauth_credential *make_dup(const pkgauth_credential *cred)
{
    pkgauth_credential *c = NULL;
    pkgauth_credential_dup(&c, cred, NULL);
    return c;
}

#endif
