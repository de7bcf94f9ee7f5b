"""The map graph: the store read into one undirected NetworkX graph that every map view slices.

Nodes (ids carry their kind, as in `coopgraph.analysis.projections`): ``cooperant:bid``,
``entity:sdm``, ``network:c40``, ``engagement:<id>``, ``sector:movilidad``, ``sdg:13``,
``pdd-objective:pdd-2024-obj-4``. Contributions are not nodes: they become the links between the
nodes they join, with their money added up —

* ``funding``: cooperant – entity (``PROVIDED``/``RECEIVED``);
* ``advances``: cooperant or entity – ODS, and ``serves``: cooperant or entity – PDD objective;
* ``channel``: cooperant – network and network – entity for contributions ``THROUGH_NETWORK``;

and the rest of the graph is kept as it is: ``belongs_to`` (entity – sector), ``part_of``
(entity – entity), ``took_part_in`` (entity or cooperant – engagement), ``under_network``
(engagement – network), ``same_as`` (network – cooperant), ``section_of`` (network – network),
``fee_paid_by`` (network – entity) and ``aligned`` (PDD objective – ODS).

Two nodes joined by several relations share one link whose ``relations`` name them all.
Money counts COP contributions only (``other_currency`` counts the rest, ``converted_cents`` is their
value in COP at the rate on each fact), exactly, in centavos.

Every node and link carries *facets* — the sectors, ODS, years and cooperant IATI types of the
contributions (and engagements, and reported figures) behind it — which the pages' filters use.
Every query is plain Cypher that runs on the embedded engine and on Neo4j alike.
"""
from __future__ import annotations

import networkx as nx

from coopgraph.graph.model import Basis, model
from coopgraph.viz import i18n
from coopgraph.graph.readmodel import node_id, split_id  # one id scheme for every graph

__all__ = ["FACETS", "MONEY_KEYS", "read_graph", "size_cents", "node_id", "split_id", "link_basis"]

FACETS = ("sector", "sdg", "year", "type")
MONEY_KEYS = ("contributions", "monetary", "interactions", "cooperant_cents", "counterpart_cents", "total_cents",
              "other_currency", "converted_cents")
TIMEOUT_S = 600.0  # a map reads every contribution once; the analysts' 10 s limit is for their own queries

MONEY = ("count(c) AS contributions, sum(CASE WHEN c.monetary THEN 1 ELSE 0 END) AS monetary, "
         "sum(c.interactions) AS interactions, "
         "sum(CASE WHEN c.currency = 'COP' THEN c.cooperant_cents ELSE 0 END) AS cooperant_cents, "
         "sum(CASE WHEN c.currency = 'COP' THEN c.counterpart_cents ELSE 0 END) AS counterpart_cents, "
         "sum(CASE WHEN c.currency = 'COP' THEN c.total_cents ELSE 0 END) AS total_cents, "
         "sum(CASE WHEN c.currency = 'COP' THEN 0 ELSE 1 END) AS other_currency, "
         "sum(CASE WHEN c.currency = 'COP' THEN 0 ELSE coalesce(c.cop_total_cents, 0) END) AS converted_cents")

NODES = {
    "cooperant": "MATCH (o:Cooperant) RETURN o.id AS id, o.name AS name, o.acronym AS acronym, "
                 "o.iati_type AS iati_type, o.iati_type_name AS iati_type_name, o.kind AS subtype, o.country AS country",
    "entity": "MATCH (e:DistrictEntity) RETURN e.id AS id, e.name AS name, e.acronyms AS acronyms, e.sector_id AS sector_id",
    "network": "MATCH (n:CityNetwork) RETURN n.id AS id, n.name AS name, n.acronym AS acronym, n.kind AS subtype, "
               "n.member_since AS member_since, n.membership_act AS membership_act, n.membership_act_date AS membership_act_date",
    "engagement": "MATCH (g:Engagement) RETURN g.id AS id, g.name AS name, g.kind AS subtype, g.start_date AS start_date, "
                  "g.end_date AS end_date, g.amount_cents AS amount_cents, g.currency AS currency, g.cop_cents AS cop_cents, "
                  "g.rate AS rate, g.rate_basis AS rate_basis, g.rate_date AS rate_date, g.counted_in AS counted_in",
    "sector": "MATCH (s:Sector) RETURN s.id AS id, s.name AS name, s.name_en AS name_en",
    "sdg": "MATCH (s:SDG) RETURN s.number AS id, s.name AS name, s.name_en AS name_en",
    "pdd-objective": "MATCH (p:PDDObjective) RETURN p.id AS id, p.number AS number, p.name AS name, p.name_en AS name_en",
}

