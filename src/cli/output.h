/* Output: what the command line prints. Errors and warnings go to stderr
 * as one line. Uses no other part of the CLI. */
#ifndef PKGAUTH_CLI_OUTPUT_H
#define PKGAUTH_CLI_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"

/* Writes text with every control character, DEL, C1 control and byte of
 * invalid UTF-8 escaped (\n, \r, \t, \xNN): what pkgauth prints about a
 * key, URL, user or file stays one line and cannot drive the terminal.
 * Every message function below escapes what it prints. */
void cli_put_escaped(FILE *out, const char *text);
/* One line on stdout: label, value escaped, suffix (for `status`, `which`). */
void cli_print_field(const char *label, const char *value, const char *suffix);
void cli_error(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_warn(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Informational line on stderr, hidden by -q. */
void cli_info(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shown only at verbosity >= level. */
void cli_debug(const cli *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A usage error: prints it and a hint, returns EXIT_USAGE. */
int cli_usage_error(const cli *c, const char *command, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* S3's own words from an error response body: "<Code>: <Message>" (or just
 * the code) into out, for a message; 0 when the body is no S3 error
 * document. */
int cli_s3_error_text(const char *body, size_t len, char *out, size_t size);

#endif
