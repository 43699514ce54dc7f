"""The `keyring` helper for PyPI indexes (issue 11 item 9): it runs in its
own process group; pkgauth is done when the helper exits, not when its
pipe closes (a background process it left may hold the pipe open), and
at the time limit the whole group is killed, grandchildren included.
Fake `keyring` scripts on PATH, the index served by nginx (test_pypi.py)."""
import os
import pathlib
import subprocess
import time

import pypi_index as pi
from conftest import PKGAUTH
from test_pypi import PAGE, pytestmark, server  # noqa: F401 (fixture, skip mark)


def fake_keyring(tmp_path, body):
    bindir = tmp_path / "fakebin"
    bindir.mkdir()
    script = bindir / "keyring"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return {"PATH": f"{bindir}:{os.environ['PATH']}"}


def gone(pid):
    """Dead: no such process, or a zombie waiting for its reaper."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def wait_gone(pid, seconds=5):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not gone(pid):
        time.sleep(0.05)
    return gone(pid)


def test_answer_is_used_when_a_background_child_holds_the_pipe(run, server, tmp_path, secrets):
    """The helper prints the password and exits; a `sleep` it started in
    the background keeps stdout open. Used to wait for the time limit, then
    throw the answer away."""
    secrets.add(pi.PASSWORD)
    bg = tmp_path / "bg-pid"
    env = fake_keyring(tmp_path,
                       f"sleep 30 &\necho $! > '{bg}'\necho '{pi.PASSWORD}'\nexit 0\n")
    env["PKGAUTH_KEYRING_TIMEOUT"] = "10"
    start = time.monotonic()
    p = run("fetch", "--pypi-keyring-provider", "subprocess", server.user_url(PAGE), env=env,
            check=0)
    elapsed = time.monotonic() - start
    assert pi.FILE in p.stdout and "warning" not in p.stderr
    assert elapsed < 3, elapsed
    os.kill(int(bg.read_text()), 9)  # the helper's leftover is its own business


def test_timeout_kills_the_whole_group(base_env, server, tmp_path, secrets):
    """The helper starts a background `sleep` (holding stdout) and hangs:
    at the limit both are killed, and pkgauth goes on at once."""
    secrets.add(pi.PASSWORD)
    bg = tmp_path / "bg-pid"
    env = {**base_env, **fake_keyring(tmp_path,
                                      f"sleep 300 &\necho $! > '{bg}'\n"
                                      "while :; do sleep 1; done\n"),
           "PKGAUTH_KEYRING_TIMEOUT": "1"}
    start = time.monotonic()
    p = subprocess.run([str(PKGAUTH), "fetch", "--pypi-keyring-provider", "subprocess",
                        server.user_url(PAGE)], env=env, capture_output=True, text=True,
                       timeout=60)
    elapsed = time.monotonic() - start
    assert p.returncode == 1 and "no answer within 1.0 s" in p.stderr, p.stderr
    assert elapsed < 4, elapsed
    pid = int(bg.read_text())
    if not wait_gone(pid):
        os.kill(pid, 9)
        raise AssertionError("the helper's background child survived the time limit")
