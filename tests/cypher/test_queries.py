"""The named query library: every query runs on the embedded engine, and the answers the report lets us know."""
import json
import re

import pytest

from conftest import run_cli
from coopgraph.cypher.library import library, run

ORIGINAL = ["summary_totals", "interactions_by_sdg", "contributions_by_sector", "contributions_by_pdd_objective",
            "contributions_by_org_type", "contributions_by_sdg"]
DIALECTS = {"embedded", "neo4j"}
PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
TOTAL_CENTS = 3_405_583_324_750  # Tabla 5: $ 34.055.833.247,50
BID_ENTITIES = {"scrd", "sed", "sdht", "sdis", "sdmujer", "sds"}  # the six BID rows of Tabla 5


def texts(query) -> dict[str, str]:
    return {"cypher": query.cypher, **query.variants}


# -- the library itself -----------------------------------------------------------------------

def test_the_library_has_the_original_queries_and_at_least_25_more():
    names = list(library())
    assert names[:len(ORIGINAL)] == ORIGINAL
    assert len(names) >= len(ORIGINAL) + 25


@pytest.mark.parametrize("name", list(library()))
def test_query_is_named_documented_and_defaulted(name):
    query = library()[name]
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", name)
    assert query.description and query.description.endswith(".")
    for param in query.params.values():
        assert param.type in {"int", "string", "float", "bool", "name"}, (name, param.name)
        assert param.default is not None, (name, param.name)  # every query runs with no arguments
    assert set(query.variants) <= DIALECTS
    if query.variants:
        assert set(query.variants) == DIALECTS, "a query with variants spells both dialects"


@pytest.mark.parametrize("name", list(library()))
def test_declared_params_equal_the_parameters_the_text_uses(name):
    query = library()[name]
    for dialect, text in texts(query).items():
        assert set(PARAMETER.findall(text)) == set(query.params), (name, dialect)


@pytest.mark.parametrize("name", list(library()))
def test_query_runs_with_its_defaults(loaded_store, name):
    rows = run(loaded_store, name)
    assert rows, f"{name} returned no rows"
    assert all(isinstance(row, dict) for row in rows)


def test_every_query_is_in_the_docs():
    from conftest import ROOT

    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name, query in library().items():
        [row] = [line for line in doc.splitlines() if line.startswith(f"| `{name}` |")]
        assert all(f"`{p}`" in row for p in query.params), name
        assert row.rstrip(" |").endswith("no") != bool(query.variants), name


@pytest.mark.parametrize("name", [n for n, q in library().items() if q.variants])
def test_the_embedded_store_runs_the_embedded_variant(loaded_store, name):
    query = library()[name]
    assert query.text(loaded_store.dialect) == query.variants["embedded"]
    assert query.text("neo4j") == query.variants["neo4j"]


# -- rankings ---------------------------------------------------------------------------------

def test_top_cooperant_by_amount_is_metropolis(loaded_store):
    rows = run(loaded_store, "top_cooperants_by_amount", limit=5)
    top = rows[0]
    assert (top["id"], top["name"]) == ("metropolis", "ASOCIACIÓN MUNDIAL DE GRANDES METRÓPOLIS")
    # Tabla 5: $ 7.593.130.836,00 + $ 4.479.354.282,00 = $ 12.072.485.118,00
    assert (top["cooperant_cents"], top["counterpart_cents"], top["total_cents"]) == \
        (759_313_083_600, 447_935_428_200, 1_207_248_511_800)
    assert [r["id"] for r in rows] == ["metropolis", "bid", "embajada-francia", "oim", "incidem"]
    assert rows[1]["total_cents"] == 618_169_629_300  # BID's six rows: $ 6.181.696.293,00
    assert [r["total_cents"] for r in rows] == sorted((r["total_cents"] for r in rows), reverse=True)


