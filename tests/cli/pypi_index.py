"""A real nginx (nginx_server.Nginx's machinery) serving a small PEP 503
simple index behind HTTP basic auth, for tests/cli/test_pypi.py.

Layout under the index root, everything behind basic auth:
  /simple/index.html          links to demo/
  /simple/demo/index.html     links to ../../files/demo-1.0.tar.gz#sha256=...
  /files/demo-1.0.tar.gz      the file
The access log lines are "<remote user>|<request URI>|<status>".
"""
import hashlib
import os
import pathlib

import nginx_server as ns

USER = "alice"
PASSWORD = "pypi-pw-Kq93tRw1"
PROJECT = "demo"
FILE = "demo-1.0.tar.gz"

CONFIG = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 64; }}
http {{
    types {{ text/html html; }}
    default_type application/octet-stream;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    log_format authlog '$remote_user|$request_uri|$status';
    access_log {prefix}/access.log authlog;
    absolute_redirect off;

    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        auth_basic "pkgauth pypi test";
        auth_basic_user_file {prefix}/htpasswd;
    }}
}}
"""


def make_index(root):
    """Writes the index; returns the file's bytes."""
    root = pathlib.Path(root)
    data = bytes((7 * k) % 256 for k in range(3000))
    (root / "files").mkdir(parents=True, exist_ok=True)
    (root / "files" / FILE).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    page = root / "simple" / PROJECT
    page.mkdir(parents=True, exist_ok=True)
    (root / "simple" / "index.html").write_text(
        f'<!DOCTYPE html><html><body><a href="{PROJECT}/">{PROJECT}</a></body></html>\n')
    (page / "index.html").write_text(
        "<!DOCTYPE html><html><body>\n"
        f'<a href="../../files/{FILE}#sha256={digest}">{FILE}</a>\n'
        "</body></html>\n")
    return data


class PypiIndex(ns.Nginx):
    """nginx with the index above; .url(path) builds a URL without user
    info, .user_url(path) one with USER@."""

    def __init__(self, prefix, root):
        self.prefix = pathlib.Path(prefix)
        self.channel = pathlib.Path(root)
        self.port = ns.free_port()
        self.other_port = self.port  # start() waits for both; there is one
        for d in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (self.prefix / d).mkdir(parents=True, exist_ok=True)
        ns.htpasswd(self.prefix / "htpasswd", USER, PASSWORD)
        user = "user root;" if os.geteuid() == 0 else ""
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(CONFIG.format(user=user, prefix=self.prefix, root=self.channel,
                                           port=self.port))
        self.proc = None

    def user_url(self, path, user=USER):
        return f"http://{user}@127.0.0.1:{self.port}/{path.lstrip('/')}"
