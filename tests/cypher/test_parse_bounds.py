"""Every bound from the first byte: the statement policy parses in a query worker under the query's
time limit, nesting is bounded before the parser sees it, refusals are one short line, negative
sizes have their own message; through the CLI and the API, with other queries served meanwhile."""
from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.cypher.policy import MAX_NESTING, Refused, check
from coopgraph.settings import Settings

from conftest import run_cli

KEY = "clave-de-prueba"
TIMEOUT_S = 3


def nest(depth: int) -> str:
    text = "1"
    for _ in range(depth):
        text = f"CASE WHEN true THEN {text} END"
    return text


DEEP = "RETURN " + ", ".join(nest(20) + f" AS x{i}" for i in range(18))  # 20 deep, 18 times: 8.8 KB
# under the nesting bound, yet the parser's full-LL prediction crawls (≈ 12 s in Python): the last
# nest lacks its END, so the fast parse gives up and the full one re-reads all 18
CRAWL = "RETURN " + ", ".join([nest(10) + f" AS x{i}" for i in range(17)] + [nest(10)[:-4] + " AS x17"])


def test_the_statements_are_the_ones_measured():
    assert 8_000 < len(DEEP) < 10_000 and MAX_NESTING < 20


def test_nesting_is_refused_before_the_parser_in_one_line():
    started = time.monotonic()
    with pytest.raises(Refused, match=f"more than {MAX_NESTING} deep") as refused:
        check(DEEP)
    assert time.monotonic() - started < 1 and "\n" not in refused.value.message


def test_refusals_are_one_short_line():
    with pytest.raises(Refused) as refused:
        check(r"MATCH (n:\u0053ector) RETURN n")
    message = refused.value.message
    assert len(message) < 200 and "\n" not in message and "ACCESS" not in message, message


@pytest.mark.parametrize("call", ["repeat('x', -1)", "lpad('x', -5, ' ')", "rpad('x', - 2, ' ')"])
def test_a_negative_size_has_its_own_message(call):
    with pytest.raises(Refused, match=r"negative size"):
        check(f"RETURN {call} AS x")
    assert check("RETURN range(-3, 3) AS r, repeat('x', 2) AS x").text  # negative numbers elsewhere pass


def test_a_computed_negative_size_is_named_too(loaded_home):
    result = run_cli(["query", "--cypher", "RETURN repeat('x', 0 - 1) AS x"], loaded_home)
    assert result.returncode == 1 and "negative" in result.stderr and "Traceback" not in result.stderr


def test_the_cli_refuses_the_deep_statement_and_stops_the_crawl_within_the_timeout(loaded_home):
    env = {"COOPGRAPH_QUERY_TIMEOUT_S": str(TIMEOUT_S)}
    deep = run_cli(["query", "--cypher", DEEP], loaded_home, env=env)
    assert deep.returncode == 1 and f"more than {MAX_NESTING} deep" in deep.stderr
    started = time.monotonic()
    crawl = run_cli(["query", "--cypher", CRAWL], loaded_home, env=env)
    elapsed = time.monotonic() - started
    assert crawl.returncode == 1 and f"ran longer than {TIMEOUT_S} s" in crawl.stderr, crawl.stderr
    assert len(crawl.stderr.strip().splitlines()) == 1
    assert elapsed < TIMEOUT_S + 8, elapsed  # the timeout, a cold worker's start-up and the CLI's own


def test_the_api_stops_the_crawl_within_the_timeout_and_serves_others_meanwhile(loaded_home):
    settings = Settings(home=loaded_home, api_key=KEY, query_timeout_s=TIMEOUT_S)
    headers = {"X-API-Key": KEY}
    with TestClient(create_app(settings)) as client:
        warm = client.post("/api/v1/cypher", json={"query": "MATCH (s:Sector) RETURN count(s) AS n"}, headers=headers)
        assert warm.status_code == 200
        deep = client.post("/api/v1/cypher", json={"query": DEEP}, headers=headers)
        assert deep.status_code == 400 and f"more than {MAX_NESTING} deep" in deep.json()["message"]
        slow = {}

        def crawl():
            started = time.monotonic()
            slow["answer"] = client.post("/api/v1/cypher", json={"query": CRAWL}, headers=headers)
            slow["elapsed"] = time.monotonic() - started

        thread = threading.Thread(target=crawl)
        thread.start()
        time.sleep(0.5)  # the crawl holds a worker now
        others = []
        while thread.is_alive() and len(others) < 6:
            started = time.monotonic()
            quick = client.post("/api/v1/cypher", json={"query": "MATCH (s:Sector) RETURN count(s) AS n"},
                                headers=headers)
            named = client.get("/api/v1/queries/summary_totals")
            summary = client.get("/api/v1/summary")
            others.append((quick.status_code, named.status_code, summary.status_code, time.monotonic() - started))
        thread.join(timeout=TIMEOUT_S + 30)
    assert others and all(codes[:3] == (200, 200, 200) for codes in others), others
    assert max(o[3] for o in others) < 3, others  # served while the crawl ran, not after it
    answer = slow["answer"]
    assert answer.status_code == 400 and f"ran longer than {TIMEOUT_S:g} s" in answer.json()["message"]
    assert slow["elapsed"] < TIMEOUT_S + 2.5, slow  # the worker was warm: the timeout and little more
