"""The API through the real app and the real embedded store."""
import json
from decimal import Decimal

from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.settings import Settings


def test_summary_endpoint_returns_the_reports_figures(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        response = client.get("/api/v1/summary")
    assert response.status_code == 200
    data = json.loads(response.text, parse_float=Decimal)
    assert data["interactions"] == 607
    assert data["total_cop"] == Decimal("34055833247.50")


def test_an_empty_store_answers_503_in_one_error_shape(tmp_path):
    with TestClient(create_app(Settings(home=tmp_path / "empty"))) as client:
        response = client.get("/api/v1/summary")
    assert response.status_code == 503
    assert set(response.json()) == {"status", "code", "message", "details"}
