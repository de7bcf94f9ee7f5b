"""The confined query worker: a long-lived child that answers queries on one generation of the store.

Started by cypher/workers.py as `python -I -m coopgraph.cypher.worker` from `/` with a clean
environment. It confines itself once, before its engine starts a thread (Landlock binds a thread
and the threads it starts later): read-only on the software and its generation, no writes, no
exec, no TCP; it opens the store, loads a seccomp filter on every thread (no socket, no chmod or
chown, no fork or exec; threads still start), then bounds its address space, file size, processes
and, per query, its CPU. It then reads one JSON request per line on stdin and writes one JSON answer
per line on a private copy of stdout (the engine's own writes to fd 1 go to stderr and never mix
with the answers). Anything the worker cannot survive ends the process; the pool replaces it.

An analyst's statement arrives with `check` (its dialect): the statement policy parses it here,
under the query's time limit (a SIGALRM stops a parse that outlives it, and the pool kills a worker
that does not answer), so a statement built to make the parser crawl costs the worker, never the
server. The engine gets what is left of the time. A worker started with COOPGRAPH_WORKER_ROLE=policy
opens no store and only checks statements (the Neo4j store runs queries on its server).
"""
from __future__ import annotations

import json
import os
import re
import signal
import sys
import time

# A statement that begins as a read, holds no `;` and calls nothing cannot leave a setting, a
# transaction or an attachment on its connection; any other gets a fresh connection after it.
# (A fresh connection costs ~7 ms on a profile query: the engine's per-connection caches start cold.)
_READ_ONLY_SHAPE = re.compile(r"\s*(MATCH|OPTIONAL|WITH|UNWIND|RETURN)\b", re.IGNORECASE)
_CALL = re.compile(r"\bCALL\b", re.IGNORECASE)


def _may_leave_state(text: str) -> bool:
    return not _READ_ONLY_SHAPE.match(text) or ";" in text or bool(_CALL.search(text))


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class _OutOfTime(Exception):
    pass


def _out_of_time(signum, frame):
    raise _OutOfTime


def main(handler=None) -> None:
    """Serve requests until stdin closes. `handler(store, request) -> answer` replaces the query run
    (tests/cypher/test_os_layer.py runs its OS probes this way, inside a worker confined as any other)."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever else writes to stdout cannot forge or break an answer
    from coopgraph.cypher import confine, policy
    from coopgraph.cypher.library import QueryError
    from coopgraph.errors import CoopgraphError
    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.output import compact_json
    from coopgraph.settings import get_settings

    def say(payload: dict) -> None:
        answers.write(compact_json(payload) + "\n")
        answers.flush()

    settings = get_settings()
    confined = os.environ.get("COOPGRAPH_WORKER_CONFINE") == "1"
    checker = os.environ.get("COOPGRAPH_WORKER_ROLE") == "policy"
    store = None
    try:
        policy.check("MATCH (n) WHERE n.x = 1 RETURN n")  # the grammar loaded and warm before the bounds
        if confined and (missing := confine.seccomp_status()):  # the binding finds libseccomp with ldconfig: before Landlock
            raise CoopgraphError(missing)
        if checker:
            generation_name = "policy"
            if confined:
                confine.apply_landlock(None)
        else:
            store = EmbeddedStore(settings, sandboxed=True)
            generation = store.current_generation()
            if generation is None:
                raise CoopgraphError("no data loaded yet; run `coopgraph load` first")
            generation_name = generation.name
            if confined:
                confine.apply_landlock(generation)
            store.open_for_queries()
        from coopgraph.cypher.adhoc import run_cypher  # imported before the bounds, like the engine's first read

        if confined:
            confine.apply_seccomp()  # after the engine's threads started: the filter reaches them too
        per_query = settings.query_timeout_s * 2 + 1
        confine.apply_rlimits(settings.query_memory_mb, per_query * settings.query_worker_max_queries)
    except CoopgraphError as exc:
        say({"error": exc.message})
        os._exit(1)
    signal.signal(signal.SIGALRM, _out_of_time)
    say({"ready": generation_name, "rss_kb": _rss_kb()})

    for line in sys.stdin:
        request = json.loads(line)
        confine.bound_cpu(per_query)
        started = time.monotonic()
        try:
            text = request["text"]
            if request.get("check"):
                text = _checked(policy, text, request["check"], settings.query_timeout_s)
            if handler is not None:
                body = handler(store, request)
            elif checker:
                body = {"text": text}
            else:
                left = settings.query_timeout_s - (time.monotonic() - started)
                if left <= 0.05:
                    raise QueryError(f"stopped: the query ran longer than {settings.query_timeout_s:g} s")
                result = run_cypher(store, text, request["params"], settings, timeout_s=left)
                body = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}
        except CoopgraphError as exc:
            body = {"error": exc.message, **({"refused": True} if isinstance(exc, policy.Refused) else {})}
        except _OutOfTime:  # the alarm rang as the parse ended
            body = {"error": f"stopped: the query ran longer than {settings.query_timeout_s:g} s"}
        except MemoryError:  # the worker may be left fragmented: the pool retires it
            body = {"error": f"stopped: the query needed more than {settings.query_memory_mb} MB", "spent": True}
        if store is not None and _may_leave_state(request["text"]):
            store.new_session()  # whatever the query set on its connection ends with it
        body["rss_kb"] = _rss_kb()
        text = compact_json(body)
        if len(text) > settings.query_max_bytes:
            text = compact_json({"error": f"refused: the answer is larger than {settings.query_max_bytes:,} bytes "
                                     "(COOPGRAPH_QUERY_MAX_BYTES); ask for fewer rows or columns",
                            "rss_kb": body["rss_kb"]})
        answers.write(text + "\n")
        answers.flush()
    os._exit(0)  # no engine teardown: nothing to flush on a read-only handle


def _checked(policy, text: str, dialect: str, timeout_s: float) -> str:
    """The statement as the policy passes it, or Refused; a parse past `timeout_s` is stopped."""
    from coopgraph.cypher.library import QueryError

    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        return policy.check(text, dialect).text
    except _OutOfTime:
        raise QueryError(f"stopped: the query ran longer than {timeout_s:g} s (checking it took all its time)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


if __name__ == "__main__":
    main()
