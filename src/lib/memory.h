/* Internal memory helpers: copies of secrets and wiping frees. */
#ifndef PKGAUTH_MEMORY_H
#define PKGAUTH_MEMORY_H

#include <stddef.h>

/* strdup that accepts NULL (returns NULL). */
char *pkgauth_strdup(const char *s);
/* Wipes n bytes at p, then frees p. NULL is fine. */
void pkgauth_wipe_free(void *p, size_t n);
/* Makes jansson wipe every block it frees, so secrets parsed from or
 * dumped to JSON do not linger in freed heap memory. Idempotent. */
void pkgauth_json_use_wiping_allocator(void);

#endif
