/* AWS Signature Version 4 (see sigv4.h).
 *
 * Hot-path design: every string is built into buffers owned by the signer
 * and reused across calls; the signing key is derived once per
 * date/region/service/credentials and kept as two SHA-256 states (the key
 * XOR ipad and XOR opad blocks already absorbed), so each signature costs
 * one SHA-256 of the canonical request plus two short SHA-256 tails. */
#include "sigv4.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dynbuf.h"
#include "hex.h"
#include "memory.h"
#include "url_internal.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define SHA256_LEN 32
#define SHA256_BLOCK 64
#define AMZ_DATE_LEN 16
#define DEFAULT_EXPIRES 3600L
#define EMPTY_SHA256 \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ------------------------------------------------------------------ */
/* Encoding helpers.                                                    */

static const char HEX_UPPER[] = "0123456789ABCDEF";

/* '1' where RFC 3986 calls the byte unreserved (A-Z a-z 0-9 - _ . ~): one
 * lookup per byte, since URI encoding runs over every path and value. */
static const char UNRESERVED[257] =
    "0000000000000000"
    "0000000000000000"
    "0000000000000110"
    "1111111111000000"
    "0111111111111111"
    "1111111111100001"
    "0111111111111111"
    "1111111111100010"
    "0000000000000000"
    "0000000000000000"
    "0000000000000000"
    "0000000000000000"
    "0000000000000000"
    "0000000000000000"
    "0000000000000000"
    "0000000000000000";

static inline int is_unreserved(unsigned char c)
{
    return UNRESERVED[c] == '1';
}

/* Two output characters per byte from one table lookup. */
static const char HEX_PAIRS[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

static void hex_encode(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        memcpy(out + 2 * i, HEX_PAIRS + 2 * in[i], 2);
    out[2 * n] = '\0';
}

/* Appends one byte URI-encoded: unreserved bytes (and "/" when keep_slash)
 * as they are, anything else as %XX with uppercase hex, as SigV4 demands.
 * The caller has reserved 3 bytes. */
static inline char *encode_byte(char *o, unsigned char c, int keep_slash)
{
    if (is_unreserved(c) || (keep_slash && c == '/')) {
        *o++ = (char)c;
    } else {
        *o++ = '%';
        *o++ = HEX_UPPER[c >> 4];
        *o++ = HEX_UPPER[c & 15];
    }
    return o;
}

static void put_encoded(pkgauth_buf *b, const char *s, size_t n, int keep_slash)
{
    if (!pkgauth_buf_reserve(b, 3 * n))
        return;
    char *o = b->p + b->len;
    for (size_t i = 0; i < n; i++)
        o = encode_byte(o, (unsigned char)s[i], keep_slash);
    b->len = (size_t)(o - b->p);
}

/* Percent-decodes s (only valid %XX; "+" stays "+") and re-encodes each
 * byte, in one pass: this yields the canonical form whether the input
 * arrived encoded ("%E1%88%B4"), raw ("\xe1\x88\xb4") or mixed. */
static void put_reencoded(pkgauth_buf *b, const char *s, size_t n, int keep_slash)
{
    if (!pkgauth_buf_reserve(b, 3 * n))
        return;
    char *o = b->p + b->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int hi, lo;
        if (c == '%' && i + 2 < n &&
            (hi = pkgauth_hex_value((unsigned char)s[i + 1])) >= 0 &&
            (lo = pkgauth_hex_value((unsigned char)s[i + 2])) >= 0) {
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        o = encode_byte(o, c, keep_slash);
    }
    b->len = (size_t)(o - b->p);
}

/* Appends a path for use in a URL: only bytes that may not appear in a URL
 * path are encoded, so an already-encoded path passes through unchanged. */
static void put_url_path(pkgauth_buf *b, const char *s, size_t n)
{
    if (!pkgauth_buf_reserve(b, 3 * n))
        return;
    char *o = b->p + b->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}#?", c)) {
            *o++ = '%';
            *o++ = HEX_UPPER[c >> 4];
            *o++ = HEX_UPPER[c & 15];
        } else {
            *o++ = (char)c;
        }
    }
    b->len = (size_t)(o - b->p);
}

char *pkgauth_sigv4_uri_encode(const char *s, size_t len, int keep_slash)
{
    pkgauth_buf b = {0};
    put_encoded(&b, s, len, keep_slash);
    if (b.oom) {
        pkgauth_buf_wipe_free(&b);
        return NULL;
    }
    pkgauth_buf_cstr(&b);
    return b.p;
}

/* ------------------------------------------------------------------ */
/* Canonical URI.                                                       */

/* Removes "." and ".." segments and empty segments ("//"), as the general
 * SigV4 rules (and the AWS test suite's "normalized" cases) require. A
 * trailing "/" survives when the input ended in a directory. */
static void put_normalized_path(pkgauth_buf *b, const char *path, size_t n)
{
    size_t base = b->len;
    int trailing = 0;
    /* i <= n: a path ending in "/" has a final empty segment. */
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && path[j] != '/')
            j++;
        size_t seg = j - i;
        const char *s = path + i;
        trailing = seg == 0 || (seg == 1 && s[0] == '.') ||
                   (seg == 2 && s[0] == '.' && s[1] == '.');
        if (seg == 2 && s[0] == '.' && s[1] == '.') {
            while (b->len > base && b->p[b->len - 1] != '/')
                b->len--;
            if (b->len > base)
                b->len--; /* drop the "/" that led to the popped segment */
        } else if (!trailing) {
            pkgauth_buf_putc(b, '/');
            pkgauth_buf_put(b, s, seg);
        }
        i = j + 1;
    }
    if (b->len == base || trailing)
        pkgauth_buf_putc(b, '/');
}

