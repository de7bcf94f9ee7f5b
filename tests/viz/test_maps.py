"""Relationship maps and flow charts (coopgraph.viz), checked against the store and in a real browser.

Counts are recomputed here from the store with their own Cypher, independent of the viz code, and
compared with what the page's vis DataSets (or plotly's Sankey) hold. Browser tests run headless
Chromium with the network blocked (tests/support/browser.py) and skip only when Chromium or chromedriver is
absent. Screenshots land in tests/artifacts/.
"""
from __future__ import annotations

import html as htmllib
import re
import time
from collections import defaultdict

import pytest

from browser import Browser, browser, chromium_paths  # noqa: F401  (the fixture)
from conftest import run_cli
from coopgraph.money import format_cop
from coopgraph.settings import Settings
from coopgraph.viz import MapError, NodeNotFound, VIEWS, index_html, render_map
from coopgraph.viz import i18n
from coopgraph.viz.flows import flow_rows, sankey_variants
from coopgraph.viz.map_queries import all_queries
from coopgraph.viz.layout import positions
from coopgraph.viz.render import map_graph
from coopgraph.viz.views import resolve_id

REMOTE = re.compile(r"<(?:script|link|img|iframe|source|embed|object)\b[^>]{0,2000}?\b(?:src|href|data)\s*=\s*[\"']?\s*"
                    r"(?:https?:)?//", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)
NETWORK_RELATIONS = {"under_network", "took_part_in", "same_as", "section_of", "fee_paid_by", "channel", "member_of", "holds_role"}


# -- the store's own answer ------------------------------------------------------------------
PAIRS = {  # relation -> (kind a, kind b, cypher returning a, b)
    "funding": ("cooperant", "entity",
                "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)<-[:RECEIVED]-(e:DistrictEntity) RETURN o.id AS a, e.id AS b"),
    "advances-c": ("cooperant", "sdg",
                   "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)-[:ADVANCES]->(s:SDG) RETURN o.id AS a, s.number AS b"),
    "advances-e": ("entity", "sdg",
                   "MATCH (e:DistrictEntity)-[:RECEIVED]->(:Contribution)-[:ADVANCES]->(s:SDG) RETURN e.id AS a, s.number AS b"),
    "serves-c": ("cooperant", "pdd-objective",
                 "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)-[:SERVES]->(p:PDDObjective) RETURN o.id AS a, p.id AS b"),
    "serves-e": ("entity", "pdd-objective",
                 "MATCH (e:DistrictEntity)-[:RECEIVED]->(:Contribution)-[:SERVES]->(p:PDDObjective) RETURN e.id AS a, p.id AS b"),
    "channel-c": ("cooperant", "network",
                  "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)-[:THROUGH_NETWORK]->(n:CityNetwork) RETURN o.id AS a, n.id AS b"),
    "channel-e": ("network", "entity",
                  "MATCH (e:DistrictEntity)-[:RECEIVED]->(:Contribution)-[:THROUGH_NETWORK]->(n:CityNetwork) RETURN n.id AS a, e.id AS b"),
    "belongs_to": ("entity", "sector", "MATCH (e:DistrictEntity)-[:BELONGS_TO]->(s:Sector) RETURN e.id AS a, s.id AS b"),
    "part_of": ("entity", "entity", "MATCH (a:DistrictEntity)-[:PART_OF_ENTITY]->(b:DistrictEntity) RETURN a.id AS a, b.id AS b"),
    "took_part_in-e": ("entity", "engagement", "MATCH (e:DistrictEntity)-[:TOOK_PART_IN]->(g:Engagement) RETURN e.id AS a, g.id AS b"),
    "took_part_in-c": ("cooperant", "engagement", "MATCH (o:Cooperant)-[:TOOK_PART_IN]->(g:Engagement) RETURN o.id AS a, g.id AS b"),
    "under_network": ("engagement", "network", "MATCH (g:Engagement)-[:UNDER_NETWORK]->(n:CityNetwork) RETURN g.id AS a, n.id AS b"),
    "same_as": ("network", "cooperant", "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) RETURN n.id AS a, o.id AS b"),
    "section_of": ("network", "network", "MATCH (a:CityNetwork)-[:SECTION_OF]->(b:CityNetwork) RETURN a.id AS a, b.id AS b"),
    "fee_paid_by": ("network", "entity", "MATCH (n:CityNetwork)-[:FEE_PAID_BY]->(e:DistrictEntity) RETURN n.id AS a, e.id AS b"),
    "member_of": ("entity", "network", "MATCH (e:DistrictEntity)-[:MEMBER_OF]->(n:CityNetwork) RETURN e.id AS a, n.id AS b"),
    "holds_role": ("cooperant", "network", "MATCH (o:Cooperant)-[:HOLDS_ROLE]->(n:CityNetwork) RETURN o.id AS a, n.id AS b"),
    "aligned": ("pdd-objective", "sdg", "MATCH (p:PDDObjective)-[:ADVANCES]->(s:SDG) RETURN p.id AS a, s.number AS b"),
}
LABELS = {"cooperant": ("Cooperant", "id"), "entity": ("DistrictEntity", "id"), "network": ("CityNetwork", "id"),
          "engagement": ("Engagement", "id"), "sector": ("Sector", "id"), "sdg": ("SDG", "number"),
          "pdd-objective": ("PDDObjective", "id")}


