"""Prospects for a cooperant: the district entities it could work with next, and who funds what it funds.

    entity_prospects_from(rows, graph, "cooperant:bid", top=10, lang="es")

The question turned around ("which entities could the BID fund next?"), on the same typed graph and
the same score as `coopgraph.analysis.prospects`:

* **Engaged** entities are never proposed: those the cooperant funds, those it took part in a project or
  event with, and — for a cooperant that is a city network (``SAME_AS``) — those that pay its fee,
  joined it, take part in its projects or receive money through it.
* **Score**: resource allocation between the cooperant and the entity (Σ 1/degree of each common
  neighbour: an engagement, network, sector, ODS or PDD objective both work in) plus
  ``POPULARITY_WEIGHT`` × the entity's cooperants ÷ the most any entity has.
* **Co-funders** ("who funds what the BID funds"): the other cooperants funding the entities it funds,
  ranked by how many of them they share, then by their money to those entities.

Every prospect carries its evidence as sentences in the page's language, strongest first.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from coopgraph.analysis.prospect_evidence import MONEY_KEYS, POPULARITY_WEIGHT, flat_facts, label, phrase, resolve_facts
from coopgraph.analysis.prospect_graph import ProspectRows

__all__ = ["engaged_entities", "entity_prospects", "entity_prospects_from", "co_funders"]

ENGAGEMENT_LINKS = {"took_part_in"}
NETWORK_LINKS = {"fee_paid_by", "network_engagement", "member_of", "channel"}


def _kind(graph: nx.Graph, n: str) -> str:
    return graph.nodes[n]["kind"]


def engaged_entities(graph: nx.Graph, cooperant: str) -> set[str]:
    """The entities the cooperant already works with (see the module docstring)."""
    out = set()
    for n in graph[cooperant]:
        kind = _kind(graph, n)
        relations = graph.edges[cooperant, n]["relations"]
        if kind == "entity" and "funding" in relations:
            out.add(n)
        elif kind == "engagement":
            out |= {e for e in graph[n] if _kind(graph, e) == "entity"}
        elif kind == "network" and "same_as" in relations:  # the cooperant is this network
            out |= {e for e in graph[n] if _kind(graph, e) == "entity" and graph.edges[n, e]["relations"] & NETWORK_LINKS}
            for g in graph[n]:
                if _kind(graph, g) == "engagement":
                    out |= {e for e in graph[g] if _kind(graph, e) == "entity"}
    return out


def _cooperants_of(graph: nx.Graph, entity: str) -> int:
    return sum(1 for n in graph[entity] if _kind(graph, n) == "cooperant" and "funding" in graph.edges[entity, n]["relations"])


def entity_prospects_from(rows: ProspectRows, graph: nx.Graph, cooperant: str, *, top: int, lang: str,
                          phrase, label, facts, popularity_weight: float) -> list[dict]:
    """Ranked entity prospects for `cooperant` (a graph id). `phrase`, `label` and `facts` word the evidence and
    cite its stored relationships as `coopgraph.analysis.prospects` does."""
    if cooperant not in graph:
        return []
    engaged = engaged_entities(graph, cooperant)
    candidates = sorted(n for n, k in graph.nodes(data="kind") if k == "entity" and n not in engaged)
    popular = {e: _cooperants_of(graph, e) for e in candidates}
    most = max(popular.values(), default=0) or 1
    scored = []
    for _, entity, ra in nx.resource_allocation_index(graph, [(cooperant, e) for e in candidates]):
        if ra > 0:
            scored.append((ra + popularity_weight * popular[entity] / most, ra, entity))
    scored.sort(key=lambda s: (-s[0], s[2]))
    out = []
    for rank, (score, ra, entity) in enumerate(scored[:max(0, int(top))], 1):
        evidence = []
        for z in sorted(set(graph[cooperant]) & set(graph[entity]), key=lambda z: (graph.degree(z), z)):
            evidence.append({"kind": "shared_neighbour", "via": z, "via_kind": _kind(graph, z),
                             "via_name": label(graph, z, lang), "member": None, "weight": round(1 / graph.degree(z), 6),
                             "text": f"{phrase(graph, cooperant, z, lang)}; {phrase(graph, entity, z, lang)}.",
                             "facts": facts(graph, cooperant, z) + facts(graph, entity, z)})
        node = rows.nodes.get("entity", {}).get(entity.partition(":")[2], {})
        out.append({"rank": rank, "id": entity, "kind": "entity", "name": graph.nodes[entity]["name"],
                    "sector": node.get("sector"), "score": round(score, 6),
                    "scores": {"resource_allocation": round(ra, 6), "popularity": popular[entity]},
                    "for": list(dict.fromkeys(e["via_name"] for e in evidence))[:3],
                    "evidence_count": len(evidence), "evidence": evidence[:6]})
    return out


def co_funders(graph: nx.Graph, cooperant: str, *, top: int, lang: str, label) -> list[dict]:
    """The other cooperants funding what `cooperant` funds, most shared entities first."""
    if cooperant not in graph:
        return []
    funded = {e for e in graph[cooperant] if _kind(graph, e) == "entity" and "funding" in graph.edges[cooperant, e]["relations"]}
    shared: dict[str, set[str]] = {}
    for entity in funded:
        for other in graph[entity]:
            if other != cooperant and _kind(graph, other) == "cooperant" and "funding" in graph.edges[entity, other]["relations"]:
                shared.setdefault(other, set()).add(entity)
    ranked = sorted(shared, key=lambda o: (-len(shared[o]), -sum(graph.edges[o, e]["weight"] for e in shared[o]), o))
    out = []
    for rank, other in enumerate(ranked[:max(0, int(top))], 1):
        names = sorted(label(graph, e, lang) for e in shared[other])
        text = (f"{label(graph, other, lang)} también financia a {', '.join(names)}." if lang == "es" else
                f"{label(graph, other, lang)} also funds {', '.join(names)}.")
        out.append({"rank": rank, "id": other, "name": graph.nodes[other]["name"], "shared_entities": len(names),
                    "entities": sorted(shared[other]), "text": text})
    return out


def entity_prospects(rows, graph, target, name, *, top, lang, from_year, to_year, store=None) -> dict:
    """Prospects the other way round: the entities a cooperant could work with next, and its co-funders."""

    found = entity_prospects_from(rows, graph, target, top=top, lang=lang, phrase=phrase, label=label,
                                  facts=flat_facts, popularity_weight=POPULARITY_WEIGHT)
    if store is not None:
        resolve_facts(store, found)
    received = defaultdict(lambda: dict.fromkeys(MONEY_KEYS, 0))
    for r in rows.funding:
        if from_year <= int(r["year"]) <= to_year:
            for key in MONEY_KEYS:
                received[r["entity"]][key] += int(r[key] or 0)
    for p in found:
        p.update({"iati_type": None, "iati_type_name": None, "kind": None, "country": "CO", "acronym": None,
                  "money": {**received[p["id"].partition(":")[2]], "currency": "COP", "entities": 1}})
    engaged = engaged_entities(graph, target) if target in graph else set()
    years = [y for y in rows.years() if from_year <= y <= to_year]
    return {"target": {"id": target, "kind": "cooperant", "name": name, "members": 1, "in_graph": target in graph},
            "years": {"from_year": years[0] if years else None, "to_year": years[-1] if years else None},
            "engaged": len(engaged), "candidates": sum(1 for _, k in graph.nodes(data="kind") if k == "entity") - len(engaged),
            "with_evidence": len(found), "prospects": found,
            "co_funders": co_funders(graph, target, top=top, lang=lang, label=label),
            "method": {"score": f"resource_allocation + {POPULARITY_WEIGHT} × the entity's cooperants / the most any has",
                       "graph": "coopgraph.analysis.prospect_graph", "evaluation": "docs/prospecting.md"}}
