/* A one-pass JSON validator and top-level indexer for credentials files.
 * See json_index.h for why it exists and what it promises.
 *
 * The parser is a loop over an explicit state and a bit stack of open
 * containers (bounded by JSON_PARSER_MAX_DEPTH), so no input can drive it
 * into deep recursion. It never copies a value: strings, numbers and
 * literals are only checked where they lie. While it reads, a small shape
 * tracker follows the first three levels (file object, credential wrapper,
 * credential body) to judge each member as pkgauth_credential_check_value
 * would judge the jansson value. */
#include "json_index.h"
#include "credential_internal.h"
#include "hex.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h> /* JSON_PARSER_MAX_DEPTH, to match its limit */

#define MAX_DEPTH JSON_PARSER_MAX_DEPTH

/* The smallest decimal that strtod rounds to infinity: DBL_MAX plus half a
 * unit in the last place, 2^1024 - 2^970, exactly (309 digits). jansson
 * refuses a real that overflows, so the validator must find the same ones
 * without calling strtod on text that may be megabytes long. */
static const char DBL_OVERFLOW_DIGITS[] =
    "17976931348623158079372897140530341507993413271003782693617377898044496829"
    "27647509466490179775872070963302864166928879109465555478519404026306574886"
    "71505820681908902000708383676273854845817711531764475730270069855571366959"
    "62284291481986083493647529271907416844436551070434271155969950809304288017"
    "7904174497792";

/* ---- credential shapes --------------------------------------------------- */

/* Why a value is not a credential. The texts are credential.c's, word for
 * word (a test holds them equal), so both paths explain a file the same. */
enum {
    SHAPE_OK,
    SHAPE_NOT_ONE,
    SHAPE_TOKEN,
    SHAPE_BASIC,
    SHAPE_S3_KEYS,
    SHAPE_S3_SESSION,
    SHAPE_OAUTH,
    SHAPE_UNKNOWN_KIND,
    SHAPE_CONDA_CHARS, /* a conda token with URL syntax or white space */
    SHAPE_CONTROL,     /* + F_* (or F_COUNT, the token): a control character */
};

static const char *const shape_reason[] = {
    [SHAPE_NOT_ONE] = "a credential must be an object with exactly one of BearerToken, "
                      "BasicHTTP, CondaToken, S3Credentials, OAuth",
    [SHAPE_TOKEN] = "a token must be a string",
    [SHAPE_BASIC] = "BasicHTTP needs string \"username\" and \"password\"",
    [SHAPE_S3_KEYS] = "S3Credentials needs string \"access_key_id\" and \"secret_access_key\"",
    [SHAPE_S3_SESSION] = "S3Credentials \"session_token\" must be a string or null",
    [SHAPE_OAUTH] = "OAuth needs an object with a string \"access_token\"",
};

enum { KIND_NONE, KIND_BEARER, KIND_CONDA, KIND_BASIC, KIND_S3, KIND_OAUTH };
static const char *const kind_names[] = {
    [KIND_BEARER] = "BearerToken", [KIND_CONDA] = "CondaToken", [KIND_BASIC] = "BasicHTTP",
    [KIND_S3] = "S3Credentials",   [KIND_OAUTH] = "OAuth",
};

/* The body fields any kind looks at. */
enum { F_USERNAME, F_PASSWORD, F_KEY_ID, F_SECRET, F_SESSION, F_ACCESS, F_COUNT };
static const char *const field_names[] = {
    "username", "password", "access_key_id", "secret_access_key", "session_token",
    "access_token",
};

/* What a value is, as far as a shape cares. */
enum { T_ABSENT, T_STRING, T_NULL, T_OTHER };

/* The raw content of a string between its quotes. */
typedef struct {
    const unsigned char *s;
    size_t len;
    int escaped;
} span;

/* The member value being read. Duplicate keys in jansson objects keep the
 * last value, so every "last" here is overwritten, never merged. */
typedef struct {
    span kind;        /* the wrapper's first key */
    size_t keys;      /* wrapper keys seen */
    int distinct;     /* a wrapper key differs from the first */
    int wrapper_obj;  /* the member value is an object */
    int body_obj;     /* the last body is an object */
    int body;         /* T_* of the last body */
    int field;        /* F_* named by the last body key, or F_COUNT */
    unsigned char fields[F_COUNT]; /* T_* of each field in the last body */
    unsigned char flags[F_COUNT];  /* PKGAUTH_CP_* of each string field */
    unsigned char body_flags;      /* PKGAUTH_CP_* of a string body */
    int cur;          /* whose string is being read: F_*, CUR_BODY or CUR_NONE */
} shape_state;

