"""Fault injection for the file store: each step of a write fails in turn
(through an LD_PRELOAD shim, tests/tools/fault_inject.c); each time the
original file is byte-identical afterwards, the error is one clear line and
the exit status is 1. Plus hostile files: a directory, a dangling symlink, a
read-only folder, a huge file, a NUL byte, invalid UTF-8."""
import json
import os

import pytest

from conftest import BIN_DIR

SHIM = BIN_DIR.parent / "lib" / "libfault_inject.so"
ORIGINAL = b'{"keep.example.com":{"BearerToken":"keep-me"}}'


@pytest.fixture
def faulty(run, tmp_path):
    d = tmp_path / "store"
    d.mkdir()
    f = d / "credentials.json"
    f.write_bytes(ORIGINAL)

    def _run(step, *args):
        env = {"RATTLER_AUTH_FILE": f, "LD_PRELOAD": SHIM, "PKGAUTH_FAULT": step,
               "PKGAUTH_FAULT_PATH": str(d)}
        return run(*args, env=env)
    return f, _run


@pytest.mark.parametrize("step,reason", [
    ("lock-open", "cannot lock"), ("flock", "cannot lock"),
    ("mkstemp", "cannot create temporary file"), ("write", "cannot write"),
    ("short-write", "cannot write"), ("fsync", "cannot write"), ("close", "cannot write"),
    ("rename", "cannot replace"),
])
@pytest.mark.parametrize("command", [["login", "new.example.com", "--token", "t"],
                                     ["logout", "keep.example.com"]])
def test_failed_write_keeps_file(faulty, step, reason, command):
    f, run_faulty = faulty
    p = run_faulty(step, *command)
    assert p.returncode == 1, p.stderr
    errors = [l for l in p.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 1 and reason in errors[0], p.stderr
    assert f.read_bytes() == ORIGINAL
    # No temporary file is left behind.
    assert sorted(x.name for x in f.parent.iterdir()) in (
        ["credentials.json"], ["credentials.json", "credentials.json.lock"])


def test_shim_is_effective(faulty):
    """Without a fault the same command succeeds (so the test can fail)."""
    f, run_faulty = faulty
    assert run_faulty("none", "login", "new.example.com", "--token", "t").returncode == 0
    assert "new.example.com" in json.loads(f.read_text())


def test_mkdir_failure(run, tmp_path):
    target = tmp_path / "missing" / "credentials.json"
    p = run("login", "a.example.com", "--token", "t",
            env={"RATTLER_AUTH_FILE": target, "LD_PRELOAD": SHIM, "PKGAUTH_FAULT": "mkdir",
                 "PKGAUTH_FAULT_PATH": str(tmp_path)})
    assert p.returncode == 1 and "cannot create folder" in p.stderr


def test_file_is_a_directory(run, tmp_path):
    d = tmp_path / "credentials.json"
    d.mkdir()
    for args in (["status"], ["login", "a.example.com", "--token", "t"]):
        p = run(*args, env={"RATTLER_AUTH_FILE": d})
        assert p.returncode == 1 and "is a directory" in p.stderr
    assert d.is_dir()


def test_dangling_symlink_is_empty_store(run, tmp_path):
    link = tmp_path / "credentials.json"
    link.symlink_to(tmp_path / "nowhere.json")
    assert run("status", env={"RATTLER_AUTH_FILE": link}, check=0).stdout == "No credentials stored.\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder(run, tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    (d / "credentials.json").write_bytes(ORIGINAL)
    d.chmod(0o500)
    try:
        p = run("login", "a.example.com", "--token", "t", env={"RATTLER_AUTH_FILE": d / "credentials.json"})
        assert p.returncode == 1
        assert (d / "credentials.json").read_bytes() == ORIGINAL
    finally:
        d.chmod(0o700)


def test_huge_file_is_rejected_cleanly(run, tmp_path):
    f = tmp_path / "credentials.json"
    with open(f, "wb") as fp:
        fp.write(b'{"a":{"BearerToken":"')
        fp.write(b"x" * (100 * 1024 * 1024))
        fp.write(b'"}}')
    size = f.stat().st_size
    p = run("token", "a", env={"RATTLER_AUTH_FILE": f}, check=0)
    assert p.stdout == "x" * (100 * 1024 * 1024) + "\n"
    p = run("login", "b.example.com", "--token", "t", env={"RATTLER_AUTH_FILE": f}, check=0)
    assert f.stat().st_size == size + len(b',"b.example.com":{"BearerToken":"t"}')


@pytest.mark.parametrize("content,reason", [
    (b'{"a":{"BearerToken":"x\x00y"}}', "invalid JSON"),
    (b'{"a\xff":{"BearerToken":"x"}}', "invalid JSON"),
    (b'{"a":{"BearerToken":"\xc3\x28"}}', "invalid JSON"),
])
def test_nul_and_invalid_utf8(run, tmp_path, content, reason):
    f = tmp_path / "credentials.json"
    f.write_bytes(content)
    for args in (["status"], ["login", "b.example.com", "--token", "t"]):
        p = run(*args, env={"RATTLER_AUTH_FILE": f})
        assert p.returncode == 1 and reason in p.stderr and str(f) in p.stderr
    assert f.read_bytes() == content
