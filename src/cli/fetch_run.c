/* The transfer engine of `pkgauth fetch`: curl's multi interface runs up to
 * N transfers at once over shared (reused, HTTP/2-multiplexed) connections.
 * Each job writes to a temporary file beside its destination and renames it
 * only when the body is complete, so a partial file never carries the final
 * name. Redirects are followed by pkgauth_curl_redirect(), which keeps
 * credentials within the first request's origin. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "curl_dl.h"
#include "context.h"
#include "output.h"

typedef struct run {
    cli *c;
    CURLM *multi;
    pkgauth_store *store;
    pkgauth_pypi *pypi; /* every lookup goes through it (user@ URLs: docs/pypi.md) */
    pkgauth_keyring_provider provider;
    fetch_job *jobs;
    size_t n, next; /* jobs[next..] have not started */
    int parallel, active; /* active: in flight or waiting to retry */
    fetch_job **waiting;  /* retries waiting for their time */
    size_t n_waiting;
    int failed;
    progress prog;
} run;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* ---- output files ------------------------------------------------------ */

/* Six letters for a temporary file's name. The names need not be secret
 * (O_EXCL makes a planted file or link fail the open, not be used) but
 * should not be guessable in advance, so the sequence starts from
 * getrandom once per process: one system call per file, the open. */
static void random_letters(char *out)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static uint64_t state;
    if (!state && getrandom(&state, sizeof state, 0) != sizeof state)
        state = (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL);
    uint64_t z = (state += 0x9E3779B97F4A7C15u); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    for (int i = 0; i < 6; i++, z /= 62)
        out[i] = letters[z % 62];
}

/* Creates a new temporary file beside dest (same folder: the final rename
 * is atomic): "<dest>.pkgauth-XXXXXX.part", or ".pkgauth-XXXXXX.part" in
 * the folder when dest's name leaves no room for the suffix. O_EXCL |
 * O_NOFOLLOW: it is always a file we made, never an existing file or a
 * symlink's target. Mode 0666 less the umask, as the final file should be.
 * Returns the descriptor, or -1 with errno set. */
