/* The credential model and its JSON form.
 *
 * JSON is externally tagged as rattler (serde) writes it. Field order inside
 * a credential follows rattler's struct order, which is not alphabetical
 * (username before password), so values are built field by field. */
#include "credential_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "memory.h"

struct pkgauth_credential {
    pkgauth_method method;
    char *token;      /* bearer, conda; OAuth access token */
    char *username;   /* basic */
    char *password;   /* basic */
    char *key_id;     /* S3 */
    char *secret;     /* S3 */
    char *session;    /* S3, optional */
    json_t *oauth;    /* OAuth: the whole object, written back unchanged */
    int64_t expires_at;
};

static pkgauth_credential *alloc_cred(pkgauth_method m)
{
    pkgauth_credential *c = calloc(1, sizeof *c);
    if (c)
        c->method = m;
    return c;
}

/* *out = c when every required copy was made; else frees c: ENOMEM. */
static int check_copies(pkgauth_credential *c, int ok, pkgauth_credential **out,
                        pkgauth_error *err)
{
    if (!ok) {
        pkgauth_credential_free(c);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    *out = c;
    return PKGAUTH_OK;
}

/* Clears *out and refuses a missing required argument, naming it. */
static int start(pkgauth_credential **out, const char *what, int given, pkgauth_error *err)
{
    if (out)
        *out = NULL;
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "%s: out is required", what);
    if (!given)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "%s is required", what);
    return PKGAUTH_OK;
}

static int new_token(pkgauth_credential **out, pkgauth_method m, const char *what,
                     const char *token, pkgauth_error *err)
{
    int rc = start(out, what, token != NULL, err);
    pkgauth_credential *c = rc ? NULL : alloc_cred(m);
    if (rc || !c)
        return rc ? rc : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    c->token = strdup(token);
    return check_copies(c, c->token != NULL, out, err);
}

int pkgauth_credential_new_bearer(pkgauth_credential **out, const char *token,
                                  pkgauth_error *err)
{
    return new_token(out, PKGAUTH_METHOD_BEARER, "bearer token", token, err);
}

int pkgauth_credential_new_conda(pkgauth_credential **out, const char *token,
                                 pkgauth_error *err)
{
    return new_token(out, PKGAUTH_METHOD_CONDA, "conda token", token, err);
}

int pkgauth_credential_new_basic(pkgauth_credential **out, const char *username,
                                 const char *password, pkgauth_error *err)
{
    int rc = start(out, username ? "basic password" : "basic username",
                   username && password, err);
    pkgauth_credential *c = rc ? NULL : alloc_cred(PKGAUTH_METHOD_BASIC);
    if (rc || !c)
        return rc ? rc : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    c->username = strdup(username);
    c->password = strdup(password);
    return check_copies(c, c->username && c->password, out, err);
}

int pkgauth_credential_new_s3(pkgauth_credential **out, const char *access_key_id,
                              const char *secret_access_key, const char *session_token,
                              pkgauth_error *err)
{
    int rc = start(out, access_key_id ? "S3 secret_access_key" : "S3 access_key_id",
                   access_key_id && secret_access_key, err);
    pkgauth_credential *c = rc ? NULL : alloc_cred(PKGAUTH_METHOD_S3);
    if (rc || !c)
        return rc ? rc : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    c->key_id = strdup(access_key_id);
    c->secret = strdup(secret_access_key);
    c->session = pkgauth_strdup(session_token);
    return check_copies(c, c->key_id && c->secret && (c->session || !session_token), out,
                        err);
}

