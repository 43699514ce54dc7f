"""The Secret Service keyring backend, against a real gnome-keyring.

Every test that needs a keyring gets its own private D-Bus session with an
unlocked gnome-keyring (tests/harness/keyring-session.sh); nothing of the
machine's own keyring is touched. What pkgauth writes is checked with two
independent clients: libsecret's `secret-tool`, and @napi-rs/keyring (a
Node binding of the Rust keyring crate pixi uses) in two versions that
write different attributes: 2.x the current ones (service, username), 1.2.x
the ones older pixi releases wrote (plus application, target).
"""
import json
import shutil
import socket
import statistics
import subprocess
import sys
import time

import pytest

from conftest import BIN_DIR, PKGAUTH, SOURCE_DIR

HARNESS = SOURCE_DIR / "tests" / "harness" / "keyring-session.sh"
NODE_DIR = SOURCE_DIR / "tests"
PROBE = BIN_DIR / "keyring_probe"
STORE = "secret service (keyring)"
NAPI = ["napi-keyring-1", "napi-keyring-2"]

# Runs one keyring operation through @napi-rs/keyring; argv: module op key [value].
NODE_SCRIPT = r"""
const [mod, op, key, value] = process.argv.slice(1);
const entry = new (require(mod).Entry)('rattler', key);
try {
  if (op === 'set') entry.setPassword(value);
  else if (op === 'delete') entry.deletePassword();
  else {
    const v = entry.getPassword();
    if (v === null || v === undefined) process.exit(3);
    process.stdout.write(v);
  }
} catch (e) {
  process.stderr.write(String(e) + '\n');
  process.exit(3);
}
"""


@pytest.fixture
def report(capsys):
    """report(line): shown in the ctest log, past pytest's capture."""

    def _report(line):
        with capsys.disabled():
            print(f"[keyring] {line}", file=sys.__stderr__, flush=True)

    return _report


def need(*tools):
    for t in tools:
        if not shutil.which(t):
            pytest.skip(f"{t} is not installed (see .ci/packages.txt)")
    if not PROBE.exists():
        pytest.skip("pkgauth was built without the keyring (PKGAUTH_KEYRING=OFF)")


class Session:
    """A private session bus, with or without a keyring on it."""

    def __init__(self, address, env):
        self.address = address
        self.env = {"DBUS_SESSION_BUS_ADDRESS": address}
        self._full_env = dict(env, DBUS_SESSION_BUS_ADDRESS=address)

    def tool(self, *args, input=None, check=True):
        p = subprocess.run([*map(str, args)], env=self._full_env, input=input,
                           capture_output=True, text=True, timeout=60)
        if check:
            assert p.returncode == 0, f"{args[0]} exit {p.returncode}: {p.stderr}"
        return p

    def secret_tool(self, *args, **kw):
        return self.tool("secret-tool", *args, **kw)

    def lookup(self, key):
        """The secret stored for key, as secret-tool reads it (None: absent)."""
        p = self.secret_tool("lookup", "service", "rattler", "username", key, check=False)
        return p.stdout if p.returncode == 0 else None

    def items(self, key=None):
        """The items (label, attributes) with service=rattler [and username=key]."""
        args = ["search", "--all", "service", "rattler"]
        if key:
            args += ["username", key]
        p = self.secret_tool(*args, check=False)
        items = []
        for line in (p.stdout + p.stderr).splitlines():
            if line.startswith("["):
                items.append({"attributes": {}})
            elif line.startswith("label = "):
                items[-1]["label"] = line[len("label = "):]
            elif line.startswith("attribute."):
                k, _, v = line[len("attribute."):].partition(" = ")
                items[-1]["attributes"][k] = v
        return items

    def node(self, module, op, key, value=None):
        if not (NODE_DIR / "node_modules" / module).exists():
            pytest.skip(f"{module} is not installed: run scripts/setup.sh (npm install in tests/)")
        args = ["node", "-e", NODE_SCRIPT, module, op, key] + ([value] if value else [])
        p = subprocess.run(args, env=self._full_env, cwd=NODE_DIR, capture_output=True,
                           text=True, timeout=60)
        if op != "get":
            assert p.returncode == 0, f"node {module} {op}: {p.stderr}"
        return p.stdout if p.returncode == 0 else None

    def lock(self):
        """Locks the default collection, as a screen lock or a timeout would."""
        path = self.tool("dbus-send", "--session", "--print-reply=literal",
                         "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
                         "org.freedesktop.Secret.Service.ReadAlias", "string:default").stdout.strip()
        self.tool("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.secrets",
                  "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
                  f"array:objpath:{path}")


