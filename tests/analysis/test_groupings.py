"""The analyst's first groupings — money and interactions by country, region, kind and IATI type with shares
that sum to 100 %; concentration and the counterpart per peso for every dimension; the sector ficha; two
fichas side by side — each answer computed here again with pandas from the bundled files
(data/report-2024/tabla-5-aportes.csv, tabla-2-cooperantes.csv, tabla-3-entidades.csv and data/curated/)."""
from __future__ import annotations

import json
import random
import re
from decimal import Decimal

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from browser import served_browser  # noqa: F401  (the fixture)
from conftest import ROOT, run_cli
from live_server import live_url  # noqa: F401  (the fixture)
from oracle import _norm, cents
from coopgraph.api.app import create_app
from coopgraph.analysis.breakdowns import DIMENSIONS, breakdown, group_name
from coopgraph.analysis.compare import compare_profiles
from coopgraph.graph.model import model
from coopgraph.analysis.profiles import build_profile
from coopgraph.analysis.shares import per_peso, shares_pct
from coopgraph.analysis.summary import summary
from coopgraph.settings import Settings

REPORT = ROOT / "data" / "report-2024"
CURATED = ROOT / "data" / "curated"
SHARES = ("total_share_pct", "all_currency_share_pct", "interactions_share_pct")


@pytest.fixture(scope="module")
def store(loaded_store):
    return loaded_store


@pytest.fixture(scope="module")
def tables():
    """Tabla 5 and Tabla 2 with each name's organisation (org_aliases.csv), and the curated organisations."""
    aliases = pd.read_csv(CURATED / "org_aliases.csv", dtype=str)
    orgs = pd.read_csv(CURATED / "organisations.csv", dtype=str).fillna("")
    org_of = {_norm(a): o for a, o in zip(aliases["alias"], aliases["org_id"])}
    org_of.update({_norm(n): o for n, o in zip(orgs["name"], orgs["org_id"])})
    t5 = pd.read_csv(REPORT / "tabla-5-aportes.csv")
    t5["org_id"] = t5["cooperant"].map(lambda n: org_of[_norm(n)])
    t5["total_cents"] = t5["total_cop"].map(cents)
    t5["cooperant_cents"] = t5["cooperant_cop"].map(cents)
    t5["counterpart_cents"] = t5["counterpart_cop"].map(cents)
    t2 = pd.read_csv(REPORT / "tabla-2-cooperantes.csv")
    t2["org_id"] = t2["name"].map(lambda n: org_of.get(_norm(n)))
    return t5.merge(orgs, on="org_id"), t2.merge(orgs, on="org_id"), orgs