int pkgauth_credential_dup(pkgauth_credential **out, const pkgauth_credential *src,
                           pkgauth_error *err)
{
    int rc = start(out, "credential to copy", src != NULL, err);
    pkgauth_credential *c = rc ? NULL : alloc_cred(src->method);
    if (rc || !c)
        return rc ? rc : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    c->token = pkgauth_strdup(src->token);
    c->username = pkgauth_strdup(src->username);
    c->password = pkgauth_strdup(src->password);
    c->key_id = pkgauth_strdup(src->key_id);
    c->secret = pkgauth_strdup(src->secret);
    c->session = pkgauth_strdup(src->session);
    c->oauth = src->oauth ? json_deep_copy(src->oauth) : NULL;
    c->expires_at = src->expires_at;
    int ok = (!src->token || c->token) && (!src->username || c->username) &&
             (!src->password || c->password) && (!src->key_id || c->key_id) &&
             (!src->secret || c->secret) && (!src->session || c->session) &&
             (!src->oauth || c->oauth);
    return check_copies(c, ok, out, err);
}

void pkgauth_credential_free(pkgauth_credential *c)
{
    if (!c)
        return;
    pkgauth_free(c->token);
    pkgauth_free(c->username);
    pkgauth_free(c->password);
    pkgauth_free(c->key_id);
    pkgauth_free(c->secret);
    pkgauth_free(c->session);
    json_decref(c->oauth);
    explicit_bzero(c, sizeof *c);
    free(c);
}

pkgauth_method pkgauth_credential_method(const pkgauth_credential *c)
{
    return c ? c->method : 0;
}

const char *pkgauth_method_name(pkgauth_method m)
{
    switch (m) {
    case PKGAUTH_METHOD_BEARER: return "BearerToken";
    case PKGAUTH_METHOD_BASIC: return "BasicHTTP";
    case PKGAUTH_METHOD_CONDA: return "CondaToken";
    case PKGAUTH_METHOD_S3: return "S3";
    case PKGAUTH_METHOD_OAUTH: return "OAuth";
    }
    return "unknown";
}

/* A NULL credential has no fields. */
const char *pkgauth_credential_token(const pkgauth_credential *c) { return c ? c->token : NULL; }
const char *pkgauth_credential_username(const pkgauth_credential *c) { return c ? c->username : NULL; }
const char *pkgauth_credential_password(const pkgauth_credential *c) { return c ? c->password : NULL; }
const char *pkgauth_credential_access_key_id(const pkgauth_credential *c) { return c ? c->key_id : NULL; }
const char *pkgauth_credential_secret_access_key(const pkgauth_credential *c) { return c ? c->secret : NULL; }
const char *pkgauth_credential_session_token(const pkgauth_credential *c) { return c ? c->session : NULL; }
int64_t pkgauth_credential_expires_at(const pkgauth_credential *c) { return c ? c->expires_at : 0; }

/* ---- JSON -> credential ------------------------------------------------ */

static int fail(char *why, size_t n, const char *msg)
{
    snprintf(why, n, "%s", msg);
    return PKGAUTH_EPARSE;
}

static const char *string_field(const json_t *obj, const char *name)
{
    return json_string_value(json_object_get(obj, name));
}

/* ---- field contents ------------------------------------------------------ */

int pkgauth_cp_flags(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F)
        return PKGAUTH_CP_CONTROL | PKGAUTH_CP_NOT_CONDA;
    if (cp == '/' || cp == '?' || cp == '#' || cp == '%' || cp == ' ')
        return PKGAUTH_CP_NOT_CONDA;
    /* Unicode white space (the White_Space property beyond ASCII). */
    if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
        cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000)
        return PKGAUTH_CP_NOT_CONDA;
    return 0;
}

int pkgauth_text_flags(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int flags = 0;
    while (p < end) {
        uint32_t c = *p;
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (n > 1)
            c &= 0x3Fu >> (n - 1);
        for (int i = 1; i < n && p + i < end; i++)
            c = c << 6 | (p[i] & 0x3F);
        flags |= pkgauth_cp_flags(c);
        p += n;
    }
    return flags;
}