static int create_temporary(fetch_job *j)
{
    const char *slash = strrchr(j->dest, '/');
    size_t dir_len = slash ? (size_t)(slash - j->dest) + 1 : 0;
    size_t name_len = strlen(j->dest) - dir_len;
    static const char suffix[] = ".pkgauth-XXXXXX.part";
    if (name_len > NAME_MAX) { /* no rename could ever give it this name */
        errno = ENAMETOOLONG;
        return -1;
    }
    int short_form = name_len + sizeof suffix - 1 > NAME_MAX;
    if (!j->tmp && asprintf(&j->tmp, "%.*s%s", (int)(short_form ? dir_len : dir_len + name_len),
                            j->dest, suffix) < 0) {
        j->tmp = NULL;
        errno = ENOMEM;
        return -1;
    }
    char *letters = j->tmp + strlen(j->tmp) - strlen(".XXXXXX.part") + 1;
    for (int tries = 0; tries < 100; tries++) {
        random_letters(letters);
        int fd = open(j->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1; /* errno is EEXIST */
}

/* Opens where the body goes: a new temporary file (see above), written in
 * place for what cannot be renamed over, or an anonymous file for stdout.
 * Returns 0, or -1 with errno set. */
static int open_output(fetch_job *j)
{
    struct stat st;
    if (!j->dest)
        return (j->out = tmpfile()) ? 0 : -1;
    /* /dev/null, a FIFO, a terminal: written in place, never renamed over. */
    if (!stat(j->dest, &st) && !S_ISREG(st.st_mode))
        return (j->out = fopen(j->dest, "wb")) ? 0 : -1;
    int fd = create_temporary(j);
    if (fd < 0) {
        free(j->tmp); /* nothing to remove: say no temporary exists */
        j->tmp = NULL;
        return -1;
    }
    if (!(j->out = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        unlink(j->tmp);
        free(j->tmp);
        j->tmp = NULL;
        errno = e;
        return -1;
    }
    /* Unbuffered: each block curl hands over (16 KiB) goes to disk in one
     * write, without a copy. stdio's default buffer wrote a 64 KiB file in
     * 7 steps (glibc ignored the 64 KiB asked of setvbuf without a buffer),
     * and a buffer of ours costs a copy of every byte (perf: memmove was
     * 4.5% of fetch's CPU samples then, against 1% in curl). See
     * test_fetch_syscalls. */
    setvbuf(j->out, NULL, _IONBF, 0);
    return 0;
}

/* Forgets what an earlier try or redirect hop wrote. An empty file is
 * left alone: on ext4, truncating a file makes its close force writeback
 * (auto_da_alloc), which slowed 1,000 small downloads down twofold. */
static int rewind_output(fetch_job *j)
{
    curl_off_t had = j->bytes;
    j->bytes = 0;
    if (fflush(j->out))
        return -1;
    if (!had)
        return 0;
    if (ftruncate(fileno(j->out), 0))
        return -1;
    rewind(j->out);
    return 0;
}

/* Closes and removes the temporary file: nothing partial stays behind. */
static void discard_output(fetch_job *j)
{
    if (j->out)
        fclose(j->out);
    j->out = NULL;
    if (j->tmp)
        unlink(j->tmp);
    free(j->tmp); /* removed: the name is no longer ours */
    j->tmp = NULL;
}

static int copy_to_stdout(FILE *in)
{
    char buf[65536];
    size_t n;
    rewind(in);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            return -1;
    return ferror(in) || fflush(stdout) ? -1 : 0;
}

/* The body is complete: give it its final name (or print it). */
static int commit_output(fetch_job *j)
{
    int rc;
    if (!j->dest) {
        rc = copy_to_stdout(j->out);
        fclose(j->out);
        j->out = NULL;
        return rc;
    }
    rc = fclose(j->out);
    j->out = NULL;
    if (!j->tmp) /* written in place */
        return rc;
    if (!rc && rename(j->tmp, j->dest))
        rc = -1;
    int e = errno;
    if (rc)
        unlink(j->tmp);
    free(j->tmp); /* the name is no longer ours: never unlink it again */
    j->tmp = NULL;
    errno = e;
    return rc;
}

/* ---- reporting ------------------------------------------------------------ */

/* Ends a job as failed: one error line (message), temporary file removed. */
static void fail_message(run *r, fetch_job *j, const char *message)
{
    progress_clear(&r->prog);
    cli_error(r->c, "%s", message);
    discard_output(j);
    r->failed++;
}

/* "cannot write <file>: <why> (<redacted URL>)", errnum being the cause. */
static void fail_write(run *r, fetch_job *j, int errnum)
{
    char *shown = pkgauth_url_redact(j->url), *line = NULL;
    if (asprintf(&line, "cannot write %s: %s (%s)", j->dest ? j->dest : "standard output",
                 strerror(errnum), shown ? shown : "") < 0)
        line = NULL;
    fail_message(r, j, line ? line : "cannot write");
    free(line);
    pkgauth_free(shown);
}

/* "<what>: <redacted URL> [<detail>]" */
static void fail(run *r, fetch_job *j, const char *what, const char *detail)
{
    char *shown = pkgauth_url_redact(j->url), *line = NULL;
    if (asprintf(&line, "%s: %s%s%s", what, shown ? shown : "", detail ? " " : "",
                 detail ? detail : "") < 0)
        line = NULL;
    fail_message(r, j, line ? line : what);
    pkgauth_free(line);
    pkgauth_free(shown);
}

static const char *reason(long status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 407: return "Proxy Authentication Required";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "Unexpected";
    }
}

static const char *source_text(pkgauth_pypi_source source)
{
    switch (source) {
    case PKGAUTH_PYPI_SOURCE_URL: return "the URL";
    case PKGAUTH_PYPI_SOURCE_KEYRING: return "keyring";
    case PKGAUTH_PYPI_SOURCE_NETRC: return "netrc";
    default: return "the stored credentials";
    }
}

/* A URL naming a user: where its password came from, or what to do when
 * there was none. The lookup is cached, so keyring does not run again. */
static void pypi_hint(run *r, const char *url, const char *user, char *buf, size_t size)
{
    pkgauth_credential *cred = NULL;
    pkgauth_pypi_source source;
    if (pkgauth_pypi_find(r->pypi, url, &cred, &source, NULL) == PKGAUTH_OK)
        snprintf(buf, size, "(the password for user %s from %s was refused)", user,
                 source_text(source));
    else if (r->provider == PKGAUTH_KEYRING_PROVIDER_DISABLED)
        snprintf(buf, size, "(the index URL names user %s but no password was found: set "
                 "keyring-provider = subprocess or add a netrc entry)", user);
    else
        snprintf(buf, size, "(the index URL names user %s but no password was found in "
                 "keyring, netrc or the stored credentials: store one with 'keyring set' "
                 "or add a netrc entry)", user);
    pkgauth_credential_free(cred);
}

/* Why a server may have said 401/403: which credential was used, if any. */
static void auth_hint(run *r, const char *url, char *buf, size_t size)
{
    pkgauth_match m;
    pkgauth_error err = {0};
    char *user = pkgauth_url_username(url);
    if (user) {
        pypi_hint(r, url, user, buf, size);
        pkgauth_free(user);
        return;
    }
    if (pkgauth_store_find(r->store, url, &m, &err) == PKGAUTH_OK) {
        snprintf(buf, size, "(the stored %s credential for %s was refused)",
                 pkgauth_method_name(pkgauth_credential_method(m.credential)), m.key);
        pkgauth_match_clear(&m);
    } else {
        snprintf(buf, size, "(no stored credential matches; see 'pkgauth login')");
    }
}

/* An s3:// refusal: S3's <Code>: <Message>, then who signed (401/403). */
static void s3_detail(run *r, fetch_job *j, long status, char *buf, size_t size)
{
    char said[512] = "", hint[400] = "";
    cli_s3_error_text(j->error_body, j->error_len, said, sizeof said);
    if (status == 401 || status == 403)
        cli_s3_refusal_hint(r->c, r->store, j->url, hint, sizeof hint);
    snprintf(buf, size, "%s%s%s", said, *said && *hint ? " " : "", hint);
}

static void fail_http(run *r, fetch_job *j, long status)
{
    char what[64], hint[1000] = "";
    snprintf(what, sizeof what, "HTTP %ld %s", status, reason(status));
    if (!strncasecmp(j->url, "s3://", 5))
        s3_detail(r, j, status, hint, sizeof hint);
    else if (status == 401 || status == 403)
        auth_hint(r, j->url, hint, sizeof hint);
    else if (j->tries > 1)
        snprintf(hint, sizeof hint, "(after %d tries)", j->tries);
    fail(r, j, what, *hint ? hint : NULL);
}

/* curl's message, redacted too: it may quote a URL. */
static void fail_curl(run *r, fetch_job *j, CURLcode res)
{
    char *detail = pkgauth_url_redact(j->errbuf[0] ? j->errbuf : curl_easy_strerror(res));
    char what[CURL_ERROR_SIZE + 64];
    char tries[32] = "";
    if (j->tries > 1)
        snprintf(tries, sizeof tries, "(after %d tries)", j->tries);
    snprintf(what, sizeof what, "%s", detail ? detail : "transfer failed");
    fail(r, j, what, *tries ? tries : NULL);
    pkgauth_free(detail);
}

/* ---- starting transfers --------------------------------------------------- */

static void keep_error_body(fetch_job *j, const char *data, size_t len)
{
    if (!j->error_body && !(j->error_body = malloc(FETCH_ERROR_BODY_MAX)))
        return; /* only the message gets shorter */
    size_t room = FETCH_ERROR_BODY_MAX - j->error_len;
    memcpy(j->error_body + j->error_len, data, len < room ? len : room);
    j->error_len += len < room ? len : room;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    fetch_job *j = ctx;
    long status = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 400) /* an error page: its start is kept for S3's <Code> */
        keep_error_body(j, data, size * n);
    if (status < 200 || status >= 300)
        return size * n; /* the body of a redirect or an error page: not written */
    size_t written = fwrite(data, size, n, j->out);
    j->bytes += (curl_off_t)(written * size);
    j->prog->bytes += (curl_off_t)(written * size);
    return written * size;
}

static void configure(run *r, fetch_job *j)
{
    CURL *e = j->easy;
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    /* Prefer a shared HTTP/2 connection; over plain HTTP there is none to
     * wait for, and waiting only serialises the start of transfers. */
    if (!strncasecmp(j->url, "https:", 6))
        curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    pkgauth_curl_defaults(e);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
    /* A stalled server: less than 1 byte/s for a minute ends the try. */
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 128L * 1024);
    fetch_log_setup(r->c, e);
}

