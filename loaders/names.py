"""Name keys: how two spellings of one name are recognised as the same.

>>> fold("Fundación  ACDI-VOCA ")
'FUNDACION ACDI VOCA'
>>> slug("SECRETARÍA DISTRITAL DE MOVILIDAD")
'secretaria-distrital-de-movilidad'
"""
from __future__ import annotations

import re

from unidecode import unidecode


def fold(name: str) -> str:
    """Upper case, accents folded, punctuation to spaces, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"[^A-Z0-9]+", " ", unidecode(name).upper())).strip()


def slug(name: str) -> str:
    return fold(name).lower().replace(" ", "-")
