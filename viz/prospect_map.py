"""The prospect map: a target at the centre, who works with it, and who could (dashed, sized by score).

    prospect_map_html(store, "entity:sda", top=10, lang="es")

Rings around the target: the common neighbours that justify the prospects (engagements, networks,
ODS, objectives, peer entities) close in; the prospects outside on the right, dashed, sized by their
score, their tooltip listing the evidence with its sources; the cooperants already engaged with the
target on the left, solid. A dashed line joins each prospect to the target. The page is the maps'
own (search, filters, legend, details, offline) — see `coopgraph.viz.maps`.
"""
from __future__ import annotations

import math

import networkx as nx

from coopgraph.analysis.prospects import prospects
from coopgraph.viz import i18n
from coopgraph.viz.errors import MapError
from coopgraph.viz.graphdata import empty_facets, empty_money
from coopgraph.viz.maps import map_page
from coopgraph.viz.render import _filters, _sector_names, map_graph, search_data
from coopgraph.viz.views import View, resolve_id

__all__ = ["prospect_map_html", "prospect_view", "SUGGESTED_EDGE"]

SUGGESTED_EDGE = "rgba(46,125,50,0.9)"  # the dashed target – prospect line
PARTNERS_SHOWN = 15                      # engaged cooperants drawn, largest money first
RADIUS = {"via": 260.0, "outer": 560.0}
TEXT = {
    "es": {"title": "Prospectos para {name}", "subtitle": "A quién acercarse y por qué: cooperantes aún no vinculados "
                                                          "(línea punteada, tamaño según el puntaje), lo que los une al "
                                                          "objetivo y quienes ya trabajan con él.",
           "score": "Prospecto n.º {rank} · puntaje {score}", "why": "Por qué:", "source": "Fuente",
           "suggested": "Sugerido: {name} → {target} (puntaje {score})",
           "note": "Prospectos: {shown} de {total} con evidencia. Cooperantes ya vinculados: {engaged} (dibujados: "
                   "{partners}).",
           "none": "Ningún cooperante sin vínculo tiene evidencia para este objetivo."},
    "en": {"title": "Prospects for {name}", "subtitle": "Who to approach and why: cooperants not yet engaged (dashed, "
                                                        "sized by score), what links them to the target and who "
                                                        "already works with it.",
           "score": "Prospect #{rank} · score {score}", "why": "Why:", "source": "Source",
           "suggested": "Suggested: {name} → {target} (score {score})",
           "note": "Prospects: {shown} of {total} with evidence. Cooperants already engaged: {engaged} (drawn: "
                   "{partners}).",
           "none": "No cooperant without a link has evidence for this target."},
}


REVERSE_TEXT = {  # a cooperant's prospect map: the entities it could work with next
    "es": {"subtitle": "Con quién más podría trabajar: entidades distritales que aún no trabajan con este cooperante "
                       "(línea punteada, tamaño según el puntaje), lo que comparten con él y las entidades que ya apoya.",
           "note": "Prospectos: {shown} de {total} con evidencia. Entidades que ya trabajan con él: {engaged} "
                   "(dibujadas: {partners}).",
           "none": "Ninguna entidad sin vínculo comparte un vecino con este cooperante."},
    "en": {"subtitle": "Who else it could work with: district entities that do not yet work with this cooperant (dashed, "
                       "sized by score), what they share with it and the entities it already supports.",
           "note": "Prospects: {shown} of {total} with evidence. Entities already working with it: {engaged} "
                   "(drawn: {partners}).",
           "none": "No entity without a link shares a neighbour with this cooperant."},
}


def _plain_edge(relation: str) -> dict:
    return {"relations": {relation}, "money": empty_money(), "facets": empty_facets()}


def _copy_node(graph: nx.Graph, view: nx.Graph, n: str) -> None:
    if n not in view:
        view.add_node(n, **{k: (v.copy() if isinstance(v, (dict, set)) else v) for k, v in graph.nodes[n].items()})


def _link(graph: nx.Graph, view: nx.Graph, a: str, b: str, fallback: str, title: str | None = None) -> None:
    if view.has_edge(a, b):
        return
    attrs = dict(graph.edges[a, b]) if graph.has_edge(a, b) else _plain_edge(fallback)
    view.add_edge(a, b, **attrs, prospect_title=title)


