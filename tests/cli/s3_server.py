"""A real, signature-checking S3 server (npm @20minutes/s3rver, started by
tests/harness/s3rver.js) on a free 127.0.0.1 port with its data in a
temporary folder, for the S3 tests. Bucket `conda-bucket`, credentials
S3RVER / S3RVER. Anonymous requests are still served: refusal tests must
send wrong signatures, not missing ones."""
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import SOURCE_DIR

BUCKET = "conda-bucket"
ACCESS_KEY = "S3RVER"
SECRET_KEY = "S3RVER"
# A second key pair the launcher adds, whose secret differs from its id, so
# tests can check that the secret never appears in pkgauth's output.
EXTRA_KEY = "AKIDPKGAUTHTEST"
EXTRA_SECRET = "pkgauth-s3-secret-7QxV2mR9"

NODE_MODULES = SOURCE_DIR / "tests" / "node_modules"
LAUNCHER = SOURCE_DIR / "tests" / "harness" / "s3rver.js"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


class S3Server:
    def __init__(self, data_dir, bucket=BUCKET):
        self.data_dir = data_dir
        self.bucket = bucket
        self.proc = None
        self.port = None
        self.log = data_dir.parent / "s3rver.log"

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait_s=30):
        if not (NODE_MODULES / "@20minutes" / "s3rver" / "package.json").exists():
            pytest.skip("@20minutes/s3rver is not installed: run scripts/setup.sh "
                        "(npm install in tests/)")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # A free port can be taken between the probe and the bind: retry.
        for _ in range(3):
            self.port = free_port()
            env = dict(os.environ, S3RVER_NODE_MODULES=str(NODE_MODULES),
                       S3RVER_EXTRA_KEY=f"{EXTRA_KEY}:{EXTRA_SECRET}")
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(
                    ["node", str(LAUNCHER), str(self.port), str(self.data_dir), self.bucket],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
            if self._wait_ready(wait_s):
                return self
            self.stop()
        raise RuntimeError(f"s3rver did not start; log:\n{self.log.read_text()[-3000:]}")

    def _wait_ready(self, wait_s):
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if _status(f"{self.endpoint}/{self.bucket}") == 200:
                return True
            time.sleep(0.05)
        return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def object_path(self, key):
        """Where s3rver keeps an object's bytes (for checking uploads)."""
        return self.data_dir / self.bucket / f"{key}._S3rver_object"
