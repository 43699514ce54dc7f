/* A TOML 1.0 reader, written by hand (no C TOML library is packaged in
 * Debian). One recursive-descent pass over the input builds the tree; the
 * only recursion is through arrays and inline tables, bounded by
 * PKGAUTH_TOML_MAX_DEPTH. */
#include "toml.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynbuf.h"
#include "hex.h"
#include "memory.h"

/* ------------------------------------------------------------------ tree */

/* Table flags. They implement TOML's rules about which tables may be
 * reopened: a table is "implicit" (no flag) when only created as the parent
 * of a [header], DEFINED once a [header] names it, DOTTED when created by a
 * dotted key, and FROZEN when written inline. */
enum {
    T_DEFINED = 1,
    T_DOTTED = 2,
    T_FROZEN = 4,
    A_OF_TABLES = 8, /* an array made by [[header]]s, which may grow */
};

struct entry {
    char *key;
    size_t keylen;
    pkgauth_toml_value *value;
};

struct pkgauth_toml_value {
    pkgauth_toml_type type;
    unsigned flags;
    unsigned depth; /* containers only: 0 for the root */
    union {
        struct {
            char *ptr; /* also the text of date-times */
            size_t len;
        } str;
        int64_t i;
        double f;
        bool b;
        struct {
            pkgauth_toml_value **items;
            size_t len, cap;
        } arr;
        struct {
            struct entry *items;
            size_t len, cap;
            /* Open-addressing index of items (slot = item index + 1), built
             * once a table grows past a few keys so that large documents do
             * not take quadratic time. */
            uint32_t *index;
            size_t index_cap;
        } tab;
    } u;
};

/* Tables this small are searched linearly. */
#define INDEX_MIN 8

void pkgauth_toml_free(pkgauth_toml_value *v)
{
    if (!v)
        return;
    switch (v->type) {
    case PKGAUTH_TOML_TABLE:
        for (size_t i = 0; i < v->u.tab.len; i++) {
            pkgauth_wipe_free(v->u.tab.items[i].key, v->u.tab.items[i].keylen);
            pkgauth_toml_free(v->u.tab.items[i].value);
        }
        free(v->u.tab.items);
        free(v->u.tab.index);
        break;
    case PKGAUTH_TOML_ARRAY:
        for (size_t i = 0; i < v->u.arr.len; i++)
            pkgauth_toml_free(v->u.arr.items[i]);
        free(v->u.arr.items);
        break;
    case PKGAUTH_TOML_INTEGER:
    case PKGAUTH_TOML_FLOAT:
    case PKGAUTH_TOML_BOOL:
        break;
    default:
        pkgauth_wipe_free(v->u.str.ptr, v->u.str.len);
        break;
    }
    free(v);
}

static pkgauth_toml_value *node_new(pkgauth_toml_type type, unsigned depth)
{
    pkgauth_toml_value *v = calloc(1, sizeof *v);
    if (v) {
        v->type = type;
        v->depth = depth;
    }
    return v;
}

