"""Secret audit: a fixed set of distinctive secrets goes through every
command, at every verbosity, on good paths and error paths; everything
pkgauth prints (stdout and stderr) is captured and must contain none of the
secrets, nor their base64 forms. Files holding secrets must be 0600 in a
0700 folder, and a world-readable credentials file gets a warning."""
import base64
import json
import stat

import pytest

import nginx_server as ns
from s3_server import BUCKET, EXTRA_KEY, EXTRA_SECRET, S3Server
from test_keyring import keyring, need  # noqa: F401  (the keyring fixture)

S3_SESSION = "AUDITs3session5Kq"
OAUTH = "AUDIToauthaccess6Wz"
NETRC_PW = "AUDITnetrcpass8Yv"
STDIN_PW = "AUDITstdinpass9Tr"
SECRETS = [ns.BEARER, ns.CONDA, ns.BASIC_PASSWORD, EXTRA_SECRET, S3_SESSION, OAUTH,
           NETRC_PW, STDIN_PW]
VERBOSITY = [[], ["-q"], ["-v"], ["-vv"], ["-vvv"]]


def forms(secret):
    """The secret and the encodings a careless program might print."""
    out = {secret, base64.b64encode(secret.encode()).decode()}
    for user in (ns.BASIC_USER, "u", "audit"):
        out.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return out


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    ns.make_channel(root / "channel")
    srv = ns.Nginx(root / "prefix", root / "channel").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("s3rver") / "data").start()
    yield server
    server.stop()


@pytest.fixture
def audit(run, secrets, home, tmp_path):
    """Every secret form is registered, so the `run` fixture fails on any
    leak; the netrc and an OAuth entry hold secrets from the start."""
    for s in SECRETS:
        secrets.update(forms(s))
    (home / ".netrc").write_text(f"machine netrc.example.com login audit password {NETRC_PW}\n")
    auth = tmp_path / "audit.json"
    auth.write_text(json.dumps({"oauth.example.com": {"OAuth": {
        "access_token": OAUTH, "refresh_token": OAUTH + "r", "expires_at": 1,
        "token_endpoint": "https://i/t", "revocation_endpoint": None, "client_id": "pixi"}}}))
    secrets.update(forms(OAUTH + "r"))
    return auth


def everything(nginx, s3, tmp_path):
    """(args, stdin) for each command on good and bad paths."""
    port = nginx.port
    u = f"http://127.0.0.1:{port}"
    out = tmp_path / "out"
    s3opts = ["--s3-endpoint-url", s3.endpoint, "--s3-region", "us-east-1",
              "--s3-force-path-style"]
    src = tmp_path / "upload.bin"
    src.write_bytes(b"x" * 100)
    return [
        (["login", "127.0.0.1", "--token", ns.BEARER], None),
        (["which", f"{u}/bearer/noarch/repodata.json"], None),
        (["status"], None),
        (["fetch", f"{u}/bearer/noarch/repodata.json", "-o", out], None),
        (["fetch", f"{u}/bearer-cross/noarch/repodata.json", "-o", out], None),
        (["fetch", f"{u}/bearer/noarch/missing.json", "-o", out], None),
        (["login", "127.0.0.1", "--username", ns.BASIC_USER, "--password", "-"],
         ns.BASIC_PASSWORD + "\n"),
        (["fetch", f"{u}/basic/noarch/repodata.json", "-o", out], None),
        (["fetch", f"{u}/basic-cross/noarch/repodata.json", "-o", out], None),
        (["fetch", f"http://{ns.BASIC_USER}:{ns.BASIC_PASSWORD}@127.0.0.1:{port}/basic/nope", "-o", out], None),
        (["login", "127.0.0.1", "--conda-token", ns.CONDA], None),
        (["fetch", f"{u}/conda/noarch/repodata.json", "-o", out], None),
        (["fetch", f"{u}/conda-cross/noarch/repodata.json", "-o", out], None),
        (["fetch", f"{u}/t/{ns.CONDA}/conda/noarch/missing", "-o", out], None),
        (["which", f"{u}/t/{ns.CONDA}/conda/x"], None),
        (["which", f"https://audit:{STDIN_PW}@nowhere.example.net/x"], None),
        # (`token` on a good key is left out: printing the token is its job.)
        (["token", "oauth.example.com"], None),           # expired OAuth: error
        (["token", "netrc.example.com"], None),            # Basic from netrc: error
        (["login", "s3://" + BUCKET, "--s3-access-key-id", EXTRA_KEY,
          "--s3-secret-access-key", "-", "--s3-session-token", S3_SESSION], EXTRA_SECRET + "\n"),
        (["login", "s3://" + BUCKET, "--s3-access-key-id", EXTRA_KEY], ""),   # usage error
        (["login", "127.0.0.1", "--password", STDIN_PW], None),               # usage error
        (["login", "prefix.dev", "--token", "bad-" + STDIN_PW], None),        # refused by the stub
        (["upload", src, f"s3://{BUCKET}/audit/x", *s3opts], None),
        (["fetch", f"s3://{BUCKET}/audit/missing", "-o", out], None),
        (["status"], None),
        (["config"], None),
        (["logout", "netrc.example.com"], None),
        (["logout", "--all"], None),
    ]


