"""Files are bounded before they are read, and values are strict where silence loses money and lenient
where people are right: each hostile file or value gets one clear line and leaves the store as it was."""
from __future__ import annotations

import os
import zipfile

import openpyxl
import pandas as pd
import pytest

from conftest import run_cli

ENTITY = "SECRETARÍA DISTRITAL DE MOVILIDAD"


def _summary(home) -> str:
    return run_cli(["summary", "--json"], home).stdout


def _refused(home, path, *expected, env=None):
    before = _summary(home)
    result = run_cli(["load", str(path)], home, env=env)
    assert result.returncode != 0, f"{path.name} loaded"
    assert "Traceback" not in result.stderr and result.stderr.count("error:") == 1, result.stderr[-1500:]
    for text in expected:
        assert text in result.stderr, result.stderr[-1500:]
    assert _summary(home) == before  # nothing written
    return result.stderr


def _row(**cells) -> dict:
    return {"id_interaccion": "H-1", "año": "2024", "entidad_distrital": ENTITY, "cooperante": "BANCO MUNDIAL",
            "monetario": "Sí", "aporte_cooperante": "1.000,00", "moneda": "COP", **cells}


def _csv(tmp_path, name, *rows) -> "os.PathLike":
    path = tmp_path / name
    pd.DataFrame(list(rows)).to_csv(path, index=False)
    return path


# -- files ------------------------------------------------------------------------------------
def test_what_is_not_a_regular_file_is_refused_in_one_line(loaded_home, tmp_path):
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # would hang a load forever
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")  # would never end
    (tmp_path / "loop-a.csv").symlink_to(tmp_path / "loop-b.csv")
    (tmp_path / "loop-b.csv").symlink_to(tmp_path / "loop-a.csv")
    folder = tmp_path / "carpeta.csv"
    folder.mkdir()
    _refused(loaded_home, fifo, "a regular file; this is a FIFO")
    _refused(loaded_home, zero, "a regular file; this is a device")
    _refused(loaded_home, tmp_path / "loop-a.csv", "a loop of symbolic links")
    _refused(loaded_home, folder, "a regular file; this is a folder")


def test_files_over_the_size_limit_are_refused_before_reading(loaded_home, tmp_path):
    big = _csv(tmp_path, "grande.csv", *[_row(id_interaccion=f"G-{i}", descripcion="x" * 200) for i in range(3000)])
    _refused(loaded_home, big, "COOPGRAPH_LOAD_MAX_FILE_MB", env={"COOPGRAPH_LOAD_MAX_FILE_MB": "0.1"})


def test_an_xlsx_that_inflates_past_its_limits_is_refused(loaded_home, tmp_path):
    plain = tmp_path / "base.xlsx"
    book = openpyxl.Workbook()
    book.active.append(list(_row()))
    book.active.append(list(_row().values()))
    book.save(plain)
    bomb = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # 64 MB of whitespace in a file of ~70 KB
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (64 * 2**20))
            out.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 200_000
    _refused(loaded_home, bomb, "COOPGRAPH_LOAD_MAX_XLSX_RATIO")
    _refused(loaded_home, bomb, "COOPGRAPH_LOAD_MAX_XLSX_INFLATED_MB",
             env={"COOPGRAPH_LOAD_MAX_XLSX_INFLATED_MB": "16", "COOPGRAPH_LOAD_MAX_XLSX_RATIO": "100000"})


# -- values -----------------------------------------------------------------------------------
@pytest.mark.parametrize("cells, column, expected", [
    ({"moneda": "ZZZ"}, "moneda", "an ISO 4217 currency code"),
    ({"ods": "13,14"}, "ods", "an ODS number from 1 to 17, one per row"),
    ({"ods": "13a"}, "ods", "an ODS number from 1 to 17, one per row"),
    ({"ods": "ODS 13.5"}, "ods", "a target such as 13.5 is written 13"),
    ({"objetivo_pdd": "1.5"}, "objetivo_pdd", "a whole number"),
    ({"cantidad": "999999999"}, "cantidad", "COOPGRAPH_LOAD_MAX_INTERACTIONS_PER_ROW"),
    ({"cooperante": "ВАNCO MUNDIAL"}, "cooperante", "mixes Cyrillic letters into Latin ones"),
    ({"cooperante": "BANCO \u202eLAIDNUM"}, "cooperante", "invisible or text-direction characters"),
])
def test_values_that_would_lose_something_are_refused(loaded_home, tmp_path, cells, column, expected):
    stderr = _refused(loaded_home, _csv(tmp_path, "malo.csv", _row(**cells)), expected)
    assert column in stderr


def test_a_look_alike_names_what_it_imitates(loaded_home, tmp_path):
    stderr = _refused(loaded_home, _csv(tmp_path, "parecido.csv", _row(cooperante="ВАNCO MUNDIAL")))
    assert "reads like the known organisation 'banco-mundial'" in stderr


def test_what_people_write_rightly_is_accepted(home, tmp_path):
    path = tmp_path / "bien.csv"
    frame = pd.DataFrame([_row(id_interaccion="OK-1", aporte_cooperante="000000000000000001000", moneda="eur", ods="ODS 13"),
                          _row(id_interaccion="OK-2", ods="13. Acción por el clima", objetivo_pdd="Objetivo 2")])
    path.write_text("\n\n" + frame.to_csv(index=False), encoding="utf-8")  # blank lines above the header
    result = run_cli(["load", str(path)], home)
    assert result.returncode == 0, result.stderr
    assert "2 rows loaded" in result.stderr
