"""Partner prospecting on the bundled 2024 data; every claim is checked against the store with its own Cypher."""
import json

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.analysis.prospects import UnknownTarget, prospects
from coopgraph.settings import Settings
from conftest import run_cli

TARGETS = ["entity:sda", "entity:sdm", "sector:ambiente", "sdg:13", "pdd-objective:4", "network:c40"]
# how each kind of graph id is found in the store: label and key property
LOOKUP = {"entity": ("DistrictEntity", "id"), "cooperant": ("Cooperant", "id"), "network": ("CityNetwork", "id"),
          "engagement": ("Engagement", "id"), "sector": ("Sector", "id"), "sdg": ("SDG", "number"),
          "pdd-objective": ("PDDObjective", "number"), "pdd-program": ("PDDProgram", "id"),
          "contribution": ("Contribution", "id")}
# a cooperant is engaged with a target when one of these finds it ($target is the target's store key)
_ENTITY_WORKS = [  # how an entity ($target) works with cooperants beyond money, as each query finds them
    "MATCH (o:Cooperant)-[:TOOK_PART_IN]->(:Engagement)<-[:TOOK_PART_IN]-(e:DistrictEntity) WHERE {e} RETURN DISTINCT o.id AS id",
    "MATCH (e:DistrictEntity)-[:TOOK_PART_IN]->(:Engagement)-[:UNDER_NETWORK]->(n:CityNetwork)-[:SAME_AS]->(o:Cooperant) "
    "WHERE {e} RETURN DISTINCT o.id AS id",
    "MATCH (o:Cooperant)<-[:SAME_AS]-(n:CityNetwork)-[:FEE_PAID_BY]->(e:DistrictEntity) WHERE {e} RETURN DISTINCT o.id AS id",
    "MATCH (e:DistrictEntity)-[:MEMBER_OF]->(n:CityNetwork)-[:SAME_AS]->(o:Cooperant) WHERE {e} RETURN DISTINCT o.id AS id",
    "MATCH (e:DistrictEntity)-[:RECEIVED]->(:Contribution)-[:THROUGH_NETWORK]->(n:CityNetwork)-[:SAME_AS]->(o:Cooperant) "
    "WHERE {e} RETURN DISTINCT o.id AS id",
]
IN_SECTOR = "EXISTS { MATCH (e)-[:BELONGS_TO]->(:Sector {id: $target}) }"
ENGAGED = {
    "entity": ["MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)<-[:RECEIVED]-(e:DistrictEntity) WHERE e.id = $target "
               "RETURN DISTINCT o.id AS id", *(q.format(e="e.id = $target") for q in _ENTITY_WORKS)],
    "sdg": "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)-[:ADVANCES]->(g:SDG) WHERE g.number = $target "
           "RETURN DISTINCT o.id AS id",
    "pdd-objective": "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)-[:SERVES]->(p:PDDObjective) "
                     "WHERE p.number = $target RETURN DISTINCT o.id AS id",
    "sector": ["MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
               "OPTIONAL MATCH (e)-[:BELONGS_TO]->(s:Sector) WITH o, c, s WHERE c.sector_id = $target OR s.id = $target "
               "RETURN DISTINCT o.id AS id", *(q.format(e=IN_SECTOR) for q in _ENTITY_WORKS)],
    "network": ["MATCH (o:Cooperant)-[:TOOK_PART_IN]->(:Engagement)-[:UNDER_NETWORK]->(n:CityNetwork) "
                "WHERE n.id = $target RETURN DISTINCT o.id AS id",
                "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) WHERE n.id = $target RETURN o.id AS id",
                "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)-[:THROUGH_NETWORK]->(n:CityNetwork) "
                "WHERE n.id = $target RETURN DISTINCT o.id AS id"],
}


@pytest.fixture(scope="module")
def store(loaded_store):
    return loaded_store


@pytest.fixture(scope="module")
def answers(store):
    return {t: prospects(store, t, top=500) for t in TARGETS}


def store_key(kind: str, raw: str):
    return int(raw) if LOOKUP[kind][1] == "number" else raw


def engaged_in_store(store, target: str) -> set[str]:
    kind, _, raw = target.partition(":")
    queries = ENGAGED[kind] if isinstance(ENGAGED[kind], list) else [ENGAGED[kind]]
    return {f"cooperant:{r['id']}" for q in queries for r in store.read(q, {"target": store_key(kind, raw)})}


def test_no_prospect_is_already_engaged_with_its_target(store, answers):
    for target, result in answers.items():
        engaged = engaged_in_store(store, target)
        proposed = {p["id"] for p in result["prospects"]}
        assert proposed, f"{target}: no prospects at all"
        assert not proposed & engaged, f"{target}: proposes cooperants already engaged: {proposed & engaged}"
        assert result["engaged"] == len(engaged), target


