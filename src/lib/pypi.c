/* Credentials for PyPI index URLs: the lookup order of compat.md "PyPI
 * indexes" (URL, keyring program, netrc, store) and a per-context cache,
 * as uv does it. See include/pkgauth/pypi.h for the contract.
 *
 * The lookup is a credential provider (include/pkgauth/provider.h): the
 * first one, answering for user@ URLs. The public pkgauth_pypi_* request
 * and curl functions are that provider's answers applied to a request,
 * and its callback for the transport (curl.c knows nothing of PyPI). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "curl_dl.h"
#include "error.h"
#include "options.h"
#include "memory.h"
#include "netrc.h"
#include "pkgauth/provider.h"
#include "pkgauth/pypi.h"
#include "request_internal.h"
#include "subprocess.h"
#include "url_internal.h"

/* One `keyring get SERVICE USER` answer; password NULL = it had none. */
typedef struct {
    char *service, *user, *password;
} keyring_answer;

/* A password found for (origin, user): reused for every URL of that
 * origin, so an index's files do not run keyring again. */
typedef struct {
    char *origin, *user;
    pkgauth_credential *cred;
    pkgauth_pypi_source source;
} realm_entry;

struct pkgauth_pypi {
    pkgauth_keyring_provider provider;
    char *program;
    int timeout_ms;
    int keyring_off; /* missing, failing or stalled: not run again */
    char *netrc_path; /* NULL = no netrc */
    int netrc_loaded;
    pkgauth_netrc *netrc; /* NULL when the file is missing */
    pkgauth_store *store; /* borrowed */
    pkgauth_warn_fn warn;
    void *warn_ctx;
    keyring_answer *answers;
    size_t n_answers;
    realm_entry *realms;
    size_t n_realms;
};

static void pypi_warn(pkgauth_pypi *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void pypi_warn(pkgauth_pypi *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pkgauth_warn_va(p->warn, p->warn_ctx, fmt, ap);
    va_end(ap);
}

const char *pkgauth_pypi_source_name(pkgauth_pypi_source source)
{
    static const char *const names[] = {"none", "url", "keyring", "netrc", "store"};
    return (unsigned)source < sizeof names / sizeof *names ? names[source] : "none";
}

/* ---- the context ---------------------------------------------------------- */

/* PKGAUTH_KEYRING_TIMEOUT (seconds, fractions allowed) is a testing aid. */
static int default_timeout_ms(void)
{
    const char *env = getenv("PKGAUTH_KEYRING_TIMEOUT");
    char *end;
    double s = env && *env ? strtod(env, &end) : 0;
    if (s > 0 && s < 86400 && !*end)
        return (int)(s * 1000) > 0 ? (int)(s * 1000) : 1;
    return PKGAUTH_KEYRING_TIMEOUT_MS;
}

/* opts->netrc ("" = none), else $NETRC, else <home>/.netrc. *out stays
 * NULL when there is no file to read; -1 when out of memory. */
static int netrc_path(const pkgauth_pypi_options *o, char **out)
{
    const char *env = getenv("NETRC"), *home = o->home ? o->home : getenv("HOME");
    *out = NULL;
    if (o->netrc)
        return *o->netrc && !(*out = strdup(o->netrc)) ? -1 : 0;
    if (env && *env)
        return (*out = strdup(env)) ? 0 : -1;
    if (home && *home && asprintf(out, "%s/.netrc", home) < 0) {
        *out = NULL;
        return -1;
    }
    return 0;
}

int pkgauth_pypi_open(pkgauth_pypi **out, const pkgauth_pypi_options *opts, pkgauth_error *err)
{
    static const pkgauth_pypi_options none = PKGAUTH_PYPI_OPTIONS_INIT;
    const pkgauth_pypi_options *o = opts ? opts : &none;
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "pypi_open: out is required");
    *out = NULL;
    if (pkgauth_options_version(o->version, PKGAUTH_PYPI_OPTIONS_VERSION,
                                "pkgauth_pypi_options", err))
        return PKGAUTH_EINVAL;
    pkgauth_pypi *p = calloc(1, sizeof *p);
    if (!p)
        return pkgauth_oom(err);
    p->provider = o->keyring_provider;
    p->timeout_ms = o->keyring_timeout_ms > 0 ? o->keyring_timeout_ms : default_timeout_ms();
    p->store = o->store;
    p->warn = o->warn;
    p->warn_ctx = o->warn_ctx;
    p->program = strdup(o->keyring_program ? o->keyring_program : "keyring");
    if (!p->program || netrc_path(o, &p->netrc_path)) {
        pkgauth_pypi_free(p);
        return pkgauth_oom(err);
    }
    *out = p;
    return PKGAUTH_OK;
}