NODE_MONEY = {
    "cooperant": f"MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution) RETURN o.id AS id, {MONEY}",
    "entity": f"MATCH (e:DistrictEntity)-[:RECEIVED]->(c:Contribution) RETURN e.id AS id, {MONEY}",
    "sdg": f"MATCH (c:Contribution)-[:ADVANCES]->(s:SDG) RETURN s.number AS id, {MONEY}",
    "pdd-objective": f"MATCH (c:Contribution)-[:SERVES]->(p:PDDObjective) RETURN p.id AS id, {MONEY}",
    "sector": ("MATCH (c:Contribution) OPTIONAL MATCH (c)-[:IN_SECTOR]->(s:Sector) "
               "OPTIONAL MATCH (e:DistrictEntity)-[:RECEIVED]->(c) "
               "WITH c, coalesce(s.id, c.sector_id, e.sector_id) AS sector WHERE sector IS NOT NULL "
               f"RETURN sector AS id, {MONEY}"),
    "network": f"MATCH (c:Contribution)-[:THROUGH_NETWORK]->(n:CityNetwork) RETURN n.id AS id, {MONEY}",
}
# a network's money also counts what it gave as a cooperant (SAME_AS), once
NETWORK_AS_COOPERANT = ("MATCH (n:CityNetwork)-[:SAME_AS]->(:Cooperant)-[:PROVIDED]->(c:Contribution) "
                        "WHERE NOT EXISTS { MATCH (c)-[:THROUGH_NETWORK]->(n) } "
                        f"RETURN n.id AS id, {MONEY}")

# The bases (stated, derived, outside) of the relationship `x` a link stands for: maps draw a link
# the report does not state differently.
BASES = "collect(DISTINCT x.basis) AS bases"

MONEY_LINKS = [  # (relation, kind a, kind b, query returning a, b, MONEY and bases)
    ("funding", "cooperant", "entity",
     f"MATCH (o:Cooperant)-[x:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity) RETURN o.id AS a, e.id AS b, {MONEY}, {BASES}"),
    ("advances", "cooperant", "sdg",
     f"MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)-[x:ADVANCES]->(s:SDG) RETURN o.id AS a, s.number AS b, {MONEY}, {BASES}"),
    ("advances", "entity", "sdg",
     f"MATCH (e:DistrictEntity)-[:RECEIVED]->(c:Contribution)-[x:ADVANCES]->(s:SDG) RETURN e.id AS a, s.number AS b, {MONEY}, {BASES}"),
    ("serves", "cooperant", "pdd-objective",
     f"MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)-[x:SERVES]->(p:PDDObjective) RETURN o.id AS a, p.id AS b, {MONEY}, {BASES}"),
    ("serves", "entity", "pdd-objective",
     f"MATCH (e:DistrictEntity)-[:RECEIVED]->(c:Contribution)-[x:SERVES]->(p:PDDObjective) RETURN e.id AS a, p.id AS b, {MONEY}, {BASES}"),
    ("channel", "cooperant", "network",
     f"MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)-[x:THROUGH_NETWORK]->(n:CityNetwork) RETURN o.id AS a, n.id AS b, {MONEY}, {BASES}"),
    ("channel", "network", "entity",
     f"MATCH (e:DistrictEntity)-[:RECEIVED]->(c:Contribution)-[x:THROUGH_NETWORK]->(n:CityNetwork) RETURN n.id AS a, e.id AS b, {MONEY}, {BASES}"),
]

