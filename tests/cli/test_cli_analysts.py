"""The CLI as analysts read it: money the Colombian way in tables, "sin resultados", full query names,
the schema, and where `serve` puts the maps and the docs. Real store, real command, own process."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from conftest import run_cli
from coopgraph.cypher.library import library
from coopgraph.graph.model import model


def test_query_tables_write_money_the_colombian_way(loaded_home, loaded_store):
    result = run_cli(["query", "top_cooperants_by_amount"], loaded_home)
    assert result.returncode == 0, result.stderr
    total = loaded_store.read("MATCH (:Cooperant {id: 'bid'})-[:PROVIDED]->(c:Contribution) RETURN sum(c.total_cents) AS t")[0]["t"]
    assert total == 618169629300
    assert "$ 6.181.696.293,00" in result.stdout and "618169629300" not in result.stdout
    assert "None" not in result.stdout
    narrow = run_cli(["query", "district_entity_profile", "-p", "id=sda"], loaded_home, env={"COLUMNS": "80"})
    assert "SECRETARÍA DISTRITAL DE AMBIENTE" in narrow.stdout and "$ 0,00" in narrow.stdout  # one record, field: value


def test_empty_results_say_so(loaded_home):
    result = run_cli(["query", "cooperants_by_country", "-p", "country=ZZ"], loaded_home)
    assert result.returncode == 0 and result.stdout.strip() == "sin resultados"


def test_queries_never_cut_a_name(loaded_home):
    names = list(library())
    listed = run_cli(["queries", "--names"], loaded_home).stdout.split()
    assert listed == names
    table = run_cli(["queries"], loaded_home, env={"COLUMNS": "100"}).stdout
    assert all(name in table for name in names)  # the longest, shortest_path_between_organisations, too


def test_schema_lists_labels_relationship_types_and_properties(loaded_home):
    text = run_cli(["schema"], loaded_home, env={"COLUMNS": "160"}).stdout
    m = model()
    assert all(label in text for label in m.nodes) and all(rel in text for rel in m.relationships)
    assert "cooperant_cents" in text and "(money)" in text and "DistrictEntity→Contribution" in text


def test_serve_says_where_the_maps_and_docs_are(loaded_home):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "COOPGRAPH_HOME": str(loaded_home), "COLUMNS": "200"}
    server = subprocess.Popen([sys.executable, "-m", "coopgraph", "serve", "--port", str(port)], env=env,
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        deadline, line = time.monotonic() + 60, ""
        while "docs" not in line and time.monotonic() < deadline:
            line = server.stderr.readline()
        assert f"http://127.0.0.1:{port}/maps" in line and f"http://127.0.0.1:{port}/docs" in line
    finally:
        server.terminate()
        server.wait(timeout=30)
