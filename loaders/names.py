"""Name keys: how two spellings of one name are recognised as the same.

>>> fold("Fundación  ACDI-VOCA ")
'FUNDACION ACDI VOCA'
>>> slug("SECRETARÍA DISTRITAL DE MOVILIDAD")
'secretaria-distrital-de-movilidad'
"""
from __future__ import annotations

import re
import unicodedata

from coopgraph.graph.text import fold  # noqa: F401  (defined with the model: names are keyed by it)


def slug(name: str) -> str:
    return fold(name).lower().replace(" ", "-")


_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\x00-\x1f\x7f-\x9f]")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")  # scripts with Latin look-alikes


def lookalike(name: str) -> str | None:
    """Why a name could pass for another, or None: invisible or direction characters, or letters of two
    scripts that look alike mixed in one word ("ВАNCO MUNDIAL" with a Cyrillic В and А).

    >>> lookalike("BANCO MUNDIAL"), lookalike("ΑΘΗΝΑ"), lookalike("ВАNCO MUNDIAL")
    (None, None, 'it mixes Cyrillic letters into Latin ones')
    >>> lookalike("BANCO \u202eLAIDNUM")
    'it holds invisible or text-direction characters'
    """
    if _INVISIBLE.search(name):
        return "it holds invisible or text-direction characters"
    for word in name.split():
        scripts = {unicodedata.name(c, "").split(" ")[0] for c in word if c.isalpha()} & set(_SCRIPTS)
        if len(scripts) > 1:
            other = sorted(scripts - {"LATIN"}) or sorted(scripts)[1:]
            return f"it mixes {other[0].title()} letters into {'Latin' if 'LATIN' in scripts else sorted(scripts)[0].title()} ones"
    return None
