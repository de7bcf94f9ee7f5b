"""API throughput and latency under a local load generator.

    python bench/bench_api.py [--seconds 10] [--connections 32] [--synthetic-rows 0|1000000]

Loads the bundled 2024 data (and, with --synthetic-rows, a synthetic export on top) into a fresh
COOPGRAPH_HOME, starts `coopgraph serve` on a free loopback port, and drives /api/v1/summary and an
organisation lookup with wrk (Debian's `wrk`, 2 threads) — or, if wrk is absent, with a threaded
Python client — printing requests per second and p50/p99 latency.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

PATHS = ("/api/v1/summary", "/api/v1/organisations/cooperant/bid")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(args: list[str], env: dict) -> None:
    subprocess.run([sys.executable, "-m", "coopgraph", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def with_wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return rps, ms("50%"), ms("99%")


def with_python(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < stop:
            started = time.perf_counter()
            with urllib.request.urlopen(url) as response:
                response.read()
            latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return len(latencies) / seconds, statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--synthetic-rows", type=int, default=0)
    args = parser.parse_args()
    tool = with_wrk if shutil.which("wrk") else with_python
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "COOPGRAPH_HOME": home}
        cli(["load"], env)
        if args.synthetic_rows:
            path = f"{home}/synthetic.csv"
            cli(["synth", "-o", path, "--rows", str(args.synthetic_rows), "--years", "2021-2023",
                 "--cooperants", "5000", "--entities", "60"], env)
            cli(["load", path], env)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "coopgraph", "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/summary").read()
                    break
                except OSError:
                    time.sleep(0.2)
            scale = f"2024 + {args.synthetic_rows:,} synthetic rows" if args.synthetic_rows else "2024 data"
            print(f"load generator: {tool.__name__.removeprefix('with_')}, {args.connections} connections, "
                  f"{args.seconds} s, {scale}")
            print(f"{'path':45} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
            for path in PATHS:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read()  # warm: measure serving, not the first computation
                rps, p50, p99 = tool(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections)
                print(f"{path:45} {rps:>8.0f} {p50:>8.2f} {p99:>8.2f}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
