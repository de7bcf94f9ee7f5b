"""The evidence of a prospect: every common neighbour of the target and the candidate, as a sentence in
the page's language with the stored relationships behind it and their sources; shared by the prospects
for a target (`coopgraph.analysis.prospects`) and for a cooperant (`coopgraph.analysis.cooperant_prospects`)."""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from coopgraph.analysis.projections import QUERY_TIMEOUT_S
from coopgraph.graph.model import model

__all__ = ["POPULARITY_WEIGHT", "MONEY_KEYS", "PHRASES", "label", "phrase", "flat_facts", "evidence_items",
           "resolve_facts"]

POPULARITY_WEIGHT = 0.1  # see coopgraph.analysis.prospects and docs/prospecting.md
MONEY_KEYS = ("contributions", "monetary", "total_cents", "cooperant_cents")
EVIDENCE_PER_PROSPECT = 6
# how a node relates to a common neighbour, by relation: (Spanish, English)
PHRASES = {
    "funding": ("financia a {z}", "funds {z}"),
    "sdg": ("tiene aportes en el {z}", "has contributions on {z}"),
    "pdd_objective": ("tiene aportes en el {z}", "has contributions on {z}"),
    "pdd_program": ("tiene aportes en el {z}", "has contributions on {z}"),
    "sector": ("aporta en el sector {z}", "contributes in the {z} sector"),
    "channel": ("canaliza aportes por {z}", "channels contributions through {z}"),
    "belongs_to": ("pertenece al sector {z}", "belongs to the {z} sector"),
    "took_part_in": ("participó en {z}", "took part in {z}"),
    "network_engagement": ("participa en iniciativas de {z}", "takes part in {z} initiatives"),
    "same_as": ("es la misma organización que {z}", "is the same organisation as {z}"),
    "fee_paid_by": ("paga la membresía de {z}", "pays the membership of {z}"),
    "fee_payer": ("tiene la membresía pagada por {z}", "has its membership paid by {z}"),
    "aligned": ("está alineado con {z}", "is aligned with {z}"),
}

CONTRIBUTION_FACTS = """
MATCH (o:Cooperant)-[p:PROVIDED]->(c:Contribution)<-[r:RECEIVED]-(e:DistrictEntity) WHERE c.id IN $ids
RETURN c.id AS id, o.id AS cooperant, e.id AS entity, c.year AS year, c.monetary AS monetary, c.currency AS currency,
       c.total_cents AS total_cents, p.source AS provided_source, p.locator AS provided_locator,
       r.source AS received_source, r.locator AS received_locator
"""
TOPIC_FACTS = {  # relationship type -> (target label, key, target kind)
    "ADVANCES": ("SDG", "number", "sdg"), "SERVES": ("PDDObjective", "number", "pdd-objective"),
    "IN_PROGRAM": ("PDDProgram", "id", "pdd-program"), "THROUGH_NETWORK": ("CityNetwork", "id", "network"),
}
TOPIC_FACT = """
MATCH (c:Contribution)-[a:{rel}]->(t:{label}) WHERE c.id IN $ids
RETURN c.id AS id, t.{key} AS target, a.source AS source, a.locator AS locator{basis}
"""


# -- evidence ------------------------------------------------------------------------------------

def label(graph: nx.Graph, n: str, lang: str) -> str:
    attrs = graph.nodes[n] if n in graph else {"kind": n.partition(":")[0], "name": n, "raw": n.partition(":")[2]}
    kind = attrs["kind"]
    if kind in ("sdg", "pdd-objective"):
        return f"{model().kinds()[kind].word(lang)} {attrs['raw']} ({attrs['name']})"
    return attrs["name"]


ORGANISATIONS = ("cooperant", "entity")


def phrase(graph: nx.Graph, x: str, z: str, lang: str) -> str:
    """How x and its neighbour z relate, as a clause whose subject is the organisation of the two."""
    if graph.nodes[x]["kind"] not in ORGANISATIONS and graph.nodes[z]["kind"] in ORGANISATIONS:
        x, z = z, x
    elif graph.nodes[x]["kind"] == "entity" and graph.nodes[z]["kind"] == "cooperant":
        x, z = z, x  # the cooperant funds the entity
    i = 0 if lang == "es" else 1
    clauses = []
    for relation in sorted(graph.edges[x, z]["relations"]):
        key = relation
        if relation == "fee_paid_by" and graph.nodes[x]["kind"] == "network":
            key = "fee_payer"
        clause = PHRASES[key][i].format(z=label(graph, z, lang))
        if relation in PEER_RELATIONS and graph.nodes[x]["kind"] == "cooperant":
            clause += _peers(graph, x, z, lang)
        clauses.append(clause)
    return f"{label(graph, x, lang)} " + (" y " if lang == "es" else " and ").join(clauses)


PEER_RELATIONS = {"sdg", "pdd_objective", "pdd_program", "sector", "channel"}