def test_cooperant_ranking_by_the_cooperants_own_money(loaded_store):
    rows = run(loaded_store, "top_cooperants_by_amount", rank_by="cooperant", limit=5)
    assert [r["id"] for r in rows] == ["metropolis", "bid", "embajada-francia", "banco-mundial", "incidem"]
    assert [r["cooperant_cents"] for r in rows] == \
        [759_313_083_600, 466_925_626_300, 231_085_460_000, 123_605_750_000, 113_069_040_000]
    counterpart = run(loaded_store, "top_cooperants_by_amount", rank_by="counterpart", limit=2)
    assert [r["id"] for r in counterpart] == ["metropolis", "bid"]


def test_bid_reaches_the_most_district_entities(loaded_store):
    rows = run(loaded_store, "top_cooperants_by_entities")
    assert rows[0]["id"] == "bid"
    assert rows[0]["entity_count"] == len(BID_ENTITIES) == 6
    assert set(rows[0]["entity_ids"]) == BID_ENTITIES
    assert rows[0]["entities"] == sorted(rows[0]["entities"])
    assert all(r["entity_count"] <= 2 for r in rows[1:])


def test_year_ranges_filter(loaded_store):
    assert run(loaded_store, "top_cooperants_by_amount", from_year=2025) == []
    assert run(loaded_store, "contributions_in_year_range", to_year=2023) == []
    [year] = run(loaded_store, "contributions_by_year", from_year=2024, to_year=2024)
    assert (year["year"], year["interactions"], year["contributions"], year["total_cents"]) == \
        (2024, 607, 62, TOTAL_CENTS)
    rows = run(loaded_store, "contributions_in_year_range", from_year=2024, to_year=2024, limit=1000)
    assert len(rows) == 62 and sum(r["total_cents"] for r in rows) == TOTAL_CENTS


def test_reported_interactions_rank_the_most_active_partners(loaded_store):
    cooperants = run(loaded_store, "cooperants_by_reported_interactions", limit=3)
    assert [(r["id"], r["interactions"]) for r in cooperants] == [("c40", 28), ("bid", 25), ("banco-mundial", 19)]
    entities = run(loaded_store, "entities_by_reported_interactions", limit=2)
    assert [(r["id"], r["interactions"]) for r in entities] == [("cdri", 69), ("sg", 63)]  # Tabla 3


# -- breakdowns -------------------------------------------------------------------------------

def test_pdd_objective_counts_are_the_reports(loaded_store):
    counts = {r["objective"]: r["contributions"] for r in run(loaded_store, "contributions_by_pdd_objective")}
    assert counts == {1: 6, 2: 4, 3: 43, 4: 8, 5: 1}
    alignment = {r["objective"]: r for r in run(loaded_store, "pdd_objective_sdg_alignment")}
    assert {n: r["contributions"] for n, r in alignment.items()} == counts
    assert sum(r["total_cents"] for r in alignment.values()) == TOTAL_CENTS
    assert alignment[5]["declared_sdgs"] == [17] and alignment[1]["declared_sdgs"] == [5, 16]
    assert all(0 <= r["aligned_contributions"] <= r["contributions"] for r in alignment.values())


def test_counterpart_ratio_of_the_secretaria_de_movilidad(loaded_store):
    rows = {r["id"]: r for r in run(loaded_store, "counterpart_ratio_by_entity")}
    sdm = rows["sdm"]
    # Tabla 5: Banco Mundial $ 133.770.000,00 and Metrópolis $ 7.593.130.836,00 + $ 4.479.354.282,00
    assert (sdm["cooperant_cents"], sdm["counterpart_cents"], sdm["total_cents"]) == \
        (772_690_083_600, 447_935_428_200, 1_220_625_511_800)
    assert sdm["counterpart_share"] == pytest.approx(4_479_354_282 / 12_206_255_118)
    assert sdm["counterpart_per_cooperant_peso"] == pytest.approx(4_479_354_282 / 7_726_900_836)
    assert rows["uaesp"]["counterpart_share"] == 0.0  # six cooperants, no counterpart
    # Instituto Distrital de Turismo: all counterpart, no cooperant money: the ratio is undefined, not 0
    assert rows["idt"]["cooperant_cents"] == 0 and rows["idt"]["counterpart_per_cooperant_peso"] is None
    assert sum(r["total_cents"] for r in rows.values()) == TOTAL_CENTS


