/* pkgauth config: pixi's configuration as pkgauth sees it (loaded by
 * context.c, as for every other command). */
#include <string.h>

#include "commands.h"
#include "context.h"
#include "options.h"
#include "output.h"

/* A TOML basic string, so values print the way they are written. */
static void print_quoted(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

static void print_source(const char *source)
{
    if (source) {
        fputs("  # from ", stdout);
        cli_put_escaped(stdout, source);
        putchar('\n');
    } else
        printf("  # default\n");
}

static void print_string(const char *key, const char *value, const char *source)
{
    if (!value)
        return;
    cli_put_escaped(stdout, key);
    fputs(" = ", stdout);
    print_quoted(value);
    print_source(source);
}

static void print_files(const pkgauth_config *cfg)
{
    printf("# configuration files, lowest priority first\n");
    for (size_t i = 0; i < pkgauth_config_file_count(cfg); i++) {
        int found;
        const char *path = pkgauth_config_file_at(cfg, i, &found);
        fputs("#   ", stdout);
        cli_put_escaped(stdout, path);
        printf("%s\n", found ? "" : " (not found)");
    }
}

static void print_override(const cli *c, const pkgauth_config *cfg)
{
    const char *source;
    const char *path = pkgauth_config_override_file(cfg, &source);
    if (path)
        print_string("authentication-override-file", path, source);
    else
        printf("# authentication-override-file is not set\n");
    const char *reason = cli_override_reason(c);
    if (path && reason)
        printf("#   (not used: %s)\n", reason);
}

/* "s3-options.<bucket>.<field>", the bucket quoted unless it is a bare
 * TOML key (a name with dots would otherwise read as nested tables). */
static void s3_key(char *buf, size_t n, const char *bucket, const char *field)
{
    int bare = *bucket && strspn(bucket, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                         "0123456789_-") == strlen(bucket);
    snprintf(buf, n, bare ? "s3-options.%s.%s" : "s3-options.\"%s\".%s", bucket, field);
}

static void print_s3(const pkgauth_config *cfg)
{
    char key[512];
    for (size_t i = 0; i < pkgauth_config_s3_bucket_count(cfg); i++) {
        const char *bucket = pkgauth_config_s3_bucket_at(cfg, i);
        pkgauth_s3_options o;
        pkgauth_config_s3_options(cfg, bucket, &o);
        s3_key(key, sizeof key, bucket, "endpoint-url");
        print_string(key, o.endpoint_url, o.endpoint_url_source);
        s3_key(key, sizeof key, bucket, "region");
        print_string(key, o.region, o.region_source);
        if (o.force_path_style >= 0) {
            s3_key(key, sizeof key, bucket, "force-path-style");
            printf("%s = %s", key, o.force_path_style ? "true" : "false");
            print_source(o.force_path_style_source);
        }
    }
}

int cmd_config(cli *c, int argc, char **argv)
{
    if (cli_only_global_options(c, "config", argc, argv))
        return EXIT_USAGE;
    pkgauth_config *cfg = cli_config(c);
    if (!cfg)
        return EXIT_FAIL;
    const char *source;
    pkgauth_keyring_provider p = pkgauth_config_keyring_provider(cfg, &source);
    print_files(cfg);
    print_override(c, cfg);
    print_string("pypi-config.keyring-provider", pkgauth_keyring_provider_name(p), source);
    print_s3(cfg);
    return EXIT_OK;
}
