"""Fuzz the loader with seeded bad (and good) interaction exports and count what happens.

    python bench/bench_fuzz.py [--cases 1000] [--seed 13]

Every case loads, in this process, into one store that already holds the bundled 2024 data. Prints
cases, clear errors, unclear errors, crashes (tracebacks), store changes after a rejection, and
silent acceptances of bad files, per class; the target is 0 for the last four. Beside it, the
reference: the time of one load of the bundled report into the same kind of store.
"""
from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from badfiles import generate, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--show", type=int, default=3, help="messages shown per bad outcome kind")
    args = parser.parse_args()

    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.loaders.pipeline import bundled_tables, load
    from coopgraph.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Settings(home=Path(tmp) / "home"))
        started = time.perf_counter()
        load(store, bundled_tables())
        reference = time.perf_counter() - started
        folder = Path(tmp) / "files"
        folder.mkdir()
        cases = generate(args.seed, args.cases)
        started = time.perf_counter()
        outcomes = [run_case(store, case, folder) for case in cases]
        elapsed = time.perf_counter() - started
        store.close()

    by_kind = collections.defaultdict(collections.Counter)
    for o in outcomes:
        by_kind[(o.kind, o.bad)][o.result] += 1
    print(f"{'class':28} {'bad':>4} {'cases':>6} {'loaded':>7} {'clear':>6} {'unclear':>8} {'crash':>6}")
    for (kind, bad), counts in sorted(by_kind.items(), key=lambda item: (not item[0][1], item[0][0])):
        print(f"{kind:28} {'yes' if bad else 'no':>4} {sum(counts.values()):6} {counts['loaded']:7} "
              f"{counts['clear error']:6} {counts['unclear error']:8} {counts['crash']:6}")
    bad = [o for o in outcomes if o.bad]
    figures = {
        "cases": len(outcomes),
        "bad cases": len(bad),
        "clear errors": sum(o.result == "clear error" for o in outcomes),
        "unclear errors": sum(o.result == "unclear error" for o in outcomes),
        "crashes (tracebacks)": sum(o.result == "crash" for o in outcomes),
        "store changes after a rejection": sum(o.store_changed for o in outcomes if o.result != "loaded"),
        "silent acceptances of bad files": sum(o.result == "loaded" for o in bad),
        "good files refused": sum(o.result != "loaded" for o in outcomes if not o.bad),
    }
    print()
    for name, value in figures.items():
        print(f"{name:36} {value}")
    print(f"{'time per case (s)':36} {elapsed / len(outcomes):.3f}   reference: one bundled report load {reference:.2f} s")
    for label in ("crash", "unclear error"):
        for o in [o for o in outcomes if o.result == label][: args.show]:
            print(f"{label}: [{o.kind}] {o.message[:300]}")
    for o in [o for o in bad if o.result == "loaded"][: args.show]:
        print(f"silently accepted: [{o.kind}]")
    for o in [o for o in outcomes if not o.bad and o.result != "loaded"][: args.show]:
        print(f"good file refused: [{o.kind}] {o.message[:300]}")
    worst = figures["crashes (tracebacks)"] + figures["unclear errors"] + figures["store changes after a rejection"] \
        + figures["silent acceptances of bad files"] + figures["good files refused"]
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