static void log_request(run *r, const char *what, const char *url)
{
    if (r->c->verbose < 1)
        return;
    char *shown = pkgauth_url_redact(url);
    progress_clear(&r->prog);
    cli_debug(r->c, 1, "%s %s", what, shown ? shown : "");
    pkgauth_free(shown);
}

/* One try of a job, from its original URL (a retry starts over, redirects
 * included). Returns 0, or -1 after failing the job. */
static int start_try(run *r, fetch_job *j)
{
    pkgauth_error err = {0};
    j->tries++;
    j->hops = 0;
    j->errbuf[0] = '\0';
    j->error_len = 0;
    pkgauth_curl_headers_free(j->headers);
    j->headers = NULL;
    if (rewind_output(j)) {
        fail_write(r, j, errno);
        return -1;
    }
    if (pkgauth_pypi_curl_prepare(j->easy, r->pypi, j->url, &j->headers, &err)) {
        fail_message(r, j, err.message);
        return -1;
    }
    log_request(r, "GET", j->url);
    curl_multi_add_handle(r->multi, j->easy);
    return 0;
}

static void release(run *r, fetch_job *j)
{
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
    free(j->error_body);
    j->error_body = NULL;
    j->error_len = 0;
    pkgauth_curl_headers_free(j->headers);
    j->headers = NULL;
    r->active--;
}

