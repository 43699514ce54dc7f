/* pkgauth: pixi's global configuration (the settings that matter for
 * credentials).
 *
 * pixi reads these TOML files, lowest priority first; a later file overrides
 * an earlier one key by key (for s3-options: per bucket, per key), and a
 * missing file is skipped:
 *   1. /etc/pixi/config.toml   (the folder: $PKGAUTH_SYSTEM_CONFIG_DIR, for tests)
 *   2. $XDG_CONFIG_HOME/pixi/config.toml  (default ~/.config/pixi/config.toml)
 *   3. ~/.pixi/config.toml
 *   4. $PIXI_HOME/config.toml  (when PIXI_HOME is set)
 *
 * Keys read: authentication-override-file, [s3-options.<bucket>]
 * endpoint-url / region / force-path-style, [pypi-config] keyring-provider.
 * Every other key of pixi's configuration is accepted and ignored.
 *
 * The library never prints: problems come back as a pkgauth_error. */
#ifndef PKGAUTH_CONFIG_H
#define PKGAUTH_CONFIG_H

#include "pkgauth/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The merged settings. Opaque; every string a getter returns is owned by
 * the config and lives until pkgauth_config_free(). */
typedef struct pkgauth_config pkgauth_config;

/* Where to look. Each field: NULL = use the environment variable (or the
 * default), "" = treat the variable as unset. opts may be NULL. Start from
 * PKGAUTH_CONFIG_OPTIONS_INIT, then set fields:
 *   pkgauth_config_options o = PKGAUTH_CONFIG_OPTIONS_INIT;
 *   o.home = "/home/u";
 * A version this library does not know (0: not initialised with the
 * macro) is refused with PKGAUTH_EINVAL. */
#define PKGAUTH_CONFIG_OPTIONS_VERSION 1
typedef struct pkgauth_config_options {
    unsigned int version;        /* PKGAUTH_CONFIG_OPTIONS_VERSION */
    const char *home;            /* instead of $HOME (also for "~" in paths) */
    const char *xdg_config_home; /* instead of $XDG_CONFIG_HOME */
    const char *pixi_home;       /* instead of $PIXI_HOME */
    const char *system_dir;      /* instead of /etc/pixi ($PKGAUTH_SYSTEM_CONFIG_DIR) */
} pkgauth_config_options;
#define PKGAUTH_CONFIG_OPTIONS_INIT {PKGAUTH_CONFIG_OPTIONS_VERSION, NULL, NULL, NULL, NULL}

/* Reads the default files above and merges them. A file that exists but
 * is not valid TOML is PKGAUTH_EPARSE, "file:line:column: message"; a bad
 * value of a key pkgauth reads is PKGAUTH_EINVAL, "file: key: message".
 * On success *out is a new config; free it with pkgauth_config_free(). */
PKGAUTH_API int pkgauth_config_load(pkgauth_config **out, const pkgauth_config_options *opts,
                                    pkgauth_error *err);

/* Reads only path (pixi's --config). Unlike the defaults, a missing file
 * is an error (PKGAUTH_ENOTFOUND). opts (may be NULL) only gives the home
 * folder for "~". */
PKGAUTH_API int pkgauth_config_load_file(pkgauth_config **out, const char *path,
                                         const pkgauth_config_options *opts,
                                         pkgauth_error *err);

PKGAUTH_API void pkgauth_config_free(pkgauth_config *config);

/* The files looked at, lowest priority first, and whether each was found
 * (and read): *found (may be NULL) is 1 or 0. NULL when i is out of range. */
PKGAUTH_API size_t pkgauth_config_file_count(const pkgauth_config *config);
PKGAUTH_API const char *pkgauth_config_file_at(const pkgauth_config *config, size_t i,
                                               int *found);

/* authentication-override-file, with a leading "~/" expanded, or NULL when
 * no file sets it. *source (may be NULL) receives the file that set it. */
PKGAUTH_API const char *pkgauth_config_override_file(const pkgauth_config *config,
                                                     const char **source);

typedef enum pkgauth_keyring_provider {
    PKGAUTH_KEYRING_PROVIDER_DISABLED = 0, /* pixi's default */
    PKGAUTH_KEYRING_PROVIDER_SUBPROCESS,   /* run the `keyring` program */
} pkgauth_keyring_provider;

/* [pypi-config] keyring-provider; *source (may be NULL) receives the file
 * that set it, or NULL for the default (disabled). */
PKGAUTH_API pkgauth_keyring_provider pkgauth_config_keyring_provider(
    const pkgauth_config *config, const char **source);
/* "disabled" or "subprocess" (static). */
PKGAUTH_API const char *pkgauth_keyring_provider_name(pkgauth_keyring_provider provider);

/* [s3-options.<bucket>]. Fields a file did not set are NULL (strings) or
 * -1 (force_path_style); each *_source names the file that set the field.
 * All strings are owned by the config. Filled by
 * pkgauth_config_s3_options() (version included); a program that builds
 * one starts from PKGAUTH_S3_OPTIONS_INIT (nothing set). The s3.h
 * functions refuse an unknown version with PKGAUTH_EINVAL. */
#define PKGAUTH_S3_OPTIONS_VERSION 1
typedef struct pkgauth_s3_options {
    unsigned int version; /* PKGAUTH_S3_OPTIONS_VERSION */
    const char *endpoint_url;
    const char *region;
    int force_path_style; /* 1, 0, or -1 when not set */
    const char *endpoint_url_source;
    const char *region_source;
    const char *force_path_style_source;
} pkgauth_s3_options;
#define PKGAUTH_S3_OPTIONS_INIT {PKGAUTH_S3_OPTIONS_VERSION, NULL, NULL, -1, NULL, NULL, NULL}

/* Fills *out for bucket; PKGAUTH_ENOTFOUND (*out = PKGAUTH_S3_OPTIONS_INIT)
 * when no file has a table for it, or config is NULL (no files: no
 * options). Bucket names compare exactly. */
PKGAUTH_API int pkgauth_config_s3_options(const pkgauth_config *config, const char *bucket,
                                          pkgauth_s3_options *out);
/* The buckets that have s3-options, in the order they first appeared. */
PKGAUTH_API size_t pkgauth_config_s3_bucket_count(const pkgauth_config *config);
PKGAUTH_API const char *pkgauth_config_s3_bucket_at(const pkgauth_config *config, size_t i);

#ifdef __cplusplus
}
#endif
#endif
