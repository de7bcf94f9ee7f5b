"""Every Cypher text coopgraph sends to Neo4j passes Neo4j's own language service with zero
diagnostics: the Neo4j store's statements and the Neo4j text of every named query."""
import pytest

from coopgraph.cypher.library import library
from coopgraph.graph.model import model
from coopgraph.graph.store.neo4j import all_statements

from neo4j_lint import lint, node_ready

ready, reason = node_ready()
pytestmark = pytest.mark.skipif(not ready, reason=reason)


@pytest.fixture(scope="module")
def diagnostics():
    texts = {f"store: {name}": text for name, text in all_statements(model()).items()}
    params = {}
    for query in library().values():
        texts[f"query: {query.name}"] = query.text("neo4j")
        params[f"query: {query.name}"] = list(query.params)
    return lint(texts, params)


def test_every_store_statement_is_clean(diagnostics):
    dirty = {name: found for name, found in diagnostics.items() if name.startswith("store:") and found}
    assert dirty == {}


def test_every_named_query_is_clean_for_neo4j(diagnostics):
    dirty = {name: found for name, found in diagnostics.items() if name.startswith("query:") and found}
    assert dirty == {}
    assert sum(name.startswith("query:") for name in diagnostics) == len(library())


def test_the_linter_catches_broken_and_kuzu_only_cypher():
    found = lint({
        "syntax": "MATCH (c:Cooperant RETURN c",
        "unknown label": "MATCH (x:Nope) RETURN x",
        "kuzu cast": "UNWIND $rows AS r MERGE (n:Sector {id: r.id}) SET n.name = CAST(r.name AS STRING)",
        "kuzu shortest": "MATCH p = (a:Cooperant)-[* SHORTEST 1..6]-(b:Cooperant) RETURN p",
        "unknown property": "MATCH (c:Cooperant) RETURN c.nombre",
        "clean": "MATCH (c:Cooperant)-[:PROVIDED]->(k:Contribution) RETURN c.name, sum(k.total_cents) AS t",
    })
    for name in ("syntax", "kuzu cast", "kuzu shortest"):
        assert any(d["severity"] == "error" for d in found[name]), name
    assert found["unknown label"] and found["unknown property"]
    assert found["clean"] == []