enum { CUR_BODY = F_COUNT, CUR_NONE };

/* ---- strings: decoding already validated text ---------------------------- */

/* The code point at *ps in validated string content; advances *ps. */
static uint32_t next_cp(const unsigned char **ps)
{
    const unsigned char *s = *ps;
    uint32_t c = s[0];
    if (c == '\\') {
        static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
        const char *m = strchr(from, s[1]);
        if (s[1] != 'u') {
            *ps = s + 2;
            return m && s[1] ? (unsigned char)to[m - from] : s[1];
        }
        c = (uint32_t)pkgauth_hex_decode(s + 2, 4);
        *ps = s + 6;
        if (c >= 0xD800 && c <= 0xDBFF) {
            uint32_t lo = (uint32_t)pkgauth_hex_decode(s + 8, 4);
            c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
            *ps = s + 12;
        }
        return c;
    }
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > 1)
        c &= 0x3F >> (n - 1);
    for (int i = 1; i < n; i++)
        c = c << 6 | (s[i] & 0x3F);
    *ps = s + n;
    return c;
}

static size_t put_utf8(uint32_t c, unsigned char *out)
{
    if (c < 0x80) {
        out[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (unsigned char)(0xC0 | c >> 6);
        out[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (unsigned char)(0xE0 | c >> 12);
        out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | c >> 18);
    out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/* Decodes validated content into out, writing at most cap bytes (cut
 * anywhere, as "%.*s" cuts). Returns the whole decoded length. */
static size_t decode(span sp, char *out, size_t cap)
{
    const unsigned char *s = sp.s, *end = sp.s + sp.len;
    size_t n = 0;
    while (s < end) {
        unsigned char u[4];
        size_t k = put_utf8(next_cp(&s), u);
        for (size_t i = 0; i < k; i++, n++)
            if (n < cap)
                out[n] = (char)u[i];
    }
    return n;
}

/* Whether two validated strings decode to the same text. */
static int span_equal(span a, span b)
{
    if (!a.escaped && !b.escaped)
        return a.len == b.len && !memcmp(a.s, b.s, a.len);
    const unsigned char *x = a.s, *xe = a.s + a.len, *y = b.s, *ye = b.s + b.len;
    while (x < xe && y < ye)
        if (next_cp(&x) != next_cp(&y))
            return 0;
    return x == xe && y == ye;
}

/* Index of the name that sp decodes to, or n. */
static int match_name(span sp, const char *const *names, int first, int n)
{
    char buf[24];
    size_t len = sp.len;
    const char *text = (const char *)sp.s;
    if (sp.escaped) {
        len = decode(sp, buf, sizeof buf);
        text = buf;
    }
    for (int i = first; i < n; i++)
        if (len == strlen(names[i]) && !memcmp(text, names[i], len))
            return i;
    return n;
}

/* ---- the parser --------------------------------------------------------- */

enum { S_VALUE, S_FIRST_KEY, S_KEY, S_FIRST_ELEM, S_AFTER, S_DONE };

typedef struct {
    const unsigned char *text, *p, *end;
    pkgauth_json_error *err;
    int any_value;    /* a scalar may be the whole text */
    int index;        /* record members and judge their shapes */
    int track;        /* index, and the top level is an object */
    size_t open;      /* containers open */
    unsigned char is_obj[MAX_DEPTH / 8 + 1]; /* bit per open container */
    shape_state sh;
    pkgauth_json_member *members;
    size_t count, cap;
    size_t escaped_bytes; /* raw length of the keys that need decoding */
} parser;

static int fail_at(parser *ps, const unsigned char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err->reason, sizeof ps->err->reason, fmt, ap);
    va_end(ap);
    ps->err->offset = (size_t)(at - ps->text);
    return PKGAUTH_JSON_ESYNTAX;
}

static void skip_ws(parser *ps)
{
    const unsigned char *p = ps->p;
    while (p < ps->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    ps->p = p;
}

static int top_is_obj(const parser *ps)
{
    size_t i = ps->open - 1;
    return ps->is_obj[i / 8] >> (i % 8) & 1;
}

/* One UTF-8 sequence at *pp (first byte >= 0x80), strictly: no overlongs,
 * no surrogates, nothing above U+10FFFF. */
static int scan_utf8(parser *ps, const unsigned char **pp)
{
    const unsigned char *p = *pp;
    unsigned c = p[0];
    int n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    int ok = c >= 0xC2 && c <= 0xF4 && ps->end - p >= n && p[1] >= lo && p[1] <= hi;
    for (int i = 2; ok && i < n; i++)
        ok = (p[i] & 0xC0) == 0x80;
    if (!ok)
        return fail_at(ps, p, "unable to decode byte 0x%x", c);
    *pp = p + n;
    return PKGAUTH_JSON_OK;
}

/* Four hex digits after "\u" at p, or -1. */
static long read_u(const parser *ps, const unsigned char *p)
{
    if (ps->end - p < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    return (long)pkgauth_hex_decode(p + 2, 4);
}

/* The escape at *pp (a backslash), with jansson's rules for \u: a high
 * surrogate needs a low one right after it, a lone low one is an error,
 * and \u0000 is refused (jansson does without JSON_ALLOW_NUL). */
static int scan_escape(parser *ps, const unsigned char **pp)
{
    const unsigned char *p = *pp;
    if (ps->end - p < 2)
        return fail_at(ps, ps->end, "premature end of input");
    if (p[1] && strchr("\"\\/bfnrt", p[1])) {
        *pp = p + 2;
        return PKGAUTH_JSON_OK;
    }
    long u = p[1] == 'u' ? read_u(ps, p) : -1;
    if (u < 0)
        return fail_at(ps, p, "invalid escape");
    if (u == 0)
        return fail_at(ps, p, "\\u0000 is not allowed");
    if (u >= 0xDC00 && u <= 0xDFFF)
        return fail_at(ps, p, "invalid Unicode '\\u%04lX'", u);
    if (u >= 0xD800 && u <= 0xDBFF) {
        long low = read_u(ps, p + 6);
        if (low < 0xDC00 || low > 0xDFFF)
            return fail_at(ps, p, "invalid Unicode '\\u%04lX' (no low surrogate after it)", u);
        p += 6;
    }
    *pp = p + 6;
    return PKGAUTH_JSON_OK;
}

static int plain_char(unsigned c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Skips plain ASCII string bytes, eight at a time while none of them is a
 * quote, a backslash, a control character or non-ASCII: string contents
 * are most of a credentials file, and this halves the time to check it. */
static const unsigned char *skip_plain(const unsigned char *p, const unsigned char *end)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        uint64_t q = x ^ ones * '"', b = x ^ ones * '\\';
        uint64_t special = ((x - ones * 0x20) | (q - ones) | (b - ones) | x) & highs;
        if (special) /* some byte may be special (or is >= 0x80): go byte by byte */
            break;
        p += 8;
    }
    while (p < end && plain_char(*p))
        p++;
    return p;
}

/* The string at ps->p (its opening quote); its content goes to out. */
static int scan_string(parser *ps, span *out)
{
    const unsigned char *p = ps->p + 1, *end = ps->end;
    int escaped = 0, rc = PKGAUTH_JSON_OK;
    for (;;) {
        p = skip_plain(p, end);
        if (p == end)
            return fail_at(ps, p, "premature end of input");
        if (*p == '"')
            break;
        if (*p == '\\') {
            escaped = 1;
            rc = scan_escape(ps, &p);
        } else if (*p < 0x20) {
            rc = *p == '\n' ? fail_at(ps, p, "unexpected newline")
                            : fail_at(ps, p, "control character 0x%x", *p);
        } else {
            rc = scan_utf8(ps, &p);
        }
        if (rc)
            return rc;
    }
    *out = (span){ps->p + 1, (size_t)(p - ps->p - 1), escaped};
    ps->p = p + 1;
    return PKGAUTH_JSON_OK;
}

static const unsigned char *skip_digits(const unsigned char *p, const unsigned char *end)
{
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p;
}

/* A number's digits without its point: int[0, ni) then frac[0, nf). */
typedef struct {
    const unsigned char *int_at, *frac_at;
    size_t ni, nf;
    long long exp; /* saturated at +-1e12: far past any overflow */
} number;

static unsigned char digit_at(const number *n, size_t i)
{
    return i < n->ni ? n->int_at[i] : n->frac_at[i - n->ni];
}

/* Whether strtod would overflow (HUGE_VAL, ERANGE) on the number. */
static int real_overflows(const number *n)
{
    size_t total = n->ni + n->nf, k = 0;
    while (k < total && digit_at(n, k) == '0')
        k++;
    if (k == total)
        return 0; /* zero, whatever the exponent */
    long long e10 = (long long)n->ni - (long long)k - 1 + n->exp;
    if (e10 != 308)
        return e10 > 308;
    for (size_t i = 0; i < sizeof DBL_OVERFLOW_DIGITS - 1; i++) {
        unsigned char d = k + i < total ? digit_at(n, k + i) : '0';
        if (d != (unsigned char)DBL_OVERFLOW_DIGITS[i])
            return d > (unsigned char)DBL_OVERFLOW_DIGITS[i];
    }
    return 1; /* exactly half way: rounds to even, which is infinity */
}

/* Whether an integer's digits fit json_int_t (long long), as strtoll. */
static int int_overflows(const number *n, int negative)
{
    const char *max = negative ? "9223372036854775808" : "9223372036854775807";
    if (n->ni != 19)
        return n->ni > 19;
    return memcmp(n->int_at, max, 19) > 0;
}

static long long read_exponent(const unsigned char *p, const unsigned char *end)
{
    int negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    long long e = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++)
        if (e < 1000000000000LL)
            e = e * 10 + (*p - '0');
    return negative ? -e : e;
}

static int scan_number(parser *ps)
{
    const unsigned char *start = ps->p, *p = start, *end = ps->end;
    int negative = p < end && *p == '-';
    number n = {p + negative, NULL, 0, 0, 0};
    p = n.int_at;
    if (p == end || *p < '0' || *p > '9')
        return fail_at(ps, start, "invalid token");
    p = *p == '0' ? p + 1 : skip_digits(p, end);
    if (p < end && *p >= '0' && *p <= '9')
        return fail_at(ps, start, "invalid token (leading zero)");
    n.ni = (size_t)(p - n.int_at);
    int is_real = 0;
    if (p < end && *p == '.') {
        n.frac_at = p + 1;
        p = skip_digits(n.frac_at, end);
        n.nf = (size_t)(p - n.frac_at);
        if (!n.nf)
            return fail_at(ps, start, "invalid token (digits expected after '.')");
        is_real = 1;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        const unsigned char *e = p + 1, *digits = e + (e < end && (*e == '+' || *e == '-'));
        p = skip_digits(digits, end);
        if (p == digits)
            return fail_at(ps, start, "invalid token (digits expected in exponent)");
        n.exp = read_exponent(e, p);
        is_real = 1;
    }
    if (is_real && real_overflows(&n))
        return fail_at(ps, start, "real number overflow");
    if (!is_real && int_overflows(&n, negative))
        return fail_at(ps, start, negative ? "too big negative integer" : "too big integer");
    ps->p = p;
    return PKGAUTH_JSON_OK;
}

static int scan_literal(parser *ps)
{
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, words[i], n)) {
            ps->p += n;
            return PKGAUTH_JSON_OK;
        }
    }
    return fail_at(ps, ps->p, "invalid token");
}

