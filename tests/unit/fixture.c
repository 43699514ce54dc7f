/* Shared fixtures for the unit tests (fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

char *fixture_dir_new(const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    char *path = NULL;
    if (!tmp || !*tmp)
        tmp = "/tmp";
    if (asprintf(&path, "%s/pkgauth-%s-XXXXXX", tmp, tag) < 0)
        return NULL;
    if (!mkdtemp(path)) {
        int e = errno;
        free(path);
        errno = e;
        return NULL;
    }
    return path;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    /* A test may have left a folder without write or search permission. */
    if (type == FTW_DNR || type == FTW_DP)
        chmod(path, 0700);
    int rc = (type == FTW_DP || type == FTW_DNR) ? rmdir(path) : unlink(path);
    if (rc)
        fprintf(stderr, "fixture: cannot remove %s: %s\n", path, strerror(errno));
    return 0; /* go on: remove as much as possible */
}

int fixture_dir_remove(char *path)
{
    if (!path)
        return 0;
    /* FTW_DEPTH: contents before their folder; FTW_PHYS: links not followed. */
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    struct stat st;
    int rc = lstat(path, &st) == 0 ? -1 : 0;
    free(path);
    return rc;
}

int fixture_mkdirs(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int rc = 0;
    for (char *p = copy + 1; !rc; p++) {
        int end = *p == '\0';
        if (*p != '/' && !end)
            continue;
        *p = '\0';
        if (mkdir(copy, 0700) && errno != EEXIST)
            rc = -1;
        if (end)
            break;
        *p = '/';
    }
    free(copy);
    return rc;
}

const char *fixture_write(const char *path, const char *text, mode_t mode)
{
    char *dir = strdup(path);
    assert_non_null(dir);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        assert_int_equal(fixture_mkdirs(dir), 0);
    }
    free(dir);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

const char *fixture_write_at(char *buf, size_t n, const char *dir, const char *rel,
                             const char *text, mode_t mode)
{
    int len = snprintf(buf, n, "%s/%s", dir, rel);
    assert_true(len > 0 && (size_t)len < n);
    return fixture_write(buf, text, mode);
}

char *fixture_read(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (cap - len == 1) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(fp);
    if (buf)
        buf[len] = '\0';
    return buf;
}

struct fixture_env {
    size_t n;
    struct {
        char *name, *value; /* value NULL: was unset */
    } vars[];
};

fixture_env *fixture_env_save(const char *const names[])
{
    size_t n = 0;
    while (names[n])
        n++;
    fixture_env *env = calloc(1, sizeof *env + n * sizeof env->vars[0]);
    if (!env)
        return NULL;
    env->n = n;
    for (size_t i = 0; i < n; i++) {
        const char *v = getenv(names[i]);
        env->vars[i].name = strdup(names[i]);
        env->vars[i].value = v ? strdup(v) : NULL;
    }
    return env;
}

void fixture_env_restore(fixture_env *env)
{
    if (!env)
        return;
    for (size_t i = 0; i < env->n; i++) {
        if (!env->vars[i].name)
            continue;
        if (env->vars[i].value)
            setenv(env->vars[i].name, env->vars[i].value, 1);
        else
            unsetenv(env->vars[i].name);
        free(env->vars[i].name);
        free(env->vars[i].value);
    }
    free(env);
}

void fixture_env_clear(const char *const names[])
{
    for (size_t i = 0; names[i]; i++)
        unsetenv(names[i]);
}
