/* pkgauth fetch URL... [-o FILE | -O | --output-dir DIR] [-i LIST] [-j N]:
 * options, the list of URLs and where each body goes. The transfers
 * themselves are in fetch_run.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fetch.h"
#include "curl_dl.h"
#include "commands.h"
#include "options.h"
#include "output.h"

typedef struct {
    char **urls;
    size_t n, cap;
    const char *output, *output_dir;
    const char *keyring_provider; /* --pypi-keyring-provider, or NULL */
    int remote_name, jobs;
} fetch_args;

static int push_url(fetch_args *a, const char *url)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        char **u = realloc(a->urls, cap * sizeof *u);
        if (!u)
            return -1;
        a->urls = u;
        a->cap = cap;
    }
    if (!(a->urls[a->n] = strdup(url)))
        return -1;
    a->n++;
    return 0;
}

/* The URL on one line of a list: surrounding blanks (and the line end,
 * CRLF too) are dropped; NULL for a blank or comment line. *bad is set when
 * a blank or control character remains inside, as a URL never holds one:
 * cutting the line there would fetch something else. */
static char *list_line_url(char *line, size_t len, int *bad)
{
    char *s = line + strspn(line, " \t");
    size_t n = len - (size_t)(s - line);
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    s[n] = '\0';
    if (!*s || *s == '#')
        return NULL;
    for (size_t i = 0; i < n; i++)
        *bad |= (unsigned char)s[i] <= ' ' || s[i] == 0x7f;
    return s;
}

/* Reads URLs from a list file. URLs may hold a conda token: the line
 * buffer is wiped before it is freed, and a bad line is named, not shown. */
static int read_list(cli *c, fetch_args *a, const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        cli_error(c, "cannot open URL list %s: %s", path, strerror(errno));
        return EXIT_FAIL;
    }
    char *line = NULL;
    size_t cap = 0;
    long number = 0;
    int rc = EXIT_OK, bad = 0;
    ssize_t len;
    while (!rc && (len = getline(&line, &cap, f)) >= 0) {
        char *url = list_line_url(line, (size_t)len, &bad);
        number++;
        if (bad) {
            cli_error(c, "%s:%ld: a space, tab or control character inside the line: expected one "
                      "URL per line",
                      f == stdin ? "standard input" : path, number);
            rc = EXIT_FAIL;
        } else if (url && push_url(a, url)) {
            rc = EXIT_FAIL;
        }
    }
    if (line)
        explicit_bzero(line, cap);
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

static int parse_jobs(cli *c, const char *value, int *jobs)
{
    char *end;
    long n = strtol(value, &end, 10);
    if (!*value || *end || n < 1 || n > FETCH_MAX_JOBS)
        return cli_usage_error(c, "fetch", "invalid value '%s' for '--jobs': expected 1 to %d",
                               value, FETCH_MAX_JOBS);
    *jobs = (int)n;
    return EXIT_OK;
}

static int parse_provider(cli *c, const char *value, const char **provider)
{
    if (strcmp(value, "subprocess") && strcmp(value, "disabled"))
        return cli_usage_error(c, "fetch",
                               "invalid value '%s' for '--pypi-keyring-provider': expected "
                               "subprocess or disabled", value);
    *provider = value;
    return EXIT_OK;
}

/* One option at argv[*i]: 1 handled, 0 not an option of fetch, or an exit
 * status + 2 on error (so that 0 and 1 stay free). */
static int fetch_option(cli *c, fetch_args *a, int argc, char **argv, int *i)
{
    static const char *const names[][2] = {{"-o", "--output"},       {"-i", "--input-file"},
                                           {"-j", "--jobs"},         {"--output-dir", NULL},
                                           {"--pypi-keyring-provider", NULL}};
    const char *arg = argv[*i];
    if (!strcmp(arg, "-O") || !strcmp(arg, "--remote-name"))
        return a->remote_name = 1;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        for (int l = 0; l < 2 && names[k][l]; l++) {
            char *value = NULL;
            int r = cli_option_value(argc, argv, i, names[k][l], &value);
            if (r < 0)
                return 2 + cli_usage_error(c, "fetch", "a value is required for '%s'", arg);
            if (r == 0)
                continue;
            int rc = EXIT_OK;
            if (k == 0)
                a->output = value;
            else if (k == 1)
                rc = read_list(c, a, value);
            else if (k == 2)
                rc = parse_jobs(c, value, &a->jobs);
            else if (k == 4)
                rc = parse_provider(c, value, &a->keyring_provider);
            else
                a->output_dir = value;
            return rc ? 2 + rc : 1;
        }
    return 0;
}

