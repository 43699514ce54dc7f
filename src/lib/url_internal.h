/* Internal: the one URL type (url.c). Every part of the library that reads
 * a URL reads it through pkgauth_net_url_parse(), so the code that picks a
 * credential, the code that decides "same origin" after a redirect and the
 * code that signs or rewrites the URL cannot read one URL differently.
 * Parsing is libcurl's URL API (through curl_dl.h), after
 * pkgauth_url_check(); s3:// URLs are split from the text (see below). */
#ifndef PKGAUTH_URL_INTERNAL_H
#define PKGAUTH_URL_INTERNAL_H

#include "pkgauth/common.h"

/* PKGAUTH_EINVAL ("invalid URL: <redacted>: <why>") for a NULL URL and for
 * one whose authority parsers read differently: libcurl, WHATWG browsers
 * and Python's urllib3 must all find the same host in it, or a credential
 * matched for curl's host could be sent to another by the embedder's HTTP
 * client. Refused: control bytes anywhere; no "scheme://" or more slashes
 * after it; in the authority a space, '\', more than one '@', '%' in the
 * host, brackets that do not enclose the whole host. A URL that passes is
 * parsed with libcurl next: PKGAUTH_EUNAVAILABLE when it cannot be loaded
 * (curl_dl.h). */
int pkgauth_url_check(const char *url, pkgauth_error *err);

/* A parsed URL. Its strings belong to it (libcurl's own strings when
 * libcurl read it: no copies on the lookup's path) and are wiped and
 * released by pkgauth_net_url_dispose(); a part the URL lacks is NULL. */
typedef struct pkgauth_net_url {
    char *scheme;   /* lower-cased: "https", "s3", ... */
    char *host;     /* lower-cased unless PKGAUTH_URL_KEEP_CASE; IPv6 as
                       "[::1]"; for s3:// the bucket */
    char *port;     /* as written; NULL when the URL names none or the
                       scheme's default (":443" on https: the same URL) */
    char *port_eff; /* port, or the scheme's default ("443"); NULL for a
                       scheme libcurl does not know and for s3:// */
    char *path;     /* "/" at least; for s3:// "/" + key */
    char *query;    /* without the '?' */
    char *fragment; /* without the '#' */
    char *user;     /* percent-decoded */
    char *password; /* percent-decoded; a secret, wiped on dispose */
    /* s3:// only: the bucket as written and the key, the literal bytes
     * after "<bucket>/" up to '?' or '#'. No URL parser reads them: a key
     * may hold bytes (spaces, "%41" meaning three bytes, dot segments) that
     * S3 takes as they are and libcurl would refuse or rewrite. */
    char *bucket;
    char *key;
    void *handle; /* libcurl's parse (CURLU *), for pkgauth_net_url_format() */
} pkgauth_net_url;

enum {
    /* Only the host: the lookup's path, one parse and one part. */
    PKGAUTH_URL_HOST_ONLY = 1u << 0,
    /* Keep dot segments: a signed path ("/a/../b" is signed as written). */
    PKGAUTH_URL_PATH_AS_IS = 1u << 1,
    /* Accept spaces in the path, which SigV4 encodes when signing. */
    PKGAUTH_URL_ALLOW_SPACE = 1u << 2,
    /* The host as written: the Host header a client sends is signed. */
    PKGAUTH_URL_KEEP_CASE = 1u << 3,
    /* Only schemes libcurl itself speaks (http, https, ftp, ...). */
    PKGAUTH_URL_CURL_SCHEMES = 1u << 4,
};

/* Parses url into *u (zeroed first; dispose it on every path). PKGAUTH_OK;
 * PKGAUTH_EINVAL with err = "invalid URL: <redacted>: <why>"; or
 * PKGAUTH_ENOMEM. A user name or password that decodes to control bytes is
 * refused. An s3:// URL (any case) needs a bucket of letters, digits, '.',
 * '-' and '_'; it has no user info or port. */
int pkgauth_net_url_parse(pkgauth_net_url *u, const char *url, unsigned flags,
                          pkgauth_error *err);
/* The same, with why set to a static reason when PKGAUTH_EINVAL, for
 * callers that word their own message. */
int pkgauth_net_url_read(pkgauth_net_url *u, const char *url, unsigned flags, const char **why);
void pkgauth_net_url_dispose(pkgauth_net_url *u);

enum {
    PKGAUTH_URL_FMT_NO_USERINFO = 1u << 0,     /* drop user name and password */
    PKGAUTH_URL_FMT_NO_DEFAULT_PORT = 1u << 1, /* drop ":443" on https, ... */
};
/* The URL as libcurl writes it back (an s3:// URL: "s3://" and its parts
 * as read, fmt ignored). *out may hold a secret: pkgauth_free() it.
 * PKGAUTH_OK, PKGAUTH_EINVAL (a URL that was not read) or PKGAUTH_ENOMEM. */
int pkgauth_net_url_format(const pkgauth_net_url *u, unsigned fmt, char **out);
/* Replace the path, or the user info (NULL = none, percent-encoded as
 * needed), in the URL pkgauth_net_url_format() writes and in u. */
int pkgauth_net_url_set_path(pkgauth_net_url *u, const char *path);
int pkgauth_net_url_set_userinfo(pkgauth_net_url *u, const char *user, const char *password);

/* "scheme://host:port" with the effective port: what same-origin compares
 * and the PyPI cache keys by. Free with free(). */
char *pkgauth_net_url_origin(const pkgauth_net_url *u);

#endif
