/* pkgauth [global options] <command> [options]: the dispatch. Nothing else
 * in the CLI uses this file (tests/tools/check_cli_layering.sh). */
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "context.h"
#include "help.h"
#include "options.h"
#include "output.h"

static const cli_command commands[] = {
    {"login", "Store authentication information for a given host", cmd_login, help_login},
    {"logout", "Remove authentication information for a given host", cmd_logout, help_logout},
    {"token", "Print the token a request to a host would use", cmd_token, help_token},
    {"status", "List every stored credential and where it is stored", cmd_status, help_status},
    {"which", "Show which credential a URL would use, and why", cmd_which, help_which},
    {"config", "Show the pixi configuration in effect and where it comes from", cmd_config,
     help_config},
    {"fetch", "Download URLs with the stored credentials applied", cmd_fetch, help_fetch},
    {"presign", "Print a presigned HTTPS URL for an S3 object", cmd_presign, help_presign},
    {"upload", "Upload a file to S3 through a presigned PUT", cmd_upload, help_upload},
};
#define N_COMMANDS (sizeof commands / sizeof *commands)

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

/* Secrets pass through this process's memory: no core dump may write them
 * to disk (core limit 0, soft and hard, so nothing raises it again), and a
 * non-dumpable process cannot be read through ptrace or /proc/<pid>/mem by
 * other processes of the same user. */
static void protect_memory(void)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L);
    /* Secrets that pass through JSON are wiped when jansson frees them; the
     * library leaves that process-wide choice to the program. */
    (void)pkgauth_init(PKGAUTH_INIT_WIPE_JSON, NULL);
}

int main(int argc, char **argv)
{
    protect_memory();
    cli c = {0};
    cli_options_defaults(&c);

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help_main(stdout, commands, N_COMMANDS);
            return EXIT_OK;
        }
        if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
            printf("pkgauth %s\n", PKGAUTH_VERSION_STRING);
            return EXIT_OK;
        }
        int r = cli_global_option(&c, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0)
            return cli_usage_error(&c, NULL, "unexpected argument '%s'", argv[i]);
    }
    if (i >= argc) {
        help_main(stderr, commands, N_COMMANDS);
        return EXIT_USAGE;
    }
    const cli_command *cmd = find_command(argv[i]);
    if (!cmd)
        return cli_usage_error(&c, NULL, "unrecognized command '%s'", argv[i]);
    for (int j = i + 1; j < argc; j++) {
        if (!strcmp(argv[j], "--"))
            break;
        if (!strcmp(argv[j], "-h") || !strcmp(argv[j], "--help")) {
            cmd->help(stdout);
            return EXIT_OK;
        }
    }
    int rc = cmd->run(&c, argc - i - 1, argv + i + 1);
    cli_context_free(&c);
    return rc;
}
