/* The store: an ordered chain of backends, and pixi's rules for reading
 * (first hit wins), writing (first backend that accepts) and deleting
 * (every backend that holds the key). It knows backends only through
 * include/pkgauth/sys/backend.h; which ones make up pixi's chain is
 * open.c's business. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credential_internal.h"
#include "error.h"
#include "memory.h"
#include "store_internal.h"

static int missing(pkgauth_error *err, const char *what)
{
    return pkgauth_error_set(err, PKGAUTH_EINVAL, "%s is required", what);
}

int pkgauth_store_new(pkgauth_store **out, pkgauth_error *err)
{
    if (!out)
        return missing(err, "store_new: out");
    pkgauth_store *s = calloc(1, sizeof *s);
    if (!s || pthread_rwlock_init(&s->lock, NULL)) {
        free(s);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    *out = s;
    return PKGAUTH_OK;
}

void pkgauth_store_free(pkgauth_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++) {
        pthread_mutex_destroy(&s->slots[i]->serial);
        s->slots[i]->backend->ops->free(s->slots[i]->backend);
        free(s->slots[i]);
    }
    free(s->slots);
    pthread_rwlock_destroy(&s->lock);
    free(s);
}

/* The lock functions take a const store: readers do not change it, and a
 * lock is not part of what a store holds. */
void pkgauth_store_read_lock(const pkgauth_store *s)
{
    pthread_rwlock_rdlock((pthread_rwlock_t *)&s->lock);
}

void pkgauth_store_write_lock(pkgauth_store *s)
{
    pthread_rwlock_wrlock(&s->lock);
}

void pkgauth_store_unlock(const pkgauth_store *s)
{
    pthread_rwlock_unlock((pthread_rwlock_t *)&s->lock);
}

static pkgauth_backend *at(const pkgauth_store *s, size_t i)
{
    return s->slots[i]->backend;
}

/* Around every read of backend i: serialises the calls of a backend that
 * cannot take parallel reads. */
static pkgauth_backend *enter(pkgauth_store *s, size_t i)
{
    if (!at(s, i)->parallel_reads)
        pthread_mutex_lock(&s->slots[i]->serial);
    return at(s, i);
}

static void leave(pkgauth_store *s, size_t i)
{
    if (!at(s, i)->parallel_reads)
        pthread_mutex_unlock(&s->slots[i]->serial);
}

/* A backend the store can call: this header version, the required parts. */
static int check_backend(const pkgauth_backend *b, pkgauth_error *err)
{
    if (b->version != PKGAUTH_BACKEND_VERSION)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "store_add_backend: backend interface version %u, this "
                                 "library has version %d", b->version, PKGAUTH_BACKEND_VERSION);
    if (!b->ops || !b->ops->get || !b->ops->free || !b->name)
        return missing(err, "store_add_backend: a backend's ops, get, free and name");
    return PKGAUTH_OK;
}

