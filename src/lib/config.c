/* pixi's global configuration files (compat.md "Which store is used"):
 * find them, parse them with the TOML reader, and merge the few keys that
 * matter for credentials. Everything else in the files is ignored on
 * purpose, so a configuration pixi accepts is never refused here for a key
 * pkgauth does not know. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "curl_dl.h"
#include "error.h"
#include "options.h"
#include "file.h"
#include "pkgauth/config.h"
#include "toml.h"
#include "url_internal.h"

/* /etc/pixi, $XDG_CONFIG_HOME/pixi, ~/.pixi, $PIXI_HOME. */
#define MAX_FILES 4

typedef struct {
    char *path;
    int found;
} config_file;

typedef struct {
    char *name;
    char *endpoint_url;
    char *region;
    int force_path_style; /* -1 = not set */
    const char *endpoint_url_source, *region_source, *force_path_style_source;
} s3_bucket;

struct pkgauth_config {
    config_file files[MAX_FILES];
    size_t file_count;
    char *home; /* for "~" in authentication-override-file; may be NULL */
    char *override_file;
    const char *override_source; /* these point at files[i].path */
    pkgauth_keyring_provider provider;
    const char *provider_source;
    s3_bucket *buckets;
    size_t bucket_count;
};

/* ---- reading a file ----------------------------------------------------- */

/* The whole file in *buf (NUL-terminated). *buf stays NULL when the file
 * does not exist, which is not an error here: callers decide. A file over
 * the TOML reader's limit is read one byte over it, so the reader says so. */
static int read_file(const char *path, char **buf, size_t *len, pkgauth_error *err)
{
    int rc = pkgauth_file_read(path, PKGAUTH_TOML_MAX_SIZE, buf, len, NULL, err);
    return rc == PKGAUTH_ENOTFOUND ? PKGAUTH_OK : rc;
}

/* ---- the keys pkgauth reads --------------------------------------------- */

static int bad_type(pkgauth_error *err, const char *file, const char *key, const char *want,
                    const pkgauth_toml_value *v)
{
    return pkgauth_error_set(err, PKGAUTH_EINVAL, "%s: %s: expected %s, found %s", file, key,
                             want, pkgauth_toml_type_name(pkgauth_toml_type_of(v)));
}

/* The string under key in table, NULL when absent; a non-string is an
 * error (pixi refuses such a file too). what names the key in messages. */
static int get_string(const pkgauth_toml_value *table, const char *key, const char *file,
                      const char *what, const char **out, pkgauth_error *err)
{
    *out = NULL;
    const pkgauth_toml_value *v = pkgauth_toml_table_get(table, key);
    if (!v)
        return PKGAUTH_OK;
    if (pkgauth_toml_table_get_string(table, key, out))
        return bad_type(err, file, what, "a string", v);
    return PKGAUTH_OK;
}

/* "~" and "~/..." mean the home folder, as in a shell. */
static char *expand_home(const char *path, const char *home)
{
    char *out = NULL;
    if (home && path[0] == '~' && (path[1] == '/' || !path[1])) {
        if (asprintf(&out, "%s%s", home, path + 1) < 0)
            out = NULL;
        return out;
    }
    return strdup(path);
}

static int replace_string(char **slot, const char *value, pkgauth_error *err)
{
    char *copy = strdup(value);
    if (!copy)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    free(*slot);
    *slot = copy;
    return PKGAUTH_OK;
}

static int read_override(pkgauth_config *c, const pkgauth_toml_value *root, const char *file,
                         pkgauth_error *err)
{
    const char *v;
    int rc = get_string(root, "authentication-override-file", file,
                        "authentication-override-file", &v, err);
    if (rc || !v)
        return rc;
    if (!*v)
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "%s: authentication-override-file: empty path", file);
    char *path = expand_home(v, c->home);
    if (!path)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    free(c->override_file);
    c->override_file = path;
    c->override_source = file;
    return PKGAUTH_OK;
}

/* A sub-table of root, or NULL when absent; another type is an error. */
static int get_table(const pkgauth_toml_value *root, const char *key, const char *file,
                     const pkgauth_toml_value **out, pkgauth_error *err)
{
    *out = pkgauth_toml_table_get(root, key);
    if (*out && pkgauth_toml_type_of(*out) != PKGAUTH_TOML_TABLE)
        return bad_type(err, file, key, "a table", *out);
    return PKGAUTH_OK;
}

