"""`coopgraph analyze --markdown`: the analysis as a Spanish report for strategists."""
from __future__ import annotations

from coopgraph.analysis.numbers import dec, n, pct, plural
from coopgraph.graph.model import model

KIND_ES = {kind: model().kinds()[kind].word("es") for kind in ("entity", "cooperant", "network")}  # graph/schema

__all__ = ["render_markdown"]


def _years_text(meta: dict) -> str:
    years = meta["years"]
    present = years["with_contributions"]
    if present:
        return str(present[0]) if present[0] == present[-1] else f"{present[0]}–{present[-1]}"
    return f"{years['from_year']}–{years['to_year']}"


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: dict, *, top: int = 10) -> str:
    """A Spanish Markdown report of `analyze`'s result, money the Colombian way."""
    from coopgraph.analysis.shares import format_ratio
    from coopgraph.money import format_cop

    def cop(cents):
        return format_cop(int(cents), cents=True)

    meta = report["meta"]
    money = meta["money"]
    out = [f"# Análisis de la red de cooperación internacional de Bogotá, {_years_text(meta)}", ""]
    sliced = {k: v for k, v in meta["slice"].items() if v is not None}
    if sliced:
        out += ["Recorte: " + ", ".join(f"{k} = {v}" for k, v in sliced.items()), ""]
    kinds = meta["node_kinds"]
    out += [f"La red tiene {n(meta['nodes'])} organizaciones ({kinds.get('entity', 0)} entidades distritales, "
            f"{kinds.get('cooperant', 0)} cooperantes y {kinds.get('network', 0)} redes de ciudades) y "
            f"{n(meta['edges'])} vínculos, en {plural(meta['components'], 'componente', 'componentes')}. Los "
            f"{n(money['monetary_contributions'])} aportes monetarios suman {cop(money['total_cents'])} "
            f"({cop(money['cooperant_cents'])} de los cooperantes y {cop(money['counterpart_cents'])} de contrapartida distrital).",
            ""]
    if report.get("all_cooperation"):
        from coopgraph.graph.all_cooperation import markdown as all_cooperation_lines

        out += ["## Dos totales: las cifras del informe y toda la cooperación en COP", "",
                *all_cooperation_lines(report["all_cooperation"]), ""]

    out += ["## Intermediarios (centralidad de intermediación)", "",
            "Organizaciones por las que pasan más caminos entre las demás: si faltan, la red se fragmenta.", ""]
    out += _table(["#", "Organización", "Tipo", "Intermediación", "Vínculos"],
                  [[i, e["name"], KIND_ES.get(e["kind"], e["kind"]), dec(e["score"], 3),
                    next((d["score"] for d in report["centrality"]["degree"] if d["id"] == e["id"]), "—")]
                   for i, e in enumerate(report["centrality"]["betweenness"][:top], 1)])
    out += ["", "Más conectadas (vínculos): " + "; ".join(f"{e['name']} ({e['score']})"
                                                         for e in report["centrality"]["degree"][:top]) + ".", ""]
    out += ["Mayor influencia (PageRank): " + "; ".join(e["name"] for e in report["centrality"]["pagerank"][:top]) + ".", ""]

    out += ["## Comunidades", "", "Grupos de organizaciones que trabajan más entre sí que con el resto (Louvain).", ""]
    for c in report["communities"][:top]:
        names = [m["name"] for m in c["members"][:8]]
        more = f" y {c['size'] - len(names)} más" if c["size"] > len(names) else ""
        money_text = f"; mueve {cop(c['internal_cents'])}" if c["internal_cents"] else ""
        out.append(f"- **Comunidad {c['id']}** ({c['size']} miembros{money_text}): {', '.join(names)}{more}.")
    if len(report["communities"]) > top:
        out.append(f"- … y {len(report['communities']) - top} comunidades más.")
    out.append("")

    out += ["## Alertas de dependencia", ""]
    out += [f"- {w}" for w in report["dependency_warnings"]] or ["- Ninguna."]
    out.append("")
    conc = report["concentration"]
    out += ["Concentración por sector (índice de Herfindahl-Hirschman sobre el total de cada aporte):", ""]
    out += _table(["Sector", "Total", "Cooperantes", "HHI", "Principal cooperante", "Participación"],
                  [[s["name"], cop(s["total_cents"]), s["cooperants"], dec(s["hhi"], 2),
                    s["top_cooperant"]["name"] if s["top_cooperant"] else "", pct(s["top_share"] or 0)]
                   for s in conc["sectors"][:top]])
    out.append("")
    for label, title in (("sdgs", "ODS"), ("pdd_objectives", "objetivo del PDD")):
        if conc.get(label):
            out += [f"Concentración por {title}:", ""]
            out += _table([title[0].upper() + title[1:], "Total", "Cooperantes", "HHI", "Principal cooperante", "Participación"],
                          [[s["name"], cop(s["total_cents"]), s["cooperants"], dec(s["hhi"], 2),
                            s["top_cooperant"]["name"] if s["top_cooperant"] else "", pct(s["top_share"] or 0)]
                           for s in conc[label][:top]])
            out.append("")

    points = report["single_points_of_failure"]
    out += ["## Puntos únicos de falla", ""]
    if points["articulation_points"]:
        out += ["Organizaciones cuya salida desconecta a otras (puntos de articulación):", ""]
        out += [f"- {p['name']} ({KIND_ES.get(p['kind'], p['kind'])}): "
                f"{plural(p['separated_nodes'], 'organización quedaría aislada', 'organizaciones quedarían aisladas')}."
                for p in points["articulation_points"][:top]]
    else:
        out.append("- Ninguna organización desconecta a otras al salir.")
    if points["bridges"]:
        out += ["", "Vínculos puente entre grupos (además de "
                f"{points['leaf_bridges']} vínculos con organizaciones de una sola conexión):", ""]
        out += [f"- {b['source']['name']} — {b['target']['name']} (separa {b['separated_nodes']})" for b in points["bridges"][:top]]
    out.append("")

    g = report["gaps"]
    out += ["## Brechas de alineación", ""]
    for key, title in (("sdg", "ODS"), ("pdd_objectives", "Objetivos del PDD"), ("pdd_programs", "Programas del PDD")):
        if not g.get(f"{key}_linked_contributions"):
            out.append(f"- {title}: ningún aporte del periodo está vinculado a {title.lower()}; la brecha es de datos.")
            continue
        none = [e["name"] if key != "sdg" else f"ODS {e['number']} ({e['name']})" for e in g[key] if e["cooperants"] == 0]
        one = [(e["name"] if key != "sdg" else f"ODS {e['number']} ({e['name']})") + f" — solo {e['cooperant']['name']}"
               for e in g[key] if e["cooperants"] == 1]
        out.append(f"- {title} sin cooperante: " + ("; ".join(none) if none else "ninguno") + ".")
        out.append(f"- {title} con un solo cooperante: " + ("; ".join(one) if one else "ninguno") + ".")
        broker = [(e["name"] if key != "sdg" else f"ODS {e['number']} ({e['name']})")
                  + f" — solo a través de {e['broker']['name']} ({e['cooperants']} cooperantes)"
                  for e in g[key] if e.get("status") == "un solo intermediario"]
        out.append(f"- {title} con un solo intermediario: " + ("; ".join(broker) if broker else "ninguno") + ".")
    if g.get("entities"):
        out += ["", "Entidades cuyo dinero depende de un solo cooperante:", ""]
        out += [f"- {e['name']}: {pct(e['top_share'])} de {e['top_cooperant']['name']}" for e in g["entities"][:top]]
    filled = [(e, key) for key in ("sdg", "pdd_objectives", "pdd_programs", "entities") for e in g.get(key, [])
              if e.get("prospects")]
    if filled:
        out += ["", "Quién podría cerrar cada brecha (prospectos: cooperantes aún no vinculados; "
                "`coopgraph prospect --for ID` da toda la evidencia):", ""]
        for e, key in filled[:2 * top]:
            name = f"ODS {e['number']} ({e['name']})" if key == "sdg" else e["name"]
            out.append(f"- {name} (`{e['id']}`): " + "; ".join(p["name"] for p in e["prospects"]) + ".")
    out.append("")

    fl = report["flows"]
    out += ["## Flujos principales del dinero", ""]
    names = {n["id"]: n["name"] for n in fl["nodes"]}
    titles = {"iati_type-country": "Tipo de cooperante → país", "country-sector": "País → sector",
              "sector-entity": "Sector → entidad", "entity-sdg": "Entidad → ODS",
              "entity-pdd_objective": "Entidad → objetivo del PDD"}
    for stage in fl["stages"]:
        links = [l for l in fl["links"] if l["stage"] == stage["id"]][:5]
        if not links:
            continue
        out += [f"**{titles[stage['id']]}**", ""]
        out += [f"- {names[l['source']]} → {names[l['target']]}: {cop(l['value_cents'])}" for l in links]
        out.append("")

    ratio = report["counterpart_ratio"]
    if ratio["overall"]["total_cents"]:
        out += ["## Contrapartida distrital", "",
                f"El distrito puso {pct(ratio['overall']['ratio'])} del total de los aportes monetarios.", ""]
        for label, title in (("entities", "Entidad"), ("sectors", "Sector"), ("sdgs", "ODS"),
                             ("pdd_objectives", "Objetivo del PDD")):
            if not ratio.get(label):
                continue
            out += _table([title, "Contrapartida", "Total", "Proporción", "Contrapartida por peso del cooperante"],
                          [[e["name"], cop(e["counterpart_cents"]), cop(e["total_cents"]),
                            pct(e["ratio"]) if e["ratio"] is not None else "sin dato",
                            format_ratio(e["counterpart_per_cooperant_peso"])] for e in ratio[label][:top]])
            out.append("")

    algorithms = meta["algorithms"]
    notes = []
    for name in ("betweenness", "closeness"):
        a = algorithms.get(name) or {}
        notes.append(f"{name}: " + ("exacta" if a.get("exact", True) else f"aproximada con {a['sample']} pivotes (semilla {a['seed']})"))
    out += ["## Notas de método", "",
            "- Concentración: índice de Herfindahl-Hirschman (suma de cuadrados de las participaciones de cada "
            "cooperante en el total de los aportes, cooperante + contrapartida); 1 = un único cooperante.",
            "- Comunidades: Louvain con semilla fija " + str(meta["seed"]) + "; " + "; ".join(notes) + ".",
            f"- Tiempo de cálculo: {dec(meta['seconds']['total'], 1)} s.", ""]
    return "\n".join(out)