/* Appends b; the caller holds the write lock (readers may be looking up). */
static int append(pkgauth_store *s, pkgauth_backend *b, pkgauth_error *err)
{
    pkgauth_slot *slot = calloc(1, sizeof *slot);
    pkgauth_slot **grown = slot ? realloc(s->slots, (s->count + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(slot);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&slot->serial, NULL);
    slot->backend = b;
    b->warn = s->warn;
    b->warn_ctx = s->warn_ctx;
    s->slots = grown;
    s->slots[s->count++] = slot;
    return PKGAUTH_OK;
}

int pkgauth_store_add_backend(pkgauth_store *s, pkgauth_backend *b, pkgauth_error *err)
{
    if (!s || !b)
        return missing(err, "store_add_backend: store and backend");
    int rc = check_backend(b, err);
    if (rc)
        return rc;
    pkgauth_store_write_lock(s);
    rc = append(s, b, err);
    pkgauth_store_unlock(s);
    return rc;
}

int pkgauth_store_list_at(pkgauth_store *s, size_t i, pkgauth_list_fn fn, void *ctx,
                          pkgauth_error *err)
{
    if (!at(s, i)->ops->list)
        return pkgauth_error_set(err, PKGAUTH_EUNAVAILABLE, "%s cannot be listed",
                                 at(s, i)->name);
    pkgauth_backend *b = enter(s, i);
    int rc = b->ops->list(b, fn, ctx, err);
    leave(s, i);
    return rc;
}

size_t pkgauth_store_backend_count(const pkgauth_store *s)
{
    if (!s)
        return 0;
    pkgauth_store_read_lock(s);
    size_t n = s->count;
    pkgauth_store_unlock(s);
    return n;
}

const char *pkgauth_store_backend_name(const pkgauth_store *s, size_t i)
{
    if (!s)
        return NULL;
    pkgauth_store_read_lock(s);
    const char *name = i < s->count ? at(s, i)->name : NULL;
    pkgauth_store_unlock(s);
    return name;
}

void pkgauth_store_warn(pkgauth_store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pkgauth_warn_va(s->warn, s->warn_ctx, fmt, ap);
    va_end(ap);
}

/* A backend that may hold the key but cannot be asked now (a locked
 * keyring, or one that stopped answering): what it would say is unknown. */
static int cannot_ask(int rc)
{
    return rc == PKGAUTH_ELOCKED || rc == PKGAUTH_EUNREACHABLE;
}

/* A backend that cannot answer right now is skipped instead of failing the
 * whole lookup; one that is not there at all (no keyring) too. */
static int skippable(int rc)
{
    return cannot_ask(rc) || rc == PKGAUTH_EUNAVAILABLE;
}

/* A backend that cannot be asked is worth one warning per store: what it
 * holds may shadow the answer. One that is not there is normal on a server:
 * it stays quiet until a write has to fall back to a plain file
 * (warn_unencrypted). */
static void warn_skipped(pkgauth_store *s, int rc, const pkgauth_error *e)
{
    if (cannot_ask(rc) && !atomic_exchange(&s->warned_skip, 1))
        pkgauth_store_warn(s, "%s; its credentials are not used, so the ones found may be "
                           "shadowed by it", e->message);
}

/* After an unreachable keyring, a write that lands in a backend that
 * keeps it in plain text (a file) is stored unencrypted: say where, and why. */
static void warn_unencrypted(pkgauth_store *s, const pkgauth_error *why, const char *key,
                             const pkgauth_backend *b)
{
    const char *where = b->ops->plaintext_location ? b->ops->plaintext_location(b) : NULL;
    if (why->code == PKGAUTH_EUNAVAILABLE && where)
        pkgauth_store_warn(s, "%s: the credentials for %s are stored unencrypted in %s",
                           why->message, key, where);
}

int pkgauth_store_lookup(pkgauth_store *s, const char *key, pkgauth_credential **out,
                         const char **backend, pkgauth_error *err)
{
    for (size_t i = 0; i < s->count; i++) {
        pkgauth_error e;
        pkgauth_backend *b = enter(s, i);
        int rc = b->ops->get(b, key, out, &e);
        leave(s, i);
        if (rc == PKGAUTH_OK) {
            if (backend)
                *backend = b->name;
            return PKGAUTH_OK;
        }
        if (skippable(rc)) {
            warn_skipped(s, rc, &e);
        } else if (rc != PKGAUTH_ENOTFOUND) {
            if (err)
                *err = e;
            return rc;
        }
    }
    return PKGAUTH_ENOTFOUND;
}

int pkgauth_store_get(pkgauth_store *s, const char *key, pkgauth_credential **out,
                      const char **backend, pkgauth_error *err)
{
    if (out)
        *out = NULL;
    if (!s || !key || !out)
        return missing(err, "store_get: store, key and out");
    pkgauth_store_read_lock(s);
    int rc = pkgauth_store_lookup(s, key, out, backend, err);
    pkgauth_store_unlock(s);
    if (rc == PKGAUTH_ENOTFOUND)
        pkgauth_error_set(err, rc, "no credentials stored for %s", key);
    return rc;
}

static int store_set(pkgauth_store *s, const char *key, const pkgauth_credential *cred,
                     const char **backend, pkgauth_error *err)
{
    if (!key || !*key || !cred)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "a key and a credential are required");
    char why[160];
    int bad = pkgauth_credential_validate(cred, why, sizeof why);
    if (bad == PKGAUTH_EINVAL)
        return pkgauth_error_set(err, bad, "the credential for %s cannot be stored: %s",
                                 key, why);
    if (bad)
        return pkgauth_error_set(err, bad, "out of memory");
    pkgauth_error e = {0}, skipped = {0};
    int rc = pkgauth_error_set(&e, PKGAUTH_EREADONLY, "no credential store accepts writes");
    for (size_t i = 0; i < s->count; i++) {
        pkgauth_backend *b = at(s, i);
        rc = b->ops->store ? b->ops->store(b, key, cred, &e)
                           : pkgauth_error_set(&e, PKGAUTH_EREADONLY, "%s is read only", b->name);
        if (rc == PKGAUTH_EUNAVAILABLE && !skipped.code)
            skipped = e;
        if (rc == PKGAUTH_OK && backend)
            *backend = b->name;
        if (rc == PKGAUTH_OK)
            warn_unencrypted(s, &skipped, key, b);
        if (rc != PKGAUTH_EREADONLY && rc != PKGAUTH_EUNAVAILABLE)
            break;
    }
    if (rc && err)
        *err = e;
    return rc;
}

