"""A profile ("ficha") as a printable offline HTML page, a CSV and an XLSX workbook.

    page = profile_html(build_profile(store, "entity", "sda"), lang="es")
    data = profile_csv(profile, lang="es", delimiter=";")   # bytes, UTF-8 with BOM (Excel)
    book = profile_xlsx(profile, lang="en")                  # bytes: money and counts as numbers

Files hold the page's tables (coopgraph.spreadsheets writes them): money twice, in pesos and in centavos.
"""
from __future__ import annotations

from coopgraph import spreadsheets
from coopgraph.spreadsheets import Money, Table
from coopgraph.errors import CoopgraphError
from coopgraph.graph.model import model
from coopgraph.graph.profiles import KINDS, Profile
from coopgraph.money import from_cents
from coopgraph.viz import assets, i18n
from coopgraph.viz.page import render_template
from coopgraph.viz.profile_text import (cell, column_name, compact_sources, fact_label, fact_value, kind_word,
                                        section_title, word)

__all__ = ["profile_html", "profile_csv", "profile_xlsx", "map_id", "PROFILE_KINDS"]

PROFILE_KINDS = tuple(KINDS)  # the kinds a ficha exists for (coopgraph.graph.profiles)
LINKABLE = set(PROFILE_KINDS)


def map_id(kind: str, key: str) -> str:
    """The map node id of a profile (``sdg:13``, ``entity:sda``)."""
    return f"{kind}:{key}"


def _link_kind(section_key: str, row: dict, profile: Profile) -> str | None:
    if "kind" in row and row["kind"] in LINKABLE:
        return row["kind"]
    return {"sdgs": "sdg", "pdd": "pdd-objective", "engagements": "engagement", "events": "engagement"}.get(section_key) or (
        ("entity" if row.get("relation") == "fee_paid_by" else "network") if section_key == "networks" else None)


def _numeric(column: str) -> bool:
    """A column of figures (right-aligned, never wrapped)."""
    return column.endswith(("_cents", "_pct")) or column in ("contributions", "interactions", "cooperants", "hhi",
                                                             "counterpart_per_cooperant_peso")


def _sections(profile: Profile, lang: str, base: str) -> list[dict]:
    out = []
    for section in profile.sections:
        columns = [c for c in section.columns if c not in ("id", "currency") or section.key == "sources"]
        if section.key == "sources":
            columns = [c for c in columns if c != "source"]
        rows = []
        for row in section.rows:
            cells = []
            for c in columns:
                text = cell(c, row, lang)
                if c == "name" and section.key == "sdgs":
                    text = f"{'ODS' if lang == 'es' else 'SDG'} {row['id']} · {text}"
                href = None
                kind = _link_kind(section.key, row, profile)
                if c in ("name", "top_cooperant") and kind and row.get("id") is not None:
                    href = f"{base}/{kind}/{row['id']}?lang={lang}"
                cells.append({"text": text, "href": href, "col": c, "num": _numeric(c), "date": c.endswith("_date")})
            rows.append(cells)
        out.append({"key": section.key, "title": section_title(section.key, lang), "note":
                    word(lang, f"note.{section.note}") if section.note else "",
                    "columns": [{"name": column_name(c, lang), "col": c, "num": _numeric(c)}
                                for c in columns], "rows": rows})
    return out


def _headline(profile: Profile, lang: str) -> list[dict]:
    out = []
    for fact in profile.headline:
        basis = fact.basis
        extra = ""
        if fact.note.startswith("rows:") and int(fact.note[5:]) > 1:
            extra = word(lang, "rows", n=fact.note[5:])
        out.append({"key": fact.key, "label": fact_label(fact, lang), "value": fact_value(fact, lang),
                    "basis": basis, "basis_text": word(lang, f"basis.{basis}"), "extra": extra,
                    "sources": compact_sources(fact.sources, lang) if fact.sources else "",
                    "note": fact.note if fact.unit == "money" and fact.value is None else "",
                    "zero": fact.value == 0, "unknown": fact.value is None})
    return out


def _details(profile: Profile, lang: str) -> list[tuple[str, str]]:
    out = []
    for key, value in profile.details.items():
        if key == "country":
            value = i18n.country_name(value, lang)
        elif key in ("kind", "cooperant_kind") and profile.kind == "engagement":
            value = i18n.engagement_kind(value, lang)
        elif key == "cooperant_kind":  # the schema's words for the curated kind, never its id
            value = model().node("Cooperant").properties["kind"].value_word(value, lang) or value
        out.append((word(lang, f"detail.{key}"), str(value)))
    return out


