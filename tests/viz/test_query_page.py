"""The analysts' query page (/query), served by the real app and driven in a headless Chromium that reaches
only the tests' own server: Neo4j's editor loads, highlights and completes the graph's vocabulary; a named
query runs from its shareable URL into a table with money the Colombian way; nodes draw as a graph; a
refusal shows one line naming the clause; downloads come back as files."""
from __future__ import annotations

import io
import time

import pytest
from fastapi.testclient import TestClient

from browser import served_browser as browser  # noqa: F401  (the fixture)
from coopgraph.api.app import create_app
from coopgraph.settings import Settings
from coopgraph.viz.i18n import cop
from live_server import LiveServer

KEY = "clave-de-prueba-para-la-pagina-de-consultas"


@pytest.fixture(scope="module")
def settings(loaded_home):
    return Settings(home=loaded_home, api_key=KEY)


@pytest.fixture(scope="module")
def client(settings):
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def url(settings):
    with LiveServer(settings) as url:
        yield url


def _wait(browser, script: str, timeout: float = 30.0):  # noqa: F811
    deadline = time.monotonic() + timeout
    while True:
        value = browser.js(script)
        if value:
            return value
        assert time.monotonic() < deadline, f"never true: {script}; console: {browser.logs()}"
        time.sleep(0.1)


def _run_done(browser, runs_before: int):  # noqa: F811
    _wait(browser, f"return coopgraph.runs > {runs_before} && !coopgraph.busy")


def _clean(browser, *, refused: tuple[int, ...] = ()):  # noqa: F811
    """No console errors but the browser's own note of an answer the test asked to be refused."""
    expected = [f"/api/v1/cypher - Failed to load resource: the server responded with a status of {s}" for s in refused]
    assert [e for e in browser.severe_logs()
            if not (e.get("source") == "network" and any(x in e["message"] for x in expected))] == []
    assert browser.external_requests() == []


def test_the_page_is_served_in_both_languages_with_linked_assets(client):
    page = client.get("/query")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Consultas con nombre" in page.text and 'lang="es"' in page.text
    for name in ("cypher-editor.js", "cypher-editor.css", "query.js", "query.css", "vis-network.min.js"):
        assert f"/assets/{name}?v=" in page.text, name
    assert len(page.content) < 200_000  # the editor is linked, not inlined
    editor = client.get("/assets/cypher-editor.js")
    assert editor.status_code == 200 and len(editor.content) < 1_500_000
    english = client.get("/query", params={"lang": "en"})
    assert "Named queries" in english.text and 'lang="en"' in english.text
    assert client.get("/query", params={"lang": "fr"}).status_code == 422
    assert 'href="/query?lang=es"' in client.get("/maps").text  # linked from the maps' index
    assert 'href="/query?lang=en"' in client.get("/maps", params={"lang": "en"}).text


def test_named_query_downloads_as_csv_and_xlsx(client):
    from openpyxl import load_workbook

    csv = client.get("/api/v1/queries/top_cooperants_by_amount/export", params={"format": "csv", "limit": 3})
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:2] == ["id", "name"] and len(lines) == 4 and "total_cop" in lines[0]
    book = client.get("/api/v1/queries/top_cooperants_by_amount/export", params={"format": "xlsx", "limit": 3})
    assert 'filename="top_cooperants_by_amount.xlsx"' in book.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(book.content)).active
    header = [c.value for c in sheet[1]]
    total = sheet.cell(row=2, column=header.index("total_cop") + 1)
    assert isinstance(total.value, (int, float)) and total.number_format == '"$" #,##0.00'
    assert client.get("/api/v1/queries/nope/export").status_code == 404
    assert client.get("/api/v1/queries/top_cooperants_by_amount/export", params={"limit": "x"}).status_code == 400


def test_own_cypher_downloads_need_the_key(client):
    body = {"query": "MATCH (c:Cooperant {id: 'bid'}) RETURN c.name AS name"}
    assert client.post("/api/v1/cypher/export", json=body).status_code == 401
    answer = client.post("/api/v1/cypher/export", params={"format": "csv"}, json=body, headers={"X-API-Key": KEY})
    assert answer.status_code == 200 and "BID" in answer.content.decode("utf-8-sig")
    refused = client.post("/api/v1/cypher/export", json={"query": "MATCH (n) DELETE n"}, headers={"X-API-Key": KEY})
    assert refused.status_code == 400 and "DELETE" in refused.json()["message"]


def test_editor_loads_highlights_and_completes_the_schema(browser, url):  # noqa: F811
    browser.open(url + "/query")
    _wait(browser, "return document.querySelectorAll('#editor .cm-editor .cm-keyword').length > 0")
    keywords = browser.js("return Array.from(document.querySelectorAll('#editor .cm-keyword')).map(e => e.textContent)")
    assert {"MATCH", "RETURN"} <= {k.upper() for k in keywords}
    labels = browser.js("return Array.from(document.querySelectorAll('#editor .cm-p-label')).map(e => e.textContent)")
    assert any("Cooperant" in label for label in labels)  # the parse tree marks labels, not only keywords
    # completion offers the graph's labels after a colon
    browser.js("coopgraph.editor.setValue('MATCH (n:Coo'); const v = coopgraph.editor.codemirror;"
               "v.dispatch({selection: {anchor: v.state.doc.length}}); v.focus(); coopgraph.editor.setAutocompleteOpen(true);")
    options = _wait(browser, "const o = Array.from(document.querySelectorAll('.cm-tooltip-autocomplete li'))"
                             ".map(e => e.textContent); return o.length ? o : null")
    assert any("Cooperant" in o for o in options), options
    browser.screenshot("query-editor-completion.png")
    _clean(browser)