/* Whether the session token is part of what gets signed. */
static int has_token(const pkgauth_sigv4_params *p)
{
    return p->session_token && *p->session_token &&
           !(p->flags & PKGAUTH_SIGV4_OMIT_SESSION_TOKEN);
}

static int uses_s3_rules(const pkgauth_sigv4_params *p)
{
    if (p->uri_rules == PKGAUTH_SIGV4_URI_AUTO)
        return strcmp(p->service, "s3") == 0;
    return p->uri_rules == PKGAUTH_SIGV4_URI_S3;
}

/* ------------------------------------------------------------------ */
/* Sortable entries: query parameters and headers share one layout.     */

typedef struct entry {
    size_t koff, klen, voff, vlen; /* offsets into the builder's buffer */
    size_t idx;                    /* input order, for a stable sort */
    const char *k, *v;             /* resolved once the buffer is final */
} entry;

typedef struct entries {
    entry *e;
    size_t n, cap;
    pkgauth_buf text;
} entries;

static int entries_add(entries *es, size_t koff, size_t klen, size_t voff,
                       size_t vlen)
{
    if (es->n == es->cap) {
        size_t cap = es->cap ? es->cap * 2 : 16;
        entry *e = realloc(es->e, cap * sizeof *e);
        if (!e)
            return 0;
        es->e = e;
        es->cap = cap;
    }
    es->e[es->n] = (entry){koff, klen, voff, vlen, es->n, NULL, NULL};
    es->n++;
    return 1;
}

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

/* Query parameters sort by key, then value. */
static int param_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int c = bytes_cmp(a->k, a->klen, b->k, b->klen);
    return c ? c : bytes_cmp(a->v, a->vlen, b->v, b->vlen);
}

/* Headers sort by name only; repeated names keep their input order, since
 * their values are joined in that order. */
static int header_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int c = bytes_cmp(a->k, a->klen, b->k, b->klen);
    return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

static void entries_sort(entries *es, int (*cmp)(const void *, const void *))
{
    for (size_t i = 0; i < es->n; i++) {
        es->e[i].k = es->text.p + es->e[i].koff;
        es->e[i].v = es->text.p + es->e[i].voff;
    }
    if (es->n > 16) {
        qsort(es->e, es->n, sizeof *es->e, cmp);
        return;
    }
    /* The usual handful of entries arrives nearly sorted: insertion sort
     * beats qsort's call overhead there. */
    for (size_t i = 1; i < es->n; i++) {
        entry t = es->e[i];
        size_t j = i;
        for (; j > 0 && cmp(&es->e[j - 1], &t) > 0; j--)
            es->e[j] = es->e[j - 1];
        es->e[j] = t;
    }
}

static void entries_reset(entries *es)
{
    es->n = 0;
    es->text.len = 0;
    es->text.oom = 0;
}

static void entries_free(entries *es)
{
    free(es->e);
    pkgauth_buf_wipe_free(&es->text);
    memset(es, 0, sizeof *es);
}

/* ------------------------------------------------------------------ */
/* The signer.                                                          */

struct pkgauth_sigv4_signer {
    EVP_MD *sha256;
    EVP_MD_CTX *work;
    EVP_MD_CTX *inner, *outer; /* HMAC pads of the cached signing key */

    /* Signing-key cache: valid when have_key and every input matches. */
    int have_key;
    char key_date[9];
    char *key_ids; /* "region\0service\0access key\0secret\0" */
    size_t key_ids_len;
    pkgauth_buf scope;    /* "YYYYMMDD/region/service/aws4_request" */
    pkgauth_buf cred_enc; /* URI-encoded "access key/scope" for X-Amz-Credential */

    /* Last formatted time, since formatting costs more than reusing. */
    int have_time;
    time_t last_time;
    char last_date[AMZ_DATE_LEN + 1];

    /* Per-signature state, reused across calls. */
    char amz_date[AMZ_DATE_LEN + 1];
    char payload_hex[2 * SHA256_LEN + 1];
    const char *payload; /* payload_hex or the caller's payload_hash */
    char signature[2 * SHA256_LEN + 1];
    entries headers, query;
    int presign_params_direct; /* query form, no query of the caller's */
    pkgauth_buf signed_headers, creq, sts, out, scratch;
};

int pkgauth_sigv4_signer_new(pkgauth_sigv4_signer **out, pkgauth_error *err)
{
    pkgauth_sigv4_signer *s = calloc(1, sizeof *s);
    if (!s)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    /* Fetching the digest once avoids an implicit fetch per EVP call. */
    s->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    s->work = EVP_MD_CTX_new();
    s->inner = EVP_MD_CTX_new();
    s->outer = EVP_MD_CTX_new();
    if (!s->sha256 || !s->work || !s->inner || !s->outer) {
        pkgauth_sigv4_signer_free(s);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM,
                                 "cannot set up SHA-256 (OpenSSL)");
    }
    *out = s;
    return PKGAUTH_OK;
}

static void forget_key(pkgauth_sigv4_signer *s)
{
    if (s->key_ids) {
        OPENSSL_cleanse(s->key_ids, s->key_ids_len);
        free(s->key_ids);
    }
    s->key_ids = NULL;
    s->key_ids_len = 0;
    s->have_key = 0;
}

void pkgauth_sigv4_signer_free(pkgauth_sigv4_signer *s)
{
    if (!s)
        return;
    forget_key(s);
    /* Freeing a digest context makes the provider wipe its state. */
    EVP_MD_CTX_free(s->work);
    EVP_MD_CTX_free(s->inner);
    EVP_MD_CTX_free(s->outer);
    EVP_MD_free(s->sha256);
    entries_free(&s->headers);
    entries_free(&s->query);
    pkgauth_buf_wipe_free(&s->scope);
    pkgauth_buf_wipe_free(&s->cred_enc);
    pkgauth_buf_wipe_free(&s->signed_headers);
    pkgauth_buf_wipe_free(&s->creq);
    pkgauth_buf_wipe_free(&s->sts);
    pkgauth_buf_wipe_free(&s->out);
    pkgauth_buf_wipe_free(&s->scratch);
    OPENSSL_cleanse(s, sizeof *s);
    free(s);
}

