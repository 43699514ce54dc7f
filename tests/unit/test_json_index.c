/* The credentials-file validator and index (json_index.c), cross-checked
 * against jansson + pkgauth_credential_check_value, which it replaces on
 * the read path and must agree with: hand-written edge cases, the
 * toml-test JSON corpus when present, credential shapes, and a seeded
 * mutation fuzzer.
 *
 * The one accepted disagreement (documented in json_index.h): jansson
 * skips a single NUL byte right after a number or a literal; the index
 * refuses it. Every comparison below allows exactly that: the index says
 * "invalid JSON", jansson says something else, and the input has a NUL. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shared_data.h"
#include <jansson.h>

#include "credential_internal.h"
#include "json_index.h"

/* ---- oracles ------------------------------------------------------------ */

static int jansson_accepts(const char *buf, size_t len, size_t flags)
{
    json_error_t e;
    json_t *v = json_loadb(buf, len, flags, &e);
    json_decref(v);
    return v != NULL;
}

/* What the old read path said about a file, as a PKGAUTH_JSON_* code. */
static int old_verdict(const char *buf, size_t len, char *why, size_t n)
{
    json_error_t e;
    json_t *root = json_loadb(buf, len, 0, &e);
    const char *key;
    json_t *v;
    int rc = PKGAUTH_JSON_OK;
    if (!root)
        return PKGAUTH_JSON_ESYNTAX;
    if (!json_is_object(root))
        rc = PKGAUTH_JSON_ENOTOBJECT;
    else
        json_object_foreach(root, key, v) {
            if (pkgauth_credential_check_value(v, why, n)) {
                rc = PKGAUTH_JSON_EENTRY;
                break;
            }
        }
    json_decref(root);
    return rc;
}

static int is_nul_quirk(const char *buf, size_t len, int old, int got)
{
    return got == PKGAUTH_JSON_ESYNTAX && old != PKGAUTH_JSON_ESYNTAX && memchr(buf, 0, len);
}

static void show(const char *buf, size_t len)
{
    fprintf(stderr, "input (%zu bytes): \"", len);
    for (size_t i = 0; i < len && i < 300; i++) {
        unsigned char c = (unsigned char)buf[i];
        fprintf(stderr, c >= 0x20 && c < 0x7F && c != '\\' ? "%c" : "\\x%02x", c);
    }
    fprintf(stderr, "%s\"\n", len > 300 ? "..." : "");
}

/* The grammar check agrees with json_loadb, with flags 0 and DECODE_ANY. */
static int grammar_agrees(const char *buf, size_t len)
{
    for (int any = 0; any < 2; any++) {
        pkgauth_json_error err;
        int ours = pkgauth_json_validate(buf, len, any, &err) == PKGAUTH_JSON_OK;
        int theirs = jansson_accepts(buf, len, any ? JSON_DECODE_ANY : 0);
        if (ours != theirs && !(theirs && memchr(buf, 0, len))) {
            show(buf, len);
            fprintf(stderr, "any=%d: index %s (%s at %zu), jansson %s\n", any,
                    ours ? "accepts" : "refuses", err.reason, err.offset,
                    theirs ? "accepts" : "refuses");
            return 0;
        }
    }
    return 1;
}

/* Every live member's value span parses to the value jansson has for its
 * key, and nothing else is live. */
static int index_matches_tree(const pkgauth_json_index *ix, const char *buf, size_t len)
{
    json_error_t e;
    json_t *root = json_loadb(buf, len, 0, &e), *v;
    const char *key;
    size_t live = 0;
    int ok = root != NULL;
    for (size_t i = 0; ok && i < ix->count; i++)
        live += ix->members[i].live;
    ok = ok && live == json_object_size(root);
    json_object_foreach(root, key, v) {
        const pkgauth_json_member *m = pkgauth_json_index_find(ix, key, strlen(key));
        json_t *mine = m ? json_loadb(buf + m->val_at, m->val_len, 0, &e) : NULL;
        ok = ok && mine && json_equal(mine, v);
        json_decref(mine);
    }
    json_decref(root);
    return ok;
}

