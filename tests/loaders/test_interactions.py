"""Interaction exports: encodings, separators, Colombian numbers, validation of the whole file,
nothing written on error, idempotent reloads, corrections, years, rejects, and the round trip."""
import json
from decimal import Decimal

import pandas as pd
import pytest

from coopgraph.graph.store.embedded import EmbeddedStore
from coopgraph.settings import Settings

from conftest import run_cli

HEADER = "año;entidad_distrital;cooperante;tipo_accion;tipo_colaboracion;monetario;aporte_cooperante;contrapartida_distrital;ods;objetivo_pdd"
ROWS = [
    "2024;SDM;BANCO MUNDIAL;Cooperación Internacional;Asistencia técnica;Sí;$ 133.770.000,00;0;11;1",
    "2024;Secretaría de Ambiente;C40 GRUPO DE LIDERAZGO CLIMÁTICO;Cooperación Internacional;Asistencia técnica;No;;;13;4",
    "2024;UAESP;Fundación Ñandú Nueva;Misión;Evento campaña;Sí;1500000.50;250.000;11;4",
]


def write(path, lines, encoding="utf-8"):
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def summary(home, *args):
    result = run_cli(["summary", "--json", *args], home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def counts(home):
    store = EmbeddedStore(Settings(home=home))
    try:
        return store.counts() if store.has_data() else None
    finally:
        store.close()


def test_a_windows_1252_semicolon_file_with_colombian_numbers_loads(home, tmp_path):
    path = write(tmp_path / "globo-2024.csv", [HEADER, *ROWS], encoding="cp1252")
    result = run_cli(["load", str(path)], home)
    assert result.returncode == 0, result.stderr
    assert "new names flagged for review: 1 cooperants" in result.stderr
    data = summary(home)
    assert data["interactions"] == 3 and data["monetary_contributions"] == 2
    assert data["total_cop"] == Decimal("133770000.00") + Decimal("1750000.50")
    store = EmbeddedStore(Settings(home=home))
    rows = store.read("MATCH (c:Cooperant {review: true}) RETURN c.name AS name")
    store.close()
    assert rows == [{"name": "Fundación Ñandú Nueva"}]  # accents survive the Windows-1252 file


def test_english_headers_commas_and_an_excel_workbook(home, tmp_path):
    english = pd.DataFrame({"Year": [2024], "District entity": ["IDIGER"], "Cooperant": ["GIZ AGENCIA DE COOPERACIÓN ALEMANA"],
                            "Cooperant amount": ["2500000"], "SDG": ["ODS 13"], "Notas internas": ["revisar"]})
    english.to_csv(tmp_path / "a.csv", index=False)
    english.assign(Year=[2023]).to_excel(tmp_path / "b.xlsx", index=False)
    result = run_cli(["load", str(tmp_path / "a.csv"), str(tmp_path / "b.xlsx")], home)
    assert result.returncode == 0, result.stderr
    assert "extra columns kept as `extra`: Notas internas" in result.stderr
    assert summary(home, "--year", "2023")["total_cop"] == Decimal("2500000.00")
    assert summary(home, "--year", "2023-2024")["monetary_contributions"] == 2


BAD_FILES = {
    "missing column": ([HEADER.replace("año;", "anio_x;"), *ROWS], "column 'año'"),
    "bad number": ([HEADER, ROWS[0].replace("$ 133.770.000,00", "133,770,000.00")], "column 'aporte_cooperante'"),
    "unknown ODS": ([HEADER, ROWS[0].replace(";11;1", ";18;1")], "an ODS number from 1 to 17"),
    "negative amount": ([HEADER, ROWS[0].replace("$ 133.770.000,00", "-5000")], "an amount of 0 or more"),
    "duplicated row": ([HEADER, ROWS[0], ROWS[1], ROWS[0]], "does not repeat an earlier one"),
    "unknown sector of plan": ([HEADER, ROWS[0].replace("2024;", "2019;", 1)], "no PDD objective outside 2024-2027"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_each_malformed_file_is_one_clear_error_and_writes_nothing(home, tmp_path, case):
    good = write(tmp_path / "bueno.csv", [HEADER, *ROWS])
    assert run_cli(["load", str(good)], home).returncode == 0
    before = counts(home)
    lines, expected = BAD_FILES[case]
    bad = write(tmp_path / "malo.csv", lines)
    result = run_cli(["load", str(bad)], home)
    assert result.returncode == 2, result.stderr
    assert "malo.csv, line" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert counts(home) == before


@pytest.mark.parametrize("content, expected", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "this file is binary"),
    ("año,cooperante\n2024,BID".encode("utf-16"), "this file is UTF-16"),
    (b"PK\x03\x04\x14\x00\x06\x00", "this is an Excel workbook"),
    (HEADER.encode(), "at least one interaction"),
])
def test_unreadable_files_are_refused(home, tmp_path, content, expected):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    result = run_cli(["load", str(path)], home)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert counts(home) is None


def test_all_problems_are_listed_at_once(home, tmp_path):
    bad = write(tmp_path / "malo.csv", [HEADER, ROWS[0].replace(";11;1", ";99;1"), ROWS[1].replace("2024;", "año;", 1)])
    result = run_cli(["load", str(bad)], home)
    assert result.returncode == 2
    assert "malo.csv, line 2, column 'ods'" in result.stderr and "malo.csv, line 3, column 'año'" in result.stderr


def test_rejects_load_the_good_rows_and_keep_the_bad_with_reasons(home, tmp_path):
    bad = write(tmp_path / "mixto.csv", [HEADER, ROWS[0], ROWS[1].replace(";13;4", ";18;4")])
    rejects = tmp_path / "rechazos.csv"
    result = run_cli(["load", str(bad), "--rejects", str(rejects)], home)
    assert result.returncode == 0, result.stderr
    assert summary(home)["interactions"] == 1
    rejected = pd.read_csv(rejects, dtype=str)
    assert list(rejected.linea) == ["3"] and "ODS" in rejected.motivo[0]


def test_same_file_twice_changes_nothing_and_a_corrected_file_replaces_its_rows(home, tmp_path):
    path = write(tmp_path / "globo.csv", [HEADER, *ROWS])
    assert run_cli(["load", str(path)], home).returncode == 0
    first = counts(home)
    second = run_cli(["load", str(path)], home)
    assert "unchanged, nothing written" in second.stderr
    assert counts(home) == first
    write(path, [HEADER, ROWS[0].replace("$ 133.770.000,00", "$ 100,00"), *ROWS[1:]])
    assert run_cli(["load", str(path)], home).returncode == 0
    assert counts(home)["nodes"]["Contribution"] == first["nodes"]["Contribution"]
    assert summary(home)["total_cop"] == Decimal("100.00") + Decimal("1750000.50")


def test_a_later_year_adds_to_the_report(home, tmp_path):
    assert run_cli(["load"], home).returncode == 0
    path = write(tmp_path / "globo-2023.csv", [HEADER.replace(";objetivo_pdd", ""),
                                               *(r.replace("2024;", "2023;", 1).rsplit(";", 1)[0] for r in ROWS)])
    result = run_cli(["load", str(path)], home)
    assert result.returncode == 0, result.stderr
    assert summary(home, "--year", "2024")["total_cop"] == Decimal("34055833247.50")
    assert summary(home, "--year", "2023")["interactions"] == 3
    assert summary(home)["interactions"] == 607 + 3


def test_the_round_trip_gives_the_reports_figures(home, tmp_path):
    assert run_cli(["load"], home).returncode == 0
    exported = tmp_path / "interacciones-2024.csv"
    assert run_cli(["export", "interactions", "-o", str(exported)], home).returncode == 0
    other = tmp_path / "otra"
    assert run_cli(["load", str(exported)], other).returncode == 0
    original, again = summary(home), summary(other)
    for key in ("interactions", "monetary_contributions", "cooperant_cop", "counterpart_cop", "total_cop",
                "by_sector", "by_sdg", "by_pdd_objective", "by_org_type"):
        assert again[key] == original[key], key
    assert again["interactions"] == 607 and again["total_cop"] == Decimal("34055833247.50")


def test_synthetic_exports_are_seeded_and_load(home, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        assert run_cli(["synth", "-o", str(path), "--rows", "3000", "--years", "2023-2024", "--cooperants", "500"],
                       home).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    frame = pd.read_csv(a, dtype=str, keep_default_na=False)
    top = frame.cooperante.value_counts()
    assert top.iloc[0] > 20 * top.median()  # a few partners carry most interactions
    result = run_cli(["load", str(a)], home)
    assert result.returncode == 0, result.stderr
    assert summary(home)["interactions"] == 3000
