"""Words of the profiles ("fichas") in Spanish (first) and English, and how their values are written.

Money is written the Colombian way in both languages; counts follow the language.
"""
from __future__ import annotations

from decimal import Decimal

from coopgraph.analysis.breakdowns import group_name
from coopgraph.analysis.shares import format_pct, format_ratio
from coopgraph.viz import i18n

__all__ = ["TEXT", "word", "fact_label", "fact_in_cop", "links_text", "fact_value", "cell", "column_name", "section_title", "compact_sources"]

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
        "fact.channelled": "Recursos canalizados, Tabla 5 (COP)",
        "fact.stated_amount_network": "Montos de sus proyectos ({currency})",
        "fact.stated_amount_cooperant": "Montos de los proyectos en que participa ({currency})",
        "fact.stated_amount_entity": "Montos de los proyectos en que participa ({currency})",
        "fact.all_cooperation": "Toda su cooperación en COP (Tabla 5 y proyectos convertidos)",
        "in_cop": "≈ {cop} en COP", "rate.date": "TRM del {date}: {rate}", "rate.period-average": "TRM promedio {date}: {rate}",
        "rate.period-end": "TRM al cierre de {date}: {rate}",
        "link.money": "recursos", "link.project": "{n} proyecto", "link.projects": "{n} proyectos",
        "link.event": "{n} evento", "link.events": "{n} eventos", "link.fee": "paga la membresía",
        "link.member": "miembro de la red", "col.links": "Cómo trabajan juntos",
        "note.prospects_cooperant": "Entidades distritales que aún no trabajan con este cooperante, ordenadas por lo que "
                                    "comparten con él (sector, ODS, objetivos del PDD, redes); el mapa de prospectos "
                                    "muestra toda la evidencia con sus fuentes.",
        "partners.others": "Otros cooperantes en sus proyectos y eventos ({n})", "col.supports": "Qué respalda", "sources.show": "Ver las fuentes ({n} líneas o filas)", "fact.money": "Recursos asociados (valor total)",
        "fact.cooperant_cents": "Aporte de los cooperantes", "fact.counterpart_cents": "Contrapartida distrital",
        "fact.contributions": "Contribuciones monetarias", "fact.interactions": "Interacciones reportadas",
        "fact.other_currency": "Contribuciones en otra moneda (no sumadas)", "fact.amount": "Monto",
        "rows": "suma de {n} filas",
        "section.partners": "Socios", "section.sdgs": "ODS", "section.pdd": "Objetivos del PDD",
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
        "note.prospects": "Cooperantes que aún no trabajan con esta organización en ninguna forma registrada, ordenados por lo que comparten con ella en la red de relaciones; el mapa de prospectos muestra toda la evidencia con sus fuentes.",
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
        "section.concentration": "Concentración (dependencia de un cooperante)",
        "section.regions": "Cooperantes por región", "section.cooperant_kinds": "Cooperantes por clase",
        "note.concentration": "Índice de Herfindahl-Hirschman sobre el valor total de cada aporte (1 = un único "
                              "cooperante); contrapartida distrital por cada peso de los cooperantes.",
        "note.shares": "Participaciones en el valor total; suman 100 %.",
        "col.group": "Grupo", "col.total_share_pct": "Participación", "col.top_cooperant": "Principal cooperante",
        "col.top_share_pct": "Su participación", "col.cooperants": "Cooperantes", "col.hhi": "HHI",
        "col.counterpart_per_cooperant_peso": "Contrapartida por peso",
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
        "fact.channelled": "Resources channelled, Tabla 5 (COP)",
        "fact.stated_amount_network": "Amounts of its projects ({currency})",
        "fact.stated_amount_cooperant": "Amounts of the projects it takes part in ({currency})",
        "fact.stated_amount_entity": "Amounts of the projects it takes part in ({currency})",
        "fact.all_cooperation": "All its cooperation in COP (Tabla 5 and projects converted)",
        "in_cop": "≈ {cop} in COP", "rate.date": "TRM of {date}: {rate}", "rate.period-average": "average TRM {date}: {rate}",
        "rate.period-end": "TRM at the close of {date}: {rate}",
        "link.money": "money", "link.project": "{n} project", "link.projects": "{n} projects",
        "link.event": "{n} event", "link.events": "{n} events", "link.fee": "pays the membership",
        "link.member": "member of the network", "col.links": "How they work together",
        "note.prospects_cooperant": "District entities that do not yet work with this cooperant, ranked by what they share "
                                    "with it (sector, SDGs, PDD objectives, networks); the prospect map shows all the "
                                    "evidence with its sources.",
        "partners.others": "Other cooperants in its projects and events ({n})", "col.supports": "What it supports", "sources.show": "Show the sources ({n} lines or rows)", "fact.money": "Resources linked (total value)",
        "fact.cooperant_cents": "Cooperants' contribution", "fact.counterpart_cents": "District counterpart",
        "fact.contributions": "Monetary contributions", "fact.interactions": "Interactions reported",
        "fact.other_currency": "Contributions in another currency (not added)", "fact.amount": "Amount",
        "rows": "sum of {n} rows",
        "section.partners": "Partners", "section.sdgs": "SDGs", "section.pdd": "PDD objectives",
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
        "note.prospects": "Cooperants that do not yet work with this organisation in any recorded way, ranked by what they share with it in the relationship network; the prospect map shows all the evidence with its sources.",
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
        "section.concentration": "Concentration (dependence on one cooperant)",
        "section.regions": "Cooperants by region", "section.cooperant_kinds": "Cooperants by kind",
        "note.concentration": "Herfindahl-Hirschman index over each contribution's total value (1 = a single "
                              "cooperant); district counterpart per peso of the cooperants'.",
        "note.shares": "Shares of the total value; they sum to 100 %.",
        "col.group": "Group", "col.total_share_pct": "Share", "col.top_cooperant": "Top cooperant",
        "col.top_share_pct": "Its share", "col.cooperants": "Cooperants", "col.hhi": "HHI",
        "col.counterpart_per_cooperant_peso": "Counterpart per peso",
    },
}
MAP_KIND = {"entity": "entity", "cooperant": "cooperant", "network": "network", "engagement": "engagement",
            "sdg": "sdg", "pdd-objective": "pdd-objective", "sector": "sector"}


