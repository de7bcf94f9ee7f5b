"""The confined query worker: a long-lived child that answers queries on one generation of the store.

Started by cypher/workers.py as `python -I -m coopgraph.cypher.worker` from `/` with a clean
environment. It confines itself once, before its engine starts a thread (Landlock binds a thread
and the threads it starts later): read-only on the software and its generation, no writes, no
exec, no TCP; it opens the store, then bounds its address space, file size, processes and, per
query, its CPU. It then reads one JSON request per line on stdin and writes one JSON answer per
line on a private copy of stdout (the engine's own writes to fd 1 go to stderr and never mix with
the answers). Anything the worker cannot survive ends the process; the pool replaces it.
"""
from __future__ import annotations

import json
import os
import re
import sys

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


def main() -> None:
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever else writes to stdout cannot forge or break an answer
    from coopgraph.cypher import confine
    from coopgraph.errors import CoopgraphError
    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.output import compact_json
    from coopgraph.settings import get_settings

    def say(payload: dict) -> None:
        answers.write(compact_json(payload) + "\n")
        answers.flush()

    settings = get_settings()
    confined = os.environ.get("COOPGRAPH_WORKER_CONFINE") == "1"
    try:
        store = EmbeddedStore(settings, sandboxed=True)
        generation = store.current_generation()
        if generation is None:
            raise CoopgraphError("no data loaded yet; run `coopgraph load` first")
        if confined:
            confine.apply_landlock(generation)
        store.open_for_queries()
        from coopgraph.cypher.adhoc import run_cypher  # imported before the bounds, like the engine's first read

        per_query = settings.query_timeout_s * 2 + 1
        confine.apply_rlimits(settings.query_memory_mb, per_query * settings.query_worker_max_queries)
    except CoopgraphError as exc:
        say({"error": exc.message})
        os._exit(1)
    say({"ready": generation.name, "rss_kb": _rss_kb()})

    for line in sys.stdin:
        request = json.loads(line)
        confine.bound_cpu(per_query)
        try:
            result = run_cypher(store, request["text"], request["params"], settings)
            body = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}
        except CoopgraphError as exc:
            body = {"error": exc.message}
        except MemoryError:  # the worker may be left fragmented: the pool retires it
            body = {"error": f"stopped: the query needed more than {settings.query_memory_mb} MB", "spent": True}
        if _may_leave_state(request["text"]):
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


if __name__ == "__main__":
    main()
