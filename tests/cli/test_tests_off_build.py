"""Test-only dependencies are optional (issue 12 item 9): with
-DPKGAUTH_TESTS=OFF the project configures and builds on a machine with no
cmocka and no pytest; with tests ON and cmocka missing, configuring stops
with one clear message.

cmocka is hidden from pkg-config (and so from CMake) by PKG_CONFIG_LIBDIR
naming a folder that holds every .pc file of the default search path except
cmocka.pc. That neither cmocka nor pytest is even looked for is read from
the CMake cache: a search leaves a CMOCKA_* or PYTEST entry there.
Builds into <build>/tests-off (incremental on later runs)."""
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR

BUILD_DIR = pathlib.Path(os.environ.get("PKGAUTH_BUILD_DIR", SOURCE_DIR / "build"))
OFF_DIR = BUILD_DIR / "tests-off"
ON_DIR = BUILD_DIR / "tests-on-no-cmocka"


@pytest.fixture(scope="module")
def no_cmocka_env(tmp_path_factory):
    for tool in ("cmake", "pkg-config"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed")
    pc_path = subprocess.run(["pkg-config", "--variable", "pc_path", "pkg-config"],
                             capture_output=True, text=True, check=True).stdout.strip()
    libdir = tmp_path_factory.mktemp("pkgconfig")
    for d in pc_path.split(":") + os.environ.get("PKG_CONFIG_PATH", "").split(":"):
        for pc in pathlib.Path(d).glob("*.pc") if d and os.path.isdir(d) else ():
            if pc.name != "cmocka.pc" and not (libdir / pc.name).exists():
                (libdir / pc.name).symlink_to(pc)
    env = {k: v for k, v in os.environ.items() if k not in ("PKG_CONFIG_PATH", "CMAKE_PREFIX_PATH")}
    env["PKG_CONFIG_LIBDIR"] = str(libdir)
    hidden = subprocess.run(["pkg-config", "--exists", "cmocka"], env=env)
    assert hidden.returncode != 0, "cmocka is still visible to pkg-config"
    return env


def configure(build_dir, env, *options):
    # A fresh cache: nothing found by an earlier run may hide a search.
    (build_dir / "CMakeCache.txt").unlink(missing_ok=True)
    return subprocess.run(["cmake", "-S", str(SOURCE_DIR), "-B", str(build_dir),
                           "-DPKGAUTH_WERROR=ON", *options],
                          env=env, capture_output=True, text=True, timeout=600)


def test_tests_off_needs_no_cmocka_or_pytest(no_cmocka_env):
    p = configure(OFF_DIR, no_cmocka_env, "-DPKGAUTH_TESTS=OFF")
    assert p.returncode == 0, f"configure:\n{p.stdout[-4000:]}\n{p.stderr[-4000:]}"
    cache = (OFF_DIR / "CMakeCache.txt").read_text()
    searched = [line for line in cache.splitlines()
                if line.startswith(("CMOCKA", "PYTEST", "pkgcfg_lib_CMOCKA"))]
    assert searched == [], f"a build without tests looked for test tools: {searched}"
    b = subprocess.run(["cmake", "--build", str(OFF_DIR), "-j2"], env=no_cmocka_env,
                       capture_output=True, text=True, timeout=900)
    assert b.returncode == 0, f"build:\n{b.stdout[-4000:]}\n{b.stderr[-4000:]}"
    assert (OFF_DIR / "bin" / "pkgauth").is_file()
    assert (OFF_DIR / "lib" / "libpkgauth.so").exists()
    assert not list((OFF_DIR / "bin").glob("test_*")), "unit tests were built"


def test_tests_on_without_cmocka_is_a_clear_error(no_cmocka_env):
    p = configure(ON_DIR, no_cmocka_env, "-DPKGAUTH_TESTS=ON")
    assert p.returncode != 0
    err = " ".join(p.stderr.split())  # CMake wraps long messages
    assert "PKGAUTH_TESTS is ON but cmocka was not found" in err, p.stderr[-4000:]
    assert "-DPKGAUTH_TESTS=OFF" in err
    shutil.rmtree(ON_DIR, ignore_errors=True)
