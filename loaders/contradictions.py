"""Where the report contradicts itself in words: the reviewed list of `coopgraph check`.

The figures the report states are reconciled with its rows (loaders/reconcile.py); what no sum can
catch — a ranking Tabla 1 does not bear out, one congress with two numbers, a national agency in
the table of district entities — is data/curated/contradictions.csv: each row names the lines
that disagree (`report_lines`) and, for each, the words it says (`says`, in the same order). The
check reads every line back (from the report when given, else the bundled copy) and quotes it; a
line that no longer says its words (a new edition moved it) is a problem, and `check` fails.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from coopgraph.loaders.curated import Curated, sources_of
from coopgraph.loaders.report_lines import holds, quote, split_lines

__all__ = ["Contradiction", "contradictions"]


@dataclass
class Contradiction:
    contradiction_id: str
    description: str
    sources: list[str]
    lines: list[int]
    quotes: list[dict] = field(default_factory=list)  # {"line", "says", "text"} per line, in the row's order
    problem: str = ""       # empty when every line says what the row says it does
    curated: str = ""       # data/curated/contradictions.csv line N


def contradictions(curated: Curated | None, lines: dict[int, str]) -> list[Contradiction]:
    """Each reviewed contradiction with its lines quoted and checked against `lines` (number -> text)."""
    if curated is None:
        return []
    out = []
    for index, row in curated.contradictions.iterrows():
        numbers = split_lines(row.report_lines)
        says = [s.strip() for s in str(row.says).split("|")]
        found = Contradiction(row.contradiction_id, row.description, sources_of(row.source), numbers,
                              curated=curated.locator("contradictions.csv", index))
        if len(says) != len(numbers):
            found.problem = f"{len(numbers)} lines but {len(says)} phrases in `says` (one per line)"
        for number, words in zip(numbers, says):
            text = lines.get(number)
            # a table row whole (its sentence splitter would drop '11.'), a narrative line's sentence
            shown = "" if text is None else quote(text) if "\t" in text else quote(text, [words])
            found.quotes.append({"line": number, "says": words, "text": shown})
            if found.problem:
                continue
            if text is None:
                found.problem = f"line {number} is not among the report's (bundled) lines"
            elif not holds(text, [words]):
                found.problem = f"line {number} does not say {words!r}"
        out.append(found)
    return out
