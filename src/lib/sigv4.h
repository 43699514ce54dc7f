/* AWS Signature Version 4 (HMAC-SHA256), internal API.
 *
 * Two forms are produced from one request description:
 *   - the header form: an Authorization header (plus X-Amz-Date, and
 *     X-Amz-Security-Token / X-Amz-Content-Sha256 as the caller chooses);
 *   - the query form: a presigned URL carrying X-Amz-Algorithm,
 *     X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
 *     X-Amz-Security-Token (with a session token) and X-Amz-Signature.
 *
 * A pkgauth_sigv4_signer owns the derived signing key (cached per
 * date/region/service/access key/secret) and reusable scratch buffers, so
 * repeated signing with the same credentials costs two SHA-256 passes and
 * no allocation. A signer is not thread-safe: use one per thread. */
#ifndef PKGAUTH_SIGV4_H
#define PKGAUTH_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "error.h"

#define PKGAUTH_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define PKGAUTH_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
/* Longest X-Amz-Expires AWS accepts (7 days). */
#define PKGAUTH_SIGV4_MAX_EXPIRES 604800L

/* How the canonical URI is derived from the request path. */
typedef enum pkgauth_sigv4_uri_rules {
    /* S3 rules when service is "s3", the general rules otherwise. */
    PKGAUTH_SIGV4_URI_AUTO = 0,
    /* General rules: remove "." and ".." segments and empty segments ("//"),
     * then URI-encode the (already URL-encoded) path again, so "%" becomes
     * "%25" ("double encoding"). */
    PKGAUTH_SIGV4_URI_GENERAL,
    /* General rules without the path normalisation (double encoding only). */
    PKGAUTH_SIGV4_URI_GENERAL_UNNORMALIZED,
    /* S3 rules: percent-decode the path, then URI-encode every byte of each
     * segment once, keeping "/"; no normalisation. */
    PKGAUTH_SIGV4_URI_S3,
} pkgauth_sigv4_uri_rules;

enum {
    /* Header form: also sign and return an X-Amz-Content-Sha256 header
     * holding the payload hash (S3 requires it). */
    PKGAUTH_SIGV4_CONTENT_SHA256_HEADER = 1u << 0,
    /* Leave the session token out of the signature and attach it afterwards
     * (AWS IoT expects this); by default the token is signed. */
    PKGAUTH_SIGV4_OMIT_SESSION_TOKEN = 1u << 1,
};

/* Who signs, for what, and when. Strings are borrowed for the call. */
typedef struct pkgauth_sigv4_params {
    const char *region;            /* e.g. "us-east-1" */
    const char *service;           /* e.g. "s3" */
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;     /* NULL or "" when none */
    /* Signing time: amz_date ("YYYYMMDDTHHMMSSZ") when not NULL, else
     * `when`; a zero `when` means the current time. */
    const char *amz_date;
    time_t when;
    long expires;                  /* query form, seconds; 0 means 3600 */
    pkgauth_sigv4_uri_rules uri_rules;
    unsigned flags;                /* PKGAUTH_SIGV4_* flags above */
} pkgauth_sigv4_params;

typedef struct pkgauth_sigv4_header {
    const char *name;
    const char *value;
} pkgauth_sigv4_header;

/* The request to sign: either `url` (parsed with libcurl), or the parsed
 * form scheme/host/path/query, which skips URL parsing (the fast path). */
typedef struct pkgauth_sigv4_request {
    const char *method;            /* "GET", "PUT", ... */
    const char *url;
    const char *scheme;            /* parsed form: NULL means "https" */
    const char *host;              /* parsed form: host[:port] as in Host */
    const char *path;              /* parsed form, as in the URL; NULL = "/" */
    const char *query;             /* parsed form, without "?"; may be NULL */
    /* Extra headers to sign. A "host" header here overrides the URL's host;
     * Authorization and X-Amz-Date/-Security-Token/-Content-Sha256 are
     * ignored because the signer produces them. */
    const pkgauth_sigv4_header *headers;
    size_t n_headers;
    /* Payload: payload_hash (lowercase hex SHA-256, or "UNSIGNED-PAYLOAD")
     * when set, else the SHA-256 of body. With neither, the query form for
     * S3 uses UNSIGNED-PAYLOAD and everything else the empty-body hash. */
    const char *payload_hash;
    const void *body;
    size_t body_len;
} pkgauth_sigv4_request;

/* What a signature produced; every string is malloc'd. Free the whole
 * structure with pkgauth_sigv4_result_free. */
typedef struct pkgauth_sigv4_result {
    char *canonical_request;
    char *string_to_sign;
    char *signature;      /* 64 lowercase hex digits */
    char *amz_date;       /* "YYYYMMDDTHHMMSSZ": the X-Amz-Date value */
    char *payload_hash;   /* as signed (also the X-Amz-Content-Sha256 value) */
    char *signed_headers; /* "host;x-amz-date" */
    char *authorization;  /* header form: the Authorization header value */
    char *url;            /* query form: the presigned URL */
} pkgauth_sigv4_result;

typedef struct pkgauth_sigv4_signer pkgauth_sigv4_signer;

int pkgauth_sigv4_signer_new(pkgauth_sigv4_signer **out, pkgauth_error *err);
/* Wipes the cached keys and buffers, then frees. NULL is fine. */
void pkgauth_sigv4_signer_free(pkgauth_sigv4_signer *signer);

/* Header form: fills result (which the caller zero-initialises). */
int pkgauth_sigv4_sign_headers(pkgauth_sigv4_signer *signer,
                               const pkgauth_sigv4_params *params,
                               const pkgauth_sigv4_request *req,
                               pkgauth_sigv4_result *result,
                               pkgauth_error *err);

/* Query form: fills result, including result->url. */
int pkgauth_sigv4_presign(pkgauth_sigv4_signer *signer,
                          const pkgauth_sigv4_params *params,
                          const pkgauth_sigv4_request *req,
                          pkgauth_sigv4_result *result, pkgauth_error *err);

/* Query form without allocating: *url points into the signer and stays
 * valid until the next call on it. Best with the parsed request form. */
int pkgauth_sigv4_presign_fast(pkgauth_sigv4_signer *signer,
                               const pkgauth_sigv4_params *params,
                               const pkgauth_sigv4_request *req,
                               const char **url, size_t *url_len,
                               pkgauth_error *err);

/* Convenience: presigned URL for `method url` as a malloc'd string. */
int pkgauth_sigv4_presign_url(pkgauth_sigv4_signer *signer,
                              const pkgauth_sigv4_params *params,
                              const char *method, const char *url,
                              char **out, pkgauth_error *err);

/* Wipes (secrets may be inside) and frees every field; NULL is fine. */
void pkgauth_sigv4_result_free(pkgauth_sigv4_result *result);

/* Building blocks, exposed for tests. */

/* kSigning = HMAC chain over "AWS4"+secret, date ("YYYYMMDD"), region,
 * service, "aws4_request". */
int pkgauth_sigv4_signing_key(const char *secret, const char *date8,
                              const char *region, const char *service,
                              unsigned char key[32], pkgauth_error *err);

/* Formats t (UTC) as "YYYYMMDDTHHMMSSZ" into out[17]. */
int pkgauth_sigv4_format_time(time_t t, char out[17], pkgauth_error *err);

/* URI-encodes s[0..len) per SigV4 (unreserved kept, "/" kept when
 * keep_slash); returns a malloc'd string or NULL when out of memory. */
char *pkgauth_sigv4_uri_encode(const char *s, size_t len, int keep_slash);

#endif