LINKS = [  # (relation, kind a, kind b, query returning a, b and basis)
    ("belongs_to", "entity", "sector", "MATCH (e:DistrictEntity)-[x:BELONGS_TO]->(s:Sector) RETURN e.id AS a, s.id AS b, x.basis AS basis"),
    ("part_of", "entity", "entity",
     "MATCH (a:DistrictEntity)-[x:PART_OF_ENTITY]->(b:DistrictEntity) RETURN a.id AS a, b.id AS b, x.basis AS basis"),
    ("took_part_in", "entity", "engagement",
     "MATCH (e:DistrictEntity)-[x:TOOK_PART_IN]->(g:Engagement) RETURN DISTINCT e.id AS a, g.id AS b, x.basis AS basis"),
    ("took_part_in", "cooperant", "engagement",
     "MATCH (o:Cooperant)-[x:TOOK_PART_IN]->(g:Engagement) RETURN DISTINCT o.id AS a, g.id AS b, x.basis AS basis"),
    ("under_network", "engagement", "network",
     "MATCH (g:Engagement)-[x:UNDER_NETWORK]->(n:CityNetwork) RETURN g.id AS a, n.id AS b, x.basis AS basis"),
    ("same_as", "network", "cooperant",
     "MATCH (n:CityNetwork)-[x:SAME_AS]->(o:Cooperant) RETURN n.id AS a, o.id AS b, x.basis AS basis"),
    ("section_of", "network", "network",
     "MATCH (a:CityNetwork)-[x:SECTION_OF]->(b:CityNetwork) RETURN a.id AS a, b.id AS b, x.basis AS basis"),
    ("fee_paid_by", "network", "entity",
     "MATCH (n:CityNetwork)-[x:FEE_PAID_BY]->(e:DistrictEntity) RETURN n.id AS a, e.id AS b, x.basis AS basis"),
    ("member_of", "entity", "network",
     "MATCH (e:DistrictEntity)-[x:MEMBER_OF]->(n:CityNetwork) RETURN e.id AS a, n.id AS b, x.basis AS basis"),
    ("holds_role", "cooperant", "network",
     "MATCH (o:Cooperant)-[x:HOLDS_ROLE]->(n:CityNetwork) RETURN DISTINCT o.id AS a, n.id AS b, x.basis AS basis"),
    ("aligned", "pdd-objective", "sdg",
     "MATCH (p:PDDObjective)-[x:ADVANCES]->(s:SDG) RETURN p.id AS a, s.number AS b, x.basis AS basis"),
]

# One row per distinct combination of what a contribution joins: the facets of nodes and links.
COMBOS = """
MATCH (c:Contribution)
OPTIONAL MATCH (o:Cooperant)-[:PROVIDED]->(c)
OPTIONAL MATCH (e:DistrictEntity)-[:RECEIVED]->(c)
OPTIONAL MATCH (c)-[:IN_SECTOR]->(s:Sector)
OPTIONAL MATCH (c)-[:ADVANCES]->(g:SDG)
OPTIONAL MATCH (c)-[:SERVES]->(p:PDDObjective)
OPTIONAL MATCH (c)-[:THROUGH_NETWORK]->(n:CityNetwork)
RETURN DISTINCT o.id AS cooperant, o.iati_type AS type, e.id AS entity,
       coalesce(s.id, c.sector_id, e.sector_id) AS sector, g.number AS sdg, p.id AS pdd, n.id AS network, c.year AS year
"""
ENGAGEMENT_YEARS = "MATCH (g:Engagement)-[:SOURCED_FROM]->(s:Source) WHERE s.year IS NOT NULL RETURN DISTINCT g.id AS id, s.year AS year"
REPORTED = {kind: f"MATCH (n:{label})-[r:REPORTED]->(:Source) RETURN n.{key} AS id, r.year AS year, "
                  "r.interactions AS interactions"
            for kind, label, key in (("cooperant", "Cooperant", "id"), ("entity", "DistrictEntity", "id"),
                                     ("sdg", "SDG", "number"))}


