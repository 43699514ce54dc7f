/* Internal: the constructors of pkgauth's own backends. Only the chain
 * builder (open.c) and test tools include this; the store itself knows
 * backends through include/pkgauth/sys/backend.h alone. Each returns
 * PKGAUTH_OK and a backend that nothing owns yet: hand it to
 * pkgauth_store_add_backend(), or free it with its ops->free. */
#ifndef PKGAUTH_BACKENDS_H
#define PKGAUTH_BACKENDS_H

#include "pkgauth/sys/backend.h"

/* Credentials in memory (memory.c). */
int pkgauth_backend_memory_new(pkgauth_backend **out, pkgauth_error *err);

/* The JSON credentials file at path (file.c); warns (a file others can
 * read) through the backend's handler. */
int pkgauth_backend_file_new(const char *path, pkgauth_backend **out, pkgauth_error *err);

/* The Secret Service keyring (keyring.c, built when PKGAUTH_HAVE_KEYRING).
 * Contacts nothing until first used; answers PKGAUTH_EUNAVAILABLE when
 * there is no keyring, PKGAUTH_EUNREACHABLE when one is there but does not
 * answer. */
int pkgauth_backend_keyring_new(pkgauth_backend **out, pkgauth_error *err);
/* Milliseconds its first use spent looking for the keyring (0 before). */
double pkgauth_backend_keyring_detect_ms(const pkgauth_backend *b);

/* The netrc file at path as a read-only store (netrc.c), read on first
 * use. warn_missing: a missing file is one warning (the user named it:
 * $NETRC) instead of a silent empty store. */
int pkgauth_backend_netrc_new(const char *path, int warn_missing, pkgauth_backend **out,
                              pkgauth_error *err);

#endif