def _peers(graph: nx.Graph, cooperant: str, z: str, lang: str) -> str:
    """' (con SDM, SED)': the entities the cooperant's contributions on z went to (the stored examples)."""
    names = []
    for fact in graph.edges[cooperant, z]["facts"]:
        entity = f"entity:{fact.get('entity')}"
        if "contribution" in fact and entity in graph and label(graph, entity, lang) not in names:
            names.append(label(graph, entity, lang))
    if not names:
        return ""
    return f" ({'con' if lang == 'es' else 'with'} {', '.join(names)})"


def flat_facts(graph: nx.Graph, a: str, b: str) -> list[dict]:
    out = []
    for fact in graph.edges[a, b]["facts"]:
        out += fact["path"] if "path" in fact else [fact]
    return out


def evidence_items(graph: nx.Graph, members: list[str], cooperant: str, lang: str) -> list[dict]:
    """One item per common neighbour of a target member and the cooperant, strongest first."""
    items = []
    for member in members:
        for z in sorted(set(graph[member]) & set(graph[cooperant])):
            weight = 1 / graph.degree(z)
            sentence = f"{phrase(graph, cooperant, z, lang)}; {phrase(graph, member, z, lang)}."
            items.append({"kind": "shared_neighbour", "via": z, "via_kind": graph.nodes[z]["kind"], "via_name": label(graph, z, lang),
                          "member": member, "weight": round(weight, 6), "text": sentence,
                          "relations": {"cooperant": sorted(graph.edges[cooperant, z]["relations"]),
                                        "target": sorted(graph.edges[member, z]["relations"])},
                          "facts": flat_facts(graph, cooperant, z) + flat_facts(graph, member, z)})
    items.sort(key=lambda e: (-e["weight"], e["via"], e["member"]))
    funded = sorted(n for n in graph[cooperant] if "funding" in graph.edges[cooperant, n]["relations"])
    if funded:
        names = ", ".join(label(graph, n, lang) for n in funded[:5]) + (" …" if len(funded) > 5 else "")
        text = (f"{label(graph, cooperant, lang)} financia a {len(funded)} "
                f"{'entidad distrital' if len(funded) == 1 else 'entidades distritales'}: {names}." if lang == "es" else
                f"{label(graph, cooperant, lang)} funds {len(funded)} district "
                f"{'entity' if len(funded) == 1 else 'entities'}: {names}.")
        items.append({"kind": "track_record", "via": cooperant, "via_kind": "cooperant",
                      "via_name": label(graph, cooperant, lang), "member": None, "weight": 0.0, "text": text,
                      "relations": {"cooperant": ["funding"], "target": []},
                      "facts": [f for n in funded[:3] for f in flat_facts(graph, cooperant, n)]})
    return items


def resolve_facts(store, prospects_out: list[dict]) -> None:
    """Replace contribution references in the evidence by the stored relationships, with their sources."""
    ids = sorted({f["contribution"] for p in prospects_out for e in p["evidence"] for f in e["facts"]
                  if "contribution" in f})
    found, topics = {}, defaultdict(dict)
    if ids:
        found = {r["id"]: r for r in store.read(CONTRIBUTION_FACTS, {"ids": ids}, timeout_s=QUERY_TIMEOUT_S)}
        wanted = {f["topic"][0] for p in prospects_out for e in p["evidence"] for f in e["facts"] if "topic" in f}
        for rel, (label, key, kind) in TOPIC_FACTS.items():
            if rel not in wanted:  # each lookup scans the contributions: ask only for what the evidence cites
                continue
            basis = ", a.basis AS basis" if "basis" in model().relationship(rel).properties else ""
            cypher = TOPIC_FACT.format(rel=rel, label=label, key=key, basis=basis)
            for r in store.read(cypher, {"ids": ids}, timeout_s=QUERY_TIMEOUT_S):
                topics[(rel, f"{kind}:{r['target']}")][r["id"]] = r
    for p in prospects_out:
        for e in p["evidence"]:
            facts, seen = [], set()
            for f in e["facts"]:
                resolved = [f]
                if "contribution" in f:
                    c = found.get(f["contribution"])
                    if c is None:
                        continue
                    node = f"contribution:{c['id']}"
                    resolved = [
                        {"relation": "PROVIDED", "from": f"cooperant:{c['cooperant']}", "to": node,
                         "source": c["provided_source"], "locator": c["provided_locator"]},
                        {"relation": "RECEIVED", "from": f"entity:{c['entity']}", "to": node,
                         "source": c["received_source"], "locator": c["received_locator"]}]
                    for fact in resolved:
                        fact["contribution"] = {"id": c["id"], "year": c["year"], "monetary": c["monetary"],
                                                "currency": c["currency"], "total_cents": c["total_cents"]}
                    if "topic" in f:
                        rel, target = f["topic"]
                        t = topics[(rel, target)].get(c["id"])
                        if t is not None:
                            resolved.append({"relation": rel, "from": node, "to": target, "source": t["source"],
                                             "locator": t["locator"], **({"basis": t["basis"]} if t.get("basis") else {})})
                for fact in resolved:
                    key = (fact["relation"], fact["from"], fact["to"], fact["source"], fact["locator"])
                    if key not in seen:
                        seen.add(key)
                        facts.append(fact)
            e["facts"] = facts