/* ------------------------------------------------------------------ */
/* Keys and time.                                                       */

static int hmac_once(const void *key, size_t klen, const char *msg,
                     unsigned char out[SHA256_LEN])
{
    unsigned int len = 0;
    return HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg,
                strlen(msg), out, &len) != NULL &&
           len == SHA256_LEN;
}

int pkgauth_sigv4_signing_key(const char *secret, const char *date8,
                              const char *region, const char *service,
                              unsigned char key[32], pkgauth_error *err)
{
    if (!secret || !date8 || !region || !service)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "signing key: missing input");
    size_t n = strlen(secret) + 4;
    char *k0 = malloc(n + 1);
    if (!k0)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    memcpy(k0, "AWS4", 4);
    memcpy(k0 + 4, secret, n - 4 + 1);
    unsigned char k[SHA256_LEN];
    int ok = hmac_once(k0, n, date8, k) && hmac_once(k, SHA256_LEN, region, k) &&
             hmac_once(k, SHA256_LEN, service, k) &&
             hmac_once(k, SHA256_LEN, "aws4_request", key);
    OPENSSL_cleanse(k0, n);
    free(k0);
    OPENSSL_cleanse(k, sizeof k);
    if (!ok)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "HMAC-SHA256 failed");
    return PKGAUTH_OK;
}

/* Absorbs key^pad into ctx so each later HMAC starts from a copy. */
static int absorb_pad(pkgauth_sigv4_signer *s, EVP_MD_CTX *ctx,
                      const unsigned char key[SHA256_LEN], unsigned char pad)
{
    unsigned char block[SHA256_BLOCK];
    memset(block, pad, sizeof block);
    for (size_t i = 0; i < SHA256_LEN; i++)
        block[i] ^= key[i];
    int ok = EVP_DigestInit_ex(ctx, s->sha256, NULL) &&
             EVP_DigestUpdate(ctx, block, sizeof block);
    OPENSSL_cleanse(block, sizeof block);
    return ok;
}

/* Length of "region\0service\0access\0secret\0". */
static size_t key_ids_size(const pkgauth_sigv4_params *p)
{
    return strlen(p->region) + strlen(p->service) + strlen(p->access_key_id) +
           strlen(p->secret_access_key) + 4;
}

static int key_cached(const pkgauth_sigv4_signer *s,
                      const pkgauth_sigv4_params *p, const char *date8)
{
    if (!s->have_key || memcmp(s->key_date, date8, 8) != 0)
        return 0;
    const char *ids = s->key_ids;
    const char *want[4] = {p->region, p->service, p->access_key_id,
                           p->secret_access_key};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(ids, want[i]) != 0)
            return 0;
        ids += strlen(ids) + 1;
    }
    return 1;
}

static int remember_ids(pkgauth_sigv4_signer *s, const pkgauth_sigv4_params *p)
{
    size_t n = key_ids_size(p);
    char *ids = malloc(n), *o = ids;
    if (!ids)
        return 0;
    const char *parts[4] = {p->region, p->service, p->access_key_id,
                            p->secret_access_key};
    for (size_t i = 0; i < 4; i++) {
        size_t len = strlen(parts[i]) + 1;
        memcpy(o, parts[i], len);
        o += len;
    }
    s->key_ids = ids;
    s->key_ids_len = n;
    return 1;
}

/* Derives the scope strings that change with the key. */
static int build_scope(pkgauth_sigv4_signer *s, const pkgauth_sigv4_params *p,
                       const char *date8)
{
    s->scope.len = 0;
    pkgauth_buf_put(&s->scope, date8, 8);
    pkgauth_buf_putc(&s->scope, '/');
    pkgauth_buf_puts(&s->scope, p->region);
    pkgauth_buf_putc(&s->scope, '/');
    pkgauth_buf_puts(&s->scope, p->service);
    pkgauth_buf_puts(&s->scope, "/aws4_request");
    s->cred_enc.len = 0;
    put_encoded(&s->cred_enc, p->access_key_id, strlen(p->access_key_id), 0);
    put_encoded(&s->cred_enc, "/", 1, 0);
    put_encoded(&s->cred_enc, s->scope.p, s->scope.len, 0);
    return !s->scope.oom && !s->cred_enc.oom;
}

static int ensure_key(pkgauth_sigv4_signer *s, const pkgauth_sigv4_params *p,
                      pkgauth_error *err)
{
    char date8[9];
    memcpy(date8, s->amz_date, 8);
    date8[8] = '\0';
    if (key_cached(s, p, date8))
        return PKGAUTH_OK;
    forget_key(s);
    unsigned char key[SHA256_LEN];
    int rc = pkgauth_sigv4_signing_key(p->secret_access_key, date8, p->region,
                                       p->service, key, err);
    if (rc)
        return rc;
    int ok = absorb_pad(s, s->inner, key, 0x36) &&
             absorb_pad(s, s->outer, key, 0x5c);
    OPENSSL_cleanse(key, sizeof key);
    if (!ok)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "SHA-256 failed");
    if (!remember_ids(s, p) || !build_scope(s, p, date8))
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    memcpy(s->key_date, date8, sizeof date8);
    s->have_key = 1;
    return PKGAUTH_OK;
}

