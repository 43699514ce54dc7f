"""pkgauth login / logout / token / status / which against the file store
(compat.md "pixi auth commands" and "The credentials file")."""
import json
import os
import stat
import subprocess
import time

import pytest

from conftest import PKGAUTH


def env_file(path):
    return {"RATTLER_AUTH_FILE": path}


# ---- exact bytes -----------------------------------------------------------

def test_compat_example_one(run, auth_file):
    run("login", "test.example.com", "--conda-token", "testtoken", env=env_file(auth_file), check=0)
    assert auth_file.read_bytes() == b'{"test.example.com":{"CondaToken":"testtoken"}}'


def test_compat_example_two(run, auth_file):
    e = env_file(auth_file)
    run("login", "basic", "--username", "user", "--password", "password", env=e, check=0)
    run("login", "bearer", "--token", "password", env=e, check=0)
    run("login", "test", "--conda-token", "password", env=e, check=0)
    assert auth_file.read_bytes() == (
        b'{"basic":{"BasicHTTP":{"username":"user","password":"password"}},'
        b'"bearer":{"BearerToken":"password"},"test":{"CondaToken":"password"}}')


def test_s3_json_and_session_token(run, auth_file, secrets):
    secrets.update({"AKIDEXAMPLE1", "s3cr3tKEYvalue", "sessTOKENvalue"})
    e = env_file(auth_file)
    run("login", "s3://my-bucket", "--s3-access-key-id", "AKIDEXAMPLE1",
        "--s3-secret-access-key", "s3cr3tKEYvalue", env=e, check=0)
    run("login", "s3://other/", "--s3-access-key-id", "AKIDEXAMPLE1",
        "--s3-secret-access-key", "s3cr3tKEYvalue", "--s3-session-token", "sessTOKENvalue",
        env=e, check=0)
    assert json.loads(auth_file.read_text()) == {
        "s3://my-bucket": {"S3Credentials": {"access_key_id": "AKIDEXAMPLE1",
                                             "secret_access_key": "s3cr3tKEYvalue",
                                             "session_token": None}},
        "s3://other": {"S3Credentials": {"access_key_id": "AKIDEXAMPLE1",
                                         "secret_access_key": "s3cr3tKEYvalue",
                                         "session_token": "sessTOKENvalue"}},
    }
    p = run("status", env=e, check=0)
    assert "no session token" in p.stdout and "with session token" in p.stdout


def test_file_and_folder_modes_in_default_location(run, home):
    run("login", "example.com", "--token", "tok", check=0)
    f = home / ".rattler" / "credentials.json"
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert stat.S_IMODE(f.parent.stat().st_mode) == 0o700
    assert json.loads(f.read_text()) == {"*.example.com": {"BearerToken": "tok"}}


# ---- login rules ------------------------------------------------------------

@pytest.mark.parametrize("host,key", [
    ("prefix.dev", "*.prefix.dev"),
    ("repo.prefix.dev", "repo.prefix.dev"),
    ("https://repo.prefix.dev/my-channel", "repo.prefix.dev"),
    ("*.dev", "*.dev"),                  # pixi would write *.*.dev
    ("Example.COM", "*.example.com"),    # pixi would keep the case and never match
    ("localhost:8080", "localhost"),
])
def test_login_key_normalisation(run, auth_file, host, key):
    p = run("login", host, "--token", "t0k", env=env_file(auth_file), check=0)
    assert json.loads(auth_file.read_text()) == {key: {"BearerToken": "t0k"}}
    assert f"Authenticating with {key} using BearerToken method" in p.stderr


def test_method_priority(run, auth_file):
    e = env_file(auth_file)
    run("login", "h.example.com", "--token", "t", "--username", "u", "--password", "p",
        "--conda-token", "c", env=e, check=0)
    assert json.loads(auth_file.read_text())["h.example.com"] == {"CondaToken": "c"}
    run("login", "h.example.com", "--token", "t", "--username", "u", "--password", "p",
        env=e, check=0)
    assert json.loads(auth_file.read_text())["h.example.com"] == {
        "BasicHTTP": {"username": "u", "password": "p"}}


