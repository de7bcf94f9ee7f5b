"""The curated knowledge in the loaded graph: resolution, merges, sectors, plan, networks, provenance."""
import json
from decimal import Decimal

import pytest

from coopgraph.loaders.pipeline import bundled_tables
from coopgraph.loaders.registry import Registry

from conftest import run_cli

INTERNATIONAL = {"multilateral-bank", "un-agency", "intergovernmental-organisation", "city-network"}


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


@pytest.fixture(scope="module")
def tables():
    return bundled_tables()


def test_every_table_cooperant_resolves_to_one_classified_organisation(registry, tables):
    orgs = registry.curated.organisations.set_index("org_id")
    names = set(tables["cooperants"].name) | set(tables["contributions"].cooperant)
    assert len(names) > 270
    for name in names:
        org = registry.org_id(name)
        assert org in orgs.index, name
        row = orgs.loc[org]
        assert int(row.iati_type) in {10, 11, 15, 21, 22, 23, 24, 30, 40, 60, 70, 71, 72, 73, 80, 90}, name
        # a country decision: an ISO code, or empty because the body is international or the note says why
        assert len(row.country) == 2 or row.kind in INTERNATIONAL or row.notes, name


@pytest.mark.parametrize("a, b", [
    ("METRÓPOLIS", "ASOCIACIÓN MUNDIAL DE GRANDES METRÓPOLIS"),
    ("ALCALDÍA DE COPENHAGUE DINAMARCA", "CIUDAD DE COPENHAGUE DINAMARCA"),
    ("ALCALDÍA DE RÍO DE JANEIRO", "CIUDAD DE RIO DE JANEIRO"),
    ("FUNDACION ACDI VOCA", "FUNDACIÓN ACDI VOCA"),
    ("UNESCO ORGANIZACION DE LAS NACIONES UNIDAS PARA LA EDUCACIÓN LA CIENCIA Y LA CULTURA",
     "UNESCO ORGANIZACIÓN DE LAS NACIONES UNIDAS PARA LA EDUCACIÓN LA CIENCIA Y LA CULTURA"),
])
def test_same_organisation_under_two_names_is_merged(registry, a, b):
    assert registry.org_id(a) == registry.org_id(b) is not None


@pytest.mark.parametrize("a, b", [
    ("EMBAJADA DE FRANCIA", "AFD AGENCIA FRANCESA DE DESARROLLO"),
    ("EMBAJADA DE LOS ESTADOS UNIDOS EN COLOMBIA", "USAID AGENCIA DE ESTADOS UNIDOS PARA EL DESARROLLO INTERNACIONAL"),
    ("EMBAJADA DE ALEMANIA", "GIZ AGENCIA DE COOPERACIÓN ALEMANA"),
    ("BANCO MUNDIAL", "IFC INTERNATIONAL FINANCE CORPORATION"),
])
def test_an_embassy_and_its_countrys_agency_stay_apart(registry, a, b):
    assert registry.org_id(a) != registry.org_id(b)


def test_every_keep_apart_pair_is_apart(registry):
    for row in registry.curated.keep_apart.itertuples():
        assert row.org_id_a != row.org_id_b


def test_district_acronyms_resolve(registry):
    assert registry.entity_id("SDM") == registry.entity_id("SECRETARÍA DISTRITAL DE MOVILIDAD")
    assert registry.entity_id("UAESP") == registry.entity_id("UNIDAD ADMINISTRATIVA ESPECIAL DE SERVICIOS PÚBLICOS")
    for acronym in ("SDA", "IDIGER", "EAAB", "TMSA", "SED", "SDS", "IDT", "JBB", "RenoBo", "SDHT", "SDDE"):
        assert registry.entity_id(acronym), acronym


def test_every_district_entity_has_a_sector(loaded_store):
    rows = loaded_store.read("MATCH (e:DistrictEntity) OPTIONAL MATCH (e)-[:BELONGS_TO]->(s:Sector) "
                             "RETURN e.name AS name, count(s) AS sectors")
    assert len(rows) >= 41
    assert [r["name"] for r in rows if r["sectors"] != 1] == []


def test_every_node_and_relationship_has_a_source(loaded_store):
    known = {r["id"] for r in loaded_store.read("MATCH (s:Source) RETURN s.id AS id")}
    for label in loaded_store.model.nodes:
        if label == "Source":
            continue
        rows = loaded_store.read(f"MATCH (n:{label}) OPTIONAL MATCH (n)-[:SOURCED_FROM]->(s:Source) "
                                 f"WITH n, count(s) AS sources WHERE sources = 0 RETURN count(n) AS n")
        assert rows[0]["n"] == 0, f"{label} nodes without a source"
    for rel in loaded_store.model.relationships:
        for row in loaded_store.read(f"MATCH ()-[r:{rel}]->() RETURN DISTINCT r.source AS source"):
            assert row["source"] and set(row["source"].split("|")) <= known, (rel, row)


