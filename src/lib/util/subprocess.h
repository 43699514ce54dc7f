/* Running a helper program (internal; the `keyring` command for PyPI).
 *
 * No shell: argv[0] is searched on PATH (posix_spawnp). Its stdin is
 * /dev/null, so a helper that asks for input gets end-of-file instead of
 * waiting; stdout and stderr are captured until the child exits (not until
 * the pipes close: something it left in the background may hold them).
 * It runs in its own process group; past the time limit the whole group is
 * killed (SIGKILL) and the child reaped, so the caller never hangs on it. */
#ifndef PKGAUTH_SUBPROCESS_H
#define PKGAUTH_SUBPROCESS_H

#include <stddef.h>

typedef struct pkgauth_subprocess_result {
    int exit_status;  /* 0..255, or -1 when it did not exit normally */
    int timed_out;    /* killed at the time limit */
    int spawn_errno;  /* non-zero: it could not be started (ENOENT: not on PATH) */
    char *out;        /* stdout, NUL-terminated (may hold a secret: wiped on clear) */
    size_t out_len;
    char *err_line;   /* the last non-blank line of stderr, or NULL */
} pkgauth_subprocess_result;

/* Runs argv (NULL-terminated) for at most timeout_ms. Fills *res and
 * returns 0 whenever the outcome is known (including "could not start"
 * and "timed out"), -1 only when out of memory or out of pipes. Free
 * res's strings with pkgauth_subprocess_result_clear(). */
int pkgauth_subprocess_run(char *const argv[], int timeout_ms, pkgauth_subprocess_result *res);

/* Wipes stdout, frees both strings, zeroes res. */
void pkgauth_subprocess_result_clear(pkgauth_subprocess_result *res);

#endif
