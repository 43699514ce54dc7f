"""Redirect rules the mutation run found uncovered (issue 18): 308 is
followed like 302 (credentials within the origin only), redirects to other
schemes are refused by the library itself, the hop limit is exactly
PKGAUTH_MAX_REDIRECTS (10), and an https -> http redirect on the same host
and port drops the credential.

nginx (tests/cli/nginx_server.py) serves the redirects; the scheme
downgrade needs one port speaking both TLS and plain HTTP, which nginx
cannot do, so a small stub on 127.0.0.1 does that one.
"""
import json
import os
import shutil
import socket
import ssl
import subprocess

import pytest

import nginx_server as ns
from conftest import BIN_DIR
from stub_server import StubServer, read_head

pytestmark = pytest.mark.skipif(not shutil.which(ns.NGINX) and not os.path.exists(ns.NGINX),
                                reason="nginx is not installed (package nginx-light)")

REPODATA = "noarch/repodata.json"
HOPS = 11  # /hop1/ -> /hop2/ -> ... -> /hop12/ (the channel): 11 redirects from /hop1/
FILE_SECRET = "file-secret-do-not-serve-71c2"

EXTRA = """
        location ~ ^/r308-same/(.*)$ {{
            if ($bearer_ok = 0) {{ return 401; }}
            return 308 /bearer/$1;
        }}
        location ~ ^/r308-cross/(.*)$ {{
            if ($bearer_ok = 0) {{ return 401; }}
            return 308 http://127.0.0.1:{other_port}/$1;
        }}
        location /to-file/ {{ return 302 file://{channel}/secret.txt; }}
        location /to-ftp/ {{ return 302 ftp://127.0.0.1:{other_port}/secret.txt; }}
""" + "".join(
    f"        location /hop{i}/ {{{{ rewrite ^/hop{i}/(.*)$ /hop{i + 1}/$1 redirect; }}}}\n"
    for i in range(1, HOPS + 1)) + \
    f"        location /hop{HOPS + 1}/ {{{{ alias {{channel}}/; }}}}\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    ns.make_channel(root / "channel")
    (root / "channel" / "secret.txt").write_text(FILE_SECRET)
    srv = ns.Nginx(root / "prefix", root / "channel", extra_config=EXTRA).start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def register_secrets(secrets):
    secrets.update({ns.BEARER, FILE_SECRET})


def store_bearer(auth_file):
    auth_file.write_text(json.dumps({"127.0.0.1": {"BearerToken": ns.BEARER}}))
    return auth_file


def expected(server, rel):
    return (server.channel / rel).read_bytes()


def example(url, auth_file, secrets):
    """The C example: a library user with curl's default protocols (no
    protocol list of its own), so whatever it refuses the library refused."""
    prog = BIN_DIR / "example_fetch"
    if not prog.exists():
        pytest.skip("examples not built")
    env = dict(os.environ, RATTLER_AUTH_FILE=str(auth_file))
    p = subprocess.run([str(prog), url], env=env, capture_output=True, timeout=60)
    secrets.check(p.stderr.decode(), "example stderr")
    secrets.check(p.stdout.decode(errors="replace"), "example stdout")
    return p


# ---- item 7: 308 ----

def test_308_same_origin_keeps_credentials(server, run, auth_file, tmp_path):
    store_bearer(auth_file)
    out = tmp_path / "r.json"
    run("--auth-file", auth_file, "fetch", "-o", out, server.url(f"r308-same/{REPODATA}"),
        check=0)
    assert out.read_bytes() == expected(server, REPODATA)
    assert f"GET /bearer/{REPODATA} 200" in server.log()


def test_308_cross_origin_drops_credentials(server, run, auth_file, tmp_path):
    store_bearer(auth_file)
    out = tmp_path / "r.json"
    before = len(server.log("other.log"))
    run("--auth-file", auth_file, "fetch", "-o", out, server.url(f"r308-cross/{REPODATA}"),
        check=0)
    assert out.read_bytes() == expected(server, REPODATA)
    assert server.log("other.log")[before:] == [f"-|/{REPODATA}"]


