"""Who is who: resolves the names tables use to canonical nodes.

Without reviewed data every name becomes its own node keyed by its folded spelling, so
accent variants already meet. The curated registry (data/curated/) adds canonical
organisations, merges with reasons, types and countries; see loaders.curated.
"""
from __future__ import annotations

from coopgraph.graph.batch import GraphBatch
from coopgraph.loaders.names import fold, slug


class Registry:
    def __init__(self):
        self.unresolved: dict[str, set[str]] = {}  # kind -> names not found in reviewed data

    @classmethod
    def load(cls) -> "Registry":
        """The reviewed registry when data/curated exists, else the name-folding fallback."""
        return cls()

    def add_reference_nodes(self, batch: GraphBatch) -> None:
        """Nodes that exist whatever the tables say (ODS, plan objectives…). None without curated data."""

    def sdg(self, batch: GraphBatch, number: int, name: str, *, source: str, locator: str) -> str:
        return batch.add_node("SDG", {"id": f"ods-{number}", "number": int(number), "name": name},
                              source=source, locator=locator)

    def sector(self, batch: GraphBatch, name: str, *, source: str, locator: str) -> str:
        return batch.add_node("Sector", {"id": slug(name), "name": name}, source=source, locator=locator)

    def entity(self, batch: GraphBatch, name: str, *, source: str, locator: str, sector_id: str | None = None) -> str:
        self.unresolved.setdefault("DistrictEntity", set()).add(name)
        return batch.add_node("DistrictEntity", {"id": slug(name), "name": name, "sector_id": sector_id},
                              source=source, locator=locator)

    def cooperant(self, batch: GraphBatch, name: str, *, source: str, locator: str) -> str:
        self.unresolved.setdefault("Cooperant", set()).add(name)
        return batch.add_node("Cooperant", {"id": slug(name), "name": name, "review": True},
                              source=source, locator=locator)

    @staticmethod
    def key(name: str) -> str:
        return fold(name)
