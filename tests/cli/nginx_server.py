"""A real nginx (Debian's nginx-light) serving a small conda channel on
127.0.0.1, for the fetch tests. Everything lives in a temporary folder:
the generated config, pid, logs, temp paths and the channel itself. No root
paths, no system service; nginx runs in the foreground as a child process.

Locations on the main server (all serve the same channel):
  /basic/...           HTTP basic auth (htpasswd made by `openssl passwd -apr1`)
  /bearer/...          needs `Authorization: Bearer <BEARER>` (an nginx map)
  /t/<CONDA>/conda/... the conda-token channel; any other /t/... path is 403
  /flaky/...           always 503 (for the retry test)
  /bearer-cross/...    bearer-checked, then 302 to the *other* server
  /bearer-same/...     bearer-checked, then 302 (relative) to /bearer/...
  /basic-same/...      basic-checked, then 302 (relative) to /basic/...
  /basic-cross/...     basic-checked, then 302 to the other server
  /t/<CONDA>/conda-cross/... 302 to the other server
  /t/<CONDA>/conda-same/...  302 (relative) to /t/<CONDA>/conda/...
The other server (another port, so another origin even on the same host)
serves the channel without auth and logs the Authorization header and the
request URI it received to `other.log` ("-" when absent).
"""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import time

BEARER = "bearer-tok-8c1f0e7a55d2"
CONDA = "conda-tok-47d2b9e1aa03"
BASIC_USER = "alice"
BASIC_PASSWORD = "basic-pw-Zq81xK"

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

REPODATA = {
    "info": {"subdir": "noarch"},
    "packages": {},
    "packages.conda": {
        "demo-1.0-0.conda": {"name": "demo", "version": "1.0", "build": "0",
                             "build_number": 0, "depends": [], "subdir": "noarch"},
    },
    "repodata_version": 1,
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_channel(root, n_packages=3, package_size=4096):
    """noarch/repodata.json and a few package files; returns their names."""
    noarch = root / "noarch"
    noarch.mkdir(parents=True, exist_ok=True)
    (noarch / "repodata.json").write_text(json.dumps(REPODATA, indent=1))
    names = []
    for i in range(n_packages):
        name = f"pkg{i}-1.0-0.tar.bz2"
        (noarch / name).write_bytes(bytes((i + k) % 251 for k in range(package_size)))
        names.append(name)
    return names


def htpasswd(path, user, password):
    hashed = subprocess.run(["openssl", "passwd", "-apr1", password], check=True,
                            capture_output=True, text=True).stdout.strip()
    path.write_text(f"{user}:{hashed}\n")


CONFIG = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    default_type application/octet-stream;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    log_format main '$request_method $uri $status';
    log_format authlog '$http_authorization|$request_uri';
    access_log {prefix}/access.log main;
    absolute_redirect off;
    keepalive_requests 100000;

    map $http_authorization $bearer_ok {{
        default 0;
        "Bearer {bearer}" 1;
    }}

    server {{
        listen 127.0.0.1:{port};
        root {channel};

        location /basic/ {{
            auth_basic "pkgauth test";
            auth_basic_user_file {prefix}/htpasswd;
            alias {channel}/;
        }}
        location /basic-same/ {{
            auth_basic "pkgauth test";
            auth_basic_user_file {prefix}/htpasswd;
            rewrite ^/basic-same/(.*)$ /basic/$1 redirect;
        }}
        location /basic-cross/ {{
            auth_basic "pkgauth test";
            auth_basic_user_file {prefix}/htpasswd;
            rewrite ^/basic-cross/(.*)$ http://127.0.0.1:{other_port}/$1 redirect;
        }}
        location /bearer/ {{
            if ($bearer_ok = 0) {{ return 401; }}
            alias {channel}/;
        }}
        location /bearer-same/ {{
            if ($bearer_ok = 0) {{ return 401; }}
            rewrite ^/bearer-same/(.*)$ /bearer/$1 redirect;
        }}
        location /bearer-cross/ {{
            if ($bearer_ok = 0) {{ return 401; }}
            rewrite ^/bearer-cross/(.*)$ http://127.0.0.1:{other_port}/$1 redirect;
        }}
        location /t/{conda}/conda/ {{
            alias {channel}/;
        }}
        location /t/{conda}/conda-same/ {{
            rewrite ^/t/{conda}/conda-same/(.*)$ /t/{conda}/conda/$1 redirect;
        }}
        location /t/{conda}/conda-cross/ {{
            rewrite ^/t/{conda}/conda-cross/(.*)$ http://127.0.0.1:{other_port}/$1 redirect;
        }}
        location /flaky/ {{
            return 503;
        }}
        {extra}
        location / {{
            return 403;
        }}
    }}

    server {{
        listen 127.0.0.1:{other_port};
        root {channel};
        access_log {prefix}/other.log authlog;
    }}
}}
"""


class Nginx:
    """A running nginx; .url(path) and .other_url(path) build URLs."""

    def __init__(self, prefix, channel, extra_config=""):
        """extra_config: more locations for the main server; it is formatted
        with the names CONFIG uses ({other_port}, {channel}, ...)."""
        self.prefix = pathlib.Path(prefix)
        self.channel = pathlib.Path(channel)
        self.port = free_port()
        self.other_port = free_port()
        for d in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (self.prefix / d).mkdir(parents=True, exist_ok=True)
        htpasswd(self.prefix / "htpasswd", BASIC_USER, BASIC_PASSWORD)
        # As root, nginx would hand the workers to "nobody", who cannot read
        # a private temp folder: keep them as the current user.
        user = "user root;" if os.geteuid() == 0 else ""
        self.conf = self.prefix / "nginx.conf"
        names = dict(user=user, prefix=self.prefix, channel=self.channel, port=self.port,
                     other_port=self.other_port, bearer=BEARER, conda=CONDA)
        self.conf.write_text(CONFIG.format(extra=extra_config.format(**names), **names))
        self.proc = None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def other_url(self, path):
        return f"http://127.0.0.1:{self.other_port}/{path.lstrip('/')}"

    def start(self):
        self.proc = subprocess.Popen(
            [NGINX, "-c", str(self.conf), "-p", str(self.prefix), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + self.proc.stderr.read().decode())
            if all(self._listening(p) for p in (self.port, self.other_port)):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not start listening")

    @staticmethod
    def _listening(port):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self, name="access.log"):
        """Lines of a log; nginx writes them before the response ends."""
        p = self.prefix / name
        return p.read_text().splitlines() if p.exists() else []
