"""pixi's global configuration (compat.md "Which store is used"): file
locations and precedence, the three settings pkgauth reads, `pkgauth
config`, --config, and authentication-override-file in the store order
RATTLER_AUTH_FILE > --auth-file > configuration.

The /etc/pixi folder is moved by PKGAUTH_SYSTEM_CONFIG_DIR (conftest sets it
to a private folder for every test)."""
import json
import re

import pytest

# A configuration shaped like a real pixi one: most of it is for pixi, not
# for pkgauth, and must be read without complaint.
PIXI_CONFIG = r'''
# pixi global configuration
default-channels = [
    "conda-forge",           # the usual one
    "https://prefix.dev/my-channel",
]
change-ps1 = false
tls-no-verify = false
detached-environments = "/opt/pixi/envs"
pinning-strategy = "semver"

# credentials go elsewhere
authentication-override-file = "~/secrets/pixi-credentials.json"

[mirrors]
# URL keys need quotes
"https://conda.anaconda.org/conda-forge" = [
    "https://prefix.dev/conda-forge",
    'https://mirror.example.org/conda-forge',
]
"https://repo.prefix.dev/bioconda" = ["https://prefix.dev/bioconda"]

[repodata-config]
disable-jlap = true

[repodata-config."https://prefix.dev"]
disable-sharded = false

[pypi-config]
index-url = "https://pypi.org/simple"
extra-index-urls = ["https://pypi.example.com/simple"]
keyring-provider = "subprocess"

[s3-options.my-bucket]
endpoint-url = "https://my-s3-host.example.com"
region = "us-east-1"
force-path-style = false

[s3-options]
"dotted.bucket" = { endpoint-url = "http://localhost:9000", region = "local", force-path-style = true }

[concurrency]
downloads = 5
solves = 2

[proxy-config]
https = "http://proxy.example.com:8080"
non-proxy-hosts = [".cn", "localhost", "[::1]"]

[shell]
force-activate = true
'''


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def xdg_config(home):
    return home / ".config" / "pixi" / "config.toml"


@pytest.fixture
def etc_config(home):
    return home.parent / "etc-pixi" / "config.toml"


