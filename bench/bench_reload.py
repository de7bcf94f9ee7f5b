"""Reloads of a large interaction export: identity by content, not by file.

    python bench/bench_reload.py [--rows 100000]

In one fresh COOPGRAPH_HOME, through the real CLI: load a synthetic export (the reference), load
the same bytes again (unchanged), the same content under another name in another folder (rows
already held: only a source link each), a copy with 1 % of amounts corrected (updated in place),
and the bundled report five times. Prints each time, the rows the store holds after each step, and
the database file size against the first load's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def cli(args: list[str], home: str) -> tuple[float, str]:
    env = {**os.environ, "COOPGRAPH_HOME": home}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "coopgraph", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"coopgraph {' '.join(args)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stderr.strip().splitlines()[0] if done.stderr.strip() else ""


def size_mb(home: str) -> float:
    return (Path(home) / "store" / "current").resolve().joinpath("graph.lbdb").stat().st_size / 1e6


def interactions(home: str) -> int:
    env = {**os.environ, "COOPGRAPH_HOME": home}
    out = subprocess.run([sys.executable, "-m", "coopgraph", "summary", "--json"], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)["interactions"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        home, a, b = f"{tmp}/home", Path(tmp) / "a", Path(tmp) / "b"
        a.mkdir(), b.mkdir()
        first = a / "export.csv"
        cli(["synth", "-o", str(first), "--rows", str(rows)], f"{tmp}/synth-home")
        steps = [("load (reference)", first), ("same file again", first)]
        shutil.copy(first, b / "otro-nombre.csv")
        steps.append(("same content, other name and folder", b / "otro-nombre.csv"))
        steps.append(("1 % of rows corrected in place", first))
        print(f"{rows:,} synthetic rows")
        reference = None
        for label, path in steps:
            if label.startswith("1 %"):  # correct the first file now, after its copy loaded
                corrected = pd.read_csv(first, dtype=str, keep_default_na=False)
                changed = corrected.sample(frac=0.01, random_state=1).index
                corrected.loc[changed, "descripcion"] = "corregida"
                corrected.to_csv(first, index=False)
            seconds, message = cli(["load", str(path)], home)
            reference = reference or seconds
            print(f"{label:40} {seconds:7.2f} s  ({seconds / reference:.2f}× the first)  "
                  f"interactions {interactions(home):>9,}  db {size_mb(home):6.1f} MB   {message[-90:]}")
        base = None
        for i in range(6):
            seconds, _ = cli(["load"], home)
            base = base or size_mb(home)
            print(f"bundled report load {i + 1:<20} {seconds:7.2f} s  db {size_mb(home):6.1f} MB ({size_mb(home) / base:.2f}× the first)")


if __name__ == "__main__":
    main()
