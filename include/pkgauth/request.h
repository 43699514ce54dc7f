/* pkgauth: applying a stored credential to an HTTP request.
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
 * redirect: see pkgauth_curl_prepare() and pkgauth_curl_redirect() in
 * pkgauth/curl.h (not included by pkgauth.h: this header needs no curl). */
#ifndef PKGAUTH_REQUEST_H
#define PKGAUTH_REQUEST_H

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

/* How a transport asks for the request to send (libgit2's
 * git_credential_acquire_cb): the URL and header lines for method on url,
 * given the caller's header lines. first_url is NULL for the first request
 * of a chain; for a redirect within first_url's origin it is the chain's
 * first URL. payload is what the caller handed to the transport. Same
 * contract as pkgauth_request_authenticate(). Ready-made: the store's (the
 * functions above), the PyPI lookup's (pypi.h) and a context's
 * (pkgauth_context_authenticate_cb(), provider.h). */
typedef int (*pkgauth_authenticate_cb)(void *payload, const char *method, const char *url,
                                       const char *first_url, const char *const *headers,
                                       size_t n_headers, pkgauth_request **out,
                                       pkgauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
