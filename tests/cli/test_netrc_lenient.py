"""A netrc that cannot be used never breaks the other stores (issue 11
item 4): /dev/null is an empty netrc (as curl reads it), a netrc with a
syntax error is one warning naming file:line and the chain goes on without
it. And netrc's `default` entry (issue 11 item 11): never sent for conda
channels or S3 (rattler), used for a PyPI index URL that names a user (uv:
the host's machine entry, else `default`); `status` lists it, marked
unused."""
import http.server
import json
import os
import shutil
import threading

import pytest

import nginx_server as ns
import pypi_index as pi

BROKEN = ('machine ok.example.com login u password s3cretBrokenPw\n'
          'machine x.example.com login "never closed\n')


@pytest.fixture(scope="module")
def public():
    """A plain HTTP server on 127.0.0.1 that serves one public file."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"public-body\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/public.txt"
    srv.shutdown()


@pytest.fixture
def broken(tmp_path, secrets):
    secrets.add("s3cretBrokenPw")
    p = tmp_path / "bad-netrc"
    p.write_text(BROKEN)
    return p


def write_creds(home, data):
    f = home / ".rattler" / "credentials.json"
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text(json.dumps(data))
    return f


# ---- /dev/null ---------------------------------------------------------------

def test_dev_null_is_an_empty_netrc(run, public, home):
    p = run("status", env={"NETRC": "/dev/null"}, check=0)
    assert p.stdout == "No credentials stored.\n" and p.stderr == ""
    p = run("fetch", public, env={"NETRC": "/dev/null"}, check=0)
    assert p.stdout == "public-body\n" and p.stderr == ""
    write_creds(home, {"a.example.com": {"BearerToken": "tok3nA"}})
    p = run("which", "https://b.example.com/", env={"NETRC": "/dev/null"}, check=1)
    assert p.stderr == "error: no credentials for https://b.example.com/\n"


# ---- a netrc that cannot be parsed --------------------------------------------

def test_broken_netrc_warns_once_and_status_goes_on(run, broken, home):
    f = write_creds(home, {"a.example.com": {"BearerToken": "tok3nA"}})
    p = run("status", env={"NETRC": broken}, check=0)
    assert p.stderr == f"warning: {broken}:2: unterminated quoted string; netrc not used\n"
    assert p.stdout == f"a.example.com\n  method: BearerToken\n  store:  file ({f})\n"


def test_broken_netrc_which_misses_with_one_warning(run, broken):
    p = run("which", "https://x.example.com/", env={"NETRC": broken}, check=1)
    assert p.stderr == (f"warning: {broken}:2: unterminated quoted string; netrc not used\n"
                        "error: no credentials for https://x.example.com/\n")


def test_broken_netrc_public_fetch_works(run, broken, public):
    p = run("fetch", public, env={"NETRC": broken}, check=0)
    assert p.stdout == "public-body\n"
    assert p.stderr == f"warning: {broken}:2: unterminated quoted string; netrc not used\n"


def test_broken_netrc_pypi_fetch_warns_once(run, broken, public):
    """A user@ URL reads netrc through the PyPI lookup and the store chain:
    still one warning."""
    url = public.replace("http://", "http://someone@")
    p = run("fetch", url, env={"NETRC": broken}, check=0)
    assert p.stdout == "public-body\n"
    assert p.stderr == f"warning: {broken}:2: unterminated quoted string; netrc not used\n"


# ---- default ---------------------------------------------------------------------

DEFAULT_NETRC = "default login anyone password s3cretDefaultPw\n"


@pytest.fixture
def default_netrc(tmp_path, secrets):
    secrets.add("s3cretDefaultPw")
    p = tmp_path / "default-netrc"
    p.write_text(DEFAULT_NETRC)
    return p


@pytest.mark.parametrize("url", ["https://anything.org/x", "https://conda.example.com/t/",
                                 "s3://bucket/key"])
def test_default_is_never_used_for_channels(run, default_netrc, url):
    p = run("which", url, env={"NETRC": default_netrc}, check=1)
    assert p.stderr == f"error: no credentials for {url}\n"


def test_default_listed_as_unused(run, default_netrc):
    p = run("status", env={"NETRC": default_netrc}, check=0)
    assert p.stdout == (f"default\n  method: BasicHTTP\n  store:  netrc ({default_netrc}) "
                        "(unused for conda channels and S3)\n"
                        "  username: anyone\n")


needs_nginx = pytest.mark.skipif(not shutil.which(ns.NGINX) and not os.path.exists(ns.NGINX),
                                 reason="nginx is not installed (package nginx-light)")


@pytest.fixture(scope="module")
def channel(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    ns.make_channel(root / "channel")
    srv = ns.Nginx(root / "prefix", root / "channel").start()
    yield srv
    srv.stop()


@needs_nginx
def test_default_not_sent_to_a_channel(run, channel, tmp_path, secrets):
    """The channel takes exactly the default's user and password, and still
    gets no Authorization header from it."""
    secrets.add(ns.BASIC_PASSWORD)
    n = tmp_path / "n"
    n.write_text(f"default login {ns.BASIC_USER} password {ns.BASIC_PASSWORD}\n")
    p = run("fetch", channel.url("basic/noarch/repodata.json"), env={"NETRC": n}, check=1)
    assert "HTTP 401" in p.stderr and "no stored credential matches" in p.stderr


@pytest.fixture(scope="module")
def pypi(tmp_path_factory):
    root = tmp_path_factory.mktemp("pypi")
    data = pi.make_index(root / "index")
    srv = pi.PypiIndex(root / "prefix", root / "index").start()
    srv.file_data = data
    yield srv
    srv.stop()


@needs_nginx
def test_default_used_for_pypi_user_url_like_uv(run, pypi, tmp_path, secrets):
    """uv (crates/uv-auth credentials.rs, from_netrc): the host's entry,
    else `default`, when its login is the URL's user."""
    secrets.add(pi.PASSWORD)
    n = tmp_path / "n"
    n.write_text(f"default login {pi.USER} password {pi.PASSWORD}\n")
    p = run("fetch", "--pypi-keyring-provider", "disabled", pypi.user_url(f"simple/{pi.PROJECT}/"),
            env={"NETRC": n}, check=0)
    assert pi.FILE in p.stdout


@needs_nginx
def test_pypi_machine_entry_beats_default_written_first(run, pypi, tmp_path, secrets):
    """uv looks the host's machine entry up first and `default` only when
    there is none, wherever `default` is written (curl would take the
    first match in file order)."""
    secrets.update({pi.PASSWORD, "wrong-default-pw-4"})
    n = tmp_path / "n"
    n.write_text(f"default login {pi.USER} password wrong-default-pw-4\n"
                 f"machine 127.0.0.1 login {pi.USER} password {pi.PASSWORD}\n")
    p = run("fetch", "--pypi-keyring-provider", "disabled", pypi.user_url(f"simple/{pi.PROJECT}/"),
            env={"NETRC": n}, check=0)
    assert pi.FILE in p.stdout
