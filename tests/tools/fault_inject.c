/* LD_PRELOAD shim that makes one file-system step fail, to prove that a
 * failing write never damages the credentials file.
 *
 *   PKGAUTH_FAULT=<step>   one of: lock-open, flock, mkstemp, write, short-write,
 *                          fsync, close, rename, mkdir
 *   PKGAUTH_FAULT_PATH=S   only paths containing S (and descriptors opened on
 *                          them) are affected
 *   PKGAUTH_FAULT=stall-fsync, PKGAUTH_STALL_FILE=F: the first fsync of a
 *                          matching descriptor (the written temporary) creates
 *                          F.stalled, then waits while F exists, then goes on:
 *                          a writer caught mid-write, for the signal tests
 *   PKGAUTH_FAULT=no-libcurl: dlopen() of any libcurl fails, as on a system
 *                          where it is not installed (libpkgauth loads it
 *                          on first use and must then return an error)
 *
 * Everything else passes through to libc (dlsym RTLD_NEXT). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FD 1024
static char watched[MAX_FD]; /* descriptors opened on a matching path */

static int fault(const char *step)
{
    const char *f = getenv("PKGAUTH_FAULT");
    return f && !strcmp(f, step);
}

static int matches(const char *path)
{
    const char *m = getenv("PKGAUTH_FAULT_PATH");
    return path && m && strstr(path, m);
}

static void watch(int fd, const char *path)
{
    if (fd >= 0 && fd < MAX_FD)
        watched[fd] = (char)matches(path);
}

static int is_watched(int fd)
{
    return fd >= 0 && fd < MAX_FD && watched[fd];
}

#define REAL(ret, name, args) \
    static ret(*real_##name) args; \
    if (!real_##name) \
        *(void **)&real_##name = dlsym(RTLD_NEXT, #name)

int open(const char *path, int flags, ...)
{
    REAL(int, open, (const char *, int, ...));
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    size_t n = strlen(path);
    if (fault("lock-open") && matches(path) && n > 5 && !strcmp(path + n - 5, ".lock")) {
        errno = EACCES;
        return -1;
    }
    int fd = real_open(path, flags, mode);
    watch(fd, path);
    return fd;
}

int mkostemp(char *tmpl, int flags)
{
    REAL(int, mkostemp, (char *, int));
    if (fault("mkstemp") && matches(tmpl)) {
        errno = EROFS;
        return -1;
    }
    int fd = real_mkostemp(tmpl, flags);
    watch(fd, tmpl);
    return fd;
}

int flock(int fd, int op)
{
    REAL(int, flock, (int, int));
    if (fault("flock") && is_watched(fd)) {
        errno = ENOLCK;
        return -1;
    }
    return real_flock(fd, op);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(ssize_t, write, (int, const void *, size_t));
    if (is_watched(fd) && fault("write")) {
        errno = ENOSPC;
        return -1;
    }
    if (is_watched(fd) && fault("short-write")) {
        /* Half goes out, then the disk is full. */
        static int calls;
        if (calls++ == 0 && n > 1)
            return real_write(fd, buf, n / 2);
        errno = ENOSPC;
        return -1;
    }
    return real_write(fd, buf, n);
}

/* Waits while the stall file exists, after saying so with F.stalled. */
static void stall(void)
{
    static int done;
    const char *f = getenv("PKGAUTH_STALL_FILE");
    char marker[4096];
    if (done++ || !f || snprintf(marker, sizeof marker, "%s.stalled", f) >= (int)sizeof marker)
        return;
    REAL(int, open, (const char *, int, ...));
    int fd = real_open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    while (!access(f, F_OK))
        usleep(10000);
}

int fsync(int fd)
{
    REAL(int, fsync, (int));
    if (fault("stall-fsync") && is_watched(fd))
        stall();
    if (fault("fsync") && is_watched(fd)) {
        errno = EIO;
        return -1;
    }
    return real_fsync(fd);
}

int close(int fd)
{
    REAL(int, close, (int));
    int w = is_watched(fd);
    int rc = real_close(fd);
    if (fd >= 0 && fd < MAX_FD)
        watched[fd] = 0;
    if (rc == 0 && w && fault("close")) {
        errno = EIO; /* e.g. NFS reporting a deferred write error */
        return -1;
    }
    return rc;
}

int rename(const char *from, const char *to)
{
    REAL(int, rename, (const char *, const char *));
    if (fault("rename") && matches(to)) {
        errno = EXDEV;
        return -1;
    }
    return real_rename(from, to);
}

int mkdir(const char *path, mode_t mode)
{
    REAL(int, mkdir, (const char *, mode_t));
    if (fault("mkdir") && matches(path)) {
        errno = EACCES;
        return -1;
    }
    return real_mkdir(path, mode);
}

void *dlopen(const char *file, int flags)
{
    REAL(void *, dlopen, (const char *, int));
    if (fault("no-libcurl") && file && strstr(file, "libcurl"))
        return NULL;
    return real_dlopen(file, flags);
}
