"""Maps that answer the question asked: an ego map's neighbour shows its link with the centre before its own
totals, networks are sized by all their money and show who they work with, labels never overlap or clip,
/maps opens with the headline figures and the networks split by what Bogotá's tie with each is, and errors
on pages are pages in the page's language. Browser tests run headless Chromium with the network blocked;
screenshots land in tests/artifacts/."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from browser import ARTIFACTS, browser  # noqa: F401  (the fixture)
from coopgraph.api.app import create_app
from coopgraph.money import format_cop
from coopgraph.settings import Settings
from coopgraph.viz import index_html, render_map
from test_page_language import vocabulary, visible_text

ROOT = Path(__file__).resolve().parents[2]
MONEY = re.compile(r"(?:US\$|\$|€)[ \u00a0]\d[\d.,]*")


def page_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="coop-data">(.*?)</script>', page, re.S).group(1))


@pytest.fixture(scope="module")
def store(loaded_store):
    return loaded_store


@pytest.fixture(scope="module")
def client(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as c:
        yield c


@pytest.fixture(scope="module")
def pages(store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("answers")
    out = {}
    for name, view, kwargs in [("ego-bid", "ego", {"id": "cooperant:bid"}), ("ego-bid-en", "ego", {"id": "cooperant:bid", "lang": "en"}),
                               ("ego-c40", "ego", {"id": "network:c40"}), ("overview", "overview", {}),
                               ("networks", "networks", {})]:
        text = render_map(store, view, **kwargs)
        path = folder / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        out[name] = (path, text)
    return out


def _sum(store, cypher: str) -> int:
    return int(store.read(cypher)[0]["t"] or 0)


# -- 1. an ego map's neighbour: its link with the centre first ----------------------------------------------
def test_a_neighbour_shows_its_link_with_the_centre_before_its_own_totals(store, pages):
    link = _sum(store, "MATCH (:Cooperant {id: 'bid'})-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(:DistrictEntity {id: 'scrd'}) "
                       "WHERE c.currency = 'COP' RETURN sum(c.total_cents) AS t")
    own = _sum(store, "MATCH (:DistrictEntity {id: 'scrd'})-[:RECEIVED]->(c:Contribution) WHERE c.currency = 'COP' "
                      "RETURN sum(c.total_cents) AS t")
    assert format_cop(link, cents=True) == "$ 2.690.952.000,00" and format_cop(own, cents=True) == "$ 12.652.339.960,00"
    scrd = next(n for n in page_data(pages["ego-bid"][1])["nodes"] if n["id"] == "entity:scrd")
    first = scrd["title"].index(f"BID → SCRD: {format_cop(link, cents=True)}")
    assert first < scrd["title"].index(f"Valor total: {format_cop(own, cents=True)}")
    assert scrd["link"][0] == "Con BID:"
    english = next(n for n in page_data(pages["ego-bid-en"][1])["nodes"] if n["id"] == "entity:scrd")
    assert f"BID → SCRD: {format_cop(link, cents=True)} (total value of BID's contributions to SCRD)" in english["title"]


def test_the_panel_and_the_tooltip_in_the_browser(browser, pages):  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains

    browser.open(pages["ego-bid"][0])
    browser.js("coopgraph.select('entity:scrd')")
    text = browser.js("return document.getElementById('details-body').innerText")
    assert text.index("BID → SCRD") < text.index("En total:") < text.index("Valor total")
    assert browser.js("return document.querySelector('#details-body .center-link').innerText").startswith("Con BID:")
    # a narrow panel: every amount still sits on one line
    browser.js("document.getElementById('page').style.gridTemplateColumns = '190px 1fr'")
    spans = browser.js("return Array.from(document.querySelectorAll('#details-body .money')).map(s => [s.textContent, s.getClientRects().length])")
    assert len(spans) >= 6 and all(lines == 1 for _, lines in spans), spans
    browser.js("document.getElementById('page').style.gridTemplateColumns = ''")
    browser.js("coopgraph.network.focus('entity:scrd', {scale: 1.2, animation: false})")
    spot = browser.js("var p = coopgraph.network.canvasToDOM(coopgraph.network.getPosition('entity:scrd'));"
                      "var r = document.querySelector('#map canvas').getBoundingClientRect(); return [p.x, p.y, r.width, r.height];")
    canvas = browser.driver.find_element("css selector", "#map canvas")
    ActionChains(browser.driver).move_to_element_with_offset(canvas, int(spot[0] - spot[2] / 2), int(spot[1] - spot[3] / 2)).perform()
    deadline = time.monotonic() + 5
    tip = ""
    while time.monotonic() < deadline and "BID → SCRD" not in tip:
        time.sleep(0.1)
        tip = browser.js("var t = document.querySelector('div.vis-tooltip'); return t && t.style.visibility !== 'hidden' ? t.innerText : ''")
    assert "BID → SCRD" in tip
    amounts = MONEY.findall(tip)
    assert amounts and all("\u00a0" in a and " " not in a for a in amounts), amounts  # never wraps between $ and digits
    browser.screenshot("ego-bid-scrd.png")
    assert browser.severe_logs() == []


# -- 2. networks sized by all their money, with everyone they work with -------------------------------------
def test_the_c40_ego_map_sizes_c40_by_all_its_money_and_shows_its_partners(store, pages):
    from coopgraph.graph.readmodel import read_model

    data = page_data(pages["ego-c40"][1])
    nodes = {n["id"]: n for n in data["nodes"]}
    engaged = {r["id"] for r in store.read(
        "MATCH (g:Engagement) WHERE EXISTS { MATCH (g)-[:UNDER_NETWORK]->(:CityNetwork {id: 'c40'}) } "
        "OR EXISTS { MATCH (g)-[:UNDER_NETWORK]->(:CityNetwork)-[:SECTION_OF]->(:CityNetwork {id: 'c40'}) } "
        "OR EXISTS { MATCH (:CityNetwork {id: 'c40'})-[:SAME_AS]->(:Cooperant)-[:TOOK_PART_IN]->(g) } "
        "MATCH (x:DistrictEntity)-[:TOOK_PART_IN]->(g) RETURN DISTINCT x.id AS id")}
    entities = {n.split(":", 1)[1] for n in nodes if n.startswith("entity:")}
    assert len(engaged) >= 9 and engaged <= entities and "uaesp" in entities
    every = read_model(store).networks["c40"].all_cooperation_cents
    assert f"Toda la cooperación en COP: {format_cop(every, cents=True)}" in nodes["network:c40"]["title"]
    assert "Monto de sus proyectos: US$ 1.565.000,00" in nodes["network:c40"]["title"]
    sizes = sorted((n["sizes"]["money"] for n in nodes.values()), reverse=True)
    assert nodes["network:c40"]["sizes"]["money"] >= sizes[2]  # among the three largest, not drawn tiny
    assert nodes["network:c40"]["sizes"]["money"] > nodes["entity:uaesp"]["sizes"]["money"]


def test_the_c40_ego_map_in_the_browser(browser, pages):  # noqa: F811
    browser.open(pages["ego-c40"][0])
    boxes = label_boxes(browser)
    assert not overlaps(boxes) and not clipped(browser, boxes)
    browser.screenshot("ego-c40.png")
    assert browser.severe_logs() == []


# -- 3. labels that never overlap and never clip ------------------------------------------------------------
MEASURE = """
var net = coopgraph.network, out = [];
coopgraph.nodeView.getIds().forEach(function (id) {
  var lm = net.body.nodes[id].labelModule;
  if (!lm.visible()) { return; }  // vis-network draws this label
  var s = lm.size, v = lm.fontOptions.vadjust || 0;  // vis draws the text vadjust lower than its measured box
  var a = net.canvasToDOM({x: s.left, y: s.top + v}), b = net.canvasToDOM({x: s.left + s.width, y: s.top + v + s.height});
  out.push({id: id, text: lm.elementOptions.label, l: a.x, t: a.y, r: b.x, b: b.y, px: lm.fontOptions.size * net.getScale()});
});
return out;
"""


def label_boxes(b) -> list[dict]:
    """Every label vis-network draws, as its own label module measured it, in screen pixels."""
    time.sleep(0.2)  # one frame: vis measures a label when it draws it
    return b.js(MEASURE)


def overlaps(boxes: list[dict]) -> list:
    return [(x["text"], y["text"]) for i, x in enumerate(boxes) for y in boxes[i + 1:]
            if x["l"] < y["r"] - 0.5 and y["l"] < x["r"] - 0.5 and x["t"] < y["b"] - 0.5 and y["t"] < x["b"] - 0.5]


def clipped(b, boxes: list[dict]) -> list:
    w, h = b.js("var c = document.querySelector('#map canvas'); return [c.clientWidth, c.clientHeight]")
    return [x["text"] for x in boxes if x["l"] < -0.5 or x["t"] < -0.5 or x["r"] > w + 0.5 or x["b"] > h + 0.5]


@pytest.mark.parametrize("name,most", [("overview", ["SDM", "SCRD", "BID", "Metrópolis"]), ("networks", ["C40", "Metrópolis", "CIDEU"])])
def test_labels_never_overlap_and_never_clip(browser, pages, name, most):  # noqa: F811
    browser.open(pages[name][0])
    states = {"fit": "", "zoomed": "coopgraph.network.moveTo({scale: coopgraph.network.getScale() * 2.2}); coopgraph.network.emit('zoom', {});",
              "BID": "coopgraph.reset(); coopgraph.select('cooperant:bid');",
              "panned": "coopgraph.reset(); coopgraph.network.moveTo({offset: {x: 260, y: -140}}); coopgraph.network.emit('dragEnd', {});"}
    for state, script in states.items():
        if script:
            browser.js(script)
        boxes = label_boxes(browser)
        assert not overlaps(boxes), f"{name} ({state}): labels overlap: {overlaps(boxes)[:5]}"
        assert not clipped(browser, boxes), f"{name} ({state}): labels cross the edge: {clipped(browser, boxes)}"
        assert len(boxes) >= {"fit": 15, "panned": 8}.get(state, 5), f"{name} ({state}): only {len(boxes)} labels"
        assert all(b["px"] >= 6 for b in boxes)
        if state == "fit":
            browser.screenshot(f"{name}-labels.png")
            shown = {b["text"] for b in boxes}
            assert set(most) <= shown, f"{name}: {set(most) - shown} unlabelled at full view"
            assert min(b["px"] for b in boxes if b["text"] in most) >= 11  # readable with the whole map in view
        if state == "zoomed":
            browser.screenshot(f"{name}-labels-zoomed.png")
    assert browser.severe_logs() == []


def test_the_overview_groups_by_sector(store, pages):
    """Each sector's entities sit around their sector: nearer to it than to the other sectors."""
    nodes = {n["id"]: n for n in page_data(pages["overview"][1])["nodes"]}
    sectors = {i: (n["x"], n["y"]) for i, n in nodes.items() if n["kind"] == "sector"}
    near = total = 0
    for row in store.read("MATCH (e:DistrictEntity)-[:BELONGS_TO]->(s:Sector) RETURN e.id AS e, s.id AS s"):
        e, s = nodes.get(f"entity:{row['e']}"), f"sector:{row['s']}"
        if e is None or s not in sectors:
            continue
        dist = {k: (x - e["x"]) ** 2 + (y - e["y"]) ** 2 for k, (x, y) in sectors.items()}
        total += 1
        near += min(dist, key=dist.get) == s
    assert total >= 20 and near / total >= 0.9, (near, total)