/* The whole-file verdict (and reason) agrees with the old path. */
static int file_agrees(const char *buf, size_t len)
{
    char why[160] = "";
    int old = old_verdict(buf, len, why, sizeof why);
    pkgauth_json_index ix;
    pkgauth_json_error err;
    int got = pkgauth_json_index_build(&ix, buf, len, &err);
    int ok = got == old || is_nul_quirk(buf, len, old, got);
    if (ok && got == PKGAUTH_JSON_EENTRY && strcmp(why, err.reason)) {
        /* With several bad entries the two may name different ones; the
         * reason must then at least be one check_value could give. */
        ok = strstr(err.reason, "credential") || strstr(err.reason, "needs") ||
             strstr(err.reason, "must be");
    }
    if (ok && got == PKGAUTH_JSON_OK)
        ok = index_matches_tree(&ix, buf, len);
    if (!ok) {
        show(buf, len);
        fprintf(stderr, "index: %d (%s at %zu), jansson+check_value: %d (%s)\n", got,
                err.reason, err.offset, old, why);
    }
    pkgauth_json_index_free(&ix);
    return ok;
}

/* ---- hand-written grammar cases ----------------------------------------- */

typedef struct {
    const char *text;
    size_t len; /* 0: strlen */
    int valid;  /* as a whole text with JSON_DECODE_ANY; -1: don't care */
} gcase;

#define L(s) s, sizeof s - 1