def test_a_shared_named_query_link_fills_the_form_and_runs_it(browser, url, loaded_store):  # noqa: F811
    browser.open(url + "/query?name=top_cooperants_by_amount&limit=5")
    assert browser.js("return document.getElementById('param-limit').value") == "5"
    assert browser.js("return document.getElementById('named-select').value") == "top_cooperants_by_amount"
    headers = browser.js("return Array.from(document.querySelectorAll('#result-table th')).map(e => e.textContent)")
    assert "total_cop" in headers and "total_cents" not in headers  # one money column, not twice
    rows = browser.js("return Array.from(document.querySelectorAll('#result-table tbody tr'))"
                      ".map(tr => Array.from(tr.cells).map(td => td.textContent))")
    assert len(rows) == 5
    top = loaded_store.read("MATCH (c:Cooperant)-[:PROVIDED]->(x:Contribution) WHERE x.currency = 'COP' "
                            "RETURN c.id AS id, sum(x.total_cents) AS t ORDER BY t DESC LIMIT 1")[0]
    first = rows[0][headers.index("total_cop")]
    assert first == cop(top["t"]) and first.startswith("$ ") and "," in first  # $ 12.072.485.118,00
    assert browser.js("return document.querySelector('#result-table td.money') !== null")
    share = browser.js("return document.getElementById('named-share').getAttribute('href')")
    assert share == "/query?name=top_cooperants_by_amount&limit=5"
    history = browser.js("return JSON.parse(localStorage.getItem('coopgraph.queryHistory'))")
    assert history[0]["name"] == "top_cooperants_by_amount" and history[0]["params"] == {"limit": "5"}
    assert browser.js("return document.getElementById('key-form').hidden")  # named queries need no key
    download = browser.js("coopgraph.noSave = true; return coopgraph.download('xlsx')")
    assert download["name"] == "top_cooperants_by_amount.xlsx" and download["size"] > 3000
    browser.js("document.getElementById('results').scrollIntoView()")
    browser.screenshot("query-named-table.png")
    _clean(browser)


def test_a_graph_answer_draws_its_nodes(browser, url):  # noqa: F811
    browser.open(url + "/query")
    browser.js("sessionStorage.setItem('coopgraph.apiKey', arguments[0])", KEY)
    runs = browser.js("return coopgraph.runs")
    browser.js("coopgraph.runCypher(\"MATCH (c:Cooperant {id: 'bid'})-[r:PROVIDED]->(x:Contribution)<-[s:RECEIVED]-"
               "(e:DistrictEntity) RETURN c, r, x, s, e LIMIT 10\")")
    _run_done(browser, runs)
    assert browser.js("return document.getElementById('message').className") != "error", browser.js(
        "return document.getElementById('message').textContent")
    assert not browser.js("return document.getElementById('graph-view').hidden")  # an all-nodes answer opens the graph
    _wait(browser, "return coopgraph.network && document.querySelector('#graph canvas')")
    labels = browser.js("return coopgraph.nodes.get().map(n => n.group)")
    assert "Cooperant" in labels and "DistrictEntity" in labels and "Contribution" in labels
    assert browser.js("return coopgraph.edges.length") >= 2
    legend = browser.js("return document.getElementById('graph-legend').textContent")
    assert "Cooperante" in legend and "Entidad" in legend, legend  # the schema's Spanish words
    browser.js("document.getElementById('results').scrollIntoView()")
    browser.js("return new Promise(r => setTimeout(r, 1500))")
    browser.screenshot("query-graph.png")
    _clean(browser)


def test_a_refusal_shows_one_line_naming_the_clause(browser, url):  # noqa: F811
    browser.open(url + "/query")
    browser.js("sessionStorage.removeItem('coopgraph.apiKey')")
    browser.js("coopgraph.runCypher('MATCH (n) DELETE n')")
    assert not browser.js("return document.getElementById('key-form').hidden")  # the key is asked first
    browser.find = browser.driver.find_element
    browser.find("id", "api-key").send_keys(KEY)
    runs = browser.js("return coopgraph.runs")
    browser.find("css selector", "#key-form button").click()
    _run_done(browser, runs)
    line = browser.js("const m = document.getElementById('message'); return [m.textContent, m.className, m.offsetHeight]")
    assert line[1] == "error" and line[0].startswith("Rechazada — DELETE is not allowed"), line
    assert line[2] < 30  # one line
    assert browser.js("return sessionStorage.getItem('coopgraph.apiKey')") == KEY  # kept for the session
    browser.screenshot("query-refused-delete.png")
    # the key is asked again after a wrong one
    browser.js("sessionStorage.setItem('coopgraph.apiKey', 'otra')")
    runs = browser.js("return coopgraph.runs")
    browser.js("coopgraph.runCypher('MATCH (n) RETURN count(n) AS n')")
    _run_done(browser, runs)
    assert not browser.js("return document.getElementById('key-form').hidden")
    assert browser.js("return sessionStorage.getItem('coopgraph.apiKey')") is None
    _clean(browser, refused=(400, 401))


def test_english_page(browser, url):  # noqa: F811
    browser.open(url + "/query?lang=en&name=contributions_by_sector")
    assert browser.js("return document.documentElement.lang") == "en"
    assert browser.js("return document.getElementById('named-title').textContent") == "Named queries"
    money = browser.js("return document.querySelector('#result-table td.money').textContent")
    assert money.startswith("$ ") and money[-3] == ","  # money is Colombian in English too
    browser.screenshot("query-english.png")
    _clean(browser)