def start_session(cmd, env, tmp_path):
    """Starts cmd, which prints a bus address and waits for stdin to close."""
    log = open(tmp_path / "session.log", "w+")
    env = {k: v for k, v in env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                         env=env, text=True)
    address = p.stdout.readline().strip()
    if not address:
        p.wait(timeout=30)
        log.seek(0)
        pytest.fail(f"session did not start (exit {p.returncode}): {log.read()}")
    return p, log, address


def stop_session(p, log):
    p.stdin.close()
    p.wait(timeout=30)
    log.close()


WAIT = 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null'


@pytest.fixture
def keyring(base_env, tmp_path):
    need("dbus-run-session", "dbus-send", "gnome-keyring-daemon", "secret-tool")
    p, log, address = start_session(["bash", str(HARNESS), "sh", "-c", WAIT], base_env, tmp_path)
    yield Session(address, base_env)
    stop_session(p, log)


@pytest.fixture
def bare_bus(base_env, tmp_path):
    """A session bus with no Secret Service on it."""
    need("dbus-run-session")
    p, log, address = start_session(["dbus-run-session", "--", "sh", "-c", WAIT], base_env,
                                    tmp_path)
    yield Session(address, base_env)
    stop_session(p, log)


def login_token(run, env, host, token, secrets):
    # Tokens are not registered as secrets: `pkgauth token` prints them.
    del secrets
    return run("login", host, "--token", "-", input=token + "\n", env=env, check=0)


def fallback(home):
    return home / ".rattler" / "credentials.json"


# ---- the keyring as the first store ---------------------------------------

def test_round_trip_through_keyring(run, keyring, secrets, home):
    env = keyring.env
    p = login_token(run, env, "prefix.dev", "pfx_first_7Qw", secrets)
    assert "warning" not in p.stderr
    assert run("token", "repo.prefix.dev", env=env, check=0).stdout == "pfx_first_7Qw\n"
    status = run("status", env=env, check=0).stdout
    assert f"*.prefix.dev\n  method: BearerToken\n  store:  {STORE}\n" in status

    login_token(run, env, "prefix.dev", "pfx_second_Zt4", secrets)
    assert run("token", "repo.prefix.dev", env=env, check=0).stdout == "pfx_second_Zt4\n"
    assert len(keyring.items("*.prefix.dev")) == 1, "an update must not add an item"

    secrets.add("pw-kr-91")
    run("login", "private.example.com", "--username", "alice", "--password", "pw-kr-91",
        env=env, check=0)
    status = run("status", env=env, check=0)
    assert "username: alice" in status.stdout and status.stderr == ""

    p = run("logout", "prefix.dev", env=env, check=0)
    assert "Removed credentials for *.prefix.dev" in p.stderr
    assert run("token", "repo.prefix.dev", env=env).returncode == 1
    run("logout", "--all", env=env, check=0)
    assert run("status", env=env, check=0).stdout == "No credentials stored.\n"
    assert keyring.items() == []
    assert not fallback(home).exists(), "the keyring worked: the file must stay untouched"


