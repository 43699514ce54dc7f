/* The OS keyring on Linux: the Secret Service D-Bus API (GNOME Keyring,
 * KeePassXC, KWallet's bridge) through libsecret, with the items pixi
 * (rattler, through the Rust keyring crate) reads and writes (compat.md
 * "The keyring on Linux").
 *
 * One item per storage key, found by the attributes service=rattler and
 * username=<key> only: older pixi releases added more attributes, and an
 * item written by them must still be found and updated in place, never
 * duplicated (pixi refuses a key matched by two items). The secret is the
 * credential's JSON text, content type text/plain.
 *
 * Nothing is contacted until the first operation. The Secret Service is
 * then looked for once, cheaply and without side effects: the session bus
 * address must be set (otherwise GDBus would try to autolaunch a bus), the
 * bus must answer within BUS_TIMEOUT_MS, and a process must already own
 * org.freedesktop.secrets (so that libsecret activates nothing). When one
 * of these fails the backend answers PKGAUTH_EUNAVAILABLE from then on and
 * the chain uses the next store. A Secret Service that owns its name but
 * does not answer is different: it may hold the key, so it answers
 * PKGAUTH_EUNREACHABLE (reads warn, deletes refuse). Nothing here ever
 * prompts or unlocks.
 *
 * A lookup is the hot path (every `pkgauth token`) and makes only the
 * D-Bus calls it needs: GetNameOwner once (the detection, made by the
 * service object, which makes no other call of its own), one SearchItems,
 * then OpenSession and GetSecrets for the item found (7 calls with the
 * connection's Hello and the proxy's AddMatch/RemoveMatch, where
 * `secret-tool lookup` makes 11). The default collection is asked for only
 * when a lookup finds nothing (is it locked?) and by writes, lists and
 * deletes. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends.h"
#include "error.h"
#include "memory.h"
#include "secret_dl.h" /* libsecret, loaded on first use */

#define SERVICE "rattler"
#define SECRETS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define BACKEND_NAME "secret service (keyring)"
/* Budget for talking to the bus daemon itself (connect, then GetNameOwner).
 * Every way of having no keyring is decided well within 50 ms without it
 * (no address: no call at all; no bus: the connect fails at once; no
 * service: one GetNameOwner, about a millisecond). It only cuts short a
 * stalled bus. It is not 50 ms because a live bus on a busy machine can take
 * longer than that to answer, and a wrong "no keyring" would hide the
 * credentials stored in it. */
#define BUS_BUDGET_MS 1000
/* Bound for every call to a Secret Service that is known to be running:
 * the second the README promises. A wrong "unavailable" cannot send a
 * secret to the plain-text file: a service that timed out is
 * "unreachable", and writes refuse then. */
#define SERVICE_TIMEOUT_MS 1000

typedef enum { UNKNOWN, READY, UNAVAILABLE } keyring_state;

typedef struct {
    pkgauth_backend base;
    keyring_state state;
    char why[256];       /* the reason, once UNAVAILABLE */
    int stalled;         /* UNAVAILABLE because the bus timed out */
    int unreachable;     /* UNAVAILABLE because the Secret Service timed out */
    int answered;        /* the Secret Service has answered a call */
    double detect_ms;    /* how long the detection took */
    GDBusConnection *bus;
    SecretService *service;
    char *collection;    /* object path of the default collection, once asked */
} keyring_backend;

/* SECRET_SCHEMA_DONT_MATCH_NAME: no xdg:schema attribute in lookups (pixi's
 * items may lack it) nor on the items we create (pixi's have none). */
