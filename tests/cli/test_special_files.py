"""Special files where a regular file is expected (issue 11, item 8): a FIFO
as the credentials file, the --config file or an AWS credentials file must
be refused at once with one clear error, never block on open()."""
import os

import pytest

BUCKET = "conda-bucket"


@pytest.fixture
def fifo(tmp_path):
    f = tmp_path / "fifo"
    os.mkfifo(f)
    return f


def one_error(p):
    lines = [l for l in p.stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1, p.stderr
    return lines[0]


def test_fifo_as_credentials_file(run, fifo):
    for args in (["status"], ["token", "a.example.com"],
                 ["login", "a.example.com", "--token", "t"]):
        p = run(*args, env={"RATTLER_AUTH_FILE": fifo}, timeout=10)
        assert p.returncode == 1, p.stderr
        assert f"{fifo}: not a regular file" in one_error(p)
    assert fifo.is_fifo()


def test_fifo_as_config_file(run, fifo):
    p = run("--config", fifo, "config", timeout=10)
    assert p.returncode == 1, p.stderr
    assert f"{fifo}: not a regular file" in one_error(p)


@pytest.mark.parametrize("variable", ["AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"])
def test_fifo_as_aws_file(run, fifo, variable):
    p = run("presign", f"s3://{BUCKET}/x", env={variable: fifo}, timeout=10)
    assert p.returncode == 1, p.stderr
    assert f"{fifo}: not a regular file" in one_error(p)


def test_character_device_as_credentials_file(run):
    """A terminal-like device is refused too (and never becomes the
    controlling terminal: O_NOCTTY)."""
    p = run("status", env={"RATTLER_AUTH_FILE": "/dev/zero"}, timeout=10)
    assert p.returncode == 1
    assert "/dev/zero: not a regular file" in one_error(p)
