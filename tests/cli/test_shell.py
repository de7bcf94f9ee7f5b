"""`coopgraph shell`: statements from a pipe on the confined query workers, one worker for a session;
the completer offers what the schema holds."""
import csv
import io
import json
import time

from conftest import run_cli
from prompt_toolkit.document import Document

from coopgraph.cypher.library import run as run_named
from coopgraph.settings import Settings
from coopgraph.cli.shell import CypherCompleter, Session, statements
from coopgraph.terminal import SafeConsole

COUNT = "MATCH (n:Sector) RETURN count(n) AS n"


def shell(home, text: str):
    return run_cli(["shell"], home, input=text)


def test_a_session_answers_refuses_in_one_line_and_goes_on(loaded_home, loaded_store):
    sectors = loaded_store.read(COUNT)[0]["n"]
    cooperants = loaded_store.read("MATCH (c:Cooperant) RETURN count(c) AS n")[0]["n"]
    result = shell(loaded_home, ":format json\n"
                                f"{COUNT};\n"
                                "MATCH (n) DELETE n;\n"
                                "MATCH (c:Cooperant)\n  RETURN count(c) AS n;\n"
                                ":run top_cooperants_by_amount limit=2\n"
                                ":params kind='\"city-network\"'\n"
                                "MATCH (c:Cooperant {kind: $kind}) RETURN c.id AS id ORDER BY id LIMIT 1\n")
    assert result.returncode == 1, result.stderr  # a statement failed: scripts can tell
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and "refused: DELETE is not allowed" in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    answers = _json_documents(result.stdout)
    assert answers[0] == [{"n": sectors}]
    assert answers[1] == [{"n": cooperants}]  # the statement after the refusal answered
    top = run_named(loaded_store, "top_cooperants_by_amount", limit=2)
    assert [row["id"] for row in answers[2]] == [row["id"] for row in top]
    assert answers[3] == {"kind": "city-network"}
    network = loaded_store.read("MATCH (c:Cooperant {kind: 'city-network'}) RETURN c.id AS id ORDER BY id LIMIT 1")
    assert answers[4] == network


def test_tables_and_csv_as_coopgraph_query_prints_them(loaded_home):
    result = shell(loaded_home, ":run top_cooperants_by_amount limit=1\n:format csv\n"
                                "MATCH (s:Sector) RETURN s.id AS id, s.name AS name ORDER BY id LIMIT 2;\n")
    assert result.returncode == 0, result.stderr
    table, _, text = result.stdout.partition("id,name")
    assert "top_cooperants_by_amount" in table and "$ " in table and ",00" in table  # pesos, the Colombian way
    rows = list(csv.reader(io.StringIO("id,name" + text)))
    assert len(rows) == 3 and rows[0] == ["id", "name"]


def test_mistakes_are_one_line_each(loaded_home):
    result = shell(loaded_home, ":run no_such_query\n:format yaml\n:nonsense\nMATCH (n:Sector RETURN n;\n"
                                f":help\n{COUNT};\n:q\n{COUNT};\n")
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4, result.stderr
    assert "no named query 'no_such_query'" in errors[0] and ":format is one of" in errors[1]
    assert "unknown command :nonsense" in errors[2]
    assert ":run NAME" in result.stdout and result.stdout.count("┃ n ") == 1  # :q ended the session


def test_one_worker_answers_a_whole_session(loaded_home):
    """A pooled worker answers every statement: 10 queries cost about what one `coopgraph query` does
    (a worker per query would cost ten start-ups, each as much as the whole one-shot run)."""
    started = time.perf_counter()
    one_shot = run_cli(["query", "--cypher", COUNT], loaded_home)
    once = time.perf_counter() - started
    assert one_shot.returncode == 0, one_shot.stderr
    started = time.perf_counter()
    result = shell(loaded_home, f"{COUNT};\n" * 10)
    session = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("┃ n ") == 10
    print(f"one-shot query {once:.2f} s, a session of 10 queries {session:.2f} s")
    assert session < 3 * once


def test_in_process_every_statement_reuses_the_same_worker(loaded_home):
    from coopgraph.cypher.sandbox import close_pools, pool_for

    close_pools()  # a fresh pool: earlier tests in this process may have used workers on the same store
    settings = Settings(home=loaded_home)
    out, err = io.StringIO(), io.StringIO()
    session = Session(settings, SafeConsole(file=out, width=100), SafeConsole(file=err))
    try:
        for _ in range(10):
            session.handle(COUNT)
        session.handle(":run summary_totals")
        idle = list(pool_for(settings)._idle.queue)
        assert [worker.answered for worker in idle] == [11], err.getvalue()
    finally:
        session.close()
    assert err.getvalue() == ""


def test_statements_end_at_semicolons_outside_quotes_and_comments():
    text = ["MATCH (n {name: 'a;b'})\n", "RETURN n; // not; here\n", ":run q limit=2\n",
            'RETURN "x;y" AS `c;d`; RETURN 1\n', "RETURN 2"]
    assert list(statements(text)) == ["MATCH (n {name: 'a;b'})\nRETURN n", ":run q limit=2",
                                      'RETURN "x;y" AS `c;d`', "RETURN 1\nRETURN 2"]


def _complete(completer, text: str) -> list[str]:
    return [c.text for c in completer.get_completions(Document(text), None)]


def test_the_completer_offers_the_schema_where_cypher_expects_it():
    from coopgraph.graph.model import model

    completer = CypherCompleter()
    labels, types = set(model().nodes), set(model().relationships)
    assert {"Sector", "Cooperant", "DistrictEntity"} <= labels
    assert set(_complete(completer, "MATCH (n:")) == labels
    assert _complete(completer, "MATCH (n:Sec") == ["Sector"]
    assert set(_complete(completer, "MATCH (e)-[r:")) == types
    assert "BELONGS_TO" in _complete(completer, "MATCH (e:DistrictEntity)-[:BEL")
    assert "name" in _complete(completer, "MATCH (n:Sector) RETURN n.na")
    assert _complete(completer, "mat") == ["MATCH"]
    assert "top_cooperants_by_amount" in _complete(completer, ":run top_")
    assert ":queries" in _complete(completer, ":qu")


def _json_documents(text: str) -> list:
    """The JSON answers printed one after another."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(text.rstrip()):
        while text[at].isspace():
            at += 1
        value, at = decoder.raw_decode(text, at)
        found.append(value)
    return found
