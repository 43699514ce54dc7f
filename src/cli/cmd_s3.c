/* pkgauth presign / pkgauth upload: S3 objects through presigned URLs, and
 * the --s3-* options shared with other commands. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "curl_dl.h"

#include "cli.h"

#define S3_OPTIONS_HELP                                                                  \
    "      --s3-endpoint-url <URL>     The bucket's S3 endpoint, e.g. http://127.0.0.1:9000\n" \
    "      --s3-region <REGION>        The bucket's region [default: us-east-1]\n"            \
    "      --s3-force-path-style[=<BOOL>]  Address the bucket as <endpoint>/<bucket>/<key>\n" \
    "\n"                                                                                  \
    "With any --s3-* option, or [s3-options.<bucket>] in pixi's configuration (the\n"     \
    "options win), the credential is the one `pkgauth login s3://<bucket> ...` stored.\n" \
    "Otherwise the AWS conventions apply: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /\n"  \
    "AWS_SESSION_TOKEN, else the profile AWS_PROFILE (default 'default') in\n"            \
    "~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE);\n" \
    "region from AWS_REGION, AWS_DEFAULT_REGION or the profile; endpoint from\n"          \
    "AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or the profile's endpoint_url. An endpoint on\n" \
    "localhost, 127.0.0.1 or [::1] is addressed path-style.\n"

void help_presign(FILE *out)
{
    fputs("Print a presigned HTTPS URL for an S3 object\n\n"
          "Usage: pkgauth presign [OPTIONS] <S3_URL>\n\n"
          "Arguments:\n"
          "  <S3_URL>  The object, s3://<bucket>/<key>\n\n"
          "Options:\n"
          "      --method <METHOD>           GET, HEAD or PUT [default: GET]\n"
          "      --expires <SECONDS>         How long the URL is valid, 1 to 604800 [default: 300]\n" S3_OPTIONS_HELP
          "\nThe URL is printed on standard output and is itself a credential until it\n"
          "expires: anyone who has it can use it.\n",
          out);
    cli_help_globals(out);
}

void help_upload(FILE *out)
{
    fputs("Upload a file to S3 through a presigned PUT\n\n"
          "Usage: pkgauth upload [OPTIONS] <FILE> <S3_URL>\n\n"
          "Arguments:\n"
          "  <FILE>    The file to upload (streamed, not read into memory)\n"
          "  <S3_URL>  Where to put it, s3://<bucket>/<key>\n\n"
          "Options:\n" S3_OPTIONS_HELP,
          out);
    cli_help_globals(out);
}

/* ---- shared --s3-* options ------------------------------------------------ */

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

static int any_flag(const cli_s3_flags *f)
{
    return f->endpoint_url || f->region || f->force_path_style >= 0;
}

/* The bucket's s3-options: pixi's configuration, overlaid by the flags.
 * *has is 0 when neither gives any (then the AWS conventions apply). The
 * strings in *o borrow from *config and the flags. */
static int bucket_options(cli *c, const cli_s3_flags *f, const char *bucket,
                          pkgauth_s3_options *o, int *has)
{
    const pkgauth_config *config = cli_config(c); /* honours --config */
    if (!config)
        return EXIT_FAIL;
    *has = !pkgauth_config_s3_options(config, bucket, o) || any_flag(f);
    if (o->endpoint_url_source)
        cli_debug(c, 1, "s3-options for %s from %s", bucket, o->endpoint_url_source);
    if (f->endpoint_url)
        o->endpoint_url = f->endpoint_url;
    if (f->region)
        o->region = f->region;
    if (f->force_path_style >= 0)
        o->force_path_style = f->force_path_style;
    return EXIT_OK;
}

int cli_s3_target(cli *c, const cli_s3_flags *f, const char *s3_url, pkgauth_s3_target **t)
{
    pkgauth_error err = {0};
    pkgauth_s3_options o;
    char *bucket = NULL;
    int has = 0, rc = EXIT_OK;
    *t = NULL;
    if (pkgauth_s3_url_bucket(s3_url, &bucket, &err))
        return cli_usage_error(c, NULL, "%s", err.message);
    rc = bucket_options(c, f, bucket, &o, &has);
    pkgauth_store *store = rc ? NULL : cli_store(c);
    if (!rc && !store)
        rc = EXIT_FAIL;
    if (!rc && pkgauth_s3_target_resolve(store, has ? &o : NULL, s3_url, t, &err)) {
        cli_error(c, "%s", err.message);
        rc = EXIT_FAIL;
    }
    if (!rc)
        cli_debug(c, 1, "%s: credentials from %s, region %s, %s addressing, %s", bucket,
                  pkgauth_s3_target_source(*t), pkgauth_s3_target_region(*t),
                  pkgauth_s3_target_path_style(*t) ? "path-style" : "virtual-host",
                  pkgauth_s3_target_url(*t));
    pkgauth_free(bucket);
    return rc;
}

