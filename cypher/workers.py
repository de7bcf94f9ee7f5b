"""A pool of long-lived confined query workers on the embedded store (docs/sandbox.md).

A confined process per query cost ~0.5 s (an interpreter, coopgraph's imports, the store, the
confinement); a worker (cypher/worker.py) pays that once and then answers in milliseconds. The
pool hands each query to an idle worker and replaces a worker
- that crashed (this answer is EngineCrashed; the next query gets a fresh worker),
- that outlived the query's time (killed: the timeout still holds),
- that answered `query_worker_max_queries` queries or grew `query_worker_max_growth_mb` (wear),
- whose generation is no longer the store's current one (after a load no worker answers from the
  old data; a query already running finishes on its own generation).
Replacements start in the background, so a failure costs one answer, not the next one's start-up.
"""
from __future__ import annotations

import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

from coopgraph.cypher.adhoc import QueryResult
from coopgraph.cypher.library import QueryError
from coopgraph.cypher.policy import Refused
from coopgraph.errors import CoopgraphError, StoreError
from coopgraph.output import compact_json
from coopgraph.settings import Settings

START_S = 60.0  # a worker's start-up (imports, opening the store), far above the ~1 s it takes
GRACE_S = 5.0  # the engine's own interruption, before the worker is killed


class EngineCrashed(CoopgraphError):
    """The engine died on a query (a server fault: the API answers 500 engine_crashed)."""


WORKER = ("-m", "coopgraph.cypher.worker")


class Worker:
    """One confined child and its pipes; used by one query at a time. It starts from `/` with an
    isolated interpreter (`-I`: no caller's folder, user site or PYTHON* variable on its path) and
    the environment of `_environment` alone. `role`: "query" or "policy" (checks statements only).
    `program`: the interpreter's arguments after `-I` (tests run OS probes in a worker this way)."""

    def __init__(self, settings: Settings, confine: bool, *, role: str = "query", program=WORKER):
        self.settings = settings
        self.process = subprocess.Popen(
            [sys.executable, "-I", *program], cwd="/", env=_environment(settings, confine, role),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self._buffer = b""
        self.answered = 0
        ready = self._read(START_S)
        if ready is None or "ready" not in ready:
            self.kill()
            raise _start_error(ready)
        self.generation: str = ready["ready"]
        self.baseline_kb: int = ready["rss_kb"]
        self.grown_kb = 0

    def ask(self, text: str, params: dict | None, check: str | None = None) -> dict:
        """The worker's answer, or raises QueryError (timeout) / EngineCrashed (the worker died).
        `check`: the dialect the statement policy checks `text` for, in the worker, before it runs."""
        request = {"text": text, "params": params or {}, **({"check": check} if check else {})}
        try:
            self.process.stdin.write((compact_json(request) + "\n").encode())
        except BrokenPipeError:  # it died between queries
            raise self._crashed() from None
        answer = self._read(self.settings.query_timeout_s + GRACE_S)
        if answer is None:  # out of time: kill it; the pool starts another
            self.kill()
            raise QueryError(f"stopped: the query ran longer than {self.settings.query_timeout_s:g} s")
        self.answered += 1
        self.grown_kb = answer.pop("rss_kb", 0) - self.baseline_kb
        return answer

    def worn(self) -> bool:
        return (self.answered >= self.settings.query_worker_max_queries
                or self.grown_kb > self.settings.query_worker_max_growth_mb * 1024)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()

    def _read(self, timeout: float) -> dict | None:
        """One answer line within `timeout` seconds, or None; EngineCrashed if the worker ended."""
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise self._crashed()
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line, parse_float=Decimal)

    def _crashed(self) -> CoopgraphError:
        code = self.process.wait()
        if code < 0 and signal.Signals(-code).name == "SIGXCPU":
            return QueryError(f"stopped: the query used more CPU than {self.settings.query_timeout_s:g} s allow")
        name = signal.Signals(-code).name if code < 0 else f"exit status {code}"
        return EngineCrashed(f"the engine crashed on this query ({name}); nothing else was affected")


