"""Relationship maps: pyvis networks rendered into self-contained, offline HTML pages.

pyvis builds the vis-network nodes, edges and options; the page is our own template (pyvis's
pulls Bootstrap and tom-select from CDNs) with vis-network's script and style inlined from the
pyvis package, small inline controls (search, filters, legend, size) and the data as JSON.
"""
from __future__ import annotations

import json
import math

import networkx as nx
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from coopgraph.viz import assets, i18n
from coopgraph.viz.graphdata import FACETS, link_basis, size_cents
from coopgraph.viz.layout import grouped_positions, positions, spread
from coopgraph.viz.page import render_template
from coopgraph.viz.views import View

__all__ = ["COLOURS", "SHAPES", "map_page", "legend_key", "reserve_data", "unlinked_list"]

COLOURS = {
    "entity": "#1f77b4", "network": "#9467bd", "engagement": "#f5a25d", "sector": "#393b79",
    "sdg": "#d62728", "pdd-objective": "#e377c2",
    "coop-gov": "#2ca02c", "coop-local": "#7fd36b", "coop-public": "#bcbd22", "coop-multilateral": "#ff7f0e",
    "coop-ngo": "#17becf", "coop-foundation": "#6fc9d6", "coop-private": "#8c564b", "coop-academia": "#8fb3e0",
    "coop-other": "#b0b0b0",
}
SHAPES = {"entity": "square", "cooperant": "dot", "network": "hexagon", "engagement": "triangle",
          "sector": "diamond", "sdg": "star", "pdd-objective": "triangleDown", "group": "dot"}
MONEY_EDGE = "rgba(214,120,40,0.55)"
PLAIN_EDGE = "rgba(110,110,110,0.35)"
# A link's line says its basis: solid when the report states it, dashed when coopgraph derived it
# (each contribution's ODS, its PDD objective, a host city as participant…), dotted when it is
# knowledge from outside the report (an entity's sector).
DASHES = {"stated": False, "derived": [9, 6], "outside": [2, 5]}


def _dashes(basis: str, width: float):
    """The basis's dash pattern, stretched for wide links (round line caps fill short gaps)."""
    pattern = DASHES[basis]
    return [round(x * max(1.0, width / 2), 1) for x in pattern] if pattern else False
BIG = 800  # above this many links, edges hide while dragging or zooming


def legend_key(attrs: dict) -> str:
    return attrs["bucket"] if attrs["kind"] in ("cooperant", "group") else attrs["kind"]


def _short(text: str, limit: int = 32) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(attrs: dict, lang: str) -> str:
    kind = attrs["kind"]
    if kind == "sdg":
        return f"{'ODS' if lang == 'es' else 'SDG'} {attrs['number']}"
    if kind == "pdd-objective":
        return f"{'Objetivo PDD' if lang == 'es' else 'PDD objective'} {attrs.get('number') or attrs['raw']}"
    if kind == "sector":
        name = attrs.get("name_en") if lang == "en" and attrs.get("name_en") else attrs["name"]
        return _short(name[:1].upper() + name[1:].lower() if name.isupper() else name)
    if kind == "group":
        return _short(attrs["name"], 40)
    return attrs.get("acronym") or _short(attrs["name"])


def _full_name(attrs: dict, lang: str) -> str:
    if lang == "en" and attrs.get("name_en"):
        return attrs["name_en"]
    return attrs["name"]


def _money_lines(money: dict, lang: str) -> list[str]:
    lines = []
    if money["contributions"]:
        lines.append(f"{i18n.t(lang, 'tip.contributions')}: {i18n.count(money['contributions'], lang)}"
                     f" ({i18n.count(money['monetary'], lang)} {i18n.t(lang, 'tip.monetary')})")
        if money["interactions"] and money["interactions"] != money["contributions"]:
            lines.append(f"{i18n.t(lang, 'tip.interactions')}: {i18n.count(money['interactions'], lang)}")
    if money["total_cents"]:
        lines.append(f"{i18n.t(lang, 'tip.cooperant_cents')}: {i18n.cop(money['cooperant_cents'])}")
        lines.append(f"{i18n.t(lang, 'tip.counterpart_cents')}: {i18n.cop(money['counterpart_cents'])}")
        lines.append(f"{i18n.t(lang, 'tip.total_cents')}: {i18n.cop(money['total_cents'])}")
    if money["other_currency"]:
        lines.append(f"{i18n.t(lang, 'tip.other_currency')}: {i18n.count(money['other_currency'], lang)}")
        if money.get("converted_cents"):
            lines.append(f"{i18n.t(lang, 'tip.converted')}: {i18n.cop(money['converted_cents'])}")
            lines.append(f"{i18n.t(lang, 'tip.all_cooperation')}: {i18n.cop(money['total_cents'] + money['converted_cents'])}")
    return lines


