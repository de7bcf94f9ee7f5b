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
from collections import Counter, defaultdict

from coopgraph.analysis.concentration import concentration, counterpart_ratio, hhi, target_rows
from coopgraph.graph.model import model
from coopgraph.analysis.projections import (QUERY_TIMEOUT_S, contribution_where, graph_from_rows, node_id,
                                         organisation_rows)

__all__ = [
    "EXACT_NODE_LIMIT", "DEFAULT_BETWEENNESS_SAMPLE", "TOP", "DEPENDENCY_SHARE", "FLOW_STAGES",
    "analyze", "render_markdown", "hhi", "centrality", "communities", "kcore", "cut_structure",
    "concentration", "counterpart_ratio", "flows", "gaps", "dependency_warnings", "co_funding",
]

EXACT_NODE_LIMIT = 5_000          # above this many nodes, betweenness and closeness are sampled
DEFAULT_BETWEENNESS_SAMPLE = 100  # pivots when sampling (~11 s on 5,077 nodes × 115,585 edges, 2 cores)
TOP = 20                          # entries per ranked list
DEPENDENCY_SHARE = 0.8            # a top cooperant with this share of the money or more is a dependency warning
PAIR_WORK_LIMIT = 2_000_000       # co-funding pairs are counted only when Σ deg² stays under this
FLOW_STAGES = (("iati_type-country", "iati_type", "country"), ("country-sector", "country", "sector"),
               ("sector-entity", "sector", "entity"), ("entity-sdg", "entity", "sdg"),
               ("entity-pdd_objective", "entity", "pdd_objective"))
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
ALIGNED = """
MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)-[:{rel}]->(t:{label}) WHERE {where}
RETURN t.id AS id, count(DISTINCT o.id) AS cooperants, min(o.id) AS cooperant,
       count(DISTINCT c.id) AS contributions, sum({total}) AS total_cents
"""
BROKERS = """
MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)-[:{rel}]->(t:{label}), (e:DistrictEntity)-[:RECEIVED]->(c)
WHERE {where}
RETURN t.id AS id, count(DISTINCT e.id) AS entities, min(e.id) AS entity
"""
LINKED = "MATCH (c:Contribution)-[:{rel}]->(t:{label}) WHERE {where} RETURN t.id AS id, sum(c.interactions) AS interactions"
SDGS = "MATCH (g:SDG) RETURN g.id AS id, g.number AS number, g.name AS name"
OBJECTIVES = "MATCH (o:PDDObjective) RETURN o.id AS id, o.number AS number, o.name AS name"
PROGRAMS = """
MATCH (p:PDDProgram) OPTIONAL MATCH (p)-[:IN_OBJECTIVE]->(o:PDDObjective)
RETURN p.id AS id, p.code AS code, p.name AS name, o.number AS objective
"""


def _read(store, cypher: str, params: dict) -> list[dict]:
    return store.read(cypher, params, timeout_s=QUERY_TIMEOUT_S)


def _money_sql(template: str, **extra) -> str:
    return template.format(total=_COP.format("total_cents"), cooperant=_COP.format("cooperant_cents"),
                           counterpart=_COP.format("counterpart_cents"), **extra)


# -- small helpers ---------------------------------------------------------------------------

def _pct(share: float) -> str:
    """0.98904 → '98,9 %' (Colombian decimal comma)."""
    return f"{share * 100:.1f}".replace(".", ",") + " %"


def _dec(x: float, digits: int) -> str:
    """0.393 → '0,393' (decimal comma)."""
    return f"{x:.{digits}f}".replace(".", ",")


def _n(count: int) -> str:
    """4883 → '4.883' (Colombian thousands separator)."""
    return f"{int(count):,}".replace(",", ".")


def _plural(count: int, one: str, many: str) -> str:
    return f"{_n(count)} {one if count == 1 else many}"


def _ranked(scores: dict, graph, top: int = TOP, digits: int | None = 8) -> list[dict]:
    order = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [{"id": n, "name": graph.nodes[n].get("name", n), "kind": graph.nodes[n].get("kind"),
             "score": round(s, digits) if digits is not None else s} for n, s in order]


def _member(graph, n: str) -> dict:
    return {"id": n, "name": graph.nodes[n].get("name", n), "kind": graph.nodes[n].get("kind")}


