"""How analyses write figures in Spanish sentences: shares, decimals, counts (the Colombian way)."""
from __future__ import annotations

__all__ = ["pct", "dec", "n", "plural"]


def pct(share: float) -> str:
    """0.98904 → '98,9 %' (Colombian decimal comma)."""
    return f"{share * 100:.1f}".replace(".", ",") + " %"


def dec(x: float, digits: int) -> str:
    """0.393 → '0,393' (decimal comma)."""
    return f"{x:.{digits}f}".replace(".", ",")


def n(count: int) -> str:
    """4883 → '4.883' (Colombian thousands separator)."""
    return f"{int(count):,}".replace(",", ".")


def plural(count: int, one: str, many: str) -> str:
    return f"{n(count)} {one if count == 1 else many}"
