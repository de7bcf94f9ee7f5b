"""Projections of the store into NetworkX graphs, for a year range and an optional slice.

The store answers a handful of aggregating Cypher queries (they run unchanged on the embedded
engine and on Neo4j 5); the graphs are built in Python from the rows. Node ids carry their kind
so ids never collide: ``"entity:sdm"``, ``"cooperant:bid"``, ``"network:c40"``.

The organisation graph (`organisation_graph`) is undirected and holds:

* cooperant–entity edges from contributions (``PROVIDED``/``RECEIVED``): ``count`` contributions,
  ``monetary`` of them monetary, ``interactions``, and COP money ``amount_cents`` (sum of
  ``total_cents``), ``cooperant_cents`` and ``counterpart_cents``;
* network–cooperant edges where a city network is also a cooperant (``SAME_AS``), only when one
  of the two takes part in the graph otherwise;
* entity–network and cooperant–network edges from engagements under the network that the entity
  or cooperant took part in (``engagements`` = how many). An engagement belongs to the year of the
  report that tells about it (its ``SOURCED_FROM`` source). Engagements carry no sector nor ODS,
  so a sector or ODS slice leaves them out; a network slice keeps the engagements under that network.

Every edge has ``weight`` = contributions + shared engagements + 1 for a SAME_AS link, the
weight that PageRank and Louvain use, and ``relation`` naming what makes it
(``funding``, ``same_as``, ``engagement``, joined with ``+``).

Money counts contributions in COP only (as `coopgraph summary` does); ``other_currency`` counts
the contributions in another currency that an edge holds but whose money it leaves out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from coopgraph.graph.readmodel import node_id, split_id  # one id scheme for every graph

__all__ = [
    "KINDS", "QUERY_TIMEOUT_S", "OrganisationRows", "contribution_where", "node_id", "split_id",
    "organisation_rows", "graph_from_rows", "organisation_graph", "bipartite_funding_graph",
    "cooperant_projection", "entity_projection",
]

KINDS = {"entity": "DistrictEntity", "cooperant": "Cooperant", "network": "CityNetwork"}
QUERY_TIMEOUT_S = 600.0  # analytics scan every contribution; the analysts' 10 s limit is too short on 1M rows
PROJECTION_METHODS = ("shared", "collaboration", "overlap")

_MONEY = {name: f"sum(CASE WHEN c.currency = 'COP' THEN c.{name} ELSE 0 END)"
          for name in ("total_cents", "cooperant_cents", "counterpart_cents")}

FUNDING = """
MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity)
WHERE {where}
RETURN o.id AS cooperant, e.id AS entity, c.sector_id AS sector_id, count(c) AS contributions,
       sum(CASE WHEN c.monetary THEN 1 ELSE 0 END) AS monetary, sum(c.interactions) AS interactions,
       {total_cents} AS total_cents, {cooperant_cents} AS cooperant_cents,
       {counterpart_cents} AS counterpart_cents,
       sum(CASE WHEN c.currency = 'COP' THEN 0 ELSE 1 END) AS other_currency
"""
ENTITIES = "MATCH (e:DistrictEntity) RETURN e.id AS id, e.name AS name, e.sector_id AS sector_id"
COOPERANTS = """
MATCH (o:Cooperant)
RETURN o.id AS id, o.name AS name, o.iati_type AS iati_type, o.iati_type_name AS iati_type_name,
       o.kind AS subtype, o.country AS country
