/* -vvv for fetch: the request and response headers, with secrets masked.
 * curl's own verbose output would print the Authorization header and the
 * conda token in the request line, so curl is given a debug callback that
 * redacts every line before it reaches stderr. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fetch.h"
#include "curl_dl.h"
#include "output.h"

/* Headers whose whole value is a secret. */
static const char *secret_header(const char *line)
{
    static const char *const names[] = {"Authorization:", "Proxy-Authorization:", "Cookie:",
                                        "Set-Cookie:"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strncasecmp(line, names[i], strlen(names[i])))
            return names[i];
    return NULL;
}

/* Prints one line (n bytes at data, not NUL-terminated) after masking. */
static void log_line(char tag, const char *data, size_t n)
{
    char *line = strndup(data, n);
    if (!line)
        return;
    const char *name = secret_header(line);
    char *shown = name ? NULL : pkgauth_url_redact(line);
    if (name) {
        fprintf(stderr, "debug: %c %s ********\n", tag, name);
    } else if (shown) { /* what a server sent may hold terminal escapes */
        fprintf(stderr, "debug: %c ", tag);
        cli_put_escaped(stderr, shown);
        fputc('\n', stderr);
    }
    pkgauth_free(shown);
    pkgauth_free(line);
}

static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *ctx)
{
    (void)easy, (void)ctx;
    char tag = type == CURLINFO_TEXT ? '*'
               : type == CURLINFO_HEADER_IN ? '<'
               : type == CURLINFO_HEADER_OUT ? '>' : 0;
    if (!tag)
        return 0; /* bodies and TLS records are not logged */
    while (size) {
        size_t n = 0;
        while (n < size && data[n] != '\n')
            n++;
        size_t len = n;
        while (len && (data[len - 1] == '\r'))
            len--;
        if (len)
            log_line(tag, data, len);
        n += n < size; /* the '\n' */
        data += n;
        size -= n;
    }
    return 0;
}

void fetch_log_setup(cli *c, CURL *easy)
{
    if (c->verbose < 3)
        return;
    /* VERBOSE only turns the callback on: with a DEBUGFUNCTION set, curl
     * prints nothing by itself. */
    curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
}
