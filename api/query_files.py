"""A query's answer as a file (CSV or XLSX), for the query page's downloads and any client.

The rows are the API's own (money both ways: each *_cents beside its *_cop), written by
coopgraph.spreadsheets: cells a spreadsheet would evaluate are escaped, money is a number in pesos
formatted as money, nodes and lists are their JSON text.
"""
from __future__ import annotations

from decimal import Decimal
from enum import Enum

import simplejson
from fastapi.responses import Response

from coopgraph.output import money_both_ways
from coopgraph.spreadsheets import COUNT, MONEY, Money, Table, csv_bytes, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_ANSWER = {200: {"description": "the answer as a file", "content": {
    "text/csv": {"schema": {"type": "string"}}, XLSX: {"schema": {"type": "string", "format": "binary"}}}}}


class FileFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


def _cell(column: str, value):
    if value is None:
        return None
    if column.endswith("_cop") and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Money(value)
    if isinstance(value, (dict, list)):
        return simplejson.dumps(value, use_decimal=True, ensure_ascii=False, default=str)
    return value


def result_table(columns: list[str], rows: list[dict], title: str) -> Table:
    data = money_both_ways({"columns": columns, "rows": rows})
    columns = data["columns"]
    kinds = {c: MONEY if c.endswith("_cop") else COUNT for c in columns if c.endswith(("_cop", "_cents"))}
    return Table(columns, [[_cell(c, row.get(c)) for c in columns] for row in data["rows"]], kinds, title=title[:31])


def result_file(columns: list[str], rows: list[dict], fmt: FileFormat, name: str, *, semicolon: bool = False) -> Response:
    """The answer as a download named `name`.csv or `name`.xlsx."""
    table = result_table(columns, rows, name)
    if fmt is FileFormat.xlsx:
        body, media = xlsx_bytes([table]), XLSX
    else:
        body, media = csv_bytes([table], semicolon=semicolon), "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'})
