"""Analysts' Cypher, and named queries with parameters from outside, run in a confined child process.

Three layers, each enough for some attacks and together for all we know of (docs/sandbox.md):
1. the statement policy (cypher/policy.py) refuses anything but reading, in the caller;
2. on the embedded engine the query runs in a child process that confines itself with Landlock
   before it opens the store (cypher/confine.py): read-only on the software and the store, no
   writes, no TCP, no exec; then rlimits on memory, CPU, file size and processes. The engine can
   crash on some valid queries (LadybugDB 0.22 segfaults on `ORDER BY … SKIP 20000 LIMIT 5`) and
   cannot interrupt every long one; both stay in the child, which is killed if it outlives its time;
3. bounds on the answer: rows (COOPGRAPH_QUERY_MAX_ROWS) and bytes (COOPGRAPH_QUERY_MAX_BYTES).
On Neo4j the server runs the query, so there is no child: the policy, a READ session, the server's
transaction timeout and the same caps apply in process.
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
from coopgraph.errors import CoopgraphError, Unavailable
from coopgraph.output import to_json
from coopgraph.settings import Settings

GRACE_S = 5.0  # start-up and the engine's own interruption, before the child is killed


class EngineCrashed(CoopgraphError):
    """The engine died on a query (a server fault: the API answers 500 engine_crashed)."""


class SandboxUnavailable(Unavailable):
    """The OS layer cannot be set up on this machine and the operator did not accept running without it."""


def run_isolated(text: str, params: dict | None, settings: Settings, *, trusted: bool = False,
                 store=None) -> QueryResult:
    """Run `text` with `params`. Analysts' text (trusted=False) passes the statement policy first."""
    from coopgraph.cypher import policy

    if not trusted:
        text = policy.check(text, "neo4j" if settings.store == "neo4j" else "embedded").text
    if settings.store == "neo4j":
        return _in_process(text, params, settings, store)
    confine = _confinement(settings, trusted)
    payload = to_json({"text": text, "params": params or {}, "confine": confine})
    try:
        child = subprocess.run([sys.executable, "-m", "coopgraph.cypher.sandbox"], input=payload,
                               capture_output=True, text=True, env=_environment(settings),
                               timeout=settings.query_timeout_s + GRACE_S)
    except subprocess.TimeoutExpired:
        raise QueryError(f"stopped: the query ran longer than {settings.query_timeout_s:g} s")
    return _answer(child, settings)


def _in_process(text, params, settings, store) -> QueryResult:
    if store is not None:
        return run_cypher(store, text, params, settings)
    from coopgraph.graph.store import open_store

    with open_store(settings) as own:
        return run_cypher(own, text, params, settings)


def _confinement(settings: Settings, trusted: bool) -> bool:
    from coopgraph.cypher.confine import landlock_status

    _, missing = landlock_status()
    if missing is None:
        return True
    if trusted or settings.sandbox_without_landlock:
        return False
    raise SandboxUnavailable(f"analysts' Cypher is off: {missing}, so the query process cannot be confined; "
                             "set COOPGRAPH_SANDBOX_WITHOUT_LANDLOCK=true to accept rlimits alone")


def _answer(child: subprocess.CompletedProcess, settings: Settings) -> QueryResult:
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        if name == "SIGXCPU":
            raise QueryError(f"stopped: the query used more CPU than {settings.query_timeout_s:g} s allow")
        raise EngineCrashed(f"the engine crashed on this query ({name}); nothing else was affected")
    try:
        answer = json.loads(child.stdout, parse_float=Decimal)
    except json.JSONDecodeError:
        last = (child.stderr.strip().splitlines() or ["no output"])[-1][-200:]
        raise EngineCrashed(f"the query process failed ({last})")
    if "error" in answer:
        raise QueryError(answer["error"])
    return QueryResult(answer["columns"], answer["rows"], answer["truncated"])


def _environment(settings: Settings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPGRAPH_")}
    for name, value in settings.model_dump().items():
        if value is None or name in ("api_key", "neo4j_password"):  # the child needs no secret
            continue
        env[f"COOPGRAPH_{name.upper()}"] = str(value)
    return env


# -- the child ------------------------------------------------------------------------------------
def _main() -> None:
    from coopgraph.cypher import confine
    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.settings import get_settings

    request = json.loads(sys.stdin.read())
    settings = get_settings()
    try:
        store = EmbeddedStore(settings, sandboxed=True)
        generation = store.current_generation()
        if request.get("confine"):  # before the engine starts a thread: Landlock binds this thread and its children
            confine.apply_landlock(generation)
        store.open_for_queries()
        confine.apply_rlimits(settings.query_memory_mb, settings.query_timeout_s * 2 + 1)
        result = run_cypher(store, request["text"], request["params"], settings)
        body = to_json({"columns": result.columns, "rows": result.rows, "truncated": result.truncated})
    except CoopgraphError as exc:
        body = to_json({"error": exc.message})
    except MemoryError:
        body = to_json({"error": f"stopped: the query needed more than {settings.query_memory_mb} MB"})
    if len(body) > settings.query_max_bytes:
        body = to_json({"error": f"refused: the answer is larger than {settings.query_max_bytes:,} bytes "
                                 "(COOPGRAPH_QUERY_MAX_BYTES); ask for fewer rows or columns"})
    sys.stdout.write(body)
    sys.stdout.flush()
    os._exit(0)  # no engine teardown: nothing to flush on a read-only handle


if __name__ == "__main__":
    _main()
