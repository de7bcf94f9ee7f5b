"""The cost of growth: yearly interaction exports loaded one after another into one store.

    python bench/bench_growth.py [--rows 250000] [--years 8]

Writes one synthetic file per year (`coopgraph synth --years Y`, 250k rows each) and loads them
into one fresh COOPGRAPH_HOME in steps of 1, 2, 4 and 8 years held. After each step it prints the
step's load time, the rows and size the store holds, and a cold `coopgraph summary` and
`coopgraph analyze` (each a fresh process), so one sees how cost grows with years of data.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cli(args: list[str], home: str) -> float:
    env = {**os.environ, "COOPGRAPH_HOME": home}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "coopgraph", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"coopgraph {' '.join(args)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def store_mb(home: str) -> float:
    current = (Path(home) / "store" / "current").resolve()
    return sum(p.stat().st_size for p in current.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--years", type=int, default=8)
    args = parser.parse_args()
    last = 2024
    years = list(range(last - args.years + 1, last + 1))
    steps = [n for n in (1, 2, 4, 8, 16) if n <= len(years)]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'years':>5} {'rows held':>10} {'load s':>7} {'store MB':>9} {'summary s':>10} {'analyze s':>10}")
    with tempfile.TemporaryDirectory() as work:
        files = []
        for year in years:
            path = Path(work) / f"globo-{year}.csv"
            cli(["synth", "-o", str(path), "--rows", str(args.rows), "--years", str(year), "--seed", str(year),
                 "--cooperants", str(max(300, args.rows // 200)), "--entities", "60"], work + "/gen")
            files.append(path)
        home, held = f"{work}/home", 0
        for step in steps:
            new = files[held:step]
            load = cli(["load", *map(str, new)], home)
            held = step
            summary = cli(["summary"], home)
            analyze = cli(["analyze"], home)
            print(f"{step:>5} {held * args.rows:>10,} {load:>7.1f} {store_mb(home):>9.0f} {summary:>10.2f} {analyze:>10.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
