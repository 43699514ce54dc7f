#!/bin/sh
# The layering of issue 12 items 2 and 3 (docs/architecture.md "What may
# include what"), checked on the sources:
#   - backends know the store only through include/pkgauth/sys/backend.h;
#   - only the chain builder (open.c) knows the concrete backends;
#   - the transport (curl.c) knows no lookup but the store's.
#   check_layering.sh <source dir>
set -u
src=$1/src/lib
fail=0
bad() { echo "error: $*"; fail=1; }

[ -d "$src/backends" ] || bad "src/lib/backends/ is missing"
for f in "$src"/backend_*.c "$src"/backend.h; do
  [ -e "$f" ] && bad "${f#$1/} should not exist (backends live in src/lib/backends/)"
done
[ -e "$src/pypi_internal.h" ] && bad "src/lib/pypi_internal.h should not exist (the transport takes a callback)"
for f in "$src"/backends/*.c; do
  [ -e "$f" ] || continue
  grep -n '#include "store_internal.h"\|pkgauth_store_warn' "$f" /dev/null \
    && bad "${f#$1/}: a backend reaches into the store"
done
users=$(grep -l '#include "backends/backends.h"' "$src"/*.c 2>/dev/null | xargs -r -n1 basename)
[ "$users" = "open.c" ] || bad "backends/backends.h is included by '$users', expected open.c alone"
grep -n 'backend_[a-z]*_new' "$src/store.c" /dev/null && bad "store.c constructs a concrete backend"
grep -in 'pypi' "$src/curl.c" /dev/null | grep -v '^\S*:[0-9]*: \*' \
  && bad "curl.c branches on the PyPI lookup"
[ "$fail" = 0 ] && echo "layering: backends through sys/backend.h, transport through a callback"
exit "$fail"
