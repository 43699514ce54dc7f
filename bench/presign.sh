#!/bin/sh
# Presign throughput: pkgauth (C) against two npm SigV4 signers, same inputs,
# same run. Prints the figures; asserts nothing.
#
#   bench/presign.sh [BUILD_DIR]     (default: build/ at the top of the tree)
#
# Builds nothing: BUILD_DIR must hold bin/sigv4_bench. The npm packages
# (@smithy/signature-v4 with @smithy/hash-node and @smithy/protocol-http,
# and aws4) are installed into bench/node_modules (gitignored) on first use.
# Environment: N_C, N_SMITHY, N_AWS4 (presigns per implementation).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bench_bin=$build/bin/sigv4_bench
if [ ! -x "$bench_bin" ]; then
    echo "presign.sh: $bench_bin not found; build first (cmake --build $build)" >&2
    exit 1
fi
command -v node >/dev/null && command -v npm >/dev/null || {
    echo "presign.sh: node and npm are needed for the peer figures" >&2
    exit 1
}

# --no-save/--no-package-lock: leave no package.json or lock file behind.
if [ ! -d "$here/node_modules/@smithy/signature-v4" ] ||
   [ ! -d "$here/node_modules/@smithy/hash-node" ] ||
   [ ! -d "$here/node_modules/aws4" ]; then
    echo "installing npm peers into $here/node_modules ..."
    npm install --prefix "$here" --no-save --no-package-lock --no-audit \
        --no-fund --loglevel=error \
        @smithy/signature-v4 @smithy/hash-node @smithy/protocol-http aws4 \
        >/dev/null
fi
version() {
    node -p "require('$here/node_modules/$1/package.json').version"
}

# One core: pin every implementation to the same CPU when taskset exists.
pin=""
if command -v taskset >/dev/null; then
    pin="taskset -c $(($(nproc) - 1))"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== pkgauth sigv4_bench ($bench_bin)"
$pin "$bench_bin" "${N_C:-2000000}" | tee "$tmp/c"
echo "== @smithy/signature-v4 $(version @smithy/signature-v4) (node $(node -v))"
(cd "$here" && $pin node presign_smithy.js "${N_SMITHY:-200000}") | tee "$tmp/smithy"
echo "== aws4 $(version aws4) (node $(node -v))"
(cd "$here" && $pin node presign_aws4.js "${N_AWS4:-400000}") | tee "$tmp/aws4"

rate() { sed -n 's/^[^:]*: \([0-9]*\) presigns\/s.*/\1/p' "$tmp/$1"; }
sig() { sed -n 's/^signature\[0\]: //p' "$tmp/$1"; }
c=$(rate c) smithy=$(rate smithy) aws4=$(rate aws4)

echo
if [ "$(sig c)" = "$(sig smithy)" ] && [ "$(sig c)" = "$(sig aws4)" ]; then
    echo "same input check: all three signatures of key 0 agree ($(sig c))"
else
    echo "same input check: signatures DIFFER: c=$(sig c) smithy=$(sig smithy) aws4=$(sig aws4)"
fi
peer=$smithy peer_name=@smithy/signature-v4
if [ "$aws4" -gt "$smithy" ]; then
    peer=$aws4 peer_name=aws4
fi
printf 'pkgauth                %10s presigns/s\n' "$c"
printf '@smithy/signature-v4   %10s presigns/s\n' "$smithy"
printf 'aws4                   %10s presigns/s\n' "$aws4"
awk -v c="$c" -v p="$peer" -v n="$peer_name" \
    'BEGIN { printf "pkgauth / fastest peer (%s): %.1fx\n", n, c / p }'