def link_basis(attrs: dict) -> str:
    """A link's basis: the strongest of the relationships it stands for (stated if the report states
    one of them); a link read from a store without bases counts as stated."""
    return model().provenance.strongest(*attrs.get("bases", ())) or Basis.stated.value


def empty_money() -> dict:
    return dict.fromkeys(MONEY_KEYS, 0)


def empty_facets() -> dict:
    return {f: set() for f in FACETS}


def add_money(into: dict, row: dict) -> None:
    for key in MONEY_KEYS:
        into[key] += int(row.get(key) or 0)


def _read(store, cypher: str) -> list[dict]:
    return store.read(cypher, {}, timeout_s=TIMEOUT_S)


def read_graph(store) -> nx.Graph:
    """Read the whole map graph from the store (about twenty small queries)."""
    graph = nx.Graph()
    for kind, cypher in NODES.items():
        for row in sorted(_read(store, cypher), key=lambda r: str(r["id"])):
            graph.add_node(node_id(kind, row["id"]), **_node(kind, row))

    def node(kind, raw):
        n = node_id(kind, raw)
        return n if n in graph else None

    for kind, cypher in NODE_MONEY.items():
        for row in _read(store, cypher):
            if (n := node(kind, row["id"])) is not None:
                add_money(graph.nodes[n]["money"], row)
    for row in _read(store, NETWORK_AS_COOPERANT):
        if (n := node("network", row["id"])) is not None:
            add_money(graph.nodes[n]["money"], row)
            graph.nodes[n]["as_cooperant"] = True

    def link(relation, a, b, bases) -> dict | None:
        if a is None or b is None or a == b:
            return None
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, relations=set(), money=empty_money(), facets=empty_facets(), bases=set())
        attrs = graph.edges[a, b]
        attrs["relations"].add(relation)
        attrs["bases"] |= {b for b in bases if b}
        return attrs

    for relation, ka, kb, cypher in MONEY_LINKS:
        for row in _read(store, cypher):
            if (attrs := link(relation, node(ka, row["a"]), node(kb, row["b"]), row.get("bases") or [])) is not None:
                add_money(attrs["money"], row)
    for relation, ka, kb, cypher in LINKS:
        for row in _read(store, cypher):
            a, b = node(ka, row["a"]), node(kb, row["b"])
            if link(relation, a, b, [row.get("basis")]) is not None and relation == "section_of":
                graph.nodes[a]["parent"] = b  # links are undirected: the section remembers its network

    _facets(store, graph, node)
    merge_same_as(graph)
    _all_money(store, graph)
    return graph


def _all_money(store, graph: nx.Graph) -> None:
    """A network's money in every currency, from the read model (its figures are defined there once):
    ``stated`` (its engagements' amounts per currency, graph.readmodel.stated_amounts) and
    ``all_cents`` (all cooperation: channelled COP plus the COP value of those amounts), which sizes it on
    the maps. Other nodes are sized by their report COP (``money.total_cents``)."""
    from coopgraph.graph.readmodel import read_model, stated_amounts

    figures = read_model(store).networks
    for n, attrs in graph.nodes(data=True):
        if attrs["kind"] != "network" or attrs["raw"] not in figures:
            continue
        f = figures[attrs["raw"]]
        attrs["stated"] = [a for a in stated_amounts(f.money) if a["currency"] != "COP"]
        attrs["all_cents"] = f.all_cooperation_cents


def size_cents(attrs: dict) -> int:
    """The money a node is sized and ranked by: a network's all cooperation, any other node's report COP."""
    if attrs.get("all_cents") is not None:
        return max(int(attrs["all_cents"]), attrs["money"]["total_cents"])
    return attrs["money"]["total_cents"]