# -- shares ----------------------------------------------------------------------------------
def test_largest_remainder_shares_sum_to_exactly_100():
    assert shares_pct([1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert shares_pct([2, 1]) == [Decimal("66.67"), Decimal("33.33")]
    assert shares_pct([5, 0]) == [Decimal("100.00"), Decimal("0.00")]
    assert shares_pct([0, 0]) == [None, None]
    rng = random.Random(7)
    for _ in range(500):
        parts = [rng.choice([0, 1, rng.randint(1, 10**12)]) for _ in range(rng.randint(1, 40))]
        shares = shares_pct(parts)
        if not sum(parts):
            assert shares == [None] * len(parts)
            continue
        assert sum(shares) == Decimal("100.00"), parts
        for part, share in zip(parts, shares):  # each within one hundredth of its exact value
            assert abs(share - Decimal(part) * 100 / sum(parts)) < Decimal("0.01")


def test_a_ratio_without_a_divisor_is_absent_not_zero():
    assert per_peso(70, 100) == Decimal("0.70") and per_peso(0, 5) == Decimal("0.00")
    assert per_peso(5, 0) is None and per_peso(0, 0) is None


# -- the groupings -----------------------------------------------------------------------------
def test_money_by_country_is_tabla_5_by_the_cooperants_country(store, tables):
    t5, t2, _ = tables
    rows = {r["key"]: r for r in breakdown(store, "country", 2024, 2024)["rows"]}
    expected = t5.groupby("country")["total_cents"].sum()
    for country in ("US", "ES", "FR"):
        assert rows[country]["total_cents"] == expected[country]
        assert rows[country]["contributions"] == (t5["country"] == country).sum()
        assert rows[country]["interactions"] == t2.loc[t2["country"] == country, "interactions"].sum()
    # the embassy, AFD, the Institut français and the Alliance française: $ 3.051.120.433,50
    assert rows["FR"]["total_cents"] == 305112043350 and rows["FR"]["name"] == "Francia"
    assert rows["international"]["total_cents"] == expected[""]  # banks, UN agencies, networks: no country
    assert rows["international"]["name"] == "Organismos internacionales (sin país)"
    assert {k: r["total_cents"] for k, r in rows.items() if r["total_cents"]} == {
        (k or "international"): v for k, v in expected.items() if v}


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_every_grouping_adds_up_to_the_reports_totals_and_its_shares_to_100(store, dimension):
    data = breakdown(store, dimension, 2024, 2024)
    totals, rows = data["totals"], data["rows"]
    whole = summary(store, 2024, 2024)
    assert cents(whole["total_cop"]) == totals["total_cents"] == sum(r["total_cents"] for r in rows) == 3405583324750
    assert cents(whole["cooperant_cop"]) == totals["cooperant_cents"]
    assert totals["interactions"] == sum(r["interactions"] for r in rows) == whole["interactions"] == 607
    assert totals["contributions"] == sum(r["contributions"] for r in rows) == 62
    assert totals["all_currency_cents"] == cents(whole["all_cooperation"]["total_cop"])  # C40's and CIDEU's amounts too
    for share in SHARES:
        assert sum(r[share] for r in rows) == Decimal("100.00"), share
    assert [r["total_cents"] for r in rows] == sorted((r["total_cents"] for r in rows), reverse=True)


def test_regions_are_continents_named_in_both_languages(store, tables):
    t5, t2, _ = tables
    es = {r["key"]: r for r in breakdown(store, "region", 2024, 2024)["rows"]}
    en = {r["key"]: r["name"] for r in breakdown(store, "region", 2024, 2024, lang="en")["rows"]}
    europe = t5[t5["country"].isin("ES FR GB DE DK CH SE FI IE IT NL PT GR LU HU PL NO".split())]
    assert es["150"]["total_cents"] == europe["total_cents"].sum() and es["150"]["name"] == "Europa"
    assert (es["005"]["name"], en["005"], en["003"]) == ("Sudamérica", "South America", "North America")
    assert "unknown" not in es  # every curated country has its continent


def test_kinds_are_named_with_the_schemas_words(store, tables):
    t5, _, orgs = tables
    kind = model().node("Cooperant").properties["kind"]
    assert set(orgs["kind"]) <= set(kind.values)  # every curated kind has its words, in both languages
    assert all(set(words) == {"es", "en"} for words in kind.values.values())
    rows = {r["key"]: r for r in breakdown(store, "kind", 2024, 2024)["rows"]}
    assert rows["multilateral-bank"]["name"] == "Bancos multilaterales"
    assert rows["multilateral-bank"]["total_cents"] == t5.loc[t5["kind"] == "multilateral-bank", "total_cents"].sum()
    assert group_name("kind", "multilateral-bank", "en") == "Multilateral banks"
    names = [r["name"] for r in breakdown(store, "kind", lang="es")["rows"]]
    assert not [n for n in names if re.fullmatch(r"[a-z-]+", n)], names  # no internal ids on a page


def test_iati_types_carry_the_codelists_names(store, tables):
    t5, _, _ = tables
    rows = {r["key"]: r for r in breakdown(store, "iati-type", 2024, 2024, lang="en")["rows"]}
    assert rows["40"]["name"] == "40 · Multilateral"
    assert rows["40"]["total_cents"] == t5.loc[t5["iati_type"] == "40", "total_cents"].sum()
    assert rows["21"]["name"] == "21 · International NGO"


def test_counterpart_per_peso_of_a_group_without_cooperant_money_is_absent(store):
    rows = breakdown(store, "iati-type", 2024, 2024)["rows"]
    loose = [r for r in rows if r["cooperant_cents"] == 0 and r["counterpart_cents"] > 0]
    assert loose and all(r["counterpart_per_cooperant_peso"] is None for r in loose)
    assert breakdown(store, "region")["totals"]["counterpart_per_cooperant_peso"] == Decimal("0.42")


def test_api_and_cli_answer_the_groupings(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        body = client.get("/api/v1/breakdowns/region?year=2024&lang=en").json()
        assert body["dimension"] == "region" and body["totals"]["interactions"] == 607
        assert body["totals"]["total_cop"] == 34055833247.50 and body["data_version"]
        assert {r["name"] for r in body["rows"]} >= {"Europe", "South America"}
        assert client.get("/api/v1/breakdowns/planet").status_code == 422
        missing = client.get("/api/v1/breakdowns/kind?year=2023")
        assert missing.status_code == 404 and missing.json()["details"]["years"] == [2024]
    cli = run_cli(["breakdown", "region", "--json"], loaded_home)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["rows"][0]["key"] == "international"
    table = run_cli(["breakdown", "region"], loaded_home, env={"COLUMNS": "160"})
    assert table.returncode == 0, table.stderr
    assert "Europa" in table.stdout and "$ 6.792.913.033,50" in table.stdout and "100,00 %" in table.stdout
    assert "$ 40.366.241.192,58" in table.stdout  # all cooperation, beside the report's COP where it fits
    narrow = run_cli(["breakdown", "kind", "--lang", "en"], loaded_home, env={"COLUMNS": "80"})
    assert narrow.returncode == 0 and "$ 34.055.833.247,50" in narrow.stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    wrong = run_cli(["breakdown", "planet"], loaded_home)
    assert wrong.returncode != 0 and "country, region, kind, iati-type" in wrong.stderr


# -- concentration and the counterpart, for every dimension ------------------------------------
def _hhi(amounts) -> float:
    total = sum(amounts)
    return round(sum((a / total) ** 2 for a in amounts), 6)


def test_concentration_of_pdd_objectives_from_the_curated_assignment(store):
    from coopgraph.analysis.analytics import analyze

    report = analyze(store, 2024, 2024)
    objectives = pd.read_csv(CURATED / "contribution_objectives.csv")
    objectives["total_cents"] = objectives["total_cop"].map(cents)
    objectives["cooperant_cents"] = objectives["aporte_cop"].map(cents)
    objectives["counterpart_cents"] = objectives["contrapartida_cop"].map(cents)
    shown = {e["number"]: e for e in report["concentration"]["pdd_objectives"]}
    ratios = {e["number"]: e for e in report["counterpart_ratio"]["pdd_objectives"]}
    for number, rows in objectives.groupby("pdd_objective"):
        by_cooperant = rows.groupby("org_id")["total_cents"].sum()
        by_cooperant = by_cooperant[by_cooperant > 0]
        entry = shown[int(number)]
        assert entry["total_cents"] == by_cooperant.sum()
        assert entry["hhi"] == pytest.approx(_hhi(list(by_cooperant)), abs=1e-6)
        assert entry["top_share"] == pytest.approx(by_cooperant.max() / by_cooperant.sum(), abs=1e-6)
        assert entry["top_cooperant"]["id"] == "cooperant:" + by_cooperant.idxmax()
        cooperant, counterpart = rows["cooperant_cents"].sum(), rows["counterpart_cents"].sum()
        assert ratios[int(number)]["counterpart_per_cooperant_peso"] == float(per_peso(counterpart, cooperant))
    # Objective 2 (bien-estar): Metrópolis's $ 12.072.485.118 of $ 14.198.760.624,50
    assert shown[2]["top_cooperant"]["name"] == "ASOCIACIÓN MUNDIAL DE GRANDES METRÓPOLIS"


def test_concentration_of_each_ods_and_the_existing_figures_stay(store):
    from coopgraph.analysis.analytics import analyze

    report = analyze(store, 2024, 2024)
    conc = report["concentration"]
    assert set(conc) == {"basis", "entities", "sectors", "sdgs", "pdd_objectives"}
    t1 = pd.read_csv(REPORT / "tabla-1-ods.csv")
    money = {int(r.sdg): cents(r.total_cop) for r in t1.itertuples() if cents(r.total_cop)}
    assert {e["number"]: e["total_cents"] for e in conc["sdgs"]} == money  # Tabla 1's amount per ODS
    climate = next(e for e in conc["sdgs"] if e["number"] == 13)
    assert (climate["hhi"], climate["cooperants"], climate["top_cooperant"]["id"]) == (1.0, 1, "cooperant:metropolis")
    mobility = next(e for e in conc["sectors"] if e["id"] == "sector:movilidad")
    assert round(mobility["top_share"], 3) == 0.989  # as before: MOVILIDAD depends 98,9 % on Metrópolis
    entities = {e["id"]: e for e in report["counterpart_ratio"]["entities"]}
    assert entities["entity:idt"]["counterpart_per_cooperant_peso"] is None  # all counterpart: undefined
    assert entities["entity:idt"]["ratio"] == 1.0
    assert entities["entity:sdm"]["counterpart_per_cooperant_peso"] == 0.58  # 4.479.354.282 / 7.726.900.836
    assert set(report["counterpart_ratio"]) == {"overall", "entities", "sectors", "sdgs", "pdd_objectives"}


# -- the sector ficha --------------------------------------------------------------------------
def test_each_sectors_ficha_holds_the_summarys_money(store):
    by_sector = {r["sector_id"]: r for r in summary(store)["by_sector"]}
    entities = pd.read_csv(CURATED / "district_entities.csv", dtype=str).fillna("")
    t3 = pd.read_csv(REPORT / "tabla-3-entidades.csv")
    entity_of = {_norm(name): row.entity_id for row in entities.itertuples()
                 for name in [row.name, *row.aliases.split("|"), *row.acronyms.split("|")] if name}
    t3["entity_id"] = t3["name"].map(lambda n: entity_of.get(_norm(n)))
    sector_of = dict(zip(entities["entity_id"], entities["sector_id"]))
    t3["sector_id"] = t3["entity_id"].map(sector_of)
    for sector_id in [r["id"] for r in store.read("MATCH (s:Sector) RETURN s.id AS id")]:
        ficha = build_profile(store, "sector", sector_id)
        facts = {f.key: f for f in ficha.headline}
        if sector_id in by_sector:
            assert facts["received"].value == cents(by_sector[sector_id]["total_cop"]), sector_id
            assert facts["contributions"].value == by_sector[sector_id]["contributions"], sector_id
        reported = t3.loc[t3["sector_id"] == sector_id, "interactions"].sum()
        if reported:
            assert facts["interactions"].value == reported, sector_id
    mobility = build_profile(store, "sector", "movilidad")
    sections = {s.key: s for s in mobility.sections}
    assert {r["id"] for r in sections["partners"].rows} == {"sdm", "metropolis", "banco-mundial"}
    assert sections["concentration"].rows[0]["top_share_pct"] == Decimal("98.90")
    assert sum(r["total_share_pct"] for r in sections["cooperant_kinds"].rows) == Decimal("100.00")
    assert {"sdgs", "pdd", "regions", "sources"} <= set(sections)


def test_the_sector_ficha_is_served_and_printed_by_the_cli(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        body = client.get("/api/v1/profiles/sector/movilidad").json()
        assert body["kind"] == "sector" and body["name"] == "MOVILIDAD"
        page = client.get("/profiles/sector/movilidad")
        assert page.status_code == 200 and "Concentración (dependencia de un cooperante)" in page.text
        assert "98,90 %" in page.text and "Redes de ciudades" in page.text
        assert client.get("/profiles/sector/nada").status_code == 404
    cli = run_cli(["profile", "sector", "movilidad"], loaded_home)
    assert cli.returncode == 0 and "$ 12.206.255.118,00" in cli.stdout


# -- two fichas side by side -------------------------------------------------------------------
def test_compare_aligns_the_headline_of_each_ficha(store):
    data = compare_profiles(store, "cooperant:bid,network:c40")
    assert [p["id"] for p in data["profiles"]] == ["bid", "c40"]
    rows = {r["key"]: [v["value"] for v in r["values"]] for r in data["rows"]}
    bid, c40 = build_profile(store, "cooperant", "bid"), build_profile(store, "network", "c40")
    assert rows["money"] == [next(f.value for f in bid.headline if f.key == "given"),
                             next(f.value for f in c40.headline if f.key == "channelled")]
    assert rows["money"][0] == 618169629300  # the BID's six Tabla 5 rows
    assert rows["interactions"] == [25, 28]  # Tabla 2
    assert rows["counterpart_per_cooperant_peso"] == [Decimal("0.32"), Decimal("0.00")]
    assert rows["top_share_pct"] == [None, None]  # a cooperant has no top cooperant: not applicable
    assert {r["key"]: r["values"][0]["basis"] for r in data["rows"]}["top_share_pct"] == "not_applicable"
    sda = compare_profiles(store, ["entity:sda", "sector:ambiente"])
    values = {r["key"]: r["values"][0] for r in sda["rows"]}
    assert values["money"]["value"] == 0 and values["counterpart_per_cooperant_peso"]["value"] is None
    assert values["top_share_pct"]["basis"] == "unknown"  # an entity without cooperant money: sin dato


def test_compare_is_served_as_json_and_as_a_spanish_page(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        body = client.get("/api/v1/profiles/compare?ids=cooperant:bid,network:c40").json()
        assert [p["name"] for p in body["profiles"]][1] == "C40 Cities" and body["data_version"]
        money = next(r for r in body["rows"] if r["key"] == "money")
        assert money["values"][0]["value"] == 618169629300 and money["values"][0]["sources"]
        assert client.get("/api/v1/profiles/compare?ids=cooperant:bid").status_code == 422
        assert client.get("/api/v1/profiles/compare?ids=cooperant:bid,network:nadie").status_code == 404
        page = client.get("/profiles/compare?ids=cooperant:bid,network:c40").text
        assert "Fichas lado a lado" in page and 'href="/profiles/network/c40?lang=es"' in page
        assert "$ 6.181.696.293,00" in page
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S))
        for english in ("Profile", "Resources", "no data", "derived", "report", "Partners", "Figure"):
            assert not re.search(rf"\b{english}\b", text), english
        english = client.get("/profiles/compare?ids=cooperant:bid,network:c40&lang=en").text
        assert "Profiles side by side" in english and "Fichas" not in re.sub(r"<[^>]+>", " ", english)


def test_compare_page_in_the_browser(served_browser, live_url):  # noqa: F811
    browser = served_browser
    browser.driver.get(live_url + "/profiles/compare?ids=cooperant:bid,network:c40,sector:movilidad")
    assert browser.js("return window.coopgraph && window.coopgraph.ready")
    assert browser.external_requests() == [] and browser.severe_logs() == []
    heads = browser.js("return Array.from(document.querySelectorAll('th.profile-column a')).map(a => a.innerText)")
    assert heads == ["BID BANCO INTERAMERICANO DE DESARROLLO (BID)", "C40 Cities (C40)", "MOVILIDAD"]
    money = browser.js("return Array.from(document.querySelectorAll('tr[data-row=money] .money')).map(m => m.innerText)")
    assert money == ["$ 6.181.696.293,00", "$ 13.242.000,00", "$ 12.206.255.118,00"]
    wrapped = browser.js("""return Array.from(document.querySelectorAll('td .money')).filter(m => {
        const line = parseFloat(getComputedStyle(m).lineHeight) || 20; return m.getBoundingClientRect().height > 1.5 * line;
      }).map(m => m.innerText)""")
    assert wrapped == []  # money never wraps between "$" and its digits
    browser.screenshot("compare-bid-c40-movilidad.png")
    browser.driver.get(live_url + "/profiles/sector/movilidad")
    browser.screenshot("profile-sector-movilidad.png")
    browser.driver.find_element("css selector", "#section-partners a").click()
    assert "/profiles/" in browser.driver.current_url


def test_doctests_of_the_new_modules():
    import doctest

    from coopgraph.analysis import compare, regions, shares
    from coopgraph.graph import readmodel

    for module in (compare, readmodel, regions, shares):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
