/* The unit tests' own fixtures (fixture.h): a removal that followed a
 * symbolic link, or an environment not put back, would harm far more than
 * the test that used them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode & 07777;
}

static void dir_is_private_and_removed_whole(void **state)
{
    (void)state;
    char *dir = fixture_dir_new("fixture");
    assert_non_null(dir);
    assert_non_null(strstr(dir, "/pkgauth-fixture-"));
    assert_int_equal(mode_of(dir), 0700);
    char path[512], keep[512];
    snprintf(path, sizeof path, "%s/a/b/c/file", dir);
    fixture_write(path, "x", 0400);
    snprintf(path, sizeof path, "%s/a/.hidden", dir);
    fixture_write(path, "y", 0600);
    snprintf(path, sizeof path, "%s/a/b", dir);
    assert_int_equal(chmod(path, 0500), 0); /* a folder the test made read-only */
    snprintf(keep, sizeof keep, "%s", dir);
    assert_int_equal(fixture_dir_remove(dir), 0);
    struct stat st;
    assert_int_equal(lstat(keep, &st), -1);
}

/* A link inside the folder is removed; what it points to is not touched. */
static void links_are_not_followed(void **state)
{
    (void)state;
    char *outside = fixture_dir_new("fixture-outside"), *dir = fixture_dir_new("fixture");
    assert_non_null(outside);
    assert_non_null(dir);
    char target[512], link[512];
    fixture_write_at(target, sizeof target, outside, "precious", "keep me", 0600);
    snprintf(link, sizeof link, "%s/link-to-dir", dir);
    assert_int_equal(symlink(outside, link), 0);
    snprintf(link, sizeof link, "%s/link-to-file", dir);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(fixture_dir_remove(dir), 0);
    char *text = fixture_read(target);
    assert_non_null(text);
    assert_string_equal(text, "keep me");
    free(text);
    assert_int_equal(fixture_dir_remove(outside), 0);
}

/* The mode is the one asked for, whatever the umask; parents are made. */
static void write_sets_the_mode(void **state)
{
    (void)state;
    char *dir = fixture_dir_new("fixture");
    assert_non_null(dir);
    mode_t old = umask(0077);
    char path[512];
    fixture_write_at(path, sizeof path, dir, "x/y/open.txt", "hello\n", 0644);
    umask(old);
    assert_int_equal(mode_of(path), 0644);
    char *text = fixture_read(path);
    assert_string_equal(text, "hello\n");
    free(text);
    assert_null(fixture_read("/nonexistent/pkgauth-fixture"));
    assert_int_equal(fixture_dir_remove(dir), 0);
}

/* Bigger than fixture_read's first buffer. */
static void read_large_file(void **state)
{
    (void)state;
    char *dir = fixture_dir_new("fixture");
    size_t n = 100000;
    char *big = malloc(n + 1), path[512];
    memset(big, 'z', n);
    big[n] = '\0';
    fixture_write_at(path, sizeof path, dir, "big", big, 0600);
    char *text = fixture_read(path);
    assert_non_null(text);
    assert_int_equal(strlen(text), n);
    assert_memory_equal(text, big, n);
    free(text);
    free(big);
    assert_int_equal(fixture_dir_remove(dir), 0);
}

static void env_is_put_back(void **state)
{
    (void)state;
    static const char *const names[] = {"PKGAUTH_FIXTURE_SET", "PKGAUTH_FIXTURE_UNSET", NULL};
    setenv("PKGAUTH_FIXTURE_SET", "before", 1);
    unsetenv("PKGAUTH_FIXTURE_UNSET");
    fixture_env *env = fixture_env_save(names);
    assert_non_null(env);
    fixture_env_clear(names);
    assert_null(getenv("PKGAUTH_FIXTURE_SET"));
    setenv("PKGAUTH_FIXTURE_UNSET", "during", 1);
    fixture_env_restore(env);
    assert_string_equal(getenv("PKGAUTH_FIXTURE_SET"), "before");
    assert_null(getenv("PKGAUTH_FIXTURE_UNSET"));
    unsetenv("PKGAUTH_FIXTURE_SET");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dir_is_private_and_removed_whole),
        cmocka_unit_test(links_are_not_followed),
        cmocka_unit_test(write_sets_the_mode),
        cmocka_unit_test(read_large_file),
        cmocka_unit_test(env_is_put_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