def twins(graph: nx.Graph) -> dict[str, str]:
    """``{"cooperant:c40": "network:c40", …}``: where a cooperant that is also a network is drawn."""
    return {f"cooperant:{a['cooperant_id']}": n for n, a in graph.nodes(data=True) if a.get("cooperant_id")}


def merge_same_as(graph: nx.Graph) -> None:
    """A network that is also a cooperant (C40, Metrópolis, ICLEI…) becomes one node with both roles.

    The network keeps its id (``network:c40``) and takes the cooperant's links, type, country,
    reported interactions and facets; ``cooperant_id`` remembers the cooperant's id. The network's
    money already counts what it gave as a cooperant (NETWORK_AS_COOPERANT). Where both had a link
    to the same node, the link keeps both relations and, per money figure, the larger amount (a
    contribution the cooperant gave through its own network would otherwise count twice).
    """
    for n in [n for n, a in graph.nodes(data=True) if a["kind"] == "network"]:
        twins = [o for o in graph.neighbors(n)
                 if graph.nodes[o]["kind"] == "cooperant" and "same_as" in graph.edges[n, o]["relations"]]
        for o in twins:
            net, coop = graph.nodes[n], graph.nodes[o]
            net["roles"] = ["network", "cooperant"]
            net["cooperant_id"] = coop["raw"]
            net["cooperant_name"] = coop["name"]
            for key in ("iati_type", "iati_type_name", "country"):
                if net.get(key) is None and coop.get(key) is not None:
                    net[key] = coop[key]
            net["acronym"] = net.get("acronym") or coop.get("acronym")
            net["reported"] += coop["reported"]
            for f in FACETS:
                net["facets"][f] |= coop["facets"][f]
            for other in list(graph.neighbors(o)):
                if other == n:
                    continue
                link = graph.edges[o, other]
                if graph.has_edge(n, other):
                    mine = graph.edges[n, other]
                    mine["relations"] |= link["relations"]
                    for key in MONEY_KEYS:
                        mine["money"][key] = max(mine["money"][key], link["money"][key])
                    for f in FACETS:
                        mine["facets"][f] |= link["facets"][f]
                else:
                    graph.add_edge(n, other, **link)
            graph.remove_node(o)


def _node(kind: str, row: dict) -> dict:
    attrs = {"kind": kind, "raw": str(row["id"]), "name": row.get("name") or str(row["id"]), "money": empty_money(),
             "facets": empty_facets(), "reported": 0}
    if kind == "cooperant":
        attrs.update(acronym=row.get("acronym") or None, iati_type=row.get("iati_type"),
                     iati_type_name=row.get("iati_type_name"), subtype=row.get("subtype"),
                     country=row.get("country") or None, bucket=i18n.bucket_of(row.get("iati_type")))
        attrs["facets"]["type"].add(int(row.get("iati_type") or 0))
    elif kind == "entity":
        acronyms = row.get("acronyms") or []
        attrs.update(acronym=acronyms[0] if acronyms else None, sector_id=row.get("sector_id"))
        if row.get("sector_id"):
            attrs["facets"]["sector"].add(row["sector_id"])
    elif kind == "network":
        attrs.update(acronym=row.get("acronym") or None, subtype=row.get("subtype"),
                     member_since=row.get("member_since"), membership_act=row.get("membership_act"),
                     membership_act_date=row.get("membership_act_date"))
    elif kind == "engagement":
        attrs.update(subtype=row.get("subtype"), start_date=row.get("start_date"), end_date=row.get("end_date"),
                     amount_cents=row.get("amount_cents"), currency=row.get("currency"), cop_cents=row.get("cop_cents"),
                     rate=row.get("rate"), rate_basis=row.get("rate_basis"), rate_date=row.get("rate_date"),
                     counted_in=row.get("counted_in"))
    elif kind == "sector":
        attrs.update(name_en=row.get("name_en"))
        attrs["facets"]["sector"].add(str(row["id"]))
    elif kind == "sdg":
        attrs.update(number=int(row["id"]), name_en=row.get("name_en"))
        attrs["facets"]["sdg"].add(int(row["id"]))
    elif kind == "pdd-objective":
        attrs.update(number=row.get("number"), name_en=row.get("name_en"))
    return attrs


