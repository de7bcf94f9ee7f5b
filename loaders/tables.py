"""The tidy tables coopgraph extracts from a yearly report, declared once.

The same declaration writes the bundled CSVs under data/ and validates them when read back,
so a hand-edited CSV with a bad cell fails with its file, row and column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from coopgraph.errors import InputError, Problem
from coopgraph.money import parse_plain


@dataclass(frozen=True)
class TableSpec:
    name: str
    filename: str
    columns: dict[str, str]  # column -> "str" | "int" | "decimal" | "str?" (optional text)
    description: str


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        TableSpec("sources", "sources.csv",
                  {"id": "str", "title": "str", "kind": "str", "parent": "str?", "year": "int", "line": "int",
                   "mandate": "str?", "mandate_line": "str?"},
                  "The report, its tables and sections: what every other row points at; the report's row "
                  "also names the act that requires it and the line that says so."),
        TableSpec("sdg", "tabla-1-ods.csv",
                  {"source": "str", "line": "int", "sdg": "int", "name": "str",
                   "interactions_non_monetary": "int", "interactions_monetary": "int",
                   "interactions": "int", "total_cop": "decimal"},
                  "Tabla 1: interactions and amounts per ODS."),
        TableSpec("cooperants", "tabla-2-cooperantes.csv",
                  {"source": "str", "line": "int", "no": "int", "name": "str", "interactions": "int"},
                  "Tabla 2: cooperants and allies with their number of interactions."),
        TableSpec("entities", "tabla-3-entidades.csv",
                  {"source": "str", "line": "int", "name": "str", "interactions": "int"},
                  "Tabla 3: district entities with their number of interactions."),
        TableSpec("collaboration", "tabla-4-tipos.csv",
                  {"source": "str", "line": "int", "action_type": "str", "collaboration_type": "str",
                   "value_millions": "decimal"},
                  "Tabla 4: value per action type and collaboration type, millions of COP."),
        TableSpec("contributions", "tabla-5-aportes.csv",
                  {"source": "str", "line": "int", "row": "int", "sector": "str", "entity": "str",
                   "cooperant": "str", "cooperant_cop": "decimal", "counterpart_cop": "decimal",
                   "total_cop": "decimal"},
                  "Tabla 5: the monetary contributions by sector, entity and cooperant."),
        TableSpec("cideu", "cideu-actividades.csv",
                  {"source": "str", "line": "int", "row": "int", "activity": "str", "participants": "str?",
                   "amount_eur": "decimal"},
                  "Section 6, CIDEU: activities with CIDEU's estimated investment in euros."),
        TableSpec("claims", "claims.csv",
                  {"claim_id": "str", "source": "str", "line": "int", "description": "str",
                   "stated": "decimal", "unit": "str"},
                  "Every total the report states, in tables and narrative, for reconciliation."),
    ]
}


def to_csv_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as text, money as plain decimal strings, in the declared column order."""
    spec = TABLES[name]
    out = frame[list(spec.columns)].copy()
    for column, kind in spec.columns.items():
        if kind == "decimal":
            out[column] = out[column].map(lambda d: format(Decimal(d), "f"))
    return out


def write_tables(tables: dict[str, pd.DataFrame], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in TABLES.items():
        path = directory / spec.filename
        to_csv_frame(name, tables[name]).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


def _convert(kind: str, text: str) -> object:
    if kind in ("str", "str?"):
        if kind == "str" and not text.strip():
            raise ValueError("empty")
        return text
    if kind == "int":
        return int(text)
    return parse_plain(text)


_EXPECTED = {"str": "non-empty text", "str?": "text", "int": "a whole number",
             "decimal": "a plain decimal number such as 1234.50"}


def read_table(name: str, directory: Path) -> pd.DataFrame:
    """Read and validate one bundled CSV; every bad cell is reported at once."""
    spec = TABLES[name]
    path = directory / spec.filename
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError.single(path, None, None, None, f"the file {spec.filename} ({spec.description})")
    except UnicodeDecodeError as exc:
        raise InputError.single(path, None, None, None, f"UTF-8 text ({exc.reason} at byte {exc.start})")
    except pd.errors.EmptyDataError:
        raise InputError.single(path, 1, None, None, f"a header row with columns {', '.join(spec.columns)}")
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            raise InputError.single(path, int(found.group(2)), None, f"{found.group(3)} fields",
                                    f"{found.group(1)} comma-separated fields (quote values that contain commas)")
        raise InputError.single(path, None, None, None, f"a well-formed CSV file ({exc})")
    problems: list[Problem] = []
    missing = [c for c in spec.columns if c not in raw.columns and not spec.columns[c].endswith("?")]
    for column in spec.columns:  # an optional column a file written before it existed lacks: empty
        if column not in raw.columns:
            raw[column] = ""
    if missing:
        raise InputError([Problem(str(path), 1, c, None, "this column in the header") for c in missing])
    converted: dict[str, list] = {c: [] for c in spec.columns}
    for index, record in enumerate(raw[list(spec.columns)].itertuples(index=False)):
        for column, text in zip(spec.columns, record):
            kind = spec.columns[column]
            try:
                converted[column].append(_convert(kind, text))
            except (ValueError, TypeError):
                # +2: the header is line 1 and pandas counts rows from 0.
                problems.append(Problem(str(path), index + 2, column, text, _EXPECTED[kind]))
                converted[column].append(None)
    if problems:
        raise InputError(problems)
    return pd.DataFrame(converted, columns=list(spec.columns))


def read_tables(directory: Path) -> dict[str, pd.DataFrame]:
    return {name: read_table(name, directory) for name in TABLES}
