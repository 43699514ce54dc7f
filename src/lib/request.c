/* Applying a credential to a request (compat.md "Applying a credential to a
 * request"). The result owns copies of everything, so callers may free
 * their inputs at once; every copy is wiped when the request is freed,
 * because the URL (conda token) or a header (Bearer, Basic) holds a secret. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "error.h"
#include "memory.h"
#include "pkgauth/request.h"
#include "pkgauth/s3.h"
#include "request_internal.h"
#include "store_internal.h"
#include "url_internal.h"

struct pkgauth_request {
    char *url;
    char **headers;
    size_t n_headers;
    pkgauth_method applied; /* 0 = nothing was applied */
    char *key;              /* storage key of the applied credential */
};

void pkgauth_request_free(pkgauth_request *r)
{
    if (!r)
        return;
    pkgauth_free(r->url);
    for (size_t i = 0; i < r->n_headers; i++)
        pkgauth_free(r->headers[i]);
    free(r->headers);
    free(r->key);
    free(r);
}

/* A NULL request has nothing: NULL and 0. */
const char *pkgauth_request_url(const pkgauth_request *r) { return r ? r->url : NULL; }
size_t pkgauth_request_header_count(const pkgauth_request *r) { return r ? r->n_headers : 0; }
pkgauth_method pkgauth_request_applied(const pkgauth_request *r) { return r ? r->applied : 0; }
const char *pkgauth_request_key(const pkgauth_request *r) { return r ? r->key : NULL; }

const char *pkgauth_request_header(const pkgauth_request *r, size_t i)
{
    return r && i < r->n_headers ? r->headers[i] : NULL;
}

/* ---- line breaks --------------------------------------------------------- */

int pkgauth_wire_safe(const char *s)
{
    return s && !strpbrk(s, "\r\n");
}

/* The caller's method, URL and header lines: refused with a line break,
 * named by position, never quoted. */
static int check_input(const char *method, const char *url, const char *const *headers,
                       size_t n, pkgauth_error *err)
{
    if (!pkgauth_wire_safe(method))
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "request: the method contains a line break");
    if (!pkgauth_wire_safe(url))
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "request: invalid URL: it contains a line break");
    for (size_t i = 0; i < n; i++)
        if (!pkgauth_wire_safe(headers[i]))
            return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                     "request: header %zu is missing or contains a line break",
                                     i + 1);
    return PKGAUTH_OK;
}

/* The request as built, with whatever a credential added: the last guard
 * before anything is sent. */
static int check_output(const pkgauth_request *r, pkgauth_error *err)
{
    int ok = pkgauth_wire_safe(r->url);
    for (size_t i = 0; ok && i < r->n_headers; i++)
        ok = pkgauth_wire_safe(r->headers[i]);
    return ok ? PKGAUTH_OK
              : pkgauth_error_set(err, PKGAUTH_EINVAL, "request: the credential contains a "
                                  "line break; it is not sent");
}

/* ---- building ----------------------------------------------------------- */

/* A request holding copies of url and headers, with room for one more
 * header (the one a credential may add). */
static int request_copy(const char *url, const char *const *headers, size_t n,
                        pkgauth_request **out, pkgauth_error *err)
{
    pkgauth_request *r = calloc(1, sizeof *r);
    if (!r || !(r->url = strdup(url)) || !(r->headers = calloc(n + 1, sizeof *r->headers)))
        return pkgauth_request_free(r), pkgauth_oom(err);
    for (; r->n_headers < n; r->n_headers++)
        if (!(r->headers[r->n_headers] = strdup(headers[r->n_headers])))
            return pkgauth_request_free(r), pkgauth_oom(err);
    *out = r;
    return PKGAUTH_OK;
}

/* Takes ownership of line (a secret: wiped on every path). */
static int add_header(pkgauth_request *r, char *line, pkgauth_error *err)
{
    if (!line)
        return pkgauth_oom(err);
    r->headers[r->n_headers++] = line;
    return PKGAUTH_OK;
}

int pkgauth_headers_have_authorization(const char *const *headers, size_t n)
{
    static const char name[] = "authorization:";
    for (size_t i = 0; i < n; i++)
        if (headers[i] && !strncasecmp(headers[i], name, sizeof name - 1))
            return 1;
    return 0;
}

/* The URL carries its own credential (user:password). */
static int url_has_password(const pkgauth_net_url *u)
{
    return u->password && *u->password;
}

static char *bearer_header(const char *token)
{
    char *line = NULL;
    return asprintf(&line, "Authorization: Bearer %s", token) < 0 ? NULL : line;
}

