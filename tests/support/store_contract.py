"""The contract every store keeps. tests/store/test_store_contract.py runs it against each backend.

A backend's test module only provides a `store` fixture (an empty store); the assertions
here are what users rely on whatever the engine.
"""
from __future__ import annotations

import pytest

from coopgraph.graph.batch import GraphBatch


def small_batch(amount_cents: int = 123_456_789) -> GraphBatch:
    batch = GraphBatch()
    source = "prueba/tabla"
    batch.add_node("Source", {"id": source, "title": "Tabla de prueba", "kind": "table", "year": 2024}, source=source)
    batch.add_node("Sector", {"id": "movilidad", "name": "MOVILIDAD"}, source=source, locator="line 1")
    batch.add_node("DistrictEntity", {"id": "sdm", "name": "SECRETARÍA DISTRITAL DE MOVILIDAD",
                                      "acronyms": ["SDM"]}, source=source, locator="line 1")
    batch.add_node("Cooperant", {"id": "bid", "name": "BID BANCO INTERAMERICANO DE DESARROLLO",
                                 "iati_type": 40}, source=source, locator="line 1")
    batch.add_node("Contribution", {"id": "prueba#1", "year": 2024, "monetary": True, "interactions": 1, "currency": "COP",
                                    "cooperant_cents": amount_cents, "counterpart_cents": 1,
                                    "total_cents": amount_cents + 1, "sector_id": "movilidad"},
                   source=source, locator="line 1")
    batch.add_relationship("PROVIDED", "Cooperant", "bid", "Contribution", "prueba#1", source=source, locator="line 1")
    batch.add_relationship("RECEIVED", "DistrictEntity", "sdm", "Contribution", "prueba#1", source=source, locator="line 1")
    batch.add_relationship("BELONGS_TO", "DistrictEntity", "sdm", "Sector", "movilidad", source=source, locator="line 1")
    return batch


def node_total(store) -> int:
    return sum(store.counts()["nodes"].values())


class StoreContract:
    """Subclass with a `store` fixture yielding an empty store of the backend under test."""

    def test_starts_empty(self, store):
        assert not store.has_data() or node_total(store) == 0

    def test_writes_become_readable(self, store):
        with store.writer() as writer:
            writer.write(small_batch())
        assert store.has_data()
        rows = store.read("MATCH (c:Cooperant)-[:PROVIDED]->(k:Contribution)<-[:RECEIVED]-(e:DistrictEntity) "
                          "RETURN c.name AS cooperant, e.acronyms AS acronyms, k.total_cents AS total")
        assert rows == [{"cooperant": "BID BANCO INTERAMERICANO DE DESARROLLO", "acronyms": ["SDM"],
                         "total": 123_456_790}]

    def test_writing_twice_changes_nothing(self, store):
        for _ in range(2):
            with store.writer() as writer:
                writer.write(small_batch())
        counts = store.counts()
        assert counts["nodes"]["Contribution"] == 1 and counts["nodes"]["Source"] == 1
        assert counts["relationships"]["PROVIDED"] == 1
        assert counts["relationships"]["SOURCED_FROM"] == 4

    def test_an_upsert_changes_values_in_place(self, store):
        with store.writer() as writer:
            writer.write(small_batch(100))
        with store.writer() as writer:
            writer.write(small_batch(200))
        assert store.read("MATCH (k:Contribution) RETURN k.cooperant_cents AS c") == [{"c": 200}]

    def test_sums_of_money_are_exact_integers(self, store):
        with store.writer() as writer:
            writer.write(small_batch(2_396_909_407_950))
        [row] = store.read("MATCH (k:Contribution) RETURN sum(k.cooperant_cents) AS s")
        assert row["s"] == 2_396_909_407_950 and isinstance(row["s"], int)

    def test_a_failed_write_block_leaves_nothing(self, store):
        with store.writer() as writer:
            writer.write(small_batch(100))
        with pytest.raises(RuntimeError):
            with store.writer() as writer:
                writer.write(small_batch(999))
                raise RuntimeError("the load fails halfway")
        assert store.read("MATCH (k:Contribution) RETURN k.cooperant_cents AS c") == [{"c": 100}]

    def test_reads_cannot_write(self, store):
        with store.writer() as writer:
            writer.write(small_batch())
        with pytest.raises(Exception):
            store.read("CREATE (:Sector {id: 'x', name: 'X'})")
        assert store.counts()["nodes"]["Sector"] == 1

    def test_parameters_are_bound_not_pasted(self, store):
        with store.writer() as writer:
            writer.write(small_batch())
        rows = store.read("MATCH (c:Cooperant) WHERE c.name = $name RETURN c.id AS id",
                          {"name": "BID BANCO INTERAMERICANO DE DESARROLLO"})
        assert rows == [{"id": "bid"}]
        assert store.read("MATCH (c:Cooperant) WHERE c.name = $name RETURN c.id AS id",
                          {"name": "' OR 1=1 //"}) == []
