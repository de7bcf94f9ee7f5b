"""Network analytics of the cooperation graph: who brokers, who depends on whom, where money flows.

`analyze(store, from_year, to_year)` returns one JSON-ready dict (money as integer centavos in
``*_cents`` keys, ids prefixed by kind: ``entity:sdm``, ``cooperant:bid``, ``network:c40``,
``sector:movilidad``, ``sdg:13``, ``pdd-objective:4``, ``pdd-program:…``, ``iati:40``, ``country:FR``);
`render_markdown(report)` turns it into a Spanish report for strategists.

Definitions
-----------
* Centrality runs on the organisation graph of `coopgraph.analysis.projections` (undirected).
  ``degree`` counts neighbours; ``weighted_degree`` sums edge ``weight`` (contributions + shared
  engagements + SAME_AS); ``strength_cents`` sums the money on a node's edges; ``betweenness``
  (unweighted, normalised) finds brokers; ``pagerank`` uses ``weight``; ``closeness`` is
  Wasserman–Faust closeness (comparable across components).
* Graphs of more than `EXACT_NODE_LIMIT` nodes get sampled betweenness (`DEFAULT_BETWEENNESS_SAMPLE`
  pivots, seeded) and pivot-sampled closeness (Eppstein–Wang, same pivots count); ``meta.algorithms``
  says which were exact.
* Concentration and counterpart (coopgraph.analysis.concentration): the Herfindahl–Hirschman index over
  each cooperant's share of an entity's, sector's, ODS's or PDD objective's money, on ``total_cents``,
  with the top cooperant's share; the district counterpart over the total and per cooperant peso.
* Flows: the monetary contributions' ``total_cents`` along IATI type → country → sector → entity,
  then entity → ODS and entity → PDD objective (two alternative last columns). A contribution missing
  a stage goes to a "sin …" node (``…:none``; a cooperant with no IATI type to ``iati:unclassified``),
  so every stage sums to the monetary total unless a contribution links to two nodes of one stage
  (then it counts once per node and the stage's ``conserved`` is false). Each stage reports the money
  at such placeholders as ``missing_source_cents`` / ``missing_target_cents``; international bodies
  have no country by design, so ``country:none`` holds most multilateral money.
"""
from __future__ import annotations

import time
from collections import Counter

from coopgraph.analysis.concentration import concentration, counterpart_ratio, hhi, target_rows  # noqa: F401
from coopgraph.analysis.gaps import OBJECTIVES, SDGS, _money_sql, _read, gaps
from coopgraph.analysis.money_flows import FLOW_STAGES, flows
from coopgraph.analysis.network_metrics import (DEFAULT_BETWEENNESS_SAMPLE, EXACT_NODE_LIMIT,  # noqa: F401
                                                PAIR_WORK_LIMIT, TOP, _sample_size, centrality, co_funding,
                                                communities, cut_structure, kcore, single_points)
from coopgraph.analysis.numbers import pct
from coopgraph.graph.model import model
from coopgraph.analysis.projections import QUERY_TIMEOUT_S, contribution_where, graph_from_rows, organisation_rows

__all__ = [
    "EXACT_NODE_LIMIT", "DEFAULT_BETWEENNESS_SAMPLE", "TOP", "DEPENDENCY_SHARE", "FLOW_STAGES",
    "analyze", "hhi", "centrality", "communities", "kcore", "cut_structure",
    "concentration", "counterpart_ratio", "flows", "gaps", "dependency_warnings", "co_funding",
]

from coopgraph.analysis.gaps import DEPENDENCY_SHARE  # noqa: E402,F401  (a dependency warning's share)
KIND_ES = {kind: model().kinds()[kind].word("es") for kind in ("entity", "cooperant", "network")}  # graph/schema

