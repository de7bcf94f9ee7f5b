"""The maps' public entry points: one call per page, each returning a whole offline HTML string.

    render_map(store, "overview")                       # the whole cooperation network
    render_map(store, "ego", id="cooperant:bid", hops=2)
    render_map(store, "networks", lang="en")
    render_map(store, "flows")                          # the Sankey of money
    index_html("es", store=store)                       # links to every map under /maps
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import networkx as nx

from coopgraph.viz import i18n
from coopgraph.viz.errors import MapError, NodeNotFound
from coopgraph.viz.graphdata import read_graph
from coopgraph.viz.maps import map_page, reserve_data, unlinked_list
from coopgraph.viz.page import render_template
from coopgraph.viz.views import View, ego, networks, overview, resolve_id, trim

__all__ = ["VIEWS", "DEFAULT_MAX_NODES", "render_map", "index_html", "map_graph"]

VIEWS = ("overview", "ego", "networks", "flows")
DEFAULT_MAX_NODES = 2000
MAX_NODES_LIMIT = 20_000
_CACHE: OrderedDict = OrderedDict()  # (store, version) -> map graph; the API renders many pages per load
_CACHE_LOCK = threading.Lock()


def map_graph(store) -> nx.Graph:
    """The map graph of the store's current data (cached per store and data version; treat as read-only)."""
    key = (id(store), store.version())
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    graph = read_graph(store)
    with _CACHE_LOCK:
        _CACHE[key] = graph
        while len(_CACHE) > 4:
            _CACHE.popitem(last=False)
    return graph


def render_map(store, view: str, *, id: str | None = None, lang: str = "es", hops: int = 1,
               max_nodes: int = DEFAULT_MAX_NODES, max_edges: int | None = None, base: str = "/maps") -> str:
    """One map page as self-contained HTML (no network needed to open it).

    view: ``overview`` | ``ego`` (needs `id`, e.g. ``cooperant:bid``, ``entity:sdm``, ``network:c40``,
    ``sdg:13``, ``pdd-objective:4``; `hops` 1 or 2) | ``networks`` | ``flows`` (the Sankey).
    `max_nodes` caps the nodes drawn (the rest are grouped or left out, and the page says so);
    `max_edges` caps the links (default four per node allowed, at least 100; every node keeps its
    strongest link). `base` is where
    the API serves the maps, for the "open its relationship map" links of served pages.
    Raises `MapError` (bad view, language, hops or size) and `NodeNotFound` (unknown or ambiguous id).
    """
    i18n.check_lang(lang)
    if view not in VIEWS:
        raise MapError(f"unknown map {view!r}; choose one of {', '.join(VIEWS)}", view=view)
    if view == "flows":
        from coopgraph.viz.flows import flows_html

        return flows_html(store, lang=lang)
    if not isinstance(max_nodes, int) or not 1 <= max_nodes <= MAX_NODES_LIMIT:
        raise MapError(f"max_nodes must be between 1 and {MAX_NODES_LIMIT}, not {max_nodes!r}", max_nodes=max_nodes)
    if view == "ego" and hops not in (1, 2):
        raise MapError(f"hops must be 1 or 2, not {hops!r}", hops=hops)
    max_edges = max_edges if max_edges is not None else max(4 * max_nodes, 100)
    graph = map_graph(store)
    center = None
    unlinked: list[str] = []
    if view == "overview":  # cooperants with no link are listed beside the map, not drawn as a grid
        sliced = overview(graph)
        unlinked = [n for n, a in sliced.nodes(data=True) if a["kind"] == "cooperant" and sliced.degree(n) == 0]
        sliced = sliced.subgraph(set(sliced) - set(unlinked))
    elif view == "ego":
        center = _center(store, graph, id or "")
        found = ego_partners(store, graph, center)
        sliced = ego(graph, center, hops, include=set(found))
    else:
        sliced = networks(graph)
    shown = trim(view, sliced, max_nodes=max_nodes, max_edges=max_edges, center=center,
                 hops=hops if view == "ego" else 0, lang=lang)
    shown.isolated_cooperants += len(unlinked)
    if view == "ego":
        shown.partners = {n: p for n, p in found.items() if n in shown.graph}
    title, subtitle = _titles(shown, graph, lang)
    sector_names = _sector_names(graph, lang)
    reserve = None
    if view == "ego":  # the next ring, hidden until someone expands a node
        bigger = ego(graph, center, hops + 1, include=set(found))
        extra = set(bigger) - set(shown.graph)
        if extra:
            reserve = reserve_data(View("ego", bigger, center=center, hops=hops + 1), extra, set(shown.graph),
                                   lang, sector_names)
    return map_page(shown, lang=lang, title=title, subtitle=subtitle, notes=_notes(shown, lang),
                    filters=_filters(shown.graph, graph, lang), sector_names=sector_names, base=base,
                    search=search_data(store, shown.graph, [(n, graph.nodes[n]) for n in unlinked]),
                    unlinked=unlinked_list(graph, unlinked, lang, sector_names), reserve=reserve)


