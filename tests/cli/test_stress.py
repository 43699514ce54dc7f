"""Stress: 200 processes mix login, logout and token against one file for
30 s. No entry is lost (each worker checks its own writes), no reader ever
sees invalid JSON, nothing deadlocks (every command finishes in time)."""
import json
import os
import subprocess
import threading
import time

from conftest import PKGAUTH

WORKERS = 200
SECONDS = float(os.environ.get("PKGAUTH_STRESS_SECONDS", "30"))


def test_200_processes_for_30_seconds(auth_file, base_env):
    env = dict(base_env, RATTLER_AUTH_FILE=str(auth_file))
    deadline = time.time() + SECONDS
    failures, counts = [], [0] * WORKERS
    bad_reads = []

    def pkgauth(*args):
        return subprocess.run([str(PKGAUTH), *args], env=env, capture_output=True, text=True,
                              timeout=60)  # a deadlock shows up as a timeout

    def worker(i):
        host, n = f"w{i}.stress.example.com", 0
        while time.time() < deadline and not failures:
            n += 1
            token = f"tok-{i}-{n}"
            steps = [("login", host, "--token", token), ("token", host)]
            if n % 3 == 0:
                steps.append(("logout", host))
            for args in steps:
                p = pkgauth(*args)
                if p.returncode != 0:
                    failures.append(f"{args}: {p.stderr.strip()}")
                    return
                if args[0] == "token" and p.stdout != token + "\n":
                    failures.append(f"worker {i} lost its write: {p.stdout!r} != {token!r}")
                    return
            counts[i] = n
        # Leave a final entry that must survive everyone else's writes.
        if not failures and pkgauth("login", host, "--token", f"final-{i}").returncode != 0:
            failures.append(f"final login of worker {i} failed")

    def reader():
        while time.time() < deadline:
            try:
                data = auth_file.read_bytes()
            except FileNotFoundError:
                continue
            try:
                json.loads(data)
            except ValueError:
                bad_reads.append(data[:80])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:5]
    assert not bad_reads
    final = json.loads(auth_file.read_text())
    assert final == {f"w{i}.stress.example.com": {"BearerToken": f"final-{i}"} for i in range(WORKERS)}
    print(f"stress: {sum(counts)} login/token rounds by {WORKERS} processes in {SECONDS:.0f} s")
