/* libsecret (and the GLib/GIO functions the keyring backend calls), loaded
 * on first use.
 *
 * Why: libsecret pulls in GIO, GObject, GLib, libgcrypt and half a dozen
 * more libraries; linking them costs every process of the command line
 * several milliseconds of start-up (relocations, constructors, the GType
 * system), although only a command that reaches the keyring needs them.
 * Loaded this way, `pkgauth token` on a file store maps none of them.
 *
 * How: as curl_dl.h does for libcurl. backend_keyring.c includes this
 * header instead of <libsecret/secret.h>; the functions below become calls
 * through a table filled by dlopen() of libsecret-1.so.0 (GLib's functions
 * are found through its dependencies). Unlike libcurl, a keyring that
 * cannot be loaded is not fatal: pkgauth_secret_load() says why, and the
 * backend answers PKGAUTH_EUNAVAILABLE as when there is no session bus.
 * Call pkgauth_secret_load() (and see it succeed) before any call below. */
#ifndef PKGAUTH_SECRET_DL_H
#define PKGAUTH_SECRET_DL_H

#include <stddef.h>

/* The D-Bus path functions (secret-paths.h, what secret_password_lookup
 * uses inside) are marked unstable in the headers; their ABI has not
 * changed since libsecret 0.7, and a missing symbol only makes the keyring
 * unavailable (pkgauth_secret_load). */
#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>

/* X(return type, name, parameter list) for every function the backend calls,
 * including those GLib's macros expand to (G_DBUS_PROXY, G_IO_ERROR,
 * G_DBUS_ERROR, G_VARIANT_TYPE, SECRET_TYPE_SERVICE). A call not listed
 * here is an undefined symbol when the command line links;
 * tests/cli/test_keyring_lazy.py checks that no binary links libsecret. */
