"""How well does prospecting find the partners an entity really has? Measured on held-out links.

    python bench/bench_prospects.py [--repetitions 20] [--share 0.2] [--seed 0] [--skip-synthetic]
                                    [--rows 20000] [--years 2021-2024]

1. **2024 data, hidden links.** Load the bundled 2024 report into a temporary store, then
   `--repetitions` times (seeds `--seed`, `--seed`+1, …) hide a random `--share` of the known
   entity–cooperant links (every contribution between the two, with the ODS, objective and sector links
   those contributions alone made), rebuild the typed graph, ask each score for the prospects of every
   entity that lost a link, and measure:
   * **ROC AUC** over every entity × cooperant pair not linked in the kept graph (hidden links are the
     positives; ties count half): the chance that a hidden link outranks a pair that never existed;
   * **precision@10**: the share of hidden links among each such entity's first 10 prospects, averaged
     over the entities (the best possible value is printed as ``ceiling``: few entities lost 10 links).
2. **Synthetic multi-year data, next year's new links.** `coopgraph synth --years` writes a seeded
   multi-year interaction export; after `coopgraph load FILE`, for each year Y after the first, the graph
   of the years before Y predicts the entity–cooperant links that first appear in Y.

Scores: resource allocation, Adamic–Adar, Jaccard and preferential attachment (NetworkX, on the typed
graph of `coopgraph.analysis.prospect_graph`), the ranking score `prospects` uses (``combined``), and two
baselines: ``random`` (seeded) and ``popularity`` (how many entities the cooperant funds). Each line
prints the mean and the standard deviation over the repetitions (or target years), beside the
baselines computed in the same process on the same splits. Timings: one `prospects()` call against
reading the rows it needs.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCORES = ("combined", "resource_allocation", "adamic_adar", "jaccard", "preferential_attachment")
BASELINES = ("popularity", "random")


def cli(args: list[str], home: Path) -> None:
    env = {**os.environ, "COOPGRAPH_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "coopgraph", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def auc(positives: list[float], negatives: list[float]) -> float:
    """ROC AUC as the Mann–Whitney statistic with average ranks (ties count half)."""
    from scipy.stats import rankdata

    ranks = rankdata(positives + negatives)
    n_pos, n_neg = len(positives), len(negatives)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def evaluate(graph, cooperants: list[str], entities: list[str], known: set, positives: set, rng: random.Random) -> dict:
    """AUC and precision@10 of every score for one split.

    `known`: the (cooperant, entity) graph-id pairs the graph keeps; `positives`: the pairs to find.
    Candidates of an entity are all `cooperants` it is not linked to in the graph.
    """
    from coopgraph.analysis.prospects import popularity, score_candidates

    popular = popularity(graph)
    values = {name: [] for name in SCORES + BASELINES}
    labels, precision = [], {name: [] for name in SCORES + BASELINES}
    ceiling = []
    for entity in entities:
        candidates = [c for c in cooperants if (c, entity) not in known]
        scores = score_candidates(graph, entity, candidates, popular)
        found = [(c, entity) in positives for c in candidates]
        per = {"combined": [scores[c]["score"] for c in candidates],
               "popularity": [popular.get(c, 0) for c in candidates],
               "random": [rng.random() for _ in candidates]}
        for name in SCORES[1:]:
            per[name] = [scores[c][name] for c in candidates]
        labels += found
        for name, v in per.items():
            values[name] += v
        hits = sum(found)
        if hits:
            ceiling.append(min(hits, 10) / 10)
            for name, v in per.items():
                order = sorted(range(len(candidates)), key=lambda i: (-v[i], candidates[i]))[:10]
                precision[name].append(sum(found[i] for i in order) / 10)
    out = {}
    for name, v in values.items():
        pos = [x for x, hit in zip(v, labels) if hit]
        neg = [x for x, hit in zip(v, labels) if not hit]
        out[name] = {"auc": auc(pos, neg), "p10": statistics.mean(precision[name])}
    out["_ceiling"] = statistics.mean(ceiling)
    out["_positives"] = sum(labels)
    out["_targets"] = len(ceiling)
    return out


def funding_pairs(rows, from_year: int = 0, to_year: int = 9999) -> set:
    return {(r["cooperant"], r["entity"]) for r in rows.funding if from_year <= int(r["year"]) <= to_year}


def hidden_links(rows, repetitions: int, share: float, seed: int) -> list[dict]:
    from coopgraph.analysis.prospect_graph import prospect_graph

    pairs = sorted(funding_pairs(rows))
    cooperants = sorted(f"cooperant:{c}" for c in rows.nodes["cooperant"])
    results = []
    for repetition in range(repetitions):
        rng = random.Random(seed + repetition)
        hidden = set(rng.sample(pairs, round(share * len(pairs))))
        graph = prospect_graph(rows, hide=frozenset(hidden))
        kept = {(f"cooperant:{c}", f"entity:{e}") for c, e in pairs if (c, e) not in hidden}
        positives = {(f"cooperant:{c}", f"entity:{e}") for c, e in hidden}
        entities = sorted({e for _, e in positives})
        # the random baseline draws from its own stream: numbers drawn right after rng.sample correlate with it
        results.append(evaluate(graph, cooperants, entities, kept, positives, random.Random(f"random-{seed + repetition}")))
    return results


def next_year_links(rows, seed: int) -> list[dict]:
    from coopgraph.analysis.prospect_graph import prospect_graph

    years = rows.years()
    cooperants = sorted(f"cooperant:{c}" for c in rows.nodes["cooperant"])
    results = []
    for year in years[1:]:
        before = {(f"cooperant:{c}", f"entity:{e}") for c, e in funding_pairs(rows, years[0], year - 1)}
        new = {(f"cooperant:{c}", f"entity:{e}") for c, e in funding_pairs(rows, year, year)} - before
        if not new:
            continue
        graph = prospect_graph(rows, years[0], year - 1)
        entities = sorted({e for _, e in new})
        result = evaluate(graph, cooperants, entities, before, new, random.Random(f"random-{seed + year}"))
        result["_year"] = year
        results.append(result)
    return results


def report(title: str, results: list[dict]) -> None:
    def spread(values):
        return f"{statistics.mean(values):.3f} ± {statistics.stdev(values) if len(values) > 1 else 0.0:.3f}"

    print(f"\n{title}")
    print(f"  {len(results)} splits; per split on average {statistics.mean(r['_positives'] for r in results):.1f} "
          f"links to find across {statistics.mean(r['_targets'] for r in results):.1f} entities; "
          f"precision@10 ceiling {spread([r['_ceiling'] for r in results])}")
    print(f"  {'score':<26}{'ROC AUC (mean ± sd)':>22}{'precision@10 (mean ± sd)':>28}")
    for name in SCORES + BASELINES:
        tag = " (baseline)" if name in BASELINES else ""
        print(f"  {name + tag:<26}{spread([r[name]['auc'] for r in results]):>22}"
              f"{spread([r[name]['p10'] for r in results]):>28}")
    combined = [r["combined"]["auc"] for r in results]
    popular = [r["popularity"]["auc"] for r in results]
    wins = sum(c > p for c, p in zip(combined, popular))
    print(f"  combined beats popularity on AUC in {wins} of {len(results)} splits "
          f"(mean difference {statistics.mean(c - p for c, p in zip(combined, popular)):+.3f})")


def timings(home: Path) -> None:
    from coopgraph.analysis.prospect_graph import prospect_rows
    from coopgraph.analysis.prospects import prospects
    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.settings import Settings

    with EmbeddedStore(Settings(home=home)) as store:
        started = time.perf_counter()
        prospect_rows(store)
        read = time.perf_counter() - started
        started = time.perf_counter()
        prospects(store, "entity:sda", top=10)
        whole = time.perf_counter() - started
    print(f"  timing: prospects(entity:sda, top=10) {whole * 1000:.0f} ms in all; reference: reading its rows "
          f"alone {read * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--years", default="2021-2024")
    args = parser.parse_args()

    from coopgraph.analysis.prospect_graph import prospect_rows
    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.settings import Settings

    with tempfile.TemporaryDirectory(prefix="coopgraph-bench-prospects-") as tmp:
        home = Path(tmp) / "report"
        cli(["load"], home)
        with EmbeddedStore(Settings(home=home)) as store:
            rows = prospect_rows(store)
        print(f"2024 report: {len(funding_pairs(rows))} entity–cooperant links, {len(rows.nodes['cooperant'])} cooperants, "
              f"{len(rows.nodes['entity'])} entities")
        report(f"Hidden links: {args.share:.0%} of the 2024 links hidden, {args.repetitions} repetitions "
               f"(seeds {args.seed}–{args.seed + args.repetitions - 1})",
               hidden_links(rows, args.repetitions, args.share, args.seed))
        timings(home)
        if args.skip_synthetic:
            return
        synth_home = Path(tmp) / "synthetic"
        export = Path(tmp) / "synthetic.csv"
        cli(["synth", "-o", str(export), "--rows", str(args.rows), "--years", args.years, "--seed", str(2024 + args.seed)],
            synth_home)
        cli(["load", str(export)], synth_home)
        with EmbeddedStore(Settings(home=synth_home)) as store:
            synthetic = prospect_rows(store)
        print(f"\nSynthetic export: {args.rows} interactions, years {args.years}, "
              f"{len(funding_pairs(synthetic))} entity–cooperant links")
        report("Next year's new links predicted from the years before (one split per target year)",
               next_year_links(synthetic, args.seed))


if __name__ == "__main__":
    main()
