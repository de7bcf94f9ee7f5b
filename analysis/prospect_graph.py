"""The typed graph that partner prospecting scores on, read from the store once and rebuilt in memory.

`prospect_rows(store)` reads small aggregating queries (plain Cypher for the embedded engine and
Neo4j alike); `prospect_graph(rows, …)` builds an undirected NetworkX graph for a year range,
optionally with some cooperant–entity pairs hidden (the evaluation in bench/bench_prospects.py
hides a share of them and asks whether prospecting finds them again).

Node ids carry their kind, as in `coopgraph.analysis.projections`: ``cooperant:bid``, ``entity:sda``,
``network:c40``, ``engagement:breathe-cities-bogota``, ``sector:ambiente``, ``sdg:13``,
``pdd-objective:4``, ``pdd-program:…``. Links, each naming what makes it in ``relations``:

* ``funding`` cooperant – entity (contributions, ``PROVIDED``/``RECEIVED``);
* ``sdg``, ``pdd_objective``, ``pdd_program``, ``sector``, ``channel``: cooperant or entity – the ODS,
  PDD objective, PDD program, sector and city network of their contributions (``ADVANCES``, ``SERVES``,
  ``IN_PROGRAM``, the contribution's sector, ``THROUGH_NETWORK``);
* ``belongs_to`` entity – its sector;
* ``took_part_in`` cooperant or entity – engagement, ``under_network`` engagement – network, and
  ``network_engagement`` cooperant or entity – the network of an engagement it took part in;
* ``same_as`` network – cooperant, ``fee_paid_by`` network – entity, ``member_of`` entity – network (it joined
  in its own name), ``aligned`` PDD objective – ODS.

Hiding a pair removes every contribution between the two, with the ODS, objective, sector and network
links those contributions alone made: a held-out link leaves no trace in the graph.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from coopgraph.analysis.projections import QUERY_TIMEOUT_S

__all__ = ["ProspectRows", "prospect_rows", "prospect_graph", "TOPICS"]

_COP = "sum(CASE WHEN c.currency = 'COP' THEN c.{0} ELSE 0 END) AS {0}"
FUNDING = f"""
MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity)
RETURN o.id AS cooperant, e.id AS entity, c.year AS year, c.sector_id AS sector, count(c) AS contributions,
       sum(CASE WHEN c.monetary THEN 1 ELSE 0 END) AS monetary, {_COP.format('total_cents')},
       {_COP.format('cooperant_cents')}, min(c.id) AS example
"""
# what a contribution is about: relation name -> (relationship type, label, target key)
TOPICS = {"sdg": ("ADVANCES", "SDG", "number"), "pdd_objective": ("SERVES", "PDDObjective", "number"),
          "pdd_program": ("IN_PROGRAM", "PDDProgram", "id"), "channel": ("THROUGH_NETWORK", "CityNetwork", "id")}
TOPIC = """
MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity)
MATCH (c)-[:{rel}]->(t:{label})
RETURN o.id AS cooperant, e.id AS entity, c.year AS year, t.{key} AS target, count(c) AS contributions,
       min(c.id) AS example
