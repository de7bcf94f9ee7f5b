"""An uncached summary's latency while 30 distinct uncached named queries are in flight.

    python bench/bench_api_abuse.py [--queries 30]

Loads the bundled 2024 data into a fresh COOPGRAPH_HOME and starts `coopgraph serve` on a free
loopback port. Reference run: an uncached /api/v1/summary alone. Then the same for another
uncached year range while `--queries` named queries with distinct parameters (each a cache miss,
each a confined query process) are in flight. Prints both latencies and what the named queries
got (200, or 503 with Retry-After once COOPGRAPH_API_QUEUE_WAIT_S is over): before the per-key
cache locks and the bounded pool, the second figure was 20.4 s against 0.22 s.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

sys.path.insert(0, os.path.dirname(__file__))
from bench_api import cli, free_port  # noqa: E402


def get(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="coopgraph-abuse-")
    env = {**os.environ, "COOPGRAPH_HOME": home}
    cli(["load"], env)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "coopgraph", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                get(base + "/api/v1/queries")
                break
            except OSError:
                time.sleep(0.1)
        status, alone = get(base + "/api/v1/summary?from_year=2024&to_year=2024")
        assert status == 200, status
        results: list[tuple[int, float]] = []
        threads = [threading.Thread(target=lambda i=i: results.append(
            get(f"{base}/api/v1/queries/top_cooperants_by_amount?limit={i + 1}"))) for i in range(args.queries)]
        for thread in threads:
            thread.start()
        time.sleep(0.2)  # let them all reach the server
        status, loaded = get(base + "/api/v1/summary?from_year=2023&to_year=2024")
        in_flight = args.queries - len(results)
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait()
    statuses = Counter(status for status, _ in results)
    slowest = max(seconds for _, seconds in results)
    print(f"uncached summary alone:                       {alone * 1000:8.0f} ms")
    print(f"uncached summary, {args.queries} named queries in flight: {loaded * 1000:8.0f} ms "
          f"(status {status}; {in_flight} still in flight when it returned)")
    print(f"named queries: {dict(statuses)} (503 = pool full, Retry-After); slowest {slowest:.1f} s")


if __name__ == "__main__":
    main()
