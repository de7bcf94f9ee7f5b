"""Network analytics on the bundled 2024 data: what the report lets us know, and the invariants."""
import copy
import doctest
import json
from collections import defaultdict

import networkx as nx
import pytest

from coopgraph.analysis import analytics, projections
from coopgraph.analysis.analytics import analyze, cut_structure, hhi
from coopgraph.cli.analytics_markdown import render_markdown
from coopgraph.analysis.projections import cooperant_projection, entity_projection, organisation_graph

TOTAL_2024_CENTS = 3405583324750
COUNTERPART_2024_CENTS = 1008673916800
KEYS = {"centrality", "communities", "concentration", "gaps", "flows", "counterpart_ratio",
        "single_points_of_failure", "dependency_warnings", "kcore", "co_funding", "meta"}


@pytest.fixture(scope="module")
def store(loaded_store):
    return loaded_store


@pytest.fixture(scope="module")
def report(store):
    return analyze(store, 2024, 2024)


@pytest.fixture(scope="module")
def graph(store):
    return organisation_graph(store, 2024, 2024)


def without_timings(result: dict) -> dict:
    result = copy.deepcopy(result)
    result["meta"].pop("seconds")
    return result


# -- what the 2024 report lets us know -------------------------------------------------------

def test_bid_works_with_the_most_district_entities(graph, report):
    cooperants = {n: graph.degree(n) for n, kind in graph.nodes(data="kind") if kind == "cooperant"}
    best = max(cooperants, key=cooperants.get)
    assert best == "cooperant:bid"
    assert sorted(cooperants.values())[-2] < cooperants["cooperant:bid"]  # alone at the top
    entities = [n for n in graph["cooperant:bid"] if graph.nodes[n]["kind"] == "entity"]
    assert len(entities) == 6
    ranked = [e for e in report["centrality"]["degree"] if e["kind"] == "cooperant"]
    assert ranked[0]["id"] == "cooperant:bid" and ranked[0]["name"].startswith("BID")


def test_culture_is_the_sector_with_the_most_money(report):
    sectors = report["concentration"]["sectors"]
    assert sectors[0]["id"] == "sector:cultura"
    assert sectors[0]["name"] == "CULTURA, RECREACIÓN Y DEPORTE"
    assert sectors[0]["total_cents"] == 1266682882100
    into_sector = defaultdict(int)
    for link in report["flows"]["links"]:
        if link["stage"] == "country-sector":
            into_sector[link["target"]] += link["value_cents"]
    assert max(into_sector, key=into_sector.get) == "sector:cultura"
    assert into_sector["sector:cultura"] == 1266682882100


def test_mobility_depends_on_metropolis(report):
    movilidad = next(s for s in report["concentration"]["sectors"] if s["id"] == "sector:movilidad")
    assert movilidad["hhi"] > 0.9
    assert movilidad["top_cooperant"] == {"id": "cooperant:metropolis", "name": "ASOCIACIÓN MUNDIAL DE GRANDES METRÓPOLIS"}
    assert movilidad["top_share"] == pytest.approx(1207248511800 / 1220625511800, abs=1e-6)
    assert movilidad["cooperants"] == 2
    sdm = next(e for e in report["concentration"]["entities"] if e["id"] == "entity:sdm")
    assert sdm["top_cooperant"]["id"] == "cooperant:metropolis" and sdm["hhi"] > 0.9
    assert any(w.startswith("MOVILIDAD depende en 98,9 % de ASOCIACIÓN MUNDIAL DE GRANDES METRÓPOLIS")
               for w in report["dependency_warnings"])


def test_alignment_gaps(report):
    gaps = report["gaps"]
    without = {e["number"] for e in gaps["sdg"] if e["cooperants"] == 0}
    assert {2, 6, 9, 12, 14, 15} == without  # ODS 14 has nothing at all; the others only non-monetary tallies
    ods13 = next(e for e in gaps["sdg"] if e["number"] == 13)
    assert ods13["cooperant"]["id"] == "cooperant:metropolis" and ods13["total_cents"] == 1207248511800
    assert next(e for e in gaps["sdg"] if e["number"] == 2)["interactions"] == 2
    assert gaps["pdd_programs_linked_contributions"] is False  # no contribution names its PDD program
    assert all(e["status"] != "ok" for key in ("sdg", "pdd_objectives", "pdd_programs") for e in gaps[key])


