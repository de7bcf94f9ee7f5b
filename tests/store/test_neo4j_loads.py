"""GLOBO interaction exports loaded into a live Neo4j on top of the 2024 load: a bad file and a
write the server itself refuses leave Neo4j exactly as it was; loading the same file twice changes nothing."""
import json  # noqa: F401
from decimal import Decimal

import pandas as pd
import pytest

from snapshots import snapshot

from coopgraph.errors import StoreError
from coopgraph.graph.batch import BulkRows

from conftest import neo4j_env, run_cli

HEADER = ("año;entidad_distrital;cooperante;tipo_accion;tipo_colaboracion;monetario;aporte_cooperante;"
          "contrapartida_distrital;ods;objetivo_pdd")
ROWS = [
    "2024;SDM;BANCO MUNDIAL;Cooperación Internacional;Asistencia técnica;Sí;$ 133.770.000,00;0;11;1",
    "2024;Secretaría de Ambiente;C40 GRUPO DE LIDERAZGO CLIMÁTICO;Cooperación Internacional;Asistencia técnica;No;;;13;4",
    "2024;UAESP;Fundación Ñandú Nueva;Misión;Evento campaña;Sí;1500000.50;250.000;11;4",
]


def test_globo_loads_on_neo4j(neo4j_loaded, neo4j_settings, tmp_path):
    env = neo4j_env(neo4j_settings)
    home = tmp_path / "home"
    before = snapshot(neo4j_loaded)

    bad = tmp_path / "malo.csv"
    bad.write_text("\n".join([HEADER, ROWS[0].replace(";11;1", ";99;1"), *ROWS[1:]]), encoding="utf-8")
    result = run_cli(["load", str(bad)], home, env=env)
    assert result.returncode == 2 and "malo.csv, line 2, column 'ods'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(neo4j_loaded) == before

    good = tmp_path / "globo.csv"
    good.write_text("\n".join([HEADER, *ROWS]), encoding="utf-8")
    result = run_cli(["load", str(good)], home, env=env)
    assert result.returncode == 0, result.stderr
    loaded = snapshot(neo4j_loaded)
    summary = json.loads(run_cli(["summary", "--json"], home, env=env).stdout, parse_float=Decimal)
    assert summary["interactions"] == 607 + 3
    assert summary["total_cop"] == Decimal("34055833247.50") + Decimal("133770000.00") + Decimal("1750000.50")

    again = run_cli(["load", str(good)], home, env=env)
    assert again.returncode == 0 and "unchanged, nothing written" in again.stderr, again.stderr
    assert snapshot(neo4j_loaded) == loaded


def test_a_write_the_server_refuses_midway_rolls_back_whole(neo4j_loaded):
    """Two rows with one key: Neo4j's uniqueness constraint fails the transaction after the old rows
    were deleted and the first written; nothing of it may remain."""
    before = snapshot(neo4j_loaded)
    frame = pd.DataFrame([{"id": "globo/x.csv#1", "year": 2024}, {"id": "globo/x.csv#1", "year": 2024}])
    with pytest.raises(StoreError, match="Neo4j refused"):
        with neo4j_loaded.writer() as writer:
            writer.replace_rows(BulkRows("globo/x.csv", nodes={"Contribution": frame}))
    assert snapshot(neo4j_loaded) == before


def test_diff_from_neo4j_equals_the_embedded_stores(neo4j_store, neo4j_settings, tmp_path):
    """A multi-year export loaded into both stores: `coopgraph diff` (partners, money at own and constant
    rates, brokers, communities) gives the same JSON from Neo4j as from the embedded store, which
    tests/analysis/test_diff.py checks against pandas."""
    path = tmp_path / "synthetic.csv"
    made = run_cli(["synth", "--years", "2023-2024", "--seed", "5", "--rows", "800", "-o", str(path)], tmp_path / "gen")
    assert made.returncode == 0, made.stderr
    env = neo4j_env(neo4j_settings)
    answers = []
    for home, store_env in ((tmp_path / "embedded", None), (tmp_path / "neo4j", env)):
        loaded = run_cli(["load", str(path)], home, env=store_env)
        assert loaded.returncode == 0, loaded.stderr
        diff = run_cli(["diff", "2023", "2024", "--json", "--constant-rates", "2023"], home, env=store_env)
        assert diff.returncode == 0, diff.stderr
        answers.append(json.loads(diff.stdout, parse_float=Decimal))
    embedded, neo4j = answers
    assert neo4j["partners"]["counts"]["kept"] > 0 and neo4j["money"]["own_rates"]["total"]["to_cop"] > 0
    assert neo4j == embedded