def node_tooltip(attrs: dict, lang: str, sector_names: dict) -> str:
    kind = attrs["kind"]
    lines = [_full_name(attrs, lang)]
    if kind == "cooperant":
        lines.append(f"{i18n.t(lang, 'tip.type')}: {i18n.kind_name('cooperant', lang)} — "
                     f"{i18n.iati_name(attrs.get('iati_type'), lang, attrs.get('iati_type_name'))}")
        lines.append(f"{i18n.t(lang, 'tip.country')}: {i18n.country_name(attrs.get('country'), lang)}")
    elif kind == "group":
        lines.append(f"{i18n.t(lang, 'tip.type')}: {i18n.kind_name('group', lang)} — "
                     f"{i18n.t(lang, 'tip.members', n=i18n.count(attrs['members'], lang))}")
    elif kind == "engagement":
        lines.append(f"{i18n.t(lang, 'tip.type')}: {i18n.kind_name(kind, lang)} ({i18n.engagement_kind(attrs.get('subtype'), lang)})")
        dates = " – ".join(str(d) for d in (attrs.get("start_date"), attrs.get("end_date")) if d)
        if dates:
            lines.append(f"{i18n.t(lang, 'tip.dates')}: {dates}")
        if attrs.get("amount_cents"):
            lines.append(f"{i18n.t(lang, 'tip.amount')}: {i18n.amount(attrs['amount_cents'], attrs.get('currency'))}")
            if attrs.get("cop_cents") is not None:
                lines.append(i18n.t(lang, "tip.in_cop", cop=i18n.cop(attrs["cop_cents"]), rate=i18n.rate(attrs["rate"], lang),
                                    basis=i18n.t(lang, f"tip.basis.{attrs['rate_basis']}"), date=attrs["rate_date"]))
            if attrs.get("counted_in"):
                lines.append(i18n.t(lang, "tip.counted_in", other=attrs["counted_in"]))
    else:
        lines.append(f"{i18n.t(lang, 'tip.type')}: {i18n.kind_name(kind, lang)}")
    if kind == "entity" and attrs.get("sector_id"):
        lines.append(f"{i18n.t(lang, 'tip.sector')}: {sector_names.get(attrs['sector_id'], attrs['sector_id'])}")
    lines += _money_lines(attrs["money"], lang)
    if kind == "network" and attrs.get("stated"):
        for a in attrs["stated"]:
            value = i18n.t(lang, "tip.stated_in_cop", cop=i18n.cop(a["cop_cents"])) if a["cop_cents"] is not None else ""
            lines.append(f"{i18n.t(lang, 'tip.stated_amount')}: {i18n.amount(a['amount_cents'], a['currency'])}{value}")
        if attrs.get("all_cents") is not None:
            lines.append(f"{i18n.t(lang, 'tip.all_cooperation')}: {i18n.cop(attrs['all_cents'])}")
    if kind == "network" and attrs.get("cooperant_id"):
        lines.append(i18n.t(lang, "tip.also_cooperant", type=i18n.iati_name(attrs.get("iati_type"), lang,
                                                                           attrs.get("iati_type_name"))))
    if kind == "network" and attrs.get("as_cooperant"):
        lines.append(i18n.t(lang, "tip.as_cooperant"))
    if attrs.get("reported"):
        lines.append(f"{i18n.t(lang, 'tip.reported')}: {i18n.count(attrs['reported'], lang)}")
    return "\n".join(lines)