def ego_partners(store, graph: nx.Graph, center: str) -> dict:
    """The centre's partners as the read model defines them (graph.readmodel.partners: money, projects,
    events, fees, membership), by map id: an ego map draws them all, however far they are."""
    from coopgraph.graph.readmodel import partners, split_id
    from coopgraph.viz.graphdata import twins

    kind, raw = split_id(center)
    attrs = graph.nodes[center]
    if kind not in ("cooperant", "entity", "network"):
        return {}
    cooperant_ids = [attrs["cooperant_id"]] if attrs.get("cooperant_id") else ([raw] if kind == "cooperant" else [])
    merged = twins(graph)
    out = {}
    for p in partners(store, kind, raw, money={}, cooperant_ids=cooperant_ids):
        n = f"{p['kind']}:{p['id']}"
        n = merged.get(n, n)
        if n in graph and n != center:
            out[n] = p
    return out


def search_data(store, shown: nx.Graph, listed: list | None = None) -> dict:
    """What the page's search box needs: the shared rules and, per node drawn, its folded names
    (coopgraph.analysis.search, so a map finds what the API finds)."""
    from coopgraph.analysis.search import fold, rules_for_browser, search_index

    index = search_index(store)
    by_id = {e.map_id: e for e in index.entries}
    for e in index.entries:  # a network's cooperant side answers to the cooperant's id too
        if "cooperant" in e.roles and e.kind == "network":
            by_id.setdefault(f"cooperant:{e.key}", e)
    entries, words = [], set()
    for n, attrs in [*shown.nodes(data=True), *(listed or [])]:  # drawn, and listed beside the map
        e = by_id.get(n)
        if e is not None and e.map_id != n and e.map_id in shown:
            continue  # the network is drawn: its cooperant side answers through it
        terms = e.terms if e else [t for t in dict.fromkeys((fold(attrs.get("name")), fold(attrs.get("acronym")))) if t]
        entries.append([n, attrs["kind"], terms, e.weight if e else attrs["money"]["total_cents"],
                        len(e.name if e else attrs.get("name") or "")])
        words |= {w for t in terms for w in t.split()}
    return {**rules_for_browser(), "entries": entries, "idf": {w: index.idf[w] for w in sorted(words) if w in index.idf},
            "unknownIdf": index.unknown_idf}


def _center(store, graph, text: str) -> str:
    """The ego map's centre: an id (cooperant:bid), or a name as people type it (BID, Secretaría de Ambiente),
    found with the search everyone uses (coopgraph.analysis.search)."""
    try:
        return resolve_id(graph, text)
    except NodeNotFound:
        from coopgraph.analysis.search import search

        if ":" not in text:
            hit = next((h for h in search(store, text, limit=5) if h.map_id in graph), None)
            if hit:
                return hit.map_id
        raise


def _titles(view: View, graph: nx.Graph, lang: str) -> tuple[str, str]:
    if view.view == "ego":
        attrs = graph.nodes[view.center]
        name = attrs.get("name_en") if lang == "en" and attrs.get("name_en") else attrs["name"]
        if attrs["kind"] == "sdg":
            name = f"{'ODS' if lang == 'es' else 'SDG'} {attrs['number']} · {name}"
        hops = i18n.t(lang, "ego.hop1" if view.hops == 1 else "ego.hop2")
        return (i18n.t(lang, "ego.title", name=name),
                i18n.t(lang, "ego.subtitle", kind=i18n.kind_name(attrs["kind"], lang), hops=hops))
    return i18n.t(lang, f"{view.view}.title"), i18n.t(lang, f"{view.view}.subtitle")


