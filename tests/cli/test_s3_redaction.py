"""X-Amz-Credential (it names the access key id) is masked in every URL
pkgauth prints about an S3 transfer, at every verbosity (issue 18 item 10),
like X-Amz-Signature and X-Amz-Security-Token. Against the real,
signature-checking S3 server (s3_server.py)."""
import pytest

from s3_server import BUCKET, EXTRA_KEY, EXTRA_SECRET, S3Server


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("s3rver") / "data").start()
    yield server
    server.stop()


@pytest.mark.parametrize("verbosity", ["-v", "-vv", "-vvv"])
def test_access_key_id_masked_in_printed_urls(verbosity, run, s3, auth_file, home, tmp_path,
                                              secrets):
    secrets.update({EXTRA_SECRET, EXTRA_KEY})  # the key id too: never printed
    env = {"RATTLER_AUTH_FILE": auth_file}
    run("login", f"s3://{BUCKET}", "--s3-access-key-id", EXTRA_KEY,
        "--s3-secret-access-key", EXTRA_SECRET, env=env, check=0)
    cfg = home / ".config" / "pixi"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "config.toml").write_text(
        f'[s3-options.{BUCKET}]\nendpoint-url = "{s3.endpoint}"\nregion = "us-east-1"\n'
        "force-path-style = true\n")
    src = tmp_path / "repodata.json"
    src.write_text('{"packages": {}}')
    key = f"redact{verbosity}/repodata.json"
    up = run(verbosity, "upload", src, f"s3://{BUCKET}/{key}", env=env, check=0)
    out = tmp_path / "out.json"
    got = run(verbosity, "fetch", f"s3://{BUCKET}/{key}", "-o", out, env=env, check=0)
    assert out.read_bytes() == src.read_bytes()
    for p in (up, got):
        # the run fixture already failed the test if EXTRA_KEY was printed
        if "X-Amz-" in p.stderr:
            assert "X-Amz-Credential=********" in p.stderr, p.stderr
    assert "X-Amz-Credential=********" in up.stderr + got.stderr