def _facets(store, graph: nx.Graph, node) -> None:
    """Give nodes and contribution links the sectors, ODS, years and types behind them."""
    def put(facets: dict, sector, sdg, year, type_):
        if sector:
            facets["sector"].add(sector)
        if sdg is not None:
            facets["sdg"].add(int(sdg))
        if year is not None:
            facets["year"].add(int(year))
        if type_ is not None:
            facets["type"].add(int(type_))

    for row in _read(store, COMBOS):
        o, e = node("cooperant", row["cooperant"]), node("entity", row["entity"])
        g, p = node("sdg", row["sdg"]), node("pdd-objective", row["pdd"])
        s, n = node("sector", row["sector"]), node("network", row["network"])
        type_ = int(row["type"] or 0) if o is not None else None
        values = (row["sector"], row["sdg"], row["year"], type_)
        for member in (o, e, g, p, s, n):
            if member is not None:
                own = graph.nodes[member]["facets"]
                if member == o:  # a cooperant's own type is its only type
                    put(own, row["sector"], row["sdg"], row["year"], None)
                else:
                    put(own, *values)
        pairs = [(o, e), (o, g), (e, g), (o, p), (e, p)]
        if n is not None:
            pairs += [(o, n), (n, e)]
        for a, b in pairs:
            if a is not None and b is not None and graph.has_edge(a, b):
                put(graph.edges[a, b]["facets"], *values)

    for row in _read(store, ENGAGEMENT_YEARS):
        if (g := node("engagement", row["id"])) is not None:
            graph.nodes[g]["facets"]["year"].add(int(row["year"]))
    for g, attrs in graph.nodes(data=True):  # engagements without a source year: their start date's
        if attrs["kind"] == "engagement" and not attrs["facets"]["year"] and attrs.get("start_date"):
            start = str(attrs["start_date"])[:4]
            if start.isdecimal():
                attrs["facets"]["year"].add(int(start))
    for kind, cypher in REPORTED.items():
        for row in _read(store, cypher):
            if (n := node(kind, row["id"])) is not None and row["year"] is not None:
                graph.nodes[n]["facets"]["year"].add(int(row["year"]))
                graph.nodes[n]["reported"] += int(row["interactions"] or 0)

    # Engagements take the sectors and types of who took part; their participants and networks
    # take the engagements' years; networks take what they channel, their engagements' and their
    # cooperant side's facets; PDD objectives take the ODS they are aligned with.
    for g, attrs in list(graph.nodes(data=True)):
        if attrs["kind"] != "engagement":
            continue
        for other in graph.neighbors(g):
            o = graph.nodes[other]
            if o["kind"] == "entity" and o.get("sector_id"):
                attrs["facets"]["sector"].add(o["sector_id"])
            elif o["kind"] == "cooperant":
                attrs["facets"]["type"] |= o["facets"]["type"]
        for other in graph.neighbors(g):
            graph.nodes[other]["facets"]["year"] |= attrs["facets"]["year"]
    for n, attrs in graph.nodes(data=True):
        if attrs["kind"] == "network":
            for other in graph.neighbors(n):
                o = graph.nodes[other]
                if o["kind"] in ("engagement", "cooperant") and (
                        "under_network" in graph.edges[n, other]["relations"] or "same_as" in graph.edges[n, other]["relations"]):
                    for f in FACETS:
                        attrs["facets"][f] |= o["facets"][f]
        elif attrs["kind"] == "pdd-objective":
            for other in graph.neighbors(n):
                if graph.nodes[other]["kind"] == "sdg":
                    attrs["facets"]["sdg"].add(graph.nodes[other]["number"])
