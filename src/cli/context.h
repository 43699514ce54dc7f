/* What the commands work on, set up once from the global options: pixi's
 * configuration, the store chain, and S3 targets. */
#ifndef PKGAUTH_CLI_CONTEXT_H
#define PKGAUTH_CLI_CONTEXT_H

#include <stddef.h>

#include "cli.h"
#include "options.h"

/* The store chain, opened once with the global options. NULL on error
 * (already reported). */
pkgauth_store *cli_store(cli *c);

/* pixi's configuration, loaded once (--config, else the default files).
 * NULL on error (already reported). */
pkgauth_config *cli_config(cli *c);
/* The override file the configuration names, for the store: *file stays
 * NULL when RATTLER_AUTH_FILE or --auth-file decides instead (the config
 * is then not even read). Warns when the file does not exist yet. Returns
 * 0, or -1 on error (already reported). */
int cli_config_override(cli *c, const char **file);
/* Why the configured override file is not used ("RATTLER_AUTH_FILE is
 * set", "--auth-file is given"), or NULL when it would be. */
const char *cli_override_reason(const cli *c);
/* Frees what was set up (at exit). */
void cli_context_free(cli *c);

/* Resolves s3_url with pixi's [s3-options.<bucket>] overlaid by the flags
 * (or the AWS conventions when neither gives any); errors are reported.
 * *t is freed with pkgauth_s3_target_free(). */
int cli_s3_target(cli *c, const cli_s3_flags *f, const char *s3_url, pkgauth_s3_target **t);
/* Why S3 may have refused s3_url: whose credentials signed it (fetch's
 * 401/403 hint; never "no stored credential" when AWS's signed). */
void cli_s3_refusal_hint(cli *c, pkgauth_store *store, const char *s3_url, char *out,
                         size_t size);

#endif
