"""Profiles ("fichas"): figures recomputed here with their own Cypher or read from the report's text,
the files (CSV with BOM, XLSX) parsed back, the API, and the printable page in headless Chromium
(network blocked; screenshots in tests/artifacts/)."""
from __future__ import annotations

import base64
import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from browser import browser, served_browser  # noqa: F401  (the fixtures)
from conftest import seed_path
from live_server import live_url  # noqa: F401  (the fixture)
from coopgraph.api.app import create_app
from coopgraph.analysis.profiles import KINDS, ProfileNotFound, Section, build_profile, register_section, SECTIONS
from coopgraph.money import format_cop
from coopgraph.settings import Settings
from coopgraph.viz.profiles import profile_csv, profile_html, profile_xlsx

ZERO_2024 = "$ 0 — sin contribuciones monetarias reportadas en 2024"


@pytest.fixture(scope="module")
def store(loaded_store):
    return loaded_store


def fact(profile, key):
    return next(f for f in profile.headline if f.key == key)


def section(profile, key):
    return next((s for s in profile.sections if s.key == key), None)


def report_line(number: int) -> str:
    return seed_path().read_text(encoding="utf-8").splitlines()[number - 1]


def test_sda_has_no_monetary_contribution_in_2024_and_the_report_says_so(store):
    sda = build_profile(store, "entity", "sda")
    received = fact(sda, "received")
    assert received.value == 0 and received.note == "no_monetary:2024" and received.basis == "derived"
    # the report lists SDA in Tabla 3 (25 interactions) and nowhere in Tabla 5
    assert report_line(564).split("\t") == ["SECRETARÍA DISTRITAL DE AMBIENTE", "25"]
    interactions = fact(sda, "interactions")
    assert interactions.value == 25 and interactions.basis == "stated" and "line 564" in interactions.sources[0]
    projects = {r["id"] for r in section(sda, "engagements").rows} | {r["id"] for r in section(sda, "events").rows or []} \
        if section(sda, "events") else {r["id"] for r in section(sda, "engagements").rows}
    expected = {r["id"] for r in store.read("MATCH (:DistrictEntity {id: 'sda'})-[:TOOK_PART_IN]->(g:Engagement) RETURN g.id AS id")}
    assert projects == expected and "avantia" in projects
    assert {r["id"] for r in section(sda, "networks").rows} >= {"iclei"}  # SDA pays ICLEI's fee (report line 837)
    assert "Ambiente hace el pago anual de la red ICLEI" in report_line(837)
    # the Secretaría's people the report names: its head (line 953) and the technicians of IberAtlas
    # and the São Paulo temperature atlas (lines 1069, 1088)
    assert {r["name"] for r in section(sda, "people").rows} == {"Adriana Soto", "Mariana Unda", "Rodrigo González",
                                                               "Daniela Borbón"}


def test_money_and_partners_match_the_store(store):
    bid = build_profile(store, "cooperant", "bid")
    totals = store.read("MATCH (:Cooperant {id: 'bid'})-[:PROVIDED]->(c:Contribution) WHERE c.currency = 'COP' "
                        "RETURN sum(c.total_cents) AS t, sum(c.cooperant_cents) AS k, count(c) AS n")[0]
    assert fact(bid, "given").value == totals["t"] == 618169629300
    assert fact(bid, "cooperant_cents").value == totals["k"] and fact(bid, "contributions").value == totals["n"]
    partners = section(bid, "partners").rows
    assert [p["total_cents"] for p in partners] == sorted((p["total_cents"] for p in partners), reverse=True)
    by_entity = {r["e"]: r["t"] for r in store.read(
        "MATCH (:Cooperant {id: 'bid'})-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
        "RETURN e.id AS e, sum(c.total_cents) AS t")}
    assert {p["id"]: p["total_cents"] for p in partners} == by_entity
    assert fact(bid, "interactions").value == 25  # Tabla 2
    assert sum(r["contributions"] for r in section(bid, "pdd").rows) == totals["n"]  # one objective per contribution


def test_a_network_that_is_also_a_cooperant_is_one_profile_with_both_roles(store):
    metropolis = build_profile(store, "network", "metropolis")
    assert metropolis.roles == ["network", "cooperant"]
    money = store.read("MATCH (:Cooperant {id: 'metropolis'})-[:PROVIDED]->(c:Contribution) RETURN sum(c.total_cents) AS t")[0]["t"]
    assert fact(metropolis, "channelled").value == money
    assert "avantia" in {r["id"] for r in section(metropolis, "engagements").rows}
    assert build_profile(store, "cooperant", "metropolis").roles == ["cooperant", "network"]