def center_link(graph: nx.Graph, center: str, n: str, lang: str, partner: dict | None = None) -> list[str]:
    """What joins `n` to the ego map's centre, for its tooltip and panel, before its own totals:
    the money of their link (BID → SCRD: the BID's contributions to SCRD), then how the read model
    says they work together (projects, events, fee, membership)."""
    c, o = graph.nodes[center], graph.nodes[n]
    lines = []
    if graph.has_edge(center, n):
        attrs = graph.edges[center, n]
        money = attrs["money"]
        giver, receiver = (c, o) if _gives(c, o) else (o, c)
        if money["total_cents"]:
            lines.append(i18n.t(lang, "tip.link_money", a=_label(giver, lang), b=_label(receiver, lang),
                                amount=i18n.cop(money["total_cents"])))
            lines.append(f"{i18n.t(lang, 'tip.cooperant_cents')}: {i18n.cop(money['cooperant_cents'])}")
            lines.append(f"{i18n.t(lang, 'tip.counterpart_cents')}: {i18n.cop(money['counterpart_cents'])}")
            lines.append(f"{i18n.t(lang, 'tip.contributions')}: {i18n.count(money['monetary'], lang)}")
        lines.append(", ".join(i18n.relation_name(r, lang) for r in sorted(attrs["relations"])))
    if partner:
        if partner["projects"]:
            lines.append(i18n.t(lang, "tip.shared_projects", n=i18n.count(partner["projects"], lang)))
        if partner["events"]:
            lines.append(i18n.t(lang, "tip.shared_events", n=i18n.count(partner["events"], lang)))
        for link in ("fee", "member"):
            if link in partner["links"]:
                lines.append(i18n.t(lang, f"tip.partner_{link}"))
    if not lines:
        return []
    return [i18n.t(lang, "tip.with_center", name=_label(c, lang)), *lines]


def _gives(a: dict, b: dict) -> bool:
    """Whether money goes from `a` to `b` on their link (a cooperant or network gives; an entity receives)."""
    order = {"cooperant": 0, "group": 0, "network": 1, "entity": 2}
    return order.get(a["kind"], 3) <= order.get(b["kind"], 3)


def edge_tooltip(graph: nx.Graph, a: str, b: str, attrs: dict, lang: str) -> str:
    names = f"{_label(graph.nodes[a], lang)} — {_label(graph.nodes[b], lang)}"
    relations = ", ".join(i18n.relation_name(r, lang) for r in sorted(attrs["relations"]))
    return "\n".join([names, relations, i18n.t(lang, f"basis.{link_basis(attrs)}"), *_money_lines(attrs["money"], lang)])


def _sizes(graph: nx.Graph) -> dict:
    """Two radii per node: by the money behind it and by its degree centrality."""
    top_money = max((size_cents(a) for _, a in graph.nodes(data=True)), default=0) or 1
    degree = dict(graph.degree())
    top_degree = max(degree.values(), default=0) or 1
    out = {}
    for n, attrs in graph.nodes(data=True):
        money = size_cents(attrs)
        by_money = 8 + 34 * math.sqrt(money / top_money) if money > 0 else 5 + min(6.0, 1.5 * math.sqrt(degree[n]))
        by_degree = 5 + 27 * math.sqrt(degree[n] / top_degree)
        out[n] = {"money": round(by_money, 1), "centrality": round(by_degree, 1)}
    return out


def _facets(facets: dict) -> dict:
    return {f: sorted(facets[f], key=str) for f in FACETS if facets[f]}


LABEL_ORDER = {"cooperant": 0, "entity": 0, "network": 0, "group": 0, "sector": 1, "sdg": 2, "pdd-objective": 2}  # then engagements
LABELLED_BY_MONEY = 25   # the nodes whose labels read at the overview's zoom: the most money…
LABELLED_BY_DEGREE = 15  # …and the most links
LABEL_EVERY_NODE_UP_TO = 60  # smaller maps are drawn close enough to read every label


def _important(graph: nx.Graph) -> set:
    money = sorted((n for n, a in graph.nodes(data=True) if size_cents(a) > 0 and a["kind"] != "group"),
                   key=lambda n: -size_cents(graph.nodes[n]))
    degree = sorted(graph.nodes, key=lambda n: -graph.degree(n))
    return set(money[:LABELLED_BY_MONEY]) | set(degree[:LABELLED_BY_DEGREE])