int pkgauth_sigv4_format_time(time_t t, char out[17], pkgauth_error *err)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "signing time out of range");
    if (strftime(out, AMZ_DATE_LEN + 1, "%Y%m%dT%H%M%SZ", &tm) !=
        AMZ_DATE_LEN)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "signing time out of range");
    return PKGAUTH_OK;
}

static int valid_amz_date(const char *d)
{
    for (size_t i = 0; i < AMZ_DATE_LEN; i++) {
        char c = d[i];
        int ok = i == 8 ? c == 'T' : i == 15 ? c == 'Z' : c >= '0' && c <= '9';
        if (!ok)
            return 0;
    }
    return d[AMZ_DATE_LEN] == '\0';
}

static int resolve_time(pkgauth_sigv4_signer *s, const pkgauth_sigv4_params *p,
                        pkgauth_error *err)
{
    if (p->amz_date) {
        if (!valid_amz_date(p->amz_date))
            return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                     "amz_date is not YYYYMMDDTHHMMSSZ");
        memcpy(s->amz_date, p->amz_date, AMZ_DATE_LEN + 1);
        return PKGAUTH_OK;
    }
    time_t t = p->when ? p->when : time(NULL);
    if (!s->have_time || s->last_time != t) {
        int rc = pkgauth_sigv4_format_time(t, s->last_date, err);
        if (rc)
            return rc;
        s->last_time = t;
        s->have_time = 1;
    }
    memcpy(s->amz_date, s->last_date, AMZ_DATE_LEN + 1);
    return PKGAUTH_OK;
}

/* ------------------------------------------------------------------ */
/* The request target (scheme, host, path, query).                      */

typedef struct target {
    const char *scheme, *host, *path, *query;
    pkgauth_net_url url; /* the parts of req->url (url.c) */
    char *host_port;     /* the built host:port */
} target;

static void target_free(target *t)
{
    pkgauth_net_url_dispose(&t->url);
    free(t->host_port);
}

static int default_port(const char *scheme, const char *port)
{
    return (strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0) ||
           (strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0);
}

/* Host header value: host, plus ":port" unless it is the scheme default
 * (clients omit a default port, so the server sees it without). */
static int target_host(target *t, const char *host, const char *port)
{
    if (!port || default_port(t->scheme, port)) {
        t->host = host;
        return 1;
    }
    size_t n = strlen(host) + strlen(port) + 2;
    t->host_port = malloc(n);
    if (!t->host_port)
        return 0;
    snprintf(t->host_port, n, "%s:%s", host, port);
    t->host = t->host_port;
    return 1;
}

static int target_from_url(target *t, const char *url, pkgauth_error *err)
{
    /* PATH_AS_IS: dot segments are the signer's business (S3 keeps them);
     * ALLOW_SPACE: sign what the caller wrote, encoding it canonically;
     * KEEP_CASE: the Host header the client sends is what is signed. */
    const char *why = NULL;
    int rc = pkgauth_net_url_read(&t->url, url,
                                  PKGAUTH_URL_PATH_AS_IS | PKGAUTH_URL_ALLOW_SPACE |
                                      PKGAUTH_URL_KEEP_CASE | PKGAUTH_URL_CURL_SCHEMES,
                                  &why);
    if (rc == PKGAUTH_EINVAL)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "bad URL: %s", why);
    t->scheme = t->url.scheme;
    t->path = t->url.path;
    t->query = t->url.query;
    if (!rc && !target_host(t, t->url.host, t->url.port))
        rc = PKGAUTH_ENOMEM;
    return rc ? pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory") : PKGAUTH_OK;
}

static int target_init(target *t, const pkgauth_sigv4_request *req,
                       pkgauth_error *err)
{
    memset(t, 0, sizeof *t);
    if (req->url)
        return target_from_url(t, req->url, err);
    if (!req->host || !*req->host)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "request needs a URL or a host");
    t->scheme = req->scheme ? req->scheme : "https";
    t->host = req->host;
    t->path = req->path && *req->path ? req->path : "/";
    t->query = req->query;
    if (t->path[0] != '/')
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "request path must start with /");
    return PKGAUTH_OK;
}

/* ------------------------------------------------------------------ */
/* Canonical headers.                                                   */

static inline int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims the value and folds every whitespace run (including obsolete line
 * folding) into one space, as SigV4 canonicalisation requires. */
static void put_header_value(pkgauth_buf *b, const char *v)
{
    size_t start = b->len;
    int pending = 0;
    for (; *v; v++) {
        if (is_space(*v)) {
            pending = 1;
            continue;
        }
        if (pending && b->len > start)
            pkgauth_buf_putc(b, ' ');
        pending = 0;
        pkgauth_buf_putc(b, *v);
    }
}

static int add_header(entries *hs, const char *name, const char *value)
{
    pkgauth_buf *b = &hs->text;
    size_t koff = b->len, nlen = strlen(name);
    if (!pkgauth_buf_reserve(b, nlen))
        return 0;
    for (size_t i = 0; i < nlen; i++) {
        char c = name[i];
        b->p[b->len++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    size_t voff = b->len;
    put_header_value(b, value);
    return entries_add(hs, koff, nlen, voff, b->len - voff);
}

static int header_name_ok(const char *name)
{
    if (!*name)
        return 0;
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == ':' || *c == 0x7f)
            return 0;
    return 1;
}

/* Headers the signer writes itself; a caller's copy would be stale. The
 * caller may sign its own X-Amz-Content-Sha256 unless the signer adds one. */
static int header_reserved(const char *name, unsigned flags)
{
    static const char *const reserved[] = {"authorization", "x-amz-date",
                                           "x-amz-security-token"};
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strcasecmp(name, reserved[i]) == 0)
            return 1;
    return (flags & PKGAUTH_SIGV4_CONTENT_SHA256_HEADER) &&
           strcasecmp(name, "x-amz-content-sha256") == 0;
}