static void start_next(run *r)
{
    fetch_job *j = &r->jobs[r->next++];
    j->prog = &r->prog;
    r->active++;
    if (open_output(j)) {
        fail_write(r, j, errno);
        r->active--;
        return;
    }
    if (!(j->easy = curl_easy_init())) {
        fail(r, j, "out of memory", NULL);
        r->active--;
        return;
    }
    configure(r, j);
    if (start_try(r, j))
        release(r, j);
}

/* ---- finished transfers ----------------------------------------------------- */

static int retryable(CURLcode res)
{
    switch (res) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return 1;
    default:
        return 0;
    }
}

/* Tries again after 0.25 s, then 1 s: long enough for a restarting server,
 * short enough not to stall a channel update. */
static void schedule_retry(run *r, fetch_job *j, const char *why)
{
    double delay = j->tries == 1 ? 0.25 : 1.0;
    char *shown = pkgauth_url_redact(j->url);
    progress_clear(&r->prog);
    cli_debug(r->c, 1, "%s for %s; try %d of %d in %.2f s", why, shown ? shown : "",
              j->tries + 1, FETCH_MAX_TRIES, delay);
    pkgauth_free(shown);
    j->retry_at = fetch_now() + delay;
    r->waiting[r->n_waiting++] = j;
}

/* A 3xx: 1 when the next hop started, 0 when it is not a redirect to
 * follow, -1 when the job failed. */
