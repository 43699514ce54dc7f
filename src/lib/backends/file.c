/* The JSON credentials file (~/.rattler/credentials.json, RATTLER_AUTH_FILE).
 *
 * Format and bytes match rattler: one compact object, keys sorted, no
 * trailing newline. Unlike rattler we never lose a concurrent write: every
 * change holds an exclusive flock on "<file>.lock" from reading the current
 * file to renaming the new one over it. Readers take no lock: rename is
 * atomic, so they see the old file or the new one, never half of one. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "backends.h"
#include "credential_internal.h"
#include "error.h"
#include "file.h"
#include "file_tmp.h"
#include "json_index.h"
#include "memory.h"

/* No credentials file is anywhere near this; refuse rather than exhaust memory. */
#define MAX_FILE_SIZE (256L * 1024 * 1024)

/* Reads never build a jansson tree of the whole file (see json_index.h):
 * the first read keeps the file's bytes and an index of its members, and a
 * lookup parses only the one value it needs, once: a resolver asks for the
 * same few keys again and again, and a parse costs several times a lookup. */
typedef struct {
    pkgauth_backend base;
    char *path;
    atomic_int loaded;        /* text and index hold the file (a missing file: empty) */
    char *text;               /* the file's bytes: secrets, wiped before freeing */
    size_t len;
    pkgauth_json_index index; /* over text */
    json_t **values;          /* members' parsed values, made on first use */
    /* Readers run in parallel (the store's read lock) and fill the cache
     * above: loaded, text, index and values are set under this mutex
     * (loaded last, so a reader that sees it set may skip the mutex).
     * Writers hold the store's write lock, so no reader sees a change. */
    pthread_mutex_t cache_lock;
} file_backend;

/* ---- reading ------------------------------------------------------------ */

/* Reads the whole file. A missing file gives *buf = NULL and PKGAUTH_OK.
 * *mode (may be NULL) receives the file's permission bits. */
static int read_all(const char *path, char **buf, size_t *len, mode_t *mode, pkgauth_error *err)
{
    unsigned bits = 0;
    int rc = pkgauth_file_read(path, MAX_FILE_SIZE, buf, len, &bits, err);
    if (rc == PKGAUTH_ENOTFOUND)
        return PKGAUTH_OK;
    if (!rc && *len > MAX_FILE_SIZE) {
        pkgauth_wipe_free(*buf, *len + 1);
        *buf = NULL;
        return pkgauth_error_set(err, PKGAUTH_EIO, "%s: file too large (more than %ld bytes)",
                                 path, MAX_FILE_SIZE);
    }
    if (mode)
        *mode = (mode_t)bits;
    return rc;
}

/* Line and column (1-based) of byte offset pos. */
static void line_col(const char *buf, size_t pos, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            (*col)++; /* count characters, not UTF-8 continuation bytes */
        }
    }
}

/* Offset of the first byte of the top-level member named key, found by a
 * small scan of the (already valid) JSON text: jansson keeps no positions,
 * and an error that names the line of a bad entry is worth this. */
