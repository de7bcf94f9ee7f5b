"""Identity by content: an interaction is its id_interaccion (or, without one, its facts), a file is
its full path and checksum. Exports load back without doubling; names and folders do not matter."""
import json
from decimal import Decimal

import pandas as pd
import pytest

from conftest import run_cli

HEADER = "id_interaccion;año;entidad_distrital;cooperante;aporte_cooperante;ods"


def write(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def totals(home):
    result = run_cli(["summary", "--json"], home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout, parse_float=Decimal)
    return data["interactions"], data["total_cop"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_load_export_is_a_fixed_point(loaded_home, home, tmp_path, suffix):
    first, second = tmp_path / f"uno.{suffix}", tmp_path / f"dos.{suffix}"
    assert run_cli(["export", "interactions", "-o", str(first)], loaded_home).returncode == 0
    result = run_cli(["load", str(first)], home)  # into an empty store
    assert result.returncode == 0, result.stderr
    assert totals(home) == (607, Decimal("34055833247.50"))
    assert run_cli(["load"], home).returncode == 0  # the report itself: the same ids, nothing doubles
    again = run_cli(["load", str(first)], home)
    assert "0 new, 0 updated, 78 already held" in again.stderr or "unchanged" in again.stderr, again.stderr
    assert totals(home) == (607, Decimal("34055833247.50"))
    assert run_cli(["export", "interactions", "-o", str(second)], home).returncode == 0
    read = pd.read_csv if suffix == "csv" else pd.read_excel
    assert read(second, dtype=str).equals(read(first, dtype=str))


def test_an_export_loaded_back_into_its_store_changes_nothing(home, tmp_path):
    assert run_cli(["load"], home).returncode == 0
    exported = tmp_path / "rt.csv"
    assert run_cli(["export", "interactions", "-o", str(exported)], home).returncode == 0
    result = run_cli(["load", str(exported)], home)
    assert result.returncode == 0 and "78 already held" in result.stderr, result.stderr
    assert totals(home) == (607, Decimal("34055833247.50"))
    # a corrected amount of a report row: updated in place and reported, not added
    frame = pd.read_csv(exported, dtype=str, keep_default_na=False)
    row = frame.index[frame.id_interaccion == "informe-2024/tabla-5#1"][0]
    old = Decimal(frame.at[row, "aporte_cooperante"])
    frame.at[row, "aporte_cooperante"] = str(old + 1)
    frame.at[row, "valor_total"] = str(Decimal(frame.at[row, "valor_total"]) + 1)
    frame.to_csv(exported, index=False)
    result = run_cli(["load", str(exported)], home)
    assert result.returncode == 0, result.stderr
    assert "1 updated" in result.stderr and "informe-2024/tabla-5#1" in result.stderr
    assert "change what another source states" in result.stderr
    assert totals(home) == (607, Decimal("34055833248.50"))


def test_same_content_under_two_names_loads_once_and_two_folders_load_both(home, tmp_path):
    rows_a = [HEADER, "G-1;2023;SDM;BANCO MUNDIAL;1000;11", "G-2;2023;IDU;BID;2000;9"]
    rows_b = [HEADER, "G-3;2023;SDA;GIZ;500;13"]
    a = write(tmp_path / "a" / "export.csv", rows_a)
    b = write(tmp_path / "b" / "export.csv", rows_b)
    copy = write(tmp_path / "c" / "copia.csv", rows_a)
    result = run_cli(["load", str(a), str(b), str(copy)], home)
    assert result.returncode == 0, result.stderr
    assert "nothing written" not in result.stderr
    assert totals(home) == (3, Decimal("3500.00"))
    # a file corrected in place: its dropped row goes, the other folder's file keeps its rows
    write(a, [HEADER, "G-1;2023;SDM;BANCO MUNDIAL;1000;11"])
    assert run_cli(["load", str(a)], home).returncode == 0
    assert totals(home) == (3, Decimal("3500.00"))  # G-2 is still stated by copia.csv
    write(copy, [HEADER, "G-1;2023;SDM;BANCO MUNDIAL;1000;11"])
    result = run_cli(["load", str(copy)], home)
    assert "1 no longer stated" in result.stderr, result.stderr
    assert totals(home) == (2, Decimal("1500.00"))


def test_rows_without_ids_are_identified_by_their_facts(home, tmp_path):
    header = "año;entidad_distrital;cooperante;aporte_cooperante"
    one = write(tmp_path / "uno.csv", [header, "2023;SDM;BANCO MUNDIAL;$ 1.000,00", "2023;IDU;BID;2000"])
    two = write(tmp_path / "dos.csv", [header, "2023;IDU;BID;2.000,00", "2023;SDM;BANCO MUNDIAL;1000.00"])
    assert run_cli(["load", str(one), str(two)], home).returncode == 0
    assert totals(home) == (2, Decimal("3000.00"))
    same = write(tmp_path / "tres.csv", [header, "2023;SDM;BANCO MUNDIAL;1000", "2023;SDM;BANCO MUNDIAL;1.000"])
    result = run_cli(["load", str(same)], home)
    assert result.returncode == 2 and "does not state the same facts as an earlier one" in result.stderr, result.stderr


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_load_export_is_a_fixed_point_on_neo4j(neo4j_loaded, neo4j_settings, tmp_path, suffix):
    from conftest import neo4j_env, wipe_neo4j

    env, home = neo4j_env(neo4j_settings), tmp_path / "home"
    first, second = tmp_path / f"uno.{suffix}", tmp_path / f"dos.{suffix}"
    assert run_cli(["export", "interactions", "-o", str(first)], home, env=env).returncode == 0
    again = run_cli(["load", str(first)], home, env=env)  # onto the report it came from
    assert again.returncode == 0 and "78 already held" in again.stderr, again.stderr
    wipe_neo4j(neo4j_loaded)
    result = run_cli(["load", str(first)], home, env=env)  # into an empty database
    assert result.returncode == 0, result.stderr
    data = json.loads(run_cli(["summary", "--json"], home, env=env).stdout, parse_float=Decimal)
    assert (data["interactions"], data["total_cop"]) == (607, Decimal("34055833247.50"))
    assert run_cli(["export", "interactions", "-o", str(second)], home, env=env).returncode == 0
    read = pd.read_csv if suffix == "csv" else pd.read_excel
    assert read(second, dtype=str).equals(read(first, dtype=str))
