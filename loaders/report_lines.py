"""The report's own words for every fact: line numbers, the bundled copy of the cited lines, quotes.

A fact cites the report by line (`locator`: 'line 953' or 'lines 947, 949'). coopgraph ships the
text of every cited line in data/report-2024/lines.csv so it can quote them without the report;
`coopgraph sources --bundle-lines --report FILE` rewrites that file from the report, and the tests
check it against the report when the report is present.

>>> parse_locator("lines 947, 949")
[947, 949]
>>> locator_of([953])
'line 953'
>>> holds("El 6 de junio de 2024, la Secretaria de Ambiente, Adriana Soto, oficializó", ["ADRIANA SOTO"])
True
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

import coopgraph.data
from coopgraph.errors import InputError
from coopgraph.loaders.names import fold

LINES_FILE = Path(coopgraph.data.__file__).parent / "report-2024" / "lines.csv"
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡\"“*-])")


def parse_locator(locator: str | None) -> list[int]:
    """The report lines a locator names ('line 12', 'lines 12, 14'); [] for anything else."""
    text = (locator or "").strip()
    if not re.fullmatch(r"lines? \d+(, \d+)*", text):
        return []
    return [int(n) for n in re.findall(r"\d+", text)]


def locator_of(lines) -> str:
    lines = sorted({int(n) for n in lines})
    if not lines:
        return ""
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines))


def split_lines(cell) -> list[int]:
    """A curated `report_lines` value: a YAML list or a CSV cell '947|949'."""
    if cell in (None, ""):
        return []
    if isinstance(cell, (list, tuple)):
        return [int(n) for n in cell]
    return [int(n) for n in str(cell).replace(",", "|").split("|") if n.strip()]


def holds(text: str, terms) -> bool:
    """Whether the text holds one of the terms, accents, case and punctuation folded, as whole words."""
    haystack = f" {fold(text)} "
    return any(f" {fold(t)} " in haystack for t in terms if t and fold(str(t)))


def quote(text: str, terms=()) -> str:
    """The sentence(s) of a report line that hold one of the terms; the whole line when none does."""
    clean = " ".join(re.sub(r"</?[a-z]+>", " ", text).replace("\\$", "$").split())
    sentences = _SENTENCE_END.split(clean)
    chosen = [s for s in sentences if holds(s, terms)]
    return " ".join(chosen) if chosen else clean


@lru_cache(maxsize=1)
def bundled_lines() -> dict[int, str]:
    """Line number -> text of every report line a fact cites, as shipped in data/report-2024/lines.csv."""
    if not LINES_FILE.exists():
        return {}
    frame = pd.read_csv(LINES_FILE, dtype={"line": int, "text": str}, keep_default_na=False, encoding="utf-8")
    return dict(zip(frame.line, frame.text))


def read_report_lines(report: Path) -> dict[int, str]:
    """Every line of a report text file, numbered from 1."""
    try:
        text = Path(report).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(report, None, None, None, f"a readable UTF-8 report text ({exc})")
    return {i: line for i, line in enumerate(text.splitlines(), start=1)}


def write_lines(lines: dict[int, str], cited: set[int], path: Path = LINES_FILE) -> int:
    """Write the cited lines' text (taken from the report) to the bundled copy."""
    missing = sorted(n for n in cited if n not in lines)
    if missing:
        raise InputError.single(path, missing[0], "line", str(missing[0]), "a line the report has")
    frame = pd.DataFrame({"line": sorted(cited), "text": [lines[n] for n in sorted(cited)]})
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    bundled_lines.cache_clear()
    return len(frame)