static size_t locate_member(const char *buf, size_t len, const char *key)
{
    size_t klen = strlen(key);
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (ch == '"') {
            size_t start = i++;
            while (i < len && buf[i] != '"')
                i += buf[i] == '\\' ? 2 : 1;
            if (depth == 1 && i - start - 1 == klen && !memcmp(buf + start + 1, key, klen)) {
                size_t j = i + 1;
                while (j < len && strchr(" \t\r\n", buf[j]))
                    j++;
                if (j < len && buf[j] == ':')
                    return start;
            }
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return 0;
}

static size_t first_token(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", buf[i]))
        i++;
    return i < len ? i : 0;
}

static int error_at(pkgauth_error *err, const char *path, const char *buf, size_t pos,
                    const char *what)
{
    int line, col;
    line_col(buf, pos, &line, &col);
    return pkgauth_error_set(err, PKGAUTH_EPARSE, "%s:%d:%d: %s", path, line, col, what);
}

/* The message for a file the index refused, in the form parse() gives. */
static int index_error(pkgauth_error *err, const char *path, const char *buf, int code,
                       const pkgauth_json_error *je)
{
    char msg[400];
    if (code == PKGAUTH_JSON_ENOMEM)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (code == PKGAUTH_JSON_ESYNTAX)
        snprintf(msg, sizeof msg, "invalid JSON: %s", je->reason);
    else if (code == PKGAUTH_JSON_ENOTOBJECT)
        snprintf(msg, sizeof msg, "not a credentials file: %s", je->reason);
    else
        snprintf(msg, sizeof msg, "entry \"%s\": %s", je->key, je->reason);
    return error_at(err, path, buf, je->offset, msg);
}

/* Parses and validates the text of a credentials file. */
static int parse(const char *path, const char *buf, size_t len, json_t **out,
                 pkgauth_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, 0, &jerr);
    if (!root)
        return pkgauth_error_set(err, PKGAUTH_EPARSE, "%s:%d:%d: invalid JSON: %s", path,
                                 jerr.line, jerr.column > 0 ? jerr.column : 1,
                                 pkgauth_json_error_what(&jerr));
    if (!json_is_object(root)) {
        json_decref(root);
        return error_at(err, path, buf, first_token(buf, len),
                        "not a credentials file: expected a JSON object of credentials");
    }
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value) {
        char why[160], msg[300];
        if (pkgauth_credential_check_value(value, why, sizeof why)) {
            snprintf(msg, sizeof msg, "entry \"%.80s\": %s", key, why);
            size_t pos = locate_member(buf, len, key); /* before key is freed */
            json_decref(root);
            return error_at(err, path, buf, pos, msg);
        }
    }
    *out = root;
    return PKGAUTH_OK;
}

/* Reads and parses the file now, for an edit; a missing file is an empty
 * object. The index checks the text first, so a bad file is explained in
 * the same words as on the read path; parse() then builds the tree. */
static int load(const char *path, json_t **out, pkgauth_error *err)
{
    char *buf;
    size_t len;
    int rc = read_all(path, &buf, &len, NULL, err);
    if (rc)
        return rc;
    if (!buf) {
        *out = json_object();
        return *out ? PKGAUTH_OK : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    pkgauth_json_index ix;
    pkgauth_json_error je;
    int code = pkgauth_json_index_build(&ix, buf, len, &je);
    rc = code ? index_error(err, path, buf, code, &je) : parse(path, buf, len, out, err);
    pkgauth_json_index_free(&ix);
    pkgauth_wipe_free(buf, len);
    return rc;
}

/* Forgets the file's text and index; the next read loads them again. */
static void drop_cache(file_backend *f)
{
    for (size_t i = 0; f->values && i < f->index.count; i++)
        json_decref(f->values[i]);
    free(f->values);
    f->values = NULL;
    pkgauth_json_index_free(&f->index);
    pkgauth_wipe_free(f->text, f->len);
    f->text = NULL;
    f->len = 0;
    f->loaded = 0;
}

/* Makes text (which f now owns) the cached file, indexing it. */
static int adopt_text(file_backend *f, char *text, size_t len, pkgauth_error *err)
{
    pkgauth_json_error je;
    int code = pkgauth_json_index_build(&f->index, text, len, &je);
    int rc = code ? index_error(err, f->path, text, code, &je) : PKGAUTH_OK;
    if (rc) {
        pkgauth_wipe_free(text, len);
        return rc;
    }
    f->text = text;
    f->len = len;
    f->loaded = 1;
    return PKGAUTH_OK;
}

static int load_cache(file_backend *f, pkgauth_error *err)
{
    if (f->loaded)
        return PKGAUTH_OK;
    char *buf;
    size_t len;
    mode_t mode = 0;
    pkgauth_tmp_sweep_if_idle(f->path);
    int rc = read_all(f->path, &buf, &len, &mode, err);
    if (rc)
        return rc;
    /* Secrets readable by others: say so (the next write makes it 0600). */
    if (buf && (mode & 077))
        pkgauth_backend_warn(&f->base, "%s is readable by other users (mode %04o): run 'chmod 600 %s'",
                             f->path, (unsigned)mode, f->path);
    if (!buf) { /* no file: an empty store, as an empty index */
        memset(&f->index, 0, sizeof f->index);
        f->loaded = 1;
        return PKGAUTH_OK;
    }
    return adopt_text(f, buf, len, err);
}

static int ensure_loaded(file_backend *f, pkgauth_error *err)
{
    if (atomic_load_explicit(&f->loaded, memory_order_acquire))
        return PKGAUTH_OK; /* the usual case: no lock */
    pthread_mutex_lock(&f->cache_lock);
    int rc = load_cache(f, err);
    pthread_mutex_unlock(&f->cache_lock);
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

/* Creates the missing folders of path's parent with mode 0700. */
static int make_parent_dirs(const char *path, pkgauth_error *err)
{
    char *dir = strdup(path);
    if (!dir)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    char *slash = strrchr(dir, '/');
    int rc = PKGAUTH_OK;
    for (char *p = dir + 1; slash && p <= slash && !rc; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) && errno != EEXIST)
            rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: cannot create folder: %s", dir,
                                   strerror(errno));
        *p = '/';
    }
    free(dir);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The file's bytes as rattler writes them: compact, keys sorted (byte order,
 * like Rust's String ordering), credential fields in struct order. */