/* ---- shape tracking hooks ----------------------------------------------- */

static int value_type(unsigned char c)
{
    return c == '"' ? T_STRING : c == 'n' ? T_NULL : T_OTHER;
}

static int add_member(parser *ps, span key)
{
    if (ps->count == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        pkgauth_json_member *m = realloc(ps->members, cap * sizeof *m);
        if (!m)
            return PKGAUTH_JSON_ENOMEM;
        ps->members = m;
        ps->cap = cap;
    }
    pkgauth_json_member *m = &ps->members[ps->count++];
    *m = (pkgauth_json_member){0};
    /* Escaped keys are decoded once the whole text is known to be valid. */
    m->key = key.escaped ? NULL : (const char *)key.s;
    m->key_len = (uint32_t)key.len;
    m->key_at = (uint32_t)(key.s - 1 - ps->text);
    ps->escaped_bytes += key.escaped ? key.len : 0;
    return PKGAUTH_JSON_OK;
}

/* A key was read; ps->open says whose. */
static int on_key(parser *ps, span key)
{
    shape_state *sh = &ps->sh;
    if (ps->open == 1)
        return add_member(ps, key);
    if (ps->open == 2) { /* a wrapper key: the credential's kind */
        if (sh->keys++ == 0)
            sh->kind = key;
        else if (!sh->distinct)
            sh->distinct = !span_equal(sh->kind, key);
    } else if (ps->open == 3 && sh->wrapper_obj) { /* a body field */
        sh->field = match_name(key, field_names, 0, F_COUNT);
    }
    return PKGAUTH_JSON_OK;
}

