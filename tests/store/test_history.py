"""The history of loads: a load, a second load, `history` listing both with their figures, `rollback`
restoring the first figures exactly, `diff` between the two loads, and the data version on answers."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from oracle import CURATED
from conftest import run_cli
from coopgraph.api.app import create_app
from coopgraph.settings import Settings

REPORT_COP = Decimal("34055833247.50")  # the report's total (Tabla 5)
EXTRA = Decimal("1000000.00")


def _summary(home) -> dict:
    result = run_cli(["summary", "--json"], home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def _history(home) -> list[dict]:
    return json.loads(run_cli(["history", "--json"], home).stdout)


def _extra_file(path, n: int = 1):
    pd.DataFrame({"id_interaccion": [f"H-{i}" for i in range(n)], "año": ["2024"] * n,
                  "entidad_distrital": ["SECRETARÍA DISTRITAL DE MOVILIDAD"] * n,
                  "cooperante": [f"FUNDACIÓN HISTORIA {i}" for i in range(n)], "monetario": ["Sí"] * n,
                  "aporte_cooperante": ["1.000.000,00"] * n, "moneda": ["COP"] * n}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def two_loads(tmp_path_factory):
    home = tmp_path_factory.mktemp("history") / "home"
    assert run_cli(["load"], home).returncode == 0
    first = _summary(home)
    extra = _extra_file(home.parent / "globo-historia.csv")
    loaded = run_cli(["load", str(extra)], home)
    assert loaded.returncode == 0, loaded.stderr
    return home, first, _summary(home)


def test_history_lists_both_loads_with_their_figures(two_loads):
    home, first, second = two_loads
    entries = _history(home)
    assert [e["action"] for e in entries] == ["load", "load"]
    assert [e["version"] for e in entries] == [first["data_version"], second["data_version"]]
    assert entries[0]["figures_before"] is None and entries[1]["previous"] == entries[0]["version"]
    assert entries[0]["figures_after"] == {"interactions": 607, "report_cop": str(REPORT_COP),
                                           "all_cooperation_cop": str(first["all_cooperation"]["total_cop"])}
    assert entries[1]["figures_after"]["interactions"] == 608
    assert Decimal(entries[1]["figures_after"]["report_cop"]) == REPORT_COP + EXTRA
    assert entries[1]["files"] == [{"name": "globo-historia.csv", "checksum": entries[1]["files"][0]["checksum"],
                                    "rows": 1, "added": 1, "changed": 0, "held": 0, "removed": 0}]
    assert [e["current"] for e in entries] == [False, True] and all(e["kept"] for e in entries)
    table = run_cli(["history"], home, env={"COLUMNS": "200"}).stdout
    assert "$ 34.055.833.247,50" in table and "$ 34.056.833.247,50" in table and "globo-historia.csv" in table
    # loading the same file again changes nothing, and records nothing
    assert run_cli(["load", str(home.parent / "globo-historia.csv")], home).returncode == 0
    assert len(_history(home)) == 2


def test_diff_between_the_two_loads(two_loads):
    home, first, second = two_loads
    result = run_cli(["diff", first["data_version"][:12], second["data_version"][:12], "--json"], home)
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert diff["change"] == {"interactions": 1, "report_cop": str(EXTRA), "all_cooperation_cop": str(EXTRA)}
    assert diff["cooperants_added"] == ["FUNDACIÓN HISTORIA 0"] and diff["cooperants_removed"] == []
    cooperants = diff["nodes"]["Cooperant"]  # the second load adds one cooperant to however many the first held
    assert cooperants["to"] == cooperants["from"] + 1
    assert cooperants["from"] == len(pd.read_csv(CURATED / "organisations.csv", dtype=str))  # the bundled registry
    shown = run_cli(["diff", first["data_version"][:12], second["data_version"][:12]], home).stdout
    assert "$ 1.000.000,00" in shown and "FUNDACIÓN HISTORIA 0" in shown
    years = run_cli(["diff", "2024", "2024", "--json"], home)  # years still mean years
    assert "different years" in years.stderr and "no kept data version" not in years.stderr


def test_rollback_restores_the_first_figures_exactly_and_the_api_says_which_data(two_loads, tmp_path):
    home, first, second = two_loads
    unknown = run_cli(["rollback", "ffffffffffff", "--yes"], home)
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1
    assert "coopgraph history" in unknown.stderr
    asked = run_cli(["rollback"], home, input="n\n")  # asks first; "no" changes nothing
    assert asked.returncode != 0 and _summary(home)["data_version"] == second["data_version"]
    done = run_cli(["rollback", "--yes"], home)
    assert done.returncode == 0, done.stderr
    assert "$ 34.055.833.247,50" in done.stderr
    after = _summary(home)
    assert {k: v for k, v in after.items() if k != "loaded_at"} == {k: v for k, v in first.items() if k != "loaded_at"}
    entries = _history(home)
    assert entries[-1]["action"] == "rollback" and entries[-1]["version"] == first["data_version"]
    assert entries[-1]["figures_before"]["interactions"] == 608 and entries[-1]["figures_after"]["interactions"] == 607

    with TestClient(create_app(Settings(home=home))) as client:
        answer = client.get("/api/v1/summary")
        assert answer.headers["x-coopgraph-data-version"] == first["data_version"] == answer.json()["data_version"]
        assert answer.headers["x-coopgraph-loaded-at"] == entries[-1]["at"]
        logged = client.get("/api/v1/history").json()["loads"]
        assert [e["action"] for e in logged] == ["load", "load", "rollback"]
        page = client.get("/profiles/cooperant/bid")
        assert page.headers["x-coopgraph-data-version"] == first["data_version"]
        footer = re.search(r'<span id="data-version">([^<]*)</span>', page.text).group(1)
        assert footer == f"datos: versión {first['data_version'][:12]}, carga del {entries[-1]['at'][:10]}"
        etag = page.headers["etag"]
    # a load changes the version, and with it every ETag, even of a page whose bytes it left alone
    extra = _extra_file(tmp_path / "otra.csv", 2)
    assert run_cli(["load", str(extra)], home).returncode == 0
    with TestClient(create_app(Settings(home=home))) as client:
        assert client.get("/profiles/cooperant/bid", headers={"If-None-Match": etag}).status_code == 200


def test_only_the_newest_generations_are_kept(tmp_path):
    home = tmp_path / "home"
    env = {"COOPGRAPH_HISTORY_KEEP": "2"}
    assert run_cli(["load"], home, env=env).returncode == 0
    for n in (1, 2, 3):
        assert run_cli(["load", str(_extra_file(tmp_path / f"e{n}.csv", n))], home, env=env).returncode == 0
    entries = _history(home)
    assert len(entries) == 4 and [e["kept"] for e in entries] == [False, False, True, True]
    assert len(list((home / "store" / "generations").iterdir())) == 2
    gone = run_cli(["rollback", entries[0]["version"], "--yes"], home, env=env)
    assert gone.returncode == 2 and "no kept data version" in gone.stderr