static uint32_t hash_key(const char *key, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

static void index_insert(pkgauth_toml_value *t, size_t item)
{
    const struct entry *e = &t->u.tab.items[item];
    size_t mask = t->u.tab.index_cap - 1;
    size_t slot = hash_key(e->key, e->keylen) & mask;
    while (t->u.tab.index[slot])
        slot = (slot + 1) & mask;
    t->u.tab.index[slot] = (uint32_t)(item + 1);
}

/* Rebuilds the index at least twice as large as the table, keeping the load
 * factor at or below one half. */
static bool index_rebuild(pkgauth_toml_value *t)
{
    size_t cap = 32;
    while (cap < t->u.tab.len * 4)
        cap *= 2;
    uint32_t *index = calloc(cap, sizeof *index);
    if (!index)
        return false;
    free(t->u.tab.index);
    t->u.tab.index = index;
    t->u.tab.index_cap = cap;
    for (size_t i = 0; i < t->u.tab.len; i++)
        index_insert(t, i);
    return true;
}

static struct entry *table_find(const pkgauth_toml_value *t, const char *key,
                                size_t len)
{
    if (!t->u.tab.index) {
        for (size_t i = 0; i < t->u.tab.len; i++) {
            struct entry *e = &t->u.tab.items[i];
            if (e->keylen == len && memcmp(e->key, key, len) == 0)
                return e;
        }
        return NULL;
    }
    size_t mask = t->u.tab.index_cap - 1;
    for (size_t slot = hash_key(key, len) & mask; t->u.tab.index[slot];
         slot = (slot + 1) & mask) {
        struct entry *e = &t->u.tab.items[t->u.tab.index[slot] - 1];
        if (e->keylen == len && memcmp(e->key, key, len) == 0)
            return e;
    }
    return NULL;
}

/* Appends key/value to t, taking ownership of both even on failure so that
 * callers need no cleanup path. */
static bool table_add(pkgauth_toml_value *t, char *key, size_t keylen,
                      pkgauth_toml_value *value)
{
    if (t->u.tab.len == t->u.tab.cap) {
        size_t cap = t->u.tab.cap ? t->u.tab.cap * 2 : 4;
        struct entry *items = realloc(t->u.tab.items, cap * sizeof *items);
        if (!items) {
            pkgauth_wipe_free(key, keylen);
            pkgauth_toml_free(value);
            return false;
        }
        t->u.tab.items = items;
        t->u.tab.cap = cap;
    }
    size_t item = t->u.tab.len++;
    t->u.tab.items[item] = (struct entry){key, keylen, value};
    if (t->u.tab.len < INDEX_MIN)
        return true;
    if (!t->u.tab.index || t->u.tab.len * 2 > t->u.tab.index_cap)
        return index_rebuild(t);
    index_insert(t, item);
    return true;
}

/* Appends value to array a, taking ownership of it even on failure. */
static bool array_push(pkgauth_toml_value *a, pkgauth_toml_value *value)
{
    if (a->u.arr.len == a->u.arr.cap) {
        size_t cap = a->u.arr.cap ? a->u.arr.cap * 2 : 4;
        pkgauth_toml_value **items =
            realloc(a->u.arr.items, cap * sizeof *items);
        if (!items) {
            pkgauth_toml_free(value);
            return false;
        }
        a->u.arr.items = items;
        a->u.arr.cap = cap;
    }
    a->u.arr.items[a->u.arr.len++] = value;
    return true;
}

/* ---------------------------------------------------------------- parser */

typedef struct parser {
    const char *src;
    size_t len;
    size_t pos;
    size_t start; /* after a byte order mark: where line 1, column 1 is */
    const char *file;
    pkgauth_error *err;
    pkgauth_toml_value *root;
    pkgauth_toml_value *current; /* the table the last [header] opened */
} parser;

/* The character at pos + k, or -1 past the end (the input may contain NUL,
 * which is an error but must not look like the end). */
static int peek(const parser *p, size_t k)
{
    return p->pos + k < p->len ? (unsigned char)p->src[p->pos + k] : -1;
}

static void position(const parser *p, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = p->start; i < off && i < p->len; i++) {
        if (p->src[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)p->src[i] & 0xC0) != 0x80) {
            c++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

static int fail_at(parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(parser *p, size_t off, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    position(p, off, &line, &col);
    return pkgauth_error_set(p->err, PKGAUTH_EPARSE, "%s:%d:%d: %s", p->file,
                             line, col, msg);
}

#define fail(p, ...) fail_at((p), (p)->pos, __VA_ARGS__)

static int oom(parser *p)
{
    return pkgauth_error_set(p->err, PKGAUTH_ENOMEM, "%s: out of memory",
                             p->file);
}

/* Copies a key into out for an error message, replacing anything that is
 * not printable ASCII and shortening long keys, so that messages stay one
 * readable line. */
static const char *key_for_msg(const char *key, size_t len, char out[72])
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < 64; i++) {
        unsigned char c = (unsigned char)key[i];
        out[n++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
    }
    if (len > 64) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_bare_key_char(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) ||
           c == '_' || c == '-';
}

/* Characters TOML forbids in comments and strings: controls other than tab,
 * and DEL. */
static bool is_forbidden_control(int c)
{
    return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7F;
}

static void skip_ws(parser *p)
{
    while (peek(p, 0) == ' ' || peek(p, 0) == '\t')
        p->pos++;
}

/* Consumes "\n" or "\r\n"; a CR alone is not a line break in TOML. */
static int parse_newline(parser *p)
{
    if (peek(p, 0) == '\n') {
        p->pos++;
        return PKGAUTH_OK;
    }
    if (peek(p, 0) == '\r' && peek(p, 1) == '\n') {
        p->pos += 2;
        return PKGAUTH_OK;
    }
    if (peek(p, 0) == '\r')
        return fail(p, "carriage return not followed by a line feed");
    return fail(p, "expected a line break");
}

static bool at_newline(const parser *p)
{
    return peek(p, 0) == '\n' || peek(p, 0) == '\r';
}

/* Consumes a comment up to (not including) its line break. */
static int parse_comment(parser *p)
{
    p->pos++; /* '#' */
    for (int c; (c = peek(p, 0)) != -1 && c != '\n'; p->pos++) {
        if (c == '\r' && peek(p, 1) == '\n')
            break;
        if (is_forbidden_control(c))
            return fail(p, "control character in comment");
    }
    return PKGAUTH_OK;
}

/* After a key/value or header: blanks, an optional comment, then a line
 * break or the end of the document. */
static int end_of_line(parser *p)
{
    skip_ws(p);
    if (peek(p, 0) == '#') {
        int rc = parse_comment(p);
        if (rc)
            return rc;
    }
    if (peek(p, 0) == -1)
        return PKGAUTH_OK;
    if (!at_newline(p))
        return fail(p, "expected a line break after the value");
    return parse_newline(p);
}

/* Inside arrays, where blanks, line breaks and comments may come anywhere
 * between elements. */
static int skip_ws_comments_newlines(parser *p)
{
    for (;;) {
        skip_ws(p);
        int rc = PKGAUTH_OK;
        if (peek(p, 0) == '#')
            rc = parse_comment(p);
        else if (at_newline(p))
            rc = parse_newline(p);
        else
            return PKGAUTH_OK;
        if (rc)
            return rc;
    }
}

/* --------------------------------------------------------------- strings */

static size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* \uXXXX or \UXXXXXXXX (p at the 'u' or 'U'): a Unicode scalar value, so
 * neither a surrogate nor beyond U+10FFFF. */
static int parse_unicode_escape(parser *p, pkgauth_buf *b)
{
    size_t at = p->pos - 1;
    size_t digits = peek(p, 0) == 'u' ? 4 : 8;
    uint32_t cp = 0;
    p->pos++;
    for (size_t i = 0; i < digits; i++, p->pos++) {
        int h = pkgauth_hex_value(peek(p, 0));
        if (h < 0)
            return fail(p, "expected %zu hex digits in a unicode escape",
                        digits);
        cp = cp * 16 + (uint32_t)h;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return fail_at(p, at, "escape is not a Unicode scalar value");
    char out[4];
    return pkgauth_buf_put(b, out, utf8_encode(cp, out)) ? PKGAUTH_OK : oom(p);
}

/* One escape sequence of a basic string, p at the backslash. */
static int parse_escape(parser *p, pkgauth_buf *b)
{
    static const char from[] = "btnfr\"\\";
    static const char to[] = "\b\t\n\f\r\"\\";
    p->pos++;
    int c = peek(p, 0);
    if (c == 'u' || c == 'U')
        return parse_unicode_escape(p, b);
    const char *hit = c > 0 ? strchr(from, c) : NULL;
    if (!hit)
        return fail_at(p, p->pos - 1, "invalid escape sequence");
    p->pos++;
    return pkgauth_buf_putc(b, to[hit - from]) ? PKGAUTH_OK : oom(p);
}

/* A backslash at the end of a line in a multi-line basic string: it removes
 * itself, the line break and all blanks and line breaks that follow. Only
 * blanks may sit between the backslash and the line break. */
static bool try_line_ending_backslash(parser *p)
{
    size_t i = 1;
    while (peek(p, i) == ' ' || peek(p, i) == '\t')
        i++;
    if (peek(p, i) != '\n' && !(peek(p, i) == '\r' && peek(p, i + 1) == '\n'))
        return false;
    p->pos += i;
    for (;;) {
        int c = peek(p, 0);
        if (c == ' ' || c == '\t' || c == '\n')
            p->pos++;
        else if (c == '\r' && peek(p, 1) == '\n')
            p->pos += 2;
        else
            return true;
    }
}

/* Copies one raw character of a string body, rejecting controls. A CRLF in
 * a multi-line string is kept as written. */
static int string_char(parser *p, pkgauth_buf *b, bool multiline)
{
    int c = peek(p, 0);
    if (multiline && c == '\r' && peek(p, 1) == '\n') {
        p->pos += 2;
        return pkgauth_buf_put(b, "\r\n", 2) ? PKGAUTH_OK : oom(p);
    }
    if (multiline && c == '\n') {
        p->pos++;
        return pkgauth_buf_putc(b, '\n') ? PKGAUTH_OK : oom(p);
    }
    if (!multiline && (c == '\n' || c == '\r'))
        return fail(p, "line break in a single-line string");
    if (is_forbidden_control(c))
        return fail(p, "control character in string");
    p->pos++;
    return pkgauth_buf_putc(b, (char)c) ? PKGAUTH_OK : oom(p);
}

/* At a run of quote characters inside a multi-line string: up to two quotes
 * may precede the closing three, so a run of 3 to 5 ends the string, with
 * the extra quotes belonging to the content. Returns 1 when the string
 * ended, 0 when the quotes were content. */
static int multiline_quotes(parser *p, pkgauth_buf *b, int quote)
{
    size_t run = 0;
    while (peek(p, run) == quote)
        run++;
    if (run < 3) {
        p->pos += run;
        return pkgauth_buf_put(b, quote == '"' ? "\"\"" : "''", run) ? 0 : oom(p);
    }
    if (run > 5)
        return fail_at(p, p->pos + 5, "too many quotes in a row");
    for (size_t i = 0; i < run - 3; i++)
        if (!pkgauth_buf_putc(b, (char)quote))
            return oom(p);
    p->pos += run;
    return 1;
}

/* A string of any of the four kinds, p at its first quote. */
static int parse_string(parser *p, pkgauth_buf *b, bool allow_multiline)
{
    int quote = peek(p, 0);
    bool literal = quote == '\'';
    bool multiline = peek(p, 1) == quote && peek(p, 2) == quote;
    size_t start = p->pos;
    if (multiline && !allow_multiline)
        return fail(p, "multi-line string used as a key");
    p->pos += multiline ? 3 : 1;
    if (multiline && at_newline(p)) {
        int rc = parse_newline(p); /* a line break right after """ is cut */
        if (rc)
            return rc;
    }
    if (!pkgauth_buf_put(b, "", 0))
        return oom(p);
    for (;;) {
        int c = peek(p, 0), rc;
        if (c == -1)
            return fail_at(p, start, "unterminated string");
        if (c == quote && multiline) {
            rc = multiline_quotes(p, b, quote);
            if (rc)
                return rc > 0 ? PKGAUTH_OK : rc;
            continue;
        }
        if (c == quote) {
            p->pos++;
            return PKGAUTH_OK;
        }
        if (c == '\\' && !literal) {
            if (multiline && try_line_ending_backslash(p))
                continue;
            rc = parse_escape(p, b);
        } else {
            rc = string_char(p, b, multiline);
        }
        if (rc)
            return rc;
    }
}

/* ------------------------------------------------------------------ keys */

struct key_part {
    char *s;
    size_t len;
    size_t off; /* where it starts, for messages */
};

/* A dotted key: a.b."c d". */
struct key_path {
    struct key_part *parts;
    size_t n, cap;
};

static void key_path_free(struct key_path *k)
{
    for (size_t i = 0; i < k->n; i++)
        pkgauth_wipe_free(k->parts[i].s, k->parts[i].len);
    free(k->parts);
    *k = (struct key_path){0};
}

static int parse_simple_key(parser *p, pkgauth_buf *b)
{
    int c = peek(p, 0);
    if (c == '"' || c == '\'')
        return parse_string(p, b, false);
    size_t start = p->pos;
    while (is_bare_key_char(peek(p, 0)))
        p->pos++;
    if (p->pos == start)
        return fail(p, "expected a key");
    return pkgauth_buf_put(b, p->src + start, p->pos - start) ? PKGAUTH_OK : oom(p);
}

static int key_path_add(parser *p, struct key_path *k, size_t off)
{
    if (k->n == PKGAUTH_TOML_MAX_DEPTH)
        return fail_at(p, off, "key has more than %d parts",
                       PKGAUTH_TOML_MAX_DEPTH);
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 4;
        struct key_part *parts = realloc(k->parts, cap * sizeof *parts);
        if (!parts)
            return oom(p);
        k->parts = parts;
        k->cap = cap;
    }
    pkgauth_buf b = {0};
    int rc = parse_simple_key(p, &b);
    if (rc) {
        pkgauth_buf_wipe_free(&b);
        return rc;
    }
    k->parts[k->n++] = (struct key_part){b.p, b.len, off};
    return PKGAUTH_OK;
}

/* Parses a (possibly dotted) key; blanks around the dots are allowed. */
static int parse_key(parser *p, struct key_path *k)
{
    for (;;) {
        int rc = key_path_add(p, k, p->pos);
        if (rc)
            return rc;
        skip_ws(p);
        if (peek(p, 0) != '.')
            return PKGAUTH_OK;
        p->pos++;
        skip_ws(p);
    }
}

/* Moves ownership of a key part's text to the caller. */
static char *take_key(struct key_part *part)
{
    char *s = part->s;
    part->s = NULL;
    return s;
}

/* -------------------------------------------------------- numbers, bools */

/* Scans digits of the given base in which each '_' sits between two digits.
 * Returns false when there is not even one digit. */
static bool scan_digits(const char *s, size_t n, size_t *i, int base)
{
    size_t start = *i;
    for (;;) {
        if (*i < n && pkgauth_hex_value(s[*i]) >= 0 && pkgauth_hex_value(s[*i]) < base)
            (*i)++;
        else if (*i > start && *i + 1 < n && s[*i] == '_' &&
                 pkgauth_hex_value(s[*i + 1]) >= 0 && pkgauth_hex_value(s[*i + 1]) < base)
            (*i)++;
        else
            return *i > start;
    }
}

/* Converts already validated digits (underscores skipped) to an int64.
 * negative allows one more than INT64_MAX in magnitude. */
static bool digits_to_int(const char *s, size_t n, int base, bool negative,
                          int64_t *out)
{
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_')
            continue;
        uint64_t d = (uint64_t)pkgauth_hex_value(s[i]);
        if (acc > (limit - d) / (uint64_t)base)
            return false;
        acc = acc * (uint64_t)base + d;
    }
    if (negative)
        *out = acc == limit ? INT64_MIN : -(int64_t)acc;
    else
        *out = (int64_t)acc;
    return true;
}

/* strtod in the "C" locale, whatever locale the calling program chose. */
static bool c_strtod(const char *s, double *out)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c)
        return false;
    *out = strtod_l(s, NULL, c);
    freelocale(c);
    return true;
}

