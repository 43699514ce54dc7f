/* Internal: the version check every public options struct gets (its
 * *_INIT macro sets the version). Versions 1..known are accepted, so a
 * program built against an older header keeps working when a field is
 * added; 0 (a struct not initialised with the macro) and versions from a
 * newer header are PKGAUTH_EINVAL. */
#ifndef PKGAUTH_OPTIONS_H
#define PKGAUTH_OPTIONS_H

#include "error.h"

static inline int pkgauth_options_version(unsigned int version, unsigned int known,
                                          const char *type, pkgauth_error *err)
{
    if (version >= 1 && version <= known)
        return PKGAUTH_OK;
    return pkgauth_error_set(err, PKGAUTH_EINVAL,
                             "%s: unknown version %u (this library knows 1 to %u; start from "
                             "the _INIT macro)",
                             type, version, known);
}

#endif
