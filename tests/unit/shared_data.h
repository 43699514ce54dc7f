/* Test cases that need the data in ../shared (PKGAUTH_SHARED_DIR, set by
 * tests/CMakeLists.txt): when it is absent such a case is skipped, and the
 * program then exits with PKGAUTH_TEST_SKIPPED instead of 0, which ctest
 * (SKIP_RETURN_CODE) reports as "Skipped", never "Passed". A failure of
 * any case still wins: the program exits with cmocka's failure count. */
#ifndef PKGAUTH_TEST_SHARED_DATA_H
#define PKGAUTH_TEST_SHARED_DATA_H

#include <stdio.h>

#define PKGAUTH_TEST_SKIPPED 77

static int shared_data_missing;

/* Prints why (a printf format and its arguments), then skips the case. */
#define skip_without_shared(...)                                                                   \
    do {                                                                                           \
        printf(__VA_ARGS__);                                                                       \
        shared_data_missing = 1;                                                                   \
        skip();                                                                                    \
    } while (0)

/* main()'s exit status from cmocka_run_group_tests()'s failure count. */
static inline int shared_data_exit(int failed)
{
    return failed ? failed : shared_data_missing ? PKGAUTH_TEST_SKIPPED : 0;
}

#endif