def test_breakdowns_add_up_to_tabla_5(loaded_store):
    for name in ("contributions_by_country", "contributions_by_cooperant_kind", "contributions_by_sector_and_entity"):
        rows = run(loaded_store, name)
        assert sum(r["total_cents"] for r in rows) == TOTAL_CENTS, name
        assert sum(r["contributions"] for r in rows) == 62, name
    by_country = {r["country"]: r for r in run(loaded_store, "contributions_by_country")}
    assert by_country["FR"]["cooperants"] == 4  # Embajada, AFD, Instituto Francés, Alianza Francesa
    programs = run(loaded_store, "contributions_by_pdd_program")
    assert len(programs) == 15 and {"1.02", "4.30", "5.39"} <= {r["code"] for r in programs}


def test_tabla_4_values(loaded_store):
    rows = run(loaded_store, "action_collaboration_values", from_year=2024, to_year=2024)
    assert len(rows) == 14
    international = [r for r in rows if r["action_type"] == "Cooperación Internacional"]
    assert sum(r["value_millions"] for r in international) == 30_155  # its Sub Total


# -- profiles and neighbourhoods ----------------------------------------------------------------

def test_cooperant_profile(loaded_store):
    [bid] = run(loaded_store, "cooperant_profile", id="bid")
    assert (bid["acronym"], bid["kind"], bid["iati_type"]) == ("BID", "multilateral-bank", 40)
    assert (bid["contributions"], bid["entity_count"], bid["total_cents"]) == (6, 6, 618_169_629_300)
    assert bid["reported_interactions"] == 25 and "SALUD" in bid["sectors"]
    [metropolis] = run(loaded_store, "cooperant_profile", id="metropolis")
    assert metropolis["network_id"] == "metropolis"
    assert run(loaded_store, "cooperant_profile", id="no-such-id") == []


def test_district_entity_and_network_profiles(loaded_store):
    [sdm] = run(loaded_store, "district_entity_profile", id="sdm")
    assert sdm["sector"] == "MOVILIDAD" and sdm["reported_interactions"] == 37  # Tabla 3
    assert sdm["cooperants"] == ["ASOCIACIÓN MUNDIAL DE GRANDES METRÓPOLIS", "BANCO MUNDIAL"]
    [sdp] = run(loaded_store, "district_entity_profile", id="sdp")
    assert {"Unión de Ciudades Capitales Iberoamericanas", "Metrópolis"} <= set(sdp["fees_paid_for"])
    [c40] = run(loaded_store, "network_profile", id="c40")
    assert c40["member_since"].startswith("2020-02-10") and c40["cooperant_id"] == "c40"
    assert c40["sections"] == ["Alianza Ciudad-Empresa por el Clima", "Red de Seguridad Hídrica de C40"]
    assert c40["usd_cents"] >= 32_000_000 + 3_000_000 + 5_000_000


def test_organisation_neighbours_look_through_contributions(loaded_store):
    rows = run(loaded_store, "organisation_neighbours", id="bid")
    entities = {r["neighbour_id"] for r in rows if r["neighbour_label"] == "DistrictEntity" and r["via_contribution"]}
    assert entities == BID_ENTITIES
    assert {"Contribution", "Source"}.isdisjoint(r["neighbour_label"] for r in rows)
    network = run(loaded_store, "organisation_neighbours", id="ucci")
    assert {("CityNetwork", "FEE_PAID_BY", "sdp"), ("CityNetwork", "SAME_AS", "ucci")} <= \
        {(r["node_label"], r["relationship"], r["neighbour_id"]) for r in network}


