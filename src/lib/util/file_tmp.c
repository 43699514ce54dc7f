#include "file_tmp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* ---- guarding against signals ------------------------------------------ */

/* The handler may only read these: a lock-free atomic load is
 * async-signal-safe, a mutex is not. */
_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2, "the signal handler needs lock-free pointers");

#define SLOTS 16 /* files guarded at once (one per thread writing a store) */
static _Atomic(const char *) slots[SLOTS];

static const int caught[] = {SIGTERM, SIGINT, SIGHUP};
#define N_CAUGHT (sizeof caught / sizeof *caught)

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static int guarded;             /* slots in use; under mutex */
static int installed[N_CAUGHT]; /* our handler is in place; under mutex */

/* Only unlink() and raise(): both async-signal-safe. */
static void on_signal(int sig)
{
    int saved = errno;
    for (size_t i = 0; i < SLOTS; i++) {
        const char *path = atomic_load(&slots[i]);
        if (path)
            unlink(path);
    }
    errno = saved;
    raise(sig); /* SA_RESETHAND put the default action back: end as we would have */
}

/* Catches each signal whose action is the default one (ending the
 * process); one the program catches or ignores does not end it, so the
 * write goes on and must keep its file. */
static void install(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_CAUGHT; i++) {
        struct sigaction old;
        if (!sigaction(caught[i], NULL, &old) && !(old.sa_flags & SA_SIGINFO) &&
            old.sa_handler == SIG_DFL)
            installed[i] = !sigaction(caught[i], &sa, NULL);
    }
}

/* Puts the default action back where ours still is. */
static void uninstall(void)
{
    struct sigaction dfl = {0};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (size_t i = 0; i < N_CAUGHT; i++) {
        struct sigaction cur;
        if (installed[i] && !sigaction(caught[i], NULL, &cur) && !(cur.sa_flags & SA_SIGINFO) &&
            cur.sa_handler == on_signal)
            sigaction(caught[i], &dfl, NULL);
        installed[i] = 0;
    }
}

int pkgauth_tmp_guard(const char *path)
{
    for (int i = 0; i < SLOTS; i++) {
        const char *expected = NULL;
        if (atomic_compare_exchange_strong(&slots[i], &expected, path)) {
            pthread_mutex_lock(&mutex);
            if (guarded++ == 0)
                install();
            pthread_mutex_unlock(&mutex);
            return i;
        }
    }
    return -1;
}

void pkgauth_tmp_unguard(int handle)
{
    if (handle < 0 || handle >= SLOTS)
        return;
    atomic_store(&slots[handle], NULL);
    pthread_mutex_lock(&mutex);
    if (--guarded == 0)
        uninstall();
    pthread_mutex_unlock(&mutex);
}

/* ---- sweeping what dead writers left ------------------------------------ */

/* mkostemp's six characters. */
static int is_tmp_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* ".<base>.pkgauth-XXXXXX", the name replace_file gives its temporaries. */
static int is_temporary(const char *name, const char *base, size_t blen)
{
    static const char mark[] = ".pkgauth-";
    size_t mlen = sizeof mark - 1;
    if (strlen(name) != 1 + blen + mlen + 6 || name[0] != '.' || memcmp(name + 1, base, blen) ||
        memcmp(name + 1 + blen, mark, mlen))
        return 0;
    for (size_t i = 1 + blen + mlen; i < 1 + blen + mlen + 6; i++)
        if (!is_tmp_char(name[i]))
            return 0;
    return 1;
}

/* Counts (and with remove, unlinks) the temporaries beside path. */
static int scan(const char *path, int remove)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base)
        return 0;
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    DIR *d = dir ? opendir(dir) : NULL;
    free(dir);
    if (!d)
        return 0;
    int found = 0;
    size_t blen = strlen(base);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_type != DT_DIR && is_temporary(e->d_name, base, blen)) {
            found++;
            if (remove)
                unlinkat(dirfd(d), e->d_name, 0);
        }
    closedir(d);
    return found;
}

void pkgauth_tmp_sweep(const char *path)
{
    scan(path, 1);
}

void pkgauth_tmp_sweep_if_idle(const char *path)
{
    if (!scan(path, 0))
        return;
    char *lockpath;
    if (asprintf(&lockpath, "%s.lock", path) < 0)
        return;
    /* No O_CREAT: a writer that left a temporary made the lock file first. */
    int fd = open(lockpath, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    free(lockpath);
    if (fd < 0)
        return;
    if (!flock(fd, LOCK_EX | LOCK_NB))
        scan(path, 1);
    close(fd); /* releases the lock */
}
