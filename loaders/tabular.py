"""Read a spreadsheet export as text cells: CSV (UTF-8, UTF-8 with BOM, Windows-1252/Latin-1;
`;`, `,` or tab separated) or Excel .xlsx. Every cell stays a string; parsing values is the
validator's job, the shape of the file is checked here: one encoding for the whole file, as many
cells on every row as the header has columns (Excel's trailing delimiters forgiven), each header
once, no spreadsheet error cells (#N/A, #REF!…). Problems name the file, line and column.
"""
from __future__ import annotations

import csv
import hashlib
import io
import stat
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from coopgraph.cells import unescape, unescape_series
from coopgraph.errors import InputError, Problem
from coopgraph.loaders.csv_columnar import columnar_frame, maybe_escaped
from coopgraph.loaders.names import fold

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
# what a spreadsheet shows (and writes to CSV) for a formula that failed
EXCEL_ERRORS = {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
# an apostrophe that opens a cell: at a line's start, after a separator or an opening quote (spaces between)
_ESCAPED_CELL = re.compile(r"(?:^|[,;\t\"])[ ]*'", re.MULTILINE)
MAX_LISTED = 200  # shape problems listed in detail; more are counted
_NO_RESULT = "\x00no result"  # marks a formula cell whose file stores no computed value
MAX_CELL = 100_000  # characters in one cell (csv's own limit is 131,072)
# a valid multi-byte UTF-8 sequence: a file holding one is UTF-8, however many bytes are not
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass
class RawTable:
    path: Path
    frame: pd.DataFrame   # all cells as str, "" when empty; the header's columns
    encoding: str
    separator: str
    first_data_line: int  # the file line (or sheet row) of the frame's first row
    checksum: str = ""    # sha256 of the bytes read: the load record that makes reloads idempotent
    lines: np.ndarray | None = field(default=None, repr=False)  # the file line (sheet row) of each row

    @classmethod
    def nothing(cls, path: Path, checksum: str) -> "RawTable":
        """A file not read again (its checksum is recorded): no cells."""
        return cls(Path(path), pd.DataFrame(), "", "", 2, checksum, np.zeros(0, dtype="int64"))

    def line_numbers(self) -> np.ndarray:
        if self.lines is not None:
            return np.asarray(self.lines)
        return self.frame.index.to_numpy() + self.first_data_line


def read_raw(path: Path, data: bytes | None = None) -> RawTable:
    """The file's cells as text (`data`: its bytes, when the caller has read them already)."""
    path = Path(path)
    data = bounded_bytes(path) if data is None else data
    if not data.strip():
        raise InputError.single(path, 1, None, None, "a header row and at least one interaction (the file is empty)")
    checksum = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() in EXCEL_SUFFIXES:
        rows, lines, errors = _excel_rows(path, data)
        return _table(path, rows, lines, errors, "xlsx", "", checksum)
    if data.startswith(b"PK\x03\x04"):
        raise InputError.single(path, None, None, None,
                                "a CSV text file; this is an Excel workbook, name it .xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.single(path, 1, None, None,
                                "UTF-8 or Windows-1252 text; this file is UTF-16 (save it as 'CSV UTF-8')")
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        raise InputError.single(path, line, None, None, "a CSV text file; this file is binary (it holds NUL bytes)")
    text, encoding = _decode(path, data)
    first = next((line for line in text.split("\n") if line.strip()), "")  # blank lines above the header
    separator = max(";,\t", key=first.count)
    escaped = maybe_escaped(text)
    columnar = columnar_frame(text, data, encoding, separator, MAX_CELL, EXCEL_ERRORS, escaped)
    if columnar is not None:  # a well-formed file: one pass of pandas' C parser
        return RawTable(path, columnar[0], encoding, separator, 2, checksum, columnar[1])
    rows, lines = _csv_rows(path, text, separator)
    # every spreadsheet error starts with "#" and every escaped cell with "'": a text without either
    # (most exports) skips those passes over every cell
    errors = [(i, j) for i, row in enumerate(rows) for j, cell in enumerate(row) if cell.strip() in EXCEL_ERRORS] \
        if "#" in text else []
    return _table(path, rows, lines, errors, encoding, separator, checksum, maybe_escaped=escaped)


def bounded_bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file within COOPGRAPH_LOAD_MAX_FILE_MB: a FIFO would hang the
    load, a device (/dev/zero) never end, a symlink loop or a folder has nothing to read."""
    from coopgraph.settings import get_settings

    limit = int(get_settings().load_max_file_mb * 2**20)
    try:
        resolved = path.resolve(strict=True)
        info = resolved.stat()
    except RuntimeError:  # Python reports a symlink loop so
        raise InputError.single(path, None, None, None, "a file; this path is a loop of symbolic links")
    except OSError as exc:
        raise InputError.single(path, None, None, None, f"a readable file ({exc.strerror})")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a socket")
        raise InputError.single(path, None, None, None, f"a regular file; this is {kind}")
    if info.st_size > limit:
        raise InputError.single(path, None, None, None, f"a file of at most {limit // 2**20:,} MB "
                                f"(COOPGRAPH_LOAD_MAX_FILE_MB); this one has {info.st_size / 2**20:,.0f} MB")
    try:
        with open(resolved, "rb") as handle:
            data = handle.read(limit + 1)  # a file that grows while read is still bounded
    except OSError as exc:
        raise InputError.single(path, None, None, None, f"a readable file ({exc.strerror})")
    if len(data) > limit:
        raise InputError.single(path, None, None, None, f"a file of at most {limit // 2**20:,} MB "
                                "(COOPGRAPH_LOAD_MAX_FILE_MB); this one grew past it while being read")
    return data


def _check_workbook_size(path: Path, data: bytes) -> None:
    """Each member of the workbook within the inflated size and ratio limits, before anything inflates it."""

    from coopgraph.settings import get_settings

    settings = get_settings()
    limit, ratio = int(settings.load_max_xlsx_inflated_mb * 2**20), settings.load_max_xlsx_ratio
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return  # openpyxl's own message names what is wrong with the file
    total = 0
    for member in members:
        total += member.file_size
        packed = max(member.compress_size, 1)
        if member.file_size > 2**20 and member.file_size / packed > ratio:
            raise InputError.single(path, None, None, None, f"a workbook whose parts inflate at most {ratio:g}× "
                                    f"(COOPGRAPH_LOAD_MAX_XLSX_RATIO); {member.filename} inflates "
                                    f"{member.file_size / packed:,.0f}× ({member.file_size / 2**20:,.0f} MB)")
        if total > limit:
            raise InputError.single(path, None, None, None, f"a workbook of at most {limit // 2**20:,} MB "
                                    "once inflated (COOPGRAPH_LOAD_MAX_XLSX_INFLATED_MB)")


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """UTF-8 when the file is UTF-8 (a BOM or any multi-byte sequence says so), else Windows-1252
    (Latin-1 for the five bytes it leaves undefined). A UTF-8 file with a byte that is not UTF-8 is
    refused at that byte's line: decoding it all as Windows-1252 would garble every accent."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if bom or _UTF8_MULTIBYTE.search(data):
            line = data[:exc.start].count(b"\n") + 1
            raise InputError.single(path, line, None, f"byte 0x{data[exc.start]:02X}",
                                    "one encoding for the whole file: it is UTF-8, but this line has a byte "
                                    "that is not (saved from another program?); save the file again as 'CSV UTF-8'")
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def _csv_rows(path: Path, text: str, separator: str) -> tuple[list[list[str]], list[int]]:
    """Rows of cells with the line each starts on; a quote left open (a file cut short) is an error."""
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', strict=True)
    rows, lines, end = [], [], 0
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            reason = str(exc)
            if "field larger" in reason:
                expected = f"cells of at most {MAX_CELL:,} characters"
            elif "end of data" in reason or "EOF" in reason:
                expected = "a closing quote (\") for the cell opened here; the file may be cut short"
            else:
                expected = f"well-formed CSV quoting ({reason})"
            raise InputError.single(path, start, None, None, expected)
        end = reader.line_num
        rows.append(row)
        lines.append(start)
    return rows, lines


def _table(path: Path, rows: list[list[str]], lines: list[int], errors: list[tuple[int, int]],
           encoding: str, separator: str, checksum: str, *, maybe_escaped: bool = True) -> RawTable:
    """Check the shape (header, cells per row, error cells) and build the frame. `maybe_escaped`:
    some cell may start with an apostrophe (the CSV reader knows when none can)."""
    while rows and not any(cell.strip() for cell in rows[0]):  # blank lines above the header
        rows, lines = rows[1:], lines[1:]
        errors = [(i - 1, j) for i, j in errors if i > 0]
    if not rows:
        raise InputError.single(path, 1, None, None, "a header row")
    header = [unescape(cell.strip()) for cell in rows[0]]
    width = max((j + 1 for j, h in enumerate(header) if h), default=0)  # trailing empty headers: Excel's habit
    problems: list[Problem] = []
    count = 0

    def problem(line, column, value, expected):
        nonlocal count
        count += 1
        if len(problems) < MAX_LISTED:
            problems.append(Problem(str(path), line, column, value, expected))

    seen: dict[str, str] = {}
    for j, name in enumerate(header[:width]):
        if not name:
            problem(lines[0], f"column {j + 1}", None, "a name for every column of the header")
        elif fold(name).replace(" ", "") in seen:
            problem(lines[0], name, None, f"each column once; {name!r} repeats {seen[fold(name).replace(' ', '')]!r}")
        else:
            seen[fold(name).replace(" ", "")] = name
    body, body_lines = [], []
    for row, line in zip(rows[1:], lines[1:]):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) < width:
            problem(line, header[len(row)] if len(row) < len(header) else None, None,
                    f"{width} cells as in the header; this row has {len(row)} (cut short?)")
            continue
        extra = [j for j in range(width, len(row)) if row[j].strip()]
        if extra:
            problem(line, f"column {extra[0] + 1}", row[extra[0]],
                    f"at most {width} cells as in the header; this row has a value beyond the last column")
            continue
        body.append(row[:width])
        body_lines.append(line)
    for i, j in errors:
        if i == 0 or j >= width:
            continue
        if rows[i][j] == _NO_RESULT:
            problem(lines[i], header[j], None, "a value; this cell holds a formula with no stored result "
                    "(open and save the file in a spreadsheet, or type the value)")
        else:
            problem(lines[i], header[j], rows[i][j].strip(),
                    "a value, not a spreadsheet error (fix the formula or reference that gives it)")
    if problems:
        raise InputError(problems, count)
    frame = pd.DataFrame(body, columns=header[:width], dtype=object) if body else pd.DataFrame(columns=header[:width])
    frame = frame.fillna("")
    for column in frame.columns if maybe_escaped else ():  # cells written spreadsheet-safe ('=…) read back as themselves
        frame[column] = unescape_series(frame[column])
    return RawTable(path, frame, encoding, separator, 2, checksum, np.asarray(body_lines, dtype="int64"))


