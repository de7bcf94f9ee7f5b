"""`coopgraph query`: named queries and analysts' own Cypher, read-only by the engine, bounded."""
import csv
import io
import json
import os

from conftest import run_cli


def test_a_write_is_refused(loaded_home):
    for text, clause in (("CREATE (n:X)", "CREATE"), ("MATCH (s:Sector) SET s.name = 'x'", "SET"),
                         ("MATCH (n) DETACH DELETE n", "DELETE")):
        result = run_cli(["query", "--cypher", text], loaded_home)
        assert result.returncode == 1, text
        assert f"refused: {clause} is not allowed" in result.stderr, result.stderr
    data = json.loads(run_cli(["summary", "--json"], loaded_home).stdout)
    assert data["counts"]["Sector"] >= 10


def test_rows_are_capped(loaded_home):
    env = {**os.environ, "COOPGRAPH_QUERY_MAX_ROWS": "5"}
    result = run_cli(["query", "--cypher", "MATCH (c:Cooperant) RETURN c.id AS id ORDER BY id", "-f", "json"],
                     loaded_home, env=env)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 5
    assert "only the first 5 rows" in result.stderr


def test_a_long_query_is_stopped(loaded_home):
    env = {**os.environ, "COOPGRAPH_QUERY_TIMEOUT_S": "0.5"}
    heavy = ("MATCH (a:Cooperant), (b:Cooperant), (c:Cooperant), (d:Contribution) "
             "WHERE size(a.name) + size(b.name) + size(c.name) + d.interactions = -1 RETURN count(*) AS n")
    result = run_cli(["query", "--cypher", heavy], loaded_home, env=env)
    assert result.returncode == 1
    assert "stopped: the query ran longer than 0.5 s" in result.stderr, result.stderr


def test_named_query_with_parameters_as_csv(loaded_home):
    result = run_cli(["query", "contributions_by_sector", "-p", "from_year=2024", "-p", "to_year=2024", "-f", "csv"],
                     loaded_home)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["sector"] == "CULTURA, RECREACIÓN Y DEPORTE"
    assert sum(int(r["total_cents"]) for r in rows) == 3_405_583_324_750


def test_unknown_query_and_bad_parameter_are_clear(loaded_home):
    assert "no named query 'nope'" in run_cli(["query", "nope"], loaded_home).stderr
    result = run_cli(["query", "contributions_by_sector", "-p", "from_year=dos mil"], loaded_home)
    assert result.returncode == 1 and "must be int" in result.stderr


def test_queries_lists_the_library(loaded_home):
    result = run_cli(["queries"], loaded_home, env={**os.environ, "COLUMNS": "250"})
    assert result.returncode == 0 and "contributions_by_sector" in result.stdout


def test_a_query_that_crashes_the_engine_does_not_take_the_caller_down(loaded_home):
    crash = "MATCH (n:Cooperant) RETURN n.id AS id ORDER BY id SKIP 999999 LIMIT 5"  # segfaults LadybugDB 0.22
    result = run_cli(["query", "--cypher", crash], loaded_home)
    assert result.returncode == 1
    assert "the engine crashed on this query (SIGSEGV); nothing else was affected" in result.stderr, result.stderr


def test_a_runaway_list_is_stopped_too(loaded_home):
    env = {**os.environ, "COOPGRAPH_QUERY_TIMEOUT_S": "0.5"}
    result = run_cli(["query", "--cypher", "UNWIND range(1, 300000000) AS x RETURN sum(x) AS s"], loaded_home, env=env)
    assert result.returncode == 1 and "stopped" in result.stderr, result.stderr
