/* Secrets: "-" reads one line from stdin; prompting reads without echo
 * from a terminal. Results are freed with pkgauth_free(). 0, -1 when
 * nothing could be read, CLI_SECRET_NUL when the line holds a NUL byte. */
#ifndef PKGAUTH_CLI_SECRET_INPUT_H
#define PKGAUTH_CLI_SECRET_INPUT_H

#include <stdio.h>

#define CLI_SECRET_NUL (-2)
int cli_read_secret_line(FILE *in, char **out);
int cli_prompt_secret(const char *prompt, char **out);

#endif