int pkgauth_store_set(pkgauth_store *s, const char *key, const pkgauth_credential *cred,
                      const char **backend, pkgauth_error *err)
{
    if (!s)
        return missing(err, "store_set: store");
    pkgauth_store_write_lock(s);
    int rc = store_set(s, key, cred, backend, err);
    pkgauth_store_unlock(s);
    return rc;
}

/* The first backend that cannot be asked about key (its error in *err),
 * or PKGAUTH_OK: a delete must not remove a key from some stores while one
 * that may still hold it, and would then answer for it, was not asked. */
static int check_askable(pkgauth_store *s, const char *key, pkgauth_error *err)
{
    for (size_t i = 0; i < s->count; i++) {
        pkgauth_credential *c = NULL;
        pkgauth_error e = {0};
        int rc = at(s, i)->ops->get(at(s, i), key, &c, &e);
        pkgauth_credential_free(c);
        if (cannot_ask(rc)) {
            if (err)
                *err = e;
            return rc;
        }
    }
    return PKGAUTH_OK;
}

/* ops->remove, or for a read-only backend without one: "cannot remove"
 * when it holds key (get finds it), else what get said. */
static int remove_one(pkgauth_backend *b, const char *key, pkgauth_error *err)
{
    if (b->ops->remove)
        return b->ops->remove(b, key, err);
    pkgauth_credential *c = NULL;
    int rc = b->ops->get(b, key, &c, err);
    pkgauth_credential_free(c);
    if (rc == PKGAUTH_OK)
        rc = pkgauth_error_set(err, PKGAUTH_EREADONLY, "%s is read only: %s was not removed",
                               b->name, key);
    return rc;
}

static int delete_key(pkgauth_store *s, const char *key, int force, size_t *removed,
                      pkgauth_error *err)
{
    size_t n = 0;
    int failed = PKGAUTH_OK, readonly = 0;
    for (size_t i = 0; i < s->count; i++) {
        pkgauth_error e = {0};
        int rc = remove_one(at(s, i), key, &e);
        if (rc == PKGAUTH_OK) {
            n++;
        } else if (rc == PKGAUTH_EREADONLY) {
            /* A read-only store (netrc) never fails the whole command. */
            pkgauth_store_warn(s, "%s", e.message);
            readonly = 1;
        } else if (cannot_ask(rc) && force) {
            if (!atomic_exchange(&s->warned_skip, 1))
                pkgauth_store_warn(s, "%s; nothing was removed from it", e.message);
        } else if (rc == PKGAUTH_EUNAVAILABLE) {
            /* no such store here */
        } else if (rc != PKGAUTH_ENOTFOUND && !failed) {
            failed = rc;
            if (err)
                *err = e;
        }
    }
    if (removed)
        *removed = n;
    if (failed)
        return failed;
    if (!n && readonly) /* held, but only where it cannot be removed */
        return pkgauth_error_set(err, PKGAUTH_EREADONLY,
                                 "the credentials for %s are only in read-only stores", key);
    if (!n)
        return pkgauth_error_set(err, PKGAUTH_ENOTFOUND, "no stored credentials for %s", key);
    return PKGAUTH_OK;
}

int pkgauth_store_delete(pkgauth_store *s, const char *key, size_t *removed,
                         pkgauth_error *err)
{
    if (removed)
        *removed = 0;
    if (!s || !key)
        return missing(err, "store_delete: store and key");
    pkgauth_store_write_lock(s);
    int rc = check_askable(s, key, err);
    if (!rc)
        rc = delete_key(s, key, 0, removed, err);
    pkgauth_store_unlock(s);
    return rc;
}

