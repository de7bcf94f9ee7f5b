"""A profile ("ficha") as a printable offline HTML page, a CSV and an XLSX workbook.

    page = profile_html(build_profile(store, "entity", "sda"), lang="es")
    data = profile_csv(profile, lang="es", delimiter=";")   # bytes, UTF-8 with BOM (Excel)
    book = profile_xlsx(profile, lang="en")                  # bytes: money and counts as numbers

Files hold the page's tables (coopgraph.spreadsheets writes them): money twice, in pesos and in centavos.
"""
from __future__ import annotations

from dataclasses import replace

from coopgraph import spreadsheets
from coopgraph.spreadsheets import Money, Table
from coopgraph.errors import CoopgraphError
from coopgraph.graph.model import model
from coopgraph.analysis.profiles import KINDS, Profile
from coopgraph.money import from_cents
from coopgraph.viz import assets, i18n
from coopgraph.viz.page import render_template
from coopgraph.viz.profile_text import (cell, column_name, compact_sources, fact_in_cop, fact_kind, fact_label, fact_value,
                                        kind_word, links_text,
                                        section_title, word)

__all__ = ["profile_html", "profile_csv", "profile_xlsx", "map_id", "PROFILE_KINDS"]

PROFILE_KINDS = tuple(KINDS)  # the kinds a ficha exists for (coopgraph.analysis.profiles)
LINKABLE = set(PROFILE_KINDS)
DATA_LANG = "es"  # the report's own words (quotes, roles, titles, descriptions) are Spanish on every page
REPORT_TEXT_COLUMNS = {"quote", "role", "title", "supports"}
REPORT_TEXT_DETAILS = {"members_desc", "description", "amount_note", "roles", "headline", "membership_act", "part_of", "sector"}
PAGE_PARTNER_COLUMNS = ("kind", "name", "links", "contributions", "total_cents")


def map_id(kind: str, key: str) -> str:
    """The map node id of a profile (``sdg:13``, ``entity:sda``)."""
    return f"{kind}:{key}"


def _link_kind(section_key: str, row: dict, profile: Profile) -> str | None:
    if "kind" in row and row["kind"] in LINKABLE:
        return row["kind"]
    return {"sdgs": "sdg", "pdd": "pdd-objective", "engagements": "engagement", "events": "engagement"}.get(section_key) or (
        ("entity" if row.get("relation") == "fee_paid_by" else "network") if section_key == "networks" else None)


def _page_sources(section, lang: str):
    """The sources as a page shows them: one row per report line or file row, each quoted once, with every fact
    it supports (the downloads keep one row per fact)."""

    order = list(model().provenance.bases)
    merged: dict[tuple, dict] = {}
    for row in section.rows:
        key = (row.get("source"), row.get("locator"))
        m = merged.setdefault(key, {**row, "supports": [], "bases": []})
        what = fact_kind(str(row["fact"]), lang) + (f": {row['about']}" if row.get("about") else "")
        if what not in m["supports"]:
            m["supports"].append(what)
        if row.get("basis"):
            m["bases"].append(row["basis"])
        if len(row.get("quote") or "") > len(m.get("quote") or ""):
            m["quote"] = row["quote"]
    rows = []
    for m in merged.values():
        known = [b for b in m["bases"] if b in order]
        rows.append({**m, "supports": "; ".join(m["supports"]), "basis": min(known, key=order.index) if known else ""})
    return replace(section, columns=["title", "locator", "supports", "basis", "quote"], rows=rows)


def _numeric(column: str) -> bool:
    """A column of figures (right-aligned, never wrapped)."""
    return column.endswith(("_cents", "_pct")) or column in ("contributions", "interactions", "cooperants", "hhi",
                                                             "counterpart_per_cooperant_peso")


