"""The Neo4j store: the contract suite and every named query against a live server when NEO4J_URI
is set (these tests wipe that database), and the compose file's shape always."""
import os

import pytest
import yaml

from coopgraph.settings import Settings

from conftest import ROOT
from store_contract import StoreContract

LIVE = os.environ.get("NEO4J_URI")
live = pytest.mark.skipif(not LIVE, reason="NEO4J_URI is not set: no Neo4j server to test against")


def neo4j_settings(**extra) -> Settings:
    return Settings(store="neo4j", neo4j_uri=LIVE, neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
                    neo4j_password=os.environ.get("NEO4J_PASSWORD", "password"),
                    neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"), **extra)


def wipe(store) -> None:
    with store.driver.session(database=store.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()


@live
class TestNeo4jStore(StoreContract):
    @pytest.fixture
    def store(self):
        from coopgraph.graph.store.neo4j import Neo4jStore

        store = Neo4jStore(neo4j_settings())
        wipe(store)
        yield store
        store.close()


@live
def test_named_queries_answer_the_same_on_both_stores(loaded_store):
    from coopgraph.cypher.library import library, run
    from coopgraph.graph.store.neo4j import Neo4jStore
    from coopgraph.loaders.pipeline import bundled_tables, load

    neo = Neo4jStore(neo4j_settings())
    wipe(neo)
    load(neo, bundled_tables())
    try:
        for name in library():
            assert run(neo, name) == run(loaded_store, name), name
    finally:
        neo.close()


def test_bad_credentials_or_no_server_is_a_clear_error():
    pytest.importorskip("neo4j")
    from coopgraph.errors import StoreError
    from coopgraph.graph.store.neo4j import Neo4jStore

    store = Neo4jStore(Settings(store="neo4j", neo4j_uri="bolt://127.0.0.1:9", neo4j_password="x"))
    with pytest.raises(StoreError, match="not reachable at bolt://127.0.0.1:9"):
        store.has_data()
    store.close()


def test_the_neo4j_store_refuses_to_start_without_a_password():
    pytest.importorskip("neo4j")
    from coopgraph.errors import StoreError
    from coopgraph.graph.store.neo4j import Neo4jStore

    with pytest.raises(StoreError, match="COOPGRAPH_NEO4J_PASSWORD"):
        Neo4jStore(Settings(store="neo4j"))


def test_compose_runs_neo4j_healthy_before_coopgraph():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    neo4j, app = compose["services"]["neo4j"], compose["services"]["coopgraph"]
    assert neo4j["image"].startswith("neo4j:5")
    assert "healthcheck" in neo4j
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["COOPGRAPH_STORE"] == "neo4j"
    assert all(port.startswith("127.0.0.1:") for s in compose["services"].values() for port in s["ports"])
