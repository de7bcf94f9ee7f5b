"""Interaction-export loads: time and peak memory for 10k, 100k and 1M synthetic rows, against the
time pandas alone takes to parse the same file (`dtype=object`, the baseline that needs no pyarrow),
measured in the same run.

    python bench/bench_interactions.py [--sizes 10000,100000,1000000]

Each load runs `coopgraph load FILE` in a fresh process and an empty COOPGRAPH_HOME; peak memory
is that process's maximum resident set size. In the same home the bench then loads the same file
again (unchanged: its checksum is recorded) and a copy in which one row's ODS changed, at the same
path (one row updated in place). The goals of docs/engine.md are printed beside the figures.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

GOALS = "goals: 1M load ≤ 4× parse and ≤ 1,536 MB; 100k ≤ 3 s; unchanged reload ≤ 1× parse; one changed row ≤ 2× parse"


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


def change_one_row(path: Path) -> None:
    """The same file with the first row's ODS changed (one row's facts differ, the rest are held)."""
    text = path.read_text(encoding="utf-8-sig")
    header, first, rest = text.split("\n", 2)
    names = next(csv.reader([header]))
    cells = next(csv.reader([first]))
    at = names.index("ods")
    cells[at] = "17" if cells[at] != "17" else "16"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    path.write_text("\ufeff" + header + "\n" + out.getvalue() + "\n" + rest, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(GOALS)
    print(f"{'rows':>9} {'file MB':>8} {'parse s':>8} {'load s':>7} {'×parse':>7} {'peak MB':>8}"
          f" {'reload s':>9} {'×parse':>7} {'1 row s':>8} {'×parse':>7}")
    with tempfile.TemporaryDirectory() as work:
        for rows in sizes:
            path = Path(work) / f"synthetic-{rows}.csv"
            run(["synth", "-o", str(path), "--rows", str(rows), "--years", "2021-2024",
                 "--cooperants", str(max(300, rows // 200)), "--entities", "60"], work + "/gen")
            started = time.perf_counter()
            pd.read_csv(path, dtype=object, keep_default_na=False)
            parse = time.perf_counter() - started
            home = f"{work}/home-{rows}"
            load, peak = run(["load", str(path)], home)
            reload, _ = run(["load", str(path)], home)
            change_one_row(path)
            one, _ = run(["load", str(path)], home)
            print(f"{rows:>9} {path.stat().st_size / 1e6:>8.1f} {parse:>8.2f} {load:>7.2f} {load / parse:>7.1f}"
                  f" {peak:>8.0f} {reload:>9.2f} {reload / parse:>7.1f} {one:>8.2f} {one / parse:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
