"""The flow chart: a Sankey of the monetary contributions' money, as a self-contained plotly page.

Columns: where the money comes from (the cooperant's IATI organisation type, or its country) →
the sector → the ODS or the PDD objective it serves. Money is the cooperants' contribution or the
total value (contribution + district counterpart), COP only, exact in centavos until plotly draws it.
A contribution linked to several ODS (or objectives) splits its money in equal parts, to the
centavo, so every column adds up to the same total; one without a sector, ODS or objective flows
to a "Sin …" node. Columns keep their `TOP` largest nodes and group the rest as "Otros".

The page inlines plotly.js from the `plotly` package and switches between the eight variants
(source × target × money) with small inline controls; it never loads anything.
"""
from __future__ import annotations

import json
from collections import defaultdict

from coopgraph.viz import assets, i18n
from coopgraph.viz.page import render_template

__all__ = ["TOP", "SDG_COLOURS", "flow_rows", "sankey_variants", "flows_html"]

TOP = 20
SDG_COLOURS = ["#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
               "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A"]
TIMEOUT_S = 600.0

ROWS = """
MATCH (c:Contribution) WHERE c.monetary AND c.currency = 'COP'
OPTIONAL MATCH (o:Cooperant)-[:PROVIDED]->(c)
OPTIONAL MATCH (e:DistrictEntity)-[:RECEIVED]->(c)
OPTIONAL MATCH (c)-[:IN_SECTOR]->(s:Sector)
OPTIONAL MATCH (c)-[:ADVANCES]->(g:SDG)
OPTIONAL MATCH (c)-[:SERVES]->(p:PDDObjective)
RETURN c.id AS id, c.cooperant_cents AS cooperant_cents, c.total_cents AS total_cents,
       o.id AS cooperant, o.iati_type AS iati_type, o.iati_type_name AS iati_type_name, o.country AS country,
       coalesce(s.id, c.sector_id, e.sector_id) AS sector, g.number AS sdg, p.id AS pdd
"""
OTHER_CURRENCY = "MATCH (c:Contribution) WHERE c.monetary AND c.currency <> 'COP' RETURN count(c) AS n"
NAMES = {
    "sector": "MATCH (s:Sector) RETURN s.id AS id, s.name AS name, s.name_en AS name_en",
    "sdg": "MATCH (s:SDG) RETURN s.number AS id, s.name AS name, s.name_en AS name_en",
    "pdd": "MATCH (p:PDDObjective) RETURN p.id AS id, p.number AS number, p.name AS name, p.name_en AS name_en",
}


def flow_rows(store) -> dict:
    """One record per monetary COP contribution: money, source type and country, sector, ODS and objectives."""
    contributions: dict[str, dict] = {}
    for row in store.read(ROWS, {}, timeout_s=TIMEOUT_S):
        c = contributions.setdefault(row["id"], {
            "cooperant_cents": int(row["cooperant_cents"] or 0), "total_cents": int(row["total_cents"] or 0),
            "cooperant": row["cooperant"], "iati_type": row["iati_type"], "iati_type_name": row["iati_type_name"],
            "country": row["country"] or None, "sector": row["sector"], "sdg": set(), "pdd": set()})
        if row["sdg"] is not None:
            c["sdg"].add(int(row["sdg"]))
        if row["pdd"] is not None:
            c["pdd"].add(row["pdd"])
    from coopgraph.graph.readmodel import cooperant_group, read_model

    model = read_model(store)
    for c in contributions.values():
        c["group"] = cooperant_group(model, c["cooperant"], c["iati_type"]) if c["cooperant"] else None
    names = {kind: {r["id"]: r for r in store.read(q, {}, timeout_s=TIMEOUT_S)} for kind, q in NAMES.items()}
    other = store.read(OTHER_CURRENCY, {}, timeout_s=TIMEOUT_S)
    return {"contributions": [contributions[k] for k in sorted(contributions)], "names": names,
            "other_currency": int(other[0]["n"]) if other else 0}