def test_every_piece_of_evidence_is_a_stored_relationship_with_its_source(store, answers):
    checked = 0
    for target, result in answers.items():
        for p in result["prospects"]:
            assert p["evidence"], f"{target}: {p['id']} has no evidence"
            for item in p["evidence"]:
                assert item["facts"], f"{target}: {p['id']} via {item['via']} cites no stored fact"
                for fact in item["facts"]:
                    (a_label, a_key), (b_label, b_key) = (LOOKUP[fact[end].partition(":")[0]] for end in ("from", "to"))
                    a_raw, b_raw = (fact[end].partition(":")[2] for end in ("from", "to"))
                    rows = store.read(
                        f"MATCH (a:{a_label})-[r:{fact['relation']}]->(b:{b_label}) "
                        f"WHERE a.{a_key} = $a AND b.{b_key} = $b AND r.source = $source AND r.locator = $locator "
                        "RETURN count(r) AS n",
                        {"a": int(a_raw) if a_key == "number" else a_raw, "b": int(b_raw) if b_key == "number" else b_raw,
                         "source": fact["source"], "locator": fact["locator"]})
                    assert rows[0]["n"] >= 1, f"{target}: {p['id']}: no stored {fact}"
                    assert fact["source"] and fact["locator"]
                    checked += 1
                # the evidence joins the prospect and the target (or, for a sector, one of its entities)
                ends = {f[end] for f in item["facts"] for end in ("from", "to")}
                assert p["id"] in ends or any(f["relation"] == "SAME_AS" for f in item["facts"]), item
    assert checked > 100


def test_partners_met_through_breathe_cities_are_never_proposed_to_ambiente(store, answers):
    """Computed here from the store: who took part in an engagement with SDA, or is a network SDA works with.
    A strategist knows them already: none is proposed."""
    met = {f"cooperant:{r['id']}" for r in store.read(
        "MATCH (o:Cooperant)-[:TOOK_PART_IN]->(g:Engagement)<-[:TOOK_PART_IN]-(e:DistrictEntity) "
        "WHERE e.id = 'sda' RETURN DISTINCT o.id AS id")}
    assert {"cooperant:bloomberg-philanthropies", "cooperant:clean-air-fund", "cooperant:c40"} <= met
    ranked = {p["id"] for p in answers["entity:sda"]["prospects"]}
    assert not met & ranked
    assert "cooperant:iclei" not in ranked  # SDA pays ICLEI's fee
    # the networks SDA works in still explain who to approach: the BID takes part in C40's Foncarga
    bid = next(p for p in answers["entity:sda"]["prospects"] if p["id"] == "cooperant:bid")
    assert bid["evidence"][0]["via"] == "network:c40" and "C40" in bid["evidence"][0]["text"]


def test_scores_are_ranked_and_resource_allocation_is_the_sum_of_the_evidence(answers):
    for result in answers.values():
        scores = [p["score"] for p in result["prospects"]]
        assert scores == sorted(scores, reverse=True)
        for p in result["prospects"]:
            if p["evidence_count"] == len(p["evidence"]):  # all evidence shown: RA = Σ 1/degree of the neighbours
                assert p["scores"]["resource_allocation"] == pytest.approx(sum(e["weight"] for e in p["evidence"]), abs=1e-5)
            assert p["score"] >= p["scores"]["resource_allocation"] and p["score"] > 0
            assert p["scores"]["resource_allocation"] > 0 or p["scores"]["popularity"] > 0


def test_deterministic(store, answers):
    again = prospects(store, "entity:sda", top=500)
    assert json.dumps(again, sort_keys=True) == json.dumps(answers["entity:sda"], sort_keys=True)


def test_ods_and_pdd_spellings_name_the_same_target(store):
    assert prospects(store, "ods:13", top=3) == prospects(store, "sdg:13", top=3)
    assert prospects(store, "pdd-objective:pdd-2024-obj-4", top=3) == prospects(store, "pdd-objective:4", top=3)


@pytest.mark.parametrize("bad", ["entity:nope", "sdg:99", "planeta:tierra", "sda"])
def test_unknown_target_is_a_clear_error(store, bad):
    with pytest.raises(UnknownTarget, match="coopgraph prospect --targets"):
        prospects(store, bad)