def twins(store) -> dict[str, str]:
    """A cooperant that is also a network is drawn as the network: cooperant id -> network id."""
    return {f"cooperant:{r['o']}": f"network:{r['n']}"
            for r in store.read("MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) RETURN n.id AS n, o.id AS o")}


def store_nodes(store) -> set[str]:
    out = set()
    for kind, (label, key) in LABELS.items():
        out |= {f"{kind}:{r['k']}" for r in store.read(f"MATCH (n:{label}) RETURN n.{key} AS k")}
    return out - set(twins(store))


def store_pairs(store) -> dict[frozenset, set]:
    """Every pair of map nodes the store links, with the relations that link them."""
    pairs: dict[frozenset, set] = defaultdict(set)
    merged = twins(store)
    for relation, (ka, kb, cypher) in PAIRS.items():
        for row in store.read(cypher):
            a, b = f"{ka}:{row['a']}", f"{kb}:{row['b']}"
            a, b = merged.get(a, a), merged.get(b, b)
            if a != b:
                pairs[frozenset((a, b))].add(relation.split("-")[0])
    return pairs


def partners_of(store, center: str) -> set[str]:
    """Who the centre works with, read here with its own Cypher: for a network, whoever took part in its
    engagements (under it or a section of it, or with its cooperant side), pays its fee or is a member; for a
    cooperant, the entities in its engagements; for an entity, the cooperants in its engagements."""
    kind, key = center.split(":", 1)
    merged = twins(store)
    if kind == "network":
        engagements = ("MATCH (g:Engagement) WHERE EXISTS { MATCH (g)-[:UNDER_NETWORK]->(:CityNetwork {id: $k}) } "
                       "OR EXISTS { MATCH (g)-[:UNDER_NETWORK]->(:CityNetwork)-[:SECTION_OF]->(:CityNetwork {id: $k}) } "
                       "OR EXISTS { MATCH (:CityNetwork {id: $k})-[:SAME_AS]->(:Cooperant)-[:TOOK_PART_IN]->(g) } ")
        rows = [("entity", r["id"]) for r in store.read(engagements + "MATCH (x:DistrictEntity)-[:TOOK_PART_IN]->(g) "
                                                         "RETURN DISTINCT x.id AS id", {"k": key})]
        rows += [("cooperant", r["id"]) for r in store.read(engagements + "MATCH (x:Cooperant)-[:TOOK_PART_IN]->(g) "
                                                            "RETURN DISTINCT x.id AS id", {"k": key})]
        rows += [("entity", r["id"]) for r in store.read(
            "MATCH (x:DistrictEntity) WHERE EXISTS { MATCH (:CityNetwork {id: $k})-[:FEE_PAID_BY]->(x) } "
            "OR EXISTS { MATCH (x)-[:MEMBER_OF]->(:CityNetwork {id: $k}) } RETURN x.id AS id", {"k": key})]
    elif kind in ("cooperant", "entity"):
        own, other = ("Cooperant", "DistrictEntity") if kind == "cooperant" else ("DistrictEntity", "Cooperant")
        rows = [("entity" if kind == "cooperant" else "cooperant", r["id"]) for r in store.read(
            f"MATCH (:{own} {{id: $k}})-[:TOOK_PART_IN]->(:Engagement)<-[:TOOK_PART_IN]-(x:{other}) "
            "RETURN DISTINCT x.id AS id", {"k": key})]
    else:
        return set()
    found = {merged.get(f"{k}:{i}", f"{k}:{i}") for k, i in rows}
    return found - {center, merged.get(center, center)}