#define PKGAUTH_SECRET_FUNCTIONS(X) \
    X(GDBusConnection *, g_bus_get_sync, (GBusType, GCancellable *, GError **)) \
    X(void, g_cancellable_cancel, (GCancellable *)) \
    X(GCancellable *, g_cancellable_new, (void)) \
    X(void, g_clear_error, (GError **)) \
    X(void, g_cond_clear, (GCond *)) \
    X(void, g_cond_init, (GCond *)) \
    X(void, g_cond_signal, (GCond *)) \
    X(gboolean, g_cond_wait_until, (GCond *, GMutex *, gint64)) \
    X(GVariant *, g_dbus_connection_call_sync, (GDBusConnection *, const gchar *, const gchar *, const gchar *, const gchar *, GVariant *, const GVariantType *, GDBusCallFlags, gint, GCancellable *, GError **)) \
    X(gboolean, g_dbus_error_is_remote_error, (const GError *)) \
    X(GQuark, g_dbus_error_quark, (void)) \
    X(gchar *, g_dbus_proxy_get_name_owner, (GDBusProxy *)) \
    X(const gchar *, g_dbus_proxy_get_object_path, (GDBusProxy *)) \
    X(GType, g_dbus_proxy_get_type, (void)) \
    X(void, g_dbus_proxy_set_default_timeout, (GDBusProxy *, gint)) \
    X(gboolean, g_error_matches, (const GError *, GQuark, gint)) \
    X(void, g_free, (gpointer)) \
    X(gint64, g_get_monotonic_time, (void)) \
    X(gpointer, g_initable_new, (GType, GCancellable *, GError **, const gchar *, ...)) \
    X(gboolean, g_hash_table_insert, (GHashTable *, gpointer, gpointer)) \
    X(gpointer, g_hash_table_lookup, (GHashTable *, gconstpointer)) \
    X(GHashTable *, g_hash_table_new_full, (GHashFunc, GEqualFunc, GDestroyNotify, GDestroyNotify)) \
    X(gboolean, g_hash_table_replace, (GHashTable *, gpointer, gpointer)) \
    X(void, g_hash_table_unref, (GHashTable *)) \
    X(GQuark, g_io_error_quark, (void)) \
    X(void, g_list_free, (GList *)) \
    X(void, g_list_free_full, (GList *, GDestroyNotify)) \
    X(GList *, g_list_prepend, (GList *, gpointer)) \
    X(GList *, g_list_sort, (GList *, GCompareFunc)) \
    X(void, g_mutex_clear, (GMutex *)) \
    X(void, g_mutex_init, (GMutex *)) \
    X(void, g_mutex_lock, (GMutex *)) \
    X(void, g_mutex_unlock, (GMutex *)) \
    X(void, g_object_unref, (gpointer)) \
    X(void, g_object_set_property, (GObject *, const gchar *, const GValue *)) \
    X(gboolean, g_str_equal, (gconstpointer, gconstpointer)) \
    X(guint, g_str_hash, (gconstpointer)) \
    X(gchar *, g_strdup, (const gchar *)) \
    X(gchar *, g_strdup_printf, (const gchar *, ...)) \
    X(void, g_strfreev, (gchar **)) \
    X(guint, g_strv_length, (gchar **)) \
    X(gpointer, g_thread_join, (GThread *)) \
    X(GThread *, g_thread_new, (const gchar *, GThreadFunc, gpointer)) \
    X(GTypeInstance *, g_type_check_instance_cast, (GTypeInstance *, GType)) \
    X(gpointer, g_type_class_peek_parent, (gpointer)) \
    X(GType, g_type_from_name, (const gchar *)) \
    X(void, g_type_query, (GType, GTypeQuery *)) \
    X(GType, g_type_register_static_simple, (GType, const gchar *, guint, GClassInitFunc, guint, GInstanceInitFunc, GTypeFlags)) \
    X(void, g_variant_get, (GVariant *, const gchar *, ...)) \
    X(gboolean, g_variant_get_boolean, (GVariant *)) \
    X(gboolean, g_variant_is_of_type, (GVariant *, const GVariantType *)) \
    X(GVariant *, g_variant_new, (const gchar *, ...)) \
    X(const GVariantType *, g_variant_type_checked_, (const gchar *)) \
    X(void, g_variant_unref, (GVariant *)) \
    X(GHashTable *, secret_attributes_build, (const SecretSchema *, ...)) \
    X(gboolean, secret_item_delete_sync, (SecretItem *, GCancellable *, GError **)) \
    X(GHashTable *, secret_item_get_attributes, (SecretItem *)) \
    X(gboolean, secret_item_get_locked, (SecretItem *)) \
    X(guint64, secret_item_get_modified, (SecretItem *)) \
    X(SecretValue *, secret_item_get_secret, (SecretItem *)) \
    X(gboolean, secret_item_set_secret_sync, (SecretItem *, SecretValue *, GCancellable *, GError **)) \
    X(SecretValue *, secret_service_get_secret_for_dbus_path_sync, (SecretService *, const gchar *, GCancellable *, GError **)) \
    X(GType, secret_service_get_type, (void)) \
    X(gboolean, secret_service_search_for_dbus_paths_sync, (SecretService *, const SecretSchema *, GHashTable *, GCancellable *, gchar ***, gchar ***, GError **)) \
    X(GList *, secret_service_search_sync, (SecretService *, const SecretSchema *, GHashTable *, SecretSearchFlags, GCancellable *, GError **)) \
    X(gboolean, secret_service_store_sync, (SecretService *, const SecretSchema *, GHashTable *, const gchar *, const gchar *, SecretValue *, GCancellable *, GError **)) \
    X(const gchar *, secret_value_get, (SecretValue *, gsize *)) \
    X(SecretValue *, secret_value_new, (const gchar *, gssize, const gchar *)) \
    X(void, secret_value_unref, (gpointer))

typedef struct pkgauth_secret_api {
#define PKGAUTH_SECRET_FIELD(ret, name, args) ret(*name) args;
    PKGAUTH_SECRET_FUNCTIONS(PKGAUTH_SECRET_FIELD)
#undef PKGAUTH_SECRET_FIELD
} pkgauth_secret_api;

/* Filled once, completely, by the first successful pkgauth_secret_load(). */
extern pkgauth_secret_api pkgauth_secret_fns;

/* 1 when libsecret is loaded (now or earlier), else 0 and the reason in
 * why[n] (also on later calls: a failure is remembered). Thread-safe. */
int pkgauth_secret_load(char *why, size_t n);

/* The same with another library name; the first call in a process decides.
 * For tests (a library that cannot be loaded). */
