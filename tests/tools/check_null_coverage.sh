#!/bin/sh
# Every function libpkgauth.so exports has a case in test_null_args, and
# every case names an exported function: the two sorted lists must match.
#   check_null_coverage.sh <libpkgauth.so> <test_null_args>
set -eu
exported=$(nm -D --defined-only "$1" | awk '$2 == "T" && $3 ~ /^pkgauth_/ {print $3}' | sort)
tested=$("$2" --list | sort)
if [ "$exported" != "$tested" ]; then
  echo "error: exported functions and test_null_args cases differ (< exported only, > tested only):"
  dir=$(mktemp -d)
  echo "$exported" > "$dir/exported"
  echo "$tested" > "$dir/tested"
  diff "$dir/exported" "$dir/tested" || true
  rm -rf "$dir"
  exit 1
fi
echo "$(echo "$exported" | wc -l) exported functions, all covered by test_null_args"