def expected(store, view: str, center: str | None = None, hops: int = 1) -> tuple[set, set]:
    nodes, pairs = store_nodes(store), store_pairs(store)
    if view == "overview":  # cooperants left without a link are listed beside the map, not drawn
        def direct(pair):
            kinds = {p.split(":")[0] for p in pair}
            return "cooperant" in kinds and kinds & {"sdg", "pdd-objective"}
        kept = {p for p in pairs if not direct(p)}
        linked = {n for p in kept for n in p}
        return {n for n in nodes if not n.startswith("cooperant:") or n in linked}, kept
    if view == "ego":
        reached, frontier = {center}, {center}
        for _ in range(hops):
            frontier = {x for p in pairs if p & frontier for x in p} - reached
            reached |= frontier
        reached |= partners_of(store, center)
        return reached, {p for p in pairs if p <= reached}
    networks = {n for n in nodes if n.startswith("network:")}
    keep = set(networks)
    for p, relations in pairs.items():
        if p & networks and relations & NETWORK_RELATIONS:
            keep |= p
    engagements = {n for n in keep if n.startswith("engagement:")}
    for p, relations in pairs.items():
        if p & engagements and "took_part_in" in relations:
            keep |= p
    return keep, {p for p, relations in pairs.items() if p <= keep and relations & NETWORK_RELATIONS}


