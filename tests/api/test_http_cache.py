"""HTTP as clients and proxies expect it: gzip for text, ETags (strong, and weak once compressed) with
304 for weak tags, lists and `*`, Cache-Control on data, pages and assets, and the pages' libraries
served once under /assets instead of inlined into every page."""
from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.settings import Settings

from browser import served_browser  # noqa: F401  (the fixture)
from live_server import live_url  # noqa: F401  (the fixture)

PAGES = ["/maps", "/maps/overview", "/maps/flows", "/maps/networks", "/profiles/cooperant/bid"]


@pytest.fixture(scope="module")
def client(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as c:
        yield c


def test_text_answers_are_gzipped_and_keep_a_weak_etag(client):
    for path in [*PAGES, "/api/v1/summary", "/api/v1/exports/graph.csv"]:
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        packed = client.get(path, headers={"Accept-Encoding": "gzip"}, )
        assert plain.status_code == packed.status_code == 200, path
        assert "content-encoding" not in plain.headers and packed.headers["content-encoding"] == "gzip", path
        assert int(packed.headers["content-length"]) < len(plain.content) / 3, path  # text compresses well
        strong = plain.headers["etag"]
        assert re.fullmatch(r'"[0-9a-f]{16,64}"', strong) and packed.headers["etag"] == "W/" + strong, path
        assert packed.content == plain.content  # the client decoded the same bytes


def test_if_none_match_takes_weak_tags_lists_and_star(client):
    for path in [*PAGES, "/api/v1/summary", "/api/v1/queries/top_cooperants_by_amount?limit=3"]:
        etag = client.get(path).headers["etag"].removeprefix("W/")
        for header in (etag, "W/" + etag, f'"otra", W/{etag}', "*"):
            answer = client.get(path, headers={"If-None-Match": header})
            assert answer.status_code == 304 and answer.content == b"", (path, header)
            assert answer.headers["etag"].removeprefix("W/") == etag
        assert client.get(path, headers={"If-None-Match": '"otra"'}).status_code == 200


def test_cache_control_and_assets_served_once(client):
    page = client.get("/maps/overview")
    assert page.headers["cache-control"] == "no-cache"  # kept, but asked again cheaply: a load changes it
    assert client.get("/api/v1/summary").headers["cache-control"] == "no-cache"
    assert "vis.Network" not in page.text and len(page.content) < 1_000_000  # the library is not inlined
    linked = re.findall(r'(?:src|href)="(/assets/[^"?]+)\?v=([0-9a-f]+)"', page.text)
    assert {name for name, _ in linked} >= {"/assets/vis-network.min.js", "/assets/map.js", "/assets/map.css"}
    for name, digest in linked:
        asset = client.get(f"{name}?v={digest}")
        assert asset.status_code == 200 and asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert asset.headers["etag"].removeprefix("W/") == f'"{digest}"'
    assert client.get("/assets/nothing.js").status_code == 404
    flows = client.get("/maps/flows")
    assert "/assets/plotly.min.js?v=" in flows.text and len(flows.content) < 200_000  # was 4.9 MB with plotly inlined


def test_cors_exposes_etag_and_allows_if_none_match(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home, cors_origins="https://example.org"))) as open_:
        asked = {"Origin": "https://example.org", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "If-None-Match"}
        preflight = open_.options("/api/v1/summary", headers=asked)
        assert preflight.status_code == 200 and "if-none-match" in preflight.headers["access-control-allow-headers"].lower()
        answer = open_.get("/api/v1/summary", headers={"Origin": "https://example.org"})
        assert "etag" in answer.headers["access-control-expose-headers"].lower()


def _ready(browser, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not browser.js("return !!(window.coopgraph && window.coopgraph.ready)"):
        assert time.monotonic() < deadline, "the page never said it was ready"
        time.sleep(0.2)


def test_served_pages_draw_from_the_linked_assets(served_browser, live_url):  # noqa: F811
    """The served maps, with their libraries linked from /assets, draw as the offline files do."""
    browser = served_browser
    browser.driver.get(live_url + "/maps/overview")
    _ready(browser)
    assert browser.js("return document.querySelectorAll('#graph canvas, canvas').length") >= 1
    assert browser.js("return coopgraph.network.body.data.nodes.length") > 200
    fetched = browser.js("return performance.getEntriesByType('resource').map(e => e.name)")
    assert any("/assets/vis-network.min.js?v=" in name for name in fetched)
    assert browser.external_requests() == [] and browser.severe_logs() == []
    browser.screenshot("served-overview-linked-assets.png")
    browser.driver.get(live_url + "/maps/flows")
    deadline = time.monotonic() + 60
    while not browser.js("return document.querySelectorAll('.sankey .sankey-link, path.sankey-link').length"):
        assert time.monotonic() < deadline, "the Sankey never drew"
        time.sleep(0.2)
    assert browser.severe_logs() == []
    browser.screenshot("served-flows-linked-assets.png")