def _split(amount: int, parts: int) -> list[int]:
    """Equal parts to the centavo: the remainder goes one centavo at a time to the first parts."""
    base, rest = divmod(amount, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _name(record: dict | None, lang: str, fallback: str) -> str:
    if not record:
        return fallback
    if lang == "en" and record.get("name_en"):
        return record["name_en"]
    return record.get("name") or fallback


def sankey_variants(data: dict, lang: str) -> dict:
    """Every variant ``"{type|country}-{sdg|pdd}-{cooperant|total}"`` as a plotly Sankey trace and its totals."""
    from plotly import graph_objects as go

    names = data["names"]
    variants = {}
    for source in ("type", "country"):
        for target in ("sdg", "pdd"):
            for money in ("cooperant", "total"):
                flows: dict[tuple, int] = defaultdict(int)
                total = 0
                counted = len(data["contributions"])  # every COP contribution counts, even one with no money on this side
                for c in data["contributions"]:
                    amount = c[f"{money}_cents"]
                    if amount <= 0:
                        continue
                    total += amount
                    left = _source(c, source, lang)
                    middle = ("sector", c["sector"] or "", _name(names["sector"].get(c["sector"]), lang,
                                                                 i18n.t(lang, "ui.no_sector")))
                    ends = sorted(c[target]) or [None]
                    flows[(left, middle)] += amount
                    for end, share in zip(ends, _split(amount, len(ends))):
                        flows[(middle, _target(end, target, names, lang))] += share
                trace, node_count = _trace(flows, lang)
                variants[f"{source}-{target}-{money}"] = {
                    "trace": go.Sankey(**trace).to_plotly_json(), "total_cents": total, "contributions": counted,
                    "total": i18n.cop(total), "nodes": node_count, "links": len(trace["link"]["value"])}
    return variants


def _source(c: dict, source: str, lang: str) -> tuple:
    if source == "type":
        if not c["cooperant"]:
            return ("source", "none", i18n.t(lang, "ui.no_cooperant"), "coop-other")
        if c.get("group") == "network":  # a city network is one, as on the maps (coopgraph.graph.readmodel)
            return ("source", "network", i18n.kind_name("network", lang), "network")
        code = c["iati_type"] or 0
        return ("source", str(code), i18n.iati_name(code, lang, c["iati_type_name"]), i18n.bucket_of(code))
    if not c["cooperant"]:
        return ("source", "none", i18n.t(lang, "ui.no_cooperant"), "coop-other")
    return ("source", c["country"] or "", i18n.country_name(c["country"], lang), "country")


def _target(end, target: str, names: dict, lang: str) -> tuple:
    if target == "sdg":
        if end is None:
            return ("target", "", i18n.t(lang, "ui.no_sdg"))
        word = "ODS" if lang == "es" else "SDG"
        return ("target", str(end), f"{word} {end} · {_name(names['sdg'].get(end), lang, '')}".rstrip(" ·"))
    if end is None:
        return ("target", "", i18n.t(lang, "ui.no_pdd"))
    record = names["pdd"].get(end)
    number = (record or {}).get("number") or end
    word = "Objetivo" if lang == "es" else "Objective"
    return ("target", str(end), f"{word} {number} · {_name(record, lang, str(end))}")


def _trace(flows: dict, lang: str) -> tuple[dict, int]:
    # keep the TOP largest nodes of each column, group the rest as "Others"
    through: dict[tuple, int] = defaultdict(int)
    for (a, b), v in flows.items():
        through[a[:3]] += v
        through[b[:3]] += v
    keep = set()
    for column in ("source", "sector", "target"):
        ranked = sorted((k for k in through if k[0] == column), key=lambda k: (-through[k], k[2]))
        keep |= set(ranked[:TOP])
    others: dict[str, int] = defaultdict(int)
    for k in through:
        if k not in keep:
            others[k[0]] += 1

    def key(node: tuple) -> tuple:
        if node[:3] in keep:
            return node
        n = others[node[0]]
        return (node[0], "*others*", i18n.t(lang, "ui.others", n=i18n.count(n, lang)), "coop-other")

    merged: dict[tuple, int] = defaultdict(int)
    for (a, b), v in flows.items():
        merged[(key(a), key(b))] += v
    order = {"source": 0, "sector": 1, "target": 2}
    nodes = sorted({n for pair in merged for n in pair}, key=lambda n: (order[n[0]], -through.get(n[:3], 0), n[2]))
    index = {n: i for i, n in enumerate(nodes)}
    node_total: dict[tuple, int] = defaultdict(int)
    incoming: dict[tuple, int] = defaultdict(int)
    for (a, b), v in merged.items():
        node_total[a] += v
        incoming[b] += v
    for n, v in incoming.items():
        node_total[n] = max(node_total[n], v)
    colours = [_colour(n) for n in nodes]
    links = sorted(merged.items(), key=lambda kv: (index[kv[0][0]], index[kv[0][1]]))
    trace = {
        "arrangement": "snap", "valueformat": ",.2f",
        "node": {"label": [n[2] for n in nodes], "color": colours, "pad": 14, "thickness": 18,
                 "line": {"color": "rgba(0,0,0,0.3)", "width": 0.5},
                 "customdata": [i18n.cop(node_total[n]) for n in nodes],
                 "hovertemplate": "%{label}<br>%{customdata}<extra></extra>"},
        "link": {"source": [index[a] for (a, _), _ in links], "target": [index[b] for (_, b), _ in links],
                 "value": [v / 100 for _, v in links], "customdata": [i18n.cop(v) for _, v in links],
                 "color": [_fade(colours[index[a] if a[0] == "source" else index[b]]) for (a, b), _ in links],
                 "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>"},
    }
    return trace, len(nodes)


def _colour(node: tuple) -> str:
    from coopgraph.viz.maps import COLOURS

    column, value = node[0], node[1]
    if value == "*others*":
        return "#9e9e9e"
    if column == "source":
        return COLOURS.get(node[3], "#6b8fb5") if node[3] != "country" else "#6b8fb5"
    if column == "sector":
        return COLOURS["sector"] if value else "#9e9e9e"
    if value.isdecimal() and 1 <= int(value) <= 17:
        return SDG_COLOURS[int(value) - 1]
    return COLOURS["pdd-objective"] if value else "#9e9e9e"


def _fade(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},0.35)"


