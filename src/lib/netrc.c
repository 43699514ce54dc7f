/* .netrc parser following curl's semantics; see netrc.h for the rules. */
#include "netrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "memory.h"

/* curl's limits (lib/netrc.c), so a file curl rejects is rejected here. */
#define NETRC_TOKEN_MAX 4096
#define NETRC_LINE_MAX 16384
#define NETRC_CONTENT_MAX (128 * 1024)
/* Comment lines do not count toward the content limit, so bound the whole
 * file too: nothing legitimate comes close to this. */
#define NETRC_FILE_MAX (1024 * 1024)

struct pkgauth_netrc {
    pkgauth_netrc_entry *entries;
    size_t count;
    size_t cap;
};

/* What the next token means. */
enum netrc_want {
    WANT_KEYWORD,
    WANT_HOST,
    WANT_LOGIN,
    WANT_PASSWORD,
    WANT_ACCOUNT,
};

struct netrc_parser {
    const char *file;
    const char *data;      /* start of the buffer, for the size limit */
    int line;
    size_t content;        /* non-comment bytes so far */
    int in_macdef;         /* skipping a macro body */
    int in_entry;          /* the last entry takes login/password */
    enum netrc_want want;
    pkgauth_netrc *netrc;
    pkgauth_error *err;
    int quoted;            /* the token in tok was written in quotes */
    size_t toklen;
    char tok[NETRC_TOKEN_MAX + 1];
};

static int parse_fail(struct netrc_parser *ps, const char *msg)
{
    return pkgauth_error_set(ps->err, PKGAUTH_EPARSE, "%s:%d: %s", ps->file,
                             ps->line, msg);
}

static int nomem(pkgauth_error *err)
{
    return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
}

/* ---- building entries ---- */

static int add_entry(struct netrc_parser *ps, int is_default)
{
    pkgauth_netrc *n = ps->netrc;
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 8;
        /* The table holds only pointers, so realloc leaves no secret
         * behind in the old block. */
        pkgauth_netrc_entry *e = realloc(n->entries, cap * sizeof *e);
        if (!e)
            return nomem(ps->err);
        n->entries = e;
        n->cap = cap;
    }
    pkgauth_netrc_entry *e = &n->entries[n->count++];
    memset(e, 0, sizeof *e);
    e->is_default = is_default;
    e->line = ps->line;
    ps->in_entry = 1;
    return PKGAUTH_OK;
}

/* Stores the current token in *slot; a repeated keyword overrides the
 * earlier value, as in curl. */
static int set_value(struct netrc_parser *ps, char **slot)
{
    char *s = malloc(ps->toklen + 1);
    if (!s)
        return nomem(ps->err);
    memcpy(s, ps->tok, ps->toklen);
    s[ps->toklen] = '\0';
    pkgauth_free(*slot);
    *slot = s;
    return PKGAUTH_OK;
}

static int take_value(struct netrc_parser *ps)
{
    pkgauth_netrc_entry *e = &ps->netrc->entries[ps->netrc->count - 1];
    enum netrc_want want = ps->want;
    ps->want = WANT_KEYWORD;
    switch (want) {
    case WANT_HOST: return set_value(ps, &e->host);
    case WANT_LOGIN: return set_value(ps, &e->login);
    case WANT_PASSWORD: return set_value(ps, &e->password);
    default: return PKGAUTH_OK; /* account: read and ignored, as curl */
    }
}

/* Keywords: machine/default/macdef anywhere; login/password/account only
 * inside an entry (curl ignores them between entries). A quoted token is
 * never a keyword, and unknown words are skipped. */
static int take_keyword(struct netrc_parser *ps)
{
    const char *t = ps->tok;
    if (ps->quoted)
        return PKGAUTH_OK;
    if (!strcasecmp(t, "machine")) {
        ps->want = WANT_HOST;
        return add_entry(ps, 0);
    }
    if (!strcasecmp(t, "default"))
        return add_entry(ps, 1);
    if (!strcasecmp(t, "macdef")) {
        ps->in_entry = 0;
        ps->in_macdef = 1;
    } else if (ps->in_entry && !strcasecmp(t, "login")) {
        ps->want = WANT_LOGIN;
    } else if (ps->in_entry && !strcasecmp(t, "password")) {
        ps->want = WANT_PASSWORD;
    } else if (ps->in_entry && !strcasecmp(t, "account")) {
        ps->want = WANT_ACCOUNT;
    }
    return PKGAUTH_OK;
}