def _layout(view: View) -> dict:
    """The overview groups by sector (each sector with its entities and the cooperants that fund them; the city
    networks and their projects; the ODS and PDD objectives); the networks map by network; ego maps as they are."""
    graph = view.graph
    if view.view not in ("overview", "networks") or graph.number_of_nodes() <= LABEL_EVERY_NODE_UP_TO:
        return positions(graph)
    seeds = {}
    for n, a in graph.nodes(data=True):
        if view.view == "overview":
            if a["kind"] == "sector":
                seeds[n] = n
            elif a["kind"] == "entity" and a.get("sector_id") and f"sector:{a['sector_id']}" in graph:
                seeds[n] = f"sector:{a['sector_id']}"
            elif a["kind"] in ("sdg", "pdd-objective"):
                seeds[n] = "goals"
            elif a["kind"] == "network":
                seeds[n] = "networks"
        elif a["kind"] == "network":
            root, seen = n, set()
            while graph.nodes[root].get("parent") in graph and root not in seen:
                seen.add(root)
                root = graph.nodes[root]["parent"]
            seeds[n] = root
    return grouped_positions(graph, spread(graph, seeds, avoid={"goals"}))


def build_network(view: View, lang: str, sector_names: dict, size_by: str = "money", *, layout: bool = True) -> Network:
    """The pyvis network of a view: positions, colours, sizes, tooltips and facets on every item."""
    graph = view.graph
    xy = _layout(view) if layout else {n: (0.0, 0.0) for n in graph}
    sizes = _sizes(graph)
    important = _important(graph) if graph.number_of_nodes() > LABEL_EVERY_NODE_UP_TO else None
    degree = dict(graph.degree())
    rank = {n: i for i, n in enumerate(sorted(graph.nodes, key=lambda n: (  # whose label is placed first
        n != view.center, important is not None and n not in important, LABEL_ORDER.get(graph.nodes[n]["kind"], 3),
        *((-degree[n], -size_cents(graph.nodes[n])) if size_by == "centrality" else (-size_cents(graph.nodes[n]), -degree[n])),
        str(n))))}
    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line", heading="")
    for n in graph.nodes:  # pyvis's add_node checks a list per node; build Node items directly instead
        attrs = graph.nodes[n]
        key = legend_key(attrs)
        colour = COLOURS[key]
        size = sizes[n]
        tip = node_tooltip(attrs, lang, sector_names)
        link = center_link(graph, view.center, n, lang, view.partners.get(n)) if view.center and n != view.center else []
        if link:  # an ego map answers "what does it do with the centre" first, then its own totals
            name, _, rest = tip.partition("\n")
            tip = "\n".join([name, *link, "", i18n.t(lang, "tip.own_totals"), rest])
        item = Node(n, SHAPES[attrs["kind"]], label=_label(attrs, lang),
                    title=tip, link=link, x=xy[n][0], y=xy[n][1], size=size[size_by],
                    color={"background": colour, "border": "#333333" if n == view.center else colour,
                           "highlight": {"background": colour, "border": "#000000"},
                           "hover": {"background": colour, "border": "#000000"}},
                    font={"size": _font(size[size_by], n == view.center, None if important is None else n in important)}, physics=False,
                    borderWidth=4 if n == view.center else 1,
                    kind=attrs["kind"], kindName=i18n.kind_name(attrs["kind"], lang), legend=key, name=_full_name(attrs, lang), facets=_facets(attrs["facets"]),
                    sizes=size, fonts={m: _font(s, n == view.center, None if important is None else n in important) for m, s in size.items()},
                    roles=attrs.get("roles") or [attrs["kind"]],
                    hop=attrs.get("hop"), rank=rank[n], labelled=important is None or n in important or n == view.center)
        if attrs["kind"] == "group":
            item.options["shapeProperties"] = {"borderDashes": [4, 3]}
            item.options["borderWidth"] = 2
            item.options["color"]["border"] = "#555555"
        net.nodes.append(item.options)
        net.node_ids.append(n)
        net.node_map[n] = item.options
    top = max((a["money"]["total_cents"] for _, _, a in graph.edges(data=True)), default=0) or 1
    for index, (a, b, attrs) in enumerate(sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))):
        money = attrs["money"]["total_cents"]
        width = round(1 + 11 * math.sqrt(money / top), 2) if money > 0 else 1
        edge = Edge(a, b, directed=False, id=f"e{index}", title=edge_tooltip(graph, a, b, attrs, lang),
                    width=width,
                    color={"color": MONEY_EDGE if money > 0 else PLAIN_EDGE, "highlight": "#222222", "hover": "#222222"},
                    dashes=_dashes(link_basis(attrs), width), facets=_facets(attrs["facets"]),
                    relations=sorted(attrs["relations"]), legend=f"basis-{link_basis(attrs)}")
        net.edges.append(edge.options)
    big = graph.number_of_edges() > BIG
    net.options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "multiselect": False, "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1, "font": {"face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                                             "color": "#1b1b1b", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 5, "maxVisible": 17}}},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1},
    }
    return net


