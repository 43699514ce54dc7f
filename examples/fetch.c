/* Downloads one URL with the credential pkgauth holds for it, following
 * redirects safely (credentials never leave the first request's origin).
 *
 *   cc fetch.c $(pkg-config --cflags --libs pkgauth libcurl) -o fetch
 *   ./fetch https://repo.prefix.dev/my-channel/noarch/repodata.json > repodata.json
 */
#include <stdio.h>

#include <curl/curl.h>
#include <pkgauth/pkgauth.h>
#include <pkgauth/curl.h> /* opt-in: the libcurl functions */

/* Runs the transfer, then each redirect hop pkgauth agrees to follow. */
static int download(CURL *easy, pkgauth_store *store, const char *url, pkgauth_error *err)
{
    struct curl_slist *headers = NULL; /* add your own lines here, if any */
    int hops = 0, rc = pkgauth_curl_prepare(easy, store, url, &headers, err);
    while (rc == PKGAUTH_OK) {
        CURLcode res = curl_easy_perform(easy);
        if (res != CURLE_OK) {
            char *shown = pkgauth_url_redact(url); /* never print a raw URL */
            snprintf(err->message, sizeof err->message, "%s: %s", shown ? shown : "",
                     curl_easy_strerror(res));
            pkgauth_free(shown);
            rc = err->code = PKGAUTH_EHTTP;
            break;
        }
        int more = pkgauth_curl_redirect(easy, store, url, &headers, &hops, err);
        if (more <= 0) {
            rc = more;
            break;
        }
    }
    pkgauth_curl_headers_free(headers); /* wipes the Authorization line */
    return rc;
}

/* Throws away the bodies of redirect and error responses. */
static size_t write_body(char *data, size_t size, size_t n, void *easy)
{
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300)
        return fwrite(data, size, n, stdout);
    return size * n;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s URL\n", argv[0]);
        return 2;
    }
    pkgauth_error err = {0};
    pkgauth_store *store;
    if (pkgauth_store_open(&store, NULL, &err)) {
        fprintf(stderr, "error: %s\n", err.message);
        return 1;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, easy);
    int rc = download(easy, store, argv[1], &err);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (rc < 0)
        fprintf(stderr, "error: %s\n", err.message);
    else if (rc == 0 && (status < 200 || status >= 300)) {
        char *shown = pkgauth_url_redact(argv[1]);
        fprintf(stderr, "error: HTTP %ld for %s\n", status, shown ? shown : "");
        pkgauth_free(shown);
        rc = 1;
    }
    curl_easy_cleanup(easy);
    curl_global_cleanup();
    pkgauth_store_free(store);
    return rc == 0 ? 0 : 1;
}