static const gcase grammar_cases[] = {
    /* structure and whitespace */
    {"", 0, 0}, {" ", 0, 0}, {"{}", 0, 1}, {"[]", 0, 1}, {" \t\r\n{ \t\r\n} \t\r\n", 0, 1},
    {"{\f}", 0, 0}, {"{\v}", 0, 0}, {"\xc2\xa0{}", 0, 0}, {"{}\xc2\xa0", 0, 0},
    {"\xef\xbb\xbf{}", 0, 0}, {"{}x", 0, 0}, {"{}{}", 0, 0}, {"{},", 0, 0}, {"[1,]", 0, 0},
    {"[,1]", 0, 0}, {"[1 2]", 0, 0}, {"{\"a\":1,}", 0, 0}, {"{\"a\" 1}", 0, 0},
    {"{\"a\"}", 0, 0}, {"{a:1}", 0, 0}, {"{'a':1}", 0, 0}, {"{1:1}", 0, 0}, {"{", 0, 0},
    {"[", 0, 0}, {"}", 0, 0}, {"]", 0, 0}, {"[}", 0, 0}, {"{]", 0, 0}, {"[[]", 0, 0},
    {"{\"a\":{\"b\":[]}}", 0, 1}, {"[[[[]]],{}]", 0, 1}, {"{\"a\":1 \"b\":2}", 0, 0},
    {"{\"a\"::1}", 0, 0}, {"{,}", 0, 0}, {"[\"a\":1]", 0, 0}, {"{\"a\":1}}", 0, 0},
    /* literals */
    {"true", 0, 1}, {"false", 0, 1}, {"null", 0, 1}, {"[true,false,null]", 0, 1},
    {"tru", 0, 0}, {"truex", 0, 0}, {"True", 0, 0}, {"NULL", 0, 0}, {"nul", 0, 0},
    {"[nulll]", 0, 0}, {"[true1]", 0, 0}, {"NaN", 0, 0}, {"Infinity", 0, 0},
    {"-Infinity", 0, 0}, {"undefined", 0, 0},
    /* numbers */
    {"0", 0, 1}, {"-0", 0, 1}, {"-0.0", 0, 1}, {"1e5", 0, 1}, {"1E5", 0, 1}, {"1e+5", 0, 1},
    {"1e-5", 0, 1}, {"1.5e-05", 0, 1}, {"0.0", 0, 1}, {"0e0", 0, 1}, {"01", 0, 0},
    {"-01", 0, 0}, {"00", 0, 0}, {"1.", 0, 0}, {".5", 0, 0}, {"-", 0, 0}, {"-a", 0, 0},
    {"1e", 0, 0}, {"1e+", 0, 0}, {"1e-", 0, 0}, {"1ee5", 0, 0}, {"1.e5", 0, 0},
    {"1.5.5", 0, 0}, {"+1", 0, 0}, {"--1", 0, 0}, {"0x10", 0, 0}, {"1_000", 0, 0},
    {"[1.0e]", 0, 0}, {"[-]", 0, 0}, {"[01]", 0, 0}, {"[0,1]", 0, 1}, {"[1e1000]", 0, 0},
    {"9223372036854775807", 0, 1}, {"9223372036854775808", 0, 0},
    {"-9223372036854775808", 0, 1}, {"-9223372036854775809", 0, 0},
    {"123456789012345678901234567890", 0, 0}, {"-123456789012345678901234567890", 0, 0},
    {"123456789012345678901234567890.0", 0, 1}, {"1e308", 0, 1}, {"1e309", 0, 0},
    {"-1e309", 0, 0}, {"1.7976931348623157e308", 0, 1}, {"1.7976931348623158e308", 0, 1},
    {"1.7976931348623159e308", 0, 0}, {"10e307", 0, 1}, {"100e307", 0, 0},
    {"0.1e309", 0, 1}, {"0.000001e314", 0, 1}, {"0.00001e314", 0, 0},
    {"1e-400", 0, 1}, {"-1e-400", 0, 1}, {"0e99999999999999999999999", 0, 1},
    {"0.0e99999999999999999999999", 0, 1}, {"1e-99999999999999999999999", 0, 1},
    {"1e99999999999999999999999", 0, 0}, {"4.9e-324", 0, 1}, {"2.4e-324", 0, 1},
    /* the overflow threshold, 2^1024 - 2^970, and its neighbours */
    {"179769313486231580793728971405303415079934132710037826936173778980444968292764750946"
     "649017977587207096330286416692887910946555547851940402630657488671505820681908902000"
     "708383676273854845817711531764475730270069855571366959622842914819860834936475292719"
     "074168444365510704342711559699508093042880177904174497792.0", 0, 0},
    {"179769313486231580793728971405303415079934132710037826936173778980444968292764750946"
     "649017977587207096330286416692887910946555547851940402630657488671505820681908902000"
     "708383676273854845817711531764475730270069855571366959622842914819860834936475292719"
     "074168444365510704342711559699508093042880177904174497791.9999", 0, 1},
    {"0.179769313486231580793728971405303415079934132710037826936173778980444968292764750946"
     "649017977587207096330286416692887910946555547851940402630657488671505820681908902000"
     "708383676273854845817711531764475730270069855571366959622842914819860834936475292719"
     "0741684443655107043427115596995080930428801779041744977920000001e309", 0, 0},
    {"0.0000179769313486231580793728971405303415079934132710037826936173778980444968292764"
     "750946649017977587207096330286416692887910946555547851940402630657488671505820681908"
     "902000708383676273854845817711531764475730270069855571366959622842914819860834936475"
     "292719074168444365510704342711559699508093042880177904174497791e313", 0, 1},
    /* strings and escapes */
    {"\"\"", 0, 1}, {"\"abc\"", 0, 1}, {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, 1},
    {"\"\\a\"", 0, 0}, {"\"\\x41\"", 0, 0}, {"\"\\'\"", 0, 0}, {"\"\\0\"", 0, 0},
    {"\"\\U0041\"", 0, 0}, {"\"\\u0041\"", 0, 1}, {"\"\\u00e9\\u00E9\"", 0, 1},
    {"\"\\u004\"", 0, 0}, {"\"\\u00G1\"", 0, 0}, {"\"\\u\"", 0, 0}, {"\"\\", 0, 0},
    {"\"\\u0000\"", 0, 0}, {"\"a\\u0000b\"", 0, 0}, {"{\"\\u0000\":1}", 0, 0},
    {"\"\\u0001\"", 0, 1}, {"\"\\u001f\"", 0, 1}, {"\"\\uFFFF\"", 0, 1},
    {"\"\\uD83D\\uDE00\"", 0, 1}, {"\"\\ud83d\\ude00\"", 0, 1}, {"\"\\uDBFF\\uDFFF\"", 0, 1},
    {"\"\\uD800\\uDC00\"", 0, 1}, {"\"\\uD800\"", 0, 0}, {"\"\\uD800x\"", 0, 0},
    {"\"\\uD800\\n\"", 0, 0}, {"\"\\uD800\\u0041\"", 0, 0}, {"\"\\uD800\\uD800\"", 0, 0},
    {"\"\\uDC00\"", 0, 0}, {"\"\\uDFFF\\uD800\"", 0, 0}, {"\"\\uD800\\uDC0\"", 0, 0},
    {"\"\\uD800\\", 0, 0}, {"\"\\uD800\\u", 0, 0}, {"\"abc", 0, 0}, {"\"", 0, 0},
    {"\"a\nb\"", 0, 0}, {"\"a\tb\"", 0, 0}, {"\"a\rb\"", 0, 0}, {"\"\x01\"", 0, 0},
    {"\"\x1f\"", 0, 0}, {"\"\x7f\"", 0, 1}, {"\"\x20\"", 0, 1}, {L("\"a\0b\""), 0},
    {L("\"\0\""), 0},
    /* UTF-8 */
    {"\"\xc3\xa9\"", 0, 1}, {"\"\xe2\x82\xac\"", 0, 1}, {"\"\xf0\x9f\x98\x80\"", 0, 1},
    {"\"\xf4\x8f\xbf\xbf\"", 0, 1}, {"\"\xef\xbf\xbf\"", 0, 1}, {"\"\xee\x80\x80\"", 0, 1},
    {"\"\xc2\x80\"", 0, 1}, {"\"\xdf\xbf\"", 0, 1}, {"\"\xe0\xa0\x80\"", 0, 1},
    {"\"\xed\x9f\xbf\"", 0, 1}, {"\"\xf0\x90\x80\x80\"", 0, 1},
    {"\"\x80\"", 0, 0}, {"\"\xbf\"", 0, 0}, {"\"\xc0\x80\"", 0, 0}, {"\"\xc1\xbf\"", 0, 0},
    {"\"\xc3\"", 0, 0}, {"\"\xc3\x28\"", 0, 0}, {"\"\xe0\x80\x80\"", 0, 0},
    {"\"\xe0\x9f\xbf\"", 0, 0}, {"\"\xed\xa0\x80\"", 0, 0}, {"\"\xed\xbf\xbf\"", 0, 0},
    {"\"\xf0\x80\x80\x80\"", 0, 0}, {"\"\xf0\x8f\xbf\xbf\"", 0, 0},
    {"\"\xf4\x90\x80\x80\"", 0, 0}, {"\"\xf5\x80\x80\x80\"", 0, 0}, {"\"\xf8\x88\x80\x80\x80\"", 0, 0},
    {"\"\xfe\"", 0, 0}, {"\"\xff\"", 0, 0}, {"\"\xe2\x82\"", 0, 0}, {"\"\xe2\x82", 0, 0},
    {"\"\xf0\x9f\x98\"", 0, 0}, {"\"\xf0\x9f\x98", 0, 0}, {"\"\xe2\x28\xa1\"", 0, 0},
    {"\"\xc3\xa9\xa9\"", 0, 0}, {"\"\xe2\x82\x28\"", 0, 0}, {"\"\xf0\x9f\x98\x28\"", 0, 0},
    {"\"\xf0\x9f\x28\x80\"", 0, 0}, {"\"\xe2\x82\xc3\xa9\"", 0, 0}, {"{\"\xff\":1}", 0, 0}, {"[\xc3\xa9]", 0, 0},
    /* NUL bytes outside strings: jansson's quirk after numbers and literals */
    {L("[1\0]"), 0}, {L("[true\0]"), 0}, {L("{\"a\":null\0}"), 0}, {L("[1\0\0]"), 0},
    {L("[\0]"), 0}, {L("{}\0"), 0}, {L("\0{}"), 0}, {L("[\"a\"\0]"), 0},
};

