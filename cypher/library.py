"""The named query library: load cypher/queries.yaml, check parameters, run on any store."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from coopgraph.errors import CoopgraphError
from coopgraph.loaders.names import fold

LIBRARY_FILE = Path(__file__).parent / "queries.yaml"
_TYPES = {"int": int, "string": str, "float": float, "bool": bool, "name": str}
# A `name` parameter is folded like the graph's name_key property, so searches ignore accents and case.


class QueryError(CoopgraphError):
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
            if isinstance(value, str) and param.type != "string":
                try:
                    value = _TYPES[param.type](value)
                except ValueError:
                    raise QueryError(f"parameter {name!r} of {self.name!r} must be {param.type}, not {value!r}")
            if param.type == "name":
                value = fold(str(value))
            bound[name] = value
        return bound


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