void pkgauth_pypi_free(pkgauth_pypi *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_answers; i++) {
        free(p->answers[i].service);
        free(p->answers[i].user);
        pkgauth_free(p->answers[i].password);
    }
    for (size_t i = 0; i < p->n_realms; i++) {
        free(p->realms[i].origin);
        free(p->realms[i].user);
        pkgauth_credential_free(p->realms[i].cred);
    }
    free(p->answers);
    free(p->realms);
    pkgauth_netrc_free(p->netrc);
    free(p->netrc_path);
    free(p->program);
    free(p);
}

/* ---- the parts of an index URL --------------------------------------------- */

typedef struct {
    pkgauth_net_url parts; /* holds the strings the four below point into */
    char *user;            /* percent-decoded; NULL when the URL has none */
    char *password;        /* percent-decoded; NULL when none (a secret) */
    char *host;            /* as in the URL ("[::1]" keeps its brackets) */
    char *port;            /* NULL unless the URL names a non-default port */
    char *bare;            /* the URL without user info: what keyring and servers see */
    char *origin;          /* scheme://host:port, the cache key */
    char *shown;           /* redacted, for messages */
} index_url;

static void index_url_clear(index_url *u)
{
    pkgauth_net_url_dispose(&u->parts);
    pkgauth_free(u->bare);
    free(u->origin);
    pkgauth_free(u->shown);
    memset(u, 0, sizeof *u);
}

/* Fills u; u->user stays NULL for a URL without a user name. The host
 * keeps its case, as keyring and netrc were always asked for it. */
static int index_url_parse(const char *url, index_url *u, pkgauth_error *err)
{
    memset(u, 0, sizeof *u);
    int rc = pkgauth_net_url_parse(&u->parts, url, PKGAUTH_URL_KEEP_CASE, err);
    if (rc)
        return rc;
    u->user = u->parts.user && *u->parts.user ? u->parts.user : NULL; /* "https://@host/" */
    u->password = u->parts.password;
    u->host = u->parts.host;
    u->port = u->parts.port;
    if (!(u->shown = pkgauth_url_redact(url)) || !(u->origin = pkgauth_net_url_origin(&u->parts)))
        return pkgauth_oom(err);
    rc = pkgauth_net_url_format(&u->parts,
                                PKGAUTH_URL_FMT_NO_USERINFO | PKGAUTH_URL_FMT_NO_DEFAULT_PORT,
                                &u->bare);
    if (rc == PKGAUTH_ENOMEM)
        return pkgauth_oom(err);
    return rc ? pkgauth_error_set(err, rc, "invalid URL: %s", u->shown) : PKGAUTH_OK;
}

char *pkgauth_url_username(const char *url)
{
    index_url u = {0};
    char *user = NULL;
    if (url && !index_url_parse(url, &u, NULL) && u.user)
        user = strdup(u.user);
    index_url_clear(&u);
    return user;
}

/* ---- the cache ----------------------------------------------------------- */

static realm_entry *realm_find(pkgauth_pypi *p, const index_url *u)
{
    for (size_t i = 0; i < p->n_realms; i++)
        if (!strcmp(p->realms[i].origin, u->origin) && !strcmp(p->realms[i].user, u->user))
            return &p->realms[i];
    return NULL;
}

/* Remembers cred (copied) for u's origin and user; failure to remember
 * only costs a second lookup later. */
static void realm_remember(pkgauth_pypi *p, const index_url *u, const pkgauth_credential *cred,
                           pkgauth_pypi_source source)
{
    realm_entry *r = realloc(p->realms, (p->n_realms + 1) * sizeof *r);
    if (!r)
        return;
    p->realms = r;
    r = &p->realms[p->n_realms];
    r->origin = strdup(u->origin);
    r->user = strdup(u->user);
    pkgauth_credential_dup(&r->cred, cred, NULL);
    r->source = source;
    if (r->origin && r->user && r->cred) {
        p->n_realms++;
        return;
    }
    free(r->origin);
    free(r->user);
    pkgauth_credential_free(r->cred);
}

/* PKGAUTH_ACQUIRE_REFRESH: what was found for u's origin and user, and
 * keyring's answers for the user, are asked again. */
