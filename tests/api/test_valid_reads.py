"""A valid read answers: NaN and infinities, which JSON cannot hold, come back as null — through the
API and the CLI — never as a 500 or a traceback."""
from __future__ import annotations

import json

from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.settings import Settings

from conftest import run_cli

NOT_NUMBERS = "RETURN 0.0/0.0 AS nan, 1e308*10 AS inf, -1e308*10 AS minus_inf, 1.5 AS fine"


def test_nan_and_infinities_answer_as_null_through_the_api(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home, api_key="clave-de-prueba"))) as client:
        answer = client.post("/api/v1/cypher", json={"query": NOT_NUMBERS}, headers={"X-API-Key": "clave-de-prueba"})
        assert answer.status_code == 200, answer.text
        row = json.loads(answer.text)["rows"][0]
        assert row == {"nan": None, "inf": None, "minus_inf": None, "fine": 1.5}


def test_nan_and_infinities_answer_as_null_through_the_cli(loaded_home):
    result = run_cli(["query", "--cypher", NOT_NUMBERS, "-f", "json"], loaded_home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"nan": None, "inf": None, "minus_inf": None, "fine": 1.5}]
    table = run_cli(["query", "--cypher", NOT_NUMBERS], loaded_home)
    assert table.returncode == 0 and "Traceback" not in table.stderr
