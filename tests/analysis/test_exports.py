"""Graph files that open cleanly in the tools people use: GEXF and GraphML read back by NetworkX (and
igraph when installed) with the store's node and edge counts, unique ids and names as labels; CSV
that Excel reads (BOM, ';' option, pesos beside centavos); CORS off unless configured; /docs offline
in headless Chromium with the network blocked."""
from __future__ import annotations

import csv
import io
import time

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from browser import served_browser  # noqa: F401  (the fixture)
from live_server import live_url  # noqa: F401  (the fixture)
from coopgraph.api.app import create_app
from coopgraph.settings import Settings

FUNDING = ("MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
           "RETURN DISTINCT o.id AS a, e.id AS b")
ENGAGED = ("MATCH (x:{label})-[:TOOK_PART_IN]->(g:Engagement)-[:UNDER_NETWORK]->(n:CityNetwork) "
           "WHERE EXISTS {{ MATCH (g)-[:SOURCED_FROM]->(s:Source) WHERE s.year IS NOT NULL }} RETURN DISTINCT x.id AS a, n.id AS b")
SAME_AS = "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) RETURN n.id AS a, o.id AS b"


def store_graph_counts(store) -> tuple[set, set]:
    """The organisation graph's nodes and links, from the store by their own Cypher."""
    pairs = {frozenset((f"cooperant:{r['a']}", f"entity:{r['b']}")) for r in store.read(FUNDING)}
    for kind, label in (("entity", "DistrictEntity"), ("cooperant", "Cooperant")):
        pairs |= {frozenset((f"{kind}:{r['a']}", f"network:{r['b']}")) for r in store.read(ENGAGED.format(label=label))}
    linked = {n for p in pairs for n in p}
    for r in store.read(SAME_AS):
        a, b = f"network:{r['a']}", f"cooperant:{r['b']}"
        if a in linked or b in linked:
            pairs.add(frozenset((a, b)))
    return {n for p in pairs for n in p}, pairs


@pytest.fixture(scope="module")
def client(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        yield client


@pytest.mark.parametrize("fmt,read", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_gephi_files_have_unique_ids_names_and_the_stores_counts(client, loaded_store, tmp_path, fmt, read):
    nodes, pairs = store_graph_counts(loaded_store)
    path = tmp_path / f"coopgraph.{fmt}"
    path.write_bytes(client.get(f"/api/v1/exports/graph.{fmt}").content)
    graph = read(path)
    assert set(graph.nodes) == nodes and graph.number_of_nodes() == len(nodes)
    assert {frozenset(e) for e in graph.edges} == pairs and graph.number_of_edges() == len(pairs)
    assert {"network:c40", "cooperant:c40", "network:metropolis", "cooperant:metropolis"} <= set(graph.nodes)
    bid = graph.nodes["cooperant:bid"]
    assert bid["label"] == "BID BANCO INTERAMERICANO DE DESARROLLO" and bid["kind"] == "cooperant"
    money = loaded_store.read("MATCH (:Cooperant {id: 'bid'})-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(:DistrictEntity) "
                              "RETURN sum(c.total_cents) AS t")[0]["t"]
    assert int(bid["amount_cents"]) == money and float(bid["amount_cop"]) == pytest.approx(money / 100)
    assert all(graph.nodes[n]["label"] not in ("Cooperant", "DistrictEntity", "CityNetwork") for n in graph)


def test_igraph_reads_the_graphml_too(client, loaded_store, tmp_path):
    import igraph  # in the test extra: a missing install fails here rather than skipping
    nodes, pairs = store_graph_counts(loaded_store)
    path = tmp_path / "coopgraph.graphml"
    path.write_bytes(client.get("/api/v1/exports/graph.graphml").content)
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.vcount() == len(nodes) and g.ecount() == len(pairs)
    assert len(set(g.vs["id"])) == g.vcount()


def test_csv_is_gephis_edge_table_and_opens_in_excel_with_pesos_beside_centavos(client, loaded_store):
    body = client.get("/api/v1/exports/graph.csv").content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0])[:5] == ["Source", "Target", "Type", "Label", "Weight"]  # Gephi's edge-table import
    bid_scrd = next(r for r in rows if {r["Source"], r["Target"]} == {"cooperant:bid", "entity:scrd"})
    assert bid_scrd["Label"] == "funding" and bid_scrd["source_name"] and int(bid_scrd["Weight"]) >= 1
    assert bid_scrd["amount_cents"] == "269095200000" and bid_scrd["amount_cop"] == "2690952000.00"
    semicolon = client.get("/api/v1/exports/graph.csv?sep=semicolon").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(semicolon), delimiter=";"))
    bid_scrd = next(r for r in rows if {r["Source"], r["Target"]} == {"cooperant:bid", "entity:scrd"})
    assert bid_scrd["amount_cop"] == "2690952000,00"  # decimal comma for Excel set to Spanish
    assert client.get("/api/v1/exports/graph.csv?sep=tab").status_code == 422


def test_cors_is_off_unless_origins_are_set(client, loaded_home):
    asked = {"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    assert "access-control-allow-origin" not in client.get("/api/v1/summary", headers=asked).headers
    with TestClient(create_app(Settings(home=loaded_home, cors_origins="https://example.org, https://x.test"))) as open_:
        answer = open_.get("/api/v1/summary", headers=asked)
        assert answer.headers["access-control-allow-origin"] == "https://example.org"
        other = open_.get("/api/v1/summary", headers={"Origin": "https://evil.test"})
        assert "access-control-allow-origin" not in other.headers


def test_docs_render_offline(served_browser, live_url):  # noqa: F811
    import httpx

    b = served_browser
    spec = httpx.get(live_url + "/openapi.json").json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    b.driver.get(live_url + "/docs")
    deadline = time.monotonic() + 30
    while b.js("return document.querySelectorAll('.opblock').length") < operations:
        assert time.monotonic() < deadline, "Swagger UI did not draw every operation"
        time.sleep(0.1)
    assert "coopgraph" in b.js("return document.querySelector('.info .title').textContent")
    fetched = b.js("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [u for u in fetched if not u.startswith(live_url)] == []  # everything from coopgraph itself
    b.screenshot("docs-offline.png")
    b.driver.get(live_url + "/redoc")
    deadline = time.monotonic() + 30
    while not b.js("return document.querySelectorAll('[data-section-id]').length"):
        assert time.monotonic() < deadline, "ReDoc did not draw"
        time.sleep(0.1)


def test_gexf_is_version_1_3_with_attributes_named_as_titles(client, loaded_store):
    from xml.etree import ElementTree as ET

    root = ET.fromstring(client.get("/api/v1/exports/graph.gexf").content)
    ns = {"g": "http://gexf.net/1.3"}
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    declared = {a.get("id"): a.get("title") for a in root.iterfind(".//g:attribute", ns)}
    assert declared and all(i == t for i, t in declared.items())  # Gephi shows `kind`, not `0`
    bid = next(n for n in root.iterfind(".//g:node", ns) if n.get("id") == "cooperant:bid")
    values = {v.get("for"): v.get("value") for v in bid.iterfind(".//g:attvalue", ns)}
    assert "BANCO INTERAMERICANO DE DESARROLLO" in bid.get("label") and values["kind"] == "cooperant"
    assert set(values) <= set(declared)