/* A value starts at ps->p, inside ps->open containers. */
static void on_value(parser *ps)
{
    shape_state *sh = &ps->sh;
    unsigned char c = *ps->p;
    sh->cur = CUR_NONE;
    if (ps->open == 1) {
        *sh = (shape_state){.wrapper_obj = c == '{', .field = F_COUNT, .cur = CUR_NONE};
        ps->members[ps->count - 1].val_at = (uint32_t)(ps->p - ps->text);
    } else if (ps->open == 2 && sh->wrapper_obj) {
        memset(sh->fields, T_ABSENT, sizeof sh->fields);
        memset(sh->flags, 0, sizeof sh->flags);
        sh->body_flags = 0;
        sh->cur = CUR_BODY;
        sh->body = value_type(c);
        sh->body_obj = c == '{';
        sh->field = F_COUNT;
    } else if (ps->open == 3 && sh->wrapper_obj && sh->body_obj && sh->field < F_COUNT) {
        sh->fields[sh->field] = (unsigned char)value_type(c);
        sh->flags[sh->field] = 0;
        sh->cur = sh->field;
        sh->field = F_COUNT;
    }
}

static int judge_shape(const shape_state *sh, int kind);

static unsigned char ascii_flags[0x80];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void fill_ascii_flags(void)
{
    for (uint32_t c = 0; c < 0x80; c++)
        ascii_flags[c] = (unsigned char)pkgauth_cp_flags(c);
}