int pkgauth_secret_load_named(const char *soname, char *why, size_t n);

#ifndef PKGAUTH_SECRET_DL_NO_MACROS /* secret_dl.c itself needs the real names */
#undef g_bus_get_sync
#define g_bus_get_sync (pkgauth_secret_fns.g_bus_get_sync)
#undef g_cancellable_cancel
#define g_cancellable_cancel (pkgauth_secret_fns.g_cancellable_cancel)
#undef g_cancellable_new
#define g_cancellable_new (pkgauth_secret_fns.g_cancellable_new)
#undef g_clear_error
#define g_clear_error (pkgauth_secret_fns.g_clear_error)
#undef g_cond_clear
#define g_cond_clear (pkgauth_secret_fns.g_cond_clear)
#undef g_cond_init
#define g_cond_init (pkgauth_secret_fns.g_cond_init)
#undef g_cond_signal
#define g_cond_signal (pkgauth_secret_fns.g_cond_signal)
#undef g_cond_wait_until
#define g_cond_wait_until (pkgauth_secret_fns.g_cond_wait_until)
#undef g_dbus_connection_call_sync
#define g_dbus_connection_call_sync (pkgauth_secret_fns.g_dbus_connection_call_sync)
#undef g_dbus_error_is_remote_error
#define g_dbus_error_is_remote_error (pkgauth_secret_fns.g_dbus_error_is_remote_error)
#undef g_dbus_error_quark
#define g_dbus_error_quark (pkgauth_secret_fns.g_dbus_error_quark)
#undef g_dbus_proxy_get_name_owner
#define g_dbus_proxy_get_name_owner (pkgauth_secret_fns.g_dbus_proxy_get_name_owner)
#undef g_dbus_proxy_get_object_path
#define g_dbus_proxy_get_object_path (pkgauth_secret_fns.g_dbus_proxy_get_object_path)
#undef g_dbus_proxy_get_type
#define g_dbus_proxy_get_type (pkgauth_secret_fns.g_dbus_proxy_get_type)
#undef g_dbus_proxy_set_default_timeout
#define g_dbus_proxy_set_default_timeout (pkgauth_secret_fns.g_dbus_proxy_set_default_timeout)
#undef g_error_matches
#define g_error_matches (pkgauth_secret_fns.g_error_matches)
#undef g_free
#define g_free (pkgauth_secret_fns.g_free)
#undef g_get_monotonic_time
#define g_get_monotonic_time (pkgauth_secret_fns.g_get_monotonic_time)
#undef g_initable_new
#define g_initable_new (pkgauth_secret_fns.g_initable_new)
#undef g_hash_table_insert
#define g_hash_table_insert (pkgauth_secret_fns.g_hash_table_insert)
#undef g_hash_table_lookup
#define g_hash_table_lookup (pkgauth_secret_fns.g_hash_table_lookup)
#undef g_hash_table_new_full
#define g_hash_table_new_full (pkgauth_secret_fns.g_hash_table_new_full)
#undef g_hash_table_replace
#define g_hash_table_replace (pkgauth_secret_fns.g_hash_table_replace)
#undef g_hash_table_unref
#define g_hash_table_unref (pkgauth_secret_fns.g_hash_table_unref)
#undef g_io_error_quark
#define g_io_error_quark (pkgauth_secret_fns.g_io_error_quark)
#undef g_list_free
#define g_list_free (pkgauth_secret_fns.g_list_free)
#undef g_list_free_full
#define g_list_free_full (pkgauth_secret_fns.g_list_free_full)
#undef g_list_prepend
#define g_list_prepend (pkgauth_secret_fns.g_list_prepend)
#undef g_list_sort
#define g_list_sort (pkgauth_secret_fns.g_list_sort)
#undef g_mutex_clear
#define g_mutex_clear (pkgauth_secret_fns.g_mutex_clear)
#undef g_mutex_init
#define g_mutex_init (pkgauth_secret_fns.g_mutex_init)
#undef g_mutex_lock
#define g_mutex_lock (pkgauth_secret_fns.g_mutex_lock)
#undef g_mutex_unlock
#define g_mutex_unlock (pkgauth_secret_fns.g_mutex_unlock)
#undef g_object_unref
#define g_object_unref (pkgauth_secret_fns.g_object_unref)
#undef g_object_set_property
#define g_object_set_property (pkgauth_secret_fns.g_object_set_property)
#undef g_str_equal
#define g_str_equal (pkgauth_secret_fns.g_str_equal)
#undef g_str_hash
#define g_str_hash (pkgauth_secret_fns.g_str_hash)
#undef g_strdup
#define g_strdup (pkgauth_secret_fns.g_strdup)
#undef g_strdup_printf
#define g_strdup_printf (pkgauth_secret_fns.g_strdup_printf)
#undef g_strfreev
#define g_strfreev (pkgauth_secret_fns.g_strfreev)
#undef g_strv_length
#define g_strv_length (pkgauth_secret_fns.g_strv_length)
#undef g_thread_join
#define g_thread_join (pkgauth_secret_fns.g_thread_join)
#undef g_thread_new
#define g_thread_new (pkgauth_secret_fns.g_thread_new)
#undef g_type_check_instance_cast
#define g_type_check_instance_cast (pkgauth_secret_fns.g_type_check_instance_cast)
#undef g_type_class_peek_parent
#define g_type_class_peek_parent (pkgauth_secret_fns.g_type_class_peek_parent)
#undef g_type_from_name
#define g_type_from_name (pkgauth_secret_fns.g_type_from_name)
#undef g_type_query
#define g_type_query (pkgauth_secret_fns.g_type_query)
#undef g_type_register_static_simple
#define g_type_register_static_simple (pkgauth_secret_fns.g_type_register_static_simple)
#undef g_variant_get
#define g_variant_get (pkgauth_secret_fns.g_variant_get)
#undef g_variant_get_boolean
#define g_variant_get_boolean (pkgauth_secret_fns.g_variant_get_boolean)
#undef g_variant_is_of_type
#define g_variant_is_of_type (pkgauth_secret_fns.g_variant_is_of_type)
#undef g_variant_new
#define g_variant_new (pkgauth_secret_fns.g_variant_new)
#undef g_variant_type_checked_
#define g_variant_type_checked_ (pkgauth_secret_fns.g_variant_type_checked_)
#undef g_variant_unref
#define g_variant_unref (pkgauth_secret_fns.g_variant_unref)
#undef secret_attributes_build
#define secret_attributes_build (pkgauth_secret_fns.secret_attributes_build)
#undef secret_item_delete_sync
#define secret_item_delete_sync (pkgauth_secret_fns.secret_item_delete_sync)
#undef secret_item_get_attributes
#define secret_item_get_attributes (pkgauth_secret_fns.secret_item_get_attributes)
#undef secret_item_get_locked
#define secret_item_get_locked (pkgauth_secret_fns.secret_item_get_locked)
#undef secret_item_get_modified
#define secret_item_get_modified (pkgauth_secret_fns.secret_item_get_modified)
#undef secret_item_get_secret
#define secret_item_get_secret (pkgauth_secret_fns.secret_item_get_secret)
#undef secret_item_set_secret_sync
#define secret_item_set_secret_sync (pkgauth_secret_fns.secret_item_set_secret_sync)
#undef secret_service_get_secret_for_dbus_path_sync
#define secret_service_get_secret_for_dbus_path_sync (pkgauth_secret_fns.secret_service_get_secret_for_dbus_path_sync)
#undef secret_service_get_type
#define secret_service_get_type (pkgauth_secret_fns.secret_service_get_type)
#undef secret_service_search_for_dbus_paths_sync
#define secret_service_search_for_dbus_paths_sync (pkgauth_secret_fns.secret_service_search_for_dbus_paths_sync)
#undef secret_service_search_sync
#define secret_service_search_sync (pkgauth_secret_fns.secret_service_search_sync)
#undef secret_service_store_sync
#define secret_service_store_sync (pkgauth_secret_fns.secret_service_store_sync)
#undef secret_value_get
#define secret_value_get (pkgauth_secret_fns.secret_value_get)
#undef secret_value_new
#define secret_value_new (pkgauth_secret_fns.secret_value_new)
#undef secret_value_unref
#define secret_value_unref (pkgauth_secret_fns.secret_value_unref)
#endif

#endif
