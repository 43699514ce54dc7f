/* The helper-program runner (src/lib/subprocess.h): exit status, no shell,
 * stdin at end of file, the output cap, the time limit, and the process
 * group killed with the helper. Real programs (/bin/sh, printf, sleep). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "subprocess.h"

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Runs argv and checks the call itself succeeded. */
static void run(char *const argv[], int timeout_ms, pkgauth_subprocess_result *res)
{
    assert_int_equal(pkgauth_subprocess_run(argv, timeout_ms, res), 0);
    assert_int_equal(res->spawn_errno, 0);
}

/* Runs /bin/sh -c script. */
static void run_sh(const char *script, int timeout_ms, pkgauth_subprocess_result *res)
{
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    run(argv, timeout_ms, res);
}

/* A process is gone once it no longer exists or is a zombie waiting for
 * init (kill(pid, 0) still succeeds on those). */
static int process_gone(pid_t pid)
{
    char path[64], state = 0;
    if (kill(pid, 0) && errno == ESRCH)
        return 1;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 1;
    int n = fscanf(f, "%*d (%*[^)]) %c", &state);
    fclose(f);
    return n == 1 && state == 'Z';
}

static int wait_gone(pid_t pid, int ms)
{
    for (long long end = now_ms() + ms; now_ms() < end; usleep(10000))
        if (process_gone(pid))
            return 1;
    return process_gone(pid);
}

/* ---- exit status and output ---- */

static void exit_status_and_output(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    run_sh("printf 'out\\n'; echo e1 >&2; echo 'last words ' >&2; echo >&2; exit 3", 5000, &r);
    assert_int_equal(r.exit_status, 3);
    assert_false(r.timed_out);
    assert_string_equal(r.out, "out\n");
    assert_int_equal(r.out_len, 4);
    assert_string_equal(r.err_line, "last words"); /* the last non-blank line, trimmed */
    pkgauth_subprocess_result_clear(&r);
    assert_null(r.out);
    assert_null(r.err_line);

    run_sh("exit 0", 5000, &r);
    assert_int_equal(r.exit_status, 0);
    assert_string_equal(r.out, "");
    assert_null(r.err_line);
    pkgauth_subprocess_result_clear(&r);
}

/* Killed by a signal: not an exit status, and not a time-out. */
static void killed_by_signal(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    run_sh("kill -KILL $$", 5000, &r);
    assert_int_equal(r.exit_status, -1);
    assert_false(r.timed_out);
    pkgauth_subprocess_result_clear(&r);
}

/* argv goes to the program as it is: no shell splits or expands it. */
static void no_shell(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    char *argv[] = {"printf", "%s|", "a b; echo injected", "$HOME", "*", NULL};
    run(argv, 5000, &r); /* found on PATH */
    assert_int_equal(r.exit_status, 0);
    assert_string_equal(r.out, "a b; echo injected|$HOME|*|");
    pkgauth_subprocess_result_clear(&r);
}

static void missing_program(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    char *argv[] = {"pkgauth-test-no-such-program", NULL};
    assert_int_equal(pkgauth_subprocess_run(argv, 5000, &r), 0);
    assert_int_equal(r.spawn_errno, ENOENT);
    assert_int_equal(r.exit_status, -1);
    assert_false(r.timed_out);
    pkgauth_subprocess_result_clear(&r);
}

/* A helper that reads its input gets end of file at once, not our stdin:
 * here a pipe nobody writes to or closes, which would make it wait. */
static void stdin_is_empty(void **state)
{
    (void)state;
    int p[2], saved = dup(0);
    assert_int_equal(pipe(p), 0);
    assert_int_equal(dup2(p[0], 0), 0);
    pkgauth_subprocess_result r;
    long long start = now_ms();
    run_sh("cat; echo done", 3000, &r);
    long long took = now_ms() - start;
    dup2(saved, 0);
    close(saved);
    close(p[0]);
    close(p[1]);
    assert_false(r.timed_out);
    assert_true(took < 2500);
    assert_string_equal(r.out, "done\n");
    pkgauth_subprocess_result_clear(&r);
}

/* SIGPIPE, which the caller ignores, is back to its default in the helper:
 * `yes` dies quietly when head is done instead of failing with EPIPE. */
