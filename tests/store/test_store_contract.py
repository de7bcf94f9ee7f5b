"""The store contract, run against every backend: the embedded engine always, Neo4j when NEO4J_URI is set."""
import pytest

from coopgraph.graph.store.embedded import EmbeddedStore
from coopgraph.settings import Settings

from store_contract import StoreContract


class TestEmbeddedStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path):
        store = EmbeddedStore(Settings(home=tmp_path / "home"))
        yield store
        store.close()
