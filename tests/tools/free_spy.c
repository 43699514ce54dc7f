/* LD_PRELOAD shim that catches a secret released unwiped: every free() of a
 * heap block that still holds the bytes of PKGAUTH_SPY_SECRET appends one
 * line to the file PKGAUTH_SPY_OUT. A program that wipes before it frees
 * (pkgauth, and jansson once pkgauth_init(PKGAUTH_INIT_WIPE_JSON) ran)
 * leaves the file empty. No stdio and no malloc in here: free() must not
 * recurse. */
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void __libc_free(void *p);

void free(void *p)
{
    const char *secret = p ? getenv("PKGAUTH_SPY_SECRET") : NULL;
    const char *out = getenv("PKGAUTH_SPY_OUT");
    if (secret && *secret && out &&
        memmem(p, malloc_usable_size(p), secret, strlen(secret))) {
        int fd = open(out, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) {
            (void)!write(fd, "unwiped block freed\n", 20);
            close(fd);
        }
    }
    __libc_free(p);
}
