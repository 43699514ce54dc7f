#!/usr/bin/env bash
# Resolution benchmark: lookups/s and load time of a 10,000-entry store, and
# the wall time of `pkgauth token <host>` against it, beside peers measured
# in the same run (libcurl's URL parser; an empty program; git's credential
# store helper).   bench/resolve.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --build "$build" --target resolve_bench pkgauth_cli >/dev/null

echo "== URL resolution (one core)"
"$build/bin/resolve_bench" "$tmp/credentials.json"

runs=${RUNS:-200}
median() { /usr/bin/python3 "$root/bench/median_ms.py" "$runs" "$@"; }
echo
echo "== command wall time, median of $runs runs"
token=$(RATTLER_AUTH_FILE=$tmp/credentials.json median "$build/bin/pkgauth" token repo9.example9.com)
printf '%-44s %8s ms\n' "pkgauth token (10,000-entry file)" "$token"
printf '%-44s %8s ms\n' "pkgauth which (10,000-entry file)" \
  "$(RATTLER_AUTH_FILE=$tmp/credentials.json median "$build/bin/pkgauth" which https://repo9.example9.com/x)"
printf '%-44s %8s ms\n' "empty program (/bin/true)" "$(median /bin/true)"
if command -v git >/dev/null; then
  # git's store helper over a 10,000-line file, for scale.
  for i in $(seq 0 9999); do echo "https://u$i:p$i@host$i.example.com"; done >"$tmp/git-credentials"
  cat >"$tmp/fill.sh" <<EOS
#!/bin/sh
printf 'protocol=https\nhost=host9999.example.com\n\n' | HOME=$tmp git -c credential.helper="store --file=$tmp/git-credentials" credential fill
EOS
  chmod +x "$tmp/fill.sh"
  fill=$(median "$tmp/fill.sh")
  printf '%-44s %8s ms\n' "git credential fill (store helper, 10,000)" "$fill"
  printf '%-44s %8.2fx   (target <= 0.5x)\n' "pkgauth token / git credential fill" \
    "$(awk "BEGIN {print $token / $fill}")"
fi
if command -v secret-tool >/dev/null && [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  printf '%-44s %8s ms\n' "secret-tool lookup" "$(median sh -c 'secret-tool lookup service rattler username x || true')"
fi
