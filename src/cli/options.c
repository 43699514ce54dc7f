/* Option parsing: the global options, which every command accepts before
 * and after its name, and the options several commands share. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "options.h"
#include "output.h"

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

void cli_options_defaults(cli *c)
{
    const char *env_color = getenv("PIXI_COLOR");
    if (!env_color || set_color(c, env_color))
        set_color(c, "auto");
    c->no_progress = env_flag("PIXI_NO_PROGRESS") || !isatty(2);
}

int cli_option_value(int argc, char **argv, int *i, const char *name, char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n))
        return 0;
    if (arg[n] == '=') {
        *value = argv[*i] + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
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

int cli_common_argument(cli *c, const char *command, int argc, char **argv, int *i)
{
    int r = cli_global_option(c, argc, argv, i);
    if (r)
        return r;
    if (argv[*i][0] == '-' && argv[*i][1]) { /* "-" alone is an argument */
        cli_usage_error(c, command, "unexpected argument '%s'", argv[*i]);
        return -1;
    }
    return 0;
}

int cli_only_global_options(cli *c, const char *command, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        int r = cli_common_argument(c, command, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0)
            return cli_usage_error(c, command, "unexpected argument '%s'", argv[i]);
    }
    return EXIT_OK;
}

/* Parses "<cmd> [global options] <ONE-ARGUMENT>" for token and which. */
int cli_single_argument(cli *c, const char *command, int argc, char **argv, const char **arg)
{
    *arg = NULL;
    for (int i = 0; i < argc; i++) {
        int r = cli_common_argument(c, command, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (*arg)
            return cli_usage_error(c, command, "unexpected argument '%s'", argv[i]);
        *arg = argv[i];
    }
    if (!*arg)
        return cli_usage_error(c, command, "the following required arguments were not provided: <%s>",
                               strcmp(command, "which") ? "HOST" : "URL");
    return EXIT_OK;
}

/* ---- shared --s3-* options (presign, upload) ------------------------------ */


static int parse_bool(const char *v, int *out)
{
    if (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes"))
        return *out = 1, 0;
    if (!strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "no"))
        return *out = 0, 0;
    return -1;
}

int cli_s3_option(cli *c, const char *command, int argc, char **argv, int *i, cli_s3_flags *f)
{
    static const char fps[] = "--s3-force-path-style";
    const char *arg = argv[*i];
    char *value = NULL;
    int r;
    if (!strcmp(arg, fps))
        return f->force_path_style = 1;
    if (!strncmp(arg, fps, sizeof fps - 1) && arg[sizeof fps - 1] == '=') {
        if (parse_bool(arg + sizeof fps, &f->force_path_style))
            return cli_usage_error(c, command, "invalid value for '%s': expected true or false",
                                   fps), -1;
        return 1;
    }
    const char **slot = NULL;
    if ((r = cli_option_value(argc, argv, i, "--s3-endpoint-url", &value)) != 0)
        slot = &f->endpoint_url;
    else if ((r = cli_option_value(argc, argv, i, "--s3-region", &value)) != 0)
        slot = &f->region;
    if (!slot)
        return 0;
    if (r < 0 || !*value)
        return cli_usage_error(c, command, "a value is required for '%s'", arg), -1;
    *slot = value;
    return 1;
}
