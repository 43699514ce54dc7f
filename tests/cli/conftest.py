"""Shared fixtures for the command-line tests.

Every test runs pkgauth in a private HOME with no keyring bus, no netrc and
no override file, unless the test sets them. Every secret a test registers
with `secrets.add(...)` is checked against everything pkgauth prints, in
every run of that test: a leak fails the test that caused it.
"""
import os
import pathlib
import subprocess

import pytest

BIN_DIR = pathlib.Path(os.environ.get("PKGAUTH_BIN_DIR", pathlib.Path(__file__).resolve().parents[2] / "build" / "bin"))
SOURCE_DIR = pathlib.Path(os.environ.get("PKGAUTH_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SHARED_DIR = pathlib.Path(os.environ.get("PKGAUTH_SHARED_DIR", SOURCE_DIR.parent / "shared"))
PKGAUTH = BIN_DIR / "pkgauth"

# Files the tests write hold secrets: create them private, as a careful user
# (and pixi) would; pkgauth warns about credentials files others can read.
os.umask(0o077)

# Variables that would make a test depend on the machine it runs on.
SCRUBBED = ["RATTLER_AUTH_FILE", "NETRC", "PIXI_HOME", "PIXI_COLOR", "NO_COLOR",
            "PIXI_NO_PROGRESS", "DBUS_SESSION_BUS_ADDRESS", "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION",
            "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
            "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "PREFIX_DEV_API_URL",
            "XDG_CONFIG_HOME", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
            "ALL_PROXY", "all_proxy"]


# In a sanitizer build every report fails the test that triggered it, even
# where the exit status is not checked.
SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


SHARED_ABSENT = "../shared is not beside the repository"


def shared_path(*parts):
    """A path under ../shared, or skip the test when ../shared is absent
    (which makes the whole file report "Skipped": see the end of this file)."""
    p = SHARED_DIR.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} absent: {SHARED_ABSENT}")
    return p


class Secrets(set):
    """Secrets a test used; none may ever appear in pkgauth's output."""

    def check(self, text, where):
        for s in self:
            assert s not in text, f"secret {s[:3]}... leaked in {where}"


@pytest.fixture
def secrets():
    return Secrets()


@pytest.fixture
def home(tmp_path):
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture(scope="session")
def prefix_dev_stub():
    """`login` checks prefix.dev tokens with the server, which cannot be
    reached here: every test talks to a local stub instead, which accepts
    any token not starting with "bad-" (tests/cli/prefix_dev_stub.py)."""
    from prefix_dev_stub import PrefixDevStub
    stub = PrefixDevStub()
    yield stub
    stub.close()


@pytest.fixture
def base_env(home, prefix_dev_stub):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env["PREFIX_DEV_API_URL"] = prefix_dev_stub.url
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    # pixi's /etc/pixi/config.toml, moved so the machine's file (if any)
    # cannot change a test and tests can write one (docs/configuration.md).
    env["PKGAUTH_SYSTEM_CONFIG_DIR"] = str(home.parent / "etc-pixi")
    return env


@pytest.fixture
def run(base_env, secrets):
    """run(*args, env=None, input=None, check=None) -> CompletedProcess.

    `env` entries are added to (or, with value None, removed from) the
    test environment. `check` asserts the exit status when not None."""

    def _run(*args, env=None, input=None, check=None, timeout=60):
        e = dict(base_env)
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = str(v)
        p = subprocess.run([str(PKGAUTH), *map(str, args)], env=e, input=input,
                           capture_output=True, text=True, timeout=timeout)
        for report in SANITIZER_REPORTS:
            assert report not in p.stderr, f"sanitizer report from {args}: {p.stderr[-2000:]}"
        secrets.check(p.stdout, f"stdout of {args[0] if args else ''}")
        secrets.check(p.stderr, f"stderr of {args[0] if args else ''}")
        if check is not None:
            assert p.returncode == check, f"exit {p.returncode}, stderr: {p.stderr}"
        return p

    return _run


@pytest.fixture
def auth_file(tmp_path):
    return tmp_path / "credentials.json"


# ---- data-dependent tests: "Skipped" in ctest, never "Passed" ----
# A file in which a test was skipped for want of ../shared (shared_path()),
# or which collected no test at all, exits with 77: tests/CMakeLists.txt
# declares it ctest's SKIP_RETURN_CODE, so ctest shows "Skipped" and CI
# (.ci/run) fails. Other skips inside a file that otherwise passes are fine.
EXIT_SKIPPED = 77
_shared_skips = []


def pytest_runtest_logreport(report):
    if report.skipped and isinstance(report.longrepr, tuple) \
            and SHARED_ABSENT in str(report.longrepr[2]):
        _shared_skips.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED or \
            (exitstatus == pytest.ExitCode.OK and _shared_skips):
        session.exitstatus = EXIT_SKIPPED
