"""pkgauth fetch against a real nginx (tests/cli/nginx_server.py): each
credential kind accepted when stored and refused without it or with a wrong
one, redirects (credentials stay within their origin), retries, partial
files, redaction at every verbosity, the progress line.

Every secret is registered with `secrets`, so any leak in pkgauth's output
fails the test that caused it.
"""
import base64
import json
import os
import pty
import shutil
import subprocess

import pytest

import nginx_server as ns
from conftest import BIN_DIR, PKGAUTH
from stub_server import StubServer

pytestmark = pytest.mark.skipif(not shutil.which(ns.NGINX) and not os.path.exists(ns.NGINX),
                                reason="nginx is not installed (package nginx-light)")

REPODATA = "noarch/repodata.json"
PACKAGE = "noarch/pkg0-1.0-0.tar.bz2"

# Per kind: the stored credential, a wrong one, and the channel's base path.
KINDS = {
    "bearer": ({"BearerToken": ns.BEARER}, {"BearerToken": "wrong-bearer-tok"}, "bearer"),
    "basic": ({"BasicHTTP": {"username": ns.BASIC_USER, "password": ns.BASIC_PASSWORD}},
              {"BasicHTTP": {"username": ns.BASIC_USER, "password": "wrong-pw-9f"}}, "basic"),
    "conda": ({"CondaToken": ns.CONDA}, {"CondaToken": "wrong-conda-tok"}, "conda"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    ns.make_channel(root / "channel")
    srv = ns.Nginx(root / "prefix", root / "channel").start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def register_secrets(secrets):
    basic = base64.b64encode(f"{ns.BASIC_USER}:{ns.BASIC_PASSWORD}".encode()).decode()
    secrets.update({ns.BEARER, ns.CONDA, ns.BASIC_PASSWORD, basic, "wrong-bearer-tok",
                    "wrong-conda-tok", "wrong-pw-9f"})


def store(auth_file, credential):
    auth_file.write_text(json.dumps({"127.0.0.1": credential} if credential else {}))
    return auth_file


def expected(server, rel):
    return (server.channel / rel).read_bytes()


def leftovers(d):
    return [p.name for p in d.iterdir() if ".part" in p.name]


# ---- each kind: accepted with the stored credential, refused otherwise ----

@pytest.mark.parametrize("kind", KINDS)
def test_fetch_with_stored_credential(kind, server, run, auth_file, tmp_path):
    good, _, base = KINDS[kind]
    store(auth_file, good)
    out = tmp_path / "repodata.json"
    p = run("--auth-file", auth_file, "fetch", "-o", out, server.url(f"{base}/{REPODATA}"),
            check=0)
    assert out.read_bytes() == expected(server, REPODATA)
    assert p.stdout == "" and p.stderr == ""  # not a terminal: no progress line
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", ["none", "wrong"])
def test_fetch_refused(kind, which, server, run, auth_file, tmp_path):
    good, wrong, base = KINDS[kind]
    store(auth_file, wrong if which == "wrong" else None)
    out = tmp_path / "repodata.json"
    url = server.url(f"{base}/{REPODATA}")
    p = run("--auth-file", auth_file, "fetch", "-o", out, url, check=1)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    status = "403 Forbidden" if kind == "conda" else "401 Unauthorized"
    assert lines[0].startswith(f"error: HTTP {status}: {url}")
    hint = "was refused" if which == "wrong" else "no stored credential"
    assert hint in lines[0]
    assert not out.exists() and leftovers(tmp_path) == []


def test_login_then_fetch_to_stdout(server, run, auth_file):
    """The main job: log in (token from stdin), then fetch."""
    run("--auth-file", auth_file, "login", "127.0.0.1", "--token", "-",
        input=ns.BEARER + "\n", check=0)
    p = subprocess.run([str(PKGAUTH), "--auth-file", str(auth_file), "fetch",
                        server.url(f"bearer/{REPODATA}")], capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout == expected(server, REPODATA)


# ---- redirects ----

@pytest.mark.parametrize("kind", KINDS)
def test_cross_origin_redirect_drops_credentials(kind, server, run, auth_file, tmp_path):
    """The other server is 127.0.0.1 too, on another port: the stored
    credential matches its host (ports are not part of keys), yet nothing
    may be sent there."""
    good, _, base = KINDS[kind]
    store(auth_file, good)
    before = len(server.log("other.log"))
    out = tmp_path / "pkg"
    run("--auth-file", auth_file, "fetch", "-o", out, server.url(f"{base}-cross/{PACKAGE}"),
        check=0)
    assert out.read_bytes() == expected(server, PACKAGE)
    received = server.log("other.log")[before:]
    assert received == [f"-|/{PACKAGE}"]  # no Authorization, no /t/<token>/


@pytest.mark.parametrize("kind", KINDS)
def test_same_origin_redirect_keeps_credentials(kind, server, run, auth_file, tmp_path):
    good, _, base = KINDS[kind]
    store(auth_file, good)
    before = len(server.log())
    out = tmp_path / "repodata.json"
    run("--auth-file", auth_file, "fetch", "-o", out, server.url(f"{base}-same/{REPODATA}"),
        check=0)
    assert out.read_bytes() == expected(server, REPODATA)
    statuses = [line.rsplit(" ", 1)[1] for line in server.log()[before:]]
    assert statuses == ["302", "200"]


def test_redirect_from_unauthenticated_origin_sends_nothing(server, run, auth_file, tmp_path):
    """The stored credential is for another host: none goes anywhere."""
    auth_file.write_text(json.dumps({"example.org": {"BearerToken": ns.BEARER}}))
    before = len(server.log("other.log"))
    run("--auth-file", auth_file, "fetch", "-o", tmp_path / "f",
        server.other_url(PACKAGE), check=0)
    assert server.log("other.log")[before:] == [f"-|/{PACKAGE}"]


# ---- secrets in output ----

@pytest.mark.parametrize("verbosity", [[], ["-v"], ["-vv"], ["-vvv"]])
def test_conda_token_never_printed(verbosity, server, run, auth_file, tmp_path):
    store(auth_file, KINDS["conda"][0])
    ok = run("--auth-file", auth_file, *verbosity, "fetch", "--output-dir", tmp_path / "o",
             server.url(f"conda-same/{REPODATA}"), server.url(f"conda-cross/{PACKAGE}"),
             check=0)
    bad = run("--auth-file", auth_file, *verbosity, "fetch", "-o", tmp_path / "x",
              server.url("conda/noarch/missing.json"), check=1)
    # the run fixture already failed the test on any leak; check it saw output
    assert "404 Not Found" in bad.stderr
    if "-vvv" in verbosity:
        assert "/t/********/conda-same/" in ok.stderr  # the request line, masked
        assert "Location: /t/********/conda/" in ok.stderr


def test_vvv_masks_authorization(server, run, auth_file, tmp_path):
    store(auth_file, KINDS["basic"][0])
    p = run("--auth-file", auth_file, "-vvv", "fetch", "-o", tmp_path / "f",
            server.url(f"basic/{REPODATA}"), check=0)
    assert "> Authorization: ********" in p.stderr
    assert f"GET {server.url('basic/' + REPODATA)}" in p.stderr  # -v: the request
    assert "Basic" not in p.stderr.replace('realm="pkgauth test"', "")


def test_url_password_is_redacted(server, run, auth_file, tmp_path):
    store(auth_file, None)
    url = server.url(f"basic/{REPODATA}").replace("//", f"//{ns.BASIC_USER}:wrong-pw-9f@", 1)
    p = run("--auth-file", auth_file, "-vvv", "fetch", "-o", tmp_path / "f", url, check=1)
    assert f"{ns.BASIC_USER}:********@" in p.stderr


# ---- failures: retries, partial files ----

def test_retries_5xx_three_times(server, run, auth_file, tmp_path):
    store(auth_file, None)
    path = f"flaky/{tmp_path.name}.json"
    out = tmp_path / "f.json"
    p = run("--auth-file", auth_file, "fetch", "-o", out, server.url(path), check=1)
    assert f"error: HTTP 503 Service Unavailable: {server.url(path)} (after 3 tries)" \
        in p.stderr
    tries = [line for line in server.log() if line == f"GET /{path} 503"]
    assert len(tries) == 3
    assert not out.exists() and leftovers(tmp_path) == []


class TruncatingServer(StubServer):
    """Answers every request with a Content-Length it does not honour, then
    hangs up: the client gets a partial body."""

    def answer(self, conn):
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)


def test_partial_file_not_left(run, auth_file, tmp_path):
    store(auth_file, None)
    stub = TruncatingServer()
    try:
        out = tmp_path / "big.tar.bz2"
        p = run("--auth-file", auth_file, "fetch", "-o", out,
                f"http://127.0.0.1:{stub.port}/big.tar.bz2", check=1)
    finally:
        stub.close()
    assert p.stderr.startswith("error: ") and "(after 3 tries)" in p.stderr
    assert stub.connections == 3
    assert not out.exists() and leftovers(tmp_path) == []


def test_one_failure_among_many(server, run, auth_file, tmp_path):
    store(auth_file, KINDS["bearer"][0])
    d = tmp_path / "o"
    p = run("--auth-file", auth_file, "fetch", "-j", "2", "--output-dir", d,
            server.url(f"bearer/{PACKAGE}"), server.url("bearer/noarch/missing.tar.bz2"),
            server.url(f"bearer/{REPODATA}"), check=1)
    assert p.stderr.count("error:") == 1 and "404 Not Found" in p.stderr
    assert sorted(x.name for x in d.iterdir()) == ["pkg0-1.0-0.tar.bz2", "repodata.json"]


# ---- many files, list input ----

def test_list_file_parallel(server, run, auth_file, tmp_path):
    store(auth_file, KINDS["conda"][0])
    names = sorted(p.name for p in (server.channel / "noarch").iterdir())
    listing = tmp_path / "list.txt"
    listing.write_text("# channel\n\n" + "".join(
        server.url(f"conda/noarch/{n}") + "\n" for n in names))
    d = tmp_path / "out"
    run("--auth-file", auth_file, "fetch", "-j", "3", "-i", listing, "--output-dir", d, check=0)
    assert sorted(x.name for x in d.iterdir()) == names
    for n in names:
        assert (d / n).read_bytes() == (server.channel / "noarch" / n).read_bytes()


def test_output_to_device(server, run, auth_file):
    """-o /dev/null is written in place, not replaced by a renamed file."""
    store(auth_file, KINDS["bearer"][0])
    run("--auth-file", auth_file, "fetch", "-o", "/dev/null", server.url(f"bearer/{REPODATA}"),
        check=0)
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")
    assert not [p for p in os.listdir("/dev") if ".pkgauth-" in p]


def test_remote_name_in_cwd(server, run, auth_file, tmp_path, monkeypatch):
    store(auth_file, KINDS["bearer"][0])
    monkeypatch.chdir(tmp_path)
    run("--auth-file", auth_file, "fetch", "-O", server.url(f"bearer/{PACKAGE}"), check=0)
    assert (tmp_path / "pkg0-1.0-0.tar.bz2").read_bytes() == expected(server, PACKAGE)


# ---- usage ----

@pytest.mark.parametrize("args", [
    [],
    ["-o", "x", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"],
    ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"],
    ["-j", "0", "http://127.0.0.1:1/a"],
    ["--output-dir", "d", "http://127.0.0.1:1/a/x", "http://127.0.0.1:1/b/x"],
    ["--bogus", "http://127.0.0.1:1/a"],
])
def test_usage_errors(args, run, auth_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = run("--auth-file", auth_file, "fetch", *args, check=2)
    assert p.stderr.startswith("error: ")


def test_s3_without_credentials(run, auth_file):
    """s3:// URLs are presigned (s3.c and its tests); with none, one line."""
    store(auth_file, None)
    p = run("--auth-file", auth_file, "fetch", "-o", "/dev/null", "s3://bucket/x", check=1)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "s3://bucket/x" in lines[0]


def test_connection_refused_is_one_line(run, auth_file):
    store(auth_file, None)
    port = ns.free_port()  # nothing listens there
    p = run("--auth-file", auth_file, "fetch", "-o", "/dev/null",
            f"http://127.0.0.1:{port}/t/{ns.CONDA}/x", check=1)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "(after 3 tries)" in lines[0]
    assert f"/t/********/x" in lines[0]


# ---- progress line ----

def run_on_tty(args, env_extra=None):
    """Runs pkgauth with stderr on a pseudo-terminal; returns what it drew."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "PIXI_NO_PROGRESS"}
    env.update(env_extra or {})
    p = subprocess.Popen([str(PKGAUTH), *map(str, args)], stdout=subprocess.DEVNULL,
                         stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=60)
    os.close(master)
    return p.returncode, b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("quiet", [None, "--no-progress", "-q", "PIXI_NO_PROGRESS"])
def test_progress_only_on_terminal(quiet, server, auth_file, tmp_path, secrets):
    store(auth_file, KINDS["bearer"][0])
    args = ["--auth-file", auth_file, "fetch", "--output-dir", tmp_path / "o",
            server.url(f"bearer/{PACKAGE}"), server.url(f"bearer/{REPODATA}")]
    env = {}
    if quiet == "PIXI_NO_PROGRESS":
        env["PIXI_NO_PROGRESS"] = "1"
    elif quiet:
        args.insert(0, quiet)
    rc, drawn = run_on_tty(args, env)
    secrets.check(drawn, "the terminal")
    assert rc == 0
    if quiet:
        assert drawn == ""
    else:
        assert "/2]" in drawn and "/s" in drawn


# ---- the C example, against the same server ----

def test_example_program(server, auth_file, tmp_path, secrets):
    example = BIN_DIR / "example_fetch"
    if not example.exists():
        pytest.skip("examples not built")
    store(auth_file, KINDS["bearer"][0])
    env = dict(os.environ, RATTLER_AUTH_FILE=str(auth_file))
    before = len(server.log("other.log"))
    for path in (f"bearer/{REPODATA}", f"bearer-same/{REPODATA}", f"bearer-cross/{REPODATA}"):
        p = subprocess.run([str(example), server.url(path)], env=env, capture_output=True,
                           timeout=60)
        secrets.check(p.stderr.decode(), "example stderr")
        assert p.returncode == 0, p.stderr
        assert p.stdout == expected(server, REPODATA)
    assert server.log("other.log")[before:] == [f"-|/{REPODATA}"]
