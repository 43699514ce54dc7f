/* pkgauth: credentials for PyPI index URLs (compat.md "PyPI indexes").
 * Strings returned here are freed with pkgauth_free().
 *
 * An index URL may name a user (`https://alice@host/simple/`). For such a
 * URL the password comes from, in order:
 *   1. the URL itself (`https://alice:pw@host/...`);
 *   2. with keyring provider `subprocess`: `keyring get <url> alice`, with
 *      the URL as requested minus its user info, then
 *      `keyring get <host[:port]> alice` (the port only when the URL names
 *      one); the password is the first line of keyring's standard output;
 *   3. the netrc file ($NETRC, else ~/.netrc): machine = host, login =
 *      alice, with curl's rules (pkgauth's netrc parser);
 *   4. the normal store (pkgauth_store_find()); a BasicHTTP entry for
 *      another user name is skipped: the URL's user name decides.
 * A URL without a user name gets what pkgauth_store_find() gives (the
 * default chain already ends with netrc), exactly as for conda channels.
 *
 * `keyring` runs without a shell, with stdin on /dev/null, nothing secret
 * on its command line, and a time limit (30 s, then it is killed). A
 * missing, failing or stalled keyring is reported through the warning
 * handler, naming the index (redacted), and the lookup goes on to netrc.
 * After a timeout or when the program is missing, keyring is not run again
 * by the same lookup context.
 *
 * A lookup context caches what it found per origin (scheme, host, port)
 * and user name, as uv does, so the files an index page links to reuse the
 * index's password without running keyring again. It is not thread-safe:
 * use one per thread. */
#ifndef PKGAUTH_PYPI_H
#define PKGAUTH_PYPI_H

#include "pkgauth/common.h"
#include "pkgauth/url.h" /* its URL functions were declared here */
#include "pkgauth/config.h"
#include "pkgauth/credential.h"
#include "pkgauth/provider.h"
#include "pkgauth/request.h"
#include "pkgauth/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The default time limit of one `keyring` run. */
#define PKGAUTH_KEYRING_TIMEOUT_MS 30000

/* A lookup context. Opaque; holds the cache (passwords, wiped on free). */
typedef struct pkgauth_pypi pkgauth_pypi;

/* Start from PKGAUTH_PYPI_OPTIONS_INIT, then set fields; a version this
 * library does not know (0: not initialised with the macro) is refused
 * with PKGAUTH_EINVAL. */
#define PKGAUTH_PYPI_OPTIONS_VERSION 1
typedef struct pkgauth_pypi_options {
    unsigned int version; /* PKGAUTH_PYPI_OPTIONS_VERSION */
    /* PKGAUTH_KEYRING_PROVIDER_DISABLED (the default) never starts a
     * process. */
    pkgauth_keyring_provider keyring_provider;
    /* The keyring program: NULL = "keyring", searched on PATH. */
    const char *keyring_program;
    /* Time limit of one run in ms; 0 = $PKGAUTH_KEYRING_TIMEOUT (seconds,
     * a testing aid) or else PKGAUTH_KEYRING_TIMEOUT_MS. */
    int keyring_timeout_ms;
    /* The netrc file: NULL = $NETRC, else <home>/.netrc; "" = none. */
    const char *netrc;
    /* Instead of $HOME, for ~/.netrc. */
    const char *home;
    /* The store for step 4 and for URLs without a user name; borrowed, must
     * outlive the context. NULL = no store. */
    pkgauth_store *store;
    /* Where warnings go (one line each, no secret); NULL drops them. */
    pkgauth_warn_fn warn;
    void *warn_ctx;
} pkgauth_pypi_options;
#define PKGAUTH_PYPI_OPTIONS_INIT                                                            \
    {PKGAUTH_PYPI_OPTIONS_VERSION, PKGAUTH_KEYRING_PROVIDER_DISABLED, NULL, 0, NULL, NULL, NULL,  \
     NULL, NULL}

/* opts may be NULL (all defaults, no store). Nothing is read or run until
 * the first lookup. Free *out with pkgauth_pypi_free(). */
PKGAUTH_API int pkgauth_pypi_open(pkgauth_pypi **out, const pkgauth_pypi_options *opts,
                                  pkgauth_error *err);
/* Wipes the cached passwords and frees. NULL is fine. */
PKGAUTH_API void pkgauth_pypi_free(pkgauth_pypi *pypi);

/* Where a credential came from. */
typedef enum pkgauth_pypi_source {
    PKGAUTH_PYPI_SOURCE_NONE = 0,
    PKGAUTH_PYPI_SOURCE_URL,     /* user:password in the URL */
    PKGAUTH_PYPI_SOURCE_KEYRING, /* the keyring program */
    PKGAUTH_PYPI_SOURCE_NETRC,   /* the netrc file */
    PKGAUTH_PYPI_SOURCE_STORE,   /* pkgauth_store_find() */
} pkgauth_pypi_source;

/* "none", "url", "keyring", "netrc", "store" (static). */
PKGAUTH_API const char *pkgauth_pypi_source_name(pkgauth_pypi_source source);

/* The credential for url in the order above. On success *out is a new
 * credential (BasicHTTP for a URL with a user name; free it with
 * pkgauth_credential_free()) and *source (may be NULL) says where it came
 * from. PKGAUTH_ENOTFOUND when nothing has one (*out NULL, *source NONE);
 * PKGAUTH_EINVAL for a URL that cannot be parsed; a netrc file that
 * cannot be parsed gives the parser's error. */
PKGAUTH_API int pkgauth_pypi_find(pkgauth_pypi *pypi, const char *url,
                                  pkgauth_credential **out, pkgauth_pypi_source *source,
                                  pkgauth_error *err);

/* Like pkgauth_request_authenticate() with the credential
 * pkgauth_pypi_find() gives. For a URL with a user name the request URL
 * has no user info (so no client puts it on the wire or in a log) and the
 * request carries "Authorization: Basic" of the user name and the password
 * found, or of the user name and an empty password when none was found
 * (what uv sends; some indexes take a token as user name). Headers that
 * already hold an Authorization line are left alone. Free *out with
 * pkgauth_request_free(). */
PKGAUTH_API int pkgauth_pypi_authenticate(pkgauth_pypi *pypi, const char *method,
                                          const char *url, const char *const *headers,
                                          size_t n_headers, pkgauth_request **out,
                                          pkgauth_error *err);

/* The lookup as a credential provider (provider.h), for a context: add it
 * with PKGAUTH_PROVIDER_BEFORE_STORE. It answers only for URLs with a
 * user name, with pkgauth_pypi_find()'s credential or else the user name
 * and an empty password (as pkgauth_pypi_authenticate() sends), and sets
 * the answer's url to the URL without its user info; for other URLs it
 * passes (PKGAUTH_ENOTFOUND) to the context's store. Its source is
 * "pypi: url", "pypi: keyring", "pypi: netrc", "pypi: store" or "pypi"
 * (nothing found). PKGAUTH_ACQUIRE_REFRESH forgets what it cached for the
 * URL's origin and user, and what keyring answered for the user, first.
 * Its cache has no expiry: a keyring password is good until refused. opts
 * as for pkgauth_pypi_open() (opts->store is step 4 of the order and may
 * differ from the context's). The provider owns its lookup context;
 * calls are serialised by the context (it is not parallel). */
PKGAUTH_API int pkgauth_pypi_provider_new(pkgauth_provider **out,
                                          const pkgauth_pypi_options *opts, pkgauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
