#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...]
# Builds every fuzz target with clang, libFuzzer, ASan and UBSan (into
# build-fuzz/), seeds a corpus per target from the tests and ../shared/testdata
# (when present), runs each target for SECONDS and prints its executions and
# any crash. Crash inputs are kept in build-fuzz/crashes/<target>/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
build=$root/build-fuzz
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DPKGAUTH_FUZZ=ON -DPKGAUTH_TESTS=OFF \
  -DPKGAUTH_KEYRING=OFF -DPKGAUTH_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_toml fuzz_netrc fuzz_credentials_file fuzz_resolve fuzz_sigv4 fuzz_aws_config
  fuzz_request fuzz_header_injection)
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null
/usr/bin/python3 "$root/fuzz/seed.py" "$root" "$build/corpus"

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
total=0
crashes=0
printf '%-24s %12s %8s\n' target execs crashes
for t in "${targets[@]}"; do
  mkdir -p "$build/crashes/$t" "$build/corpus/$t"
  log=$build/$t.log
  set +e
  "$build/bin/$t" "$build/corpus/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$build/crashes/$t/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  found=$(find "$build/crashes/$t" -type f | wc -l)
  printf '%-24s %12s %8s\n' "$t" "$execs" "$found"
  total=$((total + execs))
  crashes=$((crashes + found))
  if [ "$rc" -ne 0 ]; then
    echo "--- $t exited $rc; the end of its log:"
    tail -n 30 "$log"
  fi
done
echo "total: $total executions, $crashes crash inputs (in build-fuzz/crashes/)"
[ "$crashes" -eq 0 ]
