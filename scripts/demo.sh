#!/usr/bin/env bash
# The main job, end to end on this machine: a private conda channel that
# requires a token (a real nginx on 127.0.0.1, a free port, a generated
# config in a temp dir; no root paths, no system service), then
# log in, see which credential a URL uses, list the store, download the
# channel's repodata with the credential, and see the same download refused
# without it. Uses a temporary auth file, so nothing of yours is touched.
# The token never reaches the terminal.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/setup.sh" >/dev/null
pkgauth="$root/${PKGAUTH_BUILD_DIR:-build}/bin/pkgauth"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
tmp=$(mktemp -d)
nginx_pid=
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
export RATTLER_AUTH_FILE="$tmp/credentials.json"

# ---- the channel: noarch/repodata.json and one package, behind a token ----
mkdir -p "$tmp/channel/noarch" "$tmp/nginx/tmp"
cat >"$tmp/channel/noarch/repodata.json" <<'EOF'
{"info":{"subdir":"noarch"},"packages":{},"packages.conda":{"demo-1.0-0.conda":{"name":"demo","version":"1.0","build":"0","build_number":0,"depends":[],"subdir":"noarch"}},"repodata_version":1}
EOF
head -c 65536 /dev/urandom >"$tmp/channel/noarch/demo-1.0-0.conda"
token="demo_$(openssl rand -hex 16)"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# As root, nginx would run its workers as "nobody", who cannot read $tmp.
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 64; }
http {
    access_log $tmp/nginx/access.log;
    client_body_temp_path $tmp/nginx/tmp/body;
    proxy_temp_path $tmp/nginx/tmp/proxy;
    fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
    uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
    scgi_temp_path $tmp/nginx/tmp/scgi;
    map \$http_authorization \$token_ok { default 0; "Bearer $token" 1; }
    server {
        listen 127.0.0.1:$port;
        root $tmp/channel;
        location / { if (\$token_ok = 0) { return 401; } }
    }
}
EOF
"$nginx" -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done
channel="http://127.0.0.1:$port"
echo "== a private channel at $channel (nginx, pid $nginx_pid), token required"

echo "== pkgauth login 127.0.0.1 --token - (token read from stdin)"
printf '%s\n' "$token" | "$pkgauth" login 127.0.0.1 --token -
echo "== pkgauth which $channel/noarch/repodata.json"
"$pkgauth" which "$channel/noarch/repodata.json"
echo "== pkgauth status"
"$pkgauth" status

echo "== pkgauth fetch $channel/noarch/repodata.json -o repodata.json"
"$pkgauth" fetch "$channel/noarch/repodata.json" -o "$tmp/repodata.json"
echo "   $(stat -c %s "$tmp/repodata.json") bytes; first bytes: $(head -c 60 "$tmp/repodata.json")..."
echo "== pkgauth fetch --output-dir pkgs $channel/noarch/demo-1.0-0.conda"
"$pkgauth" fetch --output-dir "$tmp/pkgs" "$channel/noarch/demo-1.0-0.conda"
echo "   $(stat -c %s "$tmp/pkgs/demo-1.0-0.conda") bytes"

echo "== the same fetch without credentials (an empty auth file) is refused:"
(umask 077; echo '{}' >"$tmp/empty.json") # private, as credentials files are
if RATTLER_AUTH_FILE="$tmp/empty.json" "$pkgauth" fetch "$channel/noarch/repodata.json" \
     -o "$tmp/refused.json"; then
  echo "unexpected: the channel served without a token" >&2
  exit 1
else
  echo "   exit status $?; no file left behind: $([ -e "$tmp/refused.json" ] && echo no || echo yes)"
fi

echo "== nginx access log"
awk '{print "   " $6, $7, $9}' "$tmp/nginx/access.log" | tr -d '"'
echo "== stopping nginx"
