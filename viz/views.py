"""What each map shows: slices of the map graph, trimmed to a size a browser draws at once.

* `overview` — the whole graph. Cooperants reach ODS and PDD objectives through the entities that
  receive their contributions (their direct links would add a line per cooperant × ODS).
* `ego` — one node and everything within one or two hops of it, all links included.
* `networks` — the city networks, their engagements, who took part, the cooperant each network
  also is, the entities that pay its fee, and what was channelled through it.

`trim` keeps at most ``max_nodes``: the centre of an ego map, then by closeness to it, then
sectors, ODS, PDD objectives and networks, then by money and degree. Left-out cooperants are
grouped by type into "Others" nodes that keep their links added up; every other left-out node is
dropped, and the returned `View` says how many of each kind went.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from coopgraph.viz import i18n
from coopgraph.viz.errors import MapError, NodeNotFound
from coopgraph.viz.graphdata import FACETS, MONEY_KEYS, empty_facets, empty_money, size_cents
from coopgraph.graph.model import model

__all__ = ["View", "overview", "ego", "networks", "trim", "resolve_id", "STRUCTURAL_KINDS", "ID_KINDS"]

STRUCTURAL_KINDS = ("sector", "sdg", "pdd-objective", "network")  # few, and they hold the picture together
ID_KINDS = model().kind_aliases(  # prefixes an ego id may carry -> map kind (words from graph/schema)
    ("cooperant", "entity", "network", "engagement", "sector", "sdg", "pdd-objective"))
NETWORK_RELATIONS = {"under_network", "took_part_in", "same_as", "section_of", "fee_paid_by", "channel", "member_of", "holds_role"}
DIRECT_ONLY = {"advances", "serves"}  # left out of the overview when they join a cooperant
MONEY_RELATIONS = {"funding", "advances", "serves", "channel", "aggregate"}


@dataclass
class View:
    view: str
    graph: nx.Graph
    center: str | None = None
    hops: int = 0
    total_nodes: int = 0
    total_edges: int = 0
    omitted_nodes: Counter = field(default_factory=Counter)  # kind -> how many left out
    omitted_edges: int = 0
    aggregated: int = 0  # "Others" nodes made
    isolated_cooperants: int = 0
    partners: dict = field(default_factory=dict)  # ego maps: map id -> the centre's partner (graph.readmodel.partners)


def overview(graph: nx.Graph) -> nx.Graph:
    """Every node; every link but a cooperant's direct ODS and PDD links (a read-only view)."""
    nodes = graph.nodes
    drop = {(a, b) for a, b, attrs in graph.edges(data=True)
            if attrs["relations"] <= DIRECT_ONLY and "cooperant" in (nodes[a]["kind"], nodes[b]["kind"])}
    return nx.subgraph_view(graph, filter_edge=lambda a, b: (a, b) not in drop and (b, a) not in drop)


def resolve_id(graph: nx.Graph, raw_id: str) -> str:
    """An ego id as users write it → the map node id.

    Accepts ``cooperant:bid``, ``entity:sdm``, ``network:c40``, ``sdg:13``, ``ods:13``, ``ods-13``,
    ``pdd-objective:4``, ``pdd:pdd-2024-obj-4``, or a bare store id when only one node has it.
    """
    text = (raw_id or "").strip()
    if not text:
        raise MapError("an ego map needs an id, e.g. cooperant:bid, entity:sdm, network:c40, sdg:13, pdd-objective:4")
    prefix, sep, rest = text.partition(":")
    kind = ID_KINDS.get(prefix.lower()) if sep else None
    candidates: list[str] = []
    if kind:
        candidates = _match(graph, kind, rest.strip())
    elif sep and prefix.lower() not in ID_KINDS:
        raise NodeNotFound(f"unknown kind {prefix!r} in id {text!r}; use one of "
                           "cooperant, entity, network, engagement, sector, sdg, pdd-objective", id=text)
    else:
        for k in ("cooperant", "entity", "network", "engagement", "sector", "sdg", "pdd-objective"):
            candidates += _match(graph, k, text)
    if not candidates:
        raise NodeNotFound(f"no organisation, network, ODS or PDD objective has the id {text!r}", id=text)
    if len(candidates) > 1:
        raise NodeNotFound(f"the id {text!r} names several nodes: {', '.join(candidates)}; add the kind",
                           id=text, candidates=candidates)
    return candidates[0]


