"""Without libcurl (dlopen of it fails, through the LD_PRELOAD shim
tests/tools/fault_inject.c), commands that need it fail with one error
line and exit 1, never an abort; commands that do not need it still work
(issue 12 item 5)."""
from conftest import BIN_DIR

SHIM = BIN_DIR.parent / "lib" / "libfault_inject.so"
NO_CURL = {"LD_PRELOAD": SHIM, "PKGAUTH_FAULT": "no-libcurl"}


def errors(p):
    return [l for l in p.stderr.splitlines() if l.startswith("error:")]


def test_which_url_reports_missing_libcurl(run, auth_file):
    auth_file.write_text('{"repo.example.com":{"BearerToken":"tok"}}')
    p = run("which", "https://repo.example.com/x/repodata.json",
            env=dict(NO_CURL, RATTLER_AUTH_FILE=auth_file))
    assert p.returncode == 1, p.stderr
    assert len(errors(p)) == 1 and "cannot load libcurl" in errors(p)[0], p.stderr


def test_fetch_reports_missing_libcurl(run, tmp_path):
    p = run("fetch", "-o", tmp_path / "out", "https://repo.example.com/x",
            env=NO_CURL)
    assert p.returncode == 1, p.stderr
    assert len(errors(p)) == 1 and "cannot load libcurl" in errors(p)[0], p.stderr
    assert not (tmp_path / "out").exists()


def test_token_for_a_host_needs_no_libcurl(run, auth_file):
    auth_file.write_text('{"repo.example.com":{"BearerToken":"tok"}}')
    p = run("token", "repo.example.com", env=dict(NO_CURL, RATTLER_AUTH_FILE=auth_file))
    assert p.returncode == 0, p.stderr
