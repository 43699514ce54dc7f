"""The build without the keyring (-DPKGAUTH_KEYRING=OFF): no libsecret
anywhere, and the default chain starts at the file, without a word about
keyrings. Configures and compiles that variant into <build>/keyring-off
(incremental on later runs)."""
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR

BUILD_DIR = pathlib.Path(os.environ.get("PKGAUTH_BUILD_DIR", SOURCE_DIR / "build"))
OFF_DIR = BUILD_DIR / "keyring-off"


@pytest.fixture(scope="module")
def off_build():
    for tool in ("cmake", "ldd", "nm"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed")
    configure = ["cmake", "-S", str(SOURCE_DIR), "-B", str(OFF_DIR), "-DPKGAUTH_KEYRING=OFF",
                 "-DPKGAUTH_TESTS=OFF", "-DPKGAUTH_WERROR=ON"]
    for cmd in (configure, ["cmake", "--build", str(OFF_DIR), "-j2"]):
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        assert p.returncode == 0, f"{' '.join(cmd)}:\n{p.stdout[-4000:]}\n{p.stderr[-4000:]}"
    return OFF_DIR


def test_nothing_links_libsecret(off_build):
    for binary in (off_build / "bin" / "pkgauth", off_build / "lib" / "libpkgauth.so"):
        deps = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
        assert "libsecret" not in deps and "libglib" not in deps, f"{binary}:\n{deps}"
    symbols = subprocess.run(["nm", str(off_build / "lib" / "libpkgauth.a")],
                             capture_output=True, text=True).stdout
    assert "pkgauth_backend_keyring" not in symbols and " secret_" not in symbols
    pc = (off_build / "pkgauth.pc").read_text()
    # libcurl is loaded on first use, so not a pkg-config dependency either
    assert "libsecret" not in pc and "Requires.private: jansson libcrypto\n" in pc


def test_login_writes_the_file_without_keyring_warnings(off_build, base_env, home, tmp_path):
    pkgauth = str(off_build / "bin" / "pkgauth")
    # Even with a session bus address, this build never looks for a keyring.
    env = dict(base_env, DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-bus")

    def run(*args, input=None):
        p = subprocess.run([pkgauth, *args], env=env, input=input, capture_output=True,
                           text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return p

    p = run("login", "off.example.com", "--token", "-", input="off_tok\n")
    assert p.stderr == "Authenticating with off.example.com using BearerToken method\n"
    f = home / ".rattler" / "credentials.json"
    assert f.read_text() == '{"off.example.com":{"BearerToken":"off_tok"}}'
    p = run("-v", "status")
    assert f"debug: store 1: file ({f})\n" in p.stderr
    assert "keyring" not in p.stderr.lower() and "keyring" not in p.stdout.lower()