# -- graph metrics -----------------------------------------------------------------------------

def _sample_size(graph, sample: int | None) -> int | None:
    """How many pivots to sample, or None for exact."""
    n = graph.number_of_nodes()
    if sample is None:
        return DEFAULT_BETWEENNESS_SAMPLE if n > EXACT_NODE_LIMIT else None
    return int(sample) if 0 < int(sample) < n else None


def _closeness_sampled(graph, k: int, seed: int) -> dict:
    """Wasserman–Faust closeness estimated from k BFS pivots (Eppstein–Wang); small components exactly."""
    import random

    import networkx as nx

    n = graph.number_of_nodes()
    out = {}
    rng = random.Random(seed)
    for component in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c))):
        size = len(component)
        if size == 1:
            out.update({v: 0.0 for v in component})
            continue
        if size <= max(k, 64):  # exact: as cheap as sampling
            for v in component:
                total = sum(nx.single_source_shortest_path_length(graph, v).values())
                out[v] = (size - 1) / total * (size - 1) / (n - 1)
            continue
        pivots = rng.sample(sorted(component), k)
        total, seen = defaultdict(int), defaultdict(int)
        for p in pivots:
            for v, d in nx.single_source_shortest_path_length(graph, p).items():
                if v != p:
                    total[v] += d
                    seen[v] += 1
        for v in component:
            estimate = total[v] * (size - 1) / seen[v] if seen[v] else 0
            out[v] = (size - 1) / estimate * (size - 1) / (n - 1) if estimate else 0.0
    return out


def centrality(graph, *, betweenness_sample: int | None = None, seed: int = 42, top: int = TOP,
               timings: dict | None = None) -> tuple[dict, dict]:
    """Ranked lists per metric (top `top`) and a description of how each was computed."""
    import networkx as nx

    timings = {} if timings is None else timings
    out, how = {}, {}
    if graph.number_of_nodes() == 0:
        return {m: [] for m in ("degree", "weighted_degree", "strength_cents", "betweenness", "pagerank",
                                "closeness")}, {}
    started = time.perf_counter()
    out["degree"] = _ranked(dict(graph.degree()), graph, top, None)
    out["weighted_degree"] = _ranked(dict(graph.degree(weight="weight")), graph, top, None)
    out["strength_cents"] = _ranked({n: int(s) for n, s in graph.degree(weight="amount_cents")}, graph, top, None)
    how["degree"] = {"exact": True}
    timings["degree"] = time.perf_counter() - started

    k = _sample_size(graph, betweenness_sample)
    started = time.perf_counter()
    scores = nx.betweenness_centrality(graph, k=k, seed=seed if k else None, normalized=True)
    out["betweenness"] = _ranked(scores, graph, top)
    how["betweenness"] = {"exact": k is None, "sample": k, "seed": seed if k else None, "weight": None,
                          "normalized": True}
    timings["betweenness"] = time.perf_counter() - started

    started = time.perf_counter()
    out["pagerank"] = _ranked(nx.pagerank(graph, alpha=0.85, weight="weight"), graph, top)
    how["pagerank"] = {"exact": True, "alpha": 0.85, "weight": "weight"}
    timings["pagerank"] = time.perf_counter() - started

    started = time.perf_counter()
    if k is None:
        scores = nx.closeness_centrality(graph, wf_improved=True)
    else:
        scores = _closeness_sampled(graph, k, seed)
    out["closeness"] = _ranked(scores, graph, top)
    how["closeness"] = {"exact": k is None, "sample": k, "seed": seed if k else None, "wf_improved": True}
    timings["closeness"] = time.perf_counter() - started
    return out, how


def communities(graph, *, seed: int = 42, resolution: float = 1.0) -> tuple[list[dict], dict]:
    """Louvain communities (seeded: the same graph gives the same partition), largest first."""
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return [], {"algorithm": "louvain", "seed": seed, "resolution": resolution, "modularity": None}
    parts = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    modularity = nx.community.modularity(graph, parts, weight="weight")
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    out = []
    for i, part in enumerate(parts, 1):
        members = sorted(part, key=lambda n: (-graph.degree(n, weight="amount_cents"), n))
        inside = graph.subgraph(part)
        out.append({"id": i, "size": len(part), "members": [_member(graph, n) for n in members],
                    "kinds": dict(sorted(Counter(graph.nodes[n]["kind"] for n in part).items())),
                    "internal_cents": int(inside.size(weight="amount_cents"))})
    return out, {"algorithm": "louvain", "seed": seed, "resolution": resolution, "weight": "weight",
                 "modularity": round(modularity, 6)}


