"""Exchange rates computed here, from the bundled TRM CSV (pandas) and the ECB rates, without
coopgraph's rate module: the tests' independent oracle."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import pandas as pd

from conftest import ROOT

FOUR = Decimal("0.0001")


@lru_cache(maxsize=1)
def daily_trm() -> dict:
    """COP per USD for every calendar day, expanded from the validity spans."""
    spans = pd.read_csv(ROOT / "data" / "rates" / "trm-cop-usd.csv", dtype=str)
    days = {}
    for row in spans.itertuples(index=False):
        for day in pd.date_range(pd.to_datetime(row.VIGENCIADESDE, dayfirst=True),
                                 pd.to_datetime(row.VIGENCIAHASTA, dayfirst=True)):
            days[day.date()] = Decimal(row.VALOR)
    return days


@lru_cache(maxsize=1)
def _ecb():
    from currency_converter import CurrencyConverter

    return CurrencyConverter(fallback_on_missing_rate=False, decimal=True)


def usd_per(currency: str, day: date) -> Decimal:
    """The ECB rate of the day, or of the last publication before it (weekends, holidays)."""
    from currency_converter import RateNotFoundError

    for back in range(7):
        try:
            return _ecb().convert(1, currency, "USD", day - timedelta(days=back))
        except RateNotFoundError:
            continue
    raise AssertionError(f"no ECB rate near {day}")


@lru_cache(maxsize=None)
def year_average(currency: str, year: int) -> Decimal:
    trm = daily_trm()
    days = [d for d in trm if d.year == year]
    if currency == "USD":
        values = [trm[d] for d in days]
    else:
        values = [usd_per(currency, d) * trm[d] for d in days]
    return (sum(values) / len(values)).quantize(FOUR, ROUND_HALF_UP)


def in_cop(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
