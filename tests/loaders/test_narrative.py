"""What sections 1 and 6 tell beyond the tables, each fact on its own line: who sat at the Singapore
and Madrid tables, who only met the mayor on the side, who designated whom, the roles of Breathe
Cities' founders, AVANTIA's execution, the mayor's office and the act the report is presented under."""
import json

import pytest

from coopgraph.cypher.library import run
from coopgraph.analysis.profiles import build_profile
from coopgraph.loaders.pipeline import bundled_tables

from conftest import SEED, run_cli, seed_path


@pytest.fixture(scope="module")
def sources(loaded_home):
    def read(fact_id: str) -> dict:
        result = run_cli(["sources", fact_id, "--json"], loaded_home)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)
    return read


def took_part(data: dict) -> dict[str, dict]:
    return {r["other_id"]: r for r in data["relationships"] if r["type"] == "TOOK_PART_IN"}


def section(profile, key):
    return next(s for s in profile.sections if s.key == key)


def test_the_mayors_at_the_singapore_roundtable(sources):
    taken = took_part(sources("c40-mayoral-roundtable-singapur-2024"))
    mayors = {"ciudad-addis-abeba", "alcaldia-ciudad-del-cabo", "ciudad-dhaka-sur", "alcaldia-medellin",
              "ciudad-nairobi", "ciudad-melbourne", "ciudad-quezon"}
    assert mayors <= set(taken)
    assert {taken[m]["locator"] for m in mayors} == {"line 961"}
    assert "Ciudad Quezon" in taken["ciudad-quezon"]["quotes"][0]["text"]


def test_line_887s_side_meetings_are_not_the_roundtables_participants(sources):
    partners = {"arup", "citynet", "zurich-asia-pacific", "ecca", "world-green-building-council", "resilient-cities-network"}
    assert not partners & set(took_part(sources("c40-mayoral-roundtable-singapur-2024")))
    side = took_part(sources("singapur-encuentros-bilaterales-2024"))
    assert partners <= set(side)
    assert {(side[p]["locator"], side[p]["role"]) for p in partners} == {("line 887", "Encuentro bilateral")}


def test_the_mayors_in_madrid_and_the_financing_study_due_january_2025(sources, loaded_store):
    taken = took_part(sources("ucci-comite-ejecutivo-madrid-2024"))
    cities = {"ayuntamiento-madrid", "intendencia-montevideo", "ciudad-san-jose-costa-rica", "ciudad-lisboa",
              "ciudad-buenos-aires", "ayuntamiento-cadiz", "ciudad-santo-domingo", "ciudad-san-salvador"}
    assert cities <= set(taken) and {taken[c]["locator"] for c in cities} == {"line 1013"}
    assert taken["ayuntamiento-madrid"]["role"].startswith("Copresidente de la UCCI")
    study = build_profile(loaded_store, "engagement", "ucci-estudio-necesidades-financiamiento")
    assert study.details["end_date"] == "2025-01" and study.details["kind"] == "study"
    assert "necesidades de financiamiento" in study.details["description"]
    [listed] = [r for r in run(loaded_store, "network_engagements", network_id="ucci")
                if r["id"] == "ucci-estudio-necesidades-financiamiento"]
    assert (listed["kind"], listed["end_date"]) == ("study", "2025-01")
    [cited] = [s for s in sources("ucci-estudio-necesidades-financiamiento")["sources"]]
    assert cited["locator"] == "line 1013" and "enero de 2025" in cited["quotes"][0]["text"]


def test_avantias_execution_on_its_ficha(loaded_store, sources):
    avantia = build_profile(loaded_store, "engagement", "avantia")
    text = avantia.details["description"]
    assert "58 % de los recursos" in text and "el 13 % corresponde a 2024" in text
    assert "9 de las 18 actividades" in text and "42 % de ejecución" in text
    lines = {s["locator"] for s in sources("avantia")["sources"]}
    assert any("1143" in locator for locator in lines)


def test_breathe_cities_founders_with_their_roles(loaded_store, sources):
    """Line 951: C40 and Clean Air Fund implement, Bloomberg Philanthropies is the main funder."""
    parts = {r["id"]: r["part"] for r in section(build_profile(loaded_store, "engagement", "breathe-cities-bogota"),
                                                 "participants").rows}
    assert "financiador principal" in parts["bloomberg-philanthropies"]
    assert "aliado implementador" in parts["c40"] and "aliado implementador" in parts["clean-air-fund"]
    assert parts["sda"] is None
    founders = took_part(sources("breathe-cities-bogota"))
    assert all("951" in founders[o]["locator"] for o in ("c40", "bloomberg-philanthropies", "clean-air-fund"))


def test_the_director_designated_who_went_to_barcelona(loaded_store, sources):
    """Line 971: Consuelo Ordoñez de Rincón designated Jaime Andrés Silva Gómez, who attended."""
    people = {r["name"]: r["role"] for r in section(
        build_profile(loaded_store, "engagement", "c40-smart-city-expo-cbca-barcelona-2024"), "people").rows}
    assert set(people) == {"Jaime Andrés Silva Gómez"}
    assert "designado por la directora general Consuelo Ordoñez de Rincón" in people["Jaime Andrés Silva Gómez"]
    consuelo = sources("consuelo-ordonez-de-rincon")
    assert [r["type"] for r in consuelo["relationships"]] == ["WORKS_FOR"]
    assert (consuelo["relationships"][0]["other_id"], consuelo["relationships"][0]["locator"]) == ("uaesp", "line 971")
    staff = {r["name"]: r["role"] for r in section(build_profile(loaded_store, "entity", "uaesp"), "people").rows}
    assert staff["Jaime Andrés Silva Gómez"] == "Asesor de dirección general de la UAESP"
    assert staff["Consuelo Ordoñez de Rincón"] == "Directora general de la UAESP"


def test_the_mayors_office(loaded_store, sources):
    rows = run(loaded_store, "person_engagements", id="carlos-fernando-galan")
    assert {tuple(r["works_for"]) for r in rows} == {("SECRETARÍA GENERAL ALCALDÍA MAYOR DE BOGOTÁ",)}
    [works] = [r for r in sources("carlos-fernando-galan")["relationships"] if r["type"] == "WORKS_FOR"]
    assert (works["other_id"], works["role"]) == ("sg", "Alcalde Mayor de Bogotá")
    assert (works["basis"], works["method"], works["locator"]) == ("derived", "office-of-the-mayor", "lines 883, 937")


def test_the_act_the_report_is_presented_under(loaded_home, sources):
    """Line 48: 'conforme lo establece el Acuerdo 438 de 2010'."""
    [report] = [r for r in bundled_tables()["sources"].itertuples() if r.kind == "report"]
    assert (report.mandate, report.mandate_line) == ("Acuerdo 438 de 2010", "48")
    if SEED.exists():
        assert "conforme lo establece el Acuerdo 438 de 2010" in seed_path().read_text(encoding="utf-8").splitlines()[47]
    data = sources("informe-2024")
    assert data["label"] == "Source" and [s["mandate"] for s in data["sources"]] == ["Acuerdo 438 de 2010"]
    assert data["sources"][0]["locator"] == "line 48"
    text = " ".join(run_cli(["sources", "informe-2024"], loaded_home).stdout.split())
    assert "mandato: Acuerdo 438 de 2010" in text and "línea 48" in text
    assert "obligación de presentar un informe de gestión" in text
