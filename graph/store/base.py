"""The store interface every backend implements; tests/test_store_contract.py holds it to it.

A store takes writes as whole batches inside a `writer()` block — all of a block lands, or
none of it — and answers read-only Cypher with rows as plain dicts.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from decimal import Decimal

from coopgraph.graph.batch import BulkRows, GraphBatch
from coopgraph.graph.model import Model, model as default_model


class Writer(ABC):
    @abstractmethod
    def write(self, batch: GraphBatch) -> None:
        """Upsert the batch: nodes merged on their key, relationships on endpoints and key properties."""

    @abstractmethod
    def replace_rows(self, bulk: BulkRows) -> None:
        """Drop the nodes a source wrote before (ids starting with `source_id#`), then insert the bulk rows."""


class Store(ABC):
    dialect = "cypher"  # which variant of a named query this store runs (see cypher/queries.yaml)

    def __init__(self, model: Model | None = None):
        self.model = model or default_model()

    @abstractmethod
    def writer(self) -> AbstractContextManager[Writer]:
        """A block in which writes are staged; they become visible together when the block ends cleanly."""

    @abstractmethod
    def read(self, cypher: str, params: dict | None = None, *, timeout_s: float | None = None,
             max_rows: int | None = None) -> list[dict]:
        """Run read-only Cypher and return rows as dicts of plain Python values."""

    @abstractmethod
    def has_data(self) -> bool:
        """Whether anything has been loaded yet."""

    @abstractmethod
    def version(self) -> str:
        """Changes whenever the data changes: keys caches and ETags."""

    @abstractmethod
    def close(self) -> None: ...

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type, as the store holds them."""
        nodes = {label: self._count(f"MATCH (n:{label}) RETURN count(n) AS n") for label in self.model.nodes}
        rels = {t: self._count(f"MATCH ()-[r:{t}]->() RETURN count(r) AS n") for t in self.model.relationships}
        return {"nodes": nodes, "relationships": rels}

    def _count(self, cypher: str) -> int:
        rows = self.read(cypher)
        return int(rows[0]["n"]) if rows else 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def plain(value):
    """Engine values to plain Python: integral Decimals (engine sums) become int."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, dict):  # a node or relationship: its properties, label as _label
        out = {k: plain(v) for k, v in value.items() if k not in ("_ID", "_SRC", "_DST", "_LABEL")}
        if "_LABEL" in value:
            out["_label"] = value["_LABEL"]
        return out
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