static int read_pypi(pkgauth_config *c, const pkgauth_toml_value *root, const char *file,
                     pkgauth_error *err)
{
    const pkgauth_toml_value *pypi;
    const char *v;
    int rc = get_table(root, "pypi-config", file, &pypi, err);
    if (!rc && pypi)
        rc = get_string(pypi, "keyring-provider", file, "pypi-config.keyring-provider", &v, err);
    if (rc || !pypi || !v)
        return rc;
    if (!strcmp(v, "subprocess"))
        c->provider = PKGAUTH_KEYRING_PROVIDER_SUBPROCESS;
    else if (!strcmp(v, "disabled"))
        c->provider = PKGAUTH_KEYRING_PROVIDER_DISABLED;
    else
        return pkgauth_error_set(err, PKGAUTH_EINVAL,
                                 "%s: pypi-config.keyring-provider: invalid value \"%.100s\": "
                                 "expected \"subprocess\" or \"disabled\"",
                                 file, v);
    c->provider_source = file;
    return PKGAUTH_OK;
}

/* The bucket's entry, added (all fields unset) when new; NULL = no memory. */
static s3_bucket *bucket_slot(pkgauth_config *c, const char *name)
{
    for (size_t i = 0; i < c->bucket_count; i++)
        if (!strcmp(c->buckets[i].name, name))
            return &c->buckets[i];
    s3_bucket *grown = realloc(c->buckets, (c->bucket_count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    c->buckets = grown;
    s3_bucket *b = &grown[c->bucket_count];
    memset(b, 0, sizeof *b);
    b->force_path_style = -1;
    if (!(b->name = strdup(name)))
        return NULL;
    c->bucket_count++;
    return b;
}

/* endpoint-url must be a URL, as pixi parses it into one (url.c). */
static int valid_url(const char *s)
{
    pkgauth_net_url u;
    int ok = !pkgauth_net_url_parse(&u, s, PKGAUTH_URL_HOST_ONLY, NULL);
    pkgauth_net_url_dispose(&u);
    return ok;
}

static int read_bucket_strings(s3_bucket *b, const pkgauth_toml_value *t, const char *file,
                               pkgauth_error *err)
{
    char what[300];
    const char *url, *region;
    snprintf(what, sizeof what, "s3-options.%.200s.endpoint-url", b->name);
    int rc = get_string(t, "endpoint-url", file, what, &url, err);
    if (!rc && url)
        rc = pkgauth_curl_load(err);
    if (!rc && url && !valid_url(url))
        rc = pkgauth_error_set(err, PKGAUTH_EINVAL, "%s: %s: invalid URL \"%.200s\"", file,
                               what, url);
    if (!rc && url && !(rc = replace_string(&b->endpoint_url, url, err)))
        b->endpoint_url_source = file;
    snprintf(what, sizeof what, "s3-options.%.200s.region", b->name);
    if (!rc)
        rc = get_string(t, "region", file, what, &region, err);
    if (!rc && region && !(rc = replace_string(&b->region, region, err)))
        b->region_source = file;
    return rc;
}

static int read_bucket(pkgauth_config *c, const char *name, const pkgauth_toml_value *t,
                       const char *file, pkgauth_error *err)
{
    if (pkgauth_toml_type_of(t) != PKGAUTH_TOML_TABLE) {
        char what[300];
        snprintf(what, sizeof what, "s3-options.%.200s", name);
        return bad_type(err, file, what, "a table", t);
    }
    s3_bucket *b = bucket_slot(c, name);
    if (!b)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    int rc = read_bucket_strings(b, t, file, err);
    const pkgauth_toml_value *fps = pkgauth_toml_table_get(t, "force-path-style");
    bool flag;
    if (rc || !fps)
        return rc;
    if (pkgauth_toml_as_bool(fps, &flag)) {
        char what[300];
        snprintf(what, sizeof what, "s3-options.%.200s.force-path-style", name);
        return bad_type(err, file, what, "true or false", fps);
    }
    b->force_path_style = flag;
    b->force_path_style_source = file;
    return PKGAUTH_OK;
}

static int read_s3(pkgauth_config *c, const pkgauth_toml_value *root, const char *file,
                   pkgauth_error *err)
{
    const pkgauth_toml_value *s3;
    int rc = get_table(root, "s3-options", file, &s3, err);
    for (size_t i = 0; !rc && s3 && i < pkgauth_toml_table_size(s3); i++) {
        size_t len;
        const char *name = pkgauth_toml_table_key(s3, i, &len);
        if (len != strlen(name))
            return pkgauth_error_set(err, PKGAUTH_EINVAL, "%s: s3-options: bucket name with NUL",
                                     file);
        rc = read_bucket(c, name, pkgauth_toml_table_value(s3, i), file, err);
    }
    return rc;
}

/* Parses one file and merges it over what earlier files set. */
static int merge_file(pkgauth_config *c, config_file *f, int required, pkgauth_error *err)
{
    char *buf;
    size_t len = 0;
    int rc = read_file(f->path, &buf, &len, err);
    if (rc)
        return rc;
    if (!buf)
        return required ? pkgauth_error_set(err, PKGAUTH_ENOTFOUND,
                                            "%s: configuration file not found", f->path)
                        : PKGAUTH_OK;
    f->found = 1;
    pkgauth_toml_value *root = NULL;
    rc = pkgauth_toml_parse(buf, len, f->path, &root, err);
    free(buf);
    if (!rc)
        rc = read_override(c, root, f->path, err);
    if (!rc)
        rc = read_pypi(c, root, f->path, err);
    if (!rc)
        rc = read_s3(c, root, f->path, err);
    pkgauth_toml_free(root);
    return rc;
}

/* ---- where the files are ------------------------------------------------ */

/* An option value: the override, else the variable; "" means unset. */
static const char *setting(const char *override, const char *variable)
{
    const char *v = override ? override : getenv(variable);
    return v && *v ? v : NULL;
}

static const char *home_of(const pkgauth_config_options *o)
{
    if (o && o->home)
        return *o->home ? o->home : NULL;
    const char *h = getenv("HOME");
    if (h && *h)
        return h;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_dir : NULL;
}

/* Adds dir + "/" + rest to the list unless already there (PIXI_HOME may be
 * ~/.pixi itself). A NULL dir adds nothing. */
static int add_path(pkgauth_config *c, const char *dir, const char *rest, pkgauth_error *err)
{
    char *path;
    if (!dir)
        return PKGAUTH_OK;
    if (asprintf(&path, "%s/%s", dir, rest) < 0)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->file_count; i++) {
        if (!strcmp(c->files[i].path, path)) {
            free(path);
            return PKGAUTH_OK;
        }
    }
    c->files[c->file_count++].path = path;
    return PKGAUTH_OK;
}

/* pixi's list, lowest priority first. XDG_CONFIG_HOME counts only when
 * absolute, as in the `dirs` crate pixi uses. */
static int default_paths(pkgauth_config *c, const pkgauth_config_options *o, pkgauth_error *err)
{
    const char *sys = setting(o ? o->system_dir : NULL, "PKGAUTH_SYSTEM_CONFIG_DIR");
    const char *xdg = setting(o ? o->xdg_config_home : NULL, "XDG_CONFIG_HOME");
    const char *pixi_home = setting(o ? o->pixi_home : NULL, "PIXI_HOME");
    int rc = add_path(c, sys ? sys : "/etc/pixi", "config.toml", err);
    if (!rc && xdg && xdg[0] == '/')
        rc = add_path(c, xdg, "pixi/config.toml", err);
    else if (!rc)
        rc = add_path(c, c->home, ".config/pixi/config.toml", err);
    if (!rc)
        rc = add_path(c, c->home, ".pixi/config.toml", err);
    if (!rc)
        rc = add_path(c, pixi_home, "config.toml", err);
    return rc;
}

static int config_new(pkgauth_config **out, const pkgauth_config_options *o, pkgauth_error *err)
{
    if (o && pkgauth_options_version(o->version, PKGAUTH_CONFIG_OPTIONS_VERSION,
                                     "pkgauth_config_options", err))
        return PKGAUTH_EINVAL;
    pkgauth_config *c = calloc(1, sizeof *c);
    const char *home = home_of(o);
    if (c && home && !(c->home = strdup(home))) {
        free(c);
        c = NULL;
    }
    if (!c)
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    *out = c;
    return PKGAUTH_OK;
}

/* Merges every listed file in order; on error frees c. */
static int merge_all(pkgauth_config *c, int required, pkgauth_config **out, pkgauth_error *err)
{
    int rc = PKGAUTH_OK;
    for (size_t i = 0; i < c->file_count && !rc; i++)
        rc = merge_file(c, &c->files[i], required, err);
    if (rc) {
        pkgauth_config_free(c);
        return rc;
    }
    *out = c;
    return PKGAUTH_OK;
}

int pkgauth_config_load(pkgauth_config **out, const pkgauth_config_options *opts,
                        pkgauth_error *err)
{
    pkgauth_config *c;
    if (!out)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "config_load: out is required");
    *out = NULL;
    int rc = config_new(&c, opts, err);
    if (rc)
        return rc;
    if ((rc = default_paths(c, opts, err))) {
        pkgauth_config_free(c);
        return rc;
    }
    return merge_all(c, 0, out, err);
}