static void test_grammar_cases(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof grammar_cases / sizeof *grammar_cases; i++) {
        const gcase *c = &grammar_cases[i];
        size_t len = c->len ? c->len : strlen(c->text);
        pkgauth_json_error err;
        int ours = pkgauth_json_validate(c->text, len, 1, &err) == PKGAUTH_JSON_OK;
        if (!grammar_agrees(c->text, len))
            bad++;
        else if (c->valid >= 0 && ours != c->valid) {
            show(c->text, len);
            fprintf(stderr, "expected %s\n", c->valid ? "valid" : "invalid");
            bad++;
        }
        /* Inside an array and an object too (other states, other ends). */
        char *wrapped = malloc(len + 16);
        memcpy(wrapped, "[", 1);
        memcpy(wrapped + 1, c->text, len);
        memcpy(wrapped + 1 + len, "]", 1);
        bad += !grammar_agrees(wrapped, len + 2);
        memcpy(wrapped, "{\"k\":", 5);
        memcpy(wrapped + 5, c->text, len);
        memcpy(wrapped + 5 + len, "}", 1);
        bad += !grammar_agrees(wrapped, len + 6);
        free(wrapped);
    }
    assert_int_equal(bad, 0);
}

/* A text nested n deep: [[[...]]] or {"a":{"a":...{}}}, innermost inner. */
static char *nested(int n, int objects, const char *inner, size_t *len)
{
    size_t in = strlen(inner), cap = (size_t)n * 6 + in + 1;
    char *s = malloc(cap), *p = s;
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s", objects ? "{\"a\":" : "[");
    p += sprintf(p, "%s", inner);
    for (int i = 0; i < n; i++)
        *p++ = objects ? '}' : ']';
    *len = (size_t)(p - s);
    return s;
}