def kcore(graph, *, top: int = TOP) -> dict:
    """Core numbers: the innermost core's members and how many nodes each k holds."""
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return {"max_k": 0, "members": [], "size": 0, "distribution": []}
    cores = nx.core_number(graph)
    k = max(cores.values())
    inner = sorted((n for n, c in cores.items() if c == k), key=lambda n: (-graph.degree(n), n))
    return {"max_k": k, "size": len(inner), "members": [_member(graph, n) for n in inner[: max(top, 50)]],
            "distribution": [{"k": c, "nodes": m} for c, m in sorted(Counter(cores.values()).items())]}


def cut_structure(graph) -> tuple[dict, list[dict]]:
    """Articulation points and bridges, with how many nodes each cuts off, in one iterative DFS.

    Returns ``({node: pieces}, bridges)``: ``pieces`` are the sizes of the parts the node's component
    falls into without it; each bridge is ``{"u", "v", "sides": (a, b)}`` with the two sides' sizes.
    """
    disc: dict = {}
    low: dict = {}
    size: dict = {}
    pieces: dict = {}
    bridges: list = []
    counter = 0
    for root in sorted(graph):
        if root in disc:
            continue
        disc[root] = low[root] = counter
        counter += 1
        size[root] = 1
        children, separated, found = 0, defaultdict(list), []
        stack = [(root, None, iter(sorted(graph[root])))]
        while stack:
            v, parent, neighbours = stack[-1]
            for w in neighbours:
                if w == parent:
                    continue
                if w in disc:
                    low[v] = min(low[v], disc[w])
                else:
                    disc[w] = low[w] = counter
                    counter += 1
                    size[w] = 1
                    stack.append((w, v, iter(sorted(graph[w]))))
                    break
            else:
                stack.pop()
                if parent is None:
                    continue
                low[parent] = min(low[parent], low[v])
                size[parent] += size[v]
                if parent == root:
                    children += 1
                if low[v] >= disc[parent]:
                    separated[parent].append(size[v])
                if low[v] > disc[parent]:
                    found.append((parent, v, size[v]))
        total = size[root]
        for v, parts in separated.items():
            if v == root:
                if children >= 2:
                    pieces[v] = sorted(parts, reverse=True)
            else:
                rest = total - 1 - sum(parts)
                pieces[v] = sorted(parts + ([rest] if rest else []), reverse=True)
        bridges += [{"u": u, "v": w, "sides": (s, total - s)} for u, w, s in found]
    return pieces, bridges


def _single_points(graph, top: int = TOP) -> dict:
    pieces, bridges = cut_structure(graph)

    def cut_off(parts):
        return sum(parts) - max(parts)

    points = sorted(pieces.items(), key=lambda item: (-cut_off(item[1]), item[0]))
    structural = [b for b in bridges if min(b["sides"]) > 1]
    structural.sort(key=lambda b: (-min(b["sides"]), b["u"], b["v"]))
    return {
        "articulation_points": [{**_member(graph, n), "separated_nodes": cut_off(p), "pieces": len(p),
                                 "largest_piece": max(p)} for n, p in points[: max(top, 50)]],
        "articulation_point_count": len(pieces),
        "bridges": [{"source": _member(graph, b["u"]), "target": _member(graph, b["v"]),
                     "separated_nodes": min(b["sides"])} for b in structural[: max(top, 50)]],
        "bridge_count": len(bridges),
        "leaf_bridges": len(bridges) - len(structural),
        "note": "leaf_bridges: puentes hacia un nodo con una sola conexión (p. ej. un cooperante de una sola entidad)",
    }


# -- money -------------------------------------------------------------------------------------

def _country_name(code: str) -> str:
    from babel import Locale

    return Locale("es").territories.get(code, code)


def _missing(flow_node: str) -> bool:
    """A placeholder node of a flow column: no data (``:none``) or a cooperant with no IATI type."""
    return flow_node.endswith((":none", ":unclassified"))


