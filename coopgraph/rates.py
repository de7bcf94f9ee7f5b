"""Exchange rates as data: Colombia's TRM (COP per USD) and the ECB's euro reference rates.

The TRM is bundled in data/rates/ (one row per validity span, as datos.gov.co exports it); later
exports added with `coopgraph rates load FILE` sit in $COOPGRAPH_HOME/rates/ and are read beside it.
Other currencies cross the ECB rate with the TRM: EUR→COP on a day = EUR→USD (ECB) × USD→COP (TRM).
A day no table covers raises RateError: never the nearest rate.

Policies (`--rate-policy`), for an amount dated by a day, a month or only a year:
  date            the day's rate when the day is known; otherwise the average of the known period
                  (month or year), and the fact says so (its basis is period-average)
  period-average  the average over the calendar days of the amount's year
  period-end      the rate of the last day of the amount's year (31 December)
"""
from __future__ import annotations

import bisect
import calendar
import hashlib
import shutil
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

import coopgraph.data
from coopgraph.errors import InputError, Problem, Unprocessable

BUNDLED_TRM = Path(coopgraph.data.__file__).parent / "rates" / "trm-cop-usd.csv"
TRM_COLUMNS = ("VALOR", "UNIDAD", "VIGENCIADESDE", "VIGENCIAHASTA")
TRM_SOURCE = "TRM, Superintendencia Financiera de Colombia (datos.gov.co)"
ECB_SOURCE = "BCE, tasas de referencia del euro (paquete currencyconverter)"
POLICIES = ("date", "period-average", "period-end")
RATE_DIGITS = Decimal("0.0001")   # averages and crossed rates keep four decimals
CENT = Decimal("0.01")
ECB_HOLD_DAYS = 7                 # an ECB publication holds over weekends and holidays, never longer


class RateError(Unprocessable):
    """No rate for the asked day, period or currency (the amount is valid; coopgraph cannot convert it)."""


@dataclass(frozen=True)
class Rate:
    """COP per unit of a currency, with what it rests on."""

    currency: str
    cop_per_unit: Decimal
    basis: str         # date | period-average | period-end
    rate_date: str     # the day (2024-09-23) or period (2024, 2024-06) the rate is of
    source: str        # the tables and spans it was read from

    def convert(self, amount: Decimal) -> Decimal:
        return (Decimal(amount) * self.cop_per_unit).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Conversion:
    """An amount in its own currency and in COP, with the rate that joins them."""

    amount: Decimal
    currency: str
    cop: Decimal
    rate: Rate
    policy: str        # the policy asked for; rate.basis says which rate was used

    def as_dict(self) -> dict:
        return {"amount": self.amount, "currency": self.currency, "cop": self.cop, "policy": self.policy,
                **{f"rate_{k}" if k != "cop_per_unit" else "rate": v for k, v in asdict(self.rate).items() if k != "currency"}}


def _day(text: str) -> date:
    return date(int(text[6:10]), int(text[3:5]), int(text[0:2]))