static void sigpipe_is_default(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    run_sh("yes | head -n 1", 5000, &r);
    assert_int_equal(r.exit_status, 0);
    assert_string_equal(r.out, "y\n");
    if (r.err_line)
        fail_msg("the helper saw EPIPE: %s", r.err_line);
    pkgauth_subprocess_result_clear(&r);
}

/* ---- the caps ---- */

/* stdout keeps its first 64 KiB; the rest is read and dropped, so the
 * helper never blocks on a full pipe and exits normally. */
static void stdout_is_capped(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    run_sh("printf S; head -c 300000 /dev/zero | tr '\\0' x; echo tail >&2", 10000, &r);
    assert_false(r.timed_out);
    assert_int_equal(r.exit_status, 0);
    assert_int_equal(r.out_len, 64 * 1024);
    assert_int_equal(strlen(r.out), r.out_len);
    assert_int_equal(r.out[0], 'S');
    assert_int_equal(r.out[r.out_len - 1], 'x');
    assert_string_equal(r.err_line, "tail");
    pkgauth_subprocess_result_clear(&r);
}

/* stderr keeps its end: the last line survives a long traceback. */
static void stderr_keeps_its_end(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    run_sh("head -c 100000 /dev/zero | tr '\\0' e >&2; printf '\\nthe real error\\n' >&2; exit 1",
           10000, &r);
    assert_int_equal(r.exit_status, 1);
    assert_string_equal(r.err_line, "the real error");
    pkgauth_subprocess_result_clear(&r);
}

/* ---- time limit and process group ---- */

static void time_limit(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    long long start = now_ms();
    run_sh("echo partial; exec sleep 30", 300, &r);
    long long took = now_ms() - start;
    assert_true(r.timed_out);
    assert_int_equal(r.exit_status, -1);
    assert_true(took >= 250 && took < 3000);
    assert_string_equal(r.out, "partial\n"); /* what came before the limit is kept */
    pkgauth_subprocess_result_clear(&r);
}

/* At the limit the whole group dies: what the helper started too. */
static void time_limit_kills_the_group(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    run_sh("sleep 30 >/dev/null 2>&1 & echo $!; wait", 300, &r);
    assert_true(r.timed_out);
    pid_t background = (pid_t)atoi(r.out);
    assert_true(background > 1);
    if (!wait_gone(background, 3000)) {
        kill(background, SIGKILL);
        fail_msg("the helper's background process %d outlived the time limit", (int)background);
    }
    pkgauth_subprocess_result_clear(&r);
}

/* The helper is in its own group, not ours: killing that group at a
 * time-out cannot reach the caller. */
static void helper_has_its_own_group(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    run_sh("cut -d' ' -f5 /proc/$$/stat", 5000, &r); /* its process group */
    assert_int_equal(r.exit_status, 0);
    assert_int_not_equal(atoi(r.out), (int)getpgrp());
    pkgauth_subprocess_result_clear(&r);
}

/* The result comes when the helper exits, even while something it left in
 * the background still holds its stdout open. */
static void exit_not_end_of_pipe(void **state)
{
    (void)state;
    pkgauth_subprocess_result r;
    long long start = now_ms();
    run_sh("sleep 30 & echo $!", 10000, &r);
    long long took = now_ms() - start;
    pid_t background = (pid_t)atoi(r.out);
    if (background > 1)
        kill(background, SIGKILL);
    assert_false(r.timed_out);
    assert_int_equal(r.exit_status, 0);
    assert_true(took < 3000);
    pkgauth_subprocess_result_clear(&r);
}

int main(void)
{
    /* A caller that ignores SIGPIPE (as the CLI does) must not pass that on. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exit_status_and_output),
        cmocka_unit_test(killed_by_signal),
        cmocka_unit_test(no_shell),
        cmocka_unit_test(missing_program),
        cmocka_unit_test(stdin_is_empty),
        cmocka_unit_test(sigpipe_is_default),
        cmocka_unit_test(stdout_is_capped),
        cmocka_unit_test(stderr_keeps_its_end),
        cmocka_unit_test(time_limit),
        cmocka_unit_test(time_limit_kills_the_group),
        cmocka_unit_test(helper_has_its_own_group),
        cmocka_unit_test(exit_not_end_of_pipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