# -- Excel ----------------------------------------------------------------------------------
def _excel_rows(path: Path, data: bytes) -> tuple[list[list[str]], list[int], list[tuple[int, int]]]:
    _check_workbook_size(path, data)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        last, has_formulas = _last_row_with_data(data, getattr(sheet, "_worksheet_path", None))
        formulas = _formula_cells(data, last) if has_formulas else set()
        rows, lines, errors = [], [], []
        for number, cells in enumerate(sheet.iter_rows(max_row=last), start=1):
            row = []
            for j, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "e":
                    errors.append((len(rows), j))
                elif cell.value is None and (number, j) in formulas:  # a formula no program has computed
                    errors.append((len(rows), j))
                    row.append(_NO_RESULT)
                    continue
                row.append(_cell_text(cell.value))
            while row and row[-1] == "":
                row.pop()
            rows.append(row)
            lines.append(number)
        book.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InputError.single(path, None, None, None, f"an Excel .xlsx workbook ({type(exc).__name__}: {exc})")
    if rows:  # rows as wide as the header, so trailing empty cells are not short rows
        width = len(rows[0])
        rows = [row + [""] * (width - len(row)) for row in rows]
    return rows, lines, errors


def _last_row_with_data(data: bytes, sheet_path: str | None) -> tuple[int | None, bool]:
    """The last sheet row holding a value or formula, found in the sheet's XML without building its
    cells (a sheet can declare hundreds of thousands of formatted, empty rows); and whether it has formulas."""
    if not sheet_path:
        return None, True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(sheet_path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile):
        return None, True
    has_formulas = b"<f>" in xml or b"<f " in xml or b":f>" in xml or b":f " in xml
    value = max(xml.rfind(b"</v>"), xml.rfind(b":v>"), xml.rfind(b"</is>"), xml.rfind(b":is>"),
                xml.rfind(b"</f>"), xml.rfind(b":f>"))
    if value < 0:
        return 1, has_formulas
    start = max(xml.rfind(b"<row", 0, value), xml.rfind(b":row ", 0, value))
    if start < 0:
        return None, has_formulas
    found = re.match(rb'[^>]*?\sr="(\d+)"', xml[start:start + 400])
    return (int(found.group(1)) if found else xml.count(b"<row", 0, value) or None), has_formulas


def _formula_cells(data: bytes, last: int | None) -> set[tuple[int, int]]:
    """(row, column index) of the first sheet's formula cells."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return {(number, j) for number, cells in enumerate(book.worksheets[0].iter_rows(max_row=last), start=1)
                for j, cell in enumerate(cells) if getattr(cell, "data_type", None) == "f"}
    finally:
        book.close()


def _cell_text(value) -> str:
    """A cell's value as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