static int make_float(parser *p, const char *s, size_t n, size_t off,
                      pkgauth_toml_value **out)
{
    pkgauth_buf b = {0};
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_' && !pkgauth_buf_putc(&b, s[i])) {
            pkgauth_buf_wipe_free(&b);
            return oom(p);
        }
    double d;
    bool ok = c_strtod(b.p, &d);
    pkgauth_buf_wipe_free(&b);
    if (!ok)
        return oom(p);
    if (isinf(d))
        return fail_at(p, off, "float out of range");
    *out = node_new(PKGAUTH_TOML_FLOAT, 0);
    if (!*out)
        return oom(p);
    (*out)->u.f = d;
    return PKGAUTH_OK;
}

static int make_int(parser *p, const char *s, size_t n, int base,
                    bool negative, size_t off, pkgauth_toml_value **out)
{
    int64_t i;
    if (!digits_to_int(s, n, base, negative, &i))
        return fail_at(p, off, "integer out of range (64 bits)");
    *out = node_new(PKGAUTH_TOML_INTEGER, 0);
    if (!*out)
        return oom(p);
    (*out)->u.i = i;
    return PKGAUTH_OK;
}

/* inf and nan, with an optional sign. Returns false if s is neither. */
static bool special_float(const char *s, size_t n, double *out)
{
    double sign = (s[0] == '-') ? -1.0 : 1.0;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (n - i != 3)
        return false;
    if (memcmp(s + i, "inf", 3) == 0)
        *out = sign * INFINITY;
    else if (memcmp(s + i, "nan", 3) == 0)
        *out = copysign(NAN, sign);
    else
        return false;
    return true;
}

