"""Provenance: every fact points at the report line that states it (or says it is outside knowledge),
derived facts name their method, and the audit catches a line that does not say what the fact says."""
import json
import re
import shutil

import pytest
import yaml

from coopgraph.graph.model import model
from coopgraph.loaders.curated import CURATED_DIR, read_curated
from coopgraph.loaders.names import fold
from coopgraph.loaders.pipeline import build_batch, bundled_tables
from coopgraph.loaders.provenance_audit import audit, cited_lines
from coopgraph.loaders.registry import Registry
from coopgraph.loaders.report_lines import bundled_lines, parse_locator, read_report_lines

from conftest import SEED, run_cli, seed_path

LINE = re.compile(r"^lines? \d+(, \d+)*$")


@pytest.fixture(scope="module")
def batch():
    return build_batch(bundled_tables(), Registry.load())


def test_every_relationship_has_a_line_or_an_outside_reference(loaded_store):
    for rel in loaded_store.model.relationships:
        rows = loaded_store.read(f"MATCH ()-[r:{rel}]->() RETURN r.locator AS locator, r.basis AS basis, "
                                 f"r.reference AS reference, r.source AS source")
        for row in rows:
            cited = bool(LINE.match(row["locator"] or ""))
            outside = row["basis"] == "outside" and bool(row["reference"])
            assert cited or outside, (rel, row)


def test_every_node_has_a_line_or_an_outside_reference(loaded_store):
    for label in loaded_store.model.nodes:
        if label == "Source":
            continue
        rows = loaded_store.read(
            f"MATCH (n:{label}) OPTIONAL MATCH (n)-[r:SOURCED_FROM]->(:Source) "
            f"WITH n, sum(CASE WHEN r.locator STARTS WITH 'line' OR (r.basis = 'outside' AND r.reference <> '') "
            f"THEN 1 ELSE 0 END) AS cited WHERE cited = 0 RETURN n.id AS id")
        assert rows == [], f"{label} nodes without a line or an outside reference"
        assert loaded_store.read(f"MATCH (n:{label}) WHERE n.basis IS NULL RETURN count(n) AS n")[0]["n"] == 0


def test_every_derived_fact_names_a_known_method(loaded_store):
    methods = model().provenance.methods
    seen = {}
    for rel in loaded_store.model.relationships:
        for row in loaded_store.read(f"MATCH ()-[r:{rel}]->() WHERE r.basis = 'derived' "
                                     f"RETURN r.method AS method, count(*) AS n"):
            assert row["method"] in methods, (rel, row)
            seen[(rel, row["method"])] = row["n"]
    # the inferences the report does not state, each marked as such
    assert seen[("ADVANCES", "unique-assignment:tabla-1")] == 62
    assert seen[("SERVES", "share-assignment:seccion-5")] == 62
    assert seen[("IN_OBJECTIVE", "program-code:seccion-5")] == 13
    assert seen[("TOOK_PART_IN", "host-city-as-participant")] >= 1
    assert seen[("TOOK_PART_IN", "venue-as-participant")] == 1


def test_a_stated_fact_and_a_derived_one_can_be_told_apart(loaded_store):
    [stated] = loaded_store.read("MATCH (:PDDObjective {number: 4})-[r:ADVANCES]->(:SDG {number: 13}) "
                                 "RETURN r.basis AS basis, r.locator AS locator")
    assert stated == {"basis": "stated", "locator": "line 167"}  # section 2's list
    venue = loaded_store.read("MATCH (:Cooperant {id: 'universidad-los-andes'})-[r:TOOK_PART_IN]->"
                              "(:Engagement {id: 'internacionalizacion-de-ciudades-2024-05-16'}) RETURN r.basis AS basis, r.method AS method")
    assert venue == [{"basis": "derived", "method": "venue-as-participant"}]


def test_the_audit_passes_on_the_bundled_data(batch):
    result = audit(batch, bundled_lines())
    assert result.findings == []
    assert result.checked > 1500


def test_the_audit_passes_against_the_report_itself(batch):
    result = audit(batch, read_report_lines(seed_path()))
    assert result.findings == []


def test_a_wrong_locator_fails_the_audit(tmp_path):
    """Point Diana Durán at the line of the New York meeting, which does not name her."""
    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    path = curated / "engagements.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  report_lines: [885, 949, 951, 953, 957]\n" in text
    path.write_text(text.replace("  report_lines: [885, 949, 951, 953, 957]\n", "  report_lines: [947]\n", 1),
                    encoding="utf-8")
    result = audit(build_batch(bundled_tables(), Registry(read_curated(curated))), bundled_lines())
    wrong = {f.fact for f in result.findings}
    assert "TOOK_PART_IN Person diana-duran -> Engagement breathe-cities-bogota" in wrong
    assert "WORKS_FOR Person diana-duran -> Cooperant c40" in wrong
    assert all(f.locator == "line 947" for f in result.findings if "diana-duran" in f.fact)