def _start_error(ready: dict | None) -> CoopgraphError:
    if ready and "error" in ready:
        return StoreError(ready["error"])
    return EngineCrashed("the query worker did not start")


class WorkerPool:
    """Up to `size` workers on the store of `settings`, each answering one query at a time."""

    def __init__(self, settings: Settings, size: int, *, confine: bool, role: str = "query"):
        self.settings = settings
        self.confine = confine
        self.role = role
        self.size = max(1, size)
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()  # the warmest worker first
        self._lock = threading.Lock()
        self._starting = 0
        self._closed = False
        self._current = Path(settings.store_dir) / "current"

    def warm(self) -> None:
        """Start the workers in the background (the API at start-up: the first query finds one ready)."""
        for _ in range(self.size):
            self._start_in_background()

    def prestart(self) -> None:
        """Start a worker in the background unless one is idle or on its way."""
        if self._idle.empty():
            self._start_in_background()

    def run(self, text: str, params: dict | None, check: str | None = None) -> QueryResult:
        """Run `text` (checked by the statement policy for dialect `check` first, when given)."""
        answer = self._ask(text, params, check)
        return QueryResult(answer["columns"], answer["rows"], answer["truncated"])

    def check(self, text: str, dialect: str) -> str:
        """The statement as the policy passes it (a pool of role "policy"), or QueryError."""
        return self._ask(text, None, dialect)["text"]

    def _ask(self, text: str, params: dict | None, check: str | None) -> dict:
        worker = self._take()
        try:
            answer = worker.ask(text, params, check)
        except BaseException:
            worker.kill()
            self._start_in_background()
            raise
        self._give_back(worker, spent=answer.pop("spent", False))
        if "error" in answer:  # the statement policy's refusals keep their kind (the API's code "refused")
            raise (Refused if answer.get("refused") else QueryError)(answer["error"])
        return answer

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return

    # -- workers in and out ------------------------------------------------------------------
    def _generation(self) -> str | None:
        if self.role == "policy":
            return "policy"  # no store: never out of date
        return self._current.resolve().name if self._current.is_symlink() else None

    def _take(self) -> Worker:
        current = self._generation()
        deadline = time.monotonic() + START_S
        while True:
            with self._lock:
                starting = self._starting
            try:  # while one is on its way, wait for it rather than start another
                worker = self._idle.get(timeout=0.02) if starting else self._idle.get_nowait()
            except queue.Empty:
                if not starting or time.monotonic() > deadline:  # none on its way: start one for this query
                    return Worker(self.settings, self.confine, role=self.role)
                continue
            if worker.alive() and worker.generation == current:
                return worker
            worker.kill()  # an older generation (a load happened) or dead: never answers again
            self._start_in_background()

    def _give_back(self, worker: Worker, *, spent: bool) -> None:
        if spent or worker.worn() or self._closed or worker.generation != self._generation():
            worker.kill()
            if not self._closed:
                self._start_in_background()
        else:
            self._idle.put(worker)

    def _start_in_background(self) -> None:
        with self._lock:
            if self._closed or self._starting + self._idle.qsize() >= self.size:
                return
            self._starting += 1
        threading.Thread(target=self._start_one, daemon=True, name="coopgraph-query-worker").start()

    def _start_one(self) -> None:
        try:
            worker = Worker(self.settings, self.confine, role=self.role)
        except CoopgraphError:
            worker = None  # no data yet, or the machine is short of memory: the next query starts one itself
        finally:
            with self._lock:
                self._starting -= 1
        if worker is not None:
            if self._closed:
                worker.kill()
            else:
                self._idle.put(worker)


def _environment(settings: Settings, confine: bool, role: str = "query") -> dict:
    """The worker's whole environment: a PATH, its settings, and no secret (it needs none)."""
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "COOPGRAPH_WORKER_CONFINE": "1" if confine else "0",
           "COOPGRAPH_WORKER_ROLE": role}
    for name, value in settings.model_dump().items():
        if value is None or name in ("api_key", "neo4j_password"):
            continue
        env[f"COOPGRAPH_{name.upper()}"] = str(value)
    return env