/* 0x, 0o and 0b integers: no sign, leading zeros allowed. */
static int parse_prefixed_int(parser *p, const char *s, size_t n, size_t off,
                              pkgauth_toml_value **out)
{
    int base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
    size_t i = 2;
    if (!scan_digits(s, n, &i, base) || i != n)
        return fail_at(p, off, "invalid integer");
    return make_int(p, s + 2, n - 2, base, false, off, out);
}

/* A decimal integer or a float: sign, integer part without leading zeros,
 * then an optional fraction and exponent. */
static int parse_decimal(parser *p, const char *s, size_t n, size_t off,
                         pkgauth_toml_value **out)
{
    size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0, digits = i;
    bool is_float = false;
    if (!scan_digits(s, n, &i, 10))
        return fail_at(p, off, "invalid number");
    if (s[digits] == '0' && i - digits > 1)
        return fail_at(p, off, "leading zeros are not allowed");
    if (i < n && s[i] == '.') {
        i++;
        is_float = true;
        if (!scan_digits(s, n, &i, 10))
            return fail_at(p, off, "expected digits after the decimal point");
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        is_float = true;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!scan_digits(s, n, &i, 10))
            return fail_at(p, off, "expected digits in the exponent");
    }
    if (i != n)
        return fail_at(p, off, "invalid number");
    if (is_float)
        return make_float(p, s, n, off, out);
    return make_int(p, s + digits, n - digits, 10, s[0] == '-', off, out);
}

/* A bool or number: the token runs over the characters these can contain
 * and is then validated as a whole. */
static int parse_bool_or_number(parser *p, pkgauth_toml_value **out)
{
    size_t off = p->pos;
    for (int c; (c = peek(p, 0)) != -1 && (is_bare_key_char(c) || c == '+' ||
                                          c == '.');)
        p->pos++;
    const char *s = p->src + off;
    size_t n = p->pos - off;
    if (n == 0)
        return fail(p, "expected a value");
    bool is_true = n == 4 && memcmp(s, "true", 4) == 0;
    if (is_true || (n == 5 && memcmp(s, "false", 5) == 0)) {
        *out = node_new(PKGAUTH_TOML_BOOL, 0);
        if (!*out)
            return oom(p);
        (*out)->u.b = is_true;
        return PKGAUTH_OK;
    }
    double special;
    if (special_float(s, n, &special)) {
        *out = node_new(PKGAUTH_TOML_FLOAT, 0);
        if (!*out)
            return oom(p);
        (*out)->u.f = special;
        return PKGAUTH_OK;
    }
    int first = (s[0] == '+' || s[0] == '-') && n > 1 ? s[1] : s[0];
    if (!is_digit(first)) /* most likely an unquoted string or True */
        return fail_at(p, off, "invalid value (strings must be quoted)");
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b'))
        return parse_prefixed_int(p, s, n, off, out);
    return parse_decimal(p, s, n, off, out);
}