int pkgauth_store_delete_force(pkgauth_store *s, const char *key, size_t *removed,
                               pkgauth_error *err)
{
    if (removed)
        *removed = 0;
    if (!s || !key)
        return missing(err, "store_delete_force: store and key");
    pkgauth_store_write_lock(s);
    int rc = delete_key(s, key, 1, removed, err);
    pkgauth_store_unlock(s);
    return rc;
}

/* ---- listing ------------------------------------------------------------ */

typedef struct {
    pkgauth_entry entry;
    size_t order; /* chain position, to sort equal keys */
} list_item;

typedef struct {
    list_item *items;
    size_t count, cap;
    const char *backend;
    size_t order;
    int failed;
} entry_list;

static int collect(void *ctx, const char *key, const pkgauth_credential *cred)
{
    entry_list *l = ctx;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        list_item *items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            l->failed = 1;
            return 1;
        }
        l->items = items;
        l->cap = cap;
    }
    pkgauth_entry *e = &l->items[l->count].entry;
    e->key = strdup(key);
    e->credential = NULL; /* stays NULL: invalid */
    if (cred)
        pkgauth_credential_dup(&e->credential, cred, NULL);
    e->backend = l->backend;
    e->shadowed = 0;
    if (!e->key || (cred && !e->credential)) {
        free(e->key);
        pkgauth_credential_free(e->credential);
        l->failed = 1;
        return 1;
    }
    l->items[l->count++].order = l->order;
    return 0;
}

static int cmp_item(const void *a, const void *b)
{
    const list_item *x = a, *y = b;
    int c = strcmp(x->entry.key, y->entry.key);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Sorted entries, each marked shadowed when an earlier backend has its key. */
static pkgauth_entry *finish(entry_list *l)
{
    if (l->count) /* qsort(NULL, 0, ...) is undefined */
        qsort(l->items, l->count, sizeof *l->items, cmp_item);
    pkgauth_entry *out = malloc((l->count ? l->count : 1) * sizeof *out);
    for (size_t i = 0; out && i < l->count; i++) {
        out[i] = l->items[i].entry;
        out[i].shadowed = i > 0 && !strcmp(out[i - 1].key, out[i].key);
    }
    return out;
}

static void free_items(entry_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].entry.key);
        pkgauth_credential_free(l->items[i].entry.credential);
    }
    free(l->items);
}

static int store_list(pkgauth_store *s, pkgauth_entry **entries, size_t *count,
                      pkgauth_unreachable_fn unreachable, void *ctx, pkgauth_error *err)
{
    entry_list l = {0};
    int rc = PKGAUTH_OK;
    for (size_t i = 0; i < s->count && !rc; i++) {
        pkgauth_error e = {0};
        l.backend = at(s, i)->name;
        l.order = i;
        if (!at(s, i)->ops->list) /* cannot be listed: left out */
            continue;
        rc = pkgauth_store_list_at(s, i, collect, &l, &e);
        if (cannot_ask(rc) && unreachable) {
            unreachable(ctx, l.backend, e.message);
            rc = PKGAUTH_OK;
        } else if (skippable(rc)) {
            warn_skipped(s, rc, &e);
            rc = PKGAUTH_OK;
        } else if (rc && err) {
            *err = e;
        }
        if (!rc && l.failed)
            rc = pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    pkgauth_entry *out = rc ? NULL : finish(&l);
    if (!out) {
        free_items(&l);
        return rc ? rc : pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    free(l.items);
    *entries = out;
    *count = l.count;
    return PKGAUTH_OK;
}

int pkgauth_store_list(pkgauth_store *s, pkgauth_entry **entries, size_t *count,
                       pkgauth_error *err)
{
    return pkgauth_store_list_ex(s, entries, count, NULL, NULL, err);
}

int pkgauth_store_list_ex(pkgauth_store *s, pkgauth_entry **entries, size_t *count,
                          pkgauth_unreachable_fn unreachable, void *ctx, pkgauth_error *err)
{
    if (entries)
        *entries = NULL;
    if (count)
        *count = 0;
    if (!s || !entries || !count)
        return missing(err, "store_list: store, entries and count");
    pkgauth_store_read_lock(s);
    int rc = store_list(s, entries, count, unreachable, ctx, err);
    pkgauth_store_unlock(s);
    return rc;
}

void pkgauth_entries_free(pkgauth_entry *entries, size_t count)
{
    if (!entries)
        return;
    for (size_t i = 0; i < count; i++) {
        free(entries[i].key);
        pkgauth_credential_free(entries[i].credential);
    }
    free(entries);
}
