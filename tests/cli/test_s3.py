"""pkgauth presign / upload / fetch s3:// against a real, signature-checking
S3 server (s3_server.py): presigned GET, HEAD and PUT; refusals of tampered,
wrongly keyed and expired URLs; session tokens; credentials from the pkgauth
store (with s3-options), the AWS environment and AWS profile files."""
import os
import subprocess
import time
import urllib.parse

import pytest

from s3_server import ACCESS_KEY, BUCKET, EXTRA_KEY, EXTRA_SECRET, SECRET_KEY, S3Server

WRONG_SECRET = "wrong-secret-Hk3pL0vE9s"
SESSION_TOKEN = "sess-token-Zr4/Tq+8w=="


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("s3rver") / "data").start()
    yield server
    server.stop()


@pytest.fixture
def store(run, auth_file, secrets):
    """login(id, secret, token=None): stores an S3 credential for the
    bucket in the test's credentials file; returns the env to use it."""
    env = {"RATTLER_AUTH_FILE": auth_file}

    def login(key_id=EXTRA_KEY, secret=EXTRA_SECRET, token=None):
        secrets.add(secret)
        args = ["login", f"s3://{BUCKET}", "--s3-access-key-id", key_id,
                "--s3-secret-access-key", secret]
        if token:
            secrets.add(token)
            args += ["--s3-session-token", token]
        run(*args, env=env, check=0)
        return env

    return login


def opts(s3):
    """The --s3-* options that give the bucket s3-options."""
    return ["--s3-endpoint-url", s3.endpoint, "--s3-region", "us-east-1"]


def curl(*args, method_head=False):
    """(status, body) of a curl request."""
    cmd = ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", *(["-I"] if method_head else []),
           *args]
    p = subprocess.run(cmd, capture_output=True, timeout=30)
    body, _, status = p.stdout.rpartition(b"\n")
    return int(status), body


def payload(tmp_path, name="pkg.tar.bz2", size=300_000):
    f = tmp_path / name
    f.write_bytes(bytes((i * 7 + 3) % 256 for i in range(size)))
    return f


def presign(run, s3, key, *extra, env=None):
    p = run("presign", f"s3://{BUCKET}/{key}", *opts(s3), *extra, env=env, check=0)
    url = p.stdout.strip()
    assert url.count("\n") == 0 and url.startswith(f"{s3.endpoint}/{BUCKET}/{key}?")
    return url


def tamper(url):
    """The URL with the last hex digit of its signature changed."""
    return url[:-1] + ("0" if url[-1] != "0" else "1")


def one_line_error(p):
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# ---- round trips ------------------------------------------------------------

def test_upload_then_download_with_presign_and_curl(run, s3, store, tmp_path):
    env = store()
    src = payload(tmp_path)
    p = run("upload", src, f"s3://{BUCKET}/noarch/pkg.tar.bz2", *opts(s3), env=env, check=0)
    assert "Uploaded" in p.stderr and "s3://conda-bucket/noarch/pkg.tar.bz2" in p.stderr
    assert s3.object_path("noarch/pkg.tar.bz2").read_bytes() == src.read_bytes()
    status, body = curl(presign(run, s3, "noarch/pkg.tar.bz2", env=env))
    assert status == 200 and body == src.read_bytes()


def test_upload_then_fetch_s3_url(run, s3, store, tmp_path, home):
    """fetch s3:// goes through the library's request authentication, which
    reads [s3-options.<bucket>] from pixi's configuration."""
    env = store()
    cfg = home / ".config" / "pixi"
    cfg.mkdir(parents=True)
    (cfg / "config.toml").write_text(
        f'[s3-options.{BUCKET}]\nendpoint-url = "{s3.endpoint}"\nregion = "us-east-1"\n'
        "force-path-style = true\n")
    src = payload(tmp_path, "repodata.json", 5000)
    # upload reads the same configuration: no --s3-* options needed
    run("upload", src, f"s3://{BUCKET}/fetched/repodata.json", env=env, check=0)
    out = tmp_path / "out.json"
    run("fetch", f"s3://{BUCKET}/fetched/repodata.json", "-o", out, env=env, check=0)
    assert out.read_bytes() == src.read_bytes()
    # a missing object: the server's 404 is reported, exit 1
    p = run("fetch", f"s3://{BUCKET}/fetched/missing.json", "-o", tmp_path / "m", env=env)
    assert p.returncode == 1 and "404" in p.stderr


