"""Header injection (issue 11 items 1 and 6) and secrets in parse errors
(issue 17 item 1), through the command line.

No credential field may hold a control character: `login` refuses one
(exit 2, naming the option, never echoing the value), and one found in a
store (credentials file, keyring item) makes the lookup fail naming the
key, so nothing is sent. Conda tokens go into the URL path and may hold no
'/', '?', '#', '%' or white space. The requests that do go out are read
raw from the socket by a small recording HTTP server on 127.0.0.1, so a
header line that pkgauth (or curl) would add is seen as such."""
import json
import socket
import subprocess
import threading

import pytest

from conftest import PKGAUTH
from test_keyring import keyring, need  # noqa: F401  (the fixture and its check)

INJECTED = "X-Injected"


class Recorder:
    """An HTTP/1.1 server that keeps the raw head of every request and
    answers 200 with a small body."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.heads = []
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                self.heads.append(data.decode("latin-1"))
                body = b"{}"
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                             % len(body) + body)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self._stop = True
        self.sock.close()


@pytest.fixture
def server():
    r = Recorder()
    yield r
    r.close()


def no_injection(server):
    for head in server.heads:
        names = [line.split(":", 1)[0] for line in head.split("\r\n")[1:]]
        assert INJECTED not in names, f"injected header sent: {head!r}"
        assert "/admin" not in head.split("\r\n")[0]


# ---- login ----------------------------------------------------------------

BAD_VALUES = [
    ("--token", "tokSECRET\r\nX-Injected: yes"),
    ("--token", "tokSECRET\nX-Injected: yes"),
    ("--token", "tokSECRET\x1b[2J"),
    ("--token", "tokSECRET\x7f"),
    ("--conda-token", "condaSECRET\tx"),
    ("--password", "pwSECRET\rX"),
    ("--username", "user\nX-Injected: yes"),
    ("--s3-secret-access-key", "s3SECRET\x01"),
]


@pytest.mark.parametrize("option,value", BAD_VALUES)
def test_login_refuses_control_characters(run, secrets, auth_file, option, value):
    if option != "--username":
        secrets.add(value.split("\r")[0].split("\n")[0].split("\x1b")[0])
    host = "127.0.0.1"
    extra = []
    if option == "--password":
        extra = ["--username", "u"]
    elif option == "--username":
        extra = ["--password", "p"]
    elif option.startswith("--s3"):
        host = "s3://bkt"
        extra = ["--s3-access-key-id", "AKID"]
    for how in ("argument", "stdin"):
        if how == "stdin" and (option == "--username" or "\n" in value or "\r" in value):
            continue  # the user name is never read from stdin; stdin gives one line
        if how == "argument":
            p = run("login", host, option, value, *extra, env={"RATTLER_AUTH_FILE": auth_file})
        else:
            p = run("login", host, option, "-", *extra, input=value + "\n",
                    env={"RATTLER_AUTH_FILE": auth_file})
        assert p.returncode == 2, p.stderr
        assert f"'{option}' contains a control character" in p.stderr
        assert INJECTED not in p.stderr and "\x1b" not in p.stderr
        assert not auth_file.exists()


@pytest.mark.parametrize("token", ["../../admin?x=", "a#frag", "a%41", "a b", "a/b", "a?x"])
def test_login_refuses_url_syntax_in_conda_tokens(run, auth_file, token):
    p = run("login", "conda.example.org", "--conda-token", token,
            env={"RATTLER_AUTH_FILE": auth_file})
    assert p.returncode == 2, p.stderr
    assert "'--conda-token' must not contain" in p.stderr
    assert token not in p.stderr
    assert not auth_file.exists()


def test_login_refuses_invalid_utf8_and_nul(run, base_env, auth_file):
    # Invalid UTF-8 used to be reported as "out of memory". (bytes: `run`
    # passes text, which cannot hold invalid UTF-8)
    p = subprocess.run([str(PKGAUTH), "login", "a.example.com", "--token", b"tok\xff\xfe"],
                       env=dict(base_env, RATTLER_AUTH_FILE=str(auth_file)),
                       capture_output=True, timeout=60)
    assert p.returncode == 2, p.stderr
    assert b"'--token' is not valid UTF-8" in p.stderr
    assert b"memory" not in p.stderr
    # A NUL in a secret read from stdin used to cut the secret silently.
    p = run("login", "a.example.com", "--token", "-", input="tokfirst\0toklast\n",
            env={"RATTLER_AUTH_FILE": auth_file})
    assert p.returncode == 2, p.stderr
    assert "NUL" in p.stderr and "tokfirst" not in p.stderr
    assert not auth_file.exists()


# ---- stored credentials -------------------------------------------------------

STORED = [
    {"127.0.0.1": {"BearerToken": "tokSECRET\r\nX-Injected: yes"}},
    {"127.0.0.1": {"BearerToken": "tokSECRET\nX-Injected: yes"}},
    {"127.0.0.1": {"BasicHTTP": {"username": "u\r\nX-Injected: yes", "password": "pwSECRET"}}},
    {"127.0.0.1": {"OAuth": {"access_token": "oaSECRET\nX-Injected: yes"}}},
    {"127.0.0.1": {"CondaToken": "../../admin?x="}},
    {"127.0.0.1": {"CondaToken": "a#frag"}},
]


@pytest.mark.parametrize("entry", STORED, ids=range(len(STORED)))
def test_stored_invalid_fields_are_never_sent(run, secrets, tmp_path, server, entry):
    secrets.update({"tokSECRET", "pwSECRET", "oaSECRET"})
    f = tmp_path / "hand.json"
    f.write_text(json.dumps(entry))
    for verbosity in ([], ["-vvv"]):
        p = run(*verbosity, "fetch", server.url("/chan/noarch/repodata.json"), "-o",
                tmp_path / "out", env={"RATTLER_AUTH_FILE": f})
        assert p.returncode == 1, p.stderr
        assert "127.0.0.1" in p.stderr
        assert "control character" in p.stderr or "conda token must not contain" in p.stderr
        assert INJECTED not in p.stderr and "admin" not in p.stderr
        for args in (["which", server.url("/x")], ["token", "127.0.0.1"]):
            p = run(*verbosity, *args, env={"RATTLER_AUTH_FILE": f})
            assert p.returncode == 1 and INJECTED not in p.stdout + p.stderr
    no_injection(server)
    assert server.heads == [], "nothing may be sent with an invalid stored credential"


def test_keyring_item_with_control_characters_is_never_sent(run, keyring, secrets, tmp_path,
                                                             server):
    secrets.add("krSECRET")
    keyring.secret_tool("store", "--label=hand made", "service", "rattler", "username",
                        "127.0.0.1", input='{"BearerToken":"krSECRET\\r\\nX-Injected: yes"}')
    for verbosity in ([], ["-vvv"]):
        p = run(*verbosity, "fetch", server.url("/x.json"), "-o", tmp_path / "out",
                env=keyring.env)
        assert p.returncode == 1, p.stderr
        assert "secret service" in p.stderr and "127.0.0.1" in p.stderr
        assert "control character" in p.stderr and INJECTED not in p.stderr
    assert server.heads == []


# ---- parse errors (issue 17 item 1) ---------------------------------------------

BROKEN = ['"JSONSTRINGSECRET"', '{"BearerToken":"UNTERMINATED_SECRET',
          '{"BearerToken":"QUOTEDSECRET" x}', '{"BearerToken":BARESECRET}',
          'JUSTASECRET', '{"BearerToken":"ESCAPESECRET\\q"}']


@pytest.mark.parametrize("text", BROKEN)
def test_keyring_parse_errors_never_quote_the_item(run, keyring, secrets, text):
    secrets.update({"JSONSTRINGSECRET", "UNTERMINATED_SECRET", "QUOTEDSECRET", "BARESECRET",
                    "JUSTASECRET", "ESCAPESECRET"})
    keyring.secret_tool("store", "--label=x", "service", "rattler", "username",
                        "a.example.com", input=text)
    for verbosity in ([], ["-vvv"]):
        for args in (["which", "https://a.example.com/"], ["token", "a.example.com"]):
            p = run(*verbosity, *args, env=keyring.env)
            assert p.returncode == 1, p.stderr
            # the store, the key, line and column; never the text
            assert "secret service" in p.stderr and "a.example.com" in p.stderr
            assert "line 1 column" in p.stderr and "near" not in p.stderr


def test_netrc_entry_with_control_characters_is_never_sent(run, secrets, home, tmp_path,
                                                           server):
    secrets.add("nrSECRET")
    netrc = home / ".netrc"
    netrc.write_bytes(b"machine 127.0.0.1 login u password nrSECRET\x1b[2J\x7fx\n")
    for verbosity in ([], ["-vvv"]):
        p = run(*verbosity, "fetch", server.url("/x.json"), "-o", tmp_path / "out")
        assert p.returncode == 1, p.stderr
        assert "netrc" in p.stderr and "127.0.0.1" in p.stderr
        assert "control character" in p.stderr and "\x1b" not in p.stderr
    assert server.heads == []