def test_pdd_shares_are_the_reports(loaded_home):
    data = json.loads(run_cli(["summary", "--json"], loaded_home).stdout, parse_float=Decimal)
    shares = {r["objective"]: r["share_pct"] for r in data["by_pdd_objective"]}
    assert [shares[n] for n in (1, 2, 3, 4)] == [Decimal("1.18"), Decimal("41.69"), Decimal("47.20"), Decimal("9.88")]
    assert shares[5] == Decimal("0.04")
    counts = {r["objective"]: r["contributions"] for r in data["by_pdd_objective"]}
    assert counts == {1: 6, 2: 4, 3: 43, 4: 8, 5: 1}
    by_type = {r["iati_type"]: r for r in data["by_org_type"]}
    assert sum(r["total_cop"] for r in data["by_org_type"]) == Decimal("34055833247.50")
    assert by_type[40]["organisations"] >= 5  # multilaterals: BID, Banco Mundial, CAF, OEI, OIM…


def test_the_six_city_networks_have_membership_facts(loaded_store):
    rows = {r["acronym"]: r for r in loaded_store.read(
        "MATCH (n:CityNetwork) OPTIONAL MATCH (n)-[:FEE_PAID_BY]->(e:DistrictEntity) "
        "RETURN n.acronym AS acronym, n.member_since AS since, n.membership_act AS act, e.acronyms AS payer")}
    for acronym in ("C40", "UCCI", "CGLU", "CIDEU", "ICLEI"):
        assert acronym in rows, acronym
    assert any(k.upper().startswith("METR") for k in rows) or loaded_store.read(
        "MATCH (n:CityNetwork) WHERE n.name = 'Metrópolis' RETURN n.id AS id")
    assert rows["C40"]["since"].startswith("2020-02-10")
    assert rows["UCCI"]["act"] == "Acuerdo 147 de 2005" and "SDP" in rows["UCCI"]["payer"]
    assert rows["ICLEI"]["act"] == "Acuerdo 372 de 2009" and "SDA" in rows["ICLEI"]["payer"]
    assert loaded_store.read("MATCH (n:CityNetwork {id: 'c40'})-[:SAME_AS]->(c:Cooperant) RETURN c.name AS name") \
        == [{"name": "C40 GRUPO DE LIDERAZGO CLIMÁTICO"}]


def test_c40_projects_and_cideu_activities_keep_their_currency(loaded_store):
    c40 = {r["name"]: r for r in loaded_store.read(
        "MATCH (e:Engagement)-[:UNDER_NETWORK]->(:CityNetwork {id: 'c40'}) "
        "RETURN e.name AS name, e.amount_cents AS cents, e.currency AS currency")}
    usd = {r["cents"] for r in c40.values() if r["currency"] == "USD"}
    assert {32_000_000, 3_000_000, 5_000_000} <= usd  # ZUMA 320 mil, Foncarga 30 mil, water accelerator 50 mil
    [cideu] = loaded_store.read(
        "MATCH (e:Engagement)-[:UNDER_NETWORK]->(:CityNetwork {id: 'cideu'}) WHERE e.currency = 'EUR' "
        "AND e.id <> 'cideu-proyectos-2024' RETURN count(e) AS n, sum(e.amount_cents) AS cents")
    assert (cideu["n"], cideu["cents"]) == (7, 678_000)  # the activity table: € 6.780,00 in 7 rows


def test_check_lists_merges_and_pdd_shares_match(home):
    result = run_cli(["check", "--json"], home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout, parse_float=Decimal)
    status = {r["claim_id"]: r["status"] for r in data["reconciliation"]}
    for n in (1, 2, 3, 4):
        assert status[f"seccion-5.objective-{n}.share"] == "ok"
        assert status[f"seccion-5.objective-{n}.interactions"] == "ok"
    merged = {m["alias"] for m in data["review"]["merges"]}
    assert {"METRÓPOLIS", "FUNDACION ACDI VOCA"} <= merged
    assert data["review"]["unresolved"] == []


def test_contributions_link_to_the_ods_tabla_1_determines(loaded_store):
    from coopgraph.cypher.library import run

    linked = {r["sdg"]: r for r in run(loaded_store, "contributions_by_sdg")}
    stated = {r["sdg"]: r for r in loaded_store.read(
        "MATCH (g:SDG)-[r:REPORTED]->(:Source) WHERE r.interactions_monetary > 0 "
        "RETURN g.number AS sdg, r.interactions_monetary AS n, r.total_cents AS total_cents")}
    assert sum(r["contributions"] for r in linked.values()) == 62  # all 62 are determined
    for sdg, row in stated.items():
        assert (linked[sdg]["contributions"], linked[sdg]["total_cents"]) == (row["n"], row["total_cents"])
