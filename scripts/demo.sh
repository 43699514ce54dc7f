#!/usr/bin/env bash
# The main job, end to end on this machine: log in, see which credential a
# URL uses, read the token back, list the store. Uses a temporary auth file,
# so nothing of yours is touched.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/setup.sh" >/dev/null
pkgauth="$root/${PKGAUTH_BUILD_DIR:-build}/bin/pkgauth"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RATTLER_AUTH_FILE="$tmp/credentials.json"

echo "== pkgauth login prefix.dev --token - (token read from stdin)"
echo "pfx_demo_token" | "$pkgauth" login prefix.dev --token -
echo "== pkgauth which https://repo.prefix.dev/my-channel/noarch/repodata.json"
"$pkgauth" which https://repo.prefix.dev/my-channel/noarch/repodata.json
echo "== pkgauth token repo.prefix.dev"
"$pkgauth" token repo.prefix.dev
echo "== pkgauth status"
"$pkgauth" status
echo "== $RATTLER_AUTH_FILE"
cat "$RATTLER_AUTH_FILE"; echo