def test_fetch_and_upload_honour_config_option(run, s3, store, tmp_path):
    """--config replaces the default configuration files for fetch s3://
    and upload too (a regression: both used to read only the defaults)."""
    env = store()
    cfg = tmp_path / "elsewhere.toml"
    cfg.write_text(f'[s3-options.{BUCKET}]\nendpoint-url = "{s3.endpoint}"\n'
                   'region = "us-east-1"\nforce-path-style = true\n')
    src = payload(tmp_path, "cfg.json", 777)
    run("--config", cfg, "upload", src, f"s3://{BUCKET}/cfg/x.json", env=env, check=0)
    out = tmp_path / "cfg-out.json"
    run("fetch", "--config", cfg, f"s3://{BUCKET}/cfg/x.json", "-o", out, env=env, check=0)
    assert out.read_bytes() == src.read_bytes()
    # without it, no s3-options and no AWS credentials: a clear refusal
    p = run("fetch", f"s3://{BUCKET}/cfg/x.json", "-o", tmp_path / "no", env=env)
    assert p.returncode == 1 and not (tmp_path / "no").exists()


def test_head_via_presign(run, s3, store, tmp_path):
    env = store()
    src = payload(tmp_path, size=1234)
    run("upload", src, f"s3://{BUCKET}/head/x.bin", *opts(s3), env=env, check=0)
    url = presign(run, s3, "head/x.bin", "--method", "HEAD", env=env)
    status, headers = curl(url, method_head=True)
    assert status == 200
    assert b"content-length: 1234" in headers.lower()
    # a HEAD URL is no GET URL: the method is signed
    status, _ = curl(url)
    assert status == 403


def test_presigned_put_with_curl(run, s3, store, tmp_path):
    env = store()
    src = payload(tmp_path, size=777)
    url = presign(run, s3, "put/by-curl.bin", "--method", "put", "--expires", "60", env=env)
    assert "X-Amz-Expires=60&" in url
    status, _ = curl("-T", str(src), url)
    assert status == 200
    assert s3.object_path("put/by-curl.bin").read_bytes() == src.read_bytes()


def test_keys_with_spaces_and_unicode(run, s3, store, tmp_path):
    env = store()
    src = payload(tmp_path, size=10)
    key = "odd dir/ünï cöde+plus.txt"
    run("upload", src, f"s3://{BUCKET}/{key}", *opts(s3), env=env, check=0)
    # Keys are literal (issue 17 item 8): presign takes the key as typed.
    p = run("presign", f"s3://{BUCKET}/{key}", *opts(s3), env=env, check=0)
    url = p.stdout.strip()
    assert url.startswith(f"{s3.endpoint}/{BUCKET}/{urllib.parse.quote(key, safe='/~')}?")
    status, body = curl(url)
    assert status == 200 and body == src.read_bytes()


# ---- refusals -----------------------------------------------------------------

def test_tampered_signature_is_refused(run, s3, store, tmp_path):
    env = store()
    run("upload", payload(tmp_path, size=10), f"s3://{BUCKET}/t/x", *opts(s3), env=env, check=0)
    url = presign(run, s3, "t/x", env=env)
    assert curl(url)[0] == 200
    status, body = curl(tamper(url))
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body


