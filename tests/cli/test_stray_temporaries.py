"""No stray copies of the credentials (issue 11, item 3). Each write of the
credentials file goes through a temporary ".credentials.json.pkgauth-XXXXXX" that
holds every secret. Real `pkgauth login` processes are stopped mid-write
(the LD_PRELOAD shim holds the first fsync of the temporary until told to
go on) and killed: SIGTERM, SIGINT and SIGHUP remove the temporary before
the process ends; what SIGKILL leaves is removed under the store's lock by
the next process that uses the file, and a live writer's temporary is never
touched."""
import json
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import BIN_DIR, PKGAUTH

SHIM = BIN_DIR.parent / "lib" / "libfault_inject.so"
ORIGINAL = {"keep.example.com": {"BearerToken": "keep-me-tok"}}
NEW_TOKEN = "new-secret-tok-5521"


@pytest.fixture
def store(tmp_path):
    d = tmp_path / "store"
    d.mkdir()
    f = d / "credentials.json"
    f.write_text(json.dumps(ORIGINAL, separators=(",", ":")))
    return f


def temporaries(f):
    """The names mkostemp gives pkgauth's temporaries of f."""
    pattern = re.compile(re.escape(f".{f.name}.") + "(pkgauth-)?[A-Za-z0-9]{6}")
    return sorted(p.name for p in f.parent.iterdir() if pattern.fullmatch(p.name))


class StalledWriter:
    """`pkgauth login new.example.com --token NEW_TOKEN`, held mid-write."""

    def __init__(self, base_env, f, dispositions=None):
        old = f.read_text() if f.exists() else ""
        before = set(temporaries(f))
        self.stall = f.parent.parent / "stall"
        self.stall.touch()
        env = dict(base_env, RATTLER_AUTH_FILE=str(f), LD_PRELOAD=str(SHIM),
                   PKGAUTH_FAULT="stall-fsync", PKGAUTH_FAULT_PATH=str(f.parent),
                   PKGAUTH_STALL_FILE=str(self.stall))
        actions = dict.fromkeys((signal.SIGTERM, signal.SIGINT, signal.SIGHUP), signal.SIG_DFL)
        actions.update(dispositions or {})

        def pre():  # a test runner may have left SIGINT ignored: be explicit
            for sig, action in actions.items():
                signal.signal(sig, action)
        self.proc = subprocess.Popen(
            [str(PKGAUTH), "login", "new.example.com", "--token", NEW_TOKEN], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=pre)
        deadline = time.monotonic() + 20
        marker = self.stall.with_name("stall.stalled")
        while not marker.exists():
            assert self.proc.poll() is None, self.proc.communicate()
            assert time.monotonic() < deadline, "the writer never reached fsync"
            time.sleep(0.01)
        # Caught mid-write: the temporary is there, holding every secret.
        (tmp,) = set(temporaries(f)) - before
        self.tmp = f.parent / tmp
        assert NEW_TOKEN in self.tmp.read_text()
        assert ("keep-me-tok" in old) == ("keep-me-tok" in self.tmp.read_text())

    def release(self):
        self.stall.unlink()

    def wait(self):
        out, err = self.proc.communicate(timeout=30)
        assert NEW_TOKEN not in out + err
        return self.proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_signal_mid_write_removes_temporary(base_env, store, sig):
    w = StalledWriter(base_env, store)
    w.proc.send_signal(sig)
    rc, _ = w.wait()
    w.release()
    assert rc == -sig  # ended by the signal, as without pkgauth's handler
    assert temporaries(store) == []
    assert json.loads(store.read_text()) == ORIGINAL


def test_caught_or_ignored_signal_lets_the_write_finish(base_env, store):
    """SIGHUP ignored (nohup): the process goes on, so must its file."""
    w = StalledWriter(base_env, store, {signal.SIGHUP: signal.SIG_IGN})
    w.proc.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    assert w.tmp.exists()
    w.release()
    rc, err = w.wait()
    assert rc == 0, err
    assert json.loads(store.read_text())["new.example.com"] == {"BearerToken": NEW_TOKEN}
    assert temporaries(store) == []


def killed_writer(base_env, store):
    w = StalledWriter(base_env, store)
    w.proc.kill()
    w.wait()
    w.release()
    assert w.tmp.exists()  # SIGKILL cannot be caught: it stays
    return w.tmp


def test_sigkill_leftover_removed_by_next_write(base_env, run, store):
    killed_writer(base_env, store)
    run("login", "other.example.com", "--token", "t", env={"RATTLER_AUTH_FILE": store}, check=0)
    assert temporaries(store) == []


@pytest.mark.parametrize("command", [["logout", "--all"], ["status"]])
def test_sigkill_leftover_removed_by_logout_all_and_readers(base_env, run, store, command):
    """`logout --all` of an empty store, too: the leftover may hold secrets
    that were never (or are no longer) in the file."""
    store.unlink()
    killed_writer(base_env, store)
    run(*command, env={"RATTLER_AUTH_FILE": store}, check=0)
    assert temporaries(store) == []


def test_live_writer_temporary_is_left_alone(base_env, run, store):
    w = StalledWriter(base_env, store)
    try:
        run("status", env={"RATTLER_AUTH_FILE": store}, check=0)
        assert w.tmp.exists()
    finally:
        w.release()
    rc, err = w.wait()
    assert rc == 0, err
    assert json.loads(store.read_text())["new.example.com"] == {"BearerToken": NEW_TOKEN}


def test_only_temporaries_of_this_file_are_swept(base_env, run, store):
    others = [".credentials.json.backup", ".credentials.json.pkgauth-ABC",
              ".other.json.pkgauth-AbC123", "credentials.json.pkgauth-AbC123",
              ".credentials.json.pkgauth-AbC12-", ".credentials.json.pkgauth-AbC1234"]
    for name in others:
        (store.parent / name).write_text("x")
    killed_writer(base_env, store)
    run("logout", "--all", env={"RATTLER_AUTH_FILE": store}, check=0)
    assert sorted(p.name for p in store.parent.iterdir()) == sorted(
        others + ["credentials.json", "credentials.json.lock"])
