"""Words of the profiles ("fichas") in Spanish (first) and English, and how their values are written.

Money is written the Colombian way in both languages; counts follow the language.
"""
from __future__ import annotations

from coopgraph.viz import i18n

__all__ = ["TEXT", "word", "fact_label", "fact_value", "cell", "column_name", "section_title", "compact_sources"]

TEXT = {
    "es": {
        "title": "Ficha: {name}", "kinds": "Ficha de {kind}", "also": "También {kind}",
        "data_version": "datos: versión", "loaded_on": "carga del",
        "headline": "Cifras principales", "details": "Datos", "print": "Imprimir o guardar como PDF",
        "download": "Descargar", "map": "Mapa de relaciones", "language": "English",
        "no_data": "sin dato", "zero_money": "$ 0 — sin contribuciones monetarias reportadas en {years}",
        "basis.stated": "dato del informe", "basis.derived": "calculado por coopgraph a partir del informe",
        "basis.unknown": "el informe no lo dice", "sources": "Fuentes",
        "basis.outside": "conocimiento público, fuera del informe", "col.about": "Sobre", "col.basis": "Base",
        "col.quote": "El informe dice",
        "fact.received": "Recursos recibidos (valor total)", "fact.given": "Recursos aportados (valor total)",
        "fact.channelled": "Recursos canalizados (valor total)", "fact.money": "Recursos asociados (valor total)",
        "fact.cooperant_cents": "Aporte de los cooperantes", "fact.counterpart_cents": "Contrapartida distrital",
        "fact.contributions": "Contribuciones monetarias", "fact.interactions": "Interacciones reportadas",
        "fact.other_currency": "Contribuciones en otra moneda (no sumadas)", "fact.amount": "Monto",
        "rows": "suma de {n} filas",
        "section.partners": "Socios, por recursos", "section.sdgs": "ODS", "section.pdd": "Objetivos del PDD",
        "section.networks": "Redes de ciudades", "section.engagements": "Proyectos, programas, estudios y fondos",
        "section.events": "Eventos, formaciones y comisiones", "section.participants": "Participantes",
        "section.people": "Personas", "section.years": "Año por año", "section.sources": "Fuentes",
        "note.not_split": "Una contribución ligada a varios ODS u objetivos cuenta completa en cada uno.",
        "note.amount_original_currency": "Montos en la moneda que indica el informe.",
        "col.kind": "Tipo", "col.id": "Identificador", "col.name": "Nombre", "col.contributions": "Contribuciones",
        "col.interactions": "Interacciones", "col.cooperant_cents": "Aporte cooperante",
        "col.counterpart_cents": "Contrapartida", "col.total_cents": "Valor total", "col.relation": "Relación",
        "col.engagement_kind": "Clase", "col.start_date": "Inicio", "col.end_date": "Fin", "col.amount_cents": "Monto",
        "col.currency": "Moneda", "col.role": "Cargo", "col.part": "Papel", "col.year": "Año", "col.fact": "Hecho", "col.source": "Fuente",
        "col.title": "Sección o tabla", "col.locator": "Línea o fila", "col.section": "Sección",
        "col.pesos": "(pesos)", "col.centavos": "(centavos)", "col.value": "Valor", "col.shown": "Como se lee",
        "section.prospects": "Prospectos (a quién acercarse)", "col.rank": "N.º", "col.via": "Qué los une",
        "note.prospects": "Cooperantes aún no vinculados, ordenados por predicción de vínculos (docs/prospecting.md); "
                          "toda la evidencia con sus fuentes: coopgraph prospect --for ID o /maps/prospects?for=ID.",
        "relation.fee": "paga la membresía", "relation.engagement": "participa en sus proyectos o eventos",
        "relation.channel": "recibe recursos a través de ella", "relation.same_as": "es también esta red",
        "relation.section_of": "es sección de", "relation.section": "tiene la sección",
        "relation.fee_paid_by": "membresía pagada por", "relation.under_network": "en el marco de",
        "fact_kind.node": "registro", "fact_kind.reported": "cifra reportada", "fact_kind.contribution": "contribución",
        "detail.sector": "Sector", "detail.part_of": "Hace parte de", "detail.acronyms": "Siglas",
        "detail.iati_type_name": "Tipo de organización (IATI)", "detail.iati_type": "Código IATI",
        "detail.cooperant_kind": "Clase", "detail.country": "País", "detail.kind": "Clase",
        "detail.founded": "Fundada", "detail.member_since": "Bogotá es miembro desde",
        "detail.membership_act": "Acto de adhesión", "detail.members_desc": "Miembros", "detail.roles": "Cargos de Bogotá",
        "detail.start_date": "Inicio", "detail.end_date": "Fin", "detail.currency": "Moneda",
        "detail.amount_note": "Nota sobre el monto", "detail.description": "Descripción", "detail.number": "Número",
        "detail.name_en": "Nombre en inglés", "detail.headline": "Enunciado", "empty": "sin resultados",
        "line": "línea", "lines": "líneas",
    },
    "en": {
        "title": "Profile: {name}", "kinds": "{kind} profile", "also": "Also a {kind}",
        "data_version": "data: version", "loaded_on": "loaded on",
        "headline": "Headline figures", "details": "Facts", "print": "Print or save as PDF",
        "download": "Download", "map": "Relationship map", "language": "Español",
        "no_data": "no data", "zero_money": "$ 0 — no monetary contributions reported in {years}",
        "basis.stated": "stated in the report", "basis.derived": "derived by coopgraph from the report",
        "basis.unknown": "the report does not say", "sources": "Sources",
        "basis.outside": "public knowledge, outside the report", "col.about": "About", "col.basis": "Basis",
        "col.quote": "The report says",
        "fact.received": "Resources received (total value)", "fact.given": "Resources given (total value)",
        "fact.channelled": "Resources channelled (total value)", "fact.money": "Resources linked (total value)",
        "fact.cooperant_cents": "Cooperants' contribution", "fact.counterpart_cents": "District counterpart",
        "fact.contributions": "Monetary contributions", "fact.interactions": "Interactions reported",
        "fact.other_currency": "Contributions in another currency (not added)", "fact.amount": "Amount",
        "rows": "sum of {n} rows",
        "section.partners": "Partners, by money", "section.sdgs": "SDGs", "section.pdd": "PDD objectives",
        "section.networks": "City networks", "section.engagements": "Projects, programmes, studies and funds",
        "section.events": "Events, trainings and commissions", "section.participants": "Participants",
        "section.people": "People", "section.years": "Year by year", "section.sources": "Sources",
        "note.not_split": "A contribution linked to several SDGs or objectives counts in full in each.",
        "note.amount_original_currency": "Amounts in the currency the report states.",
        "col.kind": "Kind", "col.id": "Identifier", "col.name": "Name", "col.contributions": "Contributions",
        "col.interactions": "Interactions", "col.cooperant_cents": "Cooperant contribution",
        "col.counterpart_cents": "Counterpart", "col.total_cents": "Total value", "col.relation": "Relation",
        "col.engagement_kind": "Kind", "col.start_date": "Start", "col.end_date": "End", "col.amount_cents": "Amount",
        "col.currency": "Currency", "col.role": "Role", "col.part": "Part", "col.year": "Year", "col.fact": "Fact", "col.source": "Source",
        "col.title": "Section or table", "col.locator": "Line or row", "col.section": "Section",
        "col.pesos": "(pesos)", "col.centavos": "(centavos)", "col.value": "Value", "col.shown": "As written",
        "section.prospects": "Prospects (who to approach)", "col.rank": "#", "col.via": "What links them",
        "note.prospects": "Cooperants not yet engaged, ranked by link prediction (docs/prospecting.md); all the "
                          "evidence with its sources: coopgraph prospect --for ID or /maps/prospects?for=ID.",
        "relation.fee": "pays the membership", "relation.engagement": "takes part in its projects or events",
        "relation.channel": "receives money through it", "relation.same_as": "is also this network",
        "relation.section_of": "is a section of", "relation.section": "has the section",
        "relation.fee_paid_by": "membership paid by", "relation.under_network": "under",
        "fact_kind.node": "record", "fact_kind.reported": "reported figure", "fact_kind.contribution": "contribution",
        "detail.sector": "Sector", "detail.part_of": "Part of", "detail.acronyms": "Acronyms",
        "detail.iati_type_name": "Organisation type (IATI)", "detail.iati_type": "IATI code",
        "detail.cooperant_kind": "Kind", "detail.country": "Country", "detail.kind": "Kind",
        "detail.founded": "Founded", "detail.member_since": "Bogotá a member since",
        "detail.membership_act": "Membership act", "detail.members_desc": "Members", "detail.roles": "Bogotá's roles",
        "detail.start_date": "Start", "detail.end_date": "End", "detail.currency": "Currency",
        "detail.amount_note": "Note on the amount", "detail.description": "Description", "detail.number": "Number",
        "detail.name_en": "English name", "detail.headline": "Headline", "empty": "no results",
        "line": "line", "lines": "lines",
    },
}
MAP_KIND = {"entity": "entity", "cooperant": "cooperant", "network": "network", "engagement": "engagement",
            "sdg": "sdg", "pdd-objective": "pdd-objective"}