static const SecretSchema rattler_schema = {
    .name = "org.freedesktop.Secret.Generic",
    .flags = SECRET_SCHEMA_DONT_MATCH_NAME,
    .attributes = {
        {"service", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"username", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {NULL, 0},
    },
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Whether a call got no answer in time. Only a deadline (below) cancels
 * anything here. */
static int no_answer(const GError *e)
{
    return g_error_matches(e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
           g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static int gerror_to_rc(GError *e, const char *what, pkgauth_error *err)
{
    int locked = e && g_dbus_error_is_remote_error(e) &&
                 strstr(e->message, "org.freedesktop.Secret.Error.IsLocked");
    if (no_answer(e)) {
        g_clear_error(&e);
        return pkgauth_error_set(err, PKGAUTH_EUNREACHABLE, BACKEND_NAME " is unreachable: "
                                 "%s: no answer within %d ms", what, SERVICE_TIMEOUT_MS);
    }
    int rc = pkgauth_error_set(err, locked ? PKGAUTH_ELOCKED : PKGAUTH_EIO,
                               BACKEND_NAME ": %s: %s", what, e ? e->message : "failed");
    g_clear_error(&e);
    return rc;
}

/* ---- a deadline for libsecret's own calls -------------------------------- */

/* A search for items (writes, deletes, lists; a lookup asks for object
 * paths only, through the service object) makes D-Bus calls the service
 * object's timeout does not cover: libsecret loads the properties of every
 * item it found with GDBus's default timeout (25 s). A thread cancels the
 * search when it is not done within SERVICE_TIMEOUT_MS, so no call waits
 * longer than that. The connection to the bus has the same guard. */
typedef struct {
    GCancellable *cancel;
    GMutex lock;
    GCond cond;
    int done;
    int timeout_ms;
    GThread *thread;
} deadline;

static gpointer deadline_watch(gpointer data)
{
    deadline *d = data;
    gint64 end = g_get_monotonic_time() + (gint64)d->timeout_ms * G_TIME_SPAN_MILLISECOND;
    g_mutex_lock(&d->lock);
    while (!d->done && g_cond_wait_until(&d->cond, &d->lock, end))
        ;
    if (!d->done)
        g_cancellable_cancel(d->cancel);
    g_mutex_unlock(&d->lock);
    return NULL;
}

static void deadline_start(deadline *d, int timeout_ms)
{
    d->cancel = g_cancellable_new();
    d->timeout_ms = timeout_ms;
    g_mutex_init(&d->lock);
    g_cond_init(&d->cond);
    d->done = 0;
    d->thread = g_thread_new("pkgauth-keyring-deadline", deadline_watch, d);
}

static void deadline_stop(deadline *d)
{
    g_mutex_lock(&d->lock);
    d->done = 1;
    g_cond_signal(&d->cond);
    g_mutex_unlock(&d->lock);
    g_thread_join(d->thread);
    g_cond_clear(&d->cond);
    g_mutex_clear(&d->lock);
    g_object_unref(d->cancel);
}

/* ---- finding the Secret Service ---------------------------------------- */

/* The session bus, or NULL when it cannot be reached before cancel (the
 * detection's deadline). g_bus_get_sync has no timeout of its own; the
 * deadline cancels the connect and the authentication, which is where a
 * stalled bus stops answering. Faster than the asynchronous form, which
 * runs the connect on a thread of its own. */
static GDBusConnection *connect_bus(GCancellable *cancel, char *why, size_t n, int *stalled)
{
    GError *e = NULL;
    GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, cancel, &e);
    if (!bus && no_answer(e)) {
        snprintf(why, n, "the session bus did not answer within %d ms", BUS_BUDGET_MS);
        *stalled = 1;
    } else if (!bus) {
        snprintf(why, n, "cannot connect to the session bus: %s", e->message);
    }
    g_clear_error(&e);
    return bus;
}

/* A method call on the bus; NULL (and *error) on failure or timeout. */
static GVariant *call(GDBusConnection *bus, const char *dest, const char *path,
                      const char *iface, const char *method, GVariant *args,
                      const char *reply, int timeout_ms, GError **error)
{
    return g_dbus_connection_call_sync(bus, dest, path, iface, method, args,
                                       G_VARIANT_TYPE(reply), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       timeout_ms, NULL, error);
}

/* libsecret's service object, made so that it makes one D-Bus call of its
 * own (GetNameOwner, which is the detection): secret_service_get_sync()
 * also loads the service's properties, subscribes to its signals, watches
 * its name and asks the bus to start it (7 calls, one a
 * StartServiceByName), none of which a lookup needs. SecretService's
 * constructor (libsecret 0.20) overwrites the proxy flags it is given, so
 * a subclass of ours sets them again after it. (Not the bus name: GDBus
 * would leak the name it replaces.) */
static GObjectClass *service_parent_class;

static GObject *lean_service_constructor(GType type, guint n, GObjectConstructParam *props)
{
    GObject *o = service_parent_class->constructor(type, n, props);
    for (guint i = 0; i < n; i++) {
        const char *name = props[i].pspec->name;
        if (!strcmp(name, "g-flags"))
            g_object_set_property(o, name, props[i].value);
    }
    return o;
}

static void lean_service_class_init(gpointer klass, gpointer data)
{
    (void)data;
    service_parent_class = g_type_class_peek_parent(klass);
    ((GObjectClass *)klass)->constructor = lean_service_constructor;
}

static GType lean_service_type;

static void register_lean_service(void)
{
    const char *name = "PkgauthLeanSecretService";
    GTypeQuery q;
    /* Another copy of this library in the process may have registered it. */
    if ((lean_service_type = g_type_from_name(name)))
        return;
    g_type_query(SECRET_TYPE_SERVICE, &q);
    lean_service_type = g_type_register_static_simple(SECRET_TYPE_SERVICE, name, q.class_size,
                                                      lean_service_class_init,
                                                      q.instance_size, NULL, 0);
}

/* The service object, when a process owns org.freedesktop.secrets now
 * (the proxy asks the bus daemon, which never starts the service, unlike
 * calling the service would). Its calls are never auto-started and have
 * the SERVICE_TIMEOUT_MS bound. It uses the connection connect_bus() made
 * (GDBus keeps one per process). */
static SecretService *open_service(GCancellable *cancel, char *why, size_t n, int *stalled)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    GError *e = NULL;
    GDBusProxyFlags flags = G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                            G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
                            G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START;
    pthread_once(&once, register_lean_service);
    SecretService *s = lean_service_type
        ? g_initable_new(lean_service_type, cancel, &e, "g-flags", flags,
                         "g-default-timeout", SERVICE_TIMEOUT_MS, "flags", SECRET_SERVICE_NONE,
                         NULL)
        : NULL;
    char *owner = s ? g_dbus_proxy_get_name_owner(G_DBUS_PROXY(s)) : NULL;
    if (s && !owner) {
        snprintf(why, n, "no Secret Service (%s) on the session bus", SECRETS_NAME);
        g_object_unref(s);
        s = NULL;
    } else if (!s && no_answer(e)) {
        snprintf(why, n, "the session bus did not answer within %d ms", BUS_BUDGET_MS);
        *stalled = 1;
    } else if (!s) {
        snprintf(why, n, "cannot open the Secret Service: %s", e ? e->message : "no type");
    }
    g_free(owner);
    g_clear_error(&e);
    return s;
}

/* The object path of the default collection, or NULL when there is none. */
static char *default_collection(GDBusConnection *bus, char *why, size_t n, int *stalled)
{
    GError *e = NULL;
    GVariant *r = call(bus, SECRETS_NAME, SECRETS_PATH, "org.freedesktop.Secret.Service",
                       "ReadAlias", g_variant_new("(s)", "default"), "(o)",
                       SERVICE_TIMEOUT_MS, &e);
    char *path = NULL;
    *stalled = !r && g_error_matches(e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    if (r)
        g_variant_get(r, "(o)", &path);
    else if (*stalled)
        snprintf(why, n, "the Secret Service (%s) did not answer within %d ms", SECRETS_NAME,
                 SERVICE_TIMEOUT_MS);
    else
        snprintf(why, n, "the Secret Service did not answer: %s", e->message);
    if (path && !strcmp(path, "/")) {
        snprintf(why, n, "the Secret Service has no default collection");
        g_clear_pointer(&path, g_free);
    }
    g_clear_error(&e);
    if (r)
        g_variant_unref(r);
    return path;
}

/* The whole detection; fills k->bus and k->service, or k->why. Whether
 * the service answers is learnt from the first call made to it (see
 * no_service_answer). */
static int detect(keyring_backend *k)
{
    const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
    char *why = k->why;
    size_t n = sizeof k->why;
    if (!addr || !*addr) {
        snprintf(why, n, "DBUS_SESSION_BUS_ADDRESS is not set");
        return 0;
    }
    if (strstr(addr, "autolaunch:")) { /* would start a bus of its own */
        snprintf(why, n, "the session bus address asks for autolaunch");
        return 0;
    }
    if (!pkgauth_secret_load(why, n)) /* loaded only now, when a bus may answer */
        return 0;
    deadline d; /* for the bus daemon: connect, then GetNameOwner */
    deadline_start(&d, BUS_BUDGET_MS);
    if ((k->bus = connect_bus(d.cancel, why, n, &k->stalled)))
        k->service = open_service(d.cancel, why, n, &k->stalled);
    deadline_stop(&d);
    return k->service != NULL;
}

/* Detects on first use and remembers the answer. */
static int ready(keyring_backend *k, pkgauth_error *err)
{
    if (k->state == UNKNOWN) {
        double t0 = now_ms();
        k->state = detect(k) ? READY : UNAVAILABLE;
        k->detect_ms = now_ms() - t0;
    }
    if (k->state == READY)
        return PKGAUTH_OK;
    if (k->unreachable) /* it is there, and may hold the key */
        return pkgauth_error_set(err, PKGAUTH_EUNREACHABLE, BACKEND_NAME " is unreachable: %s",
                                 k->why);
    return pkgauth_error_set(err, PKGAUTH_EUNAVAILABLE, "no Secret Service keyring (%s)", k->why);
}

/* The first call to the Secret Service still belongs to finding it: no
 * answer to it makes the service unreachable from then on, as the
 * detection does, so that later operations do not wait again. */
static int no_service_answer(keyring_backend *k, GError *e, pkgauth_error *err)
{
    snprintf(k->why, sizeof k->why, "the Secret Service (%s) did not answer within %d ms",
             SECRETS_NAME, SERVICE_TIMEOUT_MS);
    k->unreachable = 1;
    k->state = UNAVAILABLE;
    g_clear_error(&e);
    return ready(k, err);
}

/* The error of a call to the Secret Service. */
static int service_error(keyring_backend *k, GError *e, const char *what, pkgauth_error *err)
{
    if (!k->answered && no_answer(e))
        return no_service_answer(k, e, err);
    return gerror_to_rc(e, what, err);
}

/* ready(), and k->collection known. Without a default collection the
 * keyring is unavailable, as when there is no Secret Service: a write
 * could not create an item. */
static int ready_collection(keyring_backend *k, pkgauth_error *err)
{
    int rc = ready(k, err);
    if (rc || k->collection)
        return rc;
    char why[sizeof k->why];
    int stalled = 0;
    if ((k->collection = default_collection(k->bus, why, sizeof why, &stalled))) {
        k->answered = 1;
        return PKGAUTH_OK;
    }
    if (stalled && k->answered) /* it answered before: only this call failed */
        return pkgauth_error_set(err, PKGAUTH_EUNREACHABLE, BACKEND_NAME " is unreachable: %s",
                                 why);
    memcpy(k->why, why, sizeof why);
    k->unreachable = stalled;
    k->state = UNAVAILABLE;
    return ready(k, err);
}

/* For writes, a keyring that timed out is not known to be absent: refuse
 * rather than let the chain store the secret unencrypted in a file. */
static int ready_for_write(keyring_backend *k, pkgauth_error *err)
{
    int rc = ready_collection(k, err);
    if (rc && (k->stalled || k->unreachable))
        return pkgauth_error_set(err, PKGAUTH_EIO, BACKEND_NAME ": %s; not storing the "
                                 "credential unencrypted instead: try again, or use "
                                 "--auth-file", k->why);
    return rc;
}

/* Whether the default collection is locked now (it may change any time).
 * A locked collection answers searches with nothing, so an empty answer
 * only means "no credential" after this says unlocked. */
static int is_locked(keyring_backend *k, int *locked, pkgauth_error *err)
{
    GError *e = NULL;
    int rc = ready_collection(k, err);
    if (rc)
        return rc;
    GVariant *r = call(k->bus, SECRETS_NAME, k->collection, "org.freedesktop.DBus.Properties",
                       "Get", g_variant_new("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                       "(v)", SERVICE_TIMEOUT_MS, &e);
    if (!r)
        return gerror_to_rc(e, "cannot read the lock state of the default collection", err);
    GVariant *v = NULL;
    g_variant_get(r, "(v)", &v);
    *locked = g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean(v);
    g_variant_unref(v);
    g_variant_unref(r);
    return PKGAUTH_OK;
}

static int locked_error(pkgauth_error *err)
{
    return pkgauth_error_set(err, PKGAUTH_ELOCKED,
                             BACKEND_NAME " is locked: unlock the default collection "
                             "(e.g. by logging in to the desktop) to use its credentials");
}

/* rc_if_unlocked, or PKGAUTH_ELOCKED when the default collection is locked. */
static int unless_locked(keyring_backend *k, int rc_if_unlocked, pkgauth_error *err)
{
    int locked = 0;
    int rc = is_locked(k, &locked, err);
    if (rc)
        return rc;
    return locked ? locked_error(err) : rc_if_unlocked;
}

/* ---- items ------------------------------------------------------------- */

/* Every item with service=rattler and, unless key is NULL, username=key. */
static int search(keyring_backend *k, const char *key, SecretSearchFlags flags, GList **items,
                  pkgauth_error *err)
{
    GError *e = NULL;
    GHashTable *attrs = key ? secret_attributes_build(&rattler_schema, "service", SERVICE,
                                                      "username", key, NULL)
                            : secret_attributes_build(&rattler_schema, "service", SERVICE, NULL);
    deadline d;
    deadline_start(&d, SERVICE_TIMEOUT_MS);
    *items = secret_service_search_sync(k->service, &rattler_schema, attrs,
                                        SECRET_SEARCH_ALL | flags, d.cancel, &e);
    deadline_stop(&d);
    g_hash_table_unref(attrs);
    return e ? gerror_to_rc(e, "search failed", err) : PKGAUTH_OK;
}

/* Newest first: of duplicates a write updates the last one written. */
static gint by_modified_desc(gconstpointer a, gconstpointer b)
{
    guint64 x = secret_item_get_modified((SecretItem *)a);
    guint64 y = secret_item_get_modified((SecretItem *)b);
    return (x < y) - (x > y);
}

/* The newest unlocked item, or NULL. */
static SecretItem *newest_unlocked(GList *items)
{
    SecretItem *best = NULL;
    for (GList *l = items; l; l = l->next)
        if (!secret_item_get_locked(l->data) &&
            (!best || by_modified_desc(l->data, best) < 0))
            best = l->data;
    return best;
}

/* Parses a secret (NULL: none could be read), and unrefs it. */
static int read_value(SecretValue *v, const char *key, pkgauth_credential **out,
                      pkgauth_error *err)
{
    if (!v)
        return pkgauth_error_set(err, PKGAUTH_EIO, BACKEND_NAME ": the secret for %s could "
                                 "not be read", key);
    gsize len = 0;
    const gchar *text = secret_value_get(v, &len);
    pkgauth_error e = {0};
    int rc = pkgauth_credential_from_json(text, len, out, &e);
    /* The item caches this buffer and libsecret may free it unwiped; no
     * one reads it after us, so wipe it now. */
    explicit_bzero((void *)text, len);
    secret_value_unref(v);
    if (rc == PKGAUTH_EPARSE)
        return pkgauth_error_set(err, rc, BACKEND_NAME ": the item for %s is not a "
                                 "credential: %s", key, e.message);
    if (rc && err)
        *err = e;
    return rc;
}

/* Parses the secret of an item searched with SECRET_SEARCH_LOAD_SECRETS. */
static int read_item(SecretItem *item, const char *key, pkgauth_credential **out,
                     pkgauth_error *err)
{
    return read_value(secret_item_get_secret(item), key, out, err);
}

/* The username attribute of an item (free with g_free), or NULL. */
static char *item_key(SecretItem *item)
{
    GHashTable *attrs = secret_item_get_attributes(item);
    char *key = attrs ? g_strdup(g_hash_table_lookup(attrs, "username")) : NULL;
    if (attrs)
        g_hash_table_unref(attrs);
    return key;
}

/* A new text/plain secret holding the credential's JSON. */
static SecretValue *credential_value(const pkgauth_credential *cred)
{
    char *json = pkgauth_credential_to_json(cred);
    if (!json)
        return NULL;
    SecretValue *v = secret_value_new(json, -1, "text/plain"); /* copies */
    pkgauth_free(json);
    return v;
}

static int create_item(keyring_backend *k, const char *key, SecretValue *v, pkgauth_error *err)
{
    GError *e = NULL;
    GHashTable *attrs = secret_attributes_build(&rattler_schema, "service", SERVICE,
                                                "username", key, NULL);
    char *label = g_strdup_printf("keyring:%s@%s", key, SERVICE);
    secret_service_store_sync(k->service, &rattler_schema, attrs, k->collection, label, v,
                              NULL, &e);
    g_free(label);
    g_hash_table_unref(attrs);
    return e ? gerror_to_rc(e, "cannot create the item", err) : PKGAUTH_OK;
}

/* Replaces the secret of item in place; attributes and label stay. */
static int update_item(SecretItem *item, SecretValue *v, pkgauth_error *err)
{
    GError *e = NULL;
    g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(item), SERVICE_TIMEOUT_MS);
    secret_item_set_secret_sync(item, v, NULL, &e);
    return e ? gerror_to_rc(e, "cannot update the item", err) : PKGAUTH_OK;
}

static int delete_item(SecretItem *item, pkgauth_error *err)
{
    GError *e = NULL;
    g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(item), SERVICE_TIMEOUT_MS);
    secret_item_delete_sync(item, NULL, &e);
    return e ? gerror_to_rc(e, "cannot delete the item", err) : PKGAUTH_OK;
}

/* Whether item lies in the collection at object path collection. */
static int in_collection(SecretItem *item, const char *collection)
{
    const char *path = g_dbus_proxy_get_object_path(G_DBUS_PROXY(item));
    size_t n = strlen(collection);
    return !strncmp(path, collection, n) && path[n] == '/';
}

/* Two items for one key: pixi refuses the key ("Entry is matched by 2
 * credentials"), and which one is meant cannot be known, so refuse too. */
static int duplicates_error(const char *key, guint n, pkgauth_error *err)
{
    return pkgauth_error_set(err, PKGAUTH_EPARSE, BACKEND_NAME ": %s is matched by %u keyring "
                             "items, which pixi refuses too: `pkgauth logout %s` removes all "
                             "of them, then log in again", key, n, key);
}

/* ---- the backend operations -------------------------------------------- */

/* Frees a search's answer. NULL (no search made) may mean GLib was never
 * loaded (secret_dl.h): no GLib call then. */
static void free_items(GList *items)
{
    if (items)
        g_list_free_full(items, g_object_unref);
}

/* The object paths of the items with service=rattler and username=key,
 * unlocked and locked: SearchItems, and no proxy per item. */
static int search_paths(keyring_backend *k, const char *key, gchar ***unlocked,
                        gchar ***locked, pkgauth_error *err)
{
    GError *e = NULL;
    GHashTable *attrs = secret_attributes_build(&rattler_schema, "service", SERVICE,
                                                "username", key, NULL);
    secret_service_search_for_dbus_paths_sync(k->service, &rattler_schema, attrs, NULL,
                                              unlocked, locked, &e);
    g_hash_table_unref(attrs);
    if (e)
        return service_error(k, e, "search failed", err);
    k->answered = 1;
    return PKGAUTH_OK;
}

/* The credential in the item at path (OpenSession once, then GetSecret). */
static int read_path(keyring_backend *k, const char *path, const char *key,
                     pkgauth_credential **out, pkgauth_error *err)
{
    GError *e = NULL;
    SecretValue *v = secret_service_get_secret_for_dbus_path_sync(k->service, path, NULL, &e);
    if (e)
        return gerror_to_rc(e, "cannot read the secret", err);
    return read_value(v, key, out, err);
}

/* Frees a list of object paths; NULL may mean GLib was never loaded. */
static void free_paths(gchar **paths)
{
    if (paths)
        g_strfreev(paths);
}

static int keyring_get(pkgauth_backend *b, const char *key, pkgauth_credential **out,
                       pkgauth_error *err)
{
    keyring_backend *k = (keyring_backend *)b;
    gchar **unlocked = NULL, **locked = NULL;
    int rc = ready(k, err);
    if (!rc)
        rc = search_paths(k, key, &unlocked, &locked, err);
    if (!rc) {
        guint n = g_strv_length(unlocked) + g_strv_length(locked);
        if (n > 1)
            rc = duplicates_error(key, n, err);
        else if (unlocked[0])
            rc = read_path(k, unlocked[0], key, out, err);
        else if (n) /* found, but locked */
            rc = locked_error(err);
        else
            rc = unless_locked(k, PKGAUTH_ENOTFOUND, err);
    }
    free_paths(unlocked);
    free_paths(locked);
    return rc;
}

/* The item a write updates: the newest unlocked one in the default
 * collection, else the newest unlocked one anywhere. */
static SecretItem *item_to_update(keyring_backend *k, GList *items)
{
    GList *mine = NULL;
    for (GList *l = items; l; l = l->next)
        if (in_collection(l->data, k->collection))
            mine = g_list_prepend(mine, l->data);
    SecretItem *item = newest_unlocked(mine);
    g_list_free(mine);
    return item ? item : newest_unlocked(items);
}

/* Removes a duplicate of the item just written. Best effort: the write
 * itself succeeded. Another collection than the default one is not ours
 * to clean up silently: say what was (or could not be) removed there. */
static void remove_duplicate(keyring_backend *k, const char *key, SecretItem *dup)
{
    int rc = delete_item(dup, NULL);
    const char *path = g_dbus_proxy_get_object_path(G_DBUS_PROXY(dup));
    const char *slash = strrchr(path, '/');
    if (!in_collection(dup, k->collection))
        pkgauth_backend_warn(&k->base, BACKEND_NAME ": %s a second item for %s in %.*s (pixi "
                             "refuses a key matched by two items)",
                             rc ? "could not remove" : "removed", key, (int)(slash - path), path);
}

/* Updates one match and removes the other duplicates, which pixi would
 * refuse ("Entry is matched by 2 credentials"). */
static int store_into(keyring_backend *k, const char *key, GList *items, SecretValue *v,
                      pkgauth_error *err)
{
    SecretItem *item = item_to_update(k, items);
    if (!item)
        return pkgauth_error_set(err, PKGAUTH_EUNAVAILABLE, BACKEND_NAME " is locked");
    int rc = update_item(item, v, err);
    for (GList *l = items; l && !rc; l = l->next)
        if (l->data != item && !secret_item_get_locked(l->data))
            remove_duplicate(k, key, l->data);
    return rc;
}

/* A new item in the default collection, unless it is locked: then step
 * aside (never prompt) so that the write goes to the next store. */
static int create_unless_locked(keyring_backend *k, const char *key, SecretValue *v,
                                pkgauth_error *err)
{
    int locked = 0;
    int rc = is_locked(k, &locked, err);
    if (!rc && locked)
        return pkgauth_error_set(err, PKGAUTH_EUNAVAILABLE,
                                 BACKEND_NAME " is locked (its default collection)");
    return rc ? rc : create_item(k, key, v, err);
}

static int keyring_store(pkgauth_backend *b, const char *key, const pkgauth_credential *cred,
                         pkgauth_error *err)
{
    keyring_backend *k = (keyring_backend *)b;
    GList *items = NULL;
    SecretValue *v = NULL;
    int rc = ready_for_write(k, err);
    if (!rc)
        rc = search(k, key, SECRET_SEARCH_NONE, &items, err);
    if (!rc && !(v = credential_value(cred)))
        rc = pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    if (!rc)
        rc = items ? store_into(k, key, items, v, err) : create_unless_locked(k, key, v, err);
    if (v)
        secret_value_unref(v);
    free_items(items);
    return rc;
}

static int keyring_remove(pkgauth_backend *b, const char *key, pkgauth_error *err)
{
    keyring_backend *k = (keyring_backend *)b;
    GList *items = NULL;
    int rc = ready_collection(k, err);
    if (!rc)
        rc = search(k, key, SECRET_SEARCH_NONE, &items, err);
    if (!rc && !items)
        rc = unless_locked(k, PKGAUTH_ENOTFOUND, err);
    for (GList *l = items; l && !rc; l = l->next)
        rc = secret_item_get_locked(l->data) ? locked_error(err) : delete_item(l->data, err);
    free_items(items);
    return rc;
}

/* The number of items of each key (a table the caller unrefs). */
static GHashTable *count_keys(GList *items)
{
    GHashTable *count = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (GList *l = items; l; l = l->next) {
        char *key = item_key(l->data);
        guint n = key ? GPOINTER_TO_UINT(g_hash_table_lookup(count, key)) : 0;
        if (key)
            g_hash_table_replace(count, key, GUINT_TO_POINTER(n + 1));
    }
    return count;
}

/* Calls fn once for each key that has an unlocked item: with its
 * credential, or with NULL when the key is not one credential (a secret
 * that is not a credential's JSON, or several items, which get() refuses),
 * so that it can be seen and removed. */
static int list_items(GList *items, pkgauth_list_fn fn, void *ctx)
{
    GHashTable *count = count_keys(items);
    int stop = 0;
    for (GList *l = items; l && !stop; l = l->next) {
        char *key = secret_item_get_locked(l->data) ? NULL : item_key(l->data);
        guint n = key ? GPOINTER_TO_UINT(g_hash_table_lookup(count, key)) : 0;
        pkgauth_credential *c = NULL;
        if (n == 1 && read_item(l->data, key, &c, NULL))
            c = NULL;
        if (n)
            stop = fn(ctx, key, c);
        pkgauth_credential_free(c);
        if (key) /* listed: 0 from now on (the table keeps its own key) */
            g_hash_table_insert(count, key, GUINT_TO_POINTER(0));
    }
    g_hash_table_unref(count);
    return stop;
}

static int keyring_list(pkgauth_backend *b, pkgauth_list_fn fn, void *ctx, pkgauth_error *err)
{
    keyring_backend *k = (keyring_backend *)b;
    GList *items = NULL;
    int rc = ready_collection(k, err);
    if (!rc)
        rc = search(k, NULL, SECRET_SEARCH_LOAD_SECRETS, &items, err);
    if (rc)
        return rc;
    items = g_list_sort(items, by_modified_desc);
    int stopped = list_items(items, fn, ctx);
    free_items(items);
    /* Entries of a locked collection are missing from the list: say so. */
    return stopped ? PKGAUTH_OK : unless_locked(k, PKGAUTH_OK, err);
}

static void keyring_free(pkgauth_backend *b)
{
    keyring_backend *k = (keyring_backend *)b;
    if (k->service)
        g_object_unref(k->service);
    if (k->bus)
        g_object_unref(k->bus);
    if (k->collection) /* GLib may never have been loaded */
        g_free(k->collection);
    free(b->name);
    free(k);
}

static const pkgauth_backend_ops keyring_ops = {
    .get = keyring_get, .store = keyring_store, .remove = keyring_remove,
    .list = keyring_list, .free = keyring_free,
};

int pkgauth_backend_keyring_new(pkgauth_backend **out, pkgauth_error *err)
{
    keyring_backend *k = calloc(1, sizeof *k);
    if (!k || !(k->base.name = strdup(BACKEND_NAME))) {
        free(k);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    k->base.version = PKGAUTH_BACKEND_VERSION;
    k->base.ops = &keyring_ops;
    *out = &k->base;
    return PKGAUTH_OK;
}

double pkgauth_backend_keyring_detect_ms(const pkgauth_backend *b)
{
    return ((const keyring_backend *)b)->detect_ms;
}
