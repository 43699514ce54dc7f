/* The pkgauth command line: the state every command gets. What the
 * commands use beside it: output.h (messages), options.h (global and
 * shared options), context.h (store and configuration), help.h,
 * secret_input.h. A command never uses another command or main.c
 * (tests/tools/check_cli_layering.sh). */
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

#endif
