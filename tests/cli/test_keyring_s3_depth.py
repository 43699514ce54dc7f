"""Issue 17 item 4: an s3:// URL is looked up by its prefixes, one per "/"
(compat.md "Finding the credential for a URL"); through the keyring each
used to be one D-Bus search, so `which s3://bkt/` + 20,000 slashes took
21.8 s. A deep URL now costs one listing of the stores, then only the
prefixes that are stored keys are asked. Against a real gnome-keyring on
a private bus (test_keyring.py's fixture)."""
import time

import pytest

from test_keyring import STORE, keyring  # noqa: F401 (the fixture)

DEPTH = 20_000


def login_s3(run, env, key, secrets):
    secrets.add("s3-secret-Deep-8Kq")
    run("login", key, "--s3-access-key-id", "AKIDDEEP", "--s3-secret-access-key",
        "s3-secret-Deep-8Kq", env=env, check=0)


def timed(run, *args, env, check):
    start = time.monotonic()
    p = run(*args, env=env, check=check)
    return p, time.monotonic() - start


@pytest.mark.parametrize("tail", ["/" * DEPTH, "a/" * DEPTH, "/" * DEPTH + "x"])
def test_deep_s3_url_finds_its_prefix_fast(run, keyring, secrets, tail, report_time):
    env = keyring.env
    login_s3(run, env, "s3://deep-bkt/a", secrets)
    assert keyring.items("s3://deep-bkt/a"), "the credential must be in the keyring"
    p, elapsed = timed(run, "which", f"s3://deep-bkt/a/{tail}", env=env, check=0)
    assert p.stdout == f"key:    s3://deep-bkt/a\nstore:  {STORE}\nmethod: S3\n"
    report_time(f"which s3://deep-bkt/a/ + {len(tail)} bytes: {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0, elapsed


def test_deep_s3_url_misses_fast(run, keyring, secrets, report_time):
    env = keyring.env
    login_s3(run, env, "s3://other-bkt/x", secrets)
    url = "s3://deep-bkt/" + "/" * DEPTH
    p, elapsed = timed(run, "which", url, env=env, check=1)
    assert p.stderr.startswith("error: no credentials for s3://deep-bkt/")
    report_time(f"which s3://deep-bkt/ + {DEPTH} slashes (no match): {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0, elapsed


def test_deepest_stored_prefix_wins(run, keyring, secrets):
    """The order stays: the longest stored prefix answers."""
    env = keyring.env
    login_s3(run, env, "s3://deep-bkt", secrets)
    login_s3(run, env, "s3://deep-bkt/a//b", secrets)
    p = run("which", "s3://deep-bkt/a//b/" + "c/" * 100, env=env, check=0)
    assert p.stdout.startswith("key:    s3://deep-bkt/a//b\n")
    p = run("which", "s3://deep-bkt/a/" + "c/" * 100, env=env, check=0)
    assert p.stdout.startswith("key:    s3://deep-bkt\n")


@pytest.fixture
def report_time(capsys):
    import sys

    def _report(line):
        with capsys.disabled():
            print(f"[s3-depth] {line}", file=sys.__stderr__, flush=True)

    return _report
