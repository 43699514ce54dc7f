/* pkgauth login <HOST> (compat.md "pixi auth commands"). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "commands.h"
#include "context.h"
#include "options.h"
#include "output.h"
#include "secret_input.h"

enum { TOKEN, USERNAME, PASSWORD, CONDA, S3_ID, S3_SECRET, S3_SESSION, N_FIELDS };
static const char *const option_names[N_FIELDS] = {
    "--token", "--username", "--password", "--conda-token",
    "--s3-access-key-id", "--s3-secret-access-key", "--s3-session-token",
};

typedef struct {
    const char *host;
    char *v[N_FIELDS]; /* owned copies, wiped when freed */
} login_args;

static void free_args(login_args *a)
{
    for (int i = 0; i < N_FIELDS; i++)
        pkgauth_free(a->v[i]);
}

/* Copies an option value and blanks it in argv, so the secret no longer
 * shows in /proc/<pid>/cmdline while we run. "-" reads standard input. */
static int take_value(cli *c, login_args *a, int field, char *value, int *stdin_used)
{
    if (a->v[field])
        return cli_usage_error(c, "login", "'%s' given more than once", option_names[field]);
    if (!strcmp(value, "-") && field != USERNAME) {
        if ((*stdin_used)++)
            return cli_usage_error(c, "login", "only one secret can be read from standard input");
        int r = cli_read_secret_line(stdin, &a->v[field]);
        if (r == CLI_SECRET_NUL)
            return cli_usage_error(c, "login", "%s -: the line read from standard input "
                                   "contains a NUL byte", option_names[field]);
        if (r) {
            cli_error(c, "%s -: nothing could be read from standard input", option_names[field]);
            return EXIT_FAIL;
        }
        return EXIT_OK;
    }
    a->v[field] = strdup(value);
    if (field != USERNAME)
        explicit_bzero(value, strlen(value));
    return a->v[field] ? EXIT_OK : EXIT_FAIL;
}

