/* Option parsing: the global options (valid before and after the command)
 * and the ones several commands share. */
#ifndef PKGAUTH_CLI_OPTIONS_H
#define PKGAUTH_CLI_OPTIONS_H

#include "cli.h"

/* The defaults the environment sets before any option: colour from
 * PIXI_COLOR (else auto), progress from PIXI_NO_PROGRESS and stderr. */
void cli_options_defaults(cli *c);
/* If argv[*i] is NAME (as "--name VALUE" or "--name=VALUE"),
 * stores the value, advances *i past it and returns 1; returns -1 when the
 * value is missing; 0 when argv[*i] is another argument. */
int cli_option_value(int argc, char **argv, int *i, const char *name, char **value);
/* Handles a global option at argv[*i]: 1 handled, 0 not global, -1 error
 * (already reported). Lets global options appear after the command too. */
int cli_global_option(cli *c, int argc, char **argv, int *i);
/* For an argument a command's own options did not take: 1 when it was a
 * global option (consumed), 0 when it is a positional argument, -1 when it
 * is an unknown option (a usage error, already reported). */
int cli_common_argument(cli *c, const char *command, int argc, char **argv, int *i);
/* For commands without arguments of their own: EXIT_OK or EXIT_USAGE. */
int cli_only_global_options(cli *c, const char *command, int argc, char **argv);
/* "<cmd> [global options] <ONE-ARGUMENT>", for token and which. */
int cli_single_argument(cli *c, const char *command, int argc, char **argv, const char **arg);

/* The --s3-endpoint-url / --s3-region / --s3-force-path-style options
 * (presign, upload). Strings borrow from argv; force_path_style is -1 when
 * not given (set it to -1 before parsing). */
typedef struct cli_s3_flags {
    const char *endpoint_url, *region;
    int force_path_style;
} cli_s3_flags;
/* 1 handled, 0 not an --s3-* option, -1 usage error (already reported). */
int cli_s3_option(cli *c, const char *command, int argc, char **argv, int *i, cli_s3_flags *f);

#endif