def test_wrong_secret_is_refused_with_one_line(run, s3, store, tmp_path):
    env = store(EXTRA_KEY, WRONG_SECRET)
    status, body = curl(presign(run, s3, "w/x", env=env))
    assert status == 403 and b"SignatureDoesNotMatch" in body
    p = run("upload", payload(tmp_path, size=10), f"s3://{BUCKET}/w/x", *opts(s3), env=env)
    assert p.returncode == 1
    assert one_line_error(p) == (
        "error: S3 refused PUT s3://conda-bucket/w/x: 403 SignatureDoesNotMatch: The request "
        "signature we calculated does not match the signature you provided. Check your key "
        "and signing method.")
    assert not s3.object_path("w/x").exists()


def test_expired_url_is_refused(run, s3, store, tmp_path):
    env = store()
    run("upload", payload(tmp_path, size=10), f"s3://{BUCKET}/e/x", *opts(s3), env=env, check=0)
    url = presign(run, s3, "e/x", "--expires", "1", env=env)
    assert "X-Amz-Expires=1&" in url
    time.sleep(2.2)
    status, body = curl(url)
    assert status == 403 and b"Request has expired" in body


def test_session_token_is_sent_and_signed(run, s3, store, tmp_path):
    env = store(EXTRA_KEY, EXTRA_SECRET, SESSION_TOKEN)
    run("upload", payload(tmp_path, size=10), f"s3://{BUCKET}/s/x", *opts(s3), env=env, check=0)
    url = presign(run, s3, "s/x", env=env)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Security-Token"] == [SESSION_TOKEN]
    # s3rver does not check tokens, but the signature covers the token:
    # the URL as presigned is accepted (twice: consistently) ...
    assert curl(url)[0] == 200
    assert curl(url)[0] == 200
    # ... and a URL whose token was swapped is refused
    swapped = url.replace(urllib.parse.quote(SESSION_TOKEN, safe=""), "other-token")
    assert swapped != url
    status, body = curl(swapped)
    assert status == 403 and b"SignatureDoesNotMatch" in body


# ---- credentials from the AWS conventions ------------------------------------------

def test_aws_environment_variables(run, s3, tmp_path, secrets):
    secrets.add(EXTRA_SECRET)
    env = {"AWS_ACCESS_KEY_ID": EXTRA_KEY, "AWS_SECRET_ACCESS_KEY": EXTRA_SECRET,
           "AWS_ENDPOINT_URL": s3.endpoint, "AWS_REGION": "us-east-1"}
    src = payload(tmp_path, size=4096)
    p = run("-v", "upload", src, f"s3://{BUCKET}/env/x", env=env, check=0)
    assert "credentials from environment (AWS_ACCESS_KEY_ID)" in p.stderr
    assert "X-Amz-Signature=********" in p.stderr
    p = run("presign", f"s3://{BUCKET}/env/x", env=env, check=0)
    assert curl(p.stdout.strip()) == (200, src.read_bytes())
    # the wrong secret in the environment: refused, one line
    env["AWS_SECRET_ACCESS_KEY"] = WRONG_SECRET
    secrets.add(WRONG_SECRET)
    p = run("upload", src, f"s3://{BUCKET}/env/y", env=env)
    assert p.returncode == 1
    assert one_line_error(p).startswith(
        "error: S3 refused PUT s3://conda-bucket/env/y: 403 SignatureDoesNotMatch: ")


def test_aws_profile_files(run, s3, tmp_path, home, secrets):
    secrets.add(EXTRA_SECRET)
    aws = home / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text(
        "[default]\naws_access_key_id = NOPE\naws_secret_access_key = nope-nope-nope\n"
        f"# the CI profile\n[ci]\naws_access_key_id = {EXTRA_KEY}\n"
        f"aws_secret_access_key = {EXTRA_SECRET}\n")
    (aws / "config").write_text(
        f"[profile ci]\nregion = us-east-1\nendpoint_url = {s3.endpoint}\n")
    env = {"AWS_PROFILE": "ci"}
    src = payload(tmp_path, size=2048)
    p = run("-v", "upload", src, f"s3://{BUCKET}/profile/x", env=env, check=0)
    assert f"credentials from profile 'ci' in {aws}/credentials" in p.stderr
    p = run("presign", f"s3://{BUCKET}/profile/x", env=env, check=0)
    assert curl(p.stdout.strip()) == (200, src.read_bytes())
    # other file locations through the environment
    (tmp_path / "c.ini").write_text((aws / "credentials").read_text())
    (aws / "credentials").unlink()
    env["AWS_SHARED_CREDENTIALS_FILE"] = tmp_path / "c.ini"
    run("presign", f"s3://{BUCKET}/profile/x", env=env, check=0)
    # a profile that exists nowhere
    p = run("presign", f"s3://{BUCKET}/profile/x", env={"AWS_PROFILE": "nope"})
    assert p.returncode == 1
    assert "AWS profile 'nope' (AWS_PROFILE) not found" in one_line_error(p)