static void forget_user(pkgauth_pypi *p, const index_url *u)
{
    for (size_t i = p->n_realms; i-- > 0;) {
        realm_entry *r = &p->realms[i];
        if (strcmp(r->origin, u->origin) || strcmp(r->user, u->user))
            continue;
        free(r->origin);
        free(r->user);
        pkgauth_credential_free(r->cred);
        *r = p->realms[--p->n_realms];
    }
    for (size_t i = p->n_answers; i-- > 0;) {
        keyring_answer *a = &p->answers[i];
        if (strcmp(a->user, u->user))
            continue;
        free(a->service);
        free(a->user);
        pkgauth_free(a->password);
        *a = p->answers[--p->n_answers];
    }
}

static const keyring_answer *answer_find(pkgauth_pypi *p, const char *service,
                                         const char *user)
{
    for (size_t i = 0; i < p->n_answers; i++)
        if (!strcmp(p->answers[i].service, service) && !strcmp(p->answers[i].user, user))
            return &p->answers[i];
    return NULL;
}

static void answer_remember(pkgauth_pypi *p, const char *service, const char *user,
                            const char *password)
{
    keyring_answer *a = realloc(p->answers, (p->n_answers + 1) * sizeof *a);
    if (!a)
        return;
    p->answers = a;
    a = &p->answers[p->n_answers];
    a->service = strdup(service);
    a->user = strdup(user);
    a->password = pkgauth_strdup(password);
    if (a->service && a->user && (a->password || !password)) {
        p->n_answers++;
        return;
    }
    free(a->service);
    free(a->user);
    pkgauth_free(a->password);
}

/* ---- keyring ------------------------------------------------------------------ */

/* The password: keyring's first line of output, without its line end. */
static char *first_line(const char *out)
{
    size_t n = strcspn(out, "\n");
    if (n && out[n - 1] == '\r')
        n--;
    return n ? strndup(out, n) : NULL;
}

/* Reports what went wrong with one run; further runs are skipped. */
static void keyring_trouble(pkgauth_pypi *p, const index_url *u,
                            const pkgauth_subprocess_result *r)
{
    p->keyring_off = 1;
    if (r->spawn_errno)
        pypi_warn(p, "keyring provider: cannot run '%s' for index %s: %s: install keyring "
                  "(e.g. 'pixi global install keyring') and put it on PATH, or set "
                  "keyring-provider = disabled; going on without a keyring password",
                  p->program, u->shown, strerror(r->spawn_errno));
    else if (r->timed_out)
        pypi_warn(p, "keyring provider: '%s get' for index %s gave no answer within %.1f s "
                  "and was stopped: check that its backend does not wait for an unlock "
                  "prompt or input; going on without a keyring password",
                  p->program, u->shown, p->timeout_ms / 1000.0);
    else
        pypi_warn(p, "keyring provider: '%s get' failed for index %s (exit %d: %.200s): "
                  "check 'keyring --list-backends' and its configuration; going on "
                  "without a keyring password",
                  p->program, u->shown, r->exit_status, r->err_line);
}

/* Runs `keyring get SERVICE USER` (never with a secret on the command
 * line). *password is a new string (pkgauth_free) or NULL for none. */
static int keyring_run(pkgauth_pypi *p, const index_url *u, const char *service,
                       char **password, pkgauth_error *err)
{
    char *argv[] = {p->program, "get", (char *)service, u->user, NULL};
    pkgauth_subprocess_result r;
    *password = NULL;
    if (pkgauth_subprocess_run(argv, p->timeout_ms, &r))
        return pkgauth_oom(err);
    /* A non-zero exit without a message is keyring's "no such password";
     * an empty first line is no password either. */
    if (r.spawn_errno || r.timed_out || (r.exit_status && r.err_line))
        keyring_trouble(p, u, &r);
    else if (r.exit_status == 0)
        *password = first_line(r.out);
    pkgauth_subprocess_result_clear(&r);
    return PKGAUTH_OK;
}

/* One `keyring get`, answered from the cache when it was asked before. */
static int keyring_get(pkgauth_pypi *p, const index_url *u, const char *service,
                       char **password, pkgauth_error *err)
{
    const keyring_answer *a = answer_find(p, service, u->user);
    *password = NULL;
    if (a)
        return (a->password && !(*password = strdup(a->password))) ? pkgauth_oom(err) : PKGAUTH_OK;
    if (p->keyring_off)
        return PKGAUTH_OK;
    int rc = keyring_run(p, u, service, password, err);
    if (!rc && !p->keyring_off)
        answer_remember(p, service, u->user, *password);
    return rc;
}

