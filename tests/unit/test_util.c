/* The utility layer (src/lib/util): the wiping growable buffer and the hex
 * decoder that every module shares (issue 12 item 4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pkgauth/common.h"

#include "dynbuf.h"
#include "hex.h"
#include "memory.h"

/* ---- what pkgauth_wipe_free released -------------------------------------- */

static size_t wiped_blocks, dirty_blocks, last_size;

static void count_wipe(const void *p, size_t n)
{
    const unsigned char *b = p;
    wiped_blocks++;
    last_size = n;
    for (size_t i = 0; i < n; i++)
        if (b[i]) {
            dirty_blocks++;
            break;
        }
}

static void watch_wipes(void)
{
    wiped_blocks = dirty_blocks = last_size = 0;
    pkgauth_wipe_hook = count_wipe;
}

/* ---- dynbuf ----------------------------------------------------------------- */

static void test_buf_empty(void **state)
{
    (void)state;
    pkgauth_buf b = PKGAUTH_BUF_INIT;
    assert_string_equal(pkgauth_buf_cstr(&b), "");
    pkgauth_buf_wipe_free(&b);
    pkgauth_buf e = PKGAUTH_BUF_INIT;
    char *s = pkgauth_buf_take(&e);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_null(e.p);
    pkgauth_free(s);
}

static void test_buf_appends_terminated(void **state)
{
    (void)state;
    pkgauth_buf b = PKGAUTH_BUF_INIT;
    assert_true(pkgauth_buf_puts(&b, "Bearer "));
    assert_true(pkgauth_buf_put(&b, "tokenXYZ", 5));
    assert_true(pkgauth_buf_putc(&b, '!'));
    assert_int_equal(b.len, 13);
    assert_int_equal(b.p[b.len], '\0');
    assert_string_equal(b.p, "Bearer token!");
    assert_true(pkgauth_buf_put(&b, NULL, 0));
    assert_string_equal(pkgauth_buf_cstr(&b), "Bearer token!");
    /* Set back by hand (as the SigV4 signer does), the text ends there. */
    b.len = 6;
    assert_string_equal(pkgauth_buf_cstr(&b), "Bearer");
    char *s = pkgauth_buf_take(&b);
    assert_string_equal(s, "Bearer");
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    pkgauth_free(s);
}

/* Growing copies into a new block and wipes the old one: no stale copy of
 * the text is left in freed memory. */
static void test_buf_growth_wipes_old_block(void **state)
{
    (void)state;
    pkgauth_buf b = PKGAUTH_BUF_INIT;
    assert_true(pkgauth_buf_puts(&b, "s3cr3t"));
    size_t first_cap = b.cap;
    char big[5000];
    memset(big, 'x', sizeof big);
    watch_wipes();
    assert_true(pkgauth_buf_put(&b, big, sizeof big));
    pkgauth_wipe_hook = NULL;
    assert_true(wiped_blocks >= 1);
    assert_int_equal(dirty_blocks, 0);
    assert_true(b.cap > first_cap);
    assert_int_equal(b.len, 6 + sizeof big);
    assert_memory_equal(b.p, "s3cr3t", 6);
    assert_int_equal(b.p[6 + sizeof big - 1], 'x');
    assert_int_equal(b.p[b.len], '\0');
    size_t cap = b.cap;
    watch_wipes();
    pkgauth_buf_wipe_free(&b);
    pkgauth_wipe_hook = NULL;
    assert_int_equal(wiped_blocks, 1);
    assert_int_equal(last_size, cap);
    assert_int_equal(dirty_blocks, 0);
    assert_null(b.p);
    assert_int_equal(b.cap, 0);
}

/* A failure is sticky: later appends do nothing, take gives NULL and
 * releases (wiped) what was there. */
static void test_buf_failure_sticky(void **state)
{
    (void)state;
    pkgauth_buf b = PKGAUTH_BUF_INIT;
    assert_true(pkgauth_buf_puts(&b, "abc"));
    assert_false(pkgauth_buf_reserve(&b, SIZE_MAX - 2));
    assert_true(b.oom);
    assert_false(pkgauth_buf_putc(&b, 'd'));
    assert_false(pkgauth_buf_puts(&b, "e"));
    assert_int_equal(b.len, 3);
    watch_wipes();
    assert_null(pkgauth_buf_take(&b));
    pkgauth_wipe_hook = NULL;
    assert_int_equal(wiped_blocks, 1);
    assert_int_equal(dirty_blocks, 0);
    assert_null(b.p);
    assert_false(b.oom);
}

/* ---- hex -------------------------------------------------------------------- */

static void test_hex_value_every_byte(void **state)
{
    (void)state;
    for (int c = -1; c < 256; c++) {
        int want = -1;
        if (c >= 0 && isxdigit(c)) {
            char s[2] = {(char)c, 0};
            want = (int)strtol(s, NULL, 16);
        }
        assert_int_equal(pkgauth_hex_value(c), want);
    }
    /* A signed char above 0x7f is not a digit either. */
    assert_int_equal(pkgauth_hex_value((char)0xc3), -1);
}

static void test_hex_decode(void **state)
{
    (void)state;
    assert_int_equal(pkgauth_hex_decode("00e9", 4), 0xe9);
    assert_int_equal(pkgauth_hex_decode("FFFF", 4), 0xffff);
    assert_int_equal(pkgauth_hex_decode("D83dDE00", 4), 0xd83d);
    assert_int_equal(pkgauth_hex_decode("0010FFFF", 8), 0x10ffff);
    assert_int_equal(pkgauth_hex_decode("ffffffff", 8), 0xffffffffLL);
    assert_int_equal(pkgauth_hex_decode("", 0), 0);
    assert_int_equal(pkgauth_hex_decode("12g4", 4), -1);
    assert_int_equal(pkgauth_hex_decode("123", 4), -1); /* the NUL is no digit */
    assert_int_equal(pkgauth_hex_decode(" 123", 4), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_empty),
        cmocka_unit_test(test_buf_appends_terminated),
        cmocka_unit_test(test_buf_growth_wipes_old_block),
        cmocka_unit_test(test_buf_failure_sticky),
        cmocka_unit_test(test_hex_value_every_byte),
        cmocka_unit_test(test_hex_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
