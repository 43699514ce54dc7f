"""`pkgauth login <prefix.dev host> --token T` checks the token with
prefix.dev's GraphQL API before storing it. prefix.dev cannot be reached
from the test machines, so a local stub answers (prefix_dev_stub.py, set
up by conftest.py through PREFIX_DEV_API_URL)."""
import json

import pytest

import nginx_server as ns


@pytest.fixture
def stub(prefix_dev_stub):
    del prefix_dev_stub.requests[:]
    return prefix_dev_stub


@pytest.mark.parametrize("host", ["prefix.dev", "repo.prefix.dev", "https://repo.prefix.dev"])
def test_valid_token_is_stored(host, run, auth_file, stub, secrets):
    secrets.add("pfx_good_9Hq2")
    p = run("--auth-file", auth_file, "login", host, "--token", "-", input="pfx_good_9Hq2\n",
            check=0)
    assert "Logged in as test-user" in p.stderr
    assert stub.requests == [("/api/graphql", "Bearer pfx_good_9Hq2",
                              '{"query":"query { viewer { login } }"}')]
    stored = json.loads(auth_file.read_text())
    assert list(stored.values()) == [{"BearerToken": "pfx_good_9Hq2"}]


def test_invalid_token_is_not_stored(run, auth_file, stub, secrets):
    secrets.add("bad-pfx_3kf8")
    p = run("--auth-file", auth_file, "login", "prefix.dev", "--token", "bad-pfx_3kf8", check=1)
    line = p.stderr.strip().splitlines()[-1]
    assert line.startswith("error: ") and "not valid" in line and "nothing was stored" in line
    assert not auth_file.exists() or json.loads(auth_file.read_text()) == {}


def test_server_error_is_not_stored(run, auth_file, stub, secrets):
    secrets.add("http500-pfx_1")
    p = run("--auth-file", auth_file, "login", "prefix.dev", "--token", "http500-pfx_1", check=1)
    assert "HTTP 500" in p.stderr and "nothing was stored" in p.stderr
    assert not auth_file.exists()


def test_unreachable_server_is_not_stored(run, auth_file, secrets):
    secrets.add("pfx_unreach_7")
    url = f"http://127.0.0.1:{ns.free_port()}"  # nothing listens there
    p = run("--auth-file", auth_file, "login", "prefix.dev", "--token", "pfx_unreach_7",
            env={"PREFIX_DEV_API_URL": url}, check=1)
    assert f"cannot reach {url}/api/graphql" in p.stderr and "nothing was stored" in p.stderr
    assert not auth_file.exists()


def test_other_hosts_are_not_checked(run, auth_file, stub):
    run("--auth-file", auth_file, "login", "notprefix.dev", "--token", "x", check=0)
    run("--auth-file", auth_file, "login", "prefix.dev.example.com", "--token", "x", check=0)
    assert stub.requests == []
