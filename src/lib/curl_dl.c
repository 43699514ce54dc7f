/* Loading libcurl on first use (see curl_dl.h for why). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define PKGAUTH_CURL_DL_NO_MACROS
#include "curl_dl.h"
#include "pkgauth/common.h"

static pkgauth_curl_api api;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "pkgauth: cannot load libcurl (%s): %s\n", what, detail ? detail : "");
    abort();
}

static void load(void)
{
    /* RTLD_NOW: every symbol is checked here, once, not at a later call. */
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_GLOBAL);
    if (!h)
        die("libcurl.so.4", dlerror());
#define PKGAUTH_CURL_LOAD(ret, name, args)                                   \
    *(void **)&api.name = dlsym(h, #name);                                    \
    if (!api.name)                                                            \
        die(#name, dlerror());
    PKGAUTH_CURL_FUNCTIONS(PKGAUTH_CURL_LOAD)
#undef PKGAUTH_CURL_LOAD
}

void pkgauth_curl_defaults(CURL *e)
{
    const pkgauth_curl_api *c = pkgauth_curl();
    const char *file = getenv("SSL_CERT_FILE"), *dir = getenv("SSL_CERT_DIR");
    c->curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    c->curl_easy_setopt(e, CURLOPT_USERAGENT, "pkgauth/" PKGAUTH_VERSION_STRING);
#if LIBCURL_VERSION_NUM >= 0x075500
    c->curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    if (file && *file)
        c->curl_easy_setopt(e, CURLOPT_CAINFO, file);
    if (dir && *dir)
        c->curl_easy_setopt(e, CURLOPT_CAPATH, dir);
}

const pkgauth_curl_api *pkgauth_curl(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    return &api;
}
