"""How names are compared: folded to upper case without accents or punctuation (the graph's `name_key`)."""
from __future__ import annotations

import re

from unidecode import unidecode

__all__ = ["fold"]


def fold(name: str) -> str:
    """Upper case, accents folded, punctuation to spaces, spaces collapsed.

    >>> fold("Secretaría  de AMBIENTE!")
    'SECRETARIA DE AMBIENTE'
    """
    return re.sub(r"\s+", " ", re.sub(r"[^A-Z0-9]+", " ", unidecode(name).upper())).strip()
