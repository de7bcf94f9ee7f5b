"""Interaction-export loads: time and peak memory for 10k, 100k and 1M synthetic rows, against the
time pandas alone takes to parse the same file.

    python bench/bench_interactions.py [--sizes 10000,100000,1000000]

Each load runs `coopgraph load FILE` in a fresh process and an empty COOPGRAPH_HOME; peak memory
is that process's maximum resident set size.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def run(args: list[str], home: str) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one `coopgraph` process."""
    env = {**os.environ, "COOPGRAPH_HOME": home}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "coopgraph", *args], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"coopgraph {' '.join(args)} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"{'rows':>9} {'file MB':>8} {'pandas parse s':>15} {'coopgraph load s':>17} {'ratio':>6} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as work:
        for rows in sizes:
            path = Path(work) / f"synthetic-{rows}.csv"
            run(["synth", "-o", str(path), "--rows", str(rows), "--years", "2021-2024",
                 "--cooperants", str(max(300, rows // 200)), "--entities", "60"], work + "/gen")
            started = time.perf_counter()
            pd.read_csv(path, dtype=str, keep_default_na=False)
            parse = time.perf_counter() - started
            load, peak = run(["load", str(path)], f"{work}/home-{rows}")
            print(f"{rows:>9} {path.stat().st_size / 1e6:>8.1f} {parse:>15.2f} {load:>17.2f} {load / parse:>6.1f} {peak:>12.0f}")


if __name__ == "__main__":
    main()