/* The URL as requested, then host[:port] (uv's order). */
static int from_keyring(pkgauth_pypi *p, const index_url *u, char **password,
                        pkgauth_error *err)
{
    char *host_port = NULL;
    int rc = keyring_get(p, u, u->bare, password, err);
    if (rc || *password)
        return rc;
    if (asprintf(&host_port, "%s%s%s", u->host, u->port ? ":" : "", u->port ? u->port : "") < 0)
        return pkgauth_oom(err);
    rc = keyring_get(p, u, host_port, password, err);
    free(host_port);
    return rc;
}

/* ---- netrc and the store --------------------------------------------------- */

static int netrc_loaded(pkgauth_pypi *p, pkgauth_error *err)
{
    if (p->netrc_loaded || !p->netrc_path)
        return PKGAUTH_OK;
    pkgauth_error e = {0};
    int rc = pkgauth_netrc_load(p->netrc_path, &p->netrc, &e);
    if (rc == PKGAUTH_ENOTFOUND) /* no netrc is the normal case */
        rc = PKGAUTH_OK;
    if (rc && rc != PKGAUTH_ENOMEM) {
        /* As in the store chain (backends/netrc.c): warn, go on without. */
        pypi_warn(p, "%s; netrc not used", e.message);
        rc = PKGAUTH_OK;
    } else if (rc && err) {
        *err = e;
    }
    p->netrc_loaded = !rc;
    return rc;
}

/* The machine entry for the host (without IPv6 brackets, as curl asks)
 * and the URL's user, with curl's rules, else netrc's `default` entry:
 * what uv does (crates/uv-auth, Credentials::from_netrc). Conda channels
 * and S3 never get `default` (resolve.c). */
static int from_netrc(pkgauth_pypi *p, const index_url *u, pkgauth_credential **out,
                      pkgauth_error *err)
{
    const char *login, *password;
    int rc = netrc_loaded(p, err);
    if (rc || !p->netrc)
        return rc ? rc : PKGAUTH_ENOTFOUND;
    size_t hl = strlen(u->host);
    char *host = u->host[0] == '[' && hl > 1 ? strndup(u->host + 1, hl - 2) : strdup(u->host);
    if (!host)
        return pkgauth_oom(err);
    rc = pkgauth_netrc_lookup_default_last(p->netrc, host, u->user, &login, &password);
    free(host);
    if (rc)
        return PKGAUTH_ENOTFOUND;
    return pkgauth_credential_new_basic(out, u->user, password, err);
}

/* The store's credential for url. With a user name, a BasicHTTP entry for
 * another user is not this account's: skipped. */
static int from_store(pkgauth_pypi *p, const char *url, const char *user,
                      pkgauth_credential **out, pkgauth_error *err)
{
    pkgauth_match m;
    if (!p->store)
        return PKGAUTH_ENOTFOUND;
    int rc = pkgauth_store_find(p->store, url, &m, err);
    if (rc)
        return rc;
    const char *stored = pkgauth_credential_username(m.credential);
    if (user && stored && strcmp(stored, user))
        rc = PKGAUTH_ENOTFOUND;
    else
        rc = pkgauth_credential_dup(out, m.credential, err);
    pkgauth_match_clear(&m);
    return rc;
}

/* ---- the lookup order -------------------------------------------------------- */

static int basic(const index_url *u, const char *password, pkgauth_credential **out,
                 pkgauth_error *err)
{
    return pkgauth_credential_new_basic(out, u->user, password, err);
}

static int find_for_user(pkgauth_pypi *p, const index_url *u, pkgauth_credential **out,
                         pkgauth_pypi_source *source, pkgauth_error *err)
{
    const realm_entry *r;
    char *password = NULL;
    int rc;
    if (u->password) {
        *source = PKGAUTH_PYPI_SOURCE_URL;
        return basic(u, u->password, out, err);
    }
    if ((r = realm_find(p, u))) {
        *source = r->source;
        return pkgauth_credential_dup(out, r->cred, err);
    }
    if (p->provider == PKGAUTH_KEYRING_PROVIDER_SUBPROCESS) {
        rc = from_keyring(p, u, &password, err);
        if (!rc && password && !(rc = basic(u, password, out, err)))
            realm_remember(p, u, *out, *source = PKGAUTH_PYPI_SOURCE_KEYRING);
        pkgauth_free(password);
        if (rc || *out)
            return rc;
    }
    rc = from_netrc(p, u, out, err);
    if (rc != PKGAUTH_ENOTFOUND) {
        *source = rc ? PKGAUTH_PYPI_SOURCE_NONE : PKGAUTH_PYPI_SOURCE_NETRC;
        return rc;
    }
    rc = from_store(p, u->bare, u->user, out, err);
    *source = rc ? PKGAUTH_PYPI_SOURCE_NONE : PKGAUTH_PYPI_SOURCE_STORE;
    return rc;
}