_COP = "CASE WHEN c.currency = 'COP' THEN c.{0} ELSE 0 END"
TOTALS = """
MATCH (c:Contribution) WHERE {where} AND c.monetary
RETURN count(c) AS contributions, sum({total}) AS total_cents, sum({cooperant}) AS cooperant_cents,
       sum({counterpart}) AS counterpart_cents, sum(CASE WHEN c.currency = 'COP' THEN 0 ELSE 1 END) AS other_currency,
       collect(DISTINCT c.year) AS years
"""
FLOW_BASE = """
MATCH (c:Contribution) WHERE {where} AND c.monetary AND c.currency = 'COP'
OPTIONAL MATCH (o:Cooperant)-[:PROVIDED]->(c)
OPTIONAL MATCH (e:DistrictEntity)-[:RECEIVED]->(c)
RETURN o.id IS NULL AS no_cooperant, o.iati_type AS iati_type, o.iati_type_name AS iati_type_name,
       o.country AS country, c.sector_id AS sector, e.id AS entity, count(c) AS contributions, sum(c.total_cents) AS total_cents,
       sum(c.cooperant_cents) AS cooperant_cents, sum(c.counterpart_cents) AS counterpart_cents
"""
FLOW_TAIL = """
MATCH (c:Contribution) WHERE {where} AND c.monetary AND c.currency = 'COP'
OPTIONAL MATCH (e:DistrictEntity)-[:RECEIVED]->(c)
OPTIONAL MATCH (c)-[:{rel}]->(t:{label})
RETURN e.id AS entity, t.number AS target, count(c) AS contributions, sum(c.total_cents) AS total_cents
"""


# -- warnings ----------------------------------------------------------------------------------

def dependency_warnings(conc: dict, points: dict, *, share: float = DEPENDENCY_SHARE, limit: int = 25) -> list[str]:
    """Spanish sentences: sectors and entities whose top cooperant gives `share` or more of their money,
    then external partners whose loss would cut nodes off the network."""
    from coopgraph.money import format_cop

    out = []
    for label in ("sectors", "entities"):
        for e in conc[label]:
            if e["top_share"] is None or e["top_share"] < share or not e["total_cents"]:
                continue
            only = " (único cooperante)" if e["cooperants"] == 1 else ""
            paid = (" El cooperante no puso dinero: todo es contrapartida distrital." if not e["top_cooperant_cents"]
                    else "")
            out.append(f"{e['name']} depende en {pct(e['top_share'])} de {e['top_cooperant']['name']}{only}: "
                       f"{format_cop(e['top_cents'], cents=True)} de {format_cop(e['total_cents'], cents=True)}.{paid}")
    for p in points["articulation_points"]:
        if p["kind"] in ("cooperant", "network") and p["separated_nodes"] >= 2:
            out.append(f"Sin {p['name']}, {p['separated_nodes']} organizaciones quedarían desconectadas del resto "
                       "de la red.")
    return out[:limit]


# -- the whole analysis ----------------------------------------------------------------------

