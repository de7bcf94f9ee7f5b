"""Analysts' Cypher, and named queries with parameters from outside, run by confined query workers.

Three layers, each enough for some attacks and together for all we know of (docs/sandbox.md):
1. the statement policy (cypher/policy.py) refuses anything but reading; it parses in a worker
   process under the query's time limit (a statement built to make the parser crawl is stopped
   there and never holds the caller's CPU);
2. on the embedded engine the query runs in a long-lived worker process (cypher/worker.py, pooled by
   cypher/workers.py) that confined itself with Landlock before it opened the store
   (cypher/confine.py): read-only on the software and the store, no writes, no TCP, no exec; a
   seccomp filter (no socket, chmod, chown, fork or exec); then rlimits on memory, CPU, file size
   and processes. The engine can crash on some valid queries
   (LadybugDB 0.22 segfaults on `ORDER BY … SKIP 20000 LIMIT 5`) and cannot interrupt every long
   one; both stay in the worker, which is killed if it outlives its time, and replaced;
3. bounds on the answer: rows (COOPGRAPH_QUERY_MAX_ROWS) and bytes (COOPGRAPH_QUERY_MAX_BYTES).
On Neo4j the server runs the query: a confined worker of role "policy" checks the statement, then
a READ session, the server's transaction timeout (what the check left of the query's time) and the
same caps apply in process.
"""
from __future__ import annotations

import threading
import time

from coopgraph.cypher.adhoc import QueryResult, run_cypher
from coopgraph.cypher.library import QueryError
from coopgraph.cypher.workers import EngineCrashed, WorkerPool
from coopgraph.errors import Unavailable
from coopgraph.settings import Settings

__all__ = ["EngineCrashed", "SandboxUnavailable", "run_isolated", "pool_for", "close_pools"]


class SandboxUnavailable(Unavailable):
    """The OS layer cannot be set up on this machine and the operator did not accept running without it."""


def run_isolated(text: str, params: dict | None, settings: Settings, *, trusted: bool = False,
                 store=None) -> QueryResult:
    """Run `text` with `params`. Analysts' text (trusted=False) passes the statement policy first."""
    if settings.store == "neo4j":
        left = None
        if not trusted:
            started = time.monotonic()
            text = pool_for(settings, role="policy").check(text, "neo4j")
            left = settings.query_timeout_s - (time.monotonic() - started)
            if left <= 0.05:
                raise QueryError(f"stopped: the query ran longer than {settings.query_timeout_s:g} s")
        return _in_process(text, params, settings, store, left)
    return pool_for(settings, trusted=trusted).run(text, params, None if trusted else "embedded")


_pools: dict[tuple[str, bool, str], WorkerPool] = {}
_pools_lock = threading.Lock()


def pool_for(settings: Settings, *, trusted: bool = False, role: str = "query") -> WorkerPool:
    """This process's pool of workers for `settings` (one per distinct settings, confinement and role)."""
    # a policy worker only parses: where it cannot be confined it still runs (the parse is the bound it adds)
    confine = _confinement(settings, trusted or role == "policy")
    key = (settings.model_dump_json(), confine, role)
    with _pools_lock:
        if key not in _pools:
            _pools[key] = WorkerPool(settings, settings.api_query_processes, confine=confine, role=role)
        return _pools[key]


def close_pools(settings: Settings | None = None) -> None:
    """Stop the workers (of `settings`, or all): the API at shutdown."""
    with _pools_lock:
        for key in [k for k in _pools if settings is None or k[0] == settings.model_dump_json()]:
            _pools.pop(key).close()


def _in_process(text, params, settings, store, timeout_s) -> QueryResult:
    if store is not None:
        return run_cypher(store, text, params, settings, timeout_s=timeout_s)
    from coopgraph.graph.store import open_store

    with open_store(settings) as own:
        return run_cypher(own, text, params, settings, timeout_s=timeout_s)


def _confinement(settings: Settings, trusted: bool) -> bool:
    from coopgraph.cypher.confine import landlock_status, seccomp_status

    missing = landlock_status()[1] or seccomp_status()
    if missing is None:
        return True
    if trusted or settings.sandbox_without_landlock:
        return False
    raise SandboxUnavailable(f"analysts' Cypher is off: {missing}, so the query process cannot be confined; "
                             "set COOPGRAPH_SANDBOX_WITHOUT_LANDLOCK=true to accept rlimits alone")
