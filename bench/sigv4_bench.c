/* Presign throughput: a typical S3 presigned GET (path-style URL on a local
 * S3-compatible server, varying object keys), N times on one thread.
 *
 *   sigv4_bench [N] [--url]
 *
 * Runs N presigns in ROUNDS rounds and prints the best round's rate (the
 * machine may be shared; the best round is the least disturbed one), and
 * the signature of key 0 so a driver script can check that other
 * implementations signed the same input. --url measures the URL-parsing
 * convenience function instead of the parsed fast path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sigv4.h"

#define N_KEYS 1024
#define ROUNDS 5
#define HOST "127.0.0.1:9000"
#define SIGN_TIME ((time_t)1369353600) /* 2013-05-24T00:00:00Z */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Object paths are prepared up front so only signing is timed. */
static char (*make_paths(void))[96]
{
    char (*paths)[96] = malloc(N_KEYS * sizeof *paths);
    for (int i = 0; paths && i < N_KEYS; i++)
        snprintf(paths[i], sizeof paths[i],
                 "/conda-pkgs/linux-64/pkg-%04d-1.2.3-h1234567_0.conda", i);
    return paths;
}

static const pkgauth_sigv4_params PARAMS = {
    .region = "us-east-1",
    .service = "s3",
    .access_key_id = "AKIAIOSFODNN7EXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    .when = SIGN_TIME,
    .expires = 3600,
};

static int presign_one(pkgauth_sigv4_signer *s, const char *path, int use_url,
                       const char **url, char **owned)
{
    pkgauth_error err = {0};
    int rc;
    if (use_url) {
        char full[160];
        snprintf(full, sizeof full, "http://" HOST "%s", path);
        free(*owned);
        rc = pkgauth_sigv4_presign_url(s, &PARAMS, "GET", full, owned, &err);
        *url = *owned;
    } else {
        pkgauth_sigv4_request req = {
            .method = "GET", .scheme = "http", .host = HOST, .path = path};
        rc = pkgauth_sigv4_presign_fast(s, &PARAMS, &req, url, NULL, &err);
    }
    if (rc)
        fprintf(stderr, "presign failed: %s\n", err.message);
    return rc;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    int use_url = argc > 2 && strcmp(argv[2], "--url") == 0;
    char (*paths)[96] = make_paths();
    pkgauth_sigv4_signer *s = NULL;
    if (n <= 0 || !paths || pkgauth_sigv4_signer_new(&s, NULL))
        return 1;
    const char *url = NULL;
    char *owned = NULL;
    if (presign_one(s, paths[0], use_url, &url, &owned))
        return 1;
    printf("sample: %s\n", url);
    printf("signature[0]: %s\n", strstr(url, "X-Amz-Signature=") + 16);
    size_t total_len = 0; /* keeps the work observable */
    long per_round = n / ROUNDS > 0 ? n / ROUNDS : 1;
    double best = 0, all = 0;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_seconds();
        for (long i = 0; i < per_round; i++) {
            if (presign_one(s, paths[i % N_KEYS], use_url, &url, &owned))
                return 1;
            total_len += strlen(url);
        }
        double dt = now_seconds() - t0;
        all += dt;
        if (best == 0 || dt < best)
            best = dt;
    }
    printf("pkgauth%s: %.0f presigns/s (best of %d rounds of %ld; mean "
           "%.0f/s; %.0f ns each; %zu bytes)\n",
           use_url ? " (URL parsing)" : "", per_round / best, ROUNDS,
           per_round, per_round * ROUNDS / all, best * 1e9 / per_round,
           total_len);
    free(owned);
    free(paths);
    pkgauth_sigv4_signer_free(s);
    return 0;
}