def test_entities_sharing_cooperants(loaded_store):
    rows = run(loaded_store, "entities_sharing_cooperants", id="scrd")
    assert rows[0]["id"] == "sed" and rows[0]["shared_count"] == 2
    assert rows[0]["shared_cooperants"] == ["BID BANCO INTERAMERICANO DE DESARROLLO",
                                            "UNESCO ORGANIZACIÓN DE LAS NACIONES UNIDAS PARA LA EDUCACIÓN LA CIENCIA Y LA CULTURA"]
    assert BID_ENTITIES - {"scrd"} <= {r["id"] for r in rows}
    partners = run(loaded_store, "cooperants_sharing_entities", id="bid", limit=1)
    assert partners[0]["id"] == "unesco" and partners[0]["shared_count"] == 2


def test_cooperant_contributions_and_entity_cooperants(loaded_store):
    rows = run(loaded_store, "cooperant_contributions", id="bid")
    assert {r["entity_id"] for r in rows} == BID_ENTITIES
    assert sum(r["total_cents"] for r in rows) == 618_169_629_300
    assert all(r["pdd_objective"] and r["sdg"] for r in rows)
    sdm = run(loaded_store, "entity_cooperants", id="sdm")
    assert [r["id"] for r in sdm] == ["metropolis", "banco-mundial"]


# -- gaps ------------------------------------------------------------------------------------

def test_gaps_list_the_ods_without_monetary_cooperants(loaded_store):
    rows = {r["sdg"]: r for r in run(loaded_store, "sdg_gaps")}
    # Tabla 1: ODS 2, 6, 9, 12 and 15 had only non-monetary interactions; ODS 14 is not in it
    assert {n for n, r in rows.items() if r["cooperants"] == 0} == {2, 6, 9, 12, 14, 15}
    assert (rows[2]["contributions"], rows[2]["non_monetary_interactions"], rows[2]["total_cents"]) == (0, 2, 0)
    assert rows[9]["non_monetary_interactions"] == 29
    assert rows[13]["cooperants"] == 1 and rows[13]["total_cents"] == 1_207_248_511_800  # Metrópolis only
    # what the report does not state is unknown, not zero: ODS 14 is in no table
    assert rows[14]["reported"] is False and rows[14]["total_cents"] is None and rows[14]["non_monetary_interactions"] is None
    assert all(r["reported"] for n, r in rows.items() if n != 14)
    assert all(r["cooperants"] <= 1 for r in rows.values())
    assert 17 not in rows
    only_zero = run(loaded_store, "sdg_gaps", max_cooperants=0)
    assert {r["sdg"] for r in only_zero} == {2, 6, 9, 12, 14, 15}


def test_pdd_gaps(loaded_store):
    [objective] = run(loaded_store, "pdd_objective_gaps")
    assert objective["objective"] == 5
    assert objective["cooperant_names"] == ["USAID AGENCIA DE ESTADOS UNIDOS PARA EL DESARROLLO INTERNACIONAL"]
    assert len(run(loaded_store, "pdd_objective_gaps", max_cooperants=100)) == 5
    programs = run(loaded_store, "pdd_program_gaps", max_cooperants=0)
    assert programs and all(r["cooperants"] == 0 for r in programs)


def test_entities_with_interactions_but_no_money(loaded_store):
    rows = {r["id"]: r for r in run(loaded_store, "entities_without_monetary_contributions")}
    assert rows["cdri"]["interactions"] == 69  # the Consejería: most interactions, no Tabla 5 row
    assert "sdm" not in rows and "scrd" not in rows


# -- networks --------------------------------------------------------------------------------

def test_c40_engagements_have_usd_amounts(loaded_store):
    rows = run(loaded_store, "network_engagements", network_id="c40")
    usd = {r["amount_cents"] for r in rows if r["currency"] == "USD"}
    assert {32_000_000, 3_000_000, 5_000_000} <= usd  # ZUMA 320 mil, Foncarga 30 mil, water accelerator 50 mil
    assert {"red-seguridad-hidrica-c40", "c40-cbca"} <= {r["network_id"] for r in rows}
    own = run(loaded_store, "network_engagements", network_id="c40", with_sections=False)
    assert {r["network_id"] for r in own} == {"c40"} and len(own) == len(rows) - 2


