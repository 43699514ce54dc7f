/* pkgauth: applying a stored credential to an HTTP request, and doing it
 * safely with libcurl (redirects included).
 *
 * The rules (compat.md "Applying a credential to a request"):
 *   - a request that already has an Authorization header, or whose URL
 *     carries user:password, is left alone and nothing is looked up;
 *   - BearerToken adds "Authorization: Bearer <token>";
 *   - BasicHTTP adds "Authorization: Basic base64(<username>:<password>)";
 *   - CondaToken puts "/t/<token>" in front of the URL's path (a path that
 *     already starts with /t/<that token>/ is left as is, so applying twice
 *     is harmless);
 *   - S3Credentials: the s3:// URL becomes a presigned HTTPS URL (s3.c).
 *
 * Credentials are never sent to another origin (scheme, host, port) after a
 * redirect: see pkgauth_curl_prepare() and pkgauth_curl_redirect(). */
#ifndef PKGAUTH_REQUEST_H
#define PKGAUTH_REQUEST_H

#include <curl/curl.h>

#include "pkgauth/common.h"
#include "pkgauth/url.h" /* its URL functions were declared here */
#include "pkgauth/credential.h"
#include "pkgauth/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most redirects pkgauth follows for one request (the limit reqwest, the
 * HTTP client under pixi, uses by default). */
#define PKGAUTH_MAX_REDIRECTS 10

/* An authenticated request: the URL and header lines to send. Opaque; the
 * strings it holds may carry a secret and are wiped when it is freed. */
typedef struct pkgauth_request pkgauth_request;

/* Applies cred (NULL = none) to a request. method is "GET", "HEAD", "PUT",
 * ...; headers are n_headers lines "Name: value" (may be NULL when 0) that
 * the caller already set. On success *out is a new request holding a copy
 * of the URL to send and the header lines to send (the caller's, in order,
 * then the one pkgauth added, if any); free it with pkgauth_request_free().
 * The URL to send is url as libcurl parsed it (scheme and host
 * normalised, path and query as given), so any HTTP client sends it where
 * the credential was meant to go. Errors: PKGAUTH_EINVAL for a URL that
 * cannot be parsed or whose host parsers read differently (common.h), and
 * for a method, URL, header line or credential that holds CR or LF (no
 * request line or header is ever built with a line break, whatever its
 * source); an S3 credential on a URL it cannot presign gives that
 * presigner's error. */
PKGAUTH_API int pkgauth_request_apply(const pkgauth_credential *cred, const char *method,
                                      const char *url, const char *const *headers,
                                      size_t n_headers, pkgauth_request **out,
                                      pkgauth_error *err);

/* Like pkgauth_request_apply() with the credential pkgauth_store_find()
 * gives for url; the lookup and the request use the same parsed URL. A URL with no stored credential is not an error: the
 * request is returned unchanged. An s3:// URL is presigned with the
 * bucket's s3-options or the AWS conventions; no credential for it is an
 * error. */
PKGAUTH_API int pkgauth_request_authenticate(pkgauth_store *store, const char *method,
                                             const char *url, const char *const *headers,
                                             size_t n_headers, pkgauth_request **out,
                                             pkgauth_error *err);

/* Accessors; the strings are owned by the request. NULL and 0 for a NULL
 * request. */
PKGAUTH_API const char *pkgauth_request_url(const pkgauth_request *req);
PKGAUTH_API size_t pkgauth_request_header_count(const pkgauth_request *req);
PKGAUTH_API const char *pkgauth_request_header(const pkgauth_request *req, size_t i);
/* The method of the credential that was applied, or 0 when none was. */
PKGAUTH_API pkgauth_method pkgauth_request_applied(const pkgauth_request *req);
/* The storage key of that credential (pkgauth_request_authenticate() only),
 * or NULL. */
PKGAUTH_API const char *pkgauth_request_key(const pkgauth_request *req);
/* Wipes and frees. NULL is fine. */
PKGAUTH_API void pkgauth_request_free(pkgauth_request *req);

/* ---- libcurl ------------------------------------------------------------ */

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

/* Overwrites every line of list with zeros, then curl_slist_free_all(). */
PKGAUTH_API void pkgauth_curl_headers_free(struct curl_slist *list);

#ifdef __cplusplus
}
#endif
#endif
