#!/usr/bin/env bash
# Installs what pkgauth needs on a Debian machine (missing packages only, so a
# second run costs nothing) and builds it into build/ with warnings as errors.
#   scripts/setup.sh [extra cmake arguments]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

mapfile -t wanted < <(grep -v '^\s*#' .ci/packages.txt | grep -v '^\s*$')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Test-only helpers from npm (servers and clients the tests talk to).
if [ -f tests/package.json ] && command -v npm >/dev/null; then
  if [ ! -d tests/node_modules ] || [ tests/package.json -nt tests/node_modules ]; then
    (cd tests && npm install --no-audit --no-fund --loglevel=error)
    touch tests/node_modules
  fi
fi

build=${PKGAUTH_BUILD_DIR:-build}
cmake -S . -B "$build" -DPKGAUTH_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