typedef enum { FORM_HEADER, FORM_QUERY } sig_form;

static int collect_headers(pkgauth_sigv4_signer *s,
                           const pkgauth_sigv4_params *p,
                           const pkgauth_sigv4_request *req, const target *t,
                           sig_form form, pkgauth_error *err)
{
    entries *hs = &s->headers;
    int have_host = 0, ok = 1;
    entries_reset(hs);
    for (size_t i = 0; i < req->n_headers && ok; i++) {
        const pkgauth_sigv4_header *h = &req->headers[i];
        if (!h->name || !h->value || !header_name_ok(h->name))
            return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                     "bad header name or value");
        if (header_reserved(h->name, p->flags))
            continue;
        have_host |= strcasecmp(h->name, "host") == 0;
        ok = add_header(hs, h->name, h->value);
    }
    if (ok && !have_host)
        ok = add_header(hs, "host", t->host);
    if (ok && form == FORM_HEADER) {
        ok = add_header(hs, "x-amz-date", s->amz_date);
        if (ok && has_token(p))
            ok = add_header(hs, "x-amz-security-token", p->session_token);
        if (ok && (p->flags & PKGAUTH_SIGV4_CONTENT_SHA256_HEADER))
            ok = add_header(hs, "x-amz-content-sha256", s->payload);
    }
    if (!ok || hs->text.oom)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    entries_sort(hs, header_cmp);
    return PKGAUTH_OK;
}

static int same_name(const entries *hs, size_t i)
{
    return i > 0 && bytes_cmp(hs->e[i].k, hs->e[i].klen, hs->e[i - 1].k,
                              hs->e[i - 1].klen) == 0;
}

/* "name;name" from the sorted headers; the query form signs it too, so it
 * is needed before the canonical request is written. */
static void build_signed_headers(pkgauth_sigv4_signer *s)
{
    const entries *hs = &s->headers;
    pkgauth_buf *sh = &s->signed_headers;
    sh->len = 0;
    sh->oom = 0;
    for (size_t i = 0; i < hs->n; i++) {
        if (same_name(hs, i))
            continue;
        if (sh->len)
            pkgauth_buf_putc(sh, ';');
        pkgauth_buf_put(sh, hs->e[i].k, hs->e[i].klen);
    }
    pkgauth_buf_cstr(sh);
}

/* Writes "name:v1,v2\n" lines, duplicates joined in input order. */
static void put_canonical_headers(pkgauth_buf *c, const entries *hs)
{
    for (size_t i = 0; i < hs->n; i++) {
        const entry *e = &hs->e[i];
        if (same_name(hs, i)) {
            c->len--; /* the previous line's "\n" becomes "," */
            pkgauth_buf_putc(c, ',');
        } else {
            pkgauth_buf_put(c, e->k, e->klen);
            pkgauth_buf_putc(c, ':');
        }
        pkgauth_buf_put(c, e->v, e->vlen);
        pkgauth_buf_putc(c, '\n');
    }
}

/* ------------------------------------------------------------------ */
/* Canonical query.                                                     */

static int query_add_encoded(entries *q, const char *k, size_t kn,
                             const char *v, size_t vn)
{
    size_t koff = q->text.len;
    put_reencoded(&q->text, k, kn, 0);
    size_t voff = q->text.len;
    put_reencoded(&q->text, v, vn, 0);
    return entries_add(q, koff, voff - koff, voff, q->text.len - voff);
}

/* Adds a parameter whose key is literal and value not yet encoded. */
static int query_add_raw(entries *q, const char *k, const char *v, size_t vn)
{
    size_t koff = q->text.len, kn = strlen(k);
    pkgauth_buf_put(&q->text, k, kn);
    size_t voff = q->text.len;
    put_encoded(&q->text, v, vn, 0);
    return entries_add(q, koff, kn, voff, q->text.len - voff);
}

/* A parameter the presign adds itself; a second copy would make the URL
 * ambiguous, so such a query is refused rather than guessed at. */
static int is_presign_param(const char *k, size_t kn)
{
    static const char *const names[] = {
        "X-Amz-Algorithm", "X-Amz-Credential",    "X-Amz-Date",
        "X-Amz-Expires",   "X-Amz-SignedHeaders", "X-Amz-Security-Token",
        "X-Amz-Signature"};
    if (kn < 6 || strncmp(k, "X-Amz-", 6) != 0)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (bytes_cmp(k, kn, names[i], strlen(names[i])) == 0)
            return 1;
    return 0;
}

static int parse_user_query(entries *q, const char *query, sig_form form,
                            pkgauth_error *err)
{
    for (const char *p = query; p && *p;) {
        const char *end = strchr(p, '&');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        size_t kn = eq ? (size_t)(eq - p) : n;
        if (form == FORM_QUERY && is_presign_param(p, kn))
            return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                     "query already has presign parameter %.*s",
                                     (int)kn, p);
        if (n > 0 && !query_add_encoded(q, p, kn, eq ? eq + 1 : p + n,
                                        eq ? n - kn - 1 : 0))
            return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
        p = end ? end + 1 : p + n;
    }
    return PKGAUTH_OK;
}

/* Decimal digits of v (>= 0) into out; returns the length. snprintf is a
 * measurable share of a presign, and this is all it would do. */