def _notes(view: View, lang: str) -> list[str]:
    notes = []
    omitted = sum(view.omitted_nodes.values())
    if omitted:
        detail = "; ".join(f"{i18n.kind_name(kind, lang)}: {i18n.count(n, lang)}"
                           for kind, n in sorted(view.omitted_nodes.items(), key=lambda kv: -kv[1]))
        shown = view.graph.number_of_nodes() - view.aggregated
        notes.append(i18n.t(lang, "note.trimmed", shown=i18n.count(shown, lang), total=i18n.count(view.total_nodes, lang),
                            omitted=i18n.count(omitted, lang), detail=detail))
        if view.aggregated:
            notes.append(i18n.t(lang, "note.aggregated"))
    if view.omitted_edges:
        notes.append(i18n.t(lang, "note.edges_trimmed", shown=i18n.count(view.graph.number_of_edges(), lang),
                            total=i18n.count(view.total_edges, lang), omitted=i18n.count(view.omitted_edges, lang)))
    if view.view == "overview":
        notes.append(i18n.t(lang, "note.overview_sdg"))
        if view.isolated_cooperants:
            notes.append(i18n.t(lang, "note.isolated", n=i18n.count(view.isolated_cooperants, lang)))
    return notes


def _sector_names(graph: nx.Graph, lang: str) -> dict:
    out = {}
    for _, attrs in graph.nodes(data=True):
        if attrs["kind"] == "sector":
            out[attrs["raw"]] = attrs.get("name_en") if lang == "en" and attrs.get("name_en") else attrs["name"]
    return out


def _filters(shown: nx.Graph, graph: nx.Graph, lang: str) -> list:
    values = {f: set() for f in ("sector", "sdg", "year", "type")}
    for _, attrs in shown.nodes(data=True):
        for f in values:
            values[f] |= attrs["facets"][f]
    sectors = _sector_names(graph, lang)
    sdg_names = {a["number"]: (a.get("name_en") if lang == "en" and a.get("name_en") else a["name"])
                 for _, a in graph.nodes(data=True) if a["kind"] == "sdg"}
    type_names_es = {a.get("iati_type"): a.get("iati_type_name") for _, a in graph.nodes(data=True)
                     if a["kind"] == "cooperant" and a.get("iati_type")}
    sdg_word = "ODS" if lang == "es" else "SDG"
    return [
        ("sector", i18n.t(lang, "ui.sector"),
         sorted(((v, sectors.get(v, v)) for v in values["sector"]), key=lambda kv: kv[1])),
        ("sdg", i18n.t(lang, "ui.sdg"),
         [(v, f"{sdg_word} {v} · {sdg_names.get(v, '')}".rstrip(" ·")) for v in sorted(values["sdg"])]),
        ("year", i18n.t(lang, "ui.year"), [(v, str(v)) for v in sorted(values["year"], reverse=True)]),
        ("type", i18n.t(lang, "ui.type"),
         sorted(((v, i18n.iati_name(v, lang, type_names_es.get(v))) for v in values["type"]), key=lambda kv: kv[1])),
    ]


def index_html(lang: str = "es", *, store=None, base: str = "/maps", query_href: str | None = None,
               profile_base: str | None = None) -> str:
    """The index of every map, with links under `base` (``/maps/overview``, ``/maps/ego?id=…``…).

    With a `store`, it opens with the headline figures (interactions, the report's COP and all cooperation
    in COP, from graph.summary, the figures `coopgraph summary` and the API give) and lists ego maps of
    every city network (memberships, sections of networks and 2025 adhesions apart), ODS and PDD
    objective and of the cooperants and entities that move the most money; without one, a form asks for
    the id. `query_href` links the analysts' query page and `profile_base` each item's ficha (served pages
    only: a file has no server to ask).
    """
    from coopgraph.viz.index_data import headline, index_groups

    i18n.check_lang(lang)
    groups, figures = [], []
    if store is not None:
        figures = headline(store, lang)
        groups = index_groups(map_graph(store), lang, profile_base)
    from coopgraph.viz import assets

    return render_template("index.html", lang=lang, base=base.rstrip("/"), groups=groups, figures=figures,
                           text=lambda key, **kw: i18n.t(lang, key, **kw),
                           other_lang="en" if lang == "es" else "es", query_href=query_href,
                           own_css=assets.style("index.css"))