def flows(flow_rows: list[dict], tails: dict[str, list[dict]], rows, labels: dict, monetary_total_cents: int) -> dict:
    """Sankey-ready links ``{source, target, value_cents, stage}`` and nodes, per stage (see FLOW_STAGES)."""
    links = defaultdict(lambda: [0, 0])
    nodes: dict[str, dict] = {}

    def node(column: str, raw, name: str) -> str:
        nid = f"{column.replace('_', '-') if column != 'iati_type' else 'iati'}:{raw if raw not in (None, '') else 'none'}"
        nodes.setdefault(nid, {"id": nid, "name": name, "column": column})
        return nid

    def link(stage, a, b, cents, n):
        links[(stage, a, b)][0] += cents
        links[(stage, a, b)][1] += n

    for r in flow_rows:
        cents, n = int(r["total_cents"] or 0), int(r["contributions"])
        if r["no_cooperant"]:
            iati = node("iati_type", None, "Sin cooperante")
        elif r["iati_type"] is None:
            iati = node("iati_type", "unclassified", "Tipo de cooperante sin clasificar")
        else:
            iati = node("iati_type", r["iati_type"], r["iati_type_name"] or f"Tipo IATI {r['iati_type']}")
        country = node("country", r["country"], _country_name(r["country"]) if r["country"]
                       else "Sin país (organismo internacional o sin dato)")
        sector = node("sector", r["sector"], rows.sectors.get(r["sector"], r["sector"]) if r["sector"] else "Sin sector")
        entity = node("entity", r["entity"], rows.name(node_id("entity", r["entity"])) if r["entity"] else "Sin entidad")
        link("iati_type-country", iati, country, cents, n)
        link("country-sector", country, sector, cents, n)
        link("sector-entity", sector, entity, cents, n)
    for stage, column, empty in (("entity-sdg", "sdg", "Sin ODS"), ("entity-pdd_objective", "pdd_objective", "Sin objetivo PDD")):
        for r in tails[column]:
            entity = node("entity", r["entity"], rows.name(node_id("entity", r["entity"])) if r["entity"] else "Sin entidad")
            target = node(column, r["target"], labels[column].get(r["target"], empty) if r["target"] is not None else empty)
            link(stage, entity, target, int(r["total_cents"] or 0), int(r["contributions"]))
    stage_order = {s[0]: i for i, s in enumerate(FLOW_STAGES)}
    out_links = [{"source": a, "target": b, "value_cents": v, "contributions": n, "stage": s}
                 for (s, a, b), (v, n) in links.items()]
    out_links.sort(key=lambda l: (stage_order[l["stage"]], -l["value_cents"], l["source"], l["target"]))
    stages = []
    for stage, source, target in FLOW_STAGES:
        mine = [l for l in out_links if l["stage"] == stage]
        total = sum(l["value_cents"] for l in mine)
        stages.append({"id": stage, "source": source, "target": target, "total_cents": total,
                       "conserved": total == monetary_total_cents,
                       "missing_source_cents": sum(l["value_cents"] for l in mine if _missing(l["source"])),
                       "missing_target_cents": sum(l["value_cents"] for l in mine if _missing(l["target"]))})
    used = {l["source"] for l in out_links} | {l["target"] for l in out_links}
    return {"basis": "total_cents", "monetary_total_cents": monetary_total_cents, "stages": stages,
            "nodes": sorted((n for n in nodes.values() if n["id"] in used), key=lambda n: n["id"]),
            "links": out_links,
            "note": "las etapas entity-sdg y entity-pdd_objective son columnas finales alternativas: "
                    "no se encadenan entre sí en un mismo diagrama"}


GAP_PROSPECTS = 3        # prospects listed per gap
GAP_ENTITY_LIMIT = 25    # entities with a one-partner dependency that get prospects, largest money first
GAP_PROSPECT_ROWS = 20_000  # above this many cooperant × entity × sector rows, gaps list no prospects (≈1 s a gap)