def _sections(profile: Profile, lang: str, base: str) -> list[dict]:
    out = []
    for section in profile.sections:
        if section.key == "sources":
            section = _page_sources(section, lang)
        columns = [c for c in section.columns if c not in ("id", "currency") or section.key == "sources"]
        if section.key == "partners":  # the page keeps what a briefing reads; downloads keep every column
            columns = [c for c in columns if c in PAGE_PARTNER_COLUMNS]
        if section.key == "sources":
            columns = [c for c in columns if c != "source"]
        rows, others = [], []
        for row in section.rows:
            if section.key == "partners" and profile.kind == "network" and row["kind"] == "cooperant" \
                    and "money" not in row["links"]:
                others.append(row)  # a network's other cooperants in its projects: one line, not a table
                continue
            cells = []
            for c in columns:
                text = cell(c, row, lang)
                if (section.key == "partners" and (c.endswith("_cents") or c == "contributions")
                        and "money" not in row.get("links", ["money"])):
                    text = ""  # no money between them: blank, not a measured zero
                if c == "name" and section.key == "sdgs":
                    text = f"{'ODS' if lang == 'es' else 'SDG'} {row['id']} · {text}"
                href = None
                kind = _link_kind(section.key, row, profile)
                if c in ("name", "top_cooperant") and kind and row.get("id") is not None:
                    href = f"{base}/{kind}/{row['id']}?lang={lang}"
                cells.append({"text": text, "href": href, "col": c, "num": _numeric(c), "date": c.endswith("_date"),
                              "lang": DATA_LANG if c in REPORT_TEXT_COLUMNS else None})
            rows.append(cells)
        also = None
        if others:
            also = {"label": word(lang, "partners.others", n=len(others)),
                    "names": [{"text": r["name"], "href": f"{base}/cooperant/{r['id']}?lang={lang}",
                               "title": links_text(r, lang)} for r in others]}
        out.append({"key": section.key, "title": section_title(section.key, lang), "also": also, "count": len(section.rows),
                    "note":
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
                    "in_cop": [part for part in fact_in_cop(fact, lang).split(" · ") if part],
                    "sources": compact_sources(fact.sources, lang) if fact.sources else "",
                    "note": fact.note if fact.unit == "money" and fact.value is None else "",
                    "zero": fact.value == 0, "unknown": fact.value is None})
    return out


def _details(profile: Profile, lang: str) -> list[tuple[str, str]]:
    out = []
    for key, value in profile.details.items():
        if key == "country":
            value = i18n.country_name(value, lang)
        elif key == "kind" and profile.kind == "engagement":
            value = i18n.engagement_kind(value, lang)
        elif key == "kind" and profile.kind == "network":
            value = i18n.value_name("CityNetwork", "kind", value, lang)
        elif key == "cooperant_kind":
            value = i18n.value_name("Cooperant", "kind", value, lang)
        out.append((word(lang, f"detail.{key}"), str(value), DATA_LANG if key in REPORT_TEXT_DETAILS else None))
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
    if column in ("kind", "engagement_kind", "relation", "fact", "links", "group"):
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
    rows += [[key, None, value, None, None] for key, value, _ in _details(profile, lang)]
    if profile.data.get("data_version"):  # which load the figures come from, as the page's footer says
        stamp = profile.data["data_version"][:12] + (f", {word(lang, 'loaded_on')} {profile.data['loaded_at'][:10]}"
                                                       if profile.data.get("loaded_at") else "")
        rows.append([word(lang, "data_version"), None, stamp, None, None])
    for fact in profile.headline:
        in_cop = fact.unit == "money" and (fact.note or "COP") == "COP"
        cents = fact.value if (fact.unit == "cop_cents" or in_cop) and fact.value is not None else None
        rows.append([fact_label(fact, lang), _headline_value(fact), fact_value(fact, lang), cents,
                     compact_sources(fact.sources, lang)])
        if fact.cop_cents is not None and not in_cop:  # its COP value, at the rates named
            rows.append([f"{fact_label(fact, lang)} · COP", Money(from_cents(fact.cop_cents)), fact_in_cop(fact, lang),
                         fact.cop_cents, None])
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