/* ---- presign ------------------------------------------------------------ */

typedef struct s3_args {
    const char *url, *file, *method;
    long expires;
    cli_s3_flags flags;
} s3_args;

static int parse_expires(cli *c, const char *v, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < 1 || n > PKGAUTH_S3_MAX_EXPIRES)
        return cli_usage_error(c, "presign", "invalid value '%s' for '--expires': expected 1 "
                                             "to %ld seconds",
                               v, PKGAUTH_S3_MAX_EXPIRES);
    *out = n;
    return EXIT_OK;
}

static int parse_method(cli *c, char *v, const char **out)
{
    for (char *p = v; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (strcmp(v, "GET") && strcmp(v, "HEAD") && strcmp(v, "PUT"))
        return cli_usage_error(c, "presign",
                               "invalid value '%s' for '--method': expected GET, HEAD or PUT", v);
    *out = v;
    return EXIT_OK;
}

/* A presign-only option at argv[*i]: 1 handled, 0 not one, -1 error. */
static int presign_option(cli *c, int argc, char **argv, int *i, s3_args *a)
{
    char *v = NULL;
    int r;
    if ((r = cli_option_value(argc, argv, i, "--method", &v)) != 0)
        return r < 0 ? (cli_usage_error(c, "presign", "a value is required for '--method'"), -1)
                     : (parse_method(c, v, &a->method) ? -1 : 1);
    if ((r = cli_option_value(argc, argv, i, "--expires", &v)) != 0)
        return r < 0 ? (cli_usage_error(c, "presign", "a value is required for '--expires'"), -1)
                     : (parse_expires(c, v, &a->expires) ? -1 : 1);
    return 0;
}

/* Arguments of presign (want_file 0) and upload (want_file 1). */
static int parse_s3_args(cli *c, const char *command, int want_file, int argc, char **argv,
                         s3_args *a)
{
    a->method = "GET";
    a->flags.force_path_style = -1;
    for (int i = 0; i < argc; i++) {
        int r = want_file ? 0 : presign_option(c, argc, argv, &i, a);
        if (!r)
            r = cli_s3_option(c, command, argc, argv, &i, &a->flags);
        if (!r)
            r = cli_common_argument(c, command, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (want_file && !a->file)
            a->file = argv[i];
        else if (!a->url)
            a->url = argv[i];
        else
            return cli_usage_error(c, command, "unexpected argument '%s'", argv[i]);
    }
    if (!a->url)
        return cli_usage_error(c, command, "the following required arguments were not provided: %s",
                               want_file ? "<FILE> <S3_URL>" : "<S3_URL>");
    if (strncasecmp(a->url, "s3://", 5))
        return cli_usage_error(c, command, "expected an s3://<bucket>/<key> URL, got '%s'", a->url);
    return EXIT_OK;
}

int cmd_presign(cli *c, int argc, char **argv)
{
    s3_args a = {0};
    pkgauth_s3_target *t = NULL;
    int rc = parse_s3_args(c, "presign", 0, argc, argv, &a);
    if (!rc)
        rc = cli_s3_target(c, &a.flags, a.url, &t);
    char *url = NULL;
    pkgauth_error err = {0};
    if (!rc && pkgauth_s3_target_presign(t, a.method, a.expires, 0, &url, &err)) {
        cli_error(c, "%s", err.message);
        rc = EXIT_FAIL;
    }
    if (!rc) /* the command's output: the one place a signed URL is printed */
        printf("%s\n", url);
    pkgauth_free(url);
    pkgauth_s3_target_free(t);
    return rc;
}

/* ---- upload -------------------------------------------------------------- */

#define ERROR_BODY_MAX (64 * 1024)

typedef struct body {
    char data[ERROR_BODY_MAX];
    size_t len;
} body;

/* Keeps the start of the response (an S3 error document is small). */
static size_t keep_body(char *p, size_t size, size_t n, void *ctx)
{
    body *b = ctx;
    size_t len = size * n, room = sizeof b->data - b->len;
    memcpy(b->data + b->len, p, len < room ? len : room);
    b->len += len < room ? len : room;
    return len;
}

static size_t read_file_cb(char *p, size_t size, size_t n, void *ctx)
{
    size_t got = fread(p, size, n, ctx);
    return got < n && ferror((FILE *)ctx) ? CURL_READFUNC_ABORT : got;
}

int cli_s3_error_text(const char *data, size_t len, char *out, size_t size)
{
    char code[128], message[384];
    if (!pkgauth_s3_error_parse(data, len, code, sizeof code, message, sizeof message))
        return 0;
    /* Cut to fit: one line, whatever S3 says. */
    return snprintf(out, size, "%s%s%s", code, *message ? ": " : "", message) >= 0;
}

void cli_s3_refusal_hint(cli *c, pkgauth_store *store, const char *s3_url, char *out,
                         size_t size)
{
    pkgauth_s3_options o;
    pkgauth_s3_target *t = NULL;
    char *bucket = NULL;
    int has = !pkgauth_s3_url_bucket(s3_url, &bucket, NULL) && c->config &&
              !pkgauth_config_s3_options(c->config, bucket, &o);
    if (!pkgauth_s3_target_resolve(store, has ? &o : NULL, s3_url, &t, NULL))
        snprintf(out, size, "(the S3 credentials from %s were refused)",
                 pkgauth_s3_target_source(t));
    else
        snprintf(out, size, "(no S3 credentials found: see 'pkgauth login s3://%s' or set "
                 "AWS_ACCESS_KEY_ID)", bucket ? bucket : "BUCKET");
    pkgauth_s3_target_free(t);
    pkgauth_free(bucket);
}

/* "error: S3 refused PUT s3://b/k: 403 SignatureDoesNotMatch: ..." */
static void report_refusal(cli *c, const char *shown, long status, const body *b)
{
    char text[512];
    if (cli_s3_error_text(b->data, b->len, text, sizeof text))
        cli_error(c, "S3 refused PUT %s: %ld %s", shown, status, text);
    else
        cli_error(c, "S3 refused PUT %s: HTTP %ld", shown, status);
}

static int put_file(cli *c, FILE *in, curl_off_t size, const char *url, const char *shown,
                    const char *file)
{
    CURL *e = curl_easy_init();
    body *b = calloc(1, sizeof *b);
    char errbuf[CURL_ERROR_SIZE] = "";
    if (!e || !b) {
        curl_easy_cleanup(e);
        free(b);
        cli_error(c, "out of memory");
        return EXIT_FAIL;
    }
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L); /* the key as signed, dot segments too */
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, read_file_cb);
    curl_easy_setopt(e, CURLOPT_READDATA, in);
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, size);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    pkgauth_curl_defaults(e);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    CURLcode res = curl_easy_perform(e);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    int rc = EXIT_OK;
    if (res != CURLE_OK) {
        cli_error(c, "cannot upload %s to %s: %s", file, shown,
                  *errbuf ? errbuf : curl_easy_strerror(res));
        rc = EXIT_FAIL;
    } else if (status < 200 || status > 299) {
        report_refusal(c, shown, status, b);
        rc = EXIT_FAIL;
    }
    curl_easy_cleanup(e);
    free(b);
    return rc;
}

