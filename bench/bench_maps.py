"""Maps at size: time to a steady view in headless Chromium for 200, 2,000 and 5,000 nodes.

    python bench/bench_maps.py [--sizes 200,2000,5000] [--rows 40000] [--runs 3]

Builds a synthetic store (`coopgraph synth` + `coopgraph load`: power-law cooperants, about 5,700
nodes), renders its overview map with ``max_nodes`` = each size, opens the page from file:// in
headless Chromium with the network blocked (tests/support/browser.py) and reads the page's own ready
signal: ``window.coopgraph.readyMs``, milliseconds from navigation start to the first drawing
with physics off (positions come from Python). Also prints the Python render time (store graph
cached, layout included), the page size and how long one filter takes in the page. Needs
chromium and chromedriver.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import Browser, chromium_paths  # noqa: E402


def cli(args: list[str], home: str) -> None:
    env = {**os.environ, "COOPGRAPH_HOME": home}
    subprocess.run([sys.executable, "-m", "coopgraph", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200,2000,5000")
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    _, _, missing = chromium_paths()
    if missing:
        raise SystemExit(missing)

    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.settings import Settings
    from coopgraph.viz import render_map
    from coopgraph.viz.render import map_graph

    with tempfile.TemporaryDirectory() as work:
        home, path = f"{work}/home", f"{work}/synthetic.csv"
        started = time.perf_counter()
        cli(["synth", "-o", path, "--rows", str(args.rows), "--cooperants", str(args.rows * 3 // 10),
             "--entities", "80"], home)
        cli(["load", path], home)
        store = EmbeddedStore(Settings(home=home))
        graph = map_graph(store)
        print(f"synthetic store: {args.rows:,} interactions, {graph.number_of_nodes():,} map nodes, "
              f"{graph.number_of_edges():,} links (built and read in {time.perf_counter() - started:.1f} s)")
        print(f"{'nodes':>6} {'links':>6} {'HTML MB':>8} {'render s':>9} {'stable ms (median)':>19} "
              f"{'min':>6} {'max':>6} {'filter ms':>10}")
        with Browser() as browser:
            for size in sizes:
                started = time.perf_counter()
                html = render_map(store, "overview", max_nodes=size)
                render = time.perf_counter() - started
                page = Path(work) / f"overview-{size}.html"
                page.write_text(html, encoding="utf-8")
                ready = []
                for _ in range(args.runs):
                    ready.append(browser.open(page))
                nodes, links = browser.js("return [coopgraph.nodes.length, coopgraph.edges.length]")
                filter_ms = browser.js("const t = performance.now(); coopgraph.setFilter('sdg', '13');"
                                       "return performance.now() - t")
                errors = browser.severe_logs()
                print(f"{nodes:>6,} {links:>6,} {len(html) / 1e6:>8.1f} {render:>9.2f} {statistics.median(ready):>19.0f} "
                      f"{min(ready):>6.0f} {max(ready):>6.0f} {filter_ms:>10.0f}" + (f"  console errors: {errors}" if errors else ""))
        store.close()


if __name__ == "__main__":
    main()