static void test_depth(void **state)
{
    (void)state;
    /* Around JSON_PARSER_MAX_DEPTH, and far past it (no recursion). */
    static const int depths[] = {1, 2, 2046, 2047, 2048, 2049, 2050, 100000};
    static const char *const inners[] = {"", "1", "[]", "{}", "\"x\""};
    for (size_t d = 0; d < sizeof depths / sizeof *depths; d++)
        for (int obj = 0; obj < 2; obj++)
            for (size_t k = 0; k < sizeof inners / sizeof *inners; k++) {
                size_t len;
                char *s = nested(depths[d], obj, obj && !*inners[k] ? "0" : inners[k], &len);
                assert_true(grammar_agrees(s, len));
                free(s);
            }
    size_t len;
    char *s = nested(2048, 0, "", &len);
    pkgauth_json_error err;
    assert_int_equal(pkgauth_json_validate(s, len, 0, &err), PKGAUTH_JSON_OK);
    free(s);
    s = nested(2049, 0, "", &len);
    assert_int_equal(pkgauth_json_validate(s, len, 0, &err), PKGAUTH_JSON_ESYNTAX);
    assert_string_equal(err.reason, "maximum parsing depth reached");
    free(s);
}

/* ---- the toml-test corpus ------------------------------------------------ */

static int corpus_files, corpus_bad, corpus_nul;

static int corpus_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".json"))
        return 0;
    FILE *fp = fopen(path, "rb");
    char *buf = fp ? malloc((size_t)st->st_size + 1) : NULL;
    size_t len = buf ? fread(buf, 1, (size_t)st->st_size, fp) : 0;
    if (fp)
        fclose(fp);
    corpus_files++;
    /* Valid JSON all, but jansson refuses \u0000 by default, and so must we. */
    int nul = buf && memmem(buf, len, "\\u0000", 6);
    corpus_nul += nul;
    if (!buf || !grammar_agrees(buf, len) || (!nul && !jansson_accepts(buf, len, 0))) {
        fprintf(stderr, "corpus file disagrees (or is not valid JSON): %s\n", path);
        corpus_bad++;
    }
    free(buf);
    return 0;
}

static void test_toml_test_corpus(void **state)
{
    (void)state;
    const char *shared = getenv("PKGAUTH_SHARED_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/testdata/toml-test/tests/valid", shared ? shared : "");
    struct stat st;
    if (!shared || stat(dir, &st)) {
        skip_without_shared("skipped: no toml-test corpus at %s\n", dir);
    }
    assert_int_equal(nftw(dir, corpus_file, 16, FTW_PHYS), 0);
    printf("toml-test corpus: %d JSON files compared (%d hold \\u0000, refused by both)\n",
           corpus_files, corpus_nul);
    assert_true(corpus_files > 0);
    assert_int_equal(corpus_bad, 0);
}

/* ---- credential shapes ---------------------------------------------------- */

