"""Exact money: parse Colombian-written amounts, store integer centavos, print the Colombian way."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_currency, format_decimal, parse_decimal

LOCALE = "es_CO"
CENT = Decimal("0.01")
# The largest amount one cell may hold: a thousand billion pesos (10^15), far above any cooperation
# amount and small enough that an amount plus a counterpart stays exact in INT64 centavos.
MAX_PESOS = 10 ** 15
MAX_CENTS = MAX_PESOS * 100
_COLOMBIAN = re.compile(r"(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,(?P<fraction>[0-9]{1,2}))?")
_PLAIN = re.compile(r"(?P<whole>[0-9]+)(?:\.(?P<fraction>[0-9]{1,2}))?")
AMOUNT_GRAMMAR = ("an amount such as $ 1.234.567,89 (Colombian: '.' between thousands, ',' before at most two "
                  "decimals) or 1234567.89 (plain: digits, '.' before at most two decimals)")


def parse_amount(text: str) -> int:
    """Centavos from one money cell, in the one grammar files may use (Colombian or plain, ASCII
    digits only, an optional leading $ and minus sign). Raises ValueError with what is wrong.

    >>> parse_amount("$ 1.234.567,89"), parse_amount("1234567.89"), parse_amount("1.234"), parse_amount("-5")
    (123456789, 123456789, 123400, -500)
    """
    rest = text.strip().replace("\u00a0", " ")
    sign = 1
    if rest.startswith("-"):
        sign, rest = -1, rest[1:].lstrip()
    for prefix in ("\\$", "$"):
        if rest.startswith(prefix):
            rest = rest[len(prefix):].lstrip()
            break
    if sign == 1 and rest.startswith("-"):
        sign, rest = -1, rest[1:].lstrip()
    found = _COLOMBIAN.fullmatch(rest) if ("," in rest or re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", rest)) \
        else _PLAIN.fullmatch(rest)
    if not found:
        raise ValueError(AMOUNT_GRAMMAR)
    whole, fraction = found.group("whole").replace(".", ""), (found.group("fraction") or "").ljust(2, "0")
    whole = whole.lstrip("0") or "0"  # 0001 is 1: leading zeros are how some exports pad
    if len(whole) > len(str(MAX_PESOS)):
        raise ValueError(f"an amount of at most {format_cop(MAX_CENTS, cents=True)}")
    cents = int(whole) * 100 + int(fraction)
    if cents > MAX_CENTS:
        raise ValueError(f"an amount of at most {format_cop(MAX_CENTS, cents=True)}")
    return sign * cents


def parse_cop(text: str) -> Decimal:
    """Parse "$ 1.234.567,89" (or "\\$ 1.234.567,89" as the report escapes it) exactly.

    >>> parse_cop("\\\\$ 23.969.094.079,50")
    Decimal('23969094079.50')
    >>> parse_cop("$33")
    Decimal('33')

    Raises ValueError for anything else.
    """
    cleaned = text.replace("\\$", "").replace("$", "").replace("\u00a0", " ").strip()
    if not cleaned:
        raise ValueError(f"not an amount: {text!r}")
    try:
        return parse_decimal(cleaned, locale=LOCALE, strict=True)
    except (NumberFormatError, InvalidOperation) as exc:
        raise ValueError(f"not a Colombian-written amount: {text!r}") from exc


def parse_plain(text: str) -> Decimal:
    """Parse a plain decimal string ("1234.50") as bundled CSVs write money."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValueError(f"not a decimal number: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


def to_cents(amount: Decimal) -> int:
    """Decimal pesos to integer centavos; refuses fractions of a centavo rather than rounding."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has fractions of a centavo")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def format_cop(amount: Decimal | int, *, cents: bool = False) -> str:
    """Colombian format with two decimals: ``$ 1.234.567,89``.

    >>> format_cop(123456789, cents=True)
    '$ 1.234.567,89'
    """
    value = from_cents(amount) if cents else Decimal(amount)
    return format_currency(value, "COP", locale=LOCALE, currency_digits=False, format="¤ #,##0.00")


def format_rate(rate: Decimal) -> str:
    """An exchange rate, COP per unit, the Colombian way with up to four decimals: ``4.156,89``."""
    return format_decimal(Decimal(rate), format="#,##0.00##", locale=LOCALE)


def format_amount(amount: Decimal, currency: str) -> str:
    """An amount in its own currency, the Colombian way: ``US$ 1.000.000,00``, ``€ 18.660,00``."""
    return format_currency(Decimal(amount), currency, locale=LOCALE, currency_digits=False, format="¤ #,##0.00")
