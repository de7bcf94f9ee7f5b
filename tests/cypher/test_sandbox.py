"""Analysts' Cypher cannot touch the host or the store: the escape corpus through the CLI and the API
(parse layer), then the OS layer alone with the parse layer out of the way."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from pydantic import SecretStr
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.cypher.confine import landlock_status
from coopgraph.cypher.policy import Refused, check
from coopgraph.settings import Settings

from conftest import ROOT

CORPUS = yaml.safe_load((ROOT / "tests" / "data" / "escape_corpus.yaml").read_text(encoding="utf-8"))
CASES = [(group, named, text) for group, items in CORPUS.items() for named, text in items]
KEY = "clave-de-prueba"


class Listener:
    """A local TCP port that counts who connects to it (nobody should)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.server.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


@pytest.fixture
def listener():
    watch = Listener()
    yield watch
    watch.close()


def fill(text: str, tmp: Path, port: int) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{port}", str(port))


def test_the_corpus_is_big_and_varied():
    assert len(CASES) >= 80
    assert {"file_read", "file_write", "network", "extensions", "settings", "store", "writes", "ddl", "tricks"} <= set(CORPUS)


def test_every_statement_is_refused_by_the_policy_naming_its_clause(tmp_path):
    for group, named, text in CASES:
        with pytest.raises(Refused) as refused:
            check(fill(text, tmp_path, 9))
        message = refused.value.message
        assert named.lower() in message.lower(), (group, text, message)
        assert "\n" not in message and message.startswith("refused:"), message


def test_the_fast_parse_builds_the_tree_the_full_parse_builds():
    """The policy parses with SLL prediction first: wherever that succeeds its tree must be LL's, on
    every named query (both dialects) and every statement of the corpus."""
    from antlr4 import CommonTokenStream, InputStream

    from coopgraph.cypher import policy
    from coopgraph.cypher.library import library

    texts = [q.text(d) for q in library().values() for d in ("embedded", "neo4j")] + [t for _, _, t in CASES]
    compared = 0
    for text in texts:
        trees = []
        for fast in (True, False):
            stream = CommonTokenStream(policy._grammar()[2](InputStream(text)))
            try:
                stream.fill()
                tree = policy._statements(stream, fast=fast)
            except Exception:
                trees.append(None)
                continue
            trees.append(tree.toStringTree(recog=tree.parser))
        if trees[0] is not None:
            assert trees[0] == trees[1], text
            compared += 1
    assert compared >= 150  # the named queries parse fast, and so do most of the corpus


def test_reading_queries_pass_the_policy():
    from coopgraph.cypher.library import library

    for query in library().values():  # every named query in its Neo4j spelling, which analysts also write
        check(query.text("neo4j"), "neo4j")
    for text in ("CALL show_tables() RETURN *", "CALL table_info('Sector') RETURN *",
                 "MATCH (n:Sector) WHERE EXISTS { MATCH (n)<--() } RETURN n.id, COUNT { (n)<--() } AS c",
                 "CALL { MATCH (s:Sector) RETURN s } RETURN count(s) AS n",
                 "UNWIND [1, 2] AS x RETURN x UNION RETURN 3 AS x", "MATCH (n) RETURN n // a comment\n"):
        check(text)
    assert check("MATCH (n) /* CREATE */ RETURN n").text == "MATCH (n)   RETURN n"


def test_the_corpus_is_refused_through_the_cli_and_the_api(loaded_home, tmp_path, listener, capsys, monkeypatch):
    from coopgraph import cli
    from coopgraph.settings import get_settings

    watched = tmp_path / "watched"
    watched.mkdir()
    monkeypatch.setenv("COOPGRAPH_HOME", str(loaded_home))
    get_settings.cache_clear()
    with TestClient(create_app(Settings(home=loaded_home, api_key=KEY))) as client:
        for group, named, text in CASES:
            statement = fill(text, watched, listener.port)
            monkeypatch.setattr(sys, "argv", ["coopgraph", "query", "--cypher", statement])
            with pytest.raises(SystemExit) as exit_:
                cli.main()
            stderr = capsys.readouterr().err.strip()
            assert exit_.value.code == 1, (group, statement)
            assert len(stderr.splitlines()) == 1 and named.lower() in stderr.lower(), (statement, stderr)
            answer = client.post("/api/v1/cypher", json={"query": statement}, headers={"X-API-Key": KEY})
            assert answer.status_code == 400 and answer.json()["code"] == "refused", (statement, answer.text)
            assert named.lower() in answer.json()["message"].lower()
        assert list(watched.iterdir()) == [] and listener.connections == 0
        healthy = client.post("/api/v1/cypher", json={"query": "MATCH (s:Sector) RETURN count(s) AS n"},
                              headers={"X-API-Key": KEY})
        assert healthy.status_code == 200 and healthy.json()["rows"][0]["n"] >= 10
    get_settings.cache_clear()


# -- the OS layer alone -----------------------------------------------------------------------------
needs_landlock = pytest.mark.skipif(landlock_status()[1] is not None, reason=str(landlock_status()[1]))


