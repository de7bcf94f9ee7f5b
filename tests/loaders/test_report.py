"""The report parser: bundled CSVs are exactly what the seed parses to, and bad input is named precisely."""
from decimal import Decimal

import pandas as pd
import pytest

from coopgraph.errors import InputError
from coopgraph.loaders.pipeline import BUNDLED_REPORT, bundled_tables
from coopgraph.loaders.report import parse_report
from coopgraph.loaders.tables import TABLES, to_csv_frame

from conftest import seed_path


@pytest.fixture(scope="module")
def parsed():
    return parse_report(seed_path())


def test_bundled_csvs_equal_a_fresh_parse_of_the_seed(parsed):
    for name, spec in TABLES.items():
        bundled = pd.read_csv(BUNDLED_REPORT / spec.filename, dtype=str, keep_default_na=False)
        fresh = to_csv_frame(name, parsed[name]).astype(str)
        pd.testing.assert_frame_equal(bundled, fresh.reset_index(drop=True), check_dtype=False, obj=spec.filename)


def test_tables_have_the_reports_rows(parsed):
    assert len(parsed["sdg"]) == 16  # ODS 14 has no row in Tabla 1
    assert len(parsed["cooperants"]) == 272
    assert len(parsed["contributions"]) == 62
    assert len(parsed["cideu"]) == 7
    assert parsed["cooperants"].interactions.sum() == 607
    assert parsed["entities"].interactions.sum() == 607


def test_money_is_exact(parsed):
    contributions = parsed["contributions"]
    assert sum(contributions.cooperant_cop, Decimal(0)) == Decimal("23969094079.50")
    assert sum(contributions.total_cop, Decimal(0)) == Decimal("34055833247.50")
    afd = contributions[contributions.total_cop == Decimal("220009449.50")]
    assert afd.iloc[0].cooperant.startswith("AFD")


def test_every_row_names_its_table_and_line(parsed):
    row = parsed["contributions"].iloc[0]
    assert row.source == "informe-2024/tabla-5"
    assert seed_path().read_text(encoding="utf-8").split("\n")[row.line - 1].startswith("CULTURA")


def _broken_copy(tmp_path, old: str, new: str):
    text = seed_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "informe-roto.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text.split(old)[0].count("\n") + 1
    return path, line


def test_a_bad_amount_names_file_line_and_column(tmp_path):
    path, line = _broken_copy(tmp_path, "\\$ 664.654.200,00", "\\$ 664,654,200.00")
    with pytest.raises(InputError) as caught:
        parse_report(path)
    message = str(caught.value)
    assert f"informe-roto.txt, line {line}" in message
    assert "VALOR APORTE COOPERANTE" in message and "Colombian" in message


def test_a_short_row_is_refused(tmp_path):
    path, line = _broken_copy(tmp_path, "MUJER\tSECRETARÍA DISTRITAL DE LA MUJER\tONU MUJERES\t",
                              "MUJER\tSECRETARÍA DISTRITAL DE LA MUJER ONU MUJERES\t")
    with pytest.raises(InputError, match=f"line {line}: expected a Tabla 5 row"):
        parse_report(path)


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "informe.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(InputError, match="UTF-8 text"):
        parse_report(path)


def test_bundled_tables_validate():
    tables = bundled_tables()
    assert set(tables) == set(TABLES)
    assert tables["claims"].claim_id.is_unique
