/* The AWS shared configuration files (~/.aws/credentials, ~/.aws/config):
 * an INI reader with the AWS CLI's rules, and profile lookups. Internal.
 *
 * Syntax (what the AWS CLI's configparser accepts, minus interpolation):
 *   - "[section]"; spaces around the name are dropped and runs of spaces
 *     inside it become one ("[profile   dev]" is "profile dev"); after the
 *     "]" only a comment may follow;
 *   - "name = value" or "name: value" (the first "=" or ":" splits); the
 *     name is trimmed and lower-cased, the value trimmed; "#" or ";" inside
 *     a value is part of it (no inline comments, as in the AWS CLI);
 *   - lines whose first non-blank character is "#" or ";" are comments;
 *   - an indented line right after "name =" with an empty value is a
 *     nested property, stored as "name.sub" (the AWS "s3 =" block); an
 *     indented line after a non-empty value continues that value (joined
 *     with "\n");
 *   - a later "name = value" in the same section replaces an earlier one.
 * Errors are one line "file:line: message". Sizes are bounded (below), and
 * every value is wiped when the reader is freed: they may be secrets. */
#ifndef PKGAUTH_AWS_CONFIG_H
#define PKGAUTH_AWS_CONFIG_H

#include <stddef.h>

#include "pkgauth/common.h"

#define PKGAUTH_AWS_INI_MAX_FILE (1024 * 1024) /* bytes */
#define PKGAUTH_AWS_INI_MAX_LINE 65536         /* bytes, newline excluded */
#define PKGAUTH_AWS_INI_MAX_ENTRIES 10000      /* properties and sections */

typedef struct pkgauth_aws_ini pkgauth_aws_ini;

/* Parses text[0..len); name is used in error messages. *out is new; free
 * it with pkgauth_aws_ini_free(). PKGAUTH_EPARSE on a syntax error. */
int pkgauth_aws_ini_parse(const char *text, size_t len, const char *name,
                          pkgauth_aws_ini **out, pkgauth_error *err);

/* Reads and parses the file at path. PKGAUTH_ENOTFOUND (and *out NULL)
 * when it does not exist; PKGAUTH_EIO when it cannot be read. The read
 * buffer is wiped before it is freed. */
int pkgauth_aws_ini_load(const char *path, pkgauth_aws_ini **out, pkgauth_error *err);

/* Wipes every string, then frees. NULL is fine. */
void pkgauth_aws_ini_free(pkgauth_aws_ini *ini);

/* The value of key (lower case) in section (as normalised above), or NULL.
 * Owned by ini. */
const char *pkgauth_aws_ini_get(const pkgauth_aws_ini *ini, const char *section,
                                const char *key);
int pkgauth_aws_ini_has_section(const pkgauth_aws_ini *ini, const char *section);

/* The two files name profiles differently: the credentials file uses
 * "[name]", the config file "[profile name]" (and "[default]" for the
 * default profile, where "[profile default]" wins when both exist). */
typedef enum pkgauth_aws_file_kind {
    PKGAUTH_AWS_CREDENTIALS_FILE,
    PKGAUTH_AWS_CONFIG_FILE,
} pkgauth_aws_file_kind;

/* key of profile in ini (NULL ini is fine: nothing there), or NULL. */
const char *pkgauth_aws_profile_get(const pkgauth_aws_ini *ini, pkgauth_aws_file_kind kind,
                                    const char *profile, const char *key);
int pkgauth_aws_profile_exists(const pkgauth_aws_ini *ini, pkgauth_aws_file_kind kind,
                               const char *profile);

#endif
