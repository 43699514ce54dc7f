/* Reading secrets without putting them on the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "secret_input.h"

int cli_read_secret_line(FILE *in, char **out)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, in);
    if (n < 0) {
        free(line);
        return -1;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    /* A NUL would silently cut the secret short: refuse the line. */
    if (memchr(line, '\0', (size_t)n)) {
        explicit_bzero(line, cap);
        free(line);
        return CLI_SECRET_NUL;
    }
    /* getline may have over-allocated; wipe-free uses strlen, so copy to a
     * right-sized buffer and wipe the original in full. */
    *out = strdup(line);
    explicit_bzero(line, cap);
    free(line);
    return *out ? 0 : -1;
}

int cli_prompt_secret(const char *prompt, char **out)
{
    struct termios old, quiet;
    if (!isatty(0) || tcgetattr(0, &old))
        return -1;
    quiet = old;
    quiet.c_lflag &= (tcflag_t)~ECHO;
    /* Echo off (dropping typeahead) before the prompt shows, never after:
     * an answer typed as soon as the prompt appears must not be flushed. */
    tcsetattr(0, TCSAFLUSH, &quiet);
    fputs(prompt, stderr);
    fflush(stderr);
    int rc = cli_read_secret_line(stdin, out);
    tcsetattr(0, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return rc;
}