/* A string value was read: keep what its characters are, when it is the
 * body or a field being tracked. */
static void on_string(parser *ps, span sp)
{
    shape_state *sh = &ps->sh;
    if (sh->cur == CUR_NONE)
        return;
    int flags = 0;
    /* Plain ASCII, most of any file, is judged by a table of
     * pkgauth_cp_flags' answers: decoding and judging each character was
     * a third of the instructions of loading a 10,000-entry file. */
    pthread_once(&ascii_once, fill_ascii_flags);
    for (const unsigned char *p = sp.s, *end = sp.s + sp.len; p < end;)
        flags |= *p < 0x80 && *p != '\\' ? ascii_flags[*p++] : pkgauth_cp_flags(next_cp(&p));
    if (sh->cur == CUR_BODY)
        sh->body_flags = (unsigned char)flags;
    else
        sh->flags[sh->cur] = (unsigned char)flags;
    sh->cur = CUR_NONE;
}

/* The contents of a well-shaped value, in check_value's order. */
static int judge_contents(const shape_state *sh, int kind)
{
    static const int basic[] = {F_USERNAME, F_PASSWORD, -1};
    static const int s3[] = {F_KEY_ID, F_SECRET, F_SESSION, -1};
    static const int oauth[] = {F_ACCESS, -1};
    if (kind == KIND_BEARER || kind == KIND_CONDA) {
        if (sh->body_flags & PKGAUTH_CP_CONTROL)
            return SHAPE_CONTROL + F_COUNT;
        return kind == KIND_CONDA && sh->body_flags ? SHAPE_CONDA_CHARS : SHAPE_OK;
    }
    const int *f = kind == KIND_BASIC ? basic : kind == KIND_S3 ? s3 : oauth;
    for (; *f >= 0; f++)
        if (sh->flags[*f] & PKGAUTH_CP_CONTROL)
            return SHAPE_CONTROL + *f;
    return SHAPE_OK;
}

/* The shape of the member value just read, as check_value judges it. */
static int judge(const shape_state *sh)
{
    int kind = match_name(sh->kind, kind_names, KIND_BEARER, KIND_OAUTH + 1);
    int shape = judge_shape(sh, kind);
    return shape == SHAPE_OK ? judge_contents(sh, kind) : shape;
}

