/* S3 internals exposed for the unit tests. */
#ifndef PKGAUTH_S3_INTERNAL_H
#define PKGAUTH_S3_INTERNAL_H

#include "pkgauth/s3.h"

/* Splits an s3:// URL: *bucket (as typed) and *key, the object key
 * SigV4-encoded (every byte but unreserved ones and "/" encoded, "%"
 * included: the key is taken literally), without its leading "/"; both
 * new, free() them. */
int pkgauth_s3_url_split(const char *s3_url, char **bucket, char **key, pkgauth_error *err);

/* The plain URL of bucket/key (key as from pkgauth_s3_url_split) at
 * endpoint (NULL: AWS's for region), virtual-host or path-style by the
 * rules in s3.h. *url is new (free()); *path_style (may be NULL) tells
 * which addressing was chosen. */
int pkgauth_s3_map_url(const char *bucket, const char *key, const char *endpoint,
                       const char *region, int force_path_style, char **url,
                       int *path_style, pkgauth_error *err);

#endif