static char *serialize(json_t *root, size_t *len)
{
    size_t n = json_object_size(root), i = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    json_t *sorted = json_object();
    const char *key;
    json_t *value;
    char *text = NULL;
    if (!keys || !sorted)
        goto out;
    json_object_foreach(root, key, value)
        keys[i++] = key;
    qsort(keys, n, sizeof *keys, cmp_str);
    for (i = 0; i < n; i++)
        if (json_object_set(sorted, keys[i], json_object_get(root, keys[i])))
            goto out;
    text = json_dumps(sorted, JSON_COMPACT);
    if (text)
        *len = strlen(text);
out:
    free(keys);
    json_decref(sorted);
    return text;
}

static int write_fully(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes text to a temporary file beside path, syncs it, renames it over
 * path and syncs the folder, so a crash leaves the old or the new file.
 * The temporary's name, ".<name>.pkgauth-XXXXXX", is one no user file has:
 * pkgauth_tmp_sweep() deletes what a killed writer left by that name. */
static int replace_file(const char *path, const char *text, size_t len, pkgauth_error *err)
{
    char *copy = strdup(path), *tmp = NULL;
    if (!copy || asprintf(&tmp, "%s/.%s.pkgauth-XXXXXX", dirname(copy), basename((char *)path)) < 0) {
        free(copy);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    int rc = PKGAUTH_OK;
    int guard = pkgauth_tmp_guard(tmp); /* a signal now removes it first */
    int fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600 */
    if (fd < 0) {
        rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: cannot create temporary file: %s", path,
                               strerror(errno));
    } else {
        if (write_fully(fd, text, len) || fsync(fd))
            rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: cannot write: %s", path,
                                   strerror(errno));
        if (close(fd) && !rc)
            rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: cannot write: %s", path,
                                   strerror(errno));
        if (!rc && rename(tmp, path))
            rc = pkgauth_error_set(err, PKGAUTH_EIO, "%s: cannot replace: %s", path,
                                   strerror(errno));
        if (rc)
            unlink(tmp);
    }
    pkgauth_tmp_unguard(guard);
    if (!rc) {
        strcpy(copy, path);
        int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    free(copy);
    free(tmp);
    return rc;
}

