"""Loads into Neo4j beside the embedded store, in one run: the bundled 2024 tables and synthetic
interaction exports (100k and 1M rows by default), each against pandas' parse of the same file.

    python bench/bench_neo4j.py [--sizes 100000,1000000] [--heap 2g] [--pagecache 2g]

Neo4j is the suite's test server (tests/neo4j_server, started here as a server runs: the JVM's
optimising compiler on, heap and page cache from the options) unless NEO4J_URI/NEO4J_PASSWORD name
yours — whose database is wiped.
Each load is `coopgraph load` in a fresh process: through Bolt the Neo4j store sends batched
`UNWIND` statements in transactions of at most TRANSACTION_ROWS rows. The offline route is timed
too: `coopgraph export neo4j-import` from the embedded store, then `neo4j-admin database import
full` (the import tool is on the harness's classpath) into a new database.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from neo4j_server import server  # noqa: E402

from coopgraph.graph.store.neo4j import BATCH_ROWS, TRANSACTION_ROWS, Neo4jStore  # noqa: E402
from coopgraph.settings import Settings  # noqa: E402


def run(args: list[str], home: str, env: dict | None = None) -> tuple[float, float, str]:
    """Wall time, peak RSS (MB) and stdout of one `coopgraph` process."""
    env = {**os.environ, **(env or {}), "COOPGRAPH_HOME": home}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "coopgraph", *args], env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if status != 0:
            raise SystemExit(f"coopgraph {' '.join(args)} failed:\n{err.read()[-2000:]}")
        return elapsed, usage.ru_maxrss / 1024, out.read()


def admin_import(script: Path, work: Path) -> tuple[float, str]:
    """The export's import.sh (`neo4j-admin database import full`, the harness's classpath) into a fresh home."""
    home = work / "neo4j-home"
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").touch()
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf"),
           "NEO4J_ADMIN": str(server.admin_tool(work / "neo4j-admin", heap="1g"))}
    started = time.perf_counter()
    child = subprocess.run(["sh", str(script)], cwd=work, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"neo4j-admin import failed:\n{child.stdout[-2000:]}{child.stderr[-2000:]}")
    imported = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships", child.stdout)
    return elapsed, f"{imported.group(1)} nodes, {imported.group(2)} relationships" if imported else "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--heap", default="2g", help="the test server's JVM heap")
    parser.add_argument("--pagecache", default="2g", help="the test server's page cache")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",") if s]

    own = None
    if os.environ.get("NEO4J_URI"):
        uri, password = os.environ["NEO4J_URI"], os.environ["NEO4J_PASSWORD"]
    else:
        own = server.start(password=secrets.token_urlsafe(18), heap=options.heap, jvm_options=server.THROUGHPUT_JVM_OPTIONS,
                           settings={"server.memory.pagecache.size": options.pagecache})
        uri, password = own.uri, own.password
        print(f"Neo4j {own.version} test server: ready in {own.started_s:.1f} s, {own.rss_mb():.0f} MB resident "
              f"(heap {options.heap}, page cache {options.pagecache}, {' '.join(server.THROUGHPUT_JVM_OPTIONS)})")
    settings = Settings(store="neo4j", neo4j_uri=uri, neo4j_password=password)
    neo_env = {"COOPGRAPH_STORE": "neo4j", "COOPGRAPH_NEO4J_URI": uri, "COOPGRAPH_NEO4J_PASSWORD": password}
    store = Neo4jStore(settings)
    print(f"transactions of at most {TRANSACTION_ROWS} rows, UNWIND batches of {BATCH_ROWS}\n")
    print(f"{'data':>8} {'rows':>8} {'pandas s':>9} {'embedded s':>11} {'neo4j s':>8} {'neo4j/pandas':>13} "
          f"{'export s':>9} {'import s':>9} {'client MB':>10} {'server MB':>10}  counts")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            datasets = [("2024", None, sorted((ROOT / "data" / "report-2024").glob("*.csv")))]
            for rows in sizes:
                path = work / f"synthetic-{rows}.csv"
                run(["synth", "-o", str(path), "--rows", str(rows), "--years", "2021-2024",
                     "--cooperants", str(max(300, rows // 200)), "--entities", "60"], str(work / "gen"))
                datasets.append(("synth", rows, [path]))
            for name, rows, files in datasets:
                started = time.perf_counter()
                parsed = sum(len(pd.read_csv(f, dtype=str, keep_default_na=False)) for f in files)
                parse = time.perf_counter() - started
                args = ["load"] if rows is None else ["load", str(files[0])]
                home = str(work / f"home-{name}-{rows}")
                embedded, _, _ = run(args, home)
                server.wipe(store.driver, store.database)
                neo, client_peak, _ = run(args, str(work / "neo-home"), neo_env)
                counts_neo = store.counts()
                export_dir = work / f"import-{name}-{rows}"
                export, _, _ = run(["export", "neo4j-import", str(export_dir)], home)
                imported, summary = admin_import(export_dir / "import.sh", work / f"admin-{name}-{rows}")
                server_mb = own.rss_mb() if own else float("nan")
                total = (sum(counts_neo["nodes"].values()), sum(counts_neo["relationships"].values()))
                print(f"{name:>8} {rows or parsed:>8} {parse:>9.2f} {embedded:>11.2f} {neo:>8.2f} {neo / parse:>13.0f} "
                      f"{export:>9.2f} {imported:>9.2f} {client_peak:>10.0f} {server_mb:>10.0f}  "
                      f"Bolt: {total[0]} nodes, {total[1]} relationships; import tool: {summary}", flush=True)
    finally:
        store.close()
        if own:
            own.stop()


if __name__ == "__main__":
    main()
