/* pkgauth: S3 buckets. An s3://bucket/key URL becomes a presigned HTTP(S)
 * URL (AWS Signature Version 4, query-string form, UNSIGNED-PAYLOAD) for
 * GET, HEAD or PUT (compat.md "Applying a credential to a request").
 *
 * Where the request goes and which credentials sign it:
 *
 *  - When the bucket has s3-options (pixi's [s3-options.<bucket>], or
 *    command-line options; the caller passes them): the endpoint, region
 *    and addressing come from them (a missing endpoint: AWS's; a missing
 *    region: us-east-1), and the credential from the pkgauth store:
 *    pkgauth_store_find() on the s3:// URL, which must give an S3
 *    credential.
 *
 *  - Without s3-options (options NULL), the AWS conventions, as the AWS
 *    CLI and SDKs read them:
 *      credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+
 *        AWS_SESSION_TOKEN), else the profile AWS_PROFILE (default
 *        "default"): aws_access_key_id / aws_secret_access_key /
 *        aws_session_token in AWS_SHARED_CREDENTIALS_FILE (default
 *        ~/.aws/credentials, section [name]), else in AWS_CONFIG_FILE
 *        (default ~/.aws/config, section [profile name] or [default]);
 *      region: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else
 *        us-east-1;
 *      endpoint: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's
 *        endpoint_url, else https://<bucket>.s3.<region>.amazonaws.com.
 *    pkgauth's store is not used for such buckets (as in pixi).
 *
 * Addressing: virtual-host (https://<bucket>.<endpoint host>/<key>) unless
 * path-style (https://<endpoint host>/<bucket>/<key>) is forced
 * (force-path-style, or the profile's "s3 = / addressing_style = path"),
 * the endpoint host is localhost, 127.0.0.1 or [::1], or the bucket name
 * cannot be a host name label (upper case, "_").
 *
 * Every string returned here is freed with pkgauth_free().
 *
 * Nothing here prints. Error messages never hold a secret; presigned URLs
 * do (their signature is a credential for `expires` seconds): show them
 * only through pkgauth_url_redact(). */
#ifndef PKGAUTH_S3_H
#define PKGAUTH_S3_H

#include <time.h>

#include "pkgauth/common.h"
#include "pkgauth/config.h" /* pkgauth_s3_options */
#include "pkgauth/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PKGAUTH_S3_DEFAULT_EXPIRES 300L  /* seconds a presigned URL is valid */
#define PKGAUTH_S3_MAX_EXPIRES 604800L   /* the most AWS accepts: 7 days */
#define PKGAUTH_S3_DEFAULT_REGION "us-east-1"

/* A resolved s3:// URL: the plain (unsigned) HTTP(S) URL, the region and
 * the credentials to sign with. Opaque; holds a secret key, wiped when
 * freed. Not thread-safe (it caches a signer): one per thread. */
typedef struct pkgauth_s3_target pkgauth_s3_target;

/* Resolves s3_url as described above. options: the bucket's s3-options,
 * or NULL when it has none (the fields may be NULL / -1, see config.h).
 * store may be NULL when options is NULL (with options it is required). On success *out is new; free it
 * with pkgauth_s3_target_free(). Errors: PKGAUTH_EINVAL (bad URL, bucket
 * or endpoint), PKGAUTH_EPARSE (an AWS file that cannot be parsed:
 * "file:line: message"), PKGAUTH_ENOTFOUND (no credentials: the message
 * names every place looked). */
PKGAUTH_API int pkgauth_s3_target_resolve(pkgauth_store *store,
                                          const pkgauth_s3_options *options,
                                          const char *s3_url, pkgauth_s3_target **out,
                                          pkgauth_error *err);

/* Like pkgauth_s3_target_resolve() with an explicit S3 credential instead
 * of a lookup. options may be NULL: then region and endpoint come from
 * the AWS conventions above (the credential always from cred). */
