"""One search everywhere: the same real queries, each with the node it must return first, through
the Python function, the API, the CLI and the map's search box in headless Chromium (network blocked)."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser import browser  # noqa: F401  (the fixture)
from conftest import run_cli
from coopgraph.api.app import create_app
from coopgraph.analysis.search import fold, score, search
from coopgraph.settings import Settings
from coopgraph.viz import render_map

# what strategists type → the node they mean (written by hand from the report, not by the code)
QUERIES = [
    ("secretaria de ambiente", "entity:sda"), ("Secretaría de Ambiente", "entity:sda"),
    ("ambiente secretaria", "entity:sda"), ("SDA", "entity:sda"), ("Secretaría Distrital de Ambiente", "entity:sda"),
    ("secretria distrital ambiente", "entity:sda"), ("secretaria ambiente bogota", "entity:sda"),
    ("sdm", "entity:sdm"), ("secretaria de movlidad", "entity:sdm"), ("IDRD", "entity:idrd"),
    ("idrd deportes", "entity:idrd"), ("BID", "cooperant:bid"), ("banco interamericano", "cooperant:bid"),
    ("metropolis", "network:metropolis"), ("METRÓPOLIS", "network:metropolis"), ("metroplis", "network:metropolis"),
    ("C40", "network:c40"), ("iclei", "network:iclei"), ("ucci", "network:ucci"),
    ("ciudades capitales iberoamericanas", "network:ucci"), ("ods 13", "sdg:13"), ("SDG 13", "sdg:13"),
    ("accion por el clima", "sdg:13"), ("climate action", "sdg:13"), ("objetivo 4", "pdd-objective:pdd-2024-obj-4"),
    ("transmilenio", "entity:transmilenio"), ("metro de bogota", "entity:metro-bogota"),
    ("union europea", "cooperant:union-europea"), ("GIZ", "cooperant:giz"), ("cooperacion alemana", "cooperant:giz"),
    ("jardin botanico", "entity:jbb"), ("AVANTIA", "engagement:avantia"), ("breathe cities", "engagement:breathe-cities-bogota"),
    ("secretaria de la mujer", "entity:sdmujer"), ("banco mundial", "cooperant:banco-mundial"), ("japon", "cooperant:jica"),
    ("embajada de francia", "cooperant:embajada-francia"), ("catastro", "entity:uaecd"), ("movilidad", "sector:movilidad"),
    ("usaid", "cooperant:usaid"), ("onu habitat", "cooperant:onu-habitat"), ("kfw", "cooperant:kfw"),
    ("banco de desarrollo de america latina", "cooperant:caf"),
]


@pytest.fixture(scope="module")
def store(loaded_store):
    return loaded_store


def test_there_are_at_least_thirty_real_queries():
    assert len(QUERIES) >= 30 and len({q for q, _ in QUERIES}) == len(QUERIES)


def test_every_query_finds_its_node_first(store):
    wrong = {q: [h.map_id for h in search(store, q, limit=3)] for q, want in QUERIES
             if [h.map_id for h in search(store, q, limit=1)] != [want]}
    assert wrong == {}


def test_the_rules():
    assert fold("  Secretaría  de AMBIENTE! ") == "secretaria de ambiente"
    assert score("sda", "sda") == 100 and score("secretaria", "secretaria distrital de ambiente") == 92
    assert score("ambiente secretaria", "secretaria distrital de ambiente") == 88  # any order
    assert score("secre ambi", "secretaria distrital de ambiente") == 84       # starts of words
    assert 60 < score("secretaria movlidad", "secretaria distrital de movilidad") < 80  # a typo
    assert score("xyz", "secretaria distrital de ambiente") == 0


def test_results_are_typed_and_a_network_that_is_a_cooperant_is_one_hit(store):
    hits = search(store, "metropolis")
    assert hits[0].roles == ["network", "cooperant"]
    assert not any(h.map_id == "cooperant:metropolis" for h in hits)
    assert search(store, "ASOCIACIÓN MUNDIAL DE GRANDES METRÓPOLIS")[0].map_id == "network:metropolis"
    assert {h.kind for h in search(store, "c40", kinds={"engagement"})} == {"engagement"}
    assert search(store, "zzzz qqqq") == [] and search(store, "  ") == []


def test_the_api_finds_the_same_first_node(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        wrong = {}
        for q, want in QUERIES:
            hits = client.get("/api/v1/search", params={"q": q, "limit": 1}).json()
            if [f"{h['kind']}:{h['id']}" for h in hits] != [want]:
                wrong[q] = hits
        assert wrong == {}
        sda = client.get("/api/v1/search?q=SDA").json()[0]
        assert sda["node_label"] == "DistrictEntity" and sda["profile"] == "/profiles/entity/sda"
        assert client.get("/api/v1/search?q=sdm").json()[0]["id"] == "sdm"
        assert client.get("/api/v1/search?q=c40&kind=engagement").json()[0]["kind"] == "engagement"
        assert client.get("/api/v1/search?q=c40&kind=planet").status_code == 422


def test_the_cli_finds_the_same_first_node(loaded_home):
    result = run_cli(["search", "secretaria de ambiente", "--json"], loaded_home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["map_id"] == "entity:sda"
    table = run_cli(["search", "metropolis", "--limit", "2"], loaded_home)
    assert "network:metropolis" in table.stdout and "Red de ciudades + Cooperante" in table.stdout
    assert run_cli(["search", "zzzz qqqq"], loaded_home).stdout.strip() == "sin resultados"


def test_the_maps_search_box_finds_the_same_first_node(browser, store, tmp_path):  # noqa: F811
    path = tmp_path / "overview.html"
    path.write_text(render_map(store, "overview"), encoding="utf-8")
    browser.open(path)
    found = browser.js("return arguments[0].map(q => { const h = coopgraph.rank(q, 1); return h.length ? h[0].id : null; })",
                       [q for q, _ in QUERIES])
    assert {q: f for (q, want), f in zip(QUERIES, found) if f != want} == {}
    # as a person does it: type, see typed results, press Enter
    box = browser.driver.find_element(By.ID, "search-input")
    box.clear()
    box.send_keys("secretaria de ambiente")
    results = browser.js("return Array.from(document.querySelectorAll('#search-results button')).map(b => b.dataset.id)")
    assert results[0] == "entity:sda"
    assert "Entidad distrital" in browser.js("return document.querySelector('#search-results .hit-kind').textContent")
    browser.screenshot("search-results.png")
    box.send_keys(Keys.ENTER)
    assert browser.js("return coopgraph.network.getSelectedNodes()") == ["entity:sda"]
    assert browser.severe_logs() == []