static int parse_args(cli *c, int argc, char **argv, fetch_args *a)
{
    a->jobs = FETCH_DEFAULT_JOBS;
    for (int i = 0; i < argc; i++) {
        int r = fetch_option(c, a, argc, argv, &i);
        if (r >= 2)
            return r - 2;
        if (r == 1)
            continue;
        r = cli_common_argument(c, "fetch", argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (push_url(a, argv[i]))
            return EXIT_FAIL;
    }
    if (!a->n)
        return cli_usage_error(c, "fetch", "no URL given");
    if (a->output && a->n > 1)
        return cli_usage_error(c, "fetch", "'--output' takes one URL; use '--output-dir' for more");
    if (a->output && a->remote_name)
        return cli_usage_error(c, "fetch", "'--output' and '--remote-name' exclude each other");
    if (!a->output && !a->remote_name && !a->output_dir && a->n > 1)
        return cli_usage_error(c, "fetch", "several URLs need '--remote-name' or '--output-dir'");
    return EXIT_OK;
}

/* The last segment of the URL's path (like curl -O), NULL when there is
 * none that makes a safe file name. free() the result. */
static char *remote_name(const char *url)
{
    CURLU *u = curl_url();
    char *path = NULL, *name = NULL;
    if (u && !curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) &&
        !curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE)) {
        const char *last = strrchr(path, '/');
        last = last ? last + 1 : path;
        if (*last && strcmp(last, ".") && strcmp(last, "..") && !strchr(last, '\\'))
            name = strdup(last);
    }
    curl_free(path);
    curl_url_cleanup(u);
    return name;
}

static char *join(const char *dir, const char *name)
{
    char *p = NULL;
    if (!dir)
        return strdup(name);
    return asprintf(&p, "%s/%s", dir, name) < 0 ? NULL : p;
}

static int same_dest_twice(cli *c, fetch_job *jobs, size_t n)
{
    /* Quadratic, but cheap next to a download even for thousands of files. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (jobs[i].dest && jobs[j].dest && !strcmp(jobs[i].dest, jobs[j].dest))
                return cli_usage_error(c, "fetch", "two URLs would be written to %s",
                                       jobs[i].dest);
    return EXIT_OK;
}

/* Fills in where each URL's body goes. */
static int plan(cli *c, fetch_args *a, fetch_job *jobs)
{
    for (size_t i = 0; i < a->n; i++) {
        jobs[i].url = a->urls[i];
        a->urls[i] = NULL;
        if (a->output) {
            jobs[i].dest = join(a->output_dir, a->output);
        } else if (a->remote_name || a->output_dir) {
            char *name = remote_name(jobs[i].url);
            if (!name) {
                char *shown = pkgauth_url_redact(jobs[i].url);
                int rc = cli_usage_error(c, "fetch", "no file name in %s: use '--output'",
                                         shown ? shown : "");
                pkgauth_free(shown);
                return rc;
            }
            jobs[i].dest = join(a->output_dir, name);
            free(name);
        } else {
            continue; /* standard output */
        }
        if (!jobs[i].dest)
            return EXIT_FAIL;
    }
    return same_dest_twice(c, jobs, a->n);
}

static void free_jobs(fetch_job *jobs, size_t n)
{
    for (size_t i = 0; jobs && i < n; i++) {
        pkgauth_free(jobs[i].url);
        free(jobs[i].dest);
        free(jobs[i].tmp);
    }
    free(jobs);
}

int cmd_fetch(cli *c, int argc, char **argv)
{
    fetch_args a = {0};
    fetch_job *jobs = NULL;
    pkgauth_error err = {0};
    int rc = parse_args(c, argc, argv, &a);
    if (!rc && pkgauth_curl_load(&err)) { /* every step below needs libcurl */
        cli_error(c, "%s", err.message);
        rc = EXIT_FAIL;
    }
    if (!rc && !(jobs = calloc(a.n, sizeof *jobs)))
        rc = EXIT_FAIL;
    if (!rc)
        rc = plan(c, &a, jobs);
    if (!rc && a.output_dir && mkdir(a.output_dir, 0777) && errno != EEXIST) {
        cli_error(c, "cannot create %s: %s", a.output_dir, strerror(errno));
        rc = EXIT_FAIL;
    }
    if (!rc)
        rc = fetch_run(c, jobs, a.n, a.jobs, a.keyring_provider);
    free_jobs(jobs, a.n);
    for (size_t i = 0; i < a.n; i++)
        pkgauth_free(a.urls[i]);
    free(a.urls);
    return rc;
}
