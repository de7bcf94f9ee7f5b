"""Exchange rates: the TRM's known values, its validity spans, the ECB cross, and later TRM files."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coopgraph.rates import RateError, Rates, load_rates
from conftest import run_cli


@pytest.fixture(scope="module")
def rates() -> Rates:
    return load_rates()


def test_trm_of_a_known_day(rates):
    rate = rates.rate("USD", "2024-09-23")
    assert rate.cop_per_unit == Decimal("4156.89")
    assert rate.basis == "date" and rate.rate_date == "2024-09-23"
    assert "2024-09-21/2024-09-23" in rate.source and "TRM" in rate.source


def test_a_weekend_takes_the_rate_of_its_validity_span(rates):
    # Saturday 21 and Sunday 22 September 2024 sit in the span published for 21-23 September
    for day in (date(2024, 9, 21), date(2024, 9, 22)):
        value, start, end = rates.trm(day)
        assert (value, start, end) == (Decimal("4156.89"), date(2024, 9, 21), date(2024, 9, 23))
    assert rates.trm(date(2024, 9, 20))[0] == Decimal("4175.10")


@pytest.mark.parametrize("day, eur_usd, trm", [
    # ECB euro reference rate for USD on that day, and the TRM of that day, read by hand
    ("2024-03-15", "1.0892", "3899.39"),
    ("2024-09-23", "1.1119", "4156.89"),
])
def test_eur_is_the_ecb_rate_times_the_trm(rates, day, eur_usd, trm):
    expected = (Decimal(eur_usd) * Decimal(trm)).quantize(Decimal("0.0001"))
    rate = rates.rate("EUR", day)
    assert rate.cop_per_unit == expected
    assert f"publicación {day}" in rate.source and eur_usd in rate.source and trm in rate.source
    converted = rates.convert(Decimal("960.00"), "EUR", day)
    assert converted.cop == (Decimal("960.00") * expected).quantize(Decimal("0.01"))


def test_policies_for_a_year_and_a_month(rates):
    year = rates.rate("USD", "2024")  # only the year known: that year's average
    assert year.basis == "period-average" and year.rate_date == "2024"
    assert year.cop_per_unit == Decimal("4071.3453")  # the 2024 average TRM, 4.071,35
    month = rates.rate("USD", "2024-06")
    assert month.basis == "period-average" and month.rate_date == "2024-06"
    end = rates.rate("USD", "2024-06-06", "period-end")
    assert (end.basis, end.rate_date, end.cop_per_unit) == ("period-end", "2024-12-31", Decimal("4409.15"))
    assert rates.rate("USD", "2024-06-06", "period-average") == year


def test_a_day_outside_the_tables_is_an_error_not_the_nearest_rate(rates):
    with pytest.raises(RateError, match="no TRM for 2025-03-01"):
        rates.rate("USD", "2025-03-01")
    with pytest.raises(RateError, match="no 2025 average for USD"):
        rates.rate("USD", "2025")
    with pytest.raises(RateError, match="no rate for currency 'XYZ'"):
        rates.rate("XYZ", "2024-01-02")


def test_a_later_trm_file_is_added_without_code(home, tmp_path):
    later = tmp_path / "trm-2025.csv"
    later.write_text("VALOR,UNIDAD,VIGENCIADESDE,VIGENCIAHASTA\n"
                     "4120.50,COP,01/03/2025,03/03/2025\n4110.00,COP,28/02/2025,28/02/2025\n"
                     "4115.25,COP,19/02/2025,27/02/2025\n", encoding="utf-8")
    before = run_cli(["rates", "show", "USD", "2025-03-02"], home)
    assert before.returncode == 1 and "no TRM for 2025-03-02" in before.stderr and "Traceback" not in before.stderr
    for _ in range(2):  # loading twice changes nothing
        result = run_cli(["rates", "load", str(later)], home)
        assert result.returncode == 0, result.stderr
        assert "covers 1991-12-02 to 2025-03-03" in result.stderr
    assert len(list((home / "rates").glob("trm-*.csv"))) == 1
    after = run_cli(["rates", "show", "USD", "2025-03-02"], home)
    assert after.returncode == 0 and "$ 4.120,5 COP" not in after.stdout and "4.120,50" in after.stdout


def test_a_bad_or_contradicting_trm_file_is_refused_in_one_line(home, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("VALOR,UNIDAD,VIGENCIADESDE,VIGENCIAHASTA\n4120.50,COP,2025-03-01,03/03/2025\n", encoding="utf-8")
    result = run_cli(["rates", "load", str(bad)], home)
    assert result.returncode == 2 and "bad.csv, line 2, column 'VIGENCIADESDE'" in result.stderr
    assert "dates dd/mm/yyyy" in result.stderr and "Traceback" not in result.stderr
    clash = tmp_path / "clash.csv"
    clash.write_text("VALOR,UNIDAD,VIGENCIADESDE,VIGENCIAHASTA\n4000.00,COP,23/09/2024,23/09/2024\n", encoding="utf-8")
    result = run_cli(["rates", "load", str(clash)], home)
    assert result.returncode == 1 and "TRM tables disagree" in result.stderr
    assert not (home / "rates").exists() or not list((home / "rates").glob("trm-*.csv"))
