/* Help texts: `pkgauth --help`, each command's `--help`, and the global
 * options' part they all end with. Plain text, printed as it is. */
#include <stdio.h>

#include "help.h"

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

void help_main(FILE *out, const cli_command *commands, size_t n)
{
    fputs("pkgauth: credentials for conda channels, PyPI indexes and S3 buckets,\n"
          "compatible with pixi.\n\n"
          "Usage: pkgauth [OPTIONS] <COMMAND>\n\nCommands:\n",
          out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    cli_help_globals(out);
    fputs("\nEnvironment:\n"
          "  RATTLER_AUTH_FILE   the only credentials file used, when set\n"
          "  NETRC               the netrc file (default ~/.netrc), read only\n"
          "  PIXI_HOME           also read $PIXI_HOME/config.toml\n"
          "  NO_COLOR            disables colour (with --color auto)\n",
          out);
}

void help_login(FILE *out)
{
    fputs("Store authentication information for a given host\n\n"
          "Usage: pkgauth login [OPTIONS] <HOST>\n\n"
          "Arguments:\n"
          "  <HOST>  The host to authenticate with (e.g. repo.prefix.dev, s3://my-bucket)\n\n"
          "Options:\n"
          "      --token <TOKEN>                                The token to use (for authentication with prefix.dev)\n"
          "      --username <USERNAME>                          The username to use (for basic HTTP authentication)\n"
          "      --password <PASSWORD>                          The password to use (for basic HTTP authentication)\n"
          "      --conda-token <CONDA_TOKEN>                    The token to use on anaconda.org / quetz authentication\n"
          "      --s3-access-key-id <S3_ACCESS_KEY_ID>          The S3 access key ID\n"
          "      --s3-secret-access-key <S3_SECRET_ACCESS_KEY>  The S3 secret access key\n"
          "      --s3-session-token <S3_SESSION_TOKEN>          The S3 session token\n\n"
          "A secret given as '-' is read from standard input (one line), so it stays out of\n"
          "the process list and shell history. A missing password or S3 secret is prompted\n"
          "for (without echo) when standard input is a terminal.\n",
          out);
    cli_help_globals(out);
}

void help_logout(FILE *out)
{
    fputs("Remove authentication information for a given host\n\n"
          "Usage: pkgauth logout [OPTIONS] [HOST]\n\n"
          "Arguments:\n"
          "  [HOST]  The host to remove credentials for (e.g. repo.prefix.dev)\n\n"
          "Options:\n"
          "      --all    Remove every stored credential from every store\n"
          "      --force  Remove from the stores that can be asked even when one that may\n"
          "               hold the credentials cannot (a locked or unresponsive keyring)\n\n"
          "The entry is removed under the host as typed, the key `login` would write for\n"
          "it, and the host without a leading '*.', from every store that holds it.\n"
          "A read-only store (netrc) keeps its entry, with a warning; when nothing could\n"
          "be removed anywhere the command fails. When a store that may hold the entry\n"
          "cannot be asked (a locked keyring, or one that does not answer), nothing is\n"
          "removed anywhere and the command fails, since the entry would stay in effect;\n"
          "--force removes it from the other stores.\n",
          out);
    cli_help_globals(out);
}

void help_token(FILE *out)
{
    fputs("Print the token a request to a host would use\n\n"
          "Usage: pkgauth token [OPTIONS] <HOST>\n\n"
          "Arguments:\n"
          "  <HOST>  The host (or URL) whose BearerToken or CondaToken to print\n\n"
          "Only token credentials are printed; Basic and S3 credentials are refused.\n",
          out);
    cli_help_globals(out);
}

void help_status(FILE *out)
{
    fputs("List every stored credential and where it is stored\n\n"
          "Usage: pkgauth status [OPTIONS]\n\n"
          "Shows each entry's key, method, store and details (user name, session token,\n"
          "token expiry), sorted by key; '(shadowed)' marks an entry that an earlier store\n"
          "overrides. An entry that is not one usable credential (a keyring item that is\n"
          "not a credential, or a key with several keyring items) is shown as 'invalid':\n"
          "`pkgauth logout KEY` removes it. A store that may hold entries but cannot be\n"
          "asked (a keyring that is locked or does not answer) is shown as unreachable.\n"
          "Secrets are never shown.\n",
          out);
    cli_help_globals(out);
}

void help_which(FILE *out)
{
    fputs("Show which credential a URL would use, and why\n\n"
          "Usage: pkgauth which [OPTIONS] <URL>\n\n"
          "Arguments:\n"
          "  <URL>  The URL of a request, e.g. https://repo.prefix.dev/my-channel/noarch/repodata.json\n\n"
          "Prints the storage key that matched, the store it came from and the method.\n"
          "With -v, also every key that was tried, in order. Exits 1 when none matches.\n"
          "A URL with a user name is looked up as 'fetch' does: the URL's own password,\n"
          "else keyring (with keyring-provider = subprocess), netrc, then the stored\n"
          "credentials of that user.\n",
          out);
    cli_help_globals(out);
}

void help_config(FILE *out)
{
    fputs("Show the pixi configuration in effect and where it comes from\n\n"
          "Usage: pkgauth config [OPTIONS]\n\n"
          "Prints the configuration files read (lowest priority first) and the settings\n"
          "pkgauth uses, each with the file that set it:\n"
          "  authentication-override-file     the credentials file to use instead of the\n"
          "                                   keyring, ~/.rattler/credentials.json and netrc\n"
          "  pypi-config.keyring-provider     \"subprocess\" or \"disabled\" (default)\n"
          "  s3-options.<bucket>.endpoint-url, .region, .force-path-style\n\n"
          "Files, lowest priority first (later ones override earlier ones key by key):\n"
          "  /etc/pixi/config.toml\n"
          "  $XDG_CONFIG_HOME/pixi/config.toml (default ~/.config/pixi/config.toml)\n"
          "  ~/.pixi/config.toml\n"
          "  $PIXI_HOME/config.toml\n"
          "'--config <FILE>' reads that one file instead.\n",
          out);
    cli_help_globals(out);
}

void help_fetch(FILE *out)
{
    fputs("Download URLs with the stored credentials applied\n\n"
          "Usage: pkgauth fetch [OPTIONS] [URL]...\n\n"
          "Arguments:\n"
          "  [URL]...  The URLs to download (http or https)\n\n"
          "Options:\n"
          "  -o, --output <FILE>       Write the (single) URL to FILE\n"
          "  -O, --remote-name         Name each file after the last part of its URL path\n"
          "      --output-dir <DIR>    Put the files in DIR (implies -O unless -o is given)\n"
          "  -i, --input-file <LIST>   Also read URLs from LIST, one per line ('-' = stdin;\n"
          "                            blank lines and lines starting with '#' are skipped)\n"
          "  -j, --jobs <N>            Transfers at once [default: 8]\n"
          "      --pypi-keyring-provider <PROVIDER>\n"
          "                            subprocess|disabled: ask the keyring program for the\n"
          "                            password of a URL with a user name, or never run it\n"
          "                            [default: [pypi-config] keyring-provider, else disabled]\n\n"
          "Without -o, -O or --output-dir a single URL is written to standard output.\n"
          "A URL with only a user name (https://user@host/simple/) gets its password from\n"
          "keyring (if enabled), netrc, then the stored credentials.\n"
          "Credentials go only to the origin (scheme, host, port) they were looked up for,\n"
          "never to another one after a redirect. Connection errors and 5xx responses are\n"
          "tried up to 3 times. A file appears under its name only once it is complete.\n"
          "-v logs each request, -vvv its headers (Authorization shown as ********).\n"
          "Exits 1 when any transfer failed.\n",
          out);
    cli_help_globals(out);
}

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