def test_every_kind_has_profiles_and_unknown_ids_say_so(store):
    for kind, spec in KINDS.items():
        ids = [r["k"] for r in store.read(f"MATCH (n:{spec.label}) RETURN n.{spec.key} AS k ORDER BY k LIMIT 12")]
        assert ids, kind
        for key in ids:
            profile = build_profile(store, kind, str(key))
            assert profile.name and profile.headline, (kind, key)
            assert section(profile, "sources") is not None, (kind, key)  # every profile says where it came from
    assert build_profile(store, "ods", "13").id == "13" and build_profile(store, "pdd", "4").id == "pdd-2024-obj-4"
    with pytest.raises(ProfileNotFound, match="no entity with id 'nadie'"):
        build_profile(store, "entity", "nadie")
    with pytest.raises(ProfileNotFound, match="unknown kind"):
        build_profile(store, "planet", "x")


def test_sections_are_a_list_others_can_extend(store):
    def extra(context):
        return Section("extra", ["id"], [{"id": context.node["id"]}])

    register_section(extra, before="sources")
    try:
        keys = [s.key for s in build_profile(store, "entity", "sdm").sections]
        assert keys[-2:] == ["extra", "sources"]
    finally:
        SECTIONS.remove(extra)


def test_csv_opens_in_excel_with_pesos_beside_centavos(store):
    bid = build_profile(store, "cooperant", "bid")
    data = profile_csv(bid, lang="es", delimiter=";")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header = next(r for r in rows if "Valor total (pesos)" in r)
    assert "Valor total (centavos)" in header
    first = rows[rows.index(header) + 1]
    pesos, cents = first[header.index("Valor total (pesos)")], first[header.index("Valor total (centavos)")]
    assert pesos == "2690952000,00" and cents == "269095200000"  # BID → SCRD, decimal comma with ';'
    comma = list(csv.reader(io.StringIO(profile_csv(bid, lang="en").decode("utf-8-sig"))))
    assert any("Total value (pesos)" in r for r in comma)
    assert any("2690952000.00" in r for r in comma)


def test_xlsx_has_a_sheet_per_section(store):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(profile_xlsx(build_profile(store, "entity", "sda"), lang="es")))
    assert book.sheetnames[0] == "Cifras principales"
    cells = [c for row in book["Cifras principales"].iter_rows(values_only=True) for c in row if c]
    assert ZERO_2024 in cells
    assert any(name.startswith("Proyectos, programas") for name in book.sheetnames)  # Excel's 31 characters