def _ring(nodes: list[str], radius: float, start: float, end: float) -> dict:
    """Evenly spaced on an arc from `start` to `end` degrees (0 = right, clockwise as the screen's y grows)."""
    if not nodes:
        return {}
    step = (end - start) / max(len(nodes), 1)
    return {n: (radius * math.cos(math.radians(start + step * (i + 0.5))),
                radius * math.sin(math.radians(start + step * (i + 0.5)))) for i, n in enumerate(nodes)}


def prospect_view(store, target: str, *, top: int = 10, lang: str = "es") -> tuple[View, dict, dict]:
    """The map's graph, the prospects' answer and the positions (x, y) of every node."""
    result = prospects(store, target, top=top, lang=lang)
    graph = map_graph(store)
    try:
        center = resolve_id(graph, result["target"]["id"])
    except MapError:
        raise MapError(f"the target {result['target']['id']!r} cannot be drawn on a map "
                       "(maps draw entities, sectors, ODS, PDD objectives and networks)") from None
    view = nx.Graph()
    _copy_node(graph, view, center)
    via_of: dict[str, list[str]] = {}
    drawn_as = {}  # prospect id -> map node (a cooperant that is also a network is drawn as the network)
    for p in result["prospects"]:
        try:
            pid = drawn_as[p["id"]] = resolve_id(graph, p["id"])
        except MapError:
            continue
        _copy_node(graph, view, pid)
        view.nodes[pid].update(prospect=p)
        for e in p["evidence"]:
            if e["kind"] != "shared_neighbour":
                continue
            try:
                via = resolve_id(graph, e["via"])
            except MapError:
                continue  # a node the maps do not draw (a PDD program)
            if via == center:
                continue
            _copy_node(graph, view, via)
            member = resolve_id(graph, e["member"]) if e["member"] else center
            _copy_node(graph, view, member)
            _link(graph, view, via, pid, "aggregate", e["text"])
            _link(graph, view, member, via, "aggregate")
            if member != center:
                _link(graph, view, center, member, "belongs_to")
            via_of.setdefault(via, []).append(pid)
        view.add_edge(center, pid, relations={"aggregate"}, money=empty_money(), facets=empty_facets(),
                      suggested=True, prospect_title=TEXT[lang]["suggested"].format(
                          name=p["name"], target=result["target"]["name"], score=_score(p["score"], lang)))
    partner_kind = "entity" if result["target"]["kind"] == "cooperant" else "cooperant"  # who already works with it
    partners = sorted((n for n in graph[center] if graph.nodes[n]["kind"] == partner_kind and n not in view),
                      key=lambda n: (-graph.nodes[n]["money"]["total_cents"], n))[:PARTNERS_SHOWN]
    for n in partners:
        _copy_node(graph, view, n)
        _link(graph, view, center, n, "funding")

    # positions: prospects on the right arc in rank order, partners on the left, vias at their prospects' mean angle
    ranked = [drawn_as[p["id"]] for p in result["prospects"] if p["id"] in drawn_as]
    xy = {center: (0.0, 0.0)}
    if partners:  # prospects on the right, partners on the left
        xy.update(_ring(ranked, RADIUS["outer"], -80, 80))
        xy.update(_ring(partners, RADIUS["outer"], 105, 255))
    else:  # prospects all around
        xy.update(_ring(ranked, RADIUS["outer"], -180, 180))
    vias = [n for n in view if n not in xy]
    angle = {}
    for n in vias:
        linked = [math.atan2(xy[p][1], xy[p][0]) for p in via_of.get(n, []) if p in xy]
        angle[n] = sum(linked) / len(linked) if linked else math.pi
    vias.sort(key=lambda n: (angle[n], n))
    span = (-100, 100) if partners else (-180, 180)
    xy.update(_ring(vias, RADIUS["via"], *span) if len(vias) > 1 else {n: (RADIUS["via"], 0.0) for n in vias})
    shown = View(view="prospects", graph=view, center=center, total_nodes=view.number_of_nodes(),
                 total_edges=view.number_of_edges())
    return shown, result, xy


def _score(score: float, lang: str) -> str:
    text = f"{score:.3f}"
    return text.replace(".", ",") if lang == "es" else text


