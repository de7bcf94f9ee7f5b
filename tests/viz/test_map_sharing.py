"""Maps worth sharing, in headless Chromium with the network blocked: a copied URL restores the view,
filters re-fit it, PNG and SVG exports draw the current view, and a node expands its neighbours in
place. Screenshots and the exported images land in tests/artifacts/."""
from __future__ import annotations

import base64
import time
import xml.etree.ElementTree as ET

import pytest

from browser import ARTIFACTS, browser, served_browser  # noqa: F401  (the fixtures)
from live_server import live_url  # noqa: F401  (the fixture)
from test_maps import expected, store_pairs
from coopgraph.viz import render_map

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def store(loaded_store):
    return loaded_store


@pytest.fixture(scope="module")
def pages(store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sharing")
    out = {}
    for name, view, kw in [("overview", "overview", {}), ("ego-sda", "ego", {"id": "entity:sda"})]:
        path = folder / f"{name}.html"
        path.write_text(render_map(store, view, **kw), encoding="utf-8")
        out[name] = path
    return out


def open_url(b, url: str, timeout: float = 60.0) -> None:
    b.driver.get("about:blank")
    b.driver.get(url)
    deadline = time.monotonic() + timeout
    while not b.js("return !!(window.coopgraph && window.coopgraph.ready)"):
        assert time.monotonic() < deadline, f"{url} did not get ready"
        time.sleep(0.05)


def in_view(b) -> dict:
    """Where the visible nodes sit on screen, against the map's size."""
    return b.js("""
      const net = coopgraph.network, ids = coopgraph.nodeView.getIds(), box = document.getElementById('map');
      const pts = Object.values(net.getPositions(ids)).map(p => net.canvasToDOM(p));
      const xs = pts.map(p => p.x), ys = pts.map(p => p.y);
      return {w: box.clientWidth, h: box.clientHeight, minX: Math.min(...xs), maxX: Math.max(...xs),
              minY: Math.min(...ys), maxY: Math.max(...ys)};""")


def test_a_copied_link_restores_filters_and_selection(browser, pages):  # noqa: F811
    browser.open(pages["overview"])
    browser.js("coopgraph.setFilter('sector', 'movilidad')")
    browser.js("document.querySelector('.legend-item[data-legend=\"engagement\"]').click()")
    browser.js("coopgraph.select('entity:sdm')")
    before = browser.js("return coopgraph.visible()")
    url = browser.driver.current_url
    assert "#" in url and "sector=movilidad" in url and "node=entity%3Asdm" in url and "hide=engagement" in url
    open_url(browser, url)  # as a colleague opening the pasted link
    assert browser.js("return document.getElementById('filter-sector').value") == "movilidad"
    assert browser.js("return document.querySelector('.legend-item[data-legend=\"engagement\"]').getAttribute('aria-pressed')") == "false"
    assert browser.js("return coopgraph.network.getSelectedNodes()") == ["entity:sdm"]
    assert browser.js("return coopgraph.visible()") == before
    assert "SECRETARÍA DISTRITAL DE MOVILIDAD" in browser.js("return document.getElementById('details-body').textContent")
    browser.screenshot("map-restored-from-link.png")
    assert browser.severe_logs() == []


def test_a_served_link_carries_hops_and_language_too(served_browser, live_url):  # noqa: F811
    b = served_browser
    open_url(b, live_url + "/maps/ego?id=entity:sda&hops=2&lang=en#sdg=13&node=network%3Ametropolis")
    assert b.js("return document.documentElement.lang") == "en"
    assert "two hops" in b.js("return document.querySelector('.subtitle').textContent")
    assert b.js("return document.getElementById('filter-sdg').value") == "13"
    assert b.js("return coopgraph.visible()") == {"nodes": 2, "edges": 1}  # SDM and Metrópolis: the ODS 13 money
    assert b.js("return coopgraph.network.getSelectedNodes()") == ["network:metropolis"]


def test_filters_refit_the_view(browser, pages):  # noqa: F811
    browser.open(pages["overview"])
    browser.js("coopgraph.setFilter('sector', 'ambiente')")
    box = in_view(browser)
    assert 0 <= box["minX"] and box["maxX"] <= box["w"] and 0 <= box["minY"] and box["maxY"] <= box["h"]
    # the few nodes left fill the view instead of sitting in a corner of the whole map
    assert (box["maxX"] - box["minX"]) > 0.5 * box["w"] or (box["maxY"] - box["minY"]) > 0.5 * box["h"]
    browser.screenshot("map-refit-ambiente.png")


def test_png_export_is_an_image_of_the_current_view(browser, pages):  # noqa: F811
    browser.open(pages["overview"])
    browser.js("coopgraph.setFilter('sector', 'movilidad')")
    url = browser.js("return coopgraph.exportPNG()")
    assert url.startswith("data:image/png;base64,")
    data = base64.b64decode(url.split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    canvas = browser.js("const c = document.querySelector('#map canvas'); return [c.width, c.height]")
    assert [width, height] == [canvas[0], canvas[1] + 34]  # the map as drawn, under a title line
    coloured = browser.driver.execute_async_script("""
      const done = arguments[arguments.length - 1], img = new Image();
      img.onload = () => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const x = c.getContext('2d'); x.drawImage(img, 0, 0); const d = x.getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++; }
        done(n); };
      img.src = arguments[0];""", url)
    assert coloured > 2000  # nodes, links and labels, not a blank sheet
    (ARTIFACTS / "map-export.png").write_bytes(data)


def test_svg_export_draws_the_visible_nodes_and_links(browser, pages):  # noqa: F811
    browser.open(pages["overview"])
    browser.js("coopgraph.setFilter('sector', 'movilidad')")
    visible = browser.js("return coopgraph.visible()")
    result = browser.js("return coopgraph.exportSVG()")
    root = ET.fromstring(result["svg"])
    shapes = [e for e in root.iter() if e.get("class") == "node"]
    lines = [e for e in root.iter() if e.get("class") == "edge"]
    assert len(shapes) == result["nodes"] == visible["nodes"]  # after a re-fit every visible node is in view
    assert len(lines) == result["edges"] == visible["edges"]
    assert "SDM" in [t.text for t in root.iter(SVG + "text")]
    (ARTIFACTS / "map-export.svg").write_text(result["svg"], encoding="utf-8")
    browser.driver.get((ARTIFACTS / "map-export.svg").as_uri())
    browser.screenshot("map-export-svg.png")


def test_expanding_a_node_adds_its_neighbours_in_place(browser, store, pages):  # noqa: F811
    browser.open(pages["ego-sda"])
    one, _ = expected(store, "ego", "entity:sda", 1)
    two, _ = expected(store, "ego", "entity:sda", 2)
    assert browser.js("return coopgraph.nodes.length") == len(one)
    browser.js("coopgraph.select('network:iclei')")
    browser.js("document.getElementById('expand').click()")  # the button in the details panel
    added = set(browser.js("return coopgraph.nodes.getIds()")) - one
    pairs = store_pairs(store)
    neighbours = {n for p in pairs if "network:iclei" in p for n in p} - {"network:iclei"}
    assert added and added == neighbours - one and added <= two
    assert browser.js("return coopgraph.visible().nodes") == len(one) + len(added)
    drawn = browser.js("return coopgraph.network.body.nodeIndices.length")
    assert drawn == len(one) + len(added)
    assert "expand=network%3Aiclei" in browser.driver.current_url
    browser.screenshot("ego-sda-expanded.png")
    url = browser.driver.current_url
    open_url(browser, url)  # the link keeps the expansion
    assert set(browser.js("return coopgraph.nodes.getIds()")) == one | added
    assert browser.severe_logs() == []
