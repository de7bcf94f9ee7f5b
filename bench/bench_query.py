"""Analysts' queries at interactive speed: coopgraph on its embedded store beside coopgraph served
from Neo4j, the official driver straight to Neo4j and the embedded engine in process, in one run.

    python bench/bench_query.py [--requests 300] [--clients 8] [--no-neo4j]

Loads the bundled 2024 data into a fresh home (and into the suite's Neo4j test server, unless
NEO4J_URI/NEO4J_PASSWORD name yours, whose database is wiped), serves it with `coopgraph serve`
(one server per store, an API key set), and times, every request uncached (each asks for
something not asked before):
- a named query through the API: `cooperant_profile` over every cooperant and year range,
- an analyst's 250-character query: POST /api/v1/cypher (the statement policy, then a worker),
sequentially and with `--clients` concurrent clients on keep-alive connections; then the same
Cypher through the driver and in the engine, and `coopgraph query --cypher` as a whole process.
Goals (issue 24): named p50 <= 5 ms and p99 <= 50 ms, ad-hoc p50 <= 10 ms, >= 500 queries/s at 8
clients, the whole CLI process <= 1 s.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

KEY = secrets.token_urlsafe(24)
ADHOC = ("MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
         "WHERE c.year >= {year} AND o.name <> 'ninguno' WITH o, count(DISTINCT e) AS entidades, "
         "count(c) AS aportes RETURN o.name AS cooperante, entidades, aportes "
         "ORDER BY aportes DESC, cooperante LIMIT 10")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(args: list[str], env: dict) -> str:
    done = subprocess.run([sys.executable, "-m", "coopgraph", *args], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"coopgraph {args[0]} failed: {done.stderr.strip()[-1500:]}")
    return done.stdout


class Served:
    """`coopgraph serve` on a free loopback port, until closed."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, "-m", "coopgraph", "serve", "--port", str(self.port)],
                                        env={**env, "COOPGRAPH_API_KEY": KEY}, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if self.connection().request("GET", "/api/v1/summary") is None:
                    time.sleep(1.0)  # the workers warm in the background
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("coopgraph serve did not start")

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def close(self):
        self.process.terminate()
        self.process.wait(30)


def named_requests(ids: list[str], n: int) -> list[tuple[str, str, bytes | None]]:
    combos = [(i, y) for y in range(0, 2025) for i in ids]
    return [("GET", f"/api/v1/queries/cooperant_profile?id={i}&from_year={y}", None) for i, y in combos[:n]]


def light_requests(n: int) -> list[tuple[str, str, bytes | None]]:
    return [("GET", f"/api/v1/queries/organisations_count?kind=Cooperant&q={k}", None) for k in range(n)]


def adhoc_requests(n: int, offset: int) -> list[tuple[str, str, bytes | None]]:
    return [("POST", "/api/v1/cypher", json.dumps({"query": ADHOC.format(year=offset + k)}).encode()) for k in range(n)]


def drive(server: Served, requests: list, clients: int) -> tuple[list[float], float]:
    """Latencies (ms) and queries per second, `clients` threads each on its own keep-alive connection."""
    latencies, errors = [], []
    lock = threading.Lock()
    chunks = [requests[k::clients] for k in range(clients)]

    def client(chunk):
        conn = server.connection()
        mine = []
        for method, path, body in chunk:
            headers = {"X-API-Key": KEY, "Content-Type": "application/json"} if body else {}
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
            mine.append((time.perf_counter() - start) * 1000)
            if answer.status != 200:
                errors.append((answer.status, path))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(c,)) for c in chunks]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise SystemExit(f"{len(errors)} requests failed, e.g. {errors[:3]}")
    return latencies, len(requests) / elapsed


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def _full_ll(text: str):
    """The policy's parse without its SLL first pass: the reference for what SLL saves."""
    from antlr4 import CommonTokenStream, InputStream

    from coopgraph.cypher import policy

    stream = CommonTokenStream(policy._grammar()[2](InputStream(text)))
    stream.fill()
    return policy._statements(stream, fast=False)


