"""The store interface every backend implements; tests/store/test_store_contract.py holds it to it.

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
    # the checksum of the reference data the block's store holds (loaders/reference.py); None when
    # the store does not keep one, and a load then writes the reference data every time
    reference_checksum: str | None = None

    def keep_reference(self, checksum: str) -> None:
        """Record, with what this block writes, that the store holds the reference data of `checksum`."""
    @abstractmethod
    def write(self, batch: GraphBatch) -> None:
        """Upsert the batch: nodes merged on their key, relationships on endpoints and key properties."""

    @abstractmethod
    def replace_rows(self, bulk: BulkRows) -> None:
        """Apply one file's changes by row identity (see BulkRows for the order of its parts)."""

    @abstractmethod
    def read(self, cypher: str, params: dict | None = None) -> list[dict]:
        """Read what this block will build on (the embedded store: the generation being written),
        so a load decides what changed from the state it writes over, not from an older one."""


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


def replace_steps(model: Model, bulk: BulkRows, cast=None, chunk_rows: int = 5_000):
    """The set-based statements (with their parameters, in chunks) that apply a BulkRows before its
    inserts; `cast(expr, type)` types a parameter where an engine needs it."""
    steps = []
    for label, ids in bulk.unlink.items():
        key = model.node(label).key
        for chunk in _chunks(list(ids), chunk_rows):
            steps.append((f"UNWIND $ids AS i MATCH (n:{label} {{{key}: i}})-[r:SOURCED_FROM]->(s:Source {{id: $source}}) "
                          "DELETE r", {"ids": chunk, "source": bulk.source_id}))
    for label, ids in bulk.delete.items():
        key = model.node(label).key
        for chunk in _chunks(list(ids), chunk_rows):
            steps.append((f"UNWIND $ids AS i MATCH (n:{label} {{{key}: i}}) DETACH DELETE n", {"ids": chunk}))
    for label, ids in bulk.orphans.items():
        key = model.node(label).key
        for chunk in _chunks(list(ids), chunk_rows):
            steps.append((f"UNWIND $ids AS i MATCH (n:{label} {{{key}: i}}) "
                          "WHERE NOT EXISTS { MATCH (n)-[:SOURCED_FROM]->(:Source) } DETACH DELETE n", {"ids": chunk}))
    for label, frame in bulk.update.items():
        spec = model.node(label)
        columns = [c for c in frame.columns if c != spec.key]
        sets = ", ".join(f"n.{c} = " + (cast("r." + c, spec.properties[c].type) if cast else f"r.{c}") for c in columns)
        rows = [{k: _native(v) for k, v in row.items()} for row in frame.to_dict("records")]
        for chunk in _chunks(rows, chunk_rows):
            steps.append((f"UNWIND $rows AS r MATCH (n:{label} {{{spec.key}: r.{spec.key}}}) SET {sets}", {"rows": chunk}))
    return steps


def _native(value):
    """numpy and pandas scalars to plain Python; NaN to None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _chunks(rows: list, size: int):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]