/* "Authorization: Basic base64(user:password)"; the clear text is wiped. */
static char *basic_header(const char *user, const char *password)
{
    static const char prefix[] = "Authorization: Basic ";
    char *plain = NULL;
    int n = asprintf(&plain, "%s:%s", user, password);
    if (n < 0)
        return NULL;
    size_t b64 = 4 * (((size_t)n + 2) / 3);
    char *line = malloc(sizeof prefix + b64);
    if (line) {
        memcpy(line, prefix, sizeof prefix - 1);
        EVP_EncodeBlock((unsigned char *)line + sizeof prefix - 1, (unsigned char *)plain, n);
    }
    pkgauth_wipe_free(plain, (size_t)n);
    return line;
}

/* Replaces r->url by the URL with "/t/<token>" in front of its path. A path
 * that already starts with /t/<token>/ keeps it: a redirect within the
 * channel comes back with the token in place. The path is read with its
 * dot segments resolved, so the token stays in front of what the server
 * serves. */
static int conda_path(pkgauth_request *r, const char *token, pkgauth_error *err)
{
    pkgauth_net_url u;
    char *prefixed = NULL, *url = NULL;
    int rc = pkgauth_net_url_parse(&u, r->url, 0, err);
    size_t tl = strlen(token);
    int present = !rc && !strncmp(u.path, "/t/", 3) && !strncmp(u.path + 3, token, tl) &&
                  (u.path[3 + tl] == '/' || !u.path[3 + tl]);
    if (rc || present)
        return pkgauth_net_url_dispose(&u), rc;
    if (asprintf(&prefixed, "/t/%s%s", token, u.path) < 0)
        rc = pkgauth_oom(err);
    else if ((rc = pkgauth_net_url_set_path(&u, prefixed)) ||
             (rc = pkgauth_net_url_format(&u, 0, &url)))
        rc = rc == PKGAUTH_ENOMEM ? pkgauth_oom(err)
                                  : pkgauth_error_set(err, PKGAUTH_EINVAL,
                                                      "cannot put a conda token into this URL");
    if (url) {
        pkgauth_free(r->url);
        r->url = url;
    }
    pkgauth_net_url_dispose(&u);
    pkgauth_free(prefixed);
    return rc;
}

/* S3: the s3:// URL becomes a presigned HTTP(S) URL (s3.c); with an
 * explicit credential, region and endpoint follow the AWS conventions. */
static int s3_presign(pkgauth_request *r, const pkgauth_credential *cred, const char *method,
                      pkgauth_error *err)
{
    pkgauth_s3_target *t = NULL;
    char *url = NULL;
    int rc = pkgauth_s3_target_for_credential(cred, NULL, r->url, &t, err);
    if (!rc)
        rc = pkgauth_s3_target_presign(t, method, 0, 0, &url, err);
    pkgauth_s3_target_free(t);
    if (!rc) {
        pkgauth_free(r->url);
        r->url = url;
    }
    return rc;
}

/* An s3:// URL through the store: pixi's s3-options for the bucket with
 * the stored credential, or else the AWS conventions (s3.c). */
static int s3_authenticate(pkgauth_store *store, const char *method, const char *url,
                           const char *const *headers, size_t n_headers, pkgauth_request **out,
                           pkgauth_error *err)
{
    char *signed_url = NULL;
    int rc = pkgauth_s3_presign_configured(store, store->config, method, url, 0, &signed_url, err);
    if (!rc)
        rc = pkgauth_request_apply(NULL, method, signed_url, headers, n_headers, out, err);
    if (!rc)
        (*out)->applied = PKGAUTH_METHOD_S3;
    pkgauth_free(signed_url);
    return rc;
}

static int apply_credential(pkgauth_request *r, const pkgauth_credential *cred,
                            const char *method, pkgauth_error *err)
{
    pkgauth_method m = pkgauth_credential_method(cred);
    int rc;
    switch (m) {
    case PKGAUTH_METHOD_BEARER:
    case PKGAUTH_METHOD_OAUTH: /* an OAuth access token is sent as a bearer token */
        rc = add_header(r, bearer_header(pkgauth_credential_token(cred)), err);
        break;
    case PKGAUTH_METHOD_BASIC:
        rc = add_header(r, basic_header(pkgauth_credential_username(cred),
                                        pkgauth_credential_password(cred)), err);
        break;
    case PKGAUTH_METHOD_CONDA:
        rc = conda_path(r, pkgauth_credential_token(cred), err);
        break;
    case PKGAUTH_METHOD_S3:
        rc = s3_presign(r, cred, method, err);
        break;
    default:
        rc = pkgauth_error_set(err, PKGAUTH_EINVAL, "unknown credential method");
    }
    if (!rc)
        r->applied = m;
    return rc;
}