int pkgauth_pypi_find(pkgauth_pypi *p, const char *url, pkgauth_credential **out,
                      pkgauth_pypi_source *source, pkgauth_error *err)
{
    pkgauth_pypi_source ignored;
    index_url u;
    source = source ? source : &ignored;
    if (out)
        *out = NULL;
    *source = PKGAUTH_PYPI_SOURCE_NONE;
    if (!p || !url || !out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "pypi: context and URL are required");
    int rc = index_url_parse(url, &u, err);
    if (!rc && u.user) {
        rc = find_for_user(p, &u, out, source, err);
    } else if (!rc) { /* no user name: the store, as for any other URL */
        rc = from_store(p, url, NULL, out, err);
        *source = rc ? PKGAUTH_PYPI_SOURCE_NONE : PKGAUTH_PYPI_SOURCE_STORE;
    }
    if (rc == PKGAUTH_ENOTFOUND)
        pkgauth_error_set(err, PKGAUTH_ENOTFOUND, "no credentials for %s", u.shown);
    index_url_clear(&u);
    return rc;
}

/* The provider's answer for a URL with a user name: what the lookup
 * order finds, else the user name with an empty password (what uv sends;
 * some indexes take a token as user name). */
static int acquire_for_user(pkgauth_pypi *p, const index_url *u, unsigned flags,
                            pkgauth_credential **out, pkgauth_pypi_source *source,
                            pkgauth_error *err)
{
    if (flags & PKGAUTH_ACQUIRE_REFRESH)
        forget_user(p, u);
    *source = PKGAUTH_PYPI_SOURCE_NONE;
    int rc = find_for_user(p, u, out, source, err);
    if (rc == PKGAUTH_ENOTFOUND)
        rc = basic(u, "", out, err);
    return rc;
}

int pkgauth_pypi_authenticate(pkgauth_pypi *p, const char *method, const char *url,
                              const char *const *headers, size_t n_headers,
                              pkgauth_request **out, pkgauth_error *err)
{
    index_url u;
    pkgauth_credential *cred = NULL;
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "request: out is required");
    *out = NULL;
    if (!p || !method || !url || !pkgauth_headers_valid(headers, n_headers))
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "request: context, method, URL and header lines are required");
    /* An s3:// URL names no user, and its key may hold bytes (spaces) that
     * the URL parser refuses: straight to the store's S3 signing. */
    if (p->store && !strncasecmp(url, "s3://", 5))
        return pkgauth_request_authenticate(p->store, method, url, headers, n_headers, out, err);
    int rc = index_url_parse(url, &u, err);
    if (!rc && !u.user) { /* today's rules: the store (conda tokens, S3, ...) */
        index_url_clear(&u);
        return p->store ? pkgauth_request_authenticate(p->store, method, url, headers,
                                                       n_headers, out, err)
                        : pkgauth_request_apply(NULL, method, url, headers, n_headers, out, err);
    }
    if (!rc && !pkgauth_headers_have_authorization(headers, n_headers)) {
        pkgauth_pypi_source source;
        rc = acquire_for_user(p, &u, 0, &cred, &source, err);
    }
    if (!rc)
        rc = pkgauth_request_apply(cred, method, u.bare, headers, n_headers, out, err);
    pkgauth_credential_free(cred);
    index_url_clear(&u);
    return rc;
}

/* url with first_url's user info (a redirect's Location has none). */
static int with_userinfo(const char *first_url, const char *url, char **out,
                         pkgauth_error *err)
{
    index_url first;
    pkgauth_net_url next = {0};
    int rc = index_url_parse(first_url, &first, err);
    *out = NULL;
    if (!rc && pkgauth_net_url_parse(&next, url, 0, NULL))
        rc = pkgauth_error_set(err, PKGAUTH_EINVAL, "invalid redirect URL");
    if (!rc && (pkgauth_net_url_set_userinfo(&next, first.user, first.password) ||
                pkgauth_net_url_format(&next, 0, out)))
        rc = pkgauth_oom(err);
    pkgauth_net_url_dispose(&next);
    index_url_clear(&first);
    return rc;
}