# -- 4. /maps: the headline figures, fichas, networks by kind of tie -------------------------------------------
def _networks_by_tie() -> dict[str, set]:
    """From data/curated/networks.yaml: sections (a parent network), 2025 adhesions, memberships (the rest)."""
    out = {"section": set(), "adhesion": set(), "membership": set()}
    for n in yaml.safe_load((ROOT / "data" / "curated" / "networks.yaml").read_text(encoding="utf-8"))["networks"]:
        m = n.get("membership") or {}
        later = any(str(m.get(k) or "").startswith("2025") for k in ("since", "act_date"))
        out["section" if n.get("parent_network_id") else "adhesion" if later else "membership"].add(n["network_id"])
    return out


def _section(page: str, title: str) -> set[str]:
    block = page.split(f"<h3>{title}</h3>", 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'/maps/ego\?id=network%3A([\w-]+)', block))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_index_opens_with_the_headline_figures(client, store, lang):
    from coopgraph.analysis.summary import summary

    page = client.get(f"/maps?lang={lang}").text
    s = summary(store)
    figures = re.findall(r'<div class="figure" data-key="(\w+)"><dt>([^<]+)</dt><dd class="money">([^<]+)</dd>', page)
    assert [(k, v) for k, _, v in figures] == [
        ("interactions", f"{s['interactions']:,}".replace(",", "." if lang == "es" else ",")),
        ("report_cop", format_cop(int(s["total_cop"] * 100), cents=True)),
        ("all_cop", format_cop(int(s["all_cooperation"]["total_cop"] * 100), cents=True))]
    assert figures[2][1] == s["all_cooperation"]["label"][lang]
    assert f'href="/profiles/network/c40?lang={lang}"' in page and f'href="/profiles/cooperant/bid?lang={lang}"' in page
    assert f'href="/profiles/sdg/13?lang={lang}"' in page
    ties = _networks_by_tie()
    titles = {"es": ("Redes de las que Bogotá es miembro", "Secciones y programas de otras redes",
                     "Adhesiones de 2025 (después del periodo del informe)"),
              "en": ("Networks Bogotá is a member of", "Sections and programmes of other networks",
                     "2025 adhesions (after the report&#39;s period)")}[lang]
    assert _section(page, titles[0]) == ties["membership"]
    assert _section(page, titles[1]) == ties["section"] == {"metropolis", "c40-cbca", "red-seguridad-hidrica-c40"}
    assert _section(page, titles[2]) == ties["adhesion"] and ties["adhesion"]


