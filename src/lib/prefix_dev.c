/* prefix.dev token check (compat.md, `login`): a GraphQL query for the
 * token's owner, so a mistyped token is refused before it is stored. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "curl_dl.h"
#include <jansson.h>

#include "error.h"
#include "memory.h"
#include "pkgauth/prefix_dev.h"
#include "pkgauth/request.h"
#include "request_internal.h"

#define QUERY "{\"query\":\"query { viewer { login } }\"}"
#define MAX_ANSWER (1 << 20)

char *pkgauth_prefix_dev_api_url(const char *host)
{
    const char *env = getenv("PREFIX_DEV_API_URL");
    char *url = NULL;
    if (!host)
        return NULL;
    if (env && *env) {
        url = strdup(env);
        size_t n = url ? strlen(url) : 0;
        while (n && url[n - 1] == '/') /* "<base>/api/graphql" must not get "//" */
            url[--n] = '\0';
        return url;
    }
    if (!strncmp(host, "*.", 2))
        host += 2;
    if (!strncasecmp(host, "repo.", 5))
        host += 5;
    return asprintf(&url, "https://%s", host) < 0 ? NULL : url;
}

typedef struct {
    char *data;
    size_t len;
} answer;

static size_t on_answer(char *data, size_t size, size_t n, void *ctx)
{
    answer *a = ctx;
    size_t add = size * n;
    if (a->len + add > MAX_ANSWER)
        return 0;
    char *grown = realloc(a->data, a->len + add + 1);
    if (!grown)
        return 0;
    memcpy(grown + a->len, data, add);
    a->len += add;
    grown[a->len] = '\0';
    a->data = grown;
    return add;
}

/* POSTs the query; fills *status and the body. */
static int post(const char *endpoint, const char *shown, const char *token, answer *a,
                long *status, pkgauth_error *err)
{
    CURL *e = curl_easy_init();
    char *auth = NULL;
    struct curl_slist *h = NULL;
    if (!pkgauth_wire_safe(token) || !pkgauth_wire_safe(endpoint)) {
        curl_easy_cleanup(e);
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "prefix.dev: the token or the API URL "
                                 "contains a line break");
    }
    if (!e || asprintf(&auth, "Authorization: Bearer %s", token) < 0 ||
        !(h = curl_slist_append(NULL, "Content-Type: application/json")) ||
        !curl_slist_append(h, auth)) {
        curl_easy_cleanup(e);
        pkgauth_curl_headers_free(h);
        pkgauth_free(auth);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    pkgauth_free(auth);
    char msg[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_URL, endpoint);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, QUERY);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_answer);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, msg);
    pkgauth_curl_defaults(e);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
    CURLcode res = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(e);
    pkgauth_curl_headers_free(h);
    if (res != CURLE_OK)
        return pkgauth_error_set(err, PKGAUTH_EHTTP, "cannot reach %s to check the token: %s",
                                 shown, *msg ? msg : curl_easy_strerror(res));
    return PKGAUTH_OK;
}

/* data.viewer.login: a string = the account; null viewer = invalid. */
static int read_login(const answer *a, const char *endpoint, char **login, pkgauth_error *err)
{
    json_t *root = a->data ? json_loads(a->data, 0, NULL) : NULL;
    json_t *viewer = json_object_get(json_object_get(root, "data"), "viewer");
    const char *name = json_string_value(json_object_get(viewer, "login"));
    int rc;
    if (name)
        rc = (*login = strdup(name)) ? PKGAUTH_OK
                                     : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    else if (root && json_object_get(root, "data") && (!viewer || json_is_null(viewer)))
        rc = pkgauth_error_set(err, PKGAUTH_EAUTH, "%s says the token is not valid", endpoint);
    else
        rc = pkgauth_error_set(err, PKGAUTH_EHTTP, "unexpected answer from %s", endpoint);
    json_decref(root);
    return rc;
}

int pkgauth_prefix_dev_check_token(const char *api_url, const char *token, char **login,
                                   pkgauth_error *err)
{
    if (login)
        *login = NULL;
    if (!api_url || !token || !login)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "prefix.dev check: missing argument");
    int loaded = pkgauth_curl_load(err);
    if (loaded)
        return loaded;
    char *endpoint = NULL;
    if (asprintf(&endpoint, "%s/api/graphql", api_url) < 0)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    char *shown = pkgauth_url_redact(endpoint);
    answer a = {0};
    long status = 0;
    int rc = post(endpoint, shown ? shown : "", token, &a, &status, err);
    if (!rc && (status == 401 || status == 403))
        rc = pkgauth_error_set(err, PKGAUTH_EAUTH, "%s refused the token (HTTP %ld)",
                               shown ? shown : "", status);
    else if (!rc && status != 200)
        rc = pkgauth_error_set(err, PKGAUTH_EHTTP, "%s answered HTTP %ld", shown ? shown : "",
                               status);
    else if (!rc)
        rc = read_login(&a, shown ? shown : "", login, err);
    free(a.data);
    pkgauth_free(shown);
    free(endpoint);
    return rc;
}