def test_api_serves_profiles_json_csv_xlsx_and_pages(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        body = client.get("/api/v1/profiles/entity/sda").json()
        assert body["name"] == "SECRETARÍA DISTRITAL DE AMBIENTE"
        received = next(f for f in body["headline"] if f["key"] == "received")
        assert received["value"] == 0 and received["basis"] == "derived"
        missing = client.get("/api/v1/profiles/entity/nadie")
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
        assert client.get("/api/v1/profiles/planet/x").status_code == 422
        got = client.get("/api/v1/profiles/cooperant/bid?format=csv&sep=semicolon")
        assert got.headers["content-type"].startswith("text/csv") and got.content.startswith(b"\xef\xbb\xbf")
        assert "attachment" in got.headers["content-disposition"]
        assert client.get("/api/v1/profiles/sdg/13?format=xlsx").content[:2] == b"PK"
        page = client.get("/profiles/entity/sda?lang=en")
        assert page.status_code == 200 and "$ 0 — no monetary contributions reported in 2024" in page.text


# -- in the browser --------------------------------------------------------------------------
def _pdf_pages(browser) -> int:
    pdf = base64.b64decode(browser.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("kind, key, briefing_pages", [("entity", "sda", 1), ("cooperant", "bid", 1), ("network", "c40", 2)])
def test_a_ficha_prints_as_a_briefing_with_its_sources_after(browser, store, tmp_path, kind, key, briefing_pages):  # noqa: F811
    path = tmp_path / f"{key}.html"
    path.write_text(profile_html(build_profile(store, kind, key), lang="es"), encoding="utf-8")
    browser.open(path)
    assert browser.external_requests() == [] and browser.severe_logs() == []
    if key == "sda":
        assert browser.js("return document.querySelector('[data-fact=received] .value').innerText") == ZERO_2024
        projects = browser.js("return Array.from(document.querySelectorAll('#section-engagements td a')).map(a => a.innerText)")
        assert "Proyecto AVANTIA" in projects and "Breathe Cities" in projects
    # on screen the sources are folded: one button, no table, until asked for
    assert browser.js("return getComputedStyle(document.querySelector('#section-sources table')).display") == "none"
    browser.screenshot(f"profile-{key}.png")
    whole = _pdf_pages(browser)
    browser.js("document.getElementById('section-sources').remove()")
    assert _pdf_pages(browser) <= briefing_pages  # the briefing itself
    assert whole > _pdf_pages(browser)  # the sources follow, on pages of their own
    browser.open(path)
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.js("return getComputedStyle(document.querySelector('nav.tools')).display") == "none"
        assert browser.js("return getComputedStyle(document.querySelector('#section-sources')).breakBefore") == "page"
        assert browser.js("return getComputedStyle(document.querySelector('#section-sources table')).display") == "table"
        browser.screenshot(f"profile-{key}-print.png")
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_a_map_node_opens_its_profile_in_one_click(served_browser, live_url):  # noqa: F811
    browser = served_browser
    browser.driver.get(live_url + "/maps/ego?id=entity:sda")
    browser.js("coopgraph.network.selectNodes(['entity:sda']); "
               "coopgraph.network.body.emitter.emit('selectNode', {nodes: ['entity:sda']})")
    link = browser.js("return document.querySelector('#details-body a.open-profile').getAttribute('href')")
    assert link == "/profiles/entity/sda?lang=es"
    browser.driver.get(live_url + link)
    assert "SECRETARÍA DISTRITAL DE AMBIENTE" in browser.driver.title
    browser.driver.get(live_url + "/profiles/cooperant/bid?lang=en")
    assert browser.js("return document.querySelector('[data-fact=given] .value').innerText") == format_cop(618169629300, cents=True)
    browser.screenshot("profile-bid-en.png")


def test_a_section_title_excel_would_refuse_still_makes_a_sheet():
    from openpyxl import Workbook

    from coopgraph.spreadsheets import _sheet_title

    title = _sheet_title("Fuentes: informe [2024] / ODS? *todas* \\ líneas citadas", set())
    Workbook().create_sheet(title)  # openpyxl raises ValueError on the characters Excel refuses
    assert len(title) <= 31 and title.startswith("Fuentes- informe -2024- - ODS-")


def test_the_c40_ficha_gives_all_its_money_and_every_entity_it_works_with(browser, store, tmp_path):  # noqa: F811
    """Expected figures computed here from the curated engagements (not from the ficha's own code)."""
    import yaml

    from oracle import CURATED, cents

    engagements = yaml.safe_load((CURATED / "engagements.yaml").read_text())["engagements"]
    usd = sum(cents(e["amount"]) for e in engagements if e.get("network_id") == "c40" and e.get("currency") == "USD"
              and not e.get("counted_in"))
    assert usd == 156_500_000  # US$ 1.565.000
    entities = {x if isinstance(x, str) else x["entity_id"] for e in engagements if e.get("network_id") == "c40"
                for x in e.get("district_entities") or []}
    assert {"transmilenio", "eaab", "idiger", "sda", "sdm", "sdht", "geb", "sdp", "cdri"} <= entities
    path = tmp_path / "c40.html"
    path.write_text(profile_html(build_profile(store, "network", "c40"), lang="es"), encoding="utf-8")
    browser.open(path)
    facts = browser.js("return Object.fromEntries(Array.from(document.querySelectorAll('[data-fact]')).map("
                       "li => [li.dataset.fact, li.querySelector('.label').innerText + ' = ' + li.querySelector('.value').innerText]))")
    assert facts["channelled"] == "Recursos canalizados, Tabla 5 (COP) = $ 13.242.000,00"
    assert facts["stated_amount_network"] == "Montos de sus proyectos (USD) = US$ 1.565.000,00"
    assert facts["all_cooperation"].endswith("$ 6.241.462.094,50")
    in_cop = browser.js("return document.querySelector('[data-fact=stated_amount_network] .in-cop').innerText")
    assert "TRM del 2024-06-06: 3.927,91" in in_cop and "TRM promedio 2024" in in_cop
    links = browser.js("return Array.from(document.querySelectorAll('#section-partners td.col-name a')).map(a => a.getAttribute('href'))")
    shown = {h.split("/")[3].split("?")[0] for h in links if h.startswith("/profiles/entity/")}
    assert entities | {"uaesp"} <= shown
    # no value wraps: each money figure sits on one line
    heights = browser.js("return Array.from(document.querySelectorAll('.fact .value')).map(v => v.getClientRects().length)")
    assert set(heights) == {1}
    browser.screenshot("profile-c40-headline.png")


def test_a_ficha_file_names_the_load_its_figures_come_from(store):
    from coopgraph.loaders import history

    stamp = history.stamp(store)
    text = profile_csv(build_profile(store, "cooperant", "bid"), lang="es").decode("utf-8-sig")
    assert f'datos: versión,,"{stamp["data_version"][:12]}, carga del {stamp["loaded_at"][:10]}"' in text