int pkgauth_config_load_file(pkgauth_config **out, const char *path,
                             const pkgauth_config_options *opts, pkgauth_error *err)
{
    pkgauth_config *c;
    if (out)
        *out = NULL;
    if (!out || !path || !*path)
        return pkgauth_error_set(err, PKGAUTH_EINVAL, "a configuration file path is required");
    int rc = config_new(&c, opts, err);
    if (rc)
        return rc;
    if (!(c->files[0].path = strdup(path))) {
        pkgauth_config_free(c);
        return pkgauth_error_set(err, PKGAUTH_ENOMEM, "out of memory");
    }
    c->file_count = 1;
    return merge_all(c, 1, out, err);
}

void pkgauth_config_free(pkgauth_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->file_count; i++)
        free(c->files[i].path);
    for (size_t i = 0; i < c->bucket_count; i++) {
        free(c->buckets[i].name);
        free(c->buckets[i].endpoint_url);
        free(c->buckets[i].region);
    }
    free(c->buckets);
    free(c->override_file);
    free(c->home);
    free(c);
}

/* ---- getters ------------------------------------------------------------ */

size_t pkgauth_config_file_count(const pkgauth_config *c)
{
    return c ? c->file_count : 0;
}

const char *pkgauth_config_file_at(const pkgauth_config *c, size_t i, int *found)
{
    if (!c || i >= c->file_count)
        return NULL;
    if (found)
        *found = c->files[i].found;
    return c->files[i].path;
}