def _match(graph: nx.Graph, kind: str, raw: str) -> list[str]:
    if f"{kind}:{raw}" in graph:
        return [f"{kind}:{raw}"]
    if kind == "cooperant":  # a cooperant that is also a network is drawn as the network
        return sorted(n for n, a in graph.nodes(data=True) if a["kind"] == "network" and a.get("cooperant_id") == raw)
    if kind == "sdg":
        number = raw.lower().removeprefix("ods-").removeprefix("ods").removeprefix("sdg").strip(" -")
        return [f"sdg:{int(number)}"] if number.isdecimal() and f"sdg:{int(number)}" in graph else []
    if kind == "pdd-objective" and raw.isdecimal():
        return sorted(n for n, a in graph.nodes(data=True) if a["kind"] == kind and str(a.get("number")) == raw)
    return []


def ego(graph: nx.Graph, center: str, hops: int, include: set | frozenset = frozenset()) -> nx.Graph:
    """The centre, what lies within `hops` of it, and `include` (its partners, however far: the entities in
    a network's projects are two steps away, through the project), with every link among them."""
    if hops not in (1, 2, 3):  # 3: the hidden ring a two-hop map can expand into
        raise MapError(f"hops must be 1 or 2, not {hops!r}", hops=hops)
    distance = nx.single_source_shortest_path_length(graph, center, cutoff=hops)
    extra = [n for n in include if n in graph and n not in distance]
    if extra:
        further = nx.single_source_shortest_path_length(graph, center, cutoff=hops + 3)
        distance.update({n: further.get(n, hops + 1) for n in extra})
    view = graph.subgraph(distance).copy()
    for n, d in distance.items():
        view.nodes[n]["hop"] = d
    return view


def networks(graph: nx.Graph) -> nx.Graph:
    keep = set()
    for n, attrs in graph.nodes(data=True):
        if attrs["kind"] != "network":
            continue
        keep.add(n)
        for other in graph.neighbors(n):
            if graph.edges[n, other]["relations"] & NETWORK_RELATIONS:
                keep.add(other)
                if graph.nodes[other]["kind"] == "engagement":  # who took part
                    keep |= {p for p in graph.neighbors(other)
                             if "took_part_in" in graph.edges[other, p]["relations"]}
    view = nx.Graph()
    view.add_nodes_from((n, graph.nodes[n]) for n in sorted(keep, key=str))
    for a, b, attrs in graph.subgraph(keep).edges(data=True):
        if attrs["relations"] & NETWORK_RELATIONS:
            view.add_edge(a, b, **attrs)
    return view


def _score(graph: nx.Graph, n: str, degree: dict) -> tuple:
    attrs = graph.nodes[n]
    priority = 0
    if "hop" in attrs:
        priority = -attrs["hop"] * 10
    if attrs["kind"] in STRUCTURAL_KINDS:
        priority += 1
    return (priority, size_cents(attrs), degree[n], attrs.get("reported", 0), str(n))


