/* Output: messages on stderr (one line each, escaped, coloured when asked),
 * fields on stdout. Prints only; uses no other part of the CLI. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

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

int cli_s3_error_text(const char *data, size_t len, char *out, size_t size)
{
    char code[128], message[384];
    if (!pkgauth_s3_error_parse(data, len, code, sizeof code, message, sizeof message))
        return 0;
    /* Cut to fit: one line, whatever S3 says. */
    return snprintf(out, size, "%s%s%s", code, *message ? ": " : "", message) >= 0;
}
