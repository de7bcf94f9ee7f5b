"""The named query library: load cypher/queries.yaml, check parameters, run on any store."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from coopgraph.errors import BadRequest
from coopgraph.graph.text import fold

LIBRARY_FILE = Path(__file__).parent / "queries.yaml"
_TYPES = {"int": int, "string": str, "float": float, "bool": bool, "name": str}
BOOLEANS = {"true": True, "1": True, "yes": True, "sí": True, "si": True,
            "false": False, "0": False, "no": False}
# Integer parameters stay in these ranges (docs/queries.md): a bound keeps the engine from crashing
# (LadybugDB 0.22 segfaults on ORDER BY with a SKIP in the tens of thousands) and from huge answers.
INT_RANGES = {"limit": (1, 1000), "skip": (0, 10_000), "from_year": (0, 9999), "to_year": (0, 9999)}
DEFAULT_INT_RANGE = (0, 1_000_000)
# A `name` parameter is folded like the graph's name_key property, so searches ignore accents and case.


class QueryError(BadRequest):
    """A named query does not exist or got a parameter it cannot use."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: object = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    cypher: str
    params: dict[str, Param] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)

    def text(self, dialect: str) -> str:
        return self.variants.get(dialect, self.cypher)

    def bind(self, given: dict) -> dict:
        unknown = set(given) - set(self.params)
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {sorted(unknown)[0]!r}",
                             expected=sorted(self.params))
        bound = {}
        for name, param in self.params.items():
            value = given.get(name, param.default)
            if value is None:
                raise QueryError(f"query {self.name!r} needs parameter {name!r} ({param.type})")
            value = _typed(self.name, param, value)
            if param.type == "name":
                value = fold(str(value))
            bound[name] = value
        if bound.get("from_year", 0) > bound.get("to_year", 9999):
            raise QueryError(f"from_year {bound['from_year']} is after to_year {bound['to_year']}")
        return bound


def _typed(query: str, param: Param, value):
    expected = f"parameter {param.name!r} of {query!r} must be"
    if param.type == "bool":
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() not in BOOLEANS:
            raise QueryError(f"{expected} true or false, not {value!r}")
        return BOOLEANS[str(value).strip().lower()]
    if param.type == "int":
        try:
            number = int(value) if not isinstance(value, (bool, float)) else None
        except ValueError:
            number = None
        if number is None:
            raise QueryError(f"{expected} int, not {value!r}")
        low, high = INT_RANGES.get(param.name, DEFAULT_INT_RANGE)
        if not low <= number <= high:
            raise QueryError(f"{expected} between {low} and {high}, not {number}")
        return number
    if isinstance(value, str) and param.type != "string":
        try:
            return _TYPES[param.type](value)
        except ValueError:
            raise QueryError(f"{expected} {param.type}, not {value!r}")
    return value


@lru_cache(maxsize=1)
def library() -> dict[str, NamedQuery]:
    raw = yaml.safe_load(LIBRARY_FILE.read_text(encoding="utf-8"))
    out = {}
    for name, spec in raw.items():
        params = {p: Param(p, s.get("type", "string"), s.get("default"), s.get("description", ""))
                  for p, s in (spec.get("params") or {}).items()}
        out[name] = NamedQuery(name, spec["description"].strip(), spec["cypher"], params, spec.get("variants") or {})
    return out


def run(store, name: str, **params) -> list[dict]:
    queries = library()
    if name not in queries:
        raise QueryError(f"no named query {name!r}", available=sorted(queries))
    query = queries[name]
    return store.read(query.text(store.dialect), query.bind(params))
