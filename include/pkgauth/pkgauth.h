/* pkgauth: credentials for package servers, compatible with pixi.
 *
 * Memory: functions that return a new object say how to free it. Strings
 * that may hold a secret are freed with pkgauth_free(), which wipes them. */
#ifndef PKGAUTH_PKGAUTH_H
#define PKGAUTH_PKGAUTH_H

#include "pkgauth/common.h"
#include "pkgauth/credential.h"
#include "pkgauth/store.h"
#include "pkgauth/url.h"
#include "pkgauth/config.h"
#include "pkgauth/request.h"
#include "pkgauth/prefix_dev.h"
#include "pkgauth/s3.h"
#include "pkgauth/pypi.h"

#endif
