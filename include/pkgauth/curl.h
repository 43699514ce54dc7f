/* pkgauth: doing authenticated transfers safely with libcurl (redirects
 * included). Opt-in: pkgauth.h does not include this header, so a program
 * that only looks up or applies credentials needs no curl headers. Include
 * it (and link libcurl) to use these functions:
 *
 *   #include <pkgauth/pkgauth.h>
 *   #include <pkgauth/curl.h>
 *
 * libpkgauth itself loads libcurl on first use; when it cannot be loaded,
 * the functions that need it return PKGAUTH_EUNAVAILABLE. */
#ifndef PKGAUTH_CURL_H
#define PKGAUTH_CURL_H

#include <curl/curl.h>

#include "pkgauth/common.h"
#include "pkgauth/pypi.h"
#include "pkgauth/request.h"
#include "pkgauth/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sets up easy for a GET of url with the credential the store holds for
 * it: CURLOPT_URL, CURLOPT_HTTPHEADER and CURLOPT_FOLLOWLOCATION = 0, so
 * that curl never follows a redirect by itself (see pkgauth_curl_redirect).
 *
 * *headers: on entry the caller's header list, or NULL; on return the list
 * set on easy, which may now hold an Authorization line. It must stay alive
 * until the transfer is done; then free it with pkgauth_curl_headers_free()
 * (it wipes the lines). On error nothing is set on easy and *headers is
 * unchanged. A URL with no stored credential is fetched as is. */
PKGAUTH_API int pkgauth_curl_prepare(CURL *easy, pkgauth_store *store, const char *url,
                                     struct curl_slist **headers, pkgauth_error *err);

/* Call after a transfer on a handle set up by pkgauth_curl_prepare() has
 * finished. When the response was a redirect (3xx with a Location), sets
 * easy up for the next hop and returns 1: run the transfer again. Returns
 * 0 when there is nothing to follow, or a negative error code.
 *
 * first_url is the URL given to pkgauth_curl_prepare(). When the new URL
 * has the same origin as first_url, credentials are applied to it again;
 * otherwise every Authorization line is removed from *headers and the URL
 * is used bare, so no credential crosses to another scheme, host or port.
 * *hops counts the redirects followed (start at 0); past
 * PKGAUTH_MAX_REDIRECTS it is an error (PKGAUTH_EHTTP). Redirects to
 * schemes other than http and https, and to URLs whose host parsers read
 * differently (common.h), are refused (PKGAUTH_EHTTP). */
PKGAUTH_API int pkgauth_curl_redirect(CURL *easy, pkgauth_store *store, const char *first_url,
                                      struct curl_slist **headers, int *hops,
                                      pkgauth_error *err);

/* pkgauth_curl_prepare() and pkgauth_curl_redirect() with cb (called with
 * payload, which may be NULL) deciding the credentials instead of a
 * store (pkgauth_authenticate_cb, request.h); the redirect policy is the
 * same. */
PKGAUTH_API int pkgauth_curl_prepare_cb(CURL *easy, pkgauth_authenticate_cb cb, void *payload,
                                        const char *url, struct curl_slist **headers,
                                        pkgauth_error *err);
PKGAUTH_API int pkgauth_curl_redirect_cb(CURL *easy, pkgauth_authenticate_cb cb, void *payload,
                                         const char *first_url, struct curl_slist **headers,
                                         int *hops, pkgauth_error *err);

/* Overwrites every line of list with zeros, then curl_slist_free_all(). */
PKGAUTH_API void pkgauth_curl_headers_free(struct curl_slist *list);

/* pkgauth_curl_prepare() and pkgauth_curl_redirect() with this lookup
 * instead of the store alone (same contracts, see above). A redirect
 * within the first URL's origin is authenticated as the same user. */
PKGAUTH_API int pkgauth_pypi_curl_prepare(CURL *easy, pkgauth_pypi *pypi, const char *url,
                                          struct curl_slist **headers, pkgauth_error *err);
PKGAUTH_API int pkgauth_pypi_curl_redirect(CURL *easy, pkgauth_pypi *pypi,
                                           const char *first_url, struct curl_slist **headers,
                                           int *hops, pkgauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
