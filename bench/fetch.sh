#!/usr/bin/env bash
# Download benchmark: nginx on 127.0.0.1 serves 1,000 files of 64 KiB behind
# HTTP basic auth. In the same run it times
#   pkgauth fetch -j 16 -i LIST --output-dir D   (credential from the store)
#   curl --parallel --parallel-max 16 -u user:pass  (the same list)
#   pkgauth fetch -j 1 -i LIST --output-dir D
# and prints wall times (median of $RUNS rounds, interleaved), the ratio to
# curl, the speed-up over -j 1, and pkgauth's peak RSS (GNU time); beside
# them the CPU time (user + system), which a machine busy with other work
# disturbs far less than the wall time.
# Targets: <= 1.10x curl's wall time, >= 2.5x faster than -j 1, RSS < 32 MiB.
# It prints; it does not assert.       bench/fetch.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
runs=${RUNS:-3}
files=${FILES:-1000}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
cmake --build "$build" --target pkgauth_cli >/dev/null
pkgauth="$build/bin/pkgauth"
tmp=$(mktemp -d)
nginx_pid=
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- the server --------------------------------------------------------
user=bench password="bench-$(openssl rand -hex 8)"
mkdir -p "$tmp/www/noarch" "$tmp/nginx/tmp"
/usr/bin/python3 - "$tmp/www/noarch" "$files" <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(os.path.join(d, f"pkg{i:04d}-1.0-0.conda"), "wb") as f:
        f.write(os.urandom(65536))
EOF
echo "$user:$(openssl passwd -apr1 "$password")" >"$tmp/nginx/htpasswd"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path $tmp/nginx/tmp/body;
    proxy_temp_path $tmp/nginx/tmp/proxy;
    fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
    uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
    scgi_temp_path $tmp/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $tmp/www;
        auth_basic "bench";
        auth_basic_user_file $tmp/nginx/htpasswd;
    }
}
EOF
"$nginx" -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done

# ---- the clients' inputs -----------------------------------------------
ls "$tmp/www/noarch" | sed "s|^|http://127.0.0.1:$port/noarch/|" >"$tmp/list"
sed 's/^/url = /' "$tmp/list" >"$tmp/curl.cfg"
printf 'user = "%s:%s"\n' "$user" "$password" >>"$tmp/curl.cfg" # not on the command line
printf '{"127.0.0.1":{"BasicHTTP":{"username":"%s","password":"%s"}}}' "$user" "$password" \
  >"$tmp/credentials.json"
export RATTLER_AUTH_FILE="$tmp/credentials.json"

# Runs "$@" into a fresh output dir; prints wall seconds (and, for
# pkgauth, leaves GNU time's peak RSS in $tmp/rss). Checks the file count.
timed() {
  local out=$1; shift
  rm -rf "$out"; mkdir -p "$out"
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M %U %S' -o "$tmp/rss.new" "$@" >/dev/null 2>"$tmp/stderr" ||
    { echo "error: $1 failed:" >&2; tail -3 "$tmp/stderr" >&2; exit 1; }
  t1=$(date +%s%N)
  local got; got=$(ls "$out" | wc -l)
  [ "$got" -eq "$files" ] || { echo "error: $1 wrote $got of $files files" >&2; exit 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) / 1e9}'
  awk '{printf "%.3f\n", $2 + $3}' "$tmp/rss.new" >"$tmp/cpu.new"
}
pk16() { timed "$tmp/o16" "$pkgauth" fetch --no-progress -j 16 -i "$tmp/list" --output-dir "$tmp/o16"; }
pk1() { timed "$tmp/o1" "$pkgauth" fetch --no-progress -j 1 -i "$tmp/list" --output-dir "$tmp/o1"; }
cu16() { timed "$tmp/oc" curl -sS --fail --parallel --parallel-max 16 --output-dir "$tmp/oc" \
           --remote-name-all -K "$tmp/curl.cfg"; }
# curl one at a time: how much parallelism this machine allows at all (two
# cores shared with nginx, which checks an apr1 hash on every request).
cu1() { timed "$tmp/oc1" curl -sS --fail --parallel --parallel-max 1 --output-dir "$tmp/oc1" \
          --remote-name-all -K "$tmp/curl.cfg"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

pk16 >/dev/null; cu16 >/dev/null # warm the page cache and nginx
a=() b=() c=() d=() rss=() ca=() cb=() cc=()
for _ in $(seq "$runs"); do
  a+=("$(pk16)"); rss+=("$(cut -d' ' -f1 "$tmp/rss.new")"); ca+=("$(cat "$tmp/cpu.new")")
  b+=("$(cu16)"); cb+=("$(cat "$tmp/cpu.new")")
  c+=("$(pk1)"); cc+=("$(cat "$tmp/cpu.new")")
  d+=("$(cu1)")
done
p16=$(median "${a[@]}") curl16=$(median "${b[@]}") p1=$(median "${c[@]}") curl1=$(median "${d[@]}")
cp16=$(median "${ca[@]}") ccurl16=$(median "${cb[@]}") cp1=$(median "${cc[@]}")
peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)

echo "== $files files x 64 KiB, basic auth, nginx on 127.0.0.1, median of $runs runs"
printf '%-40s %8s %12s\n' "" "wall" "CPU (u+s)"
printf '%-40s %8.3f s %10.3f s\n' "pkgauth fetch -j 16" "$p16" "$cp16"
printf '%-40s %8.3f s %10.3f s\n' "curl --parallel --parallel-max 16 -u" "$curl16" "$ccurl16"
printf '%-40s %8.3f s %10.3f s\n' "pkgauth fetch -j 1" "$p1" "$cp1"
printf '%-40s %8.2fx %10.2fx   (target <= 1.10x)\n' "pkgauth -j 16 / curl" \
  "$(awk "BEGIN {print $p16 / $curl16}")" "$(awk "BEGIN {print $cp16 / $ccurl16}")"
printf '%-40s %8.2fx              (target >= 2.5x)\n' "speed-up of -j 16 over -j 1" \
  "$(awk "BEGIN {print $p1 / $p16}")"
printf '%-40s %8.2fx              (curl --parallel-max 1: %.3f s)\n' "curl's own speed-up, 16 over 1" \
  "$(awk "BEGIN {print $curl1 / $curl16}")" "$curl1"
printf '%-40s %8.1f MiB (target < 32 MiB)\n' "pkgauth -j 16 peak RSS" "$(awk "BEGIN {print $peak / 1024}")"