def flows_html(store, *, lang: str = "es") -> str:
    i18n.check_lang(lang)
    data = flow_rows(store)
    variants = sankey_variants(data, lang)
    notes = [i18n.t(lang, "flows.split"), i18n.t(lang, "flows.others", n=TOP)]
    if data["other_currency"]:
        notes.append(i18n.t(lang, "flows.other_currency", n=i18n.count(data["other_currency"], lang)))
    from coopgraph.graph.all_cooperation import all_cooperation

    every = all_cooperation(store)
    if every["total_cop"] != every["report_total_cop"]:
        converted = len(every["engagements"]) + sum(c["contributions"] for c in every["contributions"])
        nbsp = lambda text: text.replace("$ ", "$\u00a0")  # noqa: E731  (an amount never breaks after its sign)
        notes.append(i18n.t(lang, "flows.all_cooperation", report=nbsp(i18n.cop(int(every["report_total_cop"] * 100))),
                            total=nbsp(i18n.cop(int(every["total_cop"] * 100))), n=i18n.count(converted, lang)))
    payload = {"lang": lang, "variants": variants, "initial": "type-sdg-cooperant",
               "text": {"total": i18n.t(lang, "flows.total"), "empty": i18n.t(lang, "flows.empty")},
               "layout": {"font": {"size": 12, "family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"},
                          "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "paper_bgcolor": "#ffffff"}}
    text = lambda key, **kw: i18n.t(lang, key, **kw)  # noqa: E731
    return render_template(
        "flows.html", lang=lang, title=text("flows.title"), subtitle=text("flows.subtitle"), notes=notes, text=text,
        data_json=assets.json_for_script(json.dumps(payload, ensure_ascii=False, separators=(",", ":"))),
        own_css=assets.style("map.css"), plotly_js=assets.script("plotly.min.js"), own_js=assets.script("flows.js"))