static const char *const shapes[] = {
    "{\"BearerToken\":\"t\"}", "{\"CondaToken\":\"t\"}", "{\"BearerToken\":\"\"}",
    "{\"BearerToken\":1}", "{\"BearerToken\":null}", "{\"BearerToken\":{}}",
    "{\"BearerToken\":[\"t\"]}", "{\"CondaToken\":true}", "{}", "[]", "\"t\"", "1", "null",
    "{\"BearerToken\":\"t\",\"CondaToken\":\"u\"}", "{\"BearerToken\":\"t\",\"BearerToken\":\"u\"}",
    "{\"BearerToken\":1,\"BearerToken\":\"u\"}", "{\"BearerToken\":\"t\",\"BearerToken\":1}",
    "{\"Bearer\\u0054oken\":\"t\"}", "{\"BearerToken\":\"t\",\"Bearer\\u0054oken\":\"u\"}",
    "{\"BearerToken\":\"t\",\"Bearer\\u0054oken\":2}", "{\"\\u0042earerToken\":\"\\u0074\"}",
    "{\"BearerTokens\":\"t\"}", "{\"bearertoken\":\"t\"}", "{\"BearerToke\":\"t\"}",
    "{\"\":\"t\"}", "{\"Nope\":1}", "{\"Nope\":1,\"Nope\":2}", "{\"Nope\":1,\"Other\":2}",
    "{\"A very long unknown credential kind name, more than forty bytes\":1}",
    "{\"An unknown kind with an \\u00e9scape and \\ud83d\\ude00 in it, long\":1}",
    "{\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9x\":1}",
    "{\"BasicHTTP\":{\"username\":\"u\",\"password\":\"p\"}}",
    "{\"BasicHTTP\":{\"password\":\"p\",\"username\":\"u\",\"extra\":[1,{\"username\":1}]}}",
    "{\"BasicHTTP\":{\"username\":\"u\"}}", "{\"BasicHTTP\":{\"password\":\"p\"}}",
    "{\"BasicHTTP\":{\"username\":null,\"password\":\"p\"}}",
    "{\"BasicHTTP\":{\"username\":\"u\",\"password\":1}}",
    "{\"BasicHTTP\":{\"username\":\"u\",\"password\":\"p\",\"password\":1}}",
    "{\"BasicHTTP\":{\"username\":\"u\",\"password\":1,\"password\":\"p\"}}",
    "{\"BasicHTTP\":{\"user\\u006eame\":\"u\",\"password\":\"p\"}}",
    "{\"BasicHTTP\":{\"username\":\"u\",\"passwords\":\"p\"}}",
    "{\"BasicHTTP\":{\"extra\":{\"username\":\"u\",\"password\":\"p\"}}}",
    "{\"BasicHTTP\":[{\"username\":\"u\",\"password\":\"p\"}]}", "{\"BasicHTTP\":\"u:p\"}",
    "{\"BasicHTTP\":{}}", "{\"BasicHTTP\":{\"username\":\"u\",\"password\":\"p\"},"
                          "\"BasicHTTP\":{\"username\":\"u\"}}",
    "{\"BasicHTTP\":{\"username\":\"u\"},\"BasicHTTP\":{\"username\":\"u\",\"password\":\"p\"}}",
    "{\"S3Credentials\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\",\"session_token\":null}}",
    "{\"S3Credentials\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\"}}",
    "{\"S3Credentials\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\",\"session_token\":\"s\"}}",
    "{\"S3Credentials\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\",\"session_token\":1}}",
    "{\"S3Credentials\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\",\"session_token\":false}}",
    "{\"S3Credentials\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\",\"session_token\":{}}}",
    "{\"S3Credentials\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\",\"session_token\":1,"
    "\"session_token\":null}}",
    "{\"S3Credentials\":{\"access_key_id\":\"i\",\"session_token\":\"s\"}}",
    "{\"S3Credentials\":{\"secret_access_key\":\"k\"}}",
    "{\"S3Credentials\":{\"access_key_id\":1,\"secret_access_key\":\"k\",\"session_token\":1}}",
    "{\"S3Credentials\":null}", "{\"S3\":{\"access_key_id\":\"i\",\"secret_access_key\":\"k\"}}",
    "{\"OAuth\":{\"access_token\":\"a\"}}",
    "{\"OAuth\":{\"access_token\":\"a\",\"refresh_token\":null,\"expires_at\":1700000000,"
    "\"token_endpoint\":\"https://x/t\",\"revocation_endpoint\":null,\"client_id\":\"c\"}}",
    "{\"OAuth\":{\"access_token\":\"a\",\"expires_at\":\"2024-01-01T00:00:00Z\",\"x\":[[[]]]}}",
    "{\"OAuth\":{\"refresh_token\":\"r\"}}", "{\"OAuth\":{\"access_token\":1}}",
    "{\"OAuth\":{\"access_token\":null}}", "{\"OAuth\":\"a\"}", "{\"OAuth\":{}}",
    "{\"OAuth\":{\"nested\":{\"access_token\":\"a\"}}}",
    " { \"BearerToken\" : \"t\" } ", "{\n\t\"BasicHTTP\" :\r\n {\"username\" : \"u\" ,"
                                     " \"password\":\"p\" } }",
};

/* Each value, as the one entry of a file, gets check_value's verdict and
 * reason, word for word. */
static void test_shapes_agree(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        json_error_t e;
        json_t *v = json_loadb(shapes[i], strlen(shapes[i]), JSON_DECODE_ANY, &e);
        assert_non_null(v);
        char why[160] = "", text[1024];
        int want = pkgauth_credential_check_value(v, why, sizeof why);
        json_decref(v);
        int n = snprintf(text, sizeof text, "{\"k\":%s}", shapes[i]);
        pkgauth_json_index ix;
        pkgauth_json_error err;
        int got = pkgauth_json_index_build(&ix, text, (size_t)n, &err);
        pkgauth_json_index_free(&ix);
        if ((want == 0) != (got == PKGAUTH_JSON_OK) ||
            (got && (got != PKGAUTH_JSON_EENTRY || strcmp(why, err.reason) ||
                     strcmp(err.key, "k") || err.offset != 1))) {
            fprintf(stderr, "%s\n  check_value: %s\n  index: %d %s\n", shapes[i],
                    want ? why : "ok", got, got ? err.reason : "ok");
            bad++;
        }
        bad += !file_agrees(text, (size_t)n);
    }
    assert_int_equal(bad, 0);
}