static int parse_args(cli *c, int argc, char **argv, login_args *a)
{
    int stdin_used = 0;
    for (int i = 0; i < argc; i++) {
        char *value = NULL;
        int r = 0, field;
        for (field = 0; field < N_FIELDS && !r; field++)
            r = cli_option_value(argc, argv, &i, option_names[field], &value);
        if (r < 0)
            return cli_usage_error(c, "login", "a value is required for '%s'",
                                   option_names[field - 1]);
        if (r > 0) {
            int rc = take_value(c, a, field - 1, value, &stdin_used);
            if (rc)
                return rc;
            continue;
        }
        r = cli_common_argument(c, "login", argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (a->host)
            return cli_usage_error(c, "login", "unexpected argument '%s'", argv[i]);
        a->host = argv[i];
    }
    if (!a->host)
        return cli_usage_error(c, "login", "the following required arguments were not provided: <HOST>");
    return EXIT_OK;
}

/* Prompts for a missing secret when a person is at the terminal. */
static int prompt_if_tty(login_args *a, int field, const char *prompt)
{
    return !a->v[field] && isatty(0) && cli_prompt_secret(prompt, &a->v[field]) == 0;
}

/* The option-combination rules that are usage errors in pixi. */
static int check_s3_options(cli *c, login_args *a)
{
    int s3 = a->v[S3_ID] || a->v[S3_SECRET] || a->v[S3_SESSION];
    int other = a->v[TOKEN] || a->v[USERNAME] || a->v[PASSWORD] || a->v[CONDA];
    if (s3 && other)
        return cli_usage_error(c, "login", "the S3 options cannot be combined with other "
                                           "authentication methods");
    if (a->v[S3_ID])
        prompt_if_tty(a, S3_SECRET, "S3 secret access key: ");
    if (s3 && (!a->v[S3_ID] || !a->v[S3_SECRET]))
        return cli_usage_error(c, "login", "'--s3-access-key-id' and '--s3-secret-access-key' "
                                           "must be given together");
    return EXIT_OK;
}

/* host (or *.host) is domain or one of its subdomains. */
static int in_domain(const char *key, const char *domain)
{
    if (!strncmp(key, "*.", 2))
        key += 2;
    size_t k = strlen(key), d = strlen(domain);
    return k >= d && !strcasecmp(key + k - d, domain) && (k == d || key[k - d - 1] == '.');
}

/* The credential a constructor made in *cred, or NULL after saying why. */
static pkgauth_credential *made(cli *c, int rc, pkgauth_credential **cred,
                                const pkgauth_error *err)
{
    if (rc)
        cli_error(c, "%s", err->message);
    return *cred;
}

static pkgauth_credential *build(cli *c, login_args *a, int *rc)
{
    pkgauth_credential *cred = NULL;
    pkgauth_error err = {0};
    *rc = EXIT_FAIL;
    if (a->v[USERNAME])
        prompt_if_tty(a, PASSWORD, "Password: ");
    if (a->v[CONDA])
        return made(c, pkgauth_credential_new_conda(&cred, a->v[CONDA], &err), &cred, &err);
    if (a->v[USERNAME] && !a->v[PASSWORD]) {
        cli_error(c, "Password must be provided when using basic authentication");
        return NULL;
    }
    if (a->v[USERNAME])
        return made(c, pkgauth_credential_new_basic(&cred, a->v[USERNAME], a->v[PASSWORD], &err),
                    &cred, &err);
    if (a->v[PASSWORD]) {
        *rc = cli_usage_error(c, "login", "'--password' needs '--username'");
        return NULL;
    }
    if (a->v[TOKEN])
        return made(c, pkgauth_credential_new_bearer(&cred, a->v[TOKEN], &err), &cred, &err);
    if (a->v[S3_ID])
        return made(c, pkgauth_credential_new_s3(&cred, a->v[S3_ID], a->v[S3_SECRET],
                                                 a->v[S3_SESSION], &err),
                    &cred, &err);
    cli_error(c, "No authentication method provided");
    return NULL;
}

/* Host-specific rules: which method each kind of host needs. */
static int check_host(cli *c, const char *key, pkgauth_method m)
{
    int s3_host = !strncasecmp(key, "s3://", 5);
    const char *msg = NULL;
    if (s3_host && m != PKGAUTH_METHOD_S3)
        msg = "s3:// hosts need '--s3-access-key-id' and '--s3-secret-access-key'";
    else if (!s3_host && m == PKGAUTH_METHOD_S3)
        msg = "S3 credentials need an s3:// host (e.g. s3://my-bucket)";
    else if (in_domain(key, "prefix.dev") && m != PKGAUTH_METHOD_BEARER)
        msg = "prefix.dev needs a token: use '--token'";
    else if (in_domain(key, "anaconda.org") && m != PKGAUTH_METHOD_CONDA)
        msg = "anaconda.org needs a conda token: use '--conda-token'";
    if (msg)
        cli_error(c, "%s", msg);
    return msg ? EXIT_FAIL : EXIT_OK;
}

/* Every secret must be non-empty: an empty token is always a mistake. */
static int check_not_empty(cli *c, login_args *a)
{
    for (int i = 0; i < N_FIELDS; i++)
        if (a->v[i] && !*a->v[i]) {
            cli_error(c, "'%s' is empty", option_names[i]);
            return EXIT_FAIL;
        }
    return EXIT_OK;
}

/* What a value may hold: UTF-8 (the stores are JSON), no control character
 * (it could end a header line), and a conda token nothing that changes the
 * URL path it goes into. Named by option, never quoted. */
static int check_contents(cli *c, login_args *a)
{
    for (int i = 0; i < N_FIELDS; i++) {
        if (!a->v[i])
            continue;
        const char *what = pkgauth_credential_text_problem(a->v[i], i == CONDA);
        if (what)
            return cli_usage_error(c, "login", "'%s' %s", option_names[i], what);
    }
    return EXIT_OK;
}

/* prefix.dev tokens are checked with the server before they are stored
 * (as pixi does): a mistyped token fails here, not at the first download. */
static int check_prefix_dev(cli *c, const char *key, const pkgauth_credential *cred)
{
    if (!in_domain(key, "prefix.dev") || pkgauth_credential_method(cred) != PKGAUTH_METHOD_BEARER)
        return EXIT_OK;
    pkgauth_error err = {0};
    char *api = pkgauth_prefix_dev_api_url(key), *login = NULL;
    int rc = api ? pkgauth_prefix_dev_check_token(api, pkgauth_credential_token(cred), &login,
                                                  &err)
                 : PKGAUTH_ENOMEM;
    if (rc)
        cli_error(c, "%s; nothing was stored", api ? err.message : "out of memory");
    else
        cli_info(c, "Logged in as %s", login);
    pkgauth_free(login);
    pkgauth_free(api);
    return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_login(cli *c, int argc, char **argv)
{
    login_args a = {0};
    char *key = NULL;
    pkgauth_credential *cred = NULL;
    pkgauth_error err = {0};
    int rc = parse_args(c, argc, argv, &a);
    if (!rc)
        rc = check_s3_options(c, &a);
    if (!rc)
        rc = check_not_empty(c, &a);
    if (!rc)
        rc = check_contents(c, &a);
    if (!rc && pkgauth_login_key(a.host, &key, &err)) {
        cli_error(c, "%s", err.message);
        rc = EXIT_FAIL;
    }
    if (!rc)
        cred = build(c, &a, &rc);
    if (cred)
        rc = check_host(c, key, pkgauth_credential_method(cred));
    if (cred && !rc)
        rc = check_prefix_dev(c, key, cred);
    if (cred && !rc) {
        pkgauth_store *store = cli_store(c);
        const char *where = NULL;
        cli_info(c, "Authenticating with %s using %s method", key,
                 pkgauth_method_name(pkgauth_credential_method(cred)));
        if (!store) {
            rc = EXIT_FAIL;
        } else if (pkgauth_store_set(store, key, cred, &where, &err)) {
            cli_error(c, "%s", err.message);
            rc = EXIT_FAIL;
        } else {
            cli_debug(c, 1, "stored %s in %s", key, where);
        }
    }
    pkgauth_credential_free(cred);
    pkgauth_free(key);
    free_args(&a);
    return rc;
}