def test_the_index_in_the_browser(browser, store, tmp_path):  # noqa: F811
    path = tmp_path / "index.html"
    path.write_text(index_html("es", store=store, profile_base="/profiles"), encoding="utf-8")
    browser.driver.get(path.as_uri())
    assert browser.js("return document.querySelectorAll('#figures .figure').length") == 3
    assert browser.js("return Array.from(document.querySelectorAll('#figures dd')).every(d => d.getClientRects().length === 1)")
    browser.screenshot("index.png")
    assert browser.severe_logs() == []


# -- 5. errors on pages are pages, in the page's language; the API keeps its JSON ------------------------------
ERRORS = [("/maps/ego?id=nothing", 404, "nothing"), ("/maps/prospects?for=cooperant:unknown", 404, "cooperant:unknown"),
          ("/maps/unknownview", 400, "unknownview"), ("/profiles/cooperant/nadie", 404, "nadie"),
          ("/maps/ego?id=bid&hops=9", 422, "hops=9")]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("path,status,asked", ERRORS)
def test_an_error_on_a_page_is_a_page_in_its_language(client, path, status, asked, lang):
    response = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert response.status_code == status and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    assert f"«{asked}»" in page and f'href="/maps?lang={lang}"' in page
    text = visible_text(page, lang).replace(asked, " ")
    other = vocabulary()["en" if lang == "es" else "es"] - vocabulary()[lang]
    assert not [w for w in other if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w/.-])", text, flags=re.IGNORECASE)]
    assert not re.search(r"\b(unknown|not found|no such)\b" if lang == "es" else r"\b(no se encontr|volver)\b", text, re.I)


