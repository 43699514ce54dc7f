#!/bin/sh
# Every string the API returns is freed with pkgauth_free() (issue 12
# item 7): no public header may tell the caller to use free(), and every
# header that returns a string (char * result or char ** output) says
# pkgauth_free().   check_free_docs.sh <include/pkgauth>
set -eu
status=0
if grep -nE '(with|use|call) free\(\)|free\(\) it|\(free\(\)\)' "$1"/*.h "$1"/*/*.h 2>/dev/null; then
  echo "error: the lines above tell the caller to free() a string; it is pkgauth_free()"
  status=1
fi
for h in "$1"/*.h; do
  if grep -qE '(^|[^t] |\()char \*' "$h" && ! grep -q 'pkgauth_free()' "$h"; then
    echo "error: $h returns a string but does not say to free it with pkgauth_free()"
    status=1
  fi
done
exit $status