@pytest.mark.parametrize("args,code,message", [
    (["example.com"], 1, "No authentication method provided"),
    (["example.com", "--username", "u"], 1,
     "Password must be provided when using basic authentication"),
    (["prefix.dev", "--conda-token", "x"], 1, "prefix.dev needs a token"),
    (["repo.prefix.dev", "--username", "u", "--password", "p"], 1, "prefix.dev needs a token"),
    (["anaconda.org", "--token", "x"], 1, "anaconda.org needs a conda token"),
    (["s3://bucket", "--token", "x"], 1, "s3:// hosts need"),
    (["example.com", "--s3-access-key-id", "a", "--s3-secret-access-key", "b"], 1,
     "S3 credentials need an s3:// host"),
    (["s3://b", "--s3-access-key-id", "a", "--token", "t"], 2, "cannot be combined"),
    (["s3://b", "--s3-access-key-id", "a"], 2, "must be given together"),
    (["s3://b", "--s3-secret-access-key", "a"], 2, "must be given together"),
    (["--token", "x"], 2, "<HOST>"),
    (["example.com", "--token"], 2, "a value is required for '--token'"),
    (["example.com", "--frobnicate", "x"], 2, "unexpected argument '--frobnicate'"),
    (["example.com", "other.com", "--token", "x"], 2, "unexpected argument 'other.com'"),
    (["example.com/path", "--token", "x"], 1, "invalid host"),
    (["example.com", "--token", ""], 1, "'--token' is empty"),
])
def test_login_errors(run, auth_file, args, code, message):
    p = run("login", *args, env=env_file(auth_file), input="")
    assert p.returncode == code, p.stderr
    assert message in p.stderr
    assert p.stderr.startswith("error:")
    assert not auth_file.exists()


def test_notprefix_dev_is_not_prefix_dev(run, auth_file):
    # "contains prefix.dev" means the domain or a subdomain, not a substring.
    run("login", "notprefix.dev", "--username", "u", "--password", "p",
        env=env_file(auth_file), check=0)


def test_secret_from_stdin(run, auth_file, secrets):
    secrets.add("stdinSECRETvalue")
    run("login", "example.com", "--username", "u", "--password", "-",
        env=env_file(auth_file), input="stdinSECRETvalue\n", check=0)
    assert json.loads(auth_file.read_text())["*.example.com"]["BasicHTTP"]["password"] == "stdinSECRETvalue"
    p = run("login", "example.com", "--token", "-", "--conda-token", "-",
            env=env_file(auth_file), input="a\nb\n")
    assert p.returncode == 2 and "only one secret" in p.stderr