static int take_token(struct netrc_parser *ps)
{
    if (ps->want != WANT_KEYWORD)
        return take_value(ps);
    return take_keyword(ps);
}

/* ---- tokens ---- */

/* curl splits on isspace(); '\r' matters for CRLF files. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

static int tok_add(struct netrc_parser *ps, char c)
{
    if (ps->toklen == NETRC_TOKEN_MAX)
        return parse_fail(ps, "token longer than 4096 bytes");
    ps->tok[ps->toklen++] = c;
    return PKGAUTH_OK;
}

static char unescape(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return c;
    }
}

/* A quoted token ends at its closing quote, which must be on the same
 * line; anything else is curl's "syntax error". */
static int scan_quoted(struct netrc_parser *ps, const char **pp,
                       const char *end)
{
    const char *p = *pp + 1;
    while (p < end) {
        char c = *p++;
        if (c == '"') {
            *pp = p;
            return PKGAUTH_OK;
        }
        if (c == '\\') {
            if (p == end)
                break;
            c = unescape(*p++);
        }
        int rc = tok_add(ps, c);
        if (rc)
            return rc;
    }
    return parse_fail(ps, "unterminated quoted string");
}

/* Outside quotes every byte up to a blank is part of the word, including
 * '\', '"' and '#'. */
static int scan_plain(struct netrc_parser *ps, const char **pp,
                      const char *end)
{
    const char *p = *pp;
    while (p < end && !is_space(*p)) {
        int rc = tok_add(ps, *p++);
        if (rc)
            return rc;
    }
    *pp = p;
    return PKGAUTH_OK;
}

static int scan_token(struct netrc_parser *ps, const char **pp,
                      const char *end)
{
    ps->toklen = 0;
    ps->quoted = **pp == '"';
    int rc = ps->quoted ? scan_quoted(ps, pp, end) : scan_plain(ps, pp, end);
    ps->tok[ps->toklen] = '\0';
    return rc;
}

/* ---- lines ---- */

static int parse_tokens(struct netrc_parser *ps, const char *p,
                        const char *end)
{
    for (;;) {
        while (p < end && is_space(*p))
            p++;
        /* The rest of a macdef line is the macro's name: not parsed. */
        if (p == end || ps->in_macdef)
            return PKGAUTH_OK;
        int rc = scan_token(ps, &p, end);
        if (!rc)
            rc = take_token(ps);
        if (rc)
            return rc;
    }
}

static int is_comment_line(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p < end && *p == '#';
}

static int check_limits(struct netrc_parser *ps, const char *start,
                        size_t len)
{
    if (len > NETRC_LINE_MAX)
        return parse_fail(ps, "line longer than 16384 bytes");
    if ((size_t)(start - ps->data) + len > NETRC_FILE_MAX)
        return parse_fail(ps, "file larger than 1048576 bytes");
    return PKGAUTH_OK;
}

/* One line, without its '\n'. */
static int parse_line(struct netrc_parser *ps, const char *start,
                      const char *end)
{
    size_t len = (size_t)(end - start);
    int rc = check_limits(ps, start, len);
    if (rc || is_comment_line(start, end))
        return rc; /* curl drops comment lines before parsing */
    ps->content += len + 1;
    if (ps->content > NETRC_CONTENT_MAX)
        return parse_fail(ps, "more than 131072 bytes of content");
    if (ps->in_macdef) {
        /* A macro body ends at an empty line (curl: first byte \n or \r). */
        if (len == 0 || start[0] == '\r')
            ps->in_macdef = 0;
        return PKGAUTH_OK;
    }
    /* curl handles each line as a C string: a NUL ends it. */
    const char *nul = memchr(start, '\0', len);
    return parse_tokens(ps, start, nul ? nul : end);
}

static int parse_lines(struct netrc_parser *ps, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        ps->line++;
        int rc = parse_line(ps, p, eol);
        if (rc)
            return rc;
        p = nl ? nl + 1 : end;
    }
    return PKGAUTH_OK;
}

int pkgauth_netrc_parse(const char *data, size_t len, const char *file,
                        pkgauth_netrc **out, pkgauth_error *err)
{
    if (!out || (!data && len))
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "netrc: bad argument");
    *out = NULL;
    struct netrc_parser *ps = calloc(1, sizeof *ps);
    pkgauth_netrc *netrc = calloc(1, sizeof *netrc);
    if (!ps || !netrc) {
        free(ps);
        free(netrc);
        return nomem(err);
    }
    ps->file = file ? file : "netrc";
    ps->data = data;
    ps->netrc = netrc;
    ps->err = err;
    int rc = parse_lines(ps, data, len);
    /* The scratch token may hold the last password read. */
    pkgauth_wipe_free(ps, sizeof *ps);
    if (rc) {
        pkgauth_netrc_free(netrc);
        return rc;
    }
    *out = netrc;
    return PKGAUTH_OK;
}