def timed(call, n: int) -> list[float]:
    out = []
    for k in range(n):
        start = time.perf_counter()
        call(k)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-neo4j", action="store_true", help="the embedded store alone")
    options = parser.parse_args()
    n = options.requests
    rows: list[tuple[str, str, str, str, str]] = []

    def row(what: str, where: str, lat: list[float], qps: float | None = None):
        rows.append((what, where, f"{statistics.median(lat):.1f}", f"{p(lat, 99):.1f}", f"{qps:.0f}" if qps else ""))

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "COOPGRAPH_HOME": home}
        cli(["load"], env)
        from coopgraph.graph.store.embedded import EmbeddedStore
        from coopgraph.settings import Settings

        engine = EmbeddedStore(Settings(home=home))
        ids = [r["id"] for r in engine.read("MATCH (o:Cooperant) RETURN o.id AS id ORDER BY id")]
        stores = [("embedded", env)]
        neo4j_server = driver = None
        if not options.no_neo4j:
            from neo4j_server import server

            if os.environ.get("NEO4J_URI"):
                uri, password = os.environ["NEO4J_URI"], os.environ["NEO4J_PASSWORD"]
            else:
                neo4j_server = server.start(password=secrets.token_urlsafe(18), heap="1g",
                                            jvm_options=server.THROUGHPUT_JVM_OPTIONS)
                uri, password = neo4j_server.uri, neo4j_server.password
            neo_env = {**env, "COOPGRAPH_STORE": "neo4j", "COOPGRAPH_NEO4J_URI": uri, "COOPGRAPH_NEO4J_PASSWORD": password}
            cli(["load"], neo_env)
            stores.append(("neo4j", neo_env))
            import neo4j

            driver = neo4j.GraphDatabase.driver(uri, auth=("neo4j", password))

        for name, store_env in stores:
            served = Served(store_env)
            try:
                drive(served, named_requests(ids, 20) + adhoc_requests(20, 3000), 1)  # warm: connections, workers
                lat, qps = drive(served, named_requests(ids, n)[:n], 1)
                row("named query, API", f"coopgraph · {name}", lat, qps)
                lat, qps = drive(served, light_requests(n), 1)
                row("named query (a count), API", f"coopgraph · {name}", lat, qps)
                lat, qps = drive(served, named_requests(ids, 2 * n)[n:], options.clients)
                row(f"named query, API, {options.clients} clients", f"coopgraph · {name}", lat, qps)
                lat, qps = drive(served, adhoc_requests(n, 0), 1)
                row("ad-hoc 250 chars, API", f"coopgraph · {name}", lat, qps)
                lat, qps = drive(served, adhoc_requests(n, 10_000), options.clients)
                row(f"ad-hoc 250 chars, API, {options.clients} clients", f"coopgraph · {name}", lat, qps)
            finally:
                served.close()

        text = ADHOC.format(year="$year")
        if driver is not None:
            with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
                session.run(text, year=0).consume()
                row("ad-hoc 250 chars, driver", "Neo4j straight", timed(lambda k: list(session.run(text, year=k)), n))
            driver.close()
        from coopgraph.cypher.library import library

        profile = library()["cooperant_profile"]
        row("named query, in process", "engine straight",
            timed(lambda k: engine.read(profile.text("embedded"), profile.bind({"id": ids[k % len(ids)], "from_year": str(k)})), n))
        engine.read(text, {"year": 0})
        row("ad-hoc 250 chars, in process", "engine straight", timed(lambda k: engine.read(text, {"year": k}), n))
        from coopgraph.cypher import policy

        assert engine.read(ADHOC.format(year=0)), "the ad-hoc query answers rows"
        policy.check(ADHOC.format(year=0))
        row("statement policy alone (250 chars)", "in process", timed(lambda k: policy.check(ADHOC.format(year=k)), n))
        row("  the same parse, full LL only (before SLL)", "in process", timed(lambda k: _full_ll(ADHOC.format(year=k)), n))
        profile_text = profile.text("embedded")

        def fresh_connection(k):
            engine.new_session()
            engine.read(profile_text, profile.bind({"id": ids[k % len(ids)], "from_year": str(k)}))

        row("named query, in process, a fresh connection each", "engine straight", timed(fresh_connection, n))
        whole = timed(lambda k: cli(["query", "--cypher", ADHOC.format(year=k), "--format", "json"], env), 5)
        row("`coopgraph query --cypher`, whole process", "embedded", whole)
        engine.close()
        if neo4j_server is not None:
            neo4j_server.stop()

    load = os.getloadavg()
    print(f"uncached queries, {n} per line; load average {load[0]:.2f} on {os.cpu_count()} cores; ms")
    widths = [max(len(r[i]) for r in rows + [("what", "where", "p50", "p99", "q/s")]) for i in range(5)]
    for r in [("what", "where", "p50", "p99", "q/s"), *rows]:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))


if __name__ == "__main__":
    main()