def word(lang: str, key: str, **values) -> str:
    text = TEXT[lang].get(key) or TEXT["es"].get(key) or key
    return text.format(**values) if values else text


def kind_word(kind: str, lang: str) -> str:
    return i18n.kind_name(MAP_KIND.get(kind, kind), lang)


def fact_label(fact, lang: str) -> str:
    if fact.key.startswith("stated_amount_"):
        return word(lang, f"fact.{fact.key}", currency=fact.note)
    return word(lang, f"fact.{fact.key}")


def fact_in_cop(fact, lang: str) -> str:
    """An amount in another currency in COP, with the rates used: '≈ $ 6.371.…,00 en COP · TRM promedio 2024: 4.071,35'."""
    if fact.unit != "money" or not fact.note or fact.note == "COP" or fact.cop_cents is None:
        return ""
    rates = [word(lang, f"rate.{r.get('rate_basis') or 'date'}", date=r.get("rate_date") or "", rate=i18n.rate(r["rate"], lang))
             for r in fact.rates]
    return " · ".join([word(lang, "in_cop", cop=i18n.cop(fact.cop_cents)), *rates])


def fact_kind(value: str, lang: str) -> str:
    """What a source supports: 'registro', or a relationship type in the schema's words ('Aporta a la contribución')."""
    found = TEXT[lang].get(f"fact_kind.{value}")
    if found:
        return found
    relation = value.lower()
    return i18n.relation_name(relation, lang) if relation in i18n.RELATIONS else value.replace("_", " ").lower()


def links_text(row: dict, lang: str) -> str:
    """How a partner works with the ficha's subject: 'recursos · 3 proyectos · 1 evento · paga la membresía'."""
    parts = []
    for link in row.get("links") or ():
        if link in ("project", "event"):
            n = int(row.get(link + "s") or 0)
            parts.append(word(lang, f"link.{link}" + ("" if n == 1 else "s"), n=n))
        else:
            parts.append(word(lang, f"link.{link}"))
    return " · ".join(parts)


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
        lines = []
        for p in places:
            if p.startswith(("line ", "lines ")):
                lines += [n.strip() for n in p.split(" ", 1)[1].split(",") if n.strip() not in lines]
        others = [p for p in places if p and not p.startswith(("line ", "lines "))]
        text = table
        if lines:
            lines.sort(key=lambda n: (not n.isdecimal(), int(n) if n.isdecimal() else 0, n))
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
    if column == "counterpart_per_cooperant_peso":
        return format_ratio(value, lang, word(lang, "no_data"))
    if value is None or value == "":
        return ""
    if column.endswith("_pct"):
        return format_pct(value, lang)
    if column == "hhi":
        return format_ratio(Decimal(str(value)).quantize(Decimal("0.01")), lang)
    if column == "group":
        return group_name(row["dimension"], value, lang)
    if column.endswith("_cents") and column != "amount_cents":
        return i18n.cop(value)
    if column == "amount_cents":
        return i18n.amount(value, row.get("currency"))
    if column == "kind":
        return kind_word(str(value), lang)
    if column == "engagement_kind":
        return i18n.engagement_kind(value, lang)
    if column == "links":
        return links_text(row, lang)
    if column == "via" and lang != "es" and row.get(f"via_{lang}"):
        return str(row[f"via_{lang}"])
    if column == "relation":
        return word(lang, f"relation.{value}")
    if column == "fact":
        return fact_kind(str(value), lang)
    if column == "basis":
        return word(lang, f"basis.{value}")
    if column == "locator":
        return str(value).replace("line ", word(lang, "line") + " ")
    if isinstance(value, int) and column not in ("year", "id"):
        return i18n.count(value, lang)
    return str(value)