def page_data(page: str) -> dict:
    import json

    found = re.search(r'<script type="application/json" id="coop-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def store(loaded_store):
    return loaded_store


@pytest.fixture(scope="module")
def pages(store, tmp_path_factory):
    """Every page once, written to files the browser opens from file://."""
    folder = tmp_path_factory.mktemp("maps")
    specs = {
        "overview": dict(view="overview"),
        "overview-en": dict(view="overview", lang="en"),
        "ego-bid": dict(view="ego", id="cooperant:bid"),
        "ego-sdg13": dict(view="ego", id="sdg:13", hops=2),
        "ego-pdd4": dict(view="ego", id="pdd-objective:4"),
        "ego-c40": dict(view="ego", id="network:c40", hops=2),
        "ego-sdm": dict(view="ego", id="entity:sdm"),
        "networks": dict(view="networks"),
        "flows": dict(view="flows"),
        "flows-en": dict(view="flows", lang="en"),
    }
    out = {}
    for name, spec in specs.items():
        spec = dict(spec)
        text = render_map(store, spec.pop("view"), **spec)
        path = folder / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        out[name] = (path, text)
    index = folder / "index.html"
    index.write_text(index_html("es", store=store), encoding="utf-8")
    out["index"] = (index, index.read_text(encoding="utf-8"))
    return out


# -- pages as text ---------------------------------------------------------------------------
def test_every_page_is_self_contained(pages):
    for name, (_, text) in pages.items():
        remote = REMOTE.findall(text)  # (asserting on the 5 MB page itself would make pytest diff it)
        assert remote == [], f"{name} loads something from the network"
        markup = SCRIPT.sub("", text)  # outside inlined libraries, no address at all
        assert [m for m in re.findall(r"(?:https?:)?//[\w.-]+\.\w+", markup)] == [], name
        assert text.startswith("<!DOCTYPE html>"), name
    assert "vis-network" in pages["overview"][1]  # inlined from the pyvis package
    assert "plotly.js v" in pages["flows"][1]  # inlined from the plotly package


def test_maps_hold_what_the_store_says(store, pages):
    for name, view, center, hops in [("overview", "overview", None, 1), ("ego-bid", "ego", "cooperant:bid", 1),
                                     ("ego-sdg13", "ego", "sdg:13", 2), ("ego-c40", "ego", "network:c40", 2),
                                     ("networks", "networks", None, 1)]:
        data = page_data(pages[name][1])
        nodes, pairs = expected(store, view, center, hops)
        assert {n["id"] for n in data["nodes"]} == nodes, name
        assert {frozenset((e["from"], e["to"])) for e in data["edges"]} == pairs, name
        assert len(data["edges"]) == len(pairs), name


def test_tooltips_write_money_the_colombian_way(store, pages):
    total = store.read("MATCH (o:Cooperant {id: 'bid'})-[:PROVIDED]->(c:Contribution) WHERE c.currency = 'COP' "
                       "RETURN sum(c.total_cents) AS t, sum(c.cooperant_cents) AS k")[0]
    bid = next(n for n in page_data(pages["overview"][1])["nodes"] if n["id"] == "cooperant:bid")
    assert f"Valor total: {format_cop(total['t'], cents=True)}" in bid["title"]
    assert f"Aporte del cooperante: {format_cop(total['k'], cents=True)}" in bid["title"]
    assert "País: Organismos internacionales" in bid["title"] and "Tipo: Cooperante — Multilateral" in bid["title"]
    english = next(n for n in page_data(pages["overview-en"][1])["nodes"] if n["id"] == "cooperant:bid")
    assert f"Total value: {format_cop(total['t'], cents=True)}" in english["title"]
    assert re.search(r"\$ \d{1,3}(\.\d{3})*,\d{2}", english["title"])


def test_colombian_formatting_matches_the_money_module():
    for cents in (0, 5, 99, 100, 123456789, 3405583324750, -12345, 10 ** 17 + 3):
        assert i18n.cop(cents) == format_cop(cents, cents=True)
    assert i18n.count(2000, "es") == "2.000" and i18n.count(2000, "en") == "2,000"


def test_index_links_every_map(store, pages):
    text = pages["index"][1]
    for view in ("overview", "networks", "flows"):
        assert f'href="/maps/{view}?lang=es"' in text
    assert 'href="/maps/ego?id=network%3Ac40&amp;lang=es"' in text
    assert "/maps/ego?id=sdg%3A13" in text and "/maps/ego?id=cooperant%3Abid" in text
    bare = index_html("en")
    assert '<html lang="en">' in bare and 'action="/maps/ego"' in bare and not REMOTE.findall(bare)


def test_ids_are_read_the_ways_people_write_them(store):
    graph = map_graph(store)
    assert resolve_id(graph, "bid") == "cooperant:bid"
    for text in ("sdg:13", "ods:13", "ods-13", "ODS 13", "sdg:ods-13"):
        assert resolve_id(graph, text) == "sdg:13", text
    assert resolve_id(graph, "pdd-objective:4") == "pdd-objective:pdd-2024-obj-4"
    assert resolve_id(graph, "pdd:pdd-2024-obj-4") == "pdd-objective:pdd-2024-obj-4"
    assert resolve_id(graph, "entidad:sdm") == "entity:sdm"
    with pytest.raises(NodeNotFound, match="several"):
        resolve_id(graph, "alamys")  # a cooperant and a city network
    with pytest.raises(NodeNotFound):
        resolve_id(graph, "cooperant:no-such-thing")


def test_bad_requests_are_map_errors(store):
    for kwargs in (dict(view="nope"), dict(view="overview", lang="fr"), dict(view="ego", id="cooperant:bid", hops=3),
                   dict(view="overview", max_nodes=0), dict(view="ego")):
        view = kwargs.pop("view")
        with pytest.raises(MapError):
            render_map(store, view, **kwargs)
    with pytest.raises(NodeNotFound):
        render_map(store, "ego", id="entity:nope")
    assert VIEWS == ("overview", "ego", "networks", "flows")


def test_big_views_are_trimmed_and_say_so(store):
    text = render_map(store, "overview", max_nodes=60)
    data = page_data(text)
    assert len(data["nodes"]) <= 60
    assert "Se muestran" in htmllib.unescape(text) and "Otros" in htmllib.unescape(text)
    kinds = {n["kind"] for n in data["nodes"]}
    assert {"sector", "sdg", "pdd-objective", "group"} <= kinds  # structure kept, the rest grouped
    groups = [n for n in data["nodes"] if n["kind"] == "group"]
    assert all(n["legend"].startswith("coop-") for n in groups)
    ego = page_data(render_map(store, "ego", id="sdg:11", hops=2, max_nodes=30))
    assert len(ego["nodes"]) <= 30 and ego["center"] == "sdg:11"
    assert any(n["id"] == "sdg:11" for n in ego["nodes"])


def test_flows_add_up_to_the_stores_totals(store):
    sums = store.read("MATCH (c:Contribution) WHERE c.monetary AND c.currency = 'COP' "
                      "RETURN sum(c.cooperant_cents) AS cooperant, sum(c.total_cents) AS total")[0]
    variants = sankey_variants(flow_rows(store), "es")
    assert len(variants) == 8
    for key, variant in variants.items():
        money = "cooperant" if key.endswith("cooperant") else "total"
        assert variant["total_cents"] == sums[money], key
        trace = variant["trace"]
        targets = set(trace["link"]["target"])
        first = sum(v for s, v in zip(trace["link"]["source"], trace["link"]["value"]) if s not in targets)
        last = sum(v for t, v in zip(trace["link"]["target"], trace["link"]["value"]) if t not in set(trace["link"]["source"]))
        assert first == pytest.approx(sums[money] / 100, abs=0.01) and last == pytest.approx(first, abs=0.01), key
    assert variants["type-sdg-cooperant"]["total"] == "$ 23.969.094.079,50"  # the report's Tabla 5


def test_map_cypher_is_clean_for_neo4j():
    """The maps read the store with plain Cypher that Neo4j accepts too (no Kùzu-only functions)."""
    from neo4j_lint import lint, node_ready

    ready, reason = node_ready()
    if not ready:
        pytest.skip(reason)
    queries = all_queries()
    found = lint(queries, {name: [] for name in queries})
    assert {name: d for name, d in found.items() if d} == {}
    assert "label(" not in " ".join(queries.values())


def test_layout_is_seeded_and_quick():
    import networkx as nx

    graph = nx.barabasi_albert_graph(2000, 1, seed=3)
    graph.add_nodes_from(range(2000, 2100))
    started = time.perf_counter()
    first = positions(graph)
    assert time.perf_counter() - started < 10
    assert first == positions(graph) and len(first) == 2100


# -- pages in a real browser -----------------------------------------------------------------
def visible_counts(b: Browser) -> dict:
    return b.js("return coopgraph.visible()")


def check_clean(b: Browser, name: str) -> None:
    assert b.severe_logs() == [], f"{name}: console errors"
    assert b.external_requests() == [], f"{name}: fetched from the network"


def test_overview_in_the_browser(browser, store, pages):  # noqa: F811
    path, text = pages["overview"]
    browser.open(path)
    nodes, pairs = expected(store, "overview")
    assert browser.js("return coopgraph.nodes.length") == len(nodes)
    assert browser.js("return coopgraph.edges.length") == len(pairs)
    assert visible_counts(browser) == {"nodes": len(nodes), "edges": len(pairs)}
    assert browser.js("return coopgraph.network.body.nodeIndices.length") == len(nodes)  # drawn, not only loaded
    browser.screenshot("overview.png")

    legend = browser.js("return Array.from(document.querySelectorAll('.legend-item')).map(b => b.dataset.legend)")
    assert {"entity", "network", "engagement", "sector", "sdg", "pdd-objective", "coop-multilateral"} <= set(legend)
    for facet in ("sector", "sdg", "year", "type"):
        assert browser.js(f"return document.querySelectorAll('#filter-{facet} option').length") >= 2, facet

    shown = browser.js("return coopgraph.setFilter('sector', 'movilidad')")
    assert 0 < shown["nodes"] < len(nodes) and shown["edges"] < len(pairs)
    assert browser.js("return coopgraph.nodeView.get().every(n => (n.facets.sector || []).includes('movilidad'))")
    assert browser.js("return coopgraph.network.body.nodeIndices.length") == shown["nodes"]
    browser.js("coopgraph.reset()")
    shown = browser.js("return coopgraph.setFilter('type', '40')")  # multilateral cooperants and who they worked with
    assert 0 < shown["nodes"] < len(nodes)
    browser.js("coopgraph.reset()")

    before = visible_counts(browser)["nodes"]
    count = browser.js("const b = document.querySelector('.legend-item[data-legend=\"engagement\"]'); b.click();"
                       "return Number(b.querySelector('.legend-count').textContent)")
    assert visible_counts(browser)["nodes"] == before - count
    browser.js("coopgraph.reset()")
    browser.js("document.getElementById('hide-isolated').click()")
    isolated = store.read("MATCH (o:Cooperant) WHERE NOT EXISTS { MATCH (o)--(x) WHERE label(x) <> 'Source' } RETURN count(o) AS n")[0]["n"]
    lone = [n for n in nodes if not any(n in p for p in pairs)]  # drawn without a link (not cooperants)
    assert visible_counts(browser)["nodes"] == len(nodes) - len(lone)
    # the cooperants without any link are a list beside the map, most interactions first
    listed = browser.js("return Array.from(document.querySelectorAll('.unlinked-list button')).map(b => b.dataset.id)")
    assert len(listed) == isolated == 200 and not set(listed) & nodes
    browser.js("document.querySelector('.unlinked-list button').click()")
    assert "ACNUR" in browser.js("return document.getElementById('details-body').textContent")
    browser.js("coopgraph.reset()")

    assert browser.js("return coopgraph.search('BID')") == "cooperant:bid"
    assert browser.js("return coopgraph.network.getSelectedNodes()") == ["cooperant:bid"]
    assert "BANCO INTERAMERICANO" in browser.js("return document.getElementById('details-body').textContent")
    assert browser.js("return coopgraph.search('no existe tal cosa')") is None
    assert "No se encontró" in browser.js("return document.getElementById('search-message').textContent")

    size = browser.js("return coopgraph.nodes.get('sector:movilidad').size")
    browser.js("const s = document.getElementById('size-by'); s.value = 'centrality'; s.dispatchEvent(new Event('change'))")
    assert browser.js("return coopgraph.nodes.get('sector:movilidad').size") != size
    check_clean(browser, "overview")


@pytest.mark.parametrize("name,center,hops", [("ego-bid", "cooperant:bid", 1), ("ego-sdg13", "sdg:13", 2),
                                              ("ego-pdd4", "pdd-objective:pdd-2024-obj-4", 1),
                                              ("ego-c40", "network:c40", 2), ("ego-sdm", "entity:sdm", 1)])
def test_ego_maps_in_the_browser(browser, store, pages, name, center, hops):  # noqa: F811
    browser.open(pages[name][0])
    nodes, pairs = expected(store, "ego", center, hops)
    assert browser.js("return [coopgraph.nodes.length, coopgraph.edges.length]") == [len(nodes), len(pairs)]
    assert browser.js("return coopgraph.network.getSelectedNodes()") == [center]
    assert browser.js("return document.querySelectorAll('.legend-item').length") >= 2
    if name == "ego-bid":
        browser.screenshot("ego-bid.png")
    sdg = browser.js("return document.querySelector('#filter-sdg option:nth-child(2)').value")
    shown = browser.js("return coopgraph.setFilter('sdg', arguments[0])", sdg)
    assert shown["nodes"] < len(nodes)
    check_clean(browser, name)


def test_networks_map_in_the_browser(browser, store, pages):  # noqa: F811
    browser.open(pages["networks"][0])
    nodes, pairs = expected(store, "networks")
    assert browser.js("return [coopgraph.nodes.length, coopgraph.edges.length]") == [len(nodes), len(pairs)]
    kinds = set(browser.js("return coopgraph.nodes.get().map(n => n.kind)"))
    assert {"network", "engagement", "entity", "cooperant"} <= kinds
    browser.screenshot("networks.png")
    legend = browser.js("return document.querySelectorAll('.legend-item').length")
    browser.js("document.querySelector('.legend-item[data-legend=\"engagement\"]').click()")
    assert visible_counts(browser)["nodes"] < len(nodes) and legend >= 4
    check_clean(browser, "networks")


def test_english_map_in_the_browser(browser, pages):  # noqa: F811
    browser.open(pages["overview-en"][0])
    assert browser.js("return document.documentElement.lang") == "en"
    labels = browser.js("return Array.from(document.querySelectorAll('.legend-label')).map(e => e.textContent)")
    assert "District entity" in labels and "City network" in labels
    assert browser.js("return document.querySelector('label[for=filter-type]').textContent") == "Organisation type"
    check_clean(browser, "overview-en")


def test_flows_in_the_browser(browser, store, pages):  # noqa: F811
    sums = store.read("MATCH (c:Contribution) WHERE c.monetary AND c.currency = 'COP' "
                      "RETURN sum(c.cooperant_cents) AS cooperant, sum(c.total_cents) AS total")[0]
    browser.open(pages["flows"][0])
    drawn = browser.js("return coopgraph.current()")
    variant = browser.js("return coopgraph.variants['type-sdg-cooperant']")
    assert drawn["nodes"] == variant["nodes"] == drawn["svgNodes"]
    assert drawn["links"] == variant["links"] == drawn["svgLinks"]
    assert drawn["total"] == pytest.approx(sums["cooperant"] / 100, abs=0.01)
    assert "$ 23.969.094.079,50" in browser.js("return document.getElementById('flows-total').textContent")
    browser.js("const s = document.getElementById('flows-target'); s.value = 'pdd'; s.dispatchEvent(new Event('change'))")
    browser.js("const s = document.getElementById('flows-money'); s.value = 'total'; s.dispatchEvent(new Event('change'))")
    drawn = browser.js("return coopgraph.current()")
    assert drawn["variant"] == "type-pdd-total"
    assert drawn["total"] == pytest.approx(sums["total"] / 100, abs=0.01)
    assert drawn["nodes"] == browser.js("return coopgraph.variants['type-pdd-total'].nodes")
    browser.screenshot("flows.png")
    check_clean(browser, "flows")
    browser.open(pages["flows-en"][0])
    assert "Total:" in browser.js("return document.getElementById('flows-total').textContent")
    check_clean(browser, "flows-en")


def test_index_in_the_browser(browser, pages):  # noqa: F811
    browser.driver.get(pages["index"][0].as_uri())
    links = browser.js("return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    assert "/maps/overview?lang=es" in links and any(link.startswith("/maps/ego?id=") for link in links)
    assert browser.severe_logs() == []


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    """A store of 12,000 synthetic interactions: about 2,500 cooperants, more than a map draws."""
    from coopgraph.graph.store.embedded import EmbeddedStore

    folder = tmp_path_factory.mktemp("synthetic-maps")
    home, path = folder / "home", folder / "synthetic.csv"
    assert run_cli(["synth", "-o", str(path), "--rows", "12000", "--cooperants", "5000", "--entities", "60"],
                   home).returncode == 0
    result = run_cli(["load", str(path)], home)
    assert result.returncode == 0, result.stderr
    s = EmbeddedStore(Settings(home=home))
    yield s
    s.close()


def test_a_2000_node_map_is_steady_within_seconds(browser, synthetic_store, tmp_path):  # noqa: F811
    total = len(store_nodes(synthetic_store))
    assert total > 2000
    text = render_map(synthetic_store, "overview", max_nodes=2000)
    data = page_data(text)
    assert len(data["nodes"]) == 2000
    assert data["options"]["physics"] == {"enabled": False}
    assert all("x" in n and "y" in n for n in data["nodes"])
    unlinked = synthetic_store.read("MATCH (o:Cooperant) WHERE NOT EXISTS { MATCH (o)--(x) WHERE label(x) <> 'Source' } "
                                    "RETURN count(o) AS n")[0]["n"]
    assert len(data["unlinked"]) == unlinked  # listed beside the map
    drawable = total - unlinked
    assert f"de {i18n.count(drawable, 'es')} nodos" in htmllib.unescape(text)  # the note says what was left out
    path = tmp_path / "synthetic-2000.html"
    path.write_text(text, encoding="utf-8")
    ready_ms = browser.open(path)
    assert ready_ms < 10_000, f"the 2,000-node map took {ready_ms:.0f} ms to draw"
    assert browser.js("return coopgraph.network.body.nodeIndices.length") == 2000
    positions_before = browser.js("return coopgraph.network.getPositions()")
    time.sleep(0.5)
    assert browser.js("return coopgraph.network.getPositions()") == positions_before  # physics off: steady
    browser.screenshot("synthetic-2000.png")
    check_clean(browser, "synthetic-2000")


def test_browser_helper_reports_what_is_missing(monkeypatch):
    monkeypatch.setenv("COOPGRAPH_TEST_CHROMEDRIVER", "")
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("COOPGRAPH_TEST_CHROMIUM", raising=False)
    _, _, reason = chromium_paths()
    assert "chromium" in reason and "chromedriver" in reason and "apt-get" in reason
