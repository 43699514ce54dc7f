/* Internal memory helpers: copies of secrets and wiping frees. Every block
 * that may have held a secret is released through pkgauth_wipe_free (or
 * pkgauth_free, its form for strings, declared in pkgauth/common.h). */
#ifndef PKGAUTH_MEMORY_H
#define PKGAUTH_MEMORY_H

#include <stddef.h>

/* strdup that accepts NULL (returns NULL). */
char *pkgauth_strdup(const char *s);
/* Wipes n bytes at p, then frees p. NULL is fine. */
void pkgauth_wipe_free(void *p, size_t n);

/* Test seam: when set, called for every block pkgauth_wipe_free releases,
 * after the wipe and before free, so tests can check the bytes are zero.
 * Not for production use (a process-wide variable, not synchronised). */
extern void (*pkgauth_wipe_hook)(const void *p, size_t n);

#endif
