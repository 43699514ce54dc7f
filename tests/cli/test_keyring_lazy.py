"""libsecret and GLib are loaded on first use (src/lib/secret_dl.h), as
libcurl is: a command that never reaches the keyring maps none of them, one
that does loads them then, and a libsecret that cannot be loaded makes the
keyring "unavailable" (the next store is used), never a crash."""
import json
import subprocess

from conftest import BIN_DIR, PKGAUTH
from test_keyring import PROBE, keyring, need  # noqa: F401 (keyring is a fixture)

GLIB_LIBS = ("libsecret", "libglib", "libgio", "libgobject")


def loaded_libraries(stderr):
    """The libraries the dynamic linker opened (LD_DEBUG=files)."""
    return [l for l in stderr.splitlines() if "file=" in l and "[0];  needed by" not in l]


def mentions_glib(text):
    return [lib for lib in GLIB_LIBS if lib in text]


def test_no_binary_links_libsecret():
    lib_dir = BIN_DIR.parent / "lib"
    for binary in (PKGAUTH, lib_dir / "libpkgauth.so"):
        deps = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
        assert not mentions_glib(deps), f"{binary} links {mentions_glib(deps)}:\n{deps}"


def test_a_file_store_command_loads_no_glib(run, auth_file):
    auth_file.write_text(json.dumps({"lazy.example.com": {"BearerToken": "lazy_tok"}}))
    # Default chain without a session bus: the keyring steps aside unloaded.
    for args in (["--auth-file", auth_file, "token", "lazy.example.com"], ["status"]):
        p = run(*args, env={"LD_DEBUG": "files"})
        assert not mentions_glib(p.stderr), f"{args} loaded {mentions_glib(p.stderr)}"
    p = run("--auth-file", auth_file, "token", "lazy.example.com")
    assert p.stdout == "lazy_tok\n"


def test_the_keyring_loads_libsecret_on_first_use(run, keyring):
    p = run("login", "lazy.example.com", "--token", "-", input="lazy_kr\n", env=keyring.env,
            check=0)
    assert "warning" not in p.stderr
    p = run("token", "lazy.example.com", env={**keyring.env, "LD_DEBUG": "files"}, check=0)
    assert "libsecret-1.so.0" in p.stderr  # loaded, not linked ...
    assert p.stdout == "lazy_kr\n"  # ... and it answers from the keyring
    assert keyring.lookup("lazy.example.com") == '{"BearerToken":"lazy_kr"}'


def test_a_libsecret_that_cannot_load_is_unavailable(keyring, base_env):
    need()
    env = dict(base_env, **keyring.env)
    p = subprocess.run([str(PROBE), "detect-unloadable"], env=env, capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    first, message = p.stdout.splitlines()[:2]
    assert first.startswith("rc=-7 ")  # PKGAUTH_EUNAVAILABLE: the chain goes on
    assert message.startswith("no Secret Service keyring (cannot load libpkgauth-absent.so.0")