/* Takes the exclusive lock that serialises writers of path. Returns the
 * lock's descriptor (closing it releases the lock) or -1. */
static int lock_file(const char *path, pkgauth_error *err)
{
    char *lockpath;
    if (asprintf(&lockpath, "%s.lock", path) < 0) {
        pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
        return -1;
    }
    int fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int rc = 0;
    while (fd >= 0 && (rc = flock(fd, LOCK_EX)) && errno == EINTR)
        ;
    if (fd < 0 || rc) {
        pkgauth_error_set(err, PKGAUTH_EIO, "%s: cannot lock: %s", lockpath, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    free(lockpath);
    return fd;
}

typedef int (*edit_fn)(json_t *root, const char *key, const pkgauth_credential *cred,
                       pkgauth_error *err);

/* The read-modify-write cycle, under the lock from read to rename. */
static int update(file_backend *f, const char *key, const pkgauth_credential *cred,
                  edit_fn edit, pkgauth_error *err)
{
    int rc = make_parent_dirs(f->path, err);
    int lock = rc ? -1 : lock_file(f->path, err);
    if (lock < 0)
        return rc ? rc : PKGAUTH_EIO;
    pkgauth_tmp_sweep(f->path); /* what writers killed mid-write left */
    json_t *root = NULL;
    rc = load(f->path, &root, err);
    if (!rc)
        rc = edit(root, key, cred, err);
    size_t len = 0;
    char *text = rc ? NULL : serialize(root, &len);
    if (!rc && !text)
        rc = pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (!rc)
        rc = replace_file(f->path, text, len, err);
    close(lock);
    json_decref(root);
    /* Reads now see what was written: the new text becomes the cache. */
    drop_cache(f);
    if (!rc && adopt_text(f, text, len, NULL))
        drop_cache(f); /* cannot happen (it is our own output); read again later */
    else if (rc)
        pkgauth_wipe_free(text, len);
    return rc;
}

static int edit_set(json_t *root, const char *key, const pkgauth_credential *cred,
                    pkgauth_error *err)
{
    json_t *v = pkgauth_credential_to_value(cred);
    if (!v || json_object_set_new(root, key, v))
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    return PKGAUTH_OK;
}

static int edit_remove(json_t *root, const char *key, const pkgauth_credential *cred,
                       pkgauth_error *err)
{
    (void)cred;
    (void)err;
    return json_object_del(root, key) ? PKGAUTH_ENOTFOUND : PKGAUTH_OK;
}

/* ---- the backend operations -------------------------------------------- */

/* The parsed value of an indexed member: jansson reads just its bytes. */
static json_t *member_value(file_backend *f, const pkgauth_json_member *m)
{
    size_t i = (size_t)(m - f->index.members);
    json_t *v = NULL;
    json_error_t jerr;
    pthread_mutex_lock(&f->cache_lock);
    if (f->values || (f->values = calloc(f->index.count, sizeof *f->values))) {
        if (!f->values[i])
            f->values[i] = json_loadb(f->text + m->val_at, m->val_len, 0, &jerr);
        v = f->values[i];
    }
    pthread_mutex_unlock(&f->cache_lock);
    return v; /* never changed until the next write: read it unlocked */
}

static int member_credential(file_backend *f, const pkgauth_json_member *m,
                             pkgauth_credential **out, pkgauth_error *err)
{
    json_t *v = member_value(f, m);
    char why[160];
    int rc = v ? pkgauth_credential_from_value(v, out, why, sizeof why) : PKGAUTH_ENOMEM;
    if (rc == PKGAUTH_EPARSE) /* the index checked the shape: not expected */
        return pkgauth_error_set(err, rc, "%s: invalid credential: %s", f->path, why);
    if (rc)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    return PKGAUTH_OK;
}

static int file_get(pkgauth_backend *b, const char *key, pkgauth_credential **out,
                    pkgauth_error *err)
{
    file_backend *f = (file_backend *)b;
    int rc = ensure_loaded(f, err);
    if (rc)
        return rc;
    const pkgauth_json_member *m = pkgauth_json_index_find(&f->index, key, strlen(key));
    return m ? member_credential(f, m, out, err) : PKGAUTH_ENOTFOUND;
}

static int file_store(pkgauth_backend *b, const char *key, const pkgauth_credential *cred,
                      pkgauth_error *err)
{
    return update((file_backend *)b, key, cred, edit_set, err);
}

static int file_remove(pkgauth_backend *b, const char *key, pkgauth_error *err)
{
    file_backend *f = (file_backend *)b;
    /* Check first, so removing an absent key never rewrites the file. */
    int rc = ensure_loaded(f, err);
    if (rc)
        return rc;
    if (!pkgauth_json_index_find(&f->index, key, strlen(key)))
        return PKGAUTH_ENOTFOUND;
    return update(f, key, NULL, edit_remove, err);
}

/* Calls fn for one member; keys in the file text are not NUL-terminated,
 * so the key goes through buf (as long as the longest key, plus one). */
static int list_member(file_backend *f, const pkgauth_json_member *m, char *buf,
                       pkgauth_list_fn fn, void *ctx, int *stop, pkgauth_error *err)
{
    pkgauth_credential *c = NULL;
    int rc = member_credential(f, m, &c, err);
    if (rc)
        return rc;
    memcpy(buf, m->key, m->key_len);
    buf[m->key_len] = '\0';
    *stop = fn(ctx, buf, c);
    pkgauth_credential_free(c);
    return PKGAUTH_OK;
}

static int file_list(pkgauth_backend *b, pkgauth_list_fn fn, void *ctx, pkgauth_error *err)
{
    file_backend *f = (file_backend *)b;
    int rc = ensure_loaded(f, err);
    if (rc)
        return rc;
    size_t longest = 0;
    for (size_t i = 0; i < f->index.count; i++)
        longest = f->index.members[i].key_len > longest ? f->index.members[i].key_len : longest;
    char *buf = malloc(longest + 1);
    if (!buf)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    int stop = 0;
    for (size_t i = 0; i < f->index.count && !rc && !stop; i++)
        if (f->index.members[i].live)
            rc = list_member(f, &f->index.members[i], buf, fn, ctx, &stop, err);
    free(buf);
    return rc;
}

static void file_free(pkgauth_backend *b)
{
    file_backend *f = (file_backend *)b;
    drop_cache(f);
    pthread_mutex_destroy(&f->cache_lock);
    free(f->path);
    free(b->name);
    free(f);
}

/* A write that lands here is stored in plain text (the store says so
 * when an encrypted store before this one was missing). */
static const char *file_plaintext_location(const pkgauth_backend *b)
{
    return ((const file_backend *)b)->path;
}

static const pkgauth_backend_ops file_ops = {
    .get = file_get, .store = file_store, .remove = file_remove, .list = file_list,
    .free = file_free, .plaintext_location = file_plaintext_location,
};

int pkgauth_backend_file_new(const char *path, pkgauth_backend **out, pkgauth_error *err)
{
    if (!path || !*path)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "empty credentials file path");
    /* "f.json/" names a folder: writing would create one called f.json. */
    if (path[strlen(path) - 1] == '/')
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "%s: the credentials file path ends in '/': give a file name",
                                 path);
    file_backend *f = calloc(1, sizeof *f);
    if (f)
        pthread_mutex_init(&f->cache_lock, NULL);
    if (!f || !(f->path = strdup(path)) || asprintf(&f->base.name, "file (%s)", path) < 0) {
        if (f)
            free(f->path);
        free(f);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    f->base.version = PKGAUTH_BACKEND_VERSION;
    f->base.ops = &file_ops;
    f->base.parallel_reads = 1;
    *out = &f->base;
    return PKGAUTH_OK;
}