const char *pkgauth_config_override_file(const pkgauth_config *c, const char **source)
{
    if (source)
        *source = c ? c->override_source : NULL;
    return c ? c->override_file : NULL;
}

pkgauth_keyring_provider pkgauth_config_keyring_provider(const pkgauth_config *c,
                                                         const char **source)
{
    if (source)
        *source = c ? c->provider_source : NULL;
    return c ? c->provider : PKGAUTH_KEYRING_PROVIDER_DISABLED;
}

const char *pkgauth_keyring_provider_name(pkgauth_keyring_provider p)
{
    return p == PKGAUTH_KEYRING_PROVIDER_SUBPROCESS ? "subprocess" : "disabled";
}

int pkgauth_config_s3_options(const pkgauth_config *c, const char *bucket,
                              pkgauth_s3_options *out)
{
    if (!out)
        return PKGAUTH_EINVAL;
    *out = (pkgauth_s3_options)PKGAUTH_S3_OPTIONS_INIT;
    if (!bucket)
        return PKGAUTH_EINVAL;
    for (size_t i = 0; c && bucket && i < c->bucket_count; i++) {
        const s3_bucket *b = &c->buckets[i];
        if (strcmp(b->name, bucket))
            continue;
        out->endpoint_url = b->endpoint_url;
        out->region = b->region;
        out->force_path_style = b->force_path_style;
        out->endpoint_url_source = b->endpoint_url_source;
        out->region_source = b->region_source;
        out->force_path_style_source = b->force_path_style_source;
        return PKGAUTH_OK;
    }
    return PKGAUTH_ENOTFOUND;
}

size_t pkgauth_config_s3_bucket_count(const pkgauth_config *c)
{
    return c ? c->bucket_count : 0;
}

const char *pkgauth_config_s3_bucket_at(const pkgauth_config *c, size_t i)
{
    return c && i < c->bucket_count ? c->buckets[i].name : NULL;
}
