"""How figures are shown to people (Colombian format) and to machines (exact JSON numbers)."""
from __future__ import annotations

from decimal import Decimal

import simplejson
from babel.numbers import format_decimal

from coopgraph.money import LOCALE, format_cop


def to_json(data) -> str:
    """JSON with Decimal written as exact numbers (34055833247.50, never a float)."""
    return simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=2, default=str)


def show(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "COP":
        return format_cop(Decimal(value))
    if unit == "COP_millions":
        return f"$ {format_decimal(Decimal(value), locale=LOCALE)} M"
    if unit == "EUR":
        return f"€ {format_decimal(Decimal(value), format='#,##0.00', locale=LOCALE)}"
    if unit == "percent":
        return f"{format_decimal(Decimal(value), format='0.00', locale=LOCALE)} %"
    return format_decimal(Decimal(value), locale=LOCALE)
