"""Running analysts' Cypher on a store: read-only at the engine level, bounded in time, rows and bytes.

The store's read path is already read-only (the embedded engine opens the database read-only;
Neo4j runs reads in read-access sessions with the server's transaction timeout), so a write that
got past the statement policy (cypher/policy.py) would still be refused by the engine. This module
adds the bounds from settings and turns engine refusals into one clear message without host paths.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from coopgraph.cypher.library import QueryError, library
from coopgraph.output import compact_json
from coopgraph.settings import Settings, get_settings

_WRITE_REFUSALS = ("read-only", "read only", "writing in read access mode", "write operations")


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict]
    truncated: bool  # more rows existed than the cap allowed


_SIZED_CALL = re.compile(r"\b(repeat|lpad|rpad|left|right)\s*\(", re.IGNORECASE)


def run_cypher(store, text: str, params: dict | None = None, settings: Settings | None = None, *,
               timeout_s: float | None = None) -> QueryResult:
    """`timeout_s`: the engine's share of the query's time (what checking the statement left)."""
    settings = settings or get_settings()
    cap = settings.query_max_rows
    try:
        rows = store.read(text, params or {}, timeout_s=timeout_s or settings.query_timeout_s, max_rows=cap + 1)
    except QueryError:
        raise
    except Exception as exc:  # the engines raise their own types; all become a QueryError here
        message = _without_paths(str(getattr(exc, "message", None) or exc))
        lowered = message.lower()
        if "permission denied" in lowered:  # the OS layer (cypher/confine.py) stopped a file access
            raise QueryError("refused: the query tried to open a file outside what analysts' queries may read",
                             engine=message) from exc
        if any(marker in lowered for marker in _WRITE_REFUSALS):
            raise QueryError("refused: analysts' queries are read-only (the engine rejected a write)",
                             engine=message) from exc
        if _SIZED_CALL.search(text) and any(m in lowered for m in ("bad_alloc", "out of memory", "buffer pool is full")):
            raise QueryError("stopped: a size given to repeat(), lpad(), rpad(), left() or right() is negative "
                             f"or needs more than {settings.query_memory_mb} MB", engine=message) from exc
        if "bad_alloc" in lowered or "buffer pool is full" in lowered or "out of memory" in lowered:
            raise QueryError(f"stopped: the query needed more memory than {settings.query_memory_mb} MB "
                             "(COOPGRAPH_QUERY_MEMORY_MB)", engine=message) from exc
        if "interrupt" in lowered or "timeout" in lowered or "timed out" in lowered:
            raise QueryError(f"stopped: the query ran longer than {settings.query_timeout_s:g} s", engine=message) from exc
        raise QueryError(f"the engine refused the query: {message.strip().splitlines()[0]}", engine=message) from exc
    truncated = len(rows) > cap
    rows = rows[:cap]
    if len(compact_json(rows)) > settings.query_max_bytes:  # both stores; a huge answer is refused, not cut
        raise QueryError(f"refused: the answer is larger than {settings.query_max_bytes:,} bytes "
                         "(COOPGRAPH_QUERY_MAX_BYTES); ask for fewer rows or columns")
    return QueryResult(list(rows[0]) if rows else [], rows, truncated)


def _without_paths(message: str) -> str:
    """Engine messages name files; answers to analysts do not show the host's paths."""
    return re.sub(r"(?<![\w.])/[^\s:'\"]+", "…", message)


def run_named(store, name: str, params: dict | None = None, settings: Settings | None = None) -> QueryResult:
    queries = library()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; `coopgraph queries` lists them", available=sorted(queries))
    query = queries[name]
    return run_cypher(store, query.text(store.dialect), query.bind(params or {}), settings)