/* ---- the index itself ---------------------------------------------------- */

static void test_index_lookup(void **state)
{
    (void)state;
    static const char text[] =
        "{\"a.example.com\":{\"BearerToken\":\"one\"},\n"
        " \"dup\":{\"Nope\":1}, \"b\\u002eexample.com\":{\"CondaToken\":\"two\"},\n"
        " \"dup\" : {\"BearerToken\":\"last\"} ,\"\\u00e9\\ud83d\\ude00\\n\":{\"BearerToken\":\"e\"},"
        " \"\":{\"BearerToken\":\"empty\"}}";
    pkgauth_json_index ix;
    pkgauth_json_error err;
    assert_int_equal(pkgauth_json_index_build(&ix, text, sizeof text - 1, &err), 0);
    assert_int_equal(ix.count, 6);
    const pkgauth_json_member *m = pkgauth_json_index_find(&ix, "dup", 3);
    assert_non_null(m);
    assert_memory_equal(text + m->val_at, "{\"BearerToken\":\"last\"}", m->val_len);
    assert_false(ix.members[1].live);
    m = pkgauth_json_index_find(&ix, "b.example.com", 13);
    assert_non_null(m);
    assert_memory_equal(text + m->val_at, "{\"CondaToken\":\"two\"}", m->val_len);
    assert_non_null(pkgauth_json_index_find(&ix, "\xc3\xa9\xf0\x9f\x98\x80\n", 7));
    assert_non_null(pkgauth_json_index_find(&ix, "", 0));
    assert_null(pkgauth_json_index_find(&ix, "a.example.co", 12));
    assert_null(pkgauth_json_index_find(&ix, "b\\u002eexample.com", 18));
    assert_true(index_matches_tree(&ix, text, sizeof text - 1));
    pkgauth_json_index_free(&ix);

    /* Many keys: the table grows past its first size without losing any. */
    size_t cap = 20000 * 48, n = 1;
    char *big = malloc(cap);
    big[0] = '{';
    for (int i = 0; i < 20000; i++)
        n += (size_t)snprintf(big + n, cap - n, "%s\"k%d\":{\"BearerToken\":\"t%d\"}",
                              i ? "," : "", i, i);
    big[n++] = '}';
    assert_int_equal(pkgauth_json_index_build(&ix, big, n, &err), 0);
    assert_true(index_matches_tree(&ix, big, n));
    pkgauth_json_index_free(&ix);
    free(big);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int code;
        size_t offset;
        const char *reason;
    } cases[] = {
        {"", PKGAUTH_JSON_ESYNTAX, 0, "'[' or '{' expected"},
        {"{\n  \"k\": {\"BearerToken\": \"x\"}\n", PKGAUTH_JSON_ESYNTAX, 30, "premature end of input"},
        {" [1, 2]", PKGAUTH_JSON_ENOTOBJECT, 1, "expected a JSON object of credentials"},
        {"{\"k\": {\"BearerToken\": \"x\"},\n  \"bad\": {\"Nope\": 1}}", PKGAUTH_JSON_EENTRY, 30,
         "unknown credential kind \"Nope\""},
        {"{\"a\":{\"BearerToken\":\"x\"}} trailing", PKGAUTH_JSON_ESYNTAX, 26, "end of file expected"},
        {"{\"a\":{\"BearerToken\":\"x\\q\"}}", PKGAUTH_JSON_ESYNTAX, 22, "invalid escape"},
        {"{\"a\":{\"BearerToken\":\"\\ud800\"}}", PKGAUTH_JSON_ESYNTAX, 21,
         "invalid Unicode '\\uD800' (no low surrogate after it)"},
        {"{\"a\":{\"BearerToken\":\"x\xff\"}}", PKGAUTH_JSON_ESYNTAX, 22, "unable to decode byte 0xff"},
        {"{\"a\":1e999}", PKGAUTH_JSON_ESYNTAX, 5, "real number overflow"},
        {"\"str\"", PKGAUTH_JSON_ESYNTAX, 0, "'[' or '{' expected"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pkgauth_json_index ix;
        pkgauth_json_error err;
        int rc = pkgauth_json_index_build(&ix, cases[i].text, strlen(cases[i].text), &err);
        if (rc != cases[i].code || err.offset != cases[i].offset ||
            strcmp(err.reason, cases[i].reason))
            fail_msg("%s: got %d at %zu: %s", cases[i].text, rc, err.offset, err.reason);
        assert_null(ix.members);
    }
}