def _prospect_tip(p: dict, lang: str) -> str:
    words = TEXT[lang]
    money = p["money"]
    lines = [p["name"], words["score"].format(rank=p["rank"], score=_score(p["score"], lang))]
    kind = (i18n.iati_name(p["iati_type"], lang, p.get("iati_type_name")) if p.get("iati_type")
            else i18n.value_name("Cooperant", "kind", p.get("kind"), lang))
    if kind:
        lines.append(f"{i18n.t(lang, 'tip.type')}: {kind}")
    if money["total_cents"]:
        lines.append(f"{i18n.t(lang, 'tip.total_cents')}: {i18n.cop(money['total_cents'])}")
    lines.append(words["why"])
    for e in p["evidence"][:4]:
        sources = sorted({f"{f['source']} ({f['locator']})" for f in e["facts"] if f.get("source")})
        lines.append(f"• {e['text']}")
        if sources:
            lines.append(f"  {words['source']}: {'; '.join(sources[:2])}")
    return "\n".join(lines)


def prospect_map_html(store, target: str, *, top: int = 10, lang: str = "es", base: str = "/maps") -> str:
    """The prospect map of `target` as one offline HTML page (see the module docstring)."""
    i18n.check_lang(lang)
    shown, result, xy = prospect_view(store, target, top=top, lang=lang)
    graph = map_graph(store)
    top_score = max((p["score"] for p in result["prospects"]), default=0) or 1

    def decorate(net) -> None:
        for item in net.nodes:
            n = item["id"]
            item["x"], item["y"] = round(xy[n][0], 1), round(xy[n][1], 1)
            p = shown.graph.nodes[n].get("prospect")
            if n == shown.center or p is None:  # the target and the links between: big enough to read
                size = 34.0 if n == shown.center else max(item["size"], 14.0)
                font = 20 if n == shown.center else max(item["font"]["size"], 13)
                item["size"], item["sizes"] = size, {k: size for k in item["sizes"]}
                item["font"], item["fonts"] = {"size": font}, {k: font for k in item["fonts"]}
                continue
            size = round(12 + 30 * math.sqrt(p["score"] / top_score), 1)
            item["size"] = size
            item["sizes"] = {k: size for k in item["sizes"]}
            item["font"] = {"size": int(max(12, size * 0.7))}
            item["fonts"] = {k: item["font"]["size"] for k in item["fonts"]}
            item["shapeProperties"] = {"borderDashes": [6, 4]}
            item["borderWidth"] = 3
            item["color"]["border"] = SUGGESTED_EDGE
            item["title"] = _prospect_tip(p, lang)
            item["prospect"] = {"rank": p["rank"], "score": p["score"]}
        for edge in net.edges:
            attrs = shown.graph.edges[edge["from"], edge["to"]]
            if attrs.get("prospect_title"):
                edge["title"] = attrs["prospect_title"]
            if attrs.get("suggested"):
                edge.update(dashes=[8, 6], width=2, color={"color": SUGGESTED_EDGE, "highlight": "#1b5e20",
                                                           "hover": "#1b5e20"}, relations=["suggested"])

    reverse = result["target"]["kind"] == "cooperant"  # entities for a cooperant
    words = {**TEXT[lang], **(REVERSE_TEXT[lang] if reverse else {})}
    partner_kind = "entity" if reverse else "cooperant"
    notes = [words["note"].format(shown=len(result["prospects"]), total=result["with_evidence"],
                                  engaged=result["engaged"],
                                  partners=sum(1 for n in shown.graph if shown.graph.nodes[n]["kind"] == partner_kind
                                               and "prospect" not in shown.graph.nodes[n] and n != shown.center))]
    if not result["prospects"]:
        notes.append(words["none"])
    name = result["target"]["name"]
    kind, _, raw = result["target"]["id"].partition(":")
    if kind in ("sdg", "pdd-objective"):
        name = f"{i18n.kind_name(kind, lang)} {raw} · {name}"
    return map_page(shown, lang=lang, title=words["title"].format(name=name),
                    subtitle=words["subtitle"], notes=notes, filters=_filters(shown.graph, graph, lang),
                    sector_names=_sector_names(graph, lang), base=base, search=search_data(store, shown.graph),
                    decorate=decorate)
