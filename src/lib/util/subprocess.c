/* Running a helper program with a time limit (subprocess.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "memory.h"
#include "subprocess.h"

extern char **environ;

/* More than any password; a helper that prints more is cut off (and still
 * drained, so it does not block on a full pipe). */
#define OUT_MAX (64 * 1024)
/* Enough for a Python traceback's last lines. */
#define ERR_KEEP 4096

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

typedef struct {
    char *data;
    size_t len, cap;
    int keep_tail; /* stderr: keep the end when it overflows; stdout: the start */
} buffer;

static void buffer_wipe_free(buffer *b)
{
    pkgauth_wipe_free(b->data, b->cap);
    memset(b, 0, sizeof *b);
}

/* Appends n bytes; past the cap, stdout drops the new bytes and stderr its
 * oldest ones. */
static void buffer_add(buffer *b, const char *p, size_t n)
{
    if (b->keep_tail && b->len + n > b->cap) {
        size_t drop = b->len + n - b->cap;
        if (drop >= b->len) {
            p += n > b->cap ? n - b->cap : 0;
            n = n > b->cap ? b->cap : n;
            b->len = 0;
        } else {
            memmove(b->data, b->data + drop, b->len - drop);
            b->len -= drop;
        }
    }
    if (n > b->cap - b->len)
        n = b->cap - b->len;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

/* Reads what fd has; returns 0 at end of file (or on a read error). */
static int drain_fd(int fd, buffer *b)
{
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
        return 1;
    if (n > 0)
        buffer_add(b, chunk, (size_t)n);
    explicit_bzero(chunk, sizeof chunk);
    return n > 0;
}

/* How often the child's exit is checked while its pipes stay open. */
#define EXIT_POLL_MS 10

/* Reads whatever is ready on the open descriptors, waiting at most wait_ms.
 * A descriptor at end of file is set to -1. Returns poll's answer. */
static int read_ready(struct pollfd p[2], buffer *bufs[2], int wait_ms)
{
    int r = poll(p, 2, wait_ms);
    for (int i = 0; r > 0 && i < 2; i++)
        if (p[i].fd >= 0 && p[i].revents && !drain_fd(p[i].fd, bufs[i]))
            p[i].fd = -1; /* poll ignores negative descriptors */
    return r;
}

/* Collects stdout and stderr until the child exits (then what it left in
 * the pipes) or the deadline passes. The pipes' end of file is not
 * waited for: a background process the helper started may hold them
 * open for ever. Returns 1 when the deadline passed first. */
static int collect(pid_t pid, int *status, int out_fd, int err_fd, buffer *out, buffer *err,
                   long long deadline)
{
    struct pollfd p[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
    buffer *bufs[2] = {out, err};
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) {
            /* Exited: take what is already in the pipes, without waiting. */
            while ((p[0].fd >= 0 || p[1].fd >= 0) && now_ms() < deadline &&
                   read_ready(p, bufs, 0) > 0)
                ;
            return 0;
        }
        long long left = deadline - now_ms();
        if (left <= 0)
            return 1;
        int wait_ms = left < EXIT_POLL_MS ? (int)left : EXIT_POLL_MS;
        if (read_ready(p, bufs, wait_ms) < 0 && errno != EINTR)
            return 1;
    }
}

static int spawn(char *const argv[], int out_w, int err_w, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_w, 1);
    posix_spawn_file_actions_adddup2(&fa, err_w, 2);
    /* A signal our caller ignores or blocks (SIGPIPE, say) must not be
     * ignored or blocked in the helper too. */
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    /* Its own process group (pgid = its pid), so a time-out kills what it
     * started too. */
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    int rc = posix_spawnp(pid, argv[0], &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* The last non-blank line of stderr, or NULL. */
static char *last_line(buffer *b)
{
    size_t end = b->len;
    while (end && (b->data[end - 1] == '\n' || b->data[end - 1] == '\r' ||
                   b->data[end - 1] == ' ' || b->data[end - 1] == '\t'))
        end--;
    if (!end)
        return NULL;
    size_t start = end;
    while (start && b->data[start - 1] != '\n')
        start--;
    return strndup(b->data + start, end - start);
}

/* Runs the started child to its end (or kills it) and fills res. */
static void finish(pid_t pid, int out_r, int err_r, int timeout_ms,
                   pkgauth_subprocess_result *res, buffer *out, buffer *err)
{
    long long deadline = now_ms() + timeout_ms;
    int status = 0;
    res->timed_out = collect(pid, &status, out_r, err_r, out, err, deadline);
    if (res->timed_out) {
        kill(-pid, SIGKILL); /* the group: the helper and all it started */
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    res->exit_status = !res->timed_out && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int pkgauth_subprocess_run(char *const argv[], int timeout_ms, pkgauth_subprocess_result *res)
{
    int out_p[2] = {-1, -1}, err_p[2] = {-1, -1};
    buffer out = {.cap = OUT_MAX}, err = {.cap = ERR_KEEP, .keep_tail = 1};
    memset(res, 0, sizeof *res);
    res->exit_status = -1;
    if (!(out.data = malloc(out.cap + 1)) || !(err.data = malloc(err.cap)) ||
        pipe2(out_p, O_CLOEXEC) || pipe2(err_p, O_CLOEXEC)) {
        buffer_wipe_free(&out);
        buffer_wipe_free(&err);
        for (int i = 0; i < 2; i++) {
            if (out_p[i] >= 0)
                close(out_p[i]);
            if (err_p[i] >= 0)
                close(err_p[i]);
        }
        return -1;
    }
    pid_t pid;
    res->spawn_errno = spawn(argv, out_p[1], err_p[1], &pid);
    close(out_p[1]);
    close(err_p[1]);
    if (!res->spawn_errno)
        finish(pid, out_p[0], err_p[0], timeout_ms, res, &out, &err);
    close(out_p[0]);
    close(err_p[0]);
    res->err_line = last_line(&err);
    buffer_wipe_free(&err);
    out.data[out.len] = '\0';
    res->out = out.data; /* handed over with its capacity wiped on clear */
    res->out_len = out.len;
    return 0;
}

void pkgauth_subprocess_result_clear(pkgauth_subprocess_result *res)
{
    /* out has OUT_MAX + 1 bytes (room for the NUL): wipe them all. */
    pkgauth_wipe_free(res->out, res->out ? OUT_MAX + 1 : 0);
    free(res->err_line);
    memset(res, 0, sizeof *res);
}