def trim(name: str, graph: nx.Graph, *, max_nodes: int, max_edges: int, center: str | None = None,
         hops: int = 0, lang: str = "es") -> View:
    """Keep at most `max_nodes` nodes and `max_edges` links (see the module docstring)."""
    if max_nodes < 1:
        raise MapError(f"max_nodes must be at least 1, not {max_nodes}", max_nodes=max_nodes)
    degree = dict(graph.degree())
    view = View(view=name, graph=graph, center=center, hops=hops, total_nodes=graph.number_of_nodes(),
                total_edges=sum(degree.values()) // 2)
    view.isolated_cooperants = sum(1 for n, a in graph.nodes(data=True) if a["kind"] == "cooperant" and degree[n] == 0)
    if graph.number_of_nodes() > max_nodes:
        ranked = sorted(graph.nodes, key=lambda n: _score(graph, n, degree), reverse=True)
        if center is not None:
            ranked.remove(center)
            ranked.insert(0, center)
        room = max_nodes
        while room > 1:  # leave room for the "Others" nodes the left-out cooperants need
            groups = len({graph.nodes[n]["bucket"] for n in ranked[room:] if graph.nodes[n]["kind"] == "cooperant"})
            if room + groups <= max_nodes:
                break
            room = max(1, max_nodes - groups)
        kept, left = ranked[:room], ranked[room:]
        view.graph = _aggregate(graph, kept, left, lang)
        view.aggregated = view.graph.number_of_nodes() - len(kept)
        view.omitted_nodes = Counter(graph.nodes[n]["kind"] for n in left)
        view.omitted_edges = view.total_edges - graph.subgraph(kept).number_of_edges()
    if view.graph.number_of_edges() > max_edges:
        keep = _strongest_edges(view.graph, max_edges)
        drop = [(a, b) for a, b in view.graph.edges() if (a, b) not in keep and (b, a) not in keep]
        view.graph = view.graph.copy()
        view.graph.remove_edges_from(drop)
        view.omitted_edges += len(drop)
    return view


def _edge_rank(attrs: dict) -> tuple:
    structural = not (attrs["relations"] <= MONEY_RELATIONS)
    return (structural, attrs["money"]["total_cents"], attrs["money"]["contributions"])


def _strongest_edges(graph: nx.Graph, max_edges: int) -> set:
    """Structure first (sector, network, engagement links), then money; every node keeps its strongest link."""
    ranked = sorted(graph.edges(data=True), key=lambda e: (_edge_rank(e[2]), str(e[0]), str(e[1])), reverse=True)
    keep: set = set()
    covered: set = set()
    for a, b, _ in ranked:  # first, the strongest link of every node (a node never loses all its links)
        if a not in covered or b not in covered:
            keep.add((a, b))
            covered.update((a, b))
    for a, b, _ in ranked:
        if len(keep) >= max(max_edges, 0):
            break
        keep.add((a, b))
    return keep


def _aggregate(graph: nx.Graph, kept: list, left: list, lang: str) -> nx.Graph:
    out = graph.subgraph(kept).copy()
    groups: dict[str, list] = {}
    for n in left:
        if graph.nodes[n]["kind"] == "cooperant":
            groups.setdefault(graph.nodes[n]["bucket"], []).append(n)
    kept_set = set(kept)
    for bucket, members in sorted(groups.items()):
        g = f"group:{bucket}"
        money, facets = empty_money(), empty_facets()
        for m in members:
            for key in MONEY_KEYS:
                money[key] += graph.nodes[m]["money"][key]
            for f in FACETS:
                facets[f] |= graph.nodes[m]["facets"][f]
        name = f"{i18n.bucket_name(bucket, lang)} · {i18n.t(lang, 'ui.others', n=i18n.count(len(members), lang))}"
        out.add_node(g, kind="group", raw=bucket, name=name, bucket=bucket, money=money, facets=facets,
                     members=len(members), reported=sum(graph.nodes[m].get("reported", 0) for m in members))
        for m in members:
            for other in graph.neighbors(m):
                if other not in kept_set:
                    continue
                attrs = graph.edges[m, other]
                if not out.has_edge(g, other):
                    out.add_edge(g, other, relations=set(), money=empty_money(), facets=empty_facets(), members=0,
                                 bases=set())
                edge = out.edges[g, other]
                edge["relations"] |= attrs["relations"]
                edge["bases"] |= attrs.get("bases", set())
                edge["members"] += 1
                for key in MONEY_KEYS:
                    edge["money"][key] += attrs["money"][key]
                for f in FACETS:
                    edge["facets"][f] |= attrs["facets"][f]
    return out

