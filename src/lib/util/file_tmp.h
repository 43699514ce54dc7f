/* The temporary copies a credentials file is written through (see
 * replace_file in backends/file.c): each holds every secret of the file, so
 * none may outlive the write that made it. */
#ifndef PKGAUTH_FILE_TMP_H
#define PKGAUTH_FILE_TMP_H

/* Guards the temporary file at path (the caller's buffer: it must stay
 * valid until pkgauth_tmp_unguard and may be filled in by mkostemp after
 * this call) against SIGTERM, SIGINT and SIGHUP: while guarded, such a
 * signal whose action is the default (ending the process) first unlinks
 * path, then ends the process as it would have. Signals the program
 * catches or ignores are left alone: it goes on, and so does the write.
 * Call before the file is created, unguard after it is renamed or removed.
 * Returns a handle for pkgauth_tmp_unguard (-1: too many guarded at once,
 * the file is then not guarded; unguard accepts -1). Thread-safe. */
int pkgauth_tmp_guard(const char *path);
void pkgauth_tmp_unguard(int handle);

/* Removes the temporaries of the credentials file at path that writers
 * left behind (".<name>.pkgauth-XXXXXX" beside it, killed by SIGKILL or a crash).
 * Only while holding the file's lock: every live writer holds it, so what
 * is found then belongs to no one. */
void pkgauth_tmp_sweep(const char *path);

/* The same for a reader, which holds no lock: only when some temporary is
 * there, and only when "<path>.lock" can be taken at once (a writer at
 * work is left alone). Never creates anything, never reports an error. */
void pkgauth_tmp_sweep_if_idle(const char *path);

#endif
