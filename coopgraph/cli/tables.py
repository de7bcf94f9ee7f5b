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
        items = [cell("", v) for v in value]
        return ("; " if any(", " in i for i in items) else ", ").join(items) or NOTHING  # citations hold commas
    return str(value)


def _header(column: str) -> str:
    return column.removesuffix("_cents") + (" (COP)" if column.endswith("_cents") else "")


def result_table(columns: list[str], rows: list[dict], title: str, *, width: int = 120) -> Table | str:
    """A rich table of the rows, or "sin resultados" when there are none. Money is right-aligned and never
    wrapped; rows too wide for `width` (the terminal) are shown one record at a time, field: value."""
    if not rows:
        return EMPTY
    texts = [[cell(c, row.get(c)) for c in columns] for row in rows]
    needed = sum(max(len(_header(c)), *(min(len(t[i]), 40) for t in texts)) + 3 for i, c in enumerate(columns))
    if needed <= width:
        table = Table(title=title)
        for c in columns:
            money = c.endswith("_cents") or c.endswith("_cop")
            table.add_column(_header(c), justify="right" if money else "left", no_wrap=money, overflow="fold")
        for t in texts:
            table.add_row(*t)
        return table
    table = Table(title=title, show_header=False)  # one record per block, like psql's \x
    table.add_column("campo", style="bold", no_wrap=True)
    table.add_column("valor", overflow="fold")
    for n, t in enumerate(texts, start=1):
        table.add_row(f"#{n}", "", end_section=False)
        for c, text in zip(columns, t):
            table.add_row(_header(c), text)
        table.add_section()
    return table
