/* Resolution benchmark: a 10,000-entry credentials file (exact, wildcard
 * and s3 keys mixed), the time to load it, and URL lookups per second on one
 * core, beside libcurl's own parse-and-get-host rate from the same run.
 *
 *   resolve_bench [FILE] [LOOKUPS]    (FILE is written, default /tmp/...) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curl_dl.h"

#include "pkgauth/pkgauth.h"

#define ENTRIES 10000
#define URLS 1024

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Entry i: a third exact hosts, a third wildcards, a third s3 prefixes. */
static void key_for(int i, char *buf, size_t n)
{
    switch (i % 3) {
    case 0: snprintf(buf, n, "repo%d.example%d.com", i, i % 97); break;
    case 1: snprintf(buf, n, "*.team%d.example.org", i); break;
    default: snprintf(buf, n, "s3://bucket%d/channel", i); break;
    }
}

static void write_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputc('{', f);
    for (int i = 0; i < ENTRIES; i++) {
        char key[128];
        key_for(i, key, sizeof key);
        fprintf(f, "%s\"%s\":{\"BearerToken\":\"token-%08d-abcdefghijklmnop\"}", i ? "," : "",
                key, i);
    }
    fputc('}', f);
    fclose(f);
}

/* Hits (exact, wildcard below a key, s3 object under a prefix) and misses. */
static void make_urls(char urls[URLS][160])
{
    for (int j = 0; j < URLS; j++) {
        int i = (j * 7919) % ENTRIES;
        switch (j % 4) {
        case 0: snprintf(urls[j], 160, "https://repo%d.example%d.com/c/noarch/repodata.json", i - i % 3, (i - i % 3) % 97); break;
        case 1: snprintf(urls[j], 160, "https://conda.team%d.example.org/c/linux-64/pkg-1.0-0.conda", i - i % 3 + 1); break;
        case 2: snprintf(urls[j], 160, "s3://bucket%d/channel/noarch/repodata.json", i - i % 3 + 2); break;
        default: snprintf(urls[j], 160, "https://unknown%d.example.net/simple/pkg/", j); break;
        }
    }
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/tmp/pkgauth-bench-10k.json";
    long lookups = argc > 2 ? atol(argv[2]) : 1000000;
    static char urls[URLS][160];
    pkgauth_error err = {0};
    write_file(path);
    make_urls(urls);

    /* Load: open + first lookup, which reads and validates the file. */
    double best_load = 1e9;
    for (int r = 0; r < 5; r++) {
        pkgauth_store *s;
        pkgauth_match m;
        double t0 = now();
        pkgauth_store_new(&s, &err);
        pkgauth_store_add_file(s, path, &err);
        int rc = pkgauth_store_find(s, urls[0], &m, &err);
        double t = now() - t0;
        if (rc) {
            fprintf(stderr, "lookup failed: %s\n", err.message);
            return 1;
        }
        pkgauth_match_clear(&m);
        pkgauth_store_free(s);
        best_load = t < best_load ? t : best_load;
    }

    pkgauth_store *s;
    pkgauth_store_new(&s, &err);
    pkgauth_store_add_file(s, path, &err);
    long hits = 0;
    double t0 = now();
    for (long k = 0; k < lookups; k++) {
        pkgauth_match m;
        if (pkgauth_store_find(s, urls[k % URLS], &m, NULL) == PKGAUTH_OK) {
            hits++;
            pkgauth_match_clear(&m);
        }
    }
    double t_find = now() - t0;
    pkgauth_store_free(s);

    /* The peer: libcurl's URL parser alone, parse and get the host. */
    t0 = now();
    for (long k = 0; k < lookups; k++) {
        CURLU *u = curl_url();
        char *host = NULL;
        curl_url_set(u, CURLUPART_URL, urls[k % URLS], CURLU_NON_SUPPORT_SCHEME);
        curl_url_get(u, CURLUPART_HOST, &host, 0);
        curl_free(host);
        curl_url_cleanup(u);
    }
    double t_curl = now() - t0;

    printf("entries:                    %d\n", ENTRIES);
    printf("load (open + first lookup): %.2f ms (best of 5)\n", best_load * 1e3);
    printf("pkgauth_store_find:         %.0f lookups/s (%ld lookups, %ld hits)\n",
           lookups / t_find, lookups, hits);
    printf("libcurl parse + get host:   %.0f /s (peer, same run)\n", lookups / t_curl);
    printf("store's own share:          %.0f ns per lookup beyond the parse\n",
           (t_find - t_curl) / lookups * 1e9);
    printf("lookups / parses:           %.2fx (target >= 0.8x)\n", t_curl / t_find);
    return 0;
}