def test_the_api_keeps_its_json_errors(client):
    for path in ("/api/v1/prospects?for=cooperant:unknown", "/api/v1/profiles/cooperant/nadie", "/api/v1/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404 and response.headers["content-type"].startswith("application/json"), path
        assert {"status", "code", "message", "details"} <= set(response.json())


def test_an_error_page_in_the_browser(browser, client, tmp_path):  # noqa: F811
    path = tmp_path / "error.html"
    path.write_text(client.get("/maps/ego?id=nothing").text, encoding="utf-8")
    browser.driver.get(path.as_uri())
    assert browser.js("return document.getElementById('back').getAttribute('href')") == "/maps?lang=es"
    browser.screenshot("error-ego.png")
    assert browser.severe_logs() == []
    assert ARTIFACTS.exists()


def test_the_same_data_always_gives_the_same_picture(store):
    """Whatever order the store returns links in, and whatever a set's order (PYTHONHASHSEED), the layout is the same."""
    import networkx as nx

    from coopgraph.viz.maps import _layout
    from coopgraph.viz.render import map_graph
    from coopgraph.viz.views import View, overview

    graph = overview(map_graph(store))
    shuffled = nx.Graph()
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed([(b, a, d) for a, b, d in graph.edges(data=True)]))
    assert _layout(View("overview", graph)) == _layout(View("overview", shuffled))
