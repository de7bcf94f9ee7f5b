"""Two to four fichas side by side as one offline page: the headline figures of each in aligned columns,
with a link to each ficha (coopgraph.analysis.compare makes the data; words in Spanish first, English)."""
from __future__ import annotations

from decimal import Decimal

from coopgraph.analysis.shares import format_pct, format_ratio
from coopgraph.viz import assets, i18n
from coopgraph.viz.page import render_template
from coopgraph.viz.profile_text import kind_word, word

__all__ = ["compare_html", "TEXT"]

TEXT = {
    "es": {"title": "Fichas lado a lado", "intro": "Las cifras principales de cada ficha, alineadas por lo que miden. "
           "«informe»: la cifra la escribe el informe; «calculado»: coopgraph la obtuvo sumando filas del informe; "
           "«sin dato»: no se sabe o no está definida; «—»: no aplica a esa clase de ficha.",
           "basis.stated": "informe", "basis.derived": "calculado", "basis.outside": "conocimiento externo", "figure": "Cifra",
           "open": "Abrir la ficha", "language": "English", "print": "Imprimir o guardar como PDF", "json": "JSON",
           "row.money": "Recursos (valor total: aporte + contrapartida)", "row.cooperant_cents": "Aporte de los cooperantes",
           "row.counterpart_cents": "Contrapartida distrital",
           "row.counterpart_per_cooperant_peso": "Contrapartida por cada peso de los cooperantes",
           "row.contributions": "Contribuciones monetarias", "row.interactions": "Interacciones reportadas",
           "row.partners": "Socios (con recursos)", "row.top_share_pct": "Participación del principal cooperante",
           "row.hhi": "Concentración (HHI)", "row.sdgs": "ODS con recursos", "row.engagements": "Proyectos, programas y fondos",
           "row.events": "Eventos, formaciones y comisiones", "row.networks": "Redes de ciudades",
           "money.received": "recibidos", "money.given": "aportados", "money.channelled": "canalizados",
           "money.money": "asociados"},
    "en": {"title": "Profiles side by side", "intro": "The headline figures of each profile, aligned by what they "
           "measure. 'report': the report states the figure; 'derived': coopgraph added up the report's rows; "
           "'no data': unknown or undefined; '—': does not apply to that kind of profile.",
           "basis.stated": "report", "basis.derived": "derived", "basis.outside": "outside knowledge", "figure": "Figure",
           "open": "Open the profile", "language": "Español", "print": "Print or save as PDF", "json": "JSON",
           "row.money": "Resources (total value: contribution + counterpart)",
           "row.cooperant_cents": "Cooperants' contribution", "row.counterpart_cents": "District counterpart",
           "row.counterpart_per_cooperant_peso": "Counterpart per peso of the cooperants'",
           "row.contributions": "Monetary contributions", "row.interactions": "Interactions reported",
           "row.partners": "Partners (with money)", "row.top_share_pct": "Top cooperant's share",
           "row.hhi": "Concentration (HHI)", "row.sdgs": "SDGs with money", "row.engagements": "Projects, programmes and funds",
           "row.events": "Events, trainings and commissions", "row.networks": "City networks",
           "money.received": "received", "money.given": "given", "money.channelled": "channelled",
           "money.money": "linked"},
}


def _text(lang: str, key: str) -> str:
    return TEXT[lang].get(key) or TEXT["es"][key]


def _value(fact: dict, lang: str) -> str:
    value, unit = fact["value"], fact["unit"]
    if fact["basis"] == "not_applicable":
        return "—"
    if value is None:
        return word(lang, "no_data")
    if unit == "cop_cents":
        return i18n.cop(value)
    if unit == "money":
        return i18n.amount(value, fact.get("note") or None)
    if unit == "pct":
        return format_pct(Decimal(str(value)), lang)
    if unit == "ratio":
        return format_ratio(value, lang)
    if unit == "index":
        return format_ratio(Decimal(str(value)).quantize(Decimal("0.01")), lang)
    return i18n.count(value, lang)


def compare_html(data: dict, *, lang: str = "es", ids: str = "", base: str = "/profiles",
                 api_base: str = "/api/v1/profiles") -> str:
    """The comparison as one offline page (a print stylesheet keeps it on one A4 page, landscape)."""
    i18n.check_lang(lang)
    other = "en" if lang == "es" else "es"
    columns = [{"name": p["name"], "acronym": p["acronym"] if p["acronym"] != p["name"] else None,
                "kind": kind_word(p["kind"], lang), "href": f"{base}/{p['kind']}/{p['id']}?lang={lang}",
                "id": f"{p['kind']}:{p['id']}"} for p in data["profiles"]]
    rows = []
    for row in data["rows"]:
        cells = []
        for fact in row["values"]:
            extra = ""
            if fact["unit"] == "cop_cents" and fact["value"] == 0 and str(fact.get("note", "")).startswith("no_monetary:"):
                extra = word(lang, "zero_money", years=fact["note"].split(":", 1)[1]).split(" — ", 1)[-1]
            if fact.get("of"):
                extra = fact["of"]["name"]
            cells.append({"text": _value(fact, lang), "basis": TEXT[lang].get(f"basis.{fact['basis']}", ""),
                          "unknown": fact["value"] is None, "extra": extra})
        rows.append({"key": row["key"], "label": _text(lang, f"row.{row['key']}"), "cells": cells})
    query = f"ids={ids}" if ids else ""
    return render_template("compare.html", lang=lang, title=_text(lang, "title"), text=lambda k: _text(lang, k),
                           columns=columns, rows=rows, data=data.get("data") or {},
                           other_lang=other, other_href=f"{base}/compare?{query}&lang={other}",
                           json_href=f"{api_base}/compare?{query}", own_css=assets.style("profile.css"),
                           data_version=word(lang, "data_version"))