def test_secret_blanked_in_process_list(run, auth_file, base_env, tmp_path):
    """A secret given on the command line is blanked in /proc/PID/cmdline
    while pkgauth runs (here: while it waits for the lock)."""
    import fcntl
    lock = open(str(auth_file) + ".lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    env = dict(base_env, RATTLER_AUTH_FILE=str(auth_file))
    proc = subprocess.Popen([str(PKGAUTH), "login", "example.com", "--token", "cmdlineSECRET"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # pkgauth parses its arguments, then blocks on the lock we hold.
        time.sleep(1.0)
        assert proc.poll() is None, "pkgauth did not wait for the lock"
        cmdline = open(f"/proc/{proc.pid}/cmdline", "rb").read()
        assert b"example.com" in cmdline
        assert b"cmdlineSECRET" not in cmdline
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert b"cmdlineSECRET" not in out + err


# ---- logout, token, status, which ---------------------------------------------

def test_logout_variants(run, auth_file):
    e = env_file(auth_file)
    run("login", "prefix.dev", "--token", "a", env=e, check=0)
    run("login", "repo.example.com", "--token", "b", env=e, check=0)
    run("login", "*.other.org", "--token", "c", env=e, check=0)
    run("logout", "prefix.dev", env=e, check=0)             # its login key *.prefix.dev
    run("logout", "https://repo.example.com", env=e, check=0)
    p = run("logout", "other.org", env=e, check=0)          # login key *.other.org
    assert "Removed credentials for *.other.org" in p.stderr
    assert json.loads(auth_file.read_text()) == {}
    p = run("logout", "prefix.dev", env=e, check=1)
    assert "No stored credentials found for prefix.dev" in p.stderr


def test_logout_all_and_usage(run, auth_file):
    e = env_file(auth_file)
    for h in ("a.example.com", "b.example.com", "c.example.com"):
        run("login", h, "--token", "x", env=e, check=0)
    p = run("logout", "--all", env=e, check=0)
    assert "Removed 3 credentials" in p.stderr
    assert json.loads(auth_file.read_text()) == {}
    assert run("logout", env=e).returncode == 2
    assert run("logout", "a", "--all", env=e).returncode == 2


def test_token(run, auth_file, secrets):
    secrets.add("basicPASSWORD")
    e = env_file(auth_file)
    run("login", "prefix.dev", "--token", "pfx_tok", env=e, check=0)
    run("login", "conda.anaconda.org", "--conda-token", "ctok", env=e, check=0)
    run("login", "basic.example.com", "--username", "u", "--password", "basicPASSWORD", env=e, check=0)
    assert run("token", "repo.prefix.dev", env=e, check=0).stdout == "pfx_tok\n"
    assert run("token", "prefix.dev", env=e, check=0).stdout == "pfx_tok\n"
    assert run("token", "conda.anaconda.org", env=e, check=0).stdout == "ctok\n"
    p = run("token", "basic.example.com", env=e, check=1)
    assert "BasicHTTP credentials, not a printable token" in p.stderr
    p = run("token", "nothing.example.net", env=e, check=1)
    assert "no credentials for https://nothing.example.net" in p.stderr


def test_token_oauth(run, auth_file):
    future, past = int(time.time()) + 3600, int(time.time()) - 10
    def oauth(tok, exp):
        return {"OAuth": {"access_token": tok, "refresh_token": "r", "expires_at": exp,
                          "token_endpoint": "https://issuer/token", "revocation_endpoint": None,
                          "client_id": "pixi"}}
    auth_file.write_text(json.dumps({"fresh.example.com": oauth("fresh-at", future),
                                     "stale.example.com": oauth("stale-at", past)}))
    e = env_file(auth_file)
    assert run("token", "fresh.example.com", env=e, check=0).stdout == "fresh-at\n"
    p = run("token", "stale.example.com", env=e, check=1)
    assert "expired" in p.stderr and "log in again" in p.stderr
    p = run("status", env=e, check=0)
    assert "OAuth" in p.stdout and "fresh-at" not in p.stdout


def test_status(run, auth_file, secrets):
    secrets.update({"statusPASS", "zz-token"})
    e = env_file(auth_file)
    assert run("status", env=e, check=0).stdout == "No credentials stored.\n"
    run("login", "z.example.com", "--token", "zz-token", env=e, check=0)
    run("login", "a.example.com", "--username", "alice", "--password", "statusPASS", env=e, check=0)
    out = run("status", env=e, check=0).stdout
    assert out.index("a.example.com") < out.index("z.example.com")
    assert "username: alice" in out and "BasicHTTP" in out and "BearerToken" in out
    assert f"file ({auth_file})" in out


def test_status_jwt_expiry(run, auth_file):
    import base64
    claims = base64.urlsafe_b64encode(json.dumps({"exp": 1893456000}).encode()).rstrip(b"=").decode()
    jwt = f"eyJhbGciOiJub25lIn0.{claims}.c2ln"
    run("login", "jwt.example.com", "--token", jwt, env=env_file(auth_file), check=0)
    out = run("status", env=env_file(auth_file), check=0).stdout
    assert "expires 2030-01-01 00:00:00 UTC" in out and jwt not in out


def test_which(run, auth_file, secrets):
    secrets.add("hunter2")
    e = env_file(auth_file)
    run("login", "prefix.dev", "--token", "x", env=e, check=0)
    p = run("which", "https://repo.prefix.dev/c/noarch/repodata.json", env=e, check=0)
    assert p.stdout == f"key:    *.prefix.dev\nstore:  file ({auth_file})\nmethod: BearerToken\n"
    p = run("-v", "which", "https://repo.prefix.dev/c", env=e, check=0)
    assert "tries key *.repo.prefix.dev" in p.stderr
    p = run("which", "https://other.example.net/t/tok/x", env=e, check=1)
    assert p.stderr.strip() == "error: no credentials for https://other.example.net/t/********/x"
    # fetch sends a URL's own user info (issue 11): which says so
    p = run("which", "https://me:hunter2@example.net/t/tok/x", env=e, check=0)
    assert p.stdout == ("key:    (none: the URL's own user info is used)\n"
                        "store:  the URL (user me)\nmethod: BasicHTTP\n")


# ---- store selection ----------------------------------------------------------

def test_rattler_auth_file_wins_over_option(run, tmp_path):
    env_f, opt_f = tmp_path / "env.json", tmp_path / "opt.json"
    run("--auth-file", opt_f, "login", "example.com", "--token", "x",
        env=env_file(env_f), check=0)
    assert env_f.exists() and not opt_f.exists()
    run("login", "example.com", "--token", "x", "--auth-file", opt_f, check=0)
    assert opt_f.exists()


# ---- bad input never changes the file ------------------------------------------

@pytest.mark.parametrize("content,where", [
    (b'{"a": {"BearerToken": "x"},\n', ":2:1:"),
    (b'{"a": {"BearerToken": "x"},\n "b": {"Mystery": 1}}', ':2:2: entry "b"'),
    (b'["not", "an", "object"]', ":1:1: not a credentials file"),
    (b'{"a": {"BearerToken": "x"}} trailing', ":1:"),
])
@pytest.mark.parametrize("command", [
    ["login", "new.example.com", "--token", "t"], ["logout", "a"], ["status"],
    ["token", "a"], ["which", "https://a/"], ["logout", "--all"],
])
def test_corrupt_file(run, auth_file, content, where, command):
    auth_file.write_bytes(content)
    p = run(*command, env=env_file(auth_file))
    assert p.returncode == 1, p.stderr
    errors = [line for line in p.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {auth_file}{where}"), p.stderr
    assert auth_file.read_bytes() == content


# ---- concurrency ------------------------------------------------------------

def test_64_concurrent_logins_lose_nothing(auth_file, base_env):
    env = dict(base_env, RATTLER_AUTH_FILE=str(auth_file))
    # A reader loop runs the whole time and must never see invalid JSON.
    reader = subprocess.Popen(
        ["/usr/bin/python3", "-c", """
import json, sys, time
path, bad, reads = sys.argv[1], 0, 0
end = time.time() + 60
while time.time() < end:
    try:
        data = open(path, 'rb').read()
    except FileNotFoundError:
        continue
    reads += 1
    try:
        json.loads(data)
    except ValueError:
        bad += 1
    if open(sys.argv[2]).read() == 'stop':
        break
print(reads, bad)
""", str(auth_file), str(auth_file) + ".stop"], stdout=subprocess.PIPE, text=True)
    (auth_file.parent / (auth_file.name + ".stop")).write_text("")
    procs = [subprocess.Popen([str(PKGAUTH), "login", f"host{i}.example.com", "--token", f"t{i}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for i in range(64)]
    errors = [p.communicate()[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    (auth_file.parent / (auth_file.name + ".stop")).write_text("stop")
    reads, bad = map(int, reader.communicate(timeout=90)[0].split())
    data = json.loads(auth_file.read_text())
    assert len(data) == 64
    assert all(data[f"host{i}.example.com"] == {"BearerToken": f"t{i}"} for i in range(64))
    assert stat.S_IMODE(auth_file.stat().st_mode) == 0o600
    assert bad == 0 and reads > 0
    leftovers = [f.name for f in auth_file.parent.iterdir() if f.name.startswith(".credentials")]
    assert leftovers == []


# ---- global options -------------------------------------------------------------

def test_usage_errors_exit_2(run):
    assert run("frobnicate").returncode == 2
    assert run("--color", "purple", "status").returncode == 2
    assert run().returncode == 2
    p = run("--bogus")
    assert p.returncode == 2 and "unexpected argument '--bogus'" in p.stderr


def test_help_and_version(run):
    p = run("--help", check=0)
    for cmd in ("login", "logout", "token", "status", "which"):
        assert cmd in p.stdout
    p = run("login", "--help", check=0)
    assert "--s3-session-token" in p.stdout and "Global Options" in p.stdout
    assert run("--version", check=0).stdout.startswith("pkgauth ")


def test_color(run, auth_file):
    e = env_file(auth_file)
    p = run("--color", "always", "token", "x.example.com", env=e, check=1)
    assert "\x1b[" in p.stderr
    p = run("token", "x.example.com", env=dict(e, PIXI_COLOR="always"), check=1)
    assert "\x1b[" in p.stderr
    p = run("--color", "never", "token", "x.example.com", env=e, check=1)
    assert "\x1b[" not in p.stderr


def test_quiet_hides_info(run, auth_file):
    p = run("-q", "login", "example.com", "--token", "x", env=env_file(auth_file), check=0)
    assert p.stderr == ""


def test_no_secret_at_any_verbosity(run, auth_file, secrets):
    """Every command, with -vvv, on good and bad input: nothing leaks."""
    secrets.update({"LEAKtoken1", "LEAKpass2", "LEAKconda3", "LEAKs3secret4", "LEAKsess5"})
    e = env_file(auth_file)
    for args in (["login", "prefix.dev", "--token", "LEAKtoken1"],
                 ["login", "b.example.com", "--username", "u", "--password", "LEAKpass2"],
                 ["login", "conda.anaconda.org", "--conda-token", "LEAKconda3"],
                 ["login", "s3://bkt", "--s3-access-key-id", "AKID", "--s3-secret-access-key",
                  "LEAKs3secret4", "--s3-session-token", "LEAKsess5"],
                 ["login", "prefix.dev", "--conda-token", "LEAKconda3"],
                 ["login", "s3://bkt", "--token", "LEAKtoken1"],
                 ["status"], ["which", "https://repo.prefix.dev/x"],
                 ["which", "https://u:LEAKpass2@b.example.com/t/LEAKconda3/x"],
                 ["token", "b.example.com"], ["token", "s3://bkt"],
                 ["logout", "b.example.com"], ["logout", "--all"]):
        run("-vvv", *args, env=e)


def test_prompt_without_echo_on_a_terminal(auth_file, base_env):
    """A missing password is asked for on the terminal, and what is typed
    is not echoed."""
    import pty
    import select
    env = dict(base_env, RATTLER_AUTH_FILE=str(auth_file))
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(str(PKGAUTH), [str(PKGAUTH), "login", "example.com", "--username", "u"], env)
    seen, done = b"", 0

    def read_until(marker, timeout=10):
        nonlocal seen
        end = time.time() + timeout
        while marker not in seen and time.time() < end:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 1024)
                except OSError:
                    break
        return marker in seen

    try:
        assert read_until(b"Password: ")
        os.write(fd, b"ptySECRETvalue\n")
        read_until(b"Authenticating")
        end = time.time() + 20
        while True:  # never wait forever: a hang is a failure
            done, status = os.waitpid(pid, os.WNOHANG)
            if done or time.time() > end:
                break
            time.sleep(0.05)
        assert done, "pkgauth did not finish after the password was typed"
    finally:
        if not done:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    assert os.WEXITSTATUS(status) == 0, seen
    assert b"ptySECRETvalue" not in seen  # not echoed
    assert json.loads(auth_file.read_text())["*.example.com"]["BasicHTTP"]["password"] == "ptySECRETvalue"