def test_networks_overview_has_members_projects_and_fees(loaded_store):
    rows = {r["id"]: r for r in run(loaded_store, "networks_overview")}
    assert {"c40", "ucci", "cglu", "metropolis", "cideu", "iclei"} <= set(rows)
    assert rows["ucci"]["fee_paid_by"] == "SECRETARÍA DISTRITAL DE PLANEACIÓN"
    assert rows["iclei"]["fee_paid_by"] == "SECRETARÍA DISTRITAL DE AMBIENTE"
    assert rows["metropolis"]["section_of"] == "Ciudades y Gobiernos Locales Unidos"
    assert rows["c40"]["engagements"] >= 10 and rows["c40"]["usd_cents"] > 0
    assert rows["cideu"]["eur_cents"] >= 678_000
    assert rows["c40"]["entity_count"] == len(rows["c40"]["entities"]) > 0
    assert rows["c40"]["entities"] == sorted(rows["c40"]["entities"])
    c40 = run(loaded_store, "network_entities", network_id="c40")
    assert {r["name"] for r in c40} == set(rows["c40"]["entities"]) and "sda" in {r["id"] for r in c40}
    cideu = {r["id"]: r for r in run(loaded_store, "network_entities", network_id="cideu")}
    assert cideu["sdp"]["pays_fee"] and not cideu["sdm"]["pays_fee"]  # SDP pays CIDEU's fee and took part


def test_city_representatives_in_c40(loaded_store):
    rows = run(loaded_store, "network_city_representatives", network_id="c40")
    people = {r["id"]: r for r in rows}
    assert {"carlos-fernando-galan", "adriana-soto"} <= set(people)
    assert people["carlos-fernando-galan"]["role"] == "Alcalde Mayor de Bogotá"
    assert people["adriana-soto"]["entity"] == "SECRETARÍA DISTRITAL DE AMBIENTE"
    assert "mark-watts" not in people  # C40's own CEO does not represent the city


def test_cooperants_reaching_a_sector_through_a_network(loaded_store):
    rows = run(loaded_store, "cooperants_through_network_by_sector")
    pairs = {(r["sector_id"], r["cooperant_id"]) for r in rows}
    assert {("movilidad", "metropolis"), ("habitat", "c40"), ("cultura", "ucci")} <= pairs
    assert "bid" not in {r["cooperant_id"] for r in rows}
    movilidad = run(loaded_store, "cooperants_through_network_by_sector", sector_id="movilidad")
    assert [(r["cooperant_id"], r["same_as_network"]) for r in movilidad] == [("metropolis", "Metrópolis")]
    reach = run(loaded_store, "network_engagement_sector_reach", sector_id="ambiente")
    assert "bloomberg-philanthropies" in {r["cooperant_id"] for r in reach}


def test_engagements_by_place_and_person(loaded_store):
    places = run(loaded_store, "engagements_by_place")
    assert places[0]["id"] == "bogota-co"
    assert {r["country"] for r in run(loaded_store, "engagements_by_place", country="ES")} == {"ES"}
    galan = run(loaded_store, "person_engagements", id="carlos-fernando-galan")
    assert len(galan) >= 5 and {r["role"] for r in galan} == {"Alcalde Mayor de Bogotá"}


# -- search, provenance, paths ------------------------------------------------------------------

@pytest.mark.parametrize("fragment", ["metropolis", "METRÓPOLIS", "Metrópolis", "metrópolis"])
def test_search_ignores_accents_and_case(loaded_store, fragment):
    rows = run(loaded_store, "search_organisations", q=fragment)
    assert {(r["node_label"], r["id"]) for r in rows} == {("Cooperant", "metropolis"), ("CityNetwork", "metropolis")}
    assert "Metrópolis" in {r["name"] for r in rows}