def test_aws_file_parse_error(run, home):
    (home / ".aws").mkdir()
    (home / ".aws" / "config").write_text("[default]\nregion = x\n[broken\n")
    p = run("presign", f"s3://{BUCKET}/x")
    assert p.returncode == 1
    assert one_line_error(p) == f"error: {home}/.aws/config:3: section header without ']'"


def test_no_credentials_anywhere(run, home, store):
    p = run("presign", f"s3://{BUCKET}/x")
    assert p.returncode == 1
    line = one_line_error(p)
    for place in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "profile 'default'",
                  f"{home}/.aws/credentials (no such file)", f"{home}/.aws/config (no such file)"):
        assert place in line
    # a stored credential without s3-options is not used (as in pixi): say so
    env = store()
    p = run("presign", f"s3://{BUCKET}/x", env=env)
    assert p.returncode == 1
    assert "pkgauth has s3://conda-bucket stored, used only with s3-options" in one_line_error(p)


def test_s3_options_without_stored_credential(run, s3, auth_file):
    p = run("presign", f"s3://{BUCKET}/x", *opts(s3), env={"RATTLER_AUTH_FILE": auth_file})
    assert p.returncode == 1
    line = one_line_error(p)
    assert "no S3 credentials for s3://conda-bucket/x in pkgauth's store" in line
    assert "pkgauth login s3://" in line


# ---- usage -------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["presign"],
    ["presign", "https://example.com/x"],
    ["presign", "s3://b/x", "--method", "POST"],
    ["presign", "s3://b/x", "--expires", "0"],
    ["presign", "s3://b/x", "--expires", "604801"],
    ["presign", "s3://b/x", "--expires", "ten"],
    ["presign", "s3://b/x", "--s3-force-path-style=maybe"],
    ["presign", "s3://b/x", "--s3-endpoint-url"],
    ["presign", "s3://b/x", "s3://b/y"],
    ["presign", "s3://b?x"],
    ["upload", "f"],
    ["upload", "f", "s3://b"],
    ["upload", "f", "s3://b/"],
    ["upload", "f", "s3://b/k", "--method", "GET"],
])
def test_usage_errors(run, args):
    p = run(*args)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith("error: ")


def test_upload_file_errors(run, s3, store, tmp_path):
    env = store()
    p = run("upload", tmp_path / "missing", f"s3://{BUCKET}/x", *opts(s3), env=env)
    assert p.returncode == 1 and "cannot read" in one_line_error(p)
    p = run("upload", tmp_path, f"s3://{BUCKET}/x", *opts(s3), env=env)
    assert p.returncode == 1 and "not a regular file" in one_line_error(p)


def test_unreachable_endpoint(run, store, tmp_path):
    env = store()
    p = run("upload", payload(tmp_path, size=10), f"s3://{BUCKET}/x",
            "--s3-endpoint-url", "http://127.0.0.1:1", env=env)
    assert p.returncode == 1
    line = one_line_error(p)
    assert line.startswith("error: cannot upload") and "X-Amz" not in line


def test_help(run):
    for cmd in ("presign", "upload"):
        p = run(cmd, "--help", check=0)
        assert "--s3-endpoint-url" in p.stdout and "AWS_PROFILE" in p.stdout
    p = run("--help", check=0)
    assert "presign" in p.stdout and "upload" in p.stdout
