"""Load and cold-summary times for the bundled 2024 data on the embedded store.

    python bench/bench_load.py [--rounds N]

Each round uses a fresh COOPGRAPH_HOME and runs the real CLI in new processes, so times include
interpreter start-up, as a user sees them.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(args: list[str], home: str) -> float:
    env = {**os.environ, "COOPGRAPH_HOME": home}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "coopgraph", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    first, again, summary = [], [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as home:
            first.append(timed(["load"], home))
            again.append(timed(["load"], home))
            summary.append(timed(["summary", "--json"], home))
    for name, values in (("load into an empty store (s)", first), ("load again, idempotent (s)", again),
                         ("cold `coopgraph summary --json` (s)", summary)):
        print(f"{name:40} median {statistics.median(values):.2f}  min {min(values):.2f}  max {max(values):.2f}")


if __name__ == "__main__":
    main()