static int follow(run *r, fetch_job *j)
{
    pkgauth_error err = {0};
    char *location = NULL, *next = NULL;
    curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &location);
    next = location ? strdup(location) : NULL;
    int more = pkgauth_pypi_curl_redirect(j->easy, r->pypi, j->url, &j->headers, &j->hops,
                                          &err);
    if (more < 0) {
        fail_message(r, j, err.message);
    } else if (more > 0 && rewind_output(j)) {
        fail_write(r, j, errno);
        more = -1;
    } else if (more > 0) {
        log_request(r, "GET (redirected)", next ? next : "");
        curl_multi_add_handle(r->multi, j->easy);
    }
    pkgauth_free(next);
    return more;
}

static void finish_ok(run *r, fetch_job *j, long status)
{
    char *shown = pkgauth_url_redact(j->url);
    progress_clear(&r->prog);
    cli_debug(r->c, 1, "%ld %s (%lld bytes)", status, shown ? shown : "", (long long)j->bytes);
    pkgauth_free(shown);
    if (commit_output(j))
        fail_write(r, j, errno);
    else
        r->prog.done++;
}

/* Decides what a finished transfer means. Returns 1 when the job goes on
 * (redirect or retry), 0 when it is over. */
static int on_done(run *r, fetch_job *j, CURLcode res)
{
    long status = 0;
    curl_multi_remove_handle(r->multi, j->easy);
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    if (res != CURLE_OK) {
        if (!retryable(res) || j->tries >= FETCH_MAX_TRIES)
            return fail_curl(r, j, res), 0;
        schedule_retry(r, j, curl_easy_strerror(res));
        return 1;
    }
    if (status >= 300 && status < 400) {
        int more = follow(r, j);
        if (more)
            return more > 0;
    }
    if (status >= 500 && j->tries < FETCH_MAX_TRIES) {
        char why[32];
        snprintf(why, sizeof why, "HTTP %ld", status);
        schedule_retry(r, j, why);
        return 1;
    }
    if (status >= 200 && status < 300)
        finish_ok(r, j, status);
    else
        fail_http(r, j, status);
    return 0;
}

static void drain(run *r)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(r->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        fetch_job *j = NULL;
        CURLcode res = msg->data.result;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        if (!on_done(r, j, res))
            release(r, j);
    }
}

/* Starts retries whose time has come; returns ms until the next one. */
static long start_due(run *r)
{
    double now = fetch_now(), soonest = 1.0;
    for (size_t i = 0; i < r->n_waiting;) {
        fetch_job *j = r->waiting[i];
        if (j->retry_at > now) {
            if (j->retry_at - now < soonest)
                soonest = j->retry_at - now;
            i++;
            continue;
        }
        r->waiting[i] = r->waiting[--r->n_waiting];
        if (start_try(r, j))
            release(r, j);
    }
    return (long)(soonest * 1000) + 1;
}

/* ---- the loop ---------------------------------------------------------- */

static void cleanup(run *r)
{
    for (size_t i = 0; i < r->next; i++) {
        fetch_job *j = &r->jobs[i];
        if (j->easy) {
            curl_multi_remove_handle(r->multi, j->easy);
            discard_output(j);
            release(r, j);
        }
    }
    free(r->waiting);
    curl_multi_cleanup(r->multi);
}

static void loop(run *r)
{
    while (!interrupted) {
        long wait_ms = start_due(r);
        while (r->active < r->parallel && r->next < r->n)
            start_next(r);
        if (!r->active && r->next >= r->n)
            break;
        int running;
        curl_multi_perform(r->multi, &running);
        drain(r);
        progress_draw(&r->prog, 0);
        /* The last transfer just finished: done now, not after a poll
         * that nothing would wake (it cost every run 100 ms at the end). */
        if (!r->active && r->next >= r->n)
            break;
        /* A finished transfer freed a slot: fill it now rather than after
         * the poll, which would wait with nothing to wake it. */
        if (r->active < r->parallel && r->next < r->n)
            continue;
        if (r->active && !r->n_waiting)
            wait_ms = 100;
        curl_multi_poll(r->multi, NULL, 0, (int)(wait_ms < 100 ? wait_ms : 100), NULL);
    }
}

/* ---- PyPI lookups ------------------------------------------------------------ */

