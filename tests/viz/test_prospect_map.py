"""The prospect map, served like the other maps and checked in a real headless Chromium that reaches only
the tests' own server (its pages link their libraries from /assets)."""
from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from browser import served_browser as browser  # noqa: F401  (the fixture)
from live_server import live_url  # noqa: F401  (the fixture)
from coopgraph.api.app import create_app
from coopgraph.analysis.prospects import prospects
from coopgraph.settings import Settings


@pytest.fixture(scope="module")
def client(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        yield client


@pytest.fixture(scope="module")
def page(client, live_url):  # noqa: F811
    response = client.get("/maps/prospects", params={"for": "entity:sda", "top": 10})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    return live_url + "/maps/prospects?for=entity:sda&top=10"


def test_served_beside_the_other_maps(client):
    assert client.get("/maps/prospects", params={"for": "sdg:13", "lang": "en"}).status_code == 200
    missing = client.get("/maps/prospects", params={"for": "entity:nope"})
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")  # a page's error is a page
    assert "entity:nope" in missing.text
    assert client.get("/maps/overview").status_code == 200  # the other maps still answer


def test_prospect_map_in_the_browser(browser, page, loaded_store):  # noqa: F811
    expected = prospects(loaded_store, "entity:sda", top=10)["prospects"]
    twins = {f"cooperant:{r['o']}": f"network:{r['n']}" for r in loaded_store.read(
        "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) RETURN n.id AS n, o.id AS o")}
    for p in expected:  # a cooperant that is also a network is drawn as the network
        p["id"] = twins.get(p["id"], p["id"])
    browser.open(page)
    assert browser.severe_logs() == [] and browser.external_requests() == []
    assert browser.js("return coopgraph.center") == "entity:sda"
    drawn = browser.js("return coopgraph.nodes.get().filter(n => n.prospect)"
                       ".map(n => ({id: n.id, rank: n.prospect.rank, size: n.size, dashes: n.shapeProperties.borderDashes}))")
    assert [d["id"] for d in sorted(drawn, key=lambda d: d["rank"])] == [p["id"] for p in expected]
    sizes = [d["size"] for d in sorted(drawn, key=lambda d: d["rank"])]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]  # sized by score
    assert all(d["dashes"] for d in drawn)  # suggested cooperants are dashed
    suggested = browser.js("return coopgraph.edges.get().filter(e => (e.relations || []).includes('suggested'))"
                           ".map(e => [e.from, e.to, !!e.dashes])")
    assert sorted(s[1] for s in suggested) == sorted(p["id"] for p in expected)
    assert all(s[0] == "entity:sda" and s[2] for s in suggested)
    # the network that justifies the BID (it takes part in C40's Foncarga, SDA in Breathe Cities) is drawn
    assert browser.js("return coopgraph.edges.get().some(e => [e.from, e.to].includes('network:c40')"
                      " && [e.from, e.to].includes('cooperant:bid'))")

    # hover the first prospect: the tooltip gives its evidence and sources
    from selenium.webdriver.common.action_chains import ActionChains

    first = expected[0]["id"]
    point = browser.js(f"const p = coopgraph.network.getPositions(['{first}'])['{first}'];"
                       "const d = coopgraph.network.canvasToDOM(p); const r = document.getElementById('map').getBoundingClientRect();"
                       "return [d.x, d.y, r.width, r.height];")
    canvas = browser.driver.find_element("css selector", "#map canvas")
    ActionChains(browser.driver).move_to_element_with_offset(canvas, int(point[0] - point[2] / 2),
                                                             int(point[1] - point[3] / 2)).perform()
    tip = ""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "Por qué" not in tip:
        tip = browser.js("const t = document.querySelector('.vis-tooltip');"
                         "return t && t.style.visibility !== 'hidden' ? t.innerText : ''") or ""
        time.sleep(0.1)
    assert expected[0]["name"] in tip and "Por qué" in tip and "Fuente: informe-2024/" in tip
    shot = browser.screenshot("prospects-sda.png")
    assert shot.stat().st_size > 20_000


def test_a_target_profile_lists_its_prospects(browser, client, loaded_store, live_url):  # noqa: F811
    expected = prospects(loaded_store, "entity:sda", top=5)["prospects"]
    assert client.get("/profiles/entity/sda").status_code == 200
    browser.open(live_url + "/profiles/entity/sda")
    rows = browser.js("return Array.from(document.querySelectorAll('#section-prospects tbody tr'))"
                      ".map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText))")
    assert [r[1] for r in rows] == [p["name"] for p in expected]
    links = browser.js("return Array.from(document.querySelectorAll('#section-prospects td a')).map(a => a.getAttribute('href'))")
    assert links[0].startswith("/profiles/cooperant/" + expected[0]["id"].partition(":")[2])
    for row, p in zip(rows, expected):  # what links each prospect to SDA: its strongest shared neighbour
        shared = [e["via_name"] for e in p["evidence"] if e["kind"] == "shared_neighbour"]
        assert (shared[0] if shared else p["evidence"][0]["text"]) in row[2]
    assert browser.severe_logs() == [] and browser.external_requests() == []
    browser.js("document.getElementById('section-prospects').scrollIntoView()")
    browser.screenshot("profile-sda-prospects.png")
    # the printed one-page briefing keeps to facts: suggestions stay on screen
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.js("return getComputedStyle(document.getElementById('section-prospects')).display") == "none"
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
