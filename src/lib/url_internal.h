/* Internal: the one check every public entry point that takes a URL makes
 * before parsing it (url.c). */
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

#endif
