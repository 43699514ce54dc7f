/* Loading libcurl on first use (see curl_dl.h for why). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define PKGAUTH_CURL_DL_NO_MACROS
#include "curl_dl.h"
#include "error.h"
#include "pkgauth/common.h"

static pkgauth_curl_api api;
/* Why libcurl could not be loaded ("" when it was): kept for every later
 * caller's error, as dlerror() is per thread and consumed on reading. */
static char load_failure[300];

/* Stand-ins that fail, used in place of every function when libcurl
 * cannot be loaded: a caller that did not ask pkgauth_curl_load() first
 * gets errors (NULL handles, failed codes), never a crash. */
static CURLcode no_global_init(long f) { (void)f; return CURLE_FAILED_INIT; }
static void no_void(void) {}
static void no_free(void *p) { (void)p; }
static CURLU *no_url(void) { return NULL; }
static void no_url_cleanup(CURLU *u) { (void)u; }
static CURLUcode no_url_set(CURLU *u, CURLUPart w, const char *s, unsigned int f)
{
    (void)u, (void)w, (void)s, (void)f;
    return CURLUE_OUT_OF_MEMORY;
}
static CURLUcode no_url_get(const CURLU *u, CURLUPart w, char **s, unsigned int f)
{
    (void)u, (void)w, (void)f;
    if (s)
        *s = NULL;
    return CURLUE_OUT_OF_MEMORY;
}
static const char *no_url_strerror(CURLUcode c) { (void)c; return "libcurl is not available"; }
static CURL *no_easy_init(void) { return NULL; }
static void no_easy_cleanup(CURL *e) { (void)e; }
static CURLcode no_easy_setopt(CURL *e, CURLoption o, ...)
{
    (void)e, (void)o;
    return CURLE_FAILED_INIT;
}
static CURLcode no_easy_getinfo(CURL *e, CURLINFO i, ...)
{
    (void)e, (void)i;
    return CURLE_FAILED_INIT;
}
static CURLcode no_easy_perform(CURL *e) { (void)e; return CURLE_FAILED_INIT; }
static const char *no_easy_strerror(CURLcode c) { (void)c; return "libcurl is not available"; }
static struct curl_slist *no_slist_append(struct curl_slist *l, const char *s)
{
    (void)l, (void)s;
    return NULL;
}
static void no_slist_free_all(struct curl_slist *l) { (void)l; }
static CURLM *no_multi_init(void) { return NULL; }
static CURLMcode no_multi_cleanup(CURLM *m) { (void)m; return CURLM_BAD_HANDLE; }
static CURLMcode no_multi_setopt(CURLM *m, CURLMoption o, ...)
{
    (void)m, (void)o;
    return CURLM_BAD_HANDLE;
}
static CURLMcode no_multi_handle(CURLM *m, CURL *e) { (void)m, (void)e; return CURLM_BAD_HANDLE; }
static CURLMcode no_multi_perform(CURLM *m, int *n)
{
    (void)m;
    if (n)
        *n = 0;
    return CURLM_BAD_HANDLE;
}
static CURLMcode no_multi_poll(CURLM *m, struct curl_waitfd *w, unsigned int n, int t, int *r)
{
    (void)m, (void)w, (void)n, (void)t;
    if (r)
        *r = 0;
    return CURLM_BAD_HANDLE;
}
static CURLMsg *no_multi_info_read(CURLM *m, int *n)
{
    (void)m;
    if (n)
        *n = 0;
    return NULL;
}

static void use_stand_ins(void)
{
    api.curl_global_init = no_global_init;
    api.curl_global_cleanup = no_void;
    api.curl_free = no_free;
    api.curl_url = no_url;
    api.curl_url_cleanup = no_url_cleanup;
    api.curl_url_set = no_url_set;
    api.curl_url_get = no_url_get;
    api.curl_url_strerror = no_url_strerror;
    api.curl_easy_init = no_easy_init;
    api.curl_easy_cleanup = no_easy_cleanup;
    api.curl_easy_setopt = no_easy_setopt;
    api.curl_easy_getinfo = no_easy_getinfo;
    api.curl_easy_perform = no_easy_perform;
    api.curl_easy_strerror = no_easy_strerror;
    api.curl_slist_append = no_slist_append;
    api.curl_slist_free_all = no_slist_free_all;
    api.curl_multi_init = no_multi_init;
    api.curl_multi_cleanup = no_multi_cleanup;
    api.curl_multi_setopt = no_multi_setopt;
    api.curl_multi_add_handle = no_multi_handle;
    api.curl_multi_remove_handle = no_multi_handle;
    api.curl_multi_perform = no_multi_perform;
    api.curl_multi_poll = no_multi_poll;
    api.curl_multi_info_read = no_multi_info_read;
}

static void fail(const char *what, const char *detail)
{
    snprintf(load_failure, sizeof load_failure, "%s: %s", what,
             detail && *detail ? detail : "not found");
    use_stand_ins();
}

static void load(void)
{
    /* RTLD_NOW: every symbol is checked here, once, not at a later call. */
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_GLOBAL);
    if (!h)
        return fail("libcurl.so.4", dlerror());
#define PKGAUTH_CURL_LOAD(ret, name, args)                                   \
    *(void **)&api.name = dlsym(h, #name);                                    \
    if (!api.name)                                                            \
        return fail(#name, dlerror());
    PKGAUTH_CURL_FUNCTIONS(PKGAUTH_CURL_LOAD)
#undef PKGAUTH_CURL_LOAD
}

int pkgauth_curl_load(pkgauth_error *err)
{
    pkgauth_curl();
    if (!load_failure[0])
        return PKGAUTH_OK;
    return pkgauth_error_set(err, PKGAUTH_EUNAVAILABLE, "cannot load libcurl (%s)",
                             load_failure);
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