"""
TOOK_PART = """
MATCH (x:{label})-[r:TOOK_PART_IN]->(g:Engagement)
RETURN x.id AS id, g.id AS engagement, min(r.source) AS source, min(r.locator) AS locator
"""
ENGAGEMENTS = """
MATCH (g:Engagement) OPTIONAL MATCH (g)-[:SOURCED_FROM]->(s:Source)
RETURN g.id AS id, g.name AS name, g.kind AS kind, min(s.year) AS year
"""
UNDER = ("MATCH (g:Engagement)-[r:UNDER_NETWORK]->(n:CityNetwork) "
         "RETURN g.id AS engagement, n.id AS network, r.source AS source, r.locator AS locator")
SAME_AS = ("MATCH (n:CityNetwork)-[r:SAME_AS]->(o:Cooperant) "
           "RETURN n.id AS network, o.id AS cooperant, r.source AS source, r.locator AS locator")
FEE = ("MATCH (n:CityNetwork)-[r:FEE_PAID_BY]->(e:DistrictEntity) "
       "RETURN n.id AS network, e.id AS entity, r.source AS source, r.locator AS locator")
MEMBER = ("MATCH (e:DistrictEntity)-[r:MEMBER_OF]->(n:CityNetwork) "
          "RETURN n.id AS network, e.id AS entity, r.source AS source, r.locator AS locator")
BELONGS = ("MATCH (e:DistrictEntity)-[r:BELONGS_TO]->(s:Sector) "
           "RETURN e.id AS entity, s.id AS sector, r.source AS source, r.locator AS locator")
ALIGNED = ("MATCH (p:PDDObjective)-[r:ADVANCES]->(g:SDG) "
           "RETURN p.number AS objective, g.number AS sdg, r.source AS source, r.locator AS locator")
NODES = {
    "entity": "MATCH (e:DistrictEntity) RETURN e.id AS id, e.name AS name, e.sector_id AS sector",
    "cooperant": "MATCH (o:Cooperant) RETURN o.id AS id, o.name AS name, o.acronym AS acronym, "
                 "o.iati_type AS iati_type, o.iati_type_name AS iati_type_name, o.kind AS subtype, o.country AS country",
    "network": "MATCH (n:CityNetwork) RETURN n.id AS id, n.name AS name, n.acronym AS acronym",
    "sector": "MATCH (s:Sector) RETURN s.id AS id, s.name AS name",
    "sdg": "MATCH (g:SDG) RETURN g.number AS id, g.name AS name",
    "pdd-objective": "MATCH (p:PDDObjective) RETURN p.number AS id, p.name AS name, p.id AS store_id",
    "pdd-program": "MATCH (p:PDDProgram) RETURN p.id AS id, p.name AS name",
}


@dataclass
class ProspectRows:
    """What the store answered; every list is sorted, so graphs built from it are the same every time."""

    funding: list[dict] = field(default_factory=list)        # cooperant × entity × year × sector
    topics: dict[str, list[dict]] = field(default_factory=dict)  # relation -> cooperant × entity × year × target
    took_part: list[dict] = field(default_factory=list)      # kind, id, engagement, source, locator
    under: list[dict] = field(default_factory=list)
    same_as: list[dict] = field(default_factory=list)
    member: list[dict] = field(default_factory=list)
    fee: list[dict] = field(default_factory=list)
    aligned: list[dict] = field(default_factory=list)
    belongs: list[dict] = field(default_factory=list)
    engagements: dict[str, dict] = field(default_factory=dict)
    nodes: dict[str, dict[str, dict]] = field(default_factory=dict)  # kind -> raw id (as text) -> row

    def name(self, graph_id: str) -> str:
        kind, _, raw = graph_id.partition(":")
        if kind == "engagement":
            return (self.engagements.get(raw) or {}).get("name") or raw
        return (self.nodes.get(kind, {}).get(raw) or {}).get("name") or raw

    def years(self) -> list[int]:
        return sorted({int(r["year"]) for r in self.funding})


def _read(store, cypher: str) -> list[dict]:
    return store.read(cypher, {}, timeout_s=QUERY_TIMEOUT_S)


def _key(row: dict, *names) -> tuple:
    return tuple("" if row.get(n) is None else str(row[n]) for n in names)


def prospect_rows(store) -> ProspectRows:
    """Read everything prospecting needs (every year; `prospect_graph` picks a range)."""
    rows = ProspectRows()
    rows.funding = sorted(_read(store, FUNDING), key=lambda r: _key(r, "cooperant", "entity", "year", "sector"))
    for relation, (rel, label, key) in TOPICS.items():
        found = _read(store, TOPIC.format(rel=rel, label=label, key=key))
        rows.topics[relation] = sorted(found, key=lambda r: _key(r, "cooperant", "entity", "year", "target"))
    for kind, label in (("cooperant", "Cooperant"), ("entity", "DistrictEntity")):
        rows.took_part += [{"kind": kind, **r} for r in _read(store, TOOK_PART.format(label=label))]
    rows.took_part.sort(key=lambda r: _key(r, "kind", "id", "engagement"))
    rows.under = sorted(_read(store, UNDER), key=lambda r: _key(r, "engagement", "network"))
    rows.same_as = sorted(_read(store, SAME_AS), key=lambda r: _key(r, "network", "cooperant"))
    rows.fee = sorted(_read(store, FEE), key=lambda r: _key(r, "network", "entity"))
    rows.member = sorted(_read(store, MEMBER), key=lambda r: _key(r, "network", "entity"))
    rows.aligned = sorted(_read(store, ALIGNED), key=lambda r: _key(r, "objective", "sdg"))
    rows.belongs = sorted(_read(store, BELONGS), key=lambda r: _key(r, "entity", "sector"))
    rows.engagements = {r["id"]: r for r in _read(store, ENGAGEMENTS)}
    rows.nodes = {kind: {str(r["id"]): r for r in _read(store, cypher)} for kind, cypher in NODES.items()}
    return rows


TOPIC_KIND = {"sdg": "sdg", "pdd_objective": "pdd-objective", "pdd_program": "pdd-program", "channel": "network"}
TOPIC_RELATION = {relation: rel for relation, (rel, _, _) in TOPICS.items()}
FACTS_PER_LINK = 3  # examples kept per link for the evidence; the weight counts them all


def _fact(relation: str, a: str, b: str, r: dict) -> dict:
    """A stored relationship with its provenance, as evidence shows it."""
    return {"relation": relation, "from": a, "to": b, "source": r.get("source"), "locator": r.get("locator")}


def prospect_graph(rows: ProspectRows, from_year: int = 0, to_year: int = 9999, *,
                   hide: frozenset | set = frozenset()) -> nx.Graph:
    """The typed graph of the module docstring for a year range, without the `hide` pairs.

    `hide` holds ``(cooperant_id, entity_id)`` raw store ids. Engagements and memberships have no
    year of their own in the graph's sense and stay (an engagement's year is that of its report).
    Each link carries ``relations`` (a set), ``weight`` (the contributions or facts behind it) and
    ``facts``: up to `FACTS_PER_LINK` examples, either a stored relationship with its source
    (``relation``, ``from``, ``to``, ``source``, ``locator``) or a contribution to look up
    (``contribution``, ``cooperant``, ``entity`` and, for an ODS, objective, program or network link,
    ``topic``: the relationship type and the target's id).
    """
    graph = nx.Graph(from_year=int(from_year), to_year=int(to_year))
    links: dict[tuple, list] = defaultdict(lambda: [0, set(), []])

    def link(a: str, b: str, relation: str, fact: dict, weight: int = 1) -> None:
        entry = links[(a, b) if a <= b else (b, a)]
        entry[0] += int(weight)
        entry[1].add(relation)
        if len(entry[2]) < FACTS_PER_LINK and fact not in entry[2]:
            entry[2].append(fact)

    def in_range(r: dict) -> bool:
        return from_year <= int(r["year"]) <= to_year and (r["cooperant"], r["entity"]) not in hide

    sector_of = {r["entity"]: r["sector"] for r in rows.belongs}
    for r in rows.funding:
        if not in_range(r):
            continue
        o, e = f"cooperant:{r['cooperant']}", f"entity:{r['entity']}"
        fact = {"contribution": r["example"], "cooperant": r["cooperant"], "entity": r["entity"]}
        link(o, e, "funding", fact, r["contributions"])
        sector = r["sector"] or sector_of.get(r["entity"])
        if sector:
            link(o, f"sector:{sector}", "sector", fact, r["contributions"])
    for relation, found in rows.topics.items():
        for r in found:
            if not in_range(r):
                continue
            target = f"{TOPIC_KIND[relation]}:{r['target']}"
            fact = {"contribution": r["example"], "cooperant": r["cooperant"], "entity": r["entity"],
                    "topic": [TOPIC_RELATION[relation], target]}
            link(f"cooperant:{r['cooperant']}", target, relation, fact, r["contributions"])
            link(f"entity:{r['entity']}", target, relation, fact, r["contributions"])
    for r in rows.belongs:
        a, b = f"entity:{r['entity']}", f"sector:{r['sector']}"
        link(a, b, "belongs_to", _fact("BELONGS_TO", a, b, r))
    networks_of = defaultdict(list)
    for r in rows.under:
        a, b = f"engagement:{r['engagement']}", f"network:{r['network']}"
        fact = _fact("UNDER_NETWORK", a, b, r)
        link(a, b, "under_network", fact)
        networks_of[r["engagement"]].append((b, fact))
    for r in rows.took_part:
        me, engagement = f"{r['kind']}:{r['id']}", f"engagement:{r['engagement']}"
        took = _fact("TOOK_PART_IN", me, engagement, r)
        link(me, engagement, "took_part_in", took)
        for network, under in networks_of[r["engagement"]]:
            link(me, network, "network_engagement", {"path": [took, under]})
    for r in rows.same_as:
        a, b = f"network:{r['network']}", f"cooperant:{r['cooperant']}"
        link(a, b, "same_as", _fact("SAME_AS", a, b, r))
    for r in rows.fee:
        a, b = f"network:{r['network']}", f"entity:{r['entity']}"
        link(a, b, "fee_paid_by", _fact("FEE_PAID_BY", a, b, r))
    for r in rows.member:
        a, b = f"entity:{r['entity']}", f"network:{r['network']}"
        link(a, b, "member_of", _fact("MEMBER_OF", a, b, r))
    for r in rows.aligned:
        a, b = f"pdd-objective:{r['objective']}", f"sdg:{r['sdg']}"
        link(a, b, "aligned", _fact("ADVANCES", a, b, r))

    for n in sorted({n for pair in links for n in pair}):
        kind, _, raw = n.partition(":")
        graph.add_node(n, kind=kind, raw=raw, name=rows.name(n))
    for (a, b), (weight, relations, facts) in sorted(links.items()):
        graph.add_edge(a, b, weight=weight, relations=relations, facts=facts)
    return graph
