#!/bin/sh
# src/lib/util uses nothing else from src/lib (docs/architecture.md): a
# quoted include there names a header of util itself or a public one
# (pkgauth/...). Its include path already refuses the rest of src/lib at
# build time; this also catches "../x.h" and other relative escapes.
#   check_util_layering.sh <src/lib/util>
set -eu
dir=$1
bad=0
for f in "$dir"/*.c "$dir"/*.h; do
  for name in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
    case $name in
      pkgauth/*) ;;
      */*) echo "error: $f includes \"$name\" (outside util/)"; bad=1 ;;
      *) [ -f "$dir/$name" ] || { echo "error: $f includes \"$name\" (not in util/)"; bad=1; } ;;
    esac
  done
done
[ $bad -eq 0 ] && echo "util/ includes only itself and include/pkgauth"
exit $bad
