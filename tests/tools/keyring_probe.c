/* keyring_probe: what the keyring tests need to see that the command line
 * does not show.
 *   keyring_probe detect        one lookup through a new keyring backend;
 *                               prints "rc=<code> detect_ms=<ms>" and the
 *                               backend's message (never a secret)
 *   keyring_probe content-type KEY
 *                               the content type of each item with
 *                               service=rattler, username=KEY, one a line
 *   keyring_probe stop-after-detect PID
 *                               one lookup (the backend finds the keyring),
 *                               then SIGSTOP to PID (the keyring daemon) and a
 *                               second lookup; prints "rc=<code> ms=<ms>" of
 *                               the second and its message; SIGCONT after
 *   keyring_probe store-in COLLECTION KEY
 *                               stores standard input as the secret of a
 *                               new item service=rattler, username=KEY in
 *                               COLLECTION (an alias such as "session", or
 *                               an object path), which secret-tool cannot
 *   keyring_probe detect-unloadable
 *                               "detect" with a libsecret that cannot be
 *                               loaded (a library name that does not exist) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libsecret/secret.h>

#include "backends/backends.h"
#define PKGAUTH_SECRET_DL_NO_MACROS /* this file calls libsecret itself */
#include "secret_dl.h"

static int detect(void)
{
    pkgauth_backend *b;
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    if (pkgauth_backend_keyring_new(&b, &err))
        return 1;
    int rc = b->ops->get(b, "probe.invalid", &c, &err);
    printf("rc=%d detect_ms=%.3f\n%s\n", rc, pkgauth_backend_keyring_detect_ms(b), err.message);
    pkgauth_credential_free(c);
    b->ops->free(b);
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A keyring that stops answering after the backend found it: what a
 * long-running program holding a store sees. */
static int stop_after_detect(pid_t daemon)
{
    pkgauth_backend *b;
    pkgauth_credential *c = NULL;
    pkgauth_error err = {0};
    if (pkgauth_backend_keyring_new(&b, &err))
        return 1;
    int rc = b->ops->get(b, "probe.invalid", &c, &err);
    if (rc != PKGAUTH_ENOTFOUND) {
        fprintf(stderr, "keyring_probe: first lookup: %d %s\n", rc, err.message);
        return 1;
    }
    kill(daemon, SIGSTOP);
    double t0 = now_ms();
    rc = b->ops->get(b, "probe.invalid", &c, &err);
    double ms = now_ms() - t0;
    kill(daemon, SIGCONT);
    printf("rc=%d ms=%.0f\n%s\n", rc, ms, err.message);
    pkgauth_credential_free(c);
    b->ops->free(b);
    return 0;
}

static int content_types(const char *key)
{
    static const SecretSchema schema = {
        .name = "org.freedesktop.Secret.Generic",
        .flags = SECRET_SCHEMA_DONT_MATCH_NAME,
        .attributes = {{"service", SECRET_SCHEMA_ATTRIBUTE_STRING},
                       {"username", SECRET_SCHEMA_ATTRIBUTE_STRING}},
    };
    GError *e = NULL;
    GHashTable *attrs = secret_attributes_build(&schema, "service", "rattler", "username", key,
                                                NULL);
    GList *items = secret_service_search_sync(NULL, &schema, attrs,
                                              SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                                              NULL, &e);
    g_hash_table_unref(attrs);
    if (e) {
        fprintf(stderr, "keyring_probe: %s\n", e->message);
        g_error_free(e);
        return 1;
    }
    for (GList *l = items; l; l = l->next) {
        SecretValue *v = secret_item_get_secret(l->data);
        printf("%s\n", v ? secret_value_get_content_type(v) : "(not loaded)");
        if (v)
            secret_value_unref(v);
    }
    g_list_free_full(items, g_object_unref);
    return 0;
}

static int store_in(const char *collection, const char *key)
{
    static const SecretSchema schema = {
        .name = "org.freedesktop.Secret.Generic",
        .flags = SECRET_SCHEMA_DONT_MATCH_NAME,
        .attributes = {{"service", SECRET_SCHEMA_ATTRIBUTE_STRING},
                       {"username", SECRET_SCHEMA_ATTRIBUTE_STRING}},
    };
    char secret[4096];
    size_t n = fread(secret, 1, sizeof secret - 1, stdin);
    secret[n] = '\0';
    GError *e = NULL;
    secret_password_store_sync(&schema, collection, "made by keyring_probe", secret, NULL, &e,
                               "service", "rattler", "username", key, NULL);
    if (e) {
        fprintf(stderr, "keyring_probe: %s\n", e->message);
        g_error_free(e);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "detect"))
        return detect();
    if (argc == 2 && !strcmp(argv[1], "detect-unloadable")) {
        /* The first load decides for the whole process. */
        if (pkgauth_secret_load_named("libpkgauth-absent.so.0", NULL, 0))
            return 1;
        return detect();
    }
    if (argc == 3 && !strcmp(argv[1], "content-type"))
        return content_types(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "stop-after-detect"))
        return stop_after_detect((pid_t)atoi(argv[2]));
    if (argc == 4 && !strcmp(argv[1], "store-in"))
        return store_in(argv[2], argv[3]);
    fprintf(stderr, "usage: keyring_probe detect | detect-unloadable | content-type KEY | "
                    "stop-after-detect PID | "
                    "store-in COLLECTION KEY\n");
    return 2;
}
