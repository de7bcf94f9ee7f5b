"""What the maps' index (/maps) lists: the headline figures and the groups of ego maps, each with its ficha.

The figures are graph.summary's (the same functions `coopgraph summary` and /api/v1/summary answer
with); the city networks are split by what data/curated/networks.yaml records of each: a *section* of
another network (`SECTION_OF`), an *adhesion of 2025* (Bogotá joined, or signed the act, in 2025, after the
report's year) and the *memberships* Bogotá held in 2024 (the rest).
"""
from __future__ import annotations

from urllib.parse import quote

import networkx as nx

from coopgraph.viz import i18n
from coopgraph.viz.graphdata import size_cents

__all__ = ["headline", "index_groups", "network_group"]

LATER_YEAR = "2025"  # adhesions from this year on came after the 2024 report's period


def headline(store, lang: str) -> list[dict]:
    from coopgraph.analysis.summary import summary

    s = summary(store)
    every = s["all_cooperation"]
    return [
        {"key": "interactions", "label": i18n.t(lang, "index.fig_interactions"), "value": i18n.count(s["interactions"], lang)},
        {"key": "report_cop", "label": every["report_label"][lang], "value": i18n.cop(int(s["total_cop"] * 100))},
        {"key": "all_cop", "label": every["label"][lang], "value": i18n.cop(int(every["total_cop"] * 100))},
    ]


def network_group(graph: nx.Graph, n: str) -> str:
    """``section``, ``adhesion`` (2025) or ``membership``."""
    attrs = graph.nodes[n]
    if attrs.get("parent"):
        return "section"
    dates = [str(attrs.get(k) or "") for k in ("member_since", "membership_act_date")]
    if any(d[:4] >= LATER_YEAR for d in dates if d[:4].isdecimal()):
        return "adhesion"
    return "membership"


def _profile_href(profile_base: str | None, n: str, lang: str) -> str | None:
    if profile_base is None:
        return None
    kind, _, raw = n.partition(":")
    return f"{profile_base}/{kind}/{quote(raw)}?lang={lang}"


def _item(graph: nx.Graph, n: str, lang: str, profile_base: str | None, extra: str = "", money: bool = False) -> dict:
    a = graph.nodes[n]
    name = a.get("name_en") if lang == "en" and a.get("name_en") else a["name"]
    if a["kind"] == "sdg":
        name = f"{'ODS' if lang == 'es' else 'SDG'} {a['number']} · {name}"
    return {"id": n, "name": name, "extra": extra, "money": money, "profile": _profile_href(profile_base, n, lang)}


def index_groups(graph: nx.Graph, lang: str, profile_base: str | None) -> list[tuple[str, list[dict]]]:
    def of(kind):
        return [n for n, a in graph.nodes(data=True) if a["kind"] == kind]

    def ordered(nodes):
        return sorted(nodes, key=lambda n: (graph.nodes[n].get("number") or 0, graph.nodes[n]["name"]))

    def by_money(kind, limit):
        found = sorted((n for n in of(kind) if size_cents(graph.nodes[n]) > 0),
                       key=lambda n: (-size_cents(graph.nodes[n]), n))
        return [_item(graph, n, lang, profile_base, i18n.cop(size_cents(graph.nodes[n])), True) for n in found[:limit]]

    networks = {"membership": [], "section": [], "adhesion": []}
    for n in ordered(of("network")):
        a = graph.nodes[n]
        group = network_group(graph, n)
        extra = ""
        if group == "section":
            parent = graph.nodes[a["parent"]]
            extra = i18n.t(lang, "index.section_of", parent=parent.get("acronym") or parent["name"])
        else:
            parts = [i18n.t(lang, "index.since", date=a["member_since"])] if a.get("member_since") else []
            extra = " · ".join(parts + ([a["membership_act"]] if a.get("membership_act") else []))
        networks[group].append(_item(graph, n, lang, profile_base, extra))
    return [(i18n.t(lang, "index.memberships"), networks["membership"]),
            (i18n.t(lang, "index.sections"), networks["section"]),
            (i18n.t(lang, "index.adhesions"), networks["adhesion"]),
            (i18n.t(lang, "index.sdgs"), [_item(graph, n, lang, profile_base) for n in ordered(of("sdg"))]),
            (i18n.t(lang, "index.pdd"), [_item(graph, n, lang, profile_base) for n in ordered(of("pdd-objective"))]),
            (i18n.t(lang, "index.cooperants"), by_money("cooperant", 25)),
            (i18n.t(lang, "index.entities"), by_money("entity", 25))]