static size_t format_decimal(long v, char out[24])
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < sizeof tmp);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static int add_presign_params(pkgauth_sigv4_signer *s,
                              const pkgauth_sigv4_params *p)
{
    entries *q = &s->query;
    char expires[24];
    size_t en = format_decimal(p->expires ? p->expires : DEFAULT_EXPIRES,
                               expires);
    size_t koff = q->text.len;
    pkgauth_buf_puts(&q->text, "X-Amz-Credential");
    size_t voff = q->text.len;
    pkgauth_buf_put(&q->text, s->cred_enc.p, s->cred_enc.len);
    int ok = entries_add(q, koff, voff - koff, voff, q->text.len - voff) &&
             query_add_raw(q, "X-Amz-Algorithm", PKGAUTH_SIGV4_ALGORITHM,
                           strlen(PKGAUTH_SIGV4_ALGORITHM)) &&
             query_add_raw(q, "X-Amz-Date", s->amz_date, AMZ_DATE_LEN) &&
             query_add_raw(q, "X-Amz-Expires", expires, en) &&
             query_add_raw(q, "X-Amz-SignedHeaders", s->signed_headers.p,
                           s->signed_headers.len);
    if (ok && has_token(p))
        ok = query_add_raw(q, "X-Amz-Security-Token", p->session_token,
                           strlen(p->session_token));
    return ok;
}

/* The presign parameters alone, already in canonical order: the common
 * case of a URL without a query skips collecting and sorting them. */
static void put_presign_params(pkgauth_buf *b, const pkgauth_sigv4_signer *s,
                               const pkgauth_sigv4_params *p)
{
    char expires[24];
    size_t en = format_decimal(p->expires ? p->expires : DEFAULT_EXPIRES,
                               expires);
    pkgauth_buf_puts(b, "X-Amz-Algorithm=" PKGAUTH_SIGV4_ALGORITHM
                 "&X-Amz-Credential=");
    pkgauth_buf_put(b, s->cred_enc.p, s->cred_enc.len);
    pkgauth_buf_puts(b, "&X-Amz-Date=");
    pkgauth_buf_put(b, s->amz_date, AMZ_DATE_LEN); /* digits, "T", "Z": unreserved */
    pkgauth_buf_puts(b, "&X-Amz-Expires=");
    pkgauth_buf_put(b, expires, en);
    if (has_token(p)) {
        pkgauth_buf_puts(b, "&X-Amz-Security-Token=");
        put_encoded(b, p->session_token, strlen(p->session_token), 0);
    }
    pkgauth_buf_puts(b, "&X-Amz-SignedHeaders=");
    put_encoded(b, s->signed_headers.p, s->signed_headers.len, 0);
}

static int collect_query(pkgauth_sigv4_signer *s,
                         const pkgauth_sigv4_params *p, const target *t,
                         sig_form form, pkgauth_error *err)
{
    entries_reset(&s->query);
    s->presign_params_direct = form == FORM_QUERY && !(t->query && *t->query);
    if (s->presign_params_direct)
        return PKGAUTH_OK;
    int rc = parse_user_query(&s->query, t->query, form, err);
    if (rc)
        return rc;
    if (form == FORM_QUERY && !add_presign_params(s, p))
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (s->query.text.oom)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    entries_sort(&s->query, param_cmp);
    return PKGAUTH_OK;
}

static void put_canonical_query(pkgauth_buf *b, const pkgauth_sigv4_signer *s,
                                const pkgauth_sigv4_params *p)
{
    if (s->presign_params_direct) {
        put_presign_params(b, s, p);
        return;
    }
    const entries *q = &s->query;
    for (size_t i = 0; i < q->n; i++) {
        if (i)
            pkgauth_buf_putc(b, '&');
        pkgauth_buf_put(b, q->e[i].k, q->e[i].klen);
        pkgauth_buf_putc(b, '=');
        pkgauth_buf_put(b, q->e[i].v, q->e[i].vlen);
    }
}

/* ------------------------------------------------------------------ */
/* Payload, canonical request, string to sign, signature.               */

static int sha256_hex(pkgauth_sigv4_signer *s, const void *data, size_t n,
                      char out[2 * SHA256_LEN + 1])
{
    unsigned char md[SHA256_LEN];
    if (!EVP_DigestInit_ex(s->work, s->sha256, NULL) ||
        !EVP_DigestUpdate(s->work, data, n) ||
        !EVP_DigestFinal_ex(s->work, md, NULL))
        return 0;
    hex_encode(md, SHA256_LEN, out);
    return 1;
}

static int resolve_payload(pkgauth_sigv4_signer *s,
                           const pkgauth_sigv4_params *p,
                           const pkgauth_sigv4_request *req, sig_form form,
                           pkgauth_error *err)
{
    if (req->payload_hash) {
        if (!*req->payload_hash || strpbrk(req->payload_hash, "\r\n"))
            return pkgauth_error_set(err, PKGAUTH_EINVAL, "bad payload hash");
        s->payload = req->payload_hash;
    } else if (req->body && req->body_len) {
        if (!sha256_hex(s, req->body, req->body_len, s->payload_hex))
            return pkgauth_error_set(err, PKGAUTH_EINVAL, "SHA-256 failed");
        s->payload = s->payload_hex;
    } else if (form == FORM_QUERY && uses_s3_rules(p)) {
        /* S3 presigned URLs cannot know the body they will carry. */
        s->payload = PKGAUTH_SIGV4_UNSIGNED_PAYLOAD;
    } else {
        s->payload = EMPTY_SHA256;
    }
    return PKGAUTH_OK;
}

static void put_canonical_path(pkgauth_buf *b, pkgauth_buf *scratch,
                               const pkgauth_sigv4_params *p, const char *path)
{
    size_t n = strlen(path);
    if (uses_s3_rules(p)) {
        put_reencoded(b, path, n, 1);
        return;
    }
    if (p->uri_rules == PKGAUTH_SIGV4_URI_GENERAL_UNNORMALIZED) {
        put_encoded(b, path, n, 1);
        return;
    }
    scratch->len = 0;
    put_normalized_path(scratch, path, n);
    put_encoded(b, scratch->p, scratch->len, 1);
}