def test_counterpart_ratio(report):
    ratio = report["counterpart_ratio"]
    assert ratio["overall"]["counterpart_cents"] == COUNTERPART_2024_CENTS
    assert ratio["overall"]["total_cents"] == TOTAL_2024_CENTS
    assert sum(e["counterpart_cents"] for e in ratio["entities"]) == COUNTERPART_2024_CENTS
    assert all(0 <= e["ratio"] <= 1 for e in ratio["entities"])
    idt = next(e for e in ratio["entities"] if e["id"] == "entity:idt")
    assert idt["ratio"] == 1.0  # the district paid all of it: GNLC put no money in


# -- invariants ----------------------------------------------------------------------------

def test_analyze_has_every_key(report):
    assert KEYS <= set(report)
    assert set(report["centrality"]) >= {"degree", "weighted_degree", "strength_cents", "betweenness", "pagerank",
                                         "closeness"}
    for ranked in report["centrality"].values():
        assert 0 < len(ranked) <= 20
        assert all(set(e) >= {"id", "name", "score"} for e in ranked)
        assert [e["score"] for e in ranked] == sorted((e["score"] for e in ranked), reverse=True)
    assert set(report["single_points_of_failure"]) >= {"bridges", "articulation_points"}
    meta = report["meta"]
    assert meta["years"]["with_contributions"] == [2024]
    assert meta["money"]["total_cents"] == TOTAL_2024_CENTS and meta["money"]["monetary_contributions"] == 62
    assert meta["algorithms"]["betweenness"]["exact"] and meta["algorithms"]["closeness"]["exact"]
    assert all(isinstance(v, float) for v in meta["seconds"].values())
    json.dumps(report)  # JSON-ready as it is


def test_shares_sum_to_one_and_hhi_is_bounded(report):
    for label in ("entities", "sectors"):
        for e in report["concentration"][label]:
            assert sum(s["amount_cents"] for s in e["shares"]) + e["others_cents"] == e["total_cents"]
            assert sum(s["share"] for s in e["shares"]) + e["others_share"] == pytest.approx(1, abs=1e-5)
            assert 0 <= e["hhi"] <= 1
            assert e["hhi"] >= 1 / e["cooperants"] - 1e-6  # n equal funders is the floor
            if not e["others_cents"]:
                assert e["hhi"] == pytest.approx(sum(s["share"] ** 2 for s in e["shares"]), abs=1e-5)
            assert e["top_share"] == e["shares"][0]["share"]


def test_hhi_is_exact():
    assert hhi([1, 1, 1, 1]) == 0.25
    assert hhi([5]) == 1.0
    assert hhi([]) is None and hhi([0]) is None


def test_communities_partition_the_graph(report):
    members = [m["id"] for c in report["communities"] for m in c["members"]]
    assert len(members) == len(set(members)) == report["meta"]["nodes"]
    assert sum(c["size"] for c in report["communities"]) == report["meta"]["nodes"]
    assert [c["id"] for c in report["communities"]] == list(range(1, len(report["communities"]) + 1))


def test_communities_cover_exactly_the_graphs_nodes(graph, report):
    members = {m["id"] for c in report["communities"] for m in c["members"]}
    assert members == set(graph.nodes)


def test_two_runs_give_the_same_report(store, report):
    assert without_timings(analyze(store, 2024, 2024)) == without_timings(report)


def test_sampled_betweenness_is_seeded_and_says_so(store):
    first = analyze(store, betweenness_sample=10, seed=7)
    second = analyze(store, betweenness_sample=10, seed=7)
    assert without_timings(first) == without_timings(second)
    how = first["meta"]["algorithms"]["betweenness"]
    assert how == {"exact": False, "sample": 10, "seed": 7, "weight": None, "normalized": True}
    assert first["meta"]["algorithms"]["closeness"]["exact"] is False


