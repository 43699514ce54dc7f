/* pkgauth [global options] <command> [options] */
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"

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

void cli_help_globals(FILE *out)
{
    fputs("\nGlobal Options:\n"
          "  -v, --verbose...          Increase logging verbosity (repeatable)\n"
          "  -q, --quiet               Only print errors\n"
          "      --color <COLOR>       Whether the log needs to be colored [env: PIXI_COLOR=]\n"
          "                            [default: auto] [possible values: always, never, auto]\n"
          "      --no-progress         Hide all progress bars [env: PIXI_NO_PROGRESS=]\n"
          "      --auth-file <FILE>    Use only this credentials file\n"
          "                            (RATTLER_AUTH_FILE, when set, wins over it)\n"
          "      --config <FILE>       Read this pixi configuration file instead of the\n"
          "                            default ones (see 'pkgauth config --help')\n"
          "  -h, --help                Print help\n"
          "  -V, --version             Print version\n",
          out);
}

static void help_main(FILE *out)
{
    fputs("pkgauth: credentials for conda channels, PyPI indexes and S3 buckets,\n"
          "compatible with pixi.\n\n"
          "Usage: pkgauth [OPTIONS] <COMMAND>\n\nCommands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    cli_help_globals(out);
    fputs("\nEnvironment:\n"
          "  RATTLER_AUTH_FILE   the only credentials file used, when set\n"
          "  NETRC               the netrc file (default ~/.netrc), read only\n"
          "  PIXI_HOME           also read $PIXI_HOME/config.toml\n"
          "  NO_COLOR            disables colour (with --color auto)\n",
          out);
}

static int set_color(cli *c, const char *value)
{
    if (!strcmp(value, "always"))
        c->color = 1;
    else if (!strcmp(value, "never"))
        c->color = 0;
    else if (!strcmp(value, "auto"))
        c->color = isatty(2) && !getenv("NO_COLOR");
    else
        return -1;
    return 0;
}

/* Truthy environment flag, as clap reads boolean env vars. */
static int env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") && strcasecmp(v, "false") && strcasecmp(v, "no");
}

int cli_global_option(cli *c, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    char *value = NULL;
    int r;
    /* -v, -vv, -vvv: each v counts. */
    if (arg[0] == '-' && arg[1] == 'v' && strspn(arg + 1, "v") == strlen(arg + 1)) {
        c->verbose += (int)strlen(arg + 1);
        return 1;
    }
    if (!strcmp(arg, "--verbose")) {
        c->verbose++;
        return 1;
    }
    if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
        c->quiet = 1;
        return 1;
    }
    if (!strcmp(arg, "--no-progress")) {
        c->no_progress = 1;
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--color", &value)) != 0) {
        if (r < 0 || set_color(c, value)) {
            cli_usage_error(c, NULL, "invalid value for '--color': expected always, never or auto");
            return -1;
        }
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--auth-file", &value)) != 0) {
        if (r < 0 || !*value) {
            cli_usage_error(c, NULL, "'--auth-file' needs a file path");
            return -1;
        }
        c->auth_file = value;
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--config", &value)) != 0) {
        if (r < 0 || !*value) {
            cli_usage_error(c, NULL, "'--config' needs a file path");
            return -1;
        }
        c->config_file = value;
        return 1;
    }
    return 0;
}

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
    const char *env_color = getenv("PIXI_COLOR");
    if (!env_color || set_color(&c, env_color))
        set_color(&c, "auto");
    c.no_progress = env_flag("PIXI_NO_PROGRESS") || !isatty(2);

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help_main(stdout);
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
        help_main(stderr);
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
    pkgauth_store_free(c.store);
    pkgauth_config_free(c.config);
    return rc;
}
