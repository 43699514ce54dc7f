/* pkgauth fetch: what the option parser (cmd_fetch.c) hands to the
 * transfer engine (fetch_run.c) and the progress line (progress.c). */
#ifndef PKGAUTH_CLI_FETCH_H
#define PKGAUTH_CLI_FETCH_H

#include <stdio.h>

#include "curl_dl.h"

#include "cli.h"

/* Tries per file: the first and two retries (connection errors, 5xx). */
#define FETCH_MAX_TRIES 3
#define FETCH_DEFAULT_JOBS 8
#define FETCH_MAX_JOBS 256
#define FETCH_ERROR_BODY_MAX 4096

/* One file to download. dest NULL means standard output. Owned by the
 * job list; the engine fills in the rest. */
typedef struct fetch_job {
    char *url;  /* as given (printed only through pkgauth_url_redact) */
    char *dest; /* final path, or NULL for stdout */
    char *tmp;  /* where the body goes until it is complete */
    FILE *out;
    CURL *easy;
    struct curl_slist *headers; /* may hold Authorization: wiped on free */
    int tries, hops;
    double retry_at; /* monotonic seconds; a retry waits until then */
    curl_off_t bytes;
    struct progress *prog; /* bytes received are added here */
    char errbuf[CURL_ERROR_SIZE];
    /* The start of a 4xx/5xx body (S3 says there why it refused), up to
     * FETCH_ERROR_BODY_MAX bytes; allocated on its first byte. */
    char *error_body;
    size_t error_len;
} fetch_job;

/* Downloads every job, at most `parallel` at once. keyring_provider is
 * --pypi-keyring-provider ("subprocess" or "disabled"), or NULL for pixi's
 * configuration. Returns EXIT_OK when all succeeded, EXIT_FAIL otherwise
 * (each failure already reported). */
int fetch_run(cli *c, fetch_job *jobs, size_t n, int parallel, const char *keyring_provider);

/* With -vvv, logs each request's and response's headers on stderr, with
 * Authorization (and cookies) shown as ******** and URLs redacted. */
void fetch_log_setup(cli *c, CURL *easy);

/* The progress line on stderr: bytes, rate, files done/total. */
typedef struct progress {
    int enabled;
    size_t total, done;
    curl_off_t bytes;
    double start, last_draw;
    int drawn; /* a line is on screen and must be cleared before output */
} progress;

double fetch_now(void); /* monotonic seconds */
void progress_init(progress *p, int enabled, size_t total);
/* Redraws at most every 100 ms, unless force. */
void progress_draw(progress *p, int force);
/* Erases the line, so an error message starts at column 0. */
void progress_clear(progress *p);

#endif
