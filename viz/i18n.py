"""Words of the maps in Spanish (first) and English, and the Colombian way of writing numbers.

Money is always written the Colombian way (``$ 1.234.567,89``), in both languages, as the report
writes it; counts follow the page's language (``2.000`` / ``2,000``).
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency
from coopgraph.graph.model import model

__all__ = ["LANGS", "check_lang", "t", "kind_name", "bucket_name", "relation_name", "engagement_kind",
           "iati_name", "country_name", "count", "cop", "amount", "BUCKETS", "bucket_of"]

LANGS = ("es", "en")
LOCALES = {"es": "es_CO", "en": "en"}

TEXT = {
    "es": {
        "overview.title": "Red de cooperación internacional de Bogotá",
        "overview.subtitle": "Cooperantes, entidades distritales, redes de ciudades, proyectos y actividades, "
                             "sectores, ODS y objetivos del PDD. Los vínculos son contribuciones (grosor según el valor), "
                             "participaciones y membresías.",
        "ego.title": "Mapa de relaciones: {name}",
        "ego.subtitle": "{kind} y lo que está a {hops} del nodo central.",
        "ego.hop1": "un salto", "ego.hop2": "dos saltos",
        "networks.title": "Redes de ciudades",
        "networks.subtitle": "Las redes de ciudades de las que Bogotá hace parte, sus proyectos, eventos y actividades, "
                             "y las entidades distritales y cooperantes que participan.",
        "flows.title": "Flujos de recursos de cooperación",
        "flows.subtitle": "Dinero de las contribuciones monetarias en pesos colombianos: de dónde viene (tipo de "
                          "organización o país), a qué sector va y a qué ODS u objetivo del PDD aporta.",
        "index.title": "Mapas de la cooperación internacional de Bogotá",
        "index.intro": "Mapas de relaciones y flujos que funcionan sin conexión a internet.",
        "index.overview": "Red completa de cooperación",
        "index.networks": "Redes de ciudades",
        "index.flows": "Flujos de recursos (Sankey)",
        "index.query": "Consultas Cypher para analistas (editor y consultas con nombre)",
        "index.ego": "Mapas de relaciones (ego) de una organización, red, ODS u objetivo PDD",
        "index.ego_form": "Organización, red, ODS u objetivo del PDD, como se escribe (p. ej. BID, Secretaría de Ambiente, C40, ODS 13)",
        "index.open": "Abrir",
        "index.sdgs": "ODS", "index.pdd": "Objetivos del PDD", "index.networks_list": "Redes",
        "index.cooperants": "Cooperantes con mayor aporte", "index.entities": "Entidades con más recursos",
        "index.figures": "Cifras principales del informe 2024", "index.fig_interactions": "Interacciones de cooperación",
        "index.memberships": "Redes de las que Bogotá es miembro", "index.sections": "Secciones y programas de otras redes",
        "index.adhesions": "Adhesiones de 2025 (después del periodo del informe)",
        "index.section_of": "sección de {parent}", "index.since": "desde {date}",
        "index.profile": "ficha", "index.map": "mapa",
        "ui.search": "Buscar", "ui.search_placeholder": "Nombre o sigla…",
        "ui.filters": "Filtros", "ui.sector": "Sector", "ui.sdg": "ODS", "ui.year": "Año",
        "ui.type": "Tipo de organización", "ui.all": "Todos", "ui.reset": "Restablecer",
        "ui.hide_isolated": "Ocultar nodos sin vínculos visibles",
        "ui.size_by": "Tamaño según", "ui.size_money": "valor de las contribuciones", "ui.size_centrality": "centralidad (grado)",
        "ui.legend": "Convenciones", "ui.legend_hint": "Clic en una convención para ocultarla o mostrarla.",
        "ui.counts": "Visibles: {nodes} de {total_nodes} nodos y {edges} de {total_edges} vínculos",
        "ui.details": "Detalle", "ui.details_empty": "Seleccione un nodo para ver su detalle.",
        "ui.open_ego": "Abrir su mapa de relaciones", "ui.open_profile": "Ver su ficha",
        "ui.share": "Compartir esta vista", "ui.copy_link": "Copiar enlace", "ui.export_png": "Imagen PNG",
        "ui.export_svg": "Imagen SVG",
        "ui.link_copied": "Enlace copiado: abre esta misma vista (filtros, selección, nodos expandidos).",
        "ui.expand": "Expandir vecinos", "ui.expanded": "{n} vecinos añadidos al mapa.",
        "ui.nothing_to_expand": "Todos sus vecinos ya están en el mapa.",
        "ui.unlinked": "Cooperantes sin vínculos registrados ({n})",
        "ui.unlinked_hint": "La Tabla 2 solo informa cuántas interacciones tuvieron; ordenados de más a menos.", "ui.not_found": "No se encontró «{q}».",
        "ui.offline": "Página autónoma: funciona sin conexión.",
        "ui.edge_width": "Grosor del vínculo: valor total de las contribuciones.",
        "ui.links": "Vínculos",
        "basis.stated": "Lo dice el informe",
        "basis.derived": "Deducido por coopgraph",
        "basis.outside": "Conocimiento externo",
        "ui.links_hint": "Línea continua: lo dice el informe. Discontinua: coopgraph lo dedujo (el ODS o el objetivo PDD de cada aporte, una ciudad sede como participante). Punteada: conocimiento externo al informe (el sector de una entidad).",
        "ui.no_type": "Sin tipo", "ui.no_sector": "Sin sector", "ui.no_sdg": "Sin ODS", "ui.no_pdd": "Sin objetivo PDD",
        "ui.international": "Organismos internacionales", "ui.no_cooperant": "Sin cooperante",
        "ui.others": "Otros ({n})",
        "flows.source": "Origen", "flows.by_type": "Tipo de organización", "flows.by_country": "País",
        "flows.target": "Destino", "flows.to_sdg": "ODS", "flows.to_pdd": "Objetivo del PDD",
        "flows.money": "Dinero", "flows.money_cooperant": "Aporte de los cooperantes",
        "flows.money_total": "Valor total (aporte + contrapartida)",
        "flows.total": "Total: {amount} en {n} contribuciones monetarias.",
        "flows.split": "Una contribución ligada a varios ODS u objetivos reparte su valor por partes iguales.",
        "flows.other_currency": "{n} contribuciones en otra moneda no se suman.",
        "flows.all_cooperation": "Estos flujos son las cifras declaradas en COP ({report}). Toda la cooperación en COP, "
                                 "con {n} montos en otras monedas convertidos a la tasa de cada uno: {total}.",
        "flows.others": "Se agrupan en «Otros» los nodos de una columna más allá de los {n} de mayor valor.",
        "flows.empty": "No hay contribuciones monetarias en pesos para mostrar.",
        "note.trimmed": "Se muestran {shown} de {total} nodos: los de mayor valor y centralidad. {omitted} nodos omitidos ({detail}).",
        "note.aggregated": "Los cooperantes omitidos se agrupan por tipo en nodos «Otros» con sus vínculos sumados.",
        "note.edges_trimmed": "Se muestran {shown} de {total} vínculos (los de mayor valor); {omitted} omitidos.",
        "note.isolated": "{n} cooperantes sin vínculos registrados con entidades, redes o proyectos "
                         "(la Tabla 2 solo informa su número de interacciones) se listan a la derecha del mapa.",
        "note.overview_sdg": "Los cooperantes llegan a los ODS y objetivos del PDD a través de las entidades que reciben "
                             "sus contribuciones; el mapa de relaciones de cada cooperante muestra sus vínculos directos.",
        "tip.type": "Tipo", "tip.country": "País", "tip.sector": "Sector",
        "tip.cooperant_cents": "Aporte del cooperante", "tip.counterpart_cents": "Contrapartida distrital",
        "tip.total_cents": "Valor total", "tip.contributions": "Contribuciones", "tip.monetary": "monetarias",
        "tip.interactions": "Interacciones", "tip.reported": "Interacciones reportadas", "tip.amount": "Monto",
        "tip.dates": "Fechas", "tip.other_currency": "Contribuciones en otra moneda (no sumadas)",
        "tip.converted": "Su valor en COP (tasa de cada una)", "tip.all_cooperation": "Toda la cooperación en COP",
        "tip.in_cop": "En COP: {cop} (tasa {rate}, {basis} {date})", "tip.basis.date": "TRM del",
        "tip.basis.period-average": "promedio", "tip.basis.period-end": "cierre al",
        "tip.counted_in": "Ya incluido en {other} (no se suma dos veces)",
        "tip.members": "Agrupa {n} nodos", "tip.as_cooperant": "Incluye su aporte como cooperante",
        "tip.also_cooperant": "También cooperante ({type})",
        "tip.engagements": "Proyectos o actividades",
        "tip.with_center": "Con {name}:", "tip.own_totals": "En total:",
        "tip.link_money": "{a} → {b}: {amount} (valor total de los aportes de {a} a {b})",
        "tip.shared_projects": "Proyectos en común: {n}", "tip.shared_events": "Eventos en común: {n}",
        "tip.partner_fee": "Paga la cuota de membresía", "tip.partner_member": "Miembro de la red",
        "tip.stated_amount": "Monto de sus proyectos", "tip.stated_in_cop": " (en COP: {cop})",
    },
    "en": {
        "overview.title": "Bogotá's international cooperation network",
        "overview.subtitle": "Cooperants, district entities, city networks, projects and activities, sectors, SDGs "
                             "and objectives of the district plan (PDD). Links are contributions (width by value), "
                             "participations and memberships.",
        "ego.title": "Relationship map: {name}",
        "ego.subtitle": "{kind} and what lies within {hops} of it.",
        "ego.hop1": "one hop", "ego.hop2": "two hops",
        "networks.title": "City networks",
        "networks.subtitle": "The city networks Bogotá belongs to, their projects, events and activities, and the "
                             "district entities and cooperants that take part.",
        "flows.title": "Cooperation money flows",
        "flows.subtitle": "Money of the monetary contributions in Colombian pesos: where it comes from (organisation "
                          "type or country), which sector it goes to and which SDG or PDD objective it serves.",
        "index.title": "Maps of Bogotá's international cooperation",
        "index.intro": "Relationship maps and flow charts that work offline.",
        "index.overview": "Whole cooperation network",
        "index.networks": "City networks",
        "index.flows": "Money flows (Sankey)",
        "index.query": "Cypher queries for analysts (editor and named queries)",
        "index.ego": "Relationship (ego) maps of an organisation, network, SDG or PDD objective",
        "index.ego_form": "Organisation, network, SDG or PDD objective, as you would write it (e.g. BID, Secretaría de Ambiente, C40, SDG 13)",
        "index.open": "Open",
        "index.sdgs": "SDGs", "index.pdd": "PDD objectives", "index.networks_list": "Networks",
        "index.cooperants": "Largest cooperants", "index.entities": "Entities with most resources",
        "index.figures": "Headline figures of the 2024 report", "index.fig_interactions": "Cooperation interactions",
        "index.memberships": "Networks Bogotá is a member of", "index.sections": "Sections and programmes of other networks",
        "index.adhesions": "2025 adhesions (after the report's period)",
        "index.section_of": "section of {parent}", "index.since": "since {date}",
        "index.profile": "profile", "index.map": "map",
        "ui.search": "Search", "ui.search_placeholder": "Name or acronym…",
        "ui.filters": "Filters", "ui.sector": "Sector", "ui.sdg": "SDG", "ui.year": "Year",
        "ui.type": "Organisation type", "ui.all": "All", "ui.reset": "Reset",
        "ui.hide_isolated": "Hide nodes without visible links",
        "ui.size_by": "Size by", "ui.size_money": "value of contributions", "ui.size_centrality": "centrality (degree)",
        "ui.legend": "Legend", "ui.legend_hint": "Click a legend entry to hide or show it.",
        "ui.counts": "Showing {nodes} of {total_nodes} nodes and {edges} of {total_edges} links",
        "ui.details": "Details", "ui.details_empty": "Select a node to see its details.",
        "ui.open_ego": "Open its relationship map", "ui.open_profile": "Open its profile",
        "ui.share": "Share this view", "ui.copy_link": "Copy link", "ui.export_png": "PNG image",
        "ui.export_svg": "SVG image",
        "ui.link_copied": "Link copied: it opens this same view (filters, selection, expanded nodes).",
        "ui.expand": "Expand neighbours", "ui.expanded": "{n} neighbours added to the map.",
        "ui.nothing_to_expand": "All its neighbours are already on the map.",
        "ui.unlinked": "Cooperants without recorded links ({n})",
        "ui.unlinked_hint": "Table 2 only reports how many interactions they had; most first.", "ui.not_found": "“{q}” not found.",
        "ui.offline": "Self-contained page: works offline.",
        "ui.edge_width": "Link width: total value of the contributions.",
        "ui.links": "Links",
        "basis.stated": "Stated by the report",
        "basis.derived": "Derived by coopgraph",
        "basis.outside": "Outside knowledge",
        "ui.links_hint": "Solid line: the report states it. Dashed: coopgraph derived it (each contribution's SDG or PDD objective, a host city as participant). Dotted: knowledge from outside the report (an entity's sector).",
        "ui.no_type": "No type", "ui.no_sector": "No sector", "ui.no_sdg": "No SDG", "ui.no_pdd": "No PDD objective",
        "ui.international": "International bodies", "ui.no_cooperant": "No cooperant",
        "ui.others": "Others ({n})",
        "flows.source": "Source", "flows.by_type": "Organisation type", "flows.by_country": "Country",
        "flows.target": "Target", "flows.to_sdg": "SDG", "flows.to_pdd": "PDD objective",
        "flows.money": "Money", "flows.money_cooperant": "Cooperants' contribution",
        "flows.money_total": "Total value (contribution + counterpart)",
        "flows.total": "Total: {amount} in {n} monetary contributions.",
        "flows.split": "A contribution linked to several SDGs or objectives splits its value in equal parts.",
        "flows.other_currency": "{n} contributions in another currency are not added.",
        "flows.all_cooperation": "These flows are the figures stated in COP ({report}). All cooperation in COP, with "
                                 "{n} amounts in other currencies converted at their own rates: {total}.",
        "flows.others": "Nodes of a column beyond the {n} largest are grouped as “Others”.",
        "flows.empty": "There are no monetary contributions in pesos to show.",
        "note.trimmed": "Showing {shown} of {total} nodes: those with most money and centrality. {omitted} nodes left out ({detail}).",
        "note.aggregated": "Left-out cooperants are grouped by type into “Others” nodes, their links added up.",
        "note.edges_trimmed": "Showing {shown} of {total} links (largest value first); {omitted} left out.",
        "note.isolated": "{n} cooperants have no recorded link to an entity, network or project "
                         "(Table 2 only reports their number of interactions); they are listed to the right of the map.",
        "note.overview_sdg": "Cooperants reach SDGs and PDD objectives through the entities that receive their "
                             "contributions; each cooperant's relationship map shows its direct links.",
        "tip.type": "Type", "tip.country": "Country", "tip.sector": "Sector",
        "tip.cooperant_cents": "Cooperant contribution", "tip.counterpart_cents": "District counterpart",
        "tip.total_cents": "Total value", "tip.contributions": "Contributions", "tip.monetary": "monetary",
        "tip.interactions": "Interactions", "tip.reported": "Reported interactions", "tip.amount": "Amount",
        "tip.dates": "Dates", "tip.other_currency": "Contributions in another currency (not added)",
        "tip.converted": "Their value in COP (each at its rate)", "tip.all_cooperation": "All cooperation in COP",
        "tip.in_cop": "In COP: {cop} (rate {rate}, {basis} {date})", "tip.basis.date": "rate of",
        "tip.basis.period-average": "average of", "tip.basis.period-end": "closing rate of",
        "tip.counted_in": "Already inside {other} (not added twice)",
        "tip.members": "Groups {n} nodes", "tip.as_cooperant": "Includes its contribution as a cooperant",
        "tip.also_cooperant": "Also a cooperant ({type})",
        "tip.engagements": "Projects or activities",
        "tip.with_center": "With {name}:", "tip.own_totals": "Overall:",
        "tip.link_money": "{a} → {b}: {amount} (total value of {a}'s contributions to {b})",
        "tip.shared_projects": "Projects together: {n}", "tip.shared_events": "Events together: {n}",
        "tip.partner_fee": "Pays the membership fee", "tip.partner_member": "Member of the network",
        "tip.stated_amount": "Amount of its projects", "tip.stated_in_cop": " (in COP: {cop})",
    },
}

KINDS = {  # the node kinds' words come from the schema (graph/schema/nodes.yaml); "group" is the maps' own
    **{kind: (label.word("es"), label.word("en")) for kind, label in model().kinds().items()},
    "group": ("Agregado", "Aggregate"),
}

# Cooperants are coloured by a bucket of their IATI organisation type.
BUCKETS = {
    "coop-gov": ("Cooperante: gobierno", "Cooperant: government", (10,)),
    "coop-local": ("Cooperante: gobierno local", "Cooperant: local government", (11,)),
    "coop-public": ("Cooperante: otro sector público", "Cooperant: other public sector", (15,)),
    "coop-multilateral": ("Cooperante: multilateral", "Cooperant: multilateral", (40,)),
    "coop-ngo": ("Cooperante: ONG", "Cooperant: NGO", (21, 22, 23, 24)),
    "coop-foundation": ("Cooperante: fundación", "Cooperant: foundation", (60,)),
    "coop-private": ("Cooperante: sector privado", "Cooperant: private sector", (30, 70, 71, 72, 73)),
    "coop-academia": ("Cooperante: academia", "Cooperant: academia", (80,)),
    "coop-other": ("Cooperante: otro o sin tipo", "Cooperant: other or no type", ()),
}
_BUCKET_OF = {code: key for key, (_, _, codes) in BUCKETS.items() for code in codes}

RELATIONS = {  # a link named after its relationship type takes the type's words (graph/schema/relationships.yaml)
    **{rel.name.lower(): (rel.words["es"], rel.words["en"]) for rel in model().relationships.values() if rel.words},
    "funding": ("Financiación", "Funding"),  # PROVIDED and RECEIVED seen as one cooperant-entity link
    "aligned": ("Objetivo del PDD alineado con el ODS", "PDD objective aligned with the SDG"),
    "aggregate": ("Vínculos sumados", "Links added up"),
}
RELATIONS["channel"] = RELATIONS.pop("through_network")  # the maps call it "channel"


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        from coopgraph.viz.errors import MapError

        raise MapError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}", lang=lang)
    return lang


def t(lang: str, key: str, **values) -> str:
    text = TEXT[lang].get(key) or TEXT["es"][key]
    return text.format(**values) if values else text


def _pick(pair: tuple, lang: str) -> str:
    return pair[0] if lang == "es" else pair[1]


def kind_name(kind: str, lang: str) -> str:
    return _pick(KINDS[kind], lang)


def bucket_of(iati_type: int | None) -> str:
    return _BUCKET_OF.get(iati_type or 0, "coop-other")


def bucket_name(bucket: str, lang: str) -> str:
    return _pick(BUCKETS[bucket], lang)


def relation_name(relation: str, lang: str) -> str:
    return _pick(RELATIONS[relation], lang)


def value_name(label: str, prop: str, value, lang: str) -> str:
    """A property's value as pages name it (graph/schema's `values`): ``multilateral-bank`` → "Banco multilateral"."""
    return model().node(label).properties[prop].word(value, lang)


def engagement_kind(kind: str | None, lang: str) -> str:
    return value_name("Engagement", "kind", kind, lang)


@lru_cache(maxsize=1)
def _iati_codes() -> dict[int, tuple[str, str]]:
    from coopgraph.analysis.breakdowns import iati_names  # the codelist, read once for every surface

    return {code: (names["es"], names["en"]) for code, names in iati_names().items()}


def iati_name(code: int | None, lang: str, fallback: str | None = None) -> str:
    """The IATI organisation type's name; the store's Spanish name wins in Spanish."""
    if not code:
        return t(lang, "ui.no_type")
    if lang == "es" and fallback:
        return fallback
    names = _iati_codes().get(int(code))
    return _pick(names, lang) if names else (fallback or str(code))


@lru_cache(maxsize=4)
def _territories(lang: str) -> dict:
    return Locale.parse(LOCALES[lang]).territories


def country_name(code: str | None, lang: str) -> str:
    if not code:
        return t(lang, "ui.international")
    return _territories(lang).get(code.upper(), code)


def count(n: int, lang: str) -> str:
    """A count the page's way: ``2.000`` in Spanish, ``2,000`` in English (as babel writes them, faster)."""
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "es" else text


def cop(cents: int) -> str:
    """COP centavos, Colombian format, in every language: ``$ 1.234.567,89``.

    The same text as `coopgraph.money.format_cop(cents, cents=True)` (the tests hold them equal),
    written directly because a 2,000-node map formats tens of thousands of amounts.

    >>> cop(123456789)
    '$ 1.234.567,89'
    """
    cents = int(cents or 0)
    pesos, centavos = divmod(abs(cents), 100)
    return ("-" if cents < 0 else "") + f"$ {pesos:,}".replace(",", ".") + f",{centavos:02d}"


def rate(value: str | None, lang: str) -> str:
    """An exchange rate, COP per unit: 4.156,89 in Spanish, 4,156.89 in English."""
    from babel.numbers import format_decimal

    if value is None:
        return "—"
    return format_decimal(Decimal(value), format="#,##0.00##", locale="es_CO" if lang == "es" else "en_US")


def amount(cents: int, currency: str | None) -> str:
    """An amount in its own currency (engagements), written the Colombian way: ``US$ 1.000.000,00``."""
    if not currency or currency == "COP":
        return cop(cents)
    value = (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))
    return format_currency(value, currency, locale="es_CO", currency_digits=False, format="¤ #,##0.00")
