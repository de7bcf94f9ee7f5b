"""The Neo4j store on a live server (tests/conftest.py starts one, or NEO4J_URI names yours):
the store contract, proof that the server is Neo4j, and clear errors without a server."""
import pytest

from pydantic import SecretStr

from coopgraph.settings import Settings

from store_contract import StoreContract


class TestNeo4jStore(StoreContract):
    @pytest.fixture
    def store(self, neo4j_store):
        return neo4j_store


def test_the_suite_really_talks_to_neo4j(neo4j_store):
    """A silent fallback to the embedded store cannot pass: only Neo4j answers dbms.components()."""
    [row] = neo4j_store.read("CALL dbms.components() YIELD name, versions, edition "
                             "RETURN name, versions[0] AS version, edition")
    assert row["name"] == "Neo4j Kernel"
    assert row["version"].startswith("5.")
    assert neo4j_store.driver.get_server_info().agent == f"Neo4j/{row['version']}"


def test_bad_credentials_or_no_server_is_a_clear_error():
    pytest.importorskip("neo4j")
    from coopgraph.errors import StoreError
    from coopgraph.graph.store.neo4j import Neo4jStore

    store = Neo4jStore(Settings(store="neo4j", neo4j_uri="bolt://127.0.0.1:9", neo4j_password="not-the-password"))
    with pytest.raises(StoreError, match="not reachable at bolt://127.0.0.1:9"):
        store.has_data()
    store.close()


def test_a_wrong_password_is_a_clear_error(neo4j_settings):
    from coopgraph.errors import StoreError
    from coopgraph.graph.store.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_settings.model_copy(update={"neo4j_password": SecretStr("not-the-password")}))
    with pytest.raises(StoreError, match="refused the credentials of 'neo4j'"):
        store.has_data()
    store.close()


def test_the_neo4j_store_refuses_to_start_without_a_password():
    pytest.importorskip("neo4j")
    from coopgraph.errors import StoreError
    from coopgraph.graph.store.neo4j import Neo4jStore

    with pytest.raises(StoreError, match="COOPGRAPH_NEO4J_PASSWORD"):
        Neo4jStore(Settings(store="neo4j"))