def gaps(store, where: str, params: dict, rows, *, conc: dict | None = None, prospects_top: int = GAP_PROSPECTS) -> dict:
    """Where alignment or money hangs on too little, and who could fill each gap.

    * ``sdg``, ``pdd_objectives``, ``pdd_programs``: those no cooperant supports in the range
      (``sin cooperante``), only one does (``un solo cooperante``), or that every contribution reaches
      through a single district entity (``un solo intermediario``: ``broker`` names it);
    * ``entities``: district entities whose money hangs on one partner (the top cooperant gives
      `DEPENDENCY_SHARE` or more of it, on ``total_cents``);
    * every gap carries ``prospects``: the first `prospects_top` of `coopgraph.analysis.prospects` for it
      (cooperants not yet engaged with it, with the strongest piece of evidence, ``why``), computed on
      the range's years without the slice. ``coopgraph prospect --for ID`` gives all the evidence.
      Above `GAP_PROSPECT_ROWS` funding rows (about a second per gap) they are skipped and
      ``prospects_skipped`` says so.
    """
    out = {}
    specs = (("sdg", "ADVANCES", "SDG", SDGS), ("pdd_objectives", "SERVES", "PDDObjective", OBJECTIVES),
             ("pdd_programs", "IN_PROGRAM", "PDDProgram", PROGRAMS))
    for key, rel, label, listing in specs:
        aligned = {r["id"]: r for r in _read(store, _money_sql(ALIGNED, rel=rel, label=label, where=where), params)}
        brokers = {r["id"]: r for r in _read(store, BROKERS.format(rel=rel, label=label, where=where), params)}
        linked = {r["id"]: int(r["interactions"] or 0) for r in
                  _read(store, LINKED.format(rel=rel, label=label, where=where), params)}
        entries = []
        for t in _read(store, listing, {}):
            found = aligned.get(t["id"], {})
            count = int(found.get("cooperants") or 0)
            prefix = {"sdg": "sdg", "pdd_objectives": "pdd-objective", "pdd_programs": "pdd-program"}[key]
            raw = t["number"] if key != "pdd_programs" else t["id"]
            entry = {"id": f"{prefix}:{raw}", "name": t["name"], "cooperants": count,
                     "cooperant": {"id": node_id("cooperant", found["cooperant"]),
                                   "name": rows.name(node_id("cooperant", found["cooperant"]))} if count == 1 else None,
                     "contributions": int(found.get("contributions") or 0),
                     "total_cents": int(found.get("total_cents") or 0),
                     "interactions": linked.get(t["id"], 0),
                     "status": "sin cooperante" if count == 0 else "un solo cooperante" if count == 1 else "ok"}
            via = brokers.get(t["id"], {})
            entry["entities"] = int(via.get("entities") or 0)
            entry["broker"] = ({"id": node_id("entity", via["entity"]), "name": rows.name(node_id("entity", via["entity"]))}
                               if entry["entities"] == 1 else None)
            if entry["status"] == "ok" and entry["entities"] == 1:
                entry["status"] = "un solo intermediario"
            if key != "pdd_programs":
                entry["number"] = t["number"]
            else:
                entry["code"], entry["objective"] = t["code"], t["objective"]
            entries.append(entry)
        entries.sort(key=lambda e: (e.get("number") or 0, e.get("code") or "", e["id"]))
        out[key] = [e for e in entries if e["status"] != "ok"]
        out[f"{key}_linked_contributions"] = sum(linked.values()) > 0
    conc = conc if conc is not None else concentration(rows)
    out["entities"] = [{"id": e["id"], "name": e["name"], "total_cents": e["total_cents"], "cooperants": e["cooperants"],
                        "top_cooperant": e["top_cooperant"], "top_share": e["top_share"],
                        "status": "un solo cooperante" if e["cooperants"] == 1 else "dependencia"}
                       for e in conc["entities"] if e["top_share"] is not None and e["top_share"] >= DEPENDENCY_SHARE
                       ][:GAP_ENTITY_LIMIT]
    if len(rows.funding) <= GAP_PROSPECT_ROWS:
        _fill_gaps(store, params, out, prospects_top)
    else:
        out["prospects_skipped"] = (f"{len(rows.funding)} filas de financiación: más de {GAP_PROSPECT_ROWS}; "
                                    "use coopgraph prospect --for ID para cada brecha")
    out["note"] = ("Un ODS, objetivo o programa sin cooperante puede ser una brecha de cooperación o de datos: "
                   "*_linked_contributions dice si algún aporte del periodo está vinculado a ese tipo de meta. "
                   "Los prospectos de cada brecha son cooperantes aún no vinculados a ella (coopgraph prospect --for ID).")
    return out


