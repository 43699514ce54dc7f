/* The AWS shared configuration files: a small INI reader (rules in
 * aws_config.h). The files hold secret keys, so every copy is wiped. */
#include "aws_config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "memory.h"

typedef struct ini_entry {
    char *section; /* borrowed from the section list */
    char *key;
    char *value;
} ini_entry;

struct pkgauth_aws_ini {
    char **sections;
    size_t n_sections;
    ini_entry *entries;
    size_t n_entries, cap_entries;
};

/* What the parser is in the middle of. */
typedef struct parser {
    pkgauth_aws_ini *ini;
    const char *name; /* file name for messages */
    size_t line;      /* 1-based */
    char *section;    /* current section, NULL before the first */
    long parent;      /* entry an indented line belongs to, -1 = none */
    pkgauth_error *err;
} parser;

void pkgauth_aws_ini_free(pkgauth_aws_ini *ini)
{
    if (!ini)
        return;
    for (size_t i = 0; i < ini->n_entries; i++) {
        free(ini->entries[i].key);
        pkgauth_free(ini->entries[i].value);
    }
    for (size_t i = 0; i < ini->n_sections; i++)
        free(ini->sections[i]);
    free(ini->entries);
    free(ini->sections);
    free(ini);
}

static int fail(parser *p, const char *msg)
{
    return pkgauth_error_set(p->err, PKGAUTH_EPARSE, "%.300s:%zu: %s", p->name, p->line, msg);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* s[0..*n) without leading and trailing blanks. */
static const char *trim(const char *s, size_t *n)
{
    while (*n && is_blank(*s))
        s++, (*n)--;
    while (*n && is_blank(s[*n - 1]))
        (*n)--;
    return s;
}

static int too_many(parser *p)
{
    return p->ini->n_entries + p->ini->n_sections >= PKGAUTH_AWS_INI_MAX_ENTRIES
               ? fail(p, "too many entries")
               : 0;
}

/* ---- sections -------------------------------------------------------- */

static char *find_section(const pkgauth_aws_ini *ini, const char *name)
{
    for (size_t i = 0; i < ini->n_sections; i++)
        if (!strcmp(ini->sections[i], name))
            return ini->sections[i];
    return NULL;
}

/* The header text with blanks trimmed and inner runs collapsed. */
static char *normalise_header(const char *s, size_t n)
{
    s = trim(s, &n);
    char *out = malloc(n + 1), *o = out;
    for (size_t i = 0; out && i < n; i++)
        if (!is_blank(s[i]))
            *o++ = s[i];
        else if (!is_blank(s[i + 1])) /* i + 1 < n: s is trimmed */
            *o++ = ' ';
    if (out)
        *o = '\0';
    return out;
}

static int section_line(parser *p, const char *s, size_t n)
{
    const char *close = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ']')
            close = s + i; /* the last "]", as configparser's greedy match */
    if (!close)
        return fail(p, "section header without ']'");
    size_t rest = n - (size_t)(close + 1 - s);
    const char *after = trim(close + 1, &rest);
    if (rest && *after != '#' && *after != ';')
        return fail(p, "unexpected text after ']'");
    char *name = normalise_header(s + 1, (size_t)(close - s - 1));
    if (!name)
        return pkgauth_oom(p->err);
    if (!*name)
        return free(name), fail(p, "empty section name");
    p->parent = -1;
    if ((p->section = find_section(p->ini, name))) /* a repeated header: merge */
        return free(name), 0;
    int rc = too_many(p);
    if (rc)
        return free(name), rc;
    char **grown = realloc(p->ini->sections, (p->ini->n_sections + 1) * sizeof *grown);
    if (!grown)
        return free(name), pkgauth_oom(p->err);
    p->ini->sections = grown;
    grown[p->ini->n_sections++] = name;
    p->section = name;
    return 0;
}

/* ---- properties ------------------------------------------------------ */

static long find_entry(const pkgauth_aws_ini *ini, const char *section, const char *key)
{
    for (size_t i = 0; i < ini->n_entries; i++)
        if (ini->entries[i].section == section && !strcmp(ini->entries[i].key, key))
            return (long)i;
    return -1;
}

/* Sets key = value in the current section; takes ownership of both. */
static int put(parser *p, char *key, char *value)
{
    pkgauth_aws_ini *ini = p->ini;
    long at = find_entry(ini, p->section, key);
    if (at >= 0) { /* a later line wins */
        free(key);
        pkgauth_free(ini->entries[at].value);
        ini->entries[at].value = value;
        return (int)at;
    }
    if (ini->n_entries == ini->cap_entries) {
        size_t cap = ini->cap_entries ? ini->cap_entries * 2 : 16;
        ini_entry *grown = realloc(ini->entries, cap * sizeof *grown);
        if (!grown)
            return free(key), pkgauth_free(value), pkgauth_oom(p->err);
        ini->entries = grown;
        ini->cap_entries = cap;
    }
    ini->entries[ini->n_entries] = (ini_entry){p->section, key, value};
    return (int)ini->n_entries++;
}

/* Splits "name = value" (prefix: "parent." for a nested property) and
 * stores it. Returns the entry index, or a negative error. */
