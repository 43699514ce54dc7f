"""The netrc file as the last, read-only store of the default chain
(compat.md "Which store is used"): NETRC or ~/.netrc, BasicHTTP entries,
shadowing, read-only logout, `default` never used, warnings and parse
errors. Passwords never appear in any output."""
import json

import pytest

NETRC = """\
# a comment line
machine Mixed.Example.ORG
  login alice
  password s3cretAlicePw
machine shared.example.com login bob password s3cretBobPw
machine dup.example.com login first password s3cretFirstPw
machine dup.example.com login second password s3cretSecondPw
"""

PASSWORDS = {"s3cretAlicePw", "s3cretBobPw", "s3cretFirstPw", "s3cretSecondPw",
             "s3cretDefaultPw"}


@pytest.fixture
def netrc(tmp_path, secrets):
    secrets.update(PASSWORDS)
    p = tmp_path / "my-netrc"
    p.write_text(NETRC)
    return p


@pytest.fixture
def cred_file(home):
    return home / ".rattler" / "credentials.json"


def write_creds(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def store_of(stdout):
    return dict(l.split(":", 1) for l in stdout.splitlines())["store"].strip()


# ---- lookups ---------------------------------------------------------------

def test_which_uses_netrc_entry(run, netrc):
    p = run("which", "https://mixed.example.org/simple/pkg/", env={"NETRC": netrc}, check=0)
    assert p.stdout == (f"key:    mixed.example.org\nstore:  netrc ({netrc})\n"
                        "method: BasicHTTP\n")
    assert p.stderr == ""


def test_token_refuses_basic(run, netrc):
    p = run("token", "shared.example.com", env={"NETRC": netrc}, check=1)
    assert "are BasicHTTP credentials, not a printable token" in p.stderr


def test_status_lists_netrc_entries(run, netrc):
    p = run("status", env={"NETRC": netrc}, check=0)
    assert f"mixed.example.org\n  method: BasicHTTP\n  store:  netrc ({netrc})\n  username: alice\n" in p.stdout
    assert f"shared.example.com\n  method: BasicHTTP\n  store:  netrc ({netrc})\n  username: bob\n" in p.stdout
    # A machine named twice: the first entry answers (curl), and only it is listed.
    assert "username: first" in p.stdout and "username: second" not in p.stdout


def test_home_netrc_is_the_default(run, home, secrets):
    secrets.add("s3cretHomePw")
    (home / ".netrc").write_text("machine h.example.com login u password s3cretHomePw\n")
    p = run("which", "https://h.example.com/", check=0)
    assert store_of(p.stdout) == f"netrc ({home}/.netrc)"


def test_missing_home_netrc_is_silent(run):
    p = run("status", check=0)
    assert p.stdout == "No credentials stored.\n" and p.stderr == ""


def test_missing_netrc_file_warns_once(run, tmp_path):
    missing = tmp_path / "nope-netrc"
    p = run("which", "https://a.example.com/", env={"NETRC": missing}, check=1)
    # Three candidate keys are probed; the warning comes once.
    assert p.stderr == (f"warning: netrc file {missing} does not exist\n"
                        "error: no credentials for https://a.example.com/\n")
    p = run("status", env={"NETRC": missing}, check=0)
    assert p.stderr == f"warning: netrc file {missing} does not exist\n"


@pytest.mark.parametrize("command,status", [(["status"], 0),
                                            (["which", "https://x.example.com/"], 1),
                                            (["logout", "x.example.com"], 1)])
def test_parse_error_warns_and_goes_on(run, tmp_path, secrets, command, status):
    """Issue 11 item 4: one warning naming file:line, then the chain without
    netrc (test_netrc_lenient.py has more)."""
    secrets.add("s3cretBrokenPw")
    bad = tmp_path / "bad-netrc"
    bad.write_text('machine ok.example.com login u password s3cretBrokenPw\n'
                   'machine x.example.com login "never closed\n')
    p = run(*command, env={"NETRC": bad}, check=status)
    assert p.stderr.startswith(f"warning: {bad}:2: unterminated quoted string; netrc not used\n")
    assert p.stderr.count("warning:") == 1


# ---- with the file store -----------------------------------------------------

def test_file_store_shadows_netrc(run, netrc, cred_file):
    write_creds(cred_file, {"shared.example.com": {"BearerToken": "fileTok3n"}})
    p = run("status", env={"NETRC": netrc}, check=0)
    assert (f"shared.example.com\n  method: BearerToken\n  store:  file ({cred_file})\n"
            f"shared.example.com\n  method: BasicHTTP\n  store:  netrc ({netrc}) (shadowed)\n"
            "  username: bob\n") in p.stdout
    p = run("which", "https://shared.example.com/", env={"NETRC": netrc}, check=0)
    assert store_of(p.stdout) == f"file ({cred_file})"


def test_login_never_writes_netrc(run, netrc, cred_file):
    run("login", "shared.example.com", "--token", "fileTok3n", env={"NETRC": netrc}, check=0)
    assert netrc.read_text() == NETRC
    assert json.loads(cred_file.read_text()) == {"shared.example.com": {"BearerToken": "fileTok3n"}}


def test_overrides_leave_netrc_out(run, netrc, auth_file, home):
    """RATTLER_AUTH_FILE, --auth-file and authentication-override-file are
    the only source of credentials: netrc is not consulted."""
    for extra, env in ((["--auth-file", auth_file], {}), ([], {"RATTLER_AUTH_FILE": auth_file})):
        p = run(*extra, "which", "https://shared.example.com/", env={"NETRC": netrc, **env}, check=1)
        assert "no credentials" in p.stderr
    cfg = home / ".config" / "pixi" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(f'authentication-override-file = "{auth_file}"\n')
    auth_file.write_text("{}")
    p = run("status", env={"NETRC": netrc}, check=0)
    assert p.stdout == "No credentials stored.\n"


# ---- logout: read only ---------------------------------------------------------

def test_logout_netrc_only_key(run, netrc):
    p = run("logout", "shared.example.com", env={"NETRC": netrc}, check=1)
    assert p.stderr == (f"warning: netrc ({netrc}) is read only: shared.example.com was not removed\n"
                        "error: the credentials for shared.example.com are only in read-only "
                        "stores; nothing was removed\n")
    assert netrc.read_text() == NETRC


def test_logout_removes_from_file_and_warns_for_netrc(run, netrc, cred_file):
    write_creds(cred_file, {"shared.example.com": {"BearerToken": "fileTok3n"}})
    p = run("logout", "shared.example.com", env={"NETRC": netrc}, check=0)
    assert f"warning: netrc ({netrc}) is read only: shared.example.com was not removed" in p.stderr
    assert "Removed credentials for shared.example.com" in p.stderr
    assert json.loads(cred_file.read_text()) == {}
    assert netrc.read_text() == NETRC


def test_logout_unknown_key_does_not_mention_netrc(run, netrc):
    p = run("logout", "unknown.example.com", env={"NETRC": netrc}, check=1)
    assert p.stderr == "error: No stored credentials found for unknown.example.com\n"


def test_logout_all_skips_netrc(run, netrc, cred_file):
    write_creds(cred_file, {"a.example.com": {"BearerToken": "fileTok3n"}})
    p = run("logout", "--all", env={"NETRC": netrc}, check=0)
    assert "Removed 1 credential\n" in p.stderr
    assert p.stderr.count("is read only") == 3  # mixed, shared, dup
    assert netrc.read_text() == NETRC


# ---- default -------------------------------------------------------------------

DEFAULT_NETRC = """\
default login anyone password s3cretDefaultPw
machine exact.example.com login alice password s3cretAlicePw
"""


@pytest.fixture
def default_netrc(tmp_path, secrets):
    secrets.update(PASSWORDS)
    p = tmp_path / "default-netrc"
    p.write_text(DEFAULT_NETRC)
    return p


def test_default_is_never_used_but_machines_are(run, default_netrc):
    """Issue 11 item 11: rattler never sends netrc's default to a channel."""
    run("which", "https://anything.org/x", env={"NETRC": default_netrc}, check=1)
    p = run("which", "https://exact.example.com/", env={"NETRC": default_netrc}, check=0)
    assert p.stdout.startswith("key:    exact.example.com\n")


def test_default_never_beats_a_wildcard(run, default_netrc, cred_file):
    """Probe order is host, then *.host, ...: default must not answer for
    the host probe and shadow *.example.com stored in the file."""
    write_creds(cred_file, {"*.example.com": {"BearerToken": "fileTok3n"}})
    p = run("which", "https://sub.example.com/", env={"NETRC": default_netrc}, check=0)
    assert p.stdout == f"key:    *.example.com\nstore:  file ({cred_file})\nmethod: BearerToken\n"
    p = run("token", "sub.example.com", env={"NETRC": default_netrc}, check=0)
    assert p.stdout == "fileTok3n\n"


def test_default_not_for_s3(run, default_netrc):
    run("which", "s3://bucket/key", env={"NETRC": default_netrc}, check=1)


def test_default_in_status_and_logout(run, default_netrc):
    p = run("status", env={"NETRC": default_netrc}, check=0)
    assert (f"default\n  method: BasicHTTP\n  store:  netrc ({default_netrc}) (unused for "
            "conda channels and S3)\n  username: anyone\n") in p.stdout
    p = run("logout", "default", env={"NETRC": default_netrc}, check=1)
    assert "is read only: default was not removed" in p.stderr