def test_search_bogota_finds_district_entities(loaded_store):
    rows = run(loaded_store, "search_organisations", q="bogota", limit=100)
    entities = {r["id"] for r in rows if r["node_label"] == "DistrictEntity"}
    assert {"eaab", "invest-in-bogota", "metro-bogota"} <= entities
    assert all("BOGOT" in r["name"].upper() for r in rows)
    assert len(run(loaded_store, "search_organisations", q="bogota", limit=2)) == 2


def test_node_sources(loaded_store):
    rows = run(loaded_store, "node_sources", id="bid")
    assert {"informe-2024/tabla-2", "informe-2024/tabla-5"} <= {r["source_id"] for r in rows}
    # a report line, or knowledge from outside the report with its reference
    assert all(r["locator"].startswith("line") or (r["basis"] == "outside" and r["reference"]) for r in rows)
    assert {r["basis"] for r in run(loaded_store, "node_sources", id="bid", basis="outside")} == {"outside"}


def test_shortest_path_between_two_organisations(loaded_store):
    rows = run(loaded_store, "shortest_path_between_organisations", from_id="bid", to_id="metropolis")
    assert rows and {r["to_label"] for r in rows} == {"Cooperant", "CityNetwork"}
    for row in rows:
        assert row["hops"] == 4 == len(row["relationship_types"]) == len(row["ids"]) - 1
        assert (row["ids"][0], row["ids"][-1]) == ("bid", "metropolis")
        assert "Source" not in row["node_labels"]
    paths = run(loaded_store, "shortest_path_between_organisations", from_id="sdm", to_id="c40")
    [network] = [r for r in paths if r["to_label"] == "CityNetwork"]  # 'c40' is also the cooperant's id
    assert network["hops"] == 2 and network["node_labels"] == ["DistrictEntity", "Engagement", "CityNetwork"]
    assert network["relationship_types"] == ["TOOK_PART_IN", "UNDER_NETWORK"]
    assert run(loaded_store, "shortest_path_between_organisations", from_id="bid", to_id="bid") == []


def test_cooperants_by_country(loaded_store):
    rows = run(loaded_store, "cooperants_by_country", country="FR")
    assert rows[0]["id"] == "embajada-francia" and rows[0]["total_cents"] == 231_085_460_000
    assert {"afd", "instituto-frances", "alianza-francesa"} <= {r["id"] for r in rows}
    international = {r["id"] for r in run(loaded_store, "cooperants_by_country", country="")}
    assert {"bid", "banco-mundial", "metropolis"} <= international


def test_a_named_query_answers_with_each_rows_sources(loaded_home, loaded_store):
    """Every ranking is citable in one step: the BID's row names Tabla 5's lines of its six contributions, as the
    store's own contributions say them (computed here), and Tabla 2's line of its interactions."""
    from fastapi.testclient import TestClient

    from coopgraph.api.app import create_app
    from coopgraph.settings import Settings

    lines = sorted(int(r["locator"].split()[-1]) for r in loaded_store.read(
        "MATCH (:Cooperant {id: 'bid'})-[:PROVIDED]->(c:Contribution)-[r:SOURCED_FROM]->(:Source) RETURN r.locator AS locator", {}))
    assert len(lines) == 6
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        body = client.get("/api/v1/queries/top_cooperants_by_amount?limit=5&sources=true").json()
        plain = client.get("/api/v1/queries/top_cooperants_by_amount?limit=5").json()
    assert {"sources", "basis"} <= set(body["columns"]) and "sources" not in plain["columns"]
    bid = next(r for r in body["rows"] if r["id"] == "bid")
    assert "Tabla 5 · lines " + ", ".join(map(str, lines)) in bid["sources"]
    assert any(s.startswith("Tabla 2 · line ") for s in bid["sources"]) and bid["basis"] == "stated"
    cli = run_cli(["query", "top_cooperants_by_amount", "-p", "limit=5", "--sources", "-f", "json"], loaded_home)
    assert cli.returncode == 0, cli.stderr
    assert next(r for r in json.loads(cli.stdout) if r["id"] == "bid")["sources"] == bid["sources"]
