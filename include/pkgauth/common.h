/* pkgauth: common definitions (export macro, the error type, memory). */
#ifndef PKGAUTH_COMMON_H
#define PKGAUTH_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PKGAUTH_BUILDING) && defined(__GNUC__)
#define PKGAUTH_API __attribute__((visibility("default")))
#else
#define PKGAUTH_API
#endif

#define PKGAUTH_VERSION_MAJOR 0
#define PKGAUTH_VERSION_MINOR 1
#define PKGAUTH_VERSION_PATCH 0
#define PKGAUTH_VERSION_STRING "0.1.0"

/* Result codes. Every fallible function returns one of these (0 = success)
 * and, when given a non-NULL pkgauth_error, fills it with a one-line message
 * that never contains a secret. */
enum {
    PKGAUTH_OK = 0,
    PKGAUTH_ENOTFOUND = -1,    /* no such key / no credential */
    PKGAUTH_EINVAL = -2,       /* bad argument (URL, host, option) */
    PKGAUTH_EPARSE = -3,       /* a file or document could not be parsed */
    PKGAUTH_EIO = -4,          /* a system call failed */
    PKGAUTH_ENOMEM = -5,
    PKGAUTH_EREADONLY = -6,    /* the backend does not accept writes */
    PKGAUTH_EUNAVAILABLE = -7, /* the backend cannot be reached (no keyring),
                                * or libcurl cannot be loaded */
    PKGAUTH_ELOCKED = -8,      /* the backend is locked (keyring) */
    PKGAUTH_EHTTP = -9,        /* an HTTP transfer failed */
    PKGAUTH_EAUTH = -10,       /* a server refused a credential */
    /* the backend exists and may hold the key, but does not answer (a
     * Secret Service that stopped responding); unlike PKGAUTH_EUNAVAILABLE
     * its absence from an answer is not "no credential" */
    PKGAUTH_EUNREACHABLE = -11,
};

/* NULL arguments. No function crashes on a NULL pointer argument. Where a
 * header says an argument "may be NULL", NULL means what it says there.
 * Every other pointer argument must not be NULL, and when it is:
 *   - a function returning a result code returns PKGAUTH_EINVAL, fills err
 *     (err itself may always be NULL) and clears the outputs it was given
 *     (*out = NULL, counts 0);
 *   - a getter (accessor, count, name) returns NULL or 0;
 *   - a free or clear function does nothing.
 * A header array of n_headers lines must hold n_headers non-NULL lines.
 *
 * URLs. Every function that takes an http(s):// or s3:// URL refuses, with
 * PKGAUTH_EINVAL ("invalid URL: ..."), one whose host different URL parsers
 * (libcurl, WHATWG browsers, Python's urllib3) would read differently:
 * control characters anywhere; no "scheme://"; more than two slashes after
 * the scheme; and in the part before the path a space, a backslash, more
 * than one '@', a '%' in the host, or brackets that do not enclose the
 * whole host ("[::1]", "[::1]:8080"). */

/* The one error type: a code and a message. Callers own it (usually on the
 * stack); nothing in it needs freeing. */
typedef struct pkgauth_error {
    int code;
    char message[512];
} pkgauth_error;

/* A static description of a result code. */
PKGAUTH_API const char *pkgauth_strerror(int code);

/* Frees a string the library returned, after overwriting it with zeros
 * (such strings may hold secrets). NULL is fine. Every string the API
 * hands to the caller (a char * result or a char ** output) is freed with
 * pkgauth_free(), never free(); strings owned by an object (const char *
 * accessors) are not freed at all. */
PKGAUTH_API void pkgauth_free(char *s);

/* Called with a one-line warning (e.g. "stored unencrypted in ..."). */
typedef void (*pkgauth_warn_fn)(void *ctx, const char *message);

#ifdef __cplusplus
}
#endif
#endif
