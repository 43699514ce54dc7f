/* Shared fixtures for the unit tests: private temporary folders, files
 * written with a given mode, and environment variables saved and restored.
 *
 * A folder is made with mkdtemp() (mode 0700, a name no other run has) and
 * removed with everything in it by nftw(), never through a shell: a test
 * that runs `rm -rf` through system() depends on /bin/sh and on the quoting
 * of the path. */
#ifndef PKGAUTH_TEST_FIXTURE_H
#define PKGAUTH_TEST_FIXTURE_H

#include <stddef.h>
#include <sys/types.h>

/* A private folder /tmp/pkgauth-<tag>-XXXXXX (or under $TMPDIR). Returns
 * a malloc'ed path, or NULL (errno set). Free with fixture_dir_remove(). */
char *fixture_dir_new(const char *tag);

/* Removes path and everything under it (symbolic links are removed, never
 * followed), then frees path. Returns 0, or -1 when something could not be
 * removed. NULL is a no-op. */
int fixture_dir_remove(char *path);

/* Makes path and every missing parent folder (mode 0700). 0 or -1. */
int fixture_mkdirs(const char *path);

/* Writes text to path (creating its parent folders) and sets its mode.
 * Fails the running test when it cannot. Returns path. */
const char *fixture_write(const char *path, const char *text, mode_t mode);

/* fixture_write() to dir/rel, with the path built in buf (n bytes). */
const char *fixture_write_at(char *buf, size_t n, const char *dir, const char *rel,
                             const char *text, mode_t mode);

/* The whole content of path (malloc'ed, NUL-terminated), or NULL. */
char *fixture_read(const char *path);

/* Environment variables saved once and restored later. */
typedef struct fixture_env fixture_env;

/* Saves the current values of the NULL-terminated names. NULL when out of
 * memory. */
fixture_env *fixture_env_save(const char *const names[]);

/* Puts every saved variable back as it was (set or unset) and frees env. */
void fixture_env_restore(fixture_env *env);

/* Unsets every one of the NULL-terminated names. */
void fixture_env_clear(const char *const names[]);

#endif
