"""The bundled 2024 load on a live Neo4j: the report's figures, every named query, `coopgraph analyze`
and the API answer exactly as they do from the embedded store (the oracle the rest of the suite checks
against the report)."""
import json
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.settings import Settings

from conftest import neo4j_env, run_cli


def cli_json(args, home, env=None):
    result = run_cli(args, home, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


@pytest.fixture
def neo4j_cli(neo4j_loaded, neo4j_settings, tmp_path):
    """Run `coopgraph …` against the loaded Neo4j, as a user with COOPGRAPH_STORE=neo4j would."""
    return lambda *args: cli_json(list(args), tmp_path / "home", neo4j_env(neo4j_settings))


def test_the_2024_load_gives_the_reports_figures(neo4j_cli, loaded_home):
    data = neo4j_cli("summary", "--json")
    assert data["interactions"] == 607 and data["monetary_contributions"] == 62
    assert data["cooperant_cop"] == Decimal("23969094079.50")
    assert data["counterpart_cop"] == Decimal("10086739168.00")
    assert data["total_cop"] == Decimal("34055833247.50")
    embedded = cli_json(["summary", "--json"], loaded_home)
    for stamp in ("data_version", "loaded_at"):  # which load: each store names its own
        data.pop(stamp), embedded.pop(stamp)
    assert data == embedded  # every breakdown and count


def test_every_figure_coopgraph_check_recomputes_holds_on_neo4j(neo4j_cli, loaded_home):
    """The figures `coopgraph check` recomputes from the report's tables, found again in Neo4j's graph."""
    check = {r["description"]: r for r in cli_json(["check", "--json"], loaded_home)["reconciliation"]}
    computed = {d: Decimal(str(r["computed"])) for d, r in check.items()}
    data = neo4j_cli("summary", "--json")
    expected = {
        "Tabla 1, Total general: total interacciones": data["interactions"],
        "Tabla 1, Total general: interacciones con aportes monetarios": data["monetary_contributions"],
        "Tabla 1, Total general: interacciones no monetarias": data["interactions"] - data["monetary_contributions"],
        "Tabla 1, Total general: monto total de aportes": data["total_cop"],
        "Tabla 2, TOTAL GENERAL: interacciones": data["interactions"],
        "Tabla 3, TOTAL GENERAL: interacciones": data["interactions"],
        "Tabla 5, TOTAL GENERAL: valor aporte cooperante / aliado": data["cooperant_cop"],
        "Tabla 5, TOTAL GENERAL: contrapartida distrital": data["counterpart_cop"],
        "Tabla 5, TOTAL GENERAL: valor total": data["total_cop"],
        "Sección 2: interacciones del año": data["interactions"],
        "Sección 2: total de recursos": data["total_cop"],
        "Sección 3: interacciones distribuidas entre entidades": data["interactions"],
        "Sección 4: recursos de cooperación recibidos": data["cooperant_cop"],
        "Sección 4: contrapartida de las entidades distritales": data["counterpart_cop"],
        "Sección 4: total de recursos": data["total_cop"],
        "Sección 5: recursos movilizados (millones de pesos)": data["total_cop"] / 1_000_000,
        "Monto total de Tabla 1 = valor total de Tabla 5": data["total_cop"],
        "Interacciones monetarias de Tabla 1 = filas de Tabla 5": data["monetary_contributions"],
        "Tabla 5: filas donde aporte + contrapartida = valor total": data["monetary_contributions"],
    }
    shares = {f"Sección 5: participación del Objetivo {o['objective']} del PDD (%)": o["share_pct"]
              for o in data["by_pdd_objective"]}
    expected.update({d: share for d, share in shares.items() if d in computed})  # the objectives section 5 states
    assert len(shares) > 4 and sum(1 for d in shares if d in computed) == 4
    for description, value in expected.items():
        assert description in computed, description
        assert Decimal(value) == computed[description], description
    assert sum(s["total_cop"] for s in data["by_sector"]) == Decimal("34055833247.50")
    assert len(expected) >= 23


def test_every_named_query_returns_the_same_rows_on_both_stores(neo4j_loaded, loaded_store):
    from coopgraph.cypher.library import library, run

    for name in library():
        assert run(neo4j_loaded, name) == run(loaded_store, name), name


def test_analyze_gives_the_same_figures_from_either_store(neo4j_cli, loaded_home):
    from_neo4j, from_embedded = neo4j_cli("analyze", "--json"), cli_json(["analyze", "--json"], loaded_home)
    for timings in (from_neo4j, from_embedded):
        timings["meta"].pop("seconds")  # how long each step took: the only figures allowed to differ
    assert from_neo4j == from_embedded
    assert from_neo4j["meta"]["nodes"] > 100


API_PATHS = [
    "/api/v1/summary", "/api/v1/summary?year=2023",
    *(f"/api/v1/flows?by={by}" for by in ("sector", "sdg", "pdd_objective", "org_type", "country")),
    "/api/v1/flows/sankey", "/api/v1/analytics",
    "/api/v1/organisations", "/api/v1/organisations?kind=cooperant&limit=5&offset=5",
    "/api/v1/organisations?q=bogota", "/api/v1/organisations/cooperant/bid",
    "/api/v1/organisations/entity/sdm", "/api/v1/search?q=metropolis",
    "/api/v1/queries", "/api/v1/queries/top_cooperants_by_amount",
    "/api/v1/exports/graph.json", "/api/v1/exports/graph.csv", "/api/v1/exports/graph.graphml",
    "/api/v1/exports/graph.gexf",
]


def without_timings(response):
    """The body, less the analytics' step timings (the only figures allowed to differ)."""
    if response.headers["content-type"].startswith("application/json"):
        data = json.loads(response.text, parse_float=Decimal)
        if isinstance(data, dict) and isinstance(data.get("meta"), dict):
            data["meta"].pop("seconds", None)
        if isinstance(data, dict):
            data.pop("data_version", None)  # which load: each store names its own
        return data
    return response.content


def test_the_api_serves_the_same_answers_from_neo4j(neo4j_loaded, neo4j_settings, loaded_home, tmp_path):
    neo_settings = neo4j_settings.model_copy(update={"home": tmp_path / "home"})
    with TestClient(create_app(neo_settings)) as neo, \
            TestClient(create_app(Settings(home=loaded_home))) as embedded:
        assert neo.app.state.store.dialect == "neo4j"
        for path in API_PATHS:
            from_neo4j, from_embedded = neo.get(path), embedded.get(path)
            assert from_neo4j.status_code == from_embedded.status_code, (path, from_neo4j.text[:300])
            assert from_neo4j.status_code == (404 if "2023" in path else 200), path  # 2023: no data, one answer
            assert without_timings(from_neo4j) == without_timings(from_embedded), path
        summary = json.loads(neo.get("/api/v1/summary").text, parse_float=Decimal)
        assert summary["total_cop"] == Decimal("34055833247.50") and summary["interactions"] == 607
