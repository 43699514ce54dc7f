/* The pkgauth command line: shared state, options and output helpers. */
#ifndef PKGAUTH_CLI_H
#define PKGAUTH_CLI_H

#include <stdio.h>

#include <pkgauth/pkgauth.h>

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct cli {
    int verbose;          /* -v count */
    int quiet;            /* -q */
    int color;            /* resolved: 1 = colour stderr */
    int no_progress;      /* --no-progress / PIXI_NO_PROGRESS */
    const char *auth_file;/* --auth-file */
    const char *config_file; /* --config: replaces pixi's configuration files */
    pkgauth_config *config;  /* loaded on first use by cli_config() */
    pkgauth_store *store; /* opened on first use by cli_store() */
} cli;

/* One command: name, summary for the overview, and its entry point, which
 * gets the arguments after the command word. */
typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(cli *c, int argc, char **argv);
    void (*help)(FILE *out);
} cli_command;

/* Output. Errors and warnings go to stderr as one line. */
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

/* Option parsing. If argv[*i] is NAME (as "--name VALUE" or "--name=VALUE"),
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
/* The help text of the global options. */
void cli_help_globals(FILE *out);

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

/* Secrets: "-" reads one line from stdin; prompting reads without echo
 * from a terminal. Results are freed with pkgauth_free(). 0, -1 when
 * nothing could be read, CLI_SECRET_NUL when the line holds a NUL byte. */
#define CLI_SECRET_NUL (-2)
int cli_read_secret_line(FILE *in, char **out);
int cli_prompt_secret(const char *prompt, char **out);

/* "<cmd> [global options] <ONE-ARGUMENT>", for token and which. */
int cli_single_argument(cli *c, const char *command, int argc, char **argv, const char **arg);

/* The --s3-endpoint-url / --s3-region / --s3-force-path-style options
 * (cmd_s3.c). Strings borrow from argv; force_path_style is -1 when not
 * given (set it to -1 before parsing). */
typedef struct cli_s3_flags {
    const char *endpoint_url, *region;
    int force_path_style;
} cli_s3_flags;
/* 1 handled, 0 not an --s3-* option, -1 usage error (already reported). */
int cli_s3_option(cli *c, const char *command, int argc, char **argv, int *i, cli_s3_flags *f);
/* Resolves s3_url with pixi's [s3-options.<bucket>] overlaid by the flags
 * (or the AWS conventions when neither gives any); errors are reported.
 * *t is freed with pkgauth_s3_target_free(). */
int cli_s3_target(cli *c, const cli_s3_flags *f, const char *s3_url, pkgauth_s3_target **t);
/* S3's own words from an error response body: "<Code>: <Message>" (or just
 * the code) into out; 0 when the body is no S3 error document. */
int cli_s3_error_text(const char *body, size_t len, char *out, size_t size);
/* Why S3 may have refused s3_url: whose credentials signed it (fetch's
 * 401/403 hint; never "no stored credential" when AWS's signed). */
void cli_s3_refusal_hint(cli *c, pkgauth_store *store, const char *s3_url, char *out,
                         size_t size);

int cmd_login(cli *c, int argc, char **argv);
int cmd_logout(cli *c, int argc, char **argv);
int cmd_token(cli *c, int argc, char **argv);
int cmd_status(cli *c, int argc, char **argv);
int cmd_which(cli *c, int argc, char **argv);
int cmd_config(cli *c, int argc, char **argv);
int cmd_fetch(cli *c, int argc, char **argv);
int cmd_presign(cli *c, int argc, char **argv);
int cmd_upload(cli *c, int argc, char **argv);
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