/* Builds the canonical request into s->creq; returns where the path and
 * query sit in it so the presigned URL can reuse them. */
static void build_canonical_request(pkgauth_sigv4_signer *s,
                                    const pkgauth_sigv4_params *p,
                                    const pkgauth_sigv4_request *req,
                                    const target *t, size_t span[4])
{
    pkgauth_buf *c = &s->creq;
    c->len = 0;
    c->oom = 0;
    pkgauth_buf_puts(c, req->method);
    pkgauth_buf_putc(c, '\n');
    span[0] = c->len;
    put_canonical_path(c, &s->scratch, p, t->path);
    span[1] = c->len - span[0];
    pkgauth_buf_putc(c, '\n');
    span[2] = c->len;
    put_canonical_query(c, s, p);
    span[3] = c->len - span[2];
    pkgauth_buf_putc(c, '\n');
    put_canonical_headers(c, &s->headers);
    pkgauth_buf_putc(c, '\n');
    pkgauth_buf_put(c, s->signed_headers.p, s->signed_headers.len);
    pkgauth_buf_putc(c, '\n');
    pkgauth_buf_puts(c, s->payload);
}

static int hmac_with_key(pkgauth_sigv4_signer *s, const void *msg, size_t n,
                         unsigned char out[SHA256_LEN])
{
    unsigned char ih[SHA256_LEN];
    int ok = EVP_MD_CTX_copy_ex(s->work, s->inner) &&
             EVP_DigestUpdate(s->work, msg, n) &&
             EVP_DigestFinal_ex(s->work, ih, NULL) &&
             EVP_MD_CTX_copy_ex(s->work, s->outer) &&
             EVP_DigestUpdate(s->work, ih, sizeof ih) &&
             EVP_DigestFinal_ex(s->work, out, NULL);
    return ok;
}

static int sign_string(pkgauth_sigv4_signer *s)
{
    char creq_hash[2 * SHA256_LEN + 1];
    if (!sha256_hex(s, s->creq.p, s->creq.len, creq_hash))
        return 0;
    pkgauth_buf *b = &s->sts;
    b->len = 0;
    pkgauth_buf_puts(b, PKGAUTH_SIGV4_ALGORITHM "\n");
    pkgauth_buf_put(b, s->amz_date, AMZ_DATE_LEN);
    pkgauth_buf_putc(b, '\n');
    pkgauth_buf_put(b, s->scope.p, s->scope.len);
    pkgauth_buf_putc(b, '\n');
    pkgauth_buf_put(b, creq_hash, 2 * SHA256_LEN);
    unsigned char sig[SHA256_LEN];
    if (b->oom || !hmac_with_key(s, b->p, b->len, sig))
        return 0;
    hex_encode(sig, SHA256_LEN, s->signature);
    return 1;
}

static int check_params(const pkgauth_sigv4_params *p,
                        const pkgauth_sigv4_request *req, pkgauth_error *err)
{
    if (!p || !req || !p->region || !*p->region || !p->service ||
        !*p->service || !p->access_key_id || !*p->access_key_id ||
        !p->secret_access_key || !*p->secret_access_key)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "SigV4 needs region, service and keys");
    if (!req->method || !*req->method || strpbrk(req->method, " \t\r\n"))
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "bad HTTP method");
    if (p->expires < 0 || p->expires > PKGAUTH_SIGV4_MAX_EXPIRES)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "expires must be 1..%ld seconds",
                                 PKGAUTH_SIGV4_MAX_EXPIRES);
    /* The credential scope is "/"-separated: a "/" inside would forge it. */
    if (strchr(p->region, '/') || strchr(p->service, '/'))
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "region and service cannot contain /");
    return PKGAUTH_OK;
}

/* Everything up to the signature, shared by both forms. */
static int sign_core(pkgauth_sigv4_signer *s, const pkgauth_sigv4_params *p,
                     const pkgauth_sigv4_request *req, const target *t,
                     sig_form form, size_t span[4], pkgauth_error *err)
{
    int rc = resolve_time(s, p, err);
    if (!rc)
        rc = ensure_key(s, p, err);
    if (!rc)
        rc = resolve_payload(s, p, req, form, err);
    if (!rc)
        rc = collect_headers(s, p, req, t, form, err);
    if (rc)
        return rc;
    build_signed_headers(s);
    rc = collect_query(s, p, t, form, err);
    if (rc)
        return rc;
    build_canonical_request(s, p, req, t, span);
    if (s->creq.oom || s->signed_headers.oom || s->scratch.oom)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (!sign_string(s))
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "signing failed");
    return PKGAUTH_OK;
}

/* ------------------------------------------------------------------ */
/* Outputs.                                                             */

static int token_attached_late(const pkgauth_sigv4_params *p)
{
    return p->session_token && *p->session_token &&
           (p->flags & PKGAUTH_SIGV4_OMIT_SESSION_TOKEN);
}

/* The presigned URL, reusing the canonical query (already encoded and
 * sorted) and, under S3 rules, the canonical path. */
