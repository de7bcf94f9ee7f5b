"""The embedded engine's figures that docs/engine.md quotes, measured here and printed.

    python bench/bench_engine.py [--rows 1000000]

- how long after its limit a 1 s query timeout stops a graph scan;
- COPY of N new nodes, and of N relationships, from DataFrames;
- DETACH DELETE cost per relationship (what replacing a corrected file pays).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import ladybug
import numpy as np
import pandas as pd


def seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as work:
        db = ladybug.Database(str(Path(work) / "bench.lbdb"))
        conn = ladybug.Connection(db)
        conn.execute("CREATE NODE TABLE C(id STRING, year INT64, cents INT64, PRIMARY KEY(id))")
        conn.execute("CREATE NODE TABLE S(id STRING, PRIMARY KEY(id))")
        conn.execute("CREATE REL TABLE R(FROM C TO S, source STRING, locator STRING)")
        conn.execute("CREATE (:S {id: 's'})")
        nodes = pd.DataFrame({"id": [f"archivo/x.csv#{i}" for i in range(rows)],
                              "year": np.full(rows, 2024), "cents": np.arange(rows)})
        rels = pd.DataFrame({"from": nodes.id, "to": "s", "source": "archivo/x.csv", "locator": ""})
        print(f"COPY {rows:,} nodes: {seconds(lambda: conn.execute('COPY C FROM nodes')):.2f} s")
        print(f"COPY {rows:,} relationships: {seconds(lambda: conn.execute('COPY R FROM rels')):.2f} s")

        sample = min(20_000, rows)
        delete = seconds(lambda: conn.execute(
            "MATCH (c:C)-[r:R]->() WHERE c.cents < $n DELETE r", {"n": sample}))
        print(f"DELETE relationships: {delete / sample * 1e6:.0f} µs each ({sample:,} deleted)")

        conn.execute("CHECKPOINT")
        conn.set_query_timeout(1000)
        heavy = "MATCH (a:C), (b:C) WHERE a.cents + b.cents = -1 RETURN count(*)"
        started = time.perf_counter()
        try:
            conn.execute(heavy)
            print("timeout: the heavy query finished before its limit (use more --rows)")
        except RuntimeError as exc:
            print(f"timeout of 1 s stopped a cartesian scan after {time.perf_counter() - started:.2f} s ({exc})")
        conn.close()
        db.close()


if __name__ == "__main__":
    main()