/* The shape alone: types and the fields present. */
static int judge_shape(const shape_state *sh, int kind)
{
    const unsigned char *f = sh->fields;
    if (!sh->wrapper_obj || sh->keys == 0 || sh->distinct)
        return SHAPE_NOT_ONE;
    switch (kind) {
    case KIND_BEARER:
    case KIND_CONDA:
        return sh->body == T_STRING ? SHAPE_OK : SHAPE_TOKEN;
    case KIND_BASIC:
        return f[F_USERNAME] == T_STRING && f[F_PASSWORD] == T_STRING ? SHAPE_OK : SHAPE_BASIC;
    case KIND_S3:
        if (f[F_KEY_ID] != T_STRING || f[F_SECRET] != T_STRING)
            return SHAPE_S3_KEYS;
        return f[F_SESSION] == T_OTHER ? SHAPE_S3_SESSION : SHAPE_OK;
    case KIND_OAUTH:
        return f[F_ACCESS] == T_STRING ? SHAPE_OK : SHAPE_OAUTH;
    }
    return SHAPE_UNKNOWN_KIND;
}

/* A value just ended at ps->p: when it was a member's, close the member. */
static void value_done(parser *ps)
{
    if (ps->track && ps->open == 1) {
        pkgauth_json_member *m = &ps->members[ps->count - 1];
        m->val_len = (uint32_t)(ps->p - ps->text) - m->val_at;
        m->shape = (uint8_t)judge(&ps->sh);
    }
}

/* ---- the grammar -------------------------------------------------------- */

static void push(parser *ps, int obj)
{
    size_t i = ps->open++;
    unsigned char bit = (unsigned char)(1u << (i % 8));
    ps->is_obj[i / 8] = (unsigned char)(obj ? ps->is_obj[i / 8] | bit : ps->is_obj[i / 8] & ~bit);
    ps->p++;
}

/* A value at ps->p (whitespace skipped). Scalars are read whole; an opening
 * bracket is pushed and the state says what comes next. */
static int begin_value(parser *ps, int *state)
{
    if (ps->p == ps->end)
        return fail_at(ps, ps->p, "premature end of input");
    if (ps->open + 1 > MAX_DEPTH)
        return fail_at(ps, ps->p, "maximum parsing depth reached");
    if (ps->track)
        on_value(ps);
    unsigned char c = *ps->p;
    int rc = PKGAUTH_JSON_OK;
    span s;
    *state = S_AFTER;
    if (c == '{' || c == '[') {
        push(ps, c == '{');
        *state = c == '{' ? S_FIRST_KEY : S_FIRST_ELEM;
        return PKGAUTH_JSON_OK;
    } else if (c == '"') {
        rc = scan_string(ps, &s);
        if (!rc && ps->track)
            on_string(ps, s);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        rc = scan_number(ps);
    } else if (c == 't' || c == 'f' || c == 'n') {
        rc = scan_literal(ps);
    } else {
        rc = fail_at(ps, ps->p, c >= 0x80 ? "invalid token (byte 0x%x)" : "invalid token", c);
    }
    if (!rc)
        value_done(ps);
    return rc;
}

/* A member's key and its colon. */
static int read_key(parser *ps, int first)
{
    span key;
    if (ps->p == ps->end || *ps->p != '"')
        return fail_at(ps, ps->p, ps->p == ps->end ? "premature end of input"
                                  : first ? "string or '}' expected" : "string expected");
    int rc = scan_string(ps, &key);
    if (!rc && ps->track)
        rc = on_key(ps, key);
    if (rc)
        return rc;
    skip_ws(ps);
    if (ps->p == ps->end || *ps->p != ':')
        return fail_at(ps, ps->p, ps->p == ps->end ? "premature end of input" : "':' expected");
    ps->p++;
    return PKGAUTH_JSON_OK;
}

/* After a value: a comma, the end of its container, or the end of text. */
static int after_value(parser *ps, int *state)
{
    if (ps->open == 0) {
        *state = S_DONE;
        return ps->p == ps->end ? PKGAUTH_JSON_OK : fail_at(ps, ps->p, "end of file expected");
    }
    int obj = top_is_obj(ps);
    unsigned char c = ps->p < ps->end ? *ps->p : 0;
    if (c == ',') {
        ps->p++;
        *state = obj ? S_KEY : S_VALUE;
    } else if (c == (obj ? '}' : ']')) {
        ps->p++;
        ps->open--;
        value_done(ps);
    } else {
        return fail_at(ps, ps->p, ps->p == ps->end ? "premature end of input"
                                  : obj ? "',' or '}' expected" : "',' or ']' expected");
    }
    return PKGAUTH_JSON_OK;
}

