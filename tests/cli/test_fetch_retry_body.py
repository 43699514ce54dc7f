"""A 200 response that breaks mid-body is retried, and the result is the
complete file: never the first try's bytes with the second try appended
(issue 18 item 12).

nginx cannot be made to cut a body once and then serve it whole, so a
small stub on 127.0.0.1 does that: its first answer announces the full
Content-Length, sends half the body and hangs up; later answers are whole.
"""
import subprocess

import pytest

from conftest import PKGAUTH
from stub_server import StubServer, read_head

BODY = bytes((i * 7 + i // 251) % 256 for i in range(200_000))


class BreaksOnceServer(StubServer):
    def answer(self, conn):
        body = BODY if self.connections > 1 else BODY[:len(BODY) // 2]
        read_head(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n" % len(BODY) + body)


@pytest.fixture
def stub():
    s = BreaksOnceServer()
    yield s
    s.close()


def test_retry_after_broken_body_gives_whole_file(stub, run, auth_file, tmp_path):
    auth_file.write_text("{}")
    out = tmp_path / "pkg.tar.bz2"
    run("--auth-file", auth_file, "fetch", "-o", out,
        f"http://127.0.0.1:{stub.port}/pkg.tar.bz2", check=0)
    assert stub.connections == 2
    data = out.read_bytes()
    assert len(data) == len(BODY)
    assert data == BODY
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_retry_after_broken_body_to_stdout(stub, base_env, auth_file):
    auth_file.write_text("{}")
    p = subprocess.run([str(PKGAUTH), "--auth-file", str(auth_file), "fetch",
                        f"http://127.0.0.1:{stub.port}/pkg.tar.bz2"], env=base_env,
                       capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert stub.connections == 2
    assert len(p.stdout) == len(BODY)
    assert p.stdout == BODY
