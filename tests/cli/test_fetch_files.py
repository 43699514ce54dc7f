"""Where `pkgauth fetch` writes (issue 11, items 2 and 10): temporary files
that never follow or reuse an existing path, one-line write errors that say
why, and list files whose lines hold exactly one URL."""
import json
import os
import shutil
import subprocess
import time

import pytest

import nginx_server as ns
from conftest import PKGAUTH

pytestmark = pytest.mark.skipif(not shutil.which(ns.NGINX) and not os.path.exists(ns.NGINX),
                                reason="nginx is not installed (package nginx-light)")

REPODATA = "noarch/repodata.json"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    ns.make_channel(root / "channel")
    srv = ns.Nginx(root / "prefix", root / "channel").start()
    yield srv
    srv.stop()


@pytest.fixture
def env(base_env, auth_file):
    auth_file.write_text("{}")
    return dict(base_env, RATTLER_AUTH_FILE=str(auth_file))


def expected(server, rel):
    return (server.channel / rel).read_bytes()


def one_error(p):
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), p.stderr
    return lines[0]


def fetch_as_known_pid(env, plant, *args, umask=None):
    """Runs `pkgauth fetch ARGS` under a pid known in advance (a shell that
    execs it), calling plant(pid) before pkgauth starts."""
    def pre():
        if umask is not None:
            os.umask(umask)
    p = subprocess.Popen(["sh", "-c", 'read _; exec "$0" "$@"', str(PKGAUTH), "fetch", *map(str, args)],
                         env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, preexec_fn=pre)
    plant(p.pid)
    out, err = p.communicate("go\n", timeout=60)
    return p.returncode, out, err


# ---- item 2: temporary files ---------------------------------------------------

def test_planted_symlink_at_temporary_name_is_not_followed(server, env, tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    out = tmp_path / "repodata.json"

    def plant(pid):  # the old name, and a few guesses around it
        for n in range(pid - 2, pid + 3):
            os.symlink(victim, f"{out}.pkgauth-{n}.part")
    rc, _, err = fetch_as_known_pid(env, plant, "-o", out, server.other_url(REPODATA))
    assert rc == 0, err
    assert victim.read_bytes() == b"precious"
    assert out.read_bytes() == expected(server, REPODATA) and not out.is_symlink()


def test_existing_file_at_temporary_name_is_not_reused(server, env, tmp_path):
    out = tmp_path / "repodata.json"
    planted = []

    def plant(pid):
        f = tmp_path / f"repodata.json.pkgauth-{pid}.part"
        f.write_bytes(b"someone else's")
        planted.append(f)
    rc, _, err = fetch_as_known_pid(env, plant, "-o", out, server.other_url(REPODATA))
    assert rc == 0, err
    assert planted[0].read_bytes() == b"someone else's"
    assert out.read_bytes() == expected(server, REPODATA)


def test_downloaded_file_mode_follows_umask(server, env, tmp_path):
    out = tmp_path / "repodata.json"
    rc, _, err = fetch_as_known_pid(env, lambda pid: None, "-o", out,
                                    server.other_url(REPODATA), umask=0o022)
    assert rc == 0, err
    assert out.stat().st_mode & 0o777 == 0o644


def test_longest_file_name_is_written(server, run, env, tmp_path):
    """A name of NAME_MAX bytes is valid: the temporary must still fit."""
    out = tmp_path / ("n" * 255)
    run("fetch", "-o", out, server.other_url(REPODATA),
        env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]}, check=0)
    assert out.read_bytes() == expected(server, REPODATA)
    assert [p.name for p in tmp_path.iterdir() if "pkgauth" in p.name] == []


def test_temporaries_never_left_and_final_name_complete(server, run, env, tmp_path):
    d = tmp_path / "o"
    names = sorted(p.name for p in (server.channel / "noarch").iterdir())
    run("fetch", "-j", "4", "--output-dir", d,
        *[server.other_url(f"noarch/{n}") for n in names],
        env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]}, check=0)
    assert sorted(p.name for p in d.iterdir()) == names


# ---- item 10: write errors say why, on one line ----------------------------------

def test_write_error_output_is_a_directory(server, run, env, tmp_path):
    d = tmp_path / "dir"
    d.mkdir()
    p = run("fetch", "-o", d, server.other_url(REPODATA), env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]})
    assert p.returncode == 1
    line = one_error(p)
    assert line.startswith(f"error: cannot write {d}: {os.strerror(21)}"), line  # EISDIR
    assert server.other_url(REPODATA) in line
    assert list(d.iterdir()) == []


def test_write_error_missing_folder(server, run, env, tmp_path):
    out = tmp_path / "missing" / "f.json"
    p = run("fetch", "-o", out, server.other_url(REPODATA), env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]})
    assert p.returncode == 1
    line = one_error(p)
    assert line.startswith(f"error: cannot write {out}: {os.strerror(2)}"), line  # ENOENT
    assert not (tmp_path / "missing").exists()


def test_write_error_name_too_long(server, run, env, tmp_path):
    out = tmp_path / ("n" * 256)
    p = run("fetch", "-o", out, server.other_url(REPODATA), env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]})
    assert p.returncode == 1
    line = one_error(p)
    assert line.startswith(f"error: cannot write {out}: {os.strerror(36)}"), line  # ENAMETOOLONG
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("n")] == []


# ---- item 10: -i takes one URL per line ---------------------------------------------

def test_list_line_with_inner_whitespace_is_an_error(server, run, env, tmp_path):
    listing = tmp_path / "list.txt"
    good = server.other_url(REPODATA)
    listing.write_text(f"# list\n  {good}  \n{good} extra\n")
    d = tmp_path / "o"
    p = run("fetch", "-i", listing, "--output-dir", d, env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]})
    assert p.returncode == 1, p.stderr
    line = one_error(p)
    assert f"{listing}:3: " in line and "one URL per line" in line, line
    assert not d.exists()


def test_list_line_with_tab_and_token_not_echoed(server, run, env, tmp_path, secrets):
    """The offending line may hold a conda token: it is named, not shown."""
    listing = tmp_path / "list.txt"
    listing.write_text("http://127.0.0.1:1/t/tok-Secret-123/a\tb\n")
    secrets.add("tok-Secret-123")
    p = run("fetch", "-i", listing, "-O", env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]})
    assert p.returncode == 1
    assert f"{listing}:1: " in one_error(p)


@pytest.mark.parametrize("inner", ["\r", "\x00", "\x0b", "\x1b[2J"])
def test_list_line_with_control_character_is_an_error(run, env, tmp_path, inner):
    listing = tmp_path / "list.txt"
    listing.write_bytes(f"http://127.0.0.1:1/a{inner}http://127.0.0.1:1/b\n".encode())
    p = run("fetch", "-i", listing, "-O", env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]})
    assert p.returncode == 1
    assert f"{listing}:1: " in one_error(p)


def test_list_surrounding_whitespace_and_crlf_still_fine(server, run, env, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text(f"\t{server.other_url(REPODATA)} \r\n\n# c\n")
    d = tmp_path / "o"
    run("fetch", "-i", listing, "--output-dir", d, env={"RATTLER_AUTH_FILE": env["RATTLER_AUTH_FILE"]}, check=0)
    assert (d / "repodata.json").read_bytes() == expected(server, REPODATA)
