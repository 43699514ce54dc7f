"""Smaller defects of issue 11, item 10: `which` for a URL with its own
user info, a credentials path ending in '/', and a CLI that cannot leave a
core dump or be read through /proc while it holds secrets."""
import json
import os
import subprocess
import time

import pytest

from conftest import PKGAUTH

STORED = {"127.0.0.1": {"BasicHTTP": {"username": "stored-user", "password": "stored-pw-77"}},
          "idx.example.com": {"BearerToken": "stored-bearer-31"}}


@pytest.fixture
def stored(auth_file, secrets):
    secrets.update({"stored-pw-77", "stored-bearer-31"})
    auth_file.write_text(json.dumps(STORED))
    return {"RATTLER_AUTH_FILE": auth_file}


# ---- which: the URL's own user info --------------------------------------------

def test_which_url_with_user_and_password_uses_it(run, stored, secrets):
    secrets.add("url-pw-19")
    p = run("which", "http://alice:url-pw-19@127.0.0.1/simple/", env=stored, check=0)
    assert "the URL's own user info is used" in p.stdout
    assert "stored-user" not in p.stdout and "127.0.0.1\n" not in p.stdout
    assert "method: BasicHTTP" in p.stdout and "alice" in p.stdout


def test_which_url_with_user_only_skips_another_users_entry(run, stored, tmp_path):
    """fetch takes the password of a user-only URL from netrc or a stored
    entry for that same user: another user's entry is not it."""
    netrc = tmp_path / "netrc"
    netrc.write_text("")
    p = run("which", "http://alice@127.0.0.1/simple/", env={**stored, "NETRC": netrc})
    assert p.returncode == 1, p.stdout
    assert "stored-user" not in p.stdout
    assert p.stderr.startswith("error: ") and "alice" in p.stderr


def test_which_url_with_user_only_finds_that_users_entry(run, stored, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("")
    p = run("which", "http://stored-user@127.0.0.1/simple/", env={**stored, "NETRC": netrc},
            check=0)
    assert p.stdout == (f"key:    127.0.0.1\nstore:  file ({stored['RATTLER_AUTH_FILE']})\n"
                        "method: BasicHTTP\n")


def test_which_url_with_user_only_from_netrc(run, stored, tmp_path, secrets):
    secrets.add("netrc-pw-44")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password netrc-pw-44\n")
    p = run("which", "http://alice@127.0.0.1/simple/", env={**stored, "NETRC": netrc}, check=0)
    assert f"netrc ({netrc})" in p.stdout and "alice" in p.stdout
    assert "method: BasicHTTP" in p.stdout


def test_which_without_user_info_unchanged(run, stored):
    p = run("which", "https://idx.example.com/simple/", env=stored, check=0)
    assert p.stdout.startswith("key:    idx.example.com\n")


# ---- a credentials path ending in '/' ------------------------------------------------

@pytest.mark.parametrize("how", ["env", "option"])
@pytest.mark.parametrize("command", [["login", "a.example.com", "--token", "t"], ["status"],
                                     ["logout", "--all"]])
def test_auth_file_path_ending_in_slash_is_refused(run, tmp_path, how, command):
    path = f"{tmp_path}/x/f.json/"
    if how == "env":
        p = run(*command, env={"RATTLER_AUTH_FILE": path})
    else:
        p = run("--auth-file", path, *command)
    assert p.returncode == 1, p.stderr
    lines = [l for l in p.stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1 and path in lines[0], p.stderr
    assert "ends in '/'" in lines[0]
    assert not (tmp_path / "x").exists()


# ---- no core dump, no /proc or ptrace access to a running pkgauth --------------------

def proc_owner_and_core_limit(pid):
    st = os.stat(f"/proc/{pid}/status")
    with open(f"/proc/{pid}/limits") as f:
        core = next(l for l in f if l.startswith("Max core file size")).split()[4:6]
    return st.st_uid, core


def test_running_cli_is_not_dumpable(base_env, tmp_path):
    """`login --token -` waits for the secret on stdin: look at it then.
    A non-dumpable process's /proc files belong to root (not to its user),
    so it runs as another user than root (nobody, when the test runs as
    root); its core size limit is 0 (soft and hard)."""
    user = 65534 if os.geteuid() == 0 else os.geteuid()

    def pre():
        os.umask(0o022)
        if os.geteuid() == 0:
            os.setgid(65534)
            os.setuid(65534)
    env = dict(base_env, RATTLER_AUTH_FILE=str(tmp_path / "credentials.json"))
    p = subprocess.Popen([str(PKGAUTH), "login", "a.example.com", "--token", "-"], env=env,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, preexec_fn=pre)
    try:
        deadline = time.monotonic() + 5
        seen = None
        while time.monotonic() < deadline:
            seen = proc_owner_and_core_limit(p.pid)
            if seen == (0, ["0", "0"]):
                break
            time.sleep(0.05)
        assert seen == (0, ["0", "0"]), f"uid of /proc files, core limits: {seen} (user {user})"
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
