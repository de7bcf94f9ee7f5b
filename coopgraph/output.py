"""How figures are shown to people (Colombian format) and to machines (exact JSON numbers)."""
from __future__ import annotations

from decimal import Decimal

import simplejson
from babel.numbers import format_decimal

from coopgraph.money import LOCALE, format_cop


def to_json(data) -> str:
    """JSON with Decimal written as exact numbers (34055833247.50, never a float); NaN and infinities,
    which JSON cannot hold (`RETURN 0.0/0.0`), as null.

    >>> to_json({"nan": float("nan"), "inf": float("inf"), "x": 1.5}).replace("\\n", "").replace(" ", "")
    '{"nan":null,"inf":null,"x":1.5}'
    """
    return simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=2, default=str, ignore_nan=True)


def compact_json(data) -> str:
    """`to_json` on one line, without spaces: what processes send each other (twice as fast to write)."""
    return simplejson.dumps(data, use_decimal=True, ensure_ascii=False, separators=(",", ":"), default=str,
                            ignore_nan=True)


def machine_json(data) -> str:
    """What machines read (the API, every `--json`): exact JSON in the one money convention."""
    return to_json(money_both_ways(data))


def money_both_ways(value):
    """One money convention in every JSON answer: each integer ``x_cents`` has an exact decimal ``x_cop`` in
    pesos beside it, and each decimal ``x_cop`` its ``x_cents``. (An index such as ``hhi_*`` is not money.)

    >>> money_both_ways({"total_cents": 12345, "rows": [{"cooperant_cop": Decimal("1.50")}]})
    {'total_cents': 12345, 'rows': [{'cooperant_cop': Decimal('1.50'), 'cooperant_cents': 150}], 'total_cop': Decimal('123.45')}
    """
    if isinstance(value, list):
        return [money_both_ways(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: money_both_ways(v) for k, v in value.items()}
    for key, amount in value.items():
        if key.startswith("hhi_") or isinstance(amount, bool):
            continue
        if key.endswith("_cents") and isinstance(amount, int):
            out.setdefault(key[: -len("_cents")] + "_cop", (Decimal(amount) / 100).quantize(CENT))
        elif key.endswith("_cop") and isinstance(amount, Decimal):
            out.setdefault(key[: -len("_cop")] + "_cents", int((amount * 100).to_integral_value()))
    if isinstance(out.get("columns"), list) and isinstance(value.get("rows"), list) and out["rows"]:
        out["columns"] = list(out["columns"]) + [k for k in out["rows"][0] if k not in out["columns"]]
    return out


CENT = Decimal("0.01")


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
