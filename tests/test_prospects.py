"""Partner prospecting on the bundled 2024 data; every claim is checked against the store with its own Cypher."""
import json

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.graph.prospects import UnknownTarget, prospects
from coopgraph.settings import Settings
from tests.conftest import run_cli

TARGETS = ["entity:sda", "entity:sdm", "sector:ambiente", "sdg:13", "pdd-objective:4", "network:c40"]
# how each kind of graph id is found in the store: label and key property
LOOKUP = {"entity": ("DistrictEntity", "id"), "cooperant": ("Cooperant", "id"), "network": ("CityNetwork", "id"),
          "engagement": ("Engagement", "id"), "sector": ("Sector", "id"), "sdg": ("SDG", "number"),
          "pdd-objective": ("PDDObjective", "number"), "pdd-program": ("PDDProgram", "id"),
          "contribution": ("Contribution", "id")}
# a cooperant is engaged with a target when one of these finds it ($target is the target's store key)
ENGAGED = {
    "entity": "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)<-[:RECEIVED]-(e:DistrictEntity) WHERE e.id = $target "
              "RETURN DISTINCT o.id AS id",
    "sdg": "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)-[:ADVANCES]->(g:SDG) WHERE g.number = $target "
           "RETURN DISTINCT o.id AS id",
    "pdd-objective": "MATCH (o:Cooperant)-[:PROVIDED]->(:Contribution)-[:SERVES]->(p:PDDObjective) "
                     "WHERE p.number = $target RETURN DISTINCT o.id AS id",
    "sector": "MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
              "OPTIONAL MATCH (e)-[:BELONGS_TO]->(s:Sector) WITH o, c, s WHERE c.sector_id = $target OR s.id = $target "
              "RETURN DISTINCT o.id AS id",
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


def test_partners_met_through_breathe_cities_are_prospects_for_ambiente(store, answers):
    """Computed here from the store: who took part in an engagement with SDA and does not fund it yet."""
    met = {f"cooperant:{r['id']}" for r in store.read(
        "MATCH (o:Cooperant)-[:TOOK_PART_IN]->(g:Engagement)<-[:TOOK_PART_IN]-(e:DistrictEntity) "
        "WHERE e.id = 'sda' RETURN DISTINCT o.id AS id")} - engaged_in_store(store, "entity:sda")
    assert {"cooperant:bloomberg-philanthropies", "cooperant:clean-air-fund"} <= met
    ranked = [p["id"] for p in answers["entity:sda"]["prospects"]]
    assert met <= set(ranked)
    # a shared engagement outweighs a shared network alone: everyone SDA met ranks above the others
    assert max(ranked.index(m) for m in met) < min(i for i, c in enumerate(ranked) if c not in met)
    bloomberg = next(p for p in answers["entity:sda"]["prospects"] if p["id"] == "cooperant:bloomberg-philanthropies")
    assert bloomberg["evidence"][0]["via"] == "engagement:breathe-cities-bogota"
    assert "Breathe Cities" in bloomberg["evidence"][0]["text"]


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