/* Closes an empty container when its closing bracket comes first. */
static int close_empty(parser *ps, unsigned char close)
{
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        ps->open--;
        value_done(ps);
        return 1;
    }
    return 0;
}

static int run(parser *ps)
{
    int state = S_VALUE, rc = PKGAUTH_JSON_OK;
    skip_ws(ps);
    if (ps->p < ps->end && ps->index)
        ps->track = *ps->p == '{';
    if (!ps->any_value && (ps->p == ps->end || (*ps->p != '{' && *ps->p != '[')))
        return fail_at(ps, ps->p, "'[' or '{' expected");
    while (!rc && state != S_DONE) {
        skip_ws(ps);
        switch (state) {
        case S_FIRST_KEY:
            if (close_empty(ps, '}')) {
                state = S_AFTER;
                break;
            }
            /* fall through */
        case S_KEY:
            rc = read_key(ps, state == S_FIRST_KEY);
            state = S_VALUE;
            break;
        case S_FIRST_ELEM:
            if (close_empty(ps, ']')) {
                state = S_AFTER;
                break;
            }
            /* fall through */
        case S_VALUE:
            rc = begin_value(ps, &state);
            break;
        default:
            rc = after_value(ps, &state);
            break;
        }
    }
    return rc;
}

static void parser_init(parser *ps, const char *text, size_t len, pkgauth_json_error *err)
{
    memset(ps, 0, sizeof *ps);
    ps->text = ps->p = (const unsigned char *)text;
    ps->end = ps->text + len;
    ps->err = err;
    err->offset = 0;
    err->reason[0] = err->key[0] = '\0';
}

int pkgauth_json_validate(const char *text, size_t len, int any_value, pkgauth_json_error *err)
{
    parser ps;
    parser_init(&ps, text, len, err);
    ps.any_value = any_value;
    return run(&ps);
}

/* ---- the index ---------------------------------------------------------- */

/* Eight bytes per multiply: a lookup hashes every candidate key of a URL,
 * and byte-at-a-time FNV was a visible part of that. */
static uint32_t hash_bytes(const char *s, size_t n)
{
    const uint64_t k = 0xff51afd7ed558ccdu;
    uint64_t h = 0x9E3779B97F4A7C15u ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * k;
    return (uint32_t)(h ^ h >> 32); /* the table uses the low bits: mix in the high */
}

/* Points every escaped key at its decoded text in the arena. */
static int decode_keys(pkgauth_json_index *ix, size_t arena_size)
{
    if (!arena_size)
        return PKGAUTH_JSON_OK;
    char *next = ix->arena = malloc(arena_size);
    if (!next)
        return PKGAUTH_JSON_ENOMEM;
    for (size_t i = 0; i < ix->count; i++) {
        pkgauth_json_member *m = &ix->members[i];
        if (m->key)
            continue;
        span raw = {(const unsigned char *)ix->text + m->key_at + 1, m->key_len, 1};
        m->key_len = (uint32_t)decode(raw, next, raw.len); /* never longer */
        m->key = next;
        next += m->key_len;
    }
    return PKGAUTH_JSON_OK;
}

static size_t probe(const pkgauth_json_index *ix, const char *key, size_t len, uint32_t h)
{
    for (size_t i = h & ix->mask;; i = (i + 1) & ix->mask) {
        const pkgauth_json_slot *s = &ix->slots[i];
        if (!s->member)
            return i;
        const pkgauth_json_member *m = &ix->members[s->member - 1];
        if (s->hash == h && m->key_len == len && !memcmp(m->key, key, len))
            return i;
    }
}

/* Fills the table; a later member with the same key replaces the earlier
 * one, as jansson's json_object_set does. */
static int build_table(pkgauth_json_index *ix)
{
    size_t cap = 8;
    while (cap < ix->count + ix->count / 2) /* load factor <= 2/3 */
        cap *= 2;
    if (!(ix->slots = calloc(cap, sizeof *ix->slots)))
        return PKGAUTH_JSON_ENOMEM;
    ix->mask = cap - 1;
    for (size_t i = 0; i < ix->count; i++) {
        pkgauth_json_member *m = &ix->members[i];
        m->hash = hash_bytes(m->key, m->key_len);
        m->live = 1;
        pkgauth_json_slot *s = &ix->slots[probe(ix, m->key, m->key_len, m->hash)];
        if (s->member)
            ix->members[s->member - 1].live = 0;
        *s = (pkgauth_json_slot){m->hash, (uint32_t)(i + 1)};
    }
    return PKGAUTH_JSON_OK;
}

