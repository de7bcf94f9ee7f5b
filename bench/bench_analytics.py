"""Analytics timings: projection, PageRank and betweenness with NetworkX vs python-igraph, and analyze().

    python bench/bench_analytics.py [--rows 1000000] [--skip-synthetic] [--repeat 3]

Two stores, each in its own temporary COOPGRAPH_HOME: the bundled 2024 data (`coopgraph load`) and a
synthetic export of ``--rows`` contributions (`coopgraph synth … --years 2021-2024 --cooperants 5000
--entities 60`, then `coopgraph load FILE`). python-igraph is a dev-only dependency
(``pip install python-igraph``); without it the script says "igraph not installed" and prints the
NetworkX figures. Betweenness on the synthetic graph is sampled in NetworkX (the pivots `analyze()`
uses) and exact in igraph; the exact NetworkX time is extrapolated (sampled time × nodes / pivots).
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


def cli(args: list[str], home: Path) -> float:
    env = {**os.environ, "COOPGRAPH_HOME": str(home)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "coopgraph", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def timed(function, repeat: int = 1):
    """(median seconds, last result)."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def to_igraph(graph):
    import igraph as ig

    index = {n: i for i, n in enumerate(graph)}
    g = ig.Graph(n=len(index), edges=[(index[u], index[v]) for u, v in graph.edges()], directed=False)
    g.es["weight"] = [w for *_, w in graph.edges(data="weight")]
    g.vs["name"] = list(index)
    return g


def top_overlap(a: dict, b: dict, k: int = 10) -> int:
    def best(scores):
        return {n for n, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]}
    return len(best(a) & best(b))


def bench_store(label: str, home: Path, repeat: int, rows: list[tuple]) -> None:
    import networkx as nx

    from coopgraph.analysis.analytics import _sample_size, analyze
    from coopgraph.analysis.projections import entity_projection, organisation_graph
    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.settings import Settings

    store = EmbeddedStore(Settings(home=home))
    try:
        seconds, graph = timed(lambda: organisation_graph(store), repeat)
        n, m = graph.number_of_nodes(), graph.number_of_edges()
        rows.append((label, f"projection store → NetworkX ({n:,} nodes, {m:,} edges)", seconds, None))
        seconds, projected = timed(lambda: entity_projection(graph=graph), repeat)
        rows.append((label, f"entity projection ({projected.number_of_edges():,} edges)", seconds, None))

        ig_graph = None
        try:
            import igraph  # noqa: F401
        except ImportError:
            print("igraph not installed (pip install python-igraph): NetworkX figures only")
        else:
            seconds, ig_graph = timed(lambda: to_igraph(graph), repeat)
            rows.append((label, "NetworkX → igraph conversion", None, seconds))

        nx_time, nx_rank = timed(lambda: nx.pagerank(graph, alpha=0.85, weight="weight"), repeat)
        ig_time = overlap = None
        if ig_graph is not None:
            ig_time, ig_rank = timed(lambda: ig_graph.pagerank(weights="weight", damping=0.85), repeat)
            overlap = top_overlap(nx_rank, dict(zip(ig_graph.vs["name"], ig_rank)))
        rows.append((label, "PageRank" + (f" (top-10 agree: {overlap}/10)" if overlap is not None else ""),
                     nx_time, ig_time))

        k = _sample_size(graph, None)
        nx_time, nx_between = timed(lambda: nx.betweenness_centrality(graph, k=k, seed=42 if k else None), 1)
        name = "betweenness, exact" if k is None else f"betweenness (NetworkX {k} pivots; igraph exact)"
        ig_time = overlap = None
        if ig_graph is not None:
            ig_time, ig_between = timed(lambda: ig_graph.betweenness(directed=False), 1)
            overlap = top_overlap(nx_between, dict(zip(ig_graph.vs["name"], ig_between)))
        rows.append((label, name + (f" (top-10 agree: {overlap}/10)" if overlap is not None else ""), nx_time, ig_time))
        if k is not None:
            rows.append((label, "betweenness, exact NetworkX (extrapolated)", nx_time * n / k, None))

        seconds, report = timed(lambda: analyze(store), 1)
        rows.append((label, "analyze() end to end", seconds, None))
        steps = report["meta"]["seconds"]
        slowest = sorted(((v, s) for s, v in steps.items() if s != "total"), reverse=True)[:5]
        print(f"[{label}] analyze() steps, slowest first: " + ", ".join(f"{s} {v:.2f} s" for v, s in slowest))
    finally:
        store.close()


def print_table(rows: list[tuple]) -> None:
    def cell(value):
        return "—" if value is None else f"{value * 1000:,.1f}"

    width = max(len(r[1]) for r in rows)
    print(f"\n{'data':10} {'step':{width}} {'NetworkX ms':>12} {'igraph ms':>11}")
    for label, step, nx_time, ig_time in rows:
        print(f"{label:10} {step:{width}} {cell(nx_time):>12} {cell(ig_time):>11}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic contributions")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs per fast step (median shown)")
    args = parser.parse_args()
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="coopgraph-bench-") as tmp:
        tmp = Path(tmp)
        home = tmp / "report-2024"
        rows.append(("2024", "coopgraph load (bundled tables, CLI process)", cli(["load"], home), None))
        bench_store("2024", home, args.repeat, rows)
        if not args.skip_synthetic:
            home, export = tmp / "synthetic", tmp / "synthetic.csv"
            seconds = cli(["synth", "-o", str(export), "--rows", str(args.rows), "--years", "2021-2024",
                           "--cooperants", "5000", "--entities", "60"], home)
            rows.append(("synthetic", f"coopgraph synth ({args.rows:,} rows, CLI process)", seconds, None))
            rows.append(("synthetic", "coopgraph load FILE (CLI process)", cli(["load", str(export)], home), None))
            bench_store("synthetic", home, 1, rows)
    print_table(rows)


if __name__ == "__main__":
    main()
