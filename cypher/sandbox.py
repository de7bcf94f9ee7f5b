"""Analysts' Cypher, and named queries with parameters from outside, run by confined query workers.

Three layers, each enough for some attacks and together for all we know of (docs/sandbox.md):
1. the statement policy (cypher/policy.py) refuses anything but reading, in the caller;
2. on the embedded engine the query runs in a long-lived worker process (cypher/worker.py, pooled by
   cypher/workers.py) that confined itself with Landlock before it opened the store
   (cypher/confine.py): read-only on the software and the store, no writes, no TCP, no exec; then
   rlimits on memory, CPU, file size and processes. The engine can crash on some valid queries
   (LadybugDB 0.22 segfaults on `ORDER BY … SKIP 20000 LIMIT 5`) and cannot interrupt every long
   one; both stay in the worker, which is killed if it outlives its time, and replaced;
3. bounds on the answer: rows (COOPGRAPH_QUERY_MAX_ROWS) and bytes (COOPGRAPH_QUERY_MAX_BYTES).
On Neo4j the server runs the query, so there is no worker: the policy, a READ session, the server's
transaction timeout and the same caps apply in process.
"""
from __future__ import annotations

import threading

from coopgraph.cypher.adhoc import QueryResult, run_cypher
from coopgraph.cypher.workers import EngineCrashed, WorkerPool
from coopgraph.errors import Unavailable
from coopgraph.settings import Settings

__all__ = ["EngineCrashed", "SandboxUnavailable", "run_isolated", "pool_for", "close_pools"]


class SandboxUnavailable(Unavailable):
    """The OS layer cannot be set up on this machine and the operator did not accept running without it."""


def run_isolated(text: str, params: dict | None, settings: Settings, *, trusted: bool = False,
                 store=None) -> QueryResult:
    """Run `text` with `params`. Analysts' text (trusted=False) passes the statement policy first."""
    from coopgraph.cypher import policy

    if settings.store == "neo4j":
        if not trusted:
            text = policy.check(text, "neo4j").text
        return _in_process(text, params, settings, store)
    pool = pool_for(settings, trusted=trusted)
    if not trusted:
        pool.prestart()  # a cold worker starts while the policy parses (the CLI: ~0.4 s saved)
        text = policy.check(text, "embedded").text
    return pool.run(text, params)


_pools: dict[tuple[str, bool], WorkerPool] = {}
_pools_lock = threading.Lock()


def pool_for(settings: Settings, *, trusted: bool = False) -> WorkerPool:
    """This process's pool of workers for `settings` (one per distinct settings and confinement)."""
    confine = _confinement(settings, trusted)
    key = (settings.model_dump_json(), confine)
    with _pools_lock:
        if key not in _pools:
            _pools[key] = WorkerPool(settings, settings.api_query_processes, confine=confine)
        return _pools[key]


def close_pools(settings: Settings | None = None) -> None:
    """Stop the workers (of `settings`, or all): the API at shutdown."""
    with _pools_lock:
        for key in [k for k in _pools if settings is None or k[0] == settings.model_dump_json()]:
            _pools.pop(key).close()


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
