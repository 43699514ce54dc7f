/* The set-up every command shares, made once from the global options and
 * only when a command needs it (to keep start-up cheap): pixi's
 * configuration (only when no RATTLER_AUTH_FILE or --auth-file makes it
 * irrelevant), the store chain, and the S3 target of an s3:// URL. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "context.h"
#include "output.h"

pkgauth_config *cli_config(cli *c)
{
    if (c->config)
        return c->config;
    pkgauth_error err = {0};
    int rc = c->config_file ? pkgauth_config_load_file(&c->config, c->config_file, NULL, &err)
                            : pkgauth_config_load(&c->config, NULL, &err);
    if (rc) {
        cli_error(c, "%s", err.message);
        return NULL;
    }
    for (size_t i = 0; i < pkgauth_config_file_count(c->config); i++) {
        int found;
        const char *path = pkgauth_config_file_at(c->config, i, &found);
        cli_debug(c, 1, "config %s%s", path, found ? "" : " (not found)");
    }
    return c->config;
}

/* Which of RATTLER_AUTH_FILE and --auth-file replaces the configured file. */
const char *cli_override_reason(const cli *c)
{
    const char *env = getenv("RATTLER_AUTH_FILE");
    if (env && *env)
        return "RATTLER_AUTH_FILE is set";
    return c->auth_file ? "--auth-file is given" : NULL;
}

int cli_config_override(cli *c, const char **file)
{
    *file = NULL;
    if (cli_override_reason(c))
        return 0;
    pkgauth_config *cfg = cli_config(c);
    if (!cfg)
        return -1;
    const char *source;
    const char *path = pkgauth_config_override_file(cfg, &source);
    struct stat st;
    /* Still used: a login creates it, as pixi would. */
    if (path && stat(path, &st))
        cli_warn(c, "authentication-override-file %s (set in %s) does not exist", path, source);
    *file = path;
    return 0;
}

static void warn_cb(void *ctx, const char *msg)
{
    cli_warn(ctx, "%s", msg);
}

pkgauth_store *cli_store(cli *c)
{
    if (c->store)
        return c->store;
    pkgauth_error err = {0};
    pkgauth_store_options opts = PKGAUTH_STORE_OPTIONS_INIT;
    opts.auth_file = c->auth_file;
    opts.warn = warn_cb;
    opts.warn_ctx = c;
    opts.config = c->config;
    if (cli_config_override(c, &opts.override_file))
        return NULL;
    if (pkgauth_store_open(&c->store, &opts, &err)) {
        cli_error(c, "%s", err.message);
        return NULL;
    }
    for (size_t i = 0; i < pkgauth_store_backend_count(c->store); i++)
        cli_debug(c, 1, "store %zu: %s", i + 1, pkgauth_store_backend_name(c->store, i));
    return c->store;
}

void cli_context_free(cli *c)
{
    pkgauth_store_free(c->store);
    pkgauth_config_free(c->config);
}

/* ---- S3 targets (presign, upload, fetch) --------------------------------- */

static int any_flag(const cli_s3_flags *f)
{
    return f->endpoint_url || f->region || f->force_path_style >= 0;
}

/* The bucket's s3-options: pixi's configuration, overlaid by the flags.
 * *has is 0 when neither gives any (then the AWS conventions apply). The
 * strings in *o borrow from *config and the flags. */
static int bucket_options(cli *c, const cli_s3_flags *f, const char *bucket,
                          pkgauth_s3_options *o, int *has)
{
    const pkgauth_config *config = cli_config(c); /* honours --config */
    if (!config)
        return EXIT_FAIL;
    *has = !pkgauth_config_s3_options(config, bucket, o) || any_flag(f);
    if (o->endpoint_url_source)
        cli_debug(c, 1, "s3-options for %s from %s", bucket, o->endpoint_url_source);
    if (f->endpoint_url)
        o->endpoint_url = f->endpoint_url;
    if (f->region)
        o->region = f->region;
    if (f->force_path_style >= 0)
        o->force_path_style = f->force_path_style;
    return EXIT_OK;
}

int cli_s3_target(cli *c, const cli_s3_flags *f, const char *s3_url, pkgauth_s3_target **t)
{
    pkgauth_error err = {0};
    pkgauth_s3_options o;
    char *bucket = NULL;
    int has = 0, rc = EXIT_OK;
    *t = NULL;
    if (pkgauth_s3_url_bucket(s3_url, &bucket, &err))
        return cli_usage_error(c, NULL, "%s", err.message);
    rc = bucket_options(c, f, bucket, &o, &has);
    pkgauth_store *store = rc ? NULL : cli_store(c);
    if (!rc && !store)
        rc = EXIT_FAIL;
    if (!rc && pkgauth_s3_target_resolve(store, has ? &o : NULL, s3_url, t, &err)) {
        cli_error(c, "%s", err.message);
        rc = EXIT_FAIL;
    }
    if (!rc)
        cli_debug(c, 1, "%s: credentials from %s, region %s, %s addressing, %s", bucket,
                  pkgauth_s3_target_source(*t), pkgauth_s3_target_region(*t),
                  pkgauth_s3_target_path_style(*t) ? "path-style" : "virtual-host",
                  pkgauth_s3_target_url(*t));
    pkgauth_free(bucket);
    return rc;
}

void cli_s3_refusal_hint(cli *c, pkgauth_store *store, const char *s3_url, char *out,
                         size_t size)
{
    pkgauth_s3_options o;
    pkgauth_s3_target *t = NULL;
    char *bucket = NULL;
    int has = !pkgauth_s3_url_bucket(s3_url, &bucket, NULL) && c->config &&
              !pkgauth_config_s3_options(c->config, bucket, &o);
    if (!pkgauth_s3_target_resolve(store, has ? &o : NULL, s3_url, &t, NULL))
        snprintf(out, size, "(the S3 credentials from %s were refused)",
                 pkgauth_s3_target_source(t));
    else
        snprintf(out, size, "(no S3 credentials found: see 'pkgauth login s3://%s' or set "
                 "AWS_ACCESS_KEY_ID)", bucket ? bucket : "BUCKET");
    pkgauth_s3_target_free(t);
    pkgauth_free(bucket);
}