def analyze(store, from_year: int = 0, to_year: int = 9999, *, betweenness_sample: int | None = None,
            seed: int = 42, sector_id: str | None = None, network_id: str | None = None,
            sdg: int | None = None) -> dict:
    """Every metric of this module for a year range (and optional slice), as one JSON-ready dict.

    Keys: centrality, communities, kcore, single_points_of_failure, concentration, counterpart_ratio,
    dependency_warnings, gaps, flows, co_funding, meta. Deterministic for a given store and seed.
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    rows = organisation_rows(store, from_year, to_year, sector_id=sector_id, network_id=network_id, sdg=sdg)
    where, params = contribution_where(from_year, to_year, sector_id=sector_id, network_id=network_id, sdg=sdg)
    seconds["read_graph_rows"] = time.perf_counter() - started

    started = time.perf_counter()
    graph = graph_from_rows(rows)
    seconds["build_graph"] = time.perf_counter() - started

    metrics, how = centrality(graph, betweenness_sample=betweenness_sample, seed=seed, timings=seconds)

    started = time.perf_counter()
    parts, louvain = communities(graph, seed=seed)
    seconds["communities"] = time.perf_counter() - started
    started = time.perf_counter()
    cores = kcore(graph)
    seconds["kcore"] = time.perf_counter() - started
    started = time.perf_counter()
    points = single_points(graph)
    seconds["single_points_of_failure"] = time.perf_counter() - started
    started = time.perf_counter()
    pairs = co_funding(graph)
    seconds["co_funding"] = time.perf_counter() - started

    started = time.perf_counter()
    totals = _read(store, _money_sql(TOTALS, where=where), params)[0]
    flow_rows = _read(store, FLOW_BASE.format(where=where), params)
    tails = {"sdg": _read(store, FLOW_TAIL.format(where=where, rel="ADVANCES", label="SDG"), params),
             "pdd_objective": _read(store, FLOW_TAIL.format(where=where, rel="SERVES", label="PDDObjective"), params)}
    labels = {"sdg": {r["number"]: f"ODS {r['number']}. {r['name']}" for r in _read(store, SDGS, {})},
              "pdd_objective": {r["number"]: f"Objetivo PDD {r['number']}. {r['name']}" for r in _read(store, OBJECTIVES, {})}}
    by_target = target_rows(store, where, params, timeout_s=QUERY_TIMEOUT_S)
    seconds["read_money_rows"] = time.perf_counter() - started

    started = time.perf_counter()
    total_cents = int(totals["total_cents"] or 0)
    conc = concentration(rows, targets=by_target, names=labels)
    money_flows = flows(flow_rows, tails, rows, labels, total_cents)
    ratio = counterpart_ratio(flow_rows, rows, targets=by_target, names=labels)
    seconds["money"] = time.perf_counter() - started
    started = time.perf_counter()
    alignment = gaps(store, where, params, rows, conc=conc)
    seconds["gaps"] = time.perf_counter() - started
    warnings = dependency_warnings(conc, points)

    import networkx as nx

    how["communities"] = louvain
    how["kcore"] = {"exact": True}
    how["single_points_of_failure"] = {"exact": True}
    how["co_funding"] = {"exact": True, "skipped": [k for k, v in pairs.items() if v is None],
                         "work_limit": PAIR_WORK_LIMIT}
    meta = {
        "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
        "node_kinds": dict(sorted(Counter(k for _, k in graph.nodes(data="kind")).items())),
        "edge_relations": dict(sorted(Counter(r for *_, r in graph.edges(data="relation")).items())),
        "components": nx.number_connected_components(graph) if graph.number_of_nodes() else 0,
        "years": {"from_year": int(from_year), "to_year": int(to_year),
                  "with_contributions": sorted(int(y) for y in (totals["years"] or []))},
        "slice": {"sector_id": sector_id, "network_id": network_id, "sdg": sdg},
        "money": {"currency": "COP", "basis": "total_cents", "monetary_contributions": int(totals["contributions"]),
                  "total_cents": total_cents, "cooperant_cents": int(totals["cooperant_cents"] or 0),
                  "counterpart_cents": int(totals["counterpart_cents"] or 0),
                  "other_currency_contributions": int(totals["other_currency"] or 0),
                  "total_is": "report"},  # the figures as stated in COP; all_cooperation adds the converted ones
        "algorithms": how, "exact_node_limit": EXACT_NODE_LIMIT, "seed": seed,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
    }
    meta["seconds"]["total"] = round(sum(seconds.values()), 3)
    return {"centrality": metrics, "communities": parts, "kcore": cores, "single_points_of_failure": points,
            "concentration": conc, "counterpart_ratio": ratio, "dependency_warnings": warnings,
            "gaps": alignment, "flows": money_flows, "co_funding": pairs, "meta": meta,
            "all_cooperation": _all_cooperation(store, from_year, to_year, meta["slice"])}


def _all_cooperation(store, from_year: int, to_year: int, slice_: dict) -> dict | None:
    """Beside the report's COP figures: all cooperation in COP (whole years only: engagements have no sector nor ODS)."""
    from coopgraph.graph.all_cooperation import all_cooperation, in_cents

    return None if any(v is not None for v in slice_.values()) else in_cents(all_cooperation(store, from_year, to_year))