def test_file_untouched_and_shadowed_while_keyring_works(run, keyring, secrets, home):
    f = fallback(home)
    f.parent.mkdir()
    before = b'{"*.prefix.dev":{"BearerToken":"file_old_tok"},"other.example.com":{"CondaToken":"c_file"}}'
    f.write_bytes(before)
    login_token(run, keyring.env, "prefix.dev", "kr_new_tok", secrets)
    assert f.read_bytes() == before
    assert run("token", "repo.prefix.dev", env=keyring.env, check=0).stdout == "kr_new_tok\n"
    status = run("status", env=keyring.env, check=0).stdout
    assert f"store:  {STORE}\n" in status
    assert f"store:  file ({f}) (shadowed)\n" in status
    assert f"other.example.com\n  method: CondaToken\n  store:  file ({f})\n" in status
    # logout removes the key from every store, the file included.
    run("logout", "prefix.dev", env=keyring.env, check=0)
    assert keyring.items("*.prefix.dev") == []
    assert "*.prefix.dev" not in json.loads(f.read_text())


# ---- secret-tool (libsecret) ------------------------------------------------

def test_secret_tool_reads_what_pkgauth_writes(run, keyring, secrets):
    secrets.update({"AKIDKR1", "s3-secret/kr+2"})
    run("login", "s3://kr-bucket", "--s3-access-key-id", "AKIDKR1",
        "--s3-secret-access-key", "s3-secret/kr+2", env=keyring.env, check=0)
    assert keyring.lookup("s3://kr-bucket") == (
        '{"S3Credentials":{"access_key_id":"AKIDKR1",'
        '"secret_access_key":"s3-secret/kr+2","session_token":null}}')
    [item] = keyring.items("s3://kr-bucket")
    assert item["label"] == "keyring:s3://kr-bucket@rattler"
    assert item["attributes"] == {"service": "rattler", "username": "s3://kr-bucket"}
    types = keyring.tool(PROBE, "content-type", "s3://kr-bucket").stdout
    assert types == "text/plain\n"


def test_pkgauth_reads_what_secret_tool_writes(run, keyring, secrets):
    keyring.secret_tool("store", "--label=made by secret-tool", "service", "rattler",
                        "username", "conda.example.org", input='{"CondaToken":"st_tok_55"}')
    assert run("token", "conda.example.org", env=keyring.env, check=0).stdout == "st_tok_55\n"
    status = run("status", env=keyring.env, check=0).stdout
    assert f"conda.example.org\n  method: CondaToken\n  store:  {STORE}\n" in status


def test_duplicates_are_refused_on_read_and_merged_on_write(run, keyring, secrets):
    # Two items for one key, which pixi refuses. secret-tool replaces every
    # item that has all the new one's attributes: the second has one more.
    keyring.secret_tool("store", "--label=a", "service", "rattler", "username", "d.example.com",
                        input='{"BearerToken":"dup_old"}')
    time.sleep(1.1)  # item times have a resolution of one second
    keyring.secret_tool("store", "--label=b", "service", "rattler", "username", "d.example.com",
                        "target", "default", input='{"BearerToken":"dup_new"}')
    assert len(keyring.items("d.example.com")) == 2
    p = run("token", "d.example.com", env=keyring.env, check=1)
    assert "matched by 2 keyring items" in p.stderr and "dup_" not in p.stderr
    assert run("status", env=keyring.env, check=0).stdout.count("d.example.com\n") == 1
    # Both in the default collection: the write merges them, silently.
    p = login_token(run, keyring.env, "d.example.com", "dup_merged", secrets)
    assert p.returncode == 0 and "warning" not in p.stderr
    [item] = keyring.items("d.example.com")
    assert item["label"] == "b"
    assert keyring.lookup("d.example.com") == '{"BearerToken":"dup_merged"}'


# ---- @napi-rs/keyring (the Rust keyring crate pixi uses) -------------------

