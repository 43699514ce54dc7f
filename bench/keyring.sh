#!/usr/bin/env bash
# bench/keyring.sh [BUILD_DIR]   (default: build/)
#
# Median wall time of one `pkgauth token` process reading its credential
#   - from the Secret Service keyring (a private gnome-keyring session),
#   - from the fallback file (default chain, no session bus: the keyring
#     steps aside), and with --auth-file (no keyring in the chain at all),
# beside `secret-tool lookup` of the same item (libsecret's own client).
# The commands take turns, call by call, so that the load of a shared
# machine weighs on each alike. Prints figures, asserts nothing. BENCH_N
# sets the number of calls (1000).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
pkgauth="$build/bin/pkgauth"
[ -x "$pkgauth" ] || { echo "bench/keyring.sh: no $pkgauth (build first)" >&2; exit 2; }
command -v secret-tool >/dev/null || { echo "bench/keyring.sh: secret-tool missing" >&2; exit 2; }

read -r -d '' bench <<'PY' || true
import os, shutil, statistics, subprocess, sys, tempfile, time

pkgauth, n = sys.argv[1], int(sys.argv[2])
key, token = "bench.example.com", "bench_token_0123456789"
bus = os.environ["DBUS_SESSION_BUS_ADDRESS"]
tmp = tempfile.mkdtemp(prefix="pkgauth-bench.")

def env(home, with_bus):
    e = {k: v for k, v in os.environ.items()
         if k not in ("DBUS_SESSION_BUS_ADDRESS", "RATTLER_AUTH_FILE", "NETRC")}
    e["HOME"] = home
    if with_bus:
        e["DBUS_SESSION_BUS_ADDRESS"] = bus
    return e

def prepare(name, with_bus):
    home = os.path.join(tmp, name)
    os.mkdir(home)
    subprocess.run([pkgauth, "login", key, "--token", "-"], input=token + "\n", text=True,
                   env=env(home, with_bus), check=True, capture_output=True)
    return home

def check(cmd, e, expect):
    out = subprocess.run(cmd, env=e, capture_output=True, text=True).stdout
    assert out.strip() == expect, f"{cmd[0]}: unexpected output"


def medians_ms(rows):
    """Median and 90th percentile of each row's wall time. The rows take
    turns, call by call, so that a change in the machine's load during the
    run weighs on all of them alike (the ratio is what is compared)."""
    times = [[] for _ in rows]
    for _ in range(n):
        for i, (_, cmd, e, _) in enumerate(rows):
            t = time.perf_counter()
            subprocess.run(cmd, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[i].append((time.perf_counter() - t) * 1e3)
    return [(statistics.median(t), sorted(t)[int(len(t) * 0.9)]) for t in times]

kr_home = prepare("keyring", True)
file_home = prepare("file", False)
auth_file = os.path.join(file_home, ".rattler", "credentials.json")
rows = [
    ("pkgauth token, keyring", [pkgauth, "token", key], env(kr_home, True), token),
    ("pkgauth token, fallback file (no bus)", [pkgauth, "token", key], env(file_home, False), token),
    ("pkgauth token, --auth-file", [pkgauth, "--auth-file", auth_file, "token", key],
     env(file_home, False), token),
    ("secret-tool lookup", ["secret-tool", "lookup", "service", "rattler", "username", key],
     env(kr_home, True), '{"BearerToken":"%s"}' % token),
]
for _, cmd, e, expect in rows:
    check(cmd, e, expect)
print(f"{n} calls each, taking turns, wall time per process (median / 90th percentile):")
medians = []
for (label, *_), (med, p90) in zip(rows, medians_ms(rows)):
    medians.append(med)
    print(f"  {label:<40} {med:7.2f} ms  / {p90:7.2f} ms", flush=True)
print(f"  {'pkgauth token, keyring / secret-tool':<40} {medians[0] / medians[-1]:7.2f}x"
      "   (target <= 1.0x)")
shutil.rmtree(tmp)
PY

exec bash "$root/tests/harness/keyring-session.sh" python3 -c "$bench" "$pkgauth" "${BENCH_N:-1000}"