/* url read once, and as libcurl writes it back after reading it: the host
 * as matched (percent escapes decoded, brackets normalised), the path kept
 * as given (a presigned URL's path is signed). *canon holds a secret:
 * pkgauth_free() it; dispose u on every path. */
static int canonical_url(const char *url, pkgauth_net_url *u, char **canon, pkgauth_error *err)
{
    *canon = NULL;
    int rc = pkgauth_net_url_parse(u, url, PKGAUTH_URL_PATH_AS_IS, err);
    if (!rc && (rc = pkgauth_net_url_format(u, 0, canon)))
        rc = rc == PKGAUTH_ENOMEM ? pkgauth_oom(err)
                                  : pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid URL");
    return rc;
}

int pkgauth_headers_valid(const char *const *headers, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!headers || !headers[i])
            return 0;
    return 1;
}

int pkgauth_request_apply(const pkgauth_credential *cred, const char *method, const char *url,
                          const char *const *headers, size_t n_headers, pkgauth_request **out,
                          pkgauth_error *err)
{
    pkgauth_net_url u = {0};
    pkgauth_request *r = NULL;
    char *canon = NULL;
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "request: out is required");
    *out = NULL;
    if (!method || !url || !pkgauth_headers_valid(headers, n_headers))
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "request: method, URL and header lines are required");
    int rc = check_input(method, url, headers, n_headers, err);
    if (!rc)
        rc = canonical_url(url, &u, &canon, err);
    if (!rc)
        rc = request_copy(canon, headers, n_headers, &r, err);
    pkgauth_free(canon);
    /* The caller's own credentials win: nothing is added to them. */
    int own = !rc && (pkgauth_headers_have_authorization(headers, n_headers) || url_has_password(&u));
    if (!rc && cred && !own)
        rc = apply_credential(r, cred, method, err);
    if (!rc)
        rc = check_output(r, err);
    pkgauth_net_url_dispose(&u);
    if (rc)
        pkgauth_request_free(r);
    else
        *out = r;
    return rc;
}

int pkgauth_request_authenticate(pkgauth_store *store, const char *method, const char *url,
                                 const char *const *headers, size_t n_headers,
                                 pkgauth_request **out, pkgauth_error *err)
{
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "request: out is required");
    *out = NULL;
    if (!store || !url || !method || !pkgauth_headers_valid(headers, n_headers))
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "request: store, method, URL and header lines are required");
    int rc = pkgauth_url_check(url, err);
    if (rc)
        return rc;
    if (!strncasecmp(url, "s3://", 5))
        return s3_authenticate(store, method, url, headers, n_headers, out, err);
    /* The credential is looked up for, and sent with, the URL as parsed:
     * the embedder's HTTP client gets the very URL whose host matched. */
    pkgauth_match m = {0};
    pkgauth_net_url u;
    char *canon = NULL;
    rc = canonical_url(url, &u, &canon, err);
    pkgauth_net_url_dispose(&u);
    /* Look up only when the request does not carry credentials already. */
    if (!rc && !pkgauth_headers_have_authorization(headers, n_headers)) {
        rc = pkgauth_store_find(store, canon, &m, err);
        if (rc == PKGAUTH_ENOTFOUND)
            rc = PKGAUTH_OK;
    }
    if (!rc)
        rc = pkgauth_request_apply(m.credential, method, canon, headers, n_headers, out, err);
    pkgauth_free(canon);
    if (!rc && (*out)->applied && m.key && !((*out)->key = strdup(m.key))) {
        pkgauth_request_free(*out);
        *out = NULL;
        rc = pkgauth_oom(err);
    }
    pkgauth_match_clear(&m);
    return rc;
}

/* ---- origins -------------------------------------------------------------- */

int pkgauth_url_same_origin(const char *a, const char *b)
{
    pkgauth_net_url x = {0}, y = {0};
    int same = !pkgauth_net_url_parse(&x, a, 0, NULL) && !pkgauth_net_url_parse(&y, b, 0, NULL) &&
               x.port_eff && y.port_eff && !strcmp(x.scheme, y.scheme) &&
               !strcmp(x.host, y.host) && !strcmp(x.port_eff, y.port_eff);
    pkgauth_net_url_dispose(&x);
    pkgauth_net_url_dispose(&y);
    return same;
}