def _font(size: float, center: bool, important: bool | None = None) -> int:
    """On big maps, important nodes get labels that still read with the whole map in view and the rest
    appear on zooming in (`important` False); small maps (`important` None) label every node alike."""
    if important is None:
        return int(max(11, size * 0.75) + (6 if center else 0))
    if not important:
        return 10 + (6 if center else 0)
    return int(max(40, size * 1.2) + (6 if center else 0))


def reserve_data(bigger: View, extra: set, shown: set, lang: str, sector_names: dict) -> dict:
    """The nodes one ring further out, and their links, for "expand its neighbours" (hidden until asked)."""
    net = build_network(bigger, lang, sector_names, layout=False)
    nodes = [n for n in net.nodes if n["id"] in extra]
    edges = []
    for e in net.edges:
        ends = {e["from"], e["to"]}
        if ends & extra and ends <= (extra | shown):
            edges.append({**e, "id": "r" + e["id"]})
    return {"nodes": nodes, "edges": edges}


def unlinked_list(graph: nx.Graph, ids: list, lang: str, sector_names: dict) -> list[dict]:
    """Cooperants with no link, for the list beside the overview: most interactions reported first."""
    rows = [{"id": n, "name": _full_name(graph.nodes[n], lang), "reported": graph.nodes[n].get("reported", 0),
             "title": node_tooltip(graph.nodes[n], lang, sector_names), "kind": "cooperant",
             "kindName": i18n.kind_name("cooperant", lang)} for n in ids]
    return sorted(rows, key=lambda r: (-r["reported"], r["name"]))


def map_page(view: View, *, lang: str, title: str, subtitle: str, notes: list[str], filters: dict,
             sector_names: dict, base: str = "/maps", profile_base: str = "/profiles", search: dict | None = None,
             unlinked: list | None = None, reserve: dict | None = None, decorate=None) -> str:
    """`decorate(net)`, when given, may change the pyvis items before they are written (the prospect map does)."""
    size_by = "centrality" if view.view == "networks" else "money"  # networks move little money themselves
    net = build_network(view, lang, sector_names, size_by)
    if decorate is not None:
        decorate(net)
    nodes, edges, _, _, _, options = net.get_network_data()
    counts: dict = {}
    for item in nodes:
        counts[item["legend"]] = counts.get(item["legend"], 0) + 1
    legend = [{"key": key, "label": _legend_label(key, lang), "color": COLOURS[key], "count": counts[key],
               "shape": _legend_shape(key)} for key in COLOURS if key in counts]
    link_counts: dict = {}
    for item in edges:
        link_counts[item["legend"]] = link_counts.get(item["legend"], 0) + 1
    link_legend = [{"key": f"basis-{basis}", "label": i18n.t(lang, f"basis.{basis}"), "count": link_counts[f"basis-{basis}"],
                    "line": "solid" if not dashes else ("dashed" if basis == "derived" else "dotted")}
                   for basis, dashes in DASHES.items() if f"basis-{basis}" in link_counts]
    data = {"lang": lang, "nodes": nodes, "edges": edges, "options": json.loads(options), "center": view.center,
            "view": view.view, "base": base, "profileBase": profile_base, "search": search,
            "unlinked": unlinked or [], "reserve": reserve, "title": title, "hops": view.hops, "sizeBy": size_by, "text": {k.split(".", 1)[1]: v for k, v in i18n.TEXT[lang].items()
                                                      if k.startswith("ui.")}}
    return render_template(
        "map.html", lang=lang, size_by=size_by, title=title, subtitle=subtitle, notes=notes, filters=filters, legend=legend, link_legend=link_legend,
        text=lambda key, **kw: i18n.t(lang, key, **kw), node_count=len(nodes), edge_count=len(edges),
        unlinked=unlinked or [], count=lambda n: i18n.count(n, lang),
        data_json=assets.json_for_script(json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
        vis_css=assets.style("vis-network.css"), own_css=assets.style("map.css"),
        vis_js=assets.script("vis-network.min.js"), own_js=assets.script("map.js"))


def _legend_label(key: str, lang: str) -> str:
    return i18n.bucket_name(key, lang) if key.startswith("coop-") else i18n.kind_name(key, lang)


def _legend_shape(key: str) -> str:
    return "dot" if key.startswith("coop-") else SHAPES[key]