const char *pkgauth_field_problem(const char *field, int flags, int conda)
{
    static const char *const control[] = {
        "the token contains a control character",
        "\"username\" contains a control character",
        "\"password\" contains a control character",
        "\"access_key_id\" contains a control character",
        "\"secret_access_key\" contains a control character",
        "\"session_token\" contains a control character",
        "\"access_token\" contains a control character",
    };
    static const char *const names[] = {"username", "password", "access_key_id",
                                        "secret_access_key", "session_token", "access_token"};
    if (flags & PKGAUTH_CP_CONTROL) {
        for (size_t i = 0; field && i < sizeof names / sizeof *names; i++)
            if (!strcmp(field, names[i]))
                return control[i + 1];
        return control[0];
    }
    if (conda && (flags & PKGAUTH_CP_NOT_CONDA))
        return "a conda token must not contain '/', '?', '#', '%' or white space";
    return NULL;
}

int pkgauth_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        int n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (c < 0xC2 || c > 0xF4 || p[1] < lo || p[1] > hi)
            return 0;
        for (int i = 2; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

const char *pkgauth_credential_text_problem(const char *text, int conda_token)
{
    if (!text)
        return "is missing";
    if (!pkgauth_utf8_valid(text))
        return "is not valid UTF-8";
    int flags = pkgauth_text_flags(text, strlen(text));
    if (flags & PKGAUTH_CP_CONTROL)
        return "contains a control character";
    if (conda_token && (flags & PKGAUTH_CP_NOT_CONDA))
        return "must not contain '/', '?', '#', '%' or white space";
    return NULL;
}

/* The reason when a string field of a credential is not allowed. */
static const char *string_problem(const json_t *v, const char *field, int conda)
{
    if (!json_is_string(v))
        return NULL;
    int flags = pkgauth_text_flags(json_string_value(v), json_string_length(v));
    return pkgauth_field_problem(field, flags, conda);
}

/* The first field of a well-shaped body that holds what no field may. */
static const char *body_problem(pkgauth_method m, const json_t *b)
{
    static const char *const basic[] = {"username", "password", NULL};
    static const char *const s3[] = {"access_key_id", "secret_access_key", "session_token",
                                     NULL};
    static const char *const oauth[] = {"access_token", NULL};
    const char *const *fields = m == PKGAUTH_METHOD_BASIC ? basic
                                : m == PKGAUTH_METHOD_S3  ? s3
                                : m == PKGAUTH_METHOD_OAUTH ? oauth
                                                            : NULL;
    if (!fields)
        return string_problem(b, NULL, m == PKGAUTH_METHOD_CONDA);
    for (; *fields; fields++) {
        const char *why = string_problem(json_object_get(b, *fields), *fields, 0);
        if (why)
            return why;
    }
    return NULL;
}

/* rattler's OAuth expires_at: seconds since the epoch, or RFC 3339 text. */
static int64_t parse_expiry(const json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v);
    const char *s = json_string_value(v);
    struct tm tm = {0};
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
        return 0;
    return (int64_t)timegm(&tm);
}

/* The body of a {"<kind>": body} value, and its method; 0 when the shape
 * is wrong, with the reason (never a secret) in why. Copies nothing, so
 * loading a large file can validate every entry cheaply. */
