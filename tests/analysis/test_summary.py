"""`coopgraph summary`: the report's own figures come back, exactly."""
import json
from decimal import Decimal

from coopgraph.analysis.summary import summary

from conftest import run_cli


def test_summary_json_has_the_reports_figures(loaded_home):
    result = run_cli(["summary", "--json"], loaded_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout, parse_float=Decimal)
    assert data["interactions"] == 607
    assert data["monetary_contributions"] == 62
    assert data["cooperant_cop"] == Decimal("23969094079.50")
    assert data["counterpart_cop"] == Decimal("10086739168.00")
    assert data["total_cop"] == Decimal("34055833247.50")
    assert data["by_sector"][0]["sector"] == "CULTURA, RECREACIÓN Y DEPORTE"
    assert sum(s["total_cop"] for s in data["by_sector"]) == Decimal("34055833247.50")
    sdg13 = next(s for s in data["by_sdg"] if s["sdg"] == 13)
    assert (sdg13["interactions"], sdg13["total_cop"]) == (34, Decimal("12072485118.00"))
    assert data["counts"]["Contribution"] == 62 + 16  # 62 monetary + one non-monetary tally per ODS
    assert data["counts"]["SDG"] >= 16


def test_summary_table_is_colombian(loaded_home):
    result = run_cli(["summary"], loaded_home)
    assert result.returncode == 0, result.stderr
    assert "$ 34.055.833.247,50" in result.stdout


def test_year_filter(loaded_store):
    assert summary(loaded_store, 2024, 2024)["monetary_contributions"] == 62
    empty = summary(loaded_store, 2023, 2023)
    assert empty["monetary_contributions"] == 0 and empty["total_cop"] == 0
