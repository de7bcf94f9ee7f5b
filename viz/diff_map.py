"""The change map between two years: who worked with whom in each, and how much that moved.

    diff_map_html(store, 2023, 2024, lang="es")

Cooperants and district entities joined by a contribution in either year. A link is green when
it is new in the later year, red and dashed when it was lost, grey when it was kept. A node is
sized by how much its money changed (COP at each year's own rates, as `coopgraph diff` computes
it) and bordered green when it is a new partner, red when it left; its tooltip gives both years'
money and the change. The page is the maps' own (search, filters, details, offline).
"""
from __future__ import annotations

import math

import networkx as nx

from coopgraph.analysis.diff import year_diff
from coopgraph.money import format_cop
from coopgraph.viz import i18n
from coopgraph.viz.graphdata import empty_facets, empty_money, node_id, twins
from coopgraph.viz.maps import map_page
from coopgraph.viz.render import _filters, _sector_names, map_graph, search_data
from coopgraph.viz.views import View

__all__ = ["diff_map_html", "STATUS_COLOURS"]

STATUS_COLOURS = {"new": "#2e7d32", "lost": "#c62828", "kept": "#9e9e9e"}
PAIRS = ("MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity) WHERE c.year = $year "
         "RETURN DISTINCT o.id AS cooperant, e.id AS entity")
TEXT = {
    "es": {"title": "Cambios {a} → {b}", "subtitle": "Vínculos cooperante–entidad: verdes los nuevos en {b}, rojos "
                                                    "punteados los perdidos desde {a}, grises los que siguen. El tamaño "
                                                    "de cada nodo es cuánto cambió su dinero (COP, tasas de cada año).",
           "note": "{new} vínculos nuevos, {lost} perdidos, {kept} que siguen; {gained} cooperantes nuevos, "
                   "{left} que se fueron.",
           "status": {"new": "nuevo en {b}", "lost": "se fue después de {a}", "kept": "sigue"},
           "money": "Dinero {a}: {x} · {b}: {y} · cambio: {d}", "link": {"new": "Vínculo nuevo en {b}",
                                                                           "lost": "Vínculo perdido (estaba en {a})",
                                                                           "kept": "Vínculo que sigue"}},
    "en": {"title": "Changes {a} → {b}", "subtitle": "Cooperant–entity links: green are new in {b}, red dashed were "
                                                    "lost since {a}, grey were kept. Each node is sized by how much its "
                                                    "money changed (COP, each year's rates).",
           "note": "{new} new links, {lost} lost, {kept} kept; {gained} new cooperants, {left} that left.",
           "status": {"new": "new in {b}", "lost": "left after {a}", "kept": "kept"},
           "money": "Money {a}: {x} · {b}: {y} · change: {d}", "link": {"new": "New link in {b}",
                                                                         "lost": "Lost link (was there in {a})",
                                                                         "kept": "Kept link"}},
}


def _signed(value) -> str:
    return ("+" if value > 0 else "") + format_cop(value)


def diff_view(store, a: int, b: int, diff: dict) -> tuple[View, dict]:
    graph = map_graph(store)
    drawn = twins(graph)  # a cooperant that is also a network is drawn as the network
    pairs = {y: {(drawn.get(c, c), node_id("entity", r["entity"]))
                 for r in store.read(PAIRS, {"year": y}) for c in [node_id("cooperant", r["cooperant"])]}
             for y in (a, b)}
    view = nx.Graph()
    status = {}
    for pair in pairs[a] | pairs[b]:
        state = "kept" if pair in pairs[a] and pair in pairs[b] else ("new" if pair in pairs[b] else "lost")
        for n in pair:
            if n not in view and n in graph:
                view.add_node(n, **{k: (v.copy() if isinstance(v, (dict, set)) else v) for k, v in graph.nodes[n].items()})
        if all(n in view for n in pair):
            view.add_edge(*pair, relations={"funding"}, money=empty_money(), facets=empty_facets(), change=state)
            status[pair] = state
    shown = View(view="diff", graph=view, total_nodes=view.number_of_nodes(), total_edges=view.number_of_edges())
    return shown, status


def diff_map_html(store, from_year: int, to_year: int, *, lang: str = "es", base: str = "/maps",
                  diff: dict | None = None) -> str:
    """The change map of two years as one offline HTML page (see the module docstring)."""
    i18n.check_lang(lang)
    diff = diff or year_diff(store, from_year, to_year)
    a, b = diff["from_year"], diff["to_year"]
    shown, status = diff_view(store, a, b, diff)
    words = TEXT[lang]
    drawn = twins(map_graph(store))
    money = {}
    for kind, dimension in (("cooperant", "cooperant"), ("entity", "entity")):
        for r in diff["money"]["own_rates"][dimension]:
            n = node_id(kind, r["id"])
            money[drawn.get(n, n)] = r
    partner = {drawn.get(n, n): state for state in ("gained", "lost") for p in diff["partners"][state]
               for n in [node_id("cooperant", p["id"])]}
    top = max((abs(r["change_cop"]) for r in money.values()), default=0) or 1

    def decorate(net) -> None:
        for item in net.nodes:
            n = item["id"]
            change = money.get(n)
            size = round(8 + 34 * math.sqrt(abs(change["change_cop"]) / top), 1) if change else 8.0
            item["size"], item["sizes"] = size, {k: size for k in item["sizes"]}
            item["font"] = {"size": int(max(11, size * 0.7))}
            item["fonts"] = {k: item["font"]["size"] for k in item["fonts"]}
            lines = [item["name"]]
            state = {"gained": "new", "lost": "lost"}.get(partner.get(n, ""), None)
            if state:
                item["borderWidth"] = 4
                item["color"]["border"] = STATUS_COLOURS[state]
                lines.append(words["status"][state].format(a=a, b=b))
            if change:
                lines.append(words["money"].format(a=a, b=b, x=format_cop(change["from_cop"]), y=format_cop(change["to_cop"]),
                                                   d=_signed(change["change_cop"])))
            item["title"] = "\n".join(lines)
            item["change"] = {"status": state or "kept", "cop": str(change["change_cop"]) if change else "0"}
        for edge in net.edges:
            pair = (edge["from"], edge["to"]) if (edge["from"], edge["to"]) in status else (edge["to"], edge["from"])
            state = status[pair]
            edge.update(color={"color": STATUS_COLOURS[state], "highlight": "#222222", "hover": "#222222"},
                        dashes=[6, 4] if state == "lost" else False, width=2 if state != "kept" else 1,
                        change=state, relations=[f"change-{state}"])
            names = f"{shown.graph.nodes[edge['from']]['name']} — {shown.graph.nodes[edge['to']]['name']}"
            edge["title"] = f"{names}\n{words['link'][state].format(a=a, b=b)}"

    counts = {s: sum(1 for v in status.values() if v == s) for s in STATUS_COLOURS}
    notes = [words["note"].format(new=counts["new"], lost=counts["lost"], kept=counts["kept"],
                                  gained=diff["partners"]["counts"]["gained"], left=diff["partners"]["counts"]["lost"])]
    graph = map_graph(store)
    return map_page(shown, lang=lang, title=words["title"].format(a=a, b=b), subtitle=words["subtitle"].format(a=a, b=b),
                    notes=notes, filters=_filters(shown.graph, graph, lang), sector_names=_sector_names(graph, lang),
                    base=base, search=search_data(store, shown.graph), decorate=decorate)
