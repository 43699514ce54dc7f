"""What `pkgauth fetch` asks of the kernel per file (issue 12, "Fetch
speed"), counted with strace: the body of a package file goes to disk in
the large blocks curl receives (not stdio's default 4 KiB steps), while the
file still gets its final name only when complete."""
import json
import os
import re
import shutil
import subprocess

import pytest

import nginx_server as ns
from conftest import PKGAUTH

pytestmark = [
    pytest.mark.skipif(not shutil.which(ns.NGINX) and not os.path.exists(ns.NGINX),
                       reason="nginx is not installed (package nginx-light)"),
    pytest.mark.skipif(not shutil.which("strace"), reason="strace is not installed"),
]

FILES = 20
SIZE = 64 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    ns.make_channel(root / "channel")
    for i in range(FILES):
        (root / "channel" / "noarch" / f"big{i:02d}-1.0-0.conda").write_bytes(os.urandom(SIZE))
    srv = ns.Nginx(root / "prefix", root / "channel").start()
    yield srv
    srv.stop()


def traced_fetch(server, base_env, tmp_path, jobs):
    auth = tmp_path / "credentials.json"
    auth.write_text(json.dumps({"127.0.0.1": {"CondaToken": ns.CONDA}}))
    listing = tmp_path / "list.txt"
    listing.write_text("".join(server.url(f"conda/noarch/big{i:02d}-1.0-0.conda") + "\n"
                               for i in range(FILES)))
    out, log = tmp_path / "out", tmp_path / "strace.log"
    cmd = ["strace", "-f", "-qq", "-e", "trace=write,writev,pwrite64,openat,rename,renameat2",
           "-o", str(log), str(PKGAUTH), "--auth-file", str(auth), "fetch", "--no-progress",
           "-j", str(jobs), "-i", str(listing), "--output-dir", str(out)]
    p = subprocess.run(cmd, env=base_env, capture_output=True, text=True, timeout=120)
    if p.returncode and "ptrace" in p.stderr:
        pytest.skip(f"strace cannot trace here: {p.stderr.strip()}")
    assert p.returncode == 0, p.stderr
    for i in range(FILES):
        name = f"big{i:02d}-1.0-0.conda"
        assert (out / name).read_bytes() == (server.channel / "noarch" / name).read_bytes()
    assert not [x for x in out.iterdir() if ".part" in x.name]
    return log.read_text().splitlines()


@pytest.mark.parametrize("jobs", [1, 4])
def test_a_file_is_written_in_large_steps(server, base_env, tmp_path, jobs):
    calls = traced_fetch(server, base_env, tmp_path, jobs)
    # The descriptors of the temporary files, from their openat() lines.
    fds = {m.group(1) for l in calls
           if (m := re.search(r'openat\(.*\.part", .*O_EXCL.*= (\d+)$', l))}
    assert fds, "no temporary file was created"
    writes = [l for l in calls if re.search(r"\b(write|writev|pwrite64)\((\d+),", l)
              and re.search(r"\((\d+),", l).group(1) in fds]
    renames = [l for l in calls if "rename" in l and ".part" in l]
    assert len(renames) == FILES  # each file named once, when complete
    # Large steps: the blocks curl hands over (16 KiB, CURL_MAX_WRITE_SIZE),
    # not stdio's 4 KiB buffer, which took 7 writes per 64 KiB file.
    assert len(writes) <= (SIZE // 16384 + 1) * FILES, f"{len(writes)} writes for {FILES} files"