static void on_pypi_warning(void *ctx, const char *message)
{
    run *r = ctx;
    progress_clear(&r->prog);
    cli_warn(r->c, "%s", message);
}

static int any_user(const fetch_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *user = pkgauth_url_username(jobs[i].url);
        pkgauth_free(user);
        if (user)
            return 1;
    }
    return 0;
}

/* --pypi-keyring-provider, else pixi's [pypi-config] keyring-provider. The
 * configuration is read only when a URL names a user, so plain fetches do
 * not depend on it. Returns -1 when it cannot be read (reported). */
static int choose_provider(run *r, const char *flag)
{
    pkgauth_config *config;
    r->provider = PKGAUTH_KEYRING_PROVIDER_DISABLED;
    if (flag) {
        if (!strcmp(flag, "subprocess"))
            r->provider = PKGAUTH_KEYRING_PROVIDER_SUBPROCESS;
        return 0;
    }
    if (!any_user(r->jobs, r->n))
        return 0;
    if (!(config = cli_config(r->c)))
        return -1;
    r->provider = pkgauth_config_keyring_provider(config, NULL);
    return 0;
}

static int open_pypi(run *r, const char *flag)
{
    pkgauth_error err = {0};
    if (choose_provider(r, flag))
        return -1;
    cli_debug(r->c, 1, "keyring provider: %s", pkgauth_keyring_provider_name(r->provider));
    pkgauth_pypi_options o = PKGAUTH_PYPI_OPTIONS_INIT;
    o.keyring_provider = r->provider;
    o.store = r->store;
    o.warn = on_pypi_warning;
    o.warn_ctx = r;
    if (pkgauth_pypi_open(&r->pypi, &o, &err)) {
        cli_error(r->c, "%s", err.message);
        return -1;
    }
    return 0;
}

/* Looks up the passwords of user@ URLs before any transfer starts, so a
 * slow keyring delays the start rather than stalling transfers in flight
 * (later lookups come from the cache). Errors are reported per job later. */
static void find_passwords(run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        char *user = pkgauth_url_username(r->jobs[i].url);
        pkgauth_credential *cred = NULL;
        if (user)
            pkgauth_pypi_find(r->pypi, r->jobs[i].url, &cred, NULL, NULL);
        pkgauth_credential_free(cred);
        pkgauth_free(user);
    }
}

static void catch_signals(struct sigaction *old_int, struct sigaction *old_term)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
}

int fetch_run(cli *c, fetch_job *jobs, size_t n, int parallel, const char *keyring_provider)
{
    run r = {.c = c, .jobs = jobs, .n = n, .parallel = parallel};
    /* s3:// downloads need pixi's s3-options: load the configuration (and
     * with it --config) before the store that will presign them. */
    for (size_t i = 0; i < n; i++)
        if (!strncasecmp(jobs[i].url, "s3://", 5) && !cli_config(c))
            return EXIT_FAIL;
    if (!(r.store = cli_store(c)) || open_pypi(&r, keyring_provider))
        return EXIT_FAIL;
    find_passwords(&r);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    r.multi = curl_multi_init();
    r.waiting = calloc((size_t)parallel, sizeof *r.waiting);
    if (!r.multi || !r.waiting) {
        cli_error(c, "out of memory");
        free(r.waiting);
        curl_multi_cleanup(r.multi);
        pkgauth_pypi_free(r.pypi);
        return EXIT_FAIL;
    }
    curl_multi_setopt(r.multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    /* The progress line and -v's log lines would garble each other. */
    progress_init(&r.prog, !c->no_progress && !c->quiet && !c->verbose, n);
    struct sigaction old_int, old_term;
    catch_signals(&old_int, &old_term);
    loop(&r);
    if (interrupted) {
        progress_clear(&r.prog);
        cli_error(c, "interrupted: partial files removed");
        r.failed++;
    }
    cleanup(&r);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    progress_clear(&r.prog);
    pkgauth_pypi_free(r.pypi);
    curl_global_cleanup();
    return r.failed || r.prog.done < n ? EXIT_FAIL : EXIT_OK;
}
