"""The OpenAPI document tells the truth: every operation described and typed, stable operationIds,
the one error shape for every error, one money convention — and a client generated from it
(openapi-python-client) calls the live server."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.settings import Settings

from live_server import live_url  # noqa: F401  (fixture)

REPORT_TOTAL = Decimal("34055833247.50")


@pytest.fixture(scope="module")
def spec(loaded_home) -> dict:
    return create_app(Settings(home=loaded_home)).openapi()


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_is_described_typed_and_named(spec):
    ids = []
    for name, operation in _operations(spec):
        assert operation.get("description", "").strip(), f"{name} has no description"
        content = operation["responses"]["200"].get("content", {})
        assert content and all(media.get("schema") for media in content.values()), f"{name}: untyped 200"
        ids.append(operation["operationId"])
        assert "_api_v1_" not in operation["operationId"] and not operation["operationId"].endswith("_get"), name
    assert len(ids) == len(set(ids)) and "get_summary" in ids and "run_query" in ids


def test_every_error_is_the_one_error_shape(spec, loaded_home):
    """The API's errors are one JSON shape; a page's errors are pages in its language (declared as text/html)."""
    assert "HTTPValidationError" not in json.dumps(spec)
    for name, operation in _operations(spec):
        page = "text/html" in (operation["responses"].get("200", {}).get("content") or {})
        for status, answer in operation["responses"].items():
            if not status.startswith("2"):
                expected = ({"text/html": {"schema": {"type": "string"}}} if page else
                            {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}})
                assert answer["content"] == expected, f"{name} {status}"
    with TestClient(create_app(Settings(home=loaded_home))) as client:  # what the server really answers
        answer = client.get("/api/v1/summary?year=abc")
        assert answer.status_code == 422 and answer.headers["content-type"].startswith("application/json")
        assert set(answer.json()) >= {"status", "code", "message"}
        for url, status in [("/maps/nowhere", 400), ("/profiles/entity/nadie", 404)]:
            answer = client.get(url)
            assert answer.status_code == status and answer.headers["content-type"].startswith("text/html"), url
            assert "<html" in answer.text and str(status) in answer.text, url


def _money_keys(value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            out.append((key, value))
            _money_keys(item, out)
    elif isinstance(value, list):
        for item in value[:20]:
            _money_keys(item, out)
    return out


def test_one_money_convention_across_endpoints(loaded_home):
    """Every integer `*_cents` has its exact `*_cop` beside it, and every `*_cop` its `*_cents`, equal."""
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        for url in ["/api/v1/summary", "/api/v1/flows", "/api/v1/flows/sankey", "/api/v1/analytics",
                    "/api/v1/organisations/cooperant/bid", "/api/v1/profiles/cooperant/bid",
                    "/api/v1/prospects?for=entity:sda", "/api/v1/queries/top_cooperants_by_amount?limit=3",
                    "/api/v1/breakdowns/region", "/api/v1/profiles/sector/movilidad",
                    "/api/v1/profiles/compare?ids=cooperant:bid,network:c40"]:
            body = json.loads(client.get(url).content, parse_float=Decimal)
            pairs = 0
            for key, owner in _money_keys(body, []):
                if key.endswith("_cents") and isinstance(owner[key], int) and not key.startswith("hhi_"):
                    twin = key[: -len("_cents")] + "_cop"
                    assert twin in owner, f"{url}: {key} without {twin}"
                    assert Decimal(owner[twin]) * 100 == owner[key], f"{url}: {key} and {twin} differ"
                    pairs += 1
                if key.endswith("_cop") and isinstance(owner[key], Decimal):
                    assert key[: -len("_cop")] + "_cents" in owner, f"{url}: {key} without its centavos"
            assert pairs, url
        summary = client.get("/api/v1/summary").json()
        assert Decimal(str(summary["total_cop"])) == REPORT_TOTAL and summary["total_cents"] == 3405583324750


def test_a_generated_client_calls_three_endpoints(spec, live_url, tmp_path):  # noqa: F811
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    (tmp_path / "config.yaml").write_text("post_hooks: []\nproject_name_override: coopgraph_client\n"
                                          "package_name_override: coopgraph_client\n", encoding="utf-8")
    generator = Path(sys.executable).with_name("openapi-python-client")
    made = subprocess.run([str(generator), "generate", "--path", "spec.json", "--config", "config.yaml",
                           "--meta", "none", "--output-path", "coopgraph_client"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-2000:]
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module("coopgraph_client")
        get_summary = importlib.import_module("coopgraph_client.api.summary.get_summary")
        run_query = importlib.import_module("coopgraph_client.api.queries.run_query")
        get_profile = importlib.import_module("coopgraph_client.api.profiles.get_profile")
        client = package.Client(base_url=live_url)
        summary = get_summary.sync(client=client)
        assert summary.interactions == 607 and Decimal(str(summary.total_cop)) == REPORT_TOTAL
        rows = run_query.sync(name="top_cooperants_by_amount", client=client)
        assert rows.columns and rows.rows
        kinds = importlib.import_module("coopgraph_client.models.profile_kind")
        profile = get_profile.sync_detailed(kind=kinds.ProfileKind("cooperant"), id="bid", client=client)
        assert profile.status_code == 200 and profile.parsed.name.upper().endswith("BANCO INTERAMERICANO DE DESARROLLO")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("coopgraph_client")]:
            del sys.modules[name]
