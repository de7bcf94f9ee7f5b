"""What every command of the CLI shares: the consoles, the common options, the store and the year parser."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from coopgraph.settings import get_settings
from coopgraph.terminal import SafeConsole

__all__ = ["out", "err", "ReportOption", "TablesOption", "SemicolonOption", "YearOption", "open_settings_store",
           "_store", "_years", "_check_years"]

out = SafeConsole()
err = SafeConsole(stderr=True, soft_wrap=True)  # errors stay on one line, greppable

ReportOption = Annotated[Optional[Path], typer.Option("--report", help="Parse this report text file instead of the bundled 2024 tables.")]
TablesOption = Annotated[Optional[Path], typer.Option("--tables", help="Read a report's tidy CSVs (as `extract` writes them) from this directory.")]
SemicolonOption = Annotated[bool, typer.Option("--semicolon", help="CSV with ';' between cells and a decimal comma, as spreadsheets set to Spanish expect.")]
YearOption = Annotated[Optional[str], typer.Option("--year", help="Only this year (2024) or range (2023-2024).")]


def open_settings_store():
    """The store the settings name (embedded or Neo4j)."""
    from coopgraph.graph.store import open_store

    return open_store(get_settings())


def _store():
    from coopgraph.graph.store import open_store

    return open_store(get_settings())


def _years(year: str | None) -> dict:
    if not year:
        return {}
    low, _, high = year.partition("-")
    if not (low.strip().isdecimal() and (not high or high.strip().isdecimal())):
        raise typer.BadParameter(f"expected a year such as 2024 or a range such as 2023-2024, not {year!r}")
    return {"from_year": int(low), "to_year": int(high or low)}


def _check_years(store, year: str | None) -> None:
    """A year or range with no data is an error naming the years that have some."""
    from coopgraph.analysis.filters import check_years

    if year:
        check_years(store, **_years(year))
