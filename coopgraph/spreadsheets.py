"""The one writer of every spreadsheet coopgraph produces, CSV and XLSX alike.

Every export (interactions, fichas, facts, graph edges, query results, rejected rows) hands this
module tables and gets the same guarantees:

- text cells that a spreadsheet would evaluate are escaped (OWASP CSV injection, coopgraph.cells);
- CSV is UTF-8 with a BOM, so Excel reads accents right; ``semicolon=True`` writes ``;`` between
  cells and a decimal comma, as Excel and LibreOffice set to Spanish expect;
- XLSX cells of money and counts are numbers with a Colombian-style format, never text;
- an absent value is an empty cell.

>>> table = Table(["nombre", "aporte"], [["=HYPERLINK(1)", Decimal("1234.5")], ["Ñandú", None]], {"aporte": MONEY})
>>> csv_bytes([table], semicolon=True).decode("utf-8-sig").splitlines()
['nombre;aporte', "'=HYPERLINK(1);1234,50", 'Ñandú;']
"""
from __future__ import annotations

import csv
import io
import numbers
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from coopgraph.cells import escape

MONEY, COUNT, NUMBER, TEXT = "money", "count", "number", "text"
FORMATS = {MONEY: '"$" #,##0.00', COUNT: "#,##0", NUMBER: "#,##0.####"}  # Excel shows them in its locale's separators
BOM = "\ufeff"


class Money(Decimal):
    """An amount in pesos (or in `currency`), wherever it sits: a money cell in a column of mixed kinds."""

    def __new__(cls, value, currency: str = "COP"):
        money = super().__new__(cls, value)
        money.currency = currency
        return money


@dataclass
class Table:
    """One sheet of an XLSX, one block of a CSV: a header, rows, and the kind of each column that is not text."""
    columns: list[str]
    rows: Iterable[Sequence]
    kinds: dict[str, str] = field(default_factory=dict)  # column -> MONEY | COUNT | NUMBER
    title: str | None = None  # the sheet's name; in a CSV of several tables, a line above the block

    def kind(self, index: int) -> str:
        return self.kinds.get(self.columns[index], TEXT)


def csv_text(tables: Sequence[Table], *, semicolon: bool = False) -> str:
    """The tables as CSV text (without the BOM): blocks separated by an empty line, titled when they have a title."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolon else ",", lineterminator="\r\n")
    for number, table in enumerate(tables):
        if number:
            writer.writerow([])
        if table.title and len(tables) > 1:
            writer.writerow([escape(table.title)])
        writer.writerow([escape(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([_csv_cell(value, table.kind(i), semicolon) for i, value in enumerate(row)])
    return buffer.getvalue()


def csv_bytes(tables: Sequence[Table], *, semicolon: bool = False) -> bytes:
    """The tables as a CSV file's bytes: UTF-8 with a BOM."""
    return (BOM + csv_text(tables, semicolon=semicolon)).encode("utf-8")


def _csv_cell(value, kind: str, semicolon: bool) -> str:
    if value is None or value == "":
        return ""
    value = _native(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, numbers.Number):
        text = _plain_number(value, kind)
        return text.replace(".", ",") if semicolon else text
    return escape(str(value))


def _native(value):
    """numpy's scalars (what pandas hands out) as Python's own."""
    return value.item() if hasattr(value, "item") and not isinstance(value, Decimal) else value


def _plain_number(value, kind: str) -> str:
    if kind == MONEY or isinstance(value, Money):
        return f"{Decimal(value):.2f}"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as a workbook, one sheet each: numbers as numbers (money and counts formatted), text escaped."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for number, table in enumerate(tables, start=1):
        sheet = book.create_sheet(_sheet_title(table.title or f"hoja {number}", used))
        sheet.append([escape(c) for c in table.columns])
        for row in table.rows:
            sheet.append([_xlsx_cell(value) for value in row])
            for index, value in enumerate(row):
                number_format = _number_format(value, table.kind(index))
                if number_format:
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = number_format
        for index, header in enumerate(table.columns, start=1):
            column = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[column].width = max(12, min(60, len(str(header)) + 4))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value):
    if value is None or value == "":
        return None
    value = _native(value)
    if isinstance(value, numbers.Number):
        return value
    return escape(str(value))


def _number_format(value, kind: str) -> str | None:
    if isinstance(value, Money) and value.currency != "COP":
        from babel.numbers import get_currency_symbol

        return f'"{get_currency_symbol(value.currency, locale="es_CO")}" #,##0.00'
    if isinstance(value, Money):
        return FORMATS[MONEY]
    if isinstance(_native(value), numbers.Number) and not isinstance(value, bool):
        return FORMATS.get(kind)
    return None


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel refuses sheet names with : \\ / ? * [ ], longer than 31 characters, or twice the same."""
    base = re.sub(r"[:\\/?*\[\]]", "-", title)[:31]
    name, suffix = base, 2
    while name.lower() in used:
        name = f"{base[:28]} {suffix}"
        suffix += 1
    used.add(name.lower())
    return name


def write(path: Path, tables: Sequence[Table], *, semicolon: bool = False) -> None:
    """Write the tables to `path`: .xlsx as a workbook, anything else as CSV."""
    path = Path(path)
    body = xlsx_bytes(tables) if path.suffix.lower() == ".xlsx" else csv_bytes(tables, semicolon=semicolon)
    path.write_bytes(body)
