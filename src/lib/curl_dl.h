/* libcurl, loaded on first use.
 *
 * Why: merely linking Debian's libcurl (and the ~25 libraries it pulls in,
 * among them GnuTLS through librtmp, Kerberos and LDAP) costs about 8-10 ms
 * of start-up in every process, several times what `pkgauth token` needs
 * for all its own work. Commands that never touch a URL parser or HTTP pay
 * nothing this way; the others pay the same cost as before, once.
 *
 * How: include this header instead of <curl/curl.h>. The curl functions
 * pkgauth uses become calls through a table filled by dlopen() of
 * libcurl.so.4 on the first call (thread-safe). A program that links
 * libcurl itself gets the same, already loaded, copy. If libcurl cannot be
 * loaded at all (a broken installation: it is a package dependency), the
 * table holds stand-ins that fail (NULL handles, error codes) and
 * pkgauth_curl_load() says so: every entry point that needs curl asks it
 * first and returns PKGAUTH_EUNAVAILABLE. The library never prints and
 * never aborts.
 * Call sites are unchanged C; only the type-checking macros of curl.h are
 * given up, because they are macros of the same names. */
#ifndef PKGAUTH_CURL_DL_H
#define PKGAUTH_CURL_DL_H

#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>

#include "pkgauth/common.h"
#include "pkgauth/curl.h" /* the public pkgauth_curl_* functions */

/* X(return type, name, parameter list) for every function pkgauth calls. */
#define PKGAUTH_CURL_FUNCTIONS(X)                                                         \
    X(CURLcode, curl_global_init, (long))                                                 \
    X(void, curl_global_cleanup, (void))                                                  \
    X(void, curl_free, (void *))                                                          \
    X(CURLU *, curl_url, (void))                                                          \
    X(void, curl_url_cleanup, (CURLU *))                                                  \
    X(CURLU *, curl_url_dup, (const CURLU *))                                             \
    X(CURLUcode, curl_url_set, (CURLU *, CURLUPart, const char *, unsigned int))          \
    X(CURLUcode, curl_url_get, (const CURLU *, CURLUPart, char **, unsigned int))         \
    X(const char *, curl_url_strerror, (CURLUcode))                                       \
    X(CURL *, curl_easy_init, (void))                                                     \
    X(void, curl_easy_cleanup, (CURL *))                                                  \
    X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                              \
    X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...))                               \
    X(CURLcode, curl_easy_perform, (CURL *))                                              \
    X(const char *, curl_easy_strerror, (CURLcode))                                       \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist *, const char *))        \
    X(void, curl_slist_free_all, (struct curl_slist *))                                   \
    X(CURLM *, curl_multi_init, (void))                                                   \
    X(CURLMcode, curl_multi_cleanup, (CURLM *))                                           \
    X(CURLMcode, curl_multi_setopt, (CURLM *, CURLMoption, ...))                          \
    X(CURLMcode, curl_multi_add_handle, (CURLM *, CURL *))                                \
    X(CURLMcode, curl_multi_remove_handle, (CURLM *, CURL *))                             \
    X(CURLMcode, curl_multi_perform, (CURLM *, int *))                                    \
    X(CURLMcode, curl_multi_poll, (CURLM *, struct curl_waitfd *, unsigned int, int, int *)) \
    X(CURLMsg *, curl_multi_info_read, (CURLM *, int *))

typedef struct pkgauth_curl_api {
#define PKGAUTH_CURL_FIELD(ret, name, args) ret(*name) args;
    PKGAUTH_CURL_FUNCTIONS(PKGAUTH_CURL_FIELD)
#undef PKGAUTH_CURL_FIELD
} pkgauth_curl_api;

/* The loaded table (never NULL). The command line links the static
 * library and shares this header, so it loads libcurl the same lazy way. */
const pkgauth_curl_api *pkgauth_curl(void);

/* Loads libcurl if not done yet: PKGAUTH_OK, or PKGAUTH_EUNAVAILABLE
 * ("cannot load libcurl (libcurl.so.4: <why>)") when it cannot be loaded.
 * Call it before the first curl call of a public function. */
int pkgauth_curl_load(pkgauth_error *err);

/* The settings every transfer pkgauth makes shares: no signals (threads
 * may call us), its User-Agent, HTTP and HTTPS only, and the CA
 * certificates named by SSL_CERT_FILE / SSL_CERT_DIR when set (as OpenSSL,
 * git and uv honour them: a private channel with its own CA). */
void pkgauth_curl_defaults(CURL *easy);

/* Each name is undefined first: curl.h may already have been included
 * (through a public header) with its type-checking macros of these names. */
#ifndef PKGAUTH_CURL_DL_NO_MACROS /* curl_dl.c itself needs the real names */
#undef curl_global_init
#define curl_global_init (pkgauth_curl()->curl_global_init)
#undef curl_global_cleanup
#define curl_global_cleanup (pkgauth_curl()->curl_global_cleanup)
#undef curl_free
#define curl_free (pkgauth_curl()->curl_free)
#undef curl_url
#define curl_url (pkgauth_curl()->curl_url)
#undef curl_url_cleanup
#define curl_url_cleanup (pkgauth_curl()->curl_url_cleanup)
#undef curl_url_dup
#define curl_url_dup (pkgauth_curl()->curl_url_dup)
#undef curl_url_set
#define curl_url_set (pkgauth_curl()->curl_url_set)
#undef curl_url_get
#define curl_url_get (pkgauth_curl()->curl_url_get)
#undef curl_url_strerror
#define curl_url_strerror (pkgauth_curl()->curl_url_strerror)
#undef curl_easy_init
#define curl_easy_init (pkgauth_curl()->curl_easy_init)
#undef curl_easy_cleanup
#define curl_easy_cleanup (pkgauth_curl()->curl_easy_cleanup)
#undef curl_easy_setopt
#define curl_easy_setopt (pkgauth_curl()->curl_easy_setopt)
#undef curl_easy_getinfo
#define curl_easy_getinfo (pkgauth_curl()->curl_easy_getinfo)
#undef curl_easy_perform
#define curl_easy_perform (pkgauth_curl()->curl_easy_perform)
#undef curl_easy_strerror
#define curl_easy_strerror (pkgauth_curl()->curl_easy_strerror)
#undef curl_slist_append
#define curl_slist_append (pkgauth_curl()->curl_slist_append)
#undef curl_slist_free_all
#define curl_slist_free_all (pkgauth_curl()->curl_slist_free_all)
#undef curl_multi_init
#define curl_multi_init (pkgauth_curl()->curl_multi_init)
#undef curl_multi_cleanup
#define curl_multi_cleanup (pkgauth_curl()->curl_multi_cleanup)
#undef curl_multi_setopt
#define curl_multi_setopt (pkgauth_curl()->curl_multi_setopt)
#undef curl_multi_add_handle
#define curl_multi_add_handle (pkgauth_curl()->curl_multi_add_handle)
#undef curl_multi_remove_handle
#define curl_multi_remove_handle (pkgauth_curl()->curl_multi_remove_handle)
#undef curl_multi_perform
#define curl_multi_perform (pkgauth_curl()->curl_multi_perform)
#undef curl_multi_poll
#define curl_multi_poll (pkgauth_curl()->curl_multi_poll)
#undef curl_multi_info_read
#define curl_multi_info_read (pkgauth_curl()->curl_multi_info_read)
#endif

#endif
