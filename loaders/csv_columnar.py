"""The columnar read of a well-formed CSV: pandas' C parser in one pass, for the files that need none
of the line-by-line reader's judgement.

A file qualifies when nothing in it could be read two ways: every quote opens a cell right after a
separator (or at a line's start) and closes it before the next separator or the line's end, no cell
spans lines, no line is blank, no line is longer than a cell may be, every row has the header's
cells and no spreadsheet error sits in a cell. Then its cells are exactly what the csv module gives,
and the frame is built without a Python list per row. Any other file (a cut-short row, a stray
quote, an error cell…) returns None and goes through tabular's reader, whose messages name the file,
line and column.
"""
from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from coopgraph.cells import unescape, unescape_series
from coopgraph.loaders.names import fold

# a quoted cell (doubled quotes inside); where it sits is checked apart, which is much faster than lookarounds
_QUOTED = re.compile(r'"[^"\r\n]*(?:""[^"\r\n]*)*"')
_MARK = "\x00"  # never in a text file (a NUL byte is refused before)


def _unquoted(text: str, separator: str) -> str | None:
    """The text with each quoted cell as one mark, if every quote opens a cell at its start and closes
    it at its end, on one line; else None."""
    if '"' not in text:
        return text
    marked, cells = _QUOTED.subn(_MARK, text)
    if '"' in marked:
        return None
    opened = marked.count(separator + _MARK) + marked.count("\n" + _MARK) + marked.startswith(_MARK)
    closed = (marked.count(_MARK + separator) + marked.count(_MARK + "\n") + marked.count(_MARK + "\r\n")
              + marked.endswith(_MARK))
    return marked if opened == cells == closed else None


def maybe_escaped(text: str) -> bool:
    """Whether some cell may start with an apostrophe: one at a line's start, after a separator or an
    opening quote, spaces between (tabular._ESCAPED_CELL, found without a regex over the whole text)."""
    at = text.find("'")
    while at >= 0:
        before = at - 1
        while before >= 0 and text[before] == " ":
            before -= 1
        if before < 0 or text[before] in ',;\t"\n':
            return True
        at = text.find("'", at + 1)
    return False

def columnar_frame(text: str, data: bytes, encoding: str, separator: str, max_cell: int, excel_errors: set,
                   maybe_escaped: bool) -> tuple[pd.DataFrame, np.ndarray] | None:
    """(frame of text cells with the header's columns, file line of each row), or None when the file
    needs the line-by-line reader."""
    if not text or text[0] in "\r\n" or "\n\n" in text or "\n\r\n" in text or text.count("\r") != text.count("\r\n"):
        return None  # blank lines, or a lone carriage return: the reader's rules for them
    if len(data) > max_cell:
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        edges = np.concatenate(([-1], newlines, [len(data)]))
        if int(np.diff(edges).max()) > max_cell:
            return None  # a cell may be too long: the reader says which
    unquoted = _unquoted(text, separator)
    if unquoted is None:
        return None  # a quote that is not a whole cell
    try:
        # from the bytes (the parser decodes them itself, much faster than reading a str), in the
        # encoding the text was decoded with
        cells = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig" if encoding == "utf-8" else encoding,
                            sep=separator, header=None, dtype=object, na_filter=False, keep_default_na=False, quotechar='"', doublequote=True, quoting=csv.QUOTE_MINIMAL,
                            skip_blank_lines=False, engine="c", low_memory=False)
    except (pd.errors.ParserError, ValueError):
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(cells) != lines or len(cells) < 2:
        return None  # a cell spanning lines
    # the parser fills a short row and refuses a long one: with no long row, as many separators as
    # the header's on every line means no row is short
    if unquoted.count(separator) != (cells.shape[1] - 1) * lines:
        return None
    header = [unescape(str(cell).strip()) for cell in cells.iloc[0]]
    width = max((j + 1 for j, h in enumerate(header) if h), default=0)
    if width == 0 or not all(header[:width]):
        return None
    folded = [fold(name).replace(" ", "") for name in header[:width]]
    if len(set(folded)) != len(folded):
        return None  # a repeated column: the reader names it
    body = cells.iloc[1:].reset_index(drop=True)
    file_lines = np.arange(2, len(cells) + 1, dtype="int64")
    for j in range(width, len(header)):  # Excel's trailing delimiters: nothing beyond the last column
        if not (body[j].str.strip() == "").all():
            return None
    if "#" in text:
        for j in range(width):
            if body[j].str.strip().isin(excel_errors).any():
                return None  # a spreadsheet error cell
    # rows of empty cells are blank lines: only a row whose first cell is empty can be one
    blank = (body[0].str.strip() == "").to_numpy().copy()
    for j in range(1, len(header)):
        if not blank.any():
            break
        blank[blank] = (body[j][blank].str.strip() == "").to_numpy()
    frame = body.iloc[:, :width]
    if blank.any():  # rows of empty cells are blank lines
        frame, file_lines = frame[~blank].reset_index(drop=True), file_lines[~blank]
    frame.columns = header[:width]
    if maybe_escaped:  # cells written spreadsheet-safe ('=…) read back as themselves
        for column in frame.columns:
            frame[column] = unescape_series(frame[column])
    return frame, file_lines