/* The first live member that is not a credential, as an error. */
static int check_shapes(const pkgauth_json_index *ix, pkgauth_json_error *err)
{
    for (size_t i = 0; i < ix->count; i++) {
        const pkgauth_json_member *m = &ix->members[i];
        if (!m->live || !m->shape)
            continue;
        size_t n = m->key_len < sizeof err->key - 1 ? m->key_len : sizeof err->key - 1;
        memcpy(err->key, m->key, n);
        err->key[n] = '\0';
        err->offset = m->key_at;
        if (m->shape >= SHAPE_CONDA_CHARS) {
            int field = m->shape - SHAPE_CONTROL;
            const char *why =
                m->shape == SHAPE_CONDA_CHARS
                    ? pkgauth_field_problem(NULL, PKGAUTH_CP_NOT_CONDA, 1)
                    : pkgauth_field_problem(field < F_COUNT ? field_names[field] : NULL,
                                            PKGAUTH_CP_CONTROL, 0);
            snprintf(err->reason, sizeof err->reason, "%s", why);
            return PKGAUTH_JSON_EENTRY;
        }
        if (m->shape != SHAPE_UNKNOWN_KIND) {
            snprintf(err->reason, sizeof err->reason, "%s", shape_reason[m->shape]);
            return PKGAUTH_JSON_EENTRY;
        }
        /* The kind is the value's first key: find it again, cut it at 40. */
        parser ps;
        pkgauth_json_error ignored;
        span kind = {0};
        char name[41];
        parser_init(&ps, ix->text, ix->len, &ignored);
        ps.p += m->val_at + 1;
        skip_ws(&ps);
        scan_string(&ps, &kind);
        size_t k = decode(kind, name, 40);
        name[k < 40 ? k : 40] = '\0';
        snprintf(err->reason, sizeof err->reason, "unknown credential kind \"%s\"", name);
        return PKGAUTH_JSON_EENTRY;
    }
    return PKGAUTH_JSON_OK;
}

static size_t first_token(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && text[i] && strchr(" \t\r\n", text[i]))
        i++;
    return i < len ? i : 0;
}

int pkgauth_json_index_build(pkgauth_json_index *ix, const char *text, size_t len,
                             pkgauth_json_error *err)
{
    memset(ix, 0, sizeof *ix);
    parser ps;
    parser_init(&ps, text, len, err);
    if (len >= UINT32_MAX) {
        snprintf(err->reason, sizeof err->reason, "too large to index");
        return PKGAUTH_JSON_ESYNTAX;
    }
    ps.index = 1;
    int rc = run(&ps);
    ix->text = text;
    ix->len = len;
    ix->members = ps.members;
    ix->count = ps.count;
    if (!rc && !ps.track) {
        err->offset = first_token(text, len);
        snprintf(err->reason, sizeof err->reason, "expected a JSON object of credentials");
        rc = PKGAUTH_JSON_ENOTOBJECT;
    }
    if (!rc)
        rc = decode_keys(ix, ps.escaped_bytes);
    if (!rc)
        rc = build_table(ix);
    if (!rc)
        rc = check_shapes(ix, err);
    if (rc == PKGAUTH_JSON_ENOMEM)
        snprintf(err->reason, sizeof err->reason, "out of memory");
    if (rc)
        pkgauth_json_index_free(ix);
    return rc;
}

const pkgauth_json_member *pkgauth_json_index_find(const pkgauth_json_index *ix,
                                                   const char *key, size_t key_len)
{
    if (!ix->slots)
        return NULL;
    uint32_t member = ix->slots[probe(ix, key, key_len, hash_bytes(key, key_len))].member;
    return member ? &ix->members[member - 1] : NULL;
}

void pkgauth_json_index_free(pkgauth_json_index *ix)
{
    free(ix->members);
    free(ix->slots);
    free(ix->arena); /* keys: host names and prefixes, not secrets */
    memset(ix, 0, sizeof *ix);
}