def _fill_gaps(store, params: dict, out: dict, top: int) -> None:
    """Add each gap's first prospects (see `gaps`); programs only when contributions name programs."""
    from coopgraph.analysis.prospects import cached_graph, popularity, prospects_from

    keys = ["sdg", "pdd_objectives", "entities"] + (["pdd_programs"] if out["pdd_programs_linked_contributions"] else [])
    if top <= 0 or not any(out[k] for k in keys):
        return
    from_year, to_year = params.get("from_year", 0), params.get("to_year", 9999)
    rows, graph = cached_graph(store, from_year, to_year)
    popular = popularity(graph)
    for key in keys:
        for entry in out[key]:
            found = prospects_from(rows, entry["id"], top=top, from_year=from_year, to_year=to_year, graph=graph,
                                   popular=popular)
            entry["prospects"] = [{"id": p["id"], "name": p["name"], "score": p["score"],
                                   "why": p["evidence"][0]["text"] if p["evidence"] else None}
                                  for p in found["prospects"]]


def co_funding(graph, *, top: int = TOP) -> dict:
    """Top pairs of cooperants that fund the same entities, and of entities sharing cooperants.

    Uses the bipartite projections of `coopgraph.analysis.projections`; skipped (None) when a side
    would cost more than `PAIR_WORK_LIMIT` pair visits (Σ deg² of the other side).
    """
    from coopgraph.analysis.projections import cooperant_projection, entity_projection

    out = {}
    funding_degree = Counter()
    for a, b, count in graph.edges(data="count"):
        if count:
            funding_degree[a] += 1
            funding_degree[b] += 1
    for key, kind, other, project in (("cooperant_pairs", "cooperant", "entity", cooperant_projection),
                                      ("entity_pairs", "entity", "cooperant", entity_projection)):
        work = sum(d * d for n, d in funding_degree.items() if n.startswith(other + ":"))
        if work > PAIR_WORK_LIMIT:
            out[key] = None
            continue
        projected = project(graph=graph)
        pairs = sorted(projected.edges(data="weight"), key=lambda e: (-e[2], e[0], e[1]))[:top]
        out[key] = [{"a": _member(graph, a), "b": _member(graph, b), "shared": w} for a, b, w in pairs]
    return out


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
            out.append(f"{e['name']} depende en {_pct(e['top_share'])} de {e['top_cooperant']['name']}{only}: "
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
    points = _single_points(graph)
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


# -- the strategist's report -------------------------------------------------------------------

def _years_text(meta: dict) -> str:
    years = meta["years"]
    present = years["with_contributions"]
    if present:
        return str(present[0]) if present[0] == present[-1] else f"{present[0]}–{present[-1]}"
    return f"{years['from_year']}–{years['to_year']}"


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: dict, *, top: int = 10) -> str:
    """A Spanish Markdown report of `analyze`'s result, money the Colombian way."""
    from coopgraph.analysis.shares import format_ratio
    from coopgraph.money import format_cop

    def cop(cents):
        return format_cop(int(cents), cents=True)

    meta = report["meta"]
    money = meta["money"]
    out = [f"# Análisis de la red de cooperación internacional de Bogotá, {_years_text(meta)}", ""]
    sliced = {k: v for k, v in meta["slice"].items() if v is not None}
    if sliced:
        out += ["Recorte: " + ", ".join(f"{k} = {v}" for k, v in sliced.items()), ""]
    kinds = meta["node_kinds"]
    out += [f"La red tiene {_n(meta['nodes'])} organizaciones ({kinds.get('entity', 0)} entidades distritales, "
            f"{kinds.get('cooperant', 0)} cooperantes y {kinds.get('network', 0)} redes de ciudades) y "
            f"{_n(meta['edges'])} vínculos, en {_plural(meta['components'], 'componente', 'componentes')}. Los "
            f"{_n(money['monetary_contributions'])} aportes monetarios suman {cop(money['total_cents'])} "
            f"({cop(money['cooperant_cents'])} de los cooperantes y {cop(money['counterpart_cents'])} de contrapartida distrital).",
            ""]
    if report.get("all_cooperation"):
        from coopgraph.graph.all_cooperation import markdown as all_cooperation_lines

        out += ["## Dos totales: las cifras del informe y toda la cooperación en COP", "",
                *all_cooperation_lines(report["all_cooperation"]), ""]

    out += ["## Intermediarios (centralidad de intermediación)", "",
            "Organizaciones por las que pasan más caminos entre las demás: si faltan, la red se fragmenta.", ""]
    out += _table(["#", "Organización", "Tipo", "Intermediación", "Vínculos"],
                  [[i, e["name"], KIND_ES.get(e["kind"], e["kind"]), _dec(e["score"], 3),
                    next((d["score"] for d in report["centrality"]["degree"] if d["id"] == e["id"]), "—")]
                   for i, e in enumerate(report["centrality"]["betweenness"][:top], 1)])
    out += ["", "Más conectadas (vínculos): " + "; ".join(f"{e['name']} ({e['score']})"
                                                         for e in report["centrality"]["degree"][:top]) + ".", ""]
    out += ["Mayor influencia (PageRank): " + "; ".join(e["name"] for e in report["centrality"]["pagerank"][:top]) + ".", ""]

    out += ["## Comunidades", "", "Grupos de organizaciones que trabajan más entre sí que con el resto (Louvain).", ""]
    for c in report["communities"][:top]:
        names = [m["name"] for m in c["members"][:8]]
        more = f" y {c['size'] - len(names)} más" if c["size"] > len(names) else ""
        money_text = f"; mueve {cop(c['internal_cents'])}" if c["internal_cents"] else ""
        out.append(f"- **Comunidad {c['id']}** ({c['size']} miembros{money_text}): {', '.join(names)}{more}.")
    if len(report["communities"]) > top:
        out.append(f"- … y {len(report['communities']) - top} comunidades más.")
    out.append("")

    out += ["## Alertas de dependencia", ""]
    out += [f"- {w}" for w in report["dependency_warnings"]] or ["- Ninguna."]
    out.append("")
    conc = report["concentration"]
    out += ["Concentración por sector (índice de Herfindahl-Hirschman sobre el total de cada aporte):", ""]
    out += _table(["Sector", "Total", "Cooperantes", "HHI", "Principal cooperante", "Participación"],
                  [[s["name"], cop(s["total_cents"]), s["cooperants"], _dec(s["hhi"], 2),
                    s["top_cooperant"]["name"] if s["top_cooperant"] else "", _pct(s["top_share"] or 0)]
                   for s in conc["sectors"][:top]])
    out.append("")
    for label, title in (("sdgs", "ODS"), ("pdd_objectives", "objetivo del PDD")):
        if conc.get(label):
            out += [f"Concentración por {title}:", ""]
            out += _table([title[0].upper() + title[1:], "Total", "Cooperantes", "HHI", "Principal cooperante", "Participación"],
                          [[s["name"], cop(s["total_cents"]), s["cooperants"], _dec(s["hhi"], 2),
                            s["top_cooperant"]["name"] if s["top_cooperant"] else "", _pct(s["top_share"] or 0)]
                           for s in conc[label][:top]])
            out.append("")

    points = report["single_points_of_failure"]
    out += ["## Puntos únicos de falla", ""]
    if points["articulation_points"]:
        out += ["Organizaciones cuya salida desconecta a otras (puntos de articulación):", ""]
        out += [f"- {p['name']} ({KIND_ES.get(p['kind'], p['kind'])}): "
                f"{_plural(p['separated_nodes'], 'organización quedaría aislada', 'organizaciones quedarían aisladas')}."
                for p in points["articulation_points"][:top]]
    else:
        out.append("- Ninguna organización desconecta a otras al salir.")
    if points["bridges"]:
        out += ["", "Vínculos puente entre grupos (además de "
                f"{points['leaf_bridges']} vínculos con organizaciones de una sola conexión):", ""]
        out += [f"- {b['source']['name']} — {b['target']['name']} (separa {b['separated_nodes']})" for b in points["bridges"][:top]]
    out.append("")

    g = report["gaps"]
    out += ["## Brechas de alineación", ""]
    for key, title in (("sdg", "ODS"), ("pdd_objectives", "Objetivos del PDD"), ("pdd_programs", "Programas del PDD")):
        if not g.get(f"{key}_linked_contributions"):
            out.append(f"- {title}: ningún aporte del periodo está vinculado a {title.lower()}; la brecha es de datos.")
            continue
        none = [e["name"] if key != "sdg" else f"ODS {e['number']} ({e['name']})" for e in g[key] if e["cooperants"] == 0]
        one = [(e["name"] if key != "sdg" else f"ODS {e['number']} ({e['name']})") + f" — solo {e['cooperant']['name']}"
               for e in g[key] if e["cooperants"] == 1]
        out.append(f"- {title} sin cooperante: " + ("; ".join(none) if none else "ninguno") + ".")
        out.append(f"- {title} con un solo cooperante: " + ("; ".join(one) if one else "ninguno") + ".")
        broker = [(e["name"] if key != "sdg" else f"ODS {e['number']} ({e['name']})")
                  + f" — solo a través de {e['broker']['name']} ({e['cooperants']} cooperantes)"
                  for e in g[key] if e.get("status") == "un solo intermediario"]
        out.append(f"- {title} con un solo intermediario: " + ("; ".join(broker) if broker else "ninguno") + ".")
    if g.get("entities"):
        out += ["", "Entidades cuyo dinero depende de un solo cooperante:", ""]
        out += [f"- {e['name']}: {_pct(e['top_share'])} de {e['top_cooperant']['name']}" for e in g["entities"][:top]]
    filled = [(e, key) for key in ("sdg", "pdd_objectives", "pdd_programs", "entities") for e in g.get(key, [])
              if e.get("prospects")]
    if filled:
        out += ["", "Quién podría cerrar cada brecha (prospectos: cooperantes aún no vinculados; "
                "`coopgraph prospect --for ID` da toda la evidencia):", ""]
        for e, key in filled[:2 * top]:
            name = f"ODS {e['number']} ({e['name']})" if key == "sdg" else e["name"]
            out.append(f"- {name} (`{e['id']}`): " + "; ".join(p["name"] for p in e["prospects"]) + ".")
    out.append("")

    fl = report["flows"]
    out += ["## Flujos principales del dinero", ""]
    names = {n["id"]: n["name"] for n in fl["nodes"]}
    titles = {"iati_type-country": "Tipo de cooperante → país", "country-sector": "País → sector",
              "sector-entity": "Sector → entidad", "entity-sdg": "Entidad → ODS",
              "entity-pdd_objective": "Entidad → objetivo del PDD"}
    for stage in fl["stages"]:
        links = [l for l in fl["links"] if l["stage"] == stage["id"]][:5]
        if not links:
            continue
        out += [f"**{titles[stage['id']]}**", ""]
        out += [f"- {names[l['source']]} → {names[l['target']]}: {cop(l['value_cents'])}" for l in links]
        out.append("")

    ratio = report["counterpart_ratio"]
    if ratio["overall"]["total_cents"]:
        out += ["## Contrapartida distrital", "",
                f"El distrito puso {_pct(ratio['overall']['ratio'])} del total de los aportes monetarios.", ""]
        for label, title in (("entities", "Entidad"), ("sectors", "Sector"), ("sdgs", "ODS"),
                             ("pdd_objectives", "Objetivo del PDD")):
            if not ratio.get(label):
                continue
            out += _table([title, "Contrapartida", "Total", "Proporción", "Contrapartida por peso del cooperante"],
                          [[e["name"], cop(e["counterpart_cents"]), cop(e["total_cents"]),
                            _pct(e["ratio"]) if e["ratio"] is not None else "sin dato",
                            format_ratio(e["counterpart_per_cooperant_peso"])] for e in ratio[label][:top]])
            out.append("")

    algorithms = meta["algorithms"]
    notes = []
    for name in ("betweenness", "closeness"):
        a = algorithms.get(name) or {}
        notes.append(f"{name}: " + ("exacta" if a.get("exact", True) else f"aproximada con {a['sample']} pivotes (semilla {a['seed']})"))
    out += ["## Notas de método", "",
            "- Concentración: índice de Herfindahl-Hirschman (suma de cuadrados de las participaciones de cada "
            "cooperante en el total de los aportes, cooperante + contrapartida); 1 = un único cooperante.",
            "- Comunidades: Louvain con semilla fija " + str(meta["seed"]) + "; " + "; ".join(notes) + ".",
            f"- Tiempo de cálculo: {_dec(meta['seconds']['total'], 1)} s.", ""]
    return "\n".join(out)