static pkgauth_method check_shape(const json_t *value, const json_t **body, char *why,
                                  size_t n)
{
    if (!json_is_object(value) || json_object_size(value) != 1)
        return fail(why, n, "a credential must be an object with exactly one of BearerToken, "
                            "BasicHTTP, CondaToken, S3Credentials, OAuth"), 0;
    void *it = json_object_iter((json_t *)value);
    const char *kind = json_object_iter_key(it);
    const json_t *b = *body = json_object_iter_value(it);
    if (!strcmp(kind, "BearerToken") || !strcmp(kind, "CondaToken")) {
        if (!json_is_string(b))
            return fail(why, n, "a token must be a string"), 0;
        return kind[0] == 'B' ? PKGAUTH_METHOD_BEARER : PKGAUTH_METHOD_CONDA;
    }
    if (!strcmp(kind, "BasicHTTP")) {
        if (!string_field(b, "username") || !string_field(b, "password"))
            return fail(why, n, "BasicHTTP needs string \"username\" and \"password\""), 0;
        return PKGAUTH_METHOD_BASIC;
    }
    if (!strcmp(kind, "S3Credentials")) {
        const json_t *session = json_object_get(b, "session_token");
        if (!string_field(b, "access_key_id") || !string_field(b, "secret_access_key"))
            return fail(why, n, "S3Credentials needs string \"access_key_id\" and "
                                "\"secret_access_key\""), 0;
        if (session && !json_is_null(session) && !json_is_string(session))
            return fail(why, n, "S3Credentials \"session_token\" must be a string or null"), 0;
        return PKGAUTH_METHOD_S3;
    }
    if (!strcmp(kind, "OAuth")) {
        if (!string_field(b, "access_token"))
            return fail(why, n, "OAuth needs an object with a string \"access_token\""), 0;
        return PKGAUTH_METHOD_OAUTH;
    }
    snprintf(why, n, "unknown credential kind \"%.40s\"", kind);
    return 0;
}

/* check_shape, and then the contents of the fields (no control character,
 * no URL syntax in a conda token). */
static pkgauth_method check_value(const json_t *value, const json_t **body, char *why,
                                  size_t n)
{
    pkgauth_method m = check_shape(value, body, why, n);
    const char *problem = m ? body_problem(m, *body) : NULL;
    if (problem)
        return fail(why, n, problem), 0;
    return m;
}

int pkgauth_credential_check_value(const json_t *value, char *why, size_t n)
{
    const json_t *body;
    return check_value(value, &body, why, n) ? PKGAUTH_OK : PKGAUTH_EPARSE;
}

static int new_oauth(const json_t *obj, pkgauth_credential **out)
{
    pkgauth_credential *c = alloc_cred(PKGAUTH_METHOD_OAUTH);
    *out = NULL;
    if (!c)
        return PKGAUTH_ENOMEM;
    c->token = strdup(string_field(obj, "access_token"));
    c->oauth = json_deep_copy(obj);
    c->expires_at = parse_expiry(json_object_get(obj, "expires_at"));
    return check_copies(c, c->token && c->oauth, out, NULL);
}

int pkgauth_credential_validate(const pkgauth_credential *c, char *why, size_t n)
{
    const char *const fields[] = {c->token, c->username, c->password,
                                  c->key_id, c->secret, c->session};
    static const char *const names[] = {"the token", "\"username\"", "\"password\"",
                                        "\"access_key_id\"", "\"secret_access_key\"",
                                        "\"session_token\""};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (fields[i] && !pkgauth_utf8_valid(fields[i])) {
            snprintf(why, n, "%s is not valid UTF-8", names[i]);
            return PKGAUTH_EINVAL;
        }
    json_t *v = pkgauth_credential_to_value(c);
    if (!v)
        return PKGAUTH_ENOMEM;
    const json_t *body;
    int ok = check_value(v, &body, why, n) != 0;
    json_decref(v);
    return ok ? PKGAUTH_OK : PKGAUTH_EINVAL;
}

int pkgauth_credential_from_value(const json_t *value, pkgauth_credential **out,
                                  char *why, size_t n)
{
    const json_t *b;
    pkgauth_method m = check_value(value, &b, why, n);
    if (!m)
        return PKGAUTH_EPARSE;
    switch (m) {
    case PKGAUTH_METHOD_BEARER:
        return pkgauth_credential_new_bearer(out, json_string_value(b), NULL);
    case PKGAUTH_METHOD_CONDA:
        return pkgauth_credential_new_conda(out, json_string_value(b), NULL);
    case PKGAUTH_METHOD_BASIC:
        return pkgauth_credential_new_basic(out, string_field(b, "username"),
                                            string_field(b, "password"), NULL);
    case PKGAUTH_METHOD_S3:
        return pkgauth_credential_new_s3(out, string_field(b, "access_key_id"),
                                         string_field(b, "secret_access_key"),
                                         string_field(b, "session_token"), NULL);
    case PKGAUTH_METHOD_OAUTH:
        break;
    }
    return new_oauth(b, out);
}