def test_no_secret_anywhere(run, audit, nginx, s3, tmp_path):
    count = 0
    for verbosity in VERBOSITY:
        for args, stdin in everything(nginx, s3, tmp_path):
            # `run` asserts that no registered secret form is in the output.
            run(*verbosity, *args, env={"RATTLER_AUTH_FILE": audit}, input=stdin)
            count += 1
    print(f"secret audit: {count} command runs, {len(SECRETS)} secrets, no leak")


@pytest.mark.parametrize("content", [
    '{"a":{"BearerToken":"' + ns.BEARER,                         # cut off inside the secret
    '{"a":{"BearerToken":"' + ns.BEARER + '"}} ' + ns.CONDA,     # trailing garbage
    '{"a":{"BearerToken":"' + ns.BEARER + '\\q"}}',               # bad escape next to it
    '{"a":{"BearerToken":' + ns.BEARER + '}}',                    # an unquoted secret
    '{"a":{"BasicHTTP":{"username":"u","pass":"' + ns.BASIC_PASSWORD + '"}}}',
])
def test_corrupt_file_errors_never_quote_secrets(run, audit, tmp_path, content):
    f = tmp_path / "corrupt.json"
    f.write_text(content)
    for verbosity in VERBOSITY:
        for args in (["status"], ["token", "a"], ["login", "b.example.com", "--token", "x"]):
            p = run(*verbosity, *args, env={"RATTLER_AUTH_FILE": f})
            assert p.returncode == 1 and str(f) in p.stderr


def test_modes(run, home):
    run("login", "example.com", "--token", "x", check=0)
    f = home / ".rattler" / "credentials.json"
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert stat.S_IMODE(f.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / ".rattler" / "credentials.json.lock").stat().st_mode) == 0o600


def test_world_readable_file_warns(run, tmp_path):
    f = tmp_path / "open.json"
    f.write_text('{"a.example.com":{"BearerToken":"x"}}')
    f.chmod(0o644)
    p = run("status", env={"RATTLER_AUTH_FILE": f}, check=0)
    assert "warning:" in p.stderr and str(f) in p.stderr and "readable" in p.stderr
    f.chmod(0o600)
    p = run("status", env={"RATTLER_AUTH_FILE": f}, check=0)
    assert "warning:" not in p.stderr


# ---- keyring items and credentials that cannot be used (issue 17 item 1) --

# jansson quotes the token it stopped at only when it is at most 20 bytes
# long ("... near '<token>'"): these secrets are short enough to be quoted.
SHORT = "AUDITshort4Qz"
SHORT2 = "AUDITshrt2Pw"


def broken_items():
    """Item texts holding an audit secret that pkgauth must refuse: broken
    JSON around it, or a field with a control character."""
    return [
        json.dumps(SHORT),                                       # a JSON string, not an object
        '{"BearerToken":"' + SHORT,                              # cut off inside the secret
        '{"BearerToken":"' + ns.BEARER + '"} ' + SHORT,          # trailing garbage
        '{"BearerToken":' + SHORT + '}',                         # an unquoted secret
        '{"BearerToken":"' + SHORT + '\\q"}',                   # bad escape next to it
        SHORT,                                                   # no JSON at all
        '{"BasicHTTP":{"username":"u","password":"' + SHORT + '\\r\\nX: y"}}',
        '{"CondaToken":"' + SHORT + '/../admin?x="}',
        '{"S3Credentials":{"access_key_id":"A","secret_access_key":"' + SHORT + '\\n"}}',
        '{"BearerToken":"' + SHORT + '" ' + SHORT2 + '}',        # garbage after the value
    ]


@pytest.mark.parametrize("item", range(len(broken_items())))
def test_broken_keyring_items_never_quoted(run, audit, secrets, keyring, tmp_path, item):
    secrets.update(forms(SHORT) | forms(SHORT2))
    text = broken_items()[item]
    kr = keyring
    kr.secret_tool("store", "--label=audit", "service", "rattler", "username", "127.0.0.1",
                   input=text)
    for verbosity in VERBOSITY:
        for args in (["which", "http://127.0.0.1:9/x"], ["token", "127.0.0.1"], ["status"],
                     ["fetch", "http://127.0.0.1:9/x", "-o", tmp_path / "out"]):
            # `run` fails the test on any registered secret form in the output.
            run(*verbosity, *args, env=kr.env)


@pytest.mark.parametrize("item", range(len(broken_items())))
def test_broken_credentials_never_quoted(run, audit, secrets, tmp_path, item):
    secrets.update(forms(SHORT) | forms(SHORT2))
    text = broken_items()[item]
    f = tmp_path / "broken.json"
    f.write_text('{"127.0.0.1":' + text + "}")
    for verbosity in VERBOSITY:
        for args in (["which", "http://127.0.0.1:9/x"], ["token", "127.0.0.1"], ["status"],
                     ["fetch", "http://127.0.0.1:9/x", "-o", tmp_path / "out"],
                     ["login", "b.example.com", "--token", "x"]):
            p = run(*verbosity, *args, env={"RATTLER_AUTH_FILE": f})
            assert p.returncode == 1 and str(f) in p.stderr, p.stderr