def test_flows_conserve_money(report):
    flows = report["flows"]
    assert flows["monetary_total_cents"] == TOTAL_2024_CENTS
    for stage in flows["stages"]:  # every 2024 contribution has a cooperant, sector, entity, ODS and PDD objective
        assert stage["total_cents"] == TOTAL_2024_CENTS, stage["id"]
        assert stage["conserved"]
        assert stage["missing_target_cents"] == 0 or stage["target"] == "country"  # international bodies
    inflow, outflow = defaultdict(int), defaultdict(lambda: defaultdict(int))
    for link in flows["links"]:
        inflow[(link["stage"], link["target"])] += link["value_cents"]
        outflow[link["stage"]][link["source"]] += link["value_cents"]
    chain = ["iati_type-country", "country-sector", "sector-entity"]
    for into, out in zip(chain, chain[1:]):
        for node, cents in outflow[out].items():
            assert inflow[(into, node)] == cents, node
    for last in ("entity-sdg", "entity-pdd_objective"):
        for node, cents in outflow[last].items():
            assert inflow[("sector-entity", node)] == cents, node
    ids = {n["id"] for n in flows["nodes"]}
    assert all(link["source"] in ids and link["target"] in ids for link in flows["links"])
    assert all(isinstance(link["value_cents"], int) for link in flows["links"])


def test_single_points_of_failure_match_networkx(graph, report):
    pieces, bridges = cut_structure(graph)
    assert set(pieces) == set(nx.articulation_points(graph))
    assert {frozenset((b["u"], b["v"])) for b in bridges} == {frozenset(e) for e in nx.bridges(graph)}
    points = report["single_points_of_failure"]
    assert points["articulation_point_count"] == len(pieces)
    assert points["bridge_count"] == len(bridges) == points["leaf_bridges"] + len(points["bridges"])
    scrd = next(p for p in points["articulation_points"] if p["id"] == "entity:scrd")
    assert scrd["separated_nodes"] > 10  # most of culture's cooperants work with no one else


def test_kcore(graph, report):
    core = report["kcore"]
    assert core["max_k"] == max(nx.core_number(graph).values())
    assert sum(d["nodes"] for d in core["distribution"]) == graph.number_of_nodes()


# -- projections ---------------------------------------------------------------------------

def test_organisation_graph_ids_and_money(graph):
    kinds = {graph.nodes[n]["kind"] for n in graph}
    assert kinds == {"entity", "cooperant", "network"}
    assert all(n == f"{graph.nodes[n]['kind']}:{graph.nodes[n]['id']}" for n in graph)
    assert sum(a for *_, a in graph.edges(data="amount_cents")) == TOTAL_2024_CENTS
    assert sum(c for *_, c in graph.edges(data="count")) == 62
    edge = graph.edges["cooperant:metropolis", "entity:sdm"]
    assert (edge["amount_cents"], edge["count"], edge["relation"]) == (1207248511800, 1, "funding")
    assert graph.edges["network:metropolis", "cooperant:metropolis"]["same_as"]
    assert graph.nodes["cooperant:bid"]["iati_type"] == 40
    assert graph.nodes["entity:sdm"]["sector"] == "movilidad"


def test_slices(store):
    mobility = organisation_graph(store, 2024, 2024, sector_id="movilidad")
    assert {n for n, k in mobility.nodes(data="kind") if k == "entity"} == {"entity:sdm"}
    assert {n for n, k in mobility.nodes(data="kind") if k == "cooperant"} == {"cooperant:metropolis",
                                                                                "cooperant:banco-mundial"}
    assert sum(a for *_, a in mobility.edges(data="amount_cents")) == 1220625511800
    climate = organisation_graph(store, sdg=13)
    assert sum(a for *_, a in climate.edges(data="amount_cents")) == 1207248511800
    network = organisation_graph(store, network_id="metropolis")
    assert "network:metropolis" in network and network.has_edge("cooperant:metropolis", "entity:sdm")
    assert organisation_graph(store, 2023, 2023).number_of_nodes() == 0


