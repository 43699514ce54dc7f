"""PyPI index authentication (compat.md "PyPI indexes", docs/pypi.md) end
to end: `pkgauth fetch` of a PEP 503 page and of the file it links to,
served by a real nginx with basic auth (pypi_index.py), with the password
from Debian's `keyring` command on a real backend (keyrings.alt's
PlaintextKeyring, configured through a keyringrc.cfg in the test's
XDG_CONFIG_HOME), from netrc, or from nowhere (401 and a hint). Fake
`keyring` scripts stand in where a misbehaving one is needed: one that
records its calls, one that never answers, none at all.

The index password is registered with `secrets`: it must never appear in
pkgauth's output, nor on the command line of the keyring child.
"""
import base64
import os
import pathlib
import re
import shutil
import subprocess
import time
import urllib.parse

import pytest

import nginx_server as ns
import pypi_index as pi
from conftest import PKGAUTH, SANITIZER_REPORTS

KEYRING = shutil.which("keyring")

pytestmark = pytest.mark.skipif(not shutil.which(ns.NGINX) and not os.path.exists(ns.NGINX),
                                reason="nginx is not installed (package nginx-light)")

PAGE = f"simple/{pi.PROJECT}/"
HINT_DISABLED = (f"(the index URL names user {pi.USER} but no password was found: set "
                 "keyring-provider = subprocess or add a netrc entry)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("pypi")
    data = pi.make_index(root / "index")
    srv = pi.PypiIndex(root / "prefix", root / "index").start()
    srv.file_data = data
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def register_secrets(secrets):
    basic = base64.b64encode(f"{pi.USER}:{pi.PASSWORD}".encode()).decode()
    secrets.update({pi.PASSWORD, basic})


@pytest.fixture
def real_keyring(home):
    """Debian's keyring with the plaintext file backend of keyrings.alt,
    all under the test's HOME. keyring 23 reads its configuration from
    $XDG_CONFIG_HOME/python_keyring/keyringrc.cfg and keeps the file
    backend's data in $XDG_DATA_HOME/python_keyring/."""
    if not KEYRING:
        pytest.skip("the keyring command is not installed (package python3-keyring)")
    cfg = home / ".config" / "python_keyring"
    cfg.mkdir(parents=True)
    (cfg / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring=keyrings.alt.file.PlaintextKeyring\n")
    env = {"XDG_DATA_HOME": str(home / ".local" / "share")}
    probe = subprocess.run([KEYRING, "--list-backends"], env={**os.environ, **env,
                           "XDG_CONFIG_HOME": str(home / ".config")},
                           capture_output=True, text=True)
    if "PlaintextKeyring" not in probe.stdout:
        pytest.skip("keyrings.alt is not installed (package python3-keyrings.alt)")
    return env


def keyring_set(base_env, kenv, service, user, password):
    """`keyring set SERVICE USER` as the seed tells users, the password on
    stdin. A new session has no terminal, so getpass reads stdin."""
    subprocess.run([KEYRING, "set", service, user], input=password + "\n", text=True,
                   env={**base_env, **kenv}, capture_output=True, check=True, timeout=60,
                   start_new_session=True)


def keyring_get(base_env, kenv, service, user):
    p = subprocess.run([KEYRING, "get", service, user], env={**base_env, **kenv},
                       capture_output=True, text=True, timeout=60, start_new_session=True)
    return p.stdout.rstrip("\n") if p.returncode == 0 else None


@pytest.fixture
def recorder(tmp_path):
    """A `keyring` on PATH that only records that it ran."""
    bindir = tmp_path / "fakebin"
    bindir.mkdir()
    calls = tmp_path / "keyring-calls"
    script = bindir / "keyring"
    script.write_text(f"#!/bin/sh\necho \"$*\" >> '{calls}'\nexit 1\n")
    script.chmod(0o755)
    return {"PATH": f"{bindir}:{os.environ['PATH']}", "calls": calls}


def only_error_line(stderr):
    lines = [l for l in stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1, stderr
    return lines[0]


def href_of(page_html):
    return re.search(r'href="([^"#]+)', page_html).group(1)


# ---- keyring (subprocess provider) -----------------------------------------

def test_subprocess_provider_uses_keyring(server, run, real_keyring, base_env, tmp_path):
    keyring_set(base_env, real_keyring, server.url(PAGE), pi.USER, pi.PASSWORD)
    assert keyring_get(base_env, real_keyring, server.url(PAGE), pi.USER) == pi.PASSWORD
    out = tmp_path / "page.html"
    p = run("fetch", "--pypi-keyring-provider", "subprocess", "-o", out,
            server.user_url(PAGE), env=real_keyring, check=0)
    assert p.stderr == ""
    assert href_of(out.read_text()).endswith(pi.FILE)
    assert f"{pi.USER}|/{PAGE}|200" in server.log()


def test_provider_from_pixi_config(server, run, real_keyring, base_env, home):
    keyring_set(base_env, real_keyring, server.url(PAGE), pi.USER, pi.PASSWORD)
    cfg = home / ".config" / "pixi"
    cfg.mkdir(parents=True)
    (cfg / "config.toml").write_text('[pypi-config]\nkeyring-provider = "subprocess"\n')
    p = run("-v", "fetch", server.user_url(PAGE), env=real_keyring, check=0)
    assert "keyring provider: subprocess" in p.stderr
    assert pi.FILE in p.stdout
    # The flag wins over the configuration.
    p = run("fetch", "--pypi-keyring-provider", "disabled", server.user_url(PAGE),
            env=real_keyring, check=1)
    assert HINT_DISABLED in only_error_line(p.stderr)


def test_linked_file_with_the_same_credentials(server, run, real_keyring, base_env, tmp_path):
    """The password is stored for the page URL only; in the same run the
    file the page links to (relative href) reuses it, as uv does. The page
    is asked for as .../index.html so that --output-dir can name it."""
    page = server.user_url(PAGE + "index.html")
    keyring_set(base_env, real_keyring, server.url(PAGE + "index.html"), pi.USER, pi.PASSWORD)
    p = run("fetch", "--pypi-keyring-provider", "subprocess", page, env=real_keyring, check=0)
    file_url = urllib.parse.urljoin(page, href_of(p.stdout))
    assert file_url == server.user_url(f"files/{pi.FILE}")
    out = tmp_path / "dl"
    run("fetch", "--pypi-keyring-provider", "subprocess", "--output-dir", out, page, file_url,
        env=real_keyring, check=0)
    assert (out / pi.FILE).read_bytes() == server.file_data
    assert href_of((out / "index.html").read_text()) == href_of(p.stdout)
    assert f"{pi.USER}|/files/{pi.FILE}|200" in server.log()


def test_host_entry_serves_page_and_file(server, run, real_keyring, base_env, tmp_path):
    """`keyring set host:port user`: the second lookup finds it for any
    URL of the index, so the file works in a run of its own too."""
    keyring_set(base_env, real_keyring, f"127.0.0.1:{server.port}", pi.USER, pi.PASSWORD)
    page = server.user_url(PAGE)
    p = run("fetch", "--pypi-keyring-provider", "subprocess", page, env=real_keyring, check=0)
    out = tmp_path / pi.FILE
    run("fetch", "--pypi-keyring-provider", "subprocess", "-o", out,
        urllib.parse.urljoin(page, href_of(p.stdout)), env=real_keyring, check=0)
    assert out.read_bytes() == server.file_data


def test_file_alone_without_host_entry_is_refused_with_hint(server, run, real_keyring,
                                                            base_env):
    keyring_set(base_env, real_keyring, server.url(PAGE), pi.USER, pi.PASSWORD)
    url = server.user_url(f"files/{pi.FILE}")
    p = run("fetch", "--pypi-keyring-provider", "subprocess", url, env=real_keyring, check=1)
    line = only_error_line(p.stderr)
    assert line.startswith(f"error: HTTP 401 Unauthorized: {url}")
    assert "no password was found in keyring, netrc" in line


# ---- disabled, netrc --------------------------------------------------------

@pytest.mark.parametrize("flag", [["--pypi-keyring-provider", "disabled"], []])
def test_disabled_gets_401_and_says_why(flag, server, run, recorder):
    url = server.user_url(PAGE)
    p = run("fetch", *flag, url, env={"PATH": recorder["PATH"]}, check=1)
    assert only_error_line(p.stderr) == f"error: HTTP 401 Unauthorized: {url} {HINT_DISABLED}"
    assert not recorder["calls"].exists(), "keyring ran with provider disabled"


@pytest.mark.parametrize("where", ["home", "NETRC"])
def test_netrc_entry_without_keyring(where, server, run, recorder, home, tmp_path):
    text = (f"machine 127.0.0.1 login someone-else password wrong-pw-77\n"
            f"machine 127.0.0.1 login {pi.USER} password {pi.PASSWORD}\n")
    env = {"PATH": recorder["PATH"]}
    if where == "home":
        (home / ".netrc").write_text(text)
    else:
        (tmp_path / "my-netrc").write_text(text)
        env["NETRC"] = tmp_path / "my-netrc"
    page = server.user_url(PAGE)
    p = run("fetch", page, env=env, check=0)
    assert href_of(p.stdout).endswith(pi.FILE)
    out = tmp_path / pi.FILE
    run("fetch", "-o", out, urllib.parse.urljoin(page, href_of(p.stdout)), env=env, check=0)
    assert out.read_bytes() == server.file_data
    assert not recorder["calls"].exists(), "keyring ran"


def test_password_in_url_is_used_and_never_printed(server, run):
    url = f"http://{pi.USER}:{pi.PASSWORD}@127.0.0.1:{server.port}/{PAGE}"
    p = run("-vvv", "fetch", url, check=0)
    assert pi.FILE in p.stdout
    assert f"http://{pi.USER}:********@127.0.0.1" in p.stderr
    assert "Authorization: ********" in p.stderr


def test_verbose_output_has_no_password(server, run, real_keyring, base_env):
    keyring_set(base_env, real_keyring, server.url(PAGE), pi.USER, pi.PASSWORD)
    p = run("-vvv", "fetch", "--pypi-keyring-provider", "subprocess", server.user_url(PAGE),
            env=real_keyring, check=0)
    assert "Authorization: ********" in p.stderr
    # The user name stays off the wire URL: it goes in the header only.
    assert f"GET /{PAGE} HTTP" in p.stderr


def test_bad_provider_is_a_usage_error(run):
    p = run("fetch", "--pypi-keyring-provider", "sometimes", "http://u@127.0.0.1:1/", check=2)
    assert "expected subprocess or disabled" in p.stderr


# ---- a keyring that misbehaves ---------------------------------------------

def slow_keyring(tmp_path):
    """A keyring that records its pid and command line, then never answers."""
    bindir = tmp_path / "slowbin"
    bindir.mkdir()
    script = bindir / "keyring"
    script.write_text("#!/bin/sh\n"
                      f"tr '\\0' ' ' < /proc/$$/cmdline > '{tmp_path}/argv'\n"
                      f"echo $$ > '{tmp_path}/pid'\n"
                      "while :; do sleep 1; done\n")
    script.chmod(0o755)
    return bindir


def test_stalled_keyring_is_killed_and_netrc_used(server, base_env, secrets, home, tmp_path):
    (home / ".netrc").write_text(f"machine 127.0.0.1 login {pi.USER} password {pi.PASSWORD}\n")
    env = {**base_env, "PATH": f"{slow_keyring(tmp_path)}:{os.environ['PATH']}",
           "PKGAUTH_KEYRING_TIMEOUT": "2"}
    url = server.user_url(PAGE)
    start = time.monotonic()
    proc = subprocess.Popen([str(PKGAUTH), "fetch", "--pypi-keyring-provider", "subprocess", url],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # While it runs: the child's command line as the system shows it.
    pidfile = tmp_path / "pid"
    while not pidfile.exists() or not pidfile.read_text().strip():
        assert time.monotonic() - start < 10 and proc.poll() is None
        time.sleep(0.02)
    pid = int(pidfile.read_text())
    live = (pathlib_proc(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    out, err = proc.communicate(timeout=30)
    elapsed = time.monotonic() - start
    for report in SANITIZER_REPORTS:
        assert report not in err, err[-2000:]
    assert proc.returncode == 0, err
    assert pi.FILE in out
    for cmdline in (live, (tmp_path / "argv").read_text()):
        secrets.check(cmdline, "the keyring child's command line")
        assert f"get {server.url(PAGE)} {pi.USER}" in cmdline
    secrets.check(out + err, "fetch output")
    warnings = [l for l in err.splitlines() if l.startswith("warning:")]
    assert len(warnings) == 1, err
    assert f"index {url}" in warnings[0] and "no answer within 2.0 s" in warnings[0]
    assert 1.5 < elapsed < 8, elapsed
    assert not (pathlib_proc(pid)).exists(), "the stalled keyring is still running"


def pathlib_proc(pid):
    return pathlib.Path(f"/proc/{pid}")


def test_missing_keyring_is_reported(server, run, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    url = server.user_url(PAGE)
    p = run("fetch", "--pypi-keyring-provider", "subprocess", url, env={"PATH": empty},
            check=1)
    warnings = [l for l in p.stderr.splitlines() if l.startswith("warning:")]
    assert len(warnings) == 1, p.stderr
    assert f"cannot run 'keyring' for index {url}" in warnings[0]
    assert "install keyring" in warnings[0]
    assert only_error_line(p.stderr).startswith(f"error: HTTP 401 Unauthorized: {url}")


# ---- redirects (the conda channel server of nginx_server.py) ----------------

@pytest.fixture(scope="module")
def channel_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx-channel")
    ns.make_channel(root / "channel")
    srv = ns.Nginx(root / "prefix", root / "channel").start()
    yield srv
    srv.stop()


def test_same_origin_redirect_keeps_the_user(channel_server, run, home, secrets, tmp_path):
    """/basic-same/ checks basic auth, then redirects to /basic/, which
    checks it again: the second hop is authenticated as the same user."""
    secrets.add(ns.BASIC_PASSWORD)
    (home / ".netrc").write_text(
        f"machine 127.0.0.1 login {ns.BASIC_USER} password {ns.BASIC_PASSWORD}\n")
    url = f"http://{ns.BASIC_USER}@127.0.0.1:{channel_server.port}/basic-same/noarch/repodata.json"
    out = tmp_path / "repodata.json"
    run("fetch", "-o", out, url, check=0)
    assert out.read_bytes() == (channel_server.channel / "noarch/repodata.json").read_bytes()


def test_cross_origin_redirect_sends_nothing(channel_server, run, home, secrets, tmp_path):
    secrets.add(ns.BASIC_PASSWORD)
    (home / ".netrc").write_text(
        f"machine 127.0.0.1 login {ns.BASIC_USER} password {ns.BASIC_PASSWORD}\n")
    before = len(channel_server.log("other.log"))
    url = (f"http://{ns.BASIC_USER}@127.0.0.1:{channel_server.port}"
           "/basic-cross/noarch/repodata.json")
    run("fetch", "-o", tmp_path / "r.json", url, check=0)
    new = channel_server.log("other.log")[before:]
    assert new == ["-|/noarch/repodata.json"], new
