"""`coopgraph check`: the report's stated totals against its rows, slips listed, the report's
contradictions in words listed with their lines, exit 0."""
import json
import shutil
from decimal import Decimal

from coopgraph.loaders.contradictions import contradictions
from coopgraph.loaders.curated import CURATED_DIR, read_curated
from coopgraph.loaders.pipeline import bundled_tables
from coopgraph.loaders.reconcile import OK, ROUNDING, SLIP, reconcile
from coopgraph.loaders.report_lines import read_report_lines

from conftest import run_cli, seed_path


def by_id():
    return {row.claim_id: row for row in reconcile(bundled_tables())}


def test_tables_totals_match_their_rows():
    rows = by_id()
    for claim in ("tabla-1.interactions", "tabla-1.total", "tabla-2.interactions", "tabla-3.interactions",
                  "tabla-5.cooperant", "tabla-5.counterpart", "tabla-5.total", "seccion-2.total",
                  "cruce.monetarias", "tabla-5.rows"):
        assert rows[claim].status == OK, rows[claim]


def test_the_narrative_cooperant_total_is_a_slip():
    row = by_id()["seccion-4.cooperant"]
    assert row.status == SLIP
    assert row.stated == Decimal("23969094049.50")
    assert row.computed == Decimal("23969094079.50")


def test_tabla_4_subtotal_off_by_rounding():
    row = by_id()["tabla-4.subtotal.diplomacia-de-ciudad-y-posicionamiento"]
    assert (row.stated, row.computed, row.status) == (Decimal(3853), Decimal(3854), ROUNDING)


def test_cli_prints_the_table_and_the_slips(home):
    result = run_cli(["check"], home)
    assert result.returncode == 0, result.stderr
    assert "Conciliación del informe" in result.stdout
    assert "23.969.094.049,50" in result.stdout and "23.969.094.079,50" in result.stdout
    assert "diferencias del informe" in result.stdout


# -- where the report contradicts itself in words (data/curated/contradictions.csv) ----------------

CONTRADICTIONS = {  # id -> the lines that disagree, as `coopgraph check` lists them
    "seccion-2.ranking-ods": [204, 178, 186],
    "seccion-2.ods-3-vida-terrestre": [204, 181, 185],
    "cideu.numero-del-congreso": [1124, 1135, 1109],
    "breathe-cities.dos-oficializaciones": [953, 947, 949],
    "avantia.financiador": [1141, 700],
    "tabla-2.uitp-con-nombre-de-codatu": [509, 331],
    "tabla-3.apc-como-entidad-distrital": [544, 272],
    "cdri.como-cooperante": [332, 657, 578],
    "pie-1.glu-por-cglu": [837, 828],
}


def test_each_contradiction_says_what_its_lines_say_in_the_report_itself():
    found = contradictions(read_curated(), read_report_lines(seed_path()))
    assert {c.contradiction_id: c.lines for c in found} == CONTRADICTIONS
    assert [c.problem for c in found if c.problem] == []
    quoted = {c.contradiction_id: {q["line"]: q["text"] for q in c.quotes} for c in found}
    assert "No.3. Vida de ecosistemas terrestres" in quoted["seccion-2.ods-3-vida-terrestre"][204]
    assert quoted["seccion-2.ranking-ods"][178].startswith("11. Ciudades y comunidades sostenibles")
    assert "XXVI Congreso" in quoted["cideu.numero-del-congreso"][1124]
    assert "XXIV Congreso" in quoted["cideu.numero-del-congreso"][1135]
    assert "membresías de GLU" in quoted["pie-1.glu-por-cglu"][837]


def test_check_lists_the_contradictions_with_their_lines(home):
    result = run_cli(["check"], home)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "9 contradicciones del informe" in text
    for lines in CONTRADICTIONS.values():
        assert "líneas " + ", ".join(map(str, lines)) in text
    assert "línea 1124: “Participación de la Consejera Borda en el XXVI Congreso de CIDEU en Zaragoza" in text
    assert "línea 544: “APC AGENCIA PRESIDENCIAL DE COOPERACIÓN INTERNACIONAL DE COLOMBIA 1”" in text
    data = json.loads(run_cli(["check", "--json"], home).stdout)["contradictions"]
    assert {c["contradiction_id"]: c["lines"] for c in data} == CONTRADICTIONS
    assert all(c["problem"] == "" and c["curated"].startswith("data/curated/contradictions.csv line ") for c in data)


def test_a_contradiction_whose_line_moved_fails_the_check(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    path = curated / "contradictions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("1124|1135|1109", "1125|1135|1109"), encoding="utf-8")
    [moved] = [c for c in contradictions(read_curated(curated), read_report_lines(seed_path()))
               if c.contradiction_id == "cideu.numero-del-congreso"]
    assert moved.problem == "line 1125 does not say 'XXVI Congreso de CIDEU en Zaragoza'"
