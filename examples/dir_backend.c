/* A credential store of the program's own, plugged into a pkgauth chain
 * through the public backend interface (pkgauth/sys/backend.h): bearer
 * tokens kept one per file in a folder (<dir>/<key>), as mounted secrets
 * often are. Read only: writes go on to the next backend of the chain.
 *
 *   cc dir_backend.c $(pkg-config --cflags --libs pkgauth) -o dir_backend
 *   mkdir -p /run/tokens && printf tok > /run/tokens/repo.example.com
 *   ./dir_backend /run/tokens https://repo.example.com/channel/noarch/repodata.json
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pkgauth/pkgauth.h>
#include <pkgauth/sys/backend.h>

typedef struct {
    pkgauth_backend base;
    char *dir;
} dir_backend;

static int dir_get(pkgauth_backend *b, const char *key, pkgauth_credential **out,
                   pkgauth_error *err)
{
    char path[4096], token[1024];
    if (strchr(key, '/') || key[0] == '.') /* s3:// keys, and nothing outside dir */
        return PKGAUTH_ENOTFOUND;
    snprintf(path, sizeof path, "%s/%s", ((dir_backend *)b)->dir, key);
    FILE *f = fopen(path, "r");
    if (!f)
        return PKGAUTH_ENOTFOUND;
    size_t n = fread(token, 1, sizeof token - 1, f);
    fclose(f);
    token[n] = '\0';
    token[strcspn(token, "\r\n")] = '\0';
    int rc = pkgauth_credential_new_bearer(out, token, err);
    memset(token, 0, sizeof token);
    return rc;
}

static void dir_free(pkgauth_backend *b)
{
    free(((dir_backend *)b)->dir);
    free(b->name);
    free(b);
}

/* get and free only: store, remove and list are optional (read only). */
static const pkgauth_backend_ops dir_ops = {.get = dir_get, .free = dir_free};

static pkgauth_backend *dir_backend_new(const char *dir)
{
    dir_backend *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->base.version = PKGAUTH_BACKEND_VERSION;
    d->base.ops = &dir_ops;
    d->base.parallel_reads = 1; /* get keeps no state */
    d->dir = strdup(dir);
    d->base.name = malloc(strlen(dir) + 8);
    if (!d->dir || !d->base.name) {
        dir_free(&d->base);
        return NULL;
    }
    sprintf(d->base.name, "dir (%s)", dir);
    return &d->base;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s DIR URL\n", argv[0]);
        return 2;
    }
    pkgauth_error err = {0};
    pkgauth_store *store = NULL;
    int rc = pkgauth_store_new(&store, &err);
    pkgauth_backend *b = rc ? NULL : dir_backend_new(argv[1]);
    if (!rc && !b)
        rc = PKGAUTH_ENOMEM;
    if (!rc && (rc = pkgauth_store_add_backend(store, b, &err)))
        b->ops->free(b); /* refused: still ours */
    pkgauth_match m;
    if (!rc)
        rc = pkgauth_store_find(store, argv[2], &m, &err);
    if (!rc) {
        printf("%s %s %s\n", m.key,
               pkgauth_method_name(pkgauth_credential_method(m.credential)), m.backend);
        pkgauth_match_clear(&m);
    } else {
        fprintf(stderr, "error: %s\n", err.message[0] ? err.message : pkgauth_strerror(rc));
    }
    pkgauth_store_free(store);
    return rc ? 1 : 0;
}
