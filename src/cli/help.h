/* Help texts: the overview, each command's, and the global options'. */
#ifndef PKGAUTH_CLI_HELP_H
#define PKGAUTH_CLI_HELP_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"

/* `pkgauth --help`: the commands (name and summary) and the globals. */
void help_main(FILE *out, const cli_command *commands, size_t n);
/* The help text of the global options. */
void cli_help_globals(FILE *out);
void help_login(FILE *out);
void help_logout(FILE *out);
void help_token(FILE *out);
void help_status(FILE *out);
void help_which(FILE *out);
void help_config(FILE *out);
void help_fetch(FILE *out);
void help_presign(FILE *out);
void help_upload(FILE *out);

#endif