def word(lang: str, key: str, **values) -> str:
    text = TEXT[lang].get(key) or TEXT["es"].get(key) or key
    return text.format(**values) if values else text


def kind_word(kind: str, lang: str) -> str:
    return i18n.kind_name(MAP_KIND.get(kind, kind), lang)


def fact_label(fact, lang: str) -> str:
    return word(lang, f"fact.{fact.key}")


def fact_value(fact, lang: str) -> str:
    """'$ 1.234,00', '$ 0 — sin contribuciones monetarias reportadas en 2024', 'sin dato'…"""
    if fact.value is None:
        return word(lang, "no_data")
    if fact.unit == "cop_cents":
        if fact.value == 0 and fact.note.startswith("no_monetary:"):
            return word(lang, "zero_money", years=", ".join(fact.note.split(":", 1)[1].split(",")))
        return i18n.cop(fact.value)
    if fact.unit == "money":
        return i18n.amount(fact.value, fact.note or None)
    return i18n.count(fact.value, lang)


def compact_sources(sources: list[str], lang: str = "es") -> str:
    """'Tabla 5 · line 643', 'Tabla 5 · line 644' … → 'Tabla 5 · lines 643, 644, …' (one entry per table)."""
    by_table: dict[str, list[str]] = {}
    for s in sources:
        table, _, where = s.partition(" · ")
        by_table.setdefault(table, []).append(where)
    parts = []
    for table, places in by_table.items():
        lines = [p.removeprefix("line ") for p in places if p.startswith("line ")]
        others = [p for p in places if p and not p.startswith("line ")]
        text = table
        if lines:
            shown = ", ".join(lines[:12]) + (f" … (+{len(lines) - 12})" if len(lines) > 12 else "")
            text += f" · {word(lang, 'line' if len(lines) == 1 else 'lines')} {shown}"
        if others:
            text += " · " + ", ".join(others)
        parts.append(text)
    return "; ".join(parts)


def column_name(column: str, lang: str) -> str:
    return word(lang, f"col.{column}")


def section_title(key: str, lang: str) -> str:
    return word(lang, f"section.{key}")


def cell(column: str, row: dict, lang: str) -> str:
    """One table cell as people read it."""
    value = row.get(column)
    if value is None or value == "":
        return ""
    if column.endswith("_cents") and column != "amount_cents":
        return i18n.cop(value)
    if column == "amount_cents":
        return i18n.amount(value, row.get("currency"))
    if column == "kind":
        return kind_word(str(value), lang)
    if column == "engagement_kind":
        return i18n.engagement_kind(value, lang)
    if column == "relation":
        return word(lang, f"relation.{value}")
    if column == "fact":
        found = TEXT[lang].get(f"fact_kind.{value}")
        return found or str(value).replace("_", " ").lower()  # a relationship type: "fee paid by"
    if column == "basis":
        return word(lang, f"basis.{value}")
    if column == "locator":
        return str(value).replace("line ", word(lang, "line") + " ")
    if isinstance(value, int) and column not in ("year", "id"):
        return i18n.count(value, lang)
    return str(value)