PKGAUTH_API int pkgauth_s3_target_for_credential(const pkgauth_credential *cred,
                                                 const pkgauth_s3_options *options,
                                                 const char *s3_url, pkgauth_s3_target **out,
                                                 pkgauth_error *err);

/* Wipes and frees. NULL is fine. */
PKGAUTH_API void pkgauth_s3_target_free(pkgauth_s3_target *t);

/* Accessors; strings are owned by the target. None is a secret. NULL and
 * 0 for a NULL target. */
PKGAUTH_API const char *pkgauth_s3_target_url(const pkgauth_s3_target *t); /* unsigned */
PKGAUTH_API const char *pkgauth_s3_target_bucket(const pkgauth_s3_target *t);
PKGAUTH_API const char *pkgauth_s3_target_region(const pkgauth_s3_target *t);
PKGAUTH_API const char *pkgauth_s3_target_access_key_id(const pkgauth_s3_target *t);
PKGAUTH_API int pkgauth_s3_target_path_style(const pkgauth_s3_target *t);
PKGAUTH_API int pkgauth_s3_target_has_session_token(const pkgauth_s3_target *t);
/* Where the credentials came from, e.g. "environment (AWS_ACCESS_KEY_ID)",
 * "profile 'dev' in /home/u/.aws/credentials", "s3://bucket in file
 * (/home/u/.rattler/credentials.json)". */
PKGAUTH_API const char *pkgauth_s3_target_source(const pkgauth_s3_target *t);
/* The storage key of the pkgauth credential used, or NULL (AWS chain). */
PKGAUTH_API const char *pkgauth_s3_target_store_key(const pkgauth_s3_target *t);

/* The presigned URL for method ("GET", "HEAD" or "PUT") valid for expires
 * seconds (0 = PKGAUTH_S3_DEFAULT_EXPIRES; at most PKGAUTH_S3_MAX_EXPIRES),
 * signed at time `when` (0 = now; tests pass a fixed time). A session
 * token is sent as X-Amz-Security-Token. *url is new and holds a secret:
 * free it with pkgauth_free(). */
PKGAUTH_API int pkgauth_s3_target_presign(pkgauth_s3_target *t, const char *method,
                                          long expires, time_t when, char **url,
                                          pkgauth_error *err);

/* Resolve + presign in one call, signed now. */
PKGAUTH_API int pkgauth_s3_presign(pkgauth_store *store, const pkgauth_s3_options *options,
                                   const char *method, const char *s3_url, long expires,
                                   char **https_url, pkgauth_error *err);

/* pkgauth_s3_presign() with the s3-options pixi's configuration gives the
 * bucket: config, or when NULL the default files (pkgauth_config_load()).
 * store may be NULL: then only a bucket without s3-options can be signed
 * (AWS conventions).
 * This is what pkgauth_request_authenticate() does for s3:// URLs. */
PKGAUTH_API int pkgauth_s3_presign_configured(pkgauth_store *store,
                                              const pkgauth_config *config,
                                              const char *method, const char *s3_url,
                                              long expires, char **https_url,
                                              pkgauth_error *err);

/* The bucket of an s3:// URL. *bucket is new; free it with pkgauth_free().
 * PKGAUTH_EINVAL when url is not a valid s3:// URL. */
PKGAUTH_API int pkgauth_s3_url_bucket(const char *s3_url, char **bucket, pkgauth_error *err);

/* The <Code> and <Message> of an S3 XML error body (only the first 64 KiB
 * are read; XML entities decoded, control characters made spaces, each
 * cut to fit its buffer). Returns 1 when a <Code> was found, else 0 (both
 * buffers then hold ""). A NULL body is empty; a NULL buffer (code or
 * message) is not filled. */
PKGAUTH_API int pkgauth_s3_error_parse(const char *body, size_t len, char *code,
                                       size_t code_size, char *message, size_t message_size);

#ifdef __cplusplus
}
#endif
#endif