def read_trm(path: Path) -> pd.DataFrame:
    """A TRM export as rows (start, end, value), checked: every bad cell named by file, line and column."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError.single(path, None, None, None, "a TRM file (CSV from datos.gov.co)")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError.single(path, None, None, None, f"a UTF-8 CSV file ({exc})")
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    missing = [c for c in TRM_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError([Problem(str(path), 1, c, None, "this column of the TRM export (VALOR,UNIDAD,VIGENCIADESDE,VIGENCIAHASTA)")
                          for c in missing])
    problems = []
    rows = []
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        cells = dict(zip(frame.columns, row))
        try:
            value = Decimal(cells["VALOR"].strip().replace(",", "."))
            if not value.is_finite() or value <= 0:
                raise ValueError
        except (ValueError, ArithmeticError):
            problems.append(Problem(str(path), i, "VALOR", cells["VALOR"], "COP per USD, such as 4156.89"))
            continue
        if cells["UNIDAD"].strip().upper() != "COP":
            problems.append(Problem(str(path), i, "UNIDAD", cells["UNIDAD"], "COP"))
            continue
        try:
            start, end = _day(cells["VIGENCIADESDE"].strip()), _day(cells["VIGENCIAHASTA"].strip())
        except (ValueError, IndexError):
            problems.append(Problem(str(path), i, "VIGENCIADESDE", f"{cells['VIGENCIADESDE']} – {cells['VIGENCIAHASTA']}",
                                    "dates dd/mm/yyyy"))
            continue
        if end < start:
            problems.append(Problem(str(path), i, "VIGENCIAHASTA", cells["VIGENCIAHASTA"], "a date on or after VIGENCIADESDE"))
            continue
        rows.append((start, end, value, f"{path.name} línea {i}"))
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError.single(path, 2, None, None, "at least one TRM row below the header")
    return pd.DataFrame(rows, columns=["start", "end", "value", "where"])


class Rates:
    """The TRM spans of every table, merged, and the ECB rates, behind one lookup."""

    def __init__(self, trm_files: list[Path]):
        spans = pd.concat([read_trm(p) for p in trm_files]).drop_duplicates(["start", "end", "value"])
        spans = spans.sort_values(["start", "end"]).reset_index(drop=True)
        overlap = spans.start.iloc[1:].to_numpy() <= spans.end.iloc[:-1].to_numpy()
        if overlap.any():
            i = int(overlap.argmax())
            a, b = spans.iloc[i], spans.iloc[i + 1]
            raise RateError(f"TRM tables disagree: {a['where']} ({a.start}–{a.end}: {a.value}) overlaps "
                            f"{b['where']} ({b.start}–{b.end}: {b.value})")
        self.files = trm_files
        self._starts = [d.toordinal() for d in spans.start]
        self._ends = [d.toordinal() for d in spans.end]
        self._values = list(spans.value)
        self.first, self.last = spans.start.iloc[0], spans.end.iloc[-1]
        self._ecb = None

    # --- the TRM -------------------------------------------------------------------------------
    def trm(self, day: date) -> tuple[Decimal, date, date]:
        """COP per USD on `day`, and the validity span it was published for."""
        i = bisect.bisect_right(self._starts, day.toordinal()) - 1
        if i < 0 or self._ends[i] < day.toordinal():
            raise RateError(f"no TRM for {day.isoformat()}: the rate tables cover {self.first.isoformat()} to "
                            f"{self.last.isoformat()} with no row for that day; add a later export with "
                            f"`coopgraph rates load FILE`")
        return self._values[i], date.fromordinal(self._starts[i]), date.fromordinal(self._ends[i])

    # --- the ECB ---------------------------------------------------------------------------------
    def _converter(self):
        if self._ecb is None:
            from currency_converter import CurrencyConverter

            self._ecb = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False, decimal=True)
        return self._ecb

    def usd_per(self, currency: str, day: date) -> tuple[Decimal, date]:
        """USD per unit of `currency` (ECB), and the ECB publication day used."""
        from currency_converter import RateNotFoundError

        ecb = self._converter()
        if currency not in ecb.currencies:
            raise RateError(f"no rate for currency {currency!r}: coopgraph knows COP, USD and the ECB's "
                            f"currencies ({', '.join(sorted(ecb.currencies))})")
        for back in range(ECB_HOLD_DAYS):
            published = day - timedelta(days=back)
            try:
                return Decimal(ecb.convert(1, currency, "USD", published)), published
            except RateNotFoundError:
                continue
        bounds = ecb.bounds.get(currency) or ecb.bounds["USD"]
        raise RateError(f"no ECB rate for {currency} on {day.isoformat()} or the {ECB_HOLD_DAYS - 1} days before "
                        f"(the ECB rates bundled cover {bounds.first_date} to {bounds.last_date})")

    # --- COP per unit of any currency --------------------------------------------------------------
    def on_day(self, currency: str, day: date) -> Rate:
        currency = currency.upper()
        if currency == "COP":
            return Rate("COP", Decimal(1), "date", day.isoformat(), "COP")
        trm, start, end = self.trm(day)
        span = start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
        if currency == "USD":
            return Rate("USD", trm, "date", day.isoformat(), f"{TRM_SOURCE}, vigencia {span}")
        usd, published = self.usd_per(currency, day)
        return Rate(currency, (usd * trm).quantize(RATE_DIGITS, ROUND_HALF_UP), "date", day.isoformat(),
                    f"{ECB_SOURCE}, publicación {published.isoformat()} ({currency}→USD {usd.normalize()}) × "
                    f"{TRM_SOURCE}, vigencia {span} ({trm})")

    def average(self, currency: str, period: str) -> Rate:
        """Mean of the daily rates over every calendar day of a year (2024) or month (2024-06)."""
        first, last = period_bounds(period)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        try:
            values = [self.on_day(currency, d).cop_per_unit for d in days]
        except RateError as exc:
            raise RateError(f"no {period} average for {currency.upper()}: {exc.message}") from None
        mean = (sum(values) / len(values)).quantize(RATE_DIGITS, ROUND_HALF_UP)
        what = f"{TRM_SOURCE}" + ("" if currency.upper() == "USD" else f" × {ECB_SOURCE}")
        return Rate(currency.upper(), mean, "period-average", period,
                    f"promedio de {len(days)} días ({first.isoformat()} a {last.isoformat()}) de {what}")

    def period_end(self, currency: str, period: str) -> Rate:
        _, last = period_bounds(period)
        rate = self.on_day(currency, last)
        return Rate(rate.currency, rate.cop_per_unit, "period-end", last.isoformat(), rate.source)

    def rate(self, currency: str, when: str, policy: str = "date") -> Rate:
        """The rate for an amount dated `when` (2024-06-06, 2024-06 or 2024) under a policy."""
        if policy not in POLICIES:
            raise RateError(f"unknown rate policy {policy!r}: expected one of {', '.join(POLICIES)}")
        when = str(when).strip()
        year = when[:4]
        if policy == "period-average":
            return self.average(currency, year)
        if policy == "period-end":
            return self.period_end(currency, year)
        if len(when) == 10:
            return self.on_day(currency, date.fromisoformat(when))
        return self.average(currency, when)  # only a month or a year is known

    def convert(self, amount: Decimal, currency: str, when: str, policy: str = "date") -> Conversion:
        rate = self.rate(currency, when, policy)
        return Conversion(Decimal(amount), currency.upper(), rate.convert(amount), rate, policy)


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of "2024" or "2024-06"."""
    try:
        if len(period) == 4:
            return date(int(period), 1, 1), date(int(period), 12, 31)
        year, month = int(period[:4]), int(period[5:7])
        if len(period) != 7 or period[4] != "-":
            raise ValueError
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except (ValueError, IndexError):
        raise RateError(f"expected a period such as 2024 or 2024-06, not {period!r}")


def added_dir(home: Path) -> Path:
    return Path(home) / "rates"


def trm_files(home: Path | None) -> list[Path]:
    added = sorted(added_dir(home).glob("trm-*.csv")) if home else []
    return [BUNDLED_TRM, *added]


@lru_cache(maxsize=4)
def _rates(files: tuple[Path, ...], stamps: tuple[float, ...]) -> Rates:
    return Rates(list(files))


def load_rates(home: Path | None = None) -> Rates:
    """The bundled TRM plus every table added under `home` (cached until a file changes)."""
    files = tuple(trm_files(home))
    return _rates(files, tuple(p.stat().st_mtime for p in files))


def add_trm_file(path: Path, home: Path) -> tuple[Path, Rates]:
    """Check a TRM export against the tables already known, then keep a copy under `home`.

    Adding the same file twice changes nothing; a file that contradicts a known span is refused.
    """
    read_trm(path)  # bad cells are reported before anything else
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    target = added_dir(home) / f"trm-{digest}.csv"
    rates = Rates([*trm_files(home), *([] if target.exists() else [Path(path)])])
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target, rates