def test_an_empty_year_analyses_cleanly(store):
    empty = analyze(store, 2023, 2023)
    assert empty["meta"]["nodes"] == 0 and empty["meta"]["money"]["total_cents"] == 0
    assert empty["communities"] == [] and empty["flows"]["links"] == []
    assert "Análisis" in render_markdown(empty)


def test_bipartite_projections(graph):
    cooperants = cooperant_projection(graph=graph)
    entities = entity_projection(graph=graph)
    assert {cooperants.nodes[n]["kind"] for n in cooperants} == {"cooperant"}
    assert {entities.nodes[n]["kind"] for n in entities} == {"entity"}

    def funders(n):
        return {m for m in graph[n] if graph.edges[n, m]["count"] and graph.nodes[m]["kind"] == "cooperant"}

    for a, b, shared in entities.edges(data="weight"):
        assert shared == len(funders(a) & funders(b)) > 0
    assert entities.edges["entity:scrd", "entity:sed"]["weight"] == 2  # BID and UNESCO fund both
    overlap = entity_projection(graph=graph, method="overlap")
    assert all(0 < w <= 1 for *_, w in overlap.edges(data="weight"))
    with pytest.raises(ValueError):
        entity_projection(graph=graph, method="nope")


class Recording:
    """A store that remembers every Cypher text it was asked to run."""

    def __init__(self, store):
        self.store, self.texts = store, {}
        self.dialect = store.dialect

    def read(self, cypher, params=None, **kwargs):
        self.texts.setdefault(" ".join(cypher.split()), sorted(params or {}))
        return self.store.read(cypher, params, **kwargs)


def test_slices_reach_every_part_of_the_analysis(store):
    recording = Recording(store)
    mobility = analyze(recording, sector_id="movilidad")
    assert mobility["meta"]["money"]["total_cents"] == 1220625511800
    assert all(s["total_cents"] == 1220625511800 for s in mobility["flows"]["stages"])
    assert [s["id"] for s in mobility["concentration"]["sectors"]] == ["sector:movilidad"]
    climate = analyze(recording, sdg=13)
    assert climate["meta"]["money"]["total_cents"] == 1207248511800
    through = analyze(recording, network_id="metropolis")
    assert through["meta"]["money"]["total_cents"] == 1207248511800
    assert "network:metropolis" in {e["id"] for e in through["centrality"]["degree"]}
    assert len(recording.texts) > 10


def test_every_cypher_text_is_clean_for_neo4j(store):
    """The same texts run on Neo4j 5: lint them with Neo4j's language service when it is installed."""
    from neo4j_lint import lint, node_ready

    ready, reason = node_ready()
    if not ready:
        pytest.skip(reason)
    recording = Recording(store)
    analyze(recording, 2024, 2024)
    analyze(recording, sector_id="cultura", sdg=4, network_id="c40")
    cooperant_projection(recording, network_id="c40")
    found = lint({f"q{i}": text for i, text in enumerate(recording.texts)},
                 {f"q{i}": params for i, params in enumerate(recording.texts.values())})
    dirty = {list(recording.texts)[int(name[1:])]: d for name, d in found.items() if d}
    assert dirty == {}


# -- the report ------------------------------------------------------------------------------

def test_markdown_report_is_spanish_and_colombian(report):
    text = render_markdown(report)
    assert text.startswith("# Análisis de la red de cooperación internacional de Bogotá, 2024")
    assert "$ 34.055.833.247,50" in text
    assert "MOVILIDAD depende en 98,9 % de ASOCIACIÓN MUNDIAL DE GRANDES METRÓPOLIS" in text
    for heading in ("## Intermediarios", "## Comunidades", "## Alertas de dependencia", "## Brechas de alineación",
                    "## Flujos principales del dinero"):
        assert heading in text
    assert "**Comunidad 1**" in text


def test_doctests():
    from coopgraph.analysis import concentration, shares

    for module in (concentration, projections, shares):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
    assert doctest.testmod(analytics).failed == 0