const char *pkgauth_json_error_what(const json_error_t *e)
{
    switch (json_error_code(e)) {
    case json_error_out_of_memory: return "out of memory";
    case json_error_stack_overflow: return "nested too deeply";
    case json_error_invalid_utf8: return "invalid UTF-8";
    case json_error_premature_end_of_input: return "premature end of input";
    case json_error_end_of_input_expected: return "text after the end of the value";
    case json_error_invalid_syntax: return "invalid syntax";
    case json_error_wrong_type: return "a value of the wrong type";
    case json_error_null_character: return "a NUL character";
    case json_error_duplicate_key: return "a duplicate key";
    case json_error_numeric_overflow: return "a number out of range";
    default: return "not valid JSON";
    }
}

int pkgauth_credential_from_json(const char *json, size_t len, pkgauth_credential **out,
                                 pkgauth_error *err)
{
    if (out)
        *out = NULL;
    if (!json || !out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "credential_from_json: text and out are required");
    json_error_t jerr;
    json_t *v = json_loadb(json, len, 0, &jerr);
    if (!v)
        return pkgauth_error_set(err, PKGAUTH_EPARSE, "invalid JSON at line %d column %d: %s",
                                 jerr.line, jerr.column, pkgauth_json_error_what(&jerr));
    char why[160];
    int rc = pkgauth_credential_from_value(v, out, why, sizeof why);
    json_decref(v);
    if (rc == PKGAUTH_EPARSE)
        return pkgauth_error_set(err, rc, "invalid credential: %s", why);
    if (rc)
        return pkgauth_error_set(err, rc, "out of memory");
    return PKGAUTH_OK;
}

/* ---- credential -> JSON ------------------------------------------------ */

static json_t *tagged(const char *kind, json_t *body)
{
    json_t *o = body ? json_object() : NULL;
    if (o && json_object_set_new(o, kind, body) == 0)
        return o;
    json_decref(o);
    return NULL;
}

/* Builds an object from name/value pairs in order; takes the values. */
static json_t *object_of(int n, const char *names[], json_t *values[])
{
    json_t *o = json_object();
    int ok = o != NULL;
    for (int i = 0; i < n; i++) {
        ok = ok && values[i] && json_object_set_new(o, names[i], values[i]) == 0;
        if (!ok)
            json_decref(values[i]);
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *pkgauth_credential_to_value(const pkgauth_credential *c)
{
    switch (c->method) {
    case PKGAUTH_METHOD_BEARER:
        return tagged("BearerToken", json_string(c->token));
    case PKGAUTH_METHOD_CONDA:
        return tagged("CondaToken", json_string(c->token));
    case PKGAUTH_METHOD_BASIC: {
        const char *names[] = {"username", "password"};
        json_t *values[] = {json_string(c->username), json_string(c->password)};
        return tagged("BasicHTTP", object_of(2, names, values));
    }
    case PKGAUTH_METHOD_S3: {
        const char *names[] = {"access_key_id", "secret_access_key", "session_token"};
        json_t *values[] = {json_string(c->key_id), json_string(c->secret),
                            c->session ? json_string(c->session) : json_null()};
        return tagged("S3Credentials", object_of(3, names, values));
    }
    case PKGAUTH_METHOD_OAUTH:
        return tagged("OAuth", json_deep_copy(c->oauth));
    }
    return NULL;
}

char *pkgauth_credential_to_json(const pkgauth_credential *c)
{
    json_t *v = c ? pkgauth_credential_to_value(c) : NULL;
    char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
    json_decref(v);
    return s;
}
