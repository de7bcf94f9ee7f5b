"""Stores: one interface (store.base), one class per backend, chosen by one setting."""
from __future__ import annotations

from coopgraph.settings import Settings, get_settings


def open_store(settings: Settings | None = None):
    """The store the settings name: the embedded engine by default, Neo4j when configured."""
    settings = settings or get_settings()
    if settings.store == "neo4j":
        from coopgraph.graph.store.neo4j import Neo4jStore

        return Neo4jStore(settings)
    from coopgraph.graph.store.embedded import EmbeddedStore

    return EmbeddedStore(settings)
