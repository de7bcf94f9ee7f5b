"""The API through the real app and the real embedded store."""
import json
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.settings import Settings

ERROR_KEYS = {"status", "code", "message", "details"}


@pytest.fixture(scope="module")
def client(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home, api_key="clave-de-prueba"))) as client:
        yield client


def exact(response):
    return json.loads(response.text, parse_float=Decimal)


def test_summary_endpoint_returns_the_reports_figures(client):
    response = client.get("/api/v1/summary")
    assert response.status_code == 200
    data = exact(response)
    assert data["interactions"] == 607 and data["monetary_contributions"] == 62
    assert data["total_cop"] == Decimal("34055833247.50") and data["currency"] == "COP"
    assert '"total_cop": 34055833247.50' in response.text  # an exact number, not a string or a float
    no_data = client.get("/api/v1/summary?year=2030")
    assert no_data.status_code == 404 and no_data.json()["message"] == "no data for 2030; the graph has data for 2024"


def test_etag_and_not_modified(client):
    first = client.get("/api/v1/summary")
    again = client.get("/api/v1/summary", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_one_error_shape_for_every_error(client, tmp_path):
    bad_param = client.get("/api/v1/summary?year=dosmil")
    assert bad_param.status_code == 422 and set(bad_param.json()) == ERROR_KEYS
    assert bad_param.json()["message"].startswith("year:")
    missing = client.get("/api/v1/queries/no-existe")
    assert missing.status_code == 404 and set(missing.json()) == ERROR_KEYS
    bad_query_param = client.get("/api/v1/queries/contributions_by_sector?from_year=dos")
    assert bad_query_param.status_code == 400 and set(bad_query_param.json()) == ERROR_KEYS
    unknown_route = client.get("/api/v1/nada")
    assert unknown_route.status_code == 404 and set(unknown_route.json()) == ERROR_KEYS
    with TestClient(create_app(Settings(home=tmp_path / "empty"))) as empty:
        response = empty.get("/api/v1/summary")
    assert response.status_code == 503 and set(response.json()) == ERROR_KEYS


def test_named_queries_run_with_typed_parameters(client):
    listed = client.get("/api/v1/queries").json()
    assert any(q["name"] == "contributions_by_sector" for q in listed)
    rows = client.get("/api/v1/queries/contributions_by_sector?from_year=2024&to_year=2024").json()["rows"]
    assert rows[0]["sector"] == "CULTURA, RECREACIÓN Y DEPORTE"


def test_cypher_needs_the_key_and_cannot_write(client, loaded_home):
    body = {"query": "MATCH (c:Cooperant) RETURN count(c) AS n"}
    assert client.post("/api/v1/cypher", json=body).status_code == 401
    assert client.post("/api/v1/cypher", json=body, headers={"X-API-Key": "otra"}).status_code == 401
    ok = client.post("/api/v1/cypher", json=body, headers={"X-API-Key": "clave-de-prueba"})
    assert ok.status_code == 200 and ok.json()["rows"][0]["n"] > 270
    write = client.post("/api/v1/cypher", json={"query": "CREATE (:Sector {id: 'x', name: 'X'})"},
                        headers={"X-API-Key": "clave-de-prueba"})
    assert write.status_code == 400 and write.json()["message"].startswith("refused: CREATE is not allowed")
    with TestClient(create_app(Settings(home=loaded_home))) as no_key:
        off = no_key.post("/api/v1/cypher", json=body, headers={"X-API-Key": "clave-de-prueba"})
    assert off.status_code == 403 and set(off.json()) == ERROR_KEYS


def test_a_reload_refreshes_cached_answers(tmp_path):
    from conftest import run_cli

    home = tmp_path / "home"
    assert run_cli(["load"], home).returncode == 0
    with TestClient(create_app(Settings(home=home))) as client:
        before = exact(client.get("/api/v1/summary"))["interactions"]
        csv = tmp_path / "globo-2025.csv"
        csv.write_text("año,entidad_distrital,cooperante\n2025,SDM,BANCO MUNDIAL\n", encoding="utf-8")
        assert run_cli(["load", str(csv)], home).returncode == 0
        assert exact(client.get("/api/v1/summary"))["interactions"] == before + 1
        # the loaded file is cited by its name, never by where it sits on the host
        entity = client.get("/api/v1/organisations/entity/sdm?limit=1000").text
        facts = client.get("/api/v1/facts?limit=1000").text
        assert "globo-2025.csv" in entity + facts
        assert str(tmp_path) not in entity + facts


def test_organisations_filter_and_page(client):
    page = client.get("/api/v1/organisations?kind=cooperant&country=FR&limit=3").json()
    assert page["total"] >= 5 and len(page["items"]) == 3
    assert all(item["country"] == "FR" and item["kind"] == "Cooperant" for item in page["items"])
    second = client.get("/api/v1/organisations?kind=cooperant&country=FR&limit=3&offset=3").json()
    assert {i["id"] for i in page["items"]}.isdisjoint(i["id"] for i in second["items"])
    sector = client.get("/api/v1/organisations?kind=entity&sector=movilidad").json()
    assert "sdm" in {i["id"] for i in sector["items"]}
    bad = client.get("/api/v1/organisations?kind=planeta")
    assert bad.status_code == 422 and bad.json()["message"].startswith("kind:")


def test_one_organisation_with_neighbours_and_sources(client):
    bid = exact(client.get("/api/v1/organisations/cooperant/bid"))
    assert bid["profile"]["total_cents"] > 0
    neighbours = {n["neighbour_id"] for n in bid["neighbours"]}
    assert {"sed", "sdht"} <= neighbours or len(neighbours) >= 6
    assert any(s["source_id"] == "informe-2024/tabla-5" for s in bid["sources"])
    missing = client.get("/api/v1/organisations/cooperant/no-existe")
    assert missing.status_code == 404 and set(missing.json()) == ERROR_KEYS


def test_search_ignores_accents_and_case(client):
    names = {hit["name"] for hit in client.get("/api/v1/search?q=metropolis").json()}
    assert any("METRÓPOLIS" in n.upper() for n in names)
    assert client.get("/api/v1/search?q=").status_code == 422


def test_flows_by_each_dimension_add_up(client):
    for by in ("sector", "sdg", "pdd_objective", "org_type", "country"):
        rows = exact(client.get(f"/api/v1/flows?by={by}&year=2024"))["rows"]
        assert sum(r["total_cop"] for r in rows) == Decimal("34055833247.50"), by
    assert client.get("/api/v1/flows?by=planeta").status_code == 422


def test_analytics_has_the_reports_shape(client):
    data = client.get("/api/v1/analytics").json()
    assert {"centrality", "communities", "concentration", "gaps", "flows"} <= set(data)
    answer = client.get("/api/v1/flows/sankey")
    sankey = answer.json()
    assert sankey.pop("data_version") == answer.headers["x-coopgraph-data-version"]  # which load it comes from
    assert sankey == data["flows"]


def test_graph_exports(client):
    import networkx as nx
    import io

    node_link = client.get("/api/v1/exports/graph.json?sector=movilidad").json()
    assert any(n["id"] == "entity:sdm" for n in node_link["nodes"])
    graphml = client.get("/api/v1/exports/graph.graphml")
    graph = nx.read_graphml(io.BytesIO(graphml.content))
    assert graph.number_of_nodes() > 100 and "cooperant:bid" in graph
    assert client.get("/api/v1/exports/graph.gexf").content.startswith(b"<?xml")
    assert client.get("/api/v1/exports/graph.csv").text.startswith("\ufeffSource,Target,Type,Label,Weight")  # BOM: Excel; Gephi
    assert client.get("/api/v1/exports/graph.pdf").status_code == 422


def test_maps_are_served_offline(client):
    import re

    index = client.get("/maps")
    assert index.status_code == 200 and "/maps/overview" in index.text and "/maps/flows" in index.text
    assert client.get("/", follow_redirects=False).headers["location"] == "/maps"
    for view in ("overview", "networks", "flows"):
        page = client.get(f"/maps/{view}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), view
        assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', page.text), view
    assert client.get("/maps/ego?id=cooperant:bid").status_code == 200
    missing = client.get("/maps/ego?id=cooperant:no-existe")  # a page for people: its error is a page too
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "cooperant:no-existe" in missing.text and 'href="/maps?lang=es"' in missing.text
    assert set(client.get("/api/v1/profiles/cooperant/no-existe").json()) == ERROR_KEYS  # the API keeps its JSON
    assert client.get("/maps/planeta").status_code == 400


def test_an_engine_crash_is_a_server_fault_and_the_api_stays_up(client):
    bounded = client.get("/api/v1/queries/organisations?skip=999999&limit=5")  # the bound keeps the engine whole
    assert bounded.status_code == 400 and "between 0 and 10000" in bounded.json()["message"]
    crash = client.post("/api/v1/cypher", headers={"X-API-Key": "clave-de-prueba"},  # segfaults LadybugDB 0.22
                        json={"query": "MATCH (n:Cooperant) RETURN n.id AS id ORDER BY id SKIP 999999 LIMIT 5"})
    # the engine segfaults on it in a fresh process, not always in a warm worker (then: no rows)
    assert (crash.status_code == 500 and crash.json()["code"] == "engine_crashed") or \
        (crash.status_code == 200 and crash.json()["rows"] == [])
    assert client.get("/api/v1/summary").status_code == 200
    after = client.post("/api/v1/cypher", headers={"X-API-Key": "clave-de-prueba"},
                        json={"query": "MATCH (s:Sector) RETURN count(s) AS n"})
    assert after.status_code == 200 and after.json()["rows"][0]["n"] >= 10  # the next query answers


def test_parameters_are_typed_and_bounded(client):
    c40 = client.get("/api/v1/queries/network_engagements?network_id=c40&with_sections=false").json()["rows"]
    with_sections = client.get("/api/v1/queries/network_engagements?network_id=c40&with_sections=true").json()["rows"]
    assert len(c40) == 15 and len(with_sections) == 17  # "false" is false, not a non-empty string
    maybe = client.get("/api/v1/queries/network_engagements?with_sections=quizas")
    assert maybe.status_code == 400 and "true or false" in maybe.json()["message"]
    far = client.get("/api/v1/queries/organisations?skip=100000")
    assert far.status_code == 400 and "between 0 and 10000" in far.json()["message"]
    inverted = client.get("/api/v1/queries/contributions_by_sector?from_year=2025&to_year=2024")
    assert inverted.status_code == 400 and "after to_year" in inverted.json()["message"]


def test_keys_bodies_and_busy_processes(client, loaded_home):
    from coopgraph.api.limits import QuerySlots
    from coopgraph.settings import SettingsError

    body = {"query": "MATCH (c:Cooperant) RETURN count(c) AS n"}
    accented = client.post("/api/v1/cypher", json=body, headers={"X-API-Key": "clavé-de-prueba".encode("utf-8")})
    assert accented.status_code == 401 and set(accented.json()) == ERROR_KEYS
    huge = client.post("/api/v1/cypher", content=b"x" * 1_000_000, headers={"Content-Type": "application/json"})
    assert huge.status_code == 413 and huge.json()["code"] == "body_too_large"  # before the key is even looked at
    with pytest.raises(SettingsError):
        create_app(Settings(home=loaded_home, api_key="  "))
    slots = client.app.state.query_slots
    client.app.state.query_slots = QuerySlots(1, wait_s=0.05)
    try:
        with client.app.state.query_slots.slot():  # every process busy
            busy = client.post("/api/v1/cypher", json=body, headers={"X-API-Key": "clave-de-prueba"})
    finally:
        client.app.state.query_slots = slots
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1" and busy.json()["code"] == "busy"


def test_the_summary_does_not_wait_for_named_queries_in_flight(loaded_home, monkeypatch):
    """30 distinct uncached named queries in flight, held until the summary has answered: the summary
    does not wait for them (bench/bench_api_abuse.py prints the latency figures)."""
    import threading

    from coopgraph.api.routers import queries

    release = threading.Event()
    real = queries.run_isolated

    def held(*args, **kwargs):
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "run_isolated", held)
    app = create_app(Settings(home=loaded_home, api_query_processes=2, api_queue_wait_s=300))
    with TestClient(app) as client:
        done: list[int] = []
        threads = [threading.Thread(target=lambda i=i: done.append(
            client.get(f"/api/v1/queries/top_cooperants_by_amount?limit={i + 1}"))) for i in range(30)]
        for thread in threads:
            thread.start()
        summary = client.get("/api/v1/summary?from_year=2024&to_year=2024")
        finished_before_summary = len(done)
        release.set()
        for thread in threads:
            thread.join()
    assert summary.status_code == 200 and exact(summary)["interactions"] == 607
    assert finished_before_summary == 0 and len(done) == 30 and [r.text for r in done if r.status_code != 200] == []


def test_a_graph_file_of_a_slice_that_names_nothing_is_refused(loaded_home):
    """Found by the OpenAPI fuzz: an unknown network (here a control character) answered 500 from the GraphML writer."""
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        for query in ("network=%1F", "sector=nada", "network=nada"):
            answer = client.get(f"/api/v1/exports/graph.graphml?{query}")
            assert answer.status_code == 404 and answer.json()["code"], query
        assert client.get("/api/v1/exports/graph.graphml?network=c40").status_code == 200
