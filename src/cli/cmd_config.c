/* pkgauth config: pixi's configuration as pkgauth sees it, and the lazy
 * loading every other command uses (only when no RATTLER_AUTH_FILE or
 * --auth-file makes the configuration irrelevant, to keep start-up cheap). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

void help_config(FILE *out)
{
    fputs("Show the pixi configuration in effect and where it comes from\n\n"
          "Usage: pkgauth config [OPTIONS]\n\n"
          "Prints the configuration files read (lowest priority first) and the settings\n"
          "pkgauth uses, each with the file that set it:\n"
          "  authentication-override-file     the credentials file to use instead of the\n"
          "                                   keyring, ~/.rattler/credentials.json and netrc\n"
          "  pypi-config.keyring-provider     \"subprocess\" or \"disabled\" (default)\n"
          "  s3-options.<bucket>.endpoint-url, .region, .force-path-style\n\n"
          "Files, lowest priority first (later ones override earlier ones key by key):\n"
          "  /etc/pixi/config.toml\n"
          "  $XDG_CONFIG_HOME/pixi/config.toml (default ~/.config/pixi/config.toml)\n"
          "  ~/.pixi/config.toml\n"
          "  $PIXI_HOME/config.toml\n"
          "'--config <FILE>' reads that one file instead.\n",
          out);
    cli_help_globals(out);
}

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
static const char *override_reason(const cli *c)
{
    const char *env = getenv("RATTLER_AUTH_FILE");
    if (env && *env)
        return "RATTLER_AUTH_FILE is set";
    return c->auth_file ? "--auth-file is given" : NULL;
}

int cli_config_override(cli *c, const char **file)
{
    *file = NULL;
    if (override_reason(c))
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
    const char *reason = override_reason(c);
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