static void build_presigned_url(pkgauth_sigv4_signer *s,
                                const pkgauth_sigv4_params *p,
                                const target *t, const size_t span[4])
{
    pkgauth_buf *o = &s->out;
    o->len = 0;
    o->oom = 0;
    pkgauth_buf_puts(o, t->scheme);
    pkgauth_buf_put(o, "://", 3);
    pkgauth_buf_puts(o, t->host);
    if (uses_s3_rules(p))
        pkgauth_buf_put(o, s->creq.p + span[0], span[1]);
    else /* the canonical path is double-encoded; the URL keeps the original */
        put_url_path(o, t->path, strlen(t->path));
    pkgauth_buf_putc(o, '?');
    pkgauth_buf_put(o, s->creq.p + span[2], span[3]);
    if (token_attached_late(p)) {
        pkgauth_buf_puts(o, "&X-Amz-Security-Token=");
        put_encoded(o, p->session_token, strlen(p->session_token), 0);
    }
    pkgauth_buf_puts(o, "&X-Amz-Signature=");
    pkgauth_buf_put(o, s->signature, 2 * SHA256_LEN);
    pkgauth_buf_cstr(o);
}

static void build_authorization(pkgauth_sigv4_signer *s,
                                const pkgauth_sigv4_params *p)
{
    pkgauth_buf *o = &s->out;
    o->len = 0;
    o->oom = 0;
    pkgauth_buf_puts(o, PKGAUTH_SIGV4_ALGORITHM " Credential=");
    pkgauth_buf_puts(o, p->access_key_id);
    pkgauth_buf_putc(o, '/');
    pkgauth_buf_put(o, s->scope.p, s->scope.len);
    pkgauth_buf_puts(o, ", SignedHeaders=");
    pkgauth_buf_put(o, s->signed_headers.p, s->signed_headers.len);
    pkgauth_buf_puts(o, ", Signature=");
    pkgauth_buf_put(o, s->signature, 2 * SHA256_LEN);
    pkgauth_buf_cstr(o);
}

/* Signs in either form, leaving the form's output in s->out. */
static int sign_form(pkgauth_sigv4_signer *s, const pkgauth_sigv4_params *p,
                     const pkgauth_sigv4_request *req, sig_form form,
                     pkgauth_error *err)
{
    if (!s)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "no signer");
    int rc = check_params(p, req, err);
    if (rc)
        return rc;
    target t;
    size_t span[4];
    rc = target_init(&t, req, err);
    if (!rc)
        rc = sign_core(s, p, req, &t, form, span, err);
    if (!rc && form == FORM_QUERY)
        build_presigned_url(s, p, &t, span);
    else if (!rc)
        build_authorization(s, p);
    target_free(&t);
    if (!rc && s->out.oom)
        rc = pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    return rc;
}

static int fill_result(pkgauth_sigv4_signer *s, sig_form form,
                       pkgauth_sigv4_result *r, pkgauth_error *err)
{
    memset(r, 0, sizeof *r);
    r->canonical_request = strndup(s->creq.p, s->creq.len);
    r->string_to_sign = strndup(s->sts.p, s->sts.len);
    r->signature = strndup(s->signature, 2 * SHA256_LEN);
    r->amz_date = strndup(s->amz_date, AMZ_DATE_LEN);
    r->payload_hash = strndup(s->payload, strlen(s->payload));
    r->signed_headers = strndup(s->signed_headers.p, s->signed_headers.len);
    char **out = form == FORM_QUERY ? &r->url : &r->authorization;
    *out = strndup(s->out.p, s->out.len);
    if (!r->canonical_request || !r->string_to_sign || !r->signature ||
        !r->amz_date || !r->payload_hash || !r->signed_headers || !*out) {
        pkgauth_sigv4_result_free(r);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    return PKGAUTH_OK;
}

int pkgauth_sigv4_sign_headers(pkgauth_sigv4_signer *signer,
                               const pkgauth_sigv4_params *params,
                               const pkgauth_sigv4_request *req,
                               pkgauth_sigv4_result *result,
                               pkgauth_error *err)
{
    int rc = sign_form(signer, params, req, FORM_HEADER, err);
    return rc ? rc : fill_result(signer, FORM_HEADER, result, err);
}

int pkgauth_sigv4_presign(pkgauth_sigv4_signer *signer,
                          const pkgauth_sigv4_params *params,
                          const pkgauth_sigv4_request *req,
                          pkgauth_sigv4_result *result, pkgauth_error *err)
{
    int rc = sign_form(signer, params, req, FORM_QUERY, err);
    return rc ? rc : fill_result(signer, FORM_QUERY, result, err);
}

int pkgauth_sigv4_presign_fast(pkgauth_sigv4_signer *signer,
                               const pkgauth_sigv4_params *params,
                               const pkgauth_sigv4_request *req,
                               const char **url, size_t *url_len,
                               pkgauth_error *err)
{
    int rc = sign_form(signer, params, req, FORM_QUERY, err);
    if (rc)
        return rc;
    *url = signer->out.p;
    if (url_len)
        *url_len = signer->out.len;
    return PKGAUTH_OK;
}

int pkgauth_sigv4_presign_url(pkgauth_sigv4_signer *signer,
                              const pkgauth_sigv4_params *params,
                              const char *method, const char *url, char **out,
                              pkgauth_error *err)
{
    if (!url)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "no URL");
    pkgauth_sigv4_request req = {.method = method, .url = url};
    const char *signed_url = NULL;
    size_t n = 0;
    int rc = pkgauth_sigv4_presign_fast(signer, params, &req, &signed_url, &n,
                                        err);
    if (rc)
        return rc;
    *out = strndup(signed_url, n);
    return *out ? PKGAUTH_OK
                : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
}

void pkgauth_sigv4_result_free(pkgauth_sigv4_result *r)
{
    if (!r)
        return;
    /* The canonical request and URL can carry the session token. */
    pkgauth_free(r->canonical_request);
    pkgauth_free(r->string_to_sign);
    pkgauth_free(r->signature);
    pkgauth_free(r->amz_date);
    pkgauth_free(r->payload_hash);
    pkgauth_free(r->signed_headers);
    pkgauth_free(r->authorization);
    pkgauth_free(r->url);
    memset(r, 0, sizeof *r);
}