/* ---- loading ---- */

/* The null device under any name: the usual way to say "no netrc". */
static int is_dev_null(const char *path)
{
    struct stat st, null;
    return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && stat("/dev/null", &null) == 0 &&
           S_ISCHR(null.st_mode) && st.st_rdev == null.st_rdev;
}

int pkgauth_netrc_load(const char *path, pkgauth_netrc **out,
                       pkgauth_error *err)
{
    if (!path || !out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "netrc: bad argument");
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    if (is_dev_null(path)) /* NETRC=/dev/null: an empty netrc, as curl reads it */
        return pkgauth_netrc_parse("", 0, path, out, err);
    /* An oversized file is read one byte over the limit: the parser says so. */
    int rc = pkgauth_file_read(path, NETRC_FILE_MAX, &buf, &len, NULL, err);
    if (rc)
        return rc;
    rc = pkgauth_netrc_parse(buf, len, path, out, err);
    pkgauth_wipe_free(buf, len + 1);
    return rc;
}

/* ---- lookup ---- */

static int host_matches(const pkgauth_netrc_entry *e, const char *host)
{
    return e->is_default || (e->host && !strcasecmp(e->host, host));
}

/* Decides whether e answers for the asked login (NULL = any), as curl
 * does; see netrc.h. */
static int entry_answers(const pkgauth_netrc_entry *e, const char *login,
                         const char **login_out, const char **password_out)
{
    if (!e->login && !e->password)
        return 0;
    if (login && e->login) {
        /* Exact comparison: unit1304 rejects prefixes and case changes. */
        if (strcmp(e->login, login) != 0 || !e->password)
            return 0; /* test478: our login but no password: keep looking */
    }
    *login_out = e->login ? e->login : (login ? login : "");
    *password_out = e->password ? e->password : "";
    return 1;
}

/* The first entry, in file order, that answers for host and login among
 * the machines (defaults 0), the defaults (1) or both (-1). */
static int lookup(const pkgauth_netrc *netrc, const char *host, const char *login,
                  int defaults, const char **login_out, const char **password_out)
{
    if (!netrc || !host || !login_out || !password_out)
        return PKGAUTH_EINVAL;
    *login_out = NULL;
    *password_out = NULL;
    if (login && !*login)
        login = NULL; /* curl: an empty user name means "not given" */
    for (size_t i = 0; i < netrc->count; i++) {
        const pkgauth_netrc_entry *e = &netrc->entries[i];
        if ((defaults < 0 || e->is_default == defaults) && host_matches(e, host) &&
            entry_answers(e, login, login_out, password_out))
            return PKGAUTH_OK;
    }
    return PKGAUTH_ENOTFOUND;
}

int pkgauth_netrc_lookup(const pkgauth_netrc *netrc, const char *host,
                         const char *login, const char **login_out,
                         const char **password_out)
{
    return lookup(netrc, host, login, -1, login_out, password_out);
}

int pkgauth_netrc_lookup_default_last(const pkgauth_netrc *netrc, const char *host,
                                      const char *login, const char **login_out,
                                      const char **password_out)
{
    int rc = lookup(netrc, host, login, 0, login_out, password_out);
    return rc == PKGAUTH_ENOTFOUND ? lookup(netrc, host, login, 1, login_out, password_out)
                                   : rc;
}

size_t pkgauth_netrc_count(const pkgauth_netrc *netrc)
{
    return netrc ? netrc->count : 0;
}

const pkgauth_netrc_entry *pkgauth_netrc_entry_at(const pkgauth_netrc *netrc,
                                                  size_t index)
{
    if (!netrc || index >= netrc->count)
        return NULL;
    return &netrc->entries[index];
}

void pkgauth_netrc_free(pkgauth_netrc *netrc)
{
    if (!netrc)
        return;
    for (size_t i = 0; i < netrc->count; i++) {
        pkgauth_free(netrc->entries[i].host);
        pkgauth_free(netrc->entries[i].login);
        pkgauth_free(netrc->entries[i].password);
    }
    pkgauth_wipe_free(netrc->entries, netrc->cap * sizeof *netrc->entries);
    pkgauth_wipe_free(netrc, sizeof *netrc);
}