@pytest.mark.parametrize("module", NAPI)
def test_napi_item_is_read_updated_in_place_and_deleted(run, keyring, secrets, module, report):
    key = "napi.example.com"
    need("node")
    keyring.node(module, "set", key, '{"BearerToken":"napi_tok_a"}')
    [written] = keyring.items(key)
    report(f"{module} writes label {written['label']!r}, attributes {sorted(written['attributes'])}")
    assert run("token", key, env=keyring.env, check=0).stdout == "napi_tok_a\n"

    login_token(run, keyring.env, key, "napi_tok_b", secrets)
    [updated] = keyring.items(key)
    assert updated == written, "updated in place: same item, label and attributes"
    assert keyring.node(module, "get", key) == '{"BearerToken":"napi_tok_b"}'

    run("logout", key, env=keyring.env, check=0)
    assert keyring.items(key) == []
    assert keyring.node(module, "get", key) is None


@pytest.mark.parametrize("module", NAPI)
def test_napi_reads_what_pkgauth_writes(run, keyring, secrets, module):
    need("node")
    secrets.add("pw-napi")
    login_token(run, keyring.env, "napi2.example.com", "pkg_tok_for_napi", secrets)
    assert keyring.node(module, "get", "napi2.example.com") == '{"BearerToken":"pkg_tok_for_napi"}'
    run("login", "basic.example.com", "--username", "bob", "--password", "pw-napi",
        env=keyring.env, check=0)
    assert keyring.node(module, "get", "basic.example.com") == (
        '{"BasicHTTP":{"username":"bob","password":"pw-napi"}}')
    # And it can delete what pkgauth wrote.
    keyring.node(module, "delete", "basic.example.com")
    assert run("token", "basic.example.com", env=keyring.env).returncode == 1


# ---- no keyring, locked keyring ----------------------------------------------