# ---- item 8: other schemes refused by the library ----

@pytest.mark.parametrize("where", ["to-file", "to-ftp"])
def test_redirect_to_other_scheme_refused_by_library(where, server, auth_file, secrets):
    store_bearer(auth_file)
    p = example(server.url(f"{where}/x"), auth_file, secrets)
    assert p.returncode == 1
    assert FILE_SECRET.encode() not in p.stdout
    assert p.stderr.decode().startswith(
        f"error: redirect to a non-HTTP URL refused for {server.url(where + '/x')}"), p.stderr


@pytest.mark.parametrize("where", ["to-file", "to-ftp"])
def test_redirect_to_other_scheme_refused_by_cli(where, server, run, auth_file, tmp_path):
    store_bearer(auth_file)
    out = tmp_path / "x"
    p = run("--auth-file", auth_file, "fetch", "-o", out, server.url(f"{where}/x"), check=1)
    assert "redirect to a non-HTTP URL refused" in p.stderr
    assert not out.exists()


# ---- item 9: the limit is exactly 10 ----

def test_ten_redirects_pass(server, run, auth_file, tmp_path, secrets):
    store_bearer(auth_file)
    out = tmp_path / "r.json"
    run("--auth-file", auth_file, "fetch", "-o", out, server.url(f"hop2/{REPODATA}"), check=0)
    assert out.read_bytes() == expected(server, REPODATA)
    p = example(server.url(f"hop2/{REPODATA}"), auth_file, secrets)
    assert p.returncode == 0, p.stderr
    assert p.stdout == expected(server, REPODATA)


def test_eleven_redirects_fail(server, run, auth_file, tmp_path, secrets):
    store_bearer(auth_file)
    out = tmp_path / "r.json"
    url = server.url(f"hop1/{REPODATA}")
    p = run("--auth-file", auth_file, "fetch", "-o", out, url, check=1)
    assert p.stderr == f"error: too many redirects (more than 10) for {url}\n"
    assert not out.exists()
    p = example(url, auth_file, secrets)
    assert p.returncode == 1
    assert b"too many redirects (more than 10)" in p.stderr


# ---- item 5: https -> http on the same host and port ----

class DualProtocolServer(StubServer):
    """One port that answers TLS and plain HTTP (it peeks at the first
    byte: 0x16 starts a TLS handshake). /start redirects to the same host
    and port over plain http; every request's scheme, path and
    Authorization header are recorded."""

    def __init__(self, cert, key):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.seen = []
        super().__init__()

    def answer(self, conn):
        scheme = "http"
        if conn.recv(1, socket.MSG_PEEK) == b"\x16":
            conn = self.ctx.wrap_socket(conn, server_side=True)
            scheme = "https"
        data = read_head(conn)
        if not data:
            return
        lines = data.split(b"\r\n\r\n")[0].decode().split("\r\n")
        path = lines[0].split()[1]
        auth = [v.strip() for k, _, v in (h.partition(":") for h in lines[1:])
                if k.lower() == "authorization"]
        self.seen.append((scheme, path, auth[0] if auth else None))
        if path == "/start":
            head = (f"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{self.port}/next\r\n"
                    "Content-Length: 0\r\nConnection: close\r\n\r\n")
            conn.sendall(head.encode())
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")



def test_https_to_http_same_port_drops_credentials(run, auth_file, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    store_bearer(auth_file)
    srv = DualProtocolServer(cert, key)
    try:
        out = tmp_path / "out"
        run("--auth-file", auth_file, "fetch", "-o", out, f"https://127.0.0.1:{srv.port}/start",
            env={"SSL_CERT_FILE": cert}, check=0)
    finally:
        srv.close()
    assert out.read_bytes() == b"ok"
    assert srv.seen == [("https", "/start", f"Bearer {ns.BEARER}"), ("http", "/next", None)]
