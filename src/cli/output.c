/* Messages and option helpers shared by every command. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Length of the UTF-8 sequence at s when it is valid and not a C1
 * control (U+0080..U+009F, e.g. the 8-bit CSI); 0 otherwise. */
static size_t printable_sequence(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0xC2 || c > 0xF4 || (c == 0xC2 && s[1] < 0xA0))
        return 0;
    size_t n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

void cli_put_escaped(FILE *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        size_t n = *s >= 0x20 && *s < 0x7F ? 1 : *s >= 0x80 ? printable_sequence(s) : 0;
        if (n) {
            fwrite(s, 1, n, out);
            s += n;
            continue;
        }
        const char *named = *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : *s == '\t' ? "\\t" : NULL;
        if (named)
            fputs(named, out);
        else
            fprintf(out, "\\x%02x", *s);
        s++;
    }
}

void cli_print_field(const char *label, const char *value, const char *suffix)
{
    fputs(label, stdout);
    cli_put_escaped(stdout, value);
    printf("%s\n", suffix);
}

/* Every message is one line whatever it quotes: a key, a user name, a URL
 * or a file name with a line break or a terminal escape in it is shown
 * escaped (cli_put_escaped), never interpreted. */
static void message(const cli *c, const char *tag, const char *colour, const char *fmt,
                    va_list ap)
{
    char *text = NULL;
    if (tag && c->color)
        fprintf(stderr, "\033[%sm%s\033[0m ", colour, tag);
    else if (tag)
        fprintf(stderr, "%s ", tag);
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    cli_put_escaped(stderr, text ? text : "(out of memory)");
    fputc('\n', stderr);
    free(text);
}

void cli_error(const cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(c, "error:", "1;31", fmt, ap);
    va_end(ap);
}

/* A warning said once per run: the library and the PyPI lookup may each
 * come across the same problem (a broken netrc is read by both). */
void cli_warn(const cli *c, const char *fmt, ...)
{
    static char last[1024];
    char text[sizeof last];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!strcmp(text, last))
        return;
    memcpy(last, text, sizeof last);
    fprintf(stderr, c->color ? "\033[1;33mwarning:\033[0m %s\n" : "warning: %s\n", text);
}

void cli_info(const cli *c, const char *fmt, ...)
{
    if (c->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    message(c, NULL, NULL, fmt, ap);
    va_end(ap);
}

void cli_debug(const cli *c, int level, const char *fmt, ...)
{
    if (c->verbose < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    message(c, "debug:", "2", fmt, ap);
    va_end(ap);
}

int cli_usage_error(const cli *c, const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(c, "error:", "1;31", fmt, ap);
    va_end(ap);
    fprintf(stderr, "For more information, try 'pkgauth %s%s--help'.\n", command ? command : "",
            command ? " " : "");
    return EXIT_USAGE;
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

static void warn_cb(void *ctx, const char *msg)
{
    cli_warn(ctx, "%s", msg);
}

pkgauth_store *cli_store(cli *c)
{
    if (c->store)
        return c->store;
    pkgauth_error err = {0};
    pkgauth_store_options opts = PKGAUTH_STORE_OPTIONS_INIT;
    opts.auth_file = c->auth_file;
    opts.warn = warn_cb;
    opts.warn_ctx = c;
    opts.config = c->config;
    if (cli_config_override(c, &opts.override_file))
        return NULL;
    if (pkgauth_store_open(&c->store, &opts, &err)) {
        cli_error(c, "%s", err.message);
        return NULL;
    }
    for (size_t i = 0; i < pkgauth_store_backend_count(c->store); i++)
        cli_debug(c, 1, "store %zu: %s", i + 1, pkgauth_store_backend_name(c->store, i));
    return c->store;
}