/* The transport's callback (curl.c): a hop of a redirect chain that
 * started at first_url (same origin: checked by the transport) has no
 * user info in the server's Location, so first_url's is put on url first:
 * the hop is authenticated as the same user, from the cache. */
static int request_cb(void *pypi, const char *method, const char *url, const char *first_url,
                      const char *const *headers, size_t n_headers, pkgauth_request **out,
                      pkgauth_error *err)
{
    char *next = NULL;
    if (!first_url)
        return pkgauth_pypi_authenticate(pypi, method, url, headers, n_headers, out, err);
    int rc = with_userinfo(first_url, url, &next, err);
    if (!rc)
        rc = pkgauth_pypi_authenticate(pypi, method, next, headers, n_headers, out, err);
    pkgauth_free(next);
    return rc;
}

int pkgauth_pypi_curl_prepare(CURL *easy, pkgauth_pypi *pypi, const char *url,
                              struct curl_slist **headers, pkgauth_error *err)
{
    if (!pypi)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "curl_prepare: missing argument");
    return pkgauth_curl_prepare_cb(easy, request_cb, pypi, url, headers, err);
}

int pkgauth_pypi_curl_redirect(CURL *easy, pkgauth_pypi *pypi, const char *first_url,
                               struct curl_slist **headers, int *hops, pkgauth_error *err)
{
    if (!pypi)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "curl_redirect: missing argument");
    return pkgauth_curl_redirect_cb(easy, request_cb, pypi, first_url, headers, hops, err);
}

/* ---- the provider ------------------------------------------------------------ */

typedef struct {
    pkgauth_provider base;
    pkgauth_pypi *pypi;
} pypi_provider;

static const char *provider_source(pkgauth_pypi_source source)
{
    static const char *const names[] = {"pypi", "pypi: url", "pypi: keyring", "pypi: netrc",
                                        "pypi: store"};
    return (unsigned)source < sizeof names / sizeof *names ? names[source] : "pypi";
}

/* URLs with a user name only: the others are the store's (a context asks
 * it next). out->url is the URL without its user info, as servers see it. */
static int provider_acquire(pkgauth_provider *base, const char *url, const char *first_url,
                            unsigned flags, pkgauth_acquired *out, pkgauth_error *err)
{
    pkgauth_pypi *p = ((pypi_provider *)base)->pypi;
    char *next = NULL;
    index_url u = {0};
    pkgauth_pypi_source source;
    if (!strncasecmp(url, "s3://", 5))
        return PKGAUTH_ENOTFOUND;
    int rc = first_url ? with_userinfo(first_url, url, &next, err) : PKGAUTH_OK;
    if (!rc)
        rc = index_url_parse(next ? next : url, &u, err);
    if (!rc && !u.user)
        rc = PKGAUTH_ENOTFOUND;
    if (!rc)
        rc = acquire_for_user(p, &u, flags, &out->credential, &source, err);
    if (!rc && !(out->url = pkgauth_strdup(u.bare)))
        rc = pkgauth_oom(err);
    if (!rc)
        out->source = provider_source(source);
    index_url_clear(&u);
    pkgauth_free(next);
    return rc;
}

static void provider_free(pkgauth_provider *base)
{
    pkgauth_pypi_free(((pypi_provider *)base)->pypi);
    free(base->name);
    free(base);
}

int pkgauth_pypi_provider_new(pkgauth_provider **out, const pkgauth_pypi_options *opts,
                              pkgauth_error *err)
{
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "pypi_provider_new: out is required");
    *out = NULL;
    pypi_provider *pp = calloc(1, sizeof *pp);
    if (!pp || !(pp->base.name = strdup("pypi"))) {
        free(pp);
        return pkgauth_oom(err);
    }
    int rc = pkgauth_pypi_open(&pp->pypi, opts, err);
    if (rc) {
        provider_free(&pp->base);
        return rc;
    }
    pp->base.version = PKGAUTH_PROVIDER_VERSION;
    pp->base.parallel = 0; /* one cache, no lock of its own: the context serialises */
    pp->base.acquire = provider_acquire;
    pp->base.free = provider_free;
    *out = &pp->base;
    return PKGAUTH_OK;
}
