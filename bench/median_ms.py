#!/usr/bin/env python3
"""median_ms.py RUNS CMD [ARGS...]: median wall time of a command, in ms.
Output is discarded; a failing run is an error (a benchmark of an error
path would be meaningless)."""
import statistics
import subprocess
import sys
import time

runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t0) * 1000)
print(f"{statistics.median(times):.2f}")
