"""Who to approach next, for what, and why: partner prospects for a target, with their evidence.

    prospects(store, "entity:sda", top=10)       # also sector:ambiente, sdg:13, pdd-objective:4, network:c40

A *target* is a district entity, a sector, an ODS, a PDD objective or a city network. Its
*prospects* are cooperants not yet engaged with it, ranked by link prediction on the typed graph of
`coopgraph.analysis.prospect_graph` (entities, cooperants, networks, engagements, sectors, ODS, PDD
objectives and programs).

* **Engaged** means working with the target in any way that graph records: a cooperant that funds the
  entity; that has a contribution on the ODS, objective or in the sector (or funds an entity of the
  sector); that took part in a project or event with the entity or under the network, is the network
  itself (``SAME_AS``) or gave through it; or that is a city network the entity works with (a project
  under it, its fee, its membership, money through it). Engaged cooperants are never prospects.
* **Scores** (NetworkX link prediction between the target and each cooperant): resource allocation
  (Σ 1/degree of each common neighbour), Adamic–Adar (Σ 1/log degree), Jaccard (common / all
  neighbours) and preferential attachment (degree × degree, the naive baseline), plus popularity
  (entities the cooperant funds). A sector's scores add up those of the sector node and its entities.
* **The ranking score** (``score``) is resource allocation plus a little popularity:
  ``score = RA + 0.1 × popularity ÷ the largest popularity``. The most popular cooperant gets what one
  common neighbour of degree 10 gives; a cooperant with no common neighbour is ranked by popularity
  alone, below those with one. On held-out 2024 links this ranks better than any single measure and
  than popularity (bench/bench_prospects.py; docs/prospecting.md has the figures; the result is flat
  for weights between 0.05 and 1). Shared engagements and networks are small, specific neighbours, so
  they weigh most; a very common ODS such as 17 weighs little.
* **Evidence**: every common neighbour is one piece — the engagement or network both took part in, the
  ODS, objective or sector both work on, the peer entity the cooperant funds that already works on the
  target — with the stored relationships behind it (type, ends, ``source`` and ``locator``, and the
  ``basis`` when coopgraph derived the link). Last comes the cooperant's *track record*: the entities
  it funds, with their contributions. A cooperant with neither is never proposed.

There is no randomness: ties are broken by id, so the same store gives the same answer every time.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import networkx as nx

from coopgraph.errors import NotFound
from coopgraph.graph.model import model
from coopgraph.analysis.prospect_evidence import MONEY_KEYS, POPULARITY_WEIGHT, evidence_items, resolve_facts
from coopgraph.analysis.prospect_graph import ProspectRows, prospect_graph, prospect_rows

__all__ = ["UnknownTarget", "TARGET_KINDS", "SCORES", "POPULARITY_WEIGHT", "resolve_target", "targets",
           "prospects", "prospects_from", "cached_graph", "score_candidates", "engaged_cooperants", "popularity", "render_markdown"]

TARGET_KINDS = ("entity", "sector", "sdg", "pdd-objective", "network", "pdd-program")
REVERSE_KINDS = ("cooperant",)  # prospects the other way round: entities for a cooperant (graph.cooperant_prospects)
ALIASES = model().kind_aliases(TARGET_KINDS + REVERSE_KINDS)  # the kind words people type, from graph/schema/nodes.yaml
SCORES = ("resource_allocation", "adamic_adar", "jaccard", "preferential_attachment")
EVIDENCE_PER_PROSPECT = 6
HOW_TO_LIST = "list valid ids with `coopgraph prospect --targets` or GET /api/v1/prospects/targets"

LANGS = ("es", "en")  # the kind words themselves are schema data (graph/schema/nodes.yaml)
class UnknownTarget(NotFound):
    """The prospect target names no entity, sector, ODS, PDD objective or city network."""

    exit_code = 2


# -- targets -------------------------------------------------------------------------------------

def resolve_target(rows: ProspectRows, text: str) -> tuple[str, str]:
    """``"entity:sda"`` → ``("entity:sda", name)``; accepts ods:13, ods-13, pdd-objective:4 or its store id.

    Raises `UnknownTarget` (one line, saying how to list valid ids).
    """
    raw_text = (text or "").strip()
    prefix, sep, rest = raw_text.partition(":")
    kind = ALIASES.get(prefix.strip().lower()) if sep else None
    if not kind:
        raise UnknownTarget(f"unknown target {raw_text!r}: write KIND:ID with KIND one of "
                            f"{', '.join(TARGET_KINDS + REVERSE_KINDS)} (e.g. entity:sda, sdg:13, cooperant:bid); "
                            f"{HOW_TO_LIST}", target=raw_text)
    raw = rest.strip()
    table = rows.nodes.get(kind, {})
    if kind == "sdg":
        raw = raw.lower().removeprefix("ods").removeprefix("sdg").strip(" -")
        raw = str(int(raw)) if raw.isdecimal() else raw
    elif kind == "pdd-objective" and raw not in table:
        raw = next((number for number, r in table.items() if r.get("store_id") == raw), raw)
    if raw not in table:
        what = {"entity": "district entity", "sector": "sector", "sdg": "ODS", "pdd-objective": "PDD objective",
                "network": "city network", "pdd-program": "PDD program", "cooperant": "cooperant"}[kind]
        raise UnknownTarget(f"unknown target {raw_text!r}: no {what} has the id {rest.strip()!r}; {HOW_TO_LIST}",
                            target=raw_text)
    return f"{kind}:{raw}", rows.name(f"{kind}:{raw}")


def targets(store=None, *, rows: ProspectRows | None = None) -> list[dict]:
    """Every valid target id with its name, in TARGET_KINDS order."""
    rows = rows or prospect_rows(store)
    out = []
    for kind in TARGET_KINDS:
        table = rows.nodes.get(kind, {})
        keys = sorted(table, key=lambda k: (int(k) if k.isdecimal() else 0, k))
        out += [{"id": f"{kind}:{k}", "kind": kind, "name": table[k].get("name") or k} for k in keys]
    return out


def _members(graph: nx.Graph, target: str) -> list[str]:
    """The nodes whose links stand for the target: the node itself and, for a sector, its entities."""
    members = [target] if target in graph else []
    if target.startswith("sector:") and target in graph:
        members += sorted(n for n in graph[target] if graph.nodes[n]["kind"] == "entity"
                          and "belongs_to" in graph.edges[target, n]["relations"])
    return members


def engaged_cooperants(graph: nx.Graph, target: str) -> set[str]:
    """Cooperants already working with the target in any way the graph records (never prospects): linked to it
    (for a sector: to the sector or by funding one of its entities); taking part in a project or event with it;
    or a city network it works with — one whose project it takes part in, whose fee it pays, that it joined or
    that channels its money — as a cooperant (``SAME_AS``)."""
    out = set()

    def networks_as_cooperants(network):
        out.update(c for c in graph[network] if graph.nodes[c]["kind"] == "cooperant"
                   and "same_as" in graph.edges[network, c]["relations"])

    for member in _members(graph, target):
        member_kind = graph.nodes[member]["kind"]
        if member_kind == "network":
            networks_as_cooperants(member)
        for n in graph[member]:
            kind = graph.nodes[n]["kind"]
            if kind == "cooperant":
                if member == target or "funding" in graph.edges[member, n]["relations"]:
                    out.add(n)
            elif kind == "engagement" and member_kind in ("entity", "network"):
                for other in graph[n]:
                    if graph.nodes[other]["kind"] == "cooperant":
                        out.add(other)  # a project or event both took part in
                    elif graph.nodes[other]["kind"] == "network":
                        networks_as_cooperants(other)
            elif kind == "network" and member_kind == "entity":
                networks_as_cooperants(n)
    return out


def popularity(graph: nx.Graph) -> dict[str, int]:
    """How many district entities each cooperant funds (the popularity baseline)."""
    return {n: sum(1 for m in graph[n] if "funding" in graph.edges[n, m]["relations"])
            for n, kind in graph.nodes(data="kind") if kind == "cooperant"}


# -- scores --------------------------------------------------------------------------------------

def score_candidates(graph: nx.Graph, target: str, candidates: list[str] | None = None,
                     popular: dict[str, int] | None = None, measures: tuple[str, ...] = SCORES) -> dict[str, dict]:
    """The scores of every candidate cooperant (default: every cooperant not engaged with the target).

    Returns ``{cooperant: {"score", "resource_allocation", "adamic_adar", "jaccard",
    "preferential_attachment", "popularity"}}`` (see the module docstring); `measures` not asked for
    stay 0. The ranking needs resource allocation only; Jaccard costs a union of neighbourhoods per
    pair, which `prospects` pays only for the prospects it shows.
    """
    members = _members(graph, target)
    if candidates is None:
        engaged = engaged_cooperants(graph, target)
        candidates = sorted(n for n, k in graph.nodes(data="kind") if k == "cooperant" and n not in engaged)
    popular = popular if popular is not None else popularity(graph)
    top = max(popular.values(), default=0) or 1
    out = {c: {name: 0.0 for name in SCORES} for c in candidates}
    present = [(m, c) for m in members for c in candidates if c in graph]
    for name, function in (("resource_allocation", nx.resource_allocation_index), ("adamic_adar", nx.adamic_adar_index),
                           ("jaccard", nx.jaccard_coefficient), ("preferential_attachment", nx.preferential_attachment)):
        if name not in measures:
            continue
        for _, c, value in function(graph, present):
            out[c][name] += float(value)
    for c, scores in out.items():
        scores["popularity"] = popular.get(c, 0)
        ra = scores["resource_allocation"]
        scores["score"] = ra + POPULARITY_WEIGHT * scores["popularity"] / top
    return out


# -- the answer ----------------------------------------------------------------------------------



def _profiles(rows: ProspectRows, cooperants: list[str], from_year: int, to_year: int) -> dict[str, dict]:
    """Type and money in the years asked of each cooperant (graph ids), in one pass over the rows."""
    wanted = {c.partition(":")[2]: c for c in cooperants}
    money = {c: dict.fromkeys(MONEY_KEYS, 0) for c in wanted}
    entities = {c: set() for c in wanted}
    for r in rows.funding:
        if r["cooperant"] in wanted and from_year <= int(r["year"]) <= to_year:
            entities[r["cooperant"]].add(r["entity"])
            for key in MONEY_KEYS:
                money[r["cooperant"]][key] += int(r[key] or 0)
    return {graph_id: _profile(rows, raw, money[raw], len(entities[raw])) for raw, graph_id in wanted.items()}


def _profile(rows: ProspectRows, raw: str, money: dict, entities: int) -> dict:
    node = rows.nodes.get("cooperant", {}).get(raw, {})
    return {"iati_type": node.get("iati_type"), "iati_type_name": node.get("iati_type_name"),
            "kind": node.get("subtype"), "country": node.get("country") or None, "acronym": node.get("acronym"),
            "money": {**money, "currency": "COP", "entities": entities}}


def prospects_from(rows: ProspectRows, target: str, *, store=None, top: int = 10, from_year: int = 0,
                   to_year: int = 9999, lang: str = "es", graph: nx.Graph | None = None,
                   popular: dict[str, int] | None = None) -> dict:
    """`prospects` on rows already read (the store is only needed to look up the evidence's sources)."""
    if lang not in LANGS:
        raise UnknownTarget(f"unknown language {lang!r}: use es or en")
    target, name = resolve_target(rows, target)
    graph = graph if graph is not None else prospect_graph(rows, from_year, to_year)
    if target.startswith("cooperant:"):
        from coopgraph.analysis.cooperant_prospects import entity_prospects

        return entity_prospects(rows, graph, target, name, top=top, lang=lang, from_year=from_year, to_year=to_year,
                                store=store)
    members = _members(graph, target)
    engaged = engaged_cooperants(graph, target)
    popular = popular if popular is not None else popularity(graph)
    scores = score_candidates(graph, target, popular=popular, measures=("resource_allocation",))
    ranked = sorted((c for c, s in scores.items() if s["score"] > 0), key=lambda c: (-scores[c]["score"], c))
    shown = ranked[:max(0, int(top))]
    scores.update(score_candidates(graph, target, shown, popular))  # every measure, for those shown
    profiles = _profiles(rows, shown, from_year, to_year)
    out = []
    for rank, c in enumerate(shown, 1):
        evidence = evidence_items(graph, members, c, lang)
        s = scores[c]
        out.append({"rank": rank, "id": c, "name": graph.nodes[c]["name"], "score": round(s["score"], 6),
                    "scores": {k: round(s[k], 6) for k in SCORES} | {"popularity": s["popularity"]},
                    "for": list(dict.fromkeys(e["via_name"] for e in evidence if e["kind"] == "shared_neighbour"))[:3],
                    **profiles[c],
                    "evidence_count": len(evidence), "evidence": evidence[:EVIDENCE_PER_PROSPECT]})
    if store is not None:
        resolve_facts(store, out)
    years = [y for y in rows.years() if from_year <= y <= to_year]
    return {
        "target": {"id": target, "kind": target.partition(":")[0], "name": name,
                   "members": len(members), "in_graph": target in graph},
        "years": {"from_year": years[0] if years else None, "to_year": years[-1] if years else None},
        "engaged": len(engaged), "candidates": len(scores), "with_evidence": len(ranked),
        "prospects": out,
        "method": {"score": f"resource_allocation + {POPULARITY_WEIGHT} × popularity / max popularity", "scores": list(SCORES) + ["popularity"],
                   "graph": "coopgraph.analysis.prospect_graph", "evaluation": "docs/prospecting.md"},
    }


def prospects(store, target: str, *, top: int = 10, from_year: int = 0, to_year: int = 9999,
              lang: str = "es") -> dict:
    """Ranked prospects for `target` (see the module docstring), JSON-ready, money in centavos.

    Raises `UnknownTarget` for an id that names nothing (the message says how to list valid ids).
    """
    rows, graph = cached_graph(store, from_year, to_year)
    return prospects_from(rows, target, store=store, top=top, from_year=from_year, to_year=to_year, lang=lang,
                          graph=graph)


_CACHE: OrderedDict = OrderedDict()  # (store, data version, years) -> (rows, graph); the API asks many times per load
_CACHE_LOCK = threading.Lock()


def cached_graph(store, from_year: int = 0, to_year: int = 9999) -> tuple[ProspectRows, nx.Graph]:
    """The rows and typed graph of the store's current data (kept per data version; treat as read-only)."""
    version = getattr(store, "version", None)
    if version is None:  # a store without versions (a test's recorder): read afresh
        rows = prospect_rows(store)
        return rows, prospect_graph(rows, from_year, to_year)
    key = (id(store), version(), int(from_year), int(to_year))
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    rows = next((r for (s, v, *_), (r, _) in _CACHE.items() if (s, v) == key[:2]), None) or prospect_rows(store)
    found = (rows, prospect_graph(rows, from_year, to_year))
    with _CACHE_LOCK:
        _CACHE[key] = found
        while len(_CACHE) > 4:
            _CACHE.popitem(last=False)
    return found


from coopgraph.analysis.prospect_markdown import render_markdown  # noqa: E402,F401  (re-exported: callers import it here)