static int open_regular(cli *c, const char *path, FILE **f, curl_off_t *size)
{
    struct stat st;
    *f = fopen(path, "rb");
    if (!*f || fstat(fileno(*f), &st)) {
        cli_error(c, "cannot read %s: %s", path, strerror(errno));
        if (*f)
            fclose(*f);
        *f = NULL;
        return EXIT_FAIL;
    }
    if (!S_ISREG(st.st_mode)) { /* S3 needs the length up front */
        cli_error(c, "cannot upload %s: not a regular file", path);
        fclose(*f);
        *f = NULL;
        return EXIT_FAIL;
    }
    *size = (curl_off_t)st.st_size;
    return EXIT_OK;
}

static int has_key(const char *s3_url)
{
    const char *slash = strchr(s3_url + 5, '/');
    return slash && slash[1];
}

int cmd_upload(cli *c, int argc, char **argv)
{
    s3_args a = {0};
    pkgauth_s3_target *t = NULL;
    FILE *in = NULL;
    curl_off_t size = 0;
    char *url = NULL, *shown = NULL;
    pkgauth_error err = {0};
    int rc = parse_s3_args(c, "upload", 1, argc, argv, &a);
    if (!rc && !has_key(a.url))
        rc = cli_usage_error(c, "upload", "'%s' names no object: expected s3://<bucket>/<key>",
                             a.url);
    if (!rc)
        rc = open_regular(c, a.file, &in, &size);
    if (!rc)
        rc = cli_s3_target(c, &a.flags, a.url, &t);
    if (!rc && pkgauth_s3_target_presign(t, "PUT", 0, 0, &url, &err)) {
        cli_error(c, "%s", err.message);
        rc = EXIT_FAIL;
    }
    if (!rc && !(shown = pkgauth_url_redact(a.url)))
        rc = EXIT_FAIL;
    if (!rc) {
        char *signed_shown = pkgauth_url_redact(url);
        cli_debug(c, 1, "PUT %s", signed_shown ? signed_shown : "");
        pkgauth_free(signed_shown);
        rc = put_file(c, in, size, url, shown, a.file);
    }
    if (!rc)
        cli_info(c, "Uploaded %s to %s (%lld bytes)", a.file, shown, (long long)size);
    if (in)
        fclose(in);
    pkgauth_free(url);
    pkgauth_free(shown);
    pkgauth_s3_target_free(t);
    return rc;
}
