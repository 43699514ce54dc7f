/* pkgauth: credentials for package servers, compatible with pixi.
 *
 * Memory: functions that return a new object say how to free it. Every
 * string the API returns is freed with pkgauth_free(), which wipes it.
 *
 * Options structs (pkgauth_store_options, pkgauth_config_options,
 * pkgauth_pypi_options, pkgauth_s3_options) carry a version: start from
 * the *_INIT macro, then set fields. An unknown version is PKGAUTH_EINVAL.
 *
 * The libcurl functions (pkgauth_curl_*) are in the opt-in pkgauth/curl.h,
 * which this header does not include: a program that only looks up or
 * applies credentials compiles without curl's headers. */
#ifndef PKGAUTH_PKGAUTH_H
#define PKGAUTH_PKGAUTH_H

#include "pkgauth/common.h"
#include "pkgauth/init.h"
#include "pkgauth/credential.h"
#include "pkgauth/store.h"
#include "pkgauth/url.h"
#include "pkgauth/config.h"
#include "pkgauth/request.h"
#include "pkgauth/prefix_dev.h"
#include "pkgauth/s3.h"
#include "pkgauth/pypi.h"
#include "pkgauth/provider.h"

#endif
