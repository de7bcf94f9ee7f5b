"""Sourced answers: each row of a named query with where its subject comes from.

    columns, rows = with_sources(store, query, columns, rows)

A row is about the node its first id column names (``org.id AS id``, ``g.number AS sdg``,
``e.id AS entity_id``…: read from the query's own Cypher, so a new query is sourced without
declaring anything). Its ``sources`` are that node's citations — the report's table or section and
line for each fact that made it (``SOURCED_FROM``) and for each figure a table states for it
(``REPORTED``) — as ``"Tabla 5 · line 654"``, the profiles' format; its ``basis`` is the strongest
basis among them (stated, derived, outside). These reads are the server's own, on ids the query
returned: they run in process, not in the analysts' sandbox.
"""
from __future__ import annotations

import re

from coopgraph.graph.model import model

__all__ = ["subject_column", "with_sources", "citations"]

_RETURNED_ID = re.compile(r"\b(\w+)\.(id|number)\s+AS\s+(\w+)", re.IGNORECASE)
_BOUND = re.compile(r"\((\w+):(\w+)")
CITATIONS = {
    "SOURCED_FROM": "MATCH (n:{label})-[r:SOURCED_FROM]->(s:Source) WHERE n.{key} IN $keys "
                    "RETURN n.{key} AS k, s.title AS title, r.locator AS locator, r.basis AS basis",
    "REPORTED": "MATCH (n:{label})-[r:REPORTED]->(s:Source) WHERE n.{key} IN $keys "
                "RETURN n.{key} AS k, s.title AS title, r.locator AS locator, 'stated' AS basis",
}


def subject_column(cypher: str) -> tuple[str, str, str] | None:
    """``(column, label, key)`` of the first node id the query returns, or None (a query of totals).

    >>> subject_column("MATCH (org:Cooperant)-[:PROVIDED]->(c) RETURN org.id AS id, org.name AS name")
    ('id', 'Cooperant', 'id')
    """
    final = cypher[cypher.upper().rfind("RETURN"):]
    labels = dict(_BOUND.findall(cypher))
    for variable, key, column in _RETURNED_ID.findall(final):
        label = labels.get(variable)
        if label in model().nodes and label not in ("Source", "Contribution"):
            return column, label, key
    return None


def _short(title: str | None) -> str:
    return (title or "").split(".")[0] if (title or "").startswith("Tabla") else (title or "")


def _lines(locator: str) -> list[str] | None:
    """``"lines 654, 683"`` → ``["654", "683"]``; None for a locator that is not report lines (a file row)."""
    word, _, rest = locator.partition(" ")
    if word not in ("line", "lines"):
        return None
    return [n.strip() for n in rest.split(",") if n.strip()]


def citations(cited: list[tuple[str, str]]) -> list[str]:
    """``[(title, locator)]`` → one citation per table or section, its lines in order:
    ``"Tabla 5 · lines 654, 683"``.

    >>> citations([("Tabla 5. Aportes", "line 683"), ("Tabla 5. Aportes", "lines 654, 683")])
    ['Tabla 5 · lines 654, 683']
    """
    by_title: dict[str, list[str]] = {}
    for title, locator in cited:
        lines = _lines(locator)
        places = by_title.setdefault(_short(title), [])
        for place in (lines if lines is not None else [locator]):
            if place not in places:
                places.append(place)
    out = []
    for title, places in by_title.items():
        numbers = sorted((p for p in places if p.isdecimal()), key=int)
        others = [p for p in places if not p.isdecimal()]
        parts = ([("line " if len(numbers) == 1 else "lines ") + ", ".join(numbers)] if numbers else []) + others
        out.append(f"{title} · {'; '.join(parts)}" if parts else title)
    return out


def with_sources(store, cypher: str, columns: list[str], rows: list[dict]) -> tuple[list[str], list[dict]]:
    """The answer with two more columns, ``sources`` and ``basis`` (see the module docstring)."""
    subject = subject_column(cypher)
    if subject is None or not rows:
        return [*columns, "sources", "basis"], [{**r, "sources": [], "basis": None} for r in rows]
    column, label, key = subject
    keys = sorted({r[column] for r in rows if r.get(column) is not None}, key=str)
    found: dict = {}
    for cypher_text in CITATIONS.values():
        for c in store.read(cypher_text.format(label=label, key=key), {"keys": keys}):
            if c["locator"]:
                found.setdefault(c["k"], []).append((c["title"], c["locator"], c["basis"]))
    order = list(model().provenance.bases)
    out = []
    for r in rows:
        cited = found.get(r.get(column), [])
        bases = [b for *_, b in cited if b in order]
        out.append({**r, "sources": citations([(title, locator) for title, locator, _ in cited]),
                    "basis": min(bases, key=order.index) if bases else None})
    return [*columns, "sources", "basis"], out