static int property(parser *p, const char *prefix, const char *s, size_t n)
{
    size_t k = 0; /* s is not NUL-terminated: no strcspn */
    while (k < n && s[k] != '=' && s[k] != ':')
        k++;
    if (k >= n)
        return fail(p, "expected 'name = value', a [section] or a comment");
    if (!p->section)
        return fail(p, "property outside any [section]");
    size_t kn = k, vn = n - k - 1;
    const char *key = trim(s, &kn), *value = trim(s + k + 1, &vn);
    if (!kn)
        return fail(p, "empty name before '='");
    int rc = too_many(p);
    if (rc)
        return rc;
    size_t pn = strlen(prefix);
    char *kc = malloc(pn + kn + 1), *vc = strndup(value, vn);
    if (!kc || !vc)
        return free(kc), pkgauth_free(vc), pkgauth_oom(p->err);
    memcpy(kc, prefix, pn);
    for (size_t i = 0; i < kn; i++) /* configparser lower-cases names */
        kc[pn + i] = (char)tolower((unsigned char)key[i]);
    kc[pn + kn] = '\0';
    return put(p, kc, vc);
}

/* An indented line: a nested property under an empty value, otherwise
 * more of the value above. */
static int continuation(parser *p, const char *s, size_t n)
{
    ini_entry *e = &p->ini->entries[p->parent];
    if (!*e->value) {
        size_t kn = strlen(e->key);
        char *prefix = malloc(kn + 2);
        if (!prefix)
            return pkgauth_oom(p->err);
        memcpy(prefix, e->key, kn);
        memcpy(prefix + kn, ".", 2);
        int rc = property(p, prefix, s, n);
        free(prefix);
        return rc < 0 ? rc : 0; /* the parent stays the parent */
    }
    size_t vn = n, old = strlen(e->value);
    const char *v = trim(s, &vn);
    if (old + 1 + vn > PKGAUTH_AWS_INI_MAX_LINE)
        return fail(p, "value too long");
    char *joined = malloc(old + vn + 2);
    if (!joined)
        return pkgauth_oom(p->err);
    memcpy(joined, e->value, old);
    joined[old] = '\n';
    memcpy(joined + old + 1, v, vn);
    joined[old + 1 + vn] = '\0';
    pkgauth_free(e->value);
    e->value = joined;
    return 0;
}

/* ---- lines ----------------------------------------------------------- */

static int parse_line(parser *p, const char *s, size_t n)
{
    size_t tn = n;
    const char *t = trim(s, &tn);
    if (!tn || *t == '#' || *t == ';')
        return 0;
    if (is_blank(*s) && p->parent >= 0)
        return continuation(p, t, tn);
    if (*t == '[')
        return section_line(p, t, tn);
    int at = property(p, "", t, tn);
    if (at < 0)
        return at;
    p->parent = at;
    return 0;
}

int pkgauth_aws_ini_parse(const char *text, size_t len, const char *name,
                          pkgauth_aws_ini **out, pkgauth_error *err)
{
    *out = NULL;
    parser p = {.name = name ? name : "<input>", .parent = -1, .err = err};
    if (len > PKGAUTH_AWS_INI_MAX_FILE)
        return pkgauth_error_set(err, PKGAUTH_EPARSE, "%.300s: larger than %d bytes", p.name,
                                 PKGAUTH_AWS_INI_MAX_FILE);
    if (!(p.ini = calloc(1, sizeof *p.ini)))
        return pkgauth_oom(p.err);
    int rc = 0;
    for (size_t pos = 0; !rc && pos < len;) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl != NULL);
        p.line++;
        if (n && s[n - 1] == '\r')
            n--;
        if (n > PKGAUTH_AWS_INI_MAX_LINE)
            rc = fail(&p, "line too long");
        else if (memchr(s, '\0', n))
            rc = fail(&p, "NUL byte");
        else
            rc = parse_line(&p, s, n);
    }
    if (rc)
        pkgauth_aws_ini_free(p.ini);
    else
        *out = p.ini;
    return rc;
}

/* ---- files ----------------------------------------------------------- */

int pkgauth_aws_ini_load(const char *path, pkgauth_aws_ini **out, pkgauth_error *err)
{
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    /* An oversized file is read one byte over the limit: the parser says so. */
    int rc = pkgauth_file_read(path, PKGAUTH_AWS_INI_MAX_FILE, &buf, &len, NULL, err);
    if (rc)
        return rc;
    rc = pkgauth_aws_ini_parse(buf, len, path, out, err);
    pkgauth_wipe_free(buf, len + 1);
    return rc;
}

/* ---- lookups --------------------------------------------------------- */

const char *pkgauth_aws_ini_get(const pkgauth_aws_ini *ini, const char *section,
                                const char *key)
{
    const char *s = ini ? find_section(ini, section) : NULL;
    long at = s ? find_entry(ini, s, key) : -1;
    return at >= 0 ? ini->entries[at].value : NULL;
}

int pkgauth_aws_ini_has_section(const pkgauth_aws_ini *ini, const char *section)
{
    return ini && find_section(ini, section) != NULL;
}

/* The section that holds profile in a file of this kind, or NULL. */
static const char *profile_section(const pkgauth_aws_ini *ini, pkgauth_aws_file_kind kind,
                                   const char *profile)
{
    if (!ini || !profile)
        return NULL;
    if (kind == PKGAUTH_AWS_CREDENTIALS_FILE)
        return find_section(ini, profile);
    char name[512];
    if (snprintf(name, sizeof name, "profile %s", profile) >= (int)sizeof name)
        return NULL;
    const char *s = find_section(ini, name);
    if (!s && !strcmp(profile, "default"))
        s = find_section(ini, "default");
    return s;
}

const char *pkgauth_aws_profile_get(const pkgauth_aws_ini *ini, pkgauth_aws_file_kind kind,
                                    const char *profile, const char *key)
{
    const char *s = profile_section(ini, kind, profile);
    long at = s ? find_entry(ini, s, key) : -1;
    return at >= 0 ? ini->entries[at].value : NULL;
}

int pkgauth_aws_profile_exists(const pkgauth_aws_ini *ini, pkgauth_aws_file_kind kind,
                               const char *profile)
{
    return profile_section(ini, kind, profile) != NULL;
}
