/* A .netrc reader with curl's semantics (internal).
 *
 * The file is parsed once into a list of entries, in file order; lookups
 * then walk that list the way curl walks the file:
 *   - the first matching entry wins, and `default` matches every host at its
 *     place in the file (a default written first shadows later machines);
 *   - host names and keywords compare case-insensitively, logins exactly;
 *   - an entry with neither login nor password matches nothing;
 *   - when a login is asked for, an entry with another login is skipped, an
 *     entry without login matches any login, and an entry for that login
 *     without a password token is skipped;
 *   - a line whose first non-blank character is '#' is a comment; a '#'
 *     elsewhere is an ordinary word;
 *   - "quoted" tokens may hold blanks; inside them \n \r \t are LF CR TAB and
 *     any other escaped character stands for itself; a quoted token is
 *     always a value, never a keyword; outside quotes '\' is literal;
 *   - unknown words are skipped; `account` takes a value that is ignored;
 *   - `macdef` skips the rest of its line and the following lines up to an
 *     empty line (where curl only honours it between entries, we also end
 *     the current entry, so the result does not depend on the host asked);
 *   - a NUL byte drops the rest of its line (curl reads lines as C strings).
 * Limits (as curl): a token of more than 4096 bytes, a line of more than
 * 16384 bytes (comment lines too) or more than 128 KiB of non-comment
 * content is a parse error; so is a file of more than 1 MiB. */
#ifndef PKGAUTH_NETRC_H
#define PKGAUTH_NETRC_H

#include "memory.h"

#include <stddef.h>

#include "error.h"

typedef struct pkgauth_netrc pkgauth_netrc;

/* One machine or default entry. A field is NULL when its keyword (or the
 * keyword's value) was absent, and "" when written as "". */
typedef struct pkgauth_netrc_entry {
    char *host;     /* NULL for default, or for `machine` at end of file */
    char *login;
    char *password;
    int is_default;
    int line;       /* line of the machine/default keyword, from 1 */
} pkgauth_netrc_entry;

/* Parses len bytes of data (need not be NUL-terminated). file names the
 * source in messages ("file:line: message", never a token's text). On
 * success *out owns a new object; on error *out is NULL and the result is
 * PKGAUTH_EPARSE (or PKGAUTH_ENOMEM / PKGAUTH_EINVAL). */
int pkgauth_netrc_parse(const char *data, size_t len, const char *file,
                        pkgauth_netrc **out, pkgauth_error *err);

/* Reads and parses the file at path. A missing file is PKGAUTH_ENOTFOUND
 * with a message naming path; other read failures are PKGAUTH_EIO. */
int pkgauth_netrc_load(const char *path, pkgauth_netrc **out,
                       pkgauth_error *err);

/* Finds the credential curl would use for host, with login the user name
 * asked for (NULL or "" for none). Returns PKGAUTH_OK and sets *login_out
 * and *password_out, or PKGAUTH_ENOTFOUND (no match; outputs set to NULL),
 * or PKGAUTH_EINVAL. The outputs are borrowed: they live as long as netrc,
 * except that *login_out may be login itself (entry without a login). An
 * absent login or password is returned as "". */
int pkgauth_netrc_lookup(const pkgauth_netrc *netrc, const char *host,
                         const char *login, const char **login_out,
                         const char **password_out);

/* As pkgauth_netrc_lookup, but `default` only after every machine entry,
 * wherever it is written: uv's order for PyPI indexes (the host's entry,
 * else default). */
int pkgauth_netrc_lookup_default_last(const pkgauth_netrc *netrc, const char *host,
                                      const char *login, const char **login_out,
                                      const char **password_out);

/* Entries in file order, for listings; index < pkgauth_netrc_count(). */
size_t pkgauth_netrc_count(const pkgauth_netrc *netrc);
const pkgauth_netrc_entry *pkgauth_netrc_entry_at(const pkgauth_netrc *netrc,
                                                  size_t index);

/* Overwrites every string (and the entry table) with zeros, then frees.
 * NULL is fine. */
void pkgauth_netrc_free(pkgauth_netrc *netrc);

/* Test seam: every block this module frees goes through pkgauth_wipe_free,
 * whose hook (util/memory.h) sees it after the wipe and before free. */
#define pkgauth_netrc_wipe_hook pkgauth_wipe_hook

#endif