"""
NETWORKS = "MATCH (n:CityNetwork) RETURN n.id AS id, n.name AS name, n.acronym AS acronym, n.kind AS subtype"
SECTORS = "MATCH (s:Sector) RETURN s.id AS id, s.name AS name"
SAME_AS = "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) RETURN n.id AS network, o.id AS cooperant"
ENGAGED = """
MATCH (x:{label})-[:TOOK_PART_IN]->(g:Engagement)-[:UNDER_NETWORK]->(n:CityNetwork)
WHERE EXISTS {{ MATCH (g)-[:SOURCED_FROM]->(s:Source) WHERE s.year >= $from_year AND s.year <= $to_year }}
{network}
RETURN x.id AS id, n.id AS network, count(DISTINCT g) AS engagements
"""


def contribution_where(from_year: int = 0, to_year: int = 9999, *, sector_id: str | None = None,
                       network_id: str | None = None, sdg: int | None = None,
                       var: str = "c") -> tuple[str, dict]:
    """A WHERE condition on a Contribution variable for a year range and slice, with its parameters.

    A network slice keeps the contributions that came through the network (``THROUGH_NETWORK``)
    or that the network gave as a cooperant (``SAME_AS``).

    >>> contribution_where(2024, 2024, sector_id="movilidad")[0]
    'c.year >= $from_year AND c.year <= $to_year AND c.sector_id = $sector_id'
    """
    parts = [f"{var}.year >= $from_year", f"{var}.year <= $to_year"]
    params: dict = {"from_year": int(from_year), "to_year": int(to_year)}
    if sector_id:
        parts.append(f"{var}.sector_id = $sector_id")
        params["sector_id"] = str(sector_id)
    if sdg is not None:
        parts.append(f"EXISTS {{ MATCH ({var})-[:ADVANCES]->(sdg_:SDG) WHERE sdg_.number = $sdg }}")
        params["sdg"] = int(sdg)
    if network_id:
        parts.append(f"(EXISTS {{ MATCH ({var})-[:THROUGH_NETWORK]->(net_:CityNetwork) WHERE net_.id = $network_id }}"
                     f" OR EXISTS {{ MATCH ({var})<-[:PROVIDED]-(:Cooperant)<-[:SAME_AS]-(net_:CityNetwork)"
                     f" WHERE net_.id = $network_id }})")
        params["network_id"] = str(network_id)
    return " AND ".join(parts), params


@dataclass
class OrganisationRows:
    """What the store answered for one year range and slice; `graph_from_rows` builds the graph."""

    slice: dict
    funding: list[dict] = field(default_factory=list)  # one row per cooperant × entity × sector
    entities: dict[str, dict] = field(default_factory=dict)
    cooperants: dict[str, dict] = field(default_factory=dict)
    networks: dict[str, dict] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    same_as: list[dict] = field(default_factory=list)
    engaged: list[dict] = field(default_factory=list)  # kind, id, network, engagements

    def name(self, graph_id: str) -> str:
        kind, raw = split_id(graph_id)
        table = {"entity": self.entities, "cooperant": self.cooperants, "network": self.networks}.get(kind, {})
        if kind == "sector":
            return self.sectors.get(raw) or raw
        return (table.get(raw) or {}).get("name") or raw


def _read(store, cypher: str, params: dict | None = None) -> list[dict]:
    return store.read(cypher, params or {}, timeout_s=QUERY_TIMEOUT_S)


def organisation_rows(store, from_year: int = 0, to_year: int = 9999, *, sector_id: str | None = None,
                      network_id: str | None = None, sdg: int | None = None,
                      engagements: bool = True) -> OrganisationRows:
    """Read the rows the organisation graph is built from (six or seven small queries)."""
    where, params = contribution_where(from_year, to_year, sector_id=sector_id, network_id=network_id, sdg=sdg)
    rows = OrganisationRows(slice={"from_year": int(from_year), "to_year": int(to_year), "sector_id": sector_id,
                                   "network_id": network_id, "sdg": sdg})
    rows.funding = _read(store, FUNDING.format(where=where, **_MONEY), params)
    rows.funding.sort(key=lambda r: (r["cooperant"], r["entity"], r["sector_id"] or ""))
    rows.entities = {r["id"]: r for r in _read(store, ENTITIES)}
    rows.cooperants = {r["id"]: r for r in _read(store, COOPERANTS)}
    rows.networks = {r["id"]: r for r in _read(store, NETWORKS)}
    rows.sectors = {r["id"]: r["name"] for r in _read(store, SECTORS)}
    rows.same_as = sorted(_read(store, SAME_AS), key=lambda r: (r["network"], r["cooperant"]))
    if engagements and sector_id is None and sdg is None:
        years = {"from_year": int(from_year), "to_year": int(to_year)}
        network = ""
        if network_id:
            network, years["network_id"] = "AND n.id = $network_id", str(network_id)
        for kind in ("entity", "cooperant"):
            found = _read(store, ENGAGED.format(label=KINDS[kind], network=network), years)
            rows.engaged += [{"kind": kind, **r} for r in found]
        rows.engaged.sort(key=lambda r: (r["kind"], r["id"], r["network"]))
    return rows


def _node_attributes(rows: OrganisationRows, graph_id: str) -> dict:
    kind, raw = split_id(graph_id)
    attrs = {"id": raw, "kind": kind, "label": KINDS[kind]}
    if kind == "entity":
        found = rows.entities.get(raw, {})
        attrs.update(name=found.get("name") or raw, sector=found.get("sector_id"),
                     sector_name=rows.sectors.get(found.get("sector_id") or ""))
    elif kind == "cooperant":
        found = rows.cooperants.get(raw, {})
        attrs.update(name=found.get("name") or raw, iati_type=found.get("iati_type"),
                     iati_type_name=found.get("iati_type_name"), country=found.get("country") or None,
                     subtype=found.get("subtype"))
    else:
        found = rows.networks.get(raw, {})
        attrs.update(name=found.get("name") or raw, acronym=found.get("acronym") or None,
                     subtype=found.get("subtype"))
    return {k: v for k, v in attrs.items() if v is not None}  # GraphML and GEXF writers refuse None


def _empty_edge() -> dict:
    return {"count": 0, "monetary": 0, "interactions": 0, "amount_cents": 0, "cooperant_cents": 0,
            "counterpart_cents": 0, "other_currency": 0, "engagements": 0, "same_as": False}


def graph_from_rows(rows: OrganisationRows, *, include_isolated: bool = False) -> nx.Graph:
    """Build the organisation graph from `organisation_rows`; nodes and edges in a stable order."""
    edges: dict[tuple[str, str], dict] = {}

    def edge(a: str, b: str) -> dict:
        return edges.setdefault((a, b) if a <= b else (b, a), _empty_edge())

    for r in rows.funding:
        e = edge(node_id("cooperant", r["cooperant"]), node_id("entity", r["entity"]))
        e["count"] += int(r["contributions"])
        e["monetary"] += int(r["monetary"] or 0)
        e["interactions"] += int(r["interactions"] or 0)
        e["amount_cents"] += int(r["total_cents"] or 0)
        e["cooperant_cents"] += int(r["cooperant_cents"] or 0)
        e["counterpart_cents"] += int(r["counterpart_cents"] or 0)
        e["other_currency"] += int(r["other_currency"] or 0)
    for r in rows.engaged:
        edge(node_id(r["kind"], r["id"]), node_id("network", r["network"]))["engagements"] += int(r["engagements"])
    linked = {n for pair in edges for n in pair}
    for r in rows.same_as:
        a, b = node_id("network", r["network"]), node_id("cooperant", r["cooperant"])
        if a in linked or b in linked or include_isolated:
            edge(a, b)["same_as"] = True

    graph = nx.Graph(**rows.slice)
    nodes = {n for pair in edges for n in pair}
    if include_isolated:
        nodes |= {node_id("entity", i) for i in rows.entities} | {node_id("cooperant", i) for i in rows.cooperants}
        nodes |= {node_id("network", i) for i in rows.networks}
    for n in sorted(nodes):
        graph.add_node(n, **_node_attributes(rows, n))
    for (a, b), attrs in sorted(edges.items()):
        relation = [name for name, on in (("funding", attrs["count"]), ("same_as", attrs["same_as"]),
                                          ("engagement", attrs["engagements"])) if on]
        attrs["relation"] = "+".join(relation)
        attrs["weight"] = attrs["count"] + attrs["engagements"] + int(attrs["same_as"])
        graph.add_edge(a, b, **attrs)
    return graph


def organisation_graph(store, from_year: int = 0, to_year: int = 9999, *, sector_id: str | None = None,
                       network_id: str | None = None, sdg: int | None = None, engagements: bool = True,
                       include_isolated: bool = False) -> nx.Graph:
    """District entities, cooperants and city networks, linked as the module docstring says.

    Only nodes with at least one edge in the range and slice are kept unless `include_isolated`.
    The slice is kept in ``graph.graph`` (from_year, to_year, sector_id, network_id, sdg).
    """
    rows = organisation_rows(store, from_year, to_year, sector_id=sector_id, network_id=network_id, sdg=sdg,
                             engagements=engagements)
    return graph_from_rows(rows, include_isolated=include_isolated)


def bipartite_funding_graph(graph: nx.Graph) -> nx.Graph:
    """The cooperant–entity funding edges of an organisation graph, with ``bipartite`` 0/1 node marks."""
    funding = nx.Graph(**graph.graph)
    for a, b, attrs in graph.edges(data=True):
        if attrs.get("count"):
            for n in (a, b):
                if n not in funding:
                    funding.add_node(n, **graph.nodes[n], bipartite=0 if graph.nodes[n]["kind"] == "cooperant" else 1)
            funding.add_edge(a, b, **attrs)
    return funding


def _projection(kind: str, store, from_year, to_year, graph, method, slice_) -> nx.Graph:
    from networkx.algorithms import bipartite

    if method not in PROJECTION_METHODS:
        raise ValueError(f"method must be one of {PROJECTION_METHODS}, not {method!r}")
    if graph is None:
        graph = organisation_graph(store, from_year, to_year, engagements=False, **slice_)
    funding = bipartite_funding_graph(graph)
    side = sorted(n for n, k in funding.nodes(data="kind") if k == kind)
    if len(side) == funding.number_of_nodes():  # no funding at all: networkx refuses to project
        projected = nx.Graph()
        projected.add_nodes_from((n, funding.nodes[n]) for n in side)
    elif method == "shared":  # weight = how many partners the two share
        projected = bipartite.weighted_projected_graph(funding, side)
    elif method == "collaboration":  # Newman's collaboration weights
        projected = bipartite.collaboration_weighted_projected_graph(funding, side)
    else:  # Jaccard overlap of the two neighbourhoods
        projected = bipartite.overlap_weighted_projected_graph(funding, side)
    projected.graph.update(graph.graph, projection=kind, method=method)
    return projected


def cooperant_projection(store=None, from_year: int = 0, to_year: int = 9999, *, sector_id: str | None = None,
                         network_id: str | None = None, sdg: int | None = None, graph: nx.Graph | None = None,
                         method: str = "shared") -> nx.Graph:
    """Cooperants linked when they fund a common district entity.

    ``method``: ``shared`` (weight = entities in common), ``collaboration`` (Newman) or ``overlap``
    (Jaccard). Pass an organisation `graph` to skip the store. The result can hold close to n²/2 edges
    when many cooperants share a few popular entities (5,000 cooperants × 60 entities: ~12M).
    """
    return _projection("cooperant", store, from_year, to_year, graph, method,
                       {"sector_id": sector_id, "network_id": network_id, "sdg": sdg})


def entity_projection(store=None, from_year: int = 0, to_year: int = 9999, *, sector_id: str | None = None,
                      network_id: str | None = None, sdg: int | None = None, graph: nx.Graph | None = None,
                      method: str = "shared") -> nx.Graph:
    """District entities linked when a common cooperant funds both (weights as in `cooperant_projection`)."""
    return _projection("entity", store, from_year, to_year, graph, method,
                       {"sector_id": sector_id, "network_id": network_id, "sdg": sdg})
