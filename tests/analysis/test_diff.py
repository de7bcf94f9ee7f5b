"""Year-over-year comparison on a seeded multi-year synthetic export.

The expected answer is computed here with pandas from the exported CSV itself (names, amounts,
currencies, years), the curated entity sectors and rates worked out by hand — never from the
graph; `coopgraph diff --json` and GET /api/v1/diff must both equal it exactly, and each other.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.settings import Settings
from conftest import ROOT, run_cli
from rates_by_hand import in_cop, year_average

NETWORK_IDS = {"C40": "c40", "UCCI": "ucci", "CGLU": "cglu", "Metrópolis": "metropolis", "CIDEU": "cideu",
               "ICLEI": "iclei"}


def _amount(text: str) -> Decimal:
    text = text.strip()
    if not text:
        return Decimal("0")
    if text.startswith("$"):  # the Colombian way: $ 1.234.567,89
        return Decimal(text[1:].strip().replace(".", "").replace(",", "."))
    return Decimal(text)


@pytest.fixture(scope="module")
def multi_year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("multi-year")
    home, path = folder / "home", folder / "synthetic.csv"
    result = run_cli(["synth", "--years", "2022-2025", "--seed", "3", "--rows", "2500", "-o", str(path)], home)
    assert result.returncode == 0, result.stderr
    result = run_cli(["load", str(path)], home)
    assert result.returncode == 0, result.stderr
    return home, pd.read_csv(path, dtype=str, keep_default_na=False)


def _expected(frame: pd.DataFrame, a: int, b: int, constant: int) -> dict:
    entities = pd.read_csv(ROOT / "data" / "curated" / "district_entities.csv", dtype=str, keep_default_na=False)
    sector_of = dict(zip(entities.name, entities.sector_id))
    rows = frame[frame["año"].isin([str(a), str(b)])].copy()
    rows["year"] = rows["año"].astype(int)
    rows["sector"] = rows.entidad_distrital.map(sector_of)
    rows["network"] = rows.red_ciudades.map(NETWORK_IDS)

    def cop(row, rate_year):
        parts = (_amount(row.aporte_cooperante), _amount(row.contrapartida_distrital))
        if row.moneda == "COP":
            return sum(parts)
        rate = year_average(row.moneda, rate_year)
        return sum(in_cop(p, rate) for p in parts)

    rows["own"] = [cop(r, r.year) for r in rows.itertuples()]
    rows["constant"] = [cop(r, constant) for r in rows.itertuples()]
    expected = {"partners": {}, "money": {}}
    before, after = (set(rows[rows.year == y].cooperante) for y in (a, b))
    expected["partners"] = {"gained": after - before, "lost": before - after, "kept": before & after}
    for group, column in (("entity", "entidad_distrital"), ("sector", "sector"), ("network", "network")):
        pairs = {y: set(zip(rows[rows.year == y][column], rows[rows.year == y].cooperante)) for y in (a, b)}
        keys = {k for y in (a, b) for k, _ in pairs[y] if k and k == k}
        expected["partners"][group] = {
            k: ({p for g, p in pairs[b] if g == k} - {p for g, p in pairs[a] if g == k},
                {p for g, p in pairs[a] if g == k} - {p for g, p in pairs[b] if g == k},
                {p for g, p in pairs[a] if g == k} & {p for g, p in pairs[b] if g == k}) for k in keys}
    for basis in ("own", "constant"):
        money = {"total": tuple(rows[rows.year == y][basis].sum() for y in (a, b))}
        for dimension, column in (("cooperant", "cooperante"), ("entity", "entidad_distrital"), ("sector", "sector"),
                                  ("sdg", "ods"), ("pdd_objective", "objetivo_pdd")):
            sums = rows[rows[column] != ""].groupby([column, "year"])[basis].sum()
            money[dimension] = {k: (sums.get((k, a), Decimal(0)), sums.get((k, b), Decimal(0)))
                                for k in rows[rows[column] != ""][column].unique()}
        expected["money"][basis] = money
    return expected


def _names(items) -> set:
    return {i["name"] for i in items}


def test_diff_matches_an_answer_computed_from_the_export_and_cli_and_api_agree(multi_year):
    home, frame = multi_year
    result = run_cli(["diff", "2023", "2024", "--json", "--constant-rates", "2023"], home)
    assert result.returncode == 0, result.stderr
    cli = json.loads(result.stdout, parse_float=Decimal)
    with TestClient(create_app(Settings(home=home))) as client:
        response = client.get("/api/v1/diff", params={"from": 2023, "to": 2024, "constant": 2023})
        assert response.status_code == 200, response.text
        api = json.loads(response.text, parse_float=Decimal)
        page = client.get("/maps/diff", params={"from": 2023, "to": 2024})
        assert page.status_code == 200 and "2023" in page.text
        missing = client.get("/api/v1/diff", params={"from": 2019, "to": 2024})
        assert missing.status_code == 404 and missing.json()["message"].startswith("no data for 2019; the graph has data for 2022, 2023, 2024, 2025")
    assert api.pop("data_version") == response.headers["x-coopgraph-data-version"]  # the API names its load
    assert cli == api

    expected = _expected(frame, 2023, 2024, 2023)
    partners = cli["partners"]
    for key in ("gained", "lost", "kept"):
        assert _names(partners[key]) == expected["partners"][key], key
    assert partners["counts"]["gained"] > 0 and partners["counts"]["lost"] > 0
    entity_names = {r["id"]: r["name"] for r in partners["by"]["entity"]}
    for group in ("entity", "sector", "network"):
        got = {(r["name"] if group == "entity" else r["id"]): (_names(r["gained"]), _names(r["lost"]), _names(r["kept"]))
               for r in partners["by"][group]}
        assert got == expected["partners"][group], group
    assert entity_names

    for basis, key in (("own", "own_rates"), ("constant", "constant_rates")):
        money = cli["money"][key]
        total = expected["money"][basis]["total"]
        assert (money["total"]["from_cop"], money["total"]["to_cop"]) == total, basis
        assert money["total"]["change_cop"] == total[1] - total[0]
        for dimension in ("cooperant", "entity", "sector", "sdg", "pdd_objective"):
            by = "name" if dimension in ("cooperant", "entity") else "id"
            got = {r[by]: (r["from_cop"], r["to_cop"]) for r in money[dimension]}
            assert got == expected["money"][basis][dimension], (basis, dimension)
            assert all(r["change_cop"] == r["to_cop"] - r["from_cop"] for r in money[dimension])
    # the peso moved: amounts in USD and EUR give other changes at 2023's rates than at each year's own
    assert cli["money"]["own_rates"]["total"] != cli["money"]["constant_rates"]["total"]
    assert set(cli["money"]["constant_rate_values"]) == {"USD", "EUR"}
    assert cli["brokers"] and all(b["rank_from"] or b["rank_to"] for b in cli["brokers"])
    assert cli["communities"]["from_count"] > 1 and cli["communities"]["to_count"] > 1


def test_diff_markdown_and_a_year_without_data(multi_year):
    home, _ = multi_year
    result = run_cli(["diff", "2023", "2024", "--markdown"], home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Cambios 2023 → 2024") and "## Dinero (COP)" in result.stdout
    assert "## Intermediarios" in result.stdout and "## Comunidades" in result.stdout
    missing = run_cli(["diff", "2019", "2024"], home)
    assert missing.returncode != 0 and "no data for 2019; the graph has data for 2022, 2023, 2024, 2025" in missing.stderr
    assert "Traceback" not in missing.stderr and len(missing.stderr.strip().splitlines()) == 1


from browser import browser  # noqa: E402,F401  (the fixture)


def test_change_map_in_the_browser(browser, multi_year, tmp_path):  # noqa: F811
    home, frame = multi_year
    path = tmp_path / "cambios-2023-2024.html"
    result = run_cli(["diff", "2023", "2024", "--map", str(path), "--json"], home)
    assert result.returncode == 0, result.stderr
    browser.open(path)
    changes = browser.js("return coopgraph.edges.get().map(e => e.change)")
    rows = frame[frame["año"].isin(["2023", "2024"])]
    pairs = {y: set(zip(g.cooperante, g.entidad_distrital)) for y, g in rows.groupby("año")}
    assert changes.count("new") == len(pairs["2024"] - pairs["2023"])
    assert changes.count("lost") == len(pairs["2023"] - pairs["2024"])
    assert changes.count("kept") == len(pairs["2023"] & pairs["2024"])
    colours = set(browser.js("return coopgraph.edges.get().map(e => e.change + ' ' + e.color.color)"))
    assert colours == {"new #2e7d32", "lost #c62828", "kept #9e9e9e"}
    biggest = browser.js("return coopgraph.nodes.get().sort((a, b) => b.size - a.size)[0].title")
    assert "cambio:" in biggest and "$ " in biggest
    browser.screenshot("diff-2023-2024.png")
    assert browser.severe_logs() == [] and browser.external_requests() == []
