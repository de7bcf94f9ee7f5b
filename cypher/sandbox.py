"""Analysts' own Cypher runs in a separate process.

The engine can crash on some valid queries (LadybugDB 0.22 segfaults on `ORDER BY … SKIP 20000
LIMIT 5`) and cannot interrupt every long one (`UNWIND range(1, 3e8)`); a query of an analyst must
not take the API down with it. The child process opens the store read-only, runs one query with
the engine's own time limit, and is killed if it outlives that limit.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from decimal import Decimal

from coopgraph.cypher.adhoc import QueryResult, run_cypher
from coopgraph.cypher.library import QueryError
from coopgraph.output import to_json
from coopgraph.settings import Settings

GRACE_S = 5.0  # start-up and the engine's own interruption, before the child is killed


def _environment(settings: Settings) -> dict:
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        if value is None:
            env.pop(f"COOPGRAPH_{name.upper()}", None)
            continue
        secret = getattr(value, "get_secret_value", None)
        env[f"COOPGRAPH_{name.upper()}"] = str(secret() if secret else value)
    return env


def run_isolated(text: str, params: dict | None, settings: Settings) -> QueryResult:
    payload = to_json({"text": text, "params": params or {}})
    try:
        child = subprocess.run([sys.executable, "-m", "coopgraph.cypher.sandbox"], input=payload,
                               capture_output=True, text=True, env=_environment(settings),
                               timeout=settings.query_timeout_s + GRACE_S)
    except subprocess.TimeoutExpired:
        raise QueryError(f"stopped: the query ran longer than {settings.query_timeout_s:g} s")
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        raise QueryError(f"the engine crashed on this query ({name}); nothing else was affected")
    try:
        answer = json.loads(child.stdout, parse_float=Decimal)
    except json.JSONDecodeError:
        raise QueryError(f"the query process failed: {child.stderr.strip()[-300:]}")
    if "error" in answer:
        raise QueryError(answer["error"])
    return QueryResult(answer["columns"], answer["rows"], answer["truncated"])


def _main() -> None:
    from coopgraph.errors import CoopgraphError
    from coopgraph.graph.store import open_store
    from coopgraph.settings import get_settings

    request = json.loads(sys.stdin.read())
    try:
        with open_store(get_settings()) as store:
            result = run_cypher(store, request["text"], request["params"])
        print(to_json({"columns": result.columns, "rows": result.rows, "truncated": result.truncated}))
    except CoopgraphError as exc:
        print(to_json({"error": exc.message}))


if __name__ == "__main__":
    _main()