def test_cli(loaded_home):
    result = run_cli(["prospect", "--for", "entity:sda", "--top", "3", "--json"], loaded_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["target"]["name"] == "SECRETARÍA DISTRITAL DE AMBIENTE" and len(data["prospects"]) == 3
    result = run_cli(["prospect", "--for", "entity:sda", "--top", "3", "--markdown"], loaded_home)
    assert result.stdout.startswith("# Prospectos para SECRETARÍA DISTRITAL DE AMBIENTE") and "Fuente:" in result.stdout
    bad = run_cli(["prospect", "--for", "entity:nope"], loaded_home)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "--targets" in bad.stderr
    listed = run_cli(["prospect", "--targets", "--json"], loaded_home)
    assert {"entity:sda", "sdg:13", "network:c40", "pdd-objective:4", "sector:ambiente"} <= {
        t["id"] for t in json.loads(listed.stdout)}


def test_api(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        response = client.get("/api/v1/prospects", params={"for": "entity:sda", "top": 5})
        assert response.status_code == 200
        assert [p["rank"] for p in response.json()["prospects"]] == [1, 2, 3, 4, 5]
        missing = client.get("/api/v1/prospects", params={"for": "entity:nope"})
        assert missing.status_code == 404 and missing.json()["code"] == "unknown_target"
        assert "--targets" in missing.json()["message"]
        assert client.get("/api/v1/prospects").status_code == 422
        assert any(t["id"] == "entity:sda" for t in client.get("/api/v1/prospects/targets").json())


# -- alignment gaps, sharpened -------------------------------------------------------------------

@pytest.fixture(scope="module")
def gaps(store):
    from coopgraph.analysis.analytics import analyze

    return analyze(store, 2024, 2024)["gaps"]


def test_entities_whose_money_hangs_on_one_partner(store, gaps):
    """Computed here: each entity's COP money by cooperant; the top one gives 80 % or more."""
    money = {}
    for r in store.read("MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
                        "WHERE c.year = 2024 AND c.currency = 'COP' AND c.total_cents > 0 "
                        "RETURN e.id AS entity, o.id AS cooperant, sum(c.total_cents) AS cents"):
        money.setdefault(f"entity:{r['entity']}", {})[r["cooperant"]] = r["cents"]
    expected = {e for e, by in money.items() if max(by.values()) / sum(by.values()) >= 0.8}
    assert {e["id"] for e in gaps["entities"]} == expected
    sdm = next(e for e in gaps["entities"] if e["id"] == "entity:sdm")
    assert sdm["top_cooperant"]["id"] == "cooperant:metropolis" and sdm["top_share"] == pytest.approx(0.989, abs=1e-3)


def test_single_broker_status_matches_the_store(store, gaps):
    """An ODS that two or more cooperants reach only through one district entity hangs on that entity."""
    rows = store.read("MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)-[:ADVANCES]->(g:SDG), "
                      "(e:DistrictEntity)-[:RECEIVED]->(c) WHERE c.year = 2024 "
                      "RETURN g.number AS sdg, count(DISTINCT o.id) AS cooperants, count(DISTINCT e.id) AS entities")
    expected = {f"sdg:{r['sdg']}" for r in rows if r["cooperants"] >= 2 and r["entities"] == 1}
    assert {e["id"] for e in gaps["sdg"] if e["status"] == "un solo intermediario"} == expected
    for e in gaps["sdg"]:
        assert (e["broker"] is not None) == (e["entities"] == 1)


def test_every_gap_has_prospects_not_yet_engaged_with_it(store, gaps):
    listed = [e for key in ("sdg", "pdd_objectives", "entities") for e in gaps[key]]
    assert any(e["id"] == "sdg:14" for e in listed) and any(e["id"] == "entity:sdm" for e in listed)
    for entry in listed:
        assert entry["prospects"], entry["id"]
        engaged = engaged_in_store(store, entry["id"])
        assert not {p["id"] for p in entry["prospects"]} & engaged, entry["id"]
        assert all(p["why"] for p in entry["prospects"])
    sdm = next(e for e in gaps["entities"] if e["id"] == "entity:sdm")
    assert "cooperant:metropolis" not in {p["id"] for p in sdm["prospects"]}


def test_every_cypher_text_is_clean_for_neo4j(store):
    """Prospecting's Cypher runs unchanged on Neo4j 5: lint it with Neo4j's language service when installed."""
    from neo4j_lint import lint, node_ready

    ready, reason = node_ready()
    if not ready:
        pytest.skip(reason)

    class Recording:
        def __init__(self):
            self.texts = {}

        def read(self, cypher, params=None, **kwargs):
            self.texts.setdefault(" ".join(cypher.split()), sorted(params or {}))
            return store.read(cypher, params, **kwargs)

    recording = Recording()
    for target in TARGETS:
        prospects(recording, target, top=5)
    texts = list(recording.texts)
    found = lint({f"q{i}": t for i, t in enumerate(texts)}, {f"q{i}": recording.texts[t] for i, t in enumerate(texts)})
    assert len(texts) > 10
    assert {texts[int(name[1:])]: d for name, d in found.items() if d} == {}


# -- the other way round: entities for a cooperant ----------------------------------------------------------
def test_a_cooperant_gets_entities_it_does_not_work_with_yet_and_its_co_funders(store):
    """Computed here from the store: the entities the BID funds or shares a project with are never proposed;
    its co-funders are the cooperants funding the same entities, most shared first."""
    result = prospects(store, "cooperant:bid", top=50)
    funded = {r["id"] for r in store.read(
        "MATCH (o:Cooperant {id: 'bid'})-[:PROVIDED]->(:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
        "RETURN DISTINCT e.id AS id", {})}
    met = {r["id"] for r in store.read(
        "MATCH (o:Cooperant {id: 'bid'})-[:TOOK_PART_IN]->(:Engagement)<-[:TOOK_PART_IN]-(e:DistrictEntity) "
        "RETURN DISTINCT e.id AS id", {})}
    proposed = {p["id"].partition(":")[2] for p in result["prospects"]}
    assert proposed and all(p["id"].startswith("entity:") for p in result["prospects"])
    assert not proposed & (funded | met)
    assert result["engaged"] == len(funded | met)
    assert all(p["evidence"] and p["evidence"][0]["text"] for p in result["prospects"])
    shared = {}
    for r in store.read("MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
                        "WHERE o.id <> 'bid' AND e.id IN $funded RETURN DISTINCT o.id AS o, e.id AS e",
                        {"funded": sorted(funded)}):
        shared.setdefault(r["o"], set()).add(r["e"])
    co = result["co_funders"]
    assert {c["id"].partition(":")[2]: c["shared_entities"] for c in co} == {o: len(e) for o, e in shared.items()}
    assert [c["shared_entities"] for c in co] == sorted((c["shared_entities"] for c in co), reverse=True)


def test_a_network_as_cooperant_never_gets_the_entities_of_its_network(store):
    result = prospects(store, "cooperant:c40", top=50)
    works = {r["id"] for q in (
        "MATCH (e:DistrictEntity)-[:TOOK_PART_IN]->(:Engagement)-[:UNDER_NETWORK]->(:CityNetwork {id: 'c40'}) RETURN e.id AS id",
        "MATCH (e:DistrictEntity)-[:RECEIVED]->(:Contribution)<-[:PROVIDED]-(:Cooperant {id: 'c40'}) RETURN e.id AS id",
    ) for r in store.read(q, {})}
    assert {"sda", "eaab", "transmilenio", "uaesp"} <= works
    assert not {p["id"].partition(":")[2] for p in result["prospects"]} & works


def test_a_cooperant_ficha_and_prospect_map_propose_entities(store, loaded_home):
    from fastapi.testclient import TestClient

    from coopgraph.api.app import create_app
    from coopgraph.settings import Settings

    with TestClient(create_app(Settings(home=loaded_home))) as client:
        body = client.get("/api/v1/profiles/cooperant/bid").json()
        rows = next(s for s in body["sections"] if s["key"] == "prospects")["rows"]
        assert rows and all(r["kind"] == "entity" for r in rows)
        page = client.get("/maps/prospects?for=cooperant:bid")
        assert page.status_code == 200 and "entidades distritales que aún no trabajan con este cooperante" in page.text
        assert client.get("/api/v1/prospects?for=cooperant:bid").json()["co_funders"]


def test_no_target_of_any_kind_is_offered_someone_it_already_works_with(store):
    """Every entity, cooperant and network: engagement derived from the bundled files alone (tests/support/oracle.py)."""
    from oracle import engaged

    from coopgraph.analysis.prospects import cached_graph, prospects_from

    rows, graph = cached_graph(store)
    known = engaged()
    targets = [f"entity:{r['id']}" for r in store.read("MATCH (e:DistrictEntity) RETURN e.id AS id", {})]
    targets += [f"network:{r['id']}" for r in store.read("MATCH (n:CityNetwork) RETURN n.id AS id", {})]
    targets += [f"cooperant:{r['id']}" for r in store.read("MATCH (o:Cooperant) RETURN o.id AS id", {})]
    checked = 0
    for target in targets:
        proposed = {p["id"] for p in prospects_from(rows, target, top=500, graph=graph)["prospects"]}
        clash = proposed & known.get(target, set())
        assert not clash, f"{target} is offered partners it already works with: {sorted(clash)}"
        checked += bool(known.get(target))
    assert checked > 100  # most targets with links have someone to leave out