/* ------------------------------------------------------------ date-times */

/* Reads exactly n digits into *v. */
static bool read_digits(parser *p, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(peek(p, i)))
            return false;
        *v = *v * 10 + (peek(p, i) - '0');
    }
    p->pos += n;
    return true;
}

static bool expect_char(parser *p, int c)
{
    if (peek(p, 0) != c)
        return false;
    p->pos++;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

static int parse_date(parser *p)
{
    size_t start = p->pos;
    int y, m, d;
    if (!read_digits(p, 4, &y) || !expect_char(p, '-') ||
        !read_digits(p, 2, &m) || !expect_char(p, '-') ||
        !read_digits(p, 2, &d))
        return fail_at(p, start, "invalid date (expected YYYY-MM-DD)");
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return fail_at(p, start, "date does not exist");
    return PKGAUTH_OK;
}

/* HH:MM:SS with an optional fraction; seconds are required in TOML 1.0. A
 * leap second (60) is allowed, as in RFC 3339. */
static int parse_time(parser *p)
{
    size_t start = p->pos;
    int h, m, s;
    if (!read_digits(p, 2, &h) || !expect_char(p, ':') ||
        !read_digits(p, 2, &m) || !expect_char(p, ':') ||
        !read_digits(p, 2, &s))
        return fail_at(p, start, "invalid time (expected HH:MM:SS)");
    if (h > 23 || m > 59 || s > 60)
        return fail_at(p, start, "time out of range");
    if (expect_char(p, '.') && !is_digit(peek(p, 0)))
        return fail(p, "expected digits after the decimal point");
    while (is_digit(peek(p, 0)))
        p->pos++;
    return PKGAUTH_OK;
}

/* Z or +HH:MM / -HH:MM. Returns 1 if there was none. */
static int parse_offset(parser *p)
{
    int c = peek(p, 0), h, m;
    if (c == 'Z' || c == 'z') {
        p->pos++;
        return PKGAUTH_OK;
    }
    if (c != '+' && c != '-')
        return 1;
    size_t start = p->pos++;
    if (!read_digits(p, 2, &h) || !expect_char(p, ':') ||
        !read_digits(p, 2, &m))
        return fail_at(p, start, "invalid time offset (expected +HH:MM)");
    if (h > 23 || m > 59)
        return fail_at(p, start, "time offset out of range");
    return PKGAUTH_OK;
}

/* Parses a date-time of any kind and classifies it. The text is validated
 * in place, then copied with the separator and "Z" made upper case. */
static int parse_datetime(parser *p, pkgauth_toml_value **out)
{
    size_t start = p->pos;
    pkgauth_toml_type type = PKGAUTH_TOML_TIME_LOCAL;
    int rc;
    if (peek(p, 2) == ':') {
        rc = parse_time(p);
    } else {
        type = PKGAUTH_TOML_DATE_LOCAL;
        rc = parse_date(p);
        int c = peek(p, 0);
        /* A space separates date and time only if a time follows; otherwise
         * it ends the value. */
        bool has_time =
            c == 'T' || c == 't' || (c == ' ' && is_digit(peek(p, 1)));
        if (!rc && has_time) {
            p->pos++;
            type = PKGAUTH_TOML_DATETIME_LOCAL;
            rc = parse_time(p);
            if (!rc) {
                rc = parse_offset(p);
                if (rc == 0)
                    type = PKGAUTH_TOML_DATETIME;
                else if (rc == 1)
                    rc = PKGAUTH_OK;
            }
        }
    }
    if (rc)
        return rc;
    size_t n = p->pos - start;
    pkgauth_toml_value *v = node_new(type, 0);
    char *text = malloc(n + 1);
    if (!v || !text) {
        free(v);
        free(text);
        return oom(p);
    }
    for (size_t i = 0; i < n; i++) {
        char c = p->src[start + i];
        text[i] = (i == 10 && type != PKGAUTH_TOML_TIME_LOCAL) ? 'T'
                  : c == 'z'                                  ? 'Z'
                                                              : c;
    }
    text[n] = '\0';
    v->u.str.ptr = text;
    v->u.str.len = n;
    *out = v;
    return PKGAUTH_OK;
}

static bool looks_like_datetime(const parser *p)
{
    bool date = is_digit(peek(p, 0)) && is_digit(peek(p, 1)) &&
                is_digit(peek(p, 2)) && is_digit(peek(p, 3)) &&
                peek(p, 4) == '-';
    bool time = is_digit(peek(p, 0)) && is_digit(peek(p, 1)) &&
                peek(p, 2) == ':';
    return date || time;
}

/* ---------------------------------------------------------------- values */

static int parse_value(parser *p, unsigned depth, pkgauth_toml_value **out);
static int parse_keyval(parser *p, pkgauth_toml_value *table);

static int check_depth(parser *p, size_t off, unsigned depth)
{
    if (depth > PKGAUTH_TOML_MAX_DEPTH)
        return fail_at(p, off, "nesting deeper than %d levels",
                       PKGAUTH_TOML_MAX_DEPTH);
    return PKGAUTH_OK;
}

static int parse_string_value(parser *p, pkgauth_toml_value **out)
{
    pkgauth_buf b = {0};
    int rc = parse_string(p, &b, true);
    if (rc) {
        pkgauth_buf_wipe_free(&b);
        return rc;
    }
    *out = node_new(PKGAUTH_TOML_STRING, 0);
    if (!*out) {
        pkgauth_buf_wipe_free(&b);
        return oom(p);
    }
    (*out)->u.str.len = b.len;
    (*out)->u.str.ptr = pkgauth_buf_take(&b);
    return PKGAUTH_OK;
}

/* [ values separated by commas, a trailing comma allowed ]; line breaks and
 * comments may appear between elements. */
static int parse_array(parser *p, unsigned depth, pkgauth_toml_value *a)
{
    p->pos++; /* '[' */
    for (;;) {
        int rc = skip_ws_comments_newlines(p);
        if (rc)
            return rc;
        if (peek(p, 0) == ']')
            break;
        pkgauth_toml_value *v = NULL;
        rc = parse_value(p, depth + 1, &v);
        if (rc)
            return rc;
        if (!array_push(a, v))
            return oom(p);
        rc = skip_ws_comments_newlines(p);
        if (rc)
            return rc;
        if (peek(p, 0) == ']')
            break;
        if (peek(p, 0) != ',')
            return fail(p, "expected ',' or ']' in array");
        p->pos++;
    }
    p->pos++;
    return PKGAUTH_OK;
}

/* { key = value, ... } on one line, without a trailing comma (TOML 1.0).
 * Once closed it is frozen: neither [headers] nor dotted keys may add to
 * it. */
static int parse_inline_table(parser *p, pkgauth_toml_value *t)
{
    p->pos++; /* '{' */
    skip_ws(p);
    if (peek(p, 0) == '}') {
        p->pos++;
        t->flags |= T_FROZEN;
        return PKGAUTH_OK;
    }
    for (;;) {
        skip_ws(p);
        if (peek(p, 0) == '}')
            return fail(p, "trailing comma in inline table");
        int rc = parse_keyval(p, t);
        if (rc)
            return rc;
        skip_ws(p);
        if (peek(p, 0) == '}')
            break;
        if (peek(p, 0) != ',')
            return fail(p, "expected ',' or '}' in inline table");
        p->pos++;
    }
    p->pos++;
    t->flags |= T_FROZEN;
    return PKGAUTH_OK;
}

/* An array or inline table; depth is the depth it will have. */
static int parse_container(parser *p, unsigned depth, pkgauth_toml_value **out)
{
    int rc = check_depth(p, p->pos, depth);
    if (rc)
        return rc;
    bool array = peek(p, 0) == '[';
    pkgauth_toml_value *v =
        node_new(array ? PKGAUTH_TOML_ARRAY : PKGAUTH_TOML_TABLE, depth);
    if (!v)
        return oom(p);
    rc = array ? parse_array(p, depth, v) : parse_inline_table(p, v);
    if (rc) {
        pkgauth_toml_free(v);
        return rc;
    }
    *out = v;
    return PKGAUTH_OK;
}

static int parse_value(parser *p, unsigned depth, pkgauth_toml_value **out)
{
    int c = peek(p, 0);
    if (c == '"' || c == '\'')
        return parse_string_value(p, out);
    if (c == '[' || c == '{')
        return parse_container(p, depth, out);
    if (looks_like_datetime(p))
        return parse_datetime(p, out);
    return parse_bool_or_number(p, out);
}

/* ---------------------------------------------------------- key / value */

/* Creates the table name in t (a new entry), as the parent of a header or
 * a dotted key. */
static int add_table(parser *p, pkgauth_toml_value *t, struct key_part *k,
                     unsigned flags, pkgauth_toml_value **out)
{
    int rc = check_depth(p, k->off, t->depth + 1);
    if (rc)
        return rc;
    pkgauth_toml_value *v = node_new(PKGAUTH_TOML_TABLE, t->depth + 1);
    if (!v)
        return oom(p);
    v->flags = flags;
    if (!table_add(t, take_key(k), k->len, v))
        return oom(p);
    *out = v;
    return PKGAUTH_OK;
}

/* Follows one part of a dotted key on the left of '='. Only tables that
 * dotted keys created may be extended this way: not [header] tables, not
 * inline tables, not arrays. */
static int dotted_step(parser *p, pkgauth_toml_value *t, struct key_part *k,
                       pkgauth_toml_value **next)
{
    struct entry *e = table_find(t, k->s, k->len);
    if (!e)
        return add_table(p, t, k, T_DOTTED, next);
    pkgauth_toml_value *v = e->value;
    char name[72];
    if (v->type != PKGAUTH_TOML_TABLE || !(v->flags & T_DOTTED) ||
        (v->flags & T_FROZEN))
        return fail_at(p, k->off, "cannot add keys to '%s' with a dotted key",
                       key_for_msg(k->s, k->len, name));
    *next = v;
    return PKGAUTH_OK;
}

/* key = value, added to table (the current [header] table or an inline
 * table being read). */
static int parse_keyval_path(parser *p, pkgauth_toml_value *table,
                             struct key_path *k)
{
    int rc = parse_key(p, k);
    if (rc)
        return rc;
    if (peek(p, 0) != '=')
        return fail(p, "expected '=' after a key");
    p->pos++;
    skip_ws(p);
    for (size_t i = 0; i + 1 < k->n; i++) {
        rc = dotted_step(p, table, &k->parts[i], &table);
        if (rc)
            return rc;
    }
    struct key_part *last = &k->parts[k->n - 1];
    char name[72];
    if (table_find(table, last->s, last->len))
        return fail_at(p, last->off, "duplicate key '%s'",
                       key_for_msg(last->s, last->len, name));
    pkgauth_toml_value *v = NULL;
    rc = parse_value(p, table->depth + 1, &v);
    if (rc)
        return rc;
    return table_add(table, take_key(last), last->len, v) ? PKGAUTH_OK
                                                           : oom(p);
}

static int parse_keyval(parser *p, pkgauth_toml_value *table)
{
    struct key_path k = {0};
    int rc = parse_keyval_path(p, table, &k);
    key_path_free(&k);
    return rc;
}

/* --------------------------------------------------------------- headers */

/* Follows one part of a [header] path that is not the last: missing tables
 * are created (implicitly defined), an array of tables leads to its last
 * element, and inline tables or other values are an error. */
static int header_step(parser *p, pkgauth_toml_value *t, struct key_part *k,
                       pkgauth_toml_value **next)
{
    struct entry *e = table_find(t, k->s, k->len);
    if (!e)
        return add_table(p, t, k, 0, next);
    pkgauth_toml_value *v = e->value;
    if (v->type == PKGAUTH_TOML_ARRAY && (v->flags & A_OF_TABLES))
        v = v->u.arr.items[v->u.arr.len - 1];
    char name[72];
    if (v->type != PKGAUTH_TOML_TABLE || (v->flags & T_FROZEN))
        return fail_at(p, k->off, "'%s' is not a table that can be extended",
                       key_for_msg(k->s, k->len, name));
    *next = v;
    return PKGAUTH_OK;
}

/* [name]: a table may be named by one header only, and not at all if a
 * dotted key or an inline table created it. */
static int open_table(parser *p, pkgauth_toml_value *t, struct key_part *k)
{
    struct entry *e = table_find(t, k->s, k->len);
    if (!e)
        return add_table(p, t, k, T_DEFINED, &p->current);
    pkgauth_toml_value *v = e->value;
    char name[72];
    if (v->type != PKGAUTH_TOML_TABLE ||
        (v->flags & (T_DEFINED | T_DOTTED | T_FROZEN)))
        return fail_at(p, k->off, "table '%s' is already defined",
                       key_for_msg(k->s, k->len, name));
    v->flags |= T_DEFINED;
    p->current = v;
    return PKGAUTH_OK;
}

/* [[name]]: appends a table to an array of tables, creating the array on
 * first use. A static array (name = [...]) cannot be appended to. */
static int open_array_table(parser *p, pkgauth_toml_value *t,
                            struct key_part *k)
{
    struct entry *e = table_find(t, k->s, k->len);
    pkgauth_toml_value *a = e ? e->value : NULL;
    char name[72];
    if (a && (a->type != PKGAUTH_TOML_ARRAY || !(a->flags & A_OF_TABLES)))
        return fail_at(p, k->off, "'%s' is not an array of tables",
                       key_for_msg(k->s, k->len, name));
    int rc = check_depth(p, k->off, t->depth + 2);
    if (rc)
        return rc;
    if (!a) {
        a = node_new(PKGAUTH_TOML_ARRAY, t->depth + 1);
        if (!a)
            return oom(p);
        a->flags = A_OF_TABLES;
        if (!table_add(t, take_key(k), k->len, a))
            return oom(p);
    }
    pkgauth_toml_value *elem = node_new(PKGAUTH_TOML_TABLE, t->depth + 2);
    if (!elem)
        return oom(p);
    elem->flags = T_DEFINED;
    if (!array_push(a, elem))
        return oom(p);
    p->current = elem;
    return PKGAUTH_OK;
}

static int parse_header_path(parser *p, struct key_path *k)
{
    bool array = peek(p, 1) == '[';
    p->pos += array ? 2 : 1;
    skip_ws(p);
    int rc = parse_key(p, k);
    if (rc)
        return rc;
    if (!expect_char(p, ']') || (array && !expect_char(p, ']')))
        return fail(p, array ? "expected ']]' to close the table header"
                             : "expected ']' to close the table header");
    pkgauth_toml_value *t = p->root;
    for (size_t i = 0; i + 1 < k->n; i++) {
        rc = header_step(p, t, &k->parts[i], &t);
        if (rc)
            return rc;
    }
    struct key_part *last = &k->parts[k->n - 1];
    return array ? open_array_table(p, t, last) : open_table(p, t, last);
}

static int parse_header(parser *p)
{
    struct key_path k = {0};
    int rc = parse_header_path(p, &k);
    key_path_free(&k);
    return rc;
}

/* -------------------------------------------------------------- document */

/* Returns the offset of the first byte that is not part of well-formed
 * UTF-8 (overlong forms, surrogates and values past U+10FFFF included), or
 * len when there is none. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (len - i <= need || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += need + 1;
    }
    return len;
}

static int parse_line(parser *p)
{
    int rc;
    if (peek(p, 0) == '[')
        rc = parse_header(p);
    else
        rc = parse_keyval(p, p->current);
    return rc ? rc : end_of_line(p);
}

static int parse_document(parser *p)
{
    if (p->len >= 3 && memcmp(p->src, "\xEF\xBB\xBF", 3) == 0)
        p->pos = p->start = 3;
    size_t bad = utf8_invalid_at((const unsigned char *)p->src, p->len);
    if (bad < p->len)
        return fail_at(p, bad, "invalid UTF-8");
    for (;;) {
        skip_ws(p);
        int c = peek(p, 0), rc;
        if (c == -1)
            return PKGAUTH_OK;
        if (c == '#')
            rc = parse_comment(p);
        else if (at_newline(p))
            rc = parse_newline(p);
        else
            rc = parse_line(p);
        if (rc)
            return rc;
    }
}

int pkgauth_toml_parse(const char *data, size_t len, const char *file,
                       pkgauth_toml_value **out, pkgauth_error *err)
{
    if (!out || (!data && len))
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "pkgauth_toml_parse: invalid argument");
    *out = NULL;
    parser p = {.src = data ? data : "", .len = len, .err = err,
                .file = file ? file : "<toml>"};
    if (len > PKGAUTH_TOML_MAX_SIZE)
        return fail_at(&p, 0, "document larger than %zu MiB",
                       PKGAUTH_TOML_MAX_SIZE >> 20);
    p.root = p.current = node_new(PKGAUTH_TOML_TABLE, 0);
    if (!p.root)
        return oom(&p);
    p.root->flags = T_DEFINED;
    int rc = parse_document(&p);
    if (rc) {
        pkgauth_toml_free(p.root);
        return rc;
    }
    pkgauth_error_clear(err);
    *out = p.root;
    return PKGAUTH_OK;
}

/* ---------------------------------------------------------------- queries */

pkgauth_toml_type pkgauth_toml_type_of(const pkgauth_toml_value *v)
{
    return v->type;
}

const char *pkgauth_toml_type_name(pkgauth_toml_type type)
{
    switch (type) {
    case PKGAUTH_TOML_TABLE: return "table";
    case PKGAUTH_TOML_ARRAY: return "array";
    case PKGAUTH_TOML_STRING: return "string";
    case PKGAUTH_TOML_INTEGER: return "integer";
    case PKGAUTH_TOML_FLOAT: return "float";
    case PKGAUTH_TOML_BOOL: return "bool";
    case PKGAUTH_TOML_DATETIME: return "datetime";
    case PKGAUTH_TOML_DATETIME_LOCAL: return "datetime-local";
    case PKGAUTH_TOML_DATE_LOCAL: return "date-local";
    case PKGAUTH_TOML_TIME_LOCAL: return "time-local";
    }
    return "unknown";
}

static bool is_table(const pkgauth_toml_value *v)
{
    return v && v->type == PKGAUTH_TOML_TABLE;
}

static bool is_array(const pkgauth_toml_value *v)
{
    return v && v->type == PKGAUTH_TOML_ARRAY;
}

size_t pkgauth_toml_table_size(const pkgauth_toml_value *table)
{
    return is_table(table) ? table->u.tab.len : 0;
}

const char *pkgauth_toml_table_key(const pkgauth_toml_value *table, size_t i,
                                   size_t *len)
{
    if (!is_table(table) || i >= table->u.tab.len)
        return NULL;
    if (len)
        *len = table->u.tab.items[i].keylen;
    return table->u.tab.items[i].key;
}

const pkgauth_toml_value *pkgauth_toml_table_value(
    const pkgauth_toml_value *table, size_t i)
{
    if (!is_table(table) || i >= table->u.tab.len)
        return NULL;
    return table->u.tab.items[i].value;
}

const pkgauth_toml_value *pkgauth_toml_table_get(
    const pkgauth_toml_value *table, const char *key)
{
    if (!is_table(table) || !key)
        return NULL;
    const struct entry *e = table_find(table, key, strlen(key));
    return e ? e->value : NULL;
}

const pkgauth_toml_value *pkgauth_toml_table_get_table(
    const pkgauth_toml_value *table, const char *key)
{
    const pkgauth_toml_value *v = pkgauth_toml_table_get(table, key);
    return is_table(v) ? v : NULL;
}

const pkgauth_toml_value *pkgauth_toml_table_get_array(
    const pkgauth_toml_value *table, const char *key)
{
    const pkgauth_toml_value *v = pkgauth_toml_table_get(table, key);
    return is_array(v) ? v : NULL;
}

int pkgauth_toml_table_get_string(const pkgauth_toml_value *table,
                                  const char *key, const char **out)
{
    const pkgauth_toml_value *v = pkgauth_toml_table_get(table, key);
    if (!v)
        return PKGAUTH_ENOTFOUND;
    const char *s = pkgauth_toml_as_string(v);
    if (!s || strlen(s) != v->u.str.len)
        return PKGAUTH_EINVAL;
    *out = s;
    return PKGAUTH_OK;
}

int pkgauth_toml_table_get_bool(const pkgauth_toml_value *table,
                                const char *key, bool *out)
{
    const pkgauth_toml_value *v = pkgauth_toml_table_get(table, key);
    return v ? pkgauth_toml_as_bool(v, out) : PKGAUTH_ENOTFOUND;
}

int pkgauth_toml_table_get_int(const pkgauth_toml_value *table,
                               const char *key, int64_t *out)
{
    const pkgauth_toml_value *v = pkgauth_toml_table_get(table, key);
    return v ? pkgauth_toml_as_int(v, out) : PKGAUTH_ENOTFOUND;
}

size_t pkgauth_toml_array_size(const pkgauth_toml_value *array)
{
    return is_array(array) ? array->u.arr.len : 0;
}

const pkgauth_toml_value *pkgauth_toml_array_get(
    const pkgauth_toml_value *array, size_t i)
{
    if (!is_array(array) || i >= array->u.arr.len)
        return NULL;
    return array->u.arr.items[i];
}

const char *pkgauth_toml_as_string(const pkgauth_toml_value *v)
{
    return v && v->type == PKGAUTH_TOML_STRING ? v->u.str.ptr : NULL;
}

size_t pkgauth_toml_string_length(const pkgauth_toml_value *v)
{
    return v && v->type == PKGAUTH_TOML_STRING ? v->u.str.len : 0;
}

int pkgauth_toml_as_bool(const pkgauth_toml_value *v, bool *out)
{
    if (!v || v->type != PKGAUTH_TOML_BOOL)
        return PKGAUTH_EINVAL;
    *out = v->u.b;
    return PKGAUTH_OK;
}

int pkgauth_toml_as_int(const pkgauth_toml_value *v, int64_t *out)
{
    if (!v || v->type != PKGAUTH_TOML_INTEGER)
        return PKGAUTH_EINVAL;
    *out = v->u.i;
    return PKGAUTH_OK;
}

int pkgauth_toml_as_float(const pkgauth_toml_value *v, double *out)
{
    if (!v || v->type != PKGAUTH_TOML_FLOAT)
        return PKGAUTH_EINVAL;
    *out = v->u.f;
    return PKGAUTH_OK;
}

const char *pkgauth_toml_as_datetime(const pkgauth_toml_value *v)
{
    if (!v)
        return NULL;
    switch (v->type) {
    case PKGAUTH_TOML_DATETIME:
    case PKGAUTH_TOML_DATETIME_LOCAL:
    case PKGAUTH_TOML_DATE_LOCAL:
    case PKGAUTH_TOML_TIME_LOCAL:
        return v->u.str.ptr;
    default:
        return NULL;
    }
}
