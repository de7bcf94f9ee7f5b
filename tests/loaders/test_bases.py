"""Each fact says whether the report states it, coopgraph derived it or it comes from outside, and
cites the line that does: what `coopgraph sources` and the fichas show a reader checking a fact."""
import json

import pytest

from coopgraph.analysis.profiles import build_profile

from conftest import run_cli


@pytest.fixture(scope="module")
def sources(loaded_home):
    def read(fact_id: str) -> dict:
        result = run_cli(["sources", fact_id, "--json"], loaded_home)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)
    return read


def one(data: dict, rel_type: str, **match) -> dict:
    [rel] = [r for r in data["relationships"] if r["type"] == rel_type
             and all(r.get(k) == v for k, v in match.items())]
    return rel


def test_a_row_naming_an_organisation_by_another_name_is_derived(sources, loaded_home):
    """Tabla 5 row 22 (line 666) says MINISTERIO DE CULTURA DE CHILE; that it is MINCAP is coopgraph's merge."""
    mincap = sources("mincap-chile")
    merged = one(mincap, "PROVIDED", locator="line 666")
    assert (merged["basis"], merged["method"]) == ("derived", "merge:org-aliases")
    assert merged["curated"].startswith("data/curated/org_aliases.csv line ")
    assert "MINISTERIO DE CULTURA DE CHILE" in merged["quotes"][0]["text"]
    own = one(mincap, "PROVIDED", locator="line 648")  # row 6 uses MINCAP's own name
    assert (own["basis"], own["method"]) == ("stated", None)
    node = {s["locator"]: (s["basis"], s["method"]) for s in mincap["sources"] if s["source"] == "informe-2024/tabla-5"}
    assert node["line 666"] == ("derived", "merge:org-aliases") and node["line 648"] == ("stated", None)
    text = run_cli(["sources", "mincap-chile"], loaded_home).stdout
    assert "[derived: merge:org-aliases]" in text


@pytest.mark.parametrize("entity, sector, line, words", [
    ("sda", "AMBIENTE", 939, "Secretaría de Ambiente"),
    ("jbb", "AMBIENTE", 939, "Jardín Botánico de Bogotá"),
    ("idiger", "AMBIENTE", 939, "IDIGER"),
    ("cdri", "GESTIÓN PÚBLICA", 937, "Consejería Distrital de Relaciones Internacionales"),
])
def test_section_6_states_these_sectors(sources, entity, sector, line, words):
    belongs = one(sources(entity), "BELONGS_TO")
    assert belongs["other_name"] == sector
    assert (belongs["basis"], belongs["locator"], belongs["source"]) == ("stated", f"line {line}", "informe-2024/seccion-6.1.7")
    assert belongs["reference"] is None and words in belongs["quotes"][0]["text"]


def test_a_sector_both_tabla_5_and_section_6_state_cites_both(sources):
    belongs = one(sources("sg"), "BELONGS_TO")
    assert belongs["locator"] == "lines 685, 937"
    assert belongs["source"] == "informe-2024/tabla-5|informe-2024/seccion-6.1.7"


def test_the_cbca_in_c40_is_outside_knowledge_not_line_971(sources):
    section = one(sources("c40-cbca"), "SECTION_OF", direction="out")
    assert section["other_id"] == "c40"
    assert (section["basis"], section["locator"], section["quotes"]) == ("outside", "", [])
    assert "c40.org" in section["reference"] and "971" in section["reference"]


def test_a_panelists_post_is_not_panelista(loaded_store):
    """Line 769 names 'panelistas internacionales como … Natalia Cote-Muñoz, del Departamento de Estado':
    her part in the event, not her post."""
    people = next(s for s in build_profile(loaded_store, "cooperant", "departamento-estado-eeuu").sections
                  if s.key == "people")
    assert [(r["name"], r["role"]) for r in people.rows] == [("Natalia Cote-Muñoz", None)]
    event = next(s for s in build_profile(loaded_store, "engagement", "internacionalizacion-de-ciudades-2024-05-16").sections
                 if s.key == "people")
    assert {r["name"]: r["role"] for r in event.rows}["Natalia Cote-Muñoz"] == "Panelista"
    ciuti = loaded_store.read("MATCH (:Person {id: 'ana-ciuti'})-[r:WORKS_FOR]->(o:Cooperant) RETURN o.id AS id, r.role AS role")
    assert ciuti == [{"id": "ciudad-buenos-aires", "role": "Subsecretaria de Relaciones Internacionales de Buenos Aires"}]
