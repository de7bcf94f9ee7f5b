"""`coopgraph breakdown country|region|kind|iati-type`: money and interactions by one dimension of the
cooperant, each row with its share (coopgraph.analysis.breakdowns defines the figures)."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from coopgraph.output import machine_json

WORDS = {
    "es": {"group": "Grupo", "cooperants": "Cooperantes", "contributions": "Aportes", "interactions": "Interacciones",
           "total": "COP del informe", "all": "Toda la cooperación COP", "ratio": "Contrapartida\npor peso",
           "totals": "Total", "caption": "Participaciones con el método del mayor residuo: cada columna suma 100 %.",
           "caption_ratio": "«Contrapartida por peso»: lo que el Distrito pone por cada peso del cooperante (sin dato si el "
           "cooperante no puso dinero)."},
    "en": {"group": "Group", "cooperants": "Cooperants", "contributions": "Contributions", "interactions": "Interactions",
           "total": "Report COP", "all": "All cooperation COP", "ratio": "Counterpart\nper peso",
           "totals": "Total", "caption": "Shares by the largest-remainder method: each column sums to 100 %.",
           "caption_ratio": "'Counterpart per peso': what the District puts in per peso of the cooperant's (no data when the "
           "cooperant put in no money)."},
}


def breakdown_command(dimension: Annotated[str, typer.Argument(help="country, region, kind or iati-type")],
                      year: Annotated[Optional[str], typer.Option("--year", help="Only this year (2024) or range (2023-2024).")] = None,
                      as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
                      lang: Annotated[str, typer.Option(help="es or en")] = "es"):
    """Money and interactions by the cooperant's country, region (continent), kind or IATI type, with shares."""
    from rich.table import Table

    from coopgraph.cli.common import _check_years, _store, _years, out
    from coopgraph.analysis.breakdowns import DIMENSIONS, breakdown
    from coopgraph.loaders.history import stamp
    from coopgraph.analysis.shares import format_pct, format_ratio
    from coopgraph.viz.i18n import cop, count

    if dimension not in DIMENSIONS:
        raise typer.BadParameter(f"choose one of {', '.join(DIMENSIONS)}, not {dimension!r}", param_hint="DIMENSION")
    if lang not in WORDS:
        raise typer.BadParameter(f"es or en, not {lang!r}", param_hint="--lang")
    with _store() as store:
        _check_years(store, year)
        data = breakdown(store, dimension, **_years(year), lang=lang)
        data.update(stamp(store))
    if as_json:
        print(machine_json(data))
        return
    w = WORDS[lang]
    # the columns by priority, with the width each takes (cells and borders); the rest as the terminal allows
    room = out.width - 84  # group, interactions and COP of the report, with their shares
    shown = set()
    for column, width in (("contributions", 10), ("ratio", 16), ("cooperants", 14), ("all", 36)):
        if room >= width:
            shown.add(column)
            room -= width
    table = Table(title=data["title"] + (f" — {year}" if year else ""), caption=w["caption"] + (" " + w["caption_ratio"] if "ratio" in shown else ""))
    table.add_column(w["group"], overflow="fold", min_width=12)
    for key in ("cooperants", "contributions"):
        if key in shown:
            table.add_column(w[key], justify="right", no_wrap=True)
    table.add_column(w["interactions"], justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column(w["total"], justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    if "all" in shown:
        table.add_column(w["all"], justify="right", no_wrap=True)
        table.add_column("%", justify="right", no_wrap=True)
    if "ratio" in shown:
        table.add_column(w["ratio"], justify="right")

    def pct(value, shares: bool) -> str:
        return format_pct(value, lang, "—")

    def cells(r: dict, shares: bool = True) -> list[str]:
        row = [count(r[key], lang) for key in ("cooperants", "contributions") if key in shown]
        row += [count(r["interactions"], lang), pct(r["interactions_share_pct"], shares), cop(r["total_cents"]),
                pct(r["total_share_pct"], shares)]
        if "all" in shown:
            row += [cop(r["all_currency_cents"]), pct(r["all_currency_share_pct"], shares)]
        if "ratio" in shown:
            row.append(format_ratio(r["counterpart_per_cooperant_peso"], lang))
        return row

    for r in data["rows"]:
        table.add_row(r["name"], *cells(r))
    table.add_section()
    table.add_row(w["totals"], *cells(data["totals"], shares=False))
    out.print(table)