def probe(env_extra, base_env):
    env = {k: v for k, v in base_env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(env_extra)
    out = subprocess.run([str(PROBE), "detect"], env=env, capture_output=True, text=True,
                         timeout=30).stdout.splitlines()
    fields = dict(f.split("=") for f in out[0].split())
    return int(fields["rc"]), float(fields["detect_ms"]), out[1] if len(out) > 1 else ""


def median_ms(run, args, env, n=15):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        run(*args, env=env, check=0)
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def assert_falls_back(run, home, secrets, env, reason):
    p = login_token(run, env, "fb.example.com", "fb_tok_8", secrets)
    f = fallback(home)
    assert json.loads(f.read_text()) == {"fb.example.com": {"BearerToken": "fb_tok_8"}}
    warnings = [l for l in p.stderr.splitlines() if l.startswith("warning:")]
    assert warnings == [f"warning: no Secret Service keyring ({reason}): the credentials for "
                        f"fb.example.com are stored unencrypted in {f}"]
    for args in (["token", "fb.example.com"], ["status"]):
        q = run(*args, env=env, check=0)
        assert "warning" not in q.stderr, "an absent keyring is no reason to warn on reads"
    assert run("token", "fb.example.com", env=env, check=0).stdout == "fb_tok_8\n"
    assert f"store:  file ({f})" in run("status", env=env, check=0).stdout


def test_no_bus_falls_back_to_the_file_with_a_warning(run, secrets, home, base_env, tmp_path,
                                                      report):
    need()
    assert_falls_back(run, home, secrets, {}, "DBUS_SESSION_BUS_ADDRESS is not set")
    rc, ms, msg = probe({}, base_env)
    assert rc == -7 and "DBUS_SESSION_BUS_ADDRESS" in msg  # PKGAUTH_EUNAVAILABLE
    report(f"detection, no session bus: {ms:.3f} ms")
    assert ms < 50
    rc, ms, msg = probe({"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus"}, base_env)
    assert rc == -7
    report(f"detection, bus address of a dead socket: {ms:.3f} ms")
    assert ms < 50
    # What a user sees: a whole command, against one that never looks.
    with_detect = median_ms(run, ["status"], {})
    baseline = median_ms(run, ["--auth-file", fallback(home), "status"], {})
    report(f"pkgauth status, no bus: {with_detect:.2f} ms median; with --auth-file "
           f"(no keyring in the chain): {baseline:.2f} ms")


def test_bus_without_secret_service_falls_back(run, bare_bus, secrets, home, base_env, report):
    assert_falls_back(run, home, secrets, bare_bus.env,
                      "no Secret Service (org.freedesktop.secrets) on the session bus")
    rc, ms, _ = probe(bare_bus.env, base_env)
    assert rc == -7
    report(f"detection, session bus without a Secret Service: {ms:.3f} ms")
    # Two round trips to a live bus (about 3 ms here); the margin is for a
    # loaded CI machine, not for the code.
    assert ms < 250


def test_stalled_bus_never_hangs_nor_writes_plaintext(run, home, base_env, tmp_path, report):
    """A bus socket that accepts connections and never answers."""
    need()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "stalled"))
    sock.listen(16)
    env = {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/stalled"}
    t = time.perf_counter()
    p = run("token", "s.example.com", env=env)
    elapsed = (time.perf_counter() - t) * 1e3
    assert p.returncode == 1 and "no credentials" in p.stderr and "warning" not in p.stderr
    report(f"pkgauth token against a stalled bus: {elapsed:.1f} ms")
    assert elapsed < 10000
    # Not known to be absent: a write refuses instead of going to the file.
    p = run("login", "s.example.com", "--token", "s_tok", env=env)
    assert p.returncode == 1 and "did not answer within 1000 ms" in p.stderr
    assert not fallback(home).exists()
    rc, ms, _ = probe(env, base_env)
    assert rc == -7
    report(f"detection, stalled bus: {ms:.3f} ms")
    sock.close()


def test_detection_with_a_keyring(keyring, base_env, report):
    rc, ms, _ = probe(keyring.env, base_env)
    assert rc == -1  # PKGAUTH_ENOTFOUND: the keyring answered
    report(f"detection, working keyring (bus, service, default collection, proxy): {ms:.3f} ms")


def test_locked_keyring_is_reported_and_reads_fall_through(run, keyring, secrets, home):
    env = keyring.env
    login_token(run, env, "locked.example.com", "kr_locked_tok", secrets)
    f = fallback(home)
    f.parent.mkdir()
    f.write_text('{"locked.example.com":{"BearerToken":"file_tok_L"}}')
    keyring.lock()

    p = run("token", "locked.example.com", env=env, check=0)
    assert p.stdout == "file_tok_L\n", "a read falls through to the file"
    warnings = [l for l in p.stderr.splitlines() if l.startswith("warning:")]
    assert len(warnings) == 1 and "is locked" in warnings[0]

    p = run("status", env=env, check=0)
    assert f"{STORE}: unreachable" in p.stdout and "is locked" in p.stdout
    assert f"locked.example.com\n  method: BearerToken\n  store:  file ({f})\n" in p.stdout

    # A write never prompts: it goes to the file, and says so.
    p = login_token(run, env, "new.example.com", "file_tok_N", secrets)
    assert f"is locked (its default collection): the credentials for new.example.com are " \
           f"stored unencrypted in {f}" in p.stderr
    assert "new.example.com" in json.loads(f.read_text())


# ---- the keyring in the chain ----------------------------------------------

def test_auth_file_and_rattler_auth_file_bypass_the_keyring(run, keyring, secrets, tmp_path):
    login_token(run, keyring.env, "kr.example.com", "kr_only_tok", secrets)
    other = tmp_path / "other.json"
    for extra, args in (({}, ["--auth-file", other]), ({"RATTLER_AUTH_FILE": other}, [])):
        p = run(*args, "token", "kr.example.com", env={**keyring.env, **extra})
        assert p.returncode == 1 and STORE not in p.stderr
    assert f"debug: store 1: {STORE}\n" in run("-v", "status", env=keyring.env, check=0).stderr
