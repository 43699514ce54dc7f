/* pkgauth: process-wide set-up a program opts into. */
#ifndef PKGAUTH_INIT_H
#define PKGAUTH_INIT_H

#include "pkgauth/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for pkgauth_init. */
enum {
    /* Make jansson wipe every block it frees, so the secrets that pass
     * through JSON (credentials files, keyring items, tokens) do not linger
     * in freed heap memory. jansson has one allocator for the whole
     * process, so this also applies to the program's own jansson use;
     * that is why the library never does it on its own. */
    PKGAUTH_INIT_WIPE_JSON = 1u << 0,
};

/* Process-wide set-up, once at start-up, before any thread uses pkgauth or
 * jansson. The library works without it; what a flag adds is described at
 * the flag. flags 0 does nothing. Calling it again with the same flags is
 * harmless; thread-safe.
 * Errors: PKGAUTH_EINVAL for an unknown flag, or for PKGAUTH_INIT_WIPE_JSON
 * when the program has given jansson an allocator of its own (left as it
 * is: its blocks must go back to its own free). err may be NULL. */
PKGAUTH_API int pkgauth_init(unsigned flags, pkgauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
