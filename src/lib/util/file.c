#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "memory.h"

static int open_error(const char *path, int errnum, pkgauth_error *err)
{
    if (errnum == ENOENT || errnum == ENOTDIR)
        return pkgauth_error_set(err, PKGAUTH_ENOTFOUND, "%s: no such file", path);
    return pkgauth_error_set(err, PKGAUTH_EIO, "%s: cannot open: %s", path, strerror(errnum));
}

/* Reads up to cap bytes; a file that shrank while read is taken as it is. */
static int read_into(int fd, const char *path, char *b, size_t cap, size_t *len,
                     pkgauth_error *err)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return pkgauth_error_set(err, PKGAUTH_EIO, "%s: read failed: %s", path,
                                     strerror(errno));
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *len = n;
    return PKGAUTH_OK;
}

/* Opens path for reading without blocking: open() of a FIFO waits for a
 * writer (forever) and a terminal could become the controlling one, so the
 * file is opened O_NONBLOCK | O_NOCTTY, checked to be a regular file, and
 * only then made blocking again for the read. */
static int open_regular(const char *path, int *out, struct stat *st, pkgauth_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return open_error(path, errno, err);
    int rc = PKGAUTH_OK, flags;
    if (fstat(fd, st))
        rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: %s", path, strerror(errno));
    else if (S_ISDIR(st->st_mode))
        rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: is a directory", path);
    else if (!S_ISREG(st->st_mode))
        rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: not a regular file", path);
    else if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
        rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: %s", path, strerror(errno));
    if (rc)
        close(fd);
    else
        *out = fd;
    return rc;
}

int pkgauth_file_read(const char *path, size_t max, char **buf, size_t *len, unsigned *mode,
                      pkgauth_error *err)
{
    *buf = NULL;
    *len = 0;
    struct stat st;
    int fd = -1;
    int rc = open_regular(path, &fd, &st, err);
    if (rc)
        return rc;
    /* One byte more than allowed, so an oversized file shows as one. */
    size_t cap = (size_t)st.st_size > max ? max + 1 : (size_t)st.st_size;
    char *b = malloc(cap + 1);
    if (!b)
        rc = pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (!rc)
        rc = read_into(fd, path, b, cap, len, err);
    close(fd);
    if (rc) {
        pkgauth_wipe_free(b, cap + 1);
        *len = 0;
        return rc;
    }
    b[*len] = '\0';
    if (mode)
        *mode = st.st_mode & 07777;
    *buf = b;
    return PKGAUTH_OK;
}