@needs_landlock
def test_the_os_layer_alone_stops_reads_writes_and_checkpoints(loaded_home, tmp_path):
    """One long-lived confined worker, fed statements the parse layer never saw, one after another."""
    from coopgraph.cypher.workers import Worker

    worker = Worker(Settings(home=loaded_home), confine=True)
    try:
        read = worker.ask("LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *", {})
        assert read["error"].startswith("refused: the query tried to open a file"), read
        target = tmp_path / "x.csv"
        write = worker.ask(f"COPY (MATCH (n:Cooperant) RETURN n.id, n.name) TO '{target}'", {})
        assert "error" in write and not target.exists()
        assert str(tmp_path) not in write["error"]  # no host path in what the analyst sees
        assert "error" in worker.ask("CHECKPOINT", {})
        for refused in ("CREATE MACRO cuenta(x) AS x + 1", "INSTALL httpfs", "LOAD EXTENSION httpfs",
                        "ATTACH '/tmp/otro.lbdb' AS otro (dbtype lbug)"):
            assert "error" in worker.ask(refused, {}), refused
        assert "error" in worker.ask("RETURN cuenta(1) AS n", {})  # no macro survived for the next query
        # a session setting the engine accepts ends with its query: the next one starts afresh
        assert "error" not in worker.ask("CALL threads=1", {})
        assert list(worker.ask("CALL current_setting('threads') RETURN *", {})["rows"][0].values()) == ["2"]
        after = worker.ask("MATCH (s:Sector) RETURN count(s) AS n", {})  # the store is healthy, and so is the worker
        assert after["rows"][0]["n"] >= 10 and worker.alive()
    finally:
        worker.kill()


@needs_landlock
def test_the_os_layer_alone_stops_a_socket_connect(listener):
    code = ("import socket, sys\n"
            "from coopgraph.cypher.confine import apply_landlock\n"
            "apply_landlock(None)\n"
            f"try:\n    socket.create_connection(('127.0.0.1', {listener.port}), timeout=2)\n"
            "except PermissionError:\n    sys.exit(7)\n")
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert child.returncode == 7, child.stderr
    assert listener.connections == 0


def test_answers_are_bounded_in_bytes_on_any_store(loaded_store, tmp_path):
    from coopgraph.cypher.adhoc import run_cypher
    from coopgraph.cypher.library import QueryError

    small = Settings(home=tmp_path, query_max_bytes=2_000)
    with pytest.raises(QueryError, match="larger than 2,000 bytes"):
        run_cypher(loaded_store, check("MATCH (c:Cooperant) RETURN c.id AS id, c.name AS name").text, {}, small)
    assert run_cypher(loaded_store, "MATCH (s:Sector) RETURN count(s) AS n", {}, small).rows[0]["n"] >= 10


def test_without_landlock_the_endpoint_stays_off_unless_the_operator_accepts(loaded_home, monkeypatch):
    from coopgraph.cypher import confine

    monkeypatch.setattr(confine, "landlock_status", lambda: (0, "this kernel does not offer Landlock"))
    body = {"query": "MATCH (s:Sector) RETURN count(s) AS n"}
    with TestClient(create_app(Settings(home=loaded_home, api_key=KEY))) as client:
        off = client.post("/api/v1/cypher", json=body, headers={"X-API-Key": KEY})
        named = client.get("/api/v1/queries/summary_totals")  # named queries still run, with rlimits
    assert off.status_code == 503 and off.json()["code"] == "sandbox_unavailable"
    assert "does not offer Landlock" in off.json()["message"] and named.status_code == 200
    with TestClient(create_app(Settings(home=loaded_home, api_key=KEY, sandbox_without_landlock=True))) as client:
        weaker = client.post("/api/v1/cypher", json=body, headers={"X-API-Key": KEY})
    assert weaker.status_code == 200 and weaker.json()["rows"][0]["n"] >= 10


def test_the_corpus_is_refused_on_a_live_neo4j_too(neo4j_loaded, neo4j_settings, tmp_path, listener, capsys,
                                                   monkeypatch):
    """The same statements through the CLI and the API with COOPGRAPH_STORE=neo4j, then the store still answers."""
    from conftest import neo4j_env
    from coopgraph import cli
    from coopgraph.settings import get_settings

    for name, value in neo4j_env(neo4j_settings).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    settings = neo4j_settings.model_copy(update={"api_key": SecretStr(KEY), "home": tmp_path})
    with TestClient(create_app(settings)) as client:
        for group, named, text in CASES:
            statement = fill(text, tmp_path, listener.port)
            monkeypatch.setattr(sys, "argv", ["coopgraph", "query", "--cypher", statement])
            with pytest.raises(SystemExit) as exit_:
                cli.main()
            stderr = capsys.readouterr().err.strip()
            assert exit_.value.code == 1 and named.lower() in stderr.lower(), (statement, stderr)
            answer = client.post("/api/v1/cypher", json={"query": statement}, headers={"X-API-Key": KEY})
            assert answer.status_code == 400 and named.lower() in answer.json()["message"].lower(), answer.text
        labels = client.post("/api/v1/cypher", json={"query": "CALL db.labels() YIELD label RETURN label"},
                             headers={"X-API-Key": KEY})
        sectors = client.post("/api/v1/cypher", json={"query": "MATCH (s:Sector) RETURN count(s) AS n"},
                              headers={"X-API-Key": KEY})
    get_settings.cache_clear()
    assert listener.connections == 0 and list(tmp_path.iterdir()) == []
    assert labels.status_code == 200 and {"label": "Sector"} in labels.json()["rows"]
    assert sectors.status_code == 200 and sectors.json()["rows"][0]["n"] >= 10


def test_parsing_is_bounded():
    with pytest.raises(Refused, match="more than 2000 tokens"):
        check("RETURN [" + ",".join(["[1]"] * 1000) + "]")
    with pytest.raises(Refused, match="nests brackets or CASE more than 12 deep|longer than"):
        check("RETURN " + "(" * 990 + "1" + ")" * 990)
