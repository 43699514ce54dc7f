/* pkgauth: checking a prefix.dev token before it is stored. Strings
 * returned here are freed with pkgauth_free(). */
#ifndef PKGAUTH_PREFIX_DEV_H
#define PKGAUTH_PREFIX_DEV_H

#include "pkgauth/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API base for a login host in the prefix.dev domain: the
 * PREFIX_DEV_API_URL variable when set, else "https://" + host with a
 * leading "*." and "repo." removed ("repo.prefix.dev" -> https://prefix.dev).
 * Free with pkgauth_free(); NULL when out of memory or host is NULL. */
PKGAUTH_API char *pkgauth_prefix_dev_api_url(const char *host);

/* Asks <api_url>/api/graphql who owns token: a POST of
 * {"query":"query { viewer { login } }"} with "Authorization: Bearer
 * <token>". On success *login is the account name (free with
 * pkgauth_free()).
 * PKGAUTH_EAUTH: the server says the token is invalid (viewer is null, or
 * 401/403). PKGAUTH_EHTTP: the server could not be reached or gave an
 * answer that is not one of those. The token never appears in err. */
PKGAUTH_API int pkgauth_prefix_dev_check_token(const char *api_url, const char *token,
                                               char **login, pkgauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
