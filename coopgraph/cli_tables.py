"""How the CLI shows rows to people: money the Colombian way, "—" for nothing, "sin resultados" for
no rows, names never cut. Machine formats (--format json/csv) are untouched."""
from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from coopgraph.money import format_cop
from coopgraph.output import show

__all__ = ["EMPTY", "cell", "result_table"]

EMPTY = "sin resultados"
NOTHING = "—"


def cell(column: str, value) -> str:
    """One value as a person reads it: ``*_cents`` columns in pesos (``$ 6.181.696.293,00``), counts
    with thousands separators, lists joined, None as "—"."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return "sí" if value else "no"
    if column.endswith("_cents") and isinstance(value, (int, Decimal)):
        return format_cop(value, cents=True)
    if column.endswith("_cop") and isinstance(value, (int, float, Decimal)):
        return format_cop(Decimal(str(value)))
    if isinstance(value, int) and column not in ("year", "from_year", "to_year", "number", "objective", "sdg"):
        return show(value, "count")
    if isinstance(value, (list, tuple)):
        return ", ".join(cell("", v) for v in value) or NOTHING
    return str(value)


def result_table(columns: list[str], rows: list[dict], title: str) -> Table | str:
    """A rich table of the rows, or "sin resultados" when there are none. Money columns are right-aligned."""
    if not rows:
        return EMPTY
    table = Table(title=title)
    for c in columns:
        money = c.endswith("_cents") or c.endswith("_cop")
        table.add_column(c.removesuffix("_cents") + (" (COP)" if c.endswith("_cents") else ""),
                         justify="right" if money else "left", no_wrap=money, overflow="fold")
    for row in rows:
        table.add_row(*(cell(c, row.get(c)) for c in columns))
    return table
