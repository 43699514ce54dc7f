"""`cmake --install` gives a usable library: versioned SONAME, only the
public API exported, a header and a pkgauth.pc that builds the example."""
import json
import os
import subprocess

import pytest

from conftest import SOURCE_DIR

BUILD_DIR = os.environ.get("PKGAUTH_BUILD_DIR", str(SOURCE_DIR / "build"))


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    p = tmp_path_factory.mktemp("prefix")
    subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", str(p)], check=True,
                   capture_output=True)
    return p


def find(prefix, name):
    hits = [os.path.join(d, name) for d, _, files in os.walk(prefix) if name in files]
    assert hits, f"{name} not installed under {prefix}"
    return hits[0]


def test_installed_files(prefix):
    assert os.access(prefix / "bin" / "pkgauth", os.X_OK)
    assert (prefix / "include" / "pkgauth" / "pkgauth.h").exists()
    so = find(prefix, "libpkgauth.so.0")
    soname = subprocess.run(["objdump", "-p", so], capture_output=True, text=True).stdout
    assert "SONAME               libpkgauth.so.0" in soname
    find(prefix, "libpkgauth.a")


def test_only_public_api_exported(prefix):
    so = find(prefix, "libpkgauth.so.0")
    out = subprocess.run(["nm", "-D", "--defined-only", so], capture_output=True, text=True,
                         check=True).stdout
    symbols = [line.split()[-1] for line in out.splitlines() if " T " in line]
    assert symbols and all(s.startswith("pkgauth_") for s in symbols), symbols


def test_example_builds_with_pkg_config(prefix, tmp_path):
    pc_dir = os.path.dirname(find(prefix, "pkgauth.pc"))
    env = dict(os.environ, PKG_CONFIG_PATH=pc_dir)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "pkgauth"], env=env,
                           capture_output=True, text=True, check=True).stdout.split()
    exe = tmp_path / "find"
    # A sanitizer build's library needs the sanitizer runtime in the program.
    sanitize = os.environ.get("PKGAUTH_SANITIZE")
    extra = [f"-fsanitize={sanitize}"] if sanitize else []
    subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", *extra,
                    str(SOURCE_DIR / "examples" / "find.c"), "-o", str(exe), *flags], check=True)
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"*.prefix.dev": {"BearerToken": "x"}}))
    run_env = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(find(prefix, "libpkgauth.so.0")),
                   RATTLER_AUTH_FILE=str(auth))
    p = subprocess.run([str(exe), "https://repo.prefix.dev/c"], env=run_env, capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout == f"*.prefix.dev BearerToken file ({auth})\n"


def test_lookup_needs_no_curl(prefix, tmp_path):
    """A program that only looks up hosts needs neither curl's headers nor
    its pkg-config file (libpkgauth loads libcurl itself, on first use);
    the libcurl functions are in the installed, opt-in pkgauth/curl.h."""
    assert (prefix / "include" / "pkgauth" / "curl.h").exists()
    pc_dir = os.path.dirname(find(prefix, "pkgauth.pc"))
    env = dict(os.environ, PKG_CONFIG_PATH=pc_dir)
    needs = subprocess.run(["pkg-config", "--print-requires", "--print-requires-private",
                            "pkgauth"], env=env, capture_output=True, text=True,
                           check=True).stdout
    assert "libcurl" not in needs, needs
    cflags = subprocess.run(["pkg-config", "--cflags", "pkgauth"], env=env,
                            capture_output=True, text=True, check=True).stdout.split()
    no_curl = SOURCE_DIR / "tests" / "tools" / "no_curl"  # curl/curl.h is an #error
    p = subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", "-fsyntax-only", f"-I{no_curl}",
                        *cflags, str(SOURCE_DIR / "examples" / "find.c")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
