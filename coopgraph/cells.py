"""Spreadsheet-safe cells (OWASP CSV injection): a text cell a spreadsheet would evaluate as a
formula is written with a leading apostrophe, Excel's own mark for "this is text".

Every CSV and XLSX coopgraph writes passes its cells through `escape`; the loader passes what it
reads through `unescape`, so an exported value loads back as itself.

>>> escape('=HYPERLINK("http://x")'), escape("-5 %"), escape("BID"), escape("'=1")
('\\'=HYPERLINK("http://x")', "'-5 %", 'BID', "''=1")
>>> all(unescape(escape(v)) == v for v in ("=1", "+57 1", "@x", "\\tx", "'", "''=", "a"))
True
"""
from __future__ import annotations

# what starts a formula in Excel, LibreOffice or Google Sheets (OWASP), full-width forms included,
# and the apostrophe itself, so that escaping can always be undone
TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"


def escape(value):
    """The cell as written: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value and (value[0] in TRIGGERS or (value[0] == QUOTE and _escaped(value))):
        return QUOTE + value
    return value


def unescape(text: str) -> str:
    """The value a written cell stands for (inverse of `escape`)."""
    return text[1:] if _escaped(text) else text


def _escaped(text: str) -> bool:
    return len(text) > 1 and text[0] == QUOTE and (text[1] in TRIGGERS or text[1] == QUOTE)


def escape_frame(frame):
    """A copy of a DataFrame with every text cell (and header) escaped."""
    from pandas.api.types import is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if not is_numeric_dtype(out[column]):  # object or pandas' string dtype
            out[column] = out[column].map(escape)
    out.columns = [escape(c) for c in out.columns]
    return out


def unescape_series(series):
    """`unescape` over a Series of text, touching only the cells that start with an apostrophe."""
    marked = series.str.startswith(QUOTE)
    if marked.any():
        series = series.copy()
        series[marked] = series[marked].map(unescape)
    return series