def profile_html(profile: Profile, *, lang: str = "es", base: str = "/profiles", maps_base: str = "/maps",
                 api_base: str = "/api/v1/profiles") -> str:
    """The profile as one offline page (no network needed), with a print stylesheet: one organisation per page."""
    i18n.check_lang(lang)
    other = "en" if lang == "es" else "es"
    self_href = f"{base}/{profile.kind}/{profile.id}"
    api_href = f"{api_base}/{profile.kind}/{profile.id}"
    roles = [kind_word(r, lang) for r in profile.roles[1:]]
    return render_template(
        "profile.html", lang=lang, profile=profile, title=word(lang, "title", name=profile.name),
        kind=word(lang, "kinds", kind=kind_word(profile.kind, lang)),
        also=[word(lang, "also", kind=r.lower()) for r in roles], headline=_headline(profile, lang),
        details=_details(profile, lang), sections=_sections(profile, lang, base), text=lambda k, **kw: word(lang, k, **kw),
        other_lang=other, other_href=f"{self_href}?lang={other}",
        map_href=f"{maps_base}/ego?id={map_id(profile.kind, profile.id)}&lang={lang}",
        csv_href=f"{api_href}?format=csv&lang={lang}", csv_semicolon_href=f"{api_href}?format=csv&sep=semicolon&lang={lang}",
        xlsx_href=f"{api_href}?format=xlsx&lang={lang}", json_href=api_href,
        own_css=assets.style("profile.css"))


# -- files -----------------------------------------------------------------------------------
def _file_columns(columns: list[str], lang: str) -> list[tuple[str, str, str]]:
    """(column, header, how): money columns become two, pesos and centavos."""
    out = []
    for c in columns:
        if c.endswith("_cents") and c != "amount_cents":
            out.append((c, f"{column_name(c, lang)} {word(lang, 'col.pesos')}", "pesos"))
            out.append((c, f"{column_name(c, lang)} {word(lang, 'col.centavos')}", "cents"))
        elif c == "amount_cents":
            out.append((c, column_name(c, lang), "amount"))
        else:
            out.append((c, column_name(c, lang), "plain"))
    return out


def _file_value(column: str, how: str, row: dict, lang: str):
    """A section's cell as the spreadsheet writer takes it: money as Money, counts as int, words as text."""
    value = row.get(column)
    if value is None:
        return None
    if how == "pesos":
        return Money(from_cents(value))
    if how == "cents":
        return int(value)
    if how == "amount":
        return Money(from_cents(value), row.get("currency") or "COP")
    if column in ("kind", "engagement_kind", "relation", "fact", "group"):
        return cell(column, row, lang)
    return value


def _headline_value(fact):
    """A headline figure as a number (pesos, an amount in its currency, a count), or None when there is none."""
    if fact.value is None or fact.unit == "text":
        return None
    if fact.unit == "cop_cents":
        return Money(from_cents(fact.value))
    if fact.unit == "money":
        return Money(from_cents(fact.value), fact.note or "COP")
    return int(fact.value)


def _headline_table(profile: Profile, lang: str) -> Table:
    """Who the profile is about, then each headline figure as a number beside how the ficha writes it."""
    rows = [[word(lang, "col.name"), None, profile.name, None, None],
            [word(lang, "col.kind"), None, kind_word(profile.kind, lang), None, None],
            [word(lang, "col.id"), None, profile.id, None, None]]
    rows += [[key, None, value, None, None] for key, value in _details(profile, lang)]
    for fact in profile.headline:
        cents = fact.value if fact.unit in ("cop_cents", "money") and fact.value is not None else None
        rows.append([fact_label(fact, lang), _headline_value(fact), fact_value(fact, lang), cents,
                     compact_sources(fact.sources, lang)])
    columns = [word(lang, "headline"), word(lang, "col.value"), word(lang, "col.shown"),
               word(lang, "col.centavos"), word(lang, "sources")]
    return Table(columns, rows, {columns[3]: spreadsheets.COUNT}, title=word(lang, "headline"))


def profile_tables(profile: Profile, lang: str = "es") -> list[Table]:
    """The ficha as tables: the headline, then one table per section (what CSV and XLSX both write)."""
    tables = [_headline_table(profile, lang)]
    for section in profile.sections:
        columns = _file_columns(section.columns, lang)
        kinds = {header: spreadsheets.COUNT for c, header, how in columns
                 if how == "cents" or c in ("contributions", "interactions")}
        rows = [[_file_value(c, how, row, lang) for c, _, how in columns] for row in section.rows]
        tables.append(Table([header for _, header, _ in columns], rows, kinds, title=section_title(section.key, lang)))
    return tables


def profile_csv(profile: Profile, *, lang: str = "es", delimiter: str = ",") -> bytes:
    """The profile as CSV blocks (headline, then one block per section), UTF-8 with a BOM so Excel reads
    accents right; ``delimiter=";"`` (and a decimal comma) for spreadsheets set to Spanish."""
    i18n.check_lang(lang)
    if delimiter not in (",", ";"):
        raise CoopgraphError(f"the CSV delimiter must be ',' or ';', not {delimiter!r}")
    return spreadsheets.csv_bytes(profile_tables(profile, lang), semicolon=delimiter == ";")


def profile_xlsx(profile: Profile, *, lang: str = "es") -> bytes:
    """The profile as a workbook: the headline sheet, then one sheet per section; money and counts are numbers."""
    i18n.check_lang(lang)
    return spreadsheets.xlsx_bytes(profile_tables(profile, lang))
