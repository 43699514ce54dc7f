#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit and command-line tests).
#   scripts/test.sh [extra cmake arguments]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh "$@"
cd "${PKGAUTH_BUILD_DIR:-build}"
ctest --output-on-failure --timeout 600 -j2
