"""Shares of a whole that add up to exactly 100 % as displayed, and ratios that are absent when undefined.

Rounding each share on its own can show 33,33 + 33,33 + 33,33 = 99,99 %. `shares_pct` rounds by the
largest-remainder method (Hamilton's): every share is first cut down to the displayed precision, then
the hundredths still missing go, one each, to the shares that lost most in the cut (ties: the larger
part, then the earlier one). So the displayed shares always sum to 100 exactly, each within one unit of
its exact value.

>>> shares_pct([1, 1, 1])
[Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
>>> shares_pct([0, 0]), shares_pct([])
([None, None], [])
>>> per_peso(70, 100), per_peso(5, 0)
(Decimal('0.70'), None)
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

__all__ = ["shares_pct", "per_peso", "format_pct", "format_ratio"]


def shares_pct(parts, places: int = 2) -> list[Decimal | None]:
    """Each part's share of their sum in percent, `places` decimals, summing to exactly 100; None for every
    part when the sum is 0 (no whole to share). Parts are non-negative integers (centavos, counts)."""
    parts = [int(p or 0) for p in parts]
    whole = sum(parts)
    if whole <= 0:
        return [None] * len(parts)
    units = 100 * 10 ** places  # 100 % in the displayed unit
    exact = [Fraction(p * units, whole) for p in parts]
    floors = [int(e) for e in exact]  # non-negative, so int() is the floor
    missing = units - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), -parts[i], i))
    for i in order[:missing]:
        floors[i] += 1
    scale = Decimal(1).scaleb(-places)
    return [(Decimal(f) * scale).quantize(scale) for f in floors]


def per_peso(numerator: int, denominator: int, places: int = 2) -> Decimal | None:
    """``numerator / denominator`` rounded half-up to `places` decimals (a ratio for display); None when the
    denominator is 0: the ratio is undefined, which is not a ratio of 0."""
    numerator, denominator = int(numerator or 0), int(denominator or 0)
    if not denominator:
        return None
    scale = Decimal(1).scaleb(-places)
    return (Decimal(numerator) / Decimal(denominator)).quantize(scale, rounding="ROUND_HALF_UP")


def format_pct(value: Decimal | None, lang: str = "es", empty: str | None = None) -> str:
    """``Decimal('12.50')`` → ``'12,50 %'`` in Spanish, ``'12.50 %'`` in English; `empty` (or "sin dato") for None."""
    if value is None:
        return empty if empty is not None else ("sin dato" if lang == "es" else "no data")
    text = f"{value:.2f}"
    return (text.replace(".", ",") if lang == "es" else text) + " %"


def format_ratio(value: Decimal | float | None, lang: str = "es", empty: str | None = None) -> str:
    """``Decimal('0.70')`` → ``'0,70'`` in Spanish (the Colombian comma), ``'0.70'`` in English, as counts
    follow the page's language; "sin dato" for None."""
    if value is None:
        return empty if empty is not None else ("sin dato" if lang == "es" else "no data")
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "es" else text
