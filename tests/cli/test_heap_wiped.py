"""Secrets are wiped before their memory is freed, jansson's blocks
included: the CLI opts into pkgauth_init(PKGAUTH_INIT_WIPE_JSON) (the
library no longer swaps jansson's allocator behind a program's back, issue
12 item 6). An LD_PRELOAD shim (tests/tools/free_spy.c) records every free()
of a block that still holds the secret."""
import json
import os
import subprocess
import sys

import pytest

from conftest import BIN_DIR

SHIM = BIN_DIR.parent / "lib" / "libfree_spy.so"
SECRET = "HEAPspySecret7Qx"

# A sanitizer runtime must come first and intercepts free() itself.
pytestmark = pytest.mark.skipif(bool(os.environ.get("PKGAUTH_SANITIZE")),
                                reason="LD_PRELOAD shim cannot run beside a sanitizer")


@pytest.fixture
def spy(tmp_path):
    out = tmp_path / "spy.out"
    env = {"LD_PRELOAD": SHIM, "PKGAUTH_SPY_SECRET": SECRET, "PKGAUTH_SPY_OUT": out}

    def hits():
        return out.read_text().count("\n") if out.exists() else 0
    return env, hits


def test_spy_catches_an_unwiped_free(spy):
    """The shim works: a program that frees a secret unwiped is caught."""
    env, hits = spy
    e = dict(os.environ, **{k: str(v) for k, v in env.items()})
    subprocess.run([sys.executable, "-c", f"s = {SECRET!r} * 4000; del s"], env=e, check=True)
    assert hits() > 0


@pytest.mark.parametrize("args", [
    ["token", "h.example.com"],
    ["status"],
    ["login", "new.example.com", "--token", SECRET],
    ["logout", "h.example.com"],
])
def test_cli_frees_no_secret_unwiped(run, auth_file, spy, args):
    # (`token` prints the secret: that is its job, so it is no leak here.)
    auth_file.write_text(json.dumps({"h.example.com": {"BearerToken": SECRET}}))
    env, hits = spy
    p = run(*args, env={**env, "RATTLER_AUTH_FILE": auth_file})
    assert p.returncode == 0, p.stderr
    assert hits() == 0
