"""Read a spreadsheet export as text cells: CSV (UTF-8, UTF-8 with BOM, Windows-1252/Latin-1;
`;`, `,` or tab separated) or Excel .xlsx. Every cell stays a string; parsing is the validator's job.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from coopgraph.errors import InputError

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # Colombian Excel saves CSV as Windows-1252
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass
class RawTable:
    path: Path
    frame: pd.DataFrame   # all cells as str, "" when empty
    encoding: str
    separator: str
    first_data_line: int  # the file line (or sheet row) of the frame's first row
    checksum: str = ""    # sha256 of the bytes read: the load record that makes reloads idempotent


def read_raw(path: Path) -> RawTable:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(path, None, None, None, f"a readable file ({exc.strerror})")
    if not data.strip():
        raise InputError.single(path, 1, None, None, "a header row and at least one interaction (the file is empty)")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return replace(_read_excel(path, data), checksum=hashlib.sha256(data).hexdigest())
    if data.startswith(b"PK\x03\x04"):
        raise InputError.single(path, None, None, None,
                                "a CSV text file; this is an Excel workbook, name it .xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.single(path, 1, None, None,
                                "UTF-8 or Windows-1252 text; this file is UTF-16 (save it as 'CSV UTF-8')")
    if b"\x00" in data[:65536]:
        raise InputError.single(path, 1, None, None, "a CSV text file; this file is binary")
    encoding = _encoding(data)
    first = data.split(b"\n", 1)[0].decode(encoding)
    separator = max(";,\t", key=first.count)
    try:
        frame = pd.read_csv(io.BytesIO(data), sep=separator, dtype=str, keep_default_na=False, encoding=encoding,
                            skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL)
    except pd.errors.ParserError as exc:
        raise InputError.single(path, None, None, None, f"the same number of {separator!r}-separated cells on every line ({exc})")
    except pd.errors.EmptyDataError:
        raise InputError.single(path, 1, None, None, "a header row")
    return RawTable(path, frame, encoding.replace("utf-8-sig", "utf-8"), separator, 2,
                    hashlib.sha256(data).hexdigest())


def _encoding(data: bytes) -> str:
    """The first of ENCODINGS that decodes the whole file."""
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def _read_excel(path: Path, data: bytes) -> RawTable:
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl")
    except ImportError:
        raise InputError.single(path, None, None, None,
                                "the openpyxl package to read .xlsx files: pip install 'coopgraph[excel]'")
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InputError.single(path, None, None, None, f"an Excel .xlsx workbook ({type(exc).__name__}: {exc})")
    return RawTable(path, frame, "xlsx", "", 2)
