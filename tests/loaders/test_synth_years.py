"""Multi-year synthetic exports: partners enter and leave, money comes in several currencies."""
from __future__ import annotations

import pandas as pd

from conftest import run_cli


def test_multi_year_synth_has_partners_entering_and_leaving_and_several_currencies(home, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        result = run_cli(["synth", "--years", "2022-2025", "--seed", "11", "--rows", "3000", "-o", str(path)], home)
        assert result.returncode == 0, result.stderr
    assert a.read_bytes() == b.read_bytes()
    frame = pd.read_csv(a, dtype=str, keep_default_na=False)
    assert sorted(frame["año"].unique()) == ["2022", "2023", "2024", "2025"]
    partners = {year: set(rows.cooperante) for year, rows in frame.groupby("año")}
    assert partners["2022"] - partners["2025"], "some partners of 2022 have left by 2025"
    assert partners["2025"] - partners["2022"], "some partners of 2025 were not there in 2022"
    money = frame[frame.monetario == "Sí"]
    assert {"COP", "USD", "EUR"} <= set(money.moneda)
    assert not money[money.moneda != "COP"].aporte_cooperante.str.contains("$", regex=False).any()
    result = run_cli(["load", str(a)], home)
    assert result.returncode == 0, result.stderr
