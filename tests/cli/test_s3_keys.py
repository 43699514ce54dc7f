"""S3 keys, one rule for fetch, presign and upload (issue 17 item 8, issue
11 item 5): the key is the bytes after the bucket, signed and sent exactly
(percent-encoded by the signer), never decoded and never re-normalised by
curl. And fetch's S3 errors (issue 11 item 12, issue 17 item 8): S3's own
<Code> and <Message> in the one line, and a hint naming who signed.
Against the real, signature-checking s3rver (s3_server.py)."""
import subprocess
import urllib.parse

import pytest

from s3_server import BUCKET, EXTRA_KEY, EXTRA_SECRET, S3Server

WRONG_SECRET = "wrong-secret-Hk3pL0vE9s"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("s3rver") / "data").start()
    yield server
    server.stop()


@pytest.fixture
def aws(s3, secrets):
    """The AWS environment: credentials, endpoint and region, no store."""
    secrets.add(EXTRA_SECRET)
    return {"AWS_ACCESS_KEY_ID": EXTRA_KEY, "AWS_SECRET_ACCESS_KEY": EXTRA_SECRET,
            "AWS_ENDPOINT_URL": s3.endpoint, "AWS_REGION": "us-east-1"}


def one_line_error(p):
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def put(run, tmp_path, key, data, env):
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    run("upload", src, f"s3://{BUCKET}/{key}", env=env, check=0)


def fetch(run, key, env, check=0):
    return run("fetch", f"s3://{BUCKET}/{key}", env=env, check=check)


@pytest.mark.parametrize("key", ["a b.txt", "sp ace/ünï cöde+plus&eq=.txt"])
def test_fetch_accepts_what_upload_accepts(run, s3, aws, tmp_path, key):
    put(run, tmp_path, key, b"spaced\n", aws)
    assert s3.object_path(key).read_bytes() == b"spaced\n"
    assert fetch(run, key, aws).stdout == "spaced\n"


@pytest.mark.parametrize("key", ["x/./y.txt", "x/../y2.txt", "d/a/../../dot.txt", "u/.", "u/.."])
def test_dot_segments_are_sent_as_signed(run, s3, aws, tmp_path, key):
    """curl must not remove dot segments after signing (it used to: 403,
    or another object than the one named)."""
    put(run, tmp_path, key, b"dots\n", aws)
    p = run("-vvv", "fetch", f"s3://{BUCKET}/{key}", env=aws, check=0)
    assert p.stdout == "dots\n"
    assert f"GET /{BUCKET}/{key}?" in p.stderr


def test_climbing_dot_segments_are_sent_as_signed(run, s3, aws, tmp_path):
    """'s3://bkt/a/../../other-bucket/secret' used to be signed for that path
    and sent as /other-bucket/secret. Now the request line is the signed
    path; what the server makes of it is the server's business (s3rver
    resolves dot segments after checking the signature, S3 keeps them)."""
    p = run("-vvv", "fetch", f"s3://{BUCKET}/a/../../other-bucket/secret", env=aws)
    assert f"GET /{BUCKET}/a/../../other-bucket/secret?" in p.stderr
    assert "GET /other-bucket/" not in p.stderr


def test_percent_is_literal(run, s3, aws, tmp_path):
    """boto and the AWS CLI: %41 in a key is the three bytes '%41'."""
    put(run, tmp_path, "lit%41.txt", b"literal\n", aws)
    assert s3.object_path("lit%41.txt").read_bytes() == b"literal\n"
    assert not s3.object_path("litA.txt").exists()
    assert fetch(run, "lit%41.txt", aws).stdout == "literal\n"
    p = run("presign", f"s3://{BUCKET}/lit%41.txt", env=aws, check=0)
    url = p.stdout.strip()
    assert urllib.parse.urlsplit(url).path == f"/{BUCKET}/lit%2541.txt"
    c = subprocess.run(["curl", "-sS", "--path-as-is", url], capture_output=True, timeout=30)
    assert c.stdout == b"literal\n"


def test_presign_keeps_dot_segments(run, s3, aws, tmp_path):
    put(run, tmp_path, "p/./q.txt", b"pq\n", aws)
    url = run("presign", f"s3://{BUCKET}/p/./q.txt", env=aws, check=0).stdout.strip()
    assert urllib.parse.urlsplit(url).path == f"/{BUCKET}/p/./q.txt"
    c = subprocess.run(["curl", "-sS", "--path-as-is", url], capture_output=True, timeout=30)
    assert c.stdout == b"pq\n"


# ---- errors ------------------------------------------------------------------

SIG_MESSAGE = ("SignatureDoesNotMatch: The request signature we calculated does not match "
               "the signature you provided. Check your key and signing method.")


def test_fetch_wrong_secret_shows_s3_code_and_env_source(run, s3, aws, secrets, tmp_path):
    put(run, tmp_path, "w/x", b"w\n", aws)
    secrets.add(WRONG_SECRET)
    env = {**aws, "AWS_SECRET_ACCESS_KEY": WRONG_SECRET}
    p = fetch(run, "w/x", env, check=1)
    line = one_line_error(p)
    assert line == (f"error: HTTP 403 Forbidden: s3://{BUCKET}/w/x {SIG_MESSAGE} "
                    "(the S3 credentials from environment (AWS_ACCESS_KEY_ID) were refused)")
    assert "no stored credential matches" not in line


def test_fetch_wrong_stored_secret_names_the_store(run, s3, secrets, tmp_path, auth_file):
    secrets.update({WRONG_SECRET, EXTRA_SECRET})
    env = {"RATTLER_AUTH_FILE": auth_file, "AWS_ENDPOINT_URL": s3.endpoint,
           "AWS_REGION": "us-east-1"}
    run("login", f"s3://{BUCKET}", "--s3-access-key-id", EXTRA_KEY, "--s3-secret-access-key",
        WRONG_SECRET, env=env, check=0)
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[s3-options.{BUCKET}]\nendpoint-url = "{s3.endpoint}"\n'
                   'region = "us-east-1"\nforce-path-style = true\n')
    p = run("--config", cfg, "fetch", f"s3://{BUCKET}/w/y", env=env, check=1)
    line = one_line_error(p)
    assert line.startswith(f"error: HTTP 403 Forbidden: s3://{BUCKET}/w/y {SIG_MESSAGE} (")
    assert f"the S3 credentials from s3://{BUCKET} in file ({auth_file}) were refused" in line


def test_fetch_missing_object_shows_s3_code(run, s3, aws):
    p = fetch(run, "nope/missing.txt", aws, check=1)
    assert one_line_error(p).startswith(
        f"error: HTTP 404 Not Found: s3://{BUCKET}/nope/missing.txt NoSuchKey: ")
