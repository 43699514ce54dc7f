"""fetch over HTTPS against a real nginx with TLS and HTTP/2: the private
CA given by SSL_CERT_FILE is trusted, HTTP/2 is used when the server offers
it, transfers share one connection, and a certificate that is not trusted
is a clear error (no credential is sent: the handshake fails first)."""
import json
import shutil
import subprocess
import time

import pytest

import nginx_server as ns

TOKEN = "tls-bearer-4Zq9wLx"

CONFIG = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    log_format proto '$server_protocol $connection $status $request_uri';
    map $http_authorization $bearer_ok {{ default 0; "Bearer {token}" 1; }}
    server {{
        listen 127.0.0.1:{port} ssl http2;
        ssl_certificate {prefix}/cert.pem;
        ssl_certificate_key {prefix}/key.pem;
        access_log {prefix}/access.log proto;
        location /bearer/ {{
            if ($bearer_ok = 0) {{ return 401; }}
            alias {channel}/;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    root = tmp_path_factory.mktemp("tls")
    prefix, channel = root / "prefix", root / "channel"
    ns.make_channel(channel)
    for d in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (prefix / d).mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", prefix / "key.pem", "-out", prefix / "cert.pem"],
                   check=True, capture_output=True)
    port = ns.free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(CONFIG.format(user="user root;" if __import__("os").geteuid() == 0 else "",
                                  prefix=prefix, channel=channel, port=port, token=TOKEN))
    proc = subprocess.Popen([ns.NGINX, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while not ns.Nginx._listening(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("nginx (TLS) did not start: " + proc.stderr.read().decode())
        time.sleep(0.05)
    yield {"url": f"https://127.0.0.1:{port}", "cert": prefix / "cert.pem",
           "log": prefix / "access.log", "channel": channel}
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def env(auth_file, secrets):
    secrets.add(TOKEN)
    auth_file.write_text(json.dumps({"127.0.0.1": {"BearerToken": TOKEN}}))
    return {"RATTLER_AUTH_FILE": auth_file}


def log_lines(tls):
    return tls["log"].read_text().splitlines() if tls["log"].exists() else []


def test_http2_with_private_ca(run, tls, env, tmp_path):
    before = len(log_lines(tls))
    files = ["noarch/repodata.json", "noarch/pkg0-1.0-0.tar.bz2", "noarch/pkg1-1.0-0.tar.bz2"]
    out = tmp_path / "out"
    run("fetch", "-j", "3", "--output-dir", out, *[f"{tls['url']}/bearer/{f}" for f in files],
        env=dict(env, SSL_CERT_FILE=tls["cert"]), check=0)
    for f in files:
        assert (out / f.split("/")[-1]).read_bytes() == (tls["channel"] / f).read_bytes()
    lines = log_lines(tls)[before:]
    assert len(lines) == 3 and all(l.startswith("HTTP/2.0 ") and " 200 " in l for l in lines), lines
    # One TLS connection carried all three (nginx's connection serial).
    assert len({l.split()[1] for l in lines}) == 1, lines


def test_untrusted_certificate_is_a_clear_error(run, tls, env, tmp_path):
    before = len(log_lines(tls))
    p = run("fetch", f"{tls['url']}/bearer/noarch/repodata.json", "-o", tmp_path / "r.json",
            env=dict(env, SSL_CERT_FILE=tmp_path / "no-such-ca.pem"))
    assert p.returncode == 1
    assert "certificate" in p.stderr.lower() or "CA" in p.stderr, p.stderr
    assert not (tmp_path / "r.json").exists()
    assert log_lines(tls)[before:] == []  # no request reached the server
