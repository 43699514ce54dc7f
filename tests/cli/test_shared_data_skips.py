"""Tests that need ../shared say so when it is absent (issue 18 item 13):
their program exits 77, which tests/CMakeLists.txt declares ctest's
SKIP_RETURN_CODE, so ctest reports "Skipped" (and CI fails) instead of
"Passed". With the data present they run and pass (exit 0)."""
import os
import subprocess
import sys

import pytest

from conftest import BIN_DIR, SHARED_DIR, SOURCE_DIR

EXIT_SKIPPED = 77


def missing_dir(tmp_path):
    return tmp_path / "no-shared-here"


@pytest.mark.parametrize("program", ["test_sigv4", "test_netrc"])
def test_unit_program_exits_77_without_shared(program, tmp_path):
    exe = BIN_DIR / program
    env = dict(os.environ, PKGAUTH_SHARED_DIR=str(missing_dir(tmp_path)))
    p = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == EXIT_SKIPPED, p.stdout[-2000:] + p.stderr[-2000:]
    assert "skipped:" in p.stdout
    if (SHARED_DIR / "testdata").is_dir():
        env["PKGAUTH_SHARED_DIR"] = str(SHARED_DIR)
        p = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stdout[-2000:]


def test_pytest_file_exits_77_without_shared(tmp_path):
    env = dict(os.environ, PKGAUTH_SHARED_DIR=str(missing_dir(tmp_path)))
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        str(SOURCE_DIR / "tests" / "cli" / "test_toml_conformance.py")],
                       cwd=SOURCE_DIR / "tests" / "cli", env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == EXIT_SKIPPED, p.stdout[-2000:]
    assert "skipped" in p.stdout