def test_a_line_the_report_does_not_have_fails_the_audit(batch):
    broken = {n: t for n, t in bundled_lines().items() if n != 1003}  # the energy-governance line
    findings = audit(batch, broken).findings
    assert any("upme" in f.fact and "1003" in f.problem for f in findings)


def test_the_bundled_lines_are_the_reports_and_cover_every_citation(batch):
    bundled = bundled_lines()
    report = read_report_lines(seed_path())
    assert {n: report[n] for n in bundled} == bundled
    assert cited_lines(batch, read_curated()) <= set(bundled)


def test_sources_quotes_the_report(loaded_home):
    result = run_cli(["sources", "diana-duran"], loaded_home)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "línea 953" in text and "C40 contrató a Diana Durán como gerente de proyecto en la ciudad" in text
    assert "data/curated/engagements.yaml line" in text
    data = json.loads(run_cli(["sources", "ods-13", "--json"], loaded_home).stdout)
    derived = [r for r in data["relationships"] if r["basis"] == "derived"]
    assert derived and all(r["method"] == "unique-assignment:tabla-1" for r in derived)
    assert run_cli(["sources", "no-such-fact"], loaded_home).returncode == 2


def test_check_runs_the_provenance_audit(home):
    result = run_cli(["check", "--json"], home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["provenance"]
    assert data["findings"] == [] and data["checked"] > 1500
    assert set(data["relationships_by_basis"]) == {"stated", "derived", "outside"}


# -- the narrative of sections 5 and 6: every person named, and the links the report states ------------

PEOPLE_OF_SECTIONS_5_AND_6 = """
Max Bouchet; Lorenzo Kihlgren Grandi; Natalia Cote-Muñoz; Ana Ciuti; Carlos Fernando Galán; Sandra Borda;
Mark Watts; Jaime Pumarejo; Jane Burston; Priya Shankar; Adriana Soto; Diana Durán; Koh Poh Koon;
Natasha Avendaño; Consuelo Ordoñez de Rincón; Jaime Andrés Silva Gómez; Vanessa Velasco; Salomé Valencia Aguirre;
Luis Miguel Ramírez; Diana Morales Betancourt; Santiago Trujillo; Leonardo Rodríguez Garzón; Mariana Unda;
Rodrigo González; Wilson Rodríguez; Daniela Borbón; Manuela Serrano; Paola Andrea Vargas; Dilaan Gaviria;
Juan Camilo Rodríguez Cárdenas; Efrén Emigdio Cárdenas Bermúdez; Andrea Arce Benjumea; Mónica María Céspedes Ávila;
David Cardona; Sebastián Castañeda; Sandra Raquel Vega Reyes; Jordi Vaquer; Lorena Cárdenas Rodríguez;
Ana María Buriticá Álzate; Nasly Salamanca; Guillermo Escobar; Cesar Restrepo; Gerson Bermont
"""


def test_every_person_sections_5_and_6_name_is_in_the_graph(loaded_store):
    named = {fold(n) for n in PEOPLE_OF_SECTIONS_5_AND_6.replace("\n", " ").split(";")}
    assert len(named) == 43
    report = fold(" ".join(t for n, t in read_report_lines(seed_path()).items() if n >= 721)) if SEED.exists() else None
    if report:
        assert all(n in report for n in named)  # the list is the report's
    people = {fold(r["name"]) for r in loaded_store.read("MATCH (p:Person) RETURN p.name AS name")}
    assert named - people == set()


@pytest.mark.parametrize("cypher, expected", [
    ("MATCH (:Person {id: 'diana-duran'})-[r:WORKS_FOR]->(c:Cooperant) RETURN c.id AS id, r.locator AS at",
     [{"id": "c40", "at": "line 953"}]),
    ("MATCH (e:DistrictEntity)-[r:MEMBER_OF]->(:CityNetwork {id: 'alamys'}) RETURN e.id AS id, r.locator AS at",
     [{"id": "metro-bogota", "at": "line 1193"}]),
    ("MATCH (c:Cooperant)-[r:HOLDS_ROLE]->(:CityNetwork {id: 'cideu'}) RETURN c.id AS id, r.locator AS at",
     [{"id": "ciudad-cuenca", "at": "line 1109"}]),
])
def test_links_the_narrative_states(loaded_store, cypher, expected):
    assert loaded_store.read(cypher) == expected


def test_energy_governance_partners_are_linked(loaded_store):
    rows = loaded_store.read("MATCH (n)-[r:TOOK_PART_IN]->(:Engagement {id: 'c40-gobernanza-energetica'}) "
                             "RETURN n.id AS id, r.locator AS at")
    ids = {r["id"] for r in rows}
    assert {"geb", "enel-colombia", "andi", "upme", "sdht", "sdp", "sda", "eaab", "idiger"} <= ids
    assert {r["at"] for r in rows} == {"line 1003"}


def test_cideu_activity_participants_work_for_their_entities(loaded_store):
    rows = {r["name"]: r["entity"] for r in loaded_store.read(
        "MATCH (p:Person)-[:TOOK_PART_IN]->(e:Engagement)-[:UNDER_NETWORK]->(:CityNetwork {id: 'cideu'}) "
        "MATCH (p)-[:WORKS_FOR]->(d:DistrictEntity) RETURN DISTINCT p.name AS name, d.id AS entity")}
    assert rows["Manuela Serrano"] == rows["Paola Andrea Vargas"] == "consejeria-tic"
    assert rows["Dilaan Gaviria"] == "sdm"
    assert rows["Andrea Arce Benjumea"] == rows["Mónica María Céspedes Ávila"] == "renobo"


# -- the basis as a filter: named queries and the API ---------------------------------------------

def test_named_queries_filter_on_basis(loaded_store):
    from coopgraph.cypher.library import run

    derived = {(r["relationship"], r["how"]): r["facts"] for r in run(loaded_store, "derived_facts")}
    assert derived[("ADVANCES", "unique-assignment:tabla-1")] == 62
    outside = run(loaded_store, "derived_facts", basis="outside")
    assert {r["relationship"] for r in outside} >= {"BELONGS_TO"}
    links = run(loaded_store, "organisation_neighbours", id="universidad-los-andes", basis="derived")
    assert [(r["neighbour_id"], r["bases"]) for r in links] == [("internacionalizacion-de-ciudades-2024-05-16", ["derived"])]


def test_api_lists_sources_and_filters_on_basis(loaded_home):
    from fastapi.testclient import TestClient

    from coopgraph.api.app import create_app
    from coopgraph.settings import Settings

    with TestClient(create_app(Settings(home=loaded_home))) as client:
        diana = client.get("/api/v1/sources/diana-duran").json()
        assert any("Diana Durán" in q["text"] for s in diana["sources"] for q in s["quotes"])
        derived = client.get("/api/v1/sources/ods-11", params={"basis": "derived"}).json()
        assert derived["relationships"] and {r["method"] for r in derived["relationships"]} == {"unique-assignment:tabla-1"}
        assert client.get("/api/v1/sources/no-such-fact").status_code == 404
        assert client.get("/api/v1/sources/ods-11", params={"basis": "guessed"}).status_code == 422
        madrid = client.get("/api/v1/organisations/cooperant/ayuntamiento-madrid", params={"basis": "derived"}).json()
        assert madrid["neighbours"] and all(n["bases"] == ["derived"] for n in madrid["neighbours"])
        assert all(s["basis"] == "derived" for s in madrid["sources"])


def test_facts_export_filters_on_basis(loaded_home, tmp_path):
    import csv

    out = tmp_path / "derived.csv"
    result = run_cli(["export", "facts", "-o", str(out), "--basis", "derived"], loaded_home)
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    # 166 derived relationships and the 9 node citations of rows naming an organisation by a merged name
    assert len(rows) == 175 and {r["basis"] for r in rows} == {"derived"} and all(r["method"] for r in rows)
    assert sum(r["method"] == "merge:org-aliases" for r in rows) == 18
    odd = [r for r in rows if r["type"] == "ADVANCES"]
    assert len(odd) == 62 and all(r["reason"].startswith("Única asignación compatible con Tabla 1") for r in odd)
    assert run_cli(["export", "facts", "-o", str(out), "--basis", "guessed"], loaded_home).returncode == 2


def test_api_lists_facts_by_basis(loaded_home):
    from fastapi.testclient import TestClient

    from coopgraph.api.app import create_app
    from coopgraph.settings import Settings

    with TestClient(create_app(Settings(home=loaded_home))) as client:
        page = client.get("/api/v1/facts", params={"basis": "outside", "limit": 5}).json()
        assert page["total"] >= 29 and len(page["items"]) == 5
        assert all(f["basis"] == "outside" and f["reference"] for f in page["items"])
        took = client.get("/api/v1/facts", params={"basis": "derived", "type": "TOOK_PART_IN"}).json()
        assert {f["method"] for f in took["items"]} == {"host-city-as-participant", "venue-as-participant"}


def test_a_schema_whose_bases_differ_from_the_options_is_refused(tmp_path):
    """The API's and CLI's `basis` choices are the schema's: a provenance.yaml naming another basis
    (or dropping one) stops the model from loading instead of leaving an option no fact can match."""
    from coopgraph.errors import SchemaError
    from coopgraph.graph.model import PROVENANCE_FILE, SCHEMA_DIR, load_model

    schema = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, schema)
    assert list(load_model(schema).provenance.bases) == ["stated", "derived", "outside"]
    raw = yaml.safe_load((schema / PROVENANCE_FILE).read_text(encoding="utf-8"))
    raw["basis"]["inferred"] = raw["basis"].pop("derived")
    (schema / PROVENANCE_FILE).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError, match="`basis` must list stated, derived, outside"):
        load_model(schema)