/* ---- mutation fuzzing ------------------------------------------------------ */

static const char fuzz_seed[] =
    "{\"*.prefix.dev\":{\"BearerToken\":\"pfx_\\u00e9\\\"tok\\\\en\"},\n"
    " \"conda.anaconda.org\" : {\"CondaToken\": \"ct-123\"},\r\n"
    "\t\"basic.example.com\":{\"BasicHTTP\":{\"username\":\"us\xc3\xa9r\",\"password\":\"p\\/w\\n\"}},"
    "\"s3://bucket/channel\":{\"S3Credentials\":{\"access_key_id\":\"AKIA\",\"secret_access_key\":"
    "\"sk\",\"session_token\":null}},\"s3://b2\":{\"S3Credentials\":{\"access_key_id\":\"i\","
    "\"secret_access_key\":\"k\",\"session_token\":\"\\ud83d\\ude00\"}},"
    "\"oauth.example.com\":{\"OAuth\":{\"access_token\":\"at\",\"refresh_token\":null,"
    "\"expires_at\":1700000000,\"scale\":-1.5e-3,\"ok\":true,\"no\":false,\"list\":[1,[2,{}],[]]}},"
    "\"dup\":{\"BearerToken\":\"first\"},\"d\\u0075p\":{\"CondaToken\":\"second\"},"
    "\"k\\tey\":{\"BearerToken\":\"\"}}";

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Bytes that change meaning in JSON, and a few that never belong in it. */
static unsigned char interesting_byte(void)
{
    static const char pool[] = "{}[]\":,\\/ \t\n\r0123456789-+.eEtrufalsn"
                               "\x01\x1f\x7f\x80\xbf\xc0\xc3\xe0\xed\xf0\xf4\xf5\xff";
    return rng() % 8 ? (unsigned char)pool[rng() % (sizeof pool - 1)] : (unsigned char)rng();
}

/* One random edit of buf (len bytes, room for cap): overwrite, insert,
 * delete, copy a piece elsewhere, or cut the end. */
static size_t mutate(char *buf, size_t len, size_t cap)
{
    size_t at = len ? rng() % len : 0;
    switch (rng() % 6) {
    case 0:
    case 1:
        if (len)
            buf[at] = (char)interesting_byte();
        return len;
    case 2:
        if (len + 1 > cap)
            return len;
        memmove(buf + at + 1, buf + at, len - at);
        buf[at] = (char)interesting_byte();
        return len + 1;
    case 3: {
        size_t n = len - at < 4 ? len - at : 1 + rng() % 4;
        memmove(buf + at, buf + at + n, len - at - n);
        return len - n;
    }
    case 4: {
        size_t from = len ? rng() % len : 0, n = 1 + rng() % 24;
        if (from + n > len || len + n > cap)
            return len;
        memmove(buf + at + n, buf + at, len - at);
        memmove(buf + at, buf + (from >= at ? from + n : from), n);
        return len + n;
    }
    default:
        return rng() % 4 ? len : at;
    }
}

static void test_fuzz(void **state)
{
    (void)state;
    size_t cap = sizeof fuzz_seed * 2;
    char *buf = malloc(cap);
    int bad = 0, accepted = 0, verdicts[PKGAUTH_JSON_ENOMEM + 1] = {0};
    assert_true(file_agrees(fuzz_seed, sizeof fuzz_seed - 1));
    for (int i = 0; i < 20000 && bad < 5; i++) {
        size_t len = sizeof fuzz_seed - 1;
        memcpy(buf, fuzz_seed, len);
        for (int k = 1 + (int)(rng() % 3); k > 0; k--)
            len = mutate(buf, len, cap);
        pkgauth_json_error err;
        accepted += pkgauth_json_validate(buf, len, 0, &err) == PKGAUTH_JSON_OK;
        pkgauth_json_index ix;
        verdicts[pkgauth_json_index_build(&ix, buf, len, &err)]++;
        pkgauth_json_index_free(&ix);
        bad += !file_agrees(buf, len) + !grammar_agrees(buf, len);
    }
    printf("fuzz: 20000 mutants, %d valid JSON; credentials files: %d ok, %d with a bad "
           "entry, %d not JSON\n", accepted, verdicts[PKGAUTH_JSON_OK],
           verdicts[PKGAUTH_JSON_EENTRY], verdicts[PKGAUTH_JSON_ESYNTAX]);
    free(buf);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grammar_cases),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_toml_test_corpus),
        cmocka_unit_test(test_shapes_agree),
        cmocka_unit_test(test_index_lookup),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fuzz),
    };
    return shared_data_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