def settings(stdout):
    """{key: (value, source)} from `pkgauth config` output."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r'^(\S+) = ("(?:[^"\\]|\\.)*"|true|false)  # (?:from (.*)|default)$', line)
        if m:
            value = json.loads(m.group(2))
            out[m.group(1)] = (value, m.group(3))
    return out


# ---- reading a real-looking file -------------------------------------------

def test_rich_pixi_config(run, home, xdg_config):
    write(xdg_config, PIXI_CONFIG)
    p = run("config", check=0)
    s = settings(p.stdout)
    src = str(xdg_config)
    assert s["authentication-override-file"] == (str(home / "secrets" / "pixi-credentials.json"), src)
    assert s["pypi-config.keyring-provider"] == ("subprocess", src)
    assert s["s3-options.my-bucket.endpoint-url"] == ("https://my-s3-host.example.com", src)
    assert s["s3-options.my-bucket.region"] == ("us-east-1", src)
    assert s["s3-options.my-bucket.force-path-style"] == (False, src)
    assert s['s3-options."dotted.bucket".endpoint-url'] == ("http://localhost:9000", src)
    assert s['s3-options."dotted.bucket".force-path-style'] == (True, src)
    assert f"#   {xdg_config}\n" in p.stdout
    assert f"{home}/.pixi/config.toml (not found)" in p.stdout


def test_defaults_without_files(run):
    p = run("config", check=0)
    s = settings(p.stdout)
    assert s == {"pypi-config.keyring-provider": ("disabled", None)}
    assert "# authentication-override-file is not set" in p.stdout
    assert p.stderr == ""


# ---- precedence of the files -------------------------------------------------

def test_file_precedence_key_by_key(run, home, tmp_path, etc_config, xdg_config):
    pixi_home = tmp_path / "pixi-home"
    dot_pixi = home / ".pixi" / "config.toml"
    write(etc_config, 'authentication-override-file = "/from/etc.json"\n'
                      '[pypi-config]\nkeyring-provider = "subprocess"\n'
                      '[s3-options.b]\nendpoint-url = "https://etc.example"\nregion = "etc"\n'
                      'force-path-style = true\n')
    write(xdg_config, 'authentication-override-file = "/from/xdg.json"\n'
                      '[s3-options.b]\nregion = "xdg"\n')
    write(dot_pixi, 'authentication-override-file = "/from/dot-pixi.json"\n')
    write(pixi_home / "config.toml", '[s3-options.b]\nforce-path-style = false\n')
    p = run("config", env={"PIXI_HOME": pixi_home}, check=0)
    s = settings(p.stdout)
    assert s["authentication-override-file"] == ("/from/dot-pixi.json", str(dot_pixi))
    assert s["pypi-config.keyring-provider"] == ("subprocess", str(etc_config))
    assert s["s3-options.b.endpoint-url"] == ("https://etc.example", str(etc_config))
    assert s["s3-options.b.region"] == ("xdg", str(xdg_config))
    assert s["s3-options.b.force-path-style"] == (False, str(pixi_home / "config.toml"))
    listed = [l[4:] for l in p.stdout.splitlines() if l.startswith("#   ")]
    assert listed == [str(etc_config), str(xdg_config), str(dot_pixi), str(pixi_home / "config.toml")]


def test_pixi_home_wins_over_dot_pixi(run, home, tmp_path):
    write(home / ".pixi" / "config.toml", 'authentication-override-file = "/a.json"\n')
    write(tmp_path / "ph" / "config.toml", 'authentication-override-file = "/b.json"\n')
    p = run("config", env={"PIXI_HOME": tmp_path / "ph"}, check=0)
    assert settings(p.stdout)["authentication-override-file"][0] == "/b.json"


def test_xdg_config_home_moves_the_file(run, home, tmp_path):
    write(home / ".config" / "pixi" / "config.toml", 'authentication-override-file = "/dot-config.json"\n')
    write(tmp_path / "xdg" / "pixi" / "config.toml", 'authentication-override-file = "/xdg.json"\n')
    p = run("config", env={"XDG_CONFIG_HOME": tmp_path / "xdg"}, check=0)
    assert settings(p.stdout)["authentication-override-file"][0] == "/xdg.json"
    # Unset: ~/.config.
    p = run("config", env={"XDG_CONFIG_HOME": None}, check=0)
    assert settings(p.stdout)["authentication-override-file"][0] == "/dot-config.json"


def test_config_option_replaces_defaults(run, tmp_path, xdg_config):
    write(xdg_config, '[pypi-config]\nkeyring-provider = "subprocess"\n'
                      'authentication-override-file = "/x.json"\n')
    only = write(tmp_path / "only.toml", 'authentication-override-file = "/only.json"\n')
    p = run("--config", only, "config", check=0)
    s = settings(p.stdout)
    assert s["authentication-override-file"] == ("/only.json", str(only))
    assert s["pypi-config.keyring-provider"] == ("disabled", None)
    assert str(xdg_config) not in p.stdout
    # Also accepted after the command.
    p = run("config", f"--config={only}", check=0)
    assert settings(p.stdout)["authentication-override-file"][0] == "/only.json"


def test_config_option_missing_file(run, tmp_path):
    p = run("--config", tmp_path / "nope.toml", "status", check=1)
    assert p.stderr == f"error: {tmp_path / 'nope.toml'}: configuration file not found\n"
    p = run("status", "--config", check=2)
    assert "'--config' needs a file path" in p.stderr


# ---- errors ------------------------------------------------------------------

@pytest.mark.parametrize("command", [["config"], ["status"], ["which", "https://x.org/"]])
def test_invalid_toml(run, xdg_config, command):
    write(xdg_config, '[pypi-config]\nkeyring-provider = "subprocess"\nbroken = [1, 2\n')
    p = run(*command, check=1)
    assert re.fullmatch(re.escape(f"error: {xdg_config}:") + r"4:1: .+\n", p.stderr), p.stderr


def test_invalid_keyring_provider(run, xdg_config):
    write(xdg_config, '[pypi-config]\nkeyring-provider = "sometimes"\n')
    p = run("config", check=1)
    assert p.stderr.startswith(f"error: {xdg_config}: pypi-config.keyring-provider: "
                               'invalid value "sometimes"')
    assert p.stderr.count("\n") == 1


@pytest.mark.parametrize("text,msg", [
    ('authentication-override-file = 1\n', "authentication-override-file: expected a string, found integer"),
    ('s3-options = "x"\n', "s3-options: expected a table, found string"),
    ('[s3-options.b]\nregion = 5\n', "s3-options.b.region: expected a string, found integer"),
    ('[s3-options.b]\nforce-path-style = "yes"\n', "s3-options.b.force-path-style: expected true or false, found string"),
])
def test_wrong_types(run, xdg_config, text, msg):
    write(xdg_config, text)
    p = run("config", check=1)
    assert p.stderr == f"error: {xdg_config}: {msg}\n"


def test_usage(run):
    p = run("config", "extra", check=2)
    assert "unexpected argument 'extra'" in p.stderr
    p = run("config", "--help", check=0)
    assert "Usage: pkgauth config" in p.stdout and "$PIXI_HOME/config.toml" in p.stdout
    assert "config" in run("--help", check=0).stdout


# ---- authentication-override-file and the store -----------------------------

def test_override_file_is_used_and_created(run, home, tmp_path, xdg_config):
    target = tmp_path / "cfg-creds.json"
    write(xdg_config, f'authentication-override-file = "{target}"\n')
    p = run("login", "example.com", "--token", "tok1", check=0)
    assert p.stderr.startswith(f"warning: authentication-override-file {target} "
                               f"(set in {xdg_config}) does not exist\n")
    assert json.loads(target.read_text()) == {"*.example.com": {"BearerToken": "tok1"}}
    assert not (home / ".rattler" / "credentials.json").exists()
    p = run("which", "https://repo.example.com/x", check=0)
    assert f"store:  file ({target})" in p.stdout
    assert "warning" not in p.stderr  # it exists now


def test_override_file_with_tilde(run, home, xdg_config):
    write(xdg_config, 'authentication-override-file = "~/my-creds.json"\n')
    run("login", "example.com", "--token", "tok1", check=0)
    assert (home / "my-creds.json").exists()


def test_override_precedence(run, tmp_path, xdg_config):
    cfg_file, cli_file, env_file = (tmp_path / n for n in ("cfg.json", "cli.json", "env.json"))
    write(xdg_config, f'authentication-override-file = "{cfg_file}"\n')
    run("login", "a.example.com", "--token", "1", check=0)
    run("--auth-file", cli_file, "login", "b.example.com", "--token", "2", check=0)
    run("--auth-file", cli_file, "login", "c.example.com", "--token", "3",
        env={"RATTLER_AUTH_FILE": env_file}, check=0)
    assert list(json.loads(cfg_file.read_text())) == ["a.example.com"]
    assert list(json.loads(cli_file.read_text())) == ["b.example.com"]
    assert list(json.loads(env_file.read_text())) == ["c.example.com"]


def test_config_not_read_when_overridden(run, tmp_path, xdg_config, auth_file):
    """RATTLER_AUTH_FILE or --auth-file decide alone: the configuration is
    not even read, so a broken one does not matter (and costs nothing)."""
    write(xdg_config, "this is = not [ toml\n")
    run("login", "example.com", "--token", "t", env={"RATTLER_AUTH_FILE": auth_file}, check=0)
    p = run("token", "example.com", env={"RATTLER_AUTH_FILE": auth_file}, check=0)
    assert p.stdout == "t\n" and p.stderr == ""
    p = run("--auth-file", auth_file, "token", "example.com", check=0)
    assert p.stdout == "t\n" and p.stderr == ""
    run("token", "example.com", check=1)  # without them it is read, and refused


def test_config_reports_unused_override(run, tmp_path, xdg_config, auth_file):
    write(xdg_config, 'authentication-override-file = "/cfg.json"\n')
    p = run("config", env={"RATTLER_AUTH_FILE": auth_file}, check=0)
    assert "#   (not used: RATTLER_AUTH_FILE is set)" in p.stdout
    p = run("--auth-file", auth_file, "config", check=0)
    assert "#   (not used: --auth-file is given)" in p.stdout
